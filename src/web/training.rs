//! The training lab: the network, the data and the run's history, shared with the other panels.

use super::args::{numbers, text, whole};
use super::network::activation_named;
use super::still::StillLayer;
use super::{args, canvas_area, Record, Shared};
use crate::activation::SATURATION_LEVEL;
use crate::handfit::{self, Handle, Handles};
use crate::plot::lines::{self, LineChart};
use crate::plot::{fit, saturation, training, PixelMap, Theme};
use crate::trainer::{
    BatchMode, Outcome, Settings, Source, Trainer, COUNT_RANGE, HIDDEN_RANGE, MAX_CUSTOM_POINTS,
    SEED_RANGE,
};
use crate::weights_file::{self, Weights};
use js_sys::{JsString, Object};
use wasm_bindgen::prelude::*;

/// The training lab's state, owned by Rust: the network, the data (kept in WebAssembly
/// memory, so a training step copies nothing across the boundary), the run's history, and
/// the loss chart's cursor.
#[wasm_bindgen]
pub struct TrainingLab {
    pub(super) shared: Shared,
    /// The fit chart's grid, axes and data, which stay still while the network trains, drawn
    /// for (the data's generation, the pixel ratio's bits, dark).
    fit_still: StillLayer<(u64, u64, bool)>,
    /// The loss and gradient charts' background, grid and axes, kept while their axes stay
    /// (their ranges change in steps while the lab trains).
    loss_still: LinesStill,
    gradient_still: LinesStill,
    fit_pixels: PixelMap,
    loss_pixels: PixelMap,
    /// The loss chart's cursor: a run (see `Trainer::run_id`) and a step of its history.
    cursor: Option<(u64, u64)>,
    message: String,
    units_shown: bool,
    /// Fit by hand: on, the unit being shaped, and the handle being dragged.
    by_hand: bool,
    selected_unit: usize,
    grabbed: Option<Handle>,
}

impl TrainingLab {
    fn change(&mut self, edit: impl FnOnce(&mut Settings)) -> Result<(), JsError> {
        let mut trainer = self.shared.write()?;
        let mut settings = trainer.settings().clone();
        edit(&mut settings);
        trainer.update(settings)?;
        Ok(())
    }

    /// The cursor's history index: the entry nearest its step, if the cursor belongs to the
    /// current run and its step has not been undone.
    fn cursor_index(&self, trainer: &Trainer) -> Option<usize> {
        let (run, step) = self.cursor?;
        let history = trainer.history();
        if run != trainer.run_id() || step > history.last()?.step {
            return None;
        }
        history.nearest(step as f64)
    }

    fn set_cursor(&mut self, trainer: &Trainer, index: Option<usize>) {
        let history = trainer.history();
        self.cursor = index.map(|i| (trainer.run_id(), history.steps[i]));
    }
}

