//! The mistakes the checker can name, each with its hint, and the wrong formulas that make
//! them, per derivative.

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
            Mistake::FactorTwoMissing
            | Mistake::SignLost
            | Mistake::Z3ForZ4
            | Mistake::LossForDerivative
            | Mistake::Z4Missing => loss_hint(self),
            Mistake::SigmaPrimeMissing
            | Mistake::SigmaForSigmaPrime
            | Mistake::SigmaPrimeWrongArgument
            | Mistake::ExtraSigmaPrime
            | Mistake::SigmaPrimeForZ2
            | Mistake::SigmaPrimeSquared
            | Mistake::SigmaPrimeFactorMissing
            | Mistake::TanhDerivative
            | Mistake::SigmaPrimeTwice => sigma_hint(self),
            Mistake::Z1ForZ2
            | Mistake::BMissing
            | Mistake::XMissing
            | Mistake::SwappedDotProduct
            | Mistake::DotInsteadOfEntrywise
            | Mistake::TransposedVector
            | Mistake::TransposedOuterProduct
            | Mistake::WrongInputForA => term_hint(self),
            Mistake::Dz4Missing
            | Mistake::Dz3Missing
            | Mistake::Dz2Missing
            | Mistake::GradientOfZ4
            | Mistake::GradientOfZ3
            | Mistake::GradientOfZ1
            | Mistake::GradientOfA => chain_hint(self),
        }
    }
}

/// The loss at the top of the chain: the square, its 2, its sign and its error z4.
fn loss_hint(mistake: Mistake) -> &'static str {
    match mistake {
        Mistake::FactorTwoMissing => {
            "The factor 2 is missing: it comes from the square, ∂(z4²)/∂z4 = 2 z4, and \
             stays in every derivative below."
        }
        Mistake::SignLost => {
            "The sign is flipped. The only minus comes from z4 = y − z3 (∂z4/∂z3 = −1): \
             ∂L/∂z4 = 2 z4 has no minus, everything below z4 has one."
        }
        Mistake::Z3ForZ4 => {
            "z3 stands where z4 belongs: the square is of the error z4 = y − z3, so its \
             derivative is 2 z4 = 2(y − z3), not 2 z3."
        }
        Mistake::LossForDerivative => {
            "That is the loss L = z4² itself; the question asks for its derivative, \
             ∂(z4²)/∂z4 = 2 z4."
        }
        Mistake::Z4Missing => {
            "z4 is missing: ∂L/∂z4 = 2 z4, and the error z4 = y − z3 stays a factor in \
             every gradient below it."
        }
        // hint() sends only the mistakes above here.
        _ => "",
    }
}

/// σ and its derivative σ′(z1) = z2 ⊙ (1 − z2): missing, misplaced or miswritten.
fn sigma_hint(mistake: Mistake) -> &'static str {
    match mistake {
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
        Mistake::ExtraSigmaPrime => {
            "There is a σ′ too many: σ′ enters only on the step from z2 down to z1. b and \
             z2 sit above σ in the graph (z3 = bᵀz2), so no σ′ lies between L and them."
        }
        Mistake::SigmaPrimeForZ2 => {
            "σ′(z1) stands where z2 belongs: b multiplies z2 = σ(z1), the value σ passes \
             up, so ∂z3/∂b = z2. σ′ is σ's slope; it enters only on the way down from z2 \
             to z1."
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
        // hint() sends only the mistakes above here.
        _ => "",
    }
}

/// The factors b, z2 and x and the shapes they make: swapped, missing or transposed.
fn term_hint(mistake: Mistake) -> &'static str {
    match mistake {
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
        // hint() sends only the mistakes above here.
        _ => "",
    }
}

/// The chain cut short or carried too far: a gradient of another variable.
fn chain_hint(mistake: Mistake) -> &'static str {
    match mistake {
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
        // hint() sends only the mistakes above here.
        _ => "",
    }
}

/// A wrong formula and the mistakes that make it.
pub(super) struct KnownMistake {
    pub(super) formula: &'static str,
    pub(super) mistakes: &'static [Mistake],
}

const fn known(formula: &'static str, mistakes: &'static [Mistake]) -> KnownMistake {
    KnownMistake { formula, mistakes }
}

use Mistake::*;

pub(super) const Z4_MISTAKES: [KnownMistake; 3] = [
    known("2 z3", &[Z3ForZ4]),
    known("z4²", &[LossForDerivative]),
    known("2", &[Z4Missing]),
];
pub(super) const Z3_MISTAKES: [KnownMistake; 3] = [
    known("-2 z3", &[Z3ForZ4]),
    known("-1", &[Dz4Missing]),
    known("-2", &[Z4Missing]),
];
pub(super) const Z2_MISTAKES: [KnownMistake; 9] = [
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
pub(super) const Z1_MISTAKES: [KnownMistake; 21] = [
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
pub(super) const B_MISTAKES: [KnownMistake; 12] = [
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
pub(super) const A_MISTAKES: [KnownMistake; 24] = [
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
pub(super) const SCALES: [(f64, &[Mistake]); 4] = [
    (1.0, &[]),
    (-1.0, &[SignLost]),
    (0.5, &[FactorTwoMissing]),
    (-0.5, &[SignLost, FactorTwoMissing]),
];
