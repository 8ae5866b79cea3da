//! A line chart on a logarithmic y-axis: the training lab's loss and gradient charts, the
//! cost panel's work counts and the vanishing panel's scale study are all this, with
//! different series and x-axes.

use super::legend::{self, Entry, Obstacles};
use super::{tick_count, PixelMap, PlotError, Theme, LOG_AXIS_TOP};
use crate::format::{format_tick, superscript_number};
use plotters::chart::ChartContext;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One curve, built with [`Series::new`] and styled with its builder methods.
#[derive(Clone, Debug)]
pub struct Series {
    points: Vec<(f64, f64)>,
    color: RGBColor,
    dashed: bool,
    faded: bool,
    label: String,
}

impl Series {
    /// A solid curve through `points` (x, y), named `label` in the legend.
    pub fn new(
        label: impl Into<String>,
        color: RGBColor,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Self {
        Series {
            points: points.into_iter().collect(),
            color,
            dashed: false,
            faded: false,
            label: label.into(),
        }
    }

    /// Values at whole-number steps, as the training history keeps them.
    pub fn at_steps(
        label: impl Into<String>,
        color: RGBColor,
        steps: &[u64],
        values: &[f64],
    ) -> Self {
        Series::new(
            label,
            color,
            steps.iter().map(|&s| s as f64).zip(values.iter().copied()),
        )
    }

    /// Dashed instead of solid.
    pub fn dashed(mut self) -> Self {
        self.dashed = true;
        self
    }

    /// Drawn thin and pale behind the others, labelled at its end (an earlier run).
    pub fn faded(mut self) -> Self {
        self.faded = true;
        self
    }
}

/// How the x-axis is labelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XAxis {
    /// Training steps from 0: 0, 500, 2k, 1.5M.
    Steps,
    /// Whole numbers as they are (hidden units, layers), from the first x.
    Counts,
    /// x holds log₁₀ of the value; ticks show the value (0.1, 0.32, 1, 3.2, 10).
    Log10,
}

/// The corner the legend tries first; it moves to another where it would cover less of the
/// curves.
pub use super::legend::Corner as Legend;

/// What the chart shows.
#[derive(Clone, Debug)]
pub struct LineChart<'a> {
    pub series: Vec<Series>,
    /// A vertical marker at this x, with a dot on each bright series at its nearest point.
    pub cursor: Option<f64>,
    pub x_name: &'a str,
    pub y_name: &'a str,
    pub x_axis: XAxis,
    pub legend: Legend,
    /// Said in place of the chart while no bright series has two points to join.
    pub empty_note: &'a str,
}

/// The decades that hold every positive finite value (at least one decade).
fn y_bounds(chart: &LineChart) -> (f64, f64) {
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|v| v.is_finite() && *v > 0.0);
    let (low, high) = values.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() {
        return (1e-3, 1.0);
    }
    decades(low, high, 1e-12, 1e12)
}

/// A log axis for positive values from `low` to `high`: from the power of ten at or below
/// `low` (at least `least`) to the one at or above `high` (at most `most`), at least a decade
/// apart, and never beyond [`LOG_AXIS_TOP`]. The bottom is set a hair below its power of
/// ten, or plotters leaves that decade without its label.
pub fn decades(low: f64, high: f64, least: f64, most: f64) -> (f64, f64) {
    let bottom = 10f64
        .powf(low.log10().floor())
        .max(least)
        .min(LOG_AXIS_TOP / 10.0);
    let top = 10f64
        .powf(high.log10().ceil())
        .min(most)
        .min(LOG_AXIS_TOP)
        .max(bottom * 10.0);
    (bottom * (1.0 - 1e-9), top)
}

/// The x-range every series fits in.
fn x_bounds(chart: &LineChart) -> (f64, f64) {
    let xs = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .filter(|x| x.is_finite());
    let (low, high) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    match chart.x_axis {
        // Steps start at 0 and show at least ten, to a round end.
        XAxis::Steps => (0.0, steps_axis_end(high.max(10.0))),
        _ if !low.is_finite() => (0.0, 1.0),
        _ if high <= low => (low, low + 1.0),
        _ => (low, high),
    }
}

