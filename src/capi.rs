//! A C ABI over the training lab and the explorer's pass, for hosts without JavaScript: the
//! Python package (python/backprop_lab) runs this module in wasmtime, so a notebook computes
//! with the same core, and gets the same bits, as the page.
//!
//! Built only with the `capi` feature (and without `web`): scripts/python-core.sh. The host
//! writes a call's strings and numbers into one input buffer ([`bl_input`]); every call that
//! can fail returns 0 (done) or 1 (refused, nothing changed), and leaves its result, or the
//! message saying what is allowed, in one output buffer ([`bl_output_ptr`], [`bl_output_len`]).
//! Numbers travel as little-endian f64s, text as UTF-8. Labs are numbered handles.

use crate::activation::Activation;
use crate::check::whole;
use crate::explorer::{check_example, Pass};
use crate::trainer::{
    BatchMode, Outcome, Settings, Source, Trainer, COUNT_RANGE, HIDDEN_RANGE, SEED_RANGE,
};
use std::cell::RefCell;

/// The most labs one module holds at once.
pub const MAX_LABS: usize = 1024;
/// The most bytes one call's input may take (a lab's A and b are at most 192 numbers).
pub const MAX_INPUT: usize = 1 << 16;

#[derive(Default)]
struct State {
    labs: Vec<Option<Trainer>>,
    input: Vec<u8>,
    output: Vec<u8>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// What a call leaves in the output buffer.
enum Reply {
    Numbers(Vec<f64>),
    Text(String),
}

/// Runs `call` on the state and stores its reply or its message; 0 done, 1 refused.
fn answer(call: impl FnOnce(&mut State) -> Result<Reply, String>) -> i32 {
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        let (bytes, code) = match call(&mut state) {
            Ok(Reply::Numbers(values)) => {
                (values.iter().flat_map(|v| v.to_le_bytes()).collect(), 0)
            }
            Ok(Reply::Text(text)) => (text.into_bytes(), 0),
            Err(message) => (message.into_bytes(), 1),
        };
        state.output = bytes;
        code
    })
}

fn lab(state: &mut State, handle: u32) -> Result<&mut Trainer, String> {
    state
        .labs
        .get_mut(handle as usize)
        .and_then(Option::as_mut)
        .ok_or_else(|| format!("there is no lab {handle}"))
}

/// The input's bytes `from..from + len` as text.
fn input_text(state: &State, from: usize, len: usize) -> Result<String, String> {
    let bytes = state
        .input
        .get(from..from + len)
        .ok_or("the input buffer is shorter than the call says")?;
    String::from_utf8(bytes.to_vec()).map_err(|_| "text must be UTF-8".to_string())
}

/// `count` f64s from the input's byte `from`.
fn input_numbers(state: &State, from: usize, count: usize) -> Result<Vec<f64>, String> {
    let bytes = state
        .input
        .get(from..from + 8 * count)
        .ok_or("the input buffer is shorter than the call says")?;
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

/// Makes the input buffer `len` bytes long and returns where the host writes it (null if
/// `len` is over [`MAX_INPUT`]).
#[no_mangle]
pub extern "C" fn bl_input(len: usize) -> *mut u8 {
    if len > MAX_INPUT {
        return std::ptr::null_mut();
    }
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        state.input.clear();
        state.input.resize(len, 0);
        state.input.as_mut_ptr()
    })
}

/// Where the last call's result or message is.
#[no_mangle]
pub extern "C" fn bl_output_ptr() -> *const u8 {
    STATE.with(|cell| cell.borrow().output.as_ptr())
}

/// How many bytes the last call's result or message has.
#[no_mangle]
pub extern "C" fn bl_output_len() -> usize {
    STATE.with(|cell| cell.borrow().output.len())
}

/// A new lab with the page's default settings; the output is its handle (one number).
#[no_mangle]
pub extern "C" fn bl_lab_new() -> i32 {
    answer(|state| {
        let trainer = Trainer::new(Settings::default()).map_err(|e| e.to_string())?;
        let slot = match state.labs.iter().position(Option::is_none) {
            Some(free) => free,
            None if state.labs.len() < MAX_LABS => {
                state.labs.push(None);
                state.labs.len() - 1
            }
            None => return Err(format!("at most {MAX_LABS} labs can exist at once")),
        };
        state.labs[slot] = Some(trainer);
        Ok(Reply::Numbers(vec![slot as f64]))
    })
}

