//! The typed-derivative exercises (∂L/∂z4 … ∂L/∂z1, worksheet 2(b) ∂L/∂b and 2(c) ∂L/∂A)
//! and the checker: shape first, then values on random examples, then a diagnosis by
//! comparing the answer with known wrong formulas on the same examples.

use super::cases::{close, matches, Cases, CHECK_CASES, CLOSE_TOLERANCE, RELATIVE_TOLERANCE};
use super::HINT_LEVELS;
use crate::expr::{Dim, Expression, ParseError, Shape, ShapeError, Symbol, Value};
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
    /// L = z4² itself instead of its derivative.
    LossForDerivative,
    /// The factor z4 is missing (the 2 and the sign are there).
    Z4Missing,
    /// ∂L/∂z4 = 2 z4 left out of the chain: only ∂z4/∂z3 = −1 and what lies below.
    Dz4Missing,
    /// ∂L/∂z3 = −2 z4 left out of the chain: only the local derivatives below z3.
    Dz3Missing,
    /// ∂L/∂z2 = −2 z4 b left out of the chain: only ∂z2/∂z1 = σ′(z1) (and · xᵀ).
    Dz2Missing,
    /// ∂L/∂z4 = 2 z4 given where a gradient further down is asked.
    GradientOfZ4,
    /// ∂L/∂z3 = −2 z4 given where a gradient further down is asked.
    GradientOfZ3,
    /// ∂L/∂z1 given for ∂L/∂b.
    GradientOfZ1,
    /// ∂L/∂A given for ∂L/∂z1 (an · xᵀ too many).
    GradientOfA,
    /// σ′(z1) written z2 ⊙ z2.
    SigmaPrimeSquared,
    /// σ′(z1) written (1 − z2) alone: one of its two factors.
    SigmaPrimeFactorMissing,
    /// σ′(z1) written 1 − z2 ⊙ z2, the derivative of tanh.
    TanhDerivative,
    /// σ′(z1) twice, though the chain passes σ once.
    SigmaPrimeTwice,
}

