//! A line chart on a logarithmic y-axis: the training lab's loss and gradient charts, the
//! cost panel's work counts and the vanishing panel's scale study are all this, with
//! different series and x-axes.

use super::legend::{self, Entry, Obstacles};
use super::{tick_count, PixelMap, PlotError, Theme, LOG_AXIS_TOP};
use crate::format::{format_tick, superscript_number};
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
        // Steps start at 0 and show at least ten.
        XAxis::Steps => (0.0, high.max(10.0)),
        _ if !low.is_finite() => (0.0, 1.0),
        _ if high <= low => (low, low + 1.0),
        _ => (low, high),
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

/// Draws the chart; returns where its plotting area is, to map the pointer to an x.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    let drawable = |s: &Series| s.points.iter().filter(|p| plottable(p)).count();
    if !chart.series.iter().any(|s| !s.faded && drawable(s) >= 2) {
        super::draw_notice(root, theme, chart.empty_note)?;
        root.present()?;
        return Ok(PixelMap::default());
    }
    // Where the legend would cover a curve in every corner, the y-axis is raised until the
    // data leave the top of the plot free for it.
    match draw_with_top(root, chart, theme, None)? {
        Ok(map) => Ok(map),
        Err(top) => Ok(draw_with_top(root, chart, theme, Some(top))?.unwrap_or_default()),
    }
}

/// Draws the chart, its y-axis up to `top` if given (else to the decade above the data).
/// Without a `top`, when the legend would cover a curve in every corner, draws nothing and
/// returns the top that keeps the data below the legend.
fn draw_with_top<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
    theme: &Theme,
    top: Option<f64>,
) -> Result<Result<PixelMap, f64>, PlotError>
where
    DB::ErrorType: 'static,
{
    let (first, last_x) = x_bounds(chart);
    let (low, high) = y_bounds(chart);
    let high = top.unwrap_or(high);
    let (width, height) = root.dim_in_pixel();
    let mut plot = super::frame(root, theme, 36.0, 50.0)
        .build_cartesian_2d(first..last_x, (low..high).log_scale())?;

    let ordered: Vec<&Series> = chart
        .series
        .iter()
        .filter(|s| s.faded)
        .chain(chart.series.iter().filter(|s| !s.faded))
        .collect();
    let curves: Vec<Vec<(f64, f64)>> = ordered
        .iter()
        .map(|series| {
            series
                .points
                .iter()
                .filter(|p| plottable(p))
                .map(|&(x, v)| (x, v.clamp(low, high)))
                .collect()
        })
        .collect();
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
    let entries: Vec<Entry> = chart
        .series
        .iter()
        .filter(|s| !s.faded)
        .map(|s| Entry {
            label: s.label.clone(),
            color: s.color,
            dashed: s.dashed,
        })
        .collect();
    let area = plot.plotting_area().strip_coord_spec();
    let layout = match legend::place(
        &area,
        &entries,
        &obstacles,
        chart.legend,
        theme,
        top.is_some(),
    ) {
        Ok(layout) => layout,
        Err(room) => {
            let peak = curves.iter().flatten().map(|p| p.1).fold(low, f64::max);
            return Ok(Err(room.raised_top((low, high), peak, true)));
        }
    };

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

    legend::draw_layout(&area, &layout, theme)?;
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(Ok(PixelMap::new(
        x_pixels,
        y_pixels,
        first..last_x,
        low..high,
        theme,
    )
    .with_log_y()))
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
