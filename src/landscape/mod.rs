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

use crate::chain::A_SCALES;
use crate::network::{check_batch_size, Network, NetworkError};
use crate::trainer::{SettingError, LEARNING_RATE_RANGE};
use std::borrow::Cow;

mod descent;
mod parameters;
mod slice;

pub use descent::{descend, Outcome, Path};
pub use parameters::Parameter;
use slice::Slice;

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

fn within(what: &str, value: f64, range: (f64, f64)) -> Result<(), SettingError> {
    crate::check::within(what, value, range)
        .map(|_| ())
        .map_err(SettingError)
}

fn overflow() -> SettingError {
    SettingError(
        NetworkError::Overflow {
            what: "the mean loss",
        }
        .to_string(),
    )
}
