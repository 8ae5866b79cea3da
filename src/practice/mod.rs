//! The practice panel's core: exercises on worksheet 1(a)–(c) and 2(a)–(d) and their
//! checkers, with no browser code (the web layer calls these).
//!
//! - [`sketch`]: 1(a), the student's sketch of σ′ and ReLU′ scored against the derivative.
//! - [`limits`]: 1(b), the derivatives' limits and where σ′ falls below the saturation level.
//! - [`vanishing`]: 1(c), the vanishing gradient in numbers, and which remedies help.
//! - [`graph`]: 2(a), build the computation graph from fixed lists of operations and inputs.
//! - [`Derivative`]: ∂L/∂z4, ∂L/∂z3, ∂L/∂z2, ∂L/∂z1, then 2(b) ∂L/∂b and 2(c) ∂L/∂A, typed as
//!   expressions ([`crate::expr`]) and checked by [`check`].
//! - [`counts`]: 2(d), how many derivatives and passes, and what another layer changes.
//!
//! A typed answer is right when its shape is the derivative's (checked symbolically, in h
//! and m) and its value equals backpropagation's ([`crate::network::Network::backward`]) on
//! [`CHECK_CASES`] examples drawn from a seed, entry by entry to [`RELATIVE_TOLERANCE`]
//! (relative, with a floor of [`TOLERANCE_FLOOR`]). A wrong one is compared, on the same
//! examples, with the wrong formulas of known [`Mistake`]s, each also with a lost sign and a
//! lost factor 2; otherwise the verdict shows both values on one example.
//!
//! ```
//! use backprop_lab::practice::{check, Derivative, Mistake, Verdict};
//!
//! assert!(check(Derivative::B, "-2 z4 z2", 1).is_right());
//! assert!(check(Derivative::B, "2 (z3 - y) σ(A x)", 1).is_right());
//! assert_eq!(check(Derivative::B, "-z4 z2", 1).mistakes(), [Mistake::FactorTwoMissing]);
//! let verdict = check(Derivative::A, "-2 z4 x (b ⊙ z2 ⊙ (1 - z2))ᵀ", 1);
//! assert!(matches!(verdict, Verdict::WrongShape(_)));
//! assert!(verdict.to_string().starts_with("∂L/∂A must be h × m = "));
//! ```

mod cases;
pub mod counts;
mod derivatives;
pub mod graph;
pub mod limits;
pub mod sketch;
pub mod vanishing;

pub use cases::{
    Case, Cases, CHECK_CASES, CLOSE_TOLERANCE, MAX_CASES, RELATIVE_TOLERANCE, TOLERANCE_FLOOR,
};
pub use derivatives::{check, check_on, Comparison, Derivative, Mistake, Verdict, WrongShape};

/// Every exercise has this many hints, each more specific than the last.
pub const HINT_LEVELS: usize = 3;
