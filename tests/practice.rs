//! The practice panel's core: typed derivatives accepted and refused with the right
//! diagnosis, the check strong enough on 1,000 examples, parse errors and shape messages
//! that name the place, a fuzzed parser that never panics, safe MathML, the graph and the
//! counts.

use backprop_lab::chain::counts;
use backprop_lab::expr::{Expression, Instance, ParseErrorKind, MAX_CHARS, MAX_DEPTH};
use backprop_lab::practice::counts::{
    layer_option, parse_count, CountError, CountQuestion, CountVerdict, CountsProblem,
    LAYER_OPTIONS,
};
use backprop_lab::practice::graph::{
    check_graph, check_node, GraphNode, Input, NodeChoice, Operation,
};
use backprop_lab::practice::{
    check, check_on, Cases, Derivative, Mistake, Verdict, CHECK_CASES, HINT_LEVELS, MAX_CASES,
    RELATIVE_TOLERANCE,
};
use backprop_lab::Rng;

use Derivative as D;
use Mistake::*;

/// Right answers in many spellings, every one accepted.
const RIGHT: &[(Derivative, &str)] = &[
    (D::Z4, "2 z4"),
    (D::Z4, "2*z4"),
    (D::Z4, "2(y - z3)"),
    (D::Z4, "2 (y − bᵀz2)"),
    (D::Z4, "2*(y-b'*z2)"),
    (D::Z4, "z4 * 2"),
    (D::Z4, "2z₄"),
    (D::Z4, "z4 + z4"),
    (D::Z4, "2 (y - bᵀσ(A x))"),
    (D::Z3, "-2 z4"),
    (D::Z3, "-2z4"),
    (D::Z3, "2(z3 - y)"),
    (D::Z3, "−2·z4"),
    (D::Z3, "-(2 z4)"),
    (D::Z3, "2 z3 - 2 y"),
    (D::Z3, "-2*(y - z3)"),
    (D::Z2, "-2 z4 b"),
    (D::Z2, "-2*z4*b"),
    (D::Z2, "2 (z3 - y) b"),
    (D::Z2, "b*(-2*z4)"),
    (D::Z2, "-2 z_4 b"),
    (D::Z1, "-2 z4 b ⊙ σ'(z1)"),
    (D::Z1, "-2 z4 b ⊙ z2 ⊙ (1 - z2)"),
    (D::Z1, "-2*z4*b.*sigma(z1).*(1-sigma(z1))"),
    (D::Z1, "-2 z4 b ⊙ σ′(z1)"),
    (D::Z1, "-2 z4 b z2 (1 - z2)"),
    (D::Z1, "-2 z4 diag(σ'(z1)) b"),
    (D::Z1, "(-2 z4 b) ∘ dsigma(z1)"),
    (D::Z1, "-2 z4 b ⊙ (z2 - z2 ⊙ z2)"),
    (D::Z1, "-2*z4*b .* sigma_prime(z1)"),
    (D::Z1, "2(z3-y) b ⊙ σ(A x) ⊙ (1 − σ(A x))"),
    (D::B, "-2 z4 z2"),
    (D::B, "-2*z4*z2"),
    (D::B, "2*(z3 - y)*σ(A x)"),
    (D::B, "-2 (y - bᵀz2) z2"),
    (D::B, "-2 z4 σ(z1)"),
    (D::B, "z2 * (-2) * z4"),
    (D::B, "-2 z4 sigmoid(A x)"),
    (D::A, "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ"),
    (D::A, "(-2*z4*b .* dsigma(z1)) @ x^T"),
    (D::A, "-2 z4 b ⊙ σ'(z1) xᵀ"),
    (D::A, "-2 z4 (b ⊙ σ'(z1)) x'"),
    (D::A, "-2*z4*(b.*z2.*(1-z2))*x'"),
    (D::A, "-2 z4 diag(σ'(z1)) b xᵀ"),
    (D::A, "(x (-2 z4 b ⊙ σ'(z1))ᵀ)ᵀ"),
    (D::A, "−2 z₄ (b ⊙ σ′(z₁)) xᵀ"),
    (D::A, "2 (z3 - y) [b ⊙ z2 ⊙ (1 - z2)] x^{T}"),
];

