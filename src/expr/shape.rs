//! Shapes worked out symbolically, in terms of h and m, so that an answer's shape is right
//! for every size and not just for the sizes drawn. The rules are in the module docs of
//! [`crate::expr`].

use super::render::{render_node, Format};
use super::{Expression, Function, Kind, Node, Times};
use std::fmt;

/// One side of a matrix: 1, h (hidden units) or m (inputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim {
    /// 1.
    One,
    /// h, the number of hidden units.
    H,
    /// m, the input size.
    M,
}

impl Dim {
    /// "1", "h" or "m".
    pub fn name(self) -> &'static str {
        match self {
            Dim::One => "1",
            Dim::H => "h",
            Dim::M => "m",
        }
    }

    /// The size for given h and m.
    pub fn size(self, hidden: usize, inputs: usize) -> usize {
        match self {
            Dim::One => 1,
            Dim::H => hidden,
            Dim::M => inputs,
        }
    }
}

/// Rows × columns in terms of h and m; 1 × 1 is a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub rows: Dim,
    pub cols: Dim,
}

impl Shape {
    /// A number, 1 × 1.
    pub const SCALAR: Shape = Shape::new(Dim::One, Dim::One);

    pub const fn new(rows: Dim, cols: Dim) -> Shape {
        Shape { rows, cols }
    }

    pub fn is_scalar(self) -> bool {
        self == Shape::SCALAR
    }

    /// A row or a column, not a number.
    pub fn is_vector(self) -> bool {
        (self.rows == Dim::One) != (self.cols == Dim::One)
    }

    pub fn transposed(self) -> Shape {
        Shape::new(self.cols, self.rows)
    }

    /// (rows, columns) for given h and m.
    pub fn sizes(self, hidden: usize, inputs: usize) -> (usize, usize) {
        (
            self.rows.size(hidden, inputs),
            self.cols.size(hidden, inputs),
        )
    }

    /// "h × m = 3 × 2"; "1 × 1" for a number.
    pub fn with_sizes(self, hidden: usize, inputs: usize) -> String {
        let (rows, cols) = self.sizes(hidden, inputs);
        if self.is_scalar() {
            "1 × 1".to_string()
        } else {
            format!("{self} = {rows} × {cols}")
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} × {}", self.rows.name(), self.cols.name())
    }
}

/// A side of an operation that does not fit, as the student reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    /// The part of the answer, re-written from the tree (at most 40 characters, then "…").
    pub text: String,
    pub shape: Shape,
}

/// What a student probably meant when a product does not fit.
#[derive(Clone, Debug, PartialEq)]
pub enum ProductHint {
    /// Two columns: transpose the right one. `transposed` is it with its ᵀ ("xᵀ"), `shape`
    /// the outer product's shape.
    Outer { transposed: String, shape: Shape },
    /// Two rows.
    TwoRows,
    /// A row times a column of another length.
    DotLengths,
    /// The other order fits: `swapped` is that product ("A x").
    Swap { swapped: String },
    /// Two matrices of the same shape: ⊙ was probably meant.
    SameShape,
    /// `@` between two vectors of the same shape: NumPy's matrix product, which never
    /// multiplies entry by entry (for 1-D arrays it is the dot product).
    AtVectors,
    /// `·` or `×` between two vectors of the same shape: a dot or a cross product in
    /// mathematics, not entry by entry.
    DotVectors,
    /// Nothing more specific.
    Sizes,
}

/// Which rule an expression breaks.
#[derive(Clone, Debug, PartialEq)]
pub enum ShapeErrorKind {
    /// `+` or `−` between different shapes, neither a number.
    Add {
        left: Operand,
        right: Operand,
        subtract: bool,
    },
    /// A product that is neither scaling, a matrix product nor two equal vectors.
    Multiply {
        left: Operand,
        right: Operand,
        hint: ProductHint,
    },
    /// `⊙` between different shapes, neither a number.
    Entrywise { left: Operand, right: Operand },
    /// Division between different shapes, the divisor not a number.
    Divide { dividend: Operand, divisor: Operand },
    /// `²` of something that is not a number.
    Square { base: Operand, entrywise: String },
    /// `diag` of a matrix.
    Diag { argument: Operand },
}

