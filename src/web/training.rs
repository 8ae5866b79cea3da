//! The training lab: network, data and history, shared with the other panels.

use super::{activation_named, canvas_area, js_error, numbers, seed, whole};
use crate::data::Shape;
use crate::plot::history::{self, HistoryChart, Series};
use crate::plot::{activations, fit, saturation, PixelMap, Theme};
use crate::trainer::{BatchMode, Outcome, Settings, Source, Trainer};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The training lab's state, owned by Rust: the network, the data (kept in WebAssembly
/// memory, so a training step copies nothing across the boundary) and the run's history.
#[wasm_bindgen]
pub struct TrainingLab {
    pub(super) trainer: Trainer,
    theme: Theme,
    fit_pixels: PixelMap,
    loss_pixels: PixelMap,
    loss_cursor: Option<usize>,
    message: String,
    units_shown: bool,
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
            highlight: None,
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
