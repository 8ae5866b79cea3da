//! The slips students make on the typed derivatives (∂L/∂z4 … ∂L/∂z1, 2(b) ∂L/∂b, 2(c)
//! ∂L/∂A), each with the diagnosis it must get: a named mistake, or for an answer of the
//! wrong shape a message that says what shape is due and what the answer lacks. None may
//! get a diagnosis other than its own, and every one must be named.

use backprop_lab::expr::Value;
use backprop_lab::practice::{check, check_on, Cases, Derivative, Mistake, Verdict};

use Derivative as D;
use Mistake::*;

/// What a slip should be told.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Right shape; exactly these mistakes.
    Named(&'static [Mistake]),
    /// Wrong shape, explained by exactly these mistakes.
    Shape(&'static [Mistake]),
    /// Wrong shape with no formula behind it: the message says each of these.
    ShapeSays(&'static [&'static str]),
}

use Expect::{Named, Shape, ShapeSays};

/// (exercise, what the student typed, the diagnosis due).
const SLIPS: &[(Derivative, &str, Expect)] = &[
    // ∂L/∂z4 = 2 z4
    (D::Z4, "z4", Named(&[FactorTwoMissing])),
    (D::Z4, "-2 z4", Named(&[SignLost])),
    (D::Z4, "2 z3", Named(&[Z3ForZ4])),
    (D::Z4, "2 (z3 - y)", Named(&[SignLost])),
    (D::Z4, "z4²", Named(&[LossForDerivative])),
    (D::Z4, "(y - z3)^2", Named(&[LossForDerivative])),
    (D::Z4, "2", Named(&[Z4Missing])),
    (D::Z4, "2 bᵀz2", Named(&[Z3ForZ4])),
    (
        D::Z4,
        "2 z4 b",
        ShapeSays(&[
            "∂L/∂z4 must be a number (1 × 1); yours is h × 1",
            "one number too",
        ]),
    ),
    // ∂L/∂z3 = −2 z4
    (D::Z3, "-1", Named(&[Dz4Missing])),
    (D::Z3, "2 z4", Named(&[SignLost])),
    (D::Z3, "2 (y - z3)", Named(&[SignLost])),
    (D::Z3, "-z4", Named(&[FactorTwoMissing])),
    (D::Z3, "z4", Named(&[SignLost, FactorTwoMissing])),
    (D::Z3, "-2 z3", Named(&[Z3ForZ4])),
    (D::Z3, "-2", Named(&[Z4Missing])),
    (D::Z3, "-2 (z3 - y)", Named(&[SignLost])),
    (D::Z3, "1", Named(&[Dz4Missing, SignLost])),
    (D::Z3, "-2 z4 (-1)", Named(&[SignLost])),
    (
        D::Z3,
        "-2 z4 b",
        ShapeSays(&[
            "∂L/∂z3 must be a number (1 × 1); yours is h × 1",
            "one number too",
        ]),
    ),
    // ∂L/∂z2 = −2 z4 b
    (D::Z2, "b", Named(&[Dz3Missing])),
    (D::Z2, "-b", Named(&[Dz4Missing])),
    (D::Z2, "-2 b", Named(&[Z4Missing])),
    (D::Z2, "-2 z3 b", Named(&[Z3ForZ4])),
    (D::Z2, "2 z4 b", Named(&[SignLost])),
    (D::Z2, "-z4 b", Named(&[FactorTwoMissing])),
    (D::Z2, "-2 z4 z2", Named(&[SwappedDotProduct])),
    (D::Z2, "-2 z4 b ⊙ σ'(z1)", Named(&[ExtraSigmaPrime])),
    (D::Z2, "-2 z4 bᵀ", Shape(&[TransposedVector])),
    (D::Z2, "(-2 z4 b)ᵀ", Shape(&[TransposedVector])),
    (D::Z2, "-2 z4", Shape(&[GradientOfZ3])),
    (D::Z2, "2 z4", Shape(&[GradientOfZ4])),
    (
        D::Z2,
        "0",
        ShapeSays(&[
            "∂L/∂z2 must be h × 1 = ",
            "yours is a number (1 × 1)",
            "brings in b",
            "no vector in it",
        ]),
    ),
    (
        D::Z2,
        "-2 z4 bᵀz2",
        ShapeSays(&["∂L/∂z2 must be h × 1 = ", "A dot product (uᵀv)"]),
    ),
    // ∂L/∂z1 = −2 z4 b ⊙ σ′(z1)
    (D::Z1, "-2 z4 b", Named(&[SigmaPrimeMissing])),
    (D::Z1, "-2 z4 b ⊙ z2", Named(&[SigmaForSigmaPrime])),
    (D::Z1, "-2 z4 b ⊙ σ(z1)", Named(&[SigmaForSigmaPrime])),
    (D::Z1, "-2 z4 diag(b) z2", Named(&[SigmaForSigmaPrime])),
    (D::Z1, "-2 z4 b ⊙ z2 ⊙ z2", Named(&[SigmaPrimeSquared])),
    (D::Z1, "-2 z4 b z2 z2", Named(&[SigmaPrimeSquared])),
    (
        D::Z1,
        "-2 z4 b ⊙ (1 - z2)",
        Named(&[SigmaPrimeFactorMissing]),
    ),
    (D::Z1, "-2 z4 b ⊙ (1 - z2 ⊙ z2)", Named(&[TanhDerivative])),
    (D::Z1, "-2 z4 σ'(z1)", Named(&[BMissing])),
    (D::Z1, "-2 z4 z2 ⊙ (1 - z2)", Named(&[BMissing])),
    (D::Z1, "-2 z3 b ⊙ σ'(z1)", Named(&[Z3ForZ4])),
    (D::Z1, "-2 z4 b ⊙ σ'(z2)", Named(&[SigmaPrimeWrongArgument])),
    (
        D::Z1,
        "-2 z4 b ⊙ z1 ⊙ (1 - z1)",
        Named(&[SigmaPrimeWrongArgument]),
    ),
    (D::Z1, "-2 z4 z2 ⊙ σ'(z1)", Named(&[SwappedDotProduct])),
    (
        D::Z1,
        "-2 z4 (z2ᵀ(1 - z2)) b",
        Named(&[DotInsteadOfEntrywise]),
    ),
    (D::Z1, "2 z4 b ⊙ σ'(z1)", Named(&[SignLost])),
    (D::Z1, "-z4 b ⊙ σ'(z1)", Named(&[FactorTwoMissing])),
    (D::Z1, "-2 b ⊙ σ'(z1)", Named(&[Z4Missing])),
    (D::Z1, "b ⊙ σ'(z1)", Named(&[Dz3Missing])),
    (D::Z1, "σ'(z1)", Named(&[Dz2Missing])),
    (
        D::Z1,
        "-2 z4 b ⊙ z2 ⊙ (1 - z2) ⊙ σ'(z1)",
        Named(&[SigmaPrimeTwice]),
    ),
    (D::Z1, "-2 z4 bᵀ σ'(z1)", Shape(&[DotInsteadOfEntrywise])),
    (D::Z1, "(-2 z4 b ⊙ σ'(z1))ᵀ", Shape(&[TransposedVector])),
    (D::Z1, "-2 z4", Shape(&[GradientOfZ3])),
    (D::Z1, "-2 z4 (b ⊙ σ'(z1)) xᵀ", Shape(&[GradientOfA])),
    (
        D::Z1,
        "0",
        ShapeSays(&["∂L/∂z1 must be h × 1 = ", "b ⊙ σ′(z1)", "no vector in it"]),
    ),
    // 2(b): ∂L/∂b = −2 z4 z2
    (D::B, "-2 z4 b ⊙ σ'(z1)", Named(&[GradientOfZ1])),
    (D::B, "-2 z4 b", Named(&[SwappedDotProduct])),
    (D::B, "-2 z4 σ'(z1)", Named(&[SigmaPrimeForZ2])),
    (D::B, "-2 z4 z1", Named(&[Z1ForZ2])),
    (D::B, "-2 z4 A x", Named(&[Z1ForZ2])),
    (D::B, "-2 z3 z2", Named(&[Z3ForZ4])),
    (D::B, "-2 z4 z2 ⊙ σ'(z1)", Named(&[ExtraSigmaPrime])),
    (D::B, "2 z4 z2", Named(&[SignLost])),
    (D::B, "2 (y - z3) z2", Named(&[SignLost])),
    (D::B, "-z4 z2", Named(&[FactorTwoMissing])),
    (D::B, "z4 z2", Named(&[SignLost, FactorTwoMissing])),
    (D::B, "z2 (y - z3)", Named(&[SignLost, FactorTwoMissing])),
    (D::B, "z2", Named(&[Dz3Missing])),
    (D::B, "-z2", Named(&[Dz4Missing])),
    (D::B, "-2 z2", Named(&[Z4Missing])),
    (D::B, "-2 z4 z2ᵀ", Shape(&[TransposedVector])),
    (D::B, "-2 z4", Shape(&[GradientOfZ3])),
    (D::B, "2 z4", Shape(&[GradientOfZ4])),
    (
        D::B,
        "0",
        ShapeSays(&[
            "∂L/∂b must be h × 1 = ",
            "yours is a number (1 × 1)",
            "brings in z2",
            "no vector in it",
        ]),
    ),
    (
        D::B,
        "-2 z4 bᵀz2",
        ShapeSays(&["∂L/∂b must be h × 1 = ", "A dot product (uᵀv)"]),
    ),
    // 2(c): ∂L/∂A = −2 z4 (b ⊙ σ′(z1)) xᵀ
    (D::A, "-2 (b ⊙ σ'(z1)) xᵀ", Named(&[Z4Missing])),
    (D::A, "b ⊙ σ'(z1) xᵀ", Named(&[Dz3Missing])),
    (D::A, "-(b ⊙ σ'(z1)) xᵀ", Named(&[Dz4Missing])),
    (D::A, "σ'(z1) xᵀ", Named(&[Dz2Missing])),
    (
        D::A,
        "-2 z4 (b ⊙ σ'(z1) ⊙ σ'(z1)) xᵀ",
        Named(&[SigmaPrimeTwice]),
    ),
    (
        D::A,
        "-2 z4 b (z2ᵀ(1 − z2)) xᵀ",
        Named(&[DotInsteadOfEntrywise]),
    ),
    (D::A, "-2 z4 (bᵀσ'(z1)) xᵀ", Shape(&[DotInsteadOfEntrywise])),
    (D::A, "-2 z4 b xᵀ", Named(&[SigmaPrimeMissing])),
    (
        D::A,
        "-2 z4 (b ⊙ z1 ⊙ (1 - z1)) xᵀ",
        Named(&[SigmaPrimeWrongArgument]),
    ),
    (D::A, "-2 z4 (b ⊙ z2) xᵀ", Named(&[SigmaForSigmaPrime])),
    (D::A, "-2 z4 (b ⊙ z2 ⊙ z2) xᵀ", Named(&[SigmaPrimeSquared])),
    (
        D::A,
        "-2 z4 (b ⊙ (1 - z2)) xᵀ",
        Named(&[SigmaPrimeFactorMissing]),
    ),
    (
        D::A,
        "-2 z4 (b ⊙ (1 - z2 ⊙ z2)) xᵀ",
        Named(&[TanhDerivative]),
    ),
    (D::A, "-2 z4 σ'(z1) xᵀ", Named(&[BMissing])),
    (D::A, "-2 z4 (z2 ⊙ σ'(z1)) xᵀ", Named(&[SwappedDotProduct])),
    (D::A, "-2 z3 (b ⊙ σ'(z1)) xᵀ", Named(&[Z3ForZ4])),
    (
        D::A,
        "-2 z4 (b ⊙ σ'(z2)) xᵀ",
        Named(&[SigmaPrimeWrongArgument]),
    ),
    (D::A, "-2 z4 (b ⊙ σ'(z1)) z2ᵀ", Shape(&[WrongInputForA])),
    (D::A, "-2 z4 (b ⊙ σ'(z1)) (A x)ᵀ", Shape(&[WrongInputForA])),
    (D::A, "2 z4 (b ⊙ σ'(z1)) xᵀ", Named(&[SignLost])),
    (D::A, "2 (y - z3) (b ⊙ σ'(z1)) xᵀ", Named(&[SignLost])),
    (D::A, "-z4 (b ⊙ σ'(z1)) xᵀ", Named(&[FactorTwoMissing])),
    (
        D::A,
        "-2 z4 x (b ⊙ σ'(z1))ᵀ",
        Shape(&[TransposedOuterProduct]),
    ),
    (D::A, "-2 z4 b ⊙ σ'(z1)", Shape(&[XMissing])),
    (D::A, "-2 z4 b", Shape(&[SigmaPrimeMissing, XMissing])),
    (D::A, "-2 z4", Shape(&[GradientOfZ3])),
    (
        D::A,
        "0",
        ShapeSays(&[
            "∂L/∂A must be h × m = ",
            "yours is a number (1 × 1)",
            "one entry per weight",
            "no x in it",
        ]),
    ),
    (
        D::A,
        "-2 z4 xᵀ x",
        ShapeSays(&[
            "∂L/∂A must be h × m = ",
            "one entry per weight",
            "A dot product",
        ]),
    ),
];

