//! The practice panel's part 1: the student sketches σ′ and ReLU′ on the plot (1a), gives the
//! limits and the saturation threshold (1b), and works the vanishing gradient in numbers
//! (1c). The core scores and checks; this file reads the page's arguments, checking each
//! before any state changes.

use super::args::{numbers, text, texts, whole};
use super::{canvas_area, list, Record};
use crate::format::format_significant;
use crate::plot::sketch::{self as pad, SketchChart};
use crate::plot::PixelMap;
use crate::practice::limits::{self, LimitQuestion, LimitVerdict};
use crate::practice::sketch::{
    score, tolerances, Sketch, SketchVerdict, Target, MAX_POINTS, X_HALF_RANGE, Y_RANGE,
};
use crate::practice::vanishing::{
    self, Remedy, VanishingProblem, CHAIN_DEPTH, CHAIN_POINTS, CHAIN_WIDTH, FACTOR_TOLERANCE,
    THRESHOLD_FRACTION,
};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// Seeds the page may use (the number of layers in 1(c) is drawn from it).
const SEED_LIMIT: usize = u32::MAX as usize;

fn target_named(value: &JsValue) -> Result<Target, JsError> {
    let name = text("the curve", value, 16)?;
    Target::from_name(&name).ok_or_else(|| {
        JsError::new(&format!(
            "unknown curve \"{name}\"; valid names are \"sigmoid\", \"relu\""
        ))
    })
}

fn sketch_result(verdict: &SketchVerdict) -> Result<Object, JsError> {
    let mistakes: Array = verdict
        .mistakes
        .iter()
        .map(|m| JsValue::from_str(m.name()))
        .collect();
    Ok(Record::new()
        .flag("right", verdict.is_right())?
        .text("message", &verdict.message())?
        .value("mistakes", &mistakes)?
        .number("distance", verdict.distance)?
        .done())
}

fn verdict_result(verdict: &LimitVerdict) -> Result<Object, JsError> {
    Ok(Record::new()
        .flag("right", verdict.right)?
        .text("message", &verdict.message)?
        .text("mistake", verdict.mistake.unwrap_or(""))?
        .done())
}

/// Part 1 of the practice panel: the two sketches, where the pad was drawn, and the numbers
/// of 1(c).
#[wasm_bindgen]
pub struct PracticePartOne {
    sketches: [Sketch; 2],
    active: Target,
    focused: Option<(Target, usize)>,
    reveal: bool,
    pixels: PixelMap,
    problem: VanishingProblem,
}

impl PracticePartOne {
    fn sketch(&self, target: Target) -> &Sketch {
        &self.sketches[usize::from(target == Target::Relu)]
    }
    fn sketch_mut(&mut self, target: Target) -> &mut Sketch {
        &mut self.sketches[usize::from(target == Target::Relu)]
    }
}

