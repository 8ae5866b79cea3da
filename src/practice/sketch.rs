//! Worksheet 1(a): the student sketches σ′ and ReLU′ over the plotted functions, and the sketch
//! is scored against the true derivative, naming what is off.
//!
//! A sketch is a polyline of points (x, y) with x increasing; the page keeps it as a
//! [`Sketch`], one y per [`GRID_STEP`] across the plot, which the pointer draws on and the
//! keyboard edits through a few control points. [`score`] reads any polyline within the
//! limits (at most [`MAX_POINTS`] finite points, x within ±[`X_HALF_RANGE`], covering
//! −[`COVERED`] … [`COVERED`]), compares it with the derivative on a fine grid and checks
//! each feature against its stated tolerance ([`tolerances`]).
//!
//! ```
//! use backprop_lab::practice::sketch::{score, SketchMistake, Target};
//!
//! let right: Vec<(f64, f64)> = (-24..=24).map(|i| {
//!     let x = i as f64 / 4.0;
//!     (x, Target::Sigmoid.derivative(x))
//! }).collect();
//! assert!(score(Target::Sigmoid, &right).unwrap().is_right());
//! // σ itself instead of σ′:
//! let sigma: Vec<(f64, f64)> = right.iter().map(|&(x, _)| (x, 1.0 / (1.0 + (-x).exp()))).collect();
//! let verdict = score(Target::Sigmoid, &sigma).unwrap();
//! assert_eq!(verdict.mistakes[0], SketchMistake::FunctionDrawn);
//! assert!(score(Target::Relu, &[(0.0, f64::NAN)]).is_err());
//! ```

use crate::activation::Activation;
use crate::format::{format_significant, format_tick};
use std::fmt;
use std::ops::Range;

/// The sketch's plot runs from −X_HALF_RANGE to X_HALF_RANGE.
pub const X_HALF_RANGE: f64 = 6.0;
/// The sketch's plot shows y in this range; a sketch's y is clamped to it.
pub const Y_RANGE: Range<f64> = -0.5..1.5;
/// The page keeps one y every GRID_STEP in x.
pub const GRID_STEP: f64 = 0.25;
/// How many points the page's grid holds: −6, −5.75, …, 6.
pub const GRID_POINTS: usize = 49;
/// A sketch handed to [`score`] has at most this many points.
pub const MAX_POINTS: usize = 2000;
/// A sketch must reach from −COVERED to COVERED; it is scored there.
pub const COVERED: f64 = 5.0;
/// A y further than this from 0 is refused (the plot shows −0.5 … 1.5).
pub const Y_LIMIT: f64 = 10.0;

/// σ′'s peak must lie within this distance of x = 0 …
pub const PEAK_PLACE_TOLERANCE: f64 = 0.75;
/// … and be this close to 0.25.
pub const PEAK_HEIGHT_TOLERANCE: f64 = 0.08;
/// Far out (4 ≤ |x| ≤ 5) σ′ must average at most this.
pub const TAIL_TOLERANCE: f64 = 0.06;
/// σ′'s bump is 3.53 wide where it is half its height (0.125 at x ≈ ±1.76); a sketch's width
/// there must lie in this range (σ′(2x), 1.76 wide, is the slope of a steeper curve).
pub const HALF_HEIGHT_WIDTH: Range<f64> = 2.4..5.5;
/// σ′ has one bump: before its peak the sketch may fall back by at most this much (averaged
/// over ±0.25), and after it rise again by at most this much.
pub const DIP_TOLERANCE: f64 = 0.06;
/// No value may be below −NEGATIVE_TOLERANCE.
pub const NEGATIVE_TOLERANCE: f64 = 0.05;
/// ReLU′ must average within this of 0 for x ≤ −1 and of 1 for x ≥ 1.
pub const LEVEL_TOLERANCE: f64 = 0.1;
/// ReLU′'s jump (where it passes ½) must be within this distance of x = 0 …
pub const STEP_PLACE_TOLERANCE: f64 = 0.5;
/// … and complete within ±STEP_WIDTH: at most 0.25 at x = −STEP_WIDTH, at least 0.75 at
/// x = STEP_WIDTH.
pub const STEP_WIDTH: f64 = 0.5;
/// The root-mean-square distance from the derivative (for ReLU′, away from the jump, |x| ≥
/// STEP_WIDTH) must be at most this.
pub const DISTANCE_TOLERANCE: f64 = 0.07;

