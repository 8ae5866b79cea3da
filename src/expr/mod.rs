//! A small expression language for the derivatives a student types in the practice panel,
//! with shapes, evaluation on one example, and MathML.
//!
//! # What can be typed
//!
//! - Numbers: `2`, `0.5`, `.5`, `1e-3` (at most 15 significant digits, powers of ten from
//!   −22 to 22, so every number is read exactly as written, rounded once).
//! - Symbols: `x`, `y`, `A`, `b`, `z1` … `z4` (also `z_1`, `z_{1}`, `z₁`). Names are
//!   case-sensitive. Letters may run together when they split into known names: `Ax`,
//!   `bz2`, `z4z2`. The italic letters of the preview (𝜎, 𝑥, 𝑏, 𝑧, …) read as plain ones.
//! - σ, element-wise: `σ(…)`, `sigma(…)`, `sigmoid(…)`, `\sigma(…)`, or written out,
//!   `1 / (1 + exp(-z1))`. σ′: `σ'(…)`, `σ′(…)`, `sigma'(…)`, `\sigma'(…)`,
//!   `\sigma^{\prime}(…)`, `dsigma(…)`, `sigma_prime(…)`. `exp(…)` entry by entry.
//!   `diag(v)` is the square matrix with v on its diagonal.
//! - `+`, `-` (also `−`, `–`), unary minus, parentheses `( )`, `[ ]` or `{ }`.
//! - Products: `*`, `·`, `⋅`, `×`, `\cdot`, `\times`, `@` or nothing at all (juxtaposition:
//!   `2 z4`, `A x`, `u xᵀ`). Entry by entry: `⊙`, `∘`, `.*`, `\odot`. Outer product:
//!   `u ⊗ v`, `\otimes`, `outer(u, v)` (NumPy's), all u vᵀ. Division `/` by a number, or
//!   entry by entry between equal shapes, as in NumPy.
//! - Transpose: `ᵀ`, `⊤`, `^T`, `^{\top}`, `**T`, `.T` (NumPy), `transpose(…)` or `'`
//!   (MATLAB). Square: `²`, `^2`, `**2`. NumPy's `np.` prefix is read and ignored; the LaTeX
//!   `\left`, `\right`, `\mathbf` and spacing are ignored.
//! - A notation that is not read (`np.dot`, `\frac`, `e^…`) is refused with a message that
//!   names the spelling to use instead.
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
//!   σ(x)(1 − σ(x)), or with `*` as in NumPy. Not with `@`, NumPy's matrix product, which
//!   never multiplies entry by entry (of two 1-D arrays it makes the dot product), nor with
//!   `·` or `×`, which between two vectors mean a dot or a cross product: `b @ z2` and
//!   `b · z2` are refused with a hint.
//!   Anything else is refused with a hint (`z2 x` asks "did you mean xᵀ?");
//! - `+` and `-` need equal shapes, or a number on one side, which then acts on every entry
//!   (`1 - z2`);
//! - `/` follows the rule of `+` (entry by entry, or by a number), `²` squares a number only,
//!   σ, σ′ and exp act entry by entry.
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
    /// The exponential, entry by entry (σ written out: 1 / (1 + exp(−z1))).
    Exp,
}

impl Function {
    /// The function as plain text: "σ", "σ′", "diag".
    pub fn name(self) -> &'static str {
        match self {
            Function::Sigma => "σ",
            Function::SigmaPrime => "σ′",
            Function::Diag => "diag",
            Function::Exp => "exp",
        }
    }
}

/// How a product was written; all mean the same (but between two vectors of the same shape,
/// where only `*` and juxtaposition read entry by entry), and messages name the one used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Times {
    /// Nothing between the factors: `2 z4`, `A x`.
    Juxtaposed,
    /// `*`, `∗`, `\ast`.
    Star,
    /// `·`, `⋅`, `×`, `\cdot`, `\times`: between two vectors, a dot or a cross product in
    /// mathematics, never entry by entry.
    Dot,
    /// `@`.
    At,
}

/// A number as typed, normalised: `digits` × 10^`exponent` with no trailing zeros in
/// `digits` (0 is 0 × 10^0), and its value. Text and MathML write it from the digits with
/// integer formatting only.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Number {
    pub(crate) value: f64,
    pub(crate) digits: u64,
    pub(crate) exponent: i32,
}

