//! The cost panel: the counted work of the ways to the full gradient, and a stopwatch that
//! times two of them in this browser in slices, so the page never freezes.

use super::args::{now, whole};
use super::{canvas_area, list, Record};
use crate::activation::Activation;
use crate::chain::{Chain, Init, DEPTH_RANGE};
use crate::cost::{self, fan_ins, Method};
use crate::network::MAX_SIZE;
use crate::plot::lines::{self, Legend, LineChart, Series, XAxis};
use crate::trainer::HIDDEN_RANGE;
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The stopwatch times each method for at least this long (and three backprop runs).
const TIMING_MS: f64 = 30.0;
/// Finite differences are timed on at most this many parameters and scaled up.
const TIMED_PARAMETERS: usize = 2_000;

/// A timing in progress: backprop first, then finite differences.
struct Stopwatch {
    chain: Chain,
    x: Vec<f64>,
    backprop: (f64, u32),
    finite: (f64, u32),
    /// Finite differences done in the current round.
    next: usize,
}

impl Stopwatch {
    fn sample(&self) -> usize {
        self.chain.parameter_count().min(TIMED_PARAMETERS)
    }

    fn backprop_done(&self) -> bool {
        self.backprop.1 >= 3 && self.backprop.0 >= TIMING_MS
    }

    fn done(&self) -> bool {
        self.backprop_done() && self.finite.1 >= 1 && self.finite.0 >= TIMING_MS
    }
}

/// The cost panel's state: the stopwatch, when one is running.
#[wasm_bindgen]
pub struct CostLab {
    stopwatch: Option<Stopwatch>,
}

fn sizes(m: f64, depth: f64, width: f64) -> Result<(usize, usize, usize), JsError> {
    Ok((
        whole("m (the input size)", m, (1, MAX_SIZE))?,
        whole("the depth", depth, DEPTH_RANGE)?,
        whole("the width", width, (1, MAX_SIZE))?,
    ))
}

#[wasm_bindgen]
impl CostLab {
    #[wasm_bindgen(constructor)]
    pub fn new() -> CostLab {
        CostLab { stopwatch: None }
    }

    /// Counts for a chain (depth 1 is the worksheet's network): {methods: [{key, name, how,
    /// multiplyAdds, passes}] in the table's order, parameters, forward,
    /// backprop, finiteDifferences, chainRule, forwardMode, backpropPasses, finitePasses,
    /// chainRulePasses, forwardModePasses, measured}, where `measured` says whether the
    /// per-parameter methods were run (else their counts are the closed forms).
    pub fn count(&self, m: f64, depth: f64, width: f64) -> Result<Object, JsError> {
        let (m, depth, width) = sizes(m, depth, width)?;
        let c = cost::count(m, depth, width)?;
        let methods = list(Method::ALL.into_iter().map(|method| {
            let (multiply_adds, passes) = c.of(method);
            Record::new()
                .text("key", method.key())?
                .text("name", method.name())?
                .text("how", method.how())?
                .number("multiplyAdds", multiply_adds as f64)?
                .number("passes", passes as f64)
        }))?;
        Ok(Record::new()
            .value("methods", &methods)?
            .number("parameters", c.parameters as f64)?
            .number("forward", c.forward as f64)?
            .number("backprop", c.backprop as f64)?
            .number("finiteDifferences", c.finite_differences as f64)?
            .number("chainRule", c.chain_rule as f64)?
            .number("forwardMode", c.forward_mode as f64)?
            .number("backpropPasses", c.backprop_passes as f64)?
            .number("finitePasses", c.finite_passes as f64)?
            .number("chainRulePasses", c.chain_rule_passes as f64)?
            .number("forwardModePasses", c.forward_mode_passes as f64)?
            .flag("measured", c.measured)?
            .done())
    }

    /// Starts timing the full gradient of a chain in this browser: backpropagation (repeated
    /// for at least 30 ms) and finite differences (on at most 2,000 parameters, scaled up to
    /// all of them). Call `timeSome` once a frame until it says done.
    #[wasm_bindgen(js_name = startTiming)]
    pub fn start_timing(&mut self, m: f64, depth: f64, width: f64) -> Result<(), JsError> {
        let (m, depth, width) = sizes(m, depth, width)?;
        self.stopwatch = Some(Stopwatch {
            chain: Chain::new(m, depth, width, Activation::Sigmoid, Init::Xavier, 1)?,
            x: vec![0.5; m],
            backprop: (0.0, 0),
            finite: (0.0, 0),
            next: 0,
        });
        Ok(())
    }

