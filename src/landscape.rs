//! The loss surface over two weights (the landscape panel): the mean training loss as two
//! chosen entries of A or b vary over a grid while every other weight keeps its value, the
//! backprop gradient at the current weights as an arrow, and gradient descent on just those
//! two weights from a start the student picks, with what the path did in words.
//!
//! Everything reads a `&Network` and the data slices (`xs`: n examples of m numbers,
//! row-major; `ys`: n targets), the training lab's own, and keeps no copy of them.
//!
//! ## Work per surface, and its limit
//!
//! What the other weights contribute is worked out once per call, n·h·m multiply-adds and
//! n·h activations: r_i = y_i − Σ b_j σ(z1_ij) over the units neither weight touches, and
//! z1 of each touched unit without the chosen entries of A. Then, with N values per axis:
//!
//! - weights of two different units, (b_j, b_l), (A_jk, b_l) or (A_jk, A_lk′): N·n
//!   activations per axis (kept for the y-axis: N·n numbers), and N²·n terms
//!   (r_i − t_i − u_i)²;
//! - A_jk and b_j of the same unit: N·n activations and N²·n terms (r_i − b_j s_i)²;
//! - two entries of the same row of A: N²·n activations, one per grid point and example;
//!   for sigmoid and tanh 2·N·n exponentials and N²·n divisions instead, since σ(z1) is a
//!   function of e^(−z1) and e^(−z1) splits into a factor per axis.
//!
//! A request is refused before anything is allocated unless N ≤ 128 per axis
//! ([`RESOLUTION_RANGE`]) and N²·n ≤ [`MAX_SURFACE_WORK`] (the lab's 500 points at 128 × 128
//! is 8.2 M). The loss is quadratic in each entry of b, so pairs with b could be summed in
//! closed form; expanded sums like Σ r² − 2b Σ r s + b² Σ s² cancel badly when the loss is
//! far below Σ r², and the direct terms above are fast enough, so the surface always sums
//! squares of residuals, as [`Network::mean_loss`] does (in four running sums; equal to it
//! within 1e-12 relative).
//!
//! A descent path costs, per step, n examples of the one or two touched units with σ and σ′,
//! and steps × n ≤ [`MAX_SURFACE_WORK`] too.

use crate::activation::Activation;
use crate::chain::A_SCALES;
use crate::format::format_plain;
use crate::math::exp;
use crate::network::{check_batch_size, Network, NetworkError};
use crate::trainer::{SettingError, DIVERGENCE_FACTOR, LEARNING_RATE_RANGE};
use std::borrow::Cow;

/// Grid points per axis.
pub const RESOLUTION_RANGE: (usize, usize) = (2, 128);
/// The grid the panel draws by default: 64 × 64.
pub const DEFAULT_RESOLUTION: usize = 64;
/// The most (grid point × example) terms one surface, or (step × example) one path, may take.
pub const MAX_SURFACE_WORK: usize = 10_000_000;
/// At zoom 1 each axis spans its weight's current value ± this.
pub const HALF_WIDTH: f64 = 2.0;
/// Zoom factors: the half-width is [`HALF_WIDTH`] / zoom, from 16 (zoom 1/8) to 0.25 (zoom 8).
pub const ZOOM_RANGE: (f64, f64) = (ZOOMS[0], ZOOMS[ZOOMS.len() - 1]);
/// The factors A may be scaled by to show saturation: those of the vanishing panel.
pub const A_SCALE_RANGE: (f64, f64) = (A_SCALES[0], A_SCALES[A_SCALES.len() - 1]);
/// The zoom factors the panel offers.
pub const ZOOMS: [f64; 7] = [0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
/// How many gradient steps a descent path may take.
pub const PATH_STEPS_RANGE: (usize, usize) = (1, 1000);
/// A path stops once ‖∂L/∂(p1, p2)‖ falls to this (then it has converged or is stuck on a
/// flat stretch: see [`Outcome`]).
pub const SETTLED_GRADIENT: f64 = 1e-6;
/// A settled path has converged if a Newton step H⁻¹g would move it less than this share of
/// the view's half-width: a minimum lies that close.
pub const MINIMUM_DISTANCE: f64 = 1e-3;

/// One weight of the network: an entry of A or of b (0-based here, 1-based in names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    /// A_jk: the weight from input k into hidden unit j (row j, column k).
    A { row: usize, column: usize },
    /// b_j: hidden unit j's output weight.
    B { unit: usize },
}

impl Parameter {
    /// The default axes: b₁ across, A₁₁ up.
    pub const DEFAULT_X: Parameter = Parameter::B { unit: 0 };
    pub const DEFAULT_Y: Parameter = Parameter::A { row: 0, column: 0 };

    /// The flat index of [`Network::set_parameter`]: A's entries row-major, then b's.
    pub fn index(self, inputs: usize, hidden: usize) -> usize {
        match self {
            Parameter::A { row, column } => row * inputs + column,
            Parameter::B { unit } => hidden * inputs + unit,
        }
    }

