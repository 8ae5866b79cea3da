//! The loss surface over two weights: the mean loss as a shaded map (dark where it is low) with
//! contour lines, the current weights, the backprop gradient step as an arrow, and a descent
//! path, with a colour bar for the loss.

use super::lines::format_power;
use super::{tick_count, PixelMap, Plot, PlotError, Theme};
use crate::format::format_tick;
use crate::landscape::{Arrow, Path, Surface};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// How many contour levels are drawn, evenly spaced in log(loss).
const CONTOURS: usize = 9;
/// How many shades the map and the colour bar use, from the highest loss to the lowest: the
/// steps are too small to see, and cells of one shade are filled together.
const SHADES: usize = 64;
/// The shortest arrow drawn, in CSS pixels: a shorter step is drawn this long, dashed.
const MIN_ARROW_PX: f64 = 30.0;

/// What the chart shows.
pub struct LandscapeChart<'a> {
    pub surface: &'a Surface,
    pub arrow: Option<&'a Arrow>,
    pub path: Option<&'a Path>,
    /// Where a path would start (the keyboard's cursor), if one is being placed.
    pub cursor: Option<[f64; 2]>,
    /// The axes' names as on paper ("b₁", "A₁₁").
    pub x_name: &'a str,
    pub y_name: &'a str,
}

/// A colour between `high` (t = 0) and `low` (t = 1).
fn blend(high: RGBColor, low: RGBColor, t: f64) -> RGBColor {
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t.clamp(0.0, 1.0)).round() as u8;
    RGBColor(mix(high.0, low.0), mix(high.1, low.1), mix(high.2, low.2))
}

/// The shade of a loss: log-scaled between the surface's lowest and highest values.
struct Shading {
    low: f64,
    high: f64,
    light: RGBColor,
    deep: RGBColor,
}

impl Shading {
    fn new(surface: &Surface, theme: &Theme) -> Self {
        let low = surface.lowest.max(1e-300).ln();
        let high = surface
            .highest
            .max(surface.lowest * 1.0001)
            .max(1e-300)
            .ln();
        let deep = theme.activation(crate::activation::Activation::Sigmoid);
        Shading {
            low,
            high,
            light: theme.background(),
            // On a dark background the low losses glow in the full colour.
            deep,
        }
    }

    /// 0 at the lowest loss, 1 at the highest.
    fn level(&self, loss: f64) -> f64 {
        if !(loss.is_finite() && loss > 0.0) || self.high <= self.low {
            return 1.0;
        }
        ((loss.ln() - self.low) / (self.high - self.low)).clamp(0.0, 1.0)
    }

    /// The shade of a loss, 0 (highest) to [`SHADES`] (lowest).
    fn shade(&self, loss: f64) -> usize {
        ((1.0 - self.level(loss)) * SHADES as f64).round() as usize
    }

    fn color(&self, shade: usize) -> RGBColor {
        blend(self.light, self.deep, 0.92 * shade as f64 / SHADES as f64)
    }

    fn loss_at(&self, level: f64) -> f64 {
        (self.low + level * (self.high - self.low)).exp()
    }
}

/// The segments where the bilinear surface crosses `level` (marching squares on one cell of
/// corner values a (low x, low y), b (high x, low y), c (high x, high y), d (low x, high y)),
/// written to `points` in pairs: called for every cell and level, it reuses one buffer.
fn crossings(corners: [f64; 4], level: f64, points: &mut Vec<(f64, f64)>) {
    let [a, b, c, d] = corners;
    let edge = |v0: f64, v1: f64| -> Option<f64> {
        ((v0 - level) * (v1 - level) < 0.0).then(|| (level - v0) / (v1 - v0))
    };
    points.clear();
    if let Some(t) = edge(a, b) {
        points.push((t, 0.0));
    }
    if let Some(t) = edge(b, c) {
        points.push((1.0, t));
    }
    if let Some(t) = edge(d, c) {
        points.push((t, 1.0));
    }
    if let Some(t) = edge(a, d) {
        points.push((0.0, t));
    }
}

