//! One bar per layer on a logarithmic y-axis: the vanishing panel's gradient norms
//! ‖∂L/∂W_l‖ (with the sigmoid's 0.25^(L−l) bound drawn over them) and how far each layer's
//! weights moved in training.

use super::legend::{self, Corner, Entry, Obstacles, Room};
use super::lines::{decades, power_labels};
use super::{tick_count, PlotError, Theme};
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the chart shows.
pub struct LayerChart<'a> {
    /// One value per bar, first layer first.
    pub values: &'a [f64],
    /// The bars' names under the axis ("1", "2", …, "b").
    pub labels: &'a [String],
    pub color: RGBColor,
    /// A reference value per bar, drawn as a dashed line with its own legend entry.
    pub reference: Option<(&'a [f64], &'a str)>,
    pub y_name: &'a str,
    pub x_name: &'a str,
    /// Said in place of the chart while no bar has a positive value.
    pub empty_note: &'a str,
}

/// A value a bar on the log axis can show: finite and above 0.
fn positive(v: &&f64) -> bool {
    v.is_finite() && **v > 0.0
}

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LayerChart,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    if !chart.values.iter().any(|v| positive(&v)) {
        super::draw_notice(root, theme, chart.empty_note)?;
        root.present()?;
        return Ok(());
    }
    let all = chart
        .values
        .iter()
        .chain(chart.reference.map(|r| r.0).unwrap_or(&[]))
        .filter(positive);
    let (low, high) = all.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(*v), hi.max(*v))
    });
    let (low, high, peak) = if low.is_finite() {
        let (floor, top) = decades(low, high, 1e-30, f64::INFINITY);
        (floor, top, high)
    } else {
        (1e-3, 1.0, 1.0)
    };
    // Where the legend would cover a bar or the line in every corner, the y-axis is raised
    // until the data leave the top of the plot free for it.
    if let Err(room) = draw_with_top(root, chart, theme, (low, high), false)? {
        let top = room.raised_top((low, high), peak, true);
        // The second time the legend goes where it covers least, whatever that is.
        let _ = draw_with_top(root, chart, theme, (low, top), true)?;
    }
    Ok(())
}

/// Draws the chart over the y-range (low, high). If the legend would cover the data in every
/// corner, draws nothing and returns the room it needs, unless the range was `raised` for it
/// already.
fn draw_with_top<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LayerChart,
    theme: &Theme,
    (low, high): (f64, f64),
    raised: bool,
) -> Result<Result<(), Room>, PlotError>
where
    DB::ErrorType: 'static,
{
    let count = chart.values.len().max(1);
    let (_, height) = root.dim_in_pixel();
    let labels = chart.labels;
    let mut plot = super::frame(root, theme, 36.0, 52.0)
        .build_cartesian_2d(0.0..count as f64, (low..high).log_scale())?;
    let bars: Vec<(f64, f64, f64)> = chart
        .values
        .iter()
        .enumerate()
        .filter(|(_, v)| positive(v))
        .map(|(i, &v)| (i as f64 + 0.15, i as f64 + 0.85, v.clamp(low, high)))
        .collect();
    let reference: Option<(Vec<(f64, f64)>, &str)> = chart.reference.map(|(values, name)| {
        let points = values
            .iter()
            .enumerate()
            .filter(|(_, v)| positive(v))
            .map(|(i, &v)| (i as f64 + 0.5, v.clamp(low, high)))
            .collect();
        (points, name)
    });
    // The bars and the reference line in the plotting area's pixels, for the legend.
    let to_area = |p: (f64, f64)| legend::in_area(plot.plotting_area(), &p);
    let obstacles = Obstacles {
        lines: reference
            .iter()
            .map(|(points, _)| points.iter().map(|&p| to_area(p)).collect())
            .collect(),
        boxes: bars
            .iter()
            .map(|&(left, right, top)| {
                let ((l, t), (r, b)) = (to_area((left, top)), to_area((right, low)));
                (l, t, r, b)
            })
            .collect(),
    };
    let color = theme.foreground();
    let entries: Vec<Entry> = reference
        .iter()
        .map(|(_, name)| Entry {
            label: name.to_string(),
            color,
            dashed: true,
        })
        .collect();
    // Top left first, where a vanishing chain's first bars are low.
    let area = plot.plotting_area().strip_coord_spec();
    let layout = match legend::place(&area, &entries, &obstacles, Corner::TopLeft, theme, raised) {
        Ok(layout) => layout,
        Err(room) => return Ok(Err(room)),
    };

    root.fill(&theme.background())?;
    super::themed_mesh(&mut plot, theme)
        .disable_x_mesh()
        .x_labels(count * 2 + 1)
        .x_label_formatter(&|v| {
            // Label the middle of each bar only.
            let i = (*v - 0.5).round();
            if (v - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(tick_count(height, theme, 26.0).min(8))
        .y_label_formatter(&power_labels(low, high))
        .x_desc(chart.x_name)
        .y_desc(chart.y_name)
        .draw()?;
    plot.draw_series(bars.iter().map(|&(left, right, top)| {
        Rectangle::new([(left, low), (right, top)], chart.color.mix(0.8).filled())
    }))?;
    if let Some((points, _)) = reference {
        plot.draw_series(DashedLineSeries::new(
            points,
            theme.px(6),
            theme.px(4),
            theme.line(color, 1.5),
        ))?;
    }
    legend::draw_layout(&area, &layout, theme)?;
    root.present()?;
    Ok(Ok(()))
}
