//! The backprop explorer's core: steps reveal the core's forward and backward values in the
//! worksheet's order; the gradient check agrees with the real backward pass, catches every
//! planted bug, and never gives a wrong verdict, however large or small the numbers; the
//! explorer's Update is a counted, recorded, guarded step of the training lab.

mod common;

use backprop_lab::explorer::{
    backward_with_bug, check_example, gradient_check, Bug, Explorer, Pass, Stage, Verdict,
    TOLERANCE,
};
use backprop_lab::trainer::{Features, Settings, Trainer};
use backprop_lab::{Activation, Network, Rng};

fn trained_lab() -> Trainer {
    let mut lab = Trainer::new(Settings::default()).unwrap();
    lab.train(300).unwrap();
    lab
}

#[test]
fn forward_then_backward_steps_reveal_the_nodes_in_order() {
    let mut explorer = Explorer::new();
    assert_eq!(explorer.stage(), Stage::Start);
    assert!(
        !explorer.backward_step(),
        "no backward step before the loss is known"
    );
    let mut seen = vec![];
    while explorer.forward_step() {
        seen.push(explorer.stage().name());
    }
    assert_eq!(seen, ["z1", "z2", "z3", "z4", "L"]);
    while explorer.backward_step() {
        seen.push(explorer.stage().name());
    }
    assert_eq!(seen[5..], ["dz4", "dz3", "db", "dz2", "dz1", "dA"]);
    assert!(!explorer.forward_step() && !explorer.backward_step());
    explorer.reset_pass();
    assert!(!explorer.revealed(Stage::Z1));
    explorer.run_all();
    assert!(explorer.revealed(Stage::DA));
}

#[test]
fn the_values_shown_are_the_cores_forward_and_backward_values() {
    let lab = trained_lab();
    let x = Features::new(-1.3, true);
    let pass = Pass::new(lab.network(), x.as_slice(), -0.9).unwrap();
    let (forward, gradients) = lab.network().backward(x.as_slice(), -0.9).unwrap();
    assert_eq!(pass.forward, forward);
    assert_eq!(pass.gradients, gradients);
    assert_eq!(pass.x, [-1.3, 1.0]);
}

#[test]
fn the_real_backward_pass_agrees_and_every_planted_bug_is_caught() {
    for activation in [Activation::Sigmoid, Activation::Tanh, Activation::Relu] {
        let mut net = Network::new(2, 6, activation, 3).unwrap();
        net.initialise(3, 1.5);
        let (x, y) = ([0.8, 1.0], 1.7);
        let check = gradient_check(&net, &x, y, Bug::None).unwrap();
        assert_eq!(check.rows.len(), 6 * 2 + 6);
        println!(
            "{activation}: real pass, largest relative error {:.2e}",
            check.largest
        );
        assert_eq!(check.verdict, Verdict::Agree, "{activation}: {check:?}");
        assert!(check.largest < TOLERANCE, "{activation}: {}", check.largest);
        for bug in [
            Bug::ForgetActivationDerivative,
            Bug::ForgetMinusOne,
            Bug::XInsteadOfXTranspose,
        ] {
            let check = gradient_check(&net, &x, y, bug).unwrap();
            println!(
                "{activation}: {bug:?}, largest relative error {:.2e}",
                check.largest
            );
            assert_eq!(check.verdict, Verdict::Disagree, "{activation} {bug:?}");
            assert!(
                check.largest > 1e-2,
                "{activation} {bug:?}: {}",
                check.largest
            );
        }
        // Planting a bug never changes the network's own backward pass.
        assert_eq!(
            gradient_check(&net, &x, y, Bug::None).unwrap().verdict,
            Verdict::Agree
        );
    }
}

/// Whether `bug` really changes the gradient beyond the tolerance, judged against the correct
/// pass on the same forward values (the check's verdict must match this where it decides).
fn bug_matters(net: &Network, x: &[f64], y: f64, bug: Bug) -> Option<bool> {
    let (da, db) = backward_with_bug(net, x, y, bug).ok()?;
    let (right_a, right_b) = backward_with_bug(net, x, y, Bug::None).ok()?;
    let (got, want): (Vec<f64>, Vec<f64>) = (
        da.iter().chain(&db).copied().collect(),
        right_a.iter().chain(&right_b).copied().collect(),
    );
    let scale = got.iter().chain(&want).map(|v| v.abs()).fold(0.0, f64::max);
    let floor = (backprop_lab::explorer::FLOOR_FRACTION * scale).max(f64::MIN_POSITIVE);
    let worst = got
        .iter()
        .zip(&want)
        .map(|(g, w)| common::relative_error(*g, *w, floor))
        .fold(0.0, f64::max);
    Some(worst > TOLERANCE)
}

