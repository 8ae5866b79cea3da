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
//! What differs is the loop: no per-example arrays (σ(z1) and σ′ of the examples in flight
//! sit in scratch space of size h, allocated once), two examples per iteration sharing each
//! load of the weights, and m = 2 (the lab's inputs [x, 1]) compiled as its own case.
//! [`lanes`] goes further: two hidden units per operation in [`F64x2`] lanes, which are
//! WebAssembly SIMD in the wasm build, with [`exp_lanes`] for the sigmoid and tanh.

use crate::activation::Activation;
use crate::lanes::F64x2;
use crate::math::exp_lanes;

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
    /// The method training uses in this build: the lanes where they are WebAssembly SIMD, the
    /// scalar fused kernel elsewhere (as fast or faster without SIMD, measured in `make bench`).
    pub const FASTEST: Method = if crate::lanes::SIMD {
        Method::Lanes
    } else {
        Method::Fused
    };

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
    /// [`fused`]: σ(z1) and σ′ of each unit for the examples in flight.
    units: Vec<f64>,
    /// [`lanes`]: per pair of units, A's columns, b, their gradients, and σ(z1) and σ′.
    pairs: Vec<F64x2>,
}

/// Calls `$run::<M>(activation, …)` with the activation a constant and M = 2 or 0 (any m), so
/// each combination is compiled as its own loop.
macro_rules! specialise {
    ($run:ident, $weights:ident, $($arg:ident),*) => {
        match ($weights.activation, $weights.inputs == 2) {
            (Activation::Sigmoid, true) => $run::<2>(Activation::Sigmoid, $weights, $($arg),*),
            (Activation::Sigmoid, false) => $run::<0>(Activation::Sigmoid, $weights, $($arg),*),
            (Activation::Tanh, true) => $run::<2>(Activation::Tanh, $weights, $($arg),*),
            (Activation::Tanh, false) => $run::<0>(Activation::Tanh, $weights, $($arg),*),
            (Activation::Relu, true) => $run::<2>(Activation::Relu, $weights, $($arg),*),
            (Activation::Relu, false) => $run::<0>(Activation::Relu, $weights, $($arg),*),
            (Activation::LeakyRelu, true) => $run::<2>(Activation::LeakyRelu, $weights, $($arg),*),
            (Activation::LeakyRelu, false) => $run::<0>(Activation::LeakyRelu, $weights, $($arg),*),
            (Activation::Softplus, _) => $run::<0>(Activation::Softplus, $weights, $($arg),*),
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
    specialise!(fused_for, weights, xs, ys, scratch, da, db)
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
    specialise!(lanes_for, weights, xs, ys, scratch, da, db)
}

/// σ(z1) and σ′ for one unit, by the functions the per-example path uses.
#[inline(always)]
fn activate(activation: Activation, z1: f64) -> (f64, f64) {
    let z2 = activation.value(z1);
    (z2, activation.derivative_from_output(z1, z2))
}

/// [`activate`] for two units: lane by lane the same operations.
#[inline(always)]
fn activate_lanes(activation: Activation, z1: F64x2) -> (F64x2, F64x2) {
    let (zero, one) = (F64x2::splat(0.0), F64x2::splat(1.0));
    match activation {
        // σ = 1/(1 + e) for z1 ≥ 0, else e/(1 + e), with e = exp(−|z1|); σ′ = σ(1 − σ).
        Activation::Sigmoid => {
            let e = exp_lanes(-z1.abs());
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
            let z2 = z1.map(|z| activation.value(z));
            (z2, one - z2 * z2)
        }
        Activation::Softplus => {
            let [first, second] = z1.to_array();
            let (value_first, slope_first) = activate(activation, first);
            let (value_second, slope_second) = activate(activation, second);
            (
                F64x2::new(value_first, value_second),
                F64x2::new(slope_first, slope_second),
            )
        }
    }
}

#[inline(always)]
fn fused_for<const M: usize>(
    activation: Activation,
    weights: Weights,
    xs: &[f64],
    ys: &[f64],
    scratch: &mut Scratch,
    da: &mut [f64],
    db: &mut [f64],
) -> f64 {
    let m = if M == 0 { weights.inputs } else { M };
    let weight = 1.0 / ys.len() as f64;
    da.fill(0.0);
    db.fill(0.0);
    // σ(z1) and σ′ of unit j for the two examples in flight: units[4j..4j + 4].
    scratch.units.resize(4 * weights.b.len(), 0.0);
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
            fused_examples::<M, true>(activation, &weights, examples, &mut scratch.units, da, db);
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
        total +=
            fused_examples::<M, false>(activation, &weights, example, &mut scratch.units, da, db).0;
    }
    total * weight
}

/// One example, or two (TWO), of a batch whose examples each weigh `weight` in the mean.
#[derive(Clone, Copy)]
struct Examples<'a> {
    x: &'a [f64],
    y: &'a [f64],
    weight: f64,
}