/// What a wrong answer should be told.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Right shape, these mistakes.
    Mistaken(&'static [Mistake]),
    /// Wrong shape, explained by these mistakes.
    WrongShape(&'static [Mistake]),
}

const WRONG: &[(Derivative, &str, Expect)] = &[
    (D::Z4, "z4", Expect::Mistaken(&[FactorTwoMissing])),
    (D::Z4, "-2 z4", Expect::Mistaken(&[SignLost])),
    (D::Z4, "2 z3", Expect::Mistaken(&[Z3ForZ4])),
    (D::Z4, "2(z3 - y)", Expect::Mistaken(&[SignLost])),
    (D::Z3, "2 z4", Expect::Mistaken(&[SignLost])),
    (D::Z3, "2(y - z3)", Expect::Mistaken(&[SignLost])),
    (D::Z3, "-z4", Expect::Mistaken(&[FactorTwoMissing])),
    (D::Z3, "-2 z3", Expect::Mistaken(&[Z3ForZ4])),
    (D::Z2, "-2 z4 z2", Expect::Mistaken(&[SwappedDotProduct])),
    (
        D::Z2,
        "-2 z4 b ⊙ z2 ⊙ (1 - z2)",
        Expect::Mistaken(&[ExtraSigmaPrime]),
    ),
    (D::Z2, "-2 z4 bᵀ", Expect::WrongShape(&[TransposedVector])),
    (D::Z2, "2 z4 b", Expect::Mistaken(&[SignLost])),
    (D::Z1, "-2 z4 b", Expect::Mistaken(&[SigmaPrimeMissing])),
    (
        D::Z1,
        "-2 z4 b ⊙ z2",
        Expect::Mistaken(&[SigmaForSigmaPrime]),
    ),
    (
        D::Z1,
        "-2 z4 b ⊙ σ(z1)",
        Expect::Mistaken(&[SigmaForSigmaPrime]),
    ),
    (D::Z1, "-2 z4 z2 ⊙ (1 - z2)", Expect::Mistaken(&[BMissing])),
    (
        D::Z1,
        "-2 z4 b ⊙ σ'(z2)",
        Expect::Mistaken(&[SigmaPrimeWrongArgument]),
    ),
    (
        D::Z1,
        "-2 z4 b ⊙ z1 ⊙ (1 - z1)",
        Expect::Mistaken(&[SigmaPrimeWrongArgument]),
    ),
    (
        D::Z1,
        "-2 z4 bᵀ σ'(z1)",
        Expect::WrongShape(&[DotInsteadOfEntrywise]),
    ),
    (D::Z1, "2 z4 b ⊙ σ'(z1)", Expect::Mistaken(&[SignLost])),
    (
        D::Z1,
        "-2 z3 b ⊙ z2 ⊙ (1 - z2)",
        Expect::Mistaken(&[Z3ForZ4]),
    ),
    (
        D::B,
        "z4 z2",
        Expect::Mistaken(&[SignLost, FactorTwoMissing]),
    ),
    (D::B, "-2 z3 z2", Expect::Mistaken(&[Z3ForZ4])),
    (D::B, "-2 z4 z1", Expect::Mistaken(&[Z1ForZ2])),
    (D::B, "-2 z4 b", Expect::Mistaken(&[SwappedDotProduct])),
    (
        D::B,
        "-2 z4 z2 ⊙ σ'(z1)",
        Expect::Mistaken(&[ExtraSigmaPrime]),
    ),
    (D::B, "-2 z4 z2ᵀ", Expect::WrongShape(&[TransposedVector])),
    (D::B, "2 (y - z3) z2", Expect::Mistaken(&[SignLost])),
    (
        D::A,
        "-2 z4 x (b ⊙ σ'(z1))ᵀ",
        Expect::WrongShape(&[TransposedOuterProduct]),
    ),
    (D::A, "-2 z4 b xᵀ", Expect::Mistaken(&[SigmaPrimeMissing])),
    (
        D::A,
        "-2 z4 (b ⊙ z2) xᵀ",
        Expect::Mistaken(&[SigmaForSigmaPrime]),
    ),
    (
        D::A,
        "-2 z4 z2 ⊙ (1 - z2) xᵀ",
        Expect::Mistaken(&[BMissing]),
    ),
    (
        D::A,
        "-2 z4 b ⊙ z2 ⊙ (1 - z2)",
        Expect::WrongShape(&[XMissing]),
    ),
    (D::A, "-2 z3 (b ⊙ σ'(z1)) xᵀ", Expect::Mistaken(&[Z3ForZ4])),
    (
        D::A,
        "-z4 (b ⊙ σ'(z1)) xᵀ",
        Expect::Mistaken(&[FactorTwoMissing]),
    ),
    (D::A, "2 z4 (b ⊙ σ'(z1)) xᵀ", Expect::Mistaken(&[SignLost])),
    (
        D::A,
        "-2 z4 (b ⊙ σ'(z1)) z2ᵀ",
        Expect::WrongShape(&[WrongInputForA]),
    ),
    (
        D::A,
        "-z4 b xᵀ",
        Expect::Mistaken(&[SigmaPrimeMissing, FactorTwoMissing]),
    ),
    (
        D::A,
        "-2 z4 (bᵀσ'(z1)) xᵀ",
        Expect::WrongShape(&[DotInsteadOfEntrywise]),
    ),
    (
        D::A,
        "-2 z4 (b ⊙ σ'(z2)) xᵀ",
        Expect::Mistaken(&[SigmaPrimeWrongArgument]),
    ),
];

#[test]
fn right_answers_in_many_spellings_are_accepted() {
    assert!(RIGHT.len() >= 30);
    for seed in [1, 2, 3] {
        for (derivative, answer) in RIGHT {
            let verdict = check(*derivative, answer, seed);
            assert!(
                verdict.is_right(),
                "{} {answer:?} (seed {seed}): {verdict}",
                derivative.label()
            );
        }
    }
}

#[test]
fn the_worksheet_answers_parse_have_the_right_shape_and_are_accepted() {
    for derivative in Derivative::ALL {
        let expression = Expression::parse(derivative.answer()).unwrap();
        assert_eq!(expression.shape(), Ok(derivative.expected_shape()));
        assert!(check(derivative, derivative.answer(), 11).is_right());
        assert_eq!(Derivative::from_name(derivative.name()), Some(derivative));
    }
    assert_eq!(D::B.answer(), "-2 z4 z2");
    assert_eq!(D::A.answer(), "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ");
}

#[test]
fn wrong_answers_get_their_diagnosis() {
    assert!(WRONG.len() >= 20);
    for (derivative, answer, expect) in WRONG {
        let verdict = check(*derivative, answer, 5);
        let label = format!("{} {answer:?}: {verdict}", derivative.label());
        match (expect, &verdict) {
            (Expect::Mistaken(mistakes), Verdict::Mistaken(found)) => {
                assert_eq!(found, mistakes, "{label}")
            }
            (Expect::WrongShape(mistakes), Verdict::WrongShape(shape)) => {
                assert_eq!(&shape.mistakes, mistakes, "{label}")
            }
            _ => panic!("{label}: expected {expect:?}"),
        }
        // The message carries every mistake's hint.
        let message = verdict.to_string();
        for mistake in verdict.mistakes() {
            assert!(message.contains(mistake.hint()), "{label}");
        }
    }
    // Every mistake (Mistake::ALL, so a new one cannot be left out) is diagnosed by a wrong
    // answer above or by one of the checker's wrong formulas, and has a name and a hint of
    // its own. tests/practice_slips.rs has a slip for each, too.
    let mut names = Vec::new();
    for mistake in Mistake::ALL {
        let in_wrong = WRONG.iter().any(|(_, _, expect)| match expect {
            Expect::Mistaken(m) | Expect::WrongShape(m) => m.contains(&mistake),
        });
        let in_formulas = Derivative::ALL.iter().any(|derivative| {
            derivative
                .wrong_formulas()
                .any(|(_, mistakes)| mistakes.contains(&mistake))
        });
        assert!(in_wrong || in_formulas, "{mistake:?}");
        assert!(!mistake.hint().is_empty() && !mistake.name().is_empty());
        assert!(!names.contains(&mistake.name()), "{mistake:?}");
        names.push(mistake.name());
    }
}

#[test]
fn every_wrong_formula_of_the_checker_is_diagnosed_as_its_own_mistake() {
    for derivative in Derivative::ALL {
        for (formula, mistakes) in derivative.wrong_formulas() {
            let verdict = check(derivative, formula, 9);
            assert_eq!(
                verdict.mistakes(),
                mistakes,
                "{} {formula:?}: {verdict}",
                derivative.label()
            );
        }
    }
}

#[test]
fn other_wrong_answers_show_both_values_or_say_why_not() {
    match check(D::A, "A", 3) {
        Verdict::NotEqual(comparison) => {
            assert_eq!(comparison.case, 0);
            assert_eq!(
                comparison.yours.entries().len(),
                comparison.right.entries().len()
            );
            assert_ne!(comparison.yours, comparison.right);
        }
        other => panic!("{other:?}"),
    }
    let message = check(D::B, "b ⊙ z2", 3).to_string();
    assert!(
        message.starts_with("Not equal: on example 1 (m = "),
        "{message}"
    );
    assert!(message.contains("yours is [") && message.contains("the right value is ["));
    match check(D::Z4, "4 z4", 3) {
        Verdict::Multiple { factor } => assert!((factor - 2.0).abs() < 1e-12),
        other => panic!("{other:?}"),
    }
    assert!(check(D::B, "-8 z4 z2", 3)
        .to_string()
        .starts_with("Not yet: your answer is 4 times the right one"));
    assert!(check(D::B, "-2 z4 z2 / 3", 3)
        .to_string()
        .starts_with("Not yet: your answer is 0.3333 times"));
    assert!(matches!(
        check(D::B, "z2 / (z3 - z3)", 3),
        Verdict::NotFinite { case: 0 }
    ));
    // Agreement to 7 digits but not to 9 is not called right, nor a mistake.
    assert!(matches!(
        check(D::Z4, "2 z4 + 1e-7", 3),
        Verdict::Undecided(_)
    ));
    assert!(matches!(check(D::Z4, "2 z4 +", 3), Verdict::Unreadable(_)));
    assert!(matches!(check(D::Z4, "z2 x", 3), Verdict::BadShapes(_)));
}

#[test]
fn the_check_is_strong_enough_on_a_thousand_examples() {
    let many = Cases::draw(2024, 1000);
    assert_eq!(many.cases().len(), 1000);
    for (derivative, answer, _) in WRONG {
        assert!(
            !check_on(*derivative, answer, &many).is_right(),
            "{answer:?}"
        );
        // Stronger: a wrong answer of the right shape differs from the right one on every
        // single example, so any one of the 20 would already refuse it.
        let expression = Expression::parse(answer).unwrap();
        if expression.shape() != Ok(derivative.expected_shape()) {
            continue;
        }
        for case in many.cases() {
            let instance = case.instance();
            let yours = expression.evaluate(instance).unwrap();
            let right =
                derivative.right_value(case.gradients(), instance.hidden(), instance.inputs());
            let equal = yours
                .entries()
                .iter()
                .zip(right.entries())
                .all(|(y, r)| (y - r).abs() <= RELATIVE_TOLERANCE * r.abs().max(1e-3));
            assert!(!equal, "{answer:?} equals the right value on {case:?}");
        }
    }
    // And the 20-example check refuses every wrong answer whatever the seed.
    for seed in 0..50 {
        let cases = Cases::draw(seed, CHECK_CASES);
        for (derivative, answer, _) in WRONG {
            assert!(!check_on(*derivative, answer, &cases).is_right());
        }
    }
}

#[test]
fn examples_are_reproducible_unsaturated_and_away_from_zero() {
    let cases = Cases::draw(77, 1000);
    let again = Cases::draw(77, 1000);
    let mut smallest = f64::INFINITY;
    for (case, same) in cases.cases().iter().zip(again.cases()) {
        let instance = case.instance();
        assert_eq!(instance.x(), same.instance().x());
        assert!((1..=4).contains(&instance.inputs()) && (1..=5).contains(&instance.hidden()));
        assert!(instance.forward().z1.iter().all(|z| z.abs() <= 3.0));
        assert!(instance.forward().z4.abs() >= 0.5 - 1e-12);
        for derivative in Derivative::ALL {
            let right =
                derivative.right_value(case.gradients(), instance.hidden(), instance.inputs());
            for v in right.entries() {
                smallest = smallest.min(v.abs());
            }
        }
    }
    // The floor of the tolerance (1e-3) is below every right entry.
    assert!(smallest > 2e-3, "smallest entry {smallest}");
    // The first example tells h × m from m × h.
    for seed in 0..200 {
        let (hidden, inputs) = Cases::draw(seed, 1).first_sizes();
        assert!(hidden >= 2 && inputs >= 2 && hidden != inputs);
    }
    assert_eq!(Cases::draw(1, 0).cases().len(), 1);
    assert_eq!(Cases::draw(1, usize::MAX).cases().len(), MAX_CASES);
    assert_eq!(check(D::A, "A", 8), check(D::A, "A", 8));
}

#[test]
fn parse_errors_name_the_position() {
    let error = |text: &str| Expression::parse(text).unwrap_err();
    let e = error("-2 (z4 z2");
    assert_eq!(e.position, 9);
    assert_eq!(
        e.to_string(),
        "At position 10: expected ‘)’ to close the ‘(’ at position 4"
    );
    assert_eq!(error("2 z4 )").position, 5);
    assert_eq!(error("2 + * z4").position, 4);
    let e = error("σ′(z1) ⊙ q");
    assert_eq!(e.position, 9);
    assert!(matches!(e.kind, ParseErrorKind::UnknownName { .. }));
    // Positions count characters, not bytes: "σ′⊙" are multi-byte.
    let e = error("σ′(z1) ⊙ ⊙ b");
    assert_eq!(e.position, 9);
    assert!(e
        .to_string()
        .starts_with("At position 10: expected a number, a name or ‘(’"));
    assert_eq!(error("z4 ^ 3").position, 3);
    assert_eq!(
        error("sigma z1").kind,
        ParseErrorKind::NeedsParentheses { function: "σ" }
    );
    assert!(error("xT").to_string().contains("for a transpose write ᵀ"));
    assert!(error("B").to_string().contains("did you mean b?"));
    assert_eq!(error("   ").kind, ParseErrorKind::Empty);
    assert!(error("z4\u{7}").to_string().contains("U+0007"));
}

#[test]
fn limits_are_checked_before_the_work() {
    let long = "z4+".repeat(MAX_CHARS);
    let e = Expression::parse(&long).unwrap_err();
    assert_eq!((e.position, e.kind), (MAX_CHARS, ParseErrorKind::TooLong));
    let ok_length = format!("{}z4", "z4+".repeat((MAX_CHARS - 2) / 3));
    assert!(Expression::parse(&ok_length).is_ok());
    let nested = |depth: usize| format!("{}z4{}", "(".repeat(depth), ")".repeat(depth));
    assert!(Expression::parse(&nested(MAX_DEPTH)).is_ok());
    assert_eq!(
        Expression::parse(&nested(MAX_DEPTH + 1)).unwrap_err().kind,
        ParseErrorKind::TooDeep
    );
    let signs = format!("{}z4", "-".repeat(MAX_DEPTH + 1));
    assert_eq!(
        Expression::parse(&signs).unwrap_err().kind,
        ParseErrorKind::TooDeep
    );
    // Long flat chains are fine and evaluate without recursion.
    let chain = format!("x{}", "'".repeat(MAX_CHARS - 1));
    let expression = Expression::parse(&chain).unwrap();
    assert!(expression.shape().is_ok());
    // An answer far over the limit is refused at once.
    let huge = "1".repeat(10_000_000);
    assert!(matches!(check(D::Z4, &huge, 1), Verdict::Unreadable(_)));
}

#[test]
fn shape_mismatches_use_the_right_words() {
    let verdict = check(D::A, "-2 z4 x (b ⊙ z2 ⊙ (1 - z2))ᵀ", 4);
    let (hidden, inputs) = Cases::draw(4, CHECK_CASES).first_sizes();
    let message = verdict.to_string();
    assert!(
        message.starts_with(&format!(
            "∂L/∂A must be h × m = {hidden} × {inputs}; yours is m × h = {inputs} × {hidden}."
        )),
        "{message}"
    );
    // Without a known formula the advice still names the likely cause.
    let message = check(D::A, "x (b ⊙ z2)ᵀ", 4).to_string();
    assert!(
        message.ends_with("Is an outer product the wrong way round?"),
        "{message}"
    );
    let message = check(D::Z3, "z2", 4).to_string();
    assert!(message.starts_with("∂L/∂z3 must be a number (1 × 1); yours is h × 1 = "));
    let message = check(D::Z4, "x + 1", 4).to_string();
    assert!(
        message.ends_with(
            "z4 is one number, so ∂L/∂z4 is one number too: which vector or matrix crept in?"
        ),
        "{message}"
    );
    let message = check(D::B, "bᵀ z2", 4).to_string();
    assert!(message.contains("yours is a number (1 × 1)"), "{message}");
    let message = check(D::A, "z2 x", 4).to_string();
    assert!(
        message.contains("can't multiply z2 (h × 1) by x (m × 1): did you mean xᵀ?"),
        "{message}"
    );
}

/// Pieces of the language, for random answers that are often nearly right.
const PIECES: &[&str] = &[
    "x",
    "y",
    "A",
    "b",
    "z1",
    "z2",
    "z3",
    "z4",
    "z₁",
    "σ",
    "σ'",
    "sigma",
    "dsigma",
    "diag",
    "(",
    ")",
    "[",
    "]",
    "+",
    "-",
    "−",
    "*",
    "·",
    "×",
    "@",
    "⊙",
    ".*",
    "/",
    "ᵀ",
    "^T",
    "^2",
    "²",
    "'",
    " ",
    "2",
    "0.5",
    "1e-3",
    "z",
    "^",
    "e",
    ".",
    "1",
    "**",
    "{",
    "}",
    "∘",
    "′",
    "_",
    // NumPy and LaTeX.
    ".T",
    "np.",
    "outer(",
    ",",
    "⊗",
    "exp",
    "transpose(",
    "\\sigma",
    "\\odot",
    "\\cdot",
    "\\top",
    "\\",
    "\\left(",
    "\\right)",
    "\\frac",
    "z_{4}",
    "^{\\top}",
    "𝜎",
    "𝑥",
    "dot",
    "^{\\prime}",
];

fn pick<'a>(rng: &mut Rng, options: &[&'a str]) -> &'a str {
    options[(rng.next_u64() % options.len() as u64) as usize]
}

