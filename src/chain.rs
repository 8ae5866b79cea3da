//! A deep chain for the vanishing-gradient and cost panels: `depth` hidden layers of `width`
//! units, f(x) = bᵀ a_L with a_l = σ(W_l a_(l−1)) and a_0 = x, and the same squared loss.
//! With depth 1 it is exactly the worksheet's network (W_1 = A). No biases, as there.
//!
//! Every multiply-add of the four ways to get the gradient (backpropagation, finite
//! differences, forward mode, and the chain rule written out per parameter) is counted, so the
//! page shows measured work; `tests/chain.rs` checks the counts against the closed forms.

use crate::activation::Activation;
use crate::network::MAX_SIZE;
use crate::rng::Rng;
use std::fmt;

/// The depths a chain may have.
pub const DEPTH_RANGE: (usize, usize) = (1, 20);
/// The widths the vanishing and cost panels offer for a deep chain (a chain itself may be as
/// wide as the network, up to 256: depth 1 and width h is the worksheet's network).
pub const WIDTH_RANGE: (usize, usize) = (2, 32);

/// The factors the vanishing panel offers for scaling the worksheet network's A.
pub const A_SCALES: [f64; 9] = [0.1, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0];

/// The scales of the weight-scale study's curve: 49 steps from the first to the last of
/// [`A_SCALES`], evenly spaced on a log scale.
pub fn study_scales() -> Vec<f64> {
    let (low, high) = (A_SCALES[0], A_SCALES[A_SCALES.len() - 1]);
    (0..=48)
        .map(|i| low * (high / low).powf(i as f64 / 48.0))
        .collect()
}

/// A size outside what a chain allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainError(pub String);

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChainError {}

/// Work done so far by a chain's gradient methods: the instrument the cost panel reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Work {
    pub multiply_adds: u64,
    pub forward_passes: u64,
    pub backward_passes: u64,
}

/// How the weights are drawn: (approximately) normal, with the variance named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Small normal: standard deviation 0.01 whatever the layer.
    Small,
    /// Xavier/Glorot: variance 2 / (fan_in + fan_out), for sigmoid and tanh.
    Xavier,
    /// He: variance 2 / fan_in, for ReLU (which zeroes half its inputs).
    He,
}

impl Init {
    pub fn name(self) -> &'static str {
        match self {
            Init::Small => "small",
            Init::Xavier => "xavier",
            Init::He => "he",
        }
    }

    pub fn from_name(name: &str) -> Option<Init> {
        [Init::Small, Init::Xavier, Init::He]
            .into_iter()
            .find(|i| i.name() == name)
    }

    fn std_dev(self, fan_in: usize, fan_out: usize) -> f64 {
        match self {
            Init::Small => 0.01,
            Init::Xavier => (2.0 / (fan_in + fan_out) as f64).sqrt(),
            Init::He => (2.0 / fan_in as f64).sqrt(),
        }
    }
}

/// The chain's weights: `layers[l]` is W_(l+1), row-major (its rows are units).
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    inputs: usize,
    width: usize,
    activation: Activation,
    init: Init,
    /// a_l = a_(l−1) + σ(W_l a_(l−1)) for the layers after the first (same width in and out).
    residual: bool,
    layers: Vec<Vec<f64>>,
    output: Vec<f64>,
    work: Work,
}

/// A gradient: one entry per parameter, the layers' weights first (row-major), then b.
pub type Flat = Vec<f64>;

struct Pass {
    /// z_l for l = 1..=depth.
    pre: Vec<Vec<f64>>,
    /// σ(z_l) where a_l adds a skip to it (residual layers after the first); empty elsewhere,
    /// where σ(z_l) is a_l itself.
    activated: Vec<Vec<f64>>,
    /// a_l for l = 0..=depth (a_0 = x).
    post: Vec<Vec<f64>>,
    f: f64,
}

impl Pass {
    /// σ(z_(l+1)) as the forward pass computed it (l is 0-based, as for the layers).
    fn activated(&self, l: usize) -> &[f64] {
        if self.activated[l].is_empty() {
            &self.post[l + 1]
        } else {
            &self.activated[l]
        }
    }
}

