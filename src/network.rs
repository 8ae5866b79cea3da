//! The worksheet's two-layer network f(x) = bᵀσ(Ax) with the squared loss L = (y − f(x))².
//!
//! Shapes: x ∈ ℝ^m, A ∈ ℝ^{h×m} stored row-major (row j holds unit j's weights), b ∈ ℝ^h.
//! There are no bias terms, exactly as in the worksheet.
//!
//! The forward pass caches z1 = Ax, z2 = σ(z1), z3 = bᵀz2, z4 = y − z3 and L = z4²; the
//! backward pass reuses those values to get every gradient in one sweep. Training minimises
//! the *mean* loss over a batch (the worksheet's sum divided by n: the same minimiser, and a
//! learning rate that does not depend on n).

use crate::activation::Activation;
use crate::format::format_plain;
use crate::kernel::{self, Method};
use crate::rng::Rng;
use std::fmt;

/// The largest input size m and hidden size h the API accepts.
pub const MAX_SIZE: usize = 256;
/// The most examples one batch may hold.
pub const MAX_EXAMPLES: usize = 100_000;
/// The most work one call over a batch may do, n·h·(m + 1) multiply-adds: a step of this much
/// took about 0.05 s in Chromium on a 2-core machine (twice as much, 0.09 s), so no call can
/// freeze a page.
pub const MAX_BATCH_WORK: usize = 10_000_000;
/// The most input numbers one batch may hold, n·m (8 MB of float64): copying them stays well
/// under a frame, and a batch of few hidden units cannot bring hundreds of megabytes.
pub const MAX_BATCH_INPUTS: usize = 1_000_000;

/// What was wrong with an argument, phrased for the person who passed it.
#[derive(Clone, Debug, PartialEq)]
pub enum NetworkError {
    /// m or h outside 1..=MAX_SIZE.
    SizeOutOfRange { what: &'static str, value: f64 },
    /// A vector or matrix with the wrong number of entries.
    WrongLength {
        what: &'static str,
        expected: usize,
        got: usize,
    },
    /// A NaN or infinity where a finite number is needed.
    NotFinite { what: &'static str },
    /// A learning rate that is not a finite positive number.
    BadLearningRate(f64),
    /// A batch whose inputs and targets disagree in count, or that is empty.
    BatchMismatch {
        inputs_len: usize,
        targets_len: usize,
        m: usize,
    },
    /// A batch of more than [`MAX_EXAMPLES`] examples, [`MAX_BATCH_INPUTS`] input numbers or
    /// [`MAX_BATCH_WORK`] work, for a network of `inputs` inputs and `hidden` units.
    BatchTooLarge {
        examples: usize,
        inputs: usize,
        hidden: usize,
    },
    /// A result too large for float64: the weights or the inputs are too large.
    Overflow { what: &'static str },
}

impl fmt::Display for NetworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetworkError::SizeOutOfRange { what, value } => write!(
                f,
                "{what} must be a whole number from 1 to {MAX_SIZE}, got {}",
                format_plain(*value)
            ),
            NetworkError::WrongLength {
                what,
                expected,
                got,
            } => write!(f, "{what} must have {expected} entries, got {got}"),
            NetworkError::NotFinite { what } => {
                write!(
                    f,
                    "{what} must contain only finite numbers (no NaN or infinity)"
                )
            }
            NetworkError::BadLearningRate(lr) => write!(
                f,
                "the learning rate must be a finite number greater than 0, got {}",
                format_plain(*lr)
            ),
            NetworkError::BatchMismatch {
                inputs_len,
                targets_len,
                m,
            } => {
                if *targets_len == 0 {
                    write!(f, "the batch is empty: Y must hold at least one target")
                } else {
                    write!(
                        f,
                        "X and Y disagree: X must hold n·m = {} × {m} = {} numbers for {} targets in Y, got {inputs_len}",
                        targets_len,
                        targets_len * m,
                        targets_len
                    )
                }
            }
            NetworkError::BatchTooLarge {
                examples,
                inputs,
                hidden,
            } => {
                // In u64: on wasm32 a usize product would saturate at 2³² − 1.
                let (n, m, h) = (*examples as u64, *inputs as u64, *hidden as u64);
                let (numbers, work) = (n.saturating_mul(m), n.saturating_mul(h * (m + 1)));
                write!(
                    f,
                    "a batch may hold at most {MAX_EXAMPLES} examples, n·m at most \
                     {MAX_BATCH_INPUTS} input numbers and n·h·(m + 1) at most {MAX_BATCH_WORK}; \
                     got n = {examples} with m = {inputs} and h = {hidden}: n·m = {numbers}, \
                     n·h·(m + 1) = {work}; split it into smaller batches"
                )
            }
            NetworkError::Overflow { what } => write!(
                f,
                "{what} would overflow float64: the weights or the inputs are too large \
                 (or, for a step, the learning rate)"
            ),
        }
    }
}