/// A part of the answer whose shapes do not fit, at characters `start..end` (0-based chars).
#[derive(Clone, Debug, PartialEq)]
pub struct ShapeError {
    pub start: usize,
    pub end: usize,
    pub kind: ShapeErrorKind,
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "At position {}: ", self.start + 1)?;
        let transposed_note = |f: &mut fmt::Formatter<'_>, left: &Operand, right: &Operand| {
            if left.shape == right.shape.transposed() {
                f.write_str(" (one of them is transposed)")
            } else {
                Ok(())
            }
        };
        match &self.kind {
            ShapeErrorKind::Add {
                left,
                right,
                subtract,
            } => {
                let (verb, link, sign) = if *subtract {
                    ("subtract", "from", "−")
                } else {
                    ("add", "and", "+")
                };
                let (first, second) = if *subtract {
                    (right, left)
                } else {
                    (left, right)
                };
                write!(
                    f,
                    "can't {verb} {} ({}) {link} {} ({}): both sides of {sign} need the same \
                     shape, or one of them must be a number",
                    first.text, first.shape, second.text, second.shape
                )?;
                transposed_note(f, left, right)
            }
            ShapeErrorKind::Multiply { left, right, hint } => {
                write!(
                    f,
                    "can't multiply {} ({}) by {} ({})",
                    left.text, left.shape, right.text, right.shape
                )?;
                hint.write(f, left, right)
            }
            ShapeErrorKind::Entrywise { left, right } => {
                write!(
                    f,
                    "⊙ needs two things of the same shape (or a number), but {} is {} and {} \
                     is {}",
                    left.text, left.shape, right.text, right.shape
                )?;
                transposed_note(f, left, right)
            }
            ShapeErrorKind::Divide { dividend, divisor } => {
                write!(
                    f,
                    "you can divide by a number, or entry by entry by something of the same \
                     shape, but {} is {} and {} is {}",
                    dividend.text, dividend.shape, divisor.text, divisor.shape
                )?;
                transposed_note(f, dividend, divisor)
            }
            ShapeErrorKind::Square { base, entrywise } => write!(
                f,
                "² squares a number, but {} is {}; for entry by entry write {entrywise}",
                base.text, base.shape
            ),
            ShapeErrorKind::Diag { argument } => write!(
                f,
                "diag needs a vector, but {} is {}",
                argument.text, argument.shape
            ),
        }
    }
}

impl std::error::Error for ShapeError {}

impl ProductHint {
    /// The end of "can't multiply left by right": why not, and what may have been meant.
    fn write(&self, f: &mut fmt::Formatter<'_>, left: &Operand, right: &Operand) -> fmt::Result {
        match self {
            ProductHint::Outer { transposed, shape } => write!(
                f,
                ": did you mean {transposed}? ({} {transposed} is {shape})",
                left.text
            ),
            ProductHint::TwoRows => f.write_str(
                ": a row times a row is not defined; transpose the left one for a \
                 column times a row",
            ),
            ProductHint::DotLengths => write!(
                f,
                ": a row times a column needs the same length, but one has {} entries \
                 and the other {}",
                left.shape.cols.name(),
                right.shape.rows.name()
            ),
            ProductHint::Swap { swapped } => {
                write!(f, ": the order matters; did you mean {swapped}?")
            }
            ProductHint::SameShape => {
                f.write_str(": as matrices their sizes don't fit; for entry by entry write ⊙")
            }
            ProductHint::DotVectors => f.write_str(
                ": between two vectors, · is a dot product and × a cross product, not \
                 entry by entry; for entry by entry write ⊙ or *, for a dot product uᵀv",
            ),
            ProductHint::AtVectors => f.write_str(
                ": @ is the matrix product, and two vectors of the same shape do not \
                 fit it; for entry by entry write ⊙ or *, for a dot product uᵀ @ v",
            ),
            ProductHint::Sizes => write!(
                f,
                ": the columns on the left ({}) must match the rows on the right ({})",
                left.shape.cols.name(),
                right.shape.rows.name()
            ),
        }
    }
}

/// The result of inference: the root's shape, and whether two vectors of the same shape were
/// multiplied entry by entry without ⊙.
pub(super) struct Inferred {
    pub(super) shape: Shape,
    pub(super) implicit_entrywise: bool,
}

/// Every node's shape, bottom-up in one loop.
pub(super) fn infer(expression: &Expression) -> Result<Inferred, ShapeError> {
    let nodes = expression.nodes();
    let mut shapes: Vec<Shape> = Vec::with_capacity(nodes.len());
    let mut implicit_entrywise = false;
    for node in nodes {
        let of = |child: usize| shapes.get(child).copied().unwrap_or(Shape::SCALAR);
        let operand = |child: usize| Operand {
            text: shortened(render_node(nodes, child, Format::Text)),
            shape: of(child),
        };
        let fail = |kind: ShapeErrorKind| ShapeError {
            start: node.start,
            end: node.end,
            kind,
        };
        let shape = match node.kind {
            Kind::Number(_) => Shape::SCALAR,
            Kind::Symbol(symbol) => symbol.shape(),
            Kind::Negate(operand)
            | Kind::Apply(Function::Sigma | Function::SigmaPrime | Function::Exp, operand) => {
                of(operand)
            }
            Kind::Transpose(operand) => of(operand).transposed(),
            Kind::Add(left, right) | Kind::Subtract(left, right) => {
                match broadcast(of(left), of(right)) {
                    Some(shape) => shape,
                    None => {
                        return Err(fail(ShapeErrorKind::Add {
                            left: operand(left),
                            right: operand(right),
                            subtract: matches!(node.kind, Kind::Subtract(..)),
                        }))
                    }
                }
            }
            Kind::Entrywise(left, right) => match broadcast(of(left), of(right)) {
                Some(shape) => shape,
                None => {
                    return Err(fail(ShapeErrorKind::Entrywise {
                        left: operand(left),
                        right: operand(right),
                    }))
                }
            },
            Kind::Multiply(left, right, times) => {
                let (l, r) = (of(left), of(right));
                match product_shape(l, r, times) {
                    Some((shape, entrywise)) => {
                        implicit_entrywise |= entrywise;
                        shape
                    }
                    None => {
                        let hint = product_hint(nodes, left, right, l, r, times);
                        return Err(fail(ShapeErrorKind::Multiply {
                            left: operand(left),
                            right: operand(right),
                            hint,
                        }));
                    }
                }
            }
            // By a number, or entry by entry (1 / (1 + exp(−z1)), as NumPy reads it).
            Kind::Divide(left, right) => match broadcast(of(left), of(right)) {
                Some(shape) => shape,
                None => {
                    return Err(fail(ShapeErrorKind::Divide {
                        dividend: operand(left),
                        divisor: operand(right),
                    }))
                }
            },
            Kind::Square(base) if !of(base).is_scalar() => {
                let grouped = grouped(nodes, base);
                return Err(fail(ShapeErrorKind::Square {
                    base: operand(base),
                    entrywise: format!("{grouped} ⊙ {grouped}"),
                }));
            }
            Kind::Square(_) => Shape::SCALAR,
            Kind::Apply(Function::Diag, argument) => match diag_shape(of(argument)) {
                Some(shape) => shape,
                None => {
                    return Err(fail(ShapeErrorKind::Diag {
                        argument: operand(argument),
                    }))
                }
            },
        };
        shapes.push(shape);
    }
    Ok(Inferred {
        shape: shapes.last().copied().unwrap_or(Shape::SCALAR),
        implicit_entrywise,
    })
}

