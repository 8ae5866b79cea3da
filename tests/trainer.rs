//! The training lab's core: defaults train every data set, divergence is caught and undone,
//! every batch mode learns, and settings keep or reset what they should.

use backprop_lab::data::Shape;
use backprop_lab::trainer::{
    BatchMode, Outcome, Settings, Source, Trainer, HISTORY_LIMIT, MAX_CUSTOM_POINTS,
};
use backprop_lab::Activation;

fn trainer(change: impl FnOnce(&mut Settings)) -> Trainer {
    let mut settings = Settings::default();
    change(&mut settings);
    Trainer::new(settings).unwrap()
}

#[test]
fn defaults_lower_the_train_loss_tenfold_on_every_data_set_within_5000_steps() {
    for shape in Shape::ALL {
        let mut lab = trainer(|s| s.source = Source::Generated(shape));
        let initial = lab.train_loss();
        let mut steps = 0;
        while steps < 5_000 && lab.train_loss() * 10.0 > initial {
            assert_eq!(lab.train(100).unwrap(), Outcome::Trained, "{shape}");
            steps += 100;
        }
        let trained = lab.train_loss();
        println!("{shape}: {initial:.4} -> {trained:.5} after {steps} steps");
        assert!(trained * 10.0 <= initial, "{shape}: {initial} -> {trained}");
    }
}

#[test]
fn a_learning_rate_of_10_with_sigmoid_is_caught_and_the_best_weights_restored() {
    let mut lab = trainer(|s| {
        s.learning_rate = 10.0;
        s.activation = Activation::Sigmoid;
    });
    let outcome = lab.train(5_000).unwrap();
    let Outcome::Diverged(message) = outcome else {
        panic!("expected divergence, got {outcome:?}");
    };
    println!("{message}");
    assert!(message.contains("learning rate 10"), "{message}");
    assert!(
        message.contains(&format!("weights of step {} are back", lab.steps())),
        "{message}"
    );
    assert!(message.contains("Try a rate of 1 or less"), "{message}");
    let loss = lab.train_loss();
    assert!(
        loss.is_finite() && loss < 100.0,
        "restored weights give loss {loss}"
    );
    assert!(lab.network().weights_a().iter().all(|w| w.is_finite()));
    assert!(lab.history().train_loss.iter().all(|l| l.is_finite()));
    // The run goes back to the restored weights: its last history point is their loss.
    assert_eq!(lab.history().steps.last(), Some(&lab.steps()));
    let last = *lab.history().train_loss.last().unwrap();
    assert_eq!(last, lab.train_loss());
}

#[test]
fn the_message_names_a_rate_that_worked() {
    let mut lab = trainer(|_| {});
    assert_eq!(lab.train(200).unwrap(), Outcome::Trained);
    let mut settings = lab.settings().clone();
    settings.learning_rate = 10.0;
    lab.update(settings).unwrap();
    let Outcome::Diverged(message) = lab.train(5_000).unwrap() else {
        panic!("expected divergence");
    };
    assert!(
        message.contains("Rates up to 0.3 trained smoothly"),
        "{message}"
    );
}

#[test]
fn mini_batch_and_single_example_steps_lower_the_loss() {
    for batch in [BatchMode::Mini(10), BatchMode::Single] {
        let mut lab = trainer(|s| {
            s.batch = batch;
            s.learning_rate = 0.1;
        });
        let initial = lab.train_loss();
        assert_eq!(lab.train(3_000).unwrap(), Outcome::Trained);
        let trained = lab.train_loss();
        println!("{batch:?}: {initial:.4} -> {trained:.5}");
        assert!(trained * 3.0 < initial, "{batch:?}: {initial} -> {trained}");
    }
}

#[test]
fn hidden_size_restarts_the_run_and_keeps_the_data_while_the_rate_keeps_the_weights() {
    let mut lab = trainer(|_| {});
    lab.train(50).unwrap();
    let xs = lab.data().train().xs.clone();
    let weights = lab.network().weights_a().to_vec();

    let mut settings = lab.settings().clone();
    settings.learning_rate = 0.05;
    lab.update(settings.clone()).unwrap();
    assert_eq!(lab.network().weights_a(), &weights[..]);
    assert_eq!(lab.steps(), 50);

    settings.hidden = 12;
    lab.update(settings).unwrap();
    assert_eq!(lab.steps(), 0);
    assert_eq!(lab.network().hidden(), 12);
    assert_eq!(lab.data().train().xs, xs);
    let past: Vec<_> = lab.past_runs().map(|run| run.label.clone()).collect();
    assert_eq!(past, ["h = 8, lr = 0.05, sigmoid"]);
}

#[test]
fn the_same_settings_reproduce_the_same_run_bit_for_bit() {
    let run = || {
        let mut lab = trainer(|s| s.batch = BatchMode::Mini(16));
        lab.train(700).unwrap();
        (lab.train_loss(), lab.network().weights_b().to_vec())
    };
    assert_eq!(run(), run());
}

