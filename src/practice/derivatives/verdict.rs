//! What the student reads about a typed derivative: the verdict, and its text.

use super::{Derivative, Mistake};
use crate::expr::{Dim, ParseError, Shape, ShapeError, Symbol, Value};
use crate::format::format_significant;
use std::fmt;

/// An answer's value next to the right one on one example.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Which example (0-based) of the check.
    pub case: usize,
    /// The example's h and m.
    pub hidden: usize,
    pub inputs: usize,
    pub yours: Value,
    pub right: Value,
}

/// The answer has the wrong shape.
#[derive(Clone, Debug, PartialEq)]
pub struct WrongShape {
    pub derivative: Derivative,
    pub expected: Shape,
    pub found: Shape,
    /// h and m of the first example, for the sizes in the message.
    pub hidden: usize,
    pub inputs: usize,
    /// Known mistakes whose formula has the answer's shape and its values.
    pub mistakes: Vec<Mistake>,
    /// The names the answer uses, for advice on what it lacks.
    pub mentions: Vec<Symbol>,
}

/// The result of checking a typed derivative.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Equal to backpropagation on every example. `implicit_entrywise`: some product of two
    /// vectors was read entry by entry (worth a note that ⊙ says so).
    Right { implicit_entrywise: bool },
    /// The text is not an expression.
    Unreadable(ParseError),
    /// The expression's own shapes do not fit.
    BadShapes(ShapeError),
    /// The expression works but has the wrong shape for this derivative.
    WrongShape(WrongShape),
    /// Right shape, wrong values, explained by known mistakes.
    Mistaken(Vec<Mistake>),
    /// A constant multiple of the right answer (not −1, ½ or −½, which are mistakes).
    Multiple { factor: f64 },
    /// Wrong, with no known explanation.
    NotEqual(Comparison),
    /// The answer is infinite or NaN on an example (a division by zero?).
    NotFinite { case: usize },
    /// Equal to about 6 digits but not to 9: float64 cannot tell rounding from a mistake.
    Undecided(Comparison),
}

impl Verdict {
    pub fn is_right(&self) -> bool {
        matches!(self, Verdict::Right { .. })
    }

    /// The known mistakes found (empty if none).
    pub fn mistakes(&self) -> &[Mistake] {
        match self {
            Verdict::Mistaken(mistakes) => mistakes,
            Verdict::WrongShape(shape) => &shape.mistakes,
            _ => &[],
        }
    }

    /// A stable name for the page: "right", "unreadable", "bad_shapes", "wrong_shape",
    /// "mistaken", "multiple", "not_equal", "not_finite", "undecided".
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Right { .. } => "right",
            Verdict::Unreadable(_) => "unreadable",
            Verdict::BadShapes(_) => "bad_shapes",
            Verdict::WrongShape(_) => "wrong_shape",
            Verdict::Mistaken(_) => "mistaken",
            Verdict::Multiple { .. } => "multiple",
            Verdict::NotEqual(_) => "not_equal",
            Verdict::NotFinite { .. } => "not_finite",
            Verdict::Undecided(_) => "undecided",
        }
    }
}

fn write_hints(f: &mut fmt::Formatter<'_>, mistakes: &[Mistake]) -> fmt::Result {
    for mistake in mistakes {
        write!(f, " {}", mistake.hint())?;
    }
    Ok(())
}

/// The fewest significant digits, from 6 to 8, at which `yours` and `right` read differently
/// (8 if none: the check calls a difference below 10⁻⁶ of the value undecided, not wrong).
fn distinguishing_digits(yours: &Value, right: &Value) -> usize {
    (6..=8)
        .find(|&digits| yours.to_text(digits) != right.to_text(digits))
        .unwrap_or(8)
}

/// A factor in the fewest significant digits (4 to 8, trailing zeros dropped) that do not
/// read as 1: 2, −0.25, 0.3333, 1.00002.
fn factor_text(factor: f64) -> String {
    let trimmed = |digits: usize| {
        let mut text = format_significant(factor, digits);
        if text.contains('.') && !text.contains('e') && !text.contains('×') {
            while text.ends_with('0') {
                text.pop();
            }
            if text.ends_with('.') {
                text.pop();
            }
        }
        text
    };
    (4..=8)
        .map(trimmed)
        .find(|text| text != "1")
        .unwrap_or_else(|| trimmed(8))
}

