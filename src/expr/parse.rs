//! Text to syntax tree: a lexer over chars and a recursive-descent parser whose depth is
//! counted and capped at [`MAX_DEPTH`], so no input can overflow the stack.
//!
//! ```text
//! expression := term (('+' | '-') term)*
//! term       := unary (('*' | '@' | '⊙' | '⊗' | '/') unary | postfix)*  (the last: juxtaposition)
//! unary      := ('-' | '+') unary | postfix
//! postfix    := primary ('ᵀ' | '²')*
//! primary    := number | symbol | function '(' expression ')' | '(' expression ')'
//!             | 'transpose' '(' expression ')' | 'outer' '(' expression ',' expression ')'
//! ```

use super::{Function, Kind, Node, Number, Symbol, Times, MAX_CHARS, MAX_DEPTH};
use crate::decimal::POWERS_OF_TEN;
use std::fmt;

/// Where and why the text could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError {
    /// The 0-based character (not byte) offset of the problem, at most the text's length.
    /// Messages count from 1, as a student does: offset 4 is "position 5".
    pub position: usize,
    /// What went wrong.
    pub kind: ParseErrorKind,
}

/// What went wrong while reading an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ParseErrorKind {
    /// Nothing but spaces.
    Empty,
    /// More than [`MAX_CHARS`] characters.
    TooLong,
    /// More than [`MAX_DEPTH`] nested parentheses, signs or function calls.
    TooDeep,
    /// A character that is no part of the language.
    UnknownCharacter(char),
    /// Letters that do not spell a known name (at most 24 of them are kept).
    UnknownName {
        name: String,
        hint: Option<&'static str>,
    },
    /// A number that cannot be read exactly.
    BadNumber,
    /// `^` followed by something other than T or 2.
    BadPower,
    /// A number, a name or an opening parenthesis was expected; `found` is what came instead
    /// (`None`: the end of the text).
    MissingOperand { found: Option<&'static str> },
    /// A number straight after a term, as in `z4 2`.
    NumberAfterTerm,
    /// An opening parenthesis at `open` (0-based) that is not closed.
    Unclosed {
        open: usize,
        opener: char,
        closer: char,
        found: Option<&'static str>,
    },
    /// A closing parenthesis with no opening one.
    UnmatchedClose { closer: char },
    /// A function name without `(` after it.
    NeedsParentheses { function: &'static str },
    /// A notation from NumPy or LaTeX the language does not read (at most 24 characters
    /// are kept); `instead` is the spelling it does read.
    NotRead {
        found: String,
        instead: &'static str,
    },
    /// `outer(` with no comma between its two vectors.
    OuterNeedsTwo,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind != ParseErrorKind::Empty {
            write!(f, "At position {}: ", self.position + 1)?;
        }
        match &self.kind {
            ParseErrorKind::Empty => f.write_str("type an expression, for example 2 z4"),
            ParseErrorKind::TooLong => write!(
                f,
                "the answer is too long; at most {MAX_CHARS} characters are read"
            ),
            ParseErrorKind::TooDeep => write!(
                f,
                "too many nested parentheses, signs or functions (at most {MAX_DEPTH})"
            ),
            ParseErrorKind::UnknownCharacter(c) => {
                if c.is_control() || is_invisible(*c) {
                    write!(f, "the character U+{:04X} is not understood", *c as u32)
                } else {
                    write!(f, "‘{c}’ is not understood here")
                }
            }
            ParseErrorKind::UnknownName { name, hint } => {
                write!(f, "‘{name}’ is not a known name")?;
                match hint {
                    Some(hint) => write!(f, ": {hint}"),
                    None => f.write_str(
                        "; the names are x, y, A, b, z1, z2, z3, z4, σ (sigma) and σ′ (sigma')",
                    ),
                }
            }
            ParseErrorKind::BadNumber => f.write_str(
                "this number can't be read: use at most 15 significant digits and a power of \
                 ten from −22 to 22, like 0.5 or 1e-3",
            ),
            ParseErrorKind::BadPower => f.write_str(
                "after ^ only T or \\top (transpose) and 2 (square) are understood, as in x^T, \
                 x^{\\top} or z4^2",
            ),
            ParseErrorKind::MissingOperand { found: None } => {
                f.write_str("the expression stops too early: a number, a name or ‘(’ should follow")
            }
            ParseErrorKind::MissingOperand { found: Some(found) } => write!(
                f,
                "expected a number, a name or ‘(’ here, but found {found}"
            ),
            ParseErrorKind::NumberAfterTerm => f.write_str(
                "a number can't follow here without an operator: write * before it (or remove \
                 the space inside a number)",
            ),
            ParseErrorKind::Unclosed {
                open,
                opener,
                closer,
                found,
            } => {
                write!(
                    f,
                    "expected ‘{closer}’ to close the ‘{opener}’ at position {}",
                    open + 1
                )?;
                match found {
                    Some(found) => write!(f, ", but found {found}"),
                    None => Ok(()),
                }
            }
            ParseErrorKind::UnmatchedClose { closer } => {
                write!(f, "this ‘{closer}’ has no ‘(’ or ‘[’ to close")
            }
            ParseErrorKind::NeedsParentheses { function } => write!(
                f,
                "{function} needs its argument in parentheses, like {function}(z1)"
            ),
            ParseErrorKind::NotRead { found, instead } => {
                write!(f, "‘{found}’ is not read here: {instead}")
            }
            ParseErrorKind::OuterNeedsTwo => f.write_str(
                "outer needs two vectors separated by a comma, like outer(b, x) for b xᵀ",
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// Characters that would show as nothing (or as a blank) in a message.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{A0}'
            | '\u{AD}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200F}'
            | '\u{2028}'..='\u{202F}'
            | '\u{205F}'..='\u{206F}'
            | '\u{3000}'
            | '\u{FEFF}'
    )
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    Number(Number),
    Symbol(Symbol),
    Function(Function),
    Plus,
    Minus,
    Times(Times),
    Entrywise,
    Divide,
    Open(char),
    Close(char),
    Transpose,
    Square,
    /// `⊗`, `\otimes`: u ⊗ v is the outer product u vᵀ.
    Outer,
    /// `transpose`, a function that is a transpose.
    TransposeCall,
    /// `outer`, NumPy's outer product of two vectors.
    OuterCall,
    Comma,
}

impl Tok {
    /// How a message names the token; from a fixed set, never the input itself.
    fn describe(self) -> &'static str {
        match self {
            Tok::Number(_) => "a number",
            Tok::Symbol(symbol) => symbol.name(),
            Tok::Function(function) => function.name(),
            Tok::Plus => "‘+’",
            Tok::Minus => "‘−’",
            Tok::Times(Times::At) => "‘@’",
            Tok::Times(Times::Dot) => "‘·’",
            Tok::Times(_) => "‘*’",
            Tok::Entrywise => "‘⊙’",
            Tok::Divide => "‘/’",
            Tok::Open('[') => "‘[’",
            Tok::Open('{') => "‘{’",
            Tok::Open(_) => "‘(’",
            Tok::Close(']') => "‘]’",
            Tok::Close('}') => "‘}’",
            Tok::Close(_) => "‘)’",
            Tok::Transpose => "‘ᵀ’",
            Tok::Square => "‘²’",
            Tok::Outer => "‘⊗’",
            Tok::TransposeCall => "transpose",
            Tok::OuterCall => "outer",
            Tok::Comma => "‘,’",
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

#[derive(Clone, Copy)]
enum Word {
    Symbol(Symbol),
    Function(Function),
    Transpose,
    Outer,
}

/// Every name, longest first where one is a prefix of another ("sigmoid" before "sigma").
const WORDS: [(&str, Word); 30] = [
    ("transpose", Word::Transpose),
    ("outer", Word::Outer),
    ("exp", Word::Function(Function::Exp)),
    ("sigmoid_prime", Word::Function(Function::SigmaPrime)),
    ("sigma_prime", Word::Function(Function::SigmaPrime)),
    ("dsigmoid", Word::Function(Function::SigmaPrime)),
    ("dsigma", Word::Function(Function::SigmaPrime)),
    ("sigmoid", Word::Function(Function::Sigma)),
    ("sigma", Word::Function(Function::Sigma)),
    ("diag", Word::Function(Function::Diag)),
    ("z_{1}", Word::Symbol(Symbol::Z1)),
    ("z_{2}", Word::Symbol(Symbol::Z2)),
    ("z_{3}", Word::Symbol(Symbol::Z3)),
    ("z_{4}", Word::Symbol(Symbol::Z4)),
    ("z_1", Word::Symbol(Symbol::Z1)),
    ("z_2", Word::Symbol(Symbol::Z2)),
    ("z_3", Word::Symbol(Symbol::Z3)),
    ("z_4", Word::Symbol(Symbol::Z4)),
    ("z1", Word::Symbol(Symbol::Z1)),
    ("z2", Word::Symbol(Symbol::Z2)),
    ("z3", Word::Symbol(Symbol::Z3)),
    ("z4", Word::Symbol(Symbol::Z4)),
    ("z₁", Word::Symbol(Symbol::Z1)),
    ("z₂", Word::Symbol(Symbol::Z2)),
    ("z₃", Word::Symbol(Symbol::Z3)),
    ("z₄", Word::Symbol(Symbol::Z4)),
    ("x", Word::Symbol(Symbol::X)),
    ("y", Word::Symbol(Symbol::Y)),
    ("A", Word::Symbol(Symbol::A)),
    ("b", Word::Symbol(Symbol::B)),
];

/// Hints for names students plausibly type.
const NAME_HINTS: [(&str, &str); 22] = [
    ("X", "names are case-sensitive: did you mean x?"),
    ("Y", "names are case-sensitive: did you mean y?"),
    ("a", "names are case-sensitive: did you mean A?"),
    ("B", "names are case-sensitive: did you mean b?"),
    (
        "T",
        "for a transpose write ᵀ, ^T or ' after the name, as in xᵀ",
    ),
    (
        "t",
        "for a transpose write ᵀ, ^T or ' after the name, as in xᵀ",
    ),
    ("z", "z needs its number: z1, z2, z3 or z4"),
    ("Z", "write z1, z2, z3 or z4 (small z)"),
    ("s", "write σ as σ or sigma"),
    (
        "L",
        "L is the loss itself; write the derivative with x, y, A, b and z1 … z4",
    ),
    (
        "h",
        "h is a size, not a value; write the derivative with x, y, A, b and z1 … z4",
    ),
    (
        "m",
        "m is a size, not a value; write the derivative with x, y, A, b and z1 … z4",
    ),
    (
        "e",
        "for e to a power write exp(…), as in 1 / (1 + exp(-z1))",
    ),
    ("dot", "write a dot product as uᵀv or u.T @ v, as in bᵀz2"),
    (
        "sum",
        "write a sum of products as a dot product uᵀv, as in bᵀz2",
    ),
    (
        "multiply",
        "for entry by entry write ⊙, .* or *, as in b ⊙ z2",
    ),
    ("matmul", "for a matrix product write @ or *, as in A @ x"),
    (
        "tanh",
        "this network uses σ; write σ(…), sigma(…) or 1 / (1 + exp(-…))",
    ),
    (
        "relu",
        "this network uses σ; write σ(…), sigma(…) or 1 / (1 + exp(-…))",
    ),
    (
        "log",
        "the derivatives here need no log; σ′(z1) = z2 ⊙ (1 − z2)",
    ),
    ("prime", "write σ′ as σ'(z1), sigma'(z1) or \\sigma'(z1)"),
    (
        "delta",
        "write the derivative itself with x, y, A, b and z1 … z4",
    ),
];

fn error(position: usize, kind: ParseErrorKind) -> ParseError {
    ParseError { position, kind }
}

fn stray_comma() -> ParseErrorKind {
    ParseErrorKind::NotRead {
        found: ",".to_string(),
        instead: "a comma is read only between the two vectors of outer(u, v)",
    }
}

/// The closing bracket of an opening one.
fn closer_of(opener: char) -> char {
    match opener {
        '[' => ']',
        '{' => '}',
        _ => ')',
    }
}

/// The nodes of `text`, children before parents, root last; never empty on success.
pub(super) fn parse(text: &str) -> Result<Vec<Node>, ParseError> {
    // Walks at most MAX_CHARS + 1 characters, however long the text is.
    if text.chars().nth(MAX_CHARS).is_some() {
        return Err(error(MAX_CHARS, ParseErrorKind::TooLong));
    }
    let chars: Vec<char> = text.chars().map(plain).collect();
    let tokens = lex(&chars)?;
    if tokens.is_empty() {
        return Err(error(0, ParseErrorKind::Empty));
    }
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        end_of_text: chars.len(),
        nodes: Vec::with_capacity(tokens.len()),
        depth: 0,
    };
    parser.expression()?;
    if let Some(token) = parser.peek() {
        let kind = match token.tok {
            Tok::Close(closer) => ParseErrorKind::UnmatchedClose { closer },
            Tok::Comma => stray_comma(),
            other => ParseErrorKind::MissingOperand {
                found: Some(other.describe()),
            },
        };
        return Err(error(token.start, kind));
    }
    Ok(parser.nodes)
}

/// A mathematical italic letter as its plain letter (the page's preview shows 𝜎 and 𝑥, and a
/// student may copy them back); one char for one, so positions stay the same.
fn plain(c: char) -> char {
    match c {
        '𝜎' | '𝝈' | '𝛔' => 'σ',
        '𝑥' => 'x',
        '𝑦' => 'y',
        '𝐴' => 'A',
        '𝑏' => 'b',
        '𝑧' => 'z',
        '𝑇' => 'T',
        '⊺' => 'ᵀ',
        other => other,
    }
}

/// LaTeX commands read, each with what it stands for (`None`: nothing, as for spacing and
/// `\left`); longest first where one is a prefix of another.
const LATEX: [(&str, Option<Tok>); 20] = [
    ("sigma", Some(Tok::Function(Function::Sigma))),
    ("odot", Some(Tok::Entrywise)),
    ("circ", Some(Tok::Entrywise)),
    ("cdot", Some(Tok::Times(Times::Dot))),
    ("times", Some(Tok::Times(Times::Dot))),
    ("ast", Some(Tok::Times(Times::Star))),
    ("otimes", Some(Tok::Outer)),
    ("intercal", Some(Tok::Transpose)),
    ("top", Some(Tok::Transpose)),
    ("exp", Some(Tok::Function(Function::Exp))),
    ("operatorname", None),
    ("boldsymbol", None),
    ("mathbf", None),
    ("mathrm", None),
    ("mathit", None),
    ("left", None),
    ("right", None),
    ("bigl", None),
    ("bigr", None),
    ("quad", None),
];

/// The accepted LaTeX, for a message about one that is not.
const LATEX_READ: &str = "the LaTeX read is \\sigma, \\odot, \\cdot, \\times, \\otimes, \\top, \\exp, \\left, \\right, \\mathbf and braces";

/// A LaTeX command at `start` (the backslash): its token, or `None` for one that stands for
/// nothing, and the position after it.
fn latex(chars: &[char], start: usize) -> Result<(Option<Tok>, usize), ParseError> {
    let mut end = start + 1;
    // \, \; \! and "\ " are spacing.
    if matches!(chars.get(end), Some(',' | ';' | '!' | ':' | ' ')) {
        return Ok((None, end + 1));
    }
    while chars.get(end).is_some_and(|c| c.is_ascii_alphabetic()) {
        end += 1;
    }
    let name: String = chars[start + 1..end.min(chars.len())].iter().collect();
    match LATEX.iter().find(|(command, _)| *command == name) {
        Some((_, tok)) => Ok((*tok, end)),
        None => Err(error(
            start,
            ParseErrorKind::NotRead {
                found: format!("\\{}", name.chars().take(23).collect::<String>()),
                instead: match name.as_str() {
                    "frac" | "dfrac" | "tfrac" => {
                        "write a fraction as a / b, as in 1 / (1 + exp(-z1))"
                    }
                    "partial" | "nabla" => {
                        "write the derivative itself with x, y, A, b and z1 … z4"
                    }
                    "prime" => "write σ′ as \\sigma'(z1) or sigma'(z1)",
                    _ => LATEX_READ,
                },
            },
        )),
    }
}

fn lex(chars: &[char]) -> Result<Vec<Token>, ParseError> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let start = i;
        let next = chars.get(i + 1).copied();
        let (tok, end) = match c {
            ' ' | '\t' | '\n' | '\r' | '\u{A0}' | '\u{2009}' | '\u{202F}' => {
                i += 1;
                continue;
            }
            '0'..='9' => number(chars, i)?,
            '.' if next.is_some_and(|n| n.is_ascii_digit()) => number(chars, i)?,
            '.' if next == Some('*') => (Tok::Entrywise, i + 2),
            // NumPy's x.T.
            '.' if next == Some('T')
                && !chars
                    .get(i + 2)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') =>
            {
                (Tok::Transpose, i + 2)
            }
            '.' if next.is_some_and(|n| n.is_ascii_alphabetic()) => {
                return Err(dot_word_error(chars, i))
            }
            // np.outer, np.exp, np.transpose: NumPy's prefix says nothing more.
            'n' if chars.get(i + 1) == Some(&'p')
                && chars.get(i + 2) == Some(&'.')
                && chars.get(i + 3).is_some_and(|c| c.is_ascii_alphabetic()) =>
            {
                i += 3;
                continue;
            }
            '\\' => match latex(chars, i)? {
                (Some(tok), end) => (tok, end),
                (None, end) => {
                    i = end;
                    continue;
                }
            },
            ',' => (Tok::Comma, i + 1),
            '⊗' => (Tok::Outer, i + 1),
            '{' => (Tok::Open('{'), i + 1),
            '}' => (Tok::Close('}'), i + 1),
            '+' => (Tok::Plus, i + 1),
            '-' | '−' | '–' => (Tok::Minus, i + 1),
            '*' if next == Some('*') => power(chars, i + 2)?,
            '*' | '∗' => (Tok::Times(Times::Star), i + 1),
            '·' | '⋅' | '×' => (Tok::Times(Times::Dot), i + 1),
            '@' => (Tok::Times(Times::At), i + 1),
            '⊙' | '∘' | '◦' => (Tok::Entrywise, i + 1),
            '/' | '÷' => (Tok::Divide, i + 1),
            '(' | '[' => (Tok::Open(c), i + 1),
            ')' | ']' => (Tok::Close(c), i + 1),
            'ᵀ' | '⊤' => (Tok::Transpose, i + 1),
            '²' => (Tok::Square, i + 1),
            '^' => {
                // \sigma^{\prime} and \sigma^\prime make σ′, like \sigma'.
                if let Some(end) = prime(chars, i + 1) {
                    if sigma_to_prime(&mut tokens, i, end) {
                        i = end;
                        continue;
                    }
                }
                power(chars, i + 1)?
            }
            '\'' | '′' | '’' => {
                // Straight after a name of σ it makes σ′; anywhere else it is a transpose.
                if sigma_to_prime(&mut tokens, i, i + 1) {
                    i += 1;
                    continue;
                }
                (Tok::Transpose, i + 1)
            }
            'σ' => (Tok::Function(Function::Sigma), i + 1),
            'a'..='z' | 'A'..='Z' | '_' => word(chars, i)?,
            c => return Err(error(i, ParseErrorKind::UnknownCharacter(c))),
        };
        tokens.push(Token { tok, start, end });
        i = end;
    }
    Ok(tokens)
}

/// The error for a dot followed by a word at `at` (NumPy's x.dot(y), x.sum, …): only .T and .*
/// are read.
fn dot_word_error(chars: &[char], at: usize) -> ParseError {
    let found: String = chars[at..]
        .iter()
        .take(1)
        .chain(
            chars[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric()),
        )
        .take(24)
        .collect();
    error(
        at,
        ParseErrorKind::NotRead {
            found,
            instead: "after a dot only .T (transpose) and .* (entry by entry) are read; write \
                      a dot product as uᵀv or u.T @ v",
        },
    )
}

/// Makes the last token σ′ ending at `end` when it is a σ that ends at `at` (a prime straight
/// after it); false, changing nothing, otherwise.
fn sigma_to_prime(tokens: &mut [Token], at: usize, end: usize) -> bool {
    match tokens.last_mut() {
        Some(last) if last.tok == Tok::Function(Function::Sigma) && last.end == at => {
            last.tok = Tok::Function(Function::SigmaPrime);
            last.end = end;
            true
        }
        _ => false,
    }
}

/// A number at `start`: digits, an optional fraction and an optional exponent, read exactly
/// (at most 15 significant digits and 10^−22 … 10^22: one rounding, as in Clinger's fast path).
fn number(chars: &[char], start: usize) -> Result<(Tok, usize), ParseError> {
    let digit = |i: usize| chars.get(i).and_then(|c| c.to_digit(10));
    let mut i = start;
    let mut mantissa: u64 = 0;
    let mut significant = 0usize;
    let mut exponent: i64 = 0;
    let mut fraction = false;
    loop {
        if let Some(d) = digit(i) {
            if d != 0 || significant > 0 {
                significant += 1;
                if significant <= 15 {
                    mantissa = mantissa * 10 + u64::from(d);
                } else {
                    exponent += 1; // a digit we cannot keep; refused below
                }
            }
            if fraction {
                exponent -= 1;
            }
            i += 1;
        } else if !fraction && chars.get(i) == Some(&'.') && chars.get(i + 1) != Some(&'*') {
            fraction = true;
            i += 1;
        } else {
            break;
        }
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let (sign, first) = match chars.get(i + 1) {
            Some('-' | '−') => (-1, i + 2),
            Some('+') => (1, i + 2),
            _ => (1, i + 1),
        };
        if digit(first).is_some() {
            let mut power: i64 = 0;
            i = first;
            while let Some(d) = digit(i) {
                power = (power * 10 + i64::from(d)).min(10_000);
                i += 1;
            }
            exponent += sign * power;
        }
    }
    if significant > 15 || i - start > 40 {
        return Err(error(start, ParseErrorKind::BadNumber));
    }
    // No trailing zeros in the digits: 2.50 is 25 × 10^−1.
    while mantissa != 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        exponent += 1;
    }
    let power = |e: i64| usize::try_from(e).ok().and_then(|e| POWERS_OF_TEN.get(e));
    let value = if mantissa == 0 {
        exponent = 0;
        Some(0.0)
    } else if exponent >= 0 {
        power(exponent).map(|p| mantissa as f64 * p)
    } else {
        power(-exponent).map(|p| mantissa as f64 / p)
    };
    match value {
        Some(value) => Ok((
            Tok::Number(Number {
                value,
                digits: mantissa,
                exponent: exponent as i32,
            }),
            i,
        )),
        None => Err(error(start, ParseErrorKind::BadNumber)),
    }
}