impl std::error::Error for NetworkError {}

/// The values of the forward pass for one example (x, y).
#[derive(Clone, Debug, PartialEq)]
pub struct Forward {
    /// z1 = Ax, length h.
    pub z1: Vec<f64>,
    /// z2 = σ(z1), length h.
    pub z2: Vec<f64>,
    /// z3 = bᵀz2, the prediction f(x).
    pub z3: f64,
    /// z4 = y − z3, the error.
    pub z4: f64,
    /// L = z4².
    pub loss: f64,
}

impl Forward {
    fn zeros(hidden: usize) -> Self {
        Forward {
            z1: vec![0.0; hidden],
            z2: vec![0.0; hidden],
            z3: 0.0,
            z4: 0.0,
            loss: 0.0,
        }
    }
}

/// The gradients of L with respect to every node of the computation graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Gradients {
    /// ∂L/∂z4 = 2·z4.
    pub dz4: f64,
    /// ∂L/∂z3 = −2·z4.
    pub dz3: f64,
    /// ∂L/∂z2 = −2·z4·b, length h.
    pub dz2: Vec<f64>,
    /// ∂L/∂z1 = ∂L/∂z2 ⊙ σ′(z1), length h.
    pub dz1: Vec<f64>,
    /// ∂L/∂b = −2·z4·z2, length h.
    pub db: Vec<f64>,
    /// ∂L/∂A = ∂L/∂z1 xᵀ, h×m row-major.
    pub da: Vec<f64>,
}

impl Gradients {
    fn zeros(inputs: usize, hidden: usize) -> Self {
        Gradients {
            dz4: 0.0,
            dz3: 0.0,
            dz2: vec![0.0; hidden],
            dz1: vec![0.0; hidden],
            db: vec![0.0; hidden],
            da: vec![0.0; hidden * inputs],
        }
    }
}

/// The two-layer network with its parameters A and b, and scratch space so that a training
/// step allocates nothing.
#[derive(Clone, Debug)]
pub struct Network {
    inputs: usize,
    hidden: usize,
    activation: Activation,
    a: Vec<f64>,
    b: Vec<f64>,
    forward_scratch: Forward,
    gradient_scratch: Gradients,
    /// Where [`Network::mean_loss_unchecked`] lets the kernel write the gradient it discards,
    /// so the last step's gradient stays readable.
    loss_scratch: Gradients,
    kernel_scratch: kernel::Scratch,
}

impl Network {
    /// A network with m = `inputs`, h = `hidden`, weights drawn from `seed` with
    /// [`Network::initialise`] at scale 1.
    pub fn new(
        inputs: usize,
        hidden: usize,
        activation: Activation,
        seed: u64,
    ) -> Result<Self, NetworkError> {
        check_size("m (the input size)", inputs)?;
        check_size("h (the number of hidden units)", hidden)?;
        let mut network = Network {
            inputs,
            hidden,
            activation,
            a: vec![0.0; hidden * inputs],
            b: vec![0.0; hidden],
            forward_scratch: Forward::zeros(hidden),
            gradient_scratch: Gradients::zeros(inputs, hidden),
            loss_scratch: Gradients::zeros(inputs, hidden),
            kernel_scratch: kernel::Scratch::default(),
        };
        network.initialise(seed, 1.0);
        Ok(network)
    }

    /// Draws fresh weights from `seed`: each entry of A uniform with variance scale²/m, each
    /// entry of b uniform with variance scale²/h, so z1 and z3 start at a sensible size
    /// whatever m and h are.
    pub fn initialise(&mut self, seed: u64, scale: f64) {
        let mut rng = Rng::new(seed);
        let a_half_width = scale * (3.0 / self.inputs as f64).sqrt();
        let b_half_width = scale * (3.0 / self.hidden as f64).sqrt();
        for w in &mut self.a {
            *w = rng.symmetric(a_half_width);
        }
        for w in &mut self.b {
            *w = rng.symmetric(b_half_width);
        }
    }

