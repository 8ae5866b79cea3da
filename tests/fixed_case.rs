//! The core against tests/fixtures/fixed_case.json, a worked example computed in Python from
//! the worksheet's formulas. The browser tests check the WebAssembly build against the same
//! file, so native and browser results are tied to one reference.

mod common;

use backprop_lab::{Activation, Network};
use common::relative_error;
use serde_json::Value;

const TOLERANCE: f64 = 1e-12;

fn numbers(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().map(|v| v.as_f64().unwrap()).collect(),
        other => vec![other.as_f64().unwrap()],
    }
}

fn assert_close(what: &str, got: &[f64], want: &Value) {
    let want = numbers(want);
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        // The floor 1e-300 makes this a pure relative test except for exact zeros.
        assert!(
            relative_error(*g, *w, 1e-300) < TOLERANCE,
            "{what}[{i}]: {g} vs {w}"
        );
    }
}

#[test]
fn the_core_reproduces_the_python_reference() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/fixed_case.json")).unwrap();
    let (m, h) = (
        fixture["m"].as_u64().unwrap() as usize,
        fixture["h"].as_u64().unwrap() as usize,
    );
    let (a, b) = (numbers(&fixture["A"]), numbers(&fixture["b"]));
    let (x, y) = (numbers(&fixture["x"]), fixture["y"].as_f64().unwrap());
    let (xs, ys) = (numbers(&fixture["X"]), numbers(&fixture["Y"]));
    let learning_rate = fixture["learning_rate"].as_f64().unwrap();
    let cases = fixture["cases"].as_object().unwrap();
    assert_eq!(cases.len(), 3);
    for (name, case) in cases {
        let activation: Activation = name.parse().unwrap();
        let mut net = Network::new(m, h, activation, 0).unwrap();
        net.set_weights(&a, &b).unwrap();
        let (fwd, grads) = net.backward(&x, y).unwrap();
        let want = &case["example"];
        assert_close("z1", &fwd.z1, &want["z1"]);
        assert_close("z2", &fwd.z2, &want["z2"]);
        assert_close("z3", &[fwd.z3], &want["z3"]);
        assert_close("z4", &[fwd.z4], &want["z4"]);
        assert_close("loss", &[fwd.loss], &want["loss"]);
        assert_close("dz4", &[grads.dz4], &want["dz4"]);
        assert_close("dz3", &[grads.dz3], &want["dz3"]);
        assert_close("dz2", &grads.dz2, &want["dz2"]);
        assert_close("dz1", &grads.dz1, &want["dz1"]);
        assert_close("db", &grads.db, &want["db"]);
        assert_close("dA", &grads.da, &want["dA"]);

        let before = net.step(&xs, &ys, learning_rate).unwrap();
        let want = &case["step"];
        assert_close("loss before the step", &[before], &want["loss_before"]);
        assert_close("A after the step", net.weights_a(), &want["A_after"]);
        assert_close("b after the step", net.weights_b(), &want["b_after"]);
    }
}
