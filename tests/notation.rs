//! Notation students bring from NumPy and LaTeX: each right answer written that way is
//! accepted, the same checks as any other answer (shapes, then values to 1e-9 on the
//! examples), and a notation the language does not read is refused with a message that
//! names the spelling it does read.

use backprop_lab::expr::{Expression, ParseErrorKind, MAX_CHARS};
use backprop_lab::practice::{check, Derivative, Mistake, Verdict};

use Derivative as D;

/// (notation, exercise, a right answer written in it).
const ACCEPTED: &[(&str, Derivative, &str)] = &[
    ("x.T", D::A, "-2 * z4 * (b * z2 * (1 - z2)) @ x.T"),
    ("x.T", D::A, "-2*z4*np.outer(b*z2*(1-z2), x)"),
    ("b.T @ z2", D::Z4, "2 * (y - b.T @ z2)"),
    ("b.T @ z2", D::B, "2 * (b.T @ z2 - y) * z2"),
    ("outer(u, v)", D::A, "-2 z4 outer(b ⊙ σ'(z1), x)"),
    ("np.outer", D::A, "np.outer(-2 * z4 * b * sigma'(z1), x)"),
    ("⊗", D::A, "-2 z4 (b ⊙ σ'(z1)) ⊗ x"),
    (
        "\\otimes",
        D::A,
        "-2 z_4 (b \\odot \\sigma'(z_1)) \\otimes x",
    ),
    ("exp", D::B, "-2 z4 / (1 + exp(-z1))"),
    ("exp", D::B, "-2 z4 * 1/(1+np.exp(-A@x))"),
    (
        "exp",
        D::Z1,
        "-2 z4 b ⊙ exp(-z1) / (1 + exp(-z1)) / (1 + exp(-z1))",
    ),
    ("\\exp", D::Z4, "2 (y - bᵀ (1 / (1 + \\exp(-A x))))"),
    ("transpose(x)", D::A, "-2 z4 (b ⊙ σ'(z1)) transpose(x)"),
    ("np.transpose", D::Z3, "2 (np.transpose(b) @ z2 - y)"),
    ("\\sigma", D::B, "-2 z4 \\sigma(z1)"),
    ("\\sigma'", D::Z1, "-2 z4 b \\odot \\sigma'(z1)"),
    (
        "\\sigma^{\\prime}",
        D::Z1,
        "-2 z_4 b \\odot \\sigma^{\\prime}(z_1)",
    ),
    (
        "\\sigma^\\prime",
        D::A,
        "-2 z_4 (b \\odot \\sigma^\\prime(z_1)) x^\\top",
    ),
    ("z_{4}", D::Z3, "-2 z_{4}"),
    (
        "z_{4}",
        D::A,
        "-2 z_{4} (b \\odot z_{2} \\odot (1 - z_{2})) x^{\\top}",
    ),
    ("x^{\\top}", D::A, "-2 z4 (b ⊙ σ'(z1)) x^{\\top}"),
    ("x^\\top", D::A, "-2 z4 (b ⊙ σ'(z1)) x^\\top"),
    ("\\odot", D::Z1, "-2 z_4 b \\odot z_2 \\odot (1 - z_2)"),
    ("\\cdot", D::Z2, "-2 \\cdot z_4 \\cdot b"),
    ("\\cdot", D::B, "2 (z_3 - y) \\cdot \\sigma(A \\cdot x)"),
    ("𝜎 (U+1D70E)", D::B, "-2 z4 𝜎(z1)"),
    ("𝜎′ (U+1D70E)", D::Z1, "−2 z4 b ⊙ 𝜎′(z1)"),
    ("italic 𝑥 𝑏 𝑧", D::A, "−2 𝑧4 (𝑏 ⊙ 𝜎′(𝑧1)) 𝑥ᵀ"),
    (
        "\\left( \\right)",
        D::Z1,
        "-2 z_4 b \\odot \\left(z_2 \\odot \\left(1 - z_2\\right)\\right)",
    ),
    ("\\mathbf", D::Z2, "-2 z_4 \\mathbf{b}"),
    ("braces", D::B, "-2 z4 {z2}"),
];

#[test]
fn right_answers_in_each_notation_are_accepted() {
    for (notation, derivative, answer) in ACCEPTED {
        for seed in [1, 11] {
            let verdict = check(*derivative, answer, seed);
            assert!(
                verdict.is_right(),
                "{notation}: {} {answer:?}: {verdict}",
                derivative.label()
            );
        }
    }
}