    /// The parameter at a flat index, if the network has one there.
    pub fn from_index(index: usize, inputs: usize, hidden: usize) -> Option<Parameter> {
        let weights = hidden * inputs;
        if index < weights {
            Some(Parameter::A {
                row: index / inputs,
                column: index % inputs,
            })
        } else if index < weights + hidden {
            Some(Parameter::B {
                unit: index - weights,
            })
        } else {
            None
        }
    }

    /// Every parameter of a network with m = `inputs` and h = `hidden`, in flat order.
    pub fn all(inputs: usize, hidden: usize) -> Vec<Parameter> {
        (0..hidden * (inputs + 1))
            .filter_map(|i| Parameter::from_index(i, inputs, hidden))
            .collect()
    }

    /// The hidden unit the weight belongs to.
    pub fn unit(self) -> usize {
        match self {
            Parameter::A { row, .. } => row,
            Parameter::B { unit } => unit,
        }
    }

    /// Whether a network with m = `inputs` and h = `hidden` has this weight.
    pub fn fits(self, inputs: usize, hidden: usize) -> bool {
        match self {
            Parameter::A { row, column } => row < hidden && column < inputs,
            Parameter::B { unit } => unit < hidden,
        }
    }

    /// The weight's value in `network`, if it has it.
    pub fn value(self, network: &Network) -> Option<f64> {
        match self {
            Parameter::A { row, column } if column < network.inputs() => network
                .weights_a()
                .get(row * network.inputs() + column)
                .copied(),
            Parameter::A { .. } => None,
            Parameter::B { unit } => network.weights_b().get(unit).copied(),
        }
    }

    /// The name on paper: "A₁₁", "b₁"; with an index of two digits or more the indices are
    /// separated by a comma, "A₁₂,₁".
    pub fn name(self) -> String {
        let (letter, indices) = match self {
            Parameter::A { row, column } => ('A', vec![row + 1, column + 1]),
            Parameter::B { unit } => ('b', vec![unit + 1]),
        };
        let comma = indices.iter().any(|&i| i >= 10);
        let mut name = String::from(letter);
        for (n, index) in indices.iter().enumerate() {
            if comma && n > 0 {
                name.push(',');
            }
            for digit in index.to_string().bytes() {
                name.push(char::from_u32('₀' as u32 + u32::from(digit - b'0')).unwrap_or('?'));
            }
        }
        name
    }

    /// The ASCII key for links: "A1_1", "b1" (1-based).
    pub fn key(self) -> String {
        match self {
            Parameter::A { row, column } => format!("A{}_{}", row + 1, column + 1),
            Parameter::B { unit } => format!("b{}", unit + 1),
        }
    }

    /// Reads a key ("A2_1", "b3"; the letter in either case) for a network with m = `inputs`
    /// and h = `hidden`.
    pub fn parse(key: &str, inputs: usize, hidden: usize) -> Result<Parameter, SettingError> {
        let number = |text: &str| -> Option<usize> {
            let digits = text.len() <= 3 && text.bytes().all(|c| c.is_ascii_digit());
            match text.parse::<usize>() {
                Ok(n) if digits && n >= 1 && !text.starts_with('0') => Some(n - 1),
                _ => None,
            }
        };
        let mut chars = key.chars();
        let parsed = match (chars.next(), chars.as_str()) {
            (Some('A' | 'a'), rest) => rest.split_once('_').and_then(|(row, column)| {
                Some(Parameter::A {
                    row: number(row)?,
                    column: number(column)?,
                })
            }),
            (Some('b' | 'B'), rest) => number(rest).map(|unit| Parameter::B { unit }),
            _ => None,
        };
        match parsed {
            Some(parameter) if parameter.fits(inputs, hidden) => Ok(parameter),
            _ => {
                let shown: String = key.chars().take(24).collect();
                Err(SettingError(format!(
                    "a weight is A<row>_<column> (row 1 to {hidden}, column 1 to {inputs}) or \
                     b<unit> (1 to {hidden}), as in \"A1_1\" or \"b1\"; got \"{shown}\""
                )))
            }
        }
    }
}

/// What the landscape panel asks for: the two weights on the axes, the zoom, and the factor A
/// is scaled by first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The weight across (the x-axis).
    pub x: Parameter,
    /// The weight up (the y-axis).
    pub y: Parameter,
    /// Each axis spans its weight's current value ± [`HALF_WIDTH`] / zoom.
    pub zoom: f64,
    /// Every entry of A is multiplied by this first (as [`Network::scale_a`]); 1 leaves the
    /// network as it is, larger factors saturate the units and flatten the surface.
    pub a_scale: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            x: Parameter::DEFAULT_X,
            y: Parameter::DEFAULT_Y,
            zoom: 1.0,
            a_scale: 1.0,
        }
    }
}