    /// m, the input size.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// h, the number of hidden units.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The hidden layer's activation σ.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Changes σ and keeps the weights.
    pub fn set_activation(&mut self, activation: Activation) {
        self.activation = activation;
    }

    /// A, h×m row-major.
    pub fn weights_a(&self) -> &[f64] {
        &self.a
    }

    /// b, length h.
    pub fn weights_b(&self) -> &[f64] {
        &self.b
    }

    /// Replaces A and b; on error the old weights stay.
    pub fn set_weights(&mut self, a: &[f64], b: &[f64]) -> Result<(), NetworkError> {
        check_length("A (h·m numbers, row-major)", a, self.hidden * self.inputs)?;
        check_length("b (h numbers)", b, self.hidden)?;
        self.a.copy_from_slice(a);
        self.b.copy_from_slice(b);
        Ok(())
    }

    /// The forward pass for one example.
    /// Refuses a loss too large for float64.
    pub fn forward(&self, x: &[f64], y: f64) -> Result<Forward, NetworkError> {
        self.check_example(x, y)?;
        let mut forward = Forward::zeros(self.hidden);
        if !self.forward_into(x, y, &mut forward).is_finite() {
            return Err(NetworkError::Overflow { what: "the loss" });
        }
        Ok(forward)
    }

    /// The forward pass and then the backward pass for one example; refuses results too large
    /// for float64.
    pub fn backward(&self, x: &[f64], y: f64) -> Result<(Forward, Gradients), NetworkError> {
        let forward = self.forward(x, y)?;
        let mut gradients = Gradients::zeros(self.inputs, self.hidden);
        self.backward_into(x, &forward, &mut gradients, 1.0);
        if !gradients
            .da
            .iter()
            .chain(&gradients.db)
            .all(|g| g.is_finite())
        {
            return Err(NetworkError::Overflow {
                what: "the gradient",
            });
        }
        Ok((forward, gradients))
    }

    /// The loss L = (y − f(x))² of one example whose x has m entries; not checked.
    pub fn example_loss(&self, x: &[f64], y: f64) -> f64 {
        let z4 = y - self.predict_unchecked(x);
        z4 * z4
    }

    /// Sets one parameter: A's entries first (row-major, index < h·m), then b's. An index
    /// past the end is ignored.
    pub fn set_parameter(&mut self, index: usize, value: f64) {
        let hm = self.a.len();
        if let Some(w) = if index < hm {
            self.a.get_mut(index)
        } else {
            self.b.get_mut(index - hm)
        } {
            *w = value;
        }
    }

    /// Whether every weight is a finite number.
    pub fn weights_are_finite(&self) -> bool {
        self.a.iter().chain(&self.b).all(|w| w.is_finite())
    }

    /// The prediction f(x) = bᵀσ(Ax).
    pub fn predict(&self, x: &[f64]) -> Result<f64, NetworkError> {
        Ok(self.forward(x, 0.0)?.z3)
    }

    /// The mean loss over a batch; `xs` holds n examples of m numbers, row-major.
    pub fn mean_loss(&mut self, xs: &[f64], ys: &[f64]) -> Result<f64, NetworkError> {
        self.check_batch(xs, ys)?;
        let loss = self.mean_loss_unchecked(xs, ys);
        if !loss.is_finite() {
            return Err(NetworkError::Overflow {
                what: "the mean loss",
            });
        }
        Ok(loss)
    }

    /// [`Network::mean_loss`] for a batch already checked; NaN for an empty one. Computed by
    /// the training kernel, whose gradient is discarded: the same bits as the loss a step on
    /// this batch reports, and several times faster than a forward pass per example.
    pub fn mean_loss_unchecked(&mut self, xs: &[f64], ys: &[f64]) -> f64 {
        let weights = kernel::Weights {
            activation: self.activation,
            inputs: self.inputs,
            a: &self.a,
            b: &self.b,
        };
        let discarded = &mut self.loss_scratch;
        kernel::lanes(
            weights,
            xs,
            ys,
            &mut self.kernel_scratch,
            &mut discarded.da,
            &mut discarded.db,
        )
    }