impl Mistake {
    /// Every mistake, so that a list of them (in tests, on the page) cannot miss one.
    pub const ALL: [Mistake; 29] = [
        Mistake::FactorTwoMissing,
        Mistake::SignLost,
        Mistake::SigmaPrimeMissing,
        Mistake::SigmaForSigmaPrime,
        Mistake::SigmaPrimeWrongArgument,
        Mistake::Z3ForZ4,
        Mistake::Z1ForZ2,
        Mistake::BMissing,
        Mistake::XMissing,
        Mistake::SwappedDotProduct,
        Mistake::ExtraSigmaPrime,
        Mistake::DotInsteadOfEntrywise,
        Mistake::TransposedVector,
        Mistake::TransposedOuterProduct,
        Mistake::WrongInputForA,
        Mistake::SigmaPrimeForZ2,
        Mistake::LossForDerivative,
        Mistake::Z4Missing,
        Mistake::Dz4Missing,
        Mistake::Dz3Missing,
        Mistake::Dz2Missing,
        Mistake::GradientOfZ4,
        Mistake::GradientOfZ3,
        Mistake::GradientOfZ1,
        Mistake::GradientOfA,
        Mistake::SigmaPrimeSquared,
        Mistake::SigmaPrimeFactorMissing,
        Mistake::TanhDerivative,
        Mistake::SigmaPrimeTwice,
    ];

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
            Mistake::LossForDerivative => "loss_for_derivative",
            Mistake::Z4Missing => "z4_missing",
            Mistake::Dz4Missing => "dz4_missing",
            Mistake::Dz3Missing => "dz3_missing",
            Mistake::Dz2Missing => "dz2_missing",
            Mistake::GradientOfZ4 => "gradient_of_z4",
            Mistake::GradientOfZ3 => "gradient_of_z3",
            Mistake::GradientOfZ1 => "gradient_of_z1",
            Mistake::GradientOfA => "gradient_of_a",
            Mistake::SigmaPrimeSquared => "sigma_prime_squared",
            Mistake::SigmaPrimeFactorMissing => "sigma_prime_factor_missing",
            Mistake::TanhDerivative => "tanh_derivative",
            Mistake::SigmaPrimeTwice => "sigma_prime_twice",
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
                 entry by entry, b ⊙ σ′(z1) with σ′(z1) = z2 ⊙ (1 − z2), a vector; bᵀσ′(z1) \
                 or z2ᵀ(1 − z2) is one number."
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
            Mistake::LossForDerivative => {
                "That is the loss L = z4² itself; the question asks for its derivative, \
                 ∂(z4²)/∂z4 = 2 z4."
            }
            Mistake::Z4Missing => {
                "z4 is missing: ∂L/∂z4 = 2 z4, and the error z4 = y − z3 stays a factor in \
                 every gradient below it."
            }
            Mistake::Dz4Missing => {
                "∂L/∂z4 is missing from the chain: the −1 is ∂z4/∂z3, the local derivative of \
                 z4 = y − z3, but the chain starts one step higher, at ∂L/∂z4 = 2 z4. Multiply \
                 by it."
            }
            Mistake::Dz3Missing => {
                "∂L/∂z3 is missing from the chain: what you wrote is only the way down from z3 \
                 (∂z3/∂z2 = b, ∂z3/∂b = z2, then σ′ and xᵀ as far as needed). Multiply by \
                 ∂L/∂z3 = −2 z4."
            }
            Mistake::Dz2Missing => {
                "∂L/∂z2 is missing from the chain: σ′(z1) is only ∂z2/∂z1, the local step \
                 through σ. Multiply it entry by entry by ∂L/∂z2 = −2 z4 b."
            }
            Mistake::GradientOfZ4 => {
                "2 z4 is ∂L/∂z4, the gradient at the top of the chain. Carry it down: \
                 ∂L/∂z3 = −2 z4, then the local derivatives below z3 (∂z3/∂z2 = b, ∂z3/∂b = \
                 z2, …) down to the variable asked for."
            }
            Mistake::GradientOfZ3 => {
                "−2 z4 is ∂L/∂z3, the gradient at z3: one number. Carry it down to the variable \
                 asked for, multiplying by each local derivative on the way (∂z3/∂z2 = b, \
                 ∂z3/∂b = z2, then ⊙ σ′(z1) and · xᵀ as far as needed)."
            }
            Mistake::GradientOfZ1 => {
                "That is ∂L/∂z1, the gradient below σ. b sits above σ: it reaches L only \
                 through z3 = bᵀz2, so ∂L/∂b = ∂L/∂z3 · ∂z3/∂b = −2 z4 z2."
            }
            Mistake::GradientOfA => {
                "That is ∂L/∂A: the · xᵀ comes from z1 = Ax, one step below z1. ∂L/∂z1 stops \
                 before it, a vector of h entries: −2 z4 b ⊙ σ′(z1)."
            }
            Mistake::SigmaPrimeSquared => {
                "z2 ⊙ z2 is not σ′: σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2)."
            }
            Mistake::SigmaPrimeFactorMissing => {
                "Half of σ′ is missing: σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2) has both \
                 factors, z2 and 1 − z2."
            }
            Mistake::TanhDerivative => {
                "1 − z2 ⊙ z2 is the derivative of tanh (1 − tanh²); for σ it is σ′(z1) = \
                 z2 ⊙ (1 − z2)."
            }
            Mistake::SigmaPrimeTwice => {
                "σ′ is there twice: the way from L down to z1 passes through σ once, so σ′(z1) \
                 multiplies once."
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

const Z4_MISTAKES: [KnownMistake; 3] = [
    known("2 z3", &[Z3ForZ4]),
    known("z4²", &[LossForDerivative]),
    known("2", &[Z4Missing]),
];
const Z3_MISTAKES: [KnownMistake; 3] = [
    known("-2 z3", &[Z3ForZ4]),
    known("-1", &[Dz4Missing]),
    known("-2", &[Z4Missing]),
];
const Z2_MISTAKES: [KnownMistake; 9] = [
    known("-2 z3 b", &[Z3ForZ4]),
    known("-2 z4 z2", &[SwappedDotProduct]),
    known("-2 z4 b ⊙ σ'(z1)", &[ExtraSigmaPrime]),
    known("-2 z4 bᵀ", &[TransposedVector]),
    known("-2 b", &[Z4Missing]),
    known("-b", &[Dz4Missing]),
    known("b", &[Dz3Missing]),
    known("2 z4", &[GradientOfZ4]),
    known("-2 z4", &[GradientOfZ3]),
];
const Z1_MISTAKES: [KnownMistake; 21] = [
    known("-2 z4 b", &[SigmaPrimeMissing]),
    known("-2 z4 b ⊙ z2", &[SigmaForSigmaPrime]),
    known("-2 z4 σ'(z1)", &[BMissing]),
    known("-2 z3 b ⊙ σ'(z1)", &[Z3ForZ4]),
    known("-2 z4 b ⊙ σ'(z2)", &[SigmaPrimeWrongArgument]),
    known("-2 z4 b ⊙ z1 ⊙ (1 - z1)", &[SigmaPrimeWrongArgument]),
    known("-2 z4 z2 ⊙ σ'(z1)", &[SwappedDotProduct]),
    known("-2 z4 bᵀσ'(z1)", &[DotInsteadOfEntrywise]),
    known("-2 z4 (z2ᵀ(1 - z2)) b", &[DotInsteadOfEntrywise]),
    known("(-2 z4 b ⊙ σ'(z1))ᵀ", &[TransposedVector]),
    known("-2 b ⊙ σ'(z1)", &[Z4Missing]),
    known("-b ⊙ σ'(z1)", &[Dz4Missing]),
    known("b ⊙ σ'(z1)", &[Dz3Missing]),
    known("σ'(z1)", &[Dz2Missing]),
    known("2 z4", &[GradientOfZ4]),
    known("-2 z4", &[GradientOfZ3]),
    known("-2 z4 (b ⊙ σ'(z1)) xᵀ", &[GradientOfA]),
    known("-2 z4 b ⊙ z2 ⊙ z2", &[SigmaPrimeSquared]),
    known("-2 z4 b ⊙ (1 - z2)", &[SigmaPrimeFactorMissing]),
    known("-2 z4 b ⊙ (1 - z2 ⊙ z2)", &[TanhDerivative]),
    known("-2 z4 b ⊙ σ'(z1) ⊙ σ'(z1)", &[SigmaPrimeTwice]),
];
const B_MISTAKES: [KnownMistake; 12] = [
    known("-2 z3 z2", &[Z3ForZ4]),
    known("-2 z4 σ'(z1)", &[SigmaPrimeForZ2]),
    known("-2 z4 b", &[SwappedDotProduct]),
    known("-2 z4 z1", &[Z1ForZ2]),
    known("-2 z4 z2 ⊙ σ'(z1)", &[ExtraSigmaPrime]),
    known("-2 z4 z2ᵀ", &[TransposedVector]),
    known("-2 z2", &[Z4Missing]),
    known("-z2", &[Dz4Missing]),
    known("z2", &[Dz3Missing]),
    known("2 z4", &[GradientOfZ4]),
    known("-2 z4", &[GradientOfZ3]),
    known("-2 z4 b ⊙ σ'(z1)", &[GradientOfZ1]),
];
const A_MISTAKES: [KnownMistake; 24] = [
    known("-2 z4 b xᵀ", &[SigmaPrimeMissing]),
    known("-2 z4 (b ⊙ z2) xᵀ", &[SigmaForSigmaPrime]),
    known("-2 z4 σ'(z1) xᵀ", &[BMissing]),
    known("-2 z4 b ⊙ σ'(z1)", &[XMissing]),
    known("-2 z3 (b ⊙ σ'(z1)) xᵀ", &[Z3ForZ4]),
    known("-2 z4 (b ⊙ σ'(z2)) xᵀ", &[SigmaPrimeWrongArgument]),
    known("-2 z4 (b ⊙ z1 ⊙ (1 - z1)) xᵀ", &[SigmaPrimeWrongArgument]),
    known("-2 z4 x (b ⊙ σ'(z1))ᵀ", &[TransposedOuterProduct]),
    known("-2 z4 (bᵀσ'(z1)) xᵀ", &[DotInsteadOfEntrywise]),
    known("-2 z4 (z2ᵀ(1 - z2)) b xᵀ", &[DotInsteadOfEntrywise]),
    known("-2 z4 (b ⊙ σ'(z1)) z2ᵀ", &[WrongInputForA]),
    known("-2 z4 (b ⊙ σ'(z1)) z1ᵀ", &[WrongInputForA]),
    known("-2 z4 (z2 ⊙ σ'(z1)) xᵀ", &[SwappedDotProduct]),
    known("-2 (b ⊙ σ'(z1)) xᵀ", &[Z4Missing]),
    known("-(b ⊙ σ'(z1)) xᵀ", &[Dz4Missing]),
    known("(b ⊙ σ'(z1)) xᵀ", &[Dz3Missing]),
    known("σ'(z1) xᵀ", &[Dz2Missing]),
    known("2 z4", &[GradientOfZ4]),
    known("-2 z4", &[GradientOfZ3]),
    known("-2 z4 (b ⊙ z2 ⊙ z2) xᵀ", &[SigmaPrimeSquared]),
    known("-2 z4 (b ⊙ (1 - z2)) xᵀ", &[SigmaPrimeFactorMissing]),
    known("-2 z4 (b ⊙ (1 - z2 ⊙ z2)) xᵀ", &[TanhDerivative]),
    known("-2 z4 (b ⊙ σ'(z1) ⊙ σ'(z1)) xᵀ", &[SigmaPrimeTwice]),
    known("-2 z4 b", &[SigmaPrimeMissing, XMissing]),
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
    // Of the explanations that fit, the simplest (fewest mistakes; the first of those): `b`
    // for ∂L/∂z2 is ∂L/∂z3 left out, not z4 lost with the sign and the 2.
    let found = candidates
        .iter()
        .flat_map(|(mistakes, values)| {
            SCALES.iter().filter_map(move |(scale, extra)| {
                let is_right = mistakes.is_empty() && extra.is_empty();
                (!is_right && all_match(values, *scale, RELATIVE_TOLERANCE))
                    .then(|| [*mistakes, *extra].concat())
            })
        })
        .min_by_key(Vec::len);
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
            mentions: expression.symbols(),
        });
    }
    if let Some(mistakes) = found {
        return Verdict::Mistaken(mistakes);
    }
    let undecided = all_match(&right, 1.0, CLOSE_TOLERANCE);
    if let Some(factor) = constant_factor(&yours, &right) {
        if !undecided && all_match(&right, factor, RELATIVE_TOLERANCE) {
            return Verdict::Multiple { factor };
        }
    }
    // The example shown is one where the difference is large enough to read (beyond
    // CLOSE_TOLERANCE) when there is one.
    let differs = |tolerance: f64| {
        yours
            .iter()
            .zip(&right)
            .position(|(y, r)| !matches(y, r, 1.0, tolerance))
    };
    let differing = differs(CLOSE_TOLERANCE)
        .or_else(|| differs(RELATIVE_TOLERANCE))
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
    if undecided {
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
