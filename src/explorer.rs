//! The backprop explorer: one example pushed through the worksheet's computation graph a
//! node at a time, forward (z1, z2, z3, z4, L) and then backward (∂L/∂z4 back to ∂L/∂A),
//! and a gradient check that compares backpropagation with central differences, with wrong
//! backward passes a student can plant to watch the check catch them.

use crate::network::{Forward, Gradients, Network, NetworkError};

/// The steps of one pass, in order. Forward steps fill a node's value, backward steps its
/// gradient; `Update` applies θ ← θ − lr·∂L/∂θ for this example.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    #[default]
    Start,
    Z1,
    Z2,
    Z3,
    Z4,
    Loss,
    DZ4,
    DZ3,
    DB,
    DZ2,
    DZ1,
    DA,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Start,
        Stage::Z1,
        Stage::Z2,
        Stage::Z3,
        Stage::Z4,
        Stage::Loss,
        Stage::DZ4,
        Stage::DZ3,
        Stage::DB,
        Stage::DZ2,
        Stage::DZ1,
        Stage::DA,
    ];
    /// The last forward stage: after it the loss is known.
    pub const FORWARD_DONE: Stage = Stage::Loss;

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(index: usize) -> Option<Stage> {
        Stage::ALL.get(index).copied()
    }

    /// The name used by the page: "start", "z1", … "dA".
    pub fn name(self) -> &'static str {
        match self {
            Stage::Start => "start",
            Stage::Z1 => "z1",
            Stage::Z2 => "z2",
            Stage::Z3 => "z3",
            Stage::Z4 => "z4",
            Stage::Loss => "L",
            Stage::DZ4 => "dz4",
            Stage::DZ3 => "dz3",
            Stage::DB => "db",
            Stage::DZ2 => "dz2",
            Stage::DZ1 => "dz1",
            Stage::DA => "dA",
        }
    }
}

/// The typed example's x and y must lie within ±this: the data live in −3…3, and far outside
/// every sigmoid unit is saturated and the loss is all y, so the example teaches nothing new.
pub const EXAMPLE_LIMIT: f64 = 10.0;
/// The learning rates the explorer's Update offers, and the one it starts at.
pub const UPDATE_RATES: [f64; 7] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0];
pub const UPDATE_RATE: f64 = 0.1;

/// Checks a typed example; the message says what is allowed and why.
pub fn check_example(x: f64, y: f64) -> Result<(), String> {
    let inside = |v: f64| v.is_finite() && v.abs() <= EXAMPLE_LIMIT;
    if inside(x) && inside(y) {
        Ok(())
    } else {
        Err(format!(
            "x and y must be numbers from −{limit} to {limit}: the data lie between −3 and 3, \
             and much further out every sigmoid unit is saturated, so the pass shows nothing new",
            limit = EXAMPLE_LIMIT
        ))
    }
}

/// How far a student has stepped through one pass: which values are revealed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Explorer {
    stage: Stage,
}

impl Explorer {
    pub fn new() -> Self {
        Explorer::default()
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Whether a stage's value or gradient has been revealed.
    pub fn revealed(&self, stage: Stage) -> bool {
        stage <= self.stage
    }

    /// Reveals the next forward value; false once the loss is known.
    pub fn forward_step(&mut self) -> bool {
        self.advance(|stage| stage < Stage::FORWARD_DONE)
    }

    /// Reveals the next gradient; false before the forward pass is done or after ∂L/∂A.
    pub fn backward_step(&mut self) -> bool {
        self.advance(|stage| stage >= Stage::FORWARD_DONE && stage < Stage::DA)
    }

    fn advance(&mut self, allowed: impl Fn(Stage) -> bool) -> bool {
        if !allowed(self.stage) {
            return false;
        }
        match Stage::from_index(self.stage.index() + 1) {
            Some(next) => {
                self.stage = next;
                true
            }
            None => false,
        }
    }

    /// Reveals everything.
    pub fn run_all(&mut self) {
        self.stage = Stage::DA;
    }

    /// Hides everything again.
    pub fn reset_pass(&mut self) {
        self.stage = Stage::Start;
    }
}

/// One example's pass through a network: every forward value and every gradient, computed at
/// once by the core's own forward and backward passes (the explorer reveals them in order).
#[derive(Clone, Debug, PartialEq)]
pub struct Pass {
    pub x: Vec<f64>,
    pub y: f64,
    pub forward: Forward,
    pub gradients: Gradients,
}

impl Pass {
    pub fn new(network: &Network, x: &[f64], y: f64) -> Result<Self, NetworkError> {
        let (forward, gradients) = network.backward(x, y)?;
        Ok(Pass {
            x: x.to_vec(),
            y,
            forward,
            gradients,
        })
    }
}

/// A wrong backward pass, planted on purpose; the real one is never changed by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bug {
    /// The correct backward pass.
    None,
    /// ∂L/∂z1 = ∂L/∂z2, leaving out σ′(z1).
    ForgetActivationDerivative,
    /// ∂L/∂z3 = +2·z4, leaving out ∂z4/∂z3 = −1.
    ForgetMinusOne,
    /// x·∂L/∂z1ᵀ (an m×h matrix) read as if it were the h×m ∂L/∂A.
    XInsteadOfXTranspose,
}

