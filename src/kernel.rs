//! The gradient of a batch's mean loss in one fused pass: the hot loop of training.
//!
//! For f(x) = bᵀσ(Ax) and L = (y − f(x))², [`fused`] and [`lanes`] compute what the
//! per-example path in src/network.rs computes (a forward pass, a backward pass and an
//! accumulation per example), with the same operations in the same order, so all three give
//! the same bits:
//! - z1_j = Σ_k A_jk·x_k and z3 = Σ_j b_j·z2_j, each summed in index order (z3 from 0);
//! - z2 = σ(z1) and σ′ exactly as [`Activation::value`] and
//!   [`Activation::derivative_from_output`] compute them;
//! - ∂/∂b_j += (w·∂L/∂z3)·z2_j, ∂L/∂z1_j = (∂L/∂z3·b_j)·σ′_j and ∂/∂A_jk += (w·∂L/∂z1_j)·x_k
//!   with w = 1/n, added example after example starting from 0;
//! - no fused multiply-add anywhere.
//!
//! (One liberty: the lanes' ReLU gives +0 where `f64::max` may keep a −0; such a zero never
//! changes a non-zero result, and the tests compare with `==`.)
//!
//! What differs is the loop. One kernel, written once for the [`Lane`] types f64 (one hidden
//! unit at a time: [`fused`]) and [`F64x2`] (two: [`lanes`], WebAssembly SIMD in the wasm
//! build, with the crate's exp and tanh in lanes):
//! - the weights are copied once per batch into scratch space, one chunk per unit (or pair
//!   of units) holding its weights, its gradients, and σ(z1) and σ′ of the examples in flight,
//!   so each loop walks one array and there are no per-example arrays;
//! - two examples per iteration share each load of the weights;
//! - each activation is compiled as its own loop, and for the sigmoid, tanh and ReLU also
//!   m = 2 (the lab's inputs [x, 1]);
//! - the constants of exp are made once per batch, kept in locals by the compiled loop.

use crate::activation::Activation;
use crate::lanes::F64x2;
use crate::math::{exp_lanes_with, tanh_lanes_with, ExpConstants};
use core::ops::{Add, Mul, Sub};

/// How the batch gradient is computed. Every method gives the same bits (tests/kernel.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A forward and a backward pass per example through the network's cached values: the
    /// worksheet's algorithm as written, kept as the reference.
    PerExample,
    /// [`fused`]: one pass, scalar arithmetic.
    Fused,
    /// [`lanes`]: one pass, two hidden units per operation.
    Lanes,
}

impl Method {
    /// The method training uses: the lanes, fastest in every build we measured. In the SIMD
    /// wasm they are wasm SIMD; natively the compiler makes SSE2 of the [f64; 2]; even in the
    /// scalar wasm two independent units per step beat one (at opt-level "s": 2.0×
    /// reference.mjs against 1.75× at h = 16 and 64, the same at h = 4; CPU time in Chromium,
    /// 2026-11-29).
    pub const FASTEST: Method = Method::Lanes;

    /// Every method, the reference first.
    pub const ALL: [Method; 3] = [Method::PerExample, Method::Fused, Method::Lanes];
}

/// The network as the kernels read it: σ, m, A (h×m row-major) and b (length h).
#[derive(Clone, Copy, Debug)]
pub struct Weights<'a> {
    pub activation: Activation,
    pub inputs: usize,
    pub a: &'a [f64],
    pub b: &'a [f64],
}

/// The kernels' working memory, sized on first use for the network's h and m and reused, so
/// a training step allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    /// [`fused`]: one chunk per unit (see [`chunk_len`]).
    units: Vec<f64>,
    /// [`lanes`]: one chunk per pair of units.
    pairs: Vec<F64x2>,
}

/// Calls `gradient_for::<$lane, M>(activation, …)` with the activation a constant and M = 2
/// (the lab's inputs) or 0 (any m), so that each combination is compiled as its own loop: the
/// sigmoid, tanh and ReLU with both, leaky ReLU and softplus with M = 0 only.
macro_rules! specialise {
    ($lane:ty, $weights:ident, $($arg:expr),*) => {
        match ($weights.activation, $weights.inputs == 2) {
            (Activation::Sigmoid, true) => gradient_for::<$lane, 2>(Activation::Sigmoid, $weights, $($arg),*),
            (Activation::Sigmoid, false) => gradient_for::<$lane, 0>(Activation::Sigmoid, $weights, $($arg),*),
            (Activation::Tanh, true) => gradient_for::<$lane, 2>(Activation::Tanh, $weights, $($arg),*),
            (Activation::Tanh, false) => gradient_for::<$lane, 0>(Activation::Tanh, $weights, $($arg),*),
            (Activation::Relu, true) => gradient_for::<$lane, 2>(Activation::Relu, $weights, $($arg),*),
            (Activation::Relu, false) => gradient_for::<$lane, 0>(Activation::Relu, $weights, $($arg),*),
            (Activation::LeakyRelu, _) => gradient_for::<$lane, 0>(Activation::LeakyRelu, $weights, $($arg),*),
            (Activation::Softplus, _) => gradient_for::<$lane, 0>(Activation::Softplus, $weights, $($arg),*),
        }
    };
}

