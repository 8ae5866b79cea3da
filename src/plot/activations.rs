//! The activations chart: each function solid and its derivative dashed in the same colour,
//! with a probe line, the sigmoid's saturated region shaded, and the landmarks the worksheet
//! asks about (σ′ peaks at 0.25 at x = 0; ReLU′ jumps from 0 to 1 at x = 0).

use super::{clip_to_band, tick_count, PixelMap, Plot, PlotError, PlotResult, Theme};
use crate::activation::{sigmoid_saturation_edge, Activation, SATURATION_LEVEL};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// The y-axis is fixed so curves keep their place while the x-range changes.
pub const Y_RANGE: Range<f64> = -1.25..2.25;

/// The x-axis runs from −half_range to half_range, half_range within this.
pub const HALF_RANGE: (f64, f64) = (2.0, 50.0);

/// What the chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivationChart {
    /// The functions drawn, in legend order.
    pub functions: Vec<Activation>,
    /// Draw the derivatives (dashed) and the landmarks that go with them.
    pub derivatives: bool,
    /// Mark the central-difference derivative on top of each analytic one.
    pub numerical: bool,
    /// The x-axis runs from −half_range to half_range.
    pub half_range: f64,
    /// A vertical probe line at this x.
    pub probe: Option<f64>,
}

impl Default for ActivationChart {
    fn default() -> Self {
        ActivationChart {
            functions: vec![Activation::Sigmoid, Activation::Relu],
            derivatives: false,
            numerical: false,
            half_range: 6.0,
            probe: None,
        }
    }
}

/// The central difference (f(x + ε) − f(x − ε)) / 2ε with ε scaled to x.
pub fn numerical_derivative(activation: Activation, x: f64) -> f64 {
    let step = 1e-5 * x.abs().max(1.0);
    (activation.value(x + step) - activation.value(x - step)) / (2.0 * step)
}

/// Draws the chart on `root`, filling it; returns where the plotting area landed, so a
/// pointer position can be turned back into an x-value.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ActivationChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let half_range = chart.half_range;
    let (width, height) = root.dim_in_pixel();
    let mut plot = super::frame(root, theme, 24.0, 36.0)
        .build_cartesian_2d(-half_range..half_range, Y_RANGE)?;
    super::themed_mesh(&mut plot, theme)
        .x_labels(tick_count(width, theme, 70.0))
        .y_labels(tick_count(height, theme, 40.0))
        .x_label_formatter(&|v| crate::format::format_tick(*v))
        .y_label_formatter(&|v| crate::format::format_tick(*v))
        .draw()?;

    let show_sigmoid_landmarks =
        chart.derivatives && chart.functions.contains(&Activation::Sigmoid);
    if show_sigmoid_landmarks {
        shade_saturation(&mut plot, half_range, theme)?;
    }

    // The axes through the origin.
    super::origin_axes(&mut plot, -half_range..half_range, Y_RANGE, theme)?;

    let (plot_width, _) = plot.plotting_area().dim_in_pixel();
    // One sample every 3 device pixels: smooth, and long enough segments that rounding to
    // whole pixels does not show as steps.
    let samples = (plot_width as usize / 3).max(120);
    for &activation in &chart.functions {
        let color = theme.activation(activation);
        let values = sample(half_range, samples, |x| activation.value(x));
        for piece in clip_to_band(&values, &Y_RANGE) {
            plot.draw_series(LineSeries::new(piece, theme.line(color, 2.0)))?;
        }
        if chart.derivatives {
            draw_derivative(&mut plot, activation, half_range, samples, &Y_RANGE, theme)?;
        }
        if chart.numerical {
            draw_numerical(&mut plot, activation, half_range, plot_width, theme)?;
        }
    }

    if show_sigmoid_landmarks {
        // σ′ peaks at ¼ at x = 0; the page's key explains the dot.
        let color = theme.activation(Activation::Sigmoid);
        let peak = Activation::Sigmoid.derivative(0.0);
        plot.draw_series([Circle::new((0.0, peak), theme.px(4), color.filled())])?;
    }

    if let Some(x) = chart.probe.filter(|x| x.abs() <= half_range) {
        draw_probe(&mut plot, chart, x, theme)?;
    }
    draw_legend(&plot, chart, theme)?;
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(PixelMap::new(
        x_pixels,
        y_pixels,
        -half_range..half_range,
        Y_RANGE,
        theme,
    ))
}

pub(super) fn sample(half_range: f64, samples: usize, f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..=samples)
        .map(|i| {
            let x = -half_range + 2.0 * half_range * i as f64 / samples as f64;
            (x, f(x))
        })
        .collect()
}

/// Dashed derivative; where it jumps at 0 the two sides are drawn apart and the jump marked:
/// a filled dot at the value taken at 0, an open one at the right-hand limit. Clipped to
/// `y_range` (the chart's y-axis).
pub(super) fn draw_derivative<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    activation: Activation,
    half_range: f64,
    samples: usize,
    y_range: &Range<f64>,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let color = theme.activation(activation);
    let style = theme.line(color, 2.0);
    let derivative = |x: f64| activation.derivative(x);
    let pieces: Vec<Vec<(f64, f64)>> = if activation.derivative_jumps_at_zero() {
        let left = sample(half_range, samples, derivative)
            .into_iter()
            .filter(|&(x, _)| x <= 0.0);
        let right = sample(half_range, samples, derivative)
            .into_iter()
            .filter(|&(x, _)| x > 0.0);
        let mut left: Vec<_> = left.collect();
        left.push((0.0, derivative(0.0)));
        let mut right: Vec<_> = right.collect();
        right.insert(0, (0.0, derivative(f64::MIN_POSITIVE)));
        vec![left, right]
    } else {
        vec![sample(half_range, samples, derivative)]
    };
    for piece in pieces {
        for part in clip_to_band(&piece, y_range) {
            plot.draw_series(DashedLineSeries::new(part, theme.px(7), theme.px(5), style))?;
        }
    }
    if activation.derivative_jumps_at_zero() {
        let radius = theme.px(4);
        plot.draw_series([
            Circle::new((0.0, derivative(0.0)), radius, color.filled()),
            Circle::new(
                (0.0, derivative(f64::MIN_POSITIVE)),
                radius,
                ShapeStyle::from(theme.background()).filled(),
            ),
            Circle::new(
                (0.0, derivative(f64::MIN_POSITIVE)),
                radius,
                theme.line(color, 1.5),
            ),
        ])?;
    }
    Ok(())
}