#[test]
fn the_check_never_gives_a_wrong_verdict_at_any_magnitude() {
    let mut rng = Rng::new(2026);
    let (mut decided, mut undecided, mut overflow) = (0, 0, 0);
    for case in 0..1500 {
        let activation = [Activation::Sigmoid, Activation::Tanh, Activation::Relu][case % 3];
        let (m, h) = (1 + case % 2, 1 + (case / 2) % 5);
        let mut net = Network::new(m, h, activation, case as u64).unwrap();
        let weight_scale = 10f64.powf(rng.uniform(-3.0, 3.0));
        net.initialise(case as u64, weight_scale);
        let magnitude = 10f64.powf(rng.uniform(-8.0, 16.0));
        let x: Vec<f64> = (0..m).map(|_| rng.symmetric(magnitude)).collect();
        let y_magnitude = 10f64.powf(rng.uniform(-8.0, 16.0));
        let y = rng.symmetric(y_magnitude);
        for bug in Bug::ALL {
            let check = match gradient_check(&net, &x, y, bug) {
                Ok(check) => check,
                Err(_) => {
                    overflow += 1; // too large for float64: an error, not a verdict
                    continue;
                }
            };
            let Some(matters) = bug_matters(&net, &x, y, bug) else {
                continue;
            };
            match check.verdict {
                Verdict::Agree => {
                    decided += 1;
                    assert!(
                        !matters,
                        "case {case} {bug:?}: said agree, but the bug changes the gradient"
                    );
                }
                Verdict::Disagree => {
                    decided += 1;
                    assert!(matters, "case {case} {bug:?}: said disagree, but the gradients are equal (x = {x:?}, y = {y}) {check:#?}");
                }
                Verdict::Undecided => undecided += 1,
            }
        }
    }
    println!("decided {decided}, undecided {undecided}, refused as overflowing {overflow}");
    assert!(
        decided > 3000,
        "the check should decide most cases, decided {decided}"
    );
}

#[test]
fn the_correct_pass_is_never_called_wrong_for_the_pages_examples() {
    // Every example a student can type (|x|, |y| ≤ 10) on trained and untrained networks.
    let mut rng = Rng::new(7);
    for seed in 0..200 {
        let mut net =
            Network::new(2, 1 + seed % 64, Activation::ALL[seed % 5], seed as u64).unwrap();
        net.initialise(seed as u64, [0.1, 1.0, 10.0][seed % 3]);
        let (x, y) = (rng.symmetric(10.0), rng.symmetric(10.0));
        assert!(check_example(x, y).is_ok());
        let check = gradient_check(&net, &[x, 1.0], y, Bug::None).unwrap();
        assert_ne!(check.verdict, Verdict::Disagree, "seed {seed}: {check:?}");
    }
    assert!(check_example(10.5, 0.0)
        .unwrap_err()
        .contains("from −10 to 10"));
    assert!(check_example(0.0, f64::NAN).is_err());
}

#[test]
fn update_is_a_counted_recorded_guarded_step_of_the_lab() {
    let mut lab = trained_lab();
    let steps = lab.steps();
    let weights = lab.network().weights_b().to_vec();
    let generation = lab.generation();
    let step = lab.step_on_example(2.0, 1.5, 0.1).unwrap();
    assert!(step.after < step.before, "{step:?}");
    assert_eq!(lab.steps(), steps + 1, "counted");
    assert_ne!(lab.network().weights_b(), &weights[..]);
    assert_ne!(lab.generation(), generation, "the other panels can tell");
    // The history samples every step this early? Then the step is recorded.
    if lab.history().samples(lab.steps()) {
        assert_eq!(lab.history().last().unwrap().step, lab.steps());
    }
    // Refused rates change nothing.
    let before = lab.network().weights_a().to_vec();
    assert!(lab.step_on_example(2.0, 1.5, 1e308).is_err());
    assert!(lab.step_on_example(2.0, 1.5, -1.0).is_err());
    assert_eq!(lab.network().weights_a(), &before[..]);
    assert_eq!(lab.steps(), steps + 1);
}

#[test]
fn parameters_are_named_as_on_paper() {
    let net = Network::new(2, 2, Activation::Sigmoid, 1).unwrap();
    let check = gradient_check(&net, &[1.0, 1.0], 0.0, Bug::None).unwrap();
    let names: Vec<_> = check.rows.iter().map(|r| r.parameter.as_str()).collect();
    assert_eq!(
        names,
        ["A[1,1]", "A[1,2]", "A[2,1]", "A[2,2]", "b[1]", "b[2]"]
    );
}
