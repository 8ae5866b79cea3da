//! The training lab's data: points generated from a shape or placed by the student, the
//! network inputs built from them, and the order in which mini-batches take them.

use super::SettingError;
use crate::data::{Points, Shape, X_RANGE};
use crate::format::format_plain;
use crate::rng::Rng;
use std::ops::Range;

/// The most points a student can place.
pub const MAX_CUSTOM_POINTS: usize = 500;
/// The y-values a point may have: the plot shows −2 to 2; further out a point only dominates
/// the loss.
pub const POINT_Y_RANGE: (f64, f64) = (-5.0, 5.0);

/// Where the points come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Generated(Shape),
    /// Points the student placed by clicking.
    Custom,
}

impl Source {
    /// A data set by the name the lab's control uses: a shape's name, or "custom".
    pub fn named(name: &str) -> Result<Source, SettingError> {
        if name == "custom" {
            return Ok(Source::Custom);
        }
        name.parse::<Shape>()
            .map(Source::Generated)
            .map_err(|e| SettingError(format!("{e}, or \"custom\"")))
    }

    /// The name [`Source::named`] reads.
    pub fn name(self) -> &'static str {
        match self {
            Source::Generated(shape) => shape.name(),
            Source::Custom => "custom",
        }
    }
}

/// What the data depend on: a subset of the lab's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DataSettings {
    pub source: Source,
    pub count: usize,
    pub noise: f64,
    pub seed: u64,
    /// Append a constant 1 to each input: x = [x, 1].
    pub constant: bool,
}

/// The network's input for one scalar x: `[x, 1]` with the constant input, else `[x]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Features {
    values: [f64; 2],
    len: usize,
}

impl Features {
    pub fn new(x: f64, constant: bool) -> Self {
        Features {
            values: [x, 1.0],
            len: if constant { 2 } else { 1 },
        }
    }

    pub fn as_slice(&self) -> &[f64] {
        &self.values[..self.len]
    }
}

/// The training and test points, the network inputs for them, and the batch order.
#[derive(Clone, Debug)]
pub struct Dataset {
    settings: DataSettings,
    train: Points,
    test: Points,
    /// The network inputs of the training points, n·m numbers row-major.
    train_inputs: Vec<f64>,
    test_inputs: Vec<f64>,
    custom: Points,
    /// max y² over the training points (at least 0.01): the loss of predicting 0 for the worst
    /// point, the scale a sane run's loss stays within.
    target_scale: f64,
    order: Rng,
    cursor: usize,
}

impl Dataset {
    pub fn new(settings: DataSettings) -> Self {
        let mut dataset = Dataset {
            settings,
            train: Points::default(),
            test: Points::default(),
            train_inputs: Vec::new(),
            test_inputs: Vec::new(),
            custom: Points::default(),
            target_scale: 1.0,
            order: Rng::new(0),
            cursor: 0,
        };
        dataset.regenerate(settings);
        dataset
    }

    /// New points from `settings` (or the custom ones), and a fresh batch order.
    pub fn regenerate(&mut self, settings: DataSettings) {
        self.settings = settings;
        match settings.source {
            Source::Generated(shape) => {
                let (count, noise, seed) = (settings.count, settings.noise, settings.seed);
                self.train = Points::sample(shape, count, noise, seed);
                self.test = Points::grid(shape, (count / 2).max(20), noise, seed ^ 0x7e57);
            }
            Source::Custom => {
                self.train = self.custom.clone();
                self.test = Points::default();
            }
        }
        self.train_inputs = self.train.features(settings.constant);
        self.test_inputs = self.test.features(settings.constant);
        self.target_scale = self.train.ys.iter().map(|y| y * y).fold(1e-2, f64::max);
        self.restart_order();
    }

    /// The batch order starts again from the seed (at the start of every run).
    pub fn restart_order(&mut self) {
        self.order = Rng::new(self.settings.seed ^ 0x5eed);
        self.cursor = usize::MAX / 2; // reshuffle before the next mini-batch
    }

