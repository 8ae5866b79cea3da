//! Activation functions, each written beside its derivative.
//!
//! Every function here is finite for every finite input: the sigmoid never computes
//! `exp` of a large positive number, so σ(−1000) = 0 and σ(1000) = 1 without overflow.

use crate::math::{exp, tanh};
use std::fmt;
use std::str::FromStr;

/// An element-wise non-linearity σ used in the hidden layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Activation {
    /// σ(x) = 1 / (1 + e^(−x)); σ′(x) = σ(x)(1 − σ(x)).
    Sigmoid,
    /// ReLU(x) = max(0, x); ReLU′(x) = 1 for x > 0, else 0 (we take ReLU′(0) = 0).
    Relu,
    /// tanh(x); tanh′(x) = 1 − tanh²(x).
    Tanh,
    /// x for x > 0, else 0.01·x; derivative 1 or 0.01.
    LeakyRelu,
    /// softplus(x) = ln(1 + e^x), a smooth ReLU; softplus′(x) = σ(x).
    Softplus,
}

/// A unit whose slope σ′ is below this counts as saturated: it passes almost no gradient back.
pub const SATURATION_LEVEL: f64 = 0.01;

/// The slope of leaky ReLU for negative inputs.
pub const LEAKY_SLOPE: f64 = 0.01;

impl Activation {
    /// Every activation, in the order the page lists them.
    pub const ALL: [Activation; 5] = [
        Activation::Sigmoid,
        Activation::Relu,
        Activation::Tanh,
        Activation::LeakyRelu,
        Activation::Softplus,
    ];

    /// The name used in the JavaScript API and in URLs.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Softplus => "softplus",
        }
    }

    /// The name a student reads on the page.
    pub fn label(self) -> &'static str {
        match self {
            Activation::Sigmoid => "sigmoid",
            Activation::Relu => "ReLU",
            Activation::Tanh => "tanh",
            Activation::LeakyRelu => "leaky ReLU",
            Activation::Softplus => "softplus",
        }
    }

    /// The function's value at `x`.
    pub fn value(self, x: f64) -> f64 {
        match self {
            Activation::Sigmoid => sigmoid(x),
            Activation::Relu => x.max(0.0),
            // The crate's tanh (within 2 ulp of the standard library's): the same bits on
            // every platform, and a lane version for the training kernel.
            Activation::Tanh => tanh(x),
            Activation::LeakyRelu => {
                if x > 0.0 {
                    x
                } else {
                    LEAKY_SLOPE * x
                }
            }
            // ln(1 + e^x) = max(x, 0) + ln(1 + e^(−|x|)): no overflow for large x.
            Activation::Softplus => x.max(0.0) + exp(-x.abs()).ln_1p(),
        }
    }

    /// The derivative at `x`, computed directly from `x` and accurate in the tails.
    pub fn derivative(self, x: f64) -> f64 {
        match self {
            // σ(x)(1 − σ(x)) = e^(−|x|) / (1 + e^(−|x|))²: no cancellation for large |x|.
            Activation::Sigmoid => {
                let e = exp(-x.abs());
                e / ((1.0 + e) * (1.0 + e))
            }
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            // 1 − tanh²(x) = 4e^(−2|x|) / (1 + e^(−2|x|))².
            Activation::Tanh => {
                let e = exp(-2.0 * x.abs());
                4.0 * e / ((1.0 + e) * (1.0 + e))
            }
            Activation::LeakyRelu => {
                if x > 0.0 {
                    1.0
                } else {
                    LEAKY_SLOPE
                }
            }
            Activation::Softplus => sigmoid(x),
        }
    }

    /// The derivative at `z1`, reusing `z2 = value(z1)` from the forward pass where the
    /// formula allows it, as backpropagation does: σ′ = z2(1 − z2), tanh′ = 1 − z2².
    #[inline]
    pub fn derivative_from_output(self, z1: f64, z2: f64) -> f64 {
        match self {
            Activation::Sigmoid => z2 * (1.0 - z2),
            Activation::Tanh => 1.0 - z2 * z2,
            other => other.derivative(z1),
        }
    }

    /// How [`Activation::derivative_from_output`] writes the derivative: in the forward
    /// values where it uses them ("z2(1 − z2)"), else as σ′(z1).
    pub fn derivative_from_output_text(self) -> &'static str {
        match self {
            Activation::Sigmoid => "z2(1 − z2)",
            Activation::Tanh => "1 − z2²",
            _ => "σ′(z1)",
        }
    }

    /// Whether the derivative jumps at x = 0 (ReLU and leaky ReLU have a kink there).
    pub fn derivative_jumps_at_zero(self) -> bool {
        matches!(self, Activation::Relu | Activation::LeakyRelu)
    }

    /// The names accepted by [`Activation::from_str`], for error messages.
    pub fn valid_names() -> String {
        Activation::ALL
            .iter()
            .map(|a| format!("\"{}\"", a.name()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The logistic sigmoid, written so that `exp` only ever sees a non-positive argument.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    let e = exp(-x.abs());
    if x >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    }
}

/// The |x| beyond which σ′(x) < `level` (for 0 < level < 0.25): solving σ(1 − σ) = level
/// gives σ = (1 + √(1 − 4·level)) / 2 and x = ln(σ / (1 − σ)).
pub fn sigmoid_saturation_edge(level: f64) -> f64 {
    let s = (1.0 + (1.0 - 4.0 * level).sqrt()) / 2.0;
    (s / (1.0 - s)).ln()
}

/// An activation name that is not one of [`Activation::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownActivation(pub String);

impl fmt::Display for UnknownActivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown activation \"{}\"; valid names are {}",
            self.0,
            Activation::valid_names()
        )
    }
}

impl std::error::Error for UnknownActivation {}

impl FromStr for Activation {
    type Err = UnknownActivation;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| UnknownActivation(name.to_string()))
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
