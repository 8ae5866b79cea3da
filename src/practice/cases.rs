//! The random examples an answer is checked on, and how close is equal.

use crate::expr::{Instance, Value};
use crate::network::Gradients;
use crate::rng::Rng;

/// How many examples [`crate::practice::check`] uses.
pub const CHECK_CASES: usize = 20;

/// The most examples [`Cases::draw`] makes (more are clamped to this).
pub const MAX_CASES: usize = 2_000;

/// An entry equals the right one when |yours − right| ≤ `RELATIVE_TOLERANCE` ·
/// max(|right|, [`TOLERANCE_FLOOR`]).
pub const RELATIVE_TOLERANCE: f64 = 1e-9;

/// Below this size an entry is compared absolutely (to 1e-12) rather than relatively. The
/// examples are drawn so that no right entry is that small: |x_i| and |b_j| ≥ 0.3, |z1| ≤ 3
/// (so σ′ ≥ 0.045) and |z4| ≥ 0.5 make every entry of every gradient at least about 0.004.
pub const TOLERANCE_FLOOR: f64 = 1e-3;

/// Agreement to this (but not to [`RELATIVE_TOLERANCE`]) is too close to call a mistake and
/// too far for rounding in a short formula: the verdict is "undecided".
pub const CLOSE_TOLERANCE: f64 = 1e-6;

/// One example with its gradients from [`crate::network::Network::backward`].
#[derive(Clone, Debug)]
pub struct Case {
    instance: Instance,
    gradients: Gradients,
}

impl Case {
    /// x, y, A, b and z1 … z4.
    pub fn instance(&self) -> &Instance {
        &self.instance
    }

    /// ∂L/∂z4 … ∂L/∂A by backpropagation.
    pub fn gradients(&self) -> &Gradients {
        &self.gradients
    }
}

/// Examples drawn from a seed, so a check is reproducible.
#[derive(Clone, Debug)]
pub struct Cases {
    cases: Vec<Case>,
}

impl Cases {
    /// `count` examples (clamped to 1..=[`MAX_CASES`]) drawn from `seed`: m from 1 to 4, h
    /// from 1 to 5, except the first, which has m ≥ 2, h ≥ 2 and h ≠ m so that its sizes tell
    /// h × m from m × h in messages. Each x_i and b_j is ±[0.3, 1.5], each A_ij in [−0.5, 0.5]
    /// (so |z1| ≤ 3 and σ is not saturated), and y = z3 ± [0.5, 2] (so |z4| ≥ 0.5).
    pub fn draw(seed: u64, count: usize) -> Cases {
        let count = count.clamp(1, MAX_CASES);
        let mut rng = Rng::new(seed);
        let cases = (0..count)
            .filter_map(|index| draw_case(&mut rng, index == 0))
            .collect();
        Cases { cases }
    }

    pub fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The first example's (h, m), which messages quote.
    pub fn first_sizes(&self) -> (usize, usize) {
        self.cases.first().map_or((1, 1), |case| {
            (case.instance.hidden(), case.instance.inputs())
        })
    }
}

fn below(rng: &mut Rng, n: u64) -> usize {
    (rng.next_u64() % n) as usize
}

fn signed(rng: &mut Rng, low: f64, high: f64) -> f64 {
    let magnitude = rng.uniform(low, high);
    if rng.next_u64() & 1 == 0 {
        magnitude
    } else {
        -magnitude
    }
}

fn draw_case(rng: &mut Rng, first: bool) -> Option<Case> {
    let (inputs, hidden) = if first {
        let inputs = 2 + below(rng, 3);
        let hidden = 2 + below(rng, 4);
        (inputs, if hidden == inputs { inputs + 1 } else { hidden })
    } else {
        (1 + below(rng, 4), 1 + below(rng, 5))
    };
    let x: Vec<f64> = (0..inputs).map(|_| signed(rng, 0.3, 1.5)).collect();
    let a: Vec<f64> = (0..inputs * hidden).map(|_| rng.symmetric(0.5)).collect();
    let b: Vec<f64> = (0..hidden).map(|_| signed(rng, 0.3, 1.5)).collect();
    let prediction = Instance::new(&a, &b, &x, 0.0).ok()?.forward().z3;
    let y = prediction + signed(rng, 0.5, 2.0);
    let instance = Instance::new(&a, &b, &x, y).ok()?;
    let (_, gradients) = instance.network().backward(&x, y).ok()?;
    Some(Case {
        instance,
        gradients,
    })
}

/// Whether every entry of `yours` equals `scale` × the entry of `reference` to `tolerance`
/// (relative, with [`TOLERANCE_FLOOR`]); NaN never matches.
pub(crate) fn matches(yours: &Value, reference: &Value, scale: f64, tolerance: f64) -> bool {
    yours.rows() == reference.rows()
        && yours.cols() == reference.cols()
        && yours
            .entries()
            .iter()
            .zip(reference.entries())
            .all(|(y, r)| close(*y, scale * r, tolerance))
}

pub(crate) fn close(yours: f64, right: f64, tolerance: f64) -> bool {
    (yours - right).abs() <= tolerance * right.abs().max(TOLERANCE_FLOOR)
}
