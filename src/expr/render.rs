//! The tree as plain text or as presentation MathML, with parentheses only where the
//! precedence needs them. Built bottom-up in one loop (no recursion), from the tree alone:
//! every character written comes from the fixed strings here or from a number re-formatted,
//! never from the text that was typed.

use super::{Function, Kind, Node, Symbol};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    MathMl,
}

// How tightly a node holds together, loosest first.
const SUM: u8 = 1;
const PRODUCT: u8 = 2;
const SIGN: u8 = 3;
const POSTFIX: u8 = 4;
const ATOM: u8 = 5;

/// The whole expression; for MathML wrapped in `<math>…</math>`.
pub(super) fn render(nodes: &[Node], format: Format) -> String {
    let body = match nodes.len().checked_sub(1) {
        Some(root) => render_node(nodes, root, format),
        None => String::new(),
    };
    match format {
        Format::Text => body,
        Format::MathMl => format!("<math>{body}</math>"),
    }
}

/// The subtree rooted at `root`, without the `<math>` wrapper.
pub(super) fn render_node(nodes: &[Node], root: usize, format: Format) -> String {
    let Some(first) = nodes.get(root).map(|node| node.first) else {
        return String::new();
    };
    let mut pieces: Vec<String> = vec![String::new(); (root + 1).saturating_sub(first)];
    for index in first..=root {
        let Some(node) = nodes.get(index) else {
            break;
        };
        let mut child = |child: usize, parenthesise: bool| -> String {
            let piece = pieces
                .get_mut(child.wrapping_sub(first))
                .map(std::mem::take)
                .unwrap_or_default();
            if parenthesise {
                parenthesised(&piece, format)
            } else {
                piece
            }
        };
        let level_of = |child: usize| nodes.get(child).map_or(ATOM, |n| level(n.kind, format));
        let text = match node.kind {
            Kind::Number(value) => number(value, format),
            Kind::Symbol(symbol) => symbol_piece(symbol, format).to_string(),
            Kind::Negate(operand) => {
                let wrap = matches!(level_of(operand), SUM | SIGN);
                let sign = match format {
                    Format::Text => "−",
                    Format::MathMl => "<mo>−</mo>",
                };
                join(&[sign, &child(operand, wrap)])
            }
            Kind::Add(left, right) | Kind::Subtract(left, right) => {
                let sign = if matches!(node.kind, Kind::Add(..)) {
                    "+"
                } else {
                    "−"
                };
                let right_wrap = matches!(level_of(right), SUM | SIGN);
                let left = child(left, false);
                let right = child(right, right_wrap);
                join(&[&left, &spaced(sign, format), &right])
            }
            Kind::Multiply(left, right, _) | Kind::Entrywise(left, right) => {
                // (b ⊙ z2) xᵀ keeps its parentheses: a reader would take b ⊙ z2 xᵀ for
                // b ⊙ (z2 xᵀ), though the language reads both left to right.
                let entrywise_left = matches!(node.kind, Kind::Multiply(..))
                    && matches!(nodes.get(left).map(|n| n.kind), Some(Kind::Entrywise(..)));
                let left_wrap = level_of(left) < PRODUCT || entrywise_left;
                let right_wrap = matches!(level_of(right), SUM | PRODUCT | SIGN);
                let left = child(left, left_wrap);
                let right = child(right, right_wrap);
                let between = if matches!(node.kind, Kind::Entrywise(..)) {
                    spaced("⊙", format)
                } else if starts_with_number(&right, format) {
                    spaced("·", format)
                } else {
                    match format {
                        Format::Text => " ".to_string(),
                        Format::MathMl => "<mo>&#x2062;</mo>".to_string(),
                    }
                };
                join(&[&left, &between, &right])
            }
            Kind::Divide(left, right) => match format {
                Format::Text => {
                    let left_wrap = level_of(left) < PRODUCT;
                    let right_wrap = matches!(level_of(right), SUM | PRODUCT | SIGN);
                    let left = child(left, left_wrap);
                    let right = child(right, right_wrap);
                    join(&[&left, " / ", &right])
                }
                Format::MathMl => {
                    let left = child(left, false);
                    let right = child(right, false);
                    join(&[
                        "<mfrac><mrow>",
                        &left,
                        "</mrow><mrow>",
                        &right,
                        "</mrow></mfrac>",
                    ])
                }
            },
            Kind::Transpose(base) | Kind::Square(base) => {
                let wrap = level_of(base) < ATOM;
                let base = child(base, wrap);
                let transpose = matches!(node.kind, Kind::Transpose(_));
                match (format, transpose) {
                    (Format::Text, true) => join(&[&base, "ᵀ"]),
                    (Format::Text, false) => join(&[&base, "²"]),
                    (Format::MathMl, true) => join(&["<msup>", &base, "<mi>T</mi></msup>"]),
                    (Format::MathMl, false) => join(&["<msup>", &base, "<mn>2</mn></msup>"]),
                }
            }
            Kind::Apply(function, argument) => {
                let argument = child(argument, false);
                match format {
                    Format::Text => join(&[function.name(), "(", &argument, ")"]),
                    Format::MathMl => join(&[
                        "<mrow>",
                        function_piece(function),
                        "<mo>(</mo>",
                        &argument,
                        "<mo>)</mo></mrow>",
                    ]),
                }
            }
        };
        if let Some(slot) = pieces.get_mut(index.wrapping_sub(first)) {
            *slot = text;
        }
    }
    pieces.pop().unwrap_or_default()
}