impl Bug {
    pub const ALL: [Bug; 4] = [
        Bug::None,
        Bug::ForgetActivationDerivative,
        Bug::ForgetMinusOne,
        Bug::XInsteadOfXTranspose,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Bug::None => "none",
            Bug::ForgetActivationDerivative => "forget-derivative",
            Bug::ForgetMinusOne => "forget-minus-one",
            Bug::XInsteadOfXTranspose => "x-not-transposed",
        }
    }

    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }
}

/// ∂L/∂A and ∂L/∂b by a backward pass with `bug` planted in it.
pub fn backward_with_bug(
    network: &Network,
    x: &[f64],
    y: f64,
    bug: Bug,
) -> Result<(Vec<f64>, Vec<f64>), NetworkError> {
    let (forward, correct) = network.backward(x, y)?;
    if bug == Bug::None {
        return Ok((correct.da, correct.db));
    }
    let (m, h) = (network.inputs(), network.hidden());
    let activation = network.activation();
    let b = network.weights_b();
    let dz3 = if bug == Bug::ForgetMinusOne {
        2.0 * forward.z4
    } else {
        -2.0 * forward.z4
    };
    let db: Vec<f64> = forward.z2.iter().map(|z2| dz3 * z2).collect();
    let dz1: Vec<f64> = (0..h)
        .map(|j| {
            let dz2 = dz3 * b[j];
            if bug == Bug::ForgetActivationDerivative {
                dz2
            } else {
                dz2 * activation.derivative_from_output(forward.z1[j], forward.z2[j])
            }
        })
        .collect();
    let da = (0..h * m)
        .map(|index| {
            if bug == Bug::XInsteadOfXTranspose {
                // Entry `index` of the m×h matrix x·dz1ᵀ, stored row-major.
                x[index / h] * dz1[index % h]
            } else {
                dz1[index / m] * x[index % m]
            }
        })
        .collect();
    Ok((da, db))
}

/// What a comparison of backpropagation with finite differences can say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Within the tolerance, even allowing for the finite difference's own error.
    Agree,
    /// Apart by more than the tolerance, even allowing for the finite difference's own error.
    Disagree,
    /// float64 cannot tell at these magnitudes: the finite difference's own error (rounding in
    /// the loss, or the curvature of the loss within the step) is larger than the tolerance.
    Undecided,
}

/// One parameter's row of the gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    /// `"A[1,2]"` or `"b[3]"` (1-based, as written on paper).
    pub parameter: String,
    pub backprop: f64,
    pub numeric: f64,
    /// |backprop − numeric| / max(|backprop|, |numeric|, floor); NaN where not computable.
    pub relative_error: f64,
    /// A bound on the finite difference's own error, on the same relative scale.
    pub uncertainty: f64,
    pub verdict: Verdict,
}

/// The backprop gradient (possibly with a bug) against central differences, entry by entry.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientCheck {
    pub rows: Vec<CheckRow>,
    /// The largest relative error among the rows that could be decided (0 if none).
    pub largest: f64,
    /// Disagree if any row does, else Undecided if any row is, else Agree.
    pub verdict: Verdict,
}

/// Two gradients agree when their relative difference is below this.
pub const TOLERANCE: f64 = 1e-5;

/// Relative error |a − b| / max(|a|, |b|, floor). The floor keeps entries that are nearly 0
/// (a saturated unit's) from turning tiny absolute differences into huge ratios.
pub fn relative_error(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor)
}

/// The floor used by [`gradient_check`]: 1/100 of the largest entry, so every entry is
/// compared at the scale of the gradient it belongs to.
pub const FLOOR_FRACTION: f64 = 1e-2;

/// An upper bound on the rounding error in the loss at (x, y), from the sizes of the numbers
/// the forward pass adds up (each operation errs by at most one unit in the last place,
/// 2⁻⁵³ relative; the exponential by 3), with a safety factor of 4.
pub fn loss_rounding_bound(network: &Network, x: &[f64], y: f64) -> f64 {
    let u = f64::EPSILON / 2.0;
    let (m, h) = (network.inputs(), network.hidden());
    let (a, b) = (network.weights_a(), network.weights_b());
    let activation = network.activation();
    let (mut z3, mut sum_bz2, mut dz3) = (0.0_f64, 0.0_f64, 0.0_f64);
    for j in 0..h {
        let row = &a[j * m..(j + 1) * m];
        let z1: f64 = row.iter().zip(x).map(|(w, xi)| w * xi).sum();
        let size1: f64 = row.iter().zip(x).map(|(w, xi)| (w * xi).abs()).sum();
        let dz1 = (m as f64 + 1.0) * u * size1;
        let z2 = activation.value(z1);
        let slope = activation.derivative(z1).abs();
        let dz2 = 8.0 * u * z2.abs() + slope * dz1;
        z3 += b[j] * z2;
        sum_bz2 += (b[j] * z2).abs();
        dz3 += b[j].abs() * dz2;
    }
    let dz3 = dz3 + (h as f64 + 1.0) * u * sum_bz2;
    let z4 = y - z3;
    let dz4 = u * (y.abs() + z3.abs()) + dz3;
    4.0 * (2.0 * z4.abs() * dz4 + dz4 * dz4 + u * z4 * z4)
}