#[wasm_bindgen]
impl TrainingLab {
    /// A lab with the default settings: sine data, h = 8, sigmoid, learning rate 0.3.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<TrainingLab, JsError> {
        Ok(TrainingLab {
            shared: Shared::new(Trainer::new(Settings::default())?),
            fit_still: StillLayer::default(),
            loss_still: StillLayer::default(),
            gradient_still: StillLayer::default(),
            fit_pixels: PixelMap::default(),
            loss_pixels: PixelMap::default(),
            cursor: None,
            message: String::new(),
            units_shown: true,
            by_hand: false,
            selected_unit: 0,
            grabbed: None,
        })
    }

    /// "sine", "step", "abs", "quadratic", "bump", or "custom" (the student's own points,
    /// starting from the ones shown now).
    #[wasm_bindgen(js_name = setDataset)]
    pub fn set_dataset(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<(), JsError> {
        let name = text("the data set", &name, 32)?;
        match Source::named(&name)? {
            Source::Custom => Ok(self.shared.write()?.use_custom_points()?),
            source => self.change(|s| s.source = source),
        }
    }

    #[wasm_bindgen(js_name = setCount)]
    pub fn set_count(&mut self, count: f64) -> Result<(), JsError> {
        let count = whole("the number of points", count, COUNT_RANGE)?;
        self.change(|s| s.count = count)
    }

    #[wasm_bindgen(js_name = setNoise)]
    pub fn set_noise(&mut self, noise: f64) -> Result<(), JsError> {
        self.change(|s| s.noise = noise)
    }

    #[wasm_bindgen(js_name = setSeed)]
    pub fn set_seed(&mut self, value: f64) -> Result<(), JsError> {
        let (low, high) = SEED_RANGE;
        let value = whole("the seed", value, (low as usize, high as usize))? as u64;
        self.change(|s| s.seed = value)
    }

    /// Whether each input gets a constant 1 appended: x = [x, 1].
    #[wasm_bindgen(js_name = setConstant)]
    pub fn set_constant(&mut self, on: bool) -> Result<(), JsError> {
        self.change(|s| s.constant = on)
    }

    #[wasm_bindgen(js_name = setHidden)]
    pub fn set_hidden(&mut self, hidden: f64) -> Result<(), JsError> {
        let hidden = whole("the number of hidden units", hidden, HIDDEN_RANGE)?;
        self.change(|s| s.hidden = hidden)
    }

    #[wasm_bindgen(js_name = setActivation)]
    pub fn set_activation(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<(), JsError> {
        let activation = activation_named(&name)?;
        self.change(|s| s.activation = activation)
    }

    /// Keeps the weights: rates can be compared mid-run.
    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), JsError> {
        self.change(|s| s.learning_rate = rate)
    }

    /// "full", "mini" (with `size` points per step, 2 to 50) or "single".
    #[wasm_bindgen(js_name = setBatch)]
    pub fn set_batch(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] mode: JsValue,
        size: f64,
    ) -> Result<(), JsError> {
        let batch = BatchMode::named(&text("the batch mode", &mode, 16)?, size)?;
        self.change(|s| s.batch = batch)
    }

    #[wasm_bindgen(js_name = setInitScale)]
    pub fn set_init_scale(&mut self, scale: f64) -> Result<(), JsError> {
        self.change(|s| s.init_scale = scale)
    }

    /// Fresh weights from the seed; the data stay and the old run becomes a faded curve.
    pub fn reset(&mut self) -> Result<(), JsError> {
        self.shared.write()?.restart();
        self.message.clear();
        Ok(())
    }

    /// Runs `steps` steps (at most `maxStepsPerCall`). Returns "trained", "no-data" or
    /// "diverged" (then `message` explains, and the best weights of the run are back).
    pub fn train(&mut self, steps: f64) -> Result<String, JsError> {
        let mut trainer = self.shared.write()?;
        let most = trainer.max_steps_per_call();
        let steps = whole("the number of steps", steps, (0, most as usize))? as u64;
        Ok(match trainer.train(steps)? {
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

    /// The most steps one call to `train` takes with the current settings.
    #[wasm_bindgen(getter, js_name = maxStepsPerCall)]
    pub fn max_steps_per_call(&self) -> Result<f64, JsError> {
        Ok(self.shared.read()?.max_steps_per_call() as f64)
    }

    /// The work of one step with the current settings (examples per step × h, plus a fixed
    /// overhead), in the units of the training limits.
    #[wasm_bindgen(getter, js_name = workPerStep)]
    pub fn work_per_step(&self) -> Result<f64, JsError> {
        Ok(self.shared.read()?.work_per_step() as f64)
    }

    /// The explanation of the last "diverged" or "no-data".
    #[wasm_bindgen(getter)]
    pub fn message(&self) -> String {
        self.message.clone()
    }

    /// Changes whenever the network or the data change, so a panel can tell it must redraw.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> Result<f64, JsError> {
        Ok(self.shared.read()?.generation() as f64)
    }

    #[wasm_bindgen(getter)]
    pub fn steps(&self) -> Result<f64, JsError> {
        Ok(self.shared.read()?.steps() as f64)
    }

    /// Mean loss on the training points now (NaN without points).
    #[wasm_bindgen(js_name = trainLoss)]
    pub fn train_loss(&self) -> Result<f64, JsError> {
        Ok(self.shared.write()?.train_loss())
    }

    /// Mean loss on the test points now (NaN for the student's own points: no test set).
    #[wasm_bindgen(js_name = testLoss)]
    pub fn test_loss(&self) -> Result<f64, JsError> {
        Ok(self.shared.write()?.test_loss())
    }

    /// {a, b}: ‖∂L/∂A‖ and ‖∂L/∂b‖ of the gradient the last step used.
    #[wasm_bindgen(js_name = gradientNorms)]
    pub fn gradient_norms(&self) -> Result<Object, JsError> {
        let (a, b) = self.shared.read()?.network().last_gradient_norms();
        Ok(Record::new().number("a", a)?.number("b", b)?.done())
    }

    /// The share of (unit, training point) pairs where the activation's slope is below 0.01.
    #[wasm_bindgen(js_name = saturatedShare)]
    pub fn saturated_share(&self) -> Result<f64, JsError> {
        let trainer = self.shared.read()?;
        Ok(trainer
            .network()
            .saturated_share(trainer.data().train_inputs(), SATURATION_LEVEL))
    }

    #[wasm_bindgen(js_name = trainCount)]
    pub fn train_count(&self) -> Result<usize, JsError> {
        Ok(self.shared.read()?.data().train().len())
    }

    #[wasm_bindgen(js_name = testCount)]
    pub fn test_count(&self) -> Result<usize, JsError> {
        Ok(self.shared.read()?.data().test().len())
    }

    /// h, the number of hidden units of the current network.
    #[wasm_bindgen(getter)]
    pub fn hidden(&self) -> Result<usize, JsError> {
        Ok(self.shared.read()?.network().hidden())
    }

    /// m: 2 with the constant input (x = [x, 1]), else 1.
    #[wasm_bindgen(getter)]
    pub fn inputs(&self) -> Result<usize, JsError> {
        Ok(self.shared.read()?.network().inputs())
    }

    /// The activation's name.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> Result<String, JsError> {
        Ok(self
            .shared
            .read()?
            .network()
            .activation()
            .name()
            .to_string())
    }

    /// Adds a point where the fit plot was clicked (CSS pixels), rounded to 0.001; false if
    /// outside the plot.
    #[wasm_bindgen(js_name = addPointAtPixel)]
    pub fn add_point_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !self.fit_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        let (x, y) = (
            round(self.fit_pixels.x_at(css_x)),
            round(self.fit_pixels.y_at(css_y)),
        );
        self.shared.write()?.add_point(x, y)?;
        Ok(true)
    }

    /// Removes the point nearest a click on the fit plot, if one is within 12 CSS pixels.
    #[wasm_bindgen(js_name = removePointAtPixel)]
    pub fn remove_point_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !self.fit_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        let map = &self.fit_pixels;
        let (x, y) = (map.x_at(css_x), map.y_at(css_y));
        let radius = 12.0 * map.x_per_pixel();
        Ok(self
            .shared
            .write()?
            .remove_point_near(x, y, radius, map.y_per_x())?)
    }

    /// Adds the point (x, y) to the student's own points (switching to them if needed).
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        Ok(self.shared.write()?.add_point(x, y)?)
    }

    /// Replaces the student's own points with [x1, y1, x2, y2, …] (at most 500 points),
    /// switching to them; on any error nothing changes.
    #[wasm_bindgen(js_name = setPoints)]
    pub fn set_points(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] pairs: JsValue,
    ) -> Result<(), JsError> {
        let pairs = numbers("the points", &pairs, 2 * MAX_CUSTOM_POINTS)?;
        if pairs.len() % 2 != 0 {
            return Err(JsError::new("the points must be x, y pairs"));
        }
        let (xs, ys): (Vec<f64>, Vec<f64>) = pairs.chunks_exact(2).map(|p| (p[0], p[1])).unzip();
        Ok(self.shared.write()?.replace_points(&xs, &ys)?)
    }

    /// The student's own points as [x1, y1, x2, y2, …].
    #[wasm_bindgen(js_name = customPoints)]
    pub fn custom_points(&self) -> Result<Vec<f64>, JsError> {
        let trainer = self.shared.read()?;
        let points = trainer.data().custom_points();
        Ok(points
            .xs
            .iter()
            .zip(&points.ys)
            .flat_map(|(&x, &y)| [x, y])
            .collect())
    }

    /// Removes all of the student's own points.
    #[wasm_bindgen(js_name = clearPoints)]
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        Ok(self.shared.write()?.clear_custom_points()?)
    }

    /// Show or hide the hidden units' faint curves on the fit plot.
    #[wasm_bindgen(js_name = setUnitsShown)]
    pub fn set_units_shown(&mut self, shown: bool) {
        self.units_shown = shown;
    }

    /// Draws the data, f(x) and the units' curves; returns how many unit curves are visible.
    #[wasm_bindgen(js_name = drawFit)]
    pub fn draw_fit(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<usize, JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let trainer = self.shared.read()?;
        let network = trainer.network();
        let handles: Vec<[[f64; 2]; 3]> = if self.by_hand && network.inputs() == 2 {
            (0..network.hidden())
                .filter_map(|j| Handles::of(network, j).ok())
                .map(|h| h.points(network.activation()))
                .collect()
        } else {
            Vec::new()
        };
        let chart = fit::FitChart {
            network,
            train: trainer.data().train(),
            test: trainer.data().test(),
            constant: trainer.settings().constant,
            units: self.units_shown || self.by_hand,
            highlight: None,
            handles: &handles,
            selected: self.by_hand.then_some(self.selected_unit),
        };
        let key = (trainer.data_generation(), pixel_ratio.to_bits(), dark);
        let target = args::canvas(&canvas)?;
        let copied = self.fit_still.copy_onto(&target, key, |area| {
            fit::draw_still(area, chart.train, chart.test, &theme)
        })?;
        let drawn = if copied {
            fit::draw_moving(&root, &chart, &theme)?
        } else {
            fit::draw(&root, &chart, &theme)?
        };
        self.fit_pixels = drawn.pixels;
        Ok(drawn.unit_curves)
    }

    /// Train and test loss against steps, with the last few runs faded behind.
    #[wasm_bindgen(js_name = drawLoss)]
    pub fn draw_loss(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(pixel_ratio, dark);
        let trainer = self.shared.read()?;
        let chart = training::loss_chart(&trainer, &theme, self.cursor_index(&trainer));
        self.loss_pixels = draw_lines(&mut self.loss_still, &canvas, &chart, pixel_ratio, dark)?;
        Ok(())
    }

    /// ‖∂L/∂A‖ and ‖∂L/∂b‖ against steps.
    #[wasm_bindgen(js_name = drawGradients)]
    pub fn draw_gradients(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let theme = Theme::new(pixel_ratio, dark);
        let trainer = self.shared.read()?;
        let chart = training::gradient_chart(&trainer, &theme, self.cursor_index(&trainer));
        draw_lines(&mut self.gradient_still, &canvas, &chart, pixel_ratio, dark)?;
        Ok(())
    }

    /// The histogram of hidden pre-activations over the activation's derivative.
    #[wasm_bindgen(js_name = drawSaturation)]
    pub fn draw_saturation(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let trainer = self.shared.read()?;
        saturation::draw(
            &root,
            trainer.network(),
            trainer.data().train_inputs(),
            &theme,
        )?;
        Ok(())
    }

    /// Puts the loss chart's cursor on the history entry under a CSS-pixel x.
    #[wasm_bindgen(js_name = pointLossCursor)]
    pub fn point_loss_cursor(&mut self, css_x: f64) -> Result<(), JsError> {
        let shared = self.shared.clone();
        let trainer = shared.read()?;
        let index = trainer.history().nearest(self.loss_pixels.x_at(css_x));
        self.set_cursor(&trainer, index);
        Ok(())
    }

    /// Moves the loss chart's cursor by `delta` entries (from the last entry if there is no
    /// cursor); ±Infinity jumps to the ends.
    #[wasm_bindgen(js_name = moveLossCursor)]
    pub fn move_loss_cursor(&mut self, delta: f64) -> Result<(), JsError> {
        let shared = self.shared.clone();
        let trainer = shared.read()?;
        let Some(last) = trainer.history().len().checked_sub(1) else {
            self.cursor = None;
            return Ok(());
        };
        let from = self.cursor_index(&trainer).unwrap_or(last) as f64;
        let delta = if delta.is_nan() { 0.0 } else { delta };
        let index = (from + delta).clamp(0.0, last as f64) as usize;
        self.set_cursor(&trainer, Some(index));
        Ok(())
    }

    /// Removes the loss chart's cursor.
    #[wasm_bindgen(js_name = clearLossCursor)]
    pub fn clear_loss_cursor(&mut self) {
        self.cursor = None;
    }

    /// The history entry under the loss chart's cursor, {index, step, train, test} (test NaN
    /// without a test set), or null when there is no cursor.
    #[wasm_bindgen(js_name = lossCursor)]
    pub fn loss_cursor(&self) -> Result<JsValue, JsError> {
        let trainer = self.shared.read()?;
        let Some(index) = self.cursor_index(&trainer) else {
            return Ok(JsValue::NULL);
        };
        let entry = trainer.history().entry(index);
        let Some(entry) = entry else {
            return Ok(JsValue::NULL);
        };
        Ok(Record::new()
            .number("index", index as f64)?
            .number("step", entry.step as f64)?
            .number("train", entry.train_loss)?
            .number("test", entry.test_loss)?
            .done()
            .into())
    }

    /// A copy of the network's A (h·m numbers, row-major).
    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Result<Vec<f64>, JsError> {
        Ok(self.shared.read()?.network().weights_a().to_vec())
    }

    /// A copy of the network's b (h numbers).
    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Result<Vec<f64>, JsError> {
        Ok(self.shared.read()?.network().weights_b().to_vec())
    }

    /// The weights file for the network now: the JSON text the page saves (see
    /// `crate::weights_file`).
    #[wasm_bindgen(js_name = weightsFile)]
    pub fn weights_file(&self) -> Result<String, JsError> {
        let trainer = self.shared.read()?;
        Ok(weights_file::write(&Weights::of(trainer.network())))
    }

    /// Starts a new run from exported weights: m (1 or 2), h (1 to 64), the activation's
    /// name, A (h·m numbers, row-major) and b (h numbers), each within ±1000. Everything is
    /// checked before anything changes.
    #[wasm_bindgen(js_name = importWeights)]
    pub fn import_weights(
        &mut self,
        m: f64,
        h: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] activation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] b: JsValue,
    ) -> Result<(), JsError> {
        let constant = whole("m", m, (1, 2))? == 2;
        let hidden = whole("h", h, HIDDEN_RANGE)?;
        let activation = activation_named(&activation)?;
        let a = numbers("A", &a, 2 * HIDDEN_RANGE.1)?;
        let b = numbers("b", &b, HIDDEN_RANGE.1)?;
        self.shared
            .write()?
            .import_weights(constant, hidden, activation, &a, &b)?;
        if !constant {
            // Fit by hand needs the constant input x = [x, 1], which these weights lack.
            self.by_hand = false;
            self.grabbed = None;
        }
        self.message.clear();
        Ok(())
    }

    /// Fit by hand: the fit plot shows each unit's handles, and dragging them shapes the unit
    /// (needs the constant input, x = [x, 1]).
    #[wasm_bindgen(js_name = setByHand)]
    pub fn set_by_hand(&mut self, on: bool) -> Result<(), JsError> {
        if on && self.shared.read()?.network().inputs() != 2 {
            return Err(JsError::new(
                "fitting by hand needs the constant input x = [x, 1]: tick it first",
            ));
        }
        self.by_hand = on;
        self.grabbed = None;
        Ok(())
    }

    /// Chooses the unit (0-based) whose handles the sliders show.
    #[wasm_bindgen(js_name = selectUnit)]
    pub fn select_unit(&mut self, unit: f64) -> Result<(), JsError> {
        let hidden = self.shared.read()?.network().hidden();
        self.selected_unit = whole("the unit", unit, (0, hidden - 1))?;
        Ok(())
    }

    /// The selected unit (0-based; the first if the network has fewer units now).
    #[wasm_bindgen(getter, js_name = selectedUnit)]
    pub fn selected_unit(&self) -> Result<usize, JsError> {
        let hidden = self.shared.read()?.network().hidden();
        Ok(if self.selected_unit < hidden {
            self.selected_unit
        } else {
            0
        })
    }

    /// The selected unit's handles: {position, steepness, height}.
    pub fn handles(&self) -> Result<Object, JsError> {
        let unit = self.selected_unit()?;
        let trainer = self.shared.read()?;
        let h = Handles::of(trainer.network(), unit)?;
        Ok(Record::new()
            .number("position", h.position)?
            .number("steepness", h.steepness)?
            .number("height", h.height)?
            .done())
    }

    /// Sets one handle ("position", "steepness" or "height") of the selected unit; the lab's
    /// run goes on from these weights. On error nothing changes.
    #[wasm_bindgen(js_name = setHandle)]
    pub fn set_handle(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] handle: JsValue,
        value: f64,
    ) -> Result<(), JsError> {
        let name = text("the handle", &handle, 16)?;
        let handle = Handle::from_name(&name).ok_or_else(|| {
            JsError::new(&format!(
                "unknown handle \"{name}\"; valid names are \"position\", \"steepness\", \"height\""
            ))
        })?;
        let unit = self.selected_unit()?;
        let mut trainer = self.shared.write()?;
        let shaped = handfit::set_handle(trainer.network(), unit, handle, value)?;
        trainer.set_weights_by_hand(shaped.weights_a(), shaped.weights_b())?;
        Ok(())
    }

    /// Grabs the handle nearest a pointer on the fit plot (within 14 CSS pixels) and selects
    /// its unit; false if there is none.
    #[wasm_bindgen(js_name = grabHandleAtPixel)]
    pub fn grab_handle_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !(self.by_hand && self.fit_pixels.contains(css_x, css_y)) {
            return Ok(false);
        }
        let map = &self.fit_pixels;
        let trainer = self.shared.read()?;
        let nearest = handfit::nearest_handle(
            trainer.network(),
            map.x_at(css_x),
            map.y_at(css_y),
            map.y_per_x(),
            14.0 * map.x_per_pixel(),
        );
        drop(trainer);
        match nearest {
            Some((unit, handle)) => {
                (self.selected_unit, self.grabbed) = (unit, Some(handle));
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Drags the grabbed handle to a pointer position on the fit plot (CSS pixels).
    #[wasm_bindgen(js_name = dragHandleToPixel)]
    pub fn drag_handle_to_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        let Some(handle) = self.grabbed else {
            return Ok(false);
        };
        let (x, y) = (self.fit_pixels.x_at(css_x), self.fit_pixels.y_at(css_y));
        let unit = self.selected_unit()?;
        let mut trainer = self.shared.write()?;
        let shaped = handfit::drag(trainer.network(), unit, handle, x, y)?;
        trainer.set_weights_by_hand(shaped.weights_a(), shaped.weights_b())?;
        Ok(true)
    }

    /// Lets go of the grabbed handle.
    #[wasm_bindgen(js_name = releaseHandle)]
    pub fn release_handle(&mut self) {
        self.grabbed = None;
    }

    /// How close the fit is: {loss (mean training loss), target, reached}.
    pub fn closeness(&self) -> Result<Object, JsError> {
        let trainer = self.shared.read()?;
        let data = trainer.data();
        let c = handfit::closeness(trainer.network(), data.train_inputs(), &data.train().ys)?;
        Ok(Record::new()
            .number("loss", c.loss)?
            .number("target", c.target)?
            .flag("reached", c.reached)?
            .done())
    }

    /// {x, y} of training point `index`.
    #[wasm_bindgen(js_name = trainPoint)]
    pub fn train_point(&self, index: f64) -> Result<Object, JsError> {
        let trainer = self.shared.read()?;
        let points = trainer.data().train();
        let last = points
            .len()
            .checked_sub(1)
            .ok_or_else(|| JsError::new("there are no training points"))?;
        let index = whole("the point's index", index, (0, last))?;
        Ok(Record::new()
            .number("x", points.xs[index])?
            .number("y", points.ys[index])?
            .done())
    }

    /// How many entries the history holds.
    #[wasm_bindgen(js_name = historyLength)]
    pub fn history_length(&self) -> Result<usize, JsError> {
        Ok(self.shared.read()?.history().len())
    }
}

