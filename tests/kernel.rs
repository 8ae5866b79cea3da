//! The fused kernels against the per-example path they replace (src/kernel.rs).
//!
//! All three methods do the same floating-point operations in the same order, so they must
//! agree bit for bit, not just closely: these tests compare with `==` (which also counts
//! +0 and −0 as equal: ReLU's max(z, 0) may keep the sign of a −0 where the lanes give +0,
//! and such a zero never changes a non-zero result). `Method::Lanes` runs here through the
//! `[f64; 2]` version of `F64x2`; the WebAssembly SIMD version performs the same IEEE
//! operations, which tests/browser/simd.test.mjs checks end to end in the browser.

mod common;

use backprop_lab::kernel::Method;
use backprop_lab::{Activation, Network, Rng};
use common::random_vector;

/// A random network and batch: m in 1..=4, h in 1..=70, n examples.
fn case(
    rng: &mut Rng,
    activation: Activation,
    n: usize,
    scale: f64,
) -> (Network, Vec<f64>, Vec<f64>) {
    let m = 1 + (rng.next_u64() % 4) as usize;
    let h = 1 + (rng.next_u64() % 70) as usize;
    let mut network = Network::new(m, h, activation, rng.next_u64()).unwrap();
    let a = random_vector(rng, h * m, scale);
    let b = random_vector(rng, h, 1.5);
    network.set_weights(&a, &b).unwrap();
    (
        network,
        random_vector(rng, n * m, 2.0),
        random_vector(rng, n, 1.0),
    )
}

/// The mean loss and gradient by each method, in the order of `Method::ALL`.
fn by_every_method(network: &Network, xs: &[f64], ys: &[f64]) -> Vec<(f64, Vec<f64>, Vec<f64>)> {
    Method::ALL
        .iter()
        .map(|&method| {
            let mut network = network.clone();
            let loss = network.accumulate_gradient_by(method, xs, ys);
            let (da, db) = network.last_gradient();
            (loss, da.to_vec(), db.to_vec())
        })
        .collect()
}

fn assert_same(what: &str, results: &[(f64, Vec<f64>, Vec<f64>)]) {
    let (loss, da, db) = &results[0];
    assert!(
        loss.is_finite() && da.iter().chain(db).all(|g| g.is_finite()),
        "{what}: not finite"
    );
    for (method, result) in Method::ALL.iter().zip(results).skip(1) {
        assert_eq!(result.0, *loss, "{what}: {method:?} loss");
        assert_eq!(&result.1, da, "{what}: {method:?} ∂/∂A");
        assert_eq!(&result.2, db, "{what}: {method:?} ∂/∂b");
    }
}

#[test]
fn every_method_gives_the_same_bits_for_random_shapes_and_batches() {
    let mut rng = Rng::new(314);
    let mut shapes = std::collections::BTreeSet::new();
    for activation in Activation::ALL {
        for round in 0..40 {
            // Full batches of all sizes around the pairing of examples, and mini-batches.
            let n = [1, 2, 3, 5, 8, 33, 200][round % 7];
            let (network, xs, ys) = case(&mut rng, activation, n, 2.0);
            shapes.insert((network.inputs(), network.hidden() % 2));
            let what = format!(
                "{activation}, m = {}, h = {}, n = {n}",
                network.inputs(),
                network.hidden()
            );
            assert_same(&what, &by_every_method(&network, &xs, &ys));
            // A mini-batch: a slice of the examples, with the mean over the slice.
            let m = network.inputs();
            let (from, to) = (n / 3, n / 3 + n.div_ceil(2));
            assert_same(
                &format!("{what}, examples {from}..{to}"),
                &by_every_method(&network, &xs[from * m..to * m], &ys[from..to]),
            );
        }
    }
    assert_eq!(
        shapes.len(),
        8,
        "every m from 1 to 4 with both odd and even h: {shapes:?}"
    );
}

#[test]
fn saturated_units_give_the_same_bits() {
    // Weights of size 500 put |z1| beyond 707, where the lane exp hands over to the scalar one.
    let mut rng = Rng::new(27);
    for activation in Activation::ALL {
        for n in [1, 6, 7] {
            let (network, xs, ys) = case(&mut rng, activation, n, 500.0);
            let what = format!("{activation} saturated, h = {}", network.hidden());
            assert_same(&what, &by_every_method(&network, &xs, &ys));
        }
    }
}