/// One node of the syntax tree; children are indices of earlier nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Kind {
    Number(Number),
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

    /// The names the expression uses, each once, in the order they first appear.
    pub fn symbols(&self) -> Vec<Symbol> {
        let mut symbols = Vec::new();
        for node in &self.nodes {
            if let Kind::Symbol(symbol) = node.kind {
                if !symbols.contains(&symbol) {
                    symbols.push(symbol);
                }
            }
        }
        symbols
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

impl Value {
    /// The value as text with `digits` significant digits (2 to 8): "0.2500" for a number,
    /// "[0.2500, −1.500; 0.5000, 2.000]" for a matrix, row by row, so a column reads
    /// "[0.2500; 0.5000]" and a row "[0.2500, 0.5000]".
    pub fn to_text(&self, digits: usize) -> String {
        render::value_text(self, digits)
    }

    /// The value as presentation MathML, a matrix as a table of its rows in brackets.
    pub fn to_mathml(&self, digits: usize) -> String {
        render::value_mathml(self, digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> Instance {
        // m = 2, h = 3.
        let a = [0.5, -1.0, 0.25, 0.75, -0.5, 1.0];
        let b = [1.0, -2.0, 0.5];
        Instance::new(&a, &b, &[1.0, 0.5], 0.3).unwrap()
    }

    fn value(text: &str) -> Value {
        Expression::parse(text)
            .unwrap()
            .evaluate(&instance())
            .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn shape(text: &str) -> Result<Shape, ShapeError> {
        Expression::parse(text).unwrap().shape()
    }

    #[test]
    fn values_follow_the_forward_pass() {
        let instance = instance();
        let forward = instance.forward();
        assert_eq!(value("A x").entries(), forward.z1.as_slice());
        assert_eq!(value("σ(A x)").entries(), forward.z2.as_slice());
        assert_eq!(value("bᵀσ(Ax)").entries(), [forward.z3]);
        assert_eq!(value("y - z3").entries(), [forward.z4]);
        assert_eq!(value("(y - bᵀ z2)²").entries(), [forward.loss]);
        // σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2), to rounding.
        let direct = value("σ'(z1)");
        for other in ["z2 ⊙ (1 - z2)", "σ(z1)(1 - σ(z1))", "z2 - z2 .* z2"] {
            for (a, b) in direct.entries().iter().zip(value(other).entries()) {
                assert!((a - b).abs() <= 1e-15, "{other}");
            }
        }
    }

    #[test]
    fn products_transposes_and_diag() {
        let x = value("x xᵀ");
        assert_eq!((x.rows(), x.cols()), (2, 2));
        assert_eq!(x.entries(), [1.0, 0.5, 0.5, 0.25]);
        assert_eq!(value("xᵀ x").entries(), [1.25]);
        assert_eq!(value("(A x)ᵀ"), value("z1").transposed());
        assert_eq!(value("diag(b) z2"), value("b ⊙ z2"));
        assert_eq!(value("A").transposed().transposed(), value("A"));
        assert_eq!(value("1 - z2").entries().len(), 3);
        assert_eq!(value("6 / 4").entries(), [1.5]);
        assert_eq!(value("-z4²").entries(), value("-(z4 z4)").entries());
    }

    #[test]
    fn shapes_are_symbolic() {
        let column = |d| Shape::new(d, Dim::One);
        assert_eq!(shape("-2 z4 z2"), Ok(column(Dim::H)));
        assert_eq!(shape("bᵀz2"), Ok(Shape::SCALAR));
        assert_eq!(shape("z2 xᵀ"), Ok(Shape::new(Dim::H, Dim::M)));
        assert_eq!(shape("Aᵀ b"), Ok(column(Dim::M)));
        assert_eq!(shape("x'"), Ok(Shape::new(Dim::One, Dim::M)));
        assert_eq!(shape("diag(x)"), Ok(Shape::new(Dim::M, Dim::M)));
        assert_eq!(shape("1 - z2"), Ok(column(Dim::H)));
        // Two h × 1 columns multiply entry by entry, and it is noted.
        let expression = Expression::parse("z2 (1 - z2)").unwrap();
        assert_eq!(expression.shape(), Ok(column(Dim::H)));
        assert!(expression.has_implicit_entrywise());
        assert!(!Expression::parse("z2 ⊙ (1 - z2)")
            .unwrap()
            .has_implicit_entrywise());
        for bad in [
            "z2 x", "b + x", "A A", "z2 / x", "z2²", "diag(A)", "b ⊙ x", "x A",
        ] {
            assert!(shape(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shape_messages_help() {
        let message = |text: &str| shape(text).unwrap_err().to_string();
        assert_eq!(
            message("z2 x"),
            "At position 1: can't multiply z2 (h × 1) by x (m × 1): did you mean xᵀ? \
             (z2 xᵀ is h × m)"
        );
        assert!(message("x A").ends_with("the order matters; did you mean A x?"));
        assert!(message("b - bᵀ").ends_with("(one of them is transposed)"));
        assert!(message("z2^2").ends_with("for entry by entry write z2 ⊙ z2"));
        assert!(message("2 z4 + z2 / x").starts_with("At position 8: you can divide by a number"));
    }

    #[test]
    fn text_and_mathml_come_from_the_tree() {
        let expression = Expression::parse("-2*z4*(b .* z2)*x^T").unwrap();
        assert_eq!(expression.to_text(), "−2 z4 (b ⊙ z2) xᵀ");
        let mathml = Expression::parse("z4/2").unwrap().to_mathml();
        assert_eq!(
            mathml,
            "<math><mfrac><mrow><msub><mi>z</mi><mn>4</mn></msub></mrow><mrow><mn>2</mn>\
             </mrow></mfrac></math>"
        );
        assert_eq!(Expression::parse("0.50").unwrap().to_text(), "0.5");
        for (typed, written) in [
            ("120", "120"),
            ("1.5e3", "1500"),
            ("0.0012", "0.0012"),
            ("0.00012", "0.00012"),
            ("0.000012", "1.2e-5"),
            ("1000000", "1000000"),
            ("12345678", "1.2345678e7"),
            ("00.100", "0.1"),
            ("0e5", "0"),
        ] {
            assert_eq!(Expression::parse(typed).unwrap().to_text(), written);
        }
        assert_eq!(Expression::parse("2.5e-7").unwrap().to_text(), "2.5e-7");
        assert_eq!(Expression::parse("z4 · 2").unwrap().to_text(), "z4 · 2");
        assert_eq!(
            Expression::parse("2 - (-z4)").unwrap().to_text(),
            "2 − (−z4)"
        );
    }

    #[test]
    fn instances_refuse_sizes_beyond_the_limit() {
        let big = vec![0.5; MAX_INSTANCE_SIZE + 1];
        let a = vec![0.1; big.len()];
        assert!(matches!(
            Instance::new(&a, &[1.0], &big, 0.0),
            Err(InstanceError::TooLarge { .. })
        ));
        assert!(matches!(
            Instance::new(&[0.1, 0.2], &[1.0], &[1.0], 0.0),
            Err(InstanceError::Network(_))
        ));
    }
}
