//! Worksheet 1(a)–(c) as exercises: the sketch scoring, the limits and the vanishing-gradient
//! numbers, each right answer accepted and each named mistake recognised.

use backprop_lab::activation::{sigmoid_saturation_edge, SATURATION_LEVEL};
use backprop_lab::practice::limits::{check_limit, read_number, LimitQuestion};
use backprop_lab::practice::sketch::{
    score, Sketch, SketchError, SketchMistake, Target, GRID_POINTS, MAX_POINTS,
};
use backprop_lab::practice::vanishing::{read_factor, Remedy, VanishingProblem};
use backprop_lab::rng::Rng;

/// A curve sampled every `step` from −6 to 6.
fn sampled(step: f64, mut f: impl FnMut(f64) -> f64) -> Vec<(f64, f64)> {
    let n = (12.0 / step).round() as usize;
    (0..=n)
        .map(|i| {
            let x = -6.0 + i as f64 * step;
            (x, f(x))
        })
        .collect()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn names(target: Target, points: &[(f64, f64)]) -> Vec<&'static str> {
    score(target, points)
        .expect("a valid sketch")
        .mistakes
        .iter()
        .map(|m| m.name())
        .collect()
}

#[test]
fn the_true_derivatives_are_accepted() {
    for target in Target::ALL {
        for step in [0.05, 0.25, 0.5] {
            let verdict = score(target, &sampled(step, |x| target.derivative(x))).unwrap();
            assert!(
                verdict.is_right(),
                "{target:?} step {step}: {:?}",
                verdict.mistakes
            );
        }
    }
}

#[test]
fn the_true_derivatives_drawn_with_noise_are_accepted() {
    // A steady hand: noise of standard deviation 0.02 on every grid point, 200 sketches each.
    let mut rng = Rng::new(11);
    for target in Target::ALL {
        for trial in 0..200 {
            let points = sampled(0.25, |x| target.derivative(x) + 0.02 * rng.normal());
            let verdict = score(target, &points).unwrap();
            assert!(
                verdict.is_right(),
                "{target:?} trial {trial}: {}",
                verdict.message()
            );
        }
    }
}

#[test]
fn a_wobbly_sketch_with_the_right_features_is_accepted() {
    // Height 0.3 and a little wider, or the step drawn slightly to the right of 0.
    let bump = sampled(0.25, |x| 0.3 * (-(x * x) / 3.0).exp());
    assert!(score(Target::Sigmoid, &bump).unwrap().is_right());
    let step = sampled(0.25, |x| if x > 0.2 { 0.95 } else { 0.03 });
    assert!(score(Target::Relu, &step).unwrap().is_right());
}

#[test]
fn the_function_instead_of_its_derivative_is_named() {
    assert_eq!(
        names(Target::Sigmoid, &sampled(0.25, sigmoid)),
        ["function-drawn"]
    );
    assert_eq!(
        names(Target::Relu, &sampled(0.25, |x| x.clamp(0.0, 1.5))),
        ["function-drawn"]
    );
    let message = score(Target::Sigmoid, &sampled(0.25, sigmoid))
        .unwrap()
        .message();
    assert!(message.contains("σ itself"), "{message}");
}

