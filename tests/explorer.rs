//! The backprop explorer's core: steps reveal exactly the core's forward and backward values
//! in the worksheet's order, the gradient check passes for the real backward pass and catches
//! every planted bug.

use backprop_lab::explorer::{gradient_check, Bug, Explorer, Stage};
use backprop_lab::trainer::{Settings, Trainer};
use backprop_lab::{Activation, Network};

fn trained_lab() -> Trainer {
    let mut lab = Trainer::new(Settings::default()).unwrap();
    lab.train(300);
    lab
}

#[test]
fn forward_then_backward_steps_reveal_the_nodes_in_order() {
    let lab = trained_lab();
    let x = lab.input_for(0.7);
    let mut explorer = Explorer::new(lab.network(), &x, 0.4).unwrap();
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
    let x = lab.input_for(-1.3);
    let explorer = Explorer::new(lab.network(), &x, -0.9).unwrap();
    let (forward, gradients) = lab.network().backward(&x, -0.9).unwrap();
    assert_eq!(explorer.forward(), &forward);
    assert_eq!(explorer.gradients(), &gradients);
}

#[test]
fn the_real_backward_pass_passes_the_check_and_every_planted_bug_fails_it() {
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
        assert!(check.largest < 1e-6, "{activation}: {}", check.largest);
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
            assert!(
                check.largest > 1e-2,
                "{activation} {bug:?}: {}",
                check.largest
            );
        }
        // Planting a bug never changes the network's own backward pass.
        assert!(gradient_check(&net, &x, y, Bug::None).unwrap().largest < 1e-6);
    }
}

#[test]
fn update_takes_one_step_on_the_example_and_lowers_its_loss() {
    let mut lab = trained_lab();
    let x = lab.input_for(2.0);
    let mut network = lab.network().clone();
    let mut explorer = Explorer::new(&network, &x, 1.5).unwrap();
    explorer.run_all();
    let (before, after) = explorer.update(&mut network, 0.1).unwrap();
    assert!(after < before, "{before} -> {after}");
    assert_eq!(
        explorer.stage(),
        Stage::Start,
        "a new pass starts on the new weights"
    );
    assert_eq!(explorer.forward().loss, after);
    assert!(explorer.update(&mut network, -1.0).is_err());
    lab.train(1);
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
