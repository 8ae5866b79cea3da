//! The typed-derivative exercises (∂L/∂z4 … ∂L/∂z1, worksheet 2(b) ∂L/∂b and 2(c) ∂L/∂A)
//! and the checker: shape first, then values on random examples, then a diagnosis by
//! comparing the answer with known wrong formulas on the same examples.

use super::cases::{close, matches, Cases, CHECK_CASES, CLOSE_TOLERANCE, RELATIVE_TOLERANCE};
use super::HINT_LEVELS;
use crate::expr::{Dim, Expression, ParseError, Shape, ShapeError, Value};
use crate::format::format_significant;
use crate::network::Gradients;
use std::fmt;

/// A derivative a student types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derivative {
    /// ∂L/∂z4, a number.
    Z4,
    /// ∂L/∂z3, a number.
    Z3,
    /// ∂L/∂z2, h × 1.
    Z2,
    /// ∂L/∂z1, h × 1.
    Z1,
    /// ∂L/∂b, h × 1 (worksheet 2(b)).
    B,
    /// ∂L/∂A, h × m (worksheet 2(c)).
    A,
}

/// A known mistake, found by comparing values with a wrong formula.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mistake {
    /// The 2 from the square is missing.
    FactorTwoMissing,
    /// The sign is flipped (the −1 of z4 = y − z3 lost, or added once too often).
    SignLost,
    /// σ′ is missing on the way from z2 to z1.
    SigmaPrimeMissing,
    /// σ where σ′ belongs.
    SigmaForSigmaPrime,
    /// σ′ evaluated at z2, or written z1(1 − z1).
    SigmaPrimeWrongArgument,
    /// z3 where z4 belongs.
    Z3ForZ4,
    /// z1 where z2 belongs.
    Z1ForZ2,
    /// b is missing.
    BMissing,
    /// x is missing from ∂L/∂A.
    XMissing,
    /// z2 and b swapped: ∂(bᵀz2)/∂b = z2, ∂(bᵀz2)/∂z2 = b.
    SwappedDotProduct,
    /// A σ′ where none belongs (above σ in the graph).
    ExtraSigmaPrime,
    /// A dot product bᵀσ′(z1) where b ⊙ σ′(z1) belongs.
    DotInsteadOfEntrywise,
    /// A row where a column belongs.
    TransposedVector,
    /// x (…)ᵀ instead of (…) xᵀ.
    TransposedOuterProduct,
    /// z1ᵀ or z2ᵀ where xᵀ belongs.
    WrongInputForA,
    /// σ′(z1) where z2 = σ(z1) belongs (∂L/∂b).
    SigmaPrimeForZ2,
}