/// What the shape says about the answer: what shape is due, and what the answer lacks.
fn shape_advice(shape: &WrongShape) -> String {
    let (expected, found) = (shape.expected, shape.found);
    let mentions = |symbol: Symbol| shape.mentions.contains(&symbol);
    let has_vector = shape.mentions.iter().any(|s| !s.shape().is_scalar());
    if found == expected.transposed() && !expected.is_scalar() {
        return if shape.derivative == Derivative::A {
            " Is an outer product the wrong way round?".to_string()
        } else {
            " A row where a column belongs: a gradient has the shape of its variable.".to_string()
        };
    }
    let (variable, brings) = match shape.derivative {
        Derivative::Z4 | Derivative::Z3 => {
            let name = if shape.derivative == Derivative::Z4 {
                "z4"
            } else {
                "z3"
            };
            return format!(
                " {name} is one number, so ∂L/∂{name} is one number too: which vector or matrix \
                 crept in?"
            );
        }
        Derivative::Z2 => ("z2", "the step z3 = bᵀz2 brings in b (∂z3/∂z2 = b)"),
        Derivative::B => ("b", "the step z3 = bᵀz2 brings in z2 (∂z3/∂b = z2)"),
        Derivative::Z1 => (
            "z1",
            "the chain brings in b and σ′(z1), entry by entry: b ⊙ σ′(z1)",
        ),
        Derivative::A => {
            let lacking = if !mentions(Symbol::X) {
                " Your answer has no x in it."
            } else if found.is_scalar() {
                " A dot product (uᵀv) makes yours one number."
            } else if found == Shape::new(Dim::H, Dim::One) {
                " Yours is a column: the row xᵀ is missing on the right."
            } else {
                ""
            };
            return format!(
                " ∂L/∂A has one entry per weight A_ij, like A: the column ∂L/∂z1 (h entries) \
                 times the row xᵀ (m entries).{lacking}"
            );
        }
    };
    let lacking = if !found.is_scalar() {
        ""
    } else if has_vector {
        " A dot product (uᵀv) in yours makes it one number where ⊙ or a vector belongs."
    } else {
        " Your answer has no vector in it."
    };
    format!(
        " ∂L/∂{variable} has one entry per hidden unit, like {variable} (a column of h): \
         {brings}.{lacking}"
    )
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Right { implicit_entrywise } => {
                f.write_str("Right.")?;
                if *implicit_entrywise {
                    f.write_str(
                        " (A product of two vectors of the same shape was read entry by entry; \
                         ⊙ says so explicitly.)",
                    )?;
                }
                Ok(())
            }
            Verdict::Unreadable(error) => error.fmt(f),
            Verdict::BadShapes(error) => error.fmt(f),
            Verdict::WrongShape(shape) => {
                let sized = |s: Shape| {
                    if s.is_scalar() {
                        "a number (1 × 1)".to_string()
                    } else {
                        s.with_sizes(shape.hidden, shape.inputs)
                    }
                };
                write!(
                    f,
                    "{} must be {}; yours is {}.",
                    shape.derivative.label(),
                    sized(shape.expected),
                    sized(shape.found),
                )?;
                if shape.mistakes.is_empty() {
                    f.write_str(&shape_advice(shape))
                } else {
                    write_hints(f, &shape.mistakes)
                }
            }
            Verdict::Mistaken(mistakes) => {
                f.write_str("Not yet.")?;
                write_hints(f, mistakes)
            }
            Verdict::Multiple { factor } => write!(
                f,
                "Not yet: your answer is {} times the right one on every example. The rest is \
                 right; look for a missing or extra constant factor.",
                factor_text(*factor)
            ),
            Verdict::NotEqual(comparison) => {
                let digits = distinguishing_digits(&comparison.yours, &comparison.right);
                write!(
                    f,
                    "Not equal: on example {} (m = {}, h = {}) yours is {} but the right value \
                     is {}.",
                    comparison.case + 1,
                    comparison.inputs,
                    comparison.hidden,
                    comparison.yours.to_text(digits),
                    comparison.right.to_text(digits)
                )
            }
            Verdict::NotFinite { case } => write!(
                f,
                "Your expression gives an infinite or undefined number on example {} (a \
                 division by zero?), so it can't be compared.",
                case + 1
            ),
            Verdict::Undecided(comparison) => write!(
                f,
                "Can't decide: on example {} your answer agrees with the right one to about 6 \
                 digits but not to 9. That is too close to call a mistake and too far for \
                 rounding in a short formula. Simplify the expression (avoid very large or very \
                 small numbers) and check again.",
                comparison.case + 1
            ),
        }
    }
}