impl Chain {
    /// `depth` layers of `width` units on `inputs` inputs, weights drawn from `seed`; depth
    /// within [`DEPTH_RANGE`], inputs and width from 1 to 256.
    pub fn new(
        inputs: usize,
        depth: usize,
        width: usize,
        activation: Activation,
        init: Init,
        seed: u64,
    ) -> Result<Chain, ChainError> {
        let check = |what: &str, value: usize, (low, high): (usize, usize)| {
            if (low..=high).contains(&value) {
                Ok(())
            } else {
                Err(ChainError(format!(
                    "{what} must be a whole number from {low} to {high}, got {value}"
                )))
            }
        };
        check("the number of inputs", inputs, (1, MAX_SIZE))?;
        check("the depth", depth, DEPTH_RANGE)?;
        check("the width", width, (1, MAX_SIZE))?;
        let mut rng = Rng::new(seed);
        let mut draw = |fan_in: usize, fan_out: usize| -> Vec<f64> {
            let half_width = init.std_dev(fan_in, fan_out) * 3f64.sqrt();
            (0..fan_in * fan_out)
                .map(|_| rng.symmetric(half_width))
                .collect()
        };
        let layers = (0..depth)
            .map(|l| draw(if l == 0 { inputs } else { width }, width))
            .collect();
        let output = draw(width, 1);
        Ok(Chain {
            inputs,
            width,
            activation,
            init,
            residual: false,
            layers,
            output,
            work: Work::default(),
        })
    }

    /// The same chain with residual connections on or off.
    pub fn with_residual(mut self, residual: bool) -> Self {
        self.residual = residual;
        self
    }

    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// How the weights were drawn.
    pub fn init(&self) -> Init {
        self.init
    }

    pub fn residual(&self) -> bool {
        self.residual
    }

    /// W_(l+1), row-major.
    pub fn layer(&self, l: usize) -> &[f64] {
        &self.layers[l]
    }

    /// The output weights b.
    pub fn output(&self) -> &[f64] {
        &self.output
    }

    /// The work counted since the chain was made or the count was last reset.
    pub fn work(&self) -> Work {
        self.work
    }

    /// Starts counting work from zero.
    pub fn reset_work(&mut self) {
        self.work = Work::default();
    }