impl Mistake {
    /// A stable name for the page: "factor_two_missing", ….
    pub fn name(self) -> &'static str {
        match self {
            Mistake::FactorTwoMissing => "factor_two_missing",
            Mistake::SignLost => "sign_lost",
            Mistake::SigmaPrimeMissing => "sigma_prime_missing",
            Mistake::SigmaForSigmaPrime => "sigma_for_sigma_prime",
            Mistake::SigmaPrimeWrongArgument => "sigma_prime_wrong_argument",
            Mistake::Z3ForZ4 => "z3_for_z4",
            Mistake::Z1ForZ2 => "z1_for_z2",
            Mistake::BMissing => "b_missing",
            Mistake::XMissing => "x_missing",
            Mistake::SwappedDotProduct => "swapped_dot_product",
            Mistake::ExtraSigmaPrime => "extra_sigma_prime",
            Mistake::DotInsteadOfEntrywise => "dot_instead_of_entrywise",
            Mistake::TransposedVector => "transposed_vector",
            Mistake::TransposedOuterProduct => "transposed_outer_product",
            Mistake::WrongInputForA => "wrong_input_for_a",
            Mistake::SigmaPrimeForZ2 => "sigma_prime_for_z2",
        }
    }

    /// What went wrong and how to fix it, for the student.
    pub fn hint(self) -> &'static str {
        match self {
            Mistake::FactorTwoMissing => {
                "The factor 2 is missing: it comes from the square, ∂(z4²)/∂z4 = 2 z4, and \
                 stays in every derivative below."
            }
            Mistake::SignLost => {
                "The sign is flipped. The only minus comes from z4 = y − z3 (∂z4/∂z3 = −1): \
                 ∂L/∂z4 = 2 z4 has no minus, everything below z4 has one."
            }
            Mistake::SigmaPrimeMissing => {
                "σ′ is missing: going back through z2 = σ(z1) multiplies by σ′(z1) = \
                 z2 ⊙ (1 − z2), entry by entry."
            }
            Mistake::SigmaForSigmaPrime => {
                "σ stands where its derivative belongs: going back through z2 = σ(z1) needs \
                 σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2), not σ(z1) = z2."
            }
            Mistake::SigmaPrimeWrongArgument => {
                "σ′ is taken at the wrong place: it is evaluated at σ's input z1, σ′(z1) = \
                 z2 ⊙ (1 − z2). Not σ′(z2), and not z1 ⊙ (1 − z1)."
            }
            Mistake::Z3ForZ4 => {
                "z3 stands where z4 belongs: the square is of the error z4 = y − z3, so its \
                 derivative is 2 z4 = 2(y − z3), not 2 z3."
            }
            Mistake::Z1ForZ2 => {
                "z1 stands where z2 belongs: b multiplies z2 = σ(z1), the output of σ, not \
                 z1 = Ax."
            }
            Mistake::BMissing => {
                "b is missing: z3 = bᵀz2, so going back from z3 to z2 multiplies by b \
                 (∂(bᵀz2)/∂z2 = b)."
            }
            Mistake::XMissing => {
                "x is missing: z1 = Ax, so ∂L/∂A is the outer product (∂L/∂z1) xᵀ, an h × m \
                 matrix like A, not the vector ∂L/∂z1."
            }
            Mistake::SwappedDotProduct => {
                "b and z2 are swapped: for z3 = bᵀz2, ∂z3/∂b = z2 and ∂z3/∂z2 = b."
            }
            Mistake::ExtraSigmaPrime => {
                "There is a σ′ too many: σ′ enters only on the step from z2 down to z1. b and \
                 z2 sit above σ in the graph (z3 = bᵀz2), so no σ′ lies between L and them."
            }
            Mistake::DotInsteadOfEntrywise => {
                "A dot product slipped in: σ acts entry by entry, so its derivative multiplies \
                 entry by entry, b ⊙ σ′(z1), a vector; bᵀσ′(z1) is one number."
            }
            Mistake::TransposedVector => {
                "The numbers are right but the answer is a row: a gradient has the shape of \
                 its variable, here a column (h × 1). Drop the ᵀ."
            }
            Mistake::TransposedOuterProduct => {
                "The outer product is the wrong way round: ∂L/∂A has A's shape, h × m, so it \
                 is (∂L/∂z1) xᵀ, a column of h times a row of m, not x (∂L/∂z1)ᵀ."
            }
            Mistake::WrongInputForA => {
                "The outer product is with the wrong vector: A multiplies x (z1 = Ax), so \
                 ∂L/∂A = (∂L/∂z1) xᵀ, not with z1ᵀ or z2ᵀ."
            }
            Mistake::SigmaPrimeForZ2 => {
                "σ′(z1) stands where z2 belongs: b multiplies z2 = σ(z1), the value σ passes \
                 up, so ∂z3/∂b = z2. σ′ is σ's slope; it enters only on the way down from z2 \
                 to z1."
            }
        }
    }
}

/// A wrong formula and the mistakes that make it.
struct KnownMistake {
    formula: &'static str,
    mistakes: &'static [Mistake],
}

const fn known(formula: &'static str, mistakes: &'static [Mistake]) -> KnownMistake {
    KnownMistake { formula, mistakes }
}

use Mistake::*;

