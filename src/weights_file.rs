//! The training lab's weights as a file: the JSON text the page saves for the student to
//! keep, and reading it back with every field checked before anything is used.
//!
//! ```json
//! {
//!  "format": "backprop-lab-weights",
//!  "version": 1,
//!  "m": 2,
//!  "h": 4,
//!  "activation": "sigmoid",
//!  "A": [0.5, …],   (h·m numbers, row-major, one a line)
//!  "b": [0.1, …]    (h numbers)
//! }
//! ```
//!
//! The text is what JavaScript's `JSON.stringify(file, null, 1)` wrote when the page saved the
//! file itself, so files saved before read the same. Numbers are written with the fewest
//! digits that read back to the same float64, and read exactly: a network saved and read again
//! has the same weights to the last bit. Fields this version does not know are ignored; a file
//! of a later version is refused.

use crate::activation::Activation;
use crate::check;
use crate::format::format_plain;
use crate::json::{self, write_number, Value};
use crate::network::Network;
use crate::trainer::HIDDEN_RANGE;
use std::fmt;

/// The `format` field of every weights file.
pub const FORMAT: &str = "backprop-lab-weights";
/// The version this core writes and reads.
pub const VERSION: u32 = 1;
/// The largest file read, in bytes (a file of h = 64 with m = 2 takes about 4 KB).
pub const MAX_BYTES: usize = 200_000;

/// What a weights file holds: m (1, or 2 with the constant input), h, σ, A (h·m, row-major)
/// and b (h).
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub inputs: usize,
    pub hidden: usize,
    pub activation: Activation,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
}

impl Weights {
    /// The weights of `network`, as a file holds them.
    pub fn of(network: &Network) -> Weights {
        Weights {
            inputs: network.inputs(),
            hidden: network.hidden(),
            activation: network.activation(),
            a: network.weights_a().to_vec(),
            b: network.weights_b().to_vec(),
        }
    }
}

/// Why a text is not a weights file this page can read, in words for the student.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeightsFileError(pub String);

impl fmt::Display for WeightsFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WeightsFileError {}

fn refuse<T>(message: impl Into<String>) -> Result<T, WeightsFileError> {
    Err(WeightsFileError(message.into()))
}

/// The file's text for `weights`, as the page saves it: one field a line, indented by one
/// space, and one number a line in A and b, indented by two.
pub fn write(weights: &Weights) -> String {
    let list = |values: &[f64]| {
        let lines: Vec<String> = values
            .iter()
            .map(|&v| format!("  {}", write_number(v)))
            .collect();
        if lines.is_empty() {
            "[]".to_string()
        } else {
            format!("[\n{}\n ]", lines.join(",\n"))
        }
    };
    let fields = [
        ("format", format!("\"{FORMAT}\"")),
        ("version", VERSION.to_string()),
        ("m", weights.inputs.to_string()),
        ("h", weights.hidden.to_string()),
        ("activation", format!("\"{}\"", weights.activation.name())),
        ("A", list(&weights.a)),
        ("b", list(&weights.b)),
    ];
    let members: Vec<String> = fields
        .iter()
        .map(|(key, value)| format!(" \"{key}\": {value}"))
        .collect();
    ["{", &members.join(",\n"), "}"].join("\n")
}

/// The refusal of a text longer than [`MAX_BYTES`].
pub fn too_large<T>() -> Result<T, WeightsFileError> {
    refuse(format!(
        "the file is too large: a weights file is at most {} bytes",
        thousands(MAX_BYTES)
    ))
}