/// One axis of the view: its weight, the weight's current value (A scaled), and the range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub parameter: Parameter,
    pub current: f64,
    pub low: f64,
    pub high: f64,
}

impl Axis {
    /// The i-th of `count` evenly spaced values from low to high (count ≥ 2).
    pub fn value(&self, i: usize, count: usize) -> f64 {
        self.low + (self.high - self.low) * (i as f64 / (count.max(2) - 1) as f64)
    }

    pub fn contains(&self, value: f64) -> bool {
        (self.low..=self.high).contains(&value)
    }

    fn values(&self, count: usize) -> Vec<f64> {
        (0..count).map(|i| self.value(i, count)).collect()
    }
}

/// The window the surface, the arrow and the path are drawn in: centred on the current values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub x: Axis,
    pub y: Axis,
}

impl View {
    pub fn half_width(&self) -> f64 {
        (self.x.high - self.x.low) / 2.0
    }

    pub fn contains(&self, point: [f64; 2]) -> bool {
        self.x.contains(point[0]) && self.y.contains(point[1])
    }
}

/// The mean loss over the view's grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    pub view: View,
    /// Grid points per axis, N.
    pub resolution: usize,
    /// The mean loss at (view.x.value(c, N), view.y.value(r, N)) at index r·N + c: row 0 is
    /// the lowest value of the y-axis weight.
    pub values: Vec<f64>,
    /// The smallest and largest finite values (NaN if there are none), and the (column, row)
    /// of the smallest.
    pub lowest: f64,
    pub highest: f64,
    pub lowest_at: (usize, usize),
}

/// The backprop gradient at the current weights, restricted to the two axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Arrow {
    /// The current values (A scaled) of the two weights: where the arrow starts.
    pub at: [f64; 2],
    /// The mean loss there.
    pub loss: f64,
    /// ∂(mean loss)/∂(x weight, y weight), from [`Network::accumulate_gradient`].
    pub gradient: [f64; 2],
    /// One gradient step, −learning rate × gradient: where the arrow points.
    pub step: [f64; 2],
    /// ‖gradient‖: how steep the surface is here (tiny on a saturated plateau).
    pub norm: f64,
}

/// What a descent path did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The path stopped (‖g‖ fell to [`SETTLED_GRADIENT`], or the steps ran out) where the
    /// loss curves up in every direction with a minimum within [`MINIMUM_DISTANCE`] × the
    /// view's half-width (by a Newton step).
    Converged,
    /// ‖g‖ fell to [`SETTLED_GRADIENT`] but the loss does not curve up in every direction, or
    /// the minimum is further away: a plateau, a flat valley floor or a saddle.
    Plateau,
    /// The steps ran out away from a minimum, without zig-zagging.
    Crawling,
    /// The steps ran out away from a minimum, and more than half of the pairs of consecutive
    /// steps point against each other (negative dot product).
    ZigZag,
    /// The loss overflowed or rose above [`DIVERGENCE_FACTOR`] × max(start loss, max y²,
    /// 0.01), the training lab guard's test.
    Diverged,
    /// A step left the view (without diverging).
    LeftView,
}

impl Outcome {
    pub const ALL: [Outcome; 6] = [
        Outcome::Converged,
        Outcome::Plateau,
        Outcome::Crawling,
        Outcome::ZigZag,
        Outcome::Diverged,
        Outcome::LeftView,
    ];

    /// The name used by the page.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Converged => "converged",
            Outcome::Plateau => "plateau",
            Outcome::Crawling => "crawling",
            Outcome::ZigZag => "zigzag",
            Outcome::Diverged => "diverged",
            Outcome::LeftView => "left_view",
        }
    }

    /// What happened, for the student.
    pub fn message(self) -> &'static str {
        match self {
            Outcome::Converged => {
                "Converged: the slope shrank to almost nothing and the loss rises in every \
                 direction from here, so the path has settled in a minimum of this slice."
            }
            Outcome::Plateau => {
                "Stuck on a flat stretch: the slope is almost zero, but this is not the bottom \
                 of a bowl. Gradient descent barely moves on a plateau like this (saturated \
                 units make them); another start may get out."
            }
            Outcome::Crawling => {
                "Still crawling: the path was still moving downhill when the steps ran out and \
                 has not settled in a minimum. More steps or a larger learning rate would take \
                 it further."
            }
            Outcome::ZigZag => {
                "Zig-zagging: most steps point back against the one before, so the path bounces \
                 across a narrow valley instead of running along it. A smaller learning rate \
                 follows the valley floor."
            }
            Outcome::Diverged => {
                "Diverged: the loss grew far above where it started, because each step \
                 overshoots the valley by more than it gains. Try a much smaller learning rate."
            }
            Outcome::LeftView => {
                "Left the view: a step carried the weights outside the window. Zoom out to \
                 follow the path, or try a smaller learning rate."
            }
        }
    }
}

