//! The backprop explorer: one example stepped through the graph of the training lab's network,
//! read from the lab when called (so it always shows the current weights).

use super::args::{text, whole};
use super::{canvas_area, list, Record, Shared, TrainingLab};
use crate::explorer::{self, check_example, Bug, Explorer, Pass, Verdict};
use crate::plot::graph::{self, GraphView};
use crate::plot::{fit, PixelMap};
use crate::trainer::Trainer;
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// Which example the explorer follows.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Example {
    /// A training point, by index (the first point if the data no longer have it).
    Point(usize),
    /// An example the student typed; x is the scalar input.
    Typed { x: f64, y: f64 },
}

/// The backprop explorer's state: which example, how far through the pass, and where the
/// data plot was drawn. The network and data are the lab's, read on every call.
#[wasm_bindgen]
pub struct BackpropExplorer {
    shared: Shared,
    example: Example,
    explorer: Explorer,
    data_pixels: PixelMap,
}

impl BackpropExplorer {
    /// The example's scalar x and y now, and its training-point index if it is one.
    fn example_xy(&self, trainer: &Trainer) -> (f64, f64, Option<usize>) {
        let points = trainer.data().train();
        match self.example {
            Example::Typed { x, y } => (x, y, None),
            Example::Point(i) => {
                let i = if i < points.len() { i } else { 0 };
                match (points.xs.get(i), points.ys.get(i)) {
                    (Some(&x), Some(&y)) => (x, y, Some(i)),
                    _ => (0.5, 0.5, None),
                }
            }
        }
    }

    /// The example's pass through the lab's current network.
    fn pass(&self, trainer: &Trainer) -> Result<Pass, JsError> {
        let (x, y, _) = self.example_xy(trainer);
        Ok(Pass::new(
            trainer.network(),
            trainer.data().features(x).as_slice(),
            y,
        )?)
    }
}

#[wasm_bindgen]
impl BackpropExplorer {
    /// An explorer on the lab's network and its first training point.
    #[wasm_bindgen(constructor)]
    pub fn new(lab: &TrainingLab) -> BackpropExplorer {
        BackpropExplorer {
            shared: lab.shared.clone(),
            example: Example::Point(0),
            explorer: Explorer::new(),
            data_pixels: PixelMap::default(),
        }
    }

    /// Follows training point `index`.
    #[wasm_bindgen(js_name = chooseExample)]
    pub fn choose_example(&mut self, index: f64) -> Result<(), JsError> {
        let count = self.shared.read()?.data().train().len();
        let last = count
            .checked_sub(1)
            .ok_or_else(|| JsError::new("there are no training points to choose from"))?;
        self.example = Example::Point(whole("the example's index", index, (0, last))?);
        Ok(())
    }

    /// Follows a typed example (x, y), each from −10 to 10; x is the scalar input (the
    /// constant 1 is added as in the lab).
    #[wasm_bindgen(js_name = setExample)]
    pub fn set_example(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        check_example(x, y).map_err(|message| JsError::new(&message))?;
        self.example = Example::Typed { x, y };
        Ok(())
    }

