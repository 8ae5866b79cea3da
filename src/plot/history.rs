//! A quantity against a whole-number x (training steps, hidden units, layers) on a
//! logarithmic y-axis: the training lab's loss and gradient charts, the cost panel's work
//! counts and the vanishing panel's scale study are all this, with different series.

use super::{tick_count, PixelMap, PlotError, Theme};
use crate::format::format_tick;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One curve: values at steps.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    pub steps: &'a [u64],
    pub values: &'a [f64],
    pub color: RGBColor,
    pub dashed: bool,
    /// Drawn thin and pale, behind the others (earlier runs).
    pub faded: bool,
    /// Shown in the legend, or for a faded series, at its end.
    pub label: String,
}

/// What the chart shows.
#[derive(Clone, Debug, Default)]
pub struct HistoryChart<'a> {
    pub series: Vec<Series<'a>>,
    /// A vertical marker at this step, with dots where it meets each bright series.
    pub cursor: Option<u64>,
    /// The y-axis's name, written along it.
    pub y_name: &'a str,
    /// The x-axis's name ("steps" when empty).
    pub x_name: &'a str,
    /// Put the legend at the bottom right instead of the top right (for rising curves).
    pub legend_bottom: bool,
    /// Tick labels show x / x_divisor (so x can hold a scale in hundredths); 0 or 1: x itself,
    /// written as step counts (2k, 1.5M).
    pub x_divisor: f64,
}

/// The decades that hold every positive finite value (at least one decade).
fn y_bounds(chart: &HistoryChart) -> (f64, f64) {
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter())
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0);
    let (low, high) = values.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() {
        return (1e-3, 1.0);
    }
    let low = 10f64.powf(low.log10().floor()).max(1e-12);
    let mut high = 10f64.powf(high.log10().ceil()).min(1e12);
    if high <= low {
        high = low * 10.0;
    }
    (low, high)
}

/// 10ⁿ as text: 0.01, 0.1, 1, 10, 100 for small n, 10⁻⁵ beyond.
pub fn format_power(value: f64) -> String {
    let exponent = value.log10().round() as i32;
    if (value - 10f64.powi(exponent)).abs() > 1e-9 * value {
        return format_tick(value);
    }
    if (-2..=3).contains(&exponent) {
        return format_tick(10f64.powi(exponent));
    }
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut text = String::from("10");
    if exponent < 0 {
        text.push('⁻');
    }
    for c in exponent.unsigned_abs().to_string().chars() {
        text.push(DIGITS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    text
}

/// Draws the chart; returns where its plotting area is, to map the pointer to a step.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &HistoryChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let last_step = chart
        .series
        .iter()
        .filter_map(|s| s.steps.last())
        .max()
        .copied()
        .unwrap_or(0)
        .max(if chart.x_divisor > 1.0 { 1 } else { 10 }) as f64;
    let first_step = chart
        .series
        .iter()
        .filter_map(|s| s.steps.first())
        .min()
        .copied()
        .unwrap_or(0) as f64;
    let first_step = if chart.x_divisor > 1.0 || first_step > 0.0 {
        first_step.min(last_step - 1.0)
    } else {
        0.0
    };
    let (low, high) = y_bounds(chart);
    let (width, _) = root.dim_in_pixel();
    let mut plot = super::frame(root, theme, 36.0, 50.0)
        .build_cartesian_2d(first_step..last_step, (low..high).log_scale())?;
    super::themed_mesh(&mut plot, theme)
        .x_labels(tick_count(width, theme, 80.0))
        .y_labels(8)
        .x_label_formatter(&|v| {
            if chart.x_divisor > 1.0 {
                format_tick(*v / chart.x_divisor)
            } else {
                format_steps(*v)
            }
        })
        .y_label_formatter(&|v| format_power(*v))
        .x_desc(if chart.x_name.is_empty() {
            "steps"
        } else {
            chart.x_name
        })
        .y_desc(chart.y_name)
        .draw()?;

    let ordered = chart
        .series
        .iter()
        .filter(|s| s.faded)
        .chain(chart.series.iter().filter(|s| !s.faded));
    for series in ordered {
        let points: Vec<(f64, f64)> = series
            .steps
            .iter()
            .zip(series.values)
            .filter(|(_, v)| v.is_finite() && **v > 0.0)
            .map(|(&s, &v)| (s as f64, v.clamp(low, high)))
            .collect();
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

    if let Some(step) = chart.cursor {
        let x = step as f64;
        plot.draw_series(LineSeries::new(
            [(x, low), (x, high)],
            theme.line(theme.muted(), 1.0),
        ))?;
        for series in chart.series.iter().filter(|s| !s.faded) {
            if let Ok(i) = series.steps.binary_search(&step) {
                let value = series.values[i];
                if value.is_finite() && value > 0.0 {
                    plot.draw_series([Circle::new(
                        (x, value.clamp(low, high)),
                        theme.px(3.5),
                        series.color.filled(),
                    )])?;
                }
            }
        }
    }

    draw_legend(&plot.plotting_area().strip_coord_spec(), chart, theme)?;
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(PixelMap::new(
        x_pixels,
        y_pixels,
        0.0..last_step,
        low..high,
        theme,
    ))
}

/// Bright series' names at the top right, each with a line sample.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &HistoryChart,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (width, height) = area.dim_in_pixel();
    let right = width as i32 - theme.px(8);
    let rows = chart.series.iter().filter(|s| !s.faded).count() as i32;
    let sample = theme.px(20);
    let style = theme.text(12.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (row, series) in chart.series.iter().filter(|s| !s.faded).enumerate() {
        let y = if chart.legend_bottom {
            height as i32 - theme.px(12) - (rows - 1 - row as i32) * theme.px(18)
        } else {
            theme.px(12) + row as i32 * theme.px(18)
        };
        let text_right = right - sample - theme.px(6);
        let line = theme.line(series.color, 2.0);
        let (start, end) = (right - sample, right);
        if series.dashed {
            let dash = sample * 2 / 5;
            for offset in [0, sample - dash] {
                area.draw(&PathElement::new(
                    [(start + offset, y), (start + offset + dash, y)],
                    line,
                ))?;
            }
        } else {
            area.draw(&PathElement::new([(start, y), (end, y)], line))?;
        }
        area.draw(&Text::new(
            series.label.clone(),
            (text_right, y),
            style.clone(),
        ))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powers_of_ten_read_naturally() {
        assert_eq!(format_power(0.01), "0.01");
        assert_eq!(format_power(1000.0), "1000");
        assert_eq!(format_power(1e-5), "10⁻⁵");
        assert_eq!(format_power(1e12), "10¹²");
        assert_eq!(format_power(0.5), "0.5");
        assert_eq!(format_steps(25_000.0), "25k");
        assert_eq!(format_steps(800.0), "800");
    }
}