/// Gradient descent on the two weights alone.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    /// The points visited, the start first: (x weight, y weight).
    pub points: Vec<[f64; 2]>,
    /// The mean loss at each point.
    pub losses: Vec<f64>,
    pub outcome: Outcome,
    /// ‖∂L/∂(p1, p2)‖ at the last point.
    pub gradient_norm: f64,
    /// How many pairs of consecutive steps point against each other, of how many pairs.
    pub reversals: usize,
    pub step_pairs: usize,
}

/// N²·n, the (grid point × example) terms of a surface of `resolution` N on n `examples`.
pub fn surface_work(resolution: usize, examples: usize) -> usize {
    resolution
        .saturating_mul(resolution)
        .saturating_mul(examples)
}

/// The view for these settings: each axis centred on its weight's current value (after A is
/// scaled), ± [`HALF_WIDTH`] / zoom.
pub fn view(network: &Network, settings: &Settings) -> Result<View, SettingError> {
    let network = prepare(network, settings)?;
    Ok(view_of(&network, settings))
}

/// The mean loss over an N × N grid of the two weights, N = `resolution`.
pub fn surface(
    network: &Network,
    xs: &[f64],
    ys: &[f64],
    settings: &Settings,
    resolution: usize,
) -> Result<Surface, SettingError> {
    let (low, high) = RESOLUTION_RANGE;
    if !(low..=high).contains(&resolution) {
        return Err(SettingError(format!(
            "the grid must have from {low} to {high} points per axis, got {resolution}"
        )));
    }
    check_data(network, xs, ys)?;
    check_work(surface_work(resolution, ys.len()), "grid points")?;
    let network = prepare(network, settings)?;
    let view = view_of(&network, settings);
    let values = Slice::new(&network, xs, ys, [settings.x, settings.y]).grid(&view, resolution);
    let (mut lowest, mut highest, mut lowest_at) = (f64::INFINITY, f64::NEG_INFINITY, (0, 0));
    for (i, &v) in values.iter().enumerate() {
        if v.is_finite() && v < lowest {
            (lowest, lowest_at) = (v, (i % resolution, i / resolution));
        }
        if v.is_finite() && v > highest {
            highest = v;
        }
    }
    if !lowest.is_finite() {
        (lowest, highest) = (f64::NAN, f64::NAN);
    }
    Ok(Surface {
        view,
        resolution,
        values,
        lowest,
        highest,
        lowest_at,
    })
}

/// The backprop gradient of the mean loss at the current weights (A scaled), its two entries
/// for the axes, and one step of −`learning_rate` × them.
pub fn arrow(
    network: &Network,
    xs: &[f64],
    ys: &[f64],
    settings: &Settings,
    learning_rate: f64,
) -> Result<Arrow, SettingError> {
    check_rate(learning_rate)?;
    check_data(network, xs, ys)?;
    let mut network = prepare(network, settings)?.into_owned();
    let loss = network.accumulate_gradient(xs, ys);
    let (da, db) = network.last_gradient();
    let entry = |p: Parameter| match p {
        Parameter::A { row, column } => da[row * network.inputs() + column],
        Parameter::B { unit } => db[unit],
    };
    let gradient = [entry(settings.x), entry(settings.y)];
    let at = [settings.x, settings.y].map(|p| p.value(&network).unwrap_or(f64::NAN));
    if !(loss.is_finite() && gradient.iter().all(|g| g.is_finite())) {
        return Err(overflow());
    }
    Ok(Arrow {
        at,
        loss,
        gradient,
        step: gradient.map(|g| -learning_rate * g),
        norm: gradient[0].hypot(gradient[1]),
    })
}