#[test]
fn each_sigmoid_mistake_is_named() {
    // A bump of height 1.
    let tall = sampled(0.25, |x| 4.0 * Target::Sigmoid.derivative(x));
    assert_eq!(names(Target::Sigmoid, &tall), ["peak-height"]);
    assert!(score(Target::Sigmoid, &tall)
        .unwrap()
        .message()
        .contains("0.25, not 1"));
    // The peak at x = 2.
    let shifted = sampled(0.25, |x| Target::Sigmoid.derivative(x - 2.0));
    assert_eq!(names(Target::Sigmoid, &shifted)[0], "peak-place");
    // Not falling to 0 on the right.
    let shelf = sampled(0.25, |x| {
        if x > 0.0 {
            0.25 - 0.15 * (x / 5.0).min(1.0)
        } else {
            Target::Sigmoid.derivative(x)
        }
    });
    assert!(names(Target::Sigmoid, &shelf).contains(&"tails"));
    // Dipping below 0 on both sides.
    let dips = sampled(0.25, |x| {
        Target::Sigmoid.derivative(x) - 0.15 * (x.abs() > 2.0) as u8 as f64
    });
    assert!(names(Target::Sigmoid, &dips).contains(&"negative"));
    // Half as wide (σ′(2x), the slope of a steeper curve), and two bumps with a dip at 0:
    // each within the height, place, tail and distance tolerances, so only the shape tells.
    let narrow = sampled(0.25, |x| Target::Sigmoid.derivative(2.0 * x));
    assert_eq!(names(Target::Sigmoid, &narrow), ["width"]);
    assert!(score(Target::Sigmoid, &narrow)
        .unwrap()
        .message()
        .contains("steeper"));
    let two = sampled(0.25, |x| {
        Target::Sigmoid.derivative(x) - 0.15 * (-(x * x) / 0.1).exp()
    });
    assert!(
        names(Target::Sigmoid, &two).contains(&"two-bumps"),
        "{:?}",
        names(Target::Sigmoid, &two)
    );
    // Through the keyboard's control points, a little off the true values (0.05 steps).
    let mut sketch = Sketch::new(Target::Sigmoid);
    for (i, y) in [0.0, 0.0, 0.15, 0.2, 0.25, 0.2, 0.15, 0.0, 0.0]
        .into_iter()
        .enumerate()
    {
        sketch.set_control(i, y);
    }
    assert!(
        sketch.score().unwrap().is_right(),
        "{}",
        sketch.score().unwrap().message()
    );
    // Flat at 0: no peak at all.
    assert_eq!(
        names(Target::Sigmoid, &sampled(0.25, |_| 0.0)),
        ["peak-height"]
    );
}

#[test]
fn each_relu_mistake_is_named() {
    // The step at x = 2.
    let late = sampled(0.25, |x| if x > 2.0 { 1.0 } else { 0.0 });
    assert_eq!(names(Target::Relu, &late), ["step-place"]);
    // A gradual ramp from −2 to 2.
    let ramp = sampled(0.25, |x| ((x + 2.0) / 4.0).clamp(0.0, 1.0));
    assert_eq!(names(Target::Relu, &ramp), ["not-step"]);
    // Up to 0.25 instead of 1 (σ′'s peak carried over).
    let low = sampled(0.25, |x| if x > 0.0 { 0.25 } else { 0.0 });
    assert!(names(Target::Relu, &low).contains(&"levels"));
    // Negative on the left.
    let negative = sampled(0.25, |x| if x > 0.0 { 1.0 } else { -0.3 });
    assert!(names(Target::Relu, &negative).contains(&"negative"));
    // σ′ drawn for ReLU′.
    let bump = sampled(0.25, |x| Target::Sigmoid.derivative(x));
    assert!(names(Target::Relu, &bump).contains(&"levels"));
}

#[test]
fn junk_is_refused_with_a_message() {
    let good = sampled(0.25, |x| Target::Relu.derivative(x));
    let with = |i: usize, point: (f64, f64)| {
        let mut points = good.clone();
        points[i] = point;
        points
    };
    let cases: Vec<(Vec<(f64, f64)>, SketchError)> = vec![
        (vec![], SketchError::TooFew),
        (vec![(0.0, 0.0)], SketchError::TooFew),
        (with(3, (f64::NAN, 0.0)), SketchError::NotFinite(3)),
        (with(4, (-5.0, f64::INFINITY)), SketchError::NotFinite(4)),
        (with(0, (-7.0, 0.0)), SketchError::XOutOfRange(0)),
        (with(5, (-4.75, 20.0)), SketchError::YOutOfRange(5)),
        (with(6, (-6.0, 0.0)), SketchError::NotIncreasing(6)),
        (
            sampled(0.25, |_| 0.0)[5..44].to_vec(),
            SketchError::TooNarrow {
                from: -4.75,
                to: 4.75,
            },
        ),
        (
            (0..=MAX_POINTS)
                .map(|i| (-6.0 + 12.0 * i as f64 / MAX_POINTS as f64, 0.0))
                .collect(),
            SketchError::TooMany(MAX_POINTS + 1),
        ),
    ];
    for (points, expected) in cases {
        let error = score(Target::Relu, &points).unwrap_err();
        assert_eq!(error, expected);
        assert!(!error.to_string().is_empty());
    }
    // Exactly the limit is fine.
    let most: Vec<_> = (0..MAX_POINTS)
        .map(|i| {
            let x = -6.0 + 12.0 * i as f64 / (MAX_POINTS - 1) as f64;
            (x, Target::Relu.derivative(x))
        })
        .collect();
    assert!(score(Target::Relu, &most).is_ok());
}

