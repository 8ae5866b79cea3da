//! The tree as plain text or as presentation MathML, with parentheses only where the
//! precedence needs them. Built bottom-up in one loop (no recursion), from the tree alone:
//! every character written comes from the fixed strings of a [`Notation`] or from a number's
//! digits written with integer formatting, never from the text that was typed.
//!
//! Both formats share one walk; a notation is a table of the pieces that differ.

use super::{Function, Kind, Node, Number, Symbol, Value};
use crate::format::format_significant;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    MathMl,
}

/// The pieces of one format. A binary node is `[before, between, after]` around its two
/// operands, a unary one `[before, after]` around its operand.
struct Notation {
    add: [&'static str; 3],
    subtract: [&'static str; 3],
    entrywise: [&'static str; 3],
    /// A product whose right factor is written by juxtaposition.
    juxtapose: [&'static str; 3],
    /// A product whose right factor starts with a digit (2 · 3).
    dot: [&'static str; 3],
    divide: [&'static str; 3],
    /// Whether a quotient groups itself (a fraction bar) and needs no parentheses.
    fraction: bool,
    negate: [&'static str; 2],
    transpose: [&'static str; 2],
    square: [&'static str; 2],
    parentheses: [&'static str; 2],
    /// σ, σ′, diag and exp applied: the opening piece per function, then the closing piece.
    apply: [&'static str; 4],
    apply_close: &'static str,
    symbols: [&'static str; 8],
    /// Around a plain number.
    number: [&'static str; 2],
    /// A number with a power of ten: before the mantissa, between it and the exponent, after.
    scientific: [&'static str; 3],
    exponent_minus: &'static str,
}

const TEXT: Notation = Notation {
    add: ["", " + ", ""],
    subtract: ["", " − ", ""],
    entrywise: ["", " ⊙ ", ""],
    juxtapose: ["", " ", ""],
    dot: ["", " · ", ""],
    divide: ["", " / ", ""],
    fraction: false,
    negate: ["−", ""],
    transpose: ["", "ᵀ"],
    square: ["", "²"],
    parentheses: ["(", ")"],
    apply: ["σ(", "σ′(", "diag(", "exp("],
    apply_close: ")",
    symbols: ["x", "y", "A", "b", "z1", "z2", "z3", "z4"],
    number: ["", ""],
    scientific: ["", "e", ""],
    exponent_minus: "-",
};

const MATHML: Notation = Notation {
    add: ["", "<mo>+</mo>", ""],
    subtract: ["", "<mo>−</mo>", ""],
    entrywise: ["", "<mo>⊙</mo>", ""],
    juxtapose: ["", "<mo>&#x2062;</mo>", ""],
    dot: ["", "<mo>·</mo>", ""],
    divide: ["<mfrac><mrow>", "</mrow><mrow>", "</mrow></mfrac>"],
    fraction: true,
    negate: ["<mo>−</mo>", ""],
    transpose: ["<msup>", "<mi>T</mi></msup>"],
    square: ["<msup>", "<mn>2</mn></msup>"],
    parentheses: ["<mrow><mo>(</mo>", "<mo>)</mo></mrow>"],
    apply: [
        "<mrow><mi>σ</mi><mo>(</mo>",
        "<mrow><msup><mi>σ</mi><mo>′</mo></msup><mo>(</mo>",
        "<mrow><mi>diag</mi><mo>(</mo>",
        "<mrow><mi>exp</mi><mo>(</mo>",
    ],
    apply_close: "<mo>)</mo></mrow>",
    symbols: [
        "<mi>x</mi>",
        "<mi>y</mi>",
        "<mi>A</mi>",
        "<mi>b</mi>",
        "<msub><mi>z</mi><mn>1</mn></msub>",
        "<msub><mi>z</mi><mn>2</mn></msub>",
        "<msub><mi>z</mi><mn>3</mn></msub>",
        "<msub><mi>z</mi><mn>4</mn></msub>",
    ],
    number: ["<mn>", "</mn>"],
    scientific: [
        "<mn>",
        "</mn><mo>×</mo><msup><mn>10</mn><mn>",
        "</mn></msup>",
    ],
    exponent_minus: "−",
};

// How tightly a node holds together, loosest first.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const SIGN: u8 = 3;
const POSTFIX: u8 = 4;
const ATOM: u8 = 5;

fn notation(format: Format) -> &'static Notation {
    match format {
        Format::Text => &TEXT,
        Format::MathMl => &MATHML,
    }
}

/// The whole expression; for MathML wrapped in `<math>…</math>`.
pub(super) fn render(nodes: &[Node], format: Format) -> String {
    let body = match nodes.len().checked_sub(1) {
        Some(root) => render_node(nodes, root, format),
        None => String::new(),
    };
    match format {
        Format::Text => body,
        Format::MathMl => {
            let mut out = String::with_capacity(body.len() + 13);
            out.push_str("<math>");
            out.push_str(&body);
            out.push_str("</math>");
            out
        }
    }
}

/// The subtree rooted at `root`, without the `<math>` wrapper.
pub(super) fn render_node(nodes: &[Node], root: usize, format: Format) -> String {
    let notation = notation(format);
    let Some(first) = nodes.get(root).map(|node| node.first) else {
        return String::new();
    };
    let mut pieces: Vec<String> = vec![String::new(); (root + 1).saturating_sub(first)];
    let level_of = |index: usize| {
        nodes
            .get(index)
            .map_or(ATOM, |node| level(node.kind, notation))
    };
    for index in first..=root {
        let Some(node) = nodes.get(index) else {
            break;
        };
        let mut take = |child: usize| {
            pieces
                .get_mut(child.wrapping_sub(first))
                .map(std::mem::take)
                .unwrap_or_default()
        };
        let mut out = String::new();
        match node.kind {
            Kind::Number(number) => write_number(&mut out, number, notation),
            Kind::Symbol(symbol) => out.push_str(symbol_piece(symbol, notation)),
            Kind::Negate(operand) => {
                let wrap = matches!(level_of(operand), SUM | SIGN);
                unary(&mut out, notation.negate, take(operand), wrap, notation);
            }
            Kind::Transpose(base) | Kind::Square(base) => {
                let pieces = if matches!(node.kind, Kind::Transpose(_)) {
                    notation.transpose
                } else {
                    notation.square
                };
                let wrap = level_of(base) < ATOM;
                unary(&mut out, pieces, take(base), wrap, notation);
            }
            Kind::Apply(function, argument) => {
                let open = match function {
                    Function::Sigma => notation.apply[0],
                    Function::SigmaPrime => notation.apply[1],
                    Function::Diag => notation.apply[2],
                    Function::Exp => notation.apply[3],
                };
                unary(
                    &mut out,
                    [open, notation.apply_close],
                    take(argument),
                    false,
                    notation,
                );
            }
            Kind::Add(left, right)
            | Kind::Subtract(left, right)
            | Kind::Multiply(left, right, _)
            | Kind::Entrywise(left, right)
            | Kind::Divide(left, right) => {
                let sum = matches!(node.kind, Kind::Add(..) | Kind::Subtract(..));
                let fraction = notation.fraction && matches!(node.kind, Kind::Divide(..));
                // (b ⊙ z2) xᵀ keeps its parentheses: a reader would take b ⊙ z2 xᵀ for
                // b ⊙ (z2 xᵀ), though the language reads both left to right.
                let entrywise_left = matches!(node.kind, Kind::Multiply(..))
                    && matches!(nodes.get(left).map(|n| n.kind), Some(Kind::Entrywise(..)));
                let (left_level, right_level) = (level_of(left), level_of(right));
                let left_wrap = !fraction && (!sum && left_level < PRODUCT || entrywise_left);
                let right_wrap = !fraction
                    && (right_level == SIGN || right_level <= if sum { SUM } else { PRODUCT });
                let left = wrapped(take(left), left_wrap, notation);
                let right = wrapped(take(right), right_wrap, notation);
                let [before, between, after] = match node.kind {
                    Kind::Add(..) => notation.add,
                    Kind::Subtract(..) => notation.subtract,
                    Kind::Entrywise(..) => notation.entrywise,
                    Kind::Divide(..) => notation.divide,
                    _ if starts_with_number(&right, notation) => notation.dot,
                    _ => notation.juxtapose,
                };
                for piece in [before, &left, between, &right, after] {
                    out.push_str(piece);
                }
            }
        }
        if let Some(slot) = pieces.get_mut(index.wrapping_sub(first)) {
            *slot = out;
        }
    }
    pieces.pop().unwrap_or_default()
}

fn level(kind: Kind, notation: &Notation) -> u8 {
    match kind {
        Kind::Add(..) | Kind::Subtract(..) => SUM,
        // A fraction bar groups on its own.
        Kind::Divide(..) if notation.fraction => ATOM,
        Kind::Multiply(..) | Kind::Entrywise(..) | Kind::Divide(..) => PRODUCT,
        Kind::Negate(_) => SIGN,
        Kind::Transpose(_) | Kind::Square(_) => POSTFIX,
        // 1.5 × 10⁻⁹ is a product on the page.
        Kind::Number(number) if notation.fraction && scientific(number) => PRODUCT,
        Kind::Number(_) | Kind::Symbol(_) | Kind::Apply(..) => ATOM,
    }
}

fn wrapped(piece: String, wrap: bool, notation: &Notation) -> String {
    if !wrap {
        return piece;
    }
    let mut out = String::from(notation.parentheses[0]);
    out.push_str(&piece);
    out.push_str(notation.parentheses[1]);
    out
}

fn unary(out: &mut String, [before, after]: [&str; 2], operand: String, wrap: bool, n: &Notation) {
    out.push_str(before);
    out.push_str(&wrapped(operand, wrap, n));
    out.push_str(after);
}

fn starts_with_number(piece: &str, notation: &Notation) -> bool {
    piece
        .strip_prefix(notation.number[0])
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

fn symbol_piece(symbol: Symbol, notation: &Notation) -> &'static str {
    let index = match symbol {
        Symbol::X => 0,
        Symbol::Y => 1,
        Symbol::A => 2,
        Symbol::B => 3,
        Symbol::Z1 => 4,
        Symbol::Z2 => 5,
        Symbol::Z3 => 6,
        Symbol::Z4 => 7,
    };
    notation.symbols.get(index).copied().unwrap_or_default()
}

/// How many digits stand before the decimal point (0.0012 has −2, 120 has 3).
fn point(number: Number) -> i32 {
    number
        .digits
        .checked_ilog10()
        .map_or(1, |log| log as i32 + 1)
        + number.exponent
}

/// Below 10^−4 and from 10^7 on a number is written with a power of ten.
fn scientific(number: Number) -> bool {
    number.digits != 0 && !(-3..=7).contains(&point(number))
}

/// A number from its digits: "2", "0.5", "120", "0.0012"; "1.5e-9" as text, 1.5 × 10⁻⁹ in
/// MathML.
fn write_number(out: &mut String, number: Number, notation: &Notation) {
    let digits = number.digits.to_string();
    let point = point(number);
    if scientific(number) {
        let (lead, rest) = digits.split_at_checked(1).unwrap_or((&digits, ""));
        out.push_str(notation.scientific[0]);
        out.push_str(lead);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push_str(notation.scientific[1]);
        if point - 1 < 0 {
            out.push_str(notation.exponent_minus);
        }
        out.push_str(&(point - 1).unsigned_abs().to_string());
        out.push_str(notation.scientific[2]);
        return;
    }
    out.push_str(notation.number[0]);
    if number.exponent >= 0 {
        out.push_str(&digits);
        (0..number.exponent).for_each(|_| out.push('0'));
    } else if point > 0 {
        let (whole, fraction) = digits
            .split_at_checked(point as usize)
            .unwrap_or((&digits, ""));
        out.push_str(whole);
        out.push('.');
        out.push_str(fraction);
    } else {
        out.push_str("0.");
        (0..-point).for_each(|_| out.push('0'));
        out.push_str(&digits);
    }
    out.push_str(notation.number[1]);
}

/// A value as text with `digits` significant digits: a number alone, a matrix as its rows
/// in brackets, "[0.25, −1.5; 0.5, 2]" (entries of a row separated by ", ", rows by "; "),
/// so a column is "[0.25; 0.5]" and a row "[0.25, 0.5]".
pub(super) fn value_text(value: &Value, digits: usize) -> String {
    let entries = value.entries();
    if value.is_scalar() {
        return entries
            .first()
            .map_or_else(String::new, |v| format_significant(*v, digits));
    }
    let cols = value.cols().max(1);
    let mut out = String::from("[");
    for (i, v) in entries.iter().enumerate() {
        if i > 0 {
            out.push_str(if i % cols == 0 { "; " } else { ", " });
        }
        out.push_str(&format_significant(*v, digits));
    }
    out.push(']');
    out
}

/// A value as presentation MathML: a number as `<mn>`, a matrix as a table in brackets,
/// one `<mtr>` per row. Only digits, signs and fixed tags are written.
pub(super) fn value_mathml(value: &Value, digits: usize) -> String {
    let number = |v: f64| {
        let text = format_significant(v, digits);
        match text.strip_prefix('−') {
            Some(rest) => format!("<mrow><mo>−</mo><mn>{rest}</mn></mrow>"),
            None => format!("<mn>{text}</mn>"),
        }
    };
    let entries = value.entries();
    if value.is_scalar() {
        return format!(
            "<math>{}</math>",
            entries.first().map_or_else(String::new, |v| number(*v))
        );
    }
    let cols = value.cols().max(1);
    let mut out = String::from("<math><mrow><mo>[</mo><mtable>");
    for row in entries.chunks(cols) {
        out.push_str("<mtr>");
        for v in row {
            out.push_str("<mtd>");
            out.push_str(&number(*v));
            out.push_str("</mtd>");
        }
        out.push_str("</mtr>");
    }
    out.push_str("</mtable><mo>]</mo></mrow></math>");
    out
}
