//! Every export to JavaScript, one file per panel. Errors become JS `Error`s here, with a
//! message that says what was wrong and what is allowed; nothing in this module panics, so a
//! bad argument can never trap the WebAssembly instance and take the page down.

mod activations;
mod benchmark;
mod chains;
mod explorer;
mod network;
mod training;

pub use activations::ActivationPlot;
pub use benchmark::BenchmarkWorkload;
pub use chains::{CostLab, VanishingLab};
pub use explorer::BackpropExplorer;
pub use network::{activation, activation_derivative, activation_names, Network};
pub use training::TrainingLab;

use crate::activation::Activation;
use crate::network::{self as core_network, NetworkError};
use js_sys::{Array, Float64Array, Object, Reflect};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// A plotters drawing area on a canvas whose backing store the caller sized.
fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
    Ok(backend.into_drawing_area())
}

/// A Float64Array or an array of numbers, copied into Rust; anything else is an error.
fn numbers(what: &str, value: &JsValue) -> Result<Vec<f64>, JsError> {
    if let Some(array) = value.dyn_ref::<Float64Array>() {
        Ok(array.to_vec())
    } else if Array::is_array(value) {
        Ok(Float64Array::new(value).to_vec())
    } else {
        Err(JsError::new(&format!(
            "{what} must be a Float64Array or an array of numbers"
        )))
    }
}

/// A JS number that must be a whole number in 1..=MAX_SIZE.
fn size(what: &'static str, value: f64) -> Result<usize, JsError> {
    if value.fract() == 0.0 && (1.0..=core_network::MAX_SIZE as f64).contains(&value) {
        Ok(value as usize)
    } else {
        Err(js_error(NetworkError::SizeOutOfRange { what, value }))
    }
}

/// A JS number used as a seed: a whole number from 0 to 2^53 − 1.
fn seed(value: f64) -> Result<u64, JsError> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if value.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&value) {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "the seed must be a whole number from 0 to 2^53 − 1, got {value}"
        )))
    }
}

fn activation_named(name: &str) -> Result<Activation, JsError> {
    name.parse().map_err(js_error)
}

/// A plain JS object built key by key.
struct Record(Object);

impl Record {
    fn new() -> Self {
        Record(Object::new())
    }

    fn number(self, key: &str, value: f64) -> Result<Self, JsError> {
        self.value(key, &JsValue::from_f64(value))
    }

    fn vector(self, key: &str, values: &[f64]) -> Result<Self, JsError> {
        self.value(key, &Float64Array::from(values).into())
    }

    /// The forward pass's values: z1, z2, z3, z4 and loss.
    fn forward(self, forward: &crate::network::Forward) -> Result<Self, JsError> {
        self.vector("z1", &forward.z1)?
            .vector("z2", &forward.z2)?
            .number("z3", forward.z3)?
            .number("z4", forward.z4)?
            .number("loss", forward.loss)
    }

    fn value(self, key: &str, value: &JsValue) -> Result<Self, JsError> {
        Reflect::set(&self.0, &JsValue::from_str(key), value)
            .map_err(|_| JsError::new(&format!("could not set {key} on the result")))?;
        Ok(self)
    }
}

/// A JS number that must be a whole number (for counts and sizes set from sliders).
fn whole(what: &str, value: f64) -> Result<usize, JsError> {
    if value.is_finite() && value.fract() == 0.0 && value >= 0.0 && value <= u32::MAX as f64 {
        Ok(value as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a whole number, got {value}"
        )))
    }
}