/// The end of a steps axis at or beyond `last`: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a
/// power of ten. While the lab trains, the axis then grows in steps of at most a third (the
/// curves fill at least three quarters of its width) instead of every frame, so it reads
/// calmly and its grid can be drawn once per step.
pub fn steps_axis_end(last: f64) -> f64 {
    const ROUND: [f64; 10] = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];
    let power = 10f64.powf(last.log10().floor());
    ROUND
        .iter()
        .map(|m| m * power)
        .find(|&end| end >= last)
        .unwrap_or(10.0 * power)
}

/// A raised log-axis top rounded up to a quarter of a decade, so that it moves in steps too.
fn stepped_log_top(top: f64) -> f64 {
    let rounded = 10f64.powf((top.log10() * 4.0).ceil() / 4.0);
    if rounded.is_finite() && rounded >= top {
        rounded.min(LOG_AXIS_TOP).max(top)
    } else {
        top
    }
}

/// 10ⁿ as text: 0.01, 0.1, 1, 10, 100 for small n, 10⁻⁵ beyond.
pub fn format_power(value: f64) -> String {
    format_power_with(value, false)
}

/// A log axis's tick labels from `low` to `high`: written out (0.01 to 1000) when the whole
/// axis fits that range, else every one as a power (10⁻², 10⁰, 10⁵), so one axis never mixes
/// 1000 with 10⁴.
pub fn power_labels(low: f64, high: f64) -> impl Fn(&f64) -> String {
    let powers = low < 0.0099 || high > 1001.0;
    move |v| format_power_with(*v, powers)
}

fn format_power_with(value: f64, powers: bool) -> String {
    let exponent = value.log10().round() as i32;
    if (value - 10f64.powi(exponent)).abs() > 1e-9 * value {
        return format_tick(value);
    }
    if !powers && (-2..=3).contains(&exponent) {
        return format_tick(10f64.powi(exponent));
    }
    format!("10{}", superscript_number(exponent as i64))
}

/// Step counts as ticks: 0, 500, 2k, 1.5M.
pub fn format_steps(value: f64) -> String {
    let value = value.round();
    if value >= 1e6 {
        format!("{}M", format_tick(value / 1e6))
    } else if value >= 1e4 {
        format!("{}k", format_tick(value / 1e3))
    } else {
        format_tick(value)
    }
}

/// 10^v to two significant digits: the label of a Log10 axis's tick at v.
fn format_log_tick(v: f64) -> String {
    let value = 10f64.powf(v);
    let digits = 10f64.powi(1 - value.log10().floor() as i32);
    format_tick((value * digits).round() / digits)
}

/// A point a log-axis curve can show: both coordinates finite, the value above 0.
fn plottable(&(x, v): &(f64, f64)) -> bool {
    x.is_finite() && v.is_finite() && v > 0.0
}

/// Where the curve through `points` (x ascending, positive values on a log axis) crosses
/// `x`: the drawn segment's value there, interpolated in log(value); None outside the curve.
fn value_at(points: &[(f64, f64)], x: f64) -> Option<f64> {
    let after = points.partition_point(|p| p.0 < x);
    let (a, b) = match (after.checked_sub(1), points.get(after)) {
        (_, Some(&b)) if b.0 == x => return Some(b.1),
        (Some(before), Some(&b)) => (points[before], b),
        _ => return None,
    };
    let t = (x - a.0) / (b.0 - a.0);
    Some((a.1.ln() + t * (b.1.ln() - a.1.ln())).exp())
}

/// The ranges a chart's axes span: everything its still part (background, grid, axes and
/// their labels) depends on besides the canvas, the theme and the chart's names.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axes {
    pub x: (f64, f64),
    pub y: (f64, f64),
}

/// Draws the chart; returns where its plotting area is, to map the pointer to an x.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    let Some(axes) = axes(root, chart, theme)? else {
        return draw_empty(root, chart, theme);
    };
    draw_still(root, chart, theme, axes)?;
    draw_moving(root, chart, theme, axes)
}