#[test]
fn the_page_sketch_draws_and_moves_control_points() {
    let mut sketch = Sketch::new(Target::Sigmoid);
    assert_eq!(sketch.points().len(), GRID_POINTS);
    // A stroke sets the grid between its ends, clamped to the plot's y-range.
    sketch.stroke((-1.0, 0.2), (1.0, 0.4));
    assert!((sketch.value_at(0.0) - 0.3).abs() < 1e-12);
    sketch.stroke((2.0, 9.0), (2.0, 9.0));
    assert_eq!(sketch.value_at(2.0), 1.5);
    sketch.stroke((f64::NAN, 0.0), (1.0, 1.0)); // ignored
    assert!((sketch.value_at(1.0) - 0.4).abs() < 1e-12);
    // The keyboard's control points: the true values at each give an accepted sketch.
    for target in Target::ALL {
        let mut sketch = Sketch::new(target);
        for (i, &x) in target.controls().iter().enumerate() {
            sketch.set_control(i, target.derivative(x));
        }
        let verdict = sketch.score().unwrap();
        assert!(verdict.is_right(), "{target:?}: {}", verdict.message());
        sketch.set_control(99, 1.0); // no such point: ignored
        assert_eq!(sketch.controls().len(), target.controls().len());
    }
    // σ drawn through the control points is σ, not σ′.
    let mut sketch = Sketch::new(Target::Sigmoid);
    for (i, &x) in Target::Sigmoid.controls().iter().enumerate() {
        sketch.set_control(i, sigmoid(x));
    }
    assert_eq!(
        sketch.score().unwrap().mistakes,
        [SketchMistake::FunctionDrawn]
    );
}

#[test]
fn limits_right_and_named_mistakes() {
    use LimitQuestion::*;
    for (question, answer) in [
        (SigmoidPlus, "0"),
        (SigmoidMinus, "0"),
        (ReluPlus, "1"),
        (ReluMinus, "0"),
        (ReluMinus, " 0.0 "),
        (Threshold, "4.6"),
        (Threshold, "4.59"),
        (Threshold, "4.55"),
    ] {
        assert!(check_limit(question, answer).right, "{question:?} {answer}");
    }
    for (question, answer, mistake) in [
        (SigmoidPlus, "1", "sigma-for-slope"),
        (SigmoidMinus, "1", "sigma-for-slope"),
        (SigmoidPlus, "0.25", "peak"),
        (SigmoidPlus, "0.5", "sigma-at-zero"),
        (SigmoidPlus, "inf", "unbounded"),
        (SigmoidMinus, "-1", "negative"),
        (ReluPlus, "∞", "relu-for-slope"),
        (ReluPlus, "0", "vanishes"),
        (ReluMinus, "1", "sides"),
        (ReluMinus, "−∞", "negative"),
        (Threshold, "-4.6", "negative-side"),
        (Threshold, "0.01", "level"),
        (Threshold, "3", "too-small"),
        (Threshold, "4.5", "too-small"),
        (Threshold, "6.9", "too-large"),
        (Threshold, "inf", "never"),
        (SigmoidPlus, "zero", "unreadable"),
        (SigmoidPlus, "", "unreadable"),
        (Threshold, &"9".repeat(40), "unreadable"),
    ] {
        let verdict = check_limit(question, answer);
        assert!(!verdict.right, "{question:?} {answer}");
        assert_eq!(
            verdict.mistake,
            Some(mistake),
            "{question:?} {answer}: {}",
            verdict.message
        );
    }
    assert!(check_limit(SigmoidPlus, "1").message.contains("σ itself"));
    // The threshold is the core's saturation edge, about 4.585.
    assert!(
        (LimitQuestion::Threshold.answer() - sigmoid_saturation_edge(SATURATION_LEVEL)).abs()
            == 0.0
    );
    assert!((LimitQuestion::Threshold.answer() - 4.585).abs() < 1e-3);
    assert_eq!(read_number("−∞"), Some(f64::NEG_INFINITY));
    assert_eq!(read_number("+inf"), Some(f64::INFINITY));
    // Case does not matter in the words for infinity or in the exponent.
    assert_eq!(read_number("-INFINITY"), Some(f64::NEG_INFINITY));
    assert_eq!(read_number("Infty"), Some(f64::INFINITY));
    assert_eq!(read_number("2.5E-1"), Some(0.25));
    assert_eq!(read_number("1e-3"), Some(1e-3));
    assert_eq!(read_number("NaN"), None);
    // Too small for float64 is not 0: it is not read rather than taken for the limit.
    assert_eq!(read_number("1e-400"), None);
    assert!(!check_limit(SigmoidPlus, "1e-400").right);
    assert_eq!(read_number("0e-400"), Some(0.0));
    assert_eq!(read_number("0.000"), Some(0.0));
}

