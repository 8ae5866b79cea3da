//! The practice panel: the student builds the graph (2a), types the derivatives (the local ones,
//! 2b and 2c) and the counts (2d); the core checks them and names the mistake.

use super::args::{answer_text, text, texts, whole};
use super::{list, Record};
use crate::expr::{Expression, Symbol, MAX_CHARS};
use crate::practice::counts::{self, CountQuestion, CountVerdict, CountsProblem, LAYER_OPTIONS};
use crate::practice::graph::{self, GraphNode, Input, NodeChoice, Operation};
use crate::practice::{check_on, Cases, Derivative, Verdict, CHECK_CASES};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// Seeds the page may use: the checks' examples and the counts' sizes are drawn from them.
const SEED_LIMIT: usize = u32::MAX as usize;

fn derivative_named(value: &JsValue) -> Result<Derivative, JsError> {
    let name = text("the derivative", value, 16)?;
    Derivative::from_name(&name).ok_or_else(|| {
        let names: Vec<_> = Derivative::ALL
            .iter()
            .map(|d| format!("\"{}\"", d.name()))
            .collect();
        JsError::new(&format!(
            "unknown derivative \"{name}\"; valid names are {}",
            names.join(", ")
        ))
    })
}

fn strings(values: &[&str]) -> Array {
    values.iter().map(|v| JsValue::from_str(v)).collect()
}

/// Significant digits of the values in "Show the answer".
const ANSWER_DIGITS: usize = 4;

/// The practice panel's state: the seed the checks draw their examples from, and the sizes of
/// the counting exercise.
#[wasm_bindgen]
pub struct PracticeLab {
    cases: Cases,
    problem: CountsProblem,
}

