//! The network seen along two of its weights, for the surface and the path: what every other
//! weight contributes, worked out once per call.

use super::{Parameter, View, MINIMUM_DISTANCE};
use crate::activation::Activation;
use crate::math::exp;
use crate::network::Network;

/// Where a touched unit's b_j comes from.
#[derive(Clone, Copy, Debug)]
enum Weight {
    Fixed(f64),
    /// The value of axis 0 (x) or 1 (y).
    Axis(usize),
}

/// A hidden unit one of the two weights belongs to.
struct Touched {
    unit: usize,
    b: Weight,
    /// The entries of row j that an axis sets: (axis, column k).
    a: Vec<(usize, usize)>,
    /// z1_ij without those entries, for every example i.
    base: Vec<f64>,
}

impl Touched {
    /// The axis that sets this unit's weight (when only one does).
    fn axis(&self) -> usize {
        match (self.a.first(), self.b) {
            (Some(&(axis, _)), _) | (None, Weight::Axis(axis)) => axis,
            (None, Weight::Fixed(_)) => 0,
        }
    }
}

/// The network seen along two of its weights: what everything else contributes, worked out
/// once, so each point of the surface or the path only recomputes the one or two units the
/// weights touch.
pub(super) struct Slice<'a> {
    activation: Activation,
    inputs: usize,
    xs: &'a [f64],
    /// r_i = y_i − Σ b_j σ(z1_ij) over the units neither weight touches.
    rest: Vec<f64>,
    /// The touched units, in the network's order.
    units: Vec<Touched>,
}