#[test]
fn the_factor_through_layers() {
    let problem = VanishingProblem::draw(7);
    let l = problem.layers as i32;
    assert!((4..=12).contains(&problem.layers));
    let right = 0.25f64.powi(l);
    for answer in [
        format!("0.25^{l}"),
        format!("(1/4)^{l}"),
        format!("4^-{l}"),
        format!("0.25**{l}"),
        format!("{:e}", right),
        format!("{:.4e}", right).replace('e', " × 10^"),
    ] {
        assert!(problem.check_factor(&answer).right, "{answer}");
    }
    for (answer, mistake) in [
        (format!("{}", 0.25 * l as f64), "added"),
        (format!("0.25^{}", l - 1), "off-by-one"),
        ("0.25".to_string(), "one-layer"),
        (format!("0.5^{l}"), "half"),
        ("1".to_string(), "relu"),
        ("0".to_string(), "zero"),
        ("3".to_string(), "grows"),
        ("0.1".to_string(), "other"),
        ("a lot".to_string(), "unreadable"),
    ] {
        let verdict = problem.check_factor(&answer);
        assert!(!verdict.right, "{answer}");
        assert_eq!(
            verdict.mistake,
            Some(mistake),
            "{answer}: {}",
            verdict.message
        );
    }
    assert_eq!(read_factor("1/0"), None);
    assert_eq!(read_factor("10^400"), None);
    // LaTeX braces, and the usual precedence: ^ before / and before a leading minus.
    for answer in [
        format!("0.25^{{{l}}}"),
        format!("2^{{-{}}}", 2 * l),
        format!("1/4^{l}"),
    ] {
        assert!(problem.check_factor(&answer).right, "{answer}");
    }
    assert!(
        problem
            .check_factor(&(format!("{:.4e}", right).replace('e', " × 10^{") + "}"))
            .right
    );
    for answer in [
        format!("-0.25^{l}"),
        format!("4/16^{l}"),
        format!("2/4^{l}"),
    ] {
        assert!(!problem.check_factor(&answer).right, "{answer}");
    }
    assert_eq!(read_factor("-0.25^2"), Some(-0.0625));
    assert_eq!(read_factor("(-0.25)^2"), Some(0.0625));
    assert_eq!(read_factor("4/16^2"), Some(4.0 / 256.0));
    assert_eq!(read_factor("0.25^6^1"), None);
}

