//! The checker: parse, shape, values on examples, then the simplest known explanation.

use super::mistakes::SCALES;
use super::{Comparison, Derivative, Mistake, Verdict, WrongShape};
use crate::expr::{Expression, Value};
use crate::practice::cases::{
    close, matches, Case, Cases, CHECK_CASES, CLOSE_TOLERANCE, RELATIVE_TOLERANCE,
};

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
    if shape == expected && all_match(&yours, &right, 1.0, RELATIVE_TOLERANCE) {
        return Verdict::Right {
            implicit_entrywise: expression.has_implicit_entrywise(),
        };
    }
    let found = simplest_explanation(
        derivative,
        shape == expected,
        &expression,
        &yours,
        &right,
        cases,
    );
    if shape != expected {
        let (hidden, inputs) = cases
            .first()
            .map_or((1, 1), |c| (c.instance().hidden(), c.instance().inputs()));
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
    let undecided = all_match(&yours, &right, 1.0, CLOSE_TOLERANCE);
    if let Some(factor) = constant_factor(&yours, &right) {
        if !undecided && all_match(&yours, &right, factor, RELATIVE_TOLERANCE) {
            return Verdict::Multiple { factor };
        }
    }
    match comparison(cases, &yours, &right) {
        Some(comparison) if undecided => Verdict::Undecided(comparison),
        Some(comparison) => Verdict::NotEqual(comparison),
        None => Verdict::NotFinite { case: 0 },
    }
}

/// Whether `yours` equals `scale` times `reference` on every example. Never true without
/// examples, so no answer is called right unchecked.
fn all_match(yours: &[Value], reference: &[Value], scale: f64, tolerance: f64) -> bool {
    !yours.is_empty()
        && yours.len() == reference.len()
        && yours
            .iter()
            .zip(reference)
            .all(|(y, r)| matches(y, r, scale, tolerance))
}

/// The mistakes that explain the answer's values: the right formula (if the shape fits) and
/// every wrong one of the answer's shape, each also with a lost sign and a lost 2. Of the
/// explanations that fit, the simplest (fewest mistakes; the first of those): `b` for ∂L/∂z2
/// is ∂L/∂z3 left out, not z4 lost with the sign and the 2.
fn simplest_explanation(
    derivative: Derivative,
    shape_fits: bool,
    expression: &Expression,
    yours: &[Value],
    right: &[Value],
    cases: &[Case],
) -> Option<Vec<Mistake>> {
    let mut candidates: Vec<(&[Mistake], Vec<Value>)> = Vec::new();
    if shape_fits {
        candidates.push((&[], right.to_vec()));
    }
    let shape = expression.shape();
    for known in derivative.known_mistakes() {
        let Ok(formula) = Expression::parse(known.formula) else {
            continue;
        };
        if formula.shape() == shape {
            candidates.push((known.mistakes, values_of(&formula, cases)));
        }
    }
    candidates
        .iter()
        .flat_map(|(mistakes, values)| {
            SCALES.iter().filter_map(move |(scale, extra)| {
                let is_right = mistakes.is_empty() && extra.is_empty();
                (!is_right && all_match(yours, values, *scale, RELATIVE_TOLERANCE))
                    .then(|| [*mistakes, *extra].concat())
            })
        })
        .min_by_key(Vec::len)
}

/// The answer next to the right value on one example: one where the difference is large
/// enough to read (beyond CLOSE_TOLERANCE) when there is one.
fn comparison(cases: &[Case], yours: &[Value], right: &[Value]) -> Option<Comparison> {
    let differs = |tolerance: f64| {
        yours
            .iter()
            .zip(right)
            .position(|(y, r)| !matches(y, r, 1.0, tolerance))
    };
    let differing = differs(CLOSE_TOLERANCE)
        .or_else(|| differs(RELATIVE_TOLERANCE))
        .unwrap_or(0);
    let (case, y, r) = (
        cases.get(differing)?,
        yours.get(differing)?,
        right.get(differing)?,
    );
    Some(Comparison {
        case: differing,
        hidden: case.instance().hidden(),
        inputs: case.instance().inputs(),
        yours: y.clone(),
        right: r.clone(),
    })
}

fn values_of(expression: &Expression, cases: &[Case]) -> Vec<Value> {
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