const Z4_MISTAKES: [KnownMistake; 1] = [known("2 z3", &[Z3ForZ4])];
const Z3_MISTAKES: [KnownMistake; 1] = [known("-2 z3", &[Z3ForZ4])];
const Z2_MISTAKES: [KnownMistake; 4] = [
    known("-2 z3 b", &[Z3ForZ4]),
    known("-2 z4 z2", &[SwappedDotProduct]),
    known("-2 z4 b ⊙ σ'(z1)", &[ExtraSigmaPrime]),
    known("-2 z4 bᵀ", &[TransposedVector]),
];
const Z1_MISTAKES: [KnownMistake; 9] = [
    known("-2 z4 b", &[SigmaPrimeMissing]),
    known("-2 z4 b ⊙ z2", &[SigmaForSigmaPrime]),
    known("-2 z4 σ'(z1)", &[BMissing]),
    known("-2 z3 b ⊙ σ'(z1)", &[Z3ForZ4]),
    known("-2 z4 b ⊙ σ'(z2)", &[SigmaPrimeWrongArgument]),
    known("-2 z4 b ⊙ z1 ⊙ (1 - z1)", &[SigmaPrimeWrongArgument]),
    known("-2 z4 z2 ⊙ σ'(z1)", &[SwappedDotProduct]),
    known("-2 z4 bᵀσ'(z1)", &[DotInsteadOfEntrywise]),
    known("(-2 z4 b ⊙ σ'(z1))ᵀ", &[TransposedVector]),
];
const B_MISTAKES: [KnownMistake; 6] = [
    known("-2 z3 z2", &[Z3ForZ4]),
    known("-2 z4 σ'(z1)", &[SigmaPrimeForZ2]),
    known("-2 z4 b", &[SwappedDotProduct]),
    known("-2 z4 z1", &[Z1ForZ2]),
    known("-2 z4 z2 ⊙ σ'(z1)", &[ExtraSigmaPrime]),
    known("-2 z4 z2ᵀ", &[TransposedVector]),
];
const A_MISTAKES: [KnownMistake; 11] = [
    known("-2 z4 b xᵀ", &[SigmaPrimeMissing]),
    known("-2 z4 (b ⊙ z2) xᵀ", &[SigmaForSigmaPrime]),
    known("-2 z4 σ'(z1) xᵀ", &[BMissing]),
    known("-2 z4 b ⊙ σ'(z1)", &[XMissing]),
    known("-2 z3 (b ⊙ σ'(z1)) xᵀ", &[Z3ForZ4]),
    known("-2 z4 (b ⊙ σ'(z2)) xᵀ", &[SigmaPrimeWrongArgument]),
    known("-2 z4 (b ⊙ z1 ⊙ (1 - z1)) xᵀ", &[SigmaPrimeWrongArgument]),
    known("-2 z4 x (b ⊙ σ'(z1))ᵀ", &[TransposedOuterProduct]),
    known("-2 z4 (bᵀσ'(z1)) xᵀ", &[DotInsteadOfEntrywise]),
    known("-2 z4 (b ⊙ σ'(z1)) z2ᵀ", &[WrongInputForA]),
    known("-2 z4 (b ⊙ σ'(z1)) z1ᵀ", &[WrongInputForA]),
];

/// Scales tried on the right formula and on each wrong one: a lost sign and a lost 2 combine
/// with any other mistake.
const SCALES: [(f64, &[Mistake]); 4] = [
    (1.0, &[]),
    (-1.0, &[SignLost]),
    (0.5, &[FactorTwoMissing]),
    (-0.5, &[SignLost, FactorTwoMissing]),
];

impl Derivative {
    /// In the order of the backward pass.
    pub const ALL: [Derivative; 6] = [
        Derivative::Z4,
        Derivative::Z3,
        Derivative::Z2,
        Derivative::Z1,
        Derivative::B,
        Derivative::A,
    ];