/// How a slip was diagnosed.
#[derive(Debug, PartialEq)]
enum Outcome {
    AsExpected,
    /// A generic verdict ("Not equal", a multiple) with no name.
    Unnamed,
    /// A diagnosis other than the expected one.
    Misleading,
}

fn outcome(expect: Expect, verdict: &Verdict) -> Outcome {
    let message = verdict.to_string();
    // Every named mistake's hint is in the message.
    let hints_shown = verdict
        .mistakes()
        .iter()
        .all(|mistake| message.contains(mistake.hint()));
    match (expect, verdict) {
        (Named(expected), Verdict::Mistaken(found)) if found == expected && hints_shown => {
            Outcome::AsExpected
        }
        (Shape(expected), Verdict::WrongShape(shape)) if shape.mistakes == expected => {
            if hints_shown {
                Outcome::AsExpected
            } else {
                Outcome::Misleading
            }
        }
        (ShapeSays(phrases), Verdict::WrongShape(shape)) if shape.mistakes.is_empty() => {
            if phrases.iter().all(|phrase| message.contains(phrase)) {
                Outcome::AsExpected
            } else {
                Outcome::Misleading
            }
        }
        (_, Verdict::NotEqual(_) | Verdict::Multiple { .. }) => Outcome::Unnamed,
        _ => Outcome::Misleading,
    }
}

