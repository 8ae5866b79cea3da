//! The training lab's state: one network, one data set kept in memory, gradient descent by
//! full batch, mini-batch or single example, a history of losses and gradient norms, and a
//! guard that stops a diverging run and restores the last good weights.
//!
//! Every setter checks its argument and says what is allowed; nothing here panics.

use crate::activation::Activation;
use crate::data::{Points, Shape, X_RANGE};
use crate::format::{format_rate, format_significant};
use crate::network::Network;
use crate::rng::Rng;
use std::collections::VecDeque;
use std::fmt;

/// Limits of the controls, also used to validate API calls.
pub const HIDDEN_RANGE: (usize, usize) = (1, 64);
pub const COUNT_RANGE: (usize, usize) = (10, 500);
pub const LEARNING_RATE_RANGE: (f64, f64) = (0.001, 10.0);
pub const NOISE_RANGE: (f64, f64) = (0.0, 0.5);
pub const INIT_SCALE_RANGE: (f64, f64) = (0.1, 10.0);
pub const MAX_CUSTOM_POINTS: usize = 500;
/// At most this many points are kept in the history; older ones are thinned by half.
pub const HISTORY_LIMIT: usize = 1000;
/// Faded earlier runs kept for comparison.
pub const PAST_RUNS: usize = 3;
/// A loss this many times above max(best loss, mean of y²) counts as diverging.
pub const DIVERGENCE_FACTOR: f64 = 100.0;
/// A learning rate counts as having worked after this many steps without divergence.
pub const STABLE_STEPS: u64 = 100;

/// How many examples each step uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchMode {
    /// Every training point: the exact gradient of the mean loss.
    Full,
    /// k points at a time, in a reshuffled order each pass over the data.
    Mini(usize),
    /// One point at a time, as in the worksheet's single-example loss.
    Single,
}

/// Where the points come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Generated(Shape),
    /// Points the student placed by clicking.
    Custom,
}

/// Every setting of the lab.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub source: Source,
    pub count: usize,
    pub noise: f64,
    pub seed: u64,
    /// Append a constant 1 to each input: x = [x, 1].
    pub constant: bool,
    pub hidden: usize,
    pub activation: Activation,
    pub learning_rate: f64,
    pub batch: BatchMode,
    pub init_scale: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            source: Source::Generated(Shape::Sine),
            count: 100,
            noise: 0.1,
            seed: 1,
            constant: true,
            hidden: 8,
            activation: Activation::Sigmoid,
            learning_rate: 0.3,
            batch: BatchMode::Full,
            init_scale: 1.0,
        }
    }
}

/// A refused setting, with what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingError(pub String);

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingError {}

/// Loss and gradient norms sampled along a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    pub steps: Vec<u64>,
    pub train_loss: Vec<f64>,
    /// NaN where there is no test set.
    pub test_loss: Vec<f64>,
    pub grad_a_norm: Vec<f64>,
    pub grad_b_norm: Vec<f64>,
    /// A point is recorded every `every` steps; doubles when the history is thinned.
    pub every: u64,
}

impl History {
    fn new() -> Self {
        History {
            every: 1,
            ..History::default()
        }
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    fn thin(&mut self) {
        for series in [
            &mut self.train_loss,
            &mut self.test_loss,
            &mut self.grad_a_norm,
            &mut self.grad_b_norm,
        ] {
            let kept: Vec<f64> = series.iter().step_by(2).copied().collect();
            *series = kept;
        }
        self.steps = self.steps.iter().step_by(2).copied().collect();
        self.every *= 2;
    }
}

/// A finished run kept as a faded curve: its label and train-loss history.
#[derive(Clone, Debug, PartialEq)]
pub struct PastRun {
    pub label: String,
    pub steps: Vec<u64>,
    pub train_loss: Vec<f64>,
}

/// What a call to [`Trainer::train`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// All requested steps ran.
    Trained,
    /// There are no training points (custom data with nothing placed yet).
    NoData,
    /// The loss blew up; the weights were restored and the message explains.
    Diverged(String),
}