    /// How many inputs layer l (0-based) reads.
    fn fan_in(&self, l: usize) -> usize {
        if l == 0 {
            self.inputs
        } else {
            self.width
        }
    }

    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(Vec::len).sum::<usize>() + self.output.len()
    }

    fn forward(&mut self, x: &[f64]) -> Pass {
        self.work.forward_passes += 1;
        let mut pre = Vec::with_capacity(self.depth());
        let mut activated = Vec::with_capacity(self.depth());
        let mut post = vec![x.to_vec()];
        for (l, weights) in self.layers.iter().enumerate() {
            let input = &post[l];
            let fan_in = input.len();
            let z: Vec<f64> = weights
                .chunks_exact(fan_in)
                .map(|row| row.iter().zip(input).map(|(w, a)| w * a).sum())
                .collect();
            self.work.multiply_adds += (self.width * fan_in) as u64;
            let sigma: Vec<f64> = z.iter().map(|&v| self.activation.value(v)).collect();
            if self.residual && l > 0 {
                post.push(sigma.iter().zip(input).map(|(s, skip)| s + skip).collect());
                activated.push(sigma);
            } else {
                post.push(sigma);
                activated.push(Vec::new());
            }
            pre.push(z);
        }
        let top = &post[self.depth()];
        let f = self.output.iter().zip(top).map(|(b, a)| b * a).sum();
        self.work.multiply_adds += self.width as u64;
        Pass {
            pre,
            activated,
            post,
            f,
        }
    }

    /// L = (y − f(x))² for one example, counted as one forward pass.
    pub fn loss(&mut self, x: &[f64], y: f64) -> f64 {
        let f = self.forward(x).f;
        (y - f) * (y - f)
    }

    /// ∂L/∂θ by backpropagation: one forward and one backward pass.
    pub fn backprop(&mut self, x: &[f64], y: f64) -> Flat {
        let pass = self.forward(x);
        self.work.backward_passes += 1;
        let depth = self.depth();
        let df = -2.0 * (y - pass.f); // ∂L/∂f
        let grad_b: Vec<f64> = pass.post[depth].iter().map(|a| df * a).collect();
        let mut delta_a: Vec<f64> = self.output.iter().map(|b| df * b).collect();
        self.work.multiply_adds += 2 * self.width as u64;
        let mut grads: Vec<Vec<f64>> = vec![Vec::new(); depth];
        for l in (0..depth).rev() {
            let fan_in = self.fan_in(l);
            // δz = δa ⊙ σ′(z), reusing σ(z) from the forward pass (σ′ = σ(1 − σ), 1 − σ²).
            let sigma = pass.activated(l);
            let delta_z: Vec<f64> = (0..self.width)
                .map(|j| {
                    delta_a[j]
                        * self
                            .activation
                            .derivative_from_output(pass.pre[l][j], sigma[j])
                })
                .collect();
            self.work.multiply_adds += self.width as u64;
            let input = &pass.post[l];
            grads[l] = delta_z
                .iter()
                .flat_map(|d| input.iter().map(move |a| d * a))
                .collect();
            self.work.multiply_adds += (self.width * fan_in) as u64;
            if l > 0 {
                let mut below = vec![0.0; fan_in];
                for (row, d) in self.layers[l].chunks_exact(fan_in).zip(&delta_z) {
                    below.iter_mut().zip(row).for_each(|(s, w)| *s += w * d);
                }
                self.work.multiply_adds += (self.width * fan_in) as u64;
                if self.residual {
                    // The skip path passes δa straight through.
                    below.iter_mut().zip(&delta_a).for_each(|(s, d)| *s += d);
                }
                delta_a = below;
            }
        }
        grads.into_iter().flatten().chain(grad_b).collect()
    }

    /// ∂L/∂θ by forward mode: one forward pass for the values, then one tangent pass per
    /// parameter θ_p, pushing dθ_p = 1 forward to dL/dθ_p. Exact like backpropagation, but P
    /// passes like finite differences.
    ///
    /// A tangent pass starts at θ_p's layer (below it every tangent is zero). For W_l(j, k),
    /// ż_l = e_j·a_(l−1),k has one non-zero entry, so ȧ_l = σ′(z_l) ⊙ ż_l costs 1; each layer
    /// above costs ż = W ȧ (w·w) and ȧ = σ′(z) ⊙ ż (w), the skip path adding ȧ on residual
    /// layers; at the top ḟ = bᵀȧ (w) and L̇ = ∂L/∂f · ḟ (1). For b_j, ḟ = a_L,j, so L̇ costs 1.
    /// σ′ of every layer is worked out once from the forward pass, as backpropagation does.
    pub fn forward_mode(&mut self, x: &[f64], y: f64) -> Flat {
        let pass = self.forward(x);
        let (depth, width) = (self.depth(), self.width);
        let df = -2.0 * (y - pass.f); // ∂L/∂f
        let slopes: Vec<Vec<f64>> = pass
            .pre
            .iter()
            .map(|z| {
                let activation = self.activation;
                z.iter()
                    .map(|&v| activation.derivative_from_output(v, activation.value(v)))
                    .collect()
            })
            .collect();
        let mut out = Vec::with_capacity(self.parameter_count());
        let mut multiply_adds = 0u64;
        for l in 0..depth {
            for j in 0..width {
                for &input in &pass.post[l] {
                    // ż_l = e_j·a_(l−1),k, so ȧ_l = σ′(z_l) ⊙ ż_l is zero but for entry j.
                    let mut tangent = vec![0.0; width];
                    tangent[j] = slopes[l][j] * input;
                    multiply_adds += 1;
                    let above = self.layers.iter().zip(&slopes).skip(l + 1);
                    for (weights, slope) in above {
                        let mut next: Vec<f64> = weights
                            .chunks_exact(width)
                            .zip(slope)
                            .map(|(row, s)| {
                                s * row.iter().zip(&tangent).map(|(w, t)| w * t).sum::<f64>()
                            })
                            .collect();
                        multiply_adds += (width * width + width) as u64;
                        if self.residual {
                            next.iter_mut().zip(&tangent).for_each(|(n, t)| *n += t);
                        }
                        tangent = next;
                    }
                    let f_dot: f64 = self.output.iter().zip(&tangent).map(|(b, t)| b * t).sum();
                    multiply_adds += width as u64 + 1;
                    out.push(df * f_dot); // L̇ = ∂L/∂f · ḟ
                }
            }
        }
        for &top in &pass.post[depth] {
            multiply_adds += 1;
            out.push(df * top); // ḟ = a_L,j, L̇ = ∂L/∂f · ḟ
        }
        self.work.multiply_adds += multiply_adds;
        self.work.forward_passes += out.len() as u64;
        out
    }

    fn parameter_mut(&mut self, index: usize) -> &mut f64 {
        let mut index = index;
        for layer in &mut self.layers {
            if index < layer.len() {
                return &mut layer[index];
            }
            index -= layer.len();
        }
        let last = self.output.len().saturating_sub(1);
        &mut self.output[index.min(last)]
    }

    /// ∂L/∂θ one parameter at a time by central differences: two forward passes each.
    pub fn finite_differences(&mut self, x: &[f64], y: f64) -> Flat {
        (0..self.parameter_count())
            .map(|i| self.finite_difference(i, x, y))
            .collect()
    }

    /// One entry of [`Chain::finite_differences`].
    pub fn finite_difference(&mut self, index: usize, x: &[f64], y: f64) -> f64 {
        let original = *self.parameter_mut(index);
        let step = 1e-6 * original.abs().max(1.0);
        *self.parameter_mut(index) = original + step;
        let plus = self.loss(x, y);
        *self.parameter_mut(index) = original - step;
        let minus = self.loss(x, y);
        *self.parameter_mut(index) = original;
        (plus - minus) / (2.0 * step)
    }

    /// ∂L/∂θ one parameter at a time by the chain rule written out for that parameter alone:
    /// a fresh forward pass, then the product of local derivatives from L down to the
    /// parameter's layer, sharing nothing with the other parameters.
    pub fn chain_rule_per_parameter(&mut self, x: &[f64], y: f64) -> Flat {
        let depth = self.depth();
        let mut out = Vec::with_capacity(self.parameter_count());
        for l in 0..depth {
            let fan_in = self.fan_in(l);
            for j in 0..self.width {
                for k in 0..fan_in {
                    out.push(self.chain_rule_for_weight(l, j, k, x, y));
                }
            }
        }
        for j in 0..self.width {
            let pass = self.forward(x);
            self.work.multiply_adds += 1;
            out.push(-2.0 * (y - pass.f) * pass.post[depth][j]); // ∂L/∂b_j = ∂L/∂f · a_L,j
        }
        out
    }

    /// `∂L/∂W_l[j,k] = δz_l,j · a_(l−1),k`, with δz_l,j worked out from the top for this entry.
    fn chain_rule_for_weight(&mut self, l: usize, j: usize, k: usize, x: &[f64], y: f64) -> f64 {
        let pass = self.forward(x);
        self.work.backward_passes += 1;
        let depth = self.depth();
        let df = -2.0 * (y - pass.f);
        let mut delta_a: Vec<f64> = self.output.iter().map(|b| df * b).collect();
        self.work.multiply_adds += self.width as u64;
        for upper in (l + 1..depth).rev() {
            let delta_z: Vec<f64> = (0..self.width)
                .map(|i| delta_a[i] * self.activation.derivative(pass.pre[upper][i]))
                .collect();
            let mut below = vec![0.0; self.width];
            for (row, d) in self.layers[upper].chunks_exact(self.width).zip(&delta_z) {
                below.iter_mut().zip(row).for_each(|(s, w)| *s += w * d);
            }
            if self.residual {
                below.iter_mut().zip(&delta_a).for_each(|(s, d)| *s += d);
            }
            self.work.multiply_adds += (self.width + self.width * self.width) as u64;
            delta_a = below;
        }
        self.work.multiply_adds += 2;
        delta_a[j] * self.activation.derivative(pass.pre[l][j]) * pass.post[l][k]
    }

    /// The mean over the examples of the backprop gradient.
    pub fn mean_gradient(&mut self, xs: &[f64], ys: &[f64]) -> Flat {
        let mut total = vec![0.0; self.parameter_count()];
        for (x, &y) in xs.chunks_exact(self.inputs).zip(ys) {
            let g = self.backprop(x, y);
            total.iter_mut().zip(&g).for_each(|(t, g)| *t += g);
        }
        let n = ys.len().max(1) as f64;
        total.iter_mut().for_each(|t| *t /= n);
        total
    }

    /// ‖∂L/∂W_l‖ for each layer and then ‖∂L/∂b‖, from a flat gradient.
    pub fn layer_norms(&self, gradient: &[f64]) -> Vec<f64> {
        let mut norms = Vec::with_capacity(self.depth() + 1);
        let mut start = 0;
        for size in self.layers.iter().map(Vec::len).chain([self.output.len()]) {
            let end = (start + size).min(gradient.len());
            norms.push(
                gradient[start..end]
                    .iter()
                    .map(|g| g * g)
                    .sum::<f64>()
                    .sqrt(),
            );
            start = end;
        }
        norms
    }

    /// One full-batch gradient step on the mean loss; false (and nothing changed) if the
    /// gradient is not finite.
    pub fn gradient_step(&mut self, xs: &[f64], ys: &[f64], learning_rate: f64) -> bool {
        let g = self.mean_gradient(xs, ys);
        if g.iter().any(|v| !v.is_finite()) {
            return false;
        }
        for (i, gi) in g.iter().enumerate() {
            *self.parameter_mut(i) -= learning_rate * gi;
        }
        true
    }

    /// Each layer's relative change ‖W_l − W_l(before)‖ / ‖W_l(before)‖ since `before` (the
    /// same chain earlier), then b's.
    pub fn relative_change(&self, before: &Chain) -> Vec<f64> {
        let after = self.layers.iter().chain([&self.output]);
        let before = before.layers.iter().chain([&before.output]);
        before
            .zip(after)
            .map(|(old, new)| {
                let change = old
                    .iter()
                    .zip(new)
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum::<f64>()
                    .sqrt();
                let size = old.iter().map(|a| a * a).sum::<f64>().sqrt().max(1e-300);
                change / size
            })
            .collect()
    }

    /// Multiply-adds of one full-batch step on n examples (the backprop count n times).
    pub fn step_work(&self, examples: usize) -> u64 {
        let fans: Vec<usize> = (0..self.depth()).map(|l| self.fan_in(l)).collect();
        counts::backprop(&fans, self.width) * examples as u64
    }
}

