//! The fixed workload that `make bench` times natively, in WebAssembly and (re-implemented in
//! bench/reference.mjs and bench/handtuned.mjs) in plain JavaScript: full-batch gradient
//! descent on the sine data set with x = [x, 1], sigmoid units and learning rate 0.3 (less
//! above h = 16, see [`learning_rate`]).

use crate::activation::Activation;
use crate::data::{Points, Shape};
use crate::network::{Network, NetworkError};

pub const LEARNING_RATE: f64 = 0.3;

/// [`LEARNING_RATE`] up to h = 16, LEARNING_RATE·16/h above: the steepest curvature of the
/// loss grows with h (b's share is the mean of z2·z2ᵀ), and at h = 64 the rate 0.3 diverges
/// after 299 steps, after which a benchmark would time arithmetic on NaN.
pub fn learning_rate(hidden: usize) -> f64 {
    LEARNING_RATE * (16.0 / hidden as f64).min(1.0)
}

/// The data and network of the benchmark, built once so that only the steps are timed.
pub struct Workload {
    pub network: Network,
    pub inputs: Vec<f64>,
    pub targets: Vec<f64>,
    pub learning_rate: f64,
}

impl Workload {
    /// `count` points (seed 1, noise 0.1) and `hidden` sigmoid units (seed 1).
    pub fn new(hidden: usize, count: usize) -> Result<Self, NetworkError> {
        let points = Points::sample(Shape::Sine, count, 0.1, 1);
        Ok(Workload {
            network: Network::new(2, hidden, Activation::Sigmoid, 1)?,
            inputs: points.features(true),
            targets: points.ys,
            learning_rate: learning_rate(hidden),
        })
    }

    /// Runs `steps` full-batch steps; returns the last mean loss, so the work cannot be skipped.
    pub fn run(&mut self, steps: u64) -> f64 {
        let mut loss = f64::NAN;
        for _ in 0..steps {
            loss = self
                .network
                .step_unchecked(&self.inputs, &self.targets, self.learning_rate);
        }
        loss
    }
}
