//! The training lab's state, the one owner of the network and the data that every panel
//! reads: gradient descent by full batch, mini-batch or single example, the run's history,
//! faded past runs, and a guard that stops a diverging run and goes back to the best weights.
//!
//! A generation counter changes whenever the weights or the data do, so a panel that shows
//! something derived from them can tell that it must recompute. Every setter checks its
//! argument and says what is allowed; a refused change leaves everything as it was.

mod dataset;
mod guard;
mod history;

pub use dataset::{DataSettings, Dataset, Features, Source, MAX_CUSTOM_POINTS, POINT_Y_RANGE};
pub use guard::{Guard, Snapshot, DIVERGENCE_FACTOR, STABLE_STEPS};
pub use history::{Entry, History, HISTORY_LIMIT};

use crate::activation::Activation;
use crate::data::Points;
use crate::format::{format_plain, format_rate};
use crate::network::Network;
use std::collections::VecDeque;
use std::fmt;

/// The hidden sizes the lab offers.
pub const HIDDEN_RANGE: (usize, usize) = (1, 64);
/// How many training points a generated data set has.
pub const COUNT_RANGE: (usize, usize) = (10, 500);
/// The learning rates the lab's slider offers; the first and last are the limits.
pub const LEARNING_RATES: [f64; 16] = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0,
];
pub const LEARNING_RATE_RANGE: (f64, f64) = (LEARNING_RATES[0], LEARNING_RATES[15]);
pub const NOISE_RANGE: (f64, f64) = (0.0, 0.5);
/// The initial weight scales the lab's slider offers.
pub const INIT_SCALES: [f64; 7] = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0];
pub const INIT_SCALE_RANGE: (f64, f64) = (INIT_SCALES[0], INIT_SCALES[6]);
/// Seeds the lab accepts.
pub const SEED_RANGE: (u64, u64) = (0, 999_999);
/// The sizes a mini-batch may have (a batch of 1 is the single-example mode).
pub const MINI_BATCH_RANGE: (usize, usize) = (2, 50);
/// The most work one call to [`Trainer::train`] may do, in units of [`Trainer::work_per_step`]:
/// 6 to 13 ns a unit in Chromium on a 2-core machine (`make bench` times the call at h = 64,
/// n = 500: 129 ms for 10⁷ units on a busy machine), so a call stays within about 0.07 s.
pub const TRAIN_WORK_LIMIT: u64 = 5_000_000;
/// What a step costs beyond its (example × hidden unit) passes, in the same units: choosing the
/// batch, the guard's checks and the history (a step on one point with h = 8 took about 0.27 µs).
pub const STEP_OVERHEAD_WORK: u64 = 48;
/// Imported weights must lie within ±this.
pub const WEIGHT_LIMIT: f64 = 1000.0;
/// Faded earlier runs kept for comparison.
pub const PAST_RUNS: usize = 3;

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

impl BatchMode {
    /// A batch mode by the name the lab's control uses: "full", "single", or "mini" with `size`
    /// points per step (2 to 50).
    pub fn named(mode: &str, size: f64) -> Result<BatchMode, SettingError> {
        match mode {
            "full" => Ok(BatchMode::Full),
            "single" => Ok(BatchMode::Single),
            "mini" => crate::check::whole("the mini-batch size", size, MINI_BATCH_RANGE)
                .map(BatchMode::Mini)
                .map_err(SettingError),
            other => Err(SettingError(format!(
                "unknown batch mode \"{other}\"; valid modes are \"full\", \"mini\", \"single\""
            ))),
        }
    }

    /// The name [`BatchMode::named`] reads.
    pub fn name(self) -> &'static str {
        match self {
            BatchMode::Full => "full",
            BatchMode::Mini(_) => "mini",
            BatchMode::Single => "single",
        }
    }
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
            source: Source::Generated(crate::data::Shape::Sine),
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

impl Settings {
    /// The settings the data depend on.
    pub fn data(&self) -> DataSettings {
        DataSettings {
            source: self.source,
            count: self.count,
            noise: self.noise,
            seed: self.seed,
            constant: self.constant,
        }
    }