/// What follows `^` (or `**`), from `at`: T (transpose) or 2 (square), perhaps in braces.
fn power(chars: &[char], at: usize) -> Result<(Tok, usize), ParseError> {
    let mut i = at;
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    let braced = chars.get(i) == Some(&'{');
    if braced {
        i += 1;
    }
    // ^{\top}, ^\top, ^{\intercal}.
    for command in ["\\top", "\\intercal"] {
        let length = command.chars().count();
        let matched = command
            .chars()
            .enumerate()
            .all(|(k, expected)| chars.get(i + k) == Some(&expected));
        if matched
            && !chars
                .get(i + length)
                .is_some_and(|c| c.is_ascii_alphabetic())
        {
            i += length;
            if braced {
                if chars.get(i) != Some(&'}') {
                    return Err(error(i, ParseErrorKind::BadPower));
                }
                i += 1;
            }
            return Ok((Tok::Transpose, i));
        }
    }
    let tok = match chars.get(i) {
        Some('T' | 't' | '⊤' | 'ᵀ') => Tok::Transpose,
        Some('2')
            if !chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.') =>
        {
            Tok::Square
        }
        _ => return Err(error(at.saturating_sub(1), ParseErrorKind::BadPower)),
    };
    i += 1;
    if braced {
        if chars.get(i) != Some(&'}') {
            return Err(error(i, ParseErrorKind::BadPower));
        }
        i += 1;
    }
    Ok((tok, i))
}