/// Draws the chart; returns where the plotting area is, to turn a click into two weights.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LandscapeChart,
    theme: &Theme,
) -> Result<PixelMap, PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let surface = chart.surface;
    let (x, y) = (surface.view.x, surface.view.y);
    let (width, height) = root.dim_in_pixel();
    let (main, bar) = root.split_horizontally(width as i32 - theme.px(64));
    let mut plot =
        super::frame(&main, theme, 40.0, 48.0).build_cartesian_2d(x.low..x.high, y.low..y.high)?;
    super::themed_mesh(&mut plot, theme)
        .disable_mesh()
        .x_labels(tick_count(width, theme, 70.0))
        .y_labels(tick_count(height, theme, 40.0))
        .x_label_formatter(&|v| format_tick(*v))
        .y_label_formatter(&|v| format_tick(*v))
        .x_desc(chart.x_name)
        .y_desc(chart.y_name)
        .draw()?;

    let shading = Shading::new(surface, theme);
    draw_shades(&mut plot, surface, &shading)?;
    draw_contours(&mut plot, surface, &shading, theme)?;
    let inside = |p: [f64; 2]| x.contains(p[0]) && y.contains(p[1]);
    if let Some(path) = chart.path {
        draw_path(&mut plot, surface, path, theme)?;
    }
    if let Some(cursor) = chart.cursor.filter(|p| inside(*p)) {
        draw_cursor(&mut plot, surface, cursor, theme)?;
    }
    if let Some(arrow) = chart.arrow.filter(|a| inside(a.at)) {
        draw_arrow(root, &mut plot, arrow, theme)?;
    }

    draw_color_bar(&bar, &shading, theme, height)?;
    root.present()?;
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Ok(PixelMap::new(
        x_pixels,
        y_pixels,
        x.low..x.high,
        y.low..y.high,
        theme,
    ))
}

/// The distance between neighbouring grid values along x and along y.
fn grid_steps(surface: &Surface) -> (f64, f64) {
    let (x, y, n) = (surface.view.x, surface.view.y, surface.resolution);
    (
        (x.high - x.low) / (n - 1) as f64,
        (y.high - y.low) / (n - 1) as f64,
    )
}

/// The shaded map: each grid value shades the cell around it.
fn draw_shades<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    surface: &Surface,
    shading: &Shading,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (x, y, n) = (surface.view.x, surface.view.y, surface.resolution);
    let (dx, dy) = grid_steps(surface);
    // Runs of cells of one shade along a row, in order of shade, so the canvas fills each
    // shade in one go.
    let mut cells: Vec<(usize, usize)> = (0..n * n)
        .map(|i| (shading.shade(surface.values[i]), i))
        .collect();
    cells.sort_unstable();
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // shade, first cell, last cell
    for (shade, i) in cells {
        match runs.last_mut() {
            Some((s, _, last)) if *s == shade && *last + 1 == i && i % n != 0 => *last = i,
            _ => runs.push((shade, i, i)),
        }
    }
    // The cells' edges, each computed once, so that neighbouring rectangles share them to
    // the bit and meet without a gap of a pixel.
    let edges = |axis: &crate::landscape::Axis, step: f64| -> Vec<f64> {
        (0..=n)
            .map(|k| match k {
                0 => axis.low,
                k if k == n => axis.high,
                k => axis.value(k, n) - step / 2.0,
            })
            .collect()
    };
    let (x_edges, y_edges) = (edges(&x, dx), edges(&y, dy));
    plot.draw_series(runs.into_iter().map(|(shade, first, last)| {
        let r = first / n;
        Rectangle::new(
            [
                (x_edges[first % n], y_edges[r]),
                (x_edges[last % n + 1], y_edges[r + 1]),
            ],
            shading.color(shade).filled(),
        )
    }))?;
    Ok(())
}