#[test]
fn every_slip_gets_its_own_diagnosis() {
    assert!(SLIPS.len() >= 60, "{} slips", SLIPS.len());
    let mut report = Vec::new();
    let (mut named, mut unnamed, mut misleading) = (0, 0, 0);
    for (derivative, answer, expect) in SLIPS {
        // Several seeds: a diagnosis must not depend on the examples drawn.
        for seed in [1, 7, 2024] {
            let verdict = check(*derivative, answer, seed);
            let result = outcome(*expect, &verdict);
            if result != Outcome::AsExpected {
                report.push(format!(
                    "{} {answer:?} (seed {seed}) expected {expect:?}, {result:?}: {verdict}",
                    derivative.label()
                ));
            }
            if seed == 1 {
                match result {
                    Outcome::AsExpected => named += 1,
                    Outcome::Unnamed => unnamed += 1,
                    Outcome::Misleading => misleading += 1,
                }
            }
        }
    }
    println!(
        "{} slips: {named} named as expected, {unnamed} unnamed, {misleading} misleading",
        SLIPS.len()
    );
    // The issue asks for 90% named and none misleading; all are.
    assert!(report.is_empty(), "{}", report.join("\n"));
    assert_eq!((unnamed, misleading), (0, 0));
}

#[test]
fn the_slips_cover_every_exercise_and_many_mistakes() {
    for derivative in Derivative::ALL {
        assert!(
            SLIPS.iter().filter(|(d, _, _)| *d == derivative).count() >= 8,
            "{}",
            derivative.label()
        );
    }
    for mistake in Mistake::ALL {
        assert!(
            SLIPS.iter().any(|(_, _, expect)| match expect {
                Named(m) | Shape(m) => m.contains(&mistake),
                ShapeSays(_) => false,
            }),
            "no slip in the table is diagnosed as {mistake:?}"
        );
    }
}

