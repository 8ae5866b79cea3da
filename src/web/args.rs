//! Arguments from JavaScript, read without ever throwing inside Rust: a JS exception that
//! unwound through a method would leave its object borrowed for good, so every conversion
//! that could run user code (getters, proxies, `valueOf`) happens in a JS function that
//! catches, and every length is checked before anything is copied.

use js_sys::{Float64Array, JsString};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(inline_js = r#"
export function readNumbers(value, limit) {
  try {
    const typed = value instanceof Float64Array;
    if (!typed && !Array.isArray(value)) return "must be a Float64Array or an array of numbers";
    const length = value.length;
    if (!(length <= limit)) return `may hold at most ${limit} numbers, got ${length}`;
    const out = new Float64Array(length);
    for (let i = 0; i < length; i += 1) {
      const v = value[i];
      if (typeof v !== "number") return `must hold only numbers (entry ${i} is a ${v === null ? "null" : typeof v})`;
      out[i] = v;
    }
    return out;
  } catch (error) {
    try { return `could not be read: ${String(error && error.message)}`; } catch { return "could not be read"; }
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
    try { return `could not be read: ${String(error && error.message)}`; } catch { return "could not be read"; }
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
    /// A fresh Float64Array copy of `value`, or a string saying what is wrong with it.
    #[wasm_bindgen(js_name = readNumbers)]
    fn read_numbers(value: &JsValue, limit: f64) -> JsValue;

    /// A fresh array of strings copied from `value`, or a string saying what is wrong.
    #[wasm_bindgen(js_name = readTexts)]
    fn read_texts(value: &JsValue, limit: f64, longest: f64) -> JsValue;

    /// Milliseconds from `performance.now()`, for timing slices of work.
    pub fn now() -> f64;

    /// Writes an internal error to the console and tells the page, which shows its notice.
    #[wasm_bindgen(js_name = reportPanic)]
    pub fn report_panic(message: &str);
}

/// A Float64Array or an array of numbers with at most `limit` entries, copied into Rust.
pub fn numbers(what: &str, value: &JsValue, limit: usize) -> Result<Vec<f64>, JsError> {
    let read = read_numbers(value, limit as f64);
    match read.dyn_into::<Float64Array>() {
        Ok(array) => Ok(array.to_vec()),
        Err(problem) => Err(JsError::new(&format!(
            "{what} {}",
            problem.as_string().unwrap_or_default()
        ))),
    }
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

/// A `<canvas>` element.
pub fn canvas(value: &JsValue) -> Result<HtmlCanvasElement, JsError> {
    value
        .dyn_ref::<HtmlCanvasElement>()
        .cloned()
        .ok_or_else(|| JsError::new("the first argument must be a <canvas> element"))
}

/// A whole number within `low..=high`.
pub fn whole(what: &str, value: f64, (low, high): (usize, usize)) -> Result<usize, JsError> {
    if value.fract() == 0.0 && value >= low as f64 && value <= high as f64 {
        Ok(value as usize)
    } else {
        Err(JsError::new(&format!(
            "{what} must be a whole number from {low} to {high}, got {}",
            crate::format::format_plain(value)
        )))
    }
}

/// A number within `low..=high`.
pub fn within(what: &str, value: f64, (low, high): (f64, f64)) -> Result<f64, JsError> {
    if value.is_finite() && value >= low && value <= high {
        Ok(value)
    } else {
        use crate::format::format_plain;
        Err(JsError::new(&format!(
            "{what} must be a number from {} to {}, got {}",
            format_plain(low),
            format_plain(high),
            format_plain(value)
        )))
    }
}
