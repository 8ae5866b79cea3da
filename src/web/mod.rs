//! Every export to JavaScript, one file per panel. Errors become JS `Error`s here, with a
//! message that says what was wrong and what is allowed. Arguments are read by `args`
//! without ever throwing inside Rust, every size and count has a limit checked before work
//! starts, and a panic hook writes any internal error to the console and tells the page.
//!
//! The panels share one [`Trainer`] (the training lab's network and data) through
//! `Shared`: every panel reads it when called, so none can show stale weights.

mod activations;
mod args;
mod benchmark;
mod canvas;
mod cost;
mod explorer;
mod facts;
mod landscape;
mod network;
mod practice;
mod practice_sketch;
mod still;
mod training;
mod vanishing;

pub use activations::ActivationPlot;
pub use benchmark::BenchmarkWorkload;
pub use cost::CostLab;
pub use explorer::BackpropExplorer;
pub use landscape::LandscapeLab;
pub use network::{activation, activation_derivative, Network};
pub use practice::PracticeLab;
pub use practice_sketch::PracticePartOne;
pub use training::TrainingLab;
pub use vanishing::VanishingLab;

use crate::plot::Theme;
use crate::trainer::Trainer;
use js_sys::{Array, Float64Array, Object, Reflect};
use plotters::prelude::*;
use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// Installs the panic hook when the module starts. A panic is a bug: its message goes to the
/// console and the page shows its notice instead of dying silently on `unreachable`.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| args::report_panic(&info.to_string())));
}

/// The training lab's trainer, shared by every panel that reads its network or data.
#[derive(Clone)]
pub(crate) struct Shared(Rc<RefCell<Trainer>>);

impl Shared {
    fn new(trainer: Trainer) -> Self {
        Shared(Rc::new(RefCell::new(trainer)))
    }

    fn read(&self) -> Result<Ref<'_, Trainer>, JsError> {
        self.0
            .try_borrow()
            .map_err(|_| JsError::new("the training lab is busy; try again"))
    }

    fn write(&self) -> Result<RefMut<'_, Trainer>, JsError> {
        self.0
            .try_borrow_mut()
            .map_err(|_| JsError::new("the training lab is busy; try again"))
    }
}

/// A plotters drawing area on a canvas whose backing store the caller sized by the pixel
/// ratio, and the theme to draw it in.
fn canvas_area(
    canvas: &JsValue,
    pixel_ratio: f64,
    dark: bool,
) -> Result<(DrawingArea<canvas::Canvas, plotters::coord::Shift>, Theme), JsError> {
    let backend = canvas::Canvas::new(args::canvas(canvas)?)
        .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
    Ok((backend.into_drawing_area(), Theme::new(pixel_ratio, dark)))
}

/// A plain JS object built key by key: the named records the API returns.
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

    fn text(self, key: &str, value: &str) -> Result<Self, JsError> {
        self.value(key, &JsValue::from_str(value))
    }

    fn flag(self, key: &str, value: bool) -> Result<Self, JsError> {
        self.value(key, &JsValue::from_bool(value))
    }

    fn value(self, key: &str, value: &JsValue) -> Result<Self, JsError> {
        Reflect::set(&self.0, &JsValue::from_str(key), value)
            .map_err(|_| JsError::new(&format!("could not set {key} on the result")))?;
        Ok(self)
    }

    /// The forward pass's values: z1, z2, z3, z4 and loss.
    fn forward(self, forward: &crate::network::Forward) -> Result<Self, JsError> {
        self.vector("z1", &forward.z1)?
            .vector("z2", &forward.z2)?
            .number("z3", forward.z3)?
            .number("z4", forward.z4)?
            .number("loss", forward.loss)
    }

    fn done(self) -> Object {
        self.0
    }
}

/// An array of records.
fn list(records: impl IntoIterator<Item = Result<Record, JsError>>) -> Result<Array, JsError> {
    let array = Array::new();
    for record in records {
        array.push(&record?.done());
    }
    Ok(array)
}
