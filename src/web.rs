//! Every export to JavaScript. Errors become JS `Error`s here, with a message that says what
//! was wrong and what is allowed; nothing in this module panics, so a bad argument can never
//! trap the WebAssembly instance and take the page down.

use crate::activation::Activation;
use crate::chain::{self, Chain, Init};
use crate::data::Shape;
use crate::explorer::{self, Bug, Explorer};
use crate::network::{self, NetworkError};
use crate::plot::history::{self, HistoryChart, Series};
use crate::plot::{activations, fit, graph, layers, saturation, PixelMap, Theme};
use crate::trainer::{BatchMode, Outcome, Settings, Source, Trainer};
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
    pixels: PixelMap,
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
            pixels: PixelMap::default(),
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
        let root = canvas_area(canvas)?;
        self.pixels = activations::draw(&root, &self.chart, &self.theme).map_err(js_error)?;
        Ok(())
    }

    /// The x-value under a horizontal CSS-pixel offset in the last drawn canvas.
    #[wasm_bindgen(js_name = xAtPixel)]
    pub fn x_at_pixel(&self, css_x: f64) -> f64 {
        self.pixels.x_at(css_x)
    }
}

impl Default for ActivationPlot {
    fn default() -> Self {
        Self::new()
    }
}

/// The training lab's state, owned by Rust: the network, the data (kept in WebAssembly
/// memory, so a training step copies nothing across the boundary) and the run's history.
#[wasm_bindgen]
pub struct TrainingLab {
    trainer: Trainer,
    theme: Theme,
    fit_pixels: PixelMap,
    loss_pixels: PixelMap,
    loss_cursor: Option<usize>,
    message: String,
    units_shown: bool,
    highlight: Option<usize>,
}

impl TrainingLab {
    fn change(&mut self, edit: impl FnOnce(&mut Settings)) -> Result<(), JsError> {
        let mut settings = self.trainer.settings().clone();
        edit(&mut settings);
        self.trainer.update(settings).map_err(js_error)?;
        self.loss_cursor = None;
        Ok(())
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

#[wasm_bindgen]
impl TrainingLab {
    /// A lab with the default settings: sine data, h = 8, sigmoid, learning rate 0.3.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<TrainingLab, JsError> {
        Ok(TrainingLab {
            trainer: Trainer::new(Settings::default()).map_err(js_error)?,
            theme: Theme::default(),
            fit_pixels: PixelMap::default(),
            loss_pixels: PixelMap::default(),
            loss_cursor: None,
            message: String::new(),
            units_shown: true,
            highlight: None,
        })
    }

    /// "sine", "step", "abs", "quadratic", "bump", or "custom" (the student's own points,
    /// starting from the ones shown now).
    #[wasm_bindgen(js_name = setDataset)]
    pub fn set_dataset(&mut self, name: &str) -> Result<(), JsError> {
        let source = if name == "custom" {
            self.trainer.use_custom_points();
            Source::Custom
        } else {
            Source::Generated(
                name.parse::<Shape>()
                    .map_err(|e| JsError::new(&format!("{e}, or \"custom\"")))?,
            )
        };
        self.change(|s| s.source = source)
    }

    #[wasm_bindgen(js_name = setCount)]
    pub fn set_count(&mut self, count: f64) -> Result<(), JsError> {
        let count = whole("the number of points", count)?;
        self.change(|s| s.count = count)
    }

    #[wasm_bindgen(js_name = setNoise)]
    pub fn set_noise(&mut self, noise: f64) -> Result<(), JsError> {
        self.change(|s| s.noise = noise)
    }

    #[wasm_bindgen(js_name = setSeed)]
    pub fn set_seed(&mut self, value: f64) -> Result<(), JsError> {
        let value = seed(value)?;
        self.change(|s| s.seed = value)
    }

    /// Whether each input gets a constant 1 appended: x = [x, 1].
    #[wasm_bindgen(js_name = setConstant)]
    pub fn set_constant(&mut self, on: bool) -> Result<(), JsError> {
        self.change(|s| s.constant = on)
    }

    #[wasm_bindgen(js_name = setHidden)]
    pub fn set_hidden(&mut self, hidden: f64) -> Result<(), JsError> {
        let hidden = whole("the number of hidden units", hidden)?;
        self.change(|s| s.hidden = hidden)
    }

    #[wasm_bindgen(js_name = setActivation)]
    pub fn set_activation(&mut self, name: &str) -> Result<(), JsError> {
        let activation = activation_named(name)?;
        self.change(|s| s.activation = activation)
    }

    /// Keeps the weights: rates can be compared mid-run.
    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), JsError> {
        self.change(|s| s.learning_rate = rate)
    }

    /// "full", "mini" (with `size` points per step) or "single".
    #[wasm_bindgen(js_name = setBatch)]
    pub fn set_batch(&mut self, mode: &str, size: f64) -> Result<(), JsError> {
        let batch = match mode {
            "full" => BatchMode::Full,
            "single" => BatchMode::Single,
            "mini" => BatchMode::Mini(whole("the mini-batch size", size)?),
            other => {
                return Err(JsError::new(&format!(
                    "unknown batch mode \"{other}\"; valid modes are \"full\", \"mini\", \"single\""
                )))
            }
        };
        self.change(|s| s.batch = batch)
    }