    /// One step of gradient descent on the batch's mean loss: θ ← θ − lr·∇θ(mean loss).
    /// Returns the mean loss before the step. A step whose loss or new weights would not be
    /// finite is refused and leaves the weights as they were.
    pub fn step(
        &mut self,
        xs: &[f64],
        ys: &[f64],
        learning_rate: f64,
    ) -> Result<f64, NetworkError> {
        check_learning_rate(learning_rate)?;
        self.check_batch(xs, ys)?;
        let loss = self.accumulate_gradient(xs, ys);
        if !loss.is_finite() {
            return Err(NetworkError::Overflow {
                what: "the loss before this step",
            });
        }
        // The new weights are checked before any is written (the same arithmetic as
        // `descend`, so the same bits), instead of copying A and b to restore.
        let (da, db) = (&self.gradient_scratch.da, &self.gradient_scratch.db);
        let finite = |weights: &[f64], gradient: &[f64]| {
            weights
                .iter()
                .zip(gradient)
                .all(|(w, g)| (w - learning_rate * g).is_finite())
        };
        if !(finite(&self.a, da) && finite(&self.b, db)) {
            return Err(NetworkError::Overflow {
                what: "this step's new weights",
            });
        }
        self.descend(learning_rate);
        Ok(loss)
    }

    /// ∂/∂A (h×m row-major) and ∂/∂b of the mean loss, as the last
    /// [`Network::accumulate_gradient`] or [`Network::step`] left them (0 before the first).
    pub fn last_gradient(&self) -> (&[f64], &[f64]) {
        (&self.gradient_scratch.da, &self.gradient_scratch.db)
    }

    /// The Euclidean norms ‖∂/∂A‖ and ‖∂/∂b‖ of the mean-loss gradient of the last
    /// [`Network::step`] (0 before the first).
    pub fn last_gradient_norms(&self) -> (f64, f64) {
        let norm = |v: &[f64]| v.iter().map(|g| g * g).sum::<f64>().sqrt();
        (
            norm(&self.gradient_scratch.da),
            norm(&self.gradient_scratch.db),
        )
    }

    /// Hidden unit j's share b_j·σ(a_jᵀx) of the prediction f(x) = Σ_j b_j·σ(a_jᵀx).
    /// `x` must have m entries and j < h.
    pub fn unit_contribution(&self, j: usize, x: &[f64]) -> f64 {
        let row = &self.a[j * self.inputs..(j + 1) * self.inputs];
        let z1: f64 = row.iter().zip(x).map(|(w, xi)| w * xi).sum();
        self.b[j] * self.activation.value(z1)
    }

    /// f(x) for an x of the right length (m numbers), without the checks of [`Network::predict`].
    pub fn predict_unchecked(&self, x: &[f64]) -> f64 {
        self.a
            .chunks_exact(self.inputs)
            .zip(&self.b)
            .map(|(row, bj)| {
                bj * self
                    .activation
                    .value(row.iter().zip(x).map(|(w, xi)| w * xi).sum())
            })
            .sum()
    }

    /// The share of (unit, example) pairs whose σ′(z1) is below `level`: units there barely
    /// pass any gradient back. NaN without examples.
    pub fn saturated_share(&self, xs: &[f64], level: f64) -> f64 {
        let (mut flat, mut total) = (0usize, 0usize);
        self.for_each_preactivation(xs, |z| {
            total += 1;
            if self.activation.derivative(z) < level {
                flat += 1;
            }
        });
        flat as f64 / total as f64
    }

    /// Calls `visit(z1_j)` for every hidden unit j and every example in `xs` (n·m numbers).
    pub fn for_each_preactivation(&self, xs: &[f64], mut visit: impl FnMut(f64)) {
        for x in xs.chunks_exact(self.inputs) {
            for row in self.a.chunks_exact(self.inputs) {
                visit(row.iter().zip(x).map(|(w, xi)| w * xi).sum());
            }
        }
    }

    /// [`Network::step`] for arguments already checked: xs.len() = ys.len()·m, ys not empty,
    /// a positive finite learning rate (other lengths would skip or mis-pair examples, never
    /// index out of bounds). Allocates nothing.
    pub fn step_unchecked(&mut self, xs: &[f64], ys: &[f64], learning_rate: f64) -> f64 {
        let loss = self.accumulate_gradient(xs, ys);
        self.descend(learning_rate);
        loss
    }

    /// Moves A and b against the last accumulated gradient: w ← w − rate·g.
    fn descend(&mut self, learning_rate: f64) {
        for (w, g) in self.a.iter_mut().zip(&self.gradient_scratch.da) {
            *w -= learning_rate * g;
        }
        for (w, g) in self.b.iter_mut().zip(&self.gradient_scratch.db) {
            *w -= learning_rate * g;
        }
    }