#[test]
fn a_thousand_steps_end_at_the_same_bits() {
    // The benchmark's set-up: the lab's inputs [x, 1], full batch (ReLU with a smaller rate,
    // at which it does not diverge).
    let points = backprop_lab::data::Points::sample(backprop_lab::data::Shape::Sine, 200, 0.1, 1);
    let xs = points.features(true);
    for (activation, hidden, rate) in [
        (Activation::Sigmoid, 16, 0.3),
        (Activation::Tanh, 7, 0.3),
        (Activation::Relu, 64, 0.05),
    ] {
        let finals: Vec<(f64, Vec<f64>, Vec<f64>)> = Method::ALL
            .iter()
            .map(|&method| {
                let mut network = Network::new(2, hidden, activation, 1).unwrap();
                let mut loss = f64::NAN;
                for _ in 0..1_000 {
                    loss = network.accumulate_gradient_by(method, &xs, &points.ys);
                    assert!(loss.is_finite(), "{activation} diverged");
                    // θ ← θ − lr·∇θ, as Network::step_unchecked does.
                    let (da, db) = network.last_gradient();
                    let a: Vec<f64> = network
                        .weights_a()
                        .iter()
                        .zip(da)
                        .map(|(w, g)| w - rate * g)
                        .collect();
                    let b: Vec<f64> = network
                        .weights_b()
                        .iter()
                        .zip(db)
                        .map(|(w, g)| w - rate * g)
                        .collect();
                    network.set_weights(&a, &b).unwrap();
                }
                (
                    loss,
                    network.weights_a().to_vec(),
                    network.weights_b().to_vec(),
                )
            })
            .collect();
        println!(
            "{activation}, h = {hidden}: loss after 1,000 steps {}",
            finals[0].0
        );
        assert_same(&format!("{activation}, h = {hidden}, 1,000 steps"), &finals);
    }
}

#[test]
fn step_uses_the_fastest_method_and_keeps_the_gradient_norms() {
    let mut rng = Rng::new(8);
    let (network, xs, ys) = case(&mut rng, Activation::Sigmoid, 9, 1.0);
    let mut stepped = network.clone();
    stepped.step(&xs, &ys, 0.1).unwrap();
    let mut reference = network.clone();
    reference.accumulate_gradient_by(Method::PerExample, &xs, &ys);
    assert_eq!(stepped.last_gradient(), reference.last_gradient());
    assert_eq!(
        stepped.last_gradient_norms(),
        reference.last_gradient_norms()
    );
    let (da, db) = reference.last_gradient();
    let norm = |v: &[f64]| v.iter().map(|g| g * g).sum::<f64>().sqrt();
    assert_eq!(stepped.last_gradient_norms(), (norm(da), norm(db)));
}

#[test]
fn the_mean_loss_is_the_steps_loss_and_leaves_the_last_gradient_alone() {
    let mut rng = Rng::new(2718);
    for activation in Activation::ALL {
        for n in [0, 1, 2, 7, 64] {
            let (mut network, xs, ys) = case(&mut rng, activation, n, 2.0);
            let reference = by_every_method(&network, &xs, &ys)[0].0;
            network.accumulate_gradient(&xs, &ys);
            let (da, db) = network.last_gradient();
            let before = (da.to_vec(), db.to_vec());
            let loss = network.mean_loss_unchecked(&xs, &ys);
            let what = format!("{activation}, n = {n}");
            if n == 0 {
                assert!(loss.is_nan(), "{what}: an empty batch has no mean");
                continue;
            }
            assert_eq!(loss, reference, "{what}: the per-example path's bits");
            // The independent sum: a forward pass per example, added in order, times 1/n.
            let forward: f64 = xs
                .chunks_exact(network.inputs())
                .zip(&ys)
                .map(|(x, &y)| network.forward(x, y).unwrap().loss)
                .fold(0.0, |total, l| total + l);
            let relative = (loss - forward / n as f64).abs() / loss;
            assert!(
                relative < 1e-14,
                "{what}: {loss} against {}",
                forward / n as f64
            );
            let (da, db) = network.last_gradient();
            assert_eq!(
                (da.to_vec(), db.to_vec()),
                before,
                "{what}: the step's gradient is kept"
            );
        }
    }
}
