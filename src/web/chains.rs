//! The vanishing-gradient and cost panels, both built on the deep chain.

use super::{activation_named, canvas_area, js_error, size, whole, Record, TrainingLab};
use crate::activation::Activation;
use crate::chain::{self, Chain, Init};
use crate::network;
use crate::plot::history::{self, HistoryChart, Series};
use crate::plot::{layers, Theme};
use js_sys::Object;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

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
        let bound: Vec<f64> = (0..depth)
            .map(|l| self.norms[depth - 1] * 0.25f64.powi((depth - 1 - l) as i32))
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
