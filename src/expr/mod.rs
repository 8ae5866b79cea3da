//! A small expression language for the derivatives a student types in the practice panel,
//! with shapes, evaluation on one example, and MathML.
//!
//! # What can be typed
//!
//! - Numbers: `2`, `0.5`, `.5`, `1e-3` (at most 15 significant digits, powers of ten from
//!   −22 to 22, so every number is read exactly as written, rounded once).
//! - Symbols: `x`, `y`, `A`, `b`, `z1` … `z4` (also `z_1`, `z₁`). Names are case-sensitive.
//!   Letters may run together when they split into known names: `Ax`, `bz2`, `z4z2`.
//! - σ, element-wise: `σ(…)`, `sigma(…)`, `sigmoid(…)`. σ′: `σ'(…)`, `σ′(…)`, `sigma'(…)`,
//!   `dsigma(…)`, `sigma_prime(…)`. `diag(v)` is the square matrix with v on its diagonal.
//! - `+`, `-` (also `−`, `–`), unary minus, parentheses `( )` or `[ ]`.
//! - Products: `*`, `·`, `⋅`, `×`, `@` or nothing at all (juxtaposition: `2 z4`, `A x`,
//!   `u xᵀ`). Entry by entry: `⊙`, `∘`, `.*`. Division `/` by a number.
//! - Transpose: `ᵀ`, `⊤`, `^T`, `**T` or `'` (MATLAB). Square: `²`, `^2`, `**2`.
//!
//! # Precedence (loosest first)
//!
//! 1. `+` and `-`, left to right;
//! 2. products, `⊙` and `/`, all one level, left to right (juxtaposition binds exactly like
//!    `*`): `b ⊙ z2 xᵀ` is `(b ⊙ z2) xᵀ`;
//! 3. unary minus: `-2 z4 z2` is `(−2)·z4·z2` and `-z4²` is `−(z4²)`;
//! 4. the postfix `ᵀ` and `²`, which bind tightest: `bᵀz2` is `(bᵀ) z2`, a number.
//!
//! After a term, a number cannot follow without an operator (`z4 2` is refused, `2 z4` is
//! fine), so a stray space inside a number is caught instead of read as a product.
//!
//! # The apostrophe
//!
//! `'` (or `′`, `’`) directly after a name of σ makes σ′: `σ'(z1)`, `sigma'(z1)`. Anywhere else
//! it is a transpose, as in MATLAB: `x'` is xᵀ, and `σ(z1)'` is the transpose of σ(z1), not
//! σ′(z1). The shape check then usually says what went wrong.
//!
//! # Shapes
//!
//! x is m × 1, y is a number, A is h × m, b, z1 and z2 are h × 1, z3 and z4 are numbers.
//! Shapes are worked out symbolically in h and m, so an answer is checked for every size
//! at once, not just for the sizes of the examples drawn. A 1 × 1 result is a number
//! everywhere. The rules:
//!
//! - a number times anything, or anything times a number, scales it (for `*`, `·`, `@`,
//!   juxtaposition and `⊙` alike);
//! - otherwise a product is the matrix product when the columns on the left match the rows
//!   on the right (`A x`, `z2 xᵀ`, `bᵀz2`);
//! - two vectors of the same shape that cannot be matrix-multiplied (two h × 1 columns)
//!   multiply entry by entry: `z2(1 − z2)` is `z2 ⊙ (1 − z2)`, as in the worksheet's
//!   σ(x)(1 − σ(x)). Anything else is refused with a hint (`z2 x` asks "did you mean xᵀ?");
//! - `+` and `-` need equal shapes, or a number on one side, which then acts on every entry
//!   (`1 - z2`);
//! - `/` divides by a number only, `²` squares a number only, σ and σ′ act entry by entry.
//!
//! # Limits
//!
//! At most [`MAX_CHARS`] characters and [`MAX_DEPTH`] nested parentheses, signs or function
//! calls, checked before any work; the parser recurses at most that deep and everything
//! after it (shapes, values, text, MathML) walks the nodes in a loop, never recursively.

mod eval;
mod parse;
mod render;
mod shape;

pub use eval::{Instance, InstanceError, Value, MAX_INSTANCE_SIZE};
pub use parse::{ParseError, ParseErrorKind};
pub use shape::{Dim, Operand, Shape, ShapeError, ShapeErrorKind};

/// The longest answer, in characters, the parser reads.
pub const MAX_CHARS: usize = 500;

/// How deeply parentheses, unary signs and function calls may nest.
pub const MAX_DEPTH: usize = 32;