    /// A stable name for the page: "dz4", "dz3", "dz2", "dz1", "db", "dA".
    pub fn name(self) -> &'static str {
        match self {
            Derivative::Z4 => "dz4",
            Derivative::Z3 => "dz3",
            Derivative::Z2 => "dz2",
            Derivative::Z1 => "dz1",
            Derivative::B => "db",
            Derivative::A => "dA",
        }
    }

    /// The derivative for a name from [`Derivative::name`].
    pub fn from_name(name: &str) -> Option<Derivative> {
        Derivative::ALL.into_iter().find(|d| d.name() == name)
    }

    /// "∂L/∂z4", ….
    pub fn label(self) -> &'static str {
        match self {
            Derivative::Z4 => "∂L/∂z4",
            Derivative::Z3 => "∂L/∂z3",
            Derivative::Z2 => "∂L/∂z2",
            Derivative::Z1 => "∂L/∂z1",
            Derivative::B => "∂L/∂b",
            Derivative::A => "∂L/∂A",
        }
    }

    /// The task as the student reads it.
    pub fn prompt(self) -> &'static str {
        match self {
            Derivative::Z4 => "L = z4². Write ∂L/∂z4.",
            Derivative::Z3 => "z4 = y − z3. Write ∂L/∂z3 (a number).",
            Derivative::Z2 => "z3 = bᵀz2. Write ∂L/∂z2 (a vector of h entries).",
            Derivative::Z1 => "z2 = σ(z1), entry by entry. Write ∂L/∂z1 (a vector of h entries).",
            Derivative::B => {
                "Worksheet 2(b): write ∂L/∂b (a vector of h entries), using the forward values \
                 z1 … z4 where you can."
            }
            Derivative::A => {
                "Worksheet 2(c): write ∂L/∂A (an h × m matrix), using the forward values where \
                 you can."
            }
        }
    }

    /// The shape of a right answer.
    pub fn expected_shape(self) -> Shape {
        match self {
            Derivative::Z4 | Derivative::Z3 => Shape::SCALAR,
            Derivative::Z2 | Derivative::Z1 | Derivative::B => Shape::new(Dim::H, Dim::One),
            Derivative::A => Shape::new(Dim::H, Dim::M),
        }
    }

    /// The worksheet's answer in the expression language.
    pub fn answer(self) -> &'static str {
        match self {
            Derivative::Z4 => "2 z4",
            Derivative::Z3 => "-2 z4",
            Derivative::Z2 => "-2 z4 b",
            Derivative::Z1 => "-2 z4 b ⊙ z2 ⊙ (1 - z2)",
            Derivative::B => "-2 z4 z2",
            Derivative::A => "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ",
        }
    }

    /// Three hints, each more specific; the last nearly gives the answer.
    pub fn hints(self) -> [&'static str; HINT_LEVELS] {
        match self {
            Derivative::Z4 => [
                "L is the square of z4.",
                "The derivative of u² with respect to u is 2u.",
                "∂L/∂z4 = 2 · z4.",
            ],
            Derivative::Z3 => [
                "Chain rule: ∂L/∂z3 = ∂L/∂z4 · ∂z4/∂z3, and you know ∂L/∂z4.",
                "z4 = y − z3, so ∂z4/∂z3 = −1.",
                "∂L/∂z3 = 2 z4 · (−1).",
            ],
            Derivative::Z2 => [
                "Chain rule: ∂L/∂z2 = ∂L/∂z3 · ∂z3/∂z2, where ∂L/∂z3 is a number.",
                "For the dot product z3 = bᵀz2, ∂z3/∂z2 = b.",
                "∂L/∂z2 = (−2 z4) b.",
            ],
            Derivative::Z1 => [
                "Each entry of z2 depends only on the same entry of z1, so the chain rule \
                 multiplies entry by entry: ∂L/∂z1 = ∂L/∂z2 ⊙ σ′(z1).",
                "σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2): z2 is known from the forward pass.",
                "∂L/∂z1 = (−2 z4 b) ⊙ z2 ⊙ (1 − z2).",
            ],
            Derivative::B => [
                "b reaches L only through z3 = bᵀz2.",
                "∂(bᵀz2)/∂b = z2 (the worksheet's hint), and ∂L/∂z3 = −2 z4.",
                "∂L/∂b = (−2 z4) z2.",
            ],
            Derivative::A => [
                "A reaches L only through z1 = Ax: find ∂L/∂z1 first.",
                "Entry by entry, z1_i = Σ_j A_ij x_j, so ∂L/∂A_ij = (∂L/∂z1)_i · x_j: a \
                 column times a row, an outer product.",
                "∂L/∂A = (∂L/∂z1) xᵀ with ∂L/∂z1 = −2 z4 b ⊙ z2 ⊙ (1 − z2).",
            ],
        }
    }

    /// The backpropagation value on one example.
    pub fn right_value(self, gradients: &Gradients, hidden: usize, inputs: usize) -> Value {
        let (rows, cols, entries) = match self {
            Derivative::Z4 => (1, 1, vec![gradients.dz4]),
            Derivative::Z3 => (1, 1, vec![gradients.dz3]),
            Derivative::Z2 => (hidden, 1, gradients.dz2.clone()),
            Derivative::Z1 => (hidden, 1, gradients.dz1.clone()),
            Derivative::B => (hidden, 1, gradients.db.clone()),
            Derivative::A => (hidden, inputs, gradients.da.clone()),
        };
        Value::new(rows, cols, entries).unwrap_or_else(|| Value::scalar(f64::NAN))
    }

    fn known_mistakes(self) -> &'static [KnownMistake] {
        match self {
            Derivative::Z4 => &Z4_MISTAKES,
            Derivative::Z3 => &Z3_MISTAKES,
            Derivative::Z2 => &Z2_MISTAKES,
            Derivative::Z1 => &Z1_MISTAKES,
            Derivative::B => &B_MISTAKES,
            Derivative::A => &A_MISTAKES,
        }
    }

    /// The wrong formulas the checker compares with, each with its mistakes (for tests and
    /// for a page that wants to show them).
    pub fn wrong_formulas(self) -> impl Iterator<Item = (&'static str, &'static [Mistake])> {
        self.known_mistakes()
            .iter()
            .map(|known| (known.formula, known.mistakes))
    }
}

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