    /// m: how many numbers each network input has.
    pub fn input_len(&self) -> usize {
        if self.settings.constant {
            2
        } else {
            1
        }
    }

    /// The network input for a scalar x.
    pub fn features(&self, x: f64) -> Features {
        Features::new(x, self.settings.constant)
    }

    pub fn train(&self) -> &Points {
        &self.train
    }

    pub fn test(&self) -> &Points {
        &self.test
    }

    pub fn train_inputs(&self) -> &[f64] {
        &self.train_inputs
    }

    pub fn test_inputs(&self) -> &[f64] {
        &self.test_inputs
    }

    pub fn target_scale(&self) -> f64 {
        self.target_scale
    }

    /// The training points of the next batch of `size` (the whole set when `size` ≥ n): in a
    /// fresh random order each pass over the data.
    pub fn next_batch(&mut self, size: usize) -> Range<usize> {
        let n = self.train.len();
        if size >= n {
            return 0..n;
        }
        if self.cursor + size > n {
            self.shuffle();
        }
        let start = self.cursor;
        self.cursor += size;
        start..self.cursor
    }

    fn shuffle(&mut self) {
        let m = self.input_len();
        for i in (1..self.train.len()).rev() {
            let j = (self.order.next_u64() % (i as u64 + 1)) as usize;
            self.train.xs.swap(i, j);
            self.train.ys.swap(i, j);
            for k in 0..m {
                self.train_inputs.swap(i * m + k, j * m + k);
            }
        }
        self.cursor = 0;
    }

    /// The training point nearest to (x, y), with y distances divided by `y_per_x`.
    pub fn nearest_point(&self, x: f64, y: f64, y_per_x: f64) -> Option<usize> {
        nearest(&self.train, x, y, y_per_x).map(|(i, _)| i)
    }

    pub fn custom_points(&self) -> &Points {
        &self.custom
    }

    /// Starts the student's own points from the ones shown now (when switching to them).
    pub fn copy_into_custom(&mut self) {
        if self.settings.source != Source::Custom {
            self.custom = self.train.clone();
        }
    }

    /// Checks a point the student wants to place: finite, y within [`POINT_Y_RANGE`]. x is
    /// clamped to the data's range. Returns the point to add.
    pub fn check_point(x: f64, y: f64) -> Result<(f64, f64), SettingError> {
        let (low, high) = POINT_Y_RANGE;
        if !(x.is_finite() && y.is_finite()) {
            return Err(SettingError("a point needs finite x and y".into()));
        }
        if !(low..=high).contains(&y) {
            return Err(SettingError(format!(
                "a point's y must be from {} to {} (the plot shows −2 to 2), got {}",
                format_plain(low),
                format_plain(high),
                format_plain(y)
            )));
        }
        Ok((x.clamp(X_RANGE.0, X_RANGE.1), y))
    }

    /// Replaces the student's points (each already checked with [`Dataset::check_point`]).
    pub fn set_custom_points(&mut self, points: Points) {
        self.custom = points;
        if self.settings.source == Source::Custom {
            self.regenerate(self.settings);
        }
    }

    /// The student's points without the one nearest to (x, y), if one lies within `radius`
    /// (data units, y scaled by `y_per_x`).
    pub fn without_point_near(&self, x: f64, y: f64, radius: f64, y_per_x: f64) -> Option<Points> {
        let (index, distance) = nearest(&self.custom, x, y, y_per_x)?;
        if distance > radius {
            return None;
        }
        let mut points = self.custom.clone();
        points.xs.remove(index);
        points.ys.remove(index);
        Some(points)
    }
}

/// The point of `points` nearest to (x, y) and its distance, y distances divided by `y_per_x`.
fn nearest(points: &Points, x: f64, y: f64, y_per_x: f64) -> Option<(usize, f64)> {
    let scale = if y_per_x.is_finite() && y_per_x > 0.0 {
        y_per_x
    } else {
        1.0
    };
    points
        .xs
        .iter()
        .zip(&points.ys)
        .map(|(&px, &py)| ((px - x).powi(2) + ((py - y) / scale).powi(2)).sqrt())
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
}