/// The values an expression can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Symbol {
    /// The input x, m × 1.
    X,
    /// The target y, a number.
    Y,
    /// The first layer's weights A, h × m.
    A,
    /// The output weights b, h × 1.
    B,
    /// z1 = Ax, h × 1.
    Z1,
    /// z2 = σ(z1), h × 1.
    Z2,
    /// z3 = bᵀz2, a number.
    Z3,
    /// z4 = y − z3, a number.
    Z4,
}

impl Symbol {
    /// The symbol as plain text: "x", "A", "z1".
    pub fn name(self) -> &'static str {
        match self {
            Symbol::X => "x",
            Symbol::Y => "y",
            Symbol::A => "A",
            Symbol::B => "b",
            Symbol::Z1 => "z1",
            Symbol::Z2 => "z2",
            Symbol::Z3 => "z3",
            Symbol::Z4 => "z4",
        }
    }

    /// The symbol's shape in terms of h and m.
    pub fn shape(self) -> Shape {
        match self {
            Symbol::X => Shape::new(Dim::M, Dim::One),
            Symbol::A => Shape::new(Dim::H, Dim::M),
            Symbol::B | Symbol::Z1 | Symbol::Z2 => Shape::new(Dim::H, Dim::One),
            Symbol::Y | Symbol::Z3 | Symbol::Z4 => Shape::SCALAR,
        }
    }
}

/// The functions an expression can apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    /// The sigmoid σ, entry by entry.
    Sigma,
    /// Its derivative σ′ = σ(1 − σ), entry by entry.
    SigmaPrime,
    /// diag(v): the square matrix with the vector v on its diagonal.
    Diag,
}

impl Function {
    /// The function as plain text: "σ", "σ′", "diag".
    pub fn name(self) -> &'static str {
        match self {
            Function::Sigma => "σ",
            Function::SigmaPrime => "σ′",
            Function::Diag => "diag",
        }
    }
}

/// How a product was written; all mean the same, but messages name the one used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Times {
    /// Nothing between the factors: `2 z4`, `A x`.
    Juxtaposed,
    /// `*`, `·`, `⋅`, `×`.
    Star,
    /// `@`.
    At,
}

/// One node of the syntax tree; children are indices of earlier nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Number(f64),
    Symbol(Symbol),
    Negate(usize),
    Add(usize, usize),
    Subtract(usize, usize),
    Multiply(usize, usize, Times),
    Entrywise(usize, usize),
    Divide(usize, usize),
    Transpose(usize),
    Square(usize),
    Apply(Function, usize),
}

/// A node with the characters it came from, `start..end` (in chars, not bytes), and the index
/// of the first node of its subtree: the parser creates children before their parent, so a
/// subtree is the contiguous run `first..=index`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) first: usize,
}

/// A parsed expression. It holds no input text: only the tree, whose symbols come from a
/// fixed set and whose numbers are stored as values.
#[derive(Clone, Debug, PartialEq)]
pub struct Expression {
    /// Children before parents; the last node is the root. Never empty.
    nodes: Vec<Node>,
}

impl Expression {
    /// Parses `text`; an error names the character where it went wrong.
    pub fn parse(text: &str) -> Result<Expression, ParseError> {
        parse::parse(text).map(|nodes| Expression { nodes })
    }

    /// The shape of the result, in terms of h and m, or what does not fit.
    pub fn shape(&self) -> Result<Shape, ShapeError> {
        shape::infer(self).map(|inferred| inferred.shape)
    }

    /// Whether some product of two vectors of the same shape is read entry by entry (as in
    /// `z2(1 − z2)`); `false` when the shapes do not fit at all.
    pub fn has_implicit_entrywise(&self) -> bool {
        shape::infer(self).is_ok_and(|inferred| inferred.implicit_entrywise)
    }

    /// The value on one example, after the shapes are checked.
    pub fn evaluate(&self, instance: &Instance) -> Result<Value, ShapeError> {
        shape::infer(self)?;
        Ok(eval::evaluate(&self.nodes, instance))
    }

    /// [`Expression::evaluate`] for an expression whose shapes are known to fit.
    pub(crate) fn evaluate_unchecked(&self, instance: &Instance) -> Value {
        eval::evaluate(&self.nodes, instance)
    }

    /// Presentation MathML, `<math>…</math>`, built from the tree alone (safe in a page).
    pub fn to_mathml(&self) -> String {
        render::render(&self.nodes, render::Format::MathMl)
    }

    /// Plain text with the page's symbols: "−2 z4 (b ⊙ z2) xᵀ".
    pub fn to_text(&self) -> String {
        render::render(&self.nodes, render::Format::Text)
    }

    pub(crate) fn nodes(&self) -> &[Node] {
        &self.nodes
    }
}