/// Gradient descent on the two weights alone (every other weight fixed, A scaled), from
/// `start` (inside the view) for at most `steps` steps of size `learning_rate`.
pub fn descend(
    network: &Network,
    xs: &[f64],
    ys: &[f64],
    settings: &Settings,
    start: [f64; 2],
    learning_rate: f64,
    steps: usize,
) -> Result<Path, SettingError> {
    let (low, high) = PATH_STEPS_RANGE;
    if !(low..=high).contains(&steps) {
        return Err(SettingError(format!(
            "a path takes from {low} to {high} steps, got {steps}"
        )));
    }
    check_rate(learning_rate)?;
    check_data(network, xs, ys)?;
    check_work(steps.saturating_mul(ys.len()), "steps")?;
    let network = prepare(network, settings)?;
    let view = view_of(&network, settings);
    if !view.contains(start) {
        let [(x, xl, xh), (y, yl, yh)] =
            [view.x, view.y].map(|a| (a.parameter.name(), a.low, a.high));
        return Err(SettingError(format!(
            "the start must lie in the view: {x} from {} to {}, {y} from {} to {}",
            format_plain(xl),
            format_plain(xh),
            format_plain(yl),
            format_plain(yh)
        )));
    }
    let slice = Slice::new(&network, xs, ys, [settings.x, settings.y]);
    let target_scale = ys.iter().map(|y| y * y).fold(1e-2, f64::max);
    let (mut point, (mut loss, mut gradient)) = (start, slice.point(start));
    let limit = DIVERGENCE_FACTOR * loss.max(target_scale);
    let mut path = Path {
        points: vec![point],
        losses: vec![loss],
        outcome: Outcome::Crawling,
        gradient_norm: f64::NAN,
        reversals: 0,
        step_pairs: 0,
    };
    let mut previous: Option<[f64; 2]> = None;
    path.outcome = loop {
        let norm = gradient[0].hypot(gradient[1]);
        path.gradient_norm = norm;
        if !(loss.is_finite() && norm.is_finite()) || loss > limit {
            break Outcome::Diverged;
        }
        if path.points.len() > 1 && !view.contains(point) {
            break Outcome::LeftView;
        }
        if norm <= SETTLED_GRADIENT {
            break if slice.near_minimum(point, gradient, view.half_width()) {
                Outcome::Converged
            } else {
                Outcome::Plateau
            };
        }
        if path.points.len() > steps {
            break if slice.near_minimum(point, gradient, view.half_width()) {
                Outcome::Converged
            } else if 2 * path.reversals > path.step_pairs {
                Outcome::ZigZag
            } else {
                Outcome::Crawling
            };
        }
        let step = gradient.map(|g| -learning_rate * g);
        if let Some(before) = previous {
            path.step_pairs += 1;
            if before[0] * step[0] + before[1] * step[1] < 0.0 {
                path.reversals += 1;
            }
        }
        previous = Some(step);
        point = [point[0] + step[0], point[1] + step[1]];
        (loss, gradient) = slice.point(point);
        path.points.push(point);
        path.losses.push(loss);
    };
    Ok(path)
}

/// Checks the settings and returns the network to work on: `network` itself, or a copy with A
/// scaled.
fn prepare<'n>(
    network: &'n Network,
    settings: &Settings,
) -> Result<Cow<'n, Network>, SettingError> {
    let (m, h) = (network.inputs(), network.hidden());
    for p in [settings.x, settings.y] {
        if !p.fits(m, h) {
            return Err(SettingError(format!(
                "{} is not a weight of this network (h = {h}, m = {m})",
                p.key()
            )));
        }
    }
    if settings.x == settings.y {
        return Err(SettingError(format!(
            "the two axes need two different weights; both are {}",
            settings.x.name()
        )));
    }
    within("the zoom", settings.zoom, ZOOM_RANGE)?;
    within("the factor A is scaled by", settings.a_scale, A_SCALE_RANGE)?;
    let network = if settings.a_scale == 1.0 {
        Cow::Borrowed(network)
    } else {
        let mut scaled = network.clone();
        scaled.scale_a(settings.a_scale);
        Cow::Owned(scaled)
    };
    if !network.weights_are_finite() {
        return Err(overflow());
    }
    Ok(network)
}

fn view_of(network: &Network, settings: &Settings) -> View {
    let half_width = HALF_WIDTH / settings.zoom;
    let axis = |parameter: Parameter| {
        let current = parameter.value(network).unwrap_or(f64::NAN);
        Axis {
            parameter,
            current,
            low: current - half_width,
            high: current + half_width,
        }
    };
    View {
        x: axis(settings.x),
        y: axis(settings.y),
    }
}

/// Checks the data as [`Network::mean_loss`] does.
fn check_data(network: &Network, xs: &[f64], ys: &[f64]) -> Result<(), SettingError> {
    let (n, m, h) = (ys.len(), network.inputs(), network.hidden());
    let error = |e: NetworkError| Err(SettingError(e.to_string()));
    if let Err(e) = check_batch_size(n, m, h) {
        return error(e);
    }
    if n == 0 || xs.len() != n * m {
        return error(NetworkError::BatchMismatch {
            inputs_len: xs.len(),
            targets_len: n,
            m,
        });
    }
    for (what, values) in [("X", xs), ("Y", ys)] {
        if !values.iter().all(|v| v.is_finite()) {
            return error(NetworkError::NotFinite { what });
        }
    }
    Ok(())
}

/// Refuses more than [`MAX_SURFACE_WORK`] (`what` × example) terms.
fn check_work(work: usize, what: &str) -> Result<(), SettingError> {
    if work > MAX_SURFACE_WORK {
        return Err(SettingError(format!(
            "{what} × examples may be at most {MAX_SURFACE_WORK}, got {work}; use fewer"
        )));
    }
    Ok(())
}

fn check_rate(rate: f64) -> Result<(), SettingError> {
    within("the learning rate", rate, LEARNING_RATE_RANGE)
}