    /// m: 2 with the constant input, else 1.
    pub fn input_len(&self) -> usize {
        if self.constant {
            2
        } else {
            1
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
    /// The loss blew up; the best weights of the segment are back and the message explains.
    Diverged(String),
}

/// What one step on a single example (the backprop explorer's Update) did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExampleStep {
    /// The example's loss before and after the step.
    pub before: f64,
    pub after: f64,
}

/// The training lab.
#[derive(Clone, Debug)]
pub struct Trainer {
    settings: Settings,
    network: Network,
    data: Dataset,
    steps: u64,
    history: History,
    past_runs: VecDeque<PastRun>,
    guard: Guard,
    generation: u64,
    data_generation: u64,
    run_id: u64,
    /// The train and test losses at the weights of a generation, computed once for it.
    losses: Option<(u64, f64, f64)>,
}

impl Trainer {
    pub fn new(settings: Settings) -> Result<Self, SettingError> {
        validate(&settings)?;
        let network = fresh_network(&settings)?;
        let mut trainer = Trainer {
            data: Dataset::new(settings.data()),
            network,
            steps: 0,
            history: History::default(),
            past_runs: VecDeque::new(),
            guard: Guard::default(),
            generation: 0,
            data_generation: 0,
            run_id: 0,
            losses: None,
            settings,
        };
        trainer.start_run(trainer.network.clone());
        Ok(trainer)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The points, the network inputs built from them, and the batch order.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// Changes whenever the weights or the data change.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Changes whenever a new run starts (fresh or imported weights, new data or network).
    pub fn run_id(&self) -> u64 {
        self.run_id
    }

    /// Changes whenever the data (points or inputs) change.
    pub fn data_generation(&self) -> u64 {
        self.data_generation
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
        self.losses().0
    }

    /// The mean loss on the test points, NaN when there are none.
    pub fn test_loss(&mut self) -> f64 {
        self.losses().1
    }

    /// The train and test losses now, computed once per generation (the page reads them
    /// every frame, and the history records them after every call to train).
    fn losses(&mut self) -> (f64, f64) {
        match self.losses {
            Some((generation, train, test)) if generation == self.generation => (train, test),
            _ => {
                let data = &self.data;
                let train = self
                    .network
                    .mean_loss_unchecked(data.train_inputs(), &data.train().ys);
                let test = self
                    .network
                    .mean_loss_unchecked(data.test_inputs(), &data.test().ys);
                self.losses = Some((self.generation, train, test));
                (train, test)
            }
        }
    }

    /// A label for the current run: "h = 8, lr = 0.5, sigmoid".
    pub fn run_label(&self) -> String {
        label(&self.settings)
    }

    /// How many examples a step uses now.
    pub fn batch_size(&self) -> usize {
        let n = self.data.train().len();
        match self.settings.batch {
            BatchMode::Full => n,
            BatchMode::Mini(k) => k.min(n),
            BatchMode::Single => 1,
        }
    }

    /// The work of one step with these settings: examples per step × h passes, plus
    /// [`STEP_OVERHEAD_WORK`].
    pub fn work_per_step(&self) -> u64 {
        (self.batch_size().max(1) * self.network.hidden()) as u64 + STEP_OVERHEAD_WORK
    }

    /// The most steps one call to [`Trainer::train`] may take with these settings, so that
    /// steps × [`Trainer::work_per_step`] stays within [`TRAIN_WORK_LIMIT`].
    pub fn max_steps_per_call(&self) -> u64 {
        (TRAIN_WORK_LIMIT / self.work_per_step()).max(1)
    }

    /// Runs `steps` gradient steps, stopping early if the loss diverges. Refuses more than
    /// [`Trainer::max_steps_per_call`] steps before taking any.
    pub fn train(&mut self, steps: u64) -> Result<Outcome, SettingError> {
        let most = self.max_steps_per_call();
        if steps > most {
            return Err(SettingError(format!(
                "one call trains at most {most} steps with these settings (steps × (examples \
                 per step × hidden units + {STEP_OVERHEAD_WORK}) ≤ {TRAIN_WORK_LIMIT}), got \
                 {steps}; call it again for more"
            )));
        }
        if self.data.train().is_empty() {
            return Ok(Outcome::NoData);
        }
        let m = self.network.inputs();
        let size = self.batch_size();
        let rate = self.settings.learning_rate;
        for _ in 0..steps {
            let batch = self.data.next_batch(size);
            let (inputs, targets) = (
                &self.data.train_inputs()[batch.start * m..batch.end * m],
                &self.data.train().ys[batch],
            );
            let loss = self.network.step_unchecked(inputs, targets, rate);
            self.generation += 1;
            if self
                .guard
                .diverged(loss, &self.network, self.data.target_scale())
            {
                return Ok(Outcome::Diverged(self.recover(loss)));
            }
            self.finish_step();
        }
        Ok(Outcome::Trained)
    }

    /// One step of θ ← θ − lr·∂L/∂θ on the single example (x, y) (the backprop explorer's
    /// Update): counted, recorded and guarded like every other step. x is the scalar input.
    pub fn step_on_example(
        &mut self,
        x: f64,
        y: f64,
        learning_rate: f64,
    ) -> Result<ExampleStep, SettingError> {
        within("the learning rate", learning_rate, LEARNING_RATE_RANGE)?;
        if !(x.is_finite() && y.is_finite()) {
            return Err(SettingError("x and y must be finite numbers".into()));
        }
        let features = self.data.features(x);
        let before = self
            .network
            .step_unchecked(features.as_slice(), &[y], learning_rate);
        self.generation += 1;
        let scale = self.data.target_scale().max(y * y);
        if self.guard.diverged(before, &self.network, scale) {
            let message = self.recover(before);
            return Err(SettingError(message));
        }
        self.finish_step();
        let after = self.network.example_loss(features.as_slice(), y);
        Ok(ExampleStep { before, after })
    }

    /// Bookkeeping after a good step: count it, record it if the history samples it.
    fn finish_step(&mut self) {
        self.steps += 1;
        if self.history.samples(self.steps) {
            self.record();
        }
        self.guard.count_good_step(self.settings.learning_rate);
    }

    /// Puts the best weights of the segment back, takes the run back to their step and
    /// explains what happened.
    fn recover(&mut self, loss: f64) -> String {
        let failed_step = self.steps + 1;
        let restored = self.guard.restore(&mut self.network);
        if let Some(step) = restored {
            self.steps = step;
            self.history.truncate_after(step);
        }
        self.guard
            .explain(failed_step, loss, self.settings.learning_rate, restored)
    }

    /// Sets weights shaped by hand (fit by hand): the run goes on from the current step with
    /// them, so the loss curve continues from their loss; a new segment for the guard. The
    /// network must have the lab's shape and weights within ±[`WEIGHT_LIMIT`]; on error
    /// nothing changes.
    pub fn set_weights_by_hand(&mut self, a: &[f64], b: &[f64]) -> Result<(), SettingError> {
        if let Some(w) = a.iter().chain(b).find(|w| w.abs() > WEIGHT_LIMIT) {
            return Err(SettingError(format!(
                "every weight must be within ±{}, got {}",
                format_plain(WEIGHT_LIMIT),
                format_plain(*w)
            )));
        }
        self.network
            .set_weights(a, b)
            .map_err(|e| SettingError(e.to_string()))?;
        self.generation += 1;
        self.guard.new_segment();
        self.record();
        Ok(())
    }

    /// Adds a history point for the current step (or replaces the one already there) and offers
    /// its weights to the guard.
    fn record(&mut self) {
        let (grad_a_norm, grad_b_norm) = self.network.last_gradient_norms();
        let train_loss = self.train_loss();
        let test_loss = self.test_loss();
        self.history.record(Entry {
            step: self.steps,
            train_loss,
            test_loss,
            grad_a_norm,
            grad_b_norm,
        });
        self.guard.offer(&self.network, self.steps, train_loss);
    }

    /// Starts a new run from weights for the current settings, read from a file: the shape
    /// (m from the constant input, h, the activation) is taken from it. Everything is checked
    /// before anything changes; the old run is kept as a faded curve.
    pub fn import_weights(
        &mut self,
        constant: bool,
        hidden: usize,
        activation: Activation,
        a: &[f64],
        b: &[f64],
    ) -> Result<(), SettingError> {
        let mut settings = self.settings.clone();
        (settings.constant, settings.hidden, settings.activation) = (constant, hidden, activation);
        validate(&settings)?;
        let mut network = fresh_network(&settings)?;
        if let Some(w) = a.iter().chain(b).find(|w| w.abs() > WEIGHT_LIMIT) {
            return Err(SettingError(format!(
                "every weight must be within ±{}, got {}",
                format_plain(WEIGHT_LIMIT),
                format_plain(*w)
            )));
        }
        network
            .set_weights(a, b)
            .map_err(|e| SettingError(e.to_string()))?;
        let ended = self.run_label();
        let data_changed = settings.constant != self.settings.constant;
        self.settings = settings;
        if data_changed {
            self.regenerate_data();
        }
        self.archive_run(ended);
        self.start_run(network);
        Ok(())
    }

    /// Starts a new run: fresh weights from the seed, step 0, the old run kept as a faded curve.
    pub fn restart(&mut self) {
        self.archive_run(self.run_label());
        if let Ok(network) = fresh_network(&self.settings) {
            self.start_run(network);
        }
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

    /// Step 0 of a run on `network`: the batch order and history start anew.
    fn start_run(&mut self, network: Network) {
        self.network = network;
        self.generation += 1;
        self.run_id += 1;
        self.data.restart_order();
        self.steps = 0;
        self.history = History::default();
        self.guard.new_segment();
        self.record();
    }

    /// A new segment of the same run (other data, rate or batch mode): the guard forgets the
    /// losses before it and starts from the weights as they are.
    fn new_segment(&mut self) {
        self.guard.new_segment();
        let loss = self.train_loss();
        self.guard.offer(&self.network, self.steps, loss);
    }

    fn regenerate_data(&mut self) {
        self.data.regenerate(self.settings.data());
        self.data_generation += 1;
        self.generation += 1;
    }

    /// Applies new settings. Data settings regenerate the points; the architecture, activation,
    /// initial scale and seed start a new run; the learning rate and batch mode keep the
    /// weights, so rates can be compared mid-run. On error nothing changes.
    pub fn update(&mut self, settings: Settings) -> Result<(), SettingError> {
        validate(&settings)?;
        let network = fresh_network(&settings)?;
        let old = std::mem::replace(&mut self.settings, settings);
        let new = &self.settings;
        let data_changed = old.data() != new.data();
        let run_changed = data_changed
            || old.hidden != new.hidden
            || old.activation != new.activation
            || old.init_scale != new.init_scale;
        let segment_changed = old.learning_rate != new.learning_rate || old.batch != new.batch;
        if data_changed {
            self.regenerate_data();
        }
        if run_changed {
            // The run that ended is labelled with the settings it ran under.
            self.archive_run(label(&old));
            self.start_run(network);
        } else if segment_changed {
            self.new_segment();
        }
        Ok(())
    }

    /// Switches to the student's own points, starting from the ones shown now.
    pub fn use_custom_points(&mut self) -> Result<(), SettingError> {
        if self.settings.source == Source::Custom {
            return Ok(());
        }
        self.data.copy_into_custom();
        let mut settings = self.settings.clone();
        settings.source = Source::Custom;
        self.update(settings)
    }

    /// Adds a point to the student's own data (switching to it first).
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), SettingError> {
        let (x, y) = Dataset::check_point(x, y)?;
        let placed = match self.settings.source {
            Source::Custom => self.data.custom_points().len(),
            Source::Generated(_) => self.data.train().len(), // switching copies these
        };
        if placed >= MAX_CUSTOM_POINTS {
            return Err(SettingError(format!(
                "there are already {MAX_CUSTOM_POINTS} points, the most allowed"
            )));
        }
        self.use_custom_points()?;
        let mut points = self.data.custom_points().clone();
        points.xs.push(x);
        points.ys.push(y);
        self.set_custom(points);
        Ok(())
    }

    /// Replaces the student's own points with `xs` and `ys` (switching to them): all are
    /// checked first, and on any error nothing changes.
    pub fn replace_points(&mut self, xs: &[f64], ys: &[f64]) -> Result<(), SettingError> {
        if xs.len() != ys.len() || xs.len() > MAX_CUSTOM_POINTS {
            return Err(SettingError(format!(
                "give at most {MAX_CUSTOM_POINTS} points, each with an x and a y"
            )));
        }
        let mut points = Points::default();
        for (&x, &y) in xs.iter().zip(ys) {
            let (x, y) = Dataset::check_point(x, y)?;
            points.xs.push(x);
            points.ys.push(y);
        }
        self.use_custom_points()?;
        self.set_custom(points);
        Ok(())
    }

    /// Removes the student's point nearest to (x, y), if one lies within `radius` (data
    /// units, y scaled by `y_per_x`). Returns whether one was removed.
    pub fn remove_point_near(
        &mut self,
        x: f64,
        y: f64,
        radius: f64,
        y_per_x: f64,
    ) -> Result<bool, SettingError> {
        self.use_custom_points()?;
        match self.data.without_point_near(x, y, radius, y_per_x) {
            Some(points) => {
                self.set_custom(points);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Removes every one of the student's points.
    pub fn clear_custom_points(&mut self) -> Result<(), SettingError> {
        self.use_custom_points()?;
        self.set_custom(Points::default());
        Ok(())
    }

    /// New custom points: same weights, a new segment (old losses no longer compare).
    fn set_custom(&mut self, points: Points) {
        self.data.set_custom_points(points);
        self.data_generation += 1;
        self.generation += 1;
        self.new_segment();
    }
}

fn label(settings: &Settings) -> String {
    format!(
        "h = {}, lr = {}, {}",
        settings.hidden,
        format_rate(settings.learning_rate),
        settings.activation.label()
    )
}

/// Fresh weights for `settings` from its seed and initial scale.
fn fresh_network(settings: &Settings) -> Result<Network, SettingError> {
    let mut network = Network::new(
        settings.input_len(),
        settings.hidden,
        settings.activation,
        settings.seed,
    )
    .map_err(|e| SettingError(e.to_string()))?;
    network.initialise(settings.seed, settings.init_scale);
    Ok(network)
}

fn within(what: &str, v: f64, range: (f64, f64)) -> Result<(), SettingError> {
    crate::check::within(what, v, range)
        .map(|_| ())
        .map_err(SettingError)
}

fn whole(what: &str, v: usize, range: (usize, usize)) -> Result<(), SettingError> {
    crate::check::whole(what, v as f64, range)
        .map(|_| ())
        .map_err(SettingError)
}

fn validate(s: &Settings) -> Result<(), SettingError> {
    whole("the number of hidden units", s.hidden, HIDDEN_RANGE)?;
    whole("the number of points", s.count, COUNT_RANGE)?;
    within("the learning rate", s.learning_rate, LEARNING_RATE_RANGE)?;
    within("the noise", s.noise, NOISE_RANGE)?;
    within("the initial weight scale", s.init_scale, INIT_SCALE_RANGE)?;
    if !(SEED_RANGE.0..=SEED_RANGE.1).contains(&s.seed) {
        return Err(SettingError(format!(
            "the seed must be a whole number from {} to {}, got {}",
            SEED_RANGE.0, SEED_RANGE.1, s.seed
        )));
    }
    if let BatchMode::Mini(k) = s.batch {
        whole("the mini-batch size", k, MINI_BATCH_RANGE)?;
    }
    Ok(())
}