/// The chart's axes on `root`, or None when no bright series has two points to join (the
/// chart then says its empty note instead, [`draw_empty`]). Where the legend would cover a
/// curve in every corner, the y-axis is raised until the data leave the top of the plot free
/// for it.
pub fn axes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> Result<Option<Axes>, PlotError>
where
    DB::ErrorType: 'static,
{
    let drawable = |s: &Series| s.points.iter().filter(|p| plottable(p)).count();
    if !chart.series.iter().any(|s| !s.faded && drawable(s) >= 2) {
        return Ok(None);
    }
    let axes = Axes {
        x: x_bounds(chart),
        y: y_bounds(chart),
    };
    let plot = build(root, theme, axes)?;
    let curves = curves(chart, axes);
    let entries = entries(chart);
    Ok(Some(
        match legend_layout(&plot, chart, &entries, &curves, theme, false) {
            Ok(_) => axes,
            Err(room) => {
                let (low, high) = axes.y;
                let peak = curves.iter().flatten().map(|p| p.1).fold(low, f64::max);
                let top = stepped_log_top(room.raised_top((low, high), peak, true));
                Axes {
                    y: (low, top),
                    ..axes
                }
            }
        },
    ))
}

/// The chart's empty note in place of the chart.
pub fn draw_empty<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    super::draw_notice(root, theme, chart.empty_note)?;
    root.present()?;
    Ok(PixelMap::default())
}

/// The chart's coordinates on `root` (building them draws nothing).
fn build<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    axes: Axes,
) -> Result<Plot<'a, DB>, PlotError>
where
    DB::ErrorType: 'static,
{
    let (first, last_x) = axes.x;
    let (low, high) = axes.y;
    Ok(super::frame(root, theme, 36.0, 50.0)
        .build_cartesian_2d(first..last_x, (low..high).log_scale())?)
}

type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, LogCoord<f64>>>;

/// The series with the faded ones first (drawn behind the others).
fn ordered<'c>(chart: &'c LineChart) -> Vec<&'c Series> {
    chart
        .series
        .iter()
        .filter(|s| s.faded)
        .chain(chart.series.iter().filter(|s| !s.faded))
        .collect()
}

/// Each series' points as drawn (in the order of [`ordered`]): the plottable ones, their
/// values clamped to the y-axis.
fn curves(chart: &LineChart, axes: Axes) -> Vec<Vec<(f64, f64)>> {
    let (low, high) = axes.y;
    ordered(chart)
        .iter()
        .map(|series| {
            series
                .points
                .iter()
                .filter(|p| plottable(p))
                .map(|&(x, v)| (x, v.clamp(low, high)))
                .collect()
        })
        .collect()
}

/// Where the legend goes, clear of the curves; Err with the room it needs where it would
/// cover a curve in every corner (unless `raised`: the axis was raised for it already).
fn legend_layout<'e, DB: DrawingBackend>(
    plot: &Plot<DB>,
    chart: &LineChart,
    entries: &'e [Entry],
    curves: &[Vec<(f64, f64)>],
    theme: &Theme,
    raised: bool,
) -> Result<legend::Layout<'e>, legend::Room>
where
    DB::ErrorType: 'static,
{
    // The curves in the plotting area's pixels: the legend keeps clear of them.
    let obstacles = Obstacles {
        lines: curves
            .iter()
            .map(|points| {
                let to_area = |p| legend::in_area(plot.plotting_area(), p);
                points.iter().map(to_area).collect()
            })
            .collect(),
        boxes: Vec::new(),
    };
    let area = plot.plotting_area().strip_coord_spec();
    legend::place(&area, entries, &obstacles, chart.legend, theme, raised)
}

/// The legend's entries: the bright series.
fn entries(chart: &LineChart) -> Vec<Entry> {
    chart
        .series
        .iter()
        .filter(|s| !s.faded)
        .map(|s| Entry {
            label: s.label.clone(),
            color: s.color,
            dashed: s.dashed,
        })
        .collect()
}

