//! Fit by hand: handles read from the weights and written back, each edit changing exactly
//! the weights it names, limits refused with what is allowed, handles on the curve, the
//! nearest handle to a pointer, and the target line.

mod common;

use backprop_lab::data::{Points, Shape};
use backprop_lab::handfit::{
    self, Handle, Handles, HEIGHT_RANGE, POSITION_RANGE, STEEPNESS_RANGE, TARGET_LOSS,
};
use backprop_lab::{Activation, Network};
use common::relative_error;

/// A network with m = 2, h = 3 and weights with well-separated handles:
/// unit 1 a step at −1.5 (steepness 2, height 0.8), unit 2 at 0.5 (steepness −1, height
/// −0.6), unit 3 at 2 (steepness 4, height 1.2).
fn network(activation: Activation) -> Network {
    let mut net = Network::new(2, 3, activation, 1).unwrap();
    net.set_weights(&[2.0, 3.0, -1.0, 0.5, 4.0, -8.0], &[0.8, -0.6, 1.2])
        .unwrap();
    net
}

/// The flat weights [A row-major, b] as bits.
fn bits(net: &Network) -> Vec<u64> {
    net.weights_a()
        .iter()
        .chain(net.weights_b())
        .map(|w| w.to_bits())
        .collect()
}

/// The flat indices whose bits differ.
fn changed(before: &Network, after: &Network) -> Vec<usize> {
    let (a, b) = (bits(before), bits(after));
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

#[test]
fn handles_read_the_weights() {
    let net = network(Activation::Sigmoid);
    let expected = [(-1.5, 2.0, 0.8), (0.5, -1.0, -0.6), (2.0, 4.0, 1.2)];
    for (unit, (position, steepness, height)) in expected.into_iter().enumerate() {
        assert_eq!(
            Handles::of(&net, unit).unwrap(),
            Handles {
                position,
                steepness,
                height
            }
        );
    }
    assert!(Handles::of(&net, 3).is_err());
    let flat = Network::new(1, 3, Activation::Sigmoid, 1).unwrap();
    assert_eq!(
        Handles::of(&flat, 0).unwrap_err().to_string(),
        "fitting by hand needs the constant input, x = [x, 1] (m = 2)"
    );
    for handle in Handle::ALL {
        assert_eq!(Handle::from_name(handle.name()), Some(handle));
    }
}

#[test]
fn each_edit_changes_exactly_the_weights_it_names() {
    // Flat indices: A is 3 × 2 row-major (a_j1 at 2j, a_j2 at 2j + 1), then b at 6 + j.
    for activation in Activation::ALL {
        let net = network(activation);
        for unit in 0..3 {
            let (a1, a2, b) = (2 * unit, 2 * unit + 1, 6 + unit);
            let moved = handfit::set_handle(&net, unit, Handle::Position, 1.25).unwrap();
            assert_eq!(changed(&net, &moved), vec![a2]);
            let steeper = handfit::set_handle(&net, unit, Handle::Steepness, -7.5).unwrap();
            assert_eq!(changed(&net, &steeper), vec![a1, a2]);
            let taller = handfit::set_handle(&net, unit, Handle::Height, -2.5).unwrap();
            assert_eq!(changed(&net, &taller), vec![b]);

            let before = Handles::of(&net, unit).unwrap();
            let after = Handles::of(&moved, unit).unwrap();
            assert_eq!(
                (after.steepness, after.height),
                (before.steepness, before.height)
            );
            assert!(relative_error(after.position, 1.25, 1e-300) < 1e-15);
            // A steeper step stays where it was.
            let after = Handles::of(&steeper, unit).unwrap();
            assert_eq!((after.steepness, after.height), (-7.5, before.height));
            assert!(relative_error(after.position, before.position, 1e-300) < 1e-15);
            assert_eq!(Handles::of(&taller, unit).unwrap().height, -2.5);
        }
    }
}

#[test]
fn conversions_round_trip() {
    let net = network(Activation::Tanh);
    for unit in 0..3 {
        // Network → handles → network: the same weights to within rounding.
        let handles = Handles::of(&net, unit).unwrap();
        let back = handfit::with_handles(&net, unit, handles).unwrap();
        for (w, v) in bits(&net).iter().zip(bits(&back)) {
            let (w, v) = (f64::from_bits(*w), f64::from_bits(v));
            assert!(relative_error(w, v, 1e-300) < 1e-15, "{w} vs {v}");
        }
        assert_eq!(
            changed(&net, &back),
            Vec::<usize>::new(),
            "exact for these weights"
        );
    }
    // Handles → network → handles, over the whole allowed range.
    let mut rng = backprop_lab::Rng::new(4);
    for _ in 0..1000 {
        let sign = if rng.next_f64() < 0.5 { -1.0 } else { 1.0 };
        let handles = Handles {
            position: rng.uniform(POSITION_RANGE.0, POSITION_RANGE.1),
            steepness: sign * rng.uniform(STEEPNESS_RANGE.0, STEEPNESS_RANGE.1),
            height: rng.uniform(HEIGHT_RANGE.0, HEIGHT_RANGE.1),
        };
        let unit = (rng.next_u64() % 3) as usize;
        let net = handfit::with_handles(&net, unit, handles).unwrap();
        let back = Handles::of(&net, unit).unwrap();
        assert_eq!(
            (back.steepness, back.height),
            (handles.steepness, handles.height)
        );
        assert!(relative_error(back.position, handles.position, 1e-300) < 1e-15);
    }
}

#[test]
fn values_past_the_limits_are_refused_and_change_nothing() {
    let net = network(Activation::Sigmoid);
    let refuse = |handle: Handle, value: f64| {
        handfit::set_handle(&net, 1, handle, value)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        refuse(Handle::Position, 3.5),
        "a unit's position must be from −3.25 to 3.25, got 3.5"
    );
    assert_eq!(
        refuse(Handle::Steepness, 0.05),
        "a unit's steepness must be from 0.1 to 20 or from −20 to −0.1, got 0.05"
    );
    assert!(refuse(Handle::Steepness, -25.0).ends_with("got −25"));
    assert!(refuse(Handle::Steepness, 0.0).ends_with("got 0"));
    assert_eq!(
        refuse(Handle::Height, -5.5),
        "a unit's height must be from −5 to 5, got −5.5"
    );
    for handle in Handle::ALL {
        assert!(refuse(handle, f64::NAN).ends_with("got NaN"));
        assert!(refuse(handle, f64::INFINITY).ends_with("got ∞"));
    }
    let bad = Handles {
        position: 0.0,
        steepness: 1.0,
        height: 9.0,
    };
    assert!(handfit::with_handles(&net, 0, bad).is_err());
    assert!(handfit::set_handle(&net, 3, Handle::Height, 1.0)
        .unwrap_err()
        .to_string()
        .starts_with("the unit must be from 1 to 3"));

    // A flat unit has no position to move until it has a steepness.
    let mut flat = net.clone();
    flat.set_parameter(0, 0.0);
    assert_eq!(
        handfit::set_handle(&flat, 0, Handle::Position, 1.0)
            .unwrap_err()
            .to_string(),
        "unit 1 is flat (its steepness A1_1 is 0): give it a steepness first"
    );
    let steep = handfit::set_handle(&flat, 0, Handle::Steepness, 2.0).unwrap();
    assert_eq!(
        changed(&flat, &steep),
        vec![0],
        "a flat unit keeps its a_j2"
    );

    // Keeping a far-away step in place would need a weight beyond ±1000.
    let mut far = net.clone();
    far.set_parameter(0, 0.1);
    far.set_parameter(1, 90.0); // the step at x = −900
    assert!(handfit::set_handle(&far, 0, Handle::Steepness, 20.0)
        .unwrap_err()
        .to_string()
        .starts_with("that would make a weight of 18000, beyond the ±1000"));
}

#[test]
fn the_handles_sit_on_the_curve() {
    for activation in Activation::ALL {
        let net = network(activation);
        for unit in 0..3 {
            let points = Handles::of(&net, unit).unwrap().points(activation);
            for [x, y] in points {
                let curve = net.unit_contribution(unit, &[x, 1.0]);
                assert!(
                    (curve - y).abs() < 1e-12,
                    "{activation} unit {unit}: {y} vs {curve}"
                );
            }
            // Position at z1 = 0, steepness one unit of z1 on, height three.
            let h = Handles::of(&net, unit).unwrap();
            assert_eq!(points[0][0], h.position);
            assert_eq!(points[1][0], h.position + 1.0 / h.steepness);
            assert_eq!(points[2][1], h.height * activation.value(3.0));
        }
    }
}

#[test]
fn dragging_moves_the_handle_under_the_pointer() {
    let net = network(Activation::Sigmoid);
    let activation = net.activation();
    for unit in 0..3 {
        let before = Handles::of(&net, unit).unwrap();
        let points = before.points(activation);
        // Dragging a handle to where it already is changes nothing visible.
        for (handle, [x, y]) in Handle::ALL.into_iter().zip(points) {
            let same = handfit::drag(&net, unit, handle, x, y).unwrap();
            let after = Handles::of(&same, unit).unwrap();
            assert!(relative_error(after.get(handle), before.get(handle), 1e-300) < 1e-14);
        }
        let moved = handfit::drag(&net, unit, Handle::Position, 0.75, 5.0).unwrap();
        assert_eq!(Handles::of(&moved, unit).unwrap().position, 0.75);
        let steeper = handfit::drag(&net, unit, Handle::Steepness, before.position + 0.25, 0.0);
        let steeper = Handles::of(&steeper.unwrap(), unit).unwrap();
        assert_eq!(steeper.steepness, 4.0);
        let flipped = handfit::drag(&net, unit, Handle::Steepness, before.position - 0.5, 0.0);
        assert_eq!(
            Handles::of(&flipped.unwrap(), unit).unwrap().steepness,
            -2.0
        );
        let taller = handfit::drag(&net, unit, Handle::Height, 0.0, 1.5).unwrap();
        let height = Handles::of(&taller, unit).unwrap().height;
        assert!(relative_error(height * activation.value(3.0), 1.5, 1e-300) < 1e-15);
        // Past a limit the handle stops at it.
        let edge = handfit::drag(&net, unit, Handle::Position, 9.0, 0.0).unwrap();
        assert_eq!(Handles::of(&edge, unit).unwrap().position, POSITION_RANGE.1);
        let sharp = handfit::drag(&net, unit, Handle::Steepness, before.position, 0.0).unwrap();
        let sharp = Handles::of(&sharp, unit).unwrap().steepness;
        assert_eq!(sharp, STEEPNESS_RANGE.1 * before.steepness.signum());
        let gentle = handfit::drag(&net, unit, Handle::Steepness, before.position + 100.0, 0.0);
        assert_eq!(
            Handles::of(&gentle.unwrap(), unit).unwrap().steepness,
            STEEPNESS_RANGE.0
        );
        let high = handfit::drag(&net, unit, Handle::Height, 0.0, 50.0).unwrap();
        assert_eq!(Handles::of(&high, unit).unwrap().height, HEIGHT_RANGE.1);
    }
    assert!(handfit::drag(&net, 0, Handle::Height, f64::NAN, 0.0).is_err());
}

#[test]
fn the_nearest_handle_is_picked() {
    let net = network(Activation::Sigmoid);
    let y_per_x = 0.5;
    for unit in 0..3 {
        let points = Handles::of(&net, unit).unwrap().points(net.activation());
        for (handle, [x, y]) in Handle::ALL.into_iter().zip(points) {
            assert_eq!(
                handfit::nearest_handle(&net, x + 0.01, y - 0.01, y_per_x, 0.2),
                Some((unit, handle)),
                "unit {unit} {}",
                handle.name()
            );
        }
    }
    // Nothing within the radius, and y distances count divided by y_per_x.
    assert_eq!(
        handfit::nearest_handle(&net, -3.0, -1.9, y_per_x, 0.2),
        None
    );
    let [x, y] = Handles::of(&net, 0).unwrap().points(net.activation())[0];
    assert_eq!(
        handfit::nearest_handle(&net, x, y + 0.15, 1.0, 0.2),
        Some((0, Handle::Position))
    );
    assert_eq!(handfit::nearest_handle(&net, x, y + 0.15, 0.5, 0.2), None);
    // A handle off the plot cannot be picked.
    let off = handfit::set_handle(&net, 2, Handle::Height, 5.0).unwrap();
    let [x, y] = Handles::of(&off, 2).unwrap().points(net.activation())[2];
    assert!(y > 2.0);
    assert_ne!(
        handfit::nearest_handle(&off, x, y, 1.0, 10.0),
        Some((2, Handle::Height))
    );
}

#[test]
fn the_target_line_says_when_the_fit_is_close() {
    // The step data (±0.8, noise 0.1): one tanh unit, 0.8·tanh(10x), fits it; the others off.
    let points = Points::sample(Shape::Step, 100, 0.1, 2);
    let (xs, ys) = (points.features(true), points.ys);
    let mut net = Network::new(2, 3, Activation::Tanh, 1).unwrap();
    let start = handfit::closeness(&net, &xs, &ys).unwrap();
    assert_eq!(start.loss, net.clone().mean_loss(&xs, &ys).unwrap());
    assert_eq!(start.target, TARGET_LOSS);
    assert!(!start.reached, "{}", start.loss);
    for unit in 1..3 {
        net = handfit::set_handle(&net, unit, Handle::Height, 0.0).unwrap();
    }
    let step = Handles {
        position: 0.0,
        steepness: 10.0,
        height: 0.8,
    };
    net = handfit::with_handles(&net, 0, step).unwrap();
    let fitted = handfit::closeness(&net, &xs, &ys).unwrap();
    println!("by hand: {} → {}", start.loss, fitted.loss);
    assert!(fitted.reached && fitted.loss <= 0.05);
    assert!(handfit::closeness(&net, &xs[1..], &ys).is_err());
}