/// Pieces of the language strung together: mostly nonsense.
fn random_pieces(rng: &mut Rng) -> String {
    let count = (rng.next_u64() % 24) as usize;
    (0..count).map(|_| pick(rng, PIECES)).collect()
}

/// An expression built by the grammar (so it usually parses), sometimes with a piece
/// inserted or a character dropped.
fn random_expression(rng: &mut Rng, depth: usize) -> String {
    let leaf = |rng: &mut Rng| {
        pick(
            rng,
            &["x", "y", "A", "b", "z1", "z2", "z3", "z4", "2", "0.5"],
        )
        .to_string()
    };
    if depth == 0 {
        return leaf(rng);
    }
    let mut next = || random_expression(rng, depth - 1);
    let (a, b) = (next(), next());
    match rng.next_u64() % 10 {
        0 => format!("{a} + {b}"),
        1 => format!("{a} - {b}"),
        2 => format!("{a} {b}"),
        3 => format!("{a} * {b}"),
        4 => format!("{a} ⊙ {b}"),
        5 => format!("({a})ᵀ"),
        6 => format!("σ({a})"),
        7 => format!("σ'({a})"),
        8 => format!("-{a}"),
        _ => format!("({a}) / {b}"),
    }
}

fn random_answer(rng: &mut Rng) -> String {
    match rng.next_u64() % 3 {
        0 => random_pieces(rng),
        _ => {
            let depth = (rng.next_u64() % 4) as usize;
            let mut chars: Vec<char> = random_expression(rng, depth).chars().collect();
            if rng.next_u64().is_multiple_of(4) && !chars.is_empty() {
                let at = (rng.next_u64() % chars.len() as u64) as usize;
                if rng.next_u64().is_multiple_of(2) {
                    chars.remove(at);
                } else {
                    let piece = pick(rng, PIECES);
                    chars.splice(at..at, piece.chars());
                }
            }
            chars.into_iter().collect()
        }
    }
}