    #[wasm_bindgen(js_name = setInitScale)]
    pub fn set_init_scale(&mut self, scale: f64) -> Result<(), JsError> {
        self.change(|s| s.init_scale = scale)
    }

    /// Fresh weights from the seed; the data stay and the old run becomes a faded curve.
    pub fn reset(&mut self) {
        self.trainer.restart();
        self.loss_cursor = None;
        self.message.clear();
    }

    /// Runs up to `steps` steps. Returns "trained", "no-data" or "diverged" (then `message`
    /// explains, and the last good weights are back).
    pub fn train(&mut self, steps: f64) -> Result<String, JsError> {
        let steps = whole("the number of steps", steps)? as u64;
        Ok(match self.trainer.train(steps) {
            Outcome::Trained => "trained",
            Outcome::NoData => {
                self.message =
                    "There are no points to learn from yet: click on the fit plot to add some."
                        .into();
                "no-data"
            }
            Outcome::Diverged(message) => {
                self.message = message;
                "diverged"
            }
        }
        .to_string())
    }

    /// The explanation of the last "diverged" or "no-data".
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.message.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> f64 {
        self.trainer.steps() as f64
    }

    /// Mean loss on the training points now.
    #[wasm_bindgen(js_name = trainLoss)]
    pub fn train_loss(&mut self) -> f64 {
        self.trainer.train_loss()
    }

    /// Mean loss on the test points now (NaN for the student's own points: no test set).
    #[wasm_bindgen(js_name = testLoss)]
    pub fn test_loss(&mut self) -> f64 {
        self.trainer.test_loss()
    }

    /// [‖∂L/∂A‖, ‖∂L/∂b‖] of the gradient the last step used.
    #[wasm_bindgen(js_name = gradientNorms)]
    pub fn gradient_norms(&self) -> Vec<f64> {
        let (a, b) = self.trainer.network().last_gradient_norms();
        vec![a, b]
    }

    /// The share of (unit, training point) pairs where the activation's slope is below 0.01.
    #[wasm_bindgen(js_name = saturatedShare)]
    pub fn saturated_share(&self) -> f64 {
        self.trainer
            .network()
            .saturated_share(self.trainer.train_inputs(), activations::SATURATION_LEVEL)
    }

    #[wasm_bindgen(js_name = trainCount)]
    pub fn train_count(&self) -> usize {
        self.trainer.train_points().len()
    }

    #[wasm_bindgen(js_name = testCount)]
    pub fn test_count(&self) -> usize {
        self.trainer.test_points().len()
    }

    /// h, the number of hidden units of the current network.
    #[wasm_bindgen(getter)]
    pub fn hidden(&self) -> usize {
        self.trainer.network().hidden()
    }

