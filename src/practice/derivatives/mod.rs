//! The typed-derivative exercises (∂L/∂z4 … ∂L/∂z1, worksheet 2(b) ∂L/∂b and 2(c) ∂L/∂A):
//! what each asks and its right value (here), the known mistakes and their wrong formulas
//! (`mistakes`), the checker (`checker`: shape first, then values on random examples, then a
//! diagnosis by comparing the answer with the wrong formulas on the same examples) and what
//! the student reads (`verdict`).

mod checker;
mod mistakes;
mod verdict;

pub use checker::{check, check_on};
pub use mistakes::Mistake;
pub use verdict::{Comparison, Verdict, WrongShape};

use super::HINT_LEVELS;
use crate::expr::{Dim, Shape, Value};
use crate::network::Gradients;
use mistakes::{
    KnownMistake, A_MISTAKES, B_MISTAKES, Z1_MISTAKES, Z2_MISTAKES, Z3_MISTAKES, Z4_MISTAKES,
};

/// A derivative a student types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derivative {
    /// ∂L/∂z4, a number.
    Z4,
    /// ∂L/∂z3, a number.
    Z3,
    /// ∂L/∂z2, h × 1.
    Z2,
    /// ∂L/∂z1, h × 1.
    Z1,
    /// ∂L/∂b, h × 1 (worksheet 2(b)).
    B,
    /// ∂L/∂A, h × m (worksheet 2(c)).
    A,
}

impl Derivative {
    /// In the order of the backward pass.
    pub const ALL: [Derivative; 6] = [
        Derivative::Z4,
        Derivative::Z3,
        Derivative::Z2,
        Derivative::Z1,
        Derivative::B,
        Derivative::A,
    ];