/// The training lab.
#[derive(Clone, Debug)]
pub struct Trainer {
    settings: Settings,
    network: Network,
    train: Points,
    test: Points,
    train_inputs: Vec<f64>,
    test_inputs: Vec<f64>,
    custom: Points,
    target_scale: f64,
    shuffle: Rng,
    cursor: usize,
    steps: u64,
    history: History,
    past_runs: VecDeque<PastRun>,
    /// The last weights whose loss was checked and found fine.
    good_a: Vec<f64>,
    good_b: Vec<f64>,
    /// The weights a step starts from, until its loss is checked.
    candidate_a: Vec<f64>,
    candidate_b: Vec<f64>,
    best_loss: f64,
    steps_at_rate: u64,
    largest_stable_rate: Option<f64>,
}

impl Trainer {
    pub fn new(settings: Settings) -> Result<Self, SettingError> {
        validate(&settings)?;
        let network = Network::new(
            input_size(settings.constant),
            settings.hidden,
            settings.activation,
            settings.seed,
        )
        .map_err(|e| SettingError(e.to_string()))?;
        let mut trainer = Trainer {
            network,
            train: Points::default(),
            test: Points::default(),
            train_inputs: Vec::new(),
            test_inputs: Vec::new(),
            custom: Points::default(),
            target_scale: 1.0,
            shuffle: Rng::new(settings.seed ^ 0x5eed),
            cursor: 0,
            steps: 0,
            history: History::new(),
            past_runs: VecDeque::new(),
            good_a: Vec::new(),
            good_b: Vec::new(),
            candidate_a: Vec::new(),
            candidate_b: Vec::new(),
            best_loss: f64::INFINITY,
            steps_at_rate: 0,
            largest_stable_rate: None,
            settings,
        };
        trainer.make_data();
        trainer.reinitialise();
        Ok(trainer)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The network, to change its weights from outside a training step (the explorer's
    /// single-example update).
    pub fn network_mut(&mut self) -> &mut Network {
        &mut self.network
    }

    /// The training point nearest to (x, y), with y distances divided by `y_per_x`.
    pub fn nearest_point(&self, x: f64, y: f64, y_per_x: f64) -> Option<usize> {
        let scale = if y_per_x.is_finite() && y_per_x > 0.0 {
            y_per_x
        } else {
            1.0
        };
        self.train
            .xs
            .iter()
            .zip(&self.train.ys)
            .map(|(&px, &py)| (px - x).powi(2) + ((py - y) / scale).powi(2))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    pub fn train_points(&self) -> &Points {
        &self.train
    }

    pub fn test_points(&self) -> &Points {
        &self.test
    }

    /// The network's inputs for the training points (n·m numbers).
    pub fn train_inputs(&self) -> &[f64] {
        &self.train_inputs
    }

    /// The network input for a scalar x: [x, 1] or [x].
    pub fn input_for(&self, x: f64) -> [f64; 2] {
        [x, 1.0]
    }

    /// How many of [`Trainer::input_for`]'s numbers the network reads (m).
    pub fn input_len(&self) -> usize {
        self.network.inputs()
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn past_runs(&self) -> impl Iterator<Item = &PastRun> {
        self.past_runs.iter()
    }

    /// The mean loss on the training points, NaN when there are none.
    pub fn train_loss(&mut self) -> f64 {
        self.network
            .mean_loss_unchecked(&self.train_inputs, &self.train.ys)
    }

    /// The mean loss on the test points, NaN when there are none.
    pub fn test_loss(&mut self) -> f64 {
        self.network
            .mean_loss_unchecked(&self.test_inputs, &self.test.ys)
    }

    /// A label for the current run: "h = 8, lr = 0.5, sigmoid".
    pub fn run_label(&self) -> String {
        format!(
            "h = {}, lr = {}, {}",
            self.settings.hidden,
            format_rate(self.settings.learning_rate),
            self.settings.activation.label()
        )
    }

    /// Runs up to `steps` gradient steps; stops early if the loss diverges.
    pub fn train(&mut self, steps: u64) -> Outcome {
        if self.train.is_empty() {
            return Outcome::NoData;
        }
        let m = self.network.inputs();
        let n = self.train.len();
        let batch = match self.settings.batch {
            BatchMode::Full => n,
            BatchMode::Mini(k) => k.min(n),
            BatchMode::Single => 1,
        };
        for _ in 0..steps {
            if batch < n && self.cursor + batch > n {
                self.reshuffle();
            }
            let (from, to) = if batch == n {
                (0, n)
            } else {
                (self.cursor, self.cursor + batch)
            };
            self.cursor = to;
            // The step returns the loss at the weights it started from: only once that loss is
            // known to be fine do those weights become the ones to fall back on.
            self.candidate_a.copy_from_slice(self.network.weights_a());
            self.candidate_b.copy_from_slice(self.network.weights_b());
            let loss = self.network.step_unchecked(
                &self.train_inputs[from * m..to * m],
                &self.train.ys[from..to],
                self.settings.learning_rate,
            );
            let limit = DIVERGENCE_FACTOR * self.best_loss.max(self.target_scale);
            if !loss.is_finite() || loss > limit {
                return Outcome::Diverged(self.recover(loss));
            }
            std::mem::swap(&mut self.good_a, &mut self.candidate_a);
            std::mem::swap(&mut self.good_b, &mut self.candidate_b);
            self.best_loss = self.best_loss.min(loss);
            self.steps += 1;
            if self.steps.is_multiple_of(self.history.every) {
                self.record();
            }
            self.steps_at_rate += 1;
            if self.steps_at_rate >= STABLE_STEPS {
                let rate = self.settings.learning_rate;
                self.largest_stable_rate =
                    Some(self.largest_stable_rate.map_or(rate, |r| r.max(rate)));
            }
        }
        Outcome::Trained
    }

    /// Restores the weights from before the diverging step and explains what happened.
    fn recover(&mut self, loss: f64) -> String {
        let (a, b) = (self.good_a.clone(), self.good_b.clone());
        // The saved weights have the network's own shape, so this cannot fail.
        let _ = self.network.set_weights(&a, &b);
        // Those are the weights of the step before: the run and its history go back to it.
        self.steps = self.steps.saturating_sub(1);
        let keep = self.history.steps.partition_point(|&s| s <= self.steps);
        let history = &mut self.history;
        for series in [
            &mut history.train_loss,
            &mut history.test_loss,
            &mut history.grad_a_norm,
            &mut history.grad_b_norm,
        ] {
            series.truncate(keep);
        }
        history.steps.truncate(keep);
        self.steps_at_rate = 0;
        let rate = self.settings.learning_rate;
        let what = if loss.is_finite() {
            format!(
                "the loss jumped to {} (its best was {})",
                format_significant(loss, 4),
                format_significant(self.best_loss, 4)
            )
        } else {
            "the loss overflowed to infinity".to_string()
        };
        let advice = match self.largest_stable_rate.filter(|&r| r < rate) {
            Some(worked) => format!(
                "Rates up to {} trained smoothly in this session; try one of those.",
                format_rate(worked)
            ),
            None => format!("Try a rate of {} or less.", format_rate(rate / 10.0)),
        };
        format!(
            "Training paused: after step {} {what}. With learning rate {} each step overshoots the \
             minimum and the next one overshoots further, so the weights blow up. The weights of \
             step {} are restored. {advice}",
            self.steps + 1,
            format_rate(rate),
            self.steps
        )
    }

    /// Adds a history point for the current step: train and test loss at the current weights,
    /// and the norms of the gradient the last step used (0 at step 0).
    fn record(&mut self) {
        let (grad_a, grad_b) = self.network.last_gradient_norms();
        let train = self.train_loss();
        let test = self.test_loss();
        let history = &mut self.history;
        history.steps.push(self.steps);
        history.train_loss.push(train);
        history.test_loss.push(test);
        history.grad_a_norm.push(grad_a);
        history.grad_b_norm.push(grad_b);
        if history.len() >= HISTORY_LIMIT {
            history.thin();
        }
    }

    fn reshuffle(&mut self) {
        let m = self.network.inputs();
        for i in (1..self.train.len()).rev() {
            let j = (self.shuffle.next_u64() % (i as u64 + 1)) as usize;
            self.train.xs.swap(i, j);
            self.train.ys.swap(i, j);
            for k in 0..m {
                self.train_inputs.swap(i * m + k, j * m + k);
            }
        }
        self.cursor = 0;
    }

    /// Starts a new run from given weights (A row-major h×m, b of length h, for the current
    /// shape); the old run is kept as a faded curve. On error nothing changes.
    pub fn load_weights(&mut self, a: &[f64], b: &[f64]) -> Result<(), SettingError> {
        let mut network = self.network.clone();
        network
            .set_weights(a, b)
            .map_err(|e| SettingError(e.to_string()))?;
        self.archive_run(self.run_label());
        self.start_run(network);
        Ok(())
    }

    /// Starts a new run: fresh weights from the seed, step 0, the old run kept as a faded curve.
    pub fn restart(&mut self) {
        self.archive_run(self.run_label());
        self.reinitialise();
    }

    /// Keeps the current run's loss curve (if it trained at all) among the past runs.
    fn archive_run(&mut self, label: String) {
        if self.steps == 0 {
            return;
        }
        self.past_runs.push_back(PastRun {
            label,
            steps: self.history.steps.clone(),
            train_loss: self.history.train_loss.clone(),
        });
        while self.past_runs.len() > PAST_RUNS {
            self.past_runs.pop_front();
        }
    }

    /// Fresh weights from the seed and an empty history; the data stay.
    fn reinitialise(&mut self) {
        let s = &self.settings;
        let Ok(mut network) = Network::new(input_size(s.constant), s.hidden, s.activation, s.seed)
        else {
            return; // sizes were validated by every setter
        };
        network.initialise(s.seed, s.init_scale);
        self.start_run(network);
    }

    /// Step 0 of a run on `network`: the fallback weights, batch order and history start anew.
    fn start_run(&mut self, network: Network) {
        let s = &self.settings;
        self.network = network;
        self.good_a = self.network.weights_a().to_vec();
        self.good_b = self.network.weights_b().to_vec();
        self.candidate_a = self.good_a.clone();
        self.candidate_b = self.good_b.clone();
        self.shuffle = Rng::new(s.seed ^ 0x5eed);
        self.steps = 0;
        self.steps_at_rate = 0;
        self.best_loss = f64::INFINITY;
        self.history = History::new();
        self.refresh_inputs();
        self.record();
    }

    /// Rebuilds the network inputs from the points, and restarts the batch order.
    fn refresh_inputs(&mut self) {
        self.train_inputs = self.train.features(self.settings.constant);
        self.test_inputs = self.test.features(self.settings.constant);
        self.cursor = usize::MAX / 2; // reshuffle before the next mini-batch
    }

    /// Regenerates the points from the settings (or copies the custom ones).
    fn make_data(&mut self) {
        let s = &self.settings;
        match s.source {
            Source::Generated(shape) => {
                self.train = Points::sample(shape, s.count, s.noise, s.seed);
                self.test = Points::grid(shape, (s.count / 2).max(20), s.noise, s.seed ^ 0x7e57);
            }
            Source::Custom => {
                self.train = self.custom.clone();
                self.test = Points::default();
            }
        }
        // The loss of predicting 0 everywhere: the scale a sane run's loss stays within.
        let n = self.train.len().max(1) as f64;
        self.target_scale = (self.train.ys.iter().map(|y| y * y).sum::<f64>() / n).max(1e-2);
    }

    /// Applies new settings. Data settings regenerate the points; the architecture, activation,
    /// initial scale and seed start a new run; the learning rate and batch mode keep the
    /// weights, so rates can be compared mid-run.
    pub fn update(&mut self, settings: Settings) -> Result<(), SettingError> {
        validate(&settings)?;
        let old = std::mem::replace(&mut self.settings, settings);
        let new = &self.settings;
        let data_changed = old.source != new.source
            || old.count != new.count
            || old.noise != new.noise
            || old.seed != new.seed;
        let run_changed = data_changed
            || old.constant != new.constant
            || old.hidden != new.hidden
            || old.activation != new.activation
            || old.init_scale != new.init_scale;
        if old.learning_rate != new.learning_rate {
            self.steps_at_rate = 0;
        }
        if data_changed {
            self.make_data();
        }
        if run_changed {
            // The run that ended is labelled with the settings it ran under.
            let ended = std::mem::replace(&mut self.settings, old);
            let label = self.run_label();
            self.settings = ended;
            self.archive_run(label);
            self.reinitialise();
        }
        Ok(())
    }

    /// Adds a point to the student's own data (switching to it, starting from the current
    /// points, if another data set was shown).
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), SettingError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(SettingError("a point needs finite x and y".into()));
        }
        if self.custom.len() >= MAX_CUSTOM_POINTS {
            return Err(SettingError(format!(
                "there are already {MAX_CUSTOM_POINTS} points, the most allowed"
            )));
        }
        let x = x.clamp(X_RANGE.0, X_RANGE.1);
        self.custom.xs.push(x);
        self.custom.ys.push(y);
        self.refresh_custom();
        Ok(())
    }

    /// Removes the custom point nearest to (x, y), if any lies within `radius` (in data units,
    /// measured with y scaled by `y_per_x`). Returns whether one was removed.
    pub fn remove_point_near(&mut self, x: f64, y: f64, radius: f64, y_per_x: f64) -> bool {
        let scale = if y_per_x.is_finite() && y_per_x > 0.0 {
            y_per_x
        } else {
            1.0
        };
        let nearest = self
            .custom
            .xs
            .iter()
            .zip(&self.custom.ys)
            .map(|(&px, &py)| ((px - x).powi(2) + ((py - y) / scale).powi(2)).sqrt())
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1));
        match nearest {
            Some((i, distance)) if distance <= radius => {
                self.custom.xs.remove(i);
                self.custom.ys.remove(i);
                self.refresh_custom();
                true
            }
            _ => false,
        }
    }

    /// Starts the student's own data from the points shown now.
    pub fn use_custom_points(&mut self) {
        if self.settings.source != Source::Custom {
            self.custom = self.train.clone();
        }
    }

    pub fn custom_points(&self) -> &Points {
        &self.custom
    }

    /// After the custom points changed: new data, same weights, and the history restarted
    /// at the current step so the loss curve does not jump.
    fn refresh_custom(&mut self) {
        if self.settings.source == Source::Custom {
            self.make_data();
            self.refresh_inputs();
            self.best_loss = f64::INFINITY;
        }
    }

    /// Removes every custom point.
    pub fn clear_custom_points(&mut self) {
        self.custom = Points::default();
        self.refresh_custom();
    }
}

fn input_size(constant: bool) -> usize {
    if constant {
        2
    } else {
        1
    }
}

fn validate(s: &Settings) -> Result<(), SettingError> {
    let within = |what: &str, v: f64, (lo, hi): (f64, f64)| {
        if v.is_finite() && v >= lo && v <= hi {
            Ok(())
        } else {
            Err(SettingError(format!(
                "{what} must be from {lo} to {hi}, got {v}"
            )))
        }
    };
    let whole = |what: &str, v: usize, (lo, hi): (usize, usize)| {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err(SettingError(format!(
                "{what} must be a whole number from {lo} to {hi}, got {v}"
            )))
        }
    };
    whole("the number of hidden units", s.hidden, HIDDEN_RANGE)?;
    whole("the number of points", s.count, COUNT_RANGE)?;
    within("the learning rate", s.learning_rate, LEARNING_RATE_RANGE)?;
    within("the noise", s.noise, NOISE_RANGE)?;
    within("the initial weight scale", s.init_scale, INIT_SCALE_RANGE)?;
    if let BatchMode::Mini(k) = s.batch {
        whole("the mini-batch size", k, (1, COUNT_RANGE.1))?;
    }
    Ok(())
}