impl<'a> Slice<'a> {
    pub(super) fn new(
        network: &Network,
        xs: &'a [f64],
        ys: &[f64],
        axes: [Parameter; 2],
    ) -> Slice<'a> {
        let (m, activation) = (network.inputs(), network.activation());
        let (a, b) = (network.weights_a(), network.weights_b());
        let mut units: Vec<Touched> = Vec::with_capacity(2);
        for (axis, parameter) in axes.into_iter().enumerate() {
            let unit = parameter.unit();
            let t = match units.iter().position(|u| u.unit == unit) {
                Some(t) => t,
                None => {
                    units.push(Touched {
                        unit,
                        b: Weight::Fixed(b[unit]),
                        a: Vec::with_capacity(2),
                        base: Vec::with_capacity(ys.len()),
                    });
                    units.len() - 1
                }
            };
            match parameter {
                Parameter::A { column, .. } => units[t].a.push((axis, column)),
                Parameter::B { .. } => units[t].b = Weight::Axis(axis),
            }
        }
        units.sort_by_key(|u| u.unit);
        let mut rest = Vec::with_capacity(ys.len());
        for (x, &y) in xs.chunks_exact(m).zip(ys) {
            let mut f = 0.0;
            for (j, row) in a.chunks_exact(m).enumerate() {
                match units.iter_mut().find(|u| u.unit == j) {
                    Some(u) => {
                        let z1 = (0..m)
                            .filter(|&k| !u.a.iter().any(|&(_, c)| c == k))
                            .map(|k| row[k] * x[k])
                            .sum();
                        u.base.push(z1);
                    }
                    None => {
                        let z1: f64 = row.iter().zip(x).map(|(w, xk)| w * xk).sum();
                        f += b[j] * activation.value(z1); // z3 = bᵀσ(z1), the untouched part
                    }
                }
            }
            rest.push(y - f);
        }
        Slice {
            activation,
            inputs: m,
            xs,
            rest,
            units,
        }
    }

    /// A touched unit on example i with the axes at `at`: z1, its b_j and σ(z1).
    #[inline]
    fn unit(&self, u: &Touched, i: usize, at: [f64; 2]) -> (f64, f64, f64) {
        let x = &self.xs[i * self.inputs..];
        let mut z1 = u.base[i];
        for &(axis, k) in &u.a {
            z1 += at[axis] * x[k];
        }
        let b = match u.b {
            Weight::Fixed(b) => b,
            Weight::Axis(axis) => at[axis],
        };
        (z1, b, self.activation.value(z1))
    }

    /// The mean loss at `at` and its gradient with respect to the two weights, by the
    /// worksheet's backward pass restricted to the touched units.
    pub(super) fn point(&self, at: [f64; 2]) -> (f64, [f64; 2]) {
        let (mut total, mut gradient) = (0.0, [0.0; 2]);
        for (i, &r) in self.rest.iter().enumerate() {
            let mut parts = [(0.0, 0.0, 0.0); 2];
            let mut f = 0.0;
            for (part, u) in parts.iter_mut().zip(&self.units) {
                *part = self.unit(u, i, at);
                f += part.1 * part.2;
            }
            let z4 = r - f; // z4 = y − z3
            total += z4 * z4; // L = z4²
            let dz3 = -2.0 * z4; // ∂L/∂z3
            for (&(z1, b, z2), u) in parts.iter().zip(&self.units) {
                if let Weight::Axis(axis) = u.b {
                    gradient[axis] += dz3 * z2; // ∂L/∂b_j = ∂L/∂z3 · z2
                }
                let dz1 = dz3 * b * self.activation.derivative_from_output(z1, z2);
                for &(axis, k) in &u.a {
                    gradient[axis] += dz1 * self.xs[i * self.inputs + k]; // ∂L/∂A_jk = ∂L/∂z1 · x_k
                }
            }
        }
        let n = self.rest.len() as f64;
        (total / n, gradient.map(|g| g / n))
    }

    /// Whether a minimum lies within [`MINIMUM_DISTANCE`] × `half_width` of `at`, where the
    /// gradient is `gradient`: the Hessian (central differences of the gradient) is positive
    /// definite and the Newton step H⁻¹g is that short.
    pub(super) fn near_minimum(&self, at: [f64; 2], gradient: [f64; 2], half_width: f64) -> bool {
        let h = half_width * 1e-3;
        let column = |axis: usize| {
            let (mut low, mut high) = (at, at);
            low[axis] -= h;
            high[axis] += h;
            let (low, high) = (self.point(low).1, self.point(high).1);
            [0, 1].map(|i| (high[i] - low[i]) / (2.0 * h))
        };
        let (first, second) = (column(0), column(1));
        let (a, b, d) = (first[0], (first[1] + second[0]) / 2.0, second[1]);
        let det = a * d - b * b;
        if !(a > 0.0 && det > 0.0) {
            return false;
        }
        let newton = [
            (d * gradient[0] - b * gradient[1]) / det,
            (a * gradient[1] - b * gradient[0]) / det,
        ];
        newton[0].hypot(newton[1]) <= MINIMUM_DISTANCE * half_width
    }

    /// σ(z1_ij) of a touched unit for every example i into `out`, with the axes at `at`;
    /// returns the unit's b_j.
    fn fill(&self, u: &Touched, at: [f64; 2], out: &mut [f64]) -> f64 {
        out.copy_from_slice(&u.base);
        for &(axis, k) in &u.a {
            let w = at[axis];
            for (z1, x) in out.iter_mut().zip(self.xs.chunks_exact(self.inputs)) {
                *z1 += w * x[k];
            }
        }
        activate(self.activation, out);
        match u.b {
            Weight::Fixed(b) => b,
            Weight::Axis(axis) => at[axis],
        }
    }

    /// The mean loss at every point of an N × N grid over `view`, row-major from the lowest y.
    pub(super) fn grid(&self, view: &View, count: usize) -> Vec<f64> {
        let (along, up) = (view.x.values(count), view.y.values(count));
        let n = self.rest.len();
        let mut values = vec![0.0; count * count];
        let mut z2 = vec![0.0; n];
        match self.units.as_slice() {
            [first, second] => {
                // Each unit follows one axis: z4 = (r − b_j σ(z1_j)) − b_l σ(z1_l), with the
                // y-axis unit's σ and b kept for every row.
                let (across, upward) = if first.axis() == 0 {
                    (first, second)
                } else {
                    (second, first)
                };
                let mut table = vec![0.0; count * n];
                let coefficients: Vec<f64> = up
                    .iter()
                    .zip(table.chunks_exact_mut(n))
                    .map(|(&v, row)| self.fill(upward, [v, v], row))
                    .collect();
                let mut rest = vec![0.0; n];
                for (c, &u) in along.iter().enumerate() {
                    let b = self.fill(across, [u, u], &mut z2);
                    for ((slot, r), s) in rest.iter_mut().zip(&self.rest).zip(&z2) {
                        *slot = r - b * s;
                    }
                    for (r, (row, &b)) in table.chunks_exact(n).zip(&coefficients).enumerate() {
                        values[r * count + c] = mean_square(&rest, row, b);
                    }
                }
            }
            [unit] if matches!(unit.b, Weight::Axis(_)) => {
                // A_jk on one axis, b_j on the other: σ(z1_j) follows the A axis alone.
                let b_across = matches!(unit.b, Weight::Axis(0));
                let (outer, inner) = if b_across {
                    (&up, &along)
                } else {
                    (&along, &up)
                };
                for (o, &w) in outer.iter().enumerate() {
                    self.fill(unit, [w, w], &mut z2);
                    for (i, &b) in inner.iter().enumerate() {
                        let index = if b_across {
                            o * count + i
                        } else {
                            i * count + o
                        };
                        values[index] = mean_square(&self.rest, &z2, b);
                    }
                }
            }
            [unit] => self.row_grid(unit, &along, &up, &mut values, &mut z2),
            _ => {}
        }
        values
    }

    /// Two entries of row j: σ at every grid point and example (by the shortcut of
    /// [`Slice::exponential_row_grid`] where it applies).
    fn row_grid(
        &self,
        unit: &Touched,
        along: &[f64],
        up: &[f64],
        values: &mut [f64],
        z2: &mut [f64],
    ) {
        if self.exponential_row_grid(unit, along, up, values) {
            return;
        }
        let count = along.len();
        for (r, &v) in up.iter().enumerate() {
            for (c, &u) in along.iter().enumerate() {
                let b = self.fill(unit, [u, v], z2);
                values[r * count + c] = mean_square(&self.rest, z2, b);
            }
        }
    }

    /// [`Slice::row_grid`] for sigmoid and tanh units with 2·N·n exponentials instead of
    /// N²·n activations: σ(z1) = 1 / (1 + E) with E = e^(−z1) (the definition), and
    /// tanh(z1) = 2 / (1 + E) − 1 with E = e^(−2·z1), where E = e^(−k(base + u·x_k)) ·
    /// e^(−k·v·x_k′). False (and nothing written) for other activations, or if an exponent
    /// leaves ±700, where a factor could overflow while the product would not; within it a
    /// product can only overflow or underflow where σ or tanh is at its limit to 10⁻³⁰⁰.
    fn exponential_row_grid(
        &self,
        unit: &Touched,
        along: &[f64],
        up: &[f64],
        values: &mut [f64],
    ) -> bool {
        let n = self.rest.len();
        let (k, numerator, offset) = match self.activation {
            Activation::Sigmoid => (1.0, 1.0, 0.0), // σ = 1 / (1 + e^(−z1))
            Activation::Tanh => (2.0, 2.0, -1.0),   // tanh = 2 / (1 + e^(−2·z1)) − 1
            _ => return false,
        };
        let (&[(_, across_column), (_, up_column)], Weight::Fixed(b)) = (unit.a.as_slice(), unit.b)
        else {
            return false;
        };
        let column = |k: usize| self.xs.chunks_exact(self.inputs).map(move |x| x[k]);
        let mut exponent_across = Vec::with_capacity(along.len() * n);
        for &u in along {
            exponent_across.extend(
                unit.base
                    .iter()
                    .zip(column(across_column))
                    .map(|(z, x)| -k * (z + u * x)),
            );
        }
        let mut exponent_up = Vec::with_capacity(up.len() * n);
        for &v in up {
            exponent_up.extend(column(up_column).map(|x| -k * (v * x)));
        }
        if !exponent_across
            .iter()
            .chain(&exponent_up)
            .all(|e| e.abs() <= 700.0)
        {
            return false;
        }
        for e in exponent_across.iter_mut().chain(&mut exponent_up) {
            *e = exp(*e);
        }
        let count = along.len();
        let mut z2 = vec![0.0; n];
        for (r, e_up) in exponent_up.chunks_exact(n).enumerate() {
            for (c, e_across) in exponent_across.chunks_exact(n).enumerate() {
                for ((s, a), u) in z2.iter_mut().zip(e_across).zip(e_up) {
                    *s = numerator / (1.0 + a * u) + offset;
                }
                values[r * count + c] = mean_square(&self.rest, &z2, b);
            }
        }
        true
    }
}

