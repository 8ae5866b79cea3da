//! Seeded 1-D regression data sets for the training lab: y = target(x) + noise.
//!
//! Inputs lie in [−3, 3] and targets roughly in [−1, 1]. The inputs, the noise (a sum of
//! uniform draws, Irwin–Hall, close to normal) and the step, |x| and quadratic targets use
//! only IEEE-exact arithmetic. The sine and bump targets call `sin` and `exp`, which are not
//! correctly rounded and are not the same code everywhere: the WebAssembly module carries the
//! libm Rust compiles into it, so every browser gets the same points from a seed (what links
//! rely on), while a native build calls the system's libm, which gave a different last bit for
//! 1,360 of 40,000 sine and bump targets on x86-64 Linux (glibc). `tests/known_answers.rs` and
//! `tests/browser/api.test.mjs` pin the points.

use crate::rng::Rng;
use std::fmt;
use std::str::FromStr;

/// The x-interval every data set covers.
pub const X_RANGE: (f64, f64) = (-3.0, 3.0);
/// The region the training lab shows (its fit plot) and fit by hand works in: X_RANGE with a
/// margin, and the targets' y with room around them.
pub const X_VIEW: std::ops::Range<f64> = -3.25..3.25;
pub const Y_VIEW: std::ops::Range<f64> = -2.0..2.0;

/// The shape the points follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Sine,
    Step,
    Abs,
    Quadratic,
    Bump,
}

impl Shape {
    pub const ALL: [Shape; 5] = [
        Shape::Sine,
        Shape::Step,
        Shape::Abs,
        Shape::Quadratic,
        Shape::Bump,
    ];

    /// The name used in the API and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Sine => "sine",
            Shape::Step => "step",
            Shape::Abs => "abs",
            Shape::Quadratic => "quadratic",
            Shape::Bump => "bump",
        }
    }

    /// The noise-free target at x.
    pub fn target(self, x: f64) -> f64 {
        match self {
            Shape::Sine => (std::f64::consts::FRAC_PI_2 * x).sin(),
            Shape::Step => {
                if x > 0.0 {
                    0.8
                } else {
                    -0.8
                }
            }
            Shape::Abs => x.abs() / 1.5 - 1.0,
            Shape::Quadratic => x * x / 4.5 - 1.0,
            Shape::Bump => 1.5 * (-x * x).exp() - 0.5,
        }
    }
}

impl FromStr for Shape {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Shape::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .ok_or_else(|| {
                let names: Vec<_> = Shape::ALL
                    .iter()
                    .map(|s| format!("\"{}\"", s.name()))
                    .collect();
                format!(
                    "unknown data set \"{name}\"; valid names are {}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Points (x, y) of a 1-D regression problem.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

impl Points {
    /// `count` points with x uniform on X_RANGE and noise of standard deviation `noise`.
    pub fn sample(shape: Shape, count: usize, noise: f64, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut points = Points::default();
        for _ in 0..count {
            let x = rng.uniform(X_RANGE.0, X_RANGE.1);
            points.xs.push(x);
            points.ys.push(shape.target(x) + noise * rng.normal());
        }
        points
    }

    /// `count` points on an even grid across X_RANGE (cell midpoints), with their own noise:
    /// the held-out test set, drawn differently from the random training inputs.
    pub fn grid(shape: Shape, count: usize, noise: f64, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let (low, high) = X_RANGE;
        let width = (high - low) / count.max(1) as f64;
        let mut points = Points::default();
        for i in 0..count {
            let x = low + width * (i as f64 + 0.5);
            points.xs.push(x);
            points.ys.push(shape.target(x) + noise * rng.normal());
        }
        points
    }

    pub fn len(&self) -> usize {
        self.ys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ys.is_empty()
    }

    /// The network's inputs, row-major: `[x, 1]` per point when `constant` is on (a constant
    /// feature gives each hidden unit an offset while f keeps the form bᵀσ(Ax)), else `[x]`.
    pub fn features(&self, constant: bool) -> Vec<f64> {
        if constant {
            self.xs.iter().flat_map(|&x| [x, 1.0]).collect()
        } else {
            self.xs.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_fixes_the_points() {
        let first = Points::sample(Shape::Sine, 50, 0.1, 3);
        assert_eq!(first, Points::sample(Shape::Sine, 50, 0.1, 3));
        assert_ne!(first, Points::sample(Shape::Sine, 50, 0.1, 4));
        assert!(first.xs.iter().all(|x| (X_RANGE.0..X_RANGE.1).contains(x)));
    }

    #[test]
    fn noise_has_about_the_requested_spread() {
        let points = Points::sample(Shape::Quadratic, 20_000, 0.5, 1);
        let residuals: Vec<f64> = points
            .xs
            .iter()
            .zip(&points.ys)
            .map(|(&x, &y)| y - Shape::Quadratic.target(x))
            .collect();
        let mean = residuals.iter().sum::<f64>() / residuals.len() as f64;
        let variance = residuals
            .iter()
            .map(|r| (r - mean) * (r - mean))
            .sum::<f64>()
            / residuals.len() as f64;
        assert!(mean.abs() < 0.02, "mean {mean}");
        assert!(
            (variance.sqrt() - 0.5).abs() < 0.02,
            "sd {}",
            variance.sqrt()
        );
    }

    #[test]
    fn features_add_the_constant_column() {
        let points = Points {
            xs: vec![0.5, -1.0],
            ys: vec![0.0, 0.0],
        };
        assert_eq!(points.features(true), vec![0.5, 1.0, -1.0, 1.0]);
        assert_eq!(points.features(false), vec![0.5, -1.0]);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        assert_eq!("bump".parse::<Shape>(), Ok(Shape::Bump));
        let message = "spiral".parse::<Shape>().unwrap_err();
        assert!(message.contains("\"sine\"") && message.contains("spiral"));
    }
}