    /// Adds a point where the fit plot was clicked (CSS pixels); false if outside the plot.
    #[wasm_bindgen(js_name = addPointAtPixel)]
    pub fn add_point_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !self.fit_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        self.switch_to_custom()?;
        let (x, y) = (self.fit_pixels.x_at(css_x), self.fit_pixels.y_at(css_y));
        self.trainer.add_point(x, y).map_err(js_error)?;
        Ok(true)
    }

    /// Removes the point nearest a click on the fit plot, if one is within 12 CSS pixels.
    #[wasm_bindgen(js_name = removePointAtPixel)]
    pub fn remove_point_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !self.fit_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        self.switch_to_custom()?;
        let map = &self.fit_pixels;
        let (x, y) = (map.x_at(css_x), map.y_at(css_y));
        Ok(self
            .trainer
            .remove_point_near(x, y, 12.0 * map.x_per_pixel(), map.y_per_x()))
    }

    fn switch_to_custom(&mut self) -> Result<(), JsError> {
        if self.trainer.settings().source != Source::Custom {
            self.set_dataset("custom")?;
        }
        Ok(())
    }

    /// Adds the point (x, y) to the student's own points (switching to them if needed).
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        self.switch_to_custom()?;
        self.trainer.add_point(x, y).map_err(js_error)
    }

    /// The student's own points as [x1, y1, x2, y2, …].
    #[wasm_bindgen(js_name = customPoints)]
    pub fn custom_points(&self) -> Vec<f64> {
        let points = self.trainer.custom_points();
        points
            .xs
            .iter()
            .zip(&points.ys)
            .flat_map(|(&x, &y)| [x, y])
            .collect()
    }

    /// Removes all of the student's own points.
    #[wasm_bindgen(js_name = clearPoints)]
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        self.switch_to_custom()?;
        self.trainer.clear_custom_points();
        Ok(())
    }

    /// Show or hide the hidden units' faint curves on the fit plot.
    #[wasm_bindgen(js_name = setUnitsShown)]
    pub fn set_units_shown(&mut self, shown: bool) {
        self.units_shown = shown;
    }

    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    /// Draws the data, f(x) and the units' curves; returns how many unit curves are visible.
    #[wasm_bindgen(js_name = drawFit)]
    pub fn draw_fit(&mut self, canvas: HtmlCanvasElement) -> Result<usize, JsError> {
        let root = canvas_area(canvas)?;
        let trainer = &self.trainer;
        let input = |x: f64| trainer.input_for(x);
        let chart = fit::FitChart {
            network: trainer.network(),
            train: trainer.train_points(),
            test: trainer.test_points(),
            input: &input,
            units: self.units_shown,
            highlight: self.highlight,
        };
        let drawn = fit::draw(&root, &chart, &self.theme).map_err(js_error)?;
        self.fit_pixels = drawn.pixels;
        Ok(drawn.unit_curves)
    }

    /// Train and test loss against steps, with the last few runs faded behind.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let history = self.trainer.history();
        let foreground = self.theme.foreground();
        let mut series: Vec<Series> = self
            .trainer
            .past_runs()
            .map(|run| Series {
                steps: &run.steps,
                values: &run.train_loss,
                color: foreground,
                dashed: false,
                faded: true,
                label: run.label.clone(),
            })
            .collect();
        series.push(Series {
            steps: &history.steps,
            values: &history.train_loss,
            color: foreground,
            dashed: false,
            faded: false,
            label: "train".into(),
        });
        if !self.trainer.test_points().is_empty() {
            series.push(Series {
                steps: &history.steps,
                values: &history.test_loss,
                color: foreground,
                dashed: true,
                faded: false,
                label: "test".into(),
            });
        }
        let cursor = self.loss_cursor.and_then(|i| history.steps.get(i).copied());
        let chart = HistoryChart {
            series,
            cursor,
            y_name: "mean loss",
            x_name: "steps",
            x_divisor: 0.0,
            legend_bottom: false,
        };
        self.loss_pixels = history::draw(&root, &chart, &self.theme)
            .map_err(js_error)?
            .with_log_y();
        Ok(())
    }

    /// ‖∂L/∂A‖ and ‖∂L/∂b‖ against steps.
    #[wasm_bindgen(js_name = drawGradients)]
    pub fn draw_gradients(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let history = self.trainer.history();
        let color = self.theme.gradient();
        // Step 0 has no gradient yet: start from the first step.
        let from = usize::from(history.steps.first() == Some(&0)).min(history.len());
        let chart = HistoryChart {
            series: vec![
                Series {
                    steps: &history.steps[from..],
                    values: &history.grad_a_norm[from..],
                    color,
                    dashed: false,
                    faded: false,
                    label: "‖∂L/∂A‖".into(),
                },
                Series {
                    steps: &history.steps[from..],
                    values: &history.grad_b_norm[from..],
                    color,
                    dashed: true,
                    faded: false,
                    label: "‖∂L/∂b‖".into(),
                },
            ],
            cursor: self.loss_cursor.and_then(|i| history.steps.get(i).copied()),
            y_name: "gradient norm",
            x_name: "steps",
            x_divisor: 0.0,
            legend_bottom: false,
        };
        history::draw(&root, &chart, &self.theme).map_err(js_error)?;
        Ok(())
    }

    /// The histogram of hidden pre-activations over the activation's derivative.
    #[wasm_bindgen(js_name = drawSaturation)]
    pub fn draw_saturation(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        saturation::draw(
            &root,
            self.trainer.network(),
            self.trainer.train_inputs(),
            &self.theme,
        )
        .map_err(js_error)
    }

    /// Points the loss chart's cursor at the history entry under a CSS-pixel x (or at
    /// `index` directly when css_x is NaN); returns the entry's index, or -1 without history.
    #[wasm_bindgen(js_name = setLossCursor)]
    pub fn set_loss_cursor(&mut self, css_x: f64, index: f64) -> i32 {
        let history = self.trainer.history();
        if history.is_empty() {
            self.loss_cursor = None;
            return -1;
        }
        let last = history.len() - 1;
        let chosen = if css_x.is_finite() {
            let step = self.loss_pixels.x_at(css_x);
            let i = history
                .steps
                .partition_point(|&s| (s as f64) < step)
                .min(last);
            // The nearer of the two neighbours.
            if i > 0 && (history.steps[i] as f64 - step) > (step - history.steps[i - 1] as f64) {
                i - 1
            } else {
                i
            }
        } else if index.is_finite() {
            index.clamp(0.0, last as f64) as usize
        } else {
            self.loss_cursor = None;
            return -1;
        };
        self.loss_cursor = Some(chosen);
        chosen as i32
    }

    /// [step, train loss, test loss] of history entry `index` (NaNs if there is none).
    #[wasm_bindgen(js_name = historyEntry)]
    pub fn history_entry(&self, index: usize) -> Vec<f64> {
        let history = self.trainer.history();
        match history.steps.get(index) {
            Some(&step) => vec![
                step as f64,
                history.train_loss[index],
                history.test_loss[index],
            ],
            None => vec![f64::NAN; 3],
        }
    }

    /// A copy of the network's A (h·m numbers, row-major).
    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Vec<f64> {
        self.trainer.network().weights_a().to_vec()
    }

    /// A copy of the network's b (h numbers).
    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Vec<f64> {
        self.trainer.network().weights_b().to_vec()
    }

    /// Starts a new run from the given A (h·m numbers, row-major) and b (h numbers), which must
    /// fit the current h and m.
    #[wasm_bindgen(js_name = loadWeights)]
    pub fn load_weights(&mut self, a: JsValue, b: JsValue) -> Result<(), JsError> {
        let a = numbers("A", &a)?;
        let b = numbers("b", &b)?;
        self.trainer.load_weights(&a, &b).map_err(js_error)?;
        self.loss_cursor = None;
        Ok(())
    }

    /// m: 2 with the constant input (x = [x, 1]), else 1.
    #[wasm_bindgen(getter)]
    pub fn inputs(&self) -> usize {
        self.trainer.input_len()
    }

    /// The activation's name.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.trainer.network().activation().name().to_string()
    }

    /// [x, y] of training point `index` ([NaN, NaN] if there is none).
    #[wasm_bindgen(js_name = trainPoint)]
    pub fn train_point(&self, index: usize) -> Vec<f64> {
        let points = self.trainer.train_points();
        match (points.xs.get(index), points.ys.get(index)) {
            (Some(&x), Some(&y)) => vec![x, y],
            _ => vec![f64::NAN, f64::NAN],
        }
    }

    /// How many entries the history holds.
    #[wasm_bindgen(js_name = historyLength)]
    pub fn history_length(&self) -> usize {
        self.trainer.history().len()
    }
}

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

    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Vec<f64> {
        self.inner.network.weights_a().to_vec()
    }

    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Vec<f64> {
        self.inner.network.weights_b().to_vec()
    }
}