/// σ of every entry, in place; one loop per activation, so σ is inlined into it.
fn activate(activation: Activation, values: &mut [f64]) {
    fn each(values: &mut [f64], f: impl Fn(f64) -> f64) {
        values.iter_mut().for_each(|v| *v = f(*v));
    }
    match activation {
        Activation::Sigmoid => each(values, |z| Activation::Sigmoid.value(z)),
        Activation::Relu => each(values, |z| Activation::Relu.value(z)),
        Activation::Tanh => each(values, |z| Activation::Tanh.value(z)),
        Activation::LeakyRelu => each(values, |z| Activation::LeakyRelu.value(z)),
        Activation::Softplus => each(values, |z| Activation::Softplus.value(z)),
    }
}

/// (1/n) Σ (r_i − b·s_i)², the mean loss given the residuals r of everything else and one
/// unit's σ values s with weight b. Four running sums, so the adds do not wait on each other.
fn mean_square(rest: &[f64], z2: &[f64], b: f64) -> f64 {
    let mut lanes = [0.0; 4];
    let (rest4, z24) = (rest.chunks_exact(4), z2.chunks_exact(4));
    let tail: f64 = rest4
        .remainder()
        .iter()
        .zip(z24.remainder())
        .map(|(r, s)| (r - b * s) * (r - b * s))
        .sum();
    for (r, s) in rest4.zip(z24) {
        for k in 0..4 {
            let z4 = r[k] - b * s[k];
            lanes[k] += z4 * z4;
        }
    }
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail) / rest.len() as f64
}