/// A line chart's still layer, keyed by its axes, the pixel ratio and the theme.
type LinesStill = StillLayer<(lines::Axes, u64, bool)>;

/// Draws a line chart on `canvas`, its background, grid and axes copied from `still` (drawn
/// again only when the axes, the canvas's size, the pixel ratio or the theme change).
fn draw_lines(
    still: &mut LinesStill,
    canvas: &JsValue,
    chart: &LineChart,
    pixel_ratio: f64,
    dark: bool,
) -> Result<PixelMap, JsError> {
    let (root, theme) = canvas_area(canvas, pixel_ratio, dark)?;
    let Some(axes) = lines::axes(&root, chart, &theme)? else {
        return Ok(lines::draw_empty(&root, chart, &theme)?);
    };
    let key = (axes, pixel_ratio.to_bits(), dark);
    let copied = still.copy_onto(&args::canvas(canvas)?, key, |area| {
        lines::draw_still(area, chart, &theme, axes)
    })?;
    if !copied {
        lines::draw_still(&root, chart, &theme, axes)?;
    }
    Ok(lines::draw_moving(&root, chart, &theme, axes)?)
}

/// Reads a weights file's text: {m, h, activation, A, b}, every field checked (see
/// `crate::weights_file::read`); an Error that says what is wrong otherwise. Nothing changes
/// until the page hands the fields to `importWeights`, which checks the values.
#[wasm_bindgen(js_name = readWeightsFile)]
pub fn read_weights_file(text: JsValue) -> Result<Object, JsError> {
    // Longer than the largest file in UTF-16 units is longer in UTF-8 bytes too: the file's
    // own message says so.
    let limit = weights_file::MAX_BYTES as u32;
    if text
        .dyn_ref::<JsString>()
        .is_some_and(|string| string.length() > limit)
    {
        return weights_file::too_large().map_err(JsError::from);
    }
    let text = args::text("the weights file", &text, limit)?;
    let weights = weights_file::read(&text)?;
    Ok(Record::new()
        .number("m", weights.inputs as f64)?
        .number("h", weights.hidden as f64)?
        .text("activation", weights.activation.name())?
        .vector("A", &weights.a)?
        .vector("b", &weights.b)?
        .done())
}