/// Compares every entry of ∂L/∂A and ∂L/∂b from the (possibly buggy) backward pass with the
/// central difference D(ε) = (L(θ + ε) − L(θ − ε)) / 2ε, and gives a verdict that is never
/// wrong: the finite difference's own error is bounded by the loss's rounding error
/// ([`loss_rounding_bound`]) over ε plus |D(ε) − D(2ε)| (the curvature within the step), and
/// an entry only agrees (or disagrees) if it does for every value within that bound. The step
/// ε is ∛(2⁻⁵²) times the parameter's size or the size that moves z1 by about 1, whichever is
/// larger, and for ReLU-like units never so large that z1 crosses the kink at 0.
pub fn gradient_check(
    network: &Network,
    x: &[f64],
    y: f64,
    bug: Bug,
) -> Result<GradientCheck, NetworkError> {
    let (da, db) = backward_with_bug(network, x, y, bug)?;
    let (m, h) = (network.inputs(), network.hidden());
    let rounding = loss_rounding_bound(network, x, y);
    let mut probe = network.clone();
    let (a, b) = (network.weights_a(), network.weights_b());
    let cube_root_epsilon = f64::EPSILON.cbrt();
    let kinked = network.activation().derivative_jumps_at_zero();
    let z1 = network.forward(x, y)?.z1;
    // (name, backprop, numeric, its error bound) for every parameter.
    let mut entries = Vec::with_capacity(h * m + h);
    for index in 0..h * m + h {
        let in_a = index < h * m;
        let (value, reach) = if in_a {
            // Moving A[j,k] by ε moves z1[j] by ε·x[k].
            (a[index], 1.0 / x[index % m].abs().max(1e-12))
        } else {
            (b[index - h * m], 1.0)
        };
        let mut step = cube_root_epsilon * value.abs().max(reach.min(1e12));
        if in_a && kinked {
            // Never step across the kink at z1 = 0: a difference across it measures neither
            // side's slope (a smaller step costs accuracy, which the error bound then shows).
            let (j, k) = (index / m, index % m);
            step = step.min(0.5 * z1[j].abs() / x[k].abs());
        }
        let mut difference = |step: f64| -> (f64, f64) {
            let mut loss_at = |shift: f64| -> (f64, f64) {
                let moved = value + shift;
                probe.set_parameter(index, moved);
                (probe.example_loss(x, y), moved)
            };
            let ((plus, high), (minus, low)) = (loss_at(step), loss_at(-step));
            probe.set_parameter(index, value);
            // Divide by the exact distance between the two points actually used.
            ((plus - minus) / (high - low), high - low)
        };
        let (numeric, width) = difference(step);
        let (wider, _) = difference(2.0 * step);
        let error_bound = 2.0 * rounding / width + (numeric - wider).abs();
        let (name, backprop) = if in_a {
            (format!("A[{},{}]", index / m + 1, index % m + 1), da[index])
        } else {
            (format!("b[{}]", index - h * m + 1), db[index - h * m])
        };
        entries.push((name, backprop, numeric, error_bound));
    }
    let scale = entries
        .iter()
        .map(|e| e.1.abs().max(e.2.abs()))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let floor = (FLOOR_FRACTION * scale).max(f64::MIN_POSITIVE);
    let rows: Vec<CheckRow> = entries
        .into_iter()
        .map(|(parameter, backprop, numeric, error_bound)| {
            let reference = backprop.abs().max(numeric.abs()).max(floor);
            let relative_error = relative_error(backprop, numeric, floor);
            let uncertainty = error_bound / reference;
            let verdict = if !(relative_error.is_finite() && uncertainty.is_finite()) {
                Verdict::Undecided
            } else if relative_error + uncertainty <= TOLERANCE {
                Verdict::Agree
            } else if relative_error - uncertainty > TOLERANCE {
                Verdict::Disagree
            } else {
                Verdict::Undecided
            };
            CheckRow {
                parameter,
                backprop,
                numeric,
                relative_error,
                uncertainty,
                verdict,
            }
        })
        .collect();
    let decided = rows.iter().filter(|r| r.verdict != Verdict::Undecided);
    let largest = decided.map(|r| r.relative_error).fold(0.0, f64::max);
    let verdict = if rows.iter().any(|r| r.verdict == Verdict::Disagree) {
        Verdict::Disagree
    } else if rows.iter().any(|r| r.verdict == Verdict::Undecided) {
        Verdict::Undecided
    } else {
        Verdict::Agree
    };
    Ok(GradientCheck {
        rows,
        largest,
        verdict,
    })
}
