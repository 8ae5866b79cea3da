//! Fit by hand (the training lab): with the constant input, x = [x, 1], hidden unit j adds
//! the curve b_j σ(a_j1 x + a_j2) = b_j σ(s (x − p)) to f(x), and a student shapes it with
//! three handles instead of gradient descent:
//!
//! - its position p = −a_j2 / a_j1, where z1 = 0: the centre of a sigmoid or tanh step, the
//!   kink of a ReLU or leaky ReLU, the bend of a softplus;
//! - its steepness s = a_j1: how sharply it rises (its sign says which way it faces);
//! - its height b_j: how far a sigmoid or tanh step rises, or the scale of a ReLU's ramp.
//!
//! On the fit plot the handles sit on the unit's curve where z1 = 0, 1 and 3 (see
//! [`Handles::points`]). Values a student sets are checked against [`POSITION_RANGE`],
//! [`STEEPNESS_RANGE`] and [`HEIGHT_RANGE`]; the weights that come out must also lie within
//! the training lab's ±[`WEIGHT_LIMIT`], so the lab can take them. The target line reads
//! [`closeness`]: the mean training loss, and "reached" once it is at most [`TARGET_LOSS`].

use crate::activation::Activation;
use crate::data::{X_VIEW, Y_VIEW};
use crate::format::format_plain;
use crate::network::Network;
use crate::trainer::{SettingError, WEIGHT_LIMIT};

/// Where a unit's step may be put: the fit plot's x-range.
pub const POSITION_RANGE: (f64, f64) = (X_VIEW.start, X_VIEW.end);
/// The steepness |a_j1| a student may set, either sign: from a gentle slope across the whole
/// plot (0.1) to a step one twentieth of a unit wide (20).
pub const STEEPNESS_RANGE: (f64, f64) = (0.1, 20.0);
/// The heights b_j a student may set: the plot shows −2 to 2, and points lie within ±5.
pub const HEIGHT_RANGE: (f64, f64) = (-5.0, 5.0);
/// The fit counts as close once the mean training loss is at most this.
pub const TARGET_LOSS: f64 = 0.05;
/// Where on the curve each handle sits, as z1 = s (x − p): position, steepness, height.
const HANDLE_Z1: [f64; 3] = [0.0, 1.0, 3.0];

/// One of a unit's three handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handle {
    Position,
    Steepness,
    Height,
}

impl Handle {
    pub const ALL: [Handle; 3] = [Handle::Position, Handle::Steepness, Handle::Height];

    /// The name used by the page.
    pub fn name(self) -> &'static str {
        match self {
            Handle::Position => "position",
            Handle::Steepness => "steepness",
            Handle::Height => "height",
        }
    }

    pub fn from_name(name: &str) -> Option<Handle> {
        Handle::ALL.into_iter().find(|h| h.name() == name)
    }
}

/// A unit's three handles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Handles {
    /// p = −a_j2 / a_j1: not finite for a flat unit (a_j1 = 0).
    pub position: f64,
    /// s = a_j1.
    pub steepness: f64,
    /// b_j.
    pub height: f64,
}

impl Handles {
    /// Unit j's handles in `network` (which must have the constant input, m = 2).
    pub fn of(network: &Network, unit: usize) -> Result<Handles, SettingError> {
        check_unit(network, unit)?;
        let (a, b) = (network.weights_a(), network.weights_b());
        let (a1, a2) = (a[2 * unit], a[2 * unit + 1]);
        Ok(Handles {
            position: -a2 / a1,
            steepness: a1,
            height: b[unit],
        })
    }

    pub fn get(&self, handle: Handle) -> f64 {
        match handle {
            Handle::Position => self.position,
            Handle::Steepness => self.steepness,
            Handle::Height => self.height,
        }
    }

    /// Where the handles sit on the fit plot, in data coordinates [x, y], in the order of
    /// [`Handle::ALL`]: on the curve b σ(s (x − p)) at z1 = 0, 1 and 3. Not finite for a flat
    /// unit.
    pub fn points(&self, activation: Activation) -> [[f64; 2]; 3] {
        HANDLE_Z1.map(|z1| {
            [
                self.position + z1 / self.steepness,
                self.height * activation.value(z1),
            ]
        })
    }
}

/// Checks a value a student sets for a handle against its range.
pub fn check(handle: Handle, value: f64) -> Result<(), SettingError> {
    let (low, high) = match handle {
        Handle::Position => POSITION_RANGE,
        Handle::Steepness => STEEPNESS_RANGE,
        Handle::Height => HEIGHT_RANGE,
    };
    let size = if handle == Handle::Steepness {
        value.abs()
    } else {
        value
    };
    if size >= low && size <= high {
        return Ok(());
    }
    let (low, high) = (format_plain(low), format_plain(high));
    let range = if handle == Handle::Steepness {
        format!("from {low} to {high} or from −{high} to −{low}")
    } else {
        format!("from {low} to {high}")
    };
    Err(SettingError(format!(
        "a unit's {} must be {range}, got {}",
        handle.name(),
        format_plain(value)
    )))
}

