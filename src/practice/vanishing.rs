//! Worksheet 1(c) in numbers: the most a gradient keeps through L sigmoid layers (0.25ᴸ), the
//! layer of a deep chain where the gradient falls below a threshold (computed by the same
//! [`Chain`] the vanishing panel trains), and which remedies help, with the chain's own numbers
//! in the reasons.
//!
//! ```
//! use backprop_lab::practice::vanishing::VanishingProblem;
//!
//! let problem = VanishingProblem::draw(7);
//! assert!(problem.check_factor(&format!("0.25^{}", problem.layers)).right);
//! assert!(!problem.check_factor("0.25").right);
//! ```

use super::limits::LimitVerdict;
use crate::activation::Activation;
use crate::chain::{Chain, Init};
use crate::data::{Points, Shape};
use crate::format::{format_significant, format_tick};
use crate::rng::Rng;

/// An answer is at most this many characters.
pub const MAX_ANSWER_CHARS: usize = 40;
/// The factor is accepted within this relative error.
pub const FACTOR_TOLERANCE: f64 = 0.01;
/// The number of sigmoid layers in the factor question is drawn from this range.
pub const LAYER_RANGE: (usize, usize) = (4, 12);
/// The chain of the layer question (the vanishing panel's [`Chain`], computed the same way):
/// its depth and width …
pub const CHAIN_DEPTH: usize = 10;
pub const CHAIN_WIDTH: usize = 8;
/// … and the threshold, as a fraction of the last layer's gradient norm.
pub const THRESHOLD_FRACTION: f64 = 0.01;
/// The chain learns from this many points of a sine (with a constant input), drawn from a seed.
pub const CHAIN_POINTS: usize = 20;
const CHAIN_SEED: u64 = 1;

/// One remedy offered for the vanishing gradient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    ReluActivations,
    CarefulInit,
    Normalisation,
    Residual,
    HigherRate,
    MoreLayers,
    LargeWeights,
    LongerTraining,
}

impl Remedy {
    pub const ALL: [Remedy; 8] = [
        Remedy::ReluActivations,
        Remedy::HigherRate,
        Remedy::CarefulInit,
        Remedy::MoreLayers,
        Remedy::Normalisation,
        Remedy::LargeWeights,
        Remedy::Residual,
        Remedy::LongerTraining,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Remedy::ReluActivations => "relu",
            Remedy::CarefulInit => "init",
            Remedy::Normalisation => "normalisation",
            Remedy::Residual => "residual",
            Remedy::HigherRate => "rate",
            Remedy::MoreLayers => "layers",
            Remedy::LargeWeights => "large-weights",
            Remedy::LongerTraining => "longer",
        }
    }

    pub fn from_name(name: &str) -> Option<Remedy> {
        Remedy::ALL.into_iter().find(|r| r.name() == name)
    }

    pub fn label(self) -> &'static str {
        match self {
            Remedy::ReluActivations => "Use ReLU-type activations (ReLU, leaky ReLU)",
            Remedy::CarefulInit => "Initialise the weights with care (Xavier or He)",
            Remedy::Normalisation => "Add normalisation layers (batch or layer norm)",
            Remedy::Residual => "Add residual (skip) connections",
            Remedy::HigherRate => "Raise the learning rate",
            Remedy::MoreLayers => "Add more sigmoid layers",
            Remedy::LargeWeights => "Start from large weights",
            Remedy::LongerTraining => "Train for more steps",
        }
    }

    pub fn helps(self) -> bool {
        matches!(
            self,
            Remedy::ReluActivations
                | Remedy::CarefulInit
                | Remedy::Normalisation
                | Remedy::Residual
        )
    }
}

/// The numbers 1(c) is checked against, computed once from the seed.
#[derive(Clone, Debug, PartialEq)]
pub struct VanishingProblem {
    /// L in "through L sigmoid layers".
    pub layers: usize,
    /// ‖∂L/∂W_l‖ for l = 1..=CHAIN_DEPTH of the sigmoid chain (Xavier initialisation).
    pub norms: Vec<f64>,
    /// Layer 1's gradient norm over layer D's: the sigmoid chain, the same with ReLU and He
    /// initialisation, the sigmoid chain with residual connections, and with small weights.
    pub kept_sigmoid: f64,
    pub kept_relu: f64,
    pub kept_residual: f64,
    pub kept_small: f64,
}

/// Layer 1's gradient norm over the last layer's, and every layer's norm, for a chain.
fn chain_norms(activation: Activation, init: Init, residual: bool) -> Vec<f64> {
    let points = Points::sample(Shape::Sine, CHAIN_POINTS, 0.1, CHAIN_SEED);
    let xs = points.features(true);
    match Chain::new(2, CHAIN_DEPTH, CHAIN_WIDTH, activation, init, CHAIN_SEED) {
        Ok(chain) => {
            let mut chain = chain.with_residual(residual);
            let gradient = chain.mean_gradient(&xs, &points.ys);
            let mut norms = chain.layer_norms(&gradient);
            norms.truncate(CHAIN_DEPTH); // the output weights' norm is not a layer's
            norms
        }
        Err(_) => Vec::new(),
    }
}