/// Frees a lab; its handle may be given to a new one.
#[no_mangle]
pub extern "C" fn bl_lab_free(handle: u32) {
    STATE.with(|cell| {
        if let Some(slot) = cell.borrow_mut().labs.get_mut(handle as usize) {
            *slot = None;
        }
    })
}

/// Changes one setting, as the page's control of the same name does: the input holds the
/// setting's name (`key_len` bytes) and then a text value (`text_len` bytes); `number` is the
/// value of a numeric setting (and the mini-batch size). Names: "data" (a shape or "custom"),
/// "activation", "batch" ("full", "mini", "single"), "hidden", "learning_rate", "seed",
/// "count", "noise", "init_scale", "constant" (0 or 1).
#[no_mangle]
pub extern "C" fn bl_set(handle: u32, key_len: usize, text_len: usize, number: f64) -> i32 {
    answer(|state| {
        let key = input_text(state, 0, key_len)?;
        let text = input_text(state, key_len, text_len)?;
        let trainer = lab(state, handle)?;
        let mut settings = trainer.settings().clone();
        match key.as_str() {
            "data" => match Source::named(&text).map_err(|e| e.0)? {
                Source::Custom => {
                    trainer.use_custom_points().map_err(|e| e.0)?;
                    return Ok(Reply::Numbers(Vec::new()));
                }
                source => settings.source = source,
            },
            "activation" => {
                settings.activation = text.parse::<Activation>().map_err(|e| e.to_string())?
            }
            "batch" => settings.batch = BatchMode::named(&text, number).map_err(|e| e.0)?,
            "hidden" => {
                settings.hidden = whole("the number of hidden units", number, HIDDEN_RANGE)?
            }
            "learning_rate" => settings.learning_rate = number,
            "seed" => {
                let (low, high) = SEED_RANGE;
                settings.seed = whole("the seed", number, (low as usize, high as usize))? as u64;
            }
            "count" => settings.count = whole("the number of points", number, COUNT_RANGE)?,
            "noise" => settings.noise = number,
            "init_scale" => settings.init_scale = number,
            "constant" => settings.constant = number != 0.0,
            other => return Err(format!("there is no setting \"{other}\"")),
        }
        trainer.update(settings).map_err(|e| e.to_string())?;
        Ok(Reply::Numbers(Vec::new()))
    })
}

/// Runs `steps` steps (at most the lab's most steps per call). The output is "trained",
/// "no-data", or "diverged" and the message on the next line.
#[no_mangle]
pub extern "C" fn bl_train(handle: u32, steps: f64) -> i32 {
    answer(|state| {
        let trainer = lab(state, handle)?;
        let most = trainer.max_steps_per_call() as usize;
        let steps = whole("the number of steps", steps, (0, most))? as u64;
        Ok(Reply::Text(
            match trainer.train(steps).map_err(|e| e.to_string())? {
                Outcome::Trained => "trained".into(),
                Outcome::NoData => "no-data".into(),
                Outcome::Diverged(message) => format!("diverged\n{message}"),
            },
        ))
    })
}

/// Fresh weights from the seed; the data stay.
#[no_mangle]
pub extern "C" fn bl_reset(handle: u32) -> i32 {
    answer(|state| {
        lab(state, handle)?.restart();
        Ok(Reply::Numbers(Vec::new()))
    })
}

/// Starts a new run from given weights, as the page's weight import does: m (1 or 2), h, and
/// the input holding the activation's name (`name_len` bytes), then A (h·m f64s, row-major)
/// and b (h f64s). Everything is checked before anything changes.
#[no_mangle]
pub extern "C" fn bl_import(handle: u32, m: f64, h: f64, name_len: usize) -> i32 {
    answer(|state| {
        let constant = whole("m", m, (1, 2))? == 2;
        let hidden = whole("h", h, HIDDEN_RANGE)?;
        let name = input_text(state, 0, name_len)?;
        let activation = name.parse::<Activation>().map_err(|e| e.to_string())?;
        let inputs = if constant { 2 } else { 1 };
        let a = input_numbers(state, name_len, hidden * inputs)?;
        let b = input_numbers(state, name_len + 8 * hidden * inputs, hidden)?;
        lab(state, handle)?
            .import_weights(constant, hidden, activation, &a, &b)
            .map_err(|e| e.to_string())?;
        Ok(Reply::Numbers(Vec::new()))
    })
}