/// Closed-form multiply-add counts per example, for a chain with layer fan-ins `fan_ins`,
/// `width` units per layer and (for the formulas below) no residual connections.
pub mod counts {
    /// Forward pass: every layer's W·a plus the output's bᵀa.
    pub fn forward(fan_ins: &[usize], width: usize) -> u64 {
        (fan_ins.iter().map(|n| width * n).sum::<usize>() + width) as u64
    }

    /// The number of parameters.
    pub fn parameters(fan_ins: &[usize], width: usize) -> u64 {
        (fan_ins.iter().map(|n| width * n).sum::<usize>() + width) as u64
    }

    /// Backpropagation: one forward and one backward pass.
    pub fn backprop(fan_ins: &[usize], width: usize) -> u64 {
        let backward: usize = 2 * width
            + fan_ins
                .iter()
                .enumerate()
                .map(|(l, n)| width + width * n + if l > 0 { width * n } else { 0 })
                .sum::<usize>();
        forward(fan_ins, width) + backward as u64
    }

    /// Passes through the graph by backpropagation: one forward and one backward, whatever
    /// the size.
    pub const BACKPROP_PASSES: u64 = 2;

    /// Forward passes by central differences: two per parameter, L(θ + ε) and L(θ − ε).
    pub fn finite_difference_passes(fan_ins: &[usize], width: usize) -> u64 {
        2 * parameters(fan_ins, width)
    }