/// `\prime`, `{\prime}` or `'` at `at` (after a `^`): the position after it.
fn prime(chars: &[char], at: usize) -> Option<usize> {
    let matches = |from: usize, text: &str| {
        text.chars()
            .enumerate()
            .all(|(k, expected)| chars.get(from + k) == Some(&expected))
    };
    ["{\\prime}", "\\prime", "{'}", "'", "′"]
        .into_iter()
        .find(|text| matches(at, text))
        .map(|text| at + text.chars().count())
        .filter(|end| !chars.get(*end).is_some_and(|c| c.is_ascii_alphabetic()))
}

/// A known name starting at `start`, or an error that quotes the letters found there.
fn word(chars: &[char], start: usize) -> Result<(Tok, usize), ParseError> {
    for (text, word) in WORDS {
        let mut i = start;
        let matched = text.chars().all(|expected| {
            let same = chars.get(i) == Some(&expected);
            i += 1;
            same
        });
        if matched {
            let tok = match word {
                Word::Symbol(symbol) => Tok::Symbol(symbol),
                Word::Function(function) => Tok::Function(function),
                Word::Transpose => Tok::TransposeCall,
                Word::Outer => Tok::OuterCall,
            };
            return Ok((tok, i));
        }
    }
    let name: String = chars[start.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
        .take(24)
        .collect();
    let hint = NAME_HINTS
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, hint)| *hint);
    Err(error(start, ParseErrorKind::UnknownName { name, hint }))
}