    /// A stable name for the page: "dz4", "dz3", "dz2", "dz1", "db", "dA".
    pub fn name(self) -> &'static str {
        match self {
            Derivative::Z4 => "dz4",
            Derivative::Z3 => "dz3",
            Derivative::Z2 => "dz2",
            Derivative::Z1 => "dz1",
            Derivative::B => "db",
            Derivative::A => "dA",
        }
    }

    /// The derivative for a name from [`Derivative::name`].
    pub fn from_name(name: &str) -> Option<Derivative> {
        Derivative::ALL.into_iter().find(|d| d.name() == name)
    }

    /// "∂L/∂z4", ….
    pub fn label(self) -> &'static str {
        match self {
            Derivative::Z4 => "∂L/∂z4",
            Derivative::Z3 => "∂L/∂z3",
            Derivative::Z2 => "∂L/∂z2",
            Derivative::Z1 => "∂L/∂z1",
            Derivative::B => "∂L/∂b",
            Derivative::A => "∂L/∂A",
        }
    }

    /// The task as the student reads it.
    pub fn prompt(self) -> &'static str {
        match self {
            Derivative::Z4 => "L = z4². Write ∂L/∂z4.",
            Derivative::Z3 => "z4 = y − z3. Write ∂L/∂z3 (a number).",
            Derivative::Z2 => "z3 = bᵀz2. Write ∂L/∂z2 (a vector of h entries).",
            Derivative::Z1 => "z2 = σ(z1), entry by entry. Write ∂L/∂z1 (a vector of h entries).",
            Derivative::B => {
                "Worksheet 2(b): write ∂L/∂b (a vector of h entries), using the forward values \
                 z1 … z4 where you can."
            }
            Derivative::A => {
                "Worksheet 2(c): write ∂L/∂A (an h × m matrix), using the forward values where \
                 you can."
            }
        }
    }

    /// The shape of a right answer.
    pub fn expected_shape(self) -> Shape {
        match self {
            Derivative::Z4 | Derivative::Z3 => Shape::SCALAR,
            Derivative::Z2 | Derivative::Z1 | Derivative::B => Shape::new(Dim::H, Dim::One),
            Derivative::A => Shape::new(Dim::H, Dim::M),
        }
    }

    /// The worksheet's answer in the expression language.
    pub fn answer(self) -> &'static str {
        match self {
            Derivative::Z4 => "2 z4",
            Derivative::Z3 => "-2 z4",
            Derivative::Z2 => "-2 z4 b",
            Derivative::Z1 => "-2 z4 b ⊙ z2 ⊙ (1 - z2)",
            Derivative::B => "-2 z4 z2",
            Derivative::A => "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ",
        }
    }

    /// Three hints, each more specific; the last nearly gives the answer.
    pub fn hints(self) -> [&'static str; HINT_LEVELS] {
        match self {
            Derivative::Z4 => [
                "L is the square of z4.",
                "The derivative of u² with respect to u is 2u.",
                "∂L/∂z4 = 2 · z4.",
            ],
            Derivative::Z3 => [
                "Chain rule: ∂L/∂z3 = ∂L/∂z4 · ∂z4/∂z3, and you know ∂L/∂z4.",
                "z4 = y − z3, so ∂z4/∂z3 = −1.",
                "∂L/∂z3 = 2 z4 · (−1).",
            ],
            Derivative::Z2 => [
                "Chain rule: ∂L/∂z2 = ∂L/∂z3 · ∂z3/∂z2, where ∂L/∂z3 is a number.",
                "For the dot product z3 = bᵀz2, ∂z3/∂z2 = b.",
                "∂L/∂z2 = (−2 z4) b.",
            ],
            Derivative::Z1 => [
                "Each entry of z2 depends only on the same entry of z1, so the chain rule \
                 multiplies entry by entry: ∂L/∂z1 = ∂L/∂z2 ⊙ σ′(z1).",
                "σ′(z1) = σ(z1)(1 − σ(z1)) = z2 ⊙ (1 − z2): z2 is known from the forward pass.",
                "∂L/∂z1 = (−2 z4 b) ⊙ z2 ⊙ (1 − z2).",
            ],
            Derivative::B => [
                "b reaches L only through z3 = bᵀz2.",
                "∂(bᵀz2)/∂b = z2 (the worksheet's hint), and ∂L/∂z3 = −2 z4.",
                "∂L/∂b = (−2 z4) z2.",
            ],
            Derivative::A => [
                "A reaches L only through z1 = Ax: find ∂L/∂z1 first.",
                "Entry by entry, z1_i = Σ_j A_ij x_j, so ∂L/∂A_ij = (∂L/∂z1)_i · x_j: a \
                 column times a row, an outer product.",
                "∂L/∂A = (∂L/∂z1) xᵀ with ∂L/∂z1 = −2 z4 b ⊙ z2 ⊙ (1 − z2).",
            ],
        }
    }

    /// The backpropagation value on one example.
    pub fn right_value(self, gradients: &Gradients, hidden: usize, inputs: usize) -> Value {
        let (rows, cols, entries) = match self {
            Derivative::Z4 => (1, 1, vec![gradients.dz4]),
            Derivative::Z3 => (1, 1, vec![gradients.dz3]),
            Derivative::Z2 => (hidden, 1, gradients.dz2.clone()),
            Derivative::Z1 => (hidden, 1, gradients.dz1.clone()),
            Derivative::B => (hidden, 1, gradients.db.clone()),
            Derivative::A => (hidden, inputs, gradients.da.clone()),
        };
        Value::new(rows, cols, entries).unwrap_or_else(|| Value::scalar(f64::NAN))
    }

    fn known_mistakes(self) -> &'static [KnownMistake] {
        match self {
            Derivative::Z4 => &Z4_MISTAKES,
            Derivative::Z3 => &Z3_MISTAKES,
            Derivative::Z2 => &Z2_MISTAKES,
            Derivative::Z1 => &Z1_MISTAKES,
            Derivative::B => &B_MISTAKES,
            Derivative::A => &A_MISTAKES,
        }
    }

    /// The wrong formulas the checker compares with, each with its mistakes (for tests and
    /// for a page that wants to show them).
    pub fn wrong_formulas(self) -> impl Iterator<Item = (&'static str, &'static [Mistake])> {
        self.known_mistakes()
            .iter()
            .map(|known| (known.formula, known.mistakes))
    }
}