fn kept(norms: &[f64]) -> f64 {
    match (norms.first(), norms.last()) {
        (Some(first), Some(last)) if *last > 0.0 => first / last,
        _ => f64::NAN,
    }
}

/// 1(c)'s hints, each more specific than the last.
pub fn hints() -> [&'static str; super::HINT_LEVELS] {
    [
        "The chain rule multiplies one σ′ per sigmoid layer, and σ′ is at most 0.25.",
        "For the chain: work out 1% of layer 10's gradient, then go down from layer 10 to the first layer below it.",
        "A remedy helps if it keeps each layer's factor near 1: a slope of 1 (ReLU, skip paths) or pre-activations near 0, where σ′ is largest (initialisation, normalisation).",
    ]
}

/// Reads a number as typed: 9.54e-7, 9.54 × 10^-7, 0.25^10, (1/4)^10, 4^-10, 1/4, 1/4^10,
/// 0.25^{10}. The usual precedence holds: `^` binds tighter than `/` and a leading minus, so
/// 4/16^6 is 4/(16⁶) and −0.25^6 is −(0.25⁶), never (−0.25)⁶.
pub fn read_factor(text: &str) -> Option<f64> {
    let text: Vec<char> = text
        .replace('\u{2212}', "-")
        .replace("**", "^")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut reader = FactorReader { text: &text, at: 0 };
    let value = reader.signed()?;
    (reader.at == text.len() && value.is_finite()).then_some(value)
}

/// A reader of `[−] power [/ power]`, where a power is `atom [^ exponent]` and an atom a
/// number or a parenthesised `[−] power [/ power]`; `× 10^…` after a number is read too.
struct FactorReader<'a> {
    text: &'a [char],
    at: usize,
}

impl FactorReader<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.at += 1;
        }
        found
    }

    fn signed(&mut self) -> Option<f64> {
        let sign = if self.eat('-') {
            -1.0
        } else {
            self.eat('+');
            1.0
        };
        Some(sign * self.quotient()?)
    }

    fn quotient(&mut self) -> Option<f64> {
        let top = self.power()?;
        if self.eat('/') {
            let value = top / self.power()?;
            return value.is_finite().then_some(value);
        }
        Some(top)
    }

    fn power(&mut self) -> Option<f64> {
        let base = self.atom()?;
        if self.eat('^') {
            let value = base.powf(self.exponent()?);
            return value.is_finite().then_some(value);
        }
        Some(base)
    }

    fn atom(&mut self) -> Option<f64> {
        for (open, close) in [('(', ')'), ('{', '}')] {
            if self.eat(open) {
                let value = self.signed()?;
                return self.eat(close).then_some(value);
            }
        }
        let mantissa = self.number()?;
        // 9.54 × 10^-7: a number times a power of ten.
        let rest: String = self.text[self.at..].iter().take(4).collect();
        for times in ["×10^", "x10^", "*10^", "·10^"] {
            if rest == times {
                self.at += times.chars().count();
                let value = mantissa * 10f64.powf(self.exponent()?);
                return value.is_finite().then_some(value);
            }
        }
        Some(mantissa)
    }

    /// A number, perhaps signed, perhaps in parentheses or braces: 6, -6, (-6), {-6}.
    fn exponent(&mut self) -> Option<f64> {
        for (open, close) in [('(', ')'), ('{', '}')] {
            if self.eat(open) {
                let value = self.signed_number()?;
                return self.eat(close).then_some(value);
            }
        }
        self.signed_number()
    }

    fn signed_number(&mut self) -> Option<f64> {
        let sign = if self.eat('-') {
            -1.0
        } else {
            self.eat('+');
            1.0
        };
        Some(sign * self.number()?)
    }

    /// Digits with a point and an exponent (1e-3), as Rust reads them.
    fn number(&mut self) -> Option<f64> {
        let start = self.at;
        while let Some(c) = self.peek() {
            let exponent_sign = matches!(c, '-' | '+')
                && matches!(self.text.get(self.at.wrapping_sub(1)), Some('e' | 'E'))
                && self.at > start;
            if c.is_ascii_digit() || c == '.' || matches!(c, 'e' | 'E') || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        let digits: String = self.text[start..self.at].iter().collect();
        crate::decimal::read_decimal(&digits).filter(|v| v.is_finite())
    }
}

fn close(value: f64, right: f64) -> bool {
    (value - right).abs() <= FACTOR_TOLERANCE * right.abs()
}

