//! Gradient descent on the two weights of the view alone, and what the path did, in words.

use super::{
    check_data, check_rate, check_work, prepare, view_of, Settings, Slice, PATH_STEPS_RANGE,
    SETTLED_GRADIENT,
};
use crate::format::format_plain;
use crate::network::Network;
use crate::trainer::{SettingError, DIVERGENCE_FACTOR};

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
