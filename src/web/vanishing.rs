//! The vanishing-gradient panel: a deep chain on (some of) the training lab's data, and the
//! worksheet's network saturating as A is scaled up. Training the chain runs in slices the
//! page calls once a frame, so it never blocks and can be cancelled.

use super::args::{text, whole};
use super::network::activation_named;
use super::{canvas_area, Record, Shared, TrainingLab};
use crate::activation::Activation;
use crate::chain::{study_scales, weight_scale_study, Chain, Init, DEPTH_RANGE, WIDTH_RANGE};
use crate::plot::layers::{self, LayerChart};
use crate::plot::lines::{self, Legend, LineChart, Series, XAxis};
use crate::trainer::Trainer;
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The chain learns from at most this many of the lab's points (evenly spread), which keeps
/// one step of a 20 × 32 chain (about 1.2 million multiply-adds) within a frame.
pub const STUDY_POINTS: usize = 20;
/// How many steps "Train" takes.
pub const TRAIN_STEPS: usize = 200;
/// The activations the panel's remedies compare, in its menu's order.
pub const CHAIN_ACTIVATIONS: [Activation; 3] =
    [Activation::Sigmoid, Activation::Tanh, Activation::Relu];
/// One call to `trainSome` does at most this many multiply-adds.
const SLICE_WORK: u64 = 4_000_000;

/// A training run of the chain in progress: where it started and how far it has got.
struct Training {
    start: Chain,
    current: Chain,
    done: usize,
}

/// The vanishing-gradient panel's state.
#[wasm_bindgen]
pub struct VanishingLab {
    shared: Shared,
    chain: Chain,
    /// The gradient norms per layer, for the lab's data generation they were computed on.
    norms: Option<(u64, Vec<f64>)>,
    /// The weight-scale study, for the lab generation it was computed on.
    study: Option<(u64, Vec<(f64, f64)>)>,
    training: Option<Training>,
    moved: Option<Vec<f64>>,
}

/// Up to [`STUDY_POINTS`] of the lab's training points, evenly spread: inputs and targets.
fn study_data(trainer: &Trainer) -> (Vec<f64>, Vec<f64>) {
    let data = trainer.data();
    let (n, m) = (data.train().len(), data.input_len());
    let count = n.min(STUDY_POINTS);
    let mut xs = Vec::with_capacity(count * m);
    let mut ys = Vec::with_capacity(count);
    for i in (0..count).map(|k| k * n / count.max(1)) {
        xs.extend_from_slice(&data.train_inputs()[i * m..(i + 1) * m]);
        ys.push(data.train().ys[i]);
    }
    (xs, ys)
}

/// The learning rate the study trains with: 0.1, or 0.01 for ReLU (whose gradients do not
/// shrink, so 0.1 would overshoot).
fn study_rate(activation: Activation) -> f64 {
    if activation == Activation::Relu {
        0.01
    } else {
        0.1
    }
}

fn chain_from(
    inputs: usize,
    depth: f64,
    width: f64,
    activation: &JsValue,
    init: &JsValue,
    residual: bool,
) -> Result<Chain, JsError> {
    let depth = whole("the depth", depth, DEPTH_RANGE)?;
    let width = whole("the width", width, WIDTH_RANGE)?;
    let activation = activation_named(activation)?;
    let init_name = text("the initialisation", init, 16)?;
    let init = Init::from_name(&init_name).ok_or_else(|| {
        JsError::new(&format!(
            "unknown initialisation \"{init_name}\"; valid names are \"small\", \"xavier\", \"he\""
        ))
    })?;
    Ok(Chain::new(inputs, depth, width, activation, init, 1)?.with_residual(residual))
}

impl VanishingLab {
    /// The chain's gradient norms on the lab's current data, recomputed when the data change.
    fn current_norms(&mut self) -> Result<&[f64], JsError> {
        let trainer = self.shared.read()?;
        let generation = trainer.data_generation();
        if self.chain.inputs() != trainer.data().input_len() {
            // The lab switched its constant input: same chain, other input size.
            let c = &self.chain;
            self.chain = Chain::new(
                trainer.data().input_len(),
                c.depth(),
                c.width(),
                c.activation(),
                c.init(),
                1,
            )?
            .with_residual(c.residual());
            self.norms = None;
        }
        if self.norms.as_ref().is_none_or(|(g, _)| *g != generation) {
            let (xs, ys) = study_data(&trainer);
            let gradient = self.chain.mean_gradient(&xs, &ys);
            self.norms = Some((generation, self.chain.layer_norms(&gradient)));
            self.training = None;
            self.moved = None;
        }
        Ok(self.norms.as_ref().map(|(_, n)| &n[..]).unwrap_or(&[]))
    }

