//! Worksheet 1(b): what σ′ and ReLU′ do as x → ±∞, and from which x on σ′ stays below the
//! saturation level, checked with the usual confusions named.
//!
//! ```
//! use backprop_lab::practice::limits::{check_limit, LimitQuestion};
//!
//! assert!(check_limit(LimitQuestion::SigmoidPlus, "0").right);
//! assert!(check_limit(LimitQuestion::ReluPlus, "1").right);
//! assert_eq!(check_limit(LimitQuestion::SigmoidPlus, "1").mistake, Some("sigma-for-slope"));
//! assert!(check_limit(LimitQuestion::Threshold, "4.6").right);
//! ```

use crate::activation::{sigmoid_saturation_edge, Activation, SATURATION_LEVEL};
use crate::format::{format_significant, format_tick};

/// An answer is at most this many characters.
pub const MAX_ANSWER_CHARS: usize = 32;
/// The threshold x is accepted within this of the true one.
pub const THRESHOLD_TOLERANCE: f64 = 0.05;

/// The questions of 1(b), in the page's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitQuestion {
    SigmoidPlus,
    SigmoidMinus,
    ReluPlus,
    ReluMinus,
    Threshold,
}

impl LimitQuestion {
    pub const ALL: [LimitQuestion; 5] = [
        LimitQuestion::SigmoidPlus,
        LimitQuestion::SigmoidMinus,
        LimitQuestion::ReluPlus,
        LimitQuestion::ReluMinus,
        LimitQuestion::Threshold,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LimitQuestion::SigmoidPlus => "sigmoid-plus",
            LimitQuestion::SigmoidMinus => "sigmoid-minus",
            LimitQuestion::ReluPlus => "relu-plus",
            LimitQuestion::ReluMinus => "relu-minus",
            LimitQuestion::Threshold => "threshold",
        }
    }

    pub fn from_name(name: &str) -> Option<LimitQuestion> {
        LimitQuestion::ALL.into_iter().find(|q| q.name() == name)
    }

    /// The label beside the answer box.
    pub fn label(self) -> String {
        match self {
            LimitQuestion::SigmoidPlus => "σ′(x) as x → +∞".to_string(),
            LimitQuestion::SigmoidMinus => "σ′(x) as x → −∞".to_string(),
            LimitQuestion::ReluPlus => "ReLU′(x) as x → +∞".to_string(),
            LimitQuestion::ReluMinus => "ReLU′(x) as x → −∞".to_string(),
            LimitQuestion::Threshold => format!(
                "x > 0 beyond which σ′(x) < {}",
                format_tick(SATURATION_LEVEL)
            ),
        }
    }

    /// The right answer: the limit, or the x where σ′ falls to the saturation level.
    pub fn answer(self) -> f64 {
        match self {
            LimitQuestion::SigmoidPlus | LimitQuestion::SigmoidMinus | LimitQuestion::ReluMinus => {
                0.0
            }
            LimitQuestion::ReluPlus => 1.0,
            LimitQuestion::Threshold => sigmoid_saturation_edge(SATURATION_LEVEL),
        }
    }

    /// How far from the right number an answer may be: the limits are exact.
    pub fn tolerance(self) -> f64 {
        match self {
            LimitQuestion::Threshold => THRESHOLD_TOLERANCE,
            _ => 0.0,
        }
    }

    /// The right answer as the page shows it.
    pub fn answer_text(self) -> String {
        match self {
            LimitQuestion::Threshold => format_significant(self.answer(), 3),
            _ => format_tick(self.answer()),
        }
    }
}

/// A checked answer: right or not, what to say, and the mistake's name when one was
/// recognised.
#[derive(Clone, Debug, PartialEq)]
pub struct LimitVerdict {
    pub right: bool,
    pub message: String,
    pub mistake: Option<&'static str>,
}

impl LimitVerdict {
    fn right(message: impl Into<String>) -> Self {
        LimitVerdict {
            right: true,
            message: message.into(),
            mistake: None,
        }
    }
    fn wrong(mistake: &'static str, message: impl Into<String>) -> Self {
        LimitVerdict {
            right: false,
            message: message.into(),
            mistake: Some(mistake),
        }
    }
}