struct Parser<'a> {
    tokens: &'a [Token],
    next: usize,
    end_of_text: usize,
    nodes: Vec<Node>,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.next).copied()
    }

    fn position(&self) -> usize {
        self.peek().map_or(self.end_of_text, |token| token.start)
    }

    fn node(&self, index: usize) -> Node {
        self.nodes.get(index).copied().unwrap_or(Node {
            kind: Kind::Symbol(Symbol::Y),
            start: 0,
            end: 0,
            first: 0,
        })
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize, first: usize) -> usize {
        self.nodes.push(Node {
            kind,
            start,
            end,
            first,
        });
        self.nodes.len() - 1
    }

    fn binary(&mut self, kind: Kind, left: usize, right: usize) -> usize {
        let (left, right) = (self.node(left), self.node(right));
        self.push(kind, left.start, right.end, left.first)
    }

    fn enter(&mut self, at: usize) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error(at, ParseErrorKind::TooDeep));
        }
        Ok(())
    }

    fn expression(&mut self) -> Result<usize, ParseError> {
        let mut left = self.term()?;
        while let Some(token) = self.peek() {
            let subtract = match token.tok {
                Tok::Plus => false,
                Tok::Minus => true,
                _ => break,
            };
            self.next += 1;
            let right = self.term()?;
            let kind = if subtract {
                Kind::Subtract(left, right)
            } else {
                Kind::Add(left, right)
            };
            left = self.binary(kind, left, right);
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<usize, ParseError> {
        let mut left = self.unary()?;
        while let Some(token) = self.peek() {
            let (kind, right) = match token.tok {
                Tok::Times(times) => {
                    self.next += 1;
                    let right = self.unary()?;
                    (Kind::Multiply(left, right, times), right)
                }
                Tok::Entrywise => {
                    self.next += 1;
                    let right = self.unary()?;
                    (Kind::Entrywise(left, right), right)
                }
                Tok::Divide => {
                    self.next += 1;
                    let right = self.unary()?;
                    (Kind::Divide(left, right), right)
                }
                Tok::Outer => {
                    // u ⊗ v is u vᵀ.
                    self.next += 1;
                    let right = self.unary()?;
                    let transposed = self.transposed(right);
                    (
                        Kind::Multiply(left, transposed, Times::Juxtaposed),
                        transposed,
                    )
                }
                Tok::Number(_) => {
                    return Err(error(token.start, ParseErrorKind::NumberAfterTerm));
                }
                Tok::Symbol(_)
                | Tok::Function(_)
                | Tok::Open(_)
                | Tok::TransposeCall
                | Tok::OuterCall => {
                    let right = self.postfix()?;
                    (Kind::Multiply(left, right, Times::Juxtaposed), right)
                }
                _ => break,
            };
            left = self.binary(kind, left, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<usize, ParseError> {
        let Some(token) = self.peek() else {
            return self.postfix();
        };
        let negate = match token.tok {
            Tok::Minus => true,
            Tok::Plus => false,
            _ => return self.postfix(),
        };
        self.enter(token.start)?;
        self.next += 1;
        let operand = self.unary()?;
        self.depth -= 1;
        if !negate {
            return Ok(operand);
        }
        let node = self.node(operand);
        Ok(self.push(Kind::Negate(operand), token.start, node.end, node.first))
    }

    fn postfix(&mut self) -> Result<usize, ParseError> {
        let mut base = self.primary()?;
        while let Some(token) = self.peek() {
            let kind = match token.tok {
                Tok::Transpose => Kind::Transpose(base),
                Tok::Square => Kind::Square(base),
                _ => break,
            };
            self.next += 1;
            let node = self.node(base);
            base = self.push(kind, node.start, token.end, node.first);
        }
        Ok(base)
    }

    /// A transpose of the node `index`, over its characters.
    fn transposed(&mut self, index: usize) -> usize {
        let node = self.node(index);
        self.push(Kind::Transpose(index), node.start, node.end, node.first)
    }

    /// The `(` after a function's name at `token`, or an error that asks for it.
    fn opening(&self, token: Token, function: &'static str) -> Result<(usize, char), ParseError> {
        match self.peek() {
            Some(Token {
                tok: Tok::Open(opener),
                start,
                ..
            }) => Ok((start, opener)),
            _ => Err(error(
                token.start,
                ParseErrorKind::NeedsParentheses { function },
            )),
        }
    }

    /// `outer(u, v)` after the name: u vᵀ, as NumPy's outer product of two vectors.
    fn outer(&mut self, token: Token) -> Result<usize, ParseError> {
        let (open, opener) = self.opening(token, "outer")?;
        self.enter(open)?;
        self.next += 1;
        let left = self.expression()?;
        match self.peek() {
            Some(Token {
                tok: Tok::Comma, ..
            }) => self.next += 1,
            _ => return Err(error(self.position(), ParseErrorKind::OuterNeedsTwo)),
        }
        let right = self.expression()?;
        let end = self.close(open, opener)?;
        let transposed = self.transposed(right);
        let first = self.node(left).first;
        Ok(self.push(
            Kind::Multiply(left, transposed, Times::Juxtaposed),
            token.start,
            end,
            first,
        ))
    }

    fn primary(&mut self) -> Result<usize, ParseError> {
        let Some(token) = self.peek() else {
            return Err(error(
                self.end_of_text,
                ParseErrorKind::MissingOperand { found: None },
            ));
        };
        let first = self.nodes.len();
        match token.tok {
            Tok::Number(number) => {
                self.next += 1;
                Ok(self.push(Kind::Number(number), token.start, token.end, first))
            }
            Tok::Symbol(symbol) => {
                self.next += 1;
                Ok(self.push(Kind::Symbol(symbol), token.start, token.end, first))
            }
            Tok::Function(function) => {
                self.next += 1;
                let Some(Token {
                    tok: Tok::Open(opener),
                    start: open,
                    ..
                }) = self.peek()
                else {
                    return Err(error(
                        token.start,
                        ParseErrorKind::NeedsParentheses {
                            function: function.name(),
                        },
                    ));
                };
                let (argument, end) = self.parenthesised(open, opener)?;
                let first = self.node(argument).first;
                Ok(self.push(Kind::Apply(function, argument), token.start, end, first))
            }
            Tok::TransposeCall => {
                self.next += 1;
                let (open, opener) = self.opening(token, "transpose")?;
                let (argument, end) = self.parenthesised(open, opener)?;
                let first = self.node(argument).first;
                Ok(self.push(Kind::Transpose(argument), token.start, end, first))
            }
            Tok::OuterCall => {
                self.next += 1;
                self.outer(token)
            }
            Tok::Open(opener) => {
                let (inner, end) = self.parenthesised(token.start, opener)?;
                // The group's characters include its brackets, for underlining.
                if let Some(node) = self.nodes.get_mut(inner) {
                    node.start = token.start;
                    node.end = end;
                }
                Ok(inner)
            }
            other => Err(error(
                token.start,
                ParseErrorKind::MissingOperand {
                    found: Some(other.describe()),
                },
            )),
        }
    }

    /// `( expression )` with the opening bracket at `open`, the next token; returns the
    /// expression's node and the position after the closing bracket.
    fn parenthesised(&mut self, open: usize, opener: char) -> Result<(usize, usize), ParseError> {
        self.enter(open)?;
        self.next += 1;
        let inner = self.expression()?;
        let end = self.close(open, opener)?;
        Ok((inner, end))
    }

    /// The bracket that closes `opener` at `open`, the next token; leaves the nesting level
    /// [`Parser::enter`] entered and returns the position after the bracket.
    fn close(&mut self, open: usize, opener: char) -> Result<usize, ParseError> {
        let closer = closer_of(opener);
        match self.peek() {
            Some(Token {
                tok: Tok::Close(c),
                end,
                ..
            }) if c == closer => {
                self.next += 1;
                self.depth -= 1;
                Ok(end)
            }
            Some(Token {
                tok: Tok::Comma,
                start,
                ..
            }) => Err(error(start, stray_comma())),
            found => Err(error(
                self.position(),
                ParseErrorKind::Unclosed {
                    open,
                    opener,
                    closer,
                    found: found.map(|token| token.tok.describe()),
                },
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number_of(text: &str) -> f64 {
        match parse(text).as_deref() {
            Ok(
                [Node {
                    kind: Kind::Number(v),
                    ..
                }],
            ) => v.value,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn numbers_are_read_exactly() {
        assert_eq!(number_of("2"), 2.0);
        assert_eq!(number_of("0.5"), 0.5);
        assert_eq!(number_of(".5"), 0.5);
        assert_eq!(number_of("0.1"), 0.1);
        assert_eq!(number_of("1e-3"), 1e-3);
        assert_eq!(number_of("2.5E+2"), 250.0);
        assert_eq!(number_of("0.000123"), 0.000123);
        assert_eq!(number_of("123456789012345"), 123456789012345.0);
        assert_eq!(number_of("0"), 0.0);
        assert_eq!(number_of("1."), 1.0);
        for bad in ["1234567890123456", "1e23", "1e-30"] {
            assert_eq!(
                parse(bad).unwrap_err().kind,
                ParseErrorKind::BadNumber,
                "{bad}"
            );
        }
    }

    #[test]
    fn sigma_prime_and_transpose_apostrophes() {
        let nodes = parse("σ'(z1)").unwrap();
        assert!(matches!(
            nodes.last().unwrap().kind,
            Kind::Apply(Function::SigmaPrime, _)
        ));
        let nodes = parse("sigma(z1)'").unwrap();
        assert!(matches!(nodes.last().unwrap().kind, Kind::Transpose(_)));
        let nodes = parse("x'").unwrap();
        assert!(matches!(nodes.last().unwrap().kind, Kind::Transpose(_)));
    }

    #[test]
    fn dot_star_after_a_number_is_entrywise() {
        let nodes = parse("2.*z2").unwrap();
        assert!(matches!(nodes.last().unwrap().kind, Kind::Entrywise(_, _)));
    }

    #[test]
    fn subtrees_are_contiguous() {
        let nodes = parse("-2 z4 (b ⊙ σ'(z1)) xᵀ + y").unwrap();
        for (index, node) in nodes.iter().enumerate() {
            assert!(node.first <= index);
            let children: Vec<usize> = match node.kind {
                Kind::Negate(c) | Kind::Transpose(c) | Kind::Square(c) | Kind::Apply(_, c) => {
                    vec![c]
                }
                Kind::Add(l, r)
                | Kind::Subtract(l, r)
                | Kind::Multiply(l, r, _)
                | Kind::Entrywise(l, r)
                | Kind::Divide(l, r) => vec![l, r],
                _ => vec![],
            };
            for child in children {
                assert!(child < index && nodes[child].first >= node.first);
            }
        }
    }
}
