//! Helpers shared by the integration tests: random test cases and a relative error.

#![allow(dead_code)]

use backprop_lab::Rng;

/// Relative error |a − b| / max(|a|, |b|, floor): the floor keeps entries that are zero or
/// nearly zero from dividing by ~0 (their absolute error is then what counts).
pub fn relative_error(a: f64, b: f64, floor: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(floor)
}

/// `count` numbers uniform in [−scale, scale).
pub fn random_vector(rng: &mut Rng, count: usize, scale: f64) -> Vec<f64> {
    (0..count).map(|_| rng.symmetric(scale)).collect()
}