fn within(what: &str, value: f64, (low, high): (f64, f64)) -> Result<(), SettingError> {
    if value >= low && value <= high {
        Ok(())
    } else {
        Err(SettingError(format!(
            "{what} must be from {} to {}, got {}",
            format_plain(low),
            format_plain(high),
            format_plain(value)
        )))
    }
}

fn overflow() -> SettingError {
    SettingError(
        NetworkError::Overflow {
            what: "the mean loss",
        }
        .to_string(),
    )
}

/// Where a touched unit's b_j comes from.
#[derive(Clone, Copy, Debug)]
enum Weight {
    Fixed(f64),
    /// The value of axis 0 (x) or 1 (y).
    Axis(usize),
}

/// A hidden unit one of the two weights belongs to.
struct Touched {
    unit: usize,
    b: Weight,
    /// The entries of row j that an axis sets: (axis, column k).
    a: Vec<(usize, usize)>,
    /// z1_ij without those entries, for every example i.
    base: Vec<f64>,
}

impl Touched {
    /// The axis that sets this unit's weight (when only one does).
    fn axis(&self) -> usize {
        match (self.a.first(), self.b) {
            (Some(&(axis, _)), _) | (None, Weight::Axis(axis)) => axis,
            (None, Weight::Fixed(_)) => 0,
        }
    }
}

/// The network seen along two of its weights: what everything else contributes, worked out
/// once, so each point of the surface or the path only recomputes the one or two units the
/// weights touch.
struct Slice<'a> {
    activation: Activation,
    inputs: usize,
    xs: &'a [f64],
    /// r_i = y_i − Σ b_j σ(z1_ij) over the units neither weight touches.
    rest: Vec<f64>,
    /// The touched units, in the network's order.
    units: Vec<Touched>,
}