/// The backprop explorer's state: one example on a copy of the training lab's network.
#[wasm_bindgen]
pub struct BackpropExplorer {
    explorer: Explorer,
    theme: Theme,
    /// The chosen training point, or None for a typed example.
    example: Option<usize>,
    x: f64,
    y: f64,
    data_pixels: PixelMap,
}

impl BackpropExplorer {
    fn rebuild(&mut self, lab: &TrainingLab) -> Result<(), JsError> {
        let trainer = &lab.trainer;
        if let Some(i) = self.example {
            match (
                trainer.train_points().xs.get(i),
                trainer.train_points().ys.get(i),
            ) {
                (Some(&x), Some(&y)) => (self.x, self.y) = (x, y),
                _ => self.example = None,
            }
        }
        let m = trainer.input_len();
        let input = trainer.input_for(self.x);
        self.explorer = Explorer::new(trainer.network(), &input[..m], self.y).map_err(js_error)?;
        Ok(())
    }
}

#[wasm_bindgen]
impl BackpropExplorer {
    /// An explorer on the lab's current network and its first training point.
    #[wasm_bindgen(constructor)]
    pub fn new(lab: &TrainingLab) -> Result<BackpropExplorer, JsError> {
        let trainer = &lab.trainer;
        let input = trainer.input_for(0.5);
        let explorer = Explorer::new(trainer.network(), &input[..trainer.input_len()], 0.5)
            .map_err(js_error)?;
        let mut this = BackpropExplorer {
            explorer,
            theme: Theme::default(),
            example: Some(0),
            x: 0.5,
            y: 0.5,
            data_pixels: PixelMap::default(),
        };
        this.rebuild(lab)?;
        Ok(this)
    }

    /// Takes the lab's current weights and data; the pass starts again.
    pub fn load(&mut self, lab: &TrainingLab) -> Result<(), JsError> {
        self.rebuild(lab)
    }

    /// Uses training point `index`.
    #[wasm_bindgen(js_name = chooseExample)]
    pub fn choose_example(&mut self, lab: &TrainingLab, index: f64) -> Result<(), JsError> {
        let count = lab.trainer.train_points().len();
        let index = whole("the example's index", index)?;
        if index >= count {
            return Err(JsError::new(&format!(
                "there are {count} training points, so the index must be below {count}"
            )));
        }
        self.example = Some(index);
        self.rebuild(lab)
    }

