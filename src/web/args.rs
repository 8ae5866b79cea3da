//! Arguments from JavaScript, read without ever throwing inside Rust: a JS exception that
//! unwound through a method would leave its object borrowed for good, so every conversion
//! that could run user code (getters, proxies, `valueOf`) happens in a JS function that
//! catches, and every length is checked before anything is copied. Numbers from a genuine
//! Float64Array are copied by the built-in `set`, which runs no code of the caller's.

use js_sys::{Float64Array, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(inline_js = r#"
// The built-in typed-array accessors, taken once: called on a genuine Float64Array they read its
// internal slots, so no getter of a subclass or a Proxy (no code of the caller's) runs.
const typedArray = Object.getPrototypeOf(Float64Array.prototype);
const typedName = Object.getOwnPropertyDescriptor(typedArray, Symbol.toStringTag).get;
const typedLength = Object.getOwnPropertyDescriptor(typedArray, "length").get;
const typedSet = typedArray.set;
const typedBuffer = Object.getOwnPropertyDescriptor(typedArray, "buffer").get;
const memoryBuffer = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer").get;

/** What an exception thrown by the caller's code was, in a few words. */
function thrown(error) {
  try {
    if (error instanceof Error) return `reading it threw an Error: ${String(error.message).slice(0, 200)}`;
    if (typeof error === "string") return `reading it threw the string "${error.slice(0, 200)}"`;
    return `reading it threw ${error === null ? "null" : `a ${typeof error}`}, not an Error`;
  } catch {
    return "reading it threw an exception";
  }
}

const isFloat64Array = (value) => typedName.call(value) === "Float64Array";

/**
 * How many numbers `value` holds, or a string saying what is wrong with it. A Float64Array may
 * hold `limit` numbers; an array, read entry by entry (each read may run a getter or a Proxy
 * trap), at most `arrayLimit` of them.
 */
export function countNumbers(value, limit, arrayLimit) {
  try {
    if (isFloat64Array(value)) {
      const length = typedLength.call(value);
      return length <= limit ? length : `may hold at most ${limit} numbers, got ${length}`;
    }
    if (!Array.isArray(value)) return "must be a Float64Array or an array of numbers";
    const length = value.length;
    if (!(Number.isSafeInteger(length) && length >= 0)) return "must be a Float64Array or an array of numbers";
    const most = Math.min(limit, arrayLimit);
    if (length <= most) return length;
    return most < limit
      ? `may hold at most ${most} numbers as an array (${limit} as a Float64Array), got ${length}`
      : `may hold at most ${limit} numbers, got ${length}`;
  } catch (error) {
    return `could not be read: ${thrown(error)}`;
  }
}

/**
 * Copies `value`'s first `into.length` numbers into `into` (a view of WebAssembly memory);
 * returns null, or a string saying what is wrong with `value`.
 */
export function copyNumbers(value, into) {
  try {
    const length = into.length;
    if (length === 0) return null; // nothing to copy (and a detached array's set would throw)
    if (isFloat64Array(value)) {
      if (typedLength.call(value) !== length) return "changed its length while it was read";
      typedSet.call(into, value);
      return null;
    }
    for (let i = 0; i < length; i += 1) {
      const v = value[i];
      if (typeof v !== "number") return `must hold only numbers (entry ${i} is a ${v === null ? "null" : typeof v})`;
      into[i] = v;
    }
    return null;
  } catch (error) {
    return `could not be read: ${thrown(error)}`;
  }
}
/** A Float64Array over the whole of the last memory `copyExactPair` was given, made again when
 * that memory grows (its buffer is then replaced) or another instance's memory comes. */
let heap = null;

/**
 * The way a repeated call reads its arguments, in one crossing: if `a` and `b` are genuine
 * Float64Arrays of exactly `aLength` and `bLength` numbers, copies them to the Float64 indices
 * `aAt` and `bAt` of `memory` and returns true. Otherwise (or if anything throws) returns false,
 * having changed nothing the caller relies on: the caller then reads them the usual way, which
 * says what is wrong. Only built-in accessors run, so no code of the caller's can interfere.
 */
export function copyExactPair(memory, a, aAt, aLength, b, bAt, bLength) {
  try {
    if (typedName.call(a) !== "Float64Array" || typedName.call(b) !== "Float64Array") return false;
    if (typedLength.call(a) !== aLength || typedLength.call(b) !== bLength) return false;
    const buffer = memoryBuffer.call(memory);
    if (heap === null || typedBuffer.call(heap) !== buffer) heap = new Float64Array(buffer);
    typedSet.call(heap, a, aAt);
    typedSet.call(heap, b, bAt);
    return true;
  } catch {
    return false;
  }
}
export function readTexts(value, limit, longest) {
  try {
    if (!Array.isArray(value)) return "must be an array of strings";
    const length = value.length;
    if (!(length <= limit)) return `may hold at most ${limit} strings, got ${length}`;
    const out = [];
    for (let i = 0; i < length; i += 1) {
      const v = value[i];
      if (typeof v !== "string" || v.length > longest) return `must hold only strings of at most ${longest} characters (entry ${i} is not one)`;
      out.push(v);
    }
    return out;
  } catch (error) {
    return `could not be read: ${thrown(error)}`;
  }
}
export function now() {
  return performance.now();
}
export function reportPanic(message) {
  try {
    console.error(`Backprop Lab stopped on an internal error: ${message}`);
    if (typeof globalThis.dispatchEvent === "function" && typeof CustomEvent === "function") {
      globalThis.dispatchEvent(new CustomEvent("backprop-lab:panic", { detail: message }));
    }
  } catch {}
}
"#)]
extern "C" {
    /// How many numbers `value` holds (a number), or a string saying what is wrong with it.
    #[wasm_bindgen(js_name = countNumbers)]
    fn count_numbers(value: &JsValue, limit: f64, array_limit: f64) -> JsValue;

    /// Copies `value` into `into`; null, or a string saying what is wrong with `value`.
    #[wasm_bindgen(js_name = copyNumbers)]
    fn copy_numbers(value: &JsValue, into: &Float64Array) -> JsValue;

    /// Copies two genuine Float64Arrays of exactly the given lengths into `memory` at the
    /// given Float64 indices and returns true, or returns false (see [`copy_exact_pair`]).
    #[wasm_bindgen(js_name = copyExactPair)]
    fn copy_exact_pair_js(
        memory: &JsValue,
        a: &JsValue,
        a_at: u32,
        a_length: u32,
        b: &JsValue,
        b_at: u32,
        b_length: u32,
    ) -> bool;

    /// A fresh array of strings copied from `value`, or a string saying what is wrong.
    #[wasm_bindgen(js_name = readTexts)]
    fn read_texts(value: &JsValue, limit: f64, longest: f64) -> JsValue;

    /// Milliseconds from `performance.now()`, for timing slices of work.
    pub fn now() -> f64;

    /// Writes an internal error to the console and tells the page, which shows its notice.
    #[wasm_bindgen(js_name = reportPanic)]
    pub fn report_panic(message: &str);
}

/// The most numbers an array (not a Float64Array) may hold: each entry is read on its own and
/// may run a getter or a Proxy trap, so this many take at most about a tenth of a second.
pub const MAX_ARRAY_NUMBERS: usize = 100_000;

/// How many numbers a Float64Array or an array of numbers holds, refused beyond `limit` (an
/// array beyond [`MAX_ARRAY_NUMBERS`]) before anything is copied.
pub fn count(what: &str, value: &JsValue, limit: usize) -> Result<usize, JsError> {
    let counted = count_numbers(value, limit as f64, MAX_ARRAY_NUMBERS as f64);
    match counted.as_f64() {
        Some(length) => Ok(length as usize),
        None => Err(JsError::new(&format!(
            "{what} {}",
            counted.as_string().unwrap_or_default()
        ))),
    }
}

/// Copies the `length` numbers [`count`] found in `value` into `into`, which is reused (its
/// old contents are replaced; on an error they are unspecified).
pub fn read_into(
    what: &str,
    value: &JsValue,
    length: usize,
    into: &mut Vec<f64>,
) -> Result<(), JsError> {
    into.clear();
    into.resize(length, 0.0);
    // SAFETY: the view covers exactly `into`'s initialised buffer, and lives only during
    // `copy_numbers`. Meanwhile no WebAssembly code runs that could move the buffer or grow
    // the memory: only the caller's JavaScript (getters, Proxy traps), and the glue refuses
    // every call into the module while this one is in progress (scripts/guard-calls.js).
    let view = unsafe { Float64Array::view_mut_raw(into.as_mut_ptr(), length) };
    let problem = copy_numbers(value, &view);
    match problem.as_string() {
        None => Ok(()),
        Some(problem) => Err(JsError::new(&format!("{what} {problem}"))),
    }
}

thread_local! {
    /// This instance's memory, taken once (each call to `wasm_bindgen::memory()` crosses into
    /// JavaScript).
    static MEMORY: JsValue = wasm_bindgen::memory();
}

/// Fills `into_a` and `into_b` from `a` and `b` in one crossing into JavaScript when both are
/// genuine Float64Arrays of exactly their lengths; returns whether it did. When it returns
/// false nothing is known about `a` and `b` (and `into_a` and `into_b` are unchanged): read them
/// with [`count`] and [`read_into`], which say what is wrong. A call that repeats another's sizes
/// pays one crossing instead of several per array.
pub fn copy_exact_pair(a: &JsValue, into_a: &mut [f64], b: &JsValue, into_b: &mut [f64]) -> bool {
    // Float64 indices into memory; a Vec<f64>'s buffer is 8-byte aligned, and wasm32 addresses
    // and lengths fit in u32.
    let at = |slice: &[f64]| (slice.as_ptr() as usize / 8) as u32;
    // SAFETY of the copy (done by JavaScript into this memory): `into_a` and `into_b` are
    // exclusively borrowed for the call, and no WebAssembly code runs meanwhile (only built-in
    // accessors, no code of the caller's), so nothing moves them or grows the memory.
    MEMORY.with(|memory| {
        copy_exact_pair_js(
            memory,
            a,
            at(into_a),
            into_a.len() as u32,
            b,
            at(into_b),
            into_b.len() as u32,
        )
    })
}

/// A Float64Array or an array of numbers with at most `limit` entries, copied into Rust.
pub fn numbers(what: &str, value: &JsValue, limit: usize) -> Result<Vec<f64>, JsError> {
    let length = count(what, value, limit)?;
    let mut out = Vec::new();
    read_into(what, value, length, &mut out)?;
    Ok(out)
}

/// An array of at most `limit` strings, each of at most `longest` UTF-16 units.
pub fn texts(
    what: &str,
    value: &JsValue,
    limit: usize,
    longest: u32,
) -> Result<Vec<String>, JsError> {
    let read = read_texts(value, limit as f64, longest as f64);
    if let Some(problem) = read.as_string() {
        return Err(JsError::new(&format!("{what} {problem}")));
    }
    let array: js_sys::Array = read.unchecked_into();
    Ok(array.iter().filter_map(|v| v.as_string()).collect())
}

/// A string of at most `limit` UTF-16 units.
pub fn text(what: &str, value: &JsValue, limit: u32) -> Result<String, JsError> {
    let Some(string) = value.dyn_ref::<JsString>() else {
        return Err(JsError::new(&format!("{what} must be a string")));
    };
    if string.length() > limit {
        return Err(JsError::new(&format!(
            "{what} must be at most {limit} characters long"
        )));
    }
    value
        .as_string()
        .ok_or_else(|| JsError::new(&format!("{what} must be a string")))
}

/// A student's typed answer, for a checker that reads at most `max_chars` characters and says
/// itself when an answer is longer. A longer string is not refused here, nor copied whole: its
/// first 2·`max_chars` + 2 UTF-16 units (more than `max_chars` characters, since a character
/// takes one or two) go to the checker, whose message then says it is too long.
pub fn answer_text(what: &str, value: &JsValue, max_chars: usize) -> Result<String, JsError> {
    let Some(string) = value.dyn_ref::<JsString>() else {
        return Err(JsError::new(&format!("{what} must be a string")));
    };
    let enough = 2 * max_chars as u32 + 2;
    let kept = if string.length() > enough {
        string.slice(0, enough)
    } else {
        string.clone()
    };
    kept.as_string()
        .ok_or_else(|| JsError::new(&format!("{what} must be a string")))
}

/// A `<canvas>` element.
pub fn canvas(value: &JsValue) -> Result<HtmlCanvasElement, JsError> {
    value
        .dyn_ref::<HtmlCanvasElement>()
        .cloned()
        .ok_or_else(|| JsError::new("the first argument must be a <canvas> element"))
}

/// A whole number within `low..=high` (the message is the core's, [`crate::check::whole`]).
pub fn whole(what: &str, value: f64, range: (usize, usize)) -> Result<usize, JsError> {
    crate::check::whole(what, value, range).map_err(|message| JsError::new(&message))
}

/// A number within `low..=high` (the message is the core's, [`crate::check::within`]).
pub fn within(what: &str, value: f64, range: (f64, f64)) -> Result<f64, JsError> {
    crate::check::within(what, value, range).map_err(|message| JsError::new(&message))
}