/// A value as text: 0.1234, (0.1, −0.2) for a column, rows separated by "; ".
fn value_text(value: &Value) -> String {
    if value.is_scalar() {
        return value
            .entries()
            .first()
            .map_or_else(String::new, |v| format_significant(*v, 6));
    }
    let mut out = String::from("(");
    for (i, v) in value.entries().iter().enumerate() {
        if i > 0 {
            out.push_str(if i % value.cols().max(1) == 0 {
                "; "
            } else {
                ", "
            });
        }
        out.push_str(&format_significant(*v, 6));
    }
    out.push(')');
    out
}

fn shape_advice(shape: &WrongShape) -> &'static str {
    let (expected, found) = (shape.expected, shape.found);
    let scalar_variable = match shape.derivative {
        Derivative::Z4 => {
            " z4 is one number, so ∂L/∂z4 is one number too: which vector or matrix crept in?"
        }
        Derivative::Z3 => {
            " z3 is one number, so ∂L/∂z3 is one number too: which vector or matrix crept in?"
        }
        _ => " A gradient has the shape of its variable, and this one is a number.",
    };
    if found == expected.transposed() {
        if shape.derivative == Derivative::A {
            " Is an outer product the wrong way round?"
        } else {
            " A row where a column belongs: a gradient has the shape of its variable."
        }
    } else if expected.is_scalar() {
        scalar_variable
    } else if found.is_scalar() {
        " It needs one entry per hidden unit: did a dot product (uᵀv) slip in where ⊙ belongs?"
    } else if shape.derivative == Derivative::A {
        " ∂L/∂A has one entry per weight A_ij: a column of h times the row xᵀ."
    } else {
        " A gradient has the shape of its variable: one entry per hidden unit."
    }
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
                    f.write_str(shape_advice(shape))
                } else {
                    write_hints(f, &shape.mistakes)
                }
            }
            Verdict::Mistaken(mistakes) => {
                f.write_str("Not yet.")?;
                write_hints(f, mistakes)
            }
            Verdict::Multiple { factor } => {
                // Significant digits without trailing zeros: 2, −0.25, 0.3333.
                let mut digits = format_significant(*factor, 4);
                if digits.contains('.') && !digits.contains('e') {
                    while digits.ends_with('0') {
                        digits.pop();
                    }
                    if digits.ends_with('.') {
                        digits.pop();
                    }
                }
                write!(
                    f,
                    "Not yet: your answer is {digits} times the right one on every example. The \
                     rest is right; look for a missing or extra constant factor."
                )
            }
            Verdict::NotEqual(comparison) => write!(
                f,
                "Not equal: on example {} (m = {}, h = {}) yours is {} but the right value is \
                 {}.",
                comparison.case + 1,
                comparison.inputs,
                comparison.hidden,
                value_text(&comparison.yours),
                value_text(&comparison.right)
            ),
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

/// Checks `answer` for `derivative` on [`CHECK_CASES`] examples drawn from `seed`.
pub fn check(derivative: Derivative, answer: &str, seed: u64) -> Verdict {
    check_on(derivative, answer, &Cases::draw(seed, CHECK_CASES))
}