fn random_text(rng: &mut Rng) -> String {
    let count = (rng.next_u64() % 40) as usize;
    if rng.next_u64().is_multiple_of(2) {
        let bytes: Vec<u8> = (0..count).map(|_| rng.next_u64() as u8).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        (0..count)
            .filter_map(|_| char::from_u32((rng.next_u64() % 0x3000) as u32))
            .collect()
    }
}

/// Everything MathML may contain outside its tags: the fixed vocabulary and digits.
fn allowed_in_mathml_text(c: char) -> bool {
    c.is_ascii_digit() || "xyAbzTσ′()+−×·⊙.diagexp&#;".contains(c)
}

fn check_mathml_is_safe(mathml: &str) {
    assert!(mathml.starts_with("<math>") && mathml.ends_with("</math>"));
    let mut rest = mathml;
    while let Some(open) = rest.find('<') {
        for c in rest[..open].chars() {
            assert!(allowed_in_mathml_text(c), "{c:?} in {mathml}");
        }
        let close = rest[open..].find('>').expect("closed tag") + open;
        let tag = rest[open + 1..close].trim_start_matches('/');
        assert!(
            ["math", "mrow", "mi", "mn", "mo", "msub", "msup", "mfrac"].contains(&tag),
            "tag {tag:?} in {mathml}"
        );
        rest = &rest[close + 1..];
    }
    assert!(rest.is_empty());
    if let Some(entity) = mathml.find('&') {
        assert_eq!(&mathml[entity..entity + 8], "&#x2062;");
    }
}

