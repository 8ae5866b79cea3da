//! The backprop explorer.

use super::{canvas_area, js_error, whole, Record, TrainingLab};
use crate::explorer::{self, Bug, Explorer};
use crate::plot::{fit, graph, PixelMap, Theme};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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
            .forward(f)?
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