    /// Follows the training point nearest a click on the data plot; false if none.
    #[wasm_bindgen(js_name = chooseAtPixel)]
    pub fn choose_at_pixel(&mut self, css_x: f64, css_y: f64) -> Result<bool, JsError> {
        if !self.data_pixels.contains(css_x, css_y) {
            return Ok(false);
        }
        let map = &self.data_pixels;
        let trainer = self.shared.read()?;
        match trainer
            .data()
            .nearest_point(map.x_at(css_x), map.y_at(css_y), map.y_per_x())
        {
            Some(index) => {
                drop(trainer);
                self.example = Example::Point(index);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// The followed training point's index, or -1 for a typed example.
    #[wasm_bindgen(getter)]
    pub fn example(&self) -> Result<i32, JsError> {
        let trainer = self.shared.read()?;
        Ok(self.example_xy(&trainer).2.map_or(-1, |i| i as i32))
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

    /// How far the pass has got: one of `stageNames()`.
    #[wasm_bindgen(getter)]
    pub fn stage(&self) -> String {
        self.explorer.stage().name().to_string()
    }

    /// The stage's position in `stageNames()` (0 at the start).
    #[wasm_bindgen(getter, js_name = stageIndex)]
    pub fn stage_index(&self) -> usize {
        self.explorer.stage().index()
    }

    /// Every value of the example's pass (revealed or not) and the weights, as plain numbers:
    /// {x, y, A, b, h, m, activation, z1, z2, z3, z4, loss, dz4, dz3, db, dz2, dz1, dA}.
    pub fn values(&self) -> Result<Object, JsError> {
        let trainer = self.shared.read()?;
        let pass = self.pass(&trainer)?;
        let (g, net) = (&pass.gradients, trainer.network());
        let activation = net.activation();
        let sigma_prime: Vec<f64> = (pass.forward.z1.iter().zip(&pass.forward.z2))
            .map(|(&z1, &z2)| activation.derivative_from_output(z1, z2))
            .collect();
        Ok(Record::new()
            .vector("x", &pass.x)?
            .number("y", pass.y)?
            .vector("A", net.weights_a())?
            .vector("b", net.weights_b())?
            .number("h", net.hidden() as f64)?
            .number("m", net.inputs() as f64)?
            .text("activation", net.activation().name())?
            .forward(&pass.forward)?
            .number("dz4", g.dz4)?
            .number("dz3", g.dz3)?
            .vector("db", &g.db)?
            .vector("dz2", &g.dz2)?
            .vector("dz1", &g.dz1)?
            // σ′(z1) as the backward pass computed it, and how it wrote it.
            .vector("sigmaPrime", &sigma_prime)?
            .text("sigmaPrimeText", activation.derivative_from_output_text())?
            .vector("dA", &g.da)?
            .done())
    }

    /// θ ← θ − lr·∂L/∂θ on this example, as a step of the training lab (counted, recorded and
    /// guarded like its own steps); returns {before, after}, the example's loss, and starts a
    /// new pass on the new weights.
    pub fn update(&mut self, learning_rate: f64) -> Result<Object, JsError> {
        let mut trainer = self.shared.write()?;
        let (x, y, point) = self.example_xy(&trainer);
        if matches!(self.example, Example::Point(_)) && point.is_none() {
            // The example shown is a stand-in: there is no training point to learn from.
            return Err(JsError::new(
                "the training lab has no points, so there is no example to learn from: add \
                 points on the lab's fit plot, or type an example here",
            ));
        }
        let step = trainer.step_on_example(x, y, learning_rate)?;
        self.explorer.reset_pass();
        Ok(Record::new()
            .number("before", step.before)?
            .number("after", step.after)?
            .done())
    }

    /// The gradient check with a planted bug ("none", "forget-derivative", "forget-minus-one",
    /// "x-not-transposed"): {rows: [{parameter, backprop, numeric, error, uncertainty,
    /// verdict}], largest, verdict}, each verdict "agree", "disagree" or "undecided" (float64
    /// cannot tell at these magnitudes).
    #[wasm_bindgen(js_name = gradientCheck)]
    pub fn gradient_check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] bug: JsValue,
    ) -> Result<Object, JsError> {
        let name = text("the bug", &bug, 32)?;
        let bug = Bug::from_name(&name).ok_or_else(|| {
            let names: Vec<_> = Bug::ALL
                .iter()
                .map(|b| format!("\"{}\"", b.name()))
                .collect();
            JsError::new(&format!(
                "unknown bug \"{name}\"; valid names are {}",
                names.join(", ")
            ))
        })?;
        let trainer = self.shared.read()?;
        let pass = self.pass(&trainer)?;
        let check = explorer::gradient_check(trainer.network(), &pass.x, pass.y, bug)?;
        let verdict = |v: Verdict| match v {
            Verdict::Agree => "agree",
            Verdict::Disagree => "disagree",
            Verdict::Undecided => "undecided",
        };
        let rows = list(check.rows.iter().map(|row| {
            Record::new()
                .text("parameter", &row.parameter)?
                .number("backprop", row.backprop)?
                .number("numeric", row.numeric)?
                .number("error", row.relative_error)?
                .number("uncertainty", row.uncertainty)?
                .text("verdict", verdict(row.verdict))
        }))?;
        Ok(Record::new()
            .value("rows", &rows)?
            .number("largest", check.largest)?
            .text("verdict", verdict(check.verdict))?
            // The relative tolerance the verdicts use, written as the page shows it ("10⁻⁵").
            .text(
                "tolerance",
                &crate::plot::lines::format_power(explorer::TOLERANCE),
            )?
            .done())
    }

    /// Draws the computation graph; returns where it put things, in CSS pixels:
    /// {nodes: [{name, x, y, width, height}], labels: [{x, y, width, height}]}.
    #[wasm_bindgen(js_name = drawGraph)]
    pub fn draw_graph(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<Object, JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let trainer = self.shared.read()?;
        let pass = self.pass(&trainer)?;
        let view = GraphView {
            network: trainer.network(),
            pass: &pass,
            explorer: self.explorer,
        };
        let drawn = graph::draw(&root, &view, &theme)?;
        let rect = |record: Record, r: &graph::Rect| -> Result<Record, JsError> {
            record
                .number("x", r.x)?
                .number("y", r.y)?
                .number("width", r.width)?
                .number("height", r.height)
        };
        let nodes = list(
            drawn
                .nodes
                .iter()
                .map(|(name, r)| rect(Record::new().text("name", name)?, r)),
        )?;
        let labels = list(drawn.labels.iter().map(|r| rect(Record::new(), r)))?;
        Ok(Record::new()
            .value("nodes", &nodes)?
            .value("labels", &labels)?
            .done())
    }

    /// The training data and f(x), with the chosen example ringed; click to choose another.
    #[wasm_bindgen(js_name = drawData)]
    pub fn draw_data(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let shared = self.shared.clone();
        let trainer = shared.read()?;
        let chart = fit::FitChart {
            network: trainer.network(),
            train: trainer.data().train(),
            test: &crate::data::Points::default(),
            constant: trainer.settings().constant,
            units: false,
            highlight: self.example_xy(&trainer).2,
            handles: &[],
            selected: None,
        };
        self.data_pixels = fit::draw(&root, &chart, &theme)?.pixels;
        Ok(())
    }
}