    /// Uses a typed example (x, y); x is the scalar input (the constant 1 is added as in the lab).
    #[wasm_bindgen(js_name = setExample)]
    pub fn set_example(&mut self, lab: &TrainingLab, x: f64, y: f64) -> Result<(), JsError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(JsError::new("x and y must be finite numbers"));
        }
        self.example = None;
        (self.x, self.y) = (x, y);
        self.rebuild(lab)
    }

    /// Chooses the training point nearest a click on the data plot; false if none.
    #[wasm_bindgen(js_name = chooseAtPixel)]
    pub fn choose_at_pixel(
        &mut self,
        lab: &TrainingLab,
        css_x: f64,
        css_y: f64,
    ) -> Result<bool, JsError> {
        if !self.data_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        let map = &self.data_pixels;
        match lab
            .trainer
            .nearest_point(map.x_at(css_x), map.y_at(css_y), map.y_per_x())
        {
            Some(index) => {
                self.example = Some(index);
                self.rebuild(lab)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The chosen training point's index, or -1 for a typed example.
    #[wasm_bindgen(getter)]
    pub fn example(&self) -> i32 {
        self.example.map_or(-1, |i| i as i32)
    }

    #[wasm_bindgen(js_name = forwardStep)]
    pub fn forward_step(&mut self) -> bool {
        self.explorer.forward_step()
    }

    #[wasm_bindgen(js_name = backwardStep)]
    pub fn backward_step(&mut self) -> bool {
        self.explorer.backward_step()
    }

    #[wasm_bindgen(js_name = runAll)]
    pub fn run_all(&mut self) {
        self.explorer.run_all()
    }

    #[wasm_bindgen(js_name = resetPass)]
    pub fn reset_pass(&mut self) {
        self.explorer.reset_pass()
    }

    /// How far the pass has got: "start", "z1" … "L", "dz4" … "dA".
    #[wasm_bindgen(getter)]
    pub fn stage(&self) -> String {
        self.explorer.stage().name().to_string()
    }

    /// Every value of the example's pass (revealed or not) and the weights, as plain numbers:
    /// {x, y, A, b, h, m, activation, z1, z2, z3, z4, loss, dz4, dz3, db, dz2, dz1, dA}.
    pub fn values(&self) -> Result<Object, JsError> {
        let e = &self.explorer;
        let (f, g, net) = (e.forward(), e.gradients(), e.network());
        Ok(Record::new()
            .vector("x", e.x())?
            .number("y", e.y())?
            .vector("A", net.weights_a())?
            .vector("b", net.weights_b())?
            .number("h", net.hidden() as f64)?
            .number("m", net.inputs() as f64)?
            .value("activation", &JsValue::from_str(net.activation().name()))?
            .vector("z1", &f.z1)?
            .vector("z2", &f.z2)?
            .number("z3", f.z3)?
            .number("z4", f.z4)?
            .number("loss", f.loss)?
            .number("dz4", g.dz4)?
            .number("dz3", g.dz3)?
            .vector("db", &g.db)?
            .vector("dz2", &g.dz2)?
            .vector("dz1", &g.dz1)?
            .vector("dA", &g.da)?
            .0)
    }

    /// θ ← θ − lr·∂L/∂θ for this example, on the lab's network; returns [loss before, after].
    pub fn update(
        &mut self,
        lab: &mut TrainingLab,
        learning_rate: f64,
    ) -> Result<Vec<f64>, JsError> {
        let network = lab.trainer.network_mut();
        let (before, after) = self
            .explorer
            .update(network, learning_rate)
            .map_err(js_error)?;
        Ok(vec![before, after])
    }

    /// The gradient check with a planted bug ("none", "forget-derivative", "forget-minus-one",
    /// "x-not-transposed"): {rows: [{parameter, backprop, numeric, error}], largest}.
    #[wasm_bindgen(js_name = gradientCheck)]
    pub fn gradient_check(&self, bug: &str) -> Result<Object, JsError> {
        let bug = Bug::from_name(bug).ok_or_else(|| {
            let names: Vec<_> = Bug::ALL
                .iter()
                .map(|b| format!("\"{}\"", b.name()))
                .collect();
            JsError::new(&format!(
                "unknown bug \"{bug}\"; valid names are {}",
                names.join(", ")
            ))
        })?;
        let e = &self.explorer;
        let check = explorer::gradient_check(e.network(), e.x(), e.y(), bug).map_err(js_error)?;
        let rows = Array::new();
        for row in &check.rows {
            let record = Record::new()
                .value("parameter", &JsValue::from_str(&row.parameter))?
                .number("backprop", row.backprop)?
                .number("numeric", row.numeric)?
                .number("error", row.relative_error)?;
            rows.push(&record.0);
        }
        Ok(Record::new()
            .value("rows", &rows)?
            .number("largest", check.largest)?
            .0)
    }

    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    #[wasm_bindgen(js_name = drawGraph)]
    pub fn draw_graph(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        graph::draw(&root, &self.explorer, &self.theme).map_err(js_error)
    }

    /// The training data and f(x), with the chosen example ringed; click to choose another.
    #[wasm_bindgen(js_name = drawData)]
    pub fn draw_data(
        &mut self,
        canvas: HtmlCanvasElement,
        lab: &TrainingLab,
    ) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let trainer = &lab.trainer;
        let input = |x: f64| trainer.input_for(x);
        let chart = fit::FitChart {
            network: trainer.network(),
            train: trainer.train_points(),
            test: &crate::data::Points::default(),
            input: &input,
            units: false,
            highlight: self.example,
        };
        self.data_pixels = fit::draw(&root, &chart, &self.theme)
            .map_err(js_error)?
            .pixels;
        Ok(())
    }
}

/// Weight scales of the vanishing panel's study, ×0.1 to ×30 on a log scale.
fn study_scales() -> Vec<f64> {
    (0..=48)
        .map(|i| 0.1 * 300f64.powf(i as f64 / 48.0))
        .collect()
}

/// The vanishing-gradient panel: a deep chain on the training lab's data.
#[wasm_bindgen]
pub struct VanishingLab {
    chain: Chain,
    init: Init,
    xs: Vec<f64>,
    ys: Vec<f64>,
    norms: Vec<f64>,
    moved: Option<Vec<f64>>,
    theme: Theme,
}

impl VanishingLab {
    fn labels(&self) -> Vec<String> {
        (1..=self.chain.depth())
            .map(|l| l.to_string())
            .chain(["b".to_string()])
            .collect()
    }
}

#[wasm_bindgen]
impl VanishingLab {
    /// A chain of 6 sigmoid layers of 16 units with small initial weights, on the lab's data.
    #[wasm_bindgen(constructor)]
    pub fn new(lab: &TrainingLab) -> Result<VanishingLab, JsError> {
        let mut this = VanishingLab {
            chain: Chain::new(
                lab.trainer.input_len(),
                6,
                16,
                Activation::Sigmoid,
                Init::Small,
                1,
            ),
            init: Init::Small,
            xs: Vec::new(),
            ys: Vec::new(),
            norms: Vec::new(),
            moved: None,
            theme: Theme::default(),
        };
        this.load_data(lab);
        Ok(this)
    }

    /// Takes the lab's current training points (and its constant-input setting).
    #[wasm_bindgen(js_name = loadData)]
    pub fn load_data(&mut self, lab: &TrainingLab) {
        self.xs = lab.trainer.train_inputs().to_vec();
        self.ys = lab.trainer.train_points().ys.clone();
        let inputs = lab.trainer.input_len();
        if inputs != self.chain.inputs {
            let c = &self.chain;
            self.chain = Chain::new(inputs, c.depth(), c.width, c.activation, self.init, 1);
        }
        self.refresh();
    }

    fn refresh(&mut self) {
        let gradient = self.chain.mean_gradient(&self.xs, &self.ys);
        self.norms = self.chain.layer_norms(&gradient);
        self.moved = None;
    }

    /// Rebuilds the chain: depth 1 to 20, width 2 to 32, an activation, "small", "xavier" or
    /// "he", and residual connections on or off.
    pub fn configure(
        &mut self,
        depth: f64,
        width: f64,
        activation: &str,
        init: &str,
        residual: bool,
    ) -> Result<(), JsError> {
        let depth = whole("the depth", depth)?;
        let width = whole("the width", width)?;
        let (lo, hi) = chain::DEPTH_RANGE;
        if !(lo..=hi).contains(&depth) {
            return Err(JsError::new(&format!(
                "the depth must be from {lo} to {hi}, got {depth}"
            )));
        }
        let (lo, hi) = chain::WIDTH_RANGE;
        if !(lo..=hi).contains(&width) {
            return Err(JsError::new(&format!(
                "the width must be from {lo} to {hi}, got {width}"
            )));
        }
        let activation = activation_named(activation)?;
        let init = Init::from_name(init).ok_or_else(|| {
            JsError::new(&format!(
                "unknown initialisation \"{init}\"; valid names are \"small\", \"xavier\", \"he\""
            ))
        })?;
        self.init = init;
        self.chain = Chain::new(self.chain.inputs, depth, width, activation, init, 1);
        self.chain.residual = residual;
        self.refresh();
        Ok(())
    }

    /// ‖∂L/∂W_l‖ for l = 1..L, then ‖∂L/∂b‖ (gradient of the mean loss over the data).
    #[wasm_bindgen(js_name = layerNorms)]
    pub fn layer_norms(&self) -> Vec<f64> {
        self.norms.clone()
    }

    /// 200 full-batch steps at `learning_rate` on a copy of the freshly initialised chain;
    /// returns each layer's relative weight change. The gradient bars keep showing the
    /// gradient at initialisation, where the question is asked.
    pub fn train(&mut self, learning_rate: f64) -> Result<Vec<f64>, JsError> {
        network::check_learning_rate(learning_rate).map_err(js_error)?;
        let mut copy = self.chain.clone();
        let moved = copy.train(&self.xs, &self.ys, 200, learning_rate);
        self.moved = Some(moved.clone());
        Ok(moved)
    }

    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    /// The bars of ‖∂L/∂W_l‖, with 0.25^(L−l) (scaled to the last layer) for the sigmoid.
    #[wasm_bindgen(js_name = drawNorms)]
    pub fn draw_norms(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let depth = self.chain.depth();
        let labels = self.labels();
        let bound: Vec<f64> = (0..=depth)
            .map(|l| {
                self.norms[depth - 1] * 0.25f64.powi(depth as i32 - 1 - l.min(depth - 1) as i32)
            })
            .take(depth)
            .collect();
        let sigmoid = self.chain.activation == Activation::Sigmoid && !self.chain.residual;
        let chart = layers::LayerChart {
            values: &self.norms,
            labels: &labels,
            color: self.theme.gradient(),
            reference: sigmoid.then_some((&bound[..], "0.25^(L−l) × last layer")),
            y_name: "‖∂L/∂W‖",
            x_name: "layer (b: output weights)",
        };
        layers::draw(&root, &chart, &self.theme).map_err(js_error)
    }

    /// How much each layer moved in the last `train` (nothing before it).
    #[wasm_bindgen(js_name = drawMoved)]
    pub fn draw_moved(&self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let labels = self.labels();
        let empty = vec![];
        let chart = layers::LayerChart {
            values: self.moved.as_ref().unwrap_or(&empty),
            labels: &labels,
            color: self.theme.activation(self.chain.activation),
            reference: None,
            y_name: "‖ΔW‖ / ‖W‖",
            x_name: "layer (b: output weights)",
        };
        layers::draw(&root, &chart, &self.theme).map_err(js_error)
    }

    /// [‖∂L/∂A‖, ‖∂L/∂b‖] for the lab's network with A multiplied by `scale`.
    #[wasm_bindgen(js_name = scaleNorms)]
    pub fn scale_norms(&self, lab: &TrainingLab, scale: f64) -> Result<Vec<f64>, JsError> {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(JsError::new("the scale must be a positive number"));
        }
        let t = &lab.trainer;
        let (a, b) = chain::weight_scale_study(
            t.network(),
            t.train_inputs(),
            &t.train_points().ys,
            &[scale],
        )[0];
        Ok(vec![a, b])
    }

    /// ‖∂L/∂A‖ and ‖∂L/∂b‖ against the scale of A, ×0.1 to ×30, with the current scale marked.
    #[wasm_bindgen(js_name = drawScale)]
    pub fn draw_scale(
        &self,
        canvas: HtmlCanvasElement,
        lab: &TrainingLab,
        scale: f64,
    ) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let t = &lab.trainer;
        let scales = study_scales();
        let study =
            chain::weight_scale_study(t.network(), t.train_inputs(), &t.train_points().ys, &scales);
        // x holds the scale in hundredths so the chart's whole-number axis can show it.
        let xs: Vec<u64> = scales.iter().map(|s| (s * 100.0).round() as u64).collect();
        let (grad_a, grad_b): (Vec<f64>, Vec<f64>) = study.into_iter().unzip();
        let color = self.theme.gradient();
        let cursor = xs
            .iter()
            .min_by(|a, b| {
                ((**a as f64 / 100.0) - scale)
                    .abs()
                    .total_cmp(&((**b as f64 / 100.0) - scale).abs())
            })
            .copied();
        let chart = HistoryChart {
            series: vec![
                Series {
                    steps: &xs,
                    values: &grad_a,
                    color,
                    dashed: false,
                    faded: false,
                    label: "‖∂L/∂A‖".into(),
                },
                Series {
                    steps: &xs,
                    values: &grad_b,
                    color,
                    dashed: true,
                    faded: false,
                    label: "‖∂L/∂b‖".into(),
                },
            ],
            cursor,
            y_name: "gradient norm",
            x_name: "A multiplied by",
            x_divisor: 100.0,
            legend_bottom: true,
        };
        history::draw(&root, &chart, &self.theme).map_err(js_error)?;
        Ok(())
    }
}