/// The scoring grid's spacing.
const SCORE_STEP: f64 = 0.05;

/// The derivative sketched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// σ′(x) = σ(x)(1 − σ(x)).
    Sigmoid,
    /// ReLU′(x) = 1 for x > 0, else 0.
    Relu,
}

impl Target {
    pub const ALL: [Target; 2] = [Target::Sigmoid, Target::Relu];

    /// The name the API uses.
    pub fn name(self) -> &'static str {
        self.activation().name()
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The derivative's name as the page writes it.
    pub fn label(self) -> &'static str {
        match self {
            Target::Sigmoid => "σ′",
            Target::Relu => "ReLU′",
        }
    }

    /// The function's name as the page writes it.
    pub fn function_label(self) -> &'static str {
        match self {
            Target::Sigmoid => "σ",
            Target::Relu => "ReLU",
        }
    }

    pub fn activation(self) -> Activation {
        match self {
            Target::Sigmoid => Activation::Sigmoid,
            Target::Relu => Activation::Relu,
        }
    }

    /// The true derivative at x.
    pub fn derivative(self, x: f64) -> f64 {
        self.activation().derivative(x)
    }

    /// The function at x.
    pub fn function(self, x: f64) -> f64 {
        self.activation().value(x)
    }

    /// The x of the control points the keyboard moves, each on the page's grid.
    pub fn controls(self) -> &'static [f64] {
        match self {
            Target::Sigmoid => &[-6.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 6.0],
            Target::Relu => &[-6.0, -3.0, -1.0, -0.25, 0.25, 1.0, 3.0, 6.0],
        }
    }
}

/// Why a sketch cannot be scored.
#[derive(Clone, Debug, PartialEq)]
pub enum SketchError {
    TooFew,
    TooMany(usize),
    NotFinite(usize),
    XOutOfRange(usize),
    YOutOfRange(usize),
    NotIncreasing(usize),
    TooNarrow { from: f64, to: f64 },
}

impl fmt::Display for SketchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SketchError::TooFew => write!(f, "a sketch needs at least 2 points"),
            SketchError::TooMany(n) => {
                write!(f, "a sketch has at most {MAX_POINTS} points, this one has {n}")
            }
            SketchError::NotFinite(i) => write!(f, "point {} is not a finite number", i + 1),
            SketchError::XOutOfRange(i) => write!(
                f,
                "point {} lies outside the plot: x must be from −{} to {}",
                i + 1,
                format_tick(X_HALF_RANGE),
                format_tick(X_HALF_RANGE)
            ),
            SketchError::YOutOfRange(i) => write!(
                f,
                "point {} is too far off the plot: y must be from −{} to {}",
                i + 1,
                format_tick(Y_LIMIT),
                format_tick(Y_LIMIT)
            ),
            SketchError::NotIncreasing(i) => write!(
                f,
                "the points must go from left to right: point {} is not to the right of the one before",
                i + 1
            ),
            SketchError::TooNarrow { from, to } => write!(
                f,
                "draw across the plot: the sketch runs from x = {} to {}, and must reach from −{} to {}",
                format_significant(*from, 3),
                format_significant(*to, 3),
                format_tick(COVERED),
                format_tick(COVERED)
            ),
        }
    }
}

impl std::error::Error for SketchError {}

/// What is off in a sketch, with the numbers read from it.
#[derive(Clone, Debug, PartialEq)]
pub enum SketchMistake {
    /// The function itself was drawn, not its slope.
    FunctionDrawn,
    /// The sketch dips below 0 (lowest value `y` at `x`).
    Negative { x: f64, y: f64 },
    /// σ′'s bump is not 0.25 high (averaged over ±0.25 in x); `height` is its highest point as
    /// drawn.
    PeakHeight { height: f64 },
    /// σ′'s bump is centred at `x`, not 0.
    PeakPlace { x: f64 },
    /// σ′ does not fall to 0 on one side or both: the mean far out on each side.
    Tails { left: f64, right: f64 },
    /// σ′'s bump is too narrow or too wide: its `width` where it is half its height.
    Width { width: f64 },
    /// Two bumps (or more): the sketch dips by `depth` at `x` on the way to or from its peak.
    TwoBumps { x: f64, depth: f64 },
    /// ReLU′ is not 0 on the left or not 1 on the right: the mean on each side.
    Levels { left: f64, right: f64 },
    /// ReLU′ jumps at `x`, not at 0.
    StepPlace { x: f64 },
    /// ReLU′ rises gradually: its value at −STEP_WIDTH and at STEP_WIDTH.
    NotStep { before: f64, after: f64 },
    /// Every feature is within its tolerance but the curve is too far from the derivative.
    Distance { distance: f64 },
}