/// Contour lines at evenly spaced log levels, as segments drawn in one series.
fn draw_contours<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    surface: &Surface,
    shading: &Shading,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (x, y, n) = (surface.view.x, surface.view.y, surface.resolution);
    let (dx, dy) = grid_steps(surface);
    let value = |c: usize, r: usize| surface.values[r * n + c];
    let contour = ShapeStyle::from(theme.foreground().mix(0.35)).stroke_width(theme.stroke(0.8));
    let (mut segments, mut points) = (Vec::new(), Vec::with_capacity(4));
    for k in 1..CONTOURS {
        let level = shading.loss_at(k as f64 / CONTOURS as f64);
        for r in 0..n - 1 {
            for c in 0..n - 1 {
                let corners = [
                    value(c, r),
                    value(c + 1, r),
                    value(c + 1, r + 1),
                    value(c, r + 1),
                ];
                if corners.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                crossings(corners, level, &mut points);
                let at = |(u, v): (f64, f64)| (x.value(c, n) + u * dx, y.value(r, n) + v * dy);
                segments.extend(points.chunks_exact(2).map(|p| [at(p[0]), at(p[1])]));
            }
        }
    }
    plot.draw_series(segments.into_iter().map(|s| PathElement::new(s, contour)))?;
    Ok(())
}

/// A descent path: its line up to the first non-finite point (clamped to the view), its
/// points while there are few enough to tell apart, and a ring at the start.
fn draw_path<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    surface: &Surface,
    path: &Path,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (x, y) = (surface.view.x, surface.view.y);
    let points: Vec<(f64, f64)> = path
        .points
        .iter()
        .take_while(|p| p.iter().all(|v| v.is_finite()))
        .map(|p| (p[0].clamp(x.low, x.high), p[1].clamp(y.low, y.high)))
        .collect();
    let style = theme.line(theme.foreground(), 1.5);
    plot.draw_series(LineSeries::new(points.iter().copied(), style))?;
    if points.len() <= 60 {
        plot.draw_series(
            points
                .iter()
                .map(|&p| Circle::new(p, theme.px(2), theme.foreground().filled())),
        )?;
    }
    if let Some(&start) = points.first() {
        plot.draw_series([Circle::new(
            start,
            theme.px(5),
            theme.line(theme.foreground(), 2.0),
        )])?;
    }
    Ok(())
}

/// The keyboard's cursor: a small cross where a path would start.
fn draw_cursor<DB: DrawingBackend>(
    plot: &mut Plot<DB>,
    surface: &Surface,
    cursor: [f64; 2],
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (x, y) = (surface.view.x, surface.view.y);
    let (cx, cy) = (cursor[0], cursor[1]);
    let (hx, hy) = ((x.high - x.low) / 40.0, (y.high - y.low) / 40.0);
    let style = theme.line(theme.foreground(), 1.5);
    plot.draw_series([PathElement::new([(cx - hx, cy), (cx + hx, cy)], style)])?;
    plot.draw_series([PathElement::new([(cx, cy - hy), (cx, cy + hy)], style)])?;
    Ok(())
}