/// The cost panel: the work of three ways to the full gradient, measured by the instrumented
/// chain, for the two-layer network (m, h) and a deep chain (L layers of w units).
#[wasm_bindgen]
pub struct CostLab {
    theme: Theme,
}

/// Above this many multiply-adds the slow methods are not run: their counts come from the
/// closed forms (which the tests check against the instrumented code).
const MEASURE_LIMIT: u64 = 20_000_000;

fn fan_ins(inputs: usize, depth: usize, width: usize) -> Vec<usize> {
    (0..depth)
        .map(|l| if l == 0 { inputs } else { width })
        .collect()
}

#[wasm_bindgen]
impl CostLab {
    #[wasm_bindgen(constructor)]
    pub fn new() -> CostLab {
        CostLab {
            theme: Theme::default(),
        }
    }

    /// Counts for a chain (depth 1 is the worksheet's network): {parameters, forward,
    /// backprop, finiteDifferences, chainRule, backpropPasses, finitePasses, chainRulePasses,
    /// measured} where `measured` says whether the slow methods were run (else: formulas).
    pub fn count(&self, inputs: f64, depth: f64, width: f64) -> Result<Object, JsError> {
        let inputs = size("m (the input size)", inputs)?;
        let depth = whole("the depth", depth)?.clamp(1, chain::DEPTH_RANGE.1);
        let width = size("the width", width)?;
        let fans = fan_ins(inputs, depth, width);
        let mut chain = Chain::new(inputs, depth, width, Activation::Sigmoid, Init::Xavier, 1);
        let x = vec![0.5; inputs];
        let parameters = chain.parameter_count() as u64;
        chain.backprop(&x, 0.3);
        let backprop = chain.multiply_adds;
        let affordable = chain::counts::finite_differences(&fans, width) <= MEASURE_LIMIT
            && chain::counts::chain_rule(&fans, width) <= MEASURE_LIMIT;
        let (finite, chain_rule) = if affordable {
            chain.multiply_adds = 0;
            chain.finite_differences(&x, 0.3);
            let finite = chain.multiply_adds;
            chain.multiply_adds = 0;
            chain.chain_rule_per_parameter(&x, 0.3);
            (finite, chain.multiply_adds)
        } else {
            (
                chain::counts::finite_differences(&fans, width),
                chain::counts::chain_rule(&fans, width),
            )
        };
        Ok(Record::new()
            .number("parameters", parameters as f64)?
            .number("forward", chain::counts::forward(&fans, width) as f64)?
            .number("backprop", backprop as f64)?
            .number("finiteDifferences", finite as f64)?
            .number("chainRule", chain_rule as f64)?
            .number("backpropPasses", 2.0)?
            .number("finitePasses", 2.0 * parameters as f64)?
            .number(
                "chainRulePasses",
                2.0 * (parameters - width as u64) as f64 + width as f64,
            )?
            .value("measured", &JsValue::from_bool(affordable))?
            .0)
    }