/// Reads a weights file, checking every field: its format and version, m (1 or 2), h (a
/// whole number in the lab's range), the activation's name, and A and b (lists of h·m and h
/// finite numbers). The values themselves (each weight's range) are the lab's to check.
pub fn read(text: &str) -> Result<Weights, WeightsFileError> {
    if text.len() > MAX_BYTES {
        return too_large();
    }
    let value =
        json::parse(text).or_else(|error| refuse(format!("it is not valid JSON ({error})")))?;
    let fields = Fields::of(&value)?;
    check_version(fields.get("version"))?;
    let inputs = whole(&fields, "m", "the input size", (1, 2))?;
    let hidden = whole(&fields, "h", "the number of hidden units", HIDDEN_RANGE)?;
    let activation = match fields.get("activation") {
        Some(Value::String(name)) => name
            .parse::<Activation>()
            .or_else(|error| refuse(format!("\"activation\": {error}")))?,
        _ => {
            return refuse("\"activation\" must be the name of an activation, such as \"sigmoid\"")
        }
    };
    let a = numbers(&fields, "A", "h·m", hidden * inputs)?;
    let b = numbers(&fields, "b", "h", hidden)?;
    Ok(Weights {
        inputs,
        hidden,
        activation,
        a,
        b,
    })
}

/// The members of the file's top-level object, each name once.
struct Fields<'a>(&'a [(String, Value)]);

impl<'a> Fields<'a> {
    fn of(value: &'a Value) -> Result<Fields<'a>, WeightsFileError> {
        let Value::Object(members) = value else {
            return refuse("this is not a Backprop Lab weights file");
        };
        let fields = Fields(members);
        if !matches!(fields.get("format"), Some(Value::String(format)) if format == FORMAT) {
            return refuse("this is not a Backprop Lab weights file");
        }
        for (i, (name, _)) in members.iter().enumerate() {
            if members[..i].iter().any(|(earlier, _)| earlier == name) {
                return refuse(format!("the field \"{name}\" appears twice"));
            }
        }
        Ok(fields)
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, v)| v)
    }
}

/// Version 1 is read; a later one was written by a newer page and is refused as such.
fn check_version(version: Option<&Value>) -> Result<(), WeightsFileError> {
    let this = format!("this page reads version {VERSION}");
    let Some(Value::Number(number)) = version else {
        return refuse(format!("the file is of no known version; {this}"));
    };
    let v = number.value();
    if v == f64::from(VERSION) {
        Ok(())
    } else if v > f64::from(VERSION) {
        refuse(format!(
            "the file is version {}; {this}, and the file needs a newer Backprop Lab",
            format_plain(v)
        ))
    } else {
        refuse(format!("the file is version {}; {this}", format_plain(v)))
    }
}

/// The field `key` as a whole number within `range`.
fn whole(
    fields: &Fields,
    key: &str,
    what: &str,
    range: (usize, usize),
) -> Result<usize, WeightsFileError> {
    let Some(Value::Number(number)) = fields.get(key) else {
        return refuse(format!("\"{key}\" ({what}) must be a number, such as 2"));
    };
    check::whole(&format!("\"{key}\" ({what})"), number.value(), range).map_err(WeightsFileError)
}

/// The field `key` as a list of `count` finite numbers (`count_text` says where the count
/// comes from: "h·m").
fn numbers(
    fields: &Fields,
    key: &str,
    count_text: &str,
    count: usize,
) -> Result<Vec<f64>, WeightsFileError> {
    let Some(Value::Array(items)) = fields.get(key) else {
        return refuse(format!("\"{key}\" must be a list of numbers"));
    };
    if items.len() != count {
        return refuse(format!(
            "\"{key}\" must have {count} entries ({count_text} numbers), got {}",
            items.len()
        ));
    }
    // Read only once the count is right: at most a few hundred numbers.
    let mut values = Vec::with_capacity(count);
    for (i, item) in items.iter().enumerate() {
        let Value::Number(number) = item else {
            return refuse(format!(
                "\"{key}\" must hold only numbers (entry {i} is {})",
                item.kind()
            ));
        };
        let value = number.value();
        if !value.is_finite() {
            return refuse(format!(
                "\"{key}\" must hold only numbers within float64's range (entry {i} is not)"
            ));
        }
        values.push(value);
    }
    Ok(values)
}

/// 200000 → "200,000".
fn thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut text = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(c);
    }
    text
}
