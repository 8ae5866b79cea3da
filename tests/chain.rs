//! The deep chain: depth 1 is the worksheet's network, the four gradient methods agree, their
//! instrumented work equals the closed-form counts, and deep sigmoid chains vanish while ReLU
//! with He initialisation does not.

use backprop_lab::chain::{counts, Chain, Init, Work};
use backprop_lab::cost;
use backprop_lab::data::{Points, Shape};
use backprop_lab::{Activation, Network};

fn data() -> (Vec<f64>, Vec<f64>) {
    let points = Points::sample(Shape::Sine, 60, 0.1, 9);
    (points.features(true), points.ys)
}

fn relative(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor)
}

#[test]
fn depth_one_is_the_two_layer_network_exactly() {
    for activation in [Activation::Sigmoid, Activation::Tanh, Activation::Relu] {
        let mut chain = Chain::new(2, 1, 6, activation, Init::Xavier, 4).unwrap();
        let mut net = Network::new(2, 6, activation, 0).unwrap();
        net.set_weights(chain.layer(0), chain.output()).unwrap();
        let (x, y) = ([0.7, 1.0], -0.3);
        let (_, grads) = net.backward(&x, y).unwrap();
        let want: Vec<f64> = grads.da.iter().chain(&grads.db).copied().collect();
        let got = chain.backprop(&x, y);
        for (g, w) in got.iter().zip(&want) {
            assert!(relative(*g, *w, 1e-300) < 1e-12, "{activation}: {g} vs {w}");
        }
    }
}

#[test]
fn backprop_finite_differences_and_the_per_parameter_chain_rule_agree() {
    for residual in [false, true] {
        let mut chain = Chain::new(2, 4, 5, Activation::Tanh, Init::Xavier, 7)
            .unwrap()
            .with_residual(residual);
        let (x, y) = ([0.4, 1.0], 0.9);
        let backprop = chain.backprop(&x, y);
        let finite = chain.finite_differences(&x, y);
        let naive = chain.chain_rule_per_parameter(&x, y);
        let scale = backprop.iter().map(|g| g.abs()).fold(0.0, f64::max);
        for i in 0..backprop.len() {
            assert!(relative(backprop[i], naive[i], 1e-300) < 1e-10, "naive {i}");
            assert!(
                relative(backprop[i], finite[i], 1e-3 * scale) < 1e-6,
                "residual {residual}, entry {i}: {} vs {}",
                backprop[i],
                finite[i]
            );
        }
    }
}