    /// Times the full gradient of a chain in this browser: backprop (repeated to fill ~30 ms)
    /// and finite differences (on at most 2,000 parameters, scaled up to all of them).
    /// Returns [backprop ms, finite-difference ms, parameters timed by finite differences].
    pub fn time(&self, inputs: f64, depth: f64, width: f64) -> Result<Vec<f64>, JsError> {
        let inputs = size("m (the input size)", inputs)?;
        let depth = whole("the depth", depth)?.clamp(1, chain::DEPTH_RANGE.1);
        let width = size("the width", width)?;
        let mut chain = Chain::new(inputs, depth, width, Activation::Sigmoid, Init::Xavier, 1);
        let x = vec![0.5; inputs];
        let now = || js_sys::Date::now();
        let started = now();
        let mut repeats = 0u32;
        while repeats < 3 || now() - started < 30.0 {
            chain.backprop(&x, 0.3);
            repeats += 1;
        }
        let backprop_ms = (now() - started) / repeats as f64;
        let parameters = chain.parameter_count();
        let sample = parameters.min(2_000);
        let started = now();
        let mut rounds = 0u32;
        while rounds < 1 || now() - started < 30.0 {
            for i in 0..sample {
                chain.finite_difference(i * parameters / sample, &x, 0.3);
            }
            rounds += 1;
        }
        let finite_ms = (now() - started) / rounds as f64 * parameters as f64 / sample as f64;
        Ok(vec![backprop_ms, finite_ms, sample as f64])
    }

    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    /// Multiply-adds of the three methods against h (1 to 64) for the worksheet's network, or
    /// against the depth L (1 to 20) for width w, from the closed forms; `marked` is the
    /// current h or L.
    #[wasm_bindgen(js_name = drawCounts)]
    pub fn draw_counts(
        &self,
        canvas: HtmlCanvasElement,
        inputs: f64,
        against_depth: bool,
        width: f64,
        marked: f64,
    ) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        let inputs = size("m (the input size)", inputs)?;
        let width = size("the width", width)?;
        let range: Vec<u64> = if against_depth {
            (1..=20).collect()
        } else {
            (1..=64).collect()
        };
        let fans = |v: u64| {
            if against_depth {
                fan_ins(inputs, v as usize, width)
            } else {
                vec![inputs]
            }
        };
        let w = |v: u64| if against_depth { width } else { v as usize };
        let series_of = |count: fn(&[usize], usize) -> u64| -> Vec<f64> {
            range
                .iter()
                .map(|&v| count(&fans(v), w(v)) as f64)
                .collect()
        };
        let finite = series_of(chain::counts::finite_differences);
        let naive = series_of(chain::counts::chain_rule);
        let backprop = series_of(chain::counts::backprop);
        let chart = HistoryChart {
            series: vec![
                Series {
                    steps: &range,
                    values: &finite,
                    color: self.theme.activation(Activation::Relu),
                    dashed: false,
                    faded: false,
                    label: "finite differences".into(),
                },
                Series {
                    steps: &range,
                    values: &naive,
                    color: self.theme.activation(Activation::LeakyRelu),
                    dashed: true,
                    faded: false,
                    label: "chain rule per parameter".into(),
                },
                Series {
                    steps: &range,
                    values: &backprop,
                    color: self.theme.activation(Activation::Tanh),
                    dashed: false,
                    faded: false,
                    label: "backpropagation".into(),
                },
            ],
            cursor: marked.is_finite().then_some(marked.max(1.0) as u64),
            y_name: "multiply-adds",
            x_name: if against_depth {
                "layers L"
            } else {
                "hidden units h"
            },
            x_divisor: 0.0,
            legend_bottom: true,
        };
        history::draw(&root, &chart, &self.theme).map_err(js_error)?;
        Ok(())
    }
}

impl Default for CostLab {
    fn default() -> Self {
        Self::new()
    }
}
