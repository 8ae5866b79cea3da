//! Facts the page reads from the core instead of writing them again: the limits and defaults
//! of every control, the one number format, the palette, the explorer's stage names and the
//! activations' names.

use super::vanishing::{STUDY_POINTS, TRAIN_STEPS};
use super::{list, Record};
use crate::activation::{sigmoid_saturation_edge, Activation, SATURATION_LEVEL};
use crate::chain::{A_SCALES, DEPTH_RANGE, WIDTH_RANGE};
use crate::explorer::{Stage, EXAMPLE_LIMIT, UPDATE_RATE, UPDATE_RATES};
use crate::expr::MAX_CHARS;
use crate::format::format_significant;
use crate::handfit::{HEIGHT_RANGE, POSITION_RANGE, STEEPNESS_RANGE};
use crate::landscape::{Parameter, ZOOMS};
use crate::plot::activations::{ActivationChart, HALF_RANGE};
use crate::plot::Theme;
use crate::practice::counts::MAX_COUNT_CHARS;
use crate::trainer::{
    Settings, COUNT_RANGE, HIDDEN_RANGE, INIT_SCALES, LEARNING_RATES, MAX_CUSTOM_POINTS,
    MINI_BATCH_RANGE, NOISE_RANGE, POINT_Y_RANGE, SEED_RANGE,
};
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The training lab's "Steps per frame": the most steps one animation frame may take, and the
/// slider's start.
const STEPS_PER_FRAME: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];
const DEFAULT_STEPS_PER_FRAME: f64 = 10.0;

/// A range control's limits: {min, max, step} and, where the core owns it, {default}.
fn range(min: f64, max: f64, step: f64, default: Option<f64>) -> Result<Record, JsError> {
    let record = Record::new()
        .number("min", min)?
        .number("max", max)?
        .number("step", step)?;
    match default {
        Some(value) => record.number("default", value),
        None => Ok(record),
    }
}

/// A control that picks from a list: {values, default}.
fn choices(values: &[f64], default: f64) -> Result<Record, JsError> {
    Record::new()
        .vector("values", values)?
        .number("default", default)
}

/// The limits and defaults of the page's controls, keyed as the controls' `data-limit`
/// attributes name them, and the limits the panels check input against.
#[wasm_bindgen]
pub fn limits() -> Result<Object, JsError> {
    let lab = Settings::default();
    let whole = |(low, high): (usize, usize)| (low as f64, high as f64);
    let (hidden, points) = (whole(HIDDEN_RANGE), whole(COUNT_RANGE));
    let (depth, width, batch) = (
        whole(DEPTH_RANGE),
        whole(WIDTH_RANGE),
        whole(MINI_BATCH_RANGE),
    );
    let chart = ActivationChart::default();
    Ok(Record::new()
        .value(
            "hidden",
            &range(hidden.0, hidden.1, 1.0, Some(lab.hidden as f64))?.done(),
        )?
        .value(
            "points",
            &range(points.0, points.1, 10.0, Some(lab.count as f64))?.done(),
        )?
        .value(
            "noise",
            &range(NOISE_RANGE.0, NOISE_RANGE.1, 0.05, Some(lab.noise))?.done(),
        )?
        .value(
            "seed",
            &range(
                SEED_RANGE.0 as f64,
                SEED_RANGE.1 as f64,
                1.0,
                Some(lab.seed as f64),
            )?
            .done(),
        )?
        .value(
            "learningRate",
            &choices(&LEARNING_RATES, lab.learning_rate)?.done(),
        )?
        .value("initScale", &choices(&INIT_SCALES, lab.init_scale)?.done())?
        .value(
            "stepsPerFrame",
            &choices(&STEPS_PER_FRAME, DEFAULT_STEPS_PER_FRAME)?.done(),
        )?
        .value("miniBatch", &range(batch.0, batch.1, 1.0, None)?.done())?
        .value("depth", &range(depth.0, depth.1, 1.0, None)?.done())?
        .value("width", &range(width.0, width.1, 1.0, None)?.done())?
        .value("aScale", &choices(&A_SCALES, 1.0)?.done())?
        .value("updateRate", &choices(&UPDATE_RATES, UPDATE_RATE)?.done())?
        .value("zoom", &choices(&ZOOMS, 1.0)?.done())?
        // The loss surface's axes until the student picks others: [x, y] as keys ("b1").
        .value(
            "landscapeAxes",
            &js_sys::Array::of2(
                &Parameter::DEFAULT_X.key().into(),
                &Parameter::DEFAULT_Y.key().into(),
            ),
        )?
        .value(
            "handPosition",
            &range(POSITION_RANGE.0, POSITION_RANGE.1, 0.05, None)?.done(),
        )?
        .value(
            "handSteepness",
            &range(-STEEPNESS_RANGE.1, STEEPNESS_RANGE.1, 0.1, None)?
                .number("least", STEEPNESS_RANGE.0)?
                .done(),
        )?
        .value(
            "handHeight",
            &range(HEIGHT_RANGE.0, HEIGHT_RANGE.1, 0.05, None)?.done(),
        )?
        .value(
            "halfRange",
            &range(HALF_RANGE.0, HALF_RANGE.1, 1.0, Some(chart.half_range))?.done(),
        )?
        .number("customPoints", MAX_CUSTOM_POINTS as f64)?
        // The vanishing panel's study: steps of training, and the lab's points it learns from.
        .number("chainSteps", TRAIN_STEPS as f64)?
        .number("chainPoints", STUDY_POINTS as f64)?
        .vector("pointY", &[POINT_Y_RANGE.0, POINT_Y_RANGE.1])?
        .number("example", EXAMPLE_LIMIT)?
        .number("saturationLevel", SATURATION_LEVEL)?
        .number("saturationEdge", sigmoid_saturation_edge(SATURATION_LEVEL))?
        .value(
            "options",
            &Record::new()
                .value("activations", &activations()?.into())?
                .value(
                    "chainActivations",
                    &named(&super::vanishing::CHAIN_ACTIVATIONS)?.into(),
                )?
                .done(),
        )?
        // The longest typed answer the practice checker reads, and the longest count: the
        // page keeps no longer text in the browser's storage.
        .number("answerChars", MAX_CHARS as f64)?
        .number("countChars", MAX_COUNT_CHARS as f64)?
        .number("weightsFileBytes", crate::weights_file::MAX_BYTES as f64)?
        .done())
}