#[test]
fn the_instrumented_counts_equal_the_formulas() {
    for (inputs, depth, width) in [(2, 1, 8), (1, 1, 3), (2, 3, 4), (2, 6, 5), (3, 2, 7)] {
        let fan_ins: Vec<usize> = (0..depth)
            .map(|l| if l == 0 { inputs } else { width })
            .collect();
        let x = vec![0.3; inputs];
        let mut chain =
            Chain::new(inputs, depth, width, Activation::Sigmoid, Init::Xavier, 1).unwrap();
        assert_eq!(
            chain.parameter_count() as u64,
            counts::parameters(&fan_ins, width)
        );

        chain.backprop(&x, 0.5);
        assert_eq!(
            chain.work(),
            Work {
                multiply_adds: counts::backprop(&fan_ins, width),
                forward_passes: 1,
                backward_passes: 1
            },
            "backprop {depth}×{width}"
        );

        chain.reset_work();
        chain.finite_differences(&x, 0.5);
        let parameters = chain.parameter_count() as u64;
        assert_eq!(
            chain.work(),
            Work {
                multiply_adds: counts::finite_differences(&fan_ins, width),
                forward_passes: 2 * parameters,
                backward_passes: 0
            }
        );

        chain.reset_work();
        chain.chain_rule_per_parameter(&x, 0.5);
        assert_eq!(
            chain.work().multiply_adds,
            counts::chain_rule(&fan_ins, width),
            "chain rule {depth}×{width}"
        );
        let chain_rule_work = chain.work();

        chain.reset_work();
        chain.forward_mode(&x, 0.5);
        assert_eq!(
            chain.work(),
            Work {
                multiply_adds: counts::forward_mode(&fan_ins, width),
                forward_passes: counts::forward_mode_passes(&fan_ins, width),
                backward_passes: 0
            },
            "forward mode {depth}×{width}"
        );
        assert_eq!(chain.work().forward_passes, parameters + 1);

        // The cost panel reports the same numbers, measured or from the formulas.
        let reported = cost::count(inputs, depth, width).unwrap();
        assert_eq!(reported.parameters, parameters);
        assert_eq!(reported.backprop, counts::backprop(&fan_ins, width));
        assert_eq!(
            reported.finite_differences,
            counts::finite_differences(&fan_ins, width)
        );
        assert_eq!(reported.chain_rule, counts::chain_rule(&fan_ins, width));
        assert_eq!(
            (reported.backprop_passes, reported.finite_passes),
            (2, 2 * parameters)
        );
        assert_eq!(
            reported.chain_rule_passes,
            chain_rule_work.forward_passes + chain_rule_work.backward_passes
        );
        assert_eq!(reported.forward_mode, counts::forward_mode(&fan_ins, width));
        assert_eq!(reported.forward_mode_passes, parameters + 1);
    }
    // The worksheet's network (m = 2, h = 8): backprop does a few hundred multiply-adds,
    // finite differences over a thousand times as many.
    let fan_ins = [2];
    assert_eq!(counts::forward(&fan_ins, 8), 24);
    assert_eq!(counts::backprop(&fan_ins, 8), 24 + 16 + 8 + 16);
    assert_eq!(counts::finite_differences(&fan_ins, 8), 2 * 24 * 24);
    // Forward mode: the forward pass, 16 weights × (1 + 8 + 1), 8 output weights × 1.
    assert_eq!(counts::forward_mode(&fan_ins, 8), 24 + 16 * 10 + 8);
    assert_eq!(counts::forward_mode_passes(&fan_ins, 8), 25);
}