impl<'a> Slice<'a> {
    fn new(network: &Network, xs: &'a [f64], ys: &[f64], axes: [Parameter; 2]) -> Slice<'a> {
        let (m, activation) = (network.inputs(), network.activation());
        let (a, b) = (network.weights_a(), network.weights_b());
        let mut units: Vec<Touched> = Vec::with_capacity(2);
        for (axis, parameter) in axes.into_iter().enumerate() {
            let unit = parameter.unit();
            let t = match units.iter().position(|u| u.unit == unit) {
                Some(t) => t,
                None => {
                    units.push(Touched {
                        unit,
                        b: Weight::Fixed(b[unit]),
                        a: Vec::with_capacity(2),
                        base: Vec::with_capacity(ys.len()),
                    });
                    units.len() - 1
                }
            };
            match parameter {
                Parameter::A { column, .. } => units[t].a.push((axis, column)),
                Parameter::B { .. } => units[t].b = Weight::Axis(axis),
            }
        }
        units.sort_by_key(|u| u.unit);
        let mut rest = Vec::with_capacity(ys.len());
        for (x, &y) in xs.chunks_exact(m).zip(ys) {
            let mut f = 0.0;
            for (j, row) in a.chunks_exact(m).enumerate() {
                match units.iter_mut().find(|u| u.unit == j) {
                    Some(u) => {
                        let z1 = (0..m)
                            .filter(|&k| !u.a.iter().any(|&(_, c)| c == k))
                            .map(|k| row[k] * x[k])
                            .sum();
                        u.base.push(z1);
                    }
                    None => {
                        let z1: f64 = row.iter().zip(x).map(|(w, xk)| w * xk).sum();
                        f += b[j] * activation.value(z1); // z3 = bᵀσ(z1), the untouched part
                    }
                }
            }
            rest.push(y - f);
        }
        Slice {
            activation,
            inputs: m,
            xs,
            rest,
            units,
        }
    }

    /// A touched unit on example i with the axes at `at`: z1, its b_j and σ(z1).
    #[inline]
    fn unit(&self, u: &Touched, i: usize, at: [f64; 2]) -> (f64, f64, f64) {
        let x = &self.xs[i * self.inputs..];
        let mut z1 = u.base[i];
        for &(axis, k) in &u.a {
            z1 += at[axis] * x[k];
        }
        let b = match u.b {
            Weight::Fixed(b) => b,
            Weight::Axis(axis) => at[axis],
        };
        (z1, b, self.activation.value(z1))
    }

    /// The mean loss at `at` and its gradient with respect to the two weights, by the
    /// worksheet's backward pass restricted to the touched units.
    fn point(&self, at: [f64; 2]) -> (f64, [f64; 2]) {
        let (mut total, mut gradient) = (0.0, [0.0; 2]);
        for (i, &r) in self.rest.iter().enumerate() {
            let mut parts = [(0.0, 0.0, 0.0); 2];
            let mut f = 0.0;
            for (part, u) in parts.iter_mut().zip(&self.units) {
                *part = self.unit(u, i, at);
                f += part.1 * part.2;
            }
            let z4 = r - f; // z4 = y − z3
            total += z4 * z4; // L = z4²
            let dz3 = -2.0 * z4; // ∂L/∂z3
            for (&(z1, b, z2), u) in parts.iter().zip(&self.units) {
                if let Weight::Axis(axis) = u.b {
                    gradient[axis] += dz3 * z2; // ∂L/∂b_j = ∂L/∂z3 · z2
                }
                let dz1 = dz3 * b * self.activation.derivative_from_output(z1, z2);
                for &(axis, k) in &u.a {
                    gradient[axis] += dz1 * self.xs[i * self.inputs + k]; // ∂L/∂A_jk = ∂L/∂z1 · x_k
                }
            }
        }
        let n = self.rest.len() as f64;
        (total / n, gradient.map(|g| g / n))
    }

    /// Whether a minimum lies within [`MINIMUM_DISTANCE`] × `half_width` of `at`, where the
    /// gradient is `gradient`: the Hessian (central differences of the gradient) is positive
    /// definite and the Newton step H⁻¹g is that short.
    fn near_minimum(&self, at: [f64; 2], gradient: [f64; 2], half_width: f64) -> bool {
        let h = half_width * 1e-3;
        let column = |axis: usize| {
            let (mut low, mut high) = (at, at);
            low[axis] -= h;
            high[axis] += h;
            let (low, high) = (self.point(low).1, self.point(high).1);
            [0, 1].map(|i| (high[i] - low[i]) / (2.0 * h))
        };
        let (first, second) = (column(0), column(1));
        let (a, b, d) = (first[0], (first[1] + second[0]) / 2.0, second[1]);
        let det = a * d - b * b;
        if !(a > 0.0 && det > 0.0) {
            return false;
        }
        let newton = [
            (d * gradient[0] - b * gradient[1]) / det,
            (a * gradient[1] - b * gradient[0]) / det,
        ];
        newton[0].hypot(newton[1]) <= MINIMUM_DISTANCE * half_width
    }

    /// σ(z1_ij) of a touched unit for every example i into `out`, with the axes at `at`;
    /// returns the unit's b_j.
    fn fill(&self, u: &Touched, at: [f64; 2], out: &mut [f64]) -> f64 {
        out.copy_from_slice(&u.base);
        for &(axis, k) in &u.a {
            let w = at[axis];
            for (z1, x) in out.iter_mut().zip(self.xs.chunks_exact(self.inputs)) {
                *z1 += w * x[k];
            }
        }
        activate(self.activation, out);
        match u.b {
            Weight::Fixed(b) => b,
            Weight::Axis(axis) => at[axis],
        }
    }

    /// The mean loss at every point of an N × N grid over `view`, row-major from the lowest y.
    fn grid(&self, view: &View, count: usize) -> Vec<f64> {
        let (along, up) = (view.x.values(count), view.y.values(count));
        let n = self.rest.len();
        let mut values = vec![0.0; count * count];
        let mut z2 = vec![0.0; n];
        match self.units.as_slice() {
            [first, second] => {
                // Each unit follows one axis: z4 = (r − b_j σ(z1_j)) − b_l σ(z1_l), with the
                // y-axis unit's σ and b kept for every row.
                let (across, upward) = if first.axis() == 0 {
                    (first, second)
                } else {
                    (second, first)
                };
                let mut table = vec![0.0; count * n];
                let coefficients: Vec<f64> = up
                    .iter()
                    .zip(table.chunks_exact_mut(n))
                    .map(|(&v, row)| self.fill(upward, [v, v], row))
                    .collect();
                let mut rest = vec![0.0; n];
                for (c, &u) in along.iter().enumerate() {
                    let b = self.fill(across, [u, u], &mut z2);
                    for ((slot, r), s) in rest.iter_mut().zip(&self.rest).zip(&z2) {
                        *slot = r - b * s;
                    }
                    for (r, (row, &b)) in table.chunks_exact(n).zip(&coefficients).enumerate() {
                        values[r * count + c] = mean_square(&rest, row, b);
                    }
                }
            }
            [unit] if matches!(unit.b, Weight::Axis(_)) => {
                // A_jk on one axis, b_j on the other: σ(z1_j) follows the A axis alone.
                let b_across = matches!(unit.b, Weight::Axis(0));
                let (outer, inner) = if b_across {
                    (&up, &along)
                } else {
                    (&along, &up)
                };
                for (o, &w) in outer.iter().enumerate() {
                    self.fill(unit, [w, w], &mut z2);
                    for (i, &b) in inner.iter().enumerate() {
                        let index = if b_across {
                            o * count + i
                        } else {
                            i * count + o
                        };
                        values[index] = mean_square(&self.rest, &z2, b);
                    }
                }
            }
            [unit] => self.row_grid(unit, &along, &up, &mut values, &mut z2),
            _ => {}
        }
        values
    }

    /// Two entries of row j: σ at every grid point and example (by the shortcut of
    /// [`Slice::exponential_row_grid`] where it applies).
    fn row_grid(
        &self,
        unit: &Touched,
        along: &[f64],
        up: &[f64],
        values: &mut [f64],
        z2: &mut [f64],
    ) {
        if self.exponential_row_grid(unit, along, up, values) {
            return;
        }
        let count = along.len();
        for (r, &v) in up.iter().enumerate() {
            for (c, &u) in along.iter().enumerate() {
                let b = self.fill(unit, [u, v], z2);
                values[r * count + c] = mean_square(&self.rest, z2, b);
            }
        }
    }

    /// [`Slice::row_grid`] for sigmoid and tanh units with 2·N·n exponentials instead of
    /// N²·n activations: σ(z1) = 1 / (1 + E) with E = e^(−z1) (the definition), and
    /// tanh(z1) = 2 / (1 + E) − 1 with E = e^(−2·z1), where E = e^(−k(base + u·x_k)) ·
    /// e^(−k·v·x_k′). False (and nothing written) for other activations, or if an exponent
    /// leaves ±700, where a factor could overflow while the product would not; within it a
    /// product can only overflow or underflow where σ or tanh is at its limit to 10⁻³⁰⁰.
    fn exponential_row_grid(
        &self,
        unit: &Touched,
        along: &[f64],
        up: &[f64],
        values: &mut [f64],
    ) -> bool {
        let n = self.rest.len();
        let (k, numerator, offset) = match self.activation {
            Activation::Sigmoid => (1.0, 1.0, 0.0), // σ = 1 / (1 + e^(−z1))
            Activation::Tanh => (2.0, 2.0, -1.0),   // tanh = 2 / (1 + e^(−2·z1)) − 1
            _ => return false,
        };
        let (&[(_, across_column), (_, up_column)], Weight::Fixed(b)) = (unit.a.as_slice(), unit.b)
        else {
            return false;
        };
        let column = |k: usize| self.xs.chunks_exact(self.inputs).map(move |x| x[k]);
        let mut exponent_across = Vec::with_capacity(along.len() * n);
        for &u in along {
            exponent_across.extend(
                unit.base
                    .iter()
                    .zip(column(across_column))
                    .map(|(z, x)| -k * (z + u * x)),
            );
        }
        let mut exponent_up = Vec::with_capacity(up.len() * n);
        for &v in up {
            exponent_up.extend(column(up_column).map(|x| -k * (v * x)));
        }
        if !exponent_across
            .iter()
            .chain(&exponent_up)
            .all(|e| e.abs() <= 700.0)
        {
            return false;
        }
        for e in exponent_across.iter_mut().chain(&mut exponent_up) {
            *e = exp(*e);
        }
        let count = along.len();
        let mut z2 = vec![0.0; n];
        for (r, e_up) in exponent_up.chunks_exact(n).enumerate() {
            for (c, e_across) in exponent_across.chunks_exact(n).enumerate() {
                for ((s, a), u) in z2.iter_mut().zip(e_across).zip(e_up) {
                    *s = numerator / (1.0 + a * u) + offset;
                }
                values[r * count + c] = mean_square(&self.rest, &z2, b);
            }
        }
        true
    }
}

/// σ of every entry, in place; one loop per activation, so σ is inlined into it.
fn activate(activation: Activation, values: &mut [f64]) {
    fn each(values: &mut [f64], f: impl Fn(f64) -> f64) {
        values.iter_mut().for_each(|v| *v = f(*v));
    }
    match activation {
        Activation::Sigmoid => each(values, |z| Activation::Sigmoid.value(z)),
        Activation::Relu => each(values, |z| Activation::Relu.value(z)),
        Activation::Tanh => each(values, |z| Activation::Tanh.value(z)),
        Activation::LeakyRelu => each(values, |z| Activation::LeakyRelu.value(z)),
        Activation::Softplus => each(values, |z| Activation::Softplus.value(z)),
    }
}

/// (1/n) Σ (r_i − b·s_i)², the mean loss given the residuals r of everything else and one
/// unit's σ values s with weight b. Four running sums, so the adds do not wait on each other.
fn mean_square(rest: &[f64], z2: &[f64], b: f64) -> f64 {
    let mut lanes = [0.0; 4];
    let (rest4, z24) = (rest.chunks_exact(4), z2.chunks_exact(4));
    let tail: f64 = rest4
        .remainder()
        .iter()
        .zip(z24.remainder())
        .map(|(r, s)| (r - b * s) * (r - b * s))
        .sum();
    for (r, s) in rest4.zip(z24) {
        for k in 0..4 {
            let z4 = r[k] - b * s[k];
            lanes[k] += z4 * z4;
        }
    }
    ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail) / rest.len() as f64
}