impl SketchMistake {
    /// A short name for the API and tests.
    pub fn name(&self) -> &'static str {
        match self {
            SketchMistake::FunctionDrawn => "function-drawn",
            SketchMistake::Negative { .. } => "negative",
            SketchMistake::PeakHeight { .. } => "peak-height",
            SketchMistake::PeakPlace { .. } => "peak-place",
            SketchMistake::Tails { .. } => "tails",
            SketchMistake::Width { .. } => "width",
            SketchMistake::TwoBumps { .. } => "two-bumps",
            SketchMistake::Levels { .. } => "levels",
            SketchMistake::StepPlace { .. } => "step-place",
            SketchMistake::NotStep { .. } => "not-step",
            SketchMistake::Distance { .. } => "distance",
        }
    }

    /// The mistake in words, for this target.
    pub fn message(&self, target: Target) -> String {
        let n = |v: f64| format_significant(v, 2);
        match (self, target) {
            (SketchMistake::FunctionDrawn, Target::Sigmoid) => "This is σ itself, rising from 0 to 1. Sketch its slope: σ′ is a bump, largest where σ is steepest (x = 0) and near 0 where σ is flat.".to_string(),
            (SketchMistake::FunctionDrawn, Target::Relu) => "This is ReLU itself. Sketch its slope: ReLU is flat (slope 0) for x < 0 and rises with slope 1 for x > 0.".to_string(),
            (SketchMistake::Negative { x, y }, _) => format!(
                "The sketch goes below 0 (to {} at x = {}). {} is increasing everywhere, so its slope is never negative.",
                n(*y), n(*x), target.function_label()
            ),
            (SketchMistake::PeakHeight { height }, _) => {
                let hint = if *height > 0.6 {
                    " σ′ = σ(1 − σ) is largest at σ = ½: ½ · ½ = 0.25, not 1."
                } else {
                    " σ′(0) = σ(0)(1 − σ(0)) = ½ · ½ = 0.25."
                };
                format!("The peak is at height {}; σ′ peaks at 0.25.{hint}", n(*height))
            }
            (SketchMistake::PeakPlace { x }, _) => format!(
                "The bump is centred near x = {}; σ is steepest at x = 0, so σ′ peaks there.",
                n(*x)
            ),
            (SketchMistake::Tails { left, right }, _) => format!(
                "σ′ should fall to 0 at both ends, but the sketch averages {} on the left and {} on the right (for 4 ≤ |x| ≤ 5). σ is nearly flat there: σ′(±4) ≈ 0.018.",
                n(*left), n(*right)
            ),
            (SketchMistake::Width { width }, _) => format!(
                "At half its height the bump is {} wide; σ′'s is about 3.5 (σ′ = 0.125 at x ≈ ±1.76). {}",
                n(*width),
                if *width < HALF_HEIGHT_WIDTH.start {
                    "A narrower bump is the slope of a steeper S-curve than σ."
                } else {
                    "A wider bump is the slope of a flatter S-curve than σ."
                }
            ),
            (SketchMistake::TwoBumps { x, depth }, _) => format!(
                "The sketch dips by {} near x = {} between two bumps. σ′ has one bump: σ gets steeper all the way to x = 0 and flatter after it.",
                n(*depth), n(*x)
            ),
            (SketchMistake::Levels { left, right }, _) => format!(
                "ReLU′ is 0 for every x < 0 and 1 for every x > 0; the sketch averages {} for x ≤ −1 and {} for x ≥ 1.",
                n(*left), n(*right)
            ),
            (SketchMistake::StepPlace { x }, _) => format!(
                "The jump is at x = {}; ReLU changes slope at x = 0, so ReLU′ jumps from 0 to 1 there.",
                n(*x)
            ),
            (SketchMistake::NotStep { before, after }, _) => format!(
                "ReLU′ is a step: it jumps from 0 to 1 at x = 0. The sketch is {} at x = −{} and {} at x = {}.",
                n(*before), format_tick(STEP_WIDTH), n(*after), format_tick(STEP_WIDTH)
            ),
            (SketchMistake::Distance { distance }, _) => format!(
                "The shape has the right features but is on average {} away from {} (at most {} is accepted).",
                n(*distance), target.label(), format_tick(DISTANCE_TOLERANCE)
            ),
        }
    }
}