#[test]
fn fuzzed_answers_never_panic_and_errors_point_inside_the_text() {
    let instance = Instance::new(
        &[0.5, -1.0, 0.25, 0.75, -0.5, 1.0],
        &[1.0, -2.0, 0.5],
        &[1.0, 0.5],
        0.3,
    )
    .unwrap();
    let mut rng = Rng::new(99);
    let (mut parsed, mut typed) = (0, 0);
    for round in 0..12_000 {
        let text = if round % 2 == 0 {
            random_answer(&mut rng)
        } else {
            random_text(&mut rng)
        };
        let length = text.chars().count();
        let expression = match Expression::parse(&text) {
            Err(error) => {
                assert!(error.position <= length, "{text:?}: {error:?}");
                assert!(!error.to_string().is_empty());
                continue;
            }
            Ok(expression) => expression,
        };
        parsed += 1;
        check_mathml_is_safe(&expression.to_mathml());
        match expression.shape() {
            Err(error) => {
                assert!(error.start <= error.end && error.end <= length, "{text:?}");
                assert!(!error.to_string().is_empty());
            }
            Ok(shape) => {
                typed += 1;
                let value = expression.evaluate(&instance).unwrap();
                assert_eq!((value.rows(), value.cols()), shape.sizes(3, 2), "{text:?}");
                // The text re-reads to the same value (unless the parentheses it adds make
                // it too deep or too long).
                let text_again = expression.to_text();
                match Expression::parse(&text_again) {
                    Ok(again) => {
                        let value_again = again.evaluate(&instance).unwrap();
                        for (a, b) in value.entries().iter().zip(value_again.entries()) {
                            assert!(
                                a == b || a.is_nan() && b.is_nan(),
                                "{text:?} → {text_again:?}"
                            );
                        }
                        assert_eq!(again.to_text(), text_again);
                    }
                    Err(error) => assert!(
                        matches!(
                            error.kind,
                            ParseErrorKind::TooDeep | ParseErrorKind::TooLong
                        ),
                        "{text:?} → {text_again:?}: {error}"
                    ),
                }
            }
        }
    }
    // The random answers exercise the later stages too.
    assert!(
        parsed > 500 && typed > 200,
        "parsed {parsed}, typed {typed}"
    );
    // The whole checker on random answers, for every exercise.
    for _ in 0..600 {
        let text = random_answer(&mut rng);
        for derivative in Derivative::ALL {
            assert!(!check(derivative, &text, 1).to_string().is_empty());
        }
        let _ = parse_count(&random_text(&mut rng));
    }
}