#[wasm_bindgen]
impl PracticeLab {
    /// Checks draw their examples from `seed` (0 to 2³² − 1), so a check is reproducible.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64) -> Result<PracticeLab, JsError> {
        let seed = whole("the seed", seed, (0, SEED_LIMIT))? as u64;
        Ok(PracticeLab {
            cases: Cases::draw(seed, CHECK_CASES),
            problem: CountsProblem::draw(seed),
        })
    }

    /// The typed exercises in the worksheet's order: [{name, label, prompt, shape, hints}].
    pub fn derivatives(&self) -> Result<Array, JsError> {
        list(Derivative::ALL.iter().map(|d| {
            Record::new()
                .text("name", d.name())?
                .text("label", d.label())?
                .text("prompt", d.prompt())?
                .text("shape", &d.expected_shape().to_string())?
                .value("hints", &strings(&d.hints()))
        }))
    }

    /// The graph exercise's choices: {nodes: [{name, definition}], operations: [{name, label,
    /// arity}], inputs: [name], hints}; a node's definition is its answer in words.
    #[wasm_bindgen(js_name = graphOptions)]
    pub fn graph_options(&self) -> Result<Object, JsError> {
        let nodes = list(GraphNode::ALL.iter().map(|n| {
            Record::new()
                .text("name", n.name())?
                .text("definition", n.definition())
        }))?;
        let operations = list(Operation::ALL.iter().map(|o| {
            Record::new()
                .text("name", o.name())?
                .text("label", o.label())?
                .number("arity", o.arity() as f64)
        }))?;
        let inputs: Vec<&str> = Input::ALL.iter().map(|i| i.name()).collect();
        Ok(Record::new()
            .value("nodes", &nodes)?
            .value("operations", &operations)?
            .value("inputs", &strings(&inputs))?
            .value("hints", &strings(&graph::hints()))?
            .done())
    }

    /// Checks the graph: `choices` holds 15 strings, for z1, z2, z3, z4 and L in turn the
    /// operation and two inputs ("" where nothing is picked). Returns [{node, right, reasons}].
    #[wasm_bindgen(js_name = checkGraph)]
    pub fn check_graph(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] choices: JsValue,
    ) -> Result<Array, JsError> {
        let picked = texts("the choices", &choices, 15, 32)?;
        if picked.len() != 15 {
            return Err(JsError::new(
                "the choices must be 15 strings: an operation and two inputs per node",
            ));
        }
        let choice = |i: usize| -> Result<NodeChoice, JsError> {
            let pick = |text: &str, what: &str| -> Result<Option<Input>, JsError> {
                if text.is_empty() {
                    return Ok(None);
                }
                Input::from_name(text)
                    .map(Some)
                    .ok_or_else(|| JsError::new(&format!("unknown {what} \"{text}\"")))
            };
            let operation = match picked[3 * i].as_str() {
                "" => None,
                name => Some(
                    Operation::from_name(name)
                        .ok_or_else(|| JsError::new(&format!("unknown operation \"{name}\"")))?,
                ),
            };
            Ok(NodeChoice {
                operation,
                first: pick(&picked[3 * i + 1], "input")?,
                second: pick(&picked[3 * i + 2], "input")?,
            })
        };
        let choices = [choice(0)?, choice(1)?, choice(2)?, choice(3)?, choice(4)?];
        list(graph::check_graph(&choices).into_iter().map(|verdict| {
            Record::new()
                .text("node", verdict.node.name())?
                .flag("right", verdict.right)?
                .value("reasons", &strings(&verdict.reasons))
        }))
    }

    /// How a typed expression was read: {mathml, shape} or {error, position} (position counted
    /// in characters from 0, for the caret).
    pub fn preview(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let answer = answer_text("the answer", &answer, MAX_CHARS)?;
        let record = Record::new();
        match Expression::parse(&answer) {
            Err(error) => Ok(record
                .text("error", &error.to_string())?
                .number("position", error.position as f64)?
                .done()),
            Ok(expression) => {
                let record = record.text("mathml", &expression.to_mathml())?;
                match expression.shape() {
                    Ok(shape) => Ok(record.text("shape", &shape.to_string())?.done()),
                    Err(error) => Ok(record
                        .text("error", &error.to_string())?
                        .number("position", error.start as f64)?
                        .done()),
                }
            }
        }
    }

    /// Checks a typed derivative against backpropagation on the panel's examples:
    /// {right, verdict, message, mistakes} (verdict is one of the core's verdict names).
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] derivative: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let derivative = derivative_named(&derivative)?;
        let answer = answer_text("the answer", &answer, MAX_CHARS)?;
        let verdict = check_on(derivative, &answer, &self.cases);
        let mistakes: Vec<&str> = verdict.mistakes().iter().map(|m| m.name()).collect();
        let record = Record::new()
            .flag("right", verdict.is_right())?
            .text("verdict", verdict.name())?
            .text("message", &verdict.to_string())?
            .value("mistakes", &strings(&mistakes))?;
        Ok(match &verdict {
            Verdict::Unreadable(error) => record.number("position", error.position as f64)?,
            Verdict::BadShapes(error) => record.number("position", error.start as f64)?,
            _ => record,
        }
        .done())
    }

    /// The worksheet's answer: {text, mathml, numbers, valueMathml}, where `numbers` works it
    /// out on the first example of the check (the forward values it uses, and the result,
    /// written row by row), and `valueMathml` is that result (a matrix as a matrix).
    pub fn answer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] derivative: JsValue,
    ) -> Result<Object, JsError> {
        let derivative = derivative_named(&derivative)?;
        let expression = Expression::parse(derivative.answer())
            .map_err(|e| JsError::new(&format!("the stored answer does not parse: {e}")))?;
        let case = self
            .cases
            .cases()
            .first()
            .ok_or_else(|| JsError::new("there is no example to work the answer out on"))?;
        let instance = case.instance();
        let used: &[Symbol] = match derivative {
            Derivative::Z4 | Derivative::Z3 => &[Symbol::Z4],
            Derivative::Z2 => &[Symbol::Z4, Symbol::B],
            Derivative::Z1 => &[Symbol::Z4, Symbol::B, Symbol::Z2],
            Derivative::B => &[Symbol::Z4, Symbol::Z2],
            Derivative::A => &[Symbol::Z4, Symbol::B, Symbol::Z2, Symbol::X],
        };
        let values: Vec<String> = used
            .iter()
            .map(|s| {
                format!(
                    "{} = {}",
                    s.name(),
                    instance.value(*s).to_text(ANSWER_DIGITS)
                )
            })
            .collect();
        let right = derivative.right_value(case.gradients(), instance.hidden(), instance.inputs());
        let numbers = format!(
            "On the first example (h = {}, m = {}): with {}, {} = {}.",
            instance.hidden(),
            instance.inputs(),
            values.join(", "),
            derivative.label(),
            right.to_text(ANSWER_DIGITS)
        );
        Ok(Record::new()
            .text("text", derivative.answer())?
            .text("mathml", &expression.to_mathml())?
            .text("numbers", &numbers)?
            .text("valueMathml", &right.to_mathml(ANSWER_DIGITS))?
            .done())
    }

    /// The counting exercise: {m, h, questions: [{name, prompt}], layerQuestion, layerOptions,
    /// hints}.
    pub fn counts(&self) -> Result<Object, JsError> {
        let questions = list(CountQuestion::ALL.iter().map(|q| {
            Record::new()
                .text("name", q.name())?
                .text("prompt", q.prompt())
        }))?;
        let options: Vec<&str> = LAYER_OPTIONS.iter().map(|o| o.text).collect();
        Ok(Record::new()
            .number("m", self.problem.inputs as f64)?
            .number("h", self.problem.hidden as f64)?
            .value("questions", &questions)?
            .text("layerQuestion", counts::LAYER_QUESTION)?
            .value("layerOptions", &strings(&options))?
            .value("hints", &strings(&counts::hints()))?
            .done())
    }

    /// New sizes for the counting exercise, drawn from `seed`.
    #[wasm_bindgen(js_name = newCounts)]
    pub fn new_counts(&mut self, seed: f64) -> Result<(), JsError> {
        let seed = whole("the seed", seed, (0, SEED_LIMIT))? as u64;
        self.problem = CountsProblem::draw(seed);
        Ok(())
    }

    /// Checks a typed count: {right, message, answer} (`answer`, the right count, for "Show
    /// the answer").
    #[wasm_bindgen(js_name = checkCount)]
    pub fn check_count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] question: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] answer: JsValue,
    ) -> Result<Object, JsError> {
        let name = text("the question", &question, 48)?;
        let question = CountQuestion::from_name(&name)
            .ok_or_else(|| JsError::new(&format!("unknown question \"{name}\"")))?;
        let answer = answer_text("the answer", &answer, counts::MAX_COUNT_CHARS)?;
        let verdict = self.problem.check(question, &answer);
        Ok(Record::new()
            .flag("right", verdict == CountVerdict::Right)?
            .text("message", &verdict.to_string())?
            .number("answer", self.problem.answer(question) as f64)?
            .done())
    }

    /// Checks the choice on one more layer (an index into `layerOptions`): {right, message}.
    #[wasm_bindgen(js_name = checkLayer)]
    pub fn check_layer(&self, index: f64) -> Result<Object, JsError> {
        let index = whole("the option", index, (0, LAYER_OPTIONS.len() - 1))?;
        let option = LAYER_OPTIONS[index];
        Ok(Record::new()
            .flag("right", option.right)?
            .text("message", option.explanation)?
            .done())
    }
}