/// Writes ∂/∂A (h×m row-major) and ∂/∂b of the mean loss over the batch into `da` and `db`
/// and returns the mean loss. `xs` holds the examples' inputs, m numbers each; the batch has
/// `ys.len()` examples (a shorter `xs` leaves the rest out, as the per-example path does).
pub fn fused(
    weights: Weights,
    xs: &[f64],
    ys: &[f64],
    scratch: &mut Scratch,
    da: &mut [f64],
    db: &mut [f64],
) -> f64 {
    specialise!(f64, weights, xs, ys, &mut scratch.units, da, db)
}

/// [`fused`] with two hidden units per operation, in [`F64x2`] lanes.
pub fn lanes(
    weights: Weights,
    xs: &[f64],
    ys: &[f64],
    scratch: &mut Scratch,
    da: &mut [f64],
    db: &mut [f64],
) -> f64 {
    specialise!(F64x2, weights, xs, ys, &mut scratch.pairs, da, db)
}

/// The numbers the kernel works in: f64, one hidden unit at a time, or [`F64x2`], two.
pub trait Lane: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> {
    /// Hidden units per value.
    const UNITS: usize;
    fn splat(value: f64) -> Self;
    /// `value(j)` for units j = first, first + 1, …, and 0 for units ≥ h.
    fn from_units(value: impl Fn(usize) -> f64, first: usize, h: usize) -> Self;
    /// Unit first + `lane`'s value.
    fn lane(self, lane: usize) -> f64;
    /// `sum` plus each lane, in unit order. (A zero unit after an odd h adds 0·σ(±0) = ±0,
    /// which changes no sum that starts at +0: such a sum is never −0, and s + ±0 = s.)
    fn add_lanes_to(self, sum: f64) -> f64;
    /// σ(z1) and σ′, as [`Activation::value`] and [`Activation::derivative_from_output`].
    fn activate(activation: Activation, z1: Self, constants: &ExpConstants) -> (Self, Self);
}

impl Lane for f64 {
    const UNITS: usize = 1;

    #[inline(always)]
    fn splat(value: f64) -> Self {
        value
    }

    #[inline(always)]
    fn from_units(value: impl Fn(usize) -> f64, first: usize, _h: usize) -> Self {
        value(first)
    }

    #[inline(always)]
    fn lane(self, _lane: usize) -> f64 {
        self
    }

    #[inline(always)]
    fn add_lanes_to(self, sum: f64) -> f64 {
        sum + self
    }

    #[inline(always)]
    fn activate(activation: Activation, z1: f64, _constants: &ExpConstants) -> (f64, f64) {
        let z2 = activation.value(z1);
        (z2, activation.derivative_from_output(z1, z2))
    }
}

impl Lane for F64x2 {
    const UNITS: usize = 2;

    #[inline(always)]
    fn splat(value: f64) -> Self {
        F64x2::splat(value)
    }

    #[inline(always)]
    fn from_units(value: impl Fn(usize) -> f64, first: usize, h: usize) -> Self {
        let second = if first + 1 < h { value(first + 1) } else { 0.0 };
        F64x2::new(value(first), second)
    }

    #[inline(always)]
    fn lane(self, lane: usize) -> f64 {
        self.to_array()[lane]
    }

    #[inline(always)]
    fn add_lanes_to(self, sum: f64) -> f64 {
        let [first, second] = self.to_array();
        (sum + first) + second
    }

