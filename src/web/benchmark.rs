//! The `make bench` workload.

use super::args::whole;
use crate::network::MAX_SIZE;
use wasm_bindgen::prelude::*;

/// The most points the workload may have.
const MAX_POINTS: usize = 10_000;
/// The most work one `run` may do, steps × points × h: about 0.05 s in Chromium on a 2-core
/// machine (2 × 10⁸ took 0.77 s, 2 × 10⁷ 0.10 s), so no call freezes the page for long.
const MAX_RUN_WORK: f64 = 1e7;

/// The benchmark's workload (see `make bench`), held in WebAssembly memory.
#[wasm_bindgen]
pub struct BenchmarkWorkload {
    inner: crate::benchmark::Workload,
}

#[wasm_bindgen]
impl BenchmarkWorkload {
    #[wasm_bindgen(constructor)]
    pub fn new(hidden: f64, count: f64) -> Result<BenchmarkWorkload, JsError> {
        let hidden = whole("h (the number of hidden units)", hidden, (1, MAX_SIZE))?;
        let count = whole("the number of points", count, (1, MAX_POINTS))?;
        let inner = crate::benchmark::Workload::new(hidden, count)?;
        Ok(BenchmarkWorkload { inner })
    }

    /// Runs `steps` full-batch steps (steps × points × h at most 10⁷); returns the last
    /// mean loss.
    pub fn run(&mut self, steps: f64) -> Result<f64, JsError> {
        let per_step = (self.inner.targets.len() * self.inner.network.hidden()) as f64;
        let most = (MAX_RUN_WORK / per_step) as usize;
        Ok(self
            .inner
            .run(whole("the number of steps", steps, (0, most))? as u64))
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
