//! Gradient descent on the worksheet's network: steps lower the loss, training fits a
//! 1-D regression set, initialisation is reproducible, and bad input is refused cleanly.

use backprop_lab::data::{Points, Shape};
use backprop_lab::{Activation, Network, NetworkError};

#[test]
fn one_small_step_lowers_the_loss() {
    let points = Points::sample(Shape::Sine, 40, 0.05, 1);
    let xs = points.features(true);
    for act in [Activation::Sigmoid, Activation::Relu, Activation::Tanh] {
        let mut net = Network::new(2, 8, act, 5).unwrap();
        let before = net.step(&xs, &points.ys, 1e-3).unwrap();
        let after = net.mean_loss(&xs, &points.ys).unwrap();
        assert!(after < before, "{act}: {after} !< {before}");
    }
}

#[test]
fn full_batch_training_lowers_the_mean_loss_tenfold() {
    let points = Points::sample(Shape::Sine, 100, 0.02, 42);
    let xs = points.features(true);
    let mut net = Network::new(2, 16, Activation::Sigmoid, 1).unwrap();
    let initial = net.mean_loss(&xs, &points.ys).unwrap();
    for _ in 0..5_000 {
        net.step(&xs, &points.ys, 0.5).unwrap();
    }
    let trained = net.mean_loss(&xs, &points.ys).unwrap();
    println!("mean loss {initial:.4} -> {trained:.5}");
    assert!(trained * 10.0 < initial, "{initial} -> {trained}");
}

#[test]
fn the_same_seed_gives_the_same_weights() {
    let first = Network::new(3, 7, Activation::Sigmoid, 99).unwrap();
    let second = Network::new(3, 7, Activation::Sigmoid, 99).unwrap();
    let other = Network::new(3, 7, Activation::Sigmoid, 100).unwrap();
    assert_eq!(first.weights_a(), second.weights_a());
    assert_eq!(first.weights_b(), second.weights_b());
    assert_ne!(first.weights_a(), other.weights_a());
    // Scale: entries of A uniform with variance 1/m, so within ±√(3/m).
    let bound = (3.0f64 / 3.0).sqrt();
    assert!(first.weights_a().iter().all(|w| w.abs() <= bound));
}

#[test]
fn bad_arguments_are_refused_with_a_message_and_the_network_still_works() {
    assert!(Network::new(0, 3, Activation::Sigmoid, 0).is_err());
    assert!(Network::new(2, 257, Activation::Sigmoid, 0).is_err());
    let mut net = Network::new(2, 3, Activation::Sigmoid, 0).unwrap();
    let (a, b) = (net.weights_a().to_vec(), net.weights_b().to_vec());

    let error = net.set_weights(&[1.0; 5], &[1.0; 3]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "A (h·m numbers, row-major) must have 6 entries, got 5"
    );
    assert_eq!(
        net.weights_a(),
        &a[..],
        "a refused update leaves the weights alone"
    );

    let error = net.forward(&[1.0], 0.0).unwrap_err();
    assert_eq!(
        error.to_string(),
        "x (m numbers) must have 2 entries, got 1"
    );
    assert!(net
        .forward(&[f64::NAN, 1.0], 0.0)
        .unwrap_err()
        .to_string()
        .contains("finite"));

    let error = net.step(&[1.0, 1.0], &[0.0], 0.0).unwrap_err();
    assert_eq!(error, NetworkError::BadLearningRate(0.0));
    assert!(error.to_string().contains("greater than 0"));
    assert!(net.step(&[1.0, 1.0], &[0.0], f64::INFINITY).is_err());

    let error = net.step(&[1.0, 1.0, 1.0], &[0.0, 1.0], 0.1).unwrap_err();
    assert!(error.to_string().contains("X and Y disagree"), "{error}");
    assert!(net
        .step(&[], &[], 0.1)
        .unwrap_err()
        .to_string()
        .contains("empty"));

    assert_eq!((net.weights_a(), net.weights_b()), (&a[..], &b[..]));
    assert!(net.step(&[1.0, 1.0], &[0.5], 0.1).unwrap().is_finite());
}

/// `step` checks the new weights before writing them; it must land on exactly the weights
/// `step_unchecked` (the plain update) gives, bit for bit, and refuse without changing any.
#[test]
fn the_checked_step_gives_the_plain_steps_bits() {
    for (activation, seed) in [
        (Activation::Sigmoid, 1),
        (Activation::Relu, 2),
        (Activation::Tanh, 3),
        (Activation::LeakyRelu, 4),
        (Activation::Softplus, 5),
    ] {
        let points = Points::sample(Shape::Sine, 60, 0.05, seed);
        let xs = points.features(true);
        let mut checked = Network::new(2, 7, activation, seed).unwrap();
        let mut plain = checked.clone();
        for _ in 0..200 {
            let a = checked.step(&xs, &points.ys, 0.05).unwrap();
            let b = plain.step_unchecked(&xs, &points.ys, 0.05);
            assert_eq!(a.to_bits(), b.to_bits(), "{activation}: the losses");
        }
        let bits = |w: &[f64]| w.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(
            bits(checked.weights_a()),
            bits(plain.weights_a()),
            "{activation}: A"
        );
        assert_eq!(
            bits(checked.weights_b()),
            bits(plain.weights_b()),
            "{activation}: b"
        );
    }
    // A step to infinite weights is refused and leaves every weight as it was.
    let mut net = Network::new(1, 2, Activation::Relu, 1).unwrap();
    net.set_weights(&[1.0, 1.0], &[1.0, 1.0]).unwrap();
    let before = (net.weights_a().to_vec(), net.weights_b().to_vec());
    let refused = net.step(&[1.0], &[0.0], 1e308);
    let what = "this step's new weights";
    assert_eq!(refused, Err(NetworkError::Overflow { what }));
    assert_eq!((net.weights_a().to_vec(), net.weights_b().to_vec()), before);
}