#[test]
fn the_notations_mean_what_they_mean_in_numpy_and_latex() {
    let same = |a: &str, b: &str| {
        let (a, b) = (Expression::parse(a).unwrap(), Expression::parse(b).unwrap());
        assert_eq!(a.to_text(), b.to_text());
    };
    same("x.T", "xᵀ");
    same("transpose(b) @ z2", "bᵀ @ z2");
    same("outer(b, x)", "b xᵀ");
    same("b ⊗ x", "b xᵀ");
    same("\\sigma'(z_{1})", "σ'(z1)");
    same("x^{\\top}", "xᵀ");
    same("b \\odot z2", "b ⊙ z2");
    same("𝜎(z1)", "σ(z1)");
    same("np.exp(z1)", "exp(z1)");
    // Wrong answers in these notations are diagnosed like any other.
    assert_eq!(
        check(D::A, "-2 z4 outer(x, b ⊙ σ'(z1))", 1).mistakes(),
        [Mistake::TransposedOuterProduct]
    );
    assert_eq!(
        check(D::Z1, "-2 z4 b \\odot \\sigma(z1)", 1).mistakes(),
        [Mistake::SigmaForSigmaPrime]
    );
    assert_eq!(
        check(D::B, "-2*z4*z2.T", 1).mistakes(),
        [Mistake::TransposedVector]
    );
    // NumPy's @ is a matrix product: between two vectors it is never entry by entry (of 1-D
    // arrays it is the dot product, the very slip ∂L/∂z1 = −2 z4 bᵀσ′(z1)), so it is refused,
    // never read as ⊙ and called right.
    for answer in [
        "-2 * z4 * b @ sigma'(z1)",
        "-2 z4 σ'(z1) @ b",
        "-2 z4 (b @ z2 @ (1 - z2))",
    ] {
        let verdict = check(D::Z1, answer, 1);
        assert!(
            matches!(verdict, Verdict::BadShapes(_)),
            "{answer}: {verdict}"
        );
        assert!(
            verdict.to_string().contains("@ is the matrix product"),
            "{verdict}"
        );
    }
    // Nor · and × (\cdot, \times): between two vectors a dot or a cross product.
    for answer in [
        "-2 z4 b · σ'(z1)",
        "-2 z_4 b \\cdot \\sigma'(z_1)",
        "-2 z4 b × σ'(z1)",
        "-2 z4 b \\times σ'(z1)",
    ] {
        let verdict = check(D::Z1, answer, 1);
        assert!(
            matches!(verdict, Verdict::BadShapes(_)),
            "{answer}: {verdict}"
        );
        assert!(
            verdict.to_string().contains("· is a dot product"),
            "{verdict}"
        );
    }
    assert!(
        check(D::Z1, "-2 · z4 · (b ⊙ σ'(z1))", 1).is_right(),
        "· with a number scales"
    );
    assert!(check(D::Z1, "-2 * z4 * b * sigma'(z1)", 1).is_right());
    assert!(check(D::A, "(-2 * z4 * b * sigma'(z1)) @ x.T", 1).is_right());
    assert_eq!(
        check(D::Z1, "-2 * z4 * b.T @ sigma'(z1)", 1).mistakes(),
        [Mistake::DotInsteadOfEntrywise]
    );
}

/// (typed, what the refusal must name).
const REFUSED: &[(&str, &str)] = &[
    ("np.dot(b, z2)", "uᵀv or u.T @ v"),
    ("dot(b, z2)", "uᵀv or u.T @ v"),
    ("b.dot(z2)", "u.T @ v"),
    ("np.sum(b * z2)", "uᵀv"),
    ("np.multiply(b, z2)", "⊙"),
    ("\\frac{1}{1 + e^{-z_1}}", "a / b"),
    ("\\partial L", "the derivative itself"),
    ("\\hat{y}", "\\sigma, \\odot, \\cdot"),
    ("e^{-z1}", "exp(…)"),
    ("1 / (1 + e**(-z1))", "exp(…)"),
    ("tanh(z1)", "1 / (1 + exp(-…))"),
    ("b, z2", "outer(u, v)"),
    ("outer(b x)", "outer(b, x)"),
    ("(b, x)", "outer(u, v)"),
    ("transpose x", "transpose(z1)"),
    ("x^{\\dagger}", "\\top"),
    ("z2**2", "z2 ⊙ z2"),
];

#[test]
fn a_refused_notation_names_the_accepted_spelling() {
    for (typed, named) in REFUSED {
        let message = match check(D::B, typed, 1) {
            Verdict::Unreadable(error) => {
                assert!(error.position <= typed.chars().count(), "{typed:?}");
                error.to_string()
            }
            Verdict::BadShapes(error) => error.to_string(),
            other => panic!("{typed:?} was read: {other}"),
        };
        assert!(message.contains(named), "{typed:?}: {message}");
    }
}

#[test]
fn the_limits_hold_for_every_notation() {
    // A long answer in LaTeX is refused before any work, like any other.
    let long = "\\sigma(z_{1}) ".repeat(MAX_CHARS / 10);
    let error = Expression::parse(&long).unwrap_err();
    assert_eq!(error.kind, ParseErrorKind::TooLong);
    // outer( and transpose( count as nesting.
    let deep = format!("{}x{}", "transpose(".repeat(40), ")".repeat(40));
    assert_eq!(
        Expression::parse(&deep).unwrap_err().kind,
        ParseErrorKind::TooDeep
    );
    let deep = format!("{}b, x){}", "outer(".repeat(40), ", x)".repeat(39));
    assert_eq!(
        Expression::parse(&deep).unwrap_err().kind,
        ParseErrorKind::TooDeep
    );
    // Written-out σ is held to the same 1e-9: a digit off is not right.
    assert!(!check(D::B, "-2 z4 / (1 + exp(-z1 + 1e-6))", 1).is_right());
    assert!(!check(D::B, "-2 z4 / (1.000001 + exp(-z1))", 1).is_right());
}