/// The score of a sketch: what is off (nothing when it is accepted) and its root-mean-square
/// distance from the derivative on −COVERED … COVERED.
#[derive(Clone, Debug, PartialEq)]
pub struct SketchVerdict {
    pub target: Target,
    pub mistakes: Vec<SketchMistake>,
    pub distance: f64,
}

impl SketchVerdict {
    pub fn is_right(&self) -> bool {
        self.mistakes.is_empty()
    }

    /// What the page says: every mistake, or why it is accepted.
    pub fn message(&self) -> String {
        if self.is_right() {
            format!(
                "Your sketch of {} is within every tolerance (on average {} from the true curve).",
                self.target.label(),
                format_significant(self.distance, 2)
            )
        } else {
            let parts: Vec<String> = self
                .mistakes
                .iter()
                .map(|m| m.message(self.target))
                .collect();
            parts.join(" ")
        }
    }
}

/// The tolerances a sketch of `target` is held to, in words, for the panel.
pub fn tolerances(target: Target) -> String {
    let t = format_tick;
    match target {
        Target::Sigmoid => format!(
            "σ′: one bump, peak {} ± {} within ±{} of x = 0, from {} to {} wide at half its height; average at most {} for 4 ≤ |x| ≤ 5; never below −{}; on average within {} of σ′.",
            t(0.25), t(PEAK_HEIGHT_TOLERANCE), t(PEAK_PLACE_TOLERANCE), t(HALF_HEIGHT_WIDTH.start),
            t(HALF_HEIGHT_WIDTH.end), t(TAIL_TOLERANCE), t(NEGATIVE_TOLERANCE), t(DISTANCE_TOLERANCE)
        ),
        Target::Relu => format!(
            "ReLU′: within {} of 0 for x ≤ −1 and of 1 for x ≥ 1; the jump within ±{} of x = 0, complete between x = −{} and {}; never below −{}; on average within {} of ReLU′ for |x| ≥ {}.",
            t(LEVEL_TOLERANCE), t(STEP_PLACE_TOLERANCE), t(STEP_WIDTH), t(STEP_WIDTH),
            t(NEGATIVE_TOLERANCE), t(DISTANCE_TOLERANCE), t(STEP_WIDTH)
        ),
    }
}

/// 1(a)'s hints, each more specific than the last.
pub fn hints() -> [&'static str; super::HINT_LEVELS] {
    [
        "A derivative is the slope of the curve under it: where is σ steepest, and where is it flat?",
        "σ′ = σ(1 − σ): at x = 0 that is ½ · ½ = 0.25, and far out σ is flat, so σ′ falls to 0 on both sides.",
        "ReLU is flat (slope 0) left of 0 and the line y = x (slope 1) right of 0: ReLU′ is a step from 0 to 1 at x = 0.",
    ]
}