impl VanishingProblem {
    /// The problem for a seed: L from [`LAYER_RANGE`]; the chain is the same for every seed.
    pub fn draw(seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x1c);
        let span = (LAYER_RANGE.1 - LAYER_RANGE.0 + 1) as f64;
        let layers =
            LAYER_RANGE.0 + ((rng.uniform(0.0, span) as usize).min(LAYER_RANGE.1 - LAYER_RANGE.0));
        let norms = chain_norms(Activation::Sigmoid, Init::Xavier, false);
        VanishingProblem {
            layers,
            kept_sigmoid: kept(&norms),
            norms,
            kept_relu: kept(&chain_norms(Activation::Relu, Init::He, false)),
            kept_residual: kept(&chain_norms(Activation::Sigmoid, Init::Xavier, true)),
            kept_small: kept(&chain_norms(Activation::Sigmoid, Init::Small, false)),
        }
    }

    /// The largest factor through `layers` sigmoid layers: 0.25ᴸ.
    pub fn factor(&self) -> f64 {
        0.25f64.powi(self.layers as i32)
    }

    /// Checks the factor.
    pub fn check_factor(&self, answer: &str) -> LimitVerdict {
        let l = self.layers as i32;
        let right = self.factor();
        let n = |v: f64| format_significant(v, 3);
        let wrong = |mistake, message: String| LimitVerdict {
            right: false,
            message,
            mistake: Some(mistake),
        };
        if answer.chars().count() > MAX_ANSWER_CHARS {
            return wrong(
                "unreadable",
                format!("An answer is at most {MAX_ANSWER_CHARS} characters."),
            );
        }
        let Some(value) = read_factor(answer) else {
            return wrong(
                "unreadable",
                "Type a number such as 0.001, 1e-3 or 0.5^4.".to_string(),
            );
        };
        if close(value, right) {
            return LimitVerdict {
                right: true,
                message: format!(
                    "Right: one factor σ′ ≤ 0.25 per layer, multiplied: 0.25^{l} = {} (accepted within {}%). That counts the σ′ factors alone; each layer's weights multiply the gradient too.",
                    n(right), format_tick(FACTOR_TOLERANCE * 100.0)
                ),
                mistake: None,
            };
        }
        if close(value, 0.25 * l as f64) {
            wrong("added", format!("That is 0.25 × {l}: the factors were added. The chain rule multiplies one factor per layer: 0.25^{l} = {}.", n(right)))
        } else if close(value, 0.25f64.powi(l - 1)) || close(value, 0.25f64.powi(l + 1)) {
            wrong("off-by-one", format!("Count the factors: each of the {l} layers multiplies the gradient by one σ′, so the exponent is {l}."))
        } else if close(value, 0.25) {
            wrong("one-layer", format!("0.25 is what one layer keeps at most; through {l} layers the factors multiply."))
        } else if close(value, 0.5f64.powi(l)) {
            wrong("half", format!("σ′ peaks at σ(0)(1 − σ(0)) = 0.5 · 0.5 = 0.25, not 0.5: the factor is 0.25^{l}."))
        } else if close(value, 1.0) {
            wrong("relu", "1 is what an active ReLU unit passes on; a sigmoid layer passes at most σ′(0) = 0.25.".to_string())
        } else if value == 0.0 {
            wrong(
                "zero",
                format!("The factor gets small but is never exactly 0: at most 0.25^{l}."),
            )
        } else if value > 1.0 {
            wrong(
                "grows",
                "Each layer multiplies by σ′ ≤ 0.25, so the factor can only shrink: it is below 1."
                    .to_string(),
            )
        } else {
            wrong(
                "other",
                format!("Not 0.25^{l}: each of the {l} layers multiplies by at most σ′(0) = 0.25."),
            )
        }
    }

    /// The layer of the chain whose gradient is the first below the threshold, counting back
    /// from the last: the highest-numbered l with ‖∂L/∂W_l‖ < fraction × ‖∂L/∂W_D‖. None if
    /// no layer is.
    pub fn threshold_layer(&self) -> Option<usize> {
        let last = *self.norms.last()?;
        (1..=self.norms.len())
            .rev()
            .find(|&l| self.norms[l - 1] < THRESHOLD_FRACTION * last)
    }

    /// Checks the layer number.
    pub fn check_layer(&self, answer: &str) -> LimitVerdict {
        let depth = self.norms.len();
        let wrong = |mistake, message: String| LimitVerdict {
            right: false,
            message,
            mistake: Some(mistake),
        };
        let Some(right) = self.threshold_layer() else {
            return wrong("undecided", "No layer of this chain falls below the threshold, so the question has no answer here.".to_string());
        };
        let text = answer.trim();
        let Some(layer) = (text.len() <= 3)
            .then(|| text.parse::<usize>().ok())
            .flatten()
        else {
            return wrong(
                "unreadable",
                format!("Type a layer number from 1 to {depth}."),
            );
        };
        if !(1..=depth).contains(&layer) {
            return wrong("range", format!("The layers are numbered 1 (next to the input) to {depth} (next to the output)."));
        }
        let ratio = |l: usize| self.norms[l - 1] / self.norms[depth - 1];
        let percent = |l: usize| format!("{}%", format_significant(100.0 * ratio(l), 2));
        let level = format!("{}%", format_tick(100.0 * THRESHOLD_FRACTION));
        if layer == right {
            return LimitVerdict {
                right: true,
                message: format!(
                    "Right: layer {right} keeps {} of layer {depth}'s gradient, below {level}, and every layer above it keeps more.",
                    percent(right)
                ),
                mistake: None,
            };
        }
        if layer == depth + 1 - right {
            return wrong("from-input", format!("Counted from the wrong end: layer 1 is next to the input and layer {depth} next to the output. Layer {layer} keeps {}.", percent(layer)));
        }
        if ratio(layer) >= THRESHOLD_FRACTION {
            return wrong("above", format!(
                "Layer {layer} still keeps {} of layer {depth}'s gradient, at least {level}. Keep going towards the input.",
                percent(layer)
            ));
        }
        wrong("past", format!(
            "Layer {layer} is below {level} ({}), but the gradient got there sooner: counting back from layer {depth}, find the first layer below {level}.",
            percent(layer)
        ))
    }

    /// Checks the chosen remedies: right when exactly the helpful ones are chosen. The message
    /// gives a reason for every wrong choice and names what was left out.
    pub fn check_remedies(&self, chosen: &[Remedy]) -> LimitVerdict {
        let mut reasons = Vec::new();
        for remedy in Remedy::ALL {
            if chosen.contains(&remedy) && !remedy.helps() {
                reasons.push(self.reason(remedy));
            }
        }
        let missed: Vec<&str> = Remedy::ALL
            .iter()
            .filter(|r| r.helps() && !chosen.contains(r))
            .map(|r| r.label())
            .collect();
        if reasons.is_empty() && missed.is_empty() {
            let why: Vec<String> = Remedy::ALL
                .iter()
                .filter(|r| r.helps())
                .map(|r| self.reason(*r))
                .collect();
            return LimitVerdict {
                right: true,
                message: format!("Right, all four help. {}", why.join(" ")),
                mistake: None,
            };
        }
        if !missed.is_empty() {
            reasons.push(format!(
                "{} more of the choices help{}.",
                missed.len(),
                if missed.len() == 1 { "s" } else { "" }
            ));
        }
        LimitVerdict {
            right: false,
            message: reasons.join(" "),
            mistake: Some(if chosen.iter().any(|r| !r.helps()) {
                "unhelpful"
            } else {
                "missed"
            }),
        }
    }

    /// Why a remedy helps or does not, with the chain's numbers where the chain can show it.
    pub fn reason(&self, remedy: Remedy) -> String {
        let share = |v: f64| format_significant(v, 2);
        let base = share(self.kept_sigmoid);
        match remedy {
            Remedy::ReluActivations => format!(
                "ReLU passes the gradient with slope 1 wherever a unit is active, so no factor of 0.25 per layer: in the 10-layer chain, layer 1 keeps {} of layer 10's gradient with ReLU (He initialisation) against {base} with the sigmoid.",
                share(self.kept_relu)
            ),
            Remedy::CarefulInit => format!(
                "Xavier or He initialisation keeps the pre-activations near 0, where σ′ is largest, and the signal the same size from layer to layer; with tiny weights (standard deviation 0.01) layer 1 keeps only {} of layer 10's gradient.",
                share(self.kept_small)
            ),
            Remedy::Normalisation => "Normalisation re-centres and rescales every layer's pre-activations, keeping them out of the flat ends of σ.".to_string(),
            Remedy::Residual => format!(
                "A skip connection a_l = a_(l−1) + σ(W_l a_(l−1)) gives the gradient a path with slope 1 around each layer: layer 1 keeps {} instead of {base}.",
                share(self.kept_residual)
            ),
            Remedy::HigherRate => format!(
                "Raising the learning rate: every step is the rate times the gradient, so all layers speed up alike. Layer 1 still gets {base} of what layer 10 gets, and the last layers start to overshoot."
            ),
            Remedy::MoreLayers => "More sigmoid layers: each multiplies the gradient by another σ′ ≤ 0.25, so the first layers get even less.".to_string(),
            Remedy::LargeWeights => "Large weights push the pre-activations far from 0, into the flat ends of σ where σ′ ≈ 0: the gradient vanishes faster.".to_string(),
            Remedy::LongerTraining => format!(
                "Training longer does not change the ratio: the first layer still moves about {base} as fast as the last, so it stays nearly where it started."
            ),
        }
    }
}