/// The gradient step from the current weights, as an arrow drawn in pixels (so its head keeps
/// its shape whatever the axes' scales), and the current weights as a dot.
fn draw_arrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    plot: &mut Plot<DB>,
    arrow: &Arrow,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let from = (arrow.at[0], arrow.at[1]);
    let to = (arrow.at[0] + arrow.step[0], arrow.at[1] + arrow.step[1]);
    let area = plot.plotting_area();
    let (a, b) = (area.map_coordinate(&from), area.map_coordinate(&to));
    let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
    let length = dx.hypot(dy);
    if length > 0.0 && length.is_finite() {
        // A step too short to see at this zoom is drawn at a readable length, dashed: then
        // it shows the direction only.
        let shortest = theme.px(MIN_ARROW_PX) as f64;
        let (ux, uy) = (dx / length, dy / length);
        let (x_pixels, y_pixels) = area.get_pixel_range();
        let end = (
            (a.0 as f64 + ux * length.max(shortest))
                .clamp(x_pixels.start as f64, x_pixels.end as f64),
            (a.1 as f64 + uy * length.max(shortest))
                .clamp(y_pixels.start as f64, y_pixels.end as f64),
        );
        let tip = (end.0.round() as i32, end.1.round() as i32);
        let gradient = theme.gradient();
        let style = theme.line(gradient, 2.5);
        if length >= shortest {
            root.draw(&PathElement::new([a, tip], style))?;
        } else {
            root.draw(&DashedPathElement::new(
                [a, tip],
                theme.px(4),
                theme.px(3),
                style,
            ))?;
        }
        let size = theme.px(9) as f64;
        let back = (end.0 - ux * size, end.1 - uy * size);
        let corner = |side: f64| {
            (
                (back.0 - side * uy * size * 0.5) as i32,
                (back.1 + side * ux * size * 0.5) as i32,
            )
        };
        root.draw(&Polygon::new(
            [tip, corner(1.0), corner(-1.0)],
            gradient.filled(),
        ))?;
    }
    plot.draw_series([Circle::new(from, theme.px(5), theme.foreground().filled())])?;
    plot.draw_series([Circle::new(
        from,
        theme.px(5),
        theme.line(theme.background(), 1.5),
    )])?;
    Ok(())
}

/// The loss scale: a strip shaded from the lowest loss (bottom) to the highest (top).
fn draw_color_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    shading: &Shading,
    theme: &Theme,
    height: u32,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let top = theme.px(12);
    let bottom = height as i32 - theme.px(40);
    let (left, right) = (theme.px(6), theme.px(20));
    for shade in 0..SHADES {
        let (t0, t1) = (
            shade as f64 / SHADES as f64,
            (shade + 1) as f64 / SHADES as f64,
        );
        let y0 = bottom - ((bottom - top) as f64 * t0) as i32;
        let y1 = bottom - ((bottom - top) as f64 * t1) as i32;
        area.draw(&Rectangle::new(
            [(left, y1), (right, y0)],
            shading.color(SHADES - shade).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        theme.line(theme.axis(), 1.0),
    ))?;
    let style = theme
        .muted_text(10.5)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for t in [1.0, 0.0] {
        let loss = shading.loss_at(t);
        let y = bottom - ((bottom - top) as f64 * t) as i32;
        area.draw(&Text::new(
            format_power_or_value(loss),
            (right + theme.px(4), y),
            style.clone(),
        ))?;
    }
    area.draw(&Text::new(
        "loss".to_string(),
        (left, bottom + theme.px(16)),
        theme
            .muted_text(11.0)
            .pos(Pos::new(HPos::Left, VPos::Center)),
    ))?;
    Ok(())
}

/// A loss for the colour bar, short: 0.012, 3.4, 10⁻⁵.
fn format_power_or_value(loss: f64) -> String {
    if !loss.is_finite() {
        return String::new();
    }
    if (1e-3..1e4).contains(&loss) {
        crate::format::format_significant(loss, 2)
    } else {
        format_power(10f64.powi(loss.log10().round() as i32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marching_squares_finds_where_a_level_crosses_a_cell() {
        // A plane rising in x crosses 0.5 half-way along the bottom and top edges.
        let mut points = vec![(9.0, 9.0)];
        crossings([0.0, 1.0, 1.0, 0.0], 0.5, &mut points);
        assert_eq!(points, vec![(0.5, 0.0), (0.5, 1.0)]);
        crossings([0.0, 0.1, 0.2, 0.1], 0.5, &mut points);
        assert!(points.is_empty());
        // A saddle crosses all four edges: two segments.
        crossings([0.0, 1.0, 0.0, 1.0], 0.5, &mut points);
        assert_eq!(points.len(), 4);
    }
}