/// The shape of a σ′ sketch (smoothed, on the grid) whose highest point is `height`: one
/// bump, neither too narrow nor too wide.
fn bump_shape(smoothed: &[(f64, f64)], height: f64) -> Vec<SketchMistake> {
    let mut mistakes = Vec::new();
    let peak = smoothed
        .iter()
        .enumerate()
        .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
        .map_or(0, |(i, _)| i);
    // Walking in from each end towards the peak, the sketch may not fall back by more than
    // DIP_TOLERANCE below the highest value met so far.
    let deepest_dip = |points: &mut dyn Iterator<Item = &(f64, f64)>| {
        let mut highest = f64::NEG_INFINITY;
        let mut dip: Option<(f64, f64)> = None;
        for &(x, y) in points {
            highest = highest.max(y);
            let depth = highest - y;
            if depth > DIP_TOLERANCE && dip.is_none_or(|(_, d)| depth > d) {
                dip = Some((x, depth));
            }
        }
        dip
    };
    let from_left = deepest_dip(&mut smoothed[..=peak].iter());
    let from_right = deepest_dip(&mut smoothed[peak..].iter().rev());
    if let Some((x, depth)) = from_left
        .into_iter()
        .chain(from_right)
        .max_by(|a, b| a.1.total_cmp(&b.1))
    {
        mistakes.push(SketchMistake::TwoBumps { x, depth });
    }
    // The width where the sketch is half its height: from the first to the last grid point
    // at or above it.
    let half = height / 2.0;
    let above: Vec<f64> = smoothed
        .iter()
        .filter(|p| p.1 >= half)
        .map(|p| p.0)
        .collect();
    if let (Some(first), Some(last)) = (above.first(), above.last()) {
        let width = last - first;
        if !HALF_HEIGHT_WIDTH.contains(&width) {
            mistakes.push(SketchMistake::Width { width });
        }
    }
    mistakes
}

/// Checks a polyline against the limits, before any work.
fn validate(points: &[(f64, f64)]) -> Result<(), SketchError> {
    if points.len() > MAX_POINTS {
        return Err(SketchError::TooMany(points.len()));
    }
    if points.len() < 2 {
        return Err(SketchError::TooFew);
    }
    for (i, &(x, y)) in points.iter().enumerate() {
        if !x.is_finite() || !y.is_finite() {
            return Err(SketchError::NotFinite(i));
        }
        if x.abs() > X_HALF_RANGE {
            return Err(SketchError::XOutOfRange(i));
        }
        if y.abs() > Y_LIMIT {
            return Err(SketchError::YOutOfRange(i));
        }
        if i > 0 && x <= points[i - 1].0 {
            return Err(SketchError::NotIncreasing(i));
        }
    }
    let (from, to) = (points[0].0, points[points.len() - 1].0);
    if from > -COVERED || to < COVERED {
        return Err(SketchError::TooNarrow { from, to });
    }
    Ok(())
}

