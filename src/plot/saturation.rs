//! Saturation in the student's own network: a histogram of every hidden pre-activation z1
//! (each unit on each training point) drawn over the activation's derivative, so it shows
//! how many units sit where σ′ ≈ 0 and learn almost nothing.

use super::legend::{self, Corner, Entry, Obstacles, Room};
use super::{tick_count, PlotError, Theme};
use crate::activation::{Activation, SATURATION_LEVEL};
use crate::network::Network;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

/// The z1 axis; values beyond it are counted in the end bins.
pub const Z_VIEW: Range<f64> = -10.0..10.0;
const BINS: usize = 40;

/// Shares of the (unit, point) pairs in each of BINS equal bins over Z_VIEW.
pub fn histogram(network: &Network, inputs: &[f64]) -> Vec<f64> {
    let mut counts = vec![0usize; BINS];
    let width = (Z_VIEW.end - Z_VIEW.start) / BINS as f64;
    let mut total = 0usize;
    network.for_each_preactivation(inputs, |z| {
        if z.is_finite() {
            let bin = ((z - Z_VIEW.start) / width)
                .floor()
                .clamp(0.0, (BINS - 1) as f64) as usize;
            counts[bin] += 1;
            total += 1;
        }
    });
    counts
        .into_iter()
        .map(|c| c as f64 / total.max(1) as f64)
        .collect()
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    network: &Network,
    inputs: &[f64],
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let shares = histogram(network, inputs);
    let top = shares.iter().copied().fold(0.0, f64::max).max(0.05) * 1.15;
    // Where the legend would cover a bar or the curve in every corner, the y-axis is raised
    // until the data leave the top of the plot free for it.
    let chart = Histogram {
        network,
        shares: &shares,
        data_top: top,
    };
    if let Err(room) = draw_with_top(root, &chart, theme, top, false)? {
        let raised = room.raised_top((0.0, top), top, false);
        let _ = draw_with_top(root, &chart, theme, raised, true)?;
    }
    Ok(())
}

/// What the histogram shows: the shares per bin, and the top of the axis that fits them.
struct Histogram<'a> {
    network: &'a Network,
    shares: &'a [f64],
    data_top: f64,
}

/// Draws the histogram on an axis from 0 to `top`. If the legend would cover the data in
/// every corner, draws nothing and returns the room it needs, unless the axis was `raised`
/// for it already.
fn draw_with_top<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &Histogram,
    theme: &Theme,
    top: f64,
    raised: bool,
) -> Result<Result<(), Room>, PlotError>
where
    DB::ErrorType: 'static,
{
    let (width, _) = root.dim_in_pixel();
    let mut plot = super::frame(root, theme, 36.0, 52.0).build_cartesian_2d(Z_VIEW, 0.0..top)?;
    let activation = chart.network.activation();
    let color = theme.activation(activation);
    let bars = bars(chart.shares);
    let (curve, peak) = scaled_derivative(activation, chart.data_top);
    // Its name in a legend that keeps clear of the bars and the curve.
    let to_area = |p: (f64, f64)| legend::in_area(plot.plotting_area(), &p);
    let obstacles = Obstacles {
        lines: vec![curve.iter().map(|&p| to_area(p)).collect()],
        boxes: bars
            .iter()
            .map(|&(left, right, share)| {
                let ((l, t), (r, b)) = (to_area((left, share)), to_area((right, 0.0)));
                (l, t, r, b)
            })
            .collect(),
    };
    let entry = Entry {
        label: format!(
            "{}′ (peak {})",
            activation.label(),
            crate::format::format_tick(peak)
        ),
        color,
        dashed: true,
    };
    let area = plot.plotting_area().strip_coord_spec();
    let entries = [entry];
    let layout = match legend::place(&area, &entries, &obstacles, Corner::TopRight, theme, raised) {
        Ok(layout) => layout,
        Err(room) => return Ok(Err(room)),
    };

    root.fill(&theme.background())?;
    super::themed_mesh(&mut plot, theme)
        .disable_x_mesh()
        .x_labels(tick_count(width, theme, 60.0))
        .y_labels(5)
        .x_label_formatter(&|v| crate::format::format_tick(*v))
        .y_label_formatter(&|v| format!("{}%", (v * 100.0).round() as i64))
        .x_desc("z1 = Ax (all units, all training points)")
        .y_desc("share")
        .draw()?;
    // Shade where the derivative is below the saturation level, as on the activations panel.
    let flat = theme.muted().mix(if theme.dark { 0.18 } else { 0.10 });
    for (from, to) in flat_stretches(activation) {
        plot.draw_series([Rectangle::new([(from, 0.0), (to, top)], flat.filled())])?;
    }
    plot.draw_series(bars.iter().map(|&(left, right, share)| {
        Rectangle::new([(left, 0.0), (right, share)], color.mix(0.55).filled())
    }))?;

    plot.draw_series(DashedLineSeries::new(
        curve.iter().copied(),
        theme.px(7),
        theme.px(5),
        theme.line(color, 2.0),
    ))?;
    legend::draw_layout(&area, &layout, theme)?;
    root.present()?;
    Ok(Ok(()))
}

/// Samples of the derivative across Z_VIEW (SAMPLES steps).
const SAMPLES: usize = 400;

/// The bars' (left, right, share) on the z1 axis, for the bins that are not empty, with a
/// small gap between neighbours.
fn bars(shares: &[f64]) -> Vec<(f64, f64, f64)> {
    let bin = (Z_VIEW.end - Z_VIEW.start) / BINS as f64;
    shares
        .iter()
        .enumerate()
        .filter(|(_, s)| **s > 0.0)
        .map(|(i, &s)| {
            let left = Z_VIEW.start + bin * i as f64;
            (left + bin * 0.06, left + bin * 0.94, s)
        })
        .collect()
}

/// The derivative across Z_VIEW, scaled so its largest value there reaches 85% of the data's
/// top, and that largest value.
fn scaled_derivative(activation: Activation, data_top: f64) -> (Vec<(f64, f64)>, f64) {
    let step = (Z_VIEW.end - Z_VIEW.start) / SAMPLES as f64;
    let samples: Vec<(f64, f64)> = (0..=SAMPLES)
        .map(|i| {
            let z = Z_VIEW.start + step * i as f64;
            (z, activation.derivative(z))
        })
        .collect();
    let peak = samples.iter().map(|p| p.1).fold(0.0, f64::max).max(1e-12);
    let scale = 0.85 * data_top / peak;
    let curve = samples.iter().map(|&(z, d)| (z, d * scale)).collect();
    (curve, peak)
}

/// The stretches (from, to) of Z_VIEW where the derivative is below the saturation level, as
/// shaded on the activations panel; one still open at the right end closes there.
fn flat_stretches(activation: Activation) -> Vec<(f64, f64)> {
    let step = (Z_VIEW.end - Z_VIEW.start) / SAMPLES as f64;
    let mut stretches = Vec::new();
    let mut start: Option<f64> = None;
    for i in 0..=SAMPLES {
        let z = Z_VIEW.start + step * i as f64;
        let is_flat = activation.derivative(z) < SATURATION_LEVEL && i < SAMPLES;
        match (is_flat, start) {
            (true, None) => start = Some(z),
            (false, Some(from)) => {
                stretches.push((from, z));
                start = None;
            }
            _ => {}
        }
    }
    stretches
}