    #[inline(always)]
    fn activate(activation: Activation, z1: F64x2, constants: &ExpConstants) -> (F64x2, F64x2) {
        let (zero, one) = (F64x2::splat(0.0), constants.one);
        match activation {
            // σ = 1/(1 + e) for z1 ≥ 0, else e/(1 + e), with e = exp(−|z1|); σ′ = σ(1 − σ).
            Activation::Sigmoid => {
                let e = exp_lanes_with(-z1.abs(), constants);
                let z2 = z1.ge(zero).select(one, e) / (one + e);
                (z2, z2 * (one - z2))
            }
            // z1 > 0 ? z1 : 0 (NaN gives 0, as f64::max does); ReLU′ = z1 > 0 ? 1 : 0.
            Activation::Relu => {
                let positive = z1.gt(zero);
                (positive.select(z1, zero), positive.select(one, zero))
            }
            Activation::LeakyRelu => {
                let positive = z1.gt(zero);
                let slope = F64x2::splat(crate::activation::LEAKY_SLOPE);
                (positive.select(z1, slope * z1), positive.select(one, slope))
            }
            // tanh′ = 1 − tanh².
            Activation::Tanh => {
                let z2 = tanh_lanes_with(z1, constants);
                (z2, one - z2 * z2)
            }
            Activation::Softplus => {
                let [first, second] = z1.to_array();
                let (value_first, slope_first) = f64::activate(activation, first, constants);
                let (value_second, slope_second) = f64::activate(activation, second, constants);
                (
                    F64x2::new(value_first, value_second),
                    F64x2::new(slope_first, slope_second),
                )
            }
        }
    }
}

/// The values in one unit's (or pair's) chunk of scratch: A's m weights (row j; with lanes,
/// column k across the pair), b, their gradients, then σ(z1) and σ′ of the first and of the
/// second example in flight.
fn chunk_len(m: usize) -> usize {
    2 * m + 6
}

/// Where the parts of a chunk start, for m inputs.
#[derive(Clone, Copy)]
struct Layout {
    m: usize,
}

impl Layout {
    #[inline(always)]
    fn b(self) -> usize {
        self.m
    }
    #[inline(always)]
    fn da(self) -> usize {
        self.m + 1
    }
    #[inline(always)]
    fn db(self) -> usize {
        2 * self.m + 1
    }
    /// σ(z1) of example `e` (0 or 1); σ′ follows it.
    #[inline(always)]
    fn z2(self, e: usize) -> usize {
        2 * self.m + 2 + 2 * e
    }
}

#[inline(always)]
fn gradient_for<L: Lane, const M: usize>(
    activation: Activation,
    weights: Weights,
    xs: &[f64],
    ys: &[f64],
    scratch: &mut Vec<L>,
    da: &mut [f64],
    db: &mut [f64],
) -> f64 {
    let m = if M == 0 { weights.inputs } else { M };
    let h = weights.b.len();
    let at = Layout { m };
    let stride = chunk_len(m);
    let zero = L::splat(0.0);
    scratch.resize(h.div_ceil(L::UNITS) * stride, zero);
    for (group, chunk) in scratch.chunks_exact_mut(stride).enumerate() {
        let first = group * L::UNITS;
        for (k, weight) in chunk[..m].iter_mut().enumerate() {
            *weight = L::from_units(|j| weights.a[j * m + k], first, h);
        }
        chunk[at.b()] = L::from_units(|j| weights.b[j], first, h);
        chunk[at.da()..].fill(zero);
    }
    let weight = 1.0 / ys.len() as f64;
    let constants = ExpConstants::opaque();
    let count = ys.len().min(xs.len() / m);
    let mut total = 0.0;
    let mut i = 0;
    while i + 2 <= count {
        let examples = Examples {
            x: &xs[i * m..(i + 2) * m],
            y: &ys[i..i + 2],
            weight,
        };
        let (first, second) =
            gradient_of_examples::<L, M, true>(activation, m, examples, scratch, &constants);
        total += first;
        total += second;
        i += 2;
    }
    if i < count {
        let example = Examples {
            x: &xs[i * m..(i + 1) * m],
            y: &ys[i..i + 1],
            weight,
        };
        total += gradient_of_one(activation, m, example, scratch);
    }
    // Back to the network's layout, ∂/∂A row-major and ∂/∂b, without a zero unit.
    for (group, chunk) in scratch.chunks_exact(stride).enumerate() {
        for lane in 0..L::UNITS {
            let j = group * L::UNITS + lane;
            if j < h {
                for (k, g) in da[j * m..(j + 1) * m].iter_mut().enumerate() {
                    *g = chunk[at.da() + k].lane(lane);
                }
                db[j] = chunk[at.db()].lane(lane);
            }
        }
    }
    total * weight
}

/// The last example of an odd batch, in code shared by every activation and m.
#[inline(never)]
fn gradient_of_one<L: Lane>(
    activation: Activation,
    m: usize,
    example: Examples,
    scratch: &mut [L],
) -> f64 {
    let constants = ExpConstants::new();
    gradient_of_examples::<L, 0, false>(activation, m, example, scratch, &constants).0
}