/// The polyline's value at x (within its x-range; validated points, x increasing).
fn interpolate(points: &[(f64, f64)], x: f64) -> f64 {
    let after = points.partition_point(|p| p.0 < x);
    if after == 0 {
        return points[0].1;
    }
    if after >= points.len() {
        return points[points.len() - 1].1;
    }
    let ((x0, y0), (x1, y1)) = (points[after - 1], points[after]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    sum / count.max(1) as f64
}

fn rms(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    mean(pairs.map(|(a, b)| (a - b) * (a - b))).sqrt()
}

/// The mean of the sketch's values where `keep(x)`.
fn mean_where(grid: &[(f64, f64)], keep: &dyn Fn(f64) -> bool) -> f64 {
    mean(grid.iter().filter(|p| keep(p.0)).map(|p| p.1))
}

/// A hand is not steady: each value averaged over ±`half` grid points, before a dip below 0 or
/// a peak counts.
fn smoothed(grid: &[(f64, f64)], half: usize) -> Vec<(f64, f64)> {
    (0..grid.len())
        .map(|i| {
            let window = &grid[i.saturating_sub(half)..(i + half + 1).min(grid.len())];
            (grid[i].0, mean(window.iter().map(|p| p.1)))
        })
        .collect()
}

/// What is off in a sketch of σ′: the peak's height and place, the tails, the bump's shape.
fn sigmoid_mistakes(grid: &[(f64, f64)]) -> Vec<SketchMistake> {
    let mut mistakes = Vec::new();
    // The height: the highest value of the sketch averaged over ±0.25.
    let height = smoothed(grid, 5)
        .iter()
        .map(|p| p.1)
        .fold(f64::NEG_INFINITY, f64::max);
    if (height - 0.25).abs() > PEAK_HEIGHT_TOLERANCE {
        // The message names the highest point as drawn, which is what the student sees.
        let drawn = grid.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        mistakes.push(SketchMistake::PeakHeight { height: drawn });
    }
    // The centre: where the area under the (positive part of the) sketch splits in
    // half, steadier than the highest point of a hand-drawn curve.
    let total: f64 = grid.iter().map(|p| p.1.max(0.0)).sum();
    if total > 0.0 && height > NEGATIVE_TOLERANCE {
        let mut running = 0.0;
        let centre = grid
            .iter()
            .find(|p| {
                running += p.1.max(0.0);
                running >= total / 2.0
            })
            .map_or(0.0, |p| p.0);
        if centre.abs() > PEAK_PLACE_TOLERANCE {
            mistakes.push(SketchMistake::PeakPlace { x: centre });
        }
    }
    let left = mean_where(grid, &|x| x <= -4.0);
    let right = mean_where(grid, &|x| x >= 4.0);
    if left.abs() > TAIL_TOLERANCE || right.abs() > TAIL_TOLERANCE {
        mistakes.push(SketchMistake::Tails { left, right });
    }
    if height > NEGATIVE_TOLERANCE {
        mistakes.extend(bump_shape(&smoothed(grid, 5), height));
    }
    mistakes
}

/// What is off in a sketch of ReLU′: the levels either side, the jump's place and sharpness.
fn relu_mistakes(grid: &[(f64, f64)], points: &[(f64, f64)]) -> Vec<SketchMistake> {
    let mut mistakes = Vec::new();
    // Where it passes ½: as many grid points above ½ as lie right of the jump.
    let above = grid.iter().filter(|p| p.1 >= 0.5).count();
    let jump = COVERED - above as f64 * SCORE_STEP + SCORE_STEP / 2.0;
    // The levels away from 0 and from the sketch's own jump, so a misplaced jump is
    // named once.
    let left = mean_where(grid, &|x| x <= (-1.0f64).min(jump - 1.0));
    let right = mean_where(grid, &|x| x >= 1.0f64.max(jump + 1.0));
    if left.abs() > LEVEL_TOLERANCE || (right - 1.0).abs() > LEVEL_TOLERANCE {
        mistakes.push(SketchMistake::Levels { left, right });
    }
    if jump.abs() > STEP_PLACE_TOLERANCE {
        mistakes.push(SketchMistake::StepPlace { x: jump });
    } else {
        let before = interpolate(points, -STEP_WIDTH);
        let after = interpolate(points, STEP_WIDTH);
        if before > 0.25 || after < 0.75 {
            mistakes.push(SketchMistake::NotStep { before, after });
        }
    }
    mistakes
}

/// Scores a sketch of `target`: the points, x increasing, within the limits above.
pub fn score(target: Target, points: &[(f64, f64)]) -> Result<SketchVerdict, SketchError> {
    validate(points)?;
    let steps = (2.0 * COVERED / SCORE_STEP).round() as usize;
    let grid: Vec<(f64, f64)> = (0..=steps)
        .map(|i| {
            let x = -COVERED + i as f64 * SCORE_STEP;
            (x, interpolate(points, x))
        })
        .collect();
    let away_from_jump = |x: f64| target == Target::Sigmoid || x.abs() >= STEP_WIDTH;
    let distance = rms(grid
        .iter()
        .filter(|p| away_from_jump(p.0))
        .map(|&(x, y)| (y, target.derivative(x))));
    let function_distance = rms(grid
        .iter()
        .filter(|p| away_from_jump(p.0))
        .map(|&(x, y)| (y, target.function(x).min(Y_RANGE.end))));
    let mean_where = |keep: &dyn Fn(f64) -> bool| mean_where(&grid, keep);
    let mut mistakes = Vec::new();

    // The function instead of its slope: closer to it than to the derivative, and high on
    // the right where the function is (σ near 1, ReLU above 1).
    let drawn_function = function_distance < distance
        && match target {
            Target::Sigmoid => mean_where(&|x| x >= 4.0) > 0.6,
            Target::Relu => interpolate(points, 4.0) - interpolate(points, 1.0) > 0.3,
        };
    if drawn_function {
        return Ok(SketchVerdict {
            target,
            mistakes: vec![SketchMistake::FunctionDrawn],
            distance,
        });
    }

    if let Some(&(x, y)) = smoothed(&grid, 10)
        .iter()
        .filter(|p| p.1 < -NEGATIVE_TOLERANCE)
        .min_by(|a, b| a.1.total_cmp(&b.1))
    {
        mistakes.push(SketchMistake::Negative { x, y });
    }

    mistakes.extend(match target {
        Target::Sigmoid => sigmoid_mistakes(&grid),
        Target::Relu => relu_mistakes(&grid, points),
    });
    if mistakes.is_empty() && distance > DISTANCE_TOLERANCE {
        mistakes.push(SketchMistake::Distance { distance });
    }
    Ok(SketchVerdict {
        target,
        mistakes,
        distance,
    })
}

/// The page's sketch of one derivative: one y every [`GRID_STEP`] from −6 to 6, drawn on by
/// the pointer and edited through the target's control points. It starts flat at 0.
#[derive(Clone, Debug, PartialEq)]
pub struct Sketch {
    target: Target,
    ys: [f64; GRID_POINTS],
}

impl Sketch {
    pub fn new(target: Target) -> Self {
        Sketch {
            target,
            ys: [0.0; GRID_POINTS],
        }
    }

    pub fn target(&self) -> Target {
        self.target
    }

    /// The x of grid point i.
    pub fn x(i: usize) -> f64 {
        -X_HALF_RANGE + i as f64 * GRID_STEP
    }

    /// The grid point nearest x (x clamped to the plot).
    fn index(x: f64) -> usize {
        let x = x.clamp(-X_HALF_RANGE, X_HALF_RANGE);
        (((x + X_HALF_RANGE) / GRID_STEP).round() as usize).min(GRID_POINTS - 1)
    }

    /// The sketch as points (x, y), x increasing.
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.ys
            .iter()
            .enumerate()
            .map(|(i, &y)| (Sketch::x(i), y))
            .collect()
    }

    /// The sketch's value at x (linear between grid points).
    pub fn value_at(&self, x: f64) -> f64 {
        interpolate(&self.points(), x.clamp(-X_HALF_RANGE, X_HALF_RANGE))
    }

    /// One stretch of a stroke, from one pointer position to the next (data coordinates):
    /// every grid point between them takes the line's y (clamped to the plot). Non-finite
    /// positions are ignored.
    pub fn stroke(&mut self, from: (f64, f64), to: (f64, f64)) {
        if ![from.0, from.1, to.0, to.1].iter().all(|v| v.is_finite()) {
            return;
        }
        let clamp_y = |y: f64| y.clamp(Y_RANGE.start, Y_RANGE.end);
        let (a, b) = if from.0 <= to.0 {
            (from, to)
        } else {
            (to, from)
        };
        let (first, last) = (Sketch::index(a.0), Sketch::index(b.0));
        for i in first..=last {
            let x = Sketch::x(i).clamp(a.0, b.0);
            let y = if b.0 > a.0 {
                a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
            } else {
                b.1
            };
            self.ys[i] = clamp_y(y);
        }
    }

    /// The control points: their x (fixed) and the sketch's y there.
    pub fn controls(&self) -> Vec<(f64, f64)> {
        self.target
            .controls()
            .iter()
            .map(|&x| (x, self.ys[Sketch::index(x)]))
            .collect()
    }

    /// Moves control point `index` to y (clamped to the plot); the grid between it and its
    /// neighbours becomes straight lines. An index past the last is ignored.
    pub fn set_control(&mut self, index: usize, y: f64) {
        let controls = self.target.controls();
        let (Some(&x), true) = (controls.get(index), y.is_finite()) else {
            return;
        };
        let here = Sketch::index(x);
        self.ys[here] = y.clamp(Y_RANGE.start, Y_RANGE.end);
        let mut straighten = |from: usize, to: usize| {
            let (y0, y1) = (self.ys[from], self.ys[to]);
            for i in from + 1..to {
                self.ys[i] = y0 + (y1 - y0) * (i - from) as f64 / (to - from) as f64;
            }
        };
        if index > 0 {
            straighten(Sketch::index(controls[index - 1]), here);
        }
        if let Some(&next) = controls.get(index + 1) {
            straighten(here, Sketch::index(next));
        }
    }

    /// Back to flat at 0.
    pub fn clear(&mut self) {
        self.ys = [0.0; GRID_POINTS];
    }

    /// Scores the sketch.
    pub fn score(&self) -> Result<SketchVerdict, SketchError> {
        score(self.target, &self.points())
    }
}