/// `formatNumber(value, digits)`: the page's one number format, `digits` significant digits
/// (2 to 8): 0.2500, −12.00, 4.540 × 10⁻⁵.
#[wasm_bindgen(js_name = formatNumber)]
pub fn format_number(value: f64, digits: f64) -> String {
    let digits = if digits.is_finite() {
        digits.clamp(2.0, 8.0) as usize
    } else {
        4
    };
    format_significant(value, digits)
}

/// The activations panel's checkboxes as index.html holds them (see `crate::markup`), each
/// line indented by `indent`: written there by scripts/index-blocks.mjs when the page is built.
#[wasm_bindgen(js_name = activationBoxesHtml)]
pub fn activation_boxes_html(indent: JsValue) -> Result<String, JsError> {
    let indent = super::args::text("indent", &indent, 80)?;
    Ok(crate::markup::activation_boxes(&indent))
}

/// The palette as CSS custom properties, light and dark: written to www/palette.css when the
/// page is built, so the page's colours and the charts' come from one place.
#[wasm_bindgen(js_name = paletteCss)]
pub fn palette_css() -> String {
    let block = |theme: Theme| {
        let hex = |c: plotters::style::RGBColor| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2);
        let mut lines = vec![
            format!("  --surface: {};", hex(theme.background())),
            format!("  --text: {};", hex(theme.foreground())),
            format!("  --muted: {};", hex(theme.muted())),
            format!("  --grid: {};", hex(theme.grid())),
            format!("  --gradient: {};", hex(theme.gradient())),
            format!("  --negative: {};", hex(theme.diverging().0)),
            format!("  --positive: {};", hex(theme.diverging().1)),
        ];
        for activation in Activation::ALL {
            lines.push(format!(
                "  --{}: {};",
                activation.name(),
                hex(theme.activation(activation))
            ));
        }
        lines.join("\n")
    };
    // Each activation's swatch (the short line beside its name) in its colour.
    let swatches: String = Activation::ALL
        .iter()
        .map(|a| {
            format!(
                ".swatch[data-activation=\"{0}\"] {{ color: var(--{0}); }}\n",
                a.name()
            )
        })
        .collect();
    format!(
        "/* Made by scripts/palette.mjs from src/plot/theme.rs: edit the colours there. */\n\
         :root {{\n{}\n}}\n@media (prefers-color-scheme: dark) {{\n  :root {{\n{}\n  }}\n}}\n{}",
        block(Theme::new(1.0, false)),
        block(Theme::new(1.0, true))
            .replace("\n  ", "\n    ")
            .replacen("  --", "    --", 1),
        swatches
    )
}

/// The backprop explorer's stages in order: "start", "z1", … "L", "dz4", … "dA".
#[wasm_bindgen(js_name = stageNames)]
pub fn stage_names() -> Vec<String> {
    Stage::ALL.iter().map(|s| s.name().to_string()).collect()
}

/// Every activation, in the page's order: [{name, label}].
#[wasm_bindgen]
pub fn activations() -> Result<js_sys::Array, JsError> {
    named(&Activation::ALL)
}

/// Activations as a menu lists them: [{name, label}].
fn named(activations: &[Activation]) -> Result<js_sys::Array, JsError> {
    list(activations.iter().map(|a| {
        Record::new()
            .text("name", a.name())?
            .text("label", a.label())
    }))
}
