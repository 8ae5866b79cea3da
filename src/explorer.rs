//! The backprop explorer: one example pushed through the worksheet's computation graph a
//! node at a time, forward (z1, z2, z3, z4, L) and then backward (∂L/∂z4 back to ∂L/∂A),
//! and a gradient check that compares backpropagation with central differences, with wrong
//! backward passes a student can plant to watch the check catch them.

use crate::network::{Forward, Gradients, Network, NetworkError};

/// The steps of one pass, in order. Forward steps fill a node's value, backward steps its
/// gradient; `Update` applies θ ← θ − lr·∂L/∂θ for this example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
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

/// One example on one network, and how far through the pass the student has stepped.
#[derive(Clone, Debug)]
pub struct Explorer {
    network: Network,
    x: Vec<f64>,
    y: f64,
    stage: Stage,
    forward: Forward,
    gradients: Gradients,
}

impl Explorer {
    /// Starts a pass for (x, y) on a copy of `network`; the values are computed at once by the
    /// core's own forward and backward passes and revealed step by step.
    pub fn new(network: &Network, x: &[f64], y: f64) -> Result<Self, NetworkError> {
        let (forward, gradients) = network.backward(x, y)?;
        Ok(Explorer {
            network: network.clone(),
            x: x.to_vec(),
            y,
            stage: Stage::Start,
            forward,
            gradients,
        })
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn x(&self) -> &[f64] {
        &self.x
    }

    pub fn y(&self) -> f64 {
        self.y
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Every forward value (whether or not revealed yet).
    pub fn forward(&self) -> &Forward {
        &self.forward
    }

    /// Every gradient (whether or not revealed yet).
    pub fn gradients(&self) -> &Gradients {
        &self.gradients
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

    /// θ ← θ − lr·∂L/∂θ for this one example, applied to `network` (which must have the
    /// explorer's shape); returns the example's loss before and after. The explorer then
    /// starts a new pass on the updated weights.
    pub fn update(
        &mut self,
        network: &mut Network,
        learning_rate: f64,
    ) -> Result<(f64, f64), NetworkError> {
        crate::network::check_learning_rate(learning_rate)?;
        let before = network.step(&self.x, &[self.y], learning_rate)?;
        let after = network.forward(&self.x, self.y)?.loss;
        *self = Explorer::new(network, &self.x, self.y)?;
        Ok((before, after))
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

/// One parameter's row of the gradient check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    /// "A[1,2]" or "b[3]" (1-based, as written on paper).
    pub parameter: String,
    pub backprop: f64,
    pub numeric: f64,
    pub relative_error: f64,
}

/// The backprop gradient (possibly with a bug) against central differences, entry by entry.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientCheck {
    pub rows: Vec<CheckRow>,
    pub largest: f64,
}

/// Relative error |a − b| / max(|a|, |b|, floor). The floor keeps entries that are nearly 0
/// (a saturated unit's) from turning the finite difference's rounding noise into a huge ratio.
pub fn relative_error(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor)
}

/// The floor used by [`gradient_check`]: 1/1000 of the largest entry, so every entry is
/// compared at the scale of the gradient it belongs to.
pub const FLOOR_FRACTION: f64 = 1e-3;

/// Compares every entry of ∂L/∂A and ∂L/∂b from the (possibly buggy) backward pass with the
/// central difference (L(θ + ε) − L(θ − ε)) / 2ε, ε = 1e-6·max(1, |θ|), using
/// [`relative_error`] with a floor of FLOOR_FRACTION times the largest entry.
pub fn gradient_check(
    network: &Network,
    x: &[f64],
    y: f64,
    bug: Bug,
) -> Result<GradientCheck, NetworkError> {
    let (da, db) = backward_with_bug(network, x, y, bug)?;
    let (m, h) = (network.inputs(), network.hidden());
    let mut probe = network.clone();
    let (a, b) = (network.weights_a().to_vec(), network.weights_b().to_vec());
    let mut loss_at = |a: &[f64], b: &[f64]| -> Result<f64, NetworkError> {
        probe.set_weights(a, b)?;
        Ok(probe.forward(x, y)?.loss)
    };
    let mut rows = Vec::with_capacity(h * m + h);
    for index in 0..h * m {
        let step = 1e-6 * a[index].abs().max(1.0);
        let (mut plus, mut minus) = (a.clone(), a.clone());
        plus[index] += step;
        minus[index] -= step;
        let numeric = (loss_at(&plus, &b)? - loss_at(&minus, &b)?) / (2.0 * step);
        rows.push(CheckRow {
            parameter: format!("A[{},{}]", index / m + 1, index % m + 1),
            backprop: da[index],
            numeric,
            relative_error: 0.0,
        });
    }
    for j in 0..h {
        let step = 1e-6 * b[j].abs().max(1.0);
        let (mut plus, mut minus) = (b.clone(), b.clone());
        plus[j] += step;
        minus[j] -= step;
        let numeric = (loss_at(&a, &plus)? - loss_at(&a, &minus)?) / (2.0 * step);
        rows.push(CheckRow {
            parameter: format!("b[{}]", j + 1),
            backprop: db[j],
            numeric,
            relative_error: 0.0,
        });
    }
    let scale = rows
        .iter()
        .map(|r| r.backprop.abs().max(r.numeric.abs()))
        .fold(0.0, f64::max);
    let floor = (FLOOR_FRACTION * scale).max(f64::MIN_POSITIVE);
    for row in &mut rows {
        row.relative_error = relative_error(row.backprop, row.numeric, floor);
    }
    let largest = rows.iter().map(|r| r.relative_error).fold(0.0, f64::max);
    Ok(GradientCheck { rows, largest })
}
