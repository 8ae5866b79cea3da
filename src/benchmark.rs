//! The fixed workload that `make bench` times natively, in WebAssembly and (re-implemented in
//! bench/reference.mjs) in plain JavaScript: full-batch gradient descent on the sine data set
//! with x = [x, 1], sigmoid units and learning rate 0.3.

use crate::activation::Activation;
use crate::data::{Points, Shape};
use crate::network::{Network, NetworkError};

pub const LEARNING_RATE: f64 = 0.3;

/// The data and network of the benchmark, built once so that only the steps are timed.
pub struct Workload {
    pub network: Network,
    pub inputs: Vec<f64>,
    pub targets: Vec<f64>,
}

impl Workload {
    /// `count` points (seed 1, noise 0.1) and `hidden` sigmoid units (seed 1).
    pub fn new(hidden: usize, count: usize) -> Result<Self, NetworkError> {
        let points = Points::sample(Shape::Sine, count, 0.1, 1);
        Ok(Workload {
            network: Network::new(2, hidden, Activation::Sigmoid, 1)?,
            inputs: points.features(true),
            targets: points.ys,
        })
    }

    /// Runs `steps` full-batch steps; returns the last mean loss, so the work cannot be skipped.
    pub fn run(&mut self, steps: u64) -> f64 {
        let mut loss = f64::NAN;
        for _ in 0..steps {
            loss = self
                .network
                .step_unchecked(&self.inputs, &self.targets, LEARNING_RATE);
        }
        loss
    }
}