/// One example, or two (TWO), of a batch whose examples each weigh `weight` in the mean.
#[derive(Clone, Copy)]
struct Examples<'a> {
    x: &'a [f64],
    y: &'a [f64],
    weight: f64,
}

/// An example's inputs: each x_k splatted, made once where m = 2.
#[derive(Clone, Copy)]
struct Inputs<'a, L, const M: usize> {
    x: &'a [f64],
    two: [L; 2],
}

impl<'a, L: Lane, const M: usize> Inputs<'a, L, M> {
    #[inline(always)]
    fn new(x: &'a [f64]) -> Self {
        let two = if M == 2 {
            [L::splat(x[0]), L::splat(x[1])]
        } else {
            [L::splat(0.0); 2]
        };
        Inputs { x, two }
    }

    /// Σ_k row_k·x_k in index order.
    #[inline(always)]
    fn dot(&self, row: &[L]) -> L {
        if M == 2 {
            row[0] * self.two[0] + row[1] * self.two[1]
        } else {
            let mut sum = row[0] * L::splat(self.x[0]);
            for (&w, &xk) in row.iter().zip(self.x).skip(1) {
                sum = sum + w * L::splat(xk);
            }
            sum
        }
    }

    /// g += scale·x, element by element.
    #[inline(always)]
    fn add_scaled(&self, g: &mut [L], scale: L) {
        if M == 2 {
            g[0] = g[0] + scale * self.two[0];
            g[1] = g[1] + scale * self.two[1];
        } else {
            for (g, &xk) in g.iter_mut().zip(self.x) {
                *g = *g + scale * L::splat(xk);
            }
        }
    }
}

/// The forward and backward passes of one example, or two (TWO), chunk by chunk, adding
/// their shares to the gradients in the chunks; returns their losses (0 for an absent
/// second). Example 1's values are z…, example 2's w….
#[inline(always)]
fn gradient_of_examples<L: Lane, const M: usize, const TWO: bool>(
    activation: Activation,
    m: usize,
    examples: Examples,
    scratch: &mut [L],
    constants: &ExpConstants,
) -> (f64, f64) {
    let m = if M == 0 { m } else { M };
    let at = Layout { m };
    let (x, u) = examples.x.split_at(m);
    let x = Inputs::<L, M>::new(x);
    let u = Inputs::<L, M>::new(if TWO { u } else { x.x });
    // Forward: z1 = Ax, z2 = σ(z1) (σ′ kept too), z3 = bᵀz2.
    let (mut z3, mut w3) = (0.0, 0.0);
    for chunk in scratch.chunks_exact_mut(chunk_len(m)) {
        let b = chunk[at.b()];
        let (z2, slope) = L::activate(activation, x.dot(&chunk[..m]), constants);
        chunk[at.z2(0)] = z2;
        chunk[at.z2(0) + 1] = slope;
        z3 = (b * z2).add_lanes_to(z3);
        if TWO {
            let (w2, slope) = L::activate(activation, u.dot(&chunk[..m]), constants);
            chunk[at.z2(1)] = w2;
            chunk[at.z2(1) + 1] = slope;
            w3 = (b * w2).add_lanes_to(w3);
        }
    }
    // z4 = y − z3, L = z4², ∂L/∂z3 = −2·z4.
    let z4 = examples.y[0] - z3;
    let w4 = if TWO { examples.y[1] - w3 } else { 0.0 };
    let (dz3, dw3) = (-(2.0 * z4), -(2.0 * w4));
    let weight = examples.weight;
    let (weighted_dz3, weighted_dw3) = (L::splat(weight * dz3), L::splat(weight * dw3));
    let (dz3, dw3, weight) = (L::splat(dz3), L::splat(dw3), L::splat(weight));
    // Backward: ∂/∂b_j += w·∂L/∂z3·z2_j, ∂L/∂z1_j = ∂L/∂z3·b_j·σ′_j, ∂/∂A_j += w·∂L/∂z1_j·xᵀ.
    for chunk in scratch.chunks_exact_mut(chunk_len(m)) {
        let b = chunk[at.b()];
        chunk[at.db()] = chunk[at.db()] + weighted_dz3 * chunk[at.z2(0)];
        let scale = weight * ((dz3 * b) * chunk[at.z2(0) + 1]);
        x.add_scaled(&mut chunk[at.da()..at.db()], scale);
        if TWO {
            chunk[at.db()] = chunk[at.db()] + weighted_dw3 * chunk[at.z2(1)];
            let scale = weight * ((dw3 * b) * chunk[at.z2(1) + 1]);
            u.add_scaled(&mut chunk[at.da()..at.db()], scale);
        }
    }
    (z4 * z4, w4 * w4)
}