    /// Times for about `budget_ms` (1 to 50) more; returns {progress (0 to 1), finished}, and
    /// when finished also {backpropMs, finiteMs, sampled, parameters}.
    #[wasm_bindgen(js_name = timeSome)]
    pub fn time_some(&mut self, budget_ms: f64) -> Result<Object, JsError> {
        let budget = super::args::within("the time budget", budget_ms, (1.0, 50.0))?;
        let Some(watch) = self.stopwatch.as_mut() else {
            return Err(JsError::new("no timing is running: call startTiming first"));
        };
        let (y, slice_start) = (0.3, now());
        while !watch.done() && now() - slice_start < budget {
            let started = now();
            if !watch.backprop_done() {
                watch.chain.backprop(&watch.x, y);
                watch.backprop.0 += now() - started;
                watch.backprop.1 += 1;
            } else {
                let (sample, parameters) = (watch.sample(), watch.chain.parameter_count());
                let index = watch.next * parameters / sample;
                watch.chain.finite_difference(index, &watch.x, y);
                watch.finite.0 += now() - started;
                watch.next += 1;
                if watch.next == sample {
                    watch.next = 0;
                    watch.finite.1 += 1;
                }
            }
        }
        let progress =
            (watch.backprop.0.min(TIMING_MS) + watch.finite.0.min(TIMING_MS)) / (2.0 * TIMING_MS);
        let record = Record::new()
            .number("progress", progress.min(1.0))?
            .flag("finished", watch.done())?;
        if !watch.done() {
            return Ok(record.done());
        }
        let (sample, parameters) = (watch.sample(), watch.chain.parameter_count());
        let backprop_ms = watch.backprop.0 / watch.backprop.1 as f64;
        let finite_ms = watch.finite.0 / watch.finite.1 as f64 * parameters as f64 / sample as f64;
        self.stopwatch = None;
        Ok(record
            .number("backpropMs", backprop_ms)?
            .number("finiteMs", finite_ms)?
            .number("sampled", sample as f64)?
            .number("parameters", parameters as f64)?
            .done())
    }

    /// Stops a timing started by `startTiming`.
    #[wasm_bindgen(js_name = cancelTiming)]
    pub fn cancel_timing(&mut self) {
        self.stopwatch = None;
    }

    /// Multiply-adds of the four methods against h (1 to 64) for the worksheet's network, or
    /// against the depth L (1 to 20) for width w, from the closed forms; `marked` is the
    /// current h or L.
    #[wasm_bindgen(js_name = drawCounts)]
    #[allow(clippy::too_many_arguments)]
    pub fn draw_counts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
        m: f64,
        against_depth: bool,
        width: f64,
        marked: f64,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let m = whole("m (the input size)", m, (1, MAX_SIZE))?;
        let width = whole("the width", width, (1, MAX_SIZE))?;
        let range = if against_depth {
            DEPTH_RANGE
        } else {
            HIDDEN_RANGE
        };
        let values: Vec<usize> = (range.0..=range.1).collect();
        let color = |method| {
            theme.activation(match method {
                Method::FiniteDifferences => Activation::Relu,
                Method::ChainRule => Activation::LeakyRelu,
                Method::ForwardMode => Activation::Softplus,
                Method::Backprop => Activation::Tanh,
            })
        };
        let series = |method: Method| {
            let line = Series::new(
                method.legend(),
                color(method),
                values.iter().map(|&v| {
                    let (fans, w) = if against_depth {
                        (fan_ins(m, v, width), width)
                    } else {
                        (vec![m], v)
                    };
                    (v as f64, method.closed_form(&fans, w) as f64)
                }),
            );
            // The three per-parameter ways run close together: two are dashed to tell them apart.
            if matches!(method, Method::ChainRule | Method::ForwardMode) {
                line.dashed()
            } else {
                line
            }
        };
        let chart = LineChart {
            series: Method::ALL.into_iter().map(series).collect(),
            cursor: marked.is_finite().then_some(marked),
            x_name: if against_depth {
                "layers L"
            } else {
                "hidden units h"
            },
            y_name: "multiply-adds",
            x_axis: XAxis::Counts,
            legend: Legend::BottomRight,
            empty_note: "There is nothing to count for this network.",
        };
        lines::draw(&root, &chart, &theme)?;
        Ok(())
    }
}

impl Default for CostLab {
    fn default() -> Self {
        Self::new()
    }
}