/// The shape of a product, and whether it is entry by entry (two vectors of the same shape
/// next to each other or joined by *, as NumPy's * reads them); None when the shapes do not
/// fit.
fn product_shape(left: Shape, right: Shape, times: Times) -> Option<(Shape, bool)> {
    if left.is_scalar() {
        Some((right, false))
    } else if right.is_scalar() {
        Some((left, false))
    } else if left.cols == right.rows {
        Some((Shape::new(left.rows, right.cols), false))
    } else if left == right && left.is_vector() && matches!(times, Times::Star | Times::Juxtaposed)
    {
        // Entry by entry, as NumPy's * does; never for @ (NumPy's matrix product), · or ×
        // (a dot or a cross product).
        Some((left, true))
    } else {
        None
    }
}

/// The shape of diag(argument): a number stays a number, a vector of n entries makes an
/// n × n matrix; None for a matrix.
fn diag_shape(argument: Shape) -> Option<Shape> {
    if argument.is_scalar() {
        Some(argument)
    } else if argument.cols == Dim::One {
        Some(Shape::new(argument.rows, argument.rows))
    } else if argument.rows == Dim::One {
        Some(Shape::new(argument.cols, argument.cols))
    } else {
        None
    }
}

/// Equal shapes, or a number on one side that acts on every entry of the other.
fn broadcast(left: Shape, right: Shape) -> Option<Shape> {
    if left == right || right.is_scalar() {
        Some(left)
    } else if left.is_scalar() {
        Some(right)
    } else {
        None
    }
}

fn product_hint(
    nodes: &[Node],
    left: usize,
    right: usize,
    l: Shape,
    r: Shape,
    times: Times,
) -> ProductHint {
    let column = |s: Shape| s.cols == Dim::One;
    let row = |s: Shape| s.rows == Dim::One;
    if times == Times::At && l == r && l.is_vector() {
        ProductHint::AtVectors
    } else if times == Times::Dot && l == r && l.is_vector() {
        ProductHint::DotVectors
    } else if column(l) && column(r) {
        ProductHint::Outer {
            transposed: format!("{}ᵀ", grouped(nodes, right)),
            shape: Shape::new(l.rows, r.rows),
        }
    } else if row(l) && row(r) {
        ProductHint::TwoRows
    } else if row(l) && column(r) {
        ProductHint::DotLengths
    } else if r.cols == l.rows {
        let separator = if times == Times::Juxtaposed {
            " "
        } else {
            " * "
        };
        ProductHint::Swap {
            swapped: format!(
                "{}{separator}{}",
                grouped(nodes, right),
                grouped(nodes, left)
            ),
        }
    } else if l == r {
        ProductHint::SameShape
    } else {
        ProductHint::Sizes
    }
}

/// The text of a node, in parentheses unless it is a name, a number, a function call or one
/// of these transposed or squared.
fn grouped(nodes: &[Node], index: usize) -> String {
    let text = shortened(render_node(nodes, index, Format::Text));
    match nodes.get(index).map(|node| node.kind) {
        Some(
            Kind::Symbol(_)
            | Kind::Number(_)
            | Kind::Apply(..)
            | Kind::Transpose(_)
            | Kind::Square(_),
        ) => text,
        _ => format!("({text})"),
    }
}

fn shortened(mut text: String) -> String {
    const LONGEST: usize = 40;
    if let Some((cut, _)) = text.char_indices().nth(LONGEST - 1) {
        text.truncate(cut);
        text.push('…');
    }
    text
}