#[test]
fn forward_mode_equals_backprop() {
    // Relative to the gradient's largest entry: the two sum the same products in different
    // orders, so they agree to rounding, not bit for bit.
    let shapes = [(2, 1, 8), (1, 1, 3), (2, 3, 4), (3, 5, 6), (2, 8, 5)];
    for (inputs, depth, width) in shapes {
        for activation in Activation::ALL {
            for residual in [false, true] {
                let init = if activation == Activation::Relu {
                    Init::He
                } else {
                    Init::Xavier
                };
                // The first seed whose gradient is not all zero (every ReLU unit of a small
                // chain can be dead on one example).
                let x: Vec<f64> = (0..inputs).map(|k| 0.9 - 0.6 * k as f64).collect();
                let (mut chain, backprop, scale) = (11..30)
                    .map(|seed| {
                        let mut chain = Chain::new(inputs, depth, width, activation, init, seed)
                            .unwrap()
                            .with_residual(residual);
                        let backprop = chain.backprop(&x, 0.4);
                        let scale = backprop.iter().fold(0.0f64, |s, g| s.max(g.abs()));
                        (chain, backprop, scale)
                    })
                    .find(|(_, _, scale)| *scale > 0.0)
                    .unwrap();
                let forward = chain.forward_mode(&x, 0.4);
                assert_eq!(forward.len(), backprop.len());
                assert!(scale.is_finite());
                for (i, (f, b)) in forward.iter().zip(&backprop).enumerate() {
                    assert!(
                        relative(*f, *b, scale) < 1e-12,
                        "{activation}, {depth}×{width}, residual {residual}, entry {i}: {f} vs {b}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_deep_sigmoid_chain_vanishes_and_relu_with_he_does_not() {
    let (xs, ys) = data();
    let mut sigmoid = Chain::new(2, 10, 16, Activation::Sigmoid, Init::Small, 3).unwrap();
    let gradient = sigmoid.mean_gradient(&xs, &ys);
    let norms = sigmoid.layer_norms(&gradient);
    println!("sigmoid, small: {norms:?}");
    assert!(
        norms[0] * 100.0 <= norms[9],
        "first {} last {}",
        norms[0],
        norms[9]
    );

    let mut relu = Chain::new(2, 10, 16, Activation::Relu, Init::He, 3).unwrap();
    let gradient = relu.mean_gradient(&xs, &ys);
    let norms = relu.layer_norms(&gradient);
    println!("relu, He: {norms:?}");
    let ratio = norms[9] / norms[0];
    assert!((0.1..=10.0).contains(&ratio), "ratio {ratio}");
}

#[test]
fn training_moves_the_first_layers_of_a_relu_he_chain_but_hardly_a_deep_sigmoid_one() {
    let (xs, ys) = data();
    let train = |mut chain: Chain, rate: f64| {
        let start = chain.clone();
        for _ in 0..200 {
            assert!(chain.gradient_step(&xs, &ys, rate));
        }
        chain.relative_change(&start)
    };
    let sigmoid = Chain::new(2, 8, 16, Activation::Sigmoid, Init::Small, 5).unwrap();
    let moved = train(sigmoid, 0.1);
    println!("sigmoid moved {moved:?}");
    assert!(moved[0] < 1e-3 * moved[7], "{moved:?}");
    let relu = Chain::new(2, 8, 16, Activation::Relu, Init::He, 5).unwrap();
    let moved = train(relu, 0.01);
    println!("relu moved {moved:?}");
    assert!(moved[0] > 1e-3, "{moved:?}");
}

#[test]
fn scaling_a_up_collapses_the_gradient_of_a_but_not_of_b() {
    let (xs, ys) = data();
    let mut net = Network::new(2, 8, Activation::Sigmoid, 2).unwrap();
    net.initialise(2, 1.0);
    let study = backprop_lab::chain::weight_scale_study(&net, &xs, &ys, &[1.0, 30.0]);
    let (a1, b1) = study[0];
    let (a30, b30) = study[1];
    println!("scale 1: {a1:.3e} {b1:.3e}; scale 30: {a30:.3e} {b30:.3e}");
    assert!(a30 < a1 / 5.0, "‖∂L/∂A‖ {a1} -> {a30}");
    assert!(b30 > b1 / 5.0, "‖∂L/∂b‖ {b1} -> {b30}");
}

#[test]
fn bad_sizes_are_refused_with_what_is_allowed() {
    let error = Chain::new(2, 21, 8, Activation::Sigmoid, Init::He, 1).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the depth must be a whole number from 1 to 20, got 21"
    );
    assert!(Chain::new(0, 2, 8, Activation::Sigmoid, Init::He, 1).is_err());
    assert!(Chain::new(2, 2, 257, Activation::Sigmoid, Init::He, 1).is_err());
    assert!(cost::count(2, 0, 8).is_err());
}

#[test]
fn large_chains_take_their_counts_from_the_formulas() {
    let (inputs, depth, width) = (2, 20, 32);
    let reported = cost::count(inputs, depth, width).unwrap();
    assert!(!reported.measured);
    let fans = cost::fan_ins(inputs, depth, width);
    assert_eq!(
        reported.finite_differences,
        counts::finite_differences(&fans, width)
    );
    assert_eq!(reported.chain_rule, counts::chain_rule(&fans, width));
    assert_eq!(reported.forward_mode, counts::forward_mode(&fans, width));
    assert_eq!(
        reported.forward_mode_passes,
        counts::forward_mode_passes(&fans, width)
    );
    assert!(cost::count(2, 1, 8).unwrap().measured);
}
