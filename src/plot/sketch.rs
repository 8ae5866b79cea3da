//! The 1(a) sketch pad: σ and ReLU solid, the student's sketches of their derivatives as thick
//! lines in the same colours with handles at the control points, and (once revealed) the true
//! derivatives dashed, as on the activations chart.

use super::activations::{draw_derivative, sample};
use super::{clip_to_band, tick_count, PixelMap, Plot, PlotError, PlotResult, Theme};
use crate::practice::sketch::{Sketch, Target, X_HALF_RANGE, Y_RANGE};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the pad shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SketchChart<'a> {
    /// The student's sketches, drawn in this order (the active one last, on top).
    pub sketches: &'a [Sketch],
    /// The sketch the pointer draws on: its handles are larger.
    pub active: Option<Target>,
    /// A control point with the keyboard focus: ringed.
    pub focused: Option<(Target, usize)>,
    /// Draw the true derivatives, dashed.
    pub reveal: bool,
}

/// Draws the pad on `root`; returns where the plotting area landed, to turn pointer positions
/// into (x, y).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &SketchChart<'_>,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let (width, height) = root.dim_in_pixel();
    let x_range = -X_HALF_RANGE..X_HALF_RANGE;
    let mut plot =
        super::frame(root, theme, 24.0, 36.0).build_cartesian_2d(x_range.clone(), Y_RANGE)?;
    super::themed_mesh(&mut plot, theme)
        .x_labels(tick_count(width, theme, 60.0))
        .y_labels(tick_count(height, theme, 36.0))
        .x_label_formatter(&|v| crate::format::format_tick(*v))
        .y_label_formatter(&|v| crate::format::format_tick(*v))
        .draw()?;
    super::origin_axes(&mut plot, x_range.clone(), Y_RANGE, theme)?;

    let (plot_width, _) = plot.plotting_area().dim_in_pixel();
    let samples = (plot_width as usize / 3).max(120);
    for target in Target::ALL {
        let activation = target.activation();
        let values = sample(X_HALF_RANGE, samples, |x| activation.value(x));
        for piece in clip_to_band(&values, &Y_RANGE) {
            plot.draw_series(LineSeries::new(
                piece,
                theme.line(theme.activation(activation), 2.0),
            ))?;
        }
        if chart.reveal {
            draw_derivative(
                &mut plot,
                activation,
                X_HALF_RANGE,
                samples,
                &Y_RANGE,
                theme,
            )?;
        }
    }
    let mut order: Vec<&Sketch> = chart.sketches.iter().collect();
    order.sort_by_key(|s| Some(s.target()) == chart.active);
    for sketch in order {
        draw_sketch(&mut plot, sketch, chart, theme)?;
    }
    draw_legend(&plot, chart, theme)?;
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(PixelMap::new(x_pixels, y_pixels, x_range, Y_RANGE, theme))
}

/// A sketch: a thick line, lighter under a thinner one so it reads as drawn by hand, and its
/// control points as handles.
fn draw_sketch<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    sketch: &Sketch,
    chart: &SketchChart<'_>,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let target = sketch.target();
    let color = theme.activation(target.activation());
    let active = chart.active == Some(target);
    let points = sketch.points();
    plot.draw_series(LineSeries::new(
        points.iter().copied(),
        ShapeStyle::from(color.mix(0.35)).stroke_width(theme.stroke(7.0)),
    ))?;
    plot.draw_series(LineSeries::new(points, theme.line(color, 3.0)))?;
    let radius = theme.px(if active { 6.0 } else { 4.5 });
    for (index, point) in sketch.controls().into_iter().enumerate() {
        let ring = theme.line(theme.background(), 2.0);
        plot.draw_series([
            Circle::new(point, radius, color.filled()),
            Circle::new(point, radius, ring),
        ])?;
        if chart.focused == Some((target, index)) {
            plot.draw_series([Circle::new(
                point,
                radius + theme.px(4),
                theme.line(theme.foreground(), 2.0),
            )])?;
        }
    }
    Ok(())
}

/// Top left, where every curve is low: what is solid and what is the student's (the page's
/// text says what is dashed, once the derivatives are revealed).
fn draw_legend<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    chart: &SketchChart<'_>,
    theme: &Theme,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    let area = plot.plotting_area().strip_coord_spec();
    let line_height = theme.px(18);
    let left = theme.px(8);
    let sample_width = theme.px(18);
    let text_left = left + sample_width + theme.px(6);
    let text_style = theme.text(12.0).pos(Pos::new(HPos::Left, VPos::Center));
    // A veil behind the legend keeps it readable where a curve passes under it; its width is
    // estimated from the longest label (about 0.6 em a character).
    let rows = Target::ALL.len() + chart.sketches.len();
    let width = text_left + theme.px(6.6 * 10.0) - left; // "your ReLU′"
    let bottom = theme.px(12) + rows as i32 * line_height - line_height / 2 + theme.px(2);
    area.draw(&Rectangle::new(
        [(left - theme.px(4), theme.px(2)), (left + width, bottom)],
        theme.background().mix(0.85).filled(),
    ))?;
    let mut row = 0;
    let mut next_y = || {
        let y = theme.px(12) + row * line_height;
        row += 1;
        y
    };
    for target in Target::ALL {
        let color = theme.activation(target.activation());
        let y = next_y();
        area.draw(&PathElement::new(
            [(left, y), (left + sample_width, y)],
            theme.line(color, 2.0),
        ))?;
        area.draw(&Text::new(
            target.function_label(),
            (text_left, y),
            text_style.clone(),
        ))?;
    }
    for sketch in chart.sketches {
        let target = sketch.target();
        let color = theme.activation(target.activation());
        let y = next_y();
        area.draw(&PathElement::new(
            [(left, y), (left + sample_width, y)],
            theme.line(color, 3.0),
        ))?;
        area.draw(&Circle::new(
            (left + sample_width / 2, y),
            theme.px(4.0),
            color.filled(),
        ))?;
        area.draw(&Text::new(
            format!("your {}", target.label()),
            (text_left, y),
            text_style.clone(),
        ))?;
    }
    Ok(())
}
