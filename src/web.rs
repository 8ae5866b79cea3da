//! Every export to JavaScript. Errors become JS `Error`s here, with a message that says what
//! was wrong and what is allowed; nothing in this module panics, so a bad argument can never
//! trap the WebAssembly instance and take the page down.

use crate::activation::Activation;
use crate::network::{self, NetworkError};
use crate::plot::{activations, Theme};
use js_sys::{Array, Float64Array, Object, Reflect};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
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
    if value.fract() == 0.0 && (1.0..=network::MAX_SIZE as f64).contains(&value) {
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

    fn value(self, key: &str, value: &JsValue) -> Result<Self, JsError> {
        Reflect::set(&self.0, &JsValue::from_str(key), value)
            .map_err(|_| JsError::new(&format!("could not set {key} on the result")))?;
        Ok(self)
    }
}

/// The worksheet's network f(x) = bᵀσ(Ax), owned by Rust; JavaScript holds a handle.
#[wasm_bindgen]
pub struct Network {
    inner: network::Network,
}

#[wasm_bindgen]
impl Network {
    /// `new Network(m, h, activation, seed)`: m inputs, h hidden units (each 1 to 256),
    /// an activation name, and a seed for the initial weights.
    #[wasm_bindgen(constructor)]
    pub fn new(m: f64, h: f64, activation: &str, seed: f64) -> Result<Network, JsError> {
        let inputs = size("m (the input size)", m)?;
        let hidden = size("h (the number of hidden units)", h)?;
        let activation = activation_named(activation)?;
        let seed = self::seed(seed)?;
        let inner = network::Network::new(inputs, hidden, activation, seed).map_err(js_error)?;
        Ok(Network { inner })
    }

    /// m, the input size.
    #[wasm_bindgen(getter)]
    pub fn m(&self) -> usize {
        self.inner.inputs()
    }

    /// h, the number of hidden units.
    #[wasm_bindgen(getter)]
    pub fn h(&self) -> usize {
        self.inner.hidden()
    }

    /// The activation's name.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.inner.activation().name().to_string()
    }

    /// Replaces A (h·m numbers, row-major) and b (h numbers).
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(&mut self, a: JsValue, b: JsValue) -> Result<(), JsError> {
        let a = numbers("A", &a)?;
        let b = numbers("b", &b)?;
        self.inner.set_weights(&a, &b).map_err(js_error)
    }

    /// A copy of A, h·m numbers row-major.
    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Vec<f64> {
        self.inner.weights_a().to_vec()
    }

    /// A copy of b, h numbers.
    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Vec<f64> {
        self.inner.weights_b().to_vec()
    }

    /// The forward pass for one example: `{z1, z2, z3, z4, loss}`.
    pub fn forward(&self, x: JsValue, y: f64) -> Result<Object, JsError> {
        let x = numbers("x", &x)?;
        let forward = self.inner.forward(&x, y).map_err(js_error)?;
        Ok(Record::new()
            .vector("z1", &forward.z1)?
            .vector("z2", &forward.z2)?
            .number("z3", forward.z3)?
            .number("z4", forward.z4)?
            .number("loss", forward.loss)?
            .0)
    }

    /// The backward pass for one example: `{dA, db, dz1, dz2, dz3, dz4}` and the forward values.
    pub fn backward(&self, x: JsValue, y: f64) -> Result<Object, JsError> {
        let x = numbers("x", &x)?;
        let (forward, grads) = self.inner.backward(&x, y).map_err(js_error)?;
        Ok(Record::new()
            .vector("dA", &grads.da)?
            .vector("db", &grads.db)?
            .vector("dz1", &grads.dz1)?
            .vector("dz2", &grads.dz2)?
            .number("dz3", grads.dz3)?
            .number("dz4", grads.dz4)?
            .vector("z1", &forward.z1)?
            .vector("z2", &forward.z2)?
            .number("z3", forward.z3)?
            .number("z4", forward.z4)?
            .number("loss", forward.loss)?
            .0)
    }

    /// f(x) = bᵀσ(Ax) for one input.
    pub fn predict(&self, x: JsValue) -> Result<f64, JsError> {
        let x = numbers("x", &x)?;
        self.inner.predict(&x).map_err(js_error)
    }

    /// The mean loss over a batch: X holds n·m numbers row-major, Y holds n.
    #[wasm_bindgen(js_name = meanLoss)]
    pub fn mean_loss(&mut self, xs: JsValue, ys: JsValue) -> Result<f64, JsError> {
        let xs = numbers("X", &xs)?;
        let ys = numbers("Y", &ys)?;
        self.inner.mean_loss(&xs, &ys).map_err(js_error)
    }

    /// One full-batch gradient step on the mean loss; returns the mean loss before the step.
    pub fn step(&mut self, xs: JsValue, ys: JsValue, learning_rate: f64) -> Result<f64, JsError> {
        let xs = numbers("X", &xs)?;
        let ys = numbers("Y", &ys)?;
        self.inner.step(&xs, &ys, learning_rate).map_err(js_error)
    }
}