#[test]
fn the_history_stays_bounded_and_covers_the_whole_run() {
    let mut lab = trainer(|s| s.learning_rate = 0.1);
    lab.train(5_000).unwrap();
    let history = lab.history();
    assert!(history.len() < HISTORY_LIMIT);
    assert_eq!(history.steps[0], 0);
    assert!(*history.steps.last().unwrap() > 4_000);
    assert!(history.test_loss.iter().all(|l| l.is_finite()));
    assert!(history.grad_a_norm[1..].iter().all(|g| *g > 0.0));
}

#[test]
fn the_students_own_points_can_be_added_removed_and_trained_on() {
    let mut lab = trainer(|_| {});
    lab.use_custom_points().unwrap();
    assert_eq!(lab.settings().source, Source::Custom);
    assert_eq!(
        lab.data().train().len(),
        100,
        "starts from the points that were shown"
    );
    lab.clear_custom_points().unwrap();
    assert_eq!(lab.train(10).unwrap(), Outcome::NoData);
    for (x, y) in [(-2.0, -1.0), (0.0, 1.0), (2.0, -1.0)] {
        lab.add_point(x, y).unwrap();
    }
    assert_eq!(lab.data().train().len(), 3);
    assert!(lab.data().test().is_empty());
    assert!(lab.remove_point_near(0.05, 1.0, 0.2, 1.0).unwrap());
    assert!(!lab.remove_point_near(1.0, 0.0, 0.2, 1.0).unwrap());
    assert_eq!(lab.data().train().len(), 2);
    assert!(lab.add_point(f64::NAN, 0.0).is_err());
    assert!(lab.add_point(0.0, 1e308).is_err(), "y outside −5 to 5");
    assert_eq!(lab.data().train().len(), 2);
    assert_eq!(lab.train(100).unwrap(), Outcome::Trained);
    assert!(lab.test_loss().is_nan(), "no test set for custom points");
}

#[test]
fn settings_outside_the_controls_are_refused_with_the_allowed_range() {
    let mut lab = trainer(|_| {});
    let mut settings = lab.settings().clone();
    settings.learning_rate = 50.0;
    let error = lab.update(settings).unwrap_err().to_string();
    assert_eq!(error, "the learning rate must be from 0.001 to 10, got 50");
    let mut settings = lab.settings().clone();
    settings.hidden = 0;
    assert!(lab.update(settings).is_err());
    assert_eq!(lab.settings(), &Settings::default());
}

#[test]
fn an_import_is_all_or_nothing() {
    let mut lab = trainer(|_| {});
    lab.train(100).unwrap();
    let mut source = trainer(|s| s.hidden = 5);
    source.train(50).unwrap();
    let (a, b) = (
        source.network().weights_a().to_vec(),
        source.network().weights_b().to_vec(),
    );
    let expected = source.train_loss();
    let before = (
        lab.settings().clone(),
        lab.steps(),
        lab.network().weights_a().to_vec(),
    );
    let unchanged = |lab: &Trainer| {
        assert_eq!(
            (
                lab.settings().clone(),
                lab.steps(),
                lab.network().weights_a().to_vec()
            ),
            before
        );
    };
    // A wrong length, a weight out of range, a bad h: refused, and h is not switched first.
    assert!(lab
        .import_weights(true, 5, Activation::Sigmoid, &a[1..], &b)
        .is_err());
    unchanged(&lab);
    let mut huge = a.clone();
    huge[0] = 1e308;
    let error = lab
        .import_weights(true, 5, Activation::Sigmoid, &huge, &b)
        .unwrap_err();
    assert!(error.to_string().contains("within ±1000"), "{error}");
    unchanged(&lab);
    assert!(lab
        .import_weights(true, 65, Activation::Sigmoid, &a, &b)
        .is_err());
    unchanged(&lab);
    // The right file switches h and starts a run from those weights.
    lab.import_weights(true, 5, Activation::Sigmoid, &a, &b)
        .unwrap();
    assert_eq!(lab.network().hidden(), 5);
    assert_eq!(lab.steps(), 0);
    assert_eq!(
        lab.train_loss(),
        expected,
        "the same weights give the same loss"
    );
    assert_eq!(lab.history().len(), 1);
    assert_eq!(lab.past_runs().count(), 1, "the old run is kept, faded");
}

#[test]
fn divergence_restores_the_best_weights_of_the_segment_and_names_their_step() {
    // Train well, then switch to a rate that blows up: the weights go back to the lowest
    // loss since the switch, not to whatever the step before the blow-up had.
    let mut lab = trainer(|_| {});
    lab.train(2_000).unwrap();
    let settled = lab.train_loss();
    let mut settings = lab.settings().clone();
    settings.learning_rate = 10.0;
    lab.update(settings).unwrap();
    let Outcome::Diverged(message) = lab.train(5_000).unwrap() else {
        panic!("expected divergence");
    };
    let restored = lab.train_loss();
    println!("{message}\nsettled {settled}, restored {restored}");
    assert!(
        restored <= settled * 1.0001,
        "restored {restored} vs {settled} at the switch"
    );
    assert!(
        message.contains(&format!("step {}", lab.steps())),
        "{message}"
    );
    assert_eq!(lab.history().last().unwrap().step, lab.steps());
    assert_eq!(lab.history().last().unwrap().train_loss, restored);
}