/// 1(b)'s hints, each more specific than the last.
pub fn hints() -> [&'static str; super::HINT_LEVELS] {
    [
        "Far out, is the function flat or steep? A flat stretch has slope 0.",
        "σ′ = σ(1 − σ): σ → 1 on the right and σ → 0 on the left. ReLU(x) = x on the right, 0 on the left.",
        "For large x, σ′(x) ≈ e^(−x): solve e^(−x) = 0.01 for x.",
    ]
}

/// Reads a number as a student types it: 0, 0.25, −4.6, 1e-3, ∞, inf, +∞, −∞, -infinity.
pub fn read_number(text: &str) -> Option<f64> {
    let text = text.trim().replace('\u{2212}', "-").replace(',', ".");
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest.trim()),
        None => (1.0, text.strip_prefix('+').unwrap_or(&text).trim()),
    };
    let lower = rest.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "∞" | "inf" | "infinity" | "infty" | "\\infty"
    ) {
        return Some(sign * f64::INFINITY);
    }
    if lower.is_empty()
        || !lower
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-' | '+'))
    {
        return None;
    }
    // A number too small for float64 (1e-400) reads as 0: it is not 0, so it is not read.
    let mantissa = lower.split('e').next().unwrap_or("");
    let nonzero = mantissa.chars().any(|c| matches!(c, '1'..='9'));
    crate::decimal::read_decimal(&lower)
        .filter(|v| !v.is_nan())
        .filter(|v| *v != 0.0 || !nonzero)
        .map(|v| sign * v)
}

/// Checks an answer to one question of 1(b).
pub fn check_limit(question: LimitQuestion, answer: &str) -> LimitVerdict {
    if answer.chars().count() > MAX_ANSWER_CHARS {
        return LimitVerdict::wrong(
            "unreadable",
            format!(
                "An answer is at most {MAX_ANSWER_CHARS} characters: a number, or ∞ (type inf)."
            ),
        );
    }
    let Some(value) = read_number(answer) else {
        return LimitVerdict::wrong(
            "unreadable",
            "Type a number (such as 0.5 or −2), or ∞ and −∞ (type inf and -inf).",
        );
    };
    if question == LimitQuestion::Threshold {
        return check_threshold(value);
    }
    let is = |v: f64| value == v;
    let n = |v: f64| format_significant(v, 2);
    let sigmoid_at = |x: f64| Activation::Sigmoid.derivative(x);
    if is(question.answer()) {
        let why = match question {
            LimitQuestion::SigmoidPlus => "σ → 1 and flattens out, so σ′ = σ(1 − σ) → 1 · 0 = 0.",
            LimitQuestion::SigmoidMinus => "σ → 0 and flattens out, so σ′ = σ(1 − σ) → 0 · 1 = 0.",
            LimitQuestion::ReluPlus => "ReLU(x) = x for x > 0: its slope is exactly 1 however large x gets, so the gradient never vanishes there.",
            LimitQuestion::ReluMinus => "ReLU(x) = 0 for x < 0: a flat line, slope exactly 0. A unit whose input stays negative gets no gradient.",
            LimitQuestion::Threshold => "",
        };
        return LimitVerdict::right(format!("Right: {why}"));
    }
    if value < 0.0 {
        return LimitVerdict::wrong(
            "negative",
            format!(
                "A slope of {} would mean the function decreases; σ and ReLU never decrease, so their derivatives are never below 0.",
                if value.is_infinite() { "−∞".to_string() } else { n(value) }
            ),
        );
    }
    match question {
        LimitQuestion::SigmoidPlus | LimitQuestion::SigmoidMinus => {
            let far = if question == LimitQuestion::SigmoidPlus {
                10.0
            } else {
                -10.0
            };
            if is(1.0) && question == LimitQuestion::SigmoidPlus {
                LimitVerdict::wrong("sigma-for-slope", "That is the limit of σ itself: σ(x) → 1. Its slope σ′ = σ(1 − σ) → 1 · 0 = 0, because σ flattens out.")
            } else if is(1.0) {
                LimitVerdict::wrong("sigma-for-slope", "σ′ is symmetric, σ′(−x) = σ′(x), and σ is flat far to the left as well as to the right (σ → 0), so σ′ → 0.")
            } else if is(0.25) {
                LimitVerdict::wrong("peak", "0.25 is σ′'s largest value, at x = 0. Far from 0, σ flattens and σ′ falls towards 0.")
            } else if is(0.5) {
                LimitVerdict::wrong("sigma-at-zero", "0.5 is σ(0), the value of σ at 0, not the limit of its slope. Far out, σ′ → 0.")
            } else if value.is_infinite() {
                LimitVerdict::wrong(
                    "unbounded",
                    "σ′ is never larger than 0.25: σ′ = σ(1 − σ) with 0 < σ < 1.",
                )
            } else {
                LimitVerdict::wrong(
                    "other",
                    format!(
                        "Not the limit: σ′({}) is already {} and keeps falling, like e^(−|x|).",
                        n(far),
                        n(sigmoid_at(far))
                    ),
                )
            }
        }
        LimitQuestion::ReluPlus => {
            if value.is_infinite() {
                LimitVerdict::wrong(
                    "relu-for-slope",
                    "That is the limit of ReLU itself: ReLU(x) = x → ∞. Its slope stays 1.",
                )
            } else if is(0.0) {
                LimitVerdict::wrong("vanishes", "ReLU′ does not vanish for large x: ReLU(x) = x has slope 1 for every x > 0. That is why ReLU networks keep their gradients.")
            } else {
                LimitVerdict::wrong("other", "ReLU(x) = x for every x > 0, a line of slope 1, so ReLU′(x) = 1 there, however large x gets.")
            }
        }
        LimitQuestion::ReluMinus => {
            if is(1.0) {
                LimitVerdict::wrong("sides", "1 is the slope for x > 0. For x < 0, ReLU(x) = 0, a flat line, so its slope is 0.")
            } else {
                LimitVerdict::wrong("other", "For x < 0, ReLU(x) = max(0, x) = 0, a flat line, so ReLU′(x) = 0 for every negative x.")
            }
        }
        LimitQuestion::Threshold => check_threshold(value),
    }
}