/// `activation(name, xs)`: the activation applied to each entry.
#[wasm_bindgen]
pub fn activation(name: &str, xs: JsValue) -> Result<Vec<f64>, JsError> {
    let activation = activation_named(name)?;
    Ok(numbers("xs", &xs)?
        .into_iter()
        .map(|x| activation.value(x))
        .collect())
}

/// `activationDerivative(name, xs)`: the activation's derivative at each entry.
#[wasm_bindgen(js_name = activationDerivative)]
pub fn activation_derivative(name: &str, xs: JsValue) -> Result<Vec<f64>, JsError> {
    let activation = activation_named(name)?;
    Ok(numbers("xs", &xs)?
        .into_iter()
        .map(|x| activation.derivative(x))
        .collect())
}

/// The names of every activation, in the page's order.
#[wasm_bindgen(js_name = activationNames)]
pub fn activation_names() -> Vec<String> {
    Activation::ALL
        .iter()
        .map(|a| a.name().to_string())
        .collect()
}

/// The |x| beyond which σ′ < 0.01: the edge of the shaded, saturated region.
#[wasm_bindgen(js_name = saturationEdge)]
pub fn saturation_edge() -> f64 {
    crate::activation::sigmoid_saturation_edge(activations::SATURATION_LEVEL)
}

/// The activations panel's chart state, owned by Rust.
#[wasm_bindgen]
pub struct ActivationPlot {
    chart: activations::ActivationChart,
    theme: Theme,
    plot_left: f64,
    plot_right: f64,
}

/// The x-range slider's limits: from ±2 to ±50.
pub const MIN_HALF_RANGE: f64 = 2.0;
pub const MAX_HALF_RANGE: f64 = 50.0;

#[wasm_bindgen]
impl ActivationPlot {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ActivationPlot {
        ActivationPlot {
            chart: activations::ActivationChart::default(),
            theme: Theme::default(),
            plot_left: 0.0,
            plot_right: 0.0,
        }
    }

    /// Which functions to draw, by name, in order.
    #[wasm_bindgen(js_name = setFunctions)]
    pub fn set_functions(&mut self, names: Vec<String>) -> Result<(), JsError> {
        let functions = names
            .iter()
            .map(|name| activation_named(name))
            .collect::<Result<Vec<_>, _>>()?;
        self.chart.functions = functions;
        Ok(())
    }

    #[wasm_bindgen(js_name = setDerivatives)]
    pub fn set_derivatives(&mut self, shown: bool) {
        self.chart.derivatives = shown;
    }

    #[wasm_bindgen(js_name = setNumerical)]
    pub fn set_numerical(&mut self, shown: bool) {
        self.chart.numerical = shown;
    }

    /// Sets the x-axis to ±half_range, clamped to 2..=50; returns the value used.
    #[wasm_bindgen(js_name = setHalfRange)]
    pub fn set_half_range(&mut self, half_range: f64) -> f64 {
        let half_range = if half_range.is_finite() {
            half_range.clamp(MIN_HALF_RANGE, MAX_HALF_RANGE)
        } else {
            self.chart.half_range
        };
        self.chart.half_range = half_range;
        half_range
    }

    /// Moves the probe to x (clamped to the axis); NaN hides it. Returns the x used.
    #[wasm_bindgen(js_name = setProbe)]
    pub fn set_probe(&mut self, x: f64) -> f64 {
        let range = self.chart.half_range;
        self.chart.probe = x.is_finite().then(|| x.clamp(-range, range));
        self.chart.probe.unwrap_or(f64::NAN)
    }

    /// The probe's x, or NaN when hidden.
    pub fn probe(&self) -> f64 {
        self.chart.probe.unwrap_or(f64::NAN)
    }

    /// Device pixels per CSS pixel and light or dark colours.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    /// Draws on the canvas, whose backing store the caller sized by devicePixelRatio.
    pub fn draw(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let width = canvas.width() as f64 / self.theme.pixel_ratio;
        let backend = CanvasBackend::with_canvas_object(canvas)
            .ok_or_else(|| JsError::new("the canvas has no 2D context"))?;
        let root = backend.into_drawing_area();
        let area = activations::draw(&root, &self.chart, &self.theme).map_err(js_error)?;
        let ratio = self.theme.pixel_ratio;
        self.plot_left = area.start as f64 / ratio;
        self.plot_right = (area.end as f64 / ratio).min(width);
        Ok(())
    }

    /// The x-value under a horizontal CSS-pixel offset in the last drawn canvas.
    #[wasm_bindgen(js_name = xAtPixel)]
    pub fn x_at_pixel(&self, css_x: f64) -> f64 {
        let span = self.plot_right - self.plot_left;
        if span <= 0.0 || !css_x.is_finite() {
            return 0.0;
        }
        let fraction = ((css_x - self.plot_left) / span).clamp(0.0, 1.0);
        let range = self.chart.half_range;
        -range + 2.0 * range * fraction
    }
}

impl Default for ActivationPlot {
    fn default() -> Self {
        Self::new()
    }
}