/// The settings that are names, one `name=value` a line: data, activation, batch.
#[no_mangle]
pub extern "C" fn bl_names(handle: u32) -> i32 {
    answer(|state| {
        let settings = lab(state, handle)?.settings().clone();
        let (data, batch) = (settings.source.name(), settings.batch.name());
        Ok(Reply::Text(format!(
            "data={data}\nactivation={}\nbatch={batch}",
            settings.activation.name()
        )))
    })
}

/// The lab's numbers: steps, h, m, learning rate, seed, count, noise, initial scale, constant
/// (0 or 1), mini-batch size (0 outside mini-batch mode), most steps per call, generation,
/// train loss and test loss now (NaN without points), and the lengths of A, b, the training
/// and test points, and the history.
#[no_mangle]
pub extern "C" fn bl_numbers(handle: u32) -> i32 {
    answer(|state| {
        let trainer = lab(state, handle)?;
        let train_loss = trainer.train_loss();
        let test_loss = trainer.test_loss();
        let s = trainer.settings();
        let mini = match s.batch {
            BatchMode::Mini(size) => size as f64,
            _ => 0.0,
        };
        let network = trainer.network();
        Ok(Reply::Numbers(vec![
            trainer.steps() as f64,
            network.hidden() as f64,
            network.inputs() as f64,
            s.learning_rate,
            s.seed as f64,
            s.count as f64,
            s.noise,
            s.init_scale,
            f64::from(u8::from(s.constant)),
            mini,
            trainer.max_steps_per_call() as f64,
            trainer.generation() as f64,
            train_loss,
            test_loss,
        ]))
    })
}

/// One array of the lab, by name: "A" (h·m, row-major), "b", "X" and "y" (the training
/// points' inputs, n·m, and targets), "test_X", "test_y", "history_steps",
/// "history_train", "history_test" (the sampled losses of the run; NaN without a test set).
#[no_mangle]
pub extern "C" fn bl_array(handle: u32, name_len: usize) -> i32 {
    answer(|state| {
        let name = input_text(state, 0, name_len)?;
        let trainer = lab(state, handle)?;
        let (data, history) = (trainer.data(), trainer.history());
        let values = match name.as_str() {
            "A" => trainer.network().weights_a().to_vec(),
            "b" => trainer.network().weights_b().to_vec(),
            "X" => data.train_inputs().to_vec(),
            "y" => data.train().ys.clone(),
            "test_X" => data.test_inputs().to_vec(),
            "test_y" => data.test().ys.clone(),
            "history_steps" => history.steps.iter().map(|&s| s as f64).collect(),
            "history_train" => history.train_loss.clone(),
            "history_test" => history.test_loss.clone(),
            other => return Err(format!("there is no array \"{other}\"")),
        };
        Ok(Reply::Numbers(values))
    })
}

/// The backprop explorer's pass on one example: the input holds x (`x_len` f64s: one, the
/// data's x, which gets the lab's constant input appended as the page does; or m, the
/// network's input as it is). The output: x as the network sees it (m), z1 (h), z2 (h), z3,
/// z4, L, ∂L/∂z4, ∂L/∂z3, ∂L/∂z2 (h), ∂L/∂z1 (h), ∂L/∂b (h), ∂L/∂A (h·m, row-major).
#[no_mangle]
pub extern "C" fn bl_backward(handle: u32, x_len: usize, y: f64) -> i32 {
    answer(|state| {
        let x = input_numbers(state, 0, x_len)?;
        let trainer = lab(state, handle)?;
        let m = trainer.network().inputs();
        let input = match x.as_slice() {
            [value] => {
                check_example(*value, y)?;
                trainer.data().features(*value).as_slice().to_vec()
            }
            _ if x.len() == m => {
                x.iter().try_for_each(|&value| check_example(value, y))?;
                x
            }
            _ => {
                return Err(format!(
                "x must be one number (the data's x) or {m} numbers (the network's input), got {}",
                x.len()
            ))
            }
        };
        let pass = Pass::new(trainer.network(), &input, y).map_err(|e| e.to_string())?;
        let (f, g) = (&pass.forward, &pass.gradients);
        let mut out = pass.x.clone();
        out.extend_from_slice(&f.z1);
        out.extend_from_slice(&f.z2);
        out.extend([f.z3, f.z4, f.loss, g.dz4, g.dz3]);
        out.extend_from_slice(&g.dz2);
        out.extend_from_slice(&g.dz1);
        out.extend_from_slice(&g.db);
        out.extend_from_slice(&g.da);
        Ok(Reply::Numbers(out))
    })
}