fn level(kind: Kind, format: Format) -> u8 {
    match kind {
        Kind::Add(..) | Kind::Subtract(..) => SUM,
        Kind::Multiply(..) | Kind::Entrywise(..) => PRODUCT,
        // A fraction bar groups on its own.
        Kind::Divide(..) if format == Format::MathMl => ATOM,
        Kind::Divide(..) => PRODUCT,
        Kind::Negate(_) => SIGN,
        Kind::Transpose(_) | Kind::Square(_) => POSTFIX,
        // 1.5 × 10⁻⁹ is a product on the page.
        Kind::Number(value) if format == Format::MathMl && scientific(value) => PRODUCT,
        Kind::Number(_) | Kind::Symbol(_) | Kind::Apply(..) => ATOM,
    }
}

fn join(parts: &[&str]) -> String {
    parts.concat()
}

fn parenthesised(piece: &str, format: Format) -> String {
    match format {
        Format::Text => join(&["(", piece, ")"]),
        Format::MathMl => join(&["<mrow><mo>(</mo>", piece, "<mo>)</mo></mrow>"]),
    }
}

/// An infix operator: " + " or `<mo>+</mo>`.
fn spaced(symbol: &str, format: Format) -> String {
    match format {
        Format::Text => join(&[" ", symbol, " "]),
        Format::MathMl => join(&["<mo>", symbol, "</mo>"]),
    }
}

fn starts_with_number(piece: &str, format: Format) -> bool {
    match format {
        Format::Text => piece.starts_with(|c: char| c.is_ascii_digit() || c == '.'),
        Format::MathMl => piece.starts_with("<mn>"),
    }
}

fn symbol_piece(symbol: Symbol, format: Format) -> &'static str {
    match format {
        Format::Text => symbol.name(),
        Format::MathMl => match symbol {
            Symbol::X => "<mi>x</mi>",
            Symbol::Y => "<mi>y</mi>",
            Symbol::A => "<mi>A</mi>",
            Symbol::B => "<mi>b</mi>",
            Symbol::Z1 => "<msub><mi>z</mi><mn>1</mn></msub>",
            Symbol::Z2 => "<msub><mi>z</mi><mn>2</mn></msub>",
            Symbol::Z3 => "<msub><mi>z</mi><mn>3</mn></msub>",
            Symbol::Z4 => "<msub><mi>z</mi><mn>4</mn></msub>",
        },
    }
}

fn function_piece(function: Function) -> &'static str {
    match function {
        Function::Sigma => "<mi>σ</mi>",
        Function::SigmaPrime => "<msup><mi>σ</mi><mo>′</mo></msup>",
        Function::Diag => "<mi>diag</mi>",
    }
}

/// Very small and very large numbers are written with a power of ten.
fn scientific(value: f64) -> bool {
    value != 0.0 && !(1e-4..1e7).contains(&value.abs())
}

/// A number re-formatted from its value (the parser never makes negative ones): "2", "0.5",
/// "1e-9" as text; `<mn>2</mn>` or 1 × 10⁻⁹ in MathML.
fn number(value: f64, format: Format) -> String {
    if !scientific(value) {
        let digits = format!("{value}");
        return match format {
            Format::Text => digits,
            Format::MathMl => join(&["<mn>", &digits, "</mn>"]),
        };
    }
    let text = format!("{value:e}");
    match format {
        Format::Text => text,
        Format::MathMl => {
            let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
            let exponent = exponent.replace('-', "−");
            join(&[
                "<mn>",
                mantissa,
                "</mn><mo>×</mo><msup><mn>10</mn><mn>",
                &exponent,
                "</mn></msup>",
            ])
        }
    }
}