/// The forward and backward passes of one or two examples, unit by unit, adding their shares
/// to ∂/∂A and ∂/∂b; returns their losses (0 for an absent second).
#[inline(always)]
fn fused_examples<const M: usize, const TWO: bool>(
    activation: Activation,
    weights: &Weights,
    examples: Examples,
    units: &mut [f64],
    da: &mut [f64],
    db: &mut [f64],
) -> (f64, f64) {
    let m = if M == 0 { weights.inputs } else { M };
    let (x, u) = examples.x.split_at(m);
    // Forward: z1 = Ax, z2 = σ(z1) (σ′ kept too), z3 = bᵀz2; z for the first example, w for
    // the second.
    let (mut z3, mut w3) = (0.0, 0.0);
    for ((row, &b), unit) in weights
        .a
        .chunks_exact(m)
        .zip(weights.b)
        .zip(units.chunks_exact_mut(4))
    {
        let (z2, slope) = activate(activation, dot::<M>(row, x));
        unit[0] = z2;
        unit[1] = slope;
        z3 += b * z2;
        if TWO {
            let (w2, slope) = activate(activation, dot::<M>(row, u));
            unit[2] = w2;
            unit[3] = slope;
            w3 += b * w2;
        }
    }
    // z4 = y − z3, L = z4², ∂L/∂z3 = −2·z4.
    let z4 = examples.y[0] - z3;
    let w4 = if TWO { examples.y[1] - w3 } else { 0.0 };
    let (dz3, dw3) = (-(2.0 * z4), -(2.0 * w4));
    let weight = examples.weight;
    let (weighted_dz3, weighted_dw3) = (weight * dz3, weight * dw3);
    // Backward: ∂/∂b_j += w·∂L/∂z3·z2_j, ∂L/∂z1_j = ∂L/∂z3·b_j·σ′_j, ∂/∂A_j += w·∂L/∂z1_j·xᵀ.
    for (((grad_row, &b), gb), unit) in da
        .chunks_exact_mut(m)
        .zip(weights.b)
        .zip(db.iter_mut())
        .zip(units.chunks_exact(4))
    {
        *gb += weighted_dz3 * unit[0];
        add_scaled::<M>(grad_row, weight * ((dz3 * b) * unit[1]), x);
        if TWO {
            *gb += weighted_dw3 * unit[2];
            add_scaled::<M>(grad_row, weight * ((dw3 * b) * unit[3]), u);
        }
    }
    (z4 * z4, w4 * w4)
}

/// Σ_k row_k·x_k in index order.
#[inline(always)]
fn dot<const M: usize>(row: &[f64], x: &[f64]) -> f64 {
    if M == 2 {
        row[0] * x[0] + row[1] * x[1]
    } else {
        let mut sum = row[0] * x[0];
        for (w, xk) in row.iter().zip(x).skip(1) {
            sum += w * xk;
        }
        sum
    }
}

/// g += scale·x, element by element.
#[inline(always)]
fn add_scaled<const M: usize>(g: &mut [f64], scale: f64, x: &[f64]) {
    if M == 2 {
        g[0] += scale * x[0];
        g[1] += scale * x[1];
    } else {
        for (g, xk) in g.iter_mut().zip(x) {
            *g += scale * xk;
        }
    }
}

#[inline(always)]
fn lanes_for<const M: usize>(
    activation: Activation,
    weights: Weights,
    xs: &[f64],
    ys: &[f64],
    scratch: &mut Scratch,
    da: &mut [f64],
    db: &mut [f64],
) -> f64 {
    let m = if M == 0 { weights.inputs } else { M };
    let h = weights.b.len();
    let pairs = h.div_ceil(2);
    let weight = 1.0 / ys.len() as f64;
    // Per pair of units j, j + 1 (and a zero unit after the last when h is odd), `stride`
    // lanes: A's m columns, b, then the gradients of those; after all pairs, σ(z1) and σ′ of
    // both units for the two examples in flight, 4 lanes per pair.
    let stride = 2 * m + 2;
    let zero = F64x2::splat(0.0);
    scratch.pairs.resize(pairs * (stride + 4), zero);
    let (params, units) = scratch.pairs.split_at_mut(pairs * stride);
    let entry = |values: &[f64], j: usize| values.get(j).copied().unwrap_or(0.0);
    for (p, pair) in params.chunks_exact_mut(stride).enumerate() {
        let (j, next) = (2 * p, 2 * p + 1);
        for (k, column) in pair[..m].iter_mut().enumerate() {
            *column = F64x2::new(weights.a[j * m + k], entry(weights.a, next * m + k));
        }
        pair[m] = F64x2::new(weights.b[j], entry(weights.b, next));
        pair[m + 1..].fill(zero);
    }
    let count = ys.len().min(xs.len() / m);
    let mut total = 0.0;
    let mut i = 0;
    while i + 2 <= count {
        let examples = Examples {
            x: &xs[i * m..(i + 2) * m],
            y: &ys[i..i + 2],
            weight,
        };
        let (first, second) = lanes_examples::<M, true>(activation, m, examples, params, units);
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
        total += lanes_examples::<M, false>(activation, m, example, params, units).0;
    }
    // Back to the network's layout, ∂/∂A row-major and ∂/∂b, without the zero unit.
    for (p, pair) in params.chunks_exact(stride).enumerate() {
        for (lane, j) in [2 * p, 2 * p + 1].into_iter().enumerate() {
            if j < h {
                for (k, g) in da[j * m..(j + 1) * m].iter_mut().enumerate() {
                    *g = pair[m + 1 + k].to_array()[lane];
                }
                db[j] = pair[2 * m + 1].to_array()[lane];
            }
        }
    }
    total * weight
}