#[test]
fn one_call_trains_a_bounded_amount_of_work() {
    let mut lab = trainer(|s| {
        s.hidden = 64;
        s.count = 500;
    });
    let most = lab.max_steps_per_call();
    assert!((100..10_000).contains(&most), "{most}");
    let error = lab.train(most + 1).unwrap_err();
    assert!(error.to_string().contains("at most"), "{error}");
    assert_eq!(lab.steps(), 0, "refused before any step");
    assert_eq!(lab.train(1).unwrap(), Outcome::Trained);
}

#[test]
fn the_generation_changes_with_weights_and_data_but_not_otherwise() {
    let mut lab = trainer(|_| {});
    let (generation, data) = (lab.generation(), lab.data_generation());
    lab.train_loss();
    assert_eq!(lab.generation(), generation);
    lab.train(1).unwrap();
    assert_ne!(lab.generation(), generation);
    assert_eq!(lab.data_generation(), data, "a step leaves the data alone");
    let generation = lab.generation();
    let mut settings = lab.settings().clone();
    settings.noise = 0.3;
    lab.update(settings).unwrap();
    assert_ne!(lab.data_generation(), data);
    assert_ne!(lab.generation(), generation);
}

#[test]
fn replacing_the_points_checks_every_point_first() {
    let mut lab = trainer(|_| {});
    let before = lab.data().train().clone();
    assert!(
        lab.replace_points(&[0.0, 1.0], &[0.5, 9.0]).is_err(),
        "y = 9 is outside"
    );
    assert_eq!(lab.settings().source, Source::Generated(Shape::Sine));
    assert_eq!(lab.data().train(), &before);
    let many = vec![0.0; MAX_CUSTOM_POINTS + 1];
    assert!(lab.replace_points(&many, &many).is_err());
    lab.replace_points(&[-1.0, 1.0], &[0.5, -0.5]).unwrap();
    assert_eq!(lab.data().train().xs, [-1.0, 1.0]);
    assert_eq!(lab.settings().source, Source::Custom);
}

#[test]
fn the_losses_shown_follow_every_change_to_the_weights_or_the_data() {
    let mut lab = trainer(|_| {});
    // What the network says now, computed afresh from the trainer's own network and data.
    let fresh = |lab: &Trainer| {
        let mut network = lab.network().clone();
        let data = lab.data();
        (
            network.mean_loss_unchecked(data.train_inputs(), &data.train().ys),
            network.mean_loss_unchecked(data.test_inputs(), &data.test().ys),
        )
    };
    let check = |lab: &mut Trainer, what: &str| {
        let (train, test) = fresh(lab);
        assert_eq!(lab.train_loss(), train, "{what}: train loss");
        assert_eq!(
            lab.test_loss().to_bits(),
            test.to_bits(),
            "{what}: test loss"
        );
    };
    check(&mut lab, "at the start");
    lab.train(7).unwrap();
    check(&mut lab, "after training");
    lab.step_on_example(0.5, 0.25, 0.1).unwrap();
    check(&mut lab, "after a step on one example");
    let (a, b) = (
        lab.network().weights_a().to_vec(),
        lab.network().weights_b().to_vec(),
    );
    lab.set_weights_by_hand(&a.iter().map(|w| w * 0.5).collect::<Vec<_>>(), &b)
        .unwrap();
    check(&mut lab, "after weights set by hand");
    lab.add_point(0.1, 0.9).unwrap();
    check(&mut lab, "after a point was added");
    let mut settings = lab.settings().clone();
    settings.hidden = 3;
    lab.update(settings).unwrap();
    check(&mut lab, "after a new h");
    lab.restart();
    check(&mut lab, "after a restart");
}

#[test]
fn batch_modes_and_data_sets_are_read_by_the_names_the_controls_use() {
    for mode in [BatchMode::Full, BatchMode::Single, BatchMode::Mini(7)] {
        assert_eq!(BatchMode::named(mode.name(), 7.0), Ok(mode));
    }
    let refused =
        |result: Result<BatchMode, _>| result.map_err(|e: backprop_lab::trainer::SettingError| e.0);
    assert_eq!(
        refused(BatchMode::named("huge", 0.0)),
        Err("unknown batch mode \"huge\"; valid modes are \"full\", \"mini\", \"single\"".into())
    );
    assert_eq!(
        refused(BatchMode::named("mini", 51.0)),
        Err("the mini-batch size must be a whole number from 2 to 50, got 51".into())
    );
    assert_eq!(Source::named("custom"), Ok(Source::Custom));
    let sine = Source::named("sine").map(Source::name);
    assert_eq!(sine, Ok("sine"));
    let spiral = Source::named("spiral").map_err(|e| e.0);
    assert!(
        matches!(&spiral, Err(m) if m.ends_with(", or \"custom\"")),
        "{spiral:?}"
    );
}
