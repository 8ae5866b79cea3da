//! The fit chart of the training lab: the data, the network's f(x), and each hidden unit's
//! contribution b_j·σ(a_jᵀx) as a faint curve, so the sum can be seen building the function.

use super::{clip_to_band, tick_count, PixelMap, PlotError, Theme};
use crate::data::Points;
use crate::network::Network;
use crate::trainer::Features;
use plotters::chart::ChartContext;
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use crate::data::{X_VIEW, Y_VIEW};

/// What the chart shows.
pub struct FitChart<'a> {
    pub network: &'a Network,
    pub train: &'a Points,
    pub test: &'a Points,
    /// Whether the network's input is `[x, 1]` (else `[x]`).
    pub constant: bool,
    /// Draw the hidden units' contributions.
    pub units: bool,
    /// A training point to ring (the backprop explorer's chosen example).
    pub highlight: Option<usize>,
    /// Fit by hand: each unit's three handles (position, steepness, height) in data
    /// coordinates, and the unit being shaped.
    pub handles: &'a [[[f64; 2]; 3]],
    pub selected: Option<usize>,
}

/// What was drawn: where the plotting area is, and how many unit curves are visible.
pub struct Drawn {
    pub pixels: PixelMap,
    pub unit_curves: usize,
}

/// The whole chart: [`draw_still`] and then [`draw_moving`] on top.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &FitChart,
    theme: &Theme,
) -> Result<Drawn, PlotError>
where
    DB::ErrorType: 'static,
{
    draw_still(root, chart.train, chart.test, theme)?;
    draw_moving(root, chart, theme)
}

/// The part that does not move while the network trains: the background, the grid and axes,
/// and the data. The page draws it once into a canvas of its own and copies it under each
/// frame's [`draw_moving`] (drawing 750 points every frame cost more than the rest of the
/// chart).
pub fn draw_still<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    train: &Points,
    test: &Points,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let (width, height) = root.dim_in_pixel();
    let mut plot = chart_frame(root, theme)?;
    super::themed_mesh(&mut plot, theme)
        .x_labels(tick_count(width, theme, 60.0))
        .y_labels(tick_count(height, theme, 40.0))
        .x_label_formatter(&|v| crate::format::format_tick(*v))
        .y_label_formatter(&|v| crate::format::format_tick(*v))
        .x_desc("x")
        .y_desc("y")
        .draw()?;
    let point_color = theme.muted();
    let radius = theme.px(3);
    let shown = |points: &Points| {
        let pairs = points.xs.iter().copied().zip(points.ys.iter().copied());
        pairs
            .filter(|(_, y)| Y_VIEW.contains(y))
            .collect::<Vec<_>>()
    };
    let (hollow, filled) = (theme.line(point_color, 1.0), point_color.mix(0.85).filled());
    plot.draw_series(
        shown(test)
            .into_iter()
            .map(|p| Circle::new(p, radius, hollow)),
    )?;
    plot.draw_series(
        shown(train)
            .into_iter()
            .map(|p| Circle::new(p, radius, filled)),
    )?;
    root.present()?;
    Ok(())
}

/// The chart's coordinates on `root`, the same for both parts (building them draws nothing).
fn chart_frame<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
) -> Result<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, PlotError>
where
    DB::ErrorType: 'static,
{
    Ok(super::frame(root, theme, 36.0, 40.0).build_cartesian_2d(X_VIEW, Y_VIEW)?)
}

/// What moves as the network trains, drawn over [`draw_still`]: each unit's share, f(x), the
/// fit-by-hand handles and the explorer's chosen example.
pub fn draw_moving<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &FitChart,
    theme: &Theme,
) -> Result<Drawn, PlotError>
where
    DB::ErrorType: 'static,
{
    let mut plot = chart_frame(root, theme)?;
    let network = chart.network;
    let input = |x: f64| Features::new(x, chart.constant);
    let (plot_width, _) = plot.plotting_area().dim_in_pixel();
    let samples = (plot_width as usize / 4).max(60);
    let xs: Vec<f64> = (0..=samples)
        .map(|i| X_VIEW.start + (X_VIEW.end - X_VIEW.start) * i as f64 / samples as f64)
        .collect();

    let mut unit_curves = 0;
    if chart.units {
        let unit_style = ShapeStyle::from(theme.activation(network.activation()).mix(0.55))
            .stroke_width(theme.stroke(1.25));
        for j in 0..network.hidden() {
            let curve: Vec<(f64, f64)> = xs
                .iter()
                .map(|&x| (x, network.unit_contribution(j, input(x).as_slice())))
                .collect();
            let pieces = clip_to_band(&curve, &Y_VIEW);
            unit_curves += usize::from(!pieces.is_empty());
            for piece in pieces {
                plot.draw_series(LineSeries::new(piece, unit_style))?;
            }
        }
    }

    let prediction: Vec<(f64, f64)> = xs
        .iter()
        .map(|&x| (x, network.predict_unchecked(input(x).as_slice())))
        .collect();
    for piece in clip_to_band(&prediction, &Y_VIEW) {
        plot.draw_series(LineSeries::new(piece, theme.line(theme.foreground(), 2.5)))?;
    }

    // Handles: the position filled, the steepness hollow, the height a square; the selected
    // unit's larger and outlined.
    let color = theme.activation(network.activation());
    for (unit, points) in chart.handles.iter().enumerate() {
        let chosen = chart.selected == Some(unit);
        let size = theme.px(if chosen { 6.0 } else { 4.0 });
        let inside = |p: &[f64; 2]| X_VIEW.contains(&p[0]) && Y_VIEW.contains(&p[1]);
        let [position, steepness, height] = points.map(|p| (p[0], p[1]));
        if inside(&points[0]) {
            plot.draw_series([Circle::new(position, size, color.filled())])?;
        }
        if inside(&points[1]) {
            plot.draw_series([Circle::new(steepness, size, theme.line(color, 2.0))])?;
        }
        if inside(&points[2]) {
            let half = |p: (f64, f64)| {
                let area = plot.plotting_area();
                let c = area.map_coordinate(&p);
                [(c.0 - size, c.1 - size), (c.0 + size, c.1 + size)]
            };
            root.draw(&Rectangle::new(half(height), color.filled()))?;
        }
        if chosen {
            for p in points.iter().filter(|p| inside(p)) {
                plot.draw_series([Circle::new(
                    (p[0], p[1]),
                    size + theme.px(3),
                    theme.line(theme.foreground(), 1.5),
                )])?;
            }
        }
    }

    if let Some(i) = chart.highlight {
        if let (Some(&x), Some(&y)) = (chart.train.xs.get(i), chart.train.ys.get(i)) {
            plot.draw_series([Circle::new(
                (x, y.clamp(Y_VIEW.start, Y_VIEW.end)),
                theme.px(7),
                theme.line(theme.gradient(), 2.0),
            )])?;
        }
    }
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(Drawn {
        pixels: PixelMap::new(x_pixels, y_pixels, X_VIEW, Y_VIEW, theme),
        unit_curves,
    })
}