#[test]
fn mathml_is_exact_and_built_from_the_tree() {
    let mathml = |text: &str| Expression::parse(text).unwrap().to_mathml();
    assert_eq!(
        mathml("-2 z4 z2"),
        "<math><mo>−</mo><mn>2</mn><mo>&#x2062;</mo><msub><mi>z</mi><mn>4</mn></msub>\
         <mo>&#x2062;</mo><msub><mi>z</mi><mn>2</mn></msub></math>"
    );
    assert_eq!(
        mathml("(b .* z2)*x^T"),
        "<math><mrow><mo>(</mo><mi>b</mi><mo>⊙</mo><msub><mi>z</mi><mn>2</mn></msub><mo>)</mo>\
         </mrow><mo>&#x2062;</mo><msup><mi>x</mi><mi>T</mi></msup></math>"
    );
    assert_eq!(
        mathml("sigma'(z_1)"),
        "<math><mrow><msup><mi>σ</mi><mo>′</mo></msup><mo>(</mo><msub><mi>z</mi><mn>1</mn>\
         </msub><mo>)</mo></mrow></math>"
    );
    assert_eq!(
        mathml("(y - z3)^2 * 0.50"),
        "<math><msup><mrow><mo>(</mo><mi>y</mi><mo>−</mo><msub><mi>z</mi><mn>3</mn></msub>\
         <mo>)</mo></mrow><mn>2</mn></msup><mo>·</mo><mn>0.5</mn></math>"
    );
    assert_eq!(
        mathml("1e-9"),
        "<math><mn>1</mn><mo>×</mo><msup><mn>10</mn><mn>−9</mn></msup></math>"
    );
    // Typed spellings and spaces never reach the output.
    assert_eq!(mathml("dsigma( z1 )"), mathml("σ′(z1)"));
    assert_eq!(mathml("2.000*z4"), mathml("2 z4"));
    for derivative in Derivative::ALL {
        check_mathml_is_safe(&Expression::parse(derivative.answer()).unwrap().to_mathml());
    }
}