/// An example's inputs as lanes: each x_k in both lanes, made once where m = 2.
#[derive(Clone, Copy)]
struct Inputs<'a, const M: usize> {
    x: &'a [f64],
    two: [F64x2; 2],
}

impl<'a, const M: usize> Inputs<'a, M> {
    #[inline(always)]
    fn new(x: &'a [f64]) -> Self {
        let two = if M == 2 {
            [F64x2::splat(x[0]), F64x2::splat(x[1])]
        } else {
            [F64x2::splat(0.0); 2]
        };
        Inputs { x, two }
    }

    /// Σ_k columns_k·x_k in index order.
    #[inline(always)]
    fn dot(&self, columns: &[F64x2]) -> F64x2 {
        if M == 2 {
            columns[0] * self.two[0] + columns[1] * self.two[1]
        } else {
            let mut sum = columns[0] * F64x2::splat(self.x[0]);
            for (&column, &xk) in columns.iter().zip(self.x).skip(1) {
                sum = sum + column * F64x2::splat(xk);
            }
            sum
        }
    }

    /// g += scale·x, element by element.
    #[inline(always)]
    fn add_scaled(&self, g: &mut [F64x2], scale: F64x2) {
        if M == 2 {
            g[0] = g[0] + scale * self.two[0];
            g[1] = g[1] + scale * self.two[1];
        } else {
            for (g, &xk) in g.iter_mut().zip(self.x) {
                *g = *g + scale * F64x2::splat(xk);
            }
        }
    }
}

/// [`fused_examples`] over pairs of units.
#[inline(always)]
fn lanes_examples<const M: usize, const TWO: bool>(
    activation: Activation,
    m: usize,
    examples: Examples,
    params: &mut [F64x2],
    units: &mut [F64x2],
) -> (f64, f64) {
    let m = if M == 0 { m } else { M };
    let stride = 2 * m + 2;
    let (x, u) = examples.x.split_at(m);
    let (x, u) = (
        Inputs::<M>::new(x),
        Inputs::<M>::new(if TWO { u } else { x }),
    );
    let (mut z3, mut w3) = (0.0, 0.0);
    for (pair, unit) in params.chunks_exact(stride).zip(units.chunks_exact_mut(4)) {
        let b = pair[m];
        let (z2, slope) = activate_lanes(activation, x.dot(&pair[..m]));
        unit[0] = z2;
        unit[1] = slope;
        // z3 in unit order: unit j (lane 0), then unit j + 1 (lane 1). The zero unit after an
        // odd h adds 0·σ(±0) = ±0, which leaves z3 as it is (z3 starts at +0, so it is
        // never −0, and z3 + ±0 = z3).
        let [first, second] = (b * z2).to_array();
        z3 += first;
        z3 += second;
        if TWO {
            let (w2, slope) = activate_lanes(activation, u.dot(&pair[..m]));
            unit[2] = w2;
            unit[3] = slope;
            let [first, second] = (b * w2).to_array();
            w3 += first;
            w3 += second;
        }
    }
    let z4 = examples.y[0] - z3;
    let w4 = if TWO { examples.y[1] - w3 } else { 0.0 };
    let (dz3, dw3) = (-(2.0 * z4), -(2.0 * w4));
    let weight = examples.weight;
    let (weighted_dz3, weighted_dw3) = (F64x2::splat(weight * dz3), F64x2::splat(weight * dw3));
    let (dz3, dw3, weight) = (F64x2::splat(dz3), F64x2::splat(dw3), F64x2::splat(weight));
    for (pair, unit) in params.chunks_exact_mut(stride).zip(units.chunks_exact(4)) {
        let (b, grads) = (pair[m], &mut pair[m + 1..]);
        grads[m] = grads[m] + weighted_dz3 * unit[0];
        x.add_scaled(&mut grads[..m], weight * ((dz3 * b) * unit[1]));
        if TWO {
            grads[m] = grads[m] + weighted_dw3 * unit[2];
            u.add_scaled(&mut grads[..m], weight * ((dw3 * b) * unit[3]));
        }
    }
    (z4 * z4, w4 * w4)
}
