//! Every activation and derivative against closed forms, at ordinary points and in the far
//! tails, and each derivative against a central difference.

mod common;

use backprop_lab::activation::{sigmoid_saturation_edge, Activation};
use backprop_lab::plot::activations::numerical_derivative;
use common::relative_error;

/// Points from −30 to 30 in steps of 0.05, skipping 0 (the kink of ReLU-like functions).
fn grid() -> impl Iterator<Item = f64> {
    (-600..=600).filter(|&i| i != 0).map(|i| i as f64 * 0.05)
}

/// The textbook formulas, written naively; fine where they do not overflow (|x| ≤ 30).
fn closed_form(act: Activation, x: f64) -> (f64, f64) {
    match act {
        Activation::Sigmoid => {
            // σ′ = σ(x)(1 − σ(x)) = σ(x)·σ(−x); the second form has no cancellation in the tails.
            let s = 1.0 / (1.0 + (-x).exp());
            (s, s / (1.0 + x.exp()))
        }
        Activation::Relu => (x.max(0.0), if x > 0.0 { 1.0 } else { 0.0 }),
        Activation::Tanh => {
            let t = (x.exp() - (-x).exp()) / (x.exp() + (-x).exp());
            (t, 1.0 / x.cosh().powi(2))
        }
        Activation::LeakyRelu => {
            if x > 0.0 {
                (x, 1.0)
            } else {
                (0.01 * x, 0.01)
            }
        }
        // ln(1 + e^x) with ln_1p, since 1 + e^x rounds away e^x for x ≪ 0.
        Activation::Softplus => (x.exp().ln_1p(), 1.0 / (1.0 + (-x).exp())),
    }
}

#[test]
fn values_and_derivatives_equal_the_closed_forms() {
    for act in Activation::ALL {
        for x in grid() {
            let (value, derivative) = closed_form(act, x);
            // The floor of 1e-15 only matters where a value is 0 or nearly so.
            assert!(
                relative_error(act.value(x), value, 1e-15) < 1e-12,
                "{act}({x})"
            );
            assert!(
                relative_error(act.derivative(x), derivative, 1e-15) < 1e-9,
                "{act}′({x}): {} vs {derivative}",
                act.derivative(x)
            );
        }
    }
}

#[test]
fn derivatives_match_central_differences() {
    for act in Activation::ALL {
        for x in grid() {
            let error = relative_error(act.derivative(x), numerical_derivative(act, x), 1e-6);
            assert!(error < 1e-6, "{act}′({x})");
        }
    }
}

#[test]
fn everything_stays_finite_and_exact_in_the_far_tails() {
    for act in Activation::ALL {
        for x in [-1e300, -1000.0, 1000.0, 1e300, f64::MAX, f64::MIN] {
            assert!(act.value(x).is_finite(), "{act}({x})");
            assert!(act.derivative(x).is_finite(), "{act}′({x})");
        }
    }
    let s = Activation::Sigmoid;
    assert_eq!((s.value(-1000.0), s.value(1000.0)), (0.0, 1.0));
    assert_eq!((s.value(-1e300), s.value(1e300)), (0.0, 1.0));
    assert_eq!((s.derivative(-1e300), s.derivative(1e300)), (0.0, 0.0));
    assert_eq!(Activation::Tanh.value(1e300), 1.0);
    assert_eq!(Activation::Tanh.derivative(-1e300), 0.0);
    assert_eq!(Activation::Softplus.value(1e300), 1e300);
    assert_eq!(Activation::Softplus.value(-1e300), 0.0);
    assert_eq!(Activation::Relu.derivative(1e300), 1.0);
    // The stable forms keep relative accuracy where the naive ones round to 0:
    // σ′(−700) = e^−700 / (1 + e^−700)² ≈ e^−700.
    assert!(relative_error(s.derivative(-700.0), (-700f64).exp(), 0.0) < 1e-12);
    assert!(relative_error(s.derivative(700.0), (-700f64).exp(), 0.0) < 1e-12);
}

#[test]
fn worksheet_facts_hold() {
    // σ′ is largest at 0, where it is exactly ¼; ReLU′(0) = 0 by our convention.
    assert_eq!(Activation::Sigmoid.derivative(0.0), 0.25);
    assert!(grid().all(|x| Activation::Sigmoid.derivative(x) < 0.25));
    assert_eq!(Activation::Relu.derivative(0.0), 0.0);
    // As x grows, σ′ → 0 while ReLU′ stays 1.
    assert!(Activation::Sigmoid.derivative(20.0) < 1e-8);
    assert_eq!(Activation::Relu.derivative(20.0), 1.0);
    // σ′ < 0.01 exactly beyond the saturation edge (≈ 4.59).
    let edge = sigmoid_saturation_edge(0.01);
    assert!((edge - 4.5848).abs() < 1e-4, "{edge}");
    assert!(relative_error(Activation::Sigmoid.derivative(edge), 0.01, 0.0) < 1e-12);
}

#[test]
fn names_round_trip_and_unknown_ones_list_the_valid_names() {
    for act in Activation::ALL {
        assert_eq!(act.name().parse::<Activation>(), Ok(act));
    }
    let error = "swish".parse::<Activation>().unwrap_err().to_string();
    assert_eq!(
        error,
        "unknown activation \"swish\"; valid names are \"sigmoid\", \"relu\", \"tanh\", \"leaky_relu\", \"softplus\""
    );
}