#[test]
fn every_exercise_has_three_hints_getting_more_specific() {
    let mut all: Vec<[&str; HINT_LEVELS]> = Derivative::ALL.iter().map(|d| d.hints()).collect();
    all.push(backprop_lab::practice::graph::hints());
    all.push(backprop_lab::practice::counts::hints());
    for hints in all {
        assert_eq!(hints.len(), 3);
        assert!(hints.iter().all(|h| !h.is_empty()));
        assert!(hints[0] != hints[1] && hints[1] != hints[2]);
    }
    for derivative in Derivative::ALL {
        assert!(!derivative.prompt().is_empty());
    }
}

fn choice(operation: Operation, first: Input, second: Option<Input>) -> NodeChoice {
    NodeChoice {
        operation: Some(operation),
        first: Some(first),
        second,
    }
}

#[test]
fn the_graph_checker_explains_each_wrong_choice() {
    let right: Vec<NodeChoice> = GraphNode::ALL
        .iter()
        .map(|node| {
            let (operation, first, second) = node.answer();
            choice(operation, first, second)
        })
        .collect();
    let right: [NodeChoice; 5] = right.try_into().unwrap();
    assert!(check_graph(&right).iter().all(|verdict| verdict.right));

    // z3 by "matrix times vector": z3 is a number; Ax is a vector.
    let verdict = check_node(
        GraphNode::Z3,
        choice(Operation::MatrixTimesVector, Input::B, Some(Input::Z2)),
    );
    assert!(!verdict.right);
    assert!(verdict.reasons[0].contains("one number"));
    assert!(verdict.reasons[1].contains("gives a vector"));
    // The dot product is symmetric.
    assert!(
        check_node(
            GraphNode::Z3,
            choice(Operation::Dot, Input::Z2, Some(Input::B))
        )
        .right
    );
    // z2 from x: z2 applies σ to z1.
    let verdict = check_node(GraphNode::Z2, choice(Operation::Sigmoid, Input::X, None));
    assert_eq!(
        verdict.reasons,
        ["z2 = σ(z1): σ applied to z1 entry by entry."]
    );
    // Order matters for z4 and z1.
    let verdict = check_node(
        GraphNode::Z4,
        choice(Operation::Difference, Input::Z3, Some(Input::Y)),
    );
    assert!(verdict.reasons[1].contains("z3 − y is its negative"));
    let verdict = check_node(
        GraphNode::Z1,
        choice(Operation::MatrixTimesVector, Input::X, Some(Input::A)),
    );
    assert!(verdict.reasons[1].contains("order matters"));
    // Inputs from later in the graph.
    let verdict = check_node(GraphNode::Z2, choice(Operation::Sigmoid, Input::Z3, None));
    assert!(verdict.reasons[0].contains("before it"));
    // Nothing picked yet.
    let verdict = check_node(
        GraphNode::Loss,
        NodeChoice {
            operation: Some(Operation::Square),
            first: None,
            second: None,
        },
    );
    assert_eq!(verdict.reasons, ["Pick the input."]);
    // Names round-trip for the page.
    for operation in Operation::ALL {
        assert_eq!(Operation::from_name(operation.name()), Some(operation));
    }
    for input in Input::ALL {
        assert_eq!(Input::from_name(input.name()), Some(input));
    }
}

