//! A small JSON reader and number writer for the files the page saves (the weights file):
//! RFC 8259 text to a [`Value`], every number read exactly (to the nearest float64, as
//! JavaScript's `JSON.parse` does), with a depth limit so that no input can exhaust the stack.
//! It reads what `JSON.parse` reads, and refuses with the line and column of the first
//! character it cannot read.

mod float;

pub use float::shortest as write_number;
use std::fmt;

/// Arrays and objects nested deeper than this are refused (a weights file nests two deep).
pub const MAX_DEPTH: usize = 64;

/// A JSON value. An object keeps its members in the file's order, duplicates included.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// What kind of value this is, with its article, for messages: "a number", "an object".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

/// A number as written: its digits, the power of ten of the last one, and its sign. It is
/// turned into a float64 only when asked ([`Number::value`]), so that a long file of numbers
/// nobody reads costs no more than reading its characters.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Number {
    /// The float64 nearest to the number (ties to even), as JSON.parse reads it: ±∞ beyond
    /// float64's range, ±0 below half its smallest value.
    pub fn value(&self) -> f64 {
        let magnitude = float::decimal_to_f64(&self.digits, self.exponent);
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }
}

/// Why a text is not JSON, and where (1-based line and column, counted in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {}, column {}",
            self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Reads `text` as one JSON value (white space around it allowed, nothing else).
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let mut reader = Reader { text, at: 0 };
    reader.skip_space();
    let value = reader.value(0)?;
    reader.skip_space();
    if reader.at < text.len() {
        return Err(reader.error("unexpected text after the end"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a str,
    /// A byte offset into `text`, always on a character boundary.
    at: usize,
}

impl Reader<'_> {
    fn error(&self, message: &'static str) -> JsonError {
        // Counted by hand: the standard library's splitting would add its searchers to the
        // WebAssembly.
        let (mut line, mut column) = (1, 1);
        for c in self.text[..self.at].chars() {
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        JsonError {
            line,
            column,
            message,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text goes on with it.
    fn eat(&mut self, word: &str) -> bool {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => {
                Err(self.error("lists and objects nested too deep"))
            }
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ if self.eat("true") => Ok(Value::Bool(true)),
            _ if self.eat("false") => Ok(Value::Bool(false)),
            _ if self.eat("null") => Ok(Value::Null),
            None => Err(self.error("the text ends where a value should be")),
            _ => Err(self.error("expected a value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.at += 1; // [
        let mut items = Vec::new();
        self.skip_space();
        if self.eat("]") {
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth)?);
            self.skip_space();
            if self.eat("]") {
                return Ok(Value::Array(items));
            }
            if !self.eat(",") {
                return Err(self.error("expected , or ] in a list"));
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.at += 1; // {
        let mut members = Vec::new();
        self.skip_space();
        if self.eat("}") {
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a name in quotes"));
            }
            let name = self.string()?;
            self.skip_space();
            if !self.eat(":") {
                return Err(self.error("expected : after a name"));
            }
            self.skip_space();
            members.push((name, self.value(depth)?));
            self.skip_space();
            if self.eat("}") {
                return Ok(Value::Object(members));
            }
            if !self.eat(",") {
                return Err(self.error("expected , or } in an object"));
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // "
        let mut text = String::new();
        loop {
            let Some(c) = self.text[self.at..].chars().next() else {
                return Err(self.error("a string is not closed"));
            };
            match c {
                '"' => {
                    self.at += 1;
                    return Ok(text);
                }
                '\\' => {
                    self.at += 1;
                    text.push(self.escape()?);
                }
                '\u{0}'..='\u{1f}' => {
                    return Err(self.error("a control character in a string"));
                }
                c => {
                    text.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
    }

    /// The character an escape (after its backslash) stands for.
    fn escape(&mut self) -> Result<char, JsonError> {
        let simple = match self.peek() {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'u') => None,
            _ => return Err(self.error("an unknown escape in a string")),
        };
        self.at += 1;
        if let Some(c) = simple {
            return Ok(c);
        }
        let first = self.hex4()?;
        if (0xd800..0xdc00).contains(&first) && self.text[self.at..].starts_with("\\u") {
            // A surrogate pair, as JSON writes characters beyond the first 65,536.
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xdc00..0xe000).contains(&second) {
                let code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                return Ok(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            self.at = save;
        }
        // A lone surrogate has no character of its own (JSON.parse keeps it; Rust cannot).
        Ok(char::from_u32(first).unwrap_or('\u{fffd}'))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.as_bytes().get(self.at..self.at + 4);
        let value = digits.and_then(|d| {
            d.iter().try_fold(0u32, |value, &byte| {
                char::from(byte)
                    .to_digit(16)
                    .map(|digit| value * 16 + digit)
            })
        });
        match value {
            Some(value) => {
                self.at += 4;
                Ok(value)
            }
            None => Err(self.error("\\u needs four hexadecimal digits")),
        }
    }

    /// A number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?.
    fn number(&mut self) -> Result<Number, JsonError> {
        let negative = self.eat("-");
        let mut digits: Vec<u8> = Vec::new();
        let whole = self.digits(&mut digits);
        if whole == 0 {
            return Err(self.error("a number needs a digit here"));
        }
        if whole > 1 && digits.first() == Some(&0) {
            return Err(self.error("a number cannot start with 0"));
        }
        let mut exponent: i64 = 0;
        if self.eat(".") {
            let fraction = self.digits(&mut digits);
            if fraction == 0 {
                return Err(self.error("a number needs a digit after its point"));
            }
            exponent -= fraction as i64;
        }
        if self.eat("e") || self.eat("E") {
            let negative_power = self.eat("-");
            if !negative_power {
                self.eat("+");
            }
            let mut power_digits = Vec::new();
            if self.digits(&mut power_digits) == 0 {
                return Err(self.error("a number needs a digit in its exponent"));
            }
            // Beyond a million the value is 0 or ∞ whatever the digits (the file is short).
            let power = power_digits
                .iter()
                .fold(0i64, |p, &d| (p * 10 + i64::from(d)).min(1_000_000_000));
            exponent += if negative_power { -power } else { power };
        }
        Ok(Number {
            negative,
            digits,
            exponent,
        })
    }

    /// Appends the decimal digits at the reading position to `into`; returns how many.
    fn digits(&mut self, into: &mut Vec<u8>) -> usize {
        let start = self.at;
        while let Some(byte @ b'0'..=b'9') = self.peek() {
            into.push(byte - b'0');
            self.at += 1;
        }
        self.at - start
    }
}