/// Checks `answer` for `derivative` on the given examples.
pub fn check_on(derivative: Derivative, answer: &str, cases: &Cases) -> Verdict {
    let expression = match Expression::parse(answer) {
        Ok(expression) => expression,
        Err(error) => return Verdict::Unreadable(error),
    };
    let shape = match expression.shape() {
        Ok(shape) => shape,
        Err(error) => return Verdict::BadShapes(error),
    };
    let cases = cases.cases();
    let yours = values_of(&expression, cases);
    if let Some(case) = yours
        .iter()
        .position(|value| !value.entries().iter().all(|v| v.is_finite()))
    {
        return Verdict::NotFinite { case };
    }
    let right: Vec<Value> = cases
        .iter()
        .map(|case| {
            let instance = case.instance();
            derivative.right_value(case.gradients(), instance.hidden(), instance.inputs())
        })
        .collect();
    let expected = derivative.expected_shape();
    // Never true without examples, so no answer is called right unchecked.
    let all_match = |reference: &[Value], scale: f64, tolerance: f64| {
        !yours.is_empty()
            && yours.len() == reference.len()
            && yours
                .iter()
                .zip(reference)
                .all(|(y, r)| matches(y, r, scale, tolerance))
    };
    if shape == expected && all_match(&right, 1.0, RELATIVE_TOLERANCE) {
        return Verdict::Right {
            implicit_entrywise: expression.has_implicit_entrywise(),
        };
    }

    // The right formula (if the shape fits) and every wrong one of the answer's shape, each
    // also with a lost sign and a lost 2.
    let mut candidates: Vec<(&[Mistake], Vec<Value>)> = Vec::new();
    if shape == expected {
        candidates.push((&[], right.clone()));
    }
    for known in derivative.known_mistakes() {
        let Ok(formula) = Expression::parse(known.formula) else {
            continue;
        };
        if formula.shape() == Ok(shape) {
            candidates.push((known.mistakes, values_of(&formula, cases)));
        }
    }
    let found = candidates.iter().find_map(|(mistakes, values)| {
        SCALES.iter().find_map(|(scale, extra)| {
            let is_right = mistakes.is_empty() && extra.is_empty();
            (!is_right && all_match(values, *scale, RELATIVE_TOLERANCE))
                .then(|| [*mistakes, *extra].concat())
        })
    });
    let (hidden, inputs) = cases
        .first()
        .map_or((1, 1), |c| (c.instance().hidden(), c.instance().inputs()));
    if shape != expected {
        return Verdict::WrongShape(WrongShape {
            derivative,
            expected,
            found: shape,
            hidden,
            inputs,
            mistakes: found.unwrap_or_default(),
        });
    }
    if let Some(mistakes) = found {
        return Verdict::Mistaken(mistakes);
    }
    if let Some(factor) = constant_factor(&yours, &right) {
        if all_match(&right, factor, RELATIVE_TOLERANCE) {
            return Verdict::Multiple { factor };
        }
    }
    let differing = yours
        .iter()
        .zip(&right)
        .position(|(y, r)| !matches(y, r, 1.0, RELATIVE_TOLERANCE))
        .unwrap_or(0);
    let comparison = match (
        cases.get(differing),
        yours.get(differing),
        right.get(differing),
    ) {
        (Some(case), Some(y), Some(r)) => Comparison {
            case: differing,
            hidden: case.instance().hidden(),
            inputs: case.instance().inputs(),
            yours: y.clone(),
            right: r.clone(),
        },
        _ => {
            return Verdict::NotFinite { case: 0 };
        }
    };
    if all_match(&right, 1.0, CLOSE_TOLERANCE) {
        Verdict::Undecided(comparison)
    } else {
        Verdict::NotEqual(comparison)
    }
}

fn values_of(expression: &Expression, cases: &[super::Case]) -> Vec<Value> {
    cases
        .iter()
        .map(|case| expression.evaluate_unchecked(case.instance()))
        .collect()
}

/// yours / right on the first example's largest right entry, if that is a finite non-zero
/// number not within tolerance of 1.
fn constant_factor(yours: &[Value], right: &[Value]) -> Option<f64> {
    let (y, r) = (yours.first()?, right.first()?);
    let (index, largest) = r
        .entries()
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))?;
    let factor = y.entries().get(index)? / largest;
    (factor.is_finite() && factor != 0.0 && !close(factor, 1.0, RELATIVE_TOLERANCE))
        .then_some(factor)
}