    /// The gradient of the mean loss over an already checked batch, kept for
    /// [`Network::last_gradient_norms`]; the weights do not change. Returns the mean loss.
    pub fn accumulate_gradient(&mut self, xs: &[f64], ys: &[f64]) -> f64 {
        self.accumulate_gradient_by(Method::FASTEST, xs, ys)
    }

    /// [`Network::accumulate_gradient`] by the given method; every method gives the same bits
    /// (see src/kernel.rs and tests/kernel.rs).
    #[inline(always)]
    pub fn accumulate_gradient_by(&mut self, method: Method, xs: &[f64], ys: &[f64]) -> f64 {
        let weights = kernel::Weights {
            activation: self.activation,
            inputs: self.inputs,
            a: &self.a,
            b: &self.b,
        };
        let (scratch, gradients) = (&mut self.kernel_scratch, &mut self.gradient_scratch);
        match method {
            Method::PerExample => self.accumulate_per_example(xs, ys),
            Method::Fused => kernel::fused(
                weights,
                xs,
                ys,
                scratch,
                &mut gradients.da,
                &mut gradients.db,
            ),
            Method::Lanes => kernel::lanes(
                weights,
                xs,
                ys,
                scratch,
                &mut gradients.da,
                &mut gradients.db,
            ),
        }
    }

    /// The gradient example by example: [`Network::forward_into`] and
    /// [`Network::backward_into`] for each, the reference the fused kernels are tested against.
    fn accumulate_per_example(&mut self, xs: &[f64], ys: &[f64]) -> f64 {
        // One copy of the loop per activation, with the activation a constant inside it, so the
        // compiler resolves σ and σ′ once instead of branching on them for every unit.
        match self.activation {
            Activation::Sigmoid => self.accumulate_for(Activation::Sigmoid, xs, ys),
            Activation::Relu => self.accumulate_for(Activation::Relu, xs, ys),
            Activation::Tanh => self.accumulate_for(Activation::Tanh, xs, ys),
            Activation::LeakyRelu => self.accumulate_for(Activation::LeakyRelu, xs, ys),
            Activation::Softplus => self.accumulate_for(Activation::Softplus, xs, ys),
        }
    }

    #[inline(always)]
    fn accumulate_for(&mut self, activation: Activation, xs: &[f64], ys: &[f64]) -> f64 {
        let weight = 1.0 / ys.len() as f64;
        let mut forward = std::mem::replace(&mut self.forward_scratch, Forward::zeros(0));
        let mut gradients = std::mem::replace(&mut self.gradient_scratch, Gradients::zeros(0, 0));
        gradients.da.fill(0.0);
        gradients.db.fill(0.0);
        let mut total = 0.0;
        for (x, &y) in xs.chunks_exact(self.inputs).zip(ys) {
            total += self.forward_with(activation, x, y, &mut forward);
            self.backward_with(activation, x, &forward, &mut gradients, weight);
        }
        self.forward_scratch = forward;
        self.gradient_scratch = gradients;
        total * weight
    }

    /// Multiplies every entry of A by `factor` (the vanishing panel's weight-scale study).
    pub fn scale_a(&mut self, factor: f64) {
        self.a.iter_mut().for_each(|w| *w *= factor);
    }

    /// The forward pass into `out`; returns the loss. `x` must have m entries.
    pub(crate) fn forward_into(&self, x: &[f64], y: f64, out: &mut Forward) -> f64 {
        self.forward_with(self.activation, x, y, out)
    }

    /// [`Network::forward_into`] with the activation passed in (a constant where inlined).
    #[inline(always)]
    fn forward_with(&self, activation: Activation, x: &[f64], y: f64, out: &mut Forward) -> f64 {
        let mut z3 = 0.0;
        for (j, row) in self.a.chunks_exact(self.inputs).enumerate() {
            let z1: f64 = row.iter().zip(x).map(|(w, xi)| w * xi).sum(); // z1 = Ax
            let z2 = activation.value(z1); // z2 = σ(z1)
            out.z1[j] = z1;
            out.z2[j] = z2;
            z3 += self.b[j] * z2; // z3 = bᵀz2
        }
        out.z3 = z3;
        out.z4 = y - z3; // z4 = y − z3
        out.loss = out.z4 * out.z4; // L = z4²
        out.loss
    }