    /// Passes through the graph by forward mode: one forward pass for the values and one
    /// tangent pass per parameter.
    pub fn forward_mode_passes(fan_ins: &[usize], width: usize) -> u64 {
        1 + parameters(fan_ins, width)
    }

    /// Forward mode: a forward pass, then for each weight of layer l a tangent pass of 1 at
    /// its layer, (w·w + w) per layer above and w + 1 at the top; for each output weight 1.
    pub fn forward_mode(fan_ins: &[usize], width: usize) -> u64 {
        let depth = fan_ins.len();
        let tangents: usize = fan_ins
            .iter()
            .enumerate()
            .map(|(l, n)| {
                let above = (depth - 1 - l) * (width * width + width);
                width * n * (1 + above + width + 1)
            })
            .sum();
        forward(fan_ins, width) + (tangents + width) as u64
    }

    /// Finite differences: two forward passes per parameter.
    pub fn finite_differences(fan_ins: &[usize], width: usize) -> u64 {
        2 * parameters(fan_ins, width) * forward(fan_ins, width)
    }

    /// The chain rule per parameter: for each weight of layer l, a forward pass, the output
    /// step, one (w + w²) step per layer above, and 2 for the last factors; for each output
    /// weight, a forward pass and 1.
    pub fn chain_rule(fan_ins: &[usize], width: usize) -> u64 {
        let depth = fan_ins.len();
        let f = forward(fan_ins, width);
        let per_layer: u64 = fan_ins
            .iter()
            .enumerate()
            .map(|(l, n)| {
                let above = (depth - 1 - l) * (width + width * width);
                (width * n) as u64 * (f + (width + above + 2) as u64)
            })
            .sum();
        per_layer + width as u64 * (f + 1)
    }
}

/// The two-layer network's ‖∂L/∂A‖ and ‖∂L/∂b‖ (mean loss over the batch) with A multiplied
/// by each of `scales`: as A grows the hidden units saturate and ‖∂L/∂A‖ collapses, while
/// ‖∂L/∂b‖ (which only needs z2, not σ′) does not. `xs` must hold n·m numbers for n = ys.len().
pub fn weight_scale_study(
    network: &crate::network::Network,
    xs: &[f64],
    ys: &[f64],
    scales: &[f64],
) -> Vec<(f64, f64)> {
    scales
        .iter()
        .map(|&scale| {
            let mut scaled = network.clone();
            scaled.scale_a(scale);
            scaled.accumulate_gradient(xs, ys);
            scaled.last_gradient_norms()
        })
        .collect()
}