/// The part that stays while the lab trains, as long as the axes do: the background, the
/// grid, the axes and their labels.
pub fn draw_still<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
    axes: Axes,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (width, height) = root.dim_in_pixel();
    let (low, high) = axes.y;
    let mut plot = build(root, theme, axes)?;
    root.fill(&theme.background())?;
    super::themed_mesh(&mut plot, theme)
        .x_labels(tick_count(width, theme, 80.0))
        .y_labels(tick_count(height, theme, 26.0).min(8))
        .x_label_formatter(&|v| match chart.x_axis {
            XAxis::Steps => format_steps(*v),
            XAxis::Counts => format_tick(*v),
            XAxis::Log10 => format_log_tick(*v),
        })
        .y_label_formatter(&power_labels(low, high))
        .x_desc(chart.x_name)
        .y_desc(chart.y_name)
        .draw()?;
    root.present()?;
    Ok(())
}

/// What moves, drawn over [`draw_still`] with the same axes: the curves, the earlier runs'
/// labels, the cursor and the legend. Returns where the plotting area is.
pub fn draw_moving<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
    axes: Axes,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    let (first, last_x) = axes.x;
    let (low, high) = axes.y;
    let mut plot = build(root, theme, axes)?;
    let ordered = ordered(chart);
    let curves = curves(chart, axes);
    let raised = axes.y != y_bounds(chart);
    // The axes were raised where the legend needed it, so a layout is found here; should
    // none be, the chart goes without its legend rather than with one over the curves.
    let entries = entries(chart);
    let layout = legend_layout(&plot, chart, &entries, &curves, theme, raised).ok();
    for (series, points) in ordered.iter().zip(&curves) {
        if points.is_empty() {
            continue;
        }
        let (color, width) = if series.faded {
            (series.color.mix(0.35), 1.5)
        } else {
            (series.color.to_rgba(), 2.0)
        };
        let style = ShapeStyle::from(color).stroke_width(theme.stroke(width));
        if series.dashed {
            plot.draw_series(DashedLineSeries::new(
                points.iter().copied(),
                theme.px(6),
                theme.px(4),
                style,
            ))?;
        } else {
            plot.draw_series(LineSeries::new(points.iter().copied(), style))?;
        }
        if series.faded && !series.label.is_empty() {
            if let Some(&end) = points.last() {
                plot.draw_series([EmptyElement::at(end)
                    + Text::new(
                        series.label.clone(),
                        (-theme.px(4), -theme.px(3)),
                        theme
                            .colored_text(10.5, theme.muted())
                            .pos(Pos::new(HPos::Right, VPos::Bottom)),
                    )])?;
            }
        }
    }

    if let Some(x) = chart.cursor.filter(|x| x.is_finite()) {
        plot.draw_series(LineSeries::new(
            [(x, low), (x, high)],
            theme.line(theme.muted(), 1.0),
        ))?;
        for (series, points) in ordered.iter().zip(&curves).filter(|(s, _)| !s.faded) {
            if let Some(value) = value_at(points, x) {
                plot.draw_series([Circle::new(
                    (x, value),
                    theme.px(3.5),
                    series.color.filled(),
                )])?;
            }
        }
    }

    if let Some(layout) = &layout {
        let area = plot.plotting_area().strip_coord_spec();
        legend::draw_layout(&area, layout, theme)?;
    }
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(PixelMap::new(x_pixels, y_pixels, first..last_x, low..high, theme).with_log_y())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_span_whole_powers_of_ten_and_stay_finite() {
        let (low, high) = decades(0.02, 3.0, 1e-12, 1e12);
        assert!((low / 0.01 - 1.0).abs() < 1e-8 && low < 0.01, "{low}");
        assert_eq!(high, 10.0);
        // One value on a power of ten: a whole decade above it.
        assert_eq!(decades(1.0, 1.0, 1e-12, 1e12).1, 10.0);
        // Beyond `most` the bottom still has a decade above it.
        assert_eq!(decades(1e14, 1e15, 1e-12, 1e12).1, 1e15);
        for (low, high) in [(1e308, 1.7e308), (1.5e308, f64::MAX), (1e300, 1e308)] {
            let (bottom, top) = decades(low, high, 1e-30, f64::INFINITY);
            assert!(
                bottom.is_finite() && top.is_finite() && bottom < top,
                "{bottom} {top}"
            );
        }
    }

    #[test]
    fn a_steps_axis_ends_on_a_round_number_at_most_a_third_beyond_the_last_step() {
        let round = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0];
        let mut last_end = 0.0;
        let mut ends = 0;
        for last in (10..=2_000_000).step_by(7) {
            let last = last as f64;
            let end = steps_axis_end(last);
            assert!(
                end >= last && end <= last * 4.0 / 3.0 + 1e-9,
                "{last}: {end}"
            );
            let power = 10f64.powf(end.log10().floor());
            let mantissa = end / power;
            assert!(
                round.iter().any(|m| (m - mantissa).abs() < 1e-9),
                "{last}: {end} is not round"
            );
            assert!(end >= last_end, "the end never falls back as steps grow");
            ends += usize::from(end != last_end);
            last_end = end;
        }
        // From 10 steps to two million the axis changes 51 times, not once a frame.
        assert_eq!(ends, 51);
        assert_eq!(steps_axis_end(10.0), 10.0);
        assert_eq!(steps_axis_end(1001.0), 1200.0);
        assert_eq!(steps_axis_end(2600.0), 3000.0);
    }

    #[test]
    fn a_raised_log_top_is_rounded_up_to_a_quarter_decade() {
        assert_eq!(stepped_log_top(1.0), 1.0);
        let top = stepped_log_top(1.1);
        assert!((top - 10f64.powf(0.25)).abs() < 1e-12, "{top}");
        assert!(stepped_log_top(3e-7) >= 3e-7);
        assert_eq!(stepped_log_top(LOG_AXIS_TOP), LOG_AXIS_TOP);
        assert_eq!(stepped_log_top(0.9 * LOG_AXIS_TOP), LOG_AXIS_TOP);
    }

    #[test]
    fn the_cursor_sits_on_the_drawn_segment() {
        let points = [(0.0, 1.0), (1.0, 100.0), (3.0, 100.0)];
        assert_eq!(value_at(&points, 1.0), Some(100.0));
        assert_eq!(value_at(&points, 0.0), Some(1.0));
        // Half-way on a log axis is the geometric mean.
        assert!((value_at(&points, 0.5).unwrap() - 10.0).abs() < 1e-12);
        assert!((value_at(&points, 2.0).unwrap() - 100.0).abs() < 1e-9);
        assert_eq!(value_at(&points, -0.1), None);
        assert_eq!(value_at(&points, 3.1), None);
        assert_eq!(value_at(&[], 1.0), None);
    }

    #[test]
    fn powers_of_ten_read_naturally() {
        assert_eq!(format_power(0.01), "0.01");
        assert_eq!(format_power(1000.0), "1000");
        assert_eq!(format_power(1e-5), "10⁻⁵");
        assert_eq!(format_power(1e12), "10¹²");
        assert_eq!(format_power(0.5), "0.5");
        let wide = power_labels(1.0, 1e5);
        assert_eq!(
            (wide(&1.0), wide(&1000.0), wide(&1e5)),
            ("10⁰".into(), "10³".into(), "10⁵".into())
        );
        let narrow = power_labels(0.01, 1000.0);
        assert_eq!(
            (narrow(&0.01), narrow(&1000.0)),
            ("0.01".into(), "1000".into())
        );
        assert_eq!(format_steps(25_000.0), "25k");
        assert_eq!(format_steps(800.0), "800");
        assert_eq!(format_log_tick(-1.0), "0.1");
        assert_eq!(format_log_tick(0.5), "3.2");
        assert_eq!(format_log_tick(1.5), "32");
    }
}