    /// The backward pass from the cached forward values. Writes ∂L/∂z4 … ∂L/∂z1 into `grads`
    /// and *adds* `weight`·∂L/∂b and `weight`·∂L/∂A to `grads.db` and `grads.da`, so a batch's
    /// mean gradient is a sum of calls with weight 1/n.
    pub(crate) fn backward_into(
        &self,
        x: &[f64],
        fwd: &Forward,
        grads: &mut Gradients,
        weight: f64,
    ) {
        self.backward_with(self.activation, x, fwd, grads, weight)
    }

    /// [`Network::backward_into`] with the activation passed in (a constant where inlined).
    #[inline(always)]
    fn backward_with(
        &self,
        activation: Activation,
        x: &[f64],
        fwd: &Forward,
        grads: &mut Gradients,
        weight: f64,
    ) {
        grads.dz4 = 2.0 * fwd.z4; // ∂L/∂z4 = 2·z4
        grads.dz3 = -grads.dz4; // ∂z4/∂z3 = −1
        let rows = grads.da.chunks_exact_mut(self.inputs);
        for (j, da_row) in rows.enumerate() {
            grads.db[j] += weight * grads.dz3 * fwd.z2[j]; // ∂L/∂b = ∂L/∂z3 · z2
            let dz2 = grads.dz3 * self.b[j]; // ∂L/∂z2 = ∂L/∂z3 · b
            let dz1 = dz2 * activation.derivative_from_output(fwd.z1[j], fwd.z2[j]); // ⊙ σ′(z1)
            grads.dz2[j] = dz2;
            grads.dz1[j] = dz1;
            for (g, xi) in da_row.iter_mut().zip(x) {
                *g += weight * dz1 * xi; // ∂L/∂A = ∂L/∂z1 xᵀ
            }
        }
    }

    fn check_example(&self, x: &[f64], y: f64) -> Result<(), NetworkError> {
        check_length("x (m numbers)", x, self.inputs)?;
        check_finite("y", &[y])
    }

    fn check_batch(&self, xs: &[f64], ys: &[f64]) -> Result<(), NetworkError> {
        check_batch_size(ys.len(), self.inputs, self.hidden)?;
        if ys.is_empty() || xs.len() != ys.len() * self.inputs {
            return Err(NetworkError::BatchMismatch {
                inputs_len: xs.len(),
                targets_len: ys.len(),
                m: self.inputs,
            });
        }
        check_finite("X", xs)?;
        check_finite("Y", ys)
    }
}

/// Refuses a batch of `examples` for a network of `inputs` inputs and `hidden` units that is
/// beyond [`MAX_EXAMPLES`], [`MAX_BATCH_INPUTS`] or [`MAX_BATCH_WORK`]; callers check this
/// before copying the batch.
pub fn check_batch_size(examples: usize, inputs: usize, hidden: usize) -> Result<(), NetworkError> {
    let numbers = examples.saturating_mul(inputs);
    let work = examples.saturating_mul(hidden.saturating_mul(inputs + 1));
    if examples > MAX_EXAMPLES || numbers > MAX_BATCH_INPUTS || work > MAX_BATCH_WORK {
        return Err(NetworkError::BatchTooLarge {
            examples,
            inputs,
            hidden,
        });
    }
    Ok(())
}

/// Rejects sizes outside 1..=MAX_SIZE.
pub fn check_size(what: &'static str, value: usize) -> Result<(), NetworkError> {
    if (1..=MAX_SIZE).contains(&value) {
        Ok(())
    } else {
        Err(NetworkError::SizeOutOfRange {
            what,
            value: value as f64,
        })
    }
}

/// Rejects a learning rate that is not finite and positive.
pub fn check_learning_rate(learning_rate: f64) -> Result<(), NetworkError> {
    if learning_rate.is_finite() && learning_rate > 0.0 {
        Ok(())
    } else {
        Err(NetworkError::BadLearningRate(learning_rate))
    }
}

fn check_length(what: &'static str, values: &[f64], expected: usize) -> Result<(), NetworkError> {
    if values.len() != expected {
        return Err(NetworkError::WrongLength {
            what,
            expected,
            got: values.len(),
        });
    }
    check_finite(what, values)
}

fn check_finite(what: &'static str, values: &[f64]) -> Result<(), NetworkError> {
    // In lanes: a batch's X and Y are checked on every step, where a branch per value cost
    // a twentieth of a small network's step in the browser.
    if crate::lanes::all_finite(values) {
        Ok(())
    } else {
        Err(NetworkError::NotFinite { what })
    }
}