#[wasm_bindgen]
impl PracticePartOne {
    /// `seed` (0 to 2³² − 1) draws the number of layers in 1(c).
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64) -> Result<PracticePartOne, JsError> {
        let seed = whole("the seed", seed, (0, SEED_LIMIT))? as u64;
        Ok(PracticePartOne {
            sketches: [Sketch::new(Target::Sigmoid), Sketch::new(Target::Relu)],
            active: Target::Sigmoid,
            focused: None,
            reveal: false,
            pixels: PixelMap::default(),
            problem: VanishingProblem::draw(seed),
        })
    }

    /// The curves to sketch: [{name, label, functionLabel, tolerances, controls}], where
    /// `controls` holds the x of each control point; and the plot's y-range.
    pub fn curves(&self) -> Result<Object, JsError> {
        let curves = list(Target::ALL.iter().map(|&t| {
            Record::new()
                .text("name", t.name())?
                .text("label", t.label())?
                .text("functionLabel", t.function_label())?
                .text("tolerances", &tolerances(t))?
                .vector("controls", t.controls())
        }))?;
        Ok(Record::new()
            .value("curves", &curves)?
            .number("yMin", Y_RANGE.start)?
            .number("yMax", Y_RANGE.end)?
            .done())
    }

    /// The curve the pointer draws on.
    #[wasm_bindgen(js_name = setActive)]
    pub fn set_active(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
    ) -> Result<(), JsError> {
        self.active = target_named(&curve)?;
        Ok(())
    }

    /// One stretch of a pointer stroke on the active curve, between two positions in CSS
    /// pixels of the last drawn canvas (clamped to the plot).
    #[wasm_bindgen(js_name = strokePixels)]
    pub fn stroke_pixels(
        &mut self,
        from_x: f64,
        from_y: f64,
        to_x: f64,
        to_y: f64,
    ) -> Result<(), JsError> {
        if ![from_x, from_y, to_x, to_y].iter().all(|v| v.is_finite()) {
            return Err(JsError::new(
                "the pointer positions must be finite numbers (CSS pixels)",
            ));
        }
        let from = (self.pixels.x_at(from_x), self.pixels.y_at(from_y));
        let to = (self.pixels.x_at(to_x), self.pixels.y_at(to_y));
        let active = self.active;
        self.sketch_mut(active).stroke(from, to);
        Ok(())
    }

    /// The sketch's y at each control point of a curve.
    pub fn controls(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
    ) -> Result<Vec<f64>, JsError> {
        let target = target_named(&curve)?;
        Ok(self.sketch(target).controls().iter().map(|p| p.1).collect())
    }

    /// Moves control point `index` of a curve to y (clamped to the plot); returns the y used.
    #[wasm_bindgen(js_name = setControl)]
    pub fn set_control(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
        index: f64,
        y: f64,
    ) -> Result<f64, JsError> {
        let target = target_named(&curve)?;
        let index = whole("the control point", index, (0, target.controls().len() - 1))?;
        if !y.is_finite() {
            return Err(JsError::new("the value must be a finite number"));
        }
        let sketch = self.sketch_mut(target);
        sketch.set_control(index, y);
        Ok(sketch.controls()[index].1)
    }

    /// Rings control point `index` of a curve on the plot; a negative index rings none.
    #[wasm_bindgen(js_name = setFocus)]
    pub fn set_focus(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
        index: f64,
    ) -> Result<(), JsError> {
        let target = target_named(&curve)?;
        if index < 0.0 {
            self.focused = None;
            return Ok(());
        }
        let index = whole("the control point", index, (0, target.controls().len() - 1))?;
        self.focused = Some((target, index));
        Ok(())
    }

    /// Flattens a curve's sketch back to 0.
    pub fn clear(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
    ) -> Result<(), JsError> {
        let target = target_named(&curve)?;
        self.sketch_mut(target).clear();
        Ok(())
    }

    /// Draw the true derivatives (dashed) or not.
    #[wasm_bindgen(js_name = setReveal)]
    pub fn set_reveal(&mut self, reveal: bool) {
        self.reveal = reveal;
    }

    /// Scores the page's sketch of a curve: {right, message, mistakes, distance}.
    #[wasm_bindgen(js_name = checkSketch)]
    pub fn check_sketch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
    ) -> Result<Object, JsError> {
        let target = target_named(&curve)?;
        let verdict = self
            .sketch(target)
            .score()
            .map_err(|e| JsError::new(&e.to_string()))?;
        sketch_result(&verdict)
    }

    /// Scores any sketch given as points, x increasing (at most 2000, x within ±6, covering
    /// −5 … 5): {right, message, mistakes, distance}.
    #[wasm_bindgen(js_name = checkPoints)]
    pub fn check_points(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] curve: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] ys: JsValue,
    ) -> Result<Object, JsError> {
        let target = target_named(&curve)?;
        let xs = numbers("the x-values", &xs, MAX_POINTS)?;
        let ys = numbers("the y-values", &ys, MAX_POINTS)?;
        if xs.len() != ys.len() {
            return Err(JsError::new(&format!(
                "there are {} x-values and {} y-values; give one y per x",
                xs.len(),
                ys.len()
            )));
        }
        let points: Vec<(f64, f64)> = xs.into_iter().zip(ys).collect();
        let verdict = score(target, &points).map_err(|e| JsError::new(&e.to_string()))?;
        sketch_result(&verdict)
    }

    /// Draws the pad on the canvas, whose backing store the caller sized by the pixel ratio.
    pub fn draw(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let chart = SketchChart {
            sketches: &self.sketches,
            active: Some(self.active),
            focused: self.focused,
            reveal: self.reveal,
        };
        self.pixels = pad::draw(&root, &chart, &theme)?;
        Ok(())
    }

    /// Where the last drawn pad's plotting area is, in CSS pixels from the canvas's top left,
    /// and the data it spans: {left, right, top, bottom, xMin, xMax, yMin, yMax}.
    #[wasm_bindgen(js_name = plotArea)]
    pub fn plot_area(&self) -> Result<Object, JsError> {
        let (x, y) = self.pixels.css_area();
        Ok(Record::new()
            .number("left", x.start)?
            .number("right", x.end)?
            .number("top", y.start)?
            .number("bottom", y.end)?
            .number("xMin", -X_HALF_RANGE)?
            .number("xMax", X_HALF_RANGE)?
            .number("yMin", Y_RANGE.start)?
            .number("yMax", Y_RANGE.end)?
            .done())
    }

    /// The hints of exercise "1a", "1b" or "1c", each more specific than the last.
    pub fn hints(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] exercise: JsValue,
    ) -> Result<Array, JsError> {
        let name = text("the exercise", &exercise, 8)?;
        let hints = match name.as_str() {
            "1a" => crate::practice::sketch::hints(),
            "1b" => limits::hints(),
            "1c" => vanishing::hints(),
            _ => {
                return Err(JsError::new(&format!(
                    "unknown exercise \"{name}\"; valid names are \"1a\", \"1b\", \"1c\""
                )))
            }
        };
        Ok(hints.iter().map(|h| JsValue::from_str(h)).collect())
    }

    /// 1(b)'s questions: [{name, label, tolerance}] (`tolerance`, how far from the right
    /// number an answer may be: 0 for the limits, which are exact).
    #[wasm_bindgen(js_name = limitQuestions)]
    pub fn limit_questions(&self) -> Result<Array, JsError> {
        list(LimitQuestion::ALL.iter().map(|q| {
            Record::new()
                .text("name", q.name())?
                .text("label", &q.label())?
                .number("tolerance", q.tolerance())
        }))
    }

    /// Checks an answer to 1(b): {right, message, mistake, answer} (`answer`, the right one,
    /// for "Show the answers").
    #[wasm_bindgen(js_name = checkLimit)]
    pub fn check_limit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] question: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let name = text("the question", &question, 32)?;
        let question = LimitQuestion::from_name(&name)
            .ok_or_else(|| JsError::new(&format!("unknown question \"{name}\"")))?;
        let answer = text("the answer", &answer, limits::MAX_ANSWER_CHARS as u32 * 2)?;
        let result = verdict_result(&limits::check_limit(question, &answer))?;
        Ok(Record(result)
            .text("answer", &question.answer_text())?
            .done())
    }

    /// 1(c)'s numbers: {layers, factor, factorTolerance, depth, width, norms (as text),
    /// fraction, thresholdLayer, remedies: [{name, label}], helpful: [label]} (the last two
    /// of these, and `factor`, for "Show the answer").
    pub fn vanishing(&self) -> Result<Object, JsError> {
        let remedies = list(Remedy::ALL.iter().map(|r| {
            Record::new()
                .text("name", r.name())?
                .text("label", r.label())
        }))?;
        let helpful: Array = Remedy::ALL
            .iter()
            .filter(|r| r.helps())
            .map(|r| JsValue::from_str(r.label()))
            .collect();
        let norms: Array = self
            .problem
            .norms
            .iter()
            .map(|&n| JsValue::from_str(&format_significant(n, 3)))
            .collect();
        Ok(Record::new()
            .number("layers", self.problem.layers as f64)?
            .text("factor", &format_significant(self.problem.factor(), 4))?
            .number("depth", CHAIN_DEPTH as f64)?
            .number("width", CHAIN_WIDTH as f64)?
            .number("points", CHAIN_POINTS as f64)?
            .value("norms", &norms)?
            .number("fraction", THRESHOLD_FRACTION)?
            .number("factorTolerance", FACTOR_TOLERANCE)?
            .number(
                "thresholdLayer",
                self.problem
                    .threshold_layer()
                    .map_or(f64::NAN, |l| l as f64),
            )?
            .value("remedies", &remedies)?
            .value("helpful", &helpful)?
            .done())
    }

    /// Checks the factor through L sigmoid layers: {right, message, mistake}.
    #[wasm_bindgen(js_name = checkFactor)]
    pub fn check_factor(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let answer = text(
            "the answer",
            &answer,
            vanishing::MAX_ANSWER_CHARS as u32 * 2,
        )?;
        verdict_result(&self.problem.check_factor(&answer))
    }

    /// Checks the layer where the chain's gradient falls below the threshold.
    #[wasm_bindgen(js_name = checkLayer)]
    pub fn check_layer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let answer = text("the answer", &answer, 16)?;
        verdict_result(&self.problem.check_layer(&answer))
    }

    /// Checks the chosen remedies (their names): {right, message, mistake}.
    #[wasm_bindgen(js_name = checkRemedies)]
    pub fn check_remedies(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] chosen: JsValue,
    ) -> Result<Object, JsError> {
        let names = texts("the remedies", &chosen, Remedy::ALL.len(), 32)?;
        let chosen = names
            .iter()
            .map(|name| {
                Remedy::from_name(name)
                    .ok_or_else(|| JsError::new(&format!("unknown remedy \"{name}\"")))
            })
            .collect::<Result<Vec<_>, JsError>>()?;
        verdict_result(&self.problem.check_remedies(&chosen))
    }
}