#[test]
fn the_layer_where_the_chain_s_gradient_falls_below_the_threshold() {
    let problem = VanishingProblem::draw(7);
    let depth = problem.norms.len();
    assert_eq!(depth, 10);
    let layer = problem
        .threshold_layer()
        .expect("the sigmoid chain vanishes");
    // Independently: every layer above it keeps at least 1% of the last layer's gradient.
    let last = problem.norms[depth - 1];
    assert!(problem.norms[layer - 1] < 0.01 * last);
    assert!(problem.norms[layer..].iter().all(|&n| n >= 0.01 * last));
    assert!(
        layer > 1 && layer < depth,
        "layer {layer}: pick a chain where both neighbours exist"
    );
    assert!(problem.check_layer(&layer.to_string()).right);
    assert_eq!(
        problem.check_layer(&(layer + 1).to_string()).mistake,
        Some("above")
    );
    if depth + 1 - layer != layer && depth + 1 - layer != 1 {
        assert_eq!(
            problem
                .check_layer(&(depth + 1 - layer).to_string())
                .mistake,
            Some("from-input")
        );
    }
    if layer > 2 && depth + 1 - layer != 1 {
        assert_eq!(problem.check_layer("1").mistake, Some("past"));
    }
    assert_eq!(problem.check_layer("0").mistake, Some("range"));
    assert_eq!(problem.check_layer("11").mistake, Some("range"));
    assert_eq!(problem.check_layer("two").mistake, Some("unreadable"));
}

#[test]
fn remedies_each_wrong_choice_gets_its_reason() {
    let problem = VanishingProblem::draw(7);
    // The chain's own numbers back the reasons: ReLU and residual paths keep more of the
    // gradient than the sigmoid chain, tiny weights keep less.
    assert!(
        problem.kept_relu > 10.0 * problem.kept_sigmoid,
        "{problem:?}"
    );
    assert!(
        problem.kept_residual > 10.0 * problem.kept_sigmoid,
        "{problem:?}"
    );
    assert!(problem.kept_small < problem.kept_sigmoid, "{problem:?}");
    let helpful: Vec<Remedy> = Remedy::ALL.into_iter().filter(|r| r.helps()).collect();
    assert_eq!(helpful.len(), 4);
    assert!(problem.check_remedies(&helpful).right);
    for wrong in Remedy::ALL.into_iter().filter(|r| !r.helps()) {
        let mut chosen = helpful.clone();
        chosen.push(wrong);
        let verdict = problem.check_remedies(&chosen);
        assert!(!verdict.right);
        assert_eq!(verdict.mistake, Some("unhelpful"));
        assert!(
            verdict.message.contains(&problem.reason(wrong)),
            "{wrong:?}"
        );
    }
    let verdict = problem.check_remedies(&helpful[..2]);
    assert_eq!(verdict.mistake, Some("missed"));
    assert!(verdict.message.contains("2 more"));
}

#[test]
fn the_sketch_pad_draws_the_sketches_and_maps_pixels_back() {
    use backprop_lab::plot::sketch::{draw, SketchChart};
    use backprop_lab::plot::Theme;
    use plotters::prelude::*;
    let mut sigma = Sketch::new(Target::Sigmoid);
    sigma.stroke((-6.0, 0.0), (0.0, 0.25));
    let sketches = [sigma, Sketch::new(Target::Relu)];
    let drawn = |reveal: bool| {
        let mut out = String::new();
        let map = {
            let root = SVGBackend::with_string(&mut out, (640, 360)).into_drawing_area();
            let chart = SketchChart {
                sketches: &sketches,
                active: Some(Target::Sigmoid),
                focused: Some((Target::Relu, 2)),
                reveal,
            };
            draw(&root, &chart, &Theme::default()).unwrap()
        };
        (out, map)
    };
    let (hidden, map) = drawn(false);
    let (shown, _) = drawn(true);
    // Revealing adds the dashed derivatives: many short polylines.
    let lines = |s: &str| s.matches("<polyline").count();
    assert!(
        lines(&shown) > lines(&hidden) + 50,
        "{} vs {}",
        lines(&shown),
        lines(&hidden)
    );
    // Each sketch's handles (9 + 8), the legend's two dots and the focus ring are circles.
    let (handles, legend_dots, focus_ring) = (2 * (9 + 8), 2, 1);
    assert!(hidden.matches("<circle").count() >= handles + legend_dots + focus_ring);
    assert!(hidden.contains("your σ′") && hidden.contains("your ReLU′"));
    // A pointer position maps back to the data the pad shows.
    let (x, y) = map.css_area();
    assert!((map.x_at(x.start) + 6.0).abs() < 1e-9 && (map.x_at(x.end) - 6.0).abs() < 1e-9);
    assert!((map.y_at(y.end) + 0.5).abs() < 1e-9 && (map.y_at(y.start) - 1.5).abs() < 1e-9);
}