/// `network` with one handle of unit j set to `value`, every other weight bit for bit as it
/// was. The position sets a_j2 = −a_j1·p; the steepness sets a_j1 and, to keep the step
/// where it is, a_j2 = −s·p (a flat unit keeps its a_j2); the height sets b_j.
pub fn set_handle(
    network: &Network,
    unit: usize,
    handle: Handle,
    value: f64,
) -> Result<Network, SettingError> {
    let handles = Handles::of(network, unit)?;
    check(handle, value)?;
    let (a1, a2, b) = match handle {
        Handle::Position if handles.steepness == 0.0 => {
            return Err(SettingError(format!(
                "unit {} is flat (its steepness A{}_1 is 0): give it a steepness first",
                unit + 1,
                unit + 1
            )))
        }
        Handle::Position => (
            handles.steepness,
            -handles.steepness * value,
            handles.height,
        ),
        Handle::Steepness if handles.position.is_finite() => {
            (value, -value * handles.position, handles.height)
        }
        Handle::Steepness => (value, network.weights_a()[2 * unit + 1], handles.height),
        Handle::Height => (handles.steepness, network.weights_a()[2 * unit + 1], value),
    };
    write(network, unit, a1, a2, b)
}

/// `network` with all three handles of unit j set (each checked): a_j1 = s, a_j2 = −s·p,
/// b_j = height; every other weight bit for bit as it was.
pub fn with_handles(
    network: &Network,
    unit: usize,
    handles: Handles,
) -> Result<Network, SettingError> {
    check_unit(network, unit)?;
    for handle in Handle::ALL {
        check(handle, handles.get(handle))?;
    }
    let s = handles.steepness;
    write(network, unit, s, -s * handles.position, handles.height)
}

/// `network` with a handle of unit j dragged to the pointer (x, y) in data coordinates: the
/// position follows x, the steepness is 1 / (x − p) (so the handle stays under the pointer),
/// the height is y / σ(3). Values past a limit stop at it.
pub fn drag(
    network: &Network,
    unit: usize,
    handle: Handle,
    x: f64,
    y: f64,
) -> Result<Network, SettingError> {
    if !(x.is_finite() && y.is_finite()) {
        return Err(SettingError("the pointer must be at finite x and y".into()));
    }
    let handles = Handles::of(network, unit)?;
    let clamp = |value: f64, (low, high): (f64, f64)| value.clamp(low, high);
    let value = match handle {
        Handle::Position => clamp(x, POSITION_RANGE),
        Handle::Steepness => {
            let run = x - handles.position;
            let sign = if run == 0.0 || !run.is_finite() {
                handles.steepness.signum()
            } else {
                run.signum()
            };
            sign * clamp((HANDLE_Z1[1] / run).abs(), STEEPNESS_RANGE)
        }
        Handle::Height => {
            let level = network.activation().value(HANDLE_Z1[2]);
            clamp(y / level, HEIGHT_RANGE)
        }
    };
    set_handle(network, unit, handle, value)
}

/// The handle nearest the pointer (x, y) among those drawn on the fit plot (finite and inside
/// its view), as (unit, handle), if one lies within `radius`; y distances are divided by
/// `y_per_x`, as [`crate::trainer::Dataset::nearest_point`] does.
pub fn nearest_handle(
    network: &Network,
    x: f64,
    y: f64,
    y_per_x: f64,
    radius: f64,
) -> Option<(usize, Handle)> {
    let scale = if y_per_x.is_finite() && y_per_x > 0.0 {
        y_per_x
    } else {
        1.0
    };
    let mut best: Option<(f64, usize, Handle)> = None;
    for unit in 0..network.hidden() {
        let points = Handles::of(network, unit)
            .ok()?
            .points(network.activation());
        for (handle, [hx, hy]) in Handle::ALL.into_iter().zip(points) {
            if !(X_VIEW.contains(&hx) && Y_VIEW.contains(&hy)) {
                continue;
            }
            let distance = (hx - x).hypot((hy - y) / scale);
            if distance <= radius && best.is_none_or(|(d, _, _)| distance < d) {
                best = Some((distance, unit, handle));
            }
        }
    }
    best.map(|(_, unit, handle)| (unit, handle))
}

/// How close the fit is: the mean training loss and whether it has reached [`TARGET_LOSS`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Closeness {
    pub loss: f64,
    pub target: f64,
    /// loss ≤ target.
    pub reached: bool,
}

/// The fit's [`Closeness`] on the training data (`xs`: n inputs [x, 1], `ys`: n targets).
pub fn closeness(network: &Network, xs: &[f64], ys: &[f64]) -> Result<Closeness, SettingError> {
    let loss = network
        .clone()
        .mean_loss(xs, ys)
        .map_err(|e| SettingError(e.to_string()))?;
    Ok(Closeness {
        loss,
        target: TARGET_LOSS,
        reached: loss <= TARGET_LOSS,
    })
}

fn check_unit(network: &Network, unit: usize) -> Result<(), SettingError> {
    if network.inputs() != 2 {
        return Err(SettingError(
            "fitting by hand needs the constant input, x = [x, 1] (m = 2)".into(),
        ));
    }
    if unit >= network.hidden() {
        return Err(SettingError(format!(
            "the unit must be from 1 to {}, got {}",
            network.hidden(),
            unit + 1
        )));
    }
    Ok(())
}

/// `network` with a_j1, a_j2 and b_j replaced, if all three lie within ±[`WEIGHT_LIMIT`].
fn write(
    network: &Network,
    unit: usize,
    a1: f64,
    a2: f64,
    b: f64,
) -> Result<Network, SettingError> {
    if let Some(w) = [a1, a2, b]
        .into_iter()
        .find(|w| w.is_nan() || w.abs() > WEIGHT_LIMIT)
    {
        return Err(SettingError(format!(
            "that would make a weight of {}, beyond the ±{} the training lab allows; move the \
             step onto the plot first",
            format_plain(w),
            format_plain(WEIGHT_LIMIT)
        )));
    }
    let mut changed = network.clone();
    let hm = 2 * network.hidden();
    changed.set_parameter(2 * unit, a1);
    changed.set_parameter(2 * unit + 1, a2);
    changed.set_parameter(hm + unit, b);
    Ok(changed)
}