/// Small hollow squares at the central-difference derivative, spaced ~30 CSS pixels apart.
fn draw_numerical<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    activation: Activation,
    half_range: f64,
    plot_width: u32,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let count = ((plot_width as f64 / (30.0 * theme.pixel_ratio)) as usize).max(8);
    let style = theme.line(theme.activation(activation), 1.0);
    let half = theme.px(3);
    // Offset by half a spacing so no marker sits exactly on a kink at x = 0.
    let markers = (0..count)
        .map(|i| -half_range + 2.0 * half_range * (i as f64 + 0.5) / count as f64)
        .map(|x| (x, numerical_derivative(activation, x)))
        .filter(|(_, y)| Y_RANGE.contains(y))
        .map(|point| {
            EmptyElement::at(point) + Rectangle::new([(-half, -half), (half, half)], style)
        });
    plot.draw_series(markers)?;
    Ok(())
}

/// Shades |x| > edge, where σ′ < SATURATION_LEVEL, and names the region when it is wide enough.
fn shade_saturation<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    half_range: f64,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let edge = sigmoid_saturation_edge(SATURATION_LEVEL);
    if edge >= half_range {
        return Ok(());
    }
    let tint = theme
        .activation(Activation::Sigmoid)
        .mix(if theme.dark { 0.16 } else { 0.09 });
    for (from, to) in [(-half_range, -edge), (edge, half_range)] {
        plot.draw_series([Rectangle::new(
            [(from, Y_RANGE.start), (to, Y_RANGE.end)],
            tint.filled(),
        )])?;
    }
    let (plot_width, _) = plot.plotting_area().dim_in_pixel();
    let band_pixels = plot_width as f64 * (half_range - edge) / (2.0 * half_range);
    if band_pixels > 70.0 * theme.pixel_ratio {
        let style = theme
            .muted_text(11.0)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        for x in [-(edge + half_range) / 2.0, (edge + half_range) / 2.0] {
            plot.draw_series([EmptyElement::at((x, Y_RANGE.start))
                + Text::new(
                    format!("σ′ < {}", crate::format::format_plain(SATURATION_LEVEL)),
                    (0, -theme.px(4)),
                    style.clone(),
                )])?;
        }
    }
    Ok(())
}

fn draw_probe<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    chart: &ActivationChart,
    x: f64,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    plot.draw_series(LineSeries::new(
        [(x, Y_RANGE.start), (x, Y_RANGE.end)],
        theme.line(theme.muted(), 1.0),
    ))?;
    let radius = theme.px(3.5);
    for &activation in &chart.functions {
        let color = theme.activation(activation);
        let mut points = vec![activation.value(x)];
        if chart.derivatives {
            points.push(activation.derivative(x));
        }
        let dots = points
            .into_iter()
            .filter(|y| Y_RANGE.contains(y))
            .map(|y| Circle::new((x, y), radius, color.filled()));
        plot.draw_series(dots)?;
    }
    Ok(())
}

/// The legend, top left where every curve is low: a solid and (if shown) a dashed sample
/// beside each function's name.
fn draw_legend<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    chart: &ActivationChart,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let area = plot.plotting_area().strip_coord_spec();
    let line_height = theme.px(18);
    let left = theme.px(8);
    let sample_width = theme.px(18);
    let gap = theme.px(6);
    let mut rows: Vec<(&str, Option<RGBColor>)> = chart
        .functions
        .iter()
        .map(|&a| (a.label(), Some(theme.activation(a))))
        .collect();
    if chart.derivatives {
        rows.push(("solid f, dashed f′", None));
    }
    let samples = if chart.derivatives { 2 } else { 1 };
    let text_left = left + samples * (sample_width + gap);
    let text_style = theme.text(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    for (row, (label, color)) in rows.iter().enumerate() {
        let y = theme.px(12) + row as i32 * line_height;
        match color {
            Some(color) => {
                let style = theme.line(*color, 2.0);
                area.draw(&PathElement::new(
                    [(left, y), (left + sample_width, y)],
                    style,
                ))?;
                if chart.derivatives {
                    let start = left + sample_width + gap;
                    let dash = sample_width * 2 / 5;
                    for offset in [0, sample_width - dash] {
                        area.draw(&PathElement::new(
                            [(start + offset, y), (start + offset + dash, y)],
                            style,
                        ))?;
                    }
                }
                area.draw(&Text::new(*label, (text_left, y), text_style.clone()))?;
            }
            None => {
                let muted = theme
                    .muted_text(11.0)
                    .pos(Pos::new(HPos::Left, VPos::Center));
                area.draw(&Text::new(*label, (left, y), muted))?;
            }
        }
    }
    Ok(())
}