fn check_threshold(value: f64) -> LimitVerdict {
    let edge = LimitQuestion::Threshold.answer();
    let level = format_tick(SATURATION_LEVEL);
    let n = |v: f64| format_significant(v, 3);
    if (value - edge).abs() <= THRESHOLD_TOLERANCE {
        return LimitVerdict::right(format!(
            "Right: σ′({}) = {}, and σ′ keeps falling beyond it (accepted within ±{} of {}). By symmetry σ′ < {level} for x < −{} too.",
            n(edge), format_tick(SATURATION_LEVEL), format_tick(THRESHOLD_TOLERANCE), n(edge), n(edge)
        ));
    }
    if (value + edge).abs() <= THRESHOLD_TOLERANCE {
        return LimitVerdict::wrong("negative-side", format!(
            "That is where σ′ falls below {level} on the left (σ′ is symmetric). The question asks for the positive x."
        ));
    }
    if value == SATURATION_LEVEL {
        return LimitVerdict::wrong(
            "level",
            format!("{level} is the level σ′ falls below; the answer is the x where that happens."),
        );
    }
    if value.is_infinite() {
        return LimitVerdict::wrong(
            "never",
            format!(
            "σ′ reaches 0 only in the limit, but it falls below {level} at a finite x, like e^(−x)."
        ),
        );
    }
    let slope = Activation::Sigmoid.derivative(value);
    if value < edge {
        LimitVerdict::wrong("too-small", format!(
            "At x = {} σ′ is still {} (above {level}); go further right. Hint: for large x, σ′ ≈ e^(−x).",
            n(value), n(slope)
        ))
    } else {
        LimitVerdict::wrong("too-large", format!(
            "σ′({}) = {} is below {level}, but σ′ crossed {level} earlier: find where σ′(x) = {level} (accepted within ±{}).",
            n(value), format_significant(slope, 2), format_tick(THRESHOLD_TOLERANCE)
        ))
    }
}
