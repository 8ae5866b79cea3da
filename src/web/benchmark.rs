//! The `make bench` workload.

use super::{js_error, size, whole};
use wasm_bindgen::prelude::*;

/// The benchmark's workload (see `make bench`), held in WebAssembly memory.
#[wasm_bindgen]
pub struct BenchmarkWorkload {
    inner: crate::benchmark::Workload,
}

#[wasm_bindgen]
impl BenchmarkWorkload {
    #[wasm_bindgen(constructor)]
    pub fn new(hidden: f64, count: f64) -> Result<BenchmarkWorkload, JsError> {
        let hidden = size("h (the number of hidden units)", hidden)?;
        let count = whole("the number of points", count)?.max(1);
        let inner = crate::benchmark::Workload::new(hidden, count).map_err(js_error)?;
        Ok(BenchmarkWorkload { inner })
    }

    /// Runs `steps` full-batch steps; returns the last mean loss.
    pub fn run(&mut self, steps: f64) -> Result<f64, JsError> {
        Ok(self.inner.run(whole("the number of steps", steps)? as u64))
    }

    /// The training data, for the JavaScript reference: x as n·2 numbers, then y.
    pub fn inputs(&self) -> Vec<f64> {
        self.inner.inputs.clone()
    }

    pub fn targets(&self) -> Vec<f64> {
        self.inner.targets.clone()
    }

    /// The learning rate of the workload's steps.
    #[wasm_bindgen(js_name = learningRate)]
    pub fn learning_rate(&self) -> f64 {
        self.inner.learning_rate
    }

    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Vec<f64> {
        self.inner.network.weights_a().to_vec()
    }

    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Vec<f64> {
        self.inner.network.weights_b().to_vec()
    }
}