#[test]
fn messages_never_show_equal_looking_numbers_as_different() {
    for (derivative, answer) in [
        (D::B, "-2 z4 z2 + 0.000001"),
        (D::B, "-2 z4 z2 + 0.00001"),
        (D::A, "-2 z4 (b ⊙ σ'(z1)) xᵀ + 0.000003"),
        (D::Z3, "-2 z4 + 0.000002"),
    ] {
        for seed in [1, 5, 99] {
            match check(derivative, answer, seed) {
                Verdict::NotEqual(comparison) => {
                    let message = check(derivative, answer, seed).to_string();
                    let (yours, right) = message
                        .split_once(" yours is ")
                        .and_then(|(_, rest)| rest.split_once(" but the right value is "))
                        .unwrap_or_else(|| panic!("{message}"));
                    assert_ne!(yours, right.trim_end_matches('.'), "{answer:?}: {message}");
                    assert_ne!(comparison.yours, comparison.right);
                }
                Verdict::Undecided(_) => {}
                other => panic!("{answer:?}: {other:?}"),
            }
        }
    }
    // A factor near 1 is written with the digits that show it is not 1.
    for (answer, factor) in [
        ("-2.00002 z4 z2", "1.00001"),
        ("-2.0002 z4 z2", "1.0001"),
        ("-8 z4 z2", "4"),
    ] {
        let message = check(D::B, answer, 3).to_string();
        assert!(
            message.starts_with(&format!(
                "Not yet: your answer is {factor} times the right one"
            )),
            "{answer:?}: {message}"
        );
    }
    // Agreement to about 7 digits is undecided, never "1 times the right one".
    let message = check(D::B, "-2.0000002 z4 z2", 3).to_string();
    assert!(message.starts_with("Can't decide"), "{message}");
}