#[test]
fn counts_match_the_cost_panel_and_read_typed_numbers() {
    for seed in 0..100 {
        let problem = CountsProblem::draw(seed);
        let (m, h) = (problem.inputs as u64, problem.hidden as u64);
        let p = h * m + h;
        assert_eq!(problem.answer(CountQuestion::Derivatives), p);
        assert_eq!(p, counts::parameters(&[problem.inputs], problem.hidden));
        assert_eq!(problem.answer(CountQuestion::FiniteDifferencePasses), 2 * p);
        assert_eq!(problem.answer(CountQuestion::BackpropPasses), 2);
        assert_eq!(
            problem.answer(CountQuestion::DerivativesWithAnotherLayer),
            h * m + h * h + h
        );
        for question in CountQuestion::ALL {
            let answer = problem.answer(question).to_string();
            assert_eq!(
                problem.check(question, &format!(" {answer} ")),
                CountVerdict::Right
            );
            assert_eq!(CountQuestion::from_name(question.name()), Some(question));
        }
    }
    // The pass counts are the ones the cost panel reports for the worksheet's network.
    assert_eq!(counts::BACKPROP_PASSES, 2);
    assert_eq!(counts::finite_difference_passes(&[3], 4), 2 * (4 * 3 + 4));

    let problem = CountsProblem {
        inputs: 3,
        hidden: 5,
    };
    assert_eq!(
        problem.check(CountQuestion::Derivatives, "20"),
        CountVerdict::Right
    );
    let wrong = |q, text| match problem.check(q, text) {
        CountVerdict::Wrong { hint } => hint,
        other => panic!("{other:?}"),
    };
    assert!(wrong(CountQuestion::Derivatives, "15").contains("A only"));
    assert!(wrong(CountQuestion::FiniteDifferencePasses, "20").contains("two passes"));
    assert!(wrong(CountQuestion::FiniteDifferencePasses, "21").contains("forward differences"));
    assert!(wrong(CountQuestion::BackpropPasses, "1").contains("backward pass"));
    assert!(wrong(CountQuestion::DerivativesWithAnotherLayer, "40").contains("h × h"));

    assert_eq!(parse_count("12"), Ok(12));
    assert_eq!(parse_count(" 12 "), Ok(12));
    assert_eq!(parse_count("1,000"), Ok(1000));
    assert_eq!(parse_count("1 000 000"), Ok(1_000_000));
    assert_eq!(parse_count("12.0"), Ok(12));
    assert_eq!(parse_count("+1_000"), Ok(1000));
    assert_eq!(parse_count("."), Err(CountError::NotANumber));
    assert_eq!(parse_count("1.2.0"), Err(CountError::NotWhole));
    assert_eq!(parse_count("1000,"), Err(CountError::BadGrouping));
    assert_eq!(parse_count("twelve"), Err(CountError::NotANumber));
    assert_eq!(parse_count("12.5"), Err(CountError::NotWhole));
    assert_eq!(parse_count("-3"), Err(CountError::Negative));
    assert_eq!(parse_count("1,00"), Err(CountError::BadGrouping));
    assert_eq!(parse_count("1,000 000"), Err(CountError::BadGrouping));
    assert_eq!(parse_count(""), Err(CountError::Empty));
    assert_eq!(
        parse_count("99999999999999999999"),
        Err(CountError::TooLarge)
    );
    assert_eq!(parse_count(&"1".repeat(100)), Err(CountError::TooLong));
    assert!(matches!(
        problem.check(CountQuestion::Derivatives, "abc"),
        CountVerdict::Unreadable(CountError::NotANumber)
    ));

    assert_eq!(LAYER_OPTIONS.iter().filter(|o| o.right).count(), 1);
    assert!(layer_option(0).is_some_and(|o| o.right));
    assert!(layer_option(LAYER_OPTIONS.len()).is_none());
}