    fn labels(&self) -> Vec<String> {
        (1..=self.chain.depth())
            .map(|l| l.to_string())
            .chain(["b".to_string()])
            .collect()
    }
}

#[wasm_bindgen]
impl VanishingLab {
    /// A chain of `depth` layers (1 to 20) of `width` units (2 to 32), an activation,
    /// "small", "xavier" or "he", and residual connections on or off, on the lab's data.
    #[wasm_bindgen(constructor)]
    pub fn new(
        lab: &TrainingLab,
        depth: f64,
        width: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] activation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] init: JsValue,
        residual: bool,
    ) -> Result<VanishingLab, JsError> {
        let inputs = lab.shared.read()?.data().input_len();
        Ok(VanishingLab {
            shared: lab.shared.clone(),
            chain: chain_from(inputs, depth, width, &activation, &init, residual)?,
            norms: None,
            study: None,
            training: None,
            moved: None,
        })
    }

    /// Rebuilds the chain (same arguments as the constructor); on error nothing changes.
    pub fn configure(
        &mut self,
        depth: f64,
        width: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] activation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] init: JsValue,
        residual: bool,
    ) -> Result<(), JsError> {
        let inputs = self.chain.inputs();
        self.chain = chain_from(inputs, depth, width, &activation, &init, residual)?;
        self.norms = None;
        self.training = None;
        self.moved = None;
        Ok(())
    }

    /// ‖∂L/∂W_l‖ for l = 1..L, then ‖∂L/∂b‖ (gradient of the mean loss over the study points).
    #[wasm_bindgen(js_name = layerNorms)]
    pub fn layer_norms(&mut self) -> Result<Vec<f64>, JsError> {
        Ok(self.current_norms()?.to_vec())
    }

    /// Starts 200 full-batch steps on a copy of the freshly initialised chain (the gradient
    /// bars keep showing the start, where the question is asked). Call `trainSome` once a
    /// frame until it says done.
    #[wasm_bindgen(js_name = startTraining)]
    pub fn start_training(&mut self) -> Result<(), JsError> {
        self.current_norms()?;
        self.training = Some(Training {
            start: self.chain.clone(),
            current: self.chain.clone(),
            done: 0,
        });
        self.moved = None;
        Ok(())
    }

    /// Takes up to `max_steps` more steps of the run started by `startTraining` (fewer if
    /// they would be much more than a frame's work); returns {done, total, finished}.
    #[wasm_bindgen(js_name = trainSome)]
    pub fn train_some(&mut self, max_steps: f64) -> Result<Object, JsError> {
        let max_steps = whole("the number of steps", max_steps, (1, TRAIN_STEPS))?;
        let trainer = self.shared.read()?;
        let (xs, ys) = study_data(&trainer);
        drop(trainer);
        let Some(run) = self.training.as_mut() else {
            return Err(JsError::new(
                "no training is running: call startTraining first",
            ));
        };
        let per_step = run.current.step_work(ys.len()).max(1);
        let affordable = (SLICE_WORK / per_step).max(1) as usize;
        let rate = study_rate(run.current.activation());
        let mut stopped = false;
        for _ in 0..max_steps.min(affordable).min(TRAIN_STEPS - run.done) {
            if !run.current.gradient_step(&xs, &ys, rate) {
                stopped = true;
                break;
            }
            run.done += 1;
        }
        let finished = stopped || run.done >= TRAIN_STEPS;
        let done = run.done;
        if finished {
            self.moved = Some(run.current.relative_change(&run.start));
            self.training = None;
        }
        Ok(Record::new()
            .number("done", done as f64)?
            .number("total", TRAIN_STEPS as f64)?
            .flag("finished", finished)?
            .done())
    }

    /// Stops a run started by `startTraining`; nothing it did is kept.
    #[wasm_bindgen(js_name = cancelTraining)]
    pub fn cancel_training(&mut self) {
        self.training = None;
    }

    /// Each layer's relative weight change in the last finished run (empty before one).
    pub fn moved(&self) -> Vec<f64> {
        self.moved.clone().unwrap_or_default()
    }

    /// {a, b}: ‖∂L/∂A‖ and ‖∂L/∂b‖ for the lab's network with A multiplied by `scale`.
    #[wasm_bindgen(js_name = scaleNorms)]
    pub fn scale_norms(&self, scale: f64) -> Result<Object, JsError> {
        if !(scale.is_finite() && scale > 0.0 && scale <= 1000.0) {
            return Err(JsError::new(
                "the scale must be a number above 0 and at most 1000",
            ));
        }
        let t = self.shared.read()?;
        let data = t.data();
        let (a, b) =
            weight_scale_study(t.network(), data.train_inputs(), &data.train().ys, &[scale])[0];
        Ok(Record::new().number("a", a)?.number("b", b)?.done())
    }

    /// The bars of ‖∂L/∂W_l‖, with 0.25ᴸ⁻ˡ (scaled to the last layer) for the sigmoid.
    #[wasm_bindgen(js_name = drawNorms)]
    pub fn draw_norms(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let norms = self.current_norms()?.to_vec();
        let depth = self.chain.depth();
        let labels = self.labels();
        let bound: Vec<f64> = (0..depth)
            .map(|l| norms[depth - 1] * 0.25f64.powi((depth - 1 - l) as i32))
            .collect();
        let sigmoid = self.chain.activation() == Activation::Sigmoid && !self.chain.residual();
        let chart = LayerChart {
            values: &norms,
            labels: &labels,
            color: theme.gradient(),
            reference: sigmoid.then_some((&bound[..], "0.25ᴸ⁻ˡ × last layer: σ′ ≤ 0.25 per layer")),
            y_name: "‖∂L/∂W‖",
            x_name: "layer (b: output weights)",
            empty_note: "Every layer's gradient is exactly 0 here, so there are no bars to draw.",
        };
        Ok(layers::draw(&root, &chart, &theme)?)
    }

    /// How much each layer moved in the last finished run (nothing before one).
    #[wasm_bindgen(js_name = drawMoved)]
    pub fn draw_moved(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let labels = self.labels();
        let moved = self.moved();
        let chart = LayerChart {
            values: &moved,
            labels: &labels,
            color: theme.activation(self.chain.activation()),
            reference: None,
            y_name: "‖ΔW‖ / ‖W‖",
            x_name: "layer (b: output weights)",
            empty_note: "Press “Train 200 steps” to see how far each layer's weights move.",
        };
        Ok(layers::draw(&root, &chart, &theme)?)
    }

    /// ‖∂L/∂A‖ and ‖∂L/∂b‖ against the scale of A, ×0.1 to ×30, with `scale` marked.
    #[wasm_bindgen(js_name = drawScale)]
    pub fn draw_scale(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
        scale: f64,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let trainer = self.shared.read()?;
        let scales = study_scales();
        let generation = trainer.generation();
        if self.study.as_ref().is_none_or(|(g, _)| *g != generation) {
            let data = trainer.data();
            let study = weight_scale_study(
                trainer.network(),
                data.train_inputs(),
                &data.train().ys,
                &scales,
            );
            self.study = Some((generation, study));
        }
        let study = self.study.as_ref().map(|(_, s)| &s[..]).unwrap_or(&[]);
        let log = |s: &f64| s.log10();
        let color = theme.gradient();
        let chart = LineChart {
            series: vec![
                Series::new(
                    "‖∂L/∂A‖",
                    color,
                    scales.iter().map(log).zip(study.iter().map(|p| p.0)),
                ),
                Series::new(
                    "‖∂L/∂b‖",
                    color,
                    scales.iter().map(log).zip(study.iter().map(|p| p.1)),
                )
                .dashed(),
            ],
            cursor: (scale.is_finite() && scale > 0.0).then(|| scale.log10()),
            x_name: "A multiplied by",
            y_name: "gradient norm",
            x_axis: XAxis::Log10,
            legend: Legend::BottomRight,
            empty_note: "The gradient is exactly 0 at every scale, so there are no curves to draw.",
        };
        lines::draw(&root, &chart, &theme)?;
        Ok(())
    }
}