#[test]
fn no_slip_passes_on_a_thousand_examples() {
    let many = Cases::draw(77, 1000);
    for (derivative, answer, _) in SLIPS {
        assert!(
            !check_on(*derivative, answer, &many).is_right(),
            "{} {answer:?}",
            derivative.label()
        );
    }
}

#[test]
fn a_matrix_is_written_as_a_matrix() {
    let value = Value::new(2, 3, vec![0.5, -1.25, 2.0, 0.0, 1e-6, -3.0]).unwrap();
    assert_eq!(
        value.to_text(4),
        "[0.5000, −1.250, 2.000; 0.000, 1.000 × 10⁻⁶, −3.000]"
    );
    let column = Value::new(2, 1, vec![0.5, -0.25]).unwrap();
    assert_eq!(column.to_text(3), "[0.500; −0.250]");
    assert_eq!(Value::scalar(-2.0).to_text(3), "−2.00");
    let mathml = value.to_mathml(3);
    assert!(mathml.starts_with("<math><mrow><mo>[</mo><mtable><mtr><mtd><mn>0.500</mn></mtd>"));
    assert_eq!(mathml.matches("<mtr>").count(), 2);
    assert_eq!(mathml.matches("<mtd>").count(), 6);
    assert!(mathml.contains("<mtd><mrow><mo>−</mo><mn>1.25</mn></mrow></mtd>"));
    assert!(mathml.ends_with("</mtr></mtable><mo>]</mo></mrow></math>"));
}
