//! Charts, one module each, generic over plotters' `DrawingBackend` so the page draws them on
//! a canvas and the native tests draw them to SVG.

pub mod activations;
pub mod fit;
pub mod graph;
pub mod landscape;
pub mod layers;
pub mod legend;
pub mod lines;
pub mod saturation;
pub mod sketch;
pub mod theme;
pub mod training;

pub use theme::Theme;

use plotters::chart::{ChartBuilder, ChartContext, MeshStyle};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend, LineSeries};
use std::ops::Range;

/// The frame every chart shares: margins, and room for the tick labels below (`x_labels`) and
/// to the left (`y_labels`), in CSS pixels.
pub fn frame<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    x_labels: f64,
    y_labels: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(theme.px(10))
        .margin_left(theme.px(4))
        // Room for half of the last x tick's label ("3000", "1.5M"), centred on the edge.
        .margin_right(theme.px(18))
        .x_label_area_size(theme.px(x_labels))
        .y_label_area_size(theme.px(y_labels));
    builder
}

/// The highest a logarithmic axis may reach: plotters finds no end to the ticks of one that
/// reaches about 10²⁸⁰ (larger values are drawn at the top).
pub const LOG_AXIS_TOP: f64 = 1e250;

/// The grid and axes in the theme's colours, with no minor lines; each chart adds its ticks,
/// formatters and axis names, then draws.
pub fn themed_mesh<'a, 'b, X, Y, XT, YT, DB>(
    plot: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    theme: &Theme,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    let mut mesh = plot.configure_mesh();
    mesh.max_light_lines(0)
        .bold_line_style(theme.line(theme.grid(), 1.0))
        .axis_style(theme.line(theme.axis(), 1.0))
        .set_all_tick_mark_size(theme.px(4))
        .label_style(theme.muted_text(11.0))
        .axis_desc_style(theme.muted_text(12.0));
    mesh
}

/// What a chart returns: drawing errors become text (the web layer turns it into a JS Error).
pub type PlotResult = Result<(), PlotError>;

/// A chart with numbers on both axes, as most panels draw.
pub(crate) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A drawing failure, described in words.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl std::fmt::Display for PlotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not draw the chart: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for PlotError
{
    fn from(error: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        PlotError(error.to_string())
    }
}

/// The axes through the origin, across the view `x` × `y`, in the theme's axis colour.
pub fn origin_axes<DB: DrawingBackend>(
    plot: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: Range<f64>,
    y: Range<f64>,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let axis = theme.line(theme.axis(), 1.0);
    plot.draw_series(LineSeries::new([(x.start, 0.0), (x.end, 0.0)], axis))?;
    plot.draw_series(LineSeries::new([(0.0, y.start), (0.0, y.end)], axis))?;
    Ok(())
}

/// In place of a chart that cannot be drawn: the background and `text`, wrapped to the
/// canvas's width and centred, in the muted text colour.
pub fn draw_notice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
) -> PlotResult
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let (width, height) = root.dim_in_pixel();
    let style = theme.muted_text(14.0);
    // About 0.5 em per character for the system sans-serif at 14 px.
    let per_line = ((width as f64 / theme.pixel_ratio - 32.0) / 7.0).max(12.0) as usize;
    let lines = wrap(text, per_line);
    let line_height = theme.px(20);
    let top = height as i32 / 2 - line_height * lines.len() as i32 / 2;
    let centred = style.pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    for (i, line) in lines.iter().enumerate() {
        root.draw_text(
            line,
            &centred,
            (width as i32 / 2, top + line_height * i as i32),
        )?;
    }
    Ok(())
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Where a chart's plotting area landed on the canvas, to turn a pointer position (in CSS
/// pixels) back into data coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct PixelMap {
    x_pixels: Range<f64>,
    y_pixels: Range<f64>,
    x_data: Range<f64>,
    y_data: Range<f64>,
    log_y: bool,
}

impl Default for PixelMap {
    fn default() -> Self {
        PixelMap {
            x_pixels: 0.0..1.0,
            y_pixels: 0.0..1.0,
            x_data: 0.0..1.0,
            y_data: 0.0..1.0,
            log_y: false,
        }
    }
}

impl PixelMap {
    /// From the plotting area's device-pixel ranges and the data ranges drawn there.
    pub fn new(
        x_pixels: Range<i32>,
        y_pixels: Range<i32>,
        x_data: Range<f64>,
        y_data: Range<f64>,
        theme: &Theme,
    ) -> Self {
        let css =
            |r: Range<i32>| r.start as f64 / theme.pixel_ratio..r.end as f64 / theme.pixel_ratio;
        PixelMap {
            x_pixels: css(x_pixels),
            y_pixels: css(y_pixels),
            x_data,
            y_data,
            log_y: false,
        }
    }

    /// The y-axis is logarithmic.
    pub fn with_log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// The x-value under a horizontal CSS-pixel offset, clamped to the axis.
    pub fn x_at(&self, css_x: f64) -> f64 {
        let span = self.x_pixels.end - self.x_pixels.start;
        let fraction = if span > 0.0 && css_x.is_finite() {
            ((css_x - self.x_pixels.start) / span).clamp(0.0, 1.0)
        } else {
            0.5
        };
        self.x_data.start + fraction * (self.x_data.end - self.x_data.start)
    }

    /// The y-value under a vertical CSS-pixel offset, clamped to the axis.
    pub fn y_at(&self, css_y: f64) -> f64 {
        let span = self.y_pixels.end - self.y_pixels.start;
        let fraction = if span > 0.0 && css_y.is_finite() {
            ((self.y_pixels.end - css_y) / span).clamp(0.0, 1.0)
        } else {
            0.5
        };
        if self.log_y {
            let (low, high) = (self.y_data.start.ln(), self.y_data.end.ln());
            (low + fraction * (high - low)).exp()
        } else {
            self.y_data.start + fraction * (self.y_data.end - self.y_data.start)
        }
    }

    /// The plotting area in CSS pixels: its left and right edges and its top and bottom.
    pub fn css_area(&self) -> (Range<f64>, Range<f64>) {
        (self.x_pixels.clone(), self.y_pixels.clone())
    }

    /// Whether a CSS-pixel position lies on the plotting area.
    pub fn contains(&self, css_x: f64, css_y: f64) -> bool {
        self.x_pixels.contains(&css_x) && self.y_pixels.contains(&css_y)
    }

    /// Data units of y per data unit of x that look equally long on screen.
    pub fn y_per_x(&self) -> f64 {
        let x_scale =
            (self.x_data.end - self.x_data.start) / (self.x_pixels.end - self.x_pixels.start);
        let y_scale =
            (self.y_data.end - self.y_data.start) / (self.y_pixels.end - self.y_pixels.start);
        y_scale / x_scale
    }

    /// How many x data units one CSS pixel spans.
    pub fn x_per_pixel(&self) -> f64 {
        (self.x_data.end - self.x_data.start) / (self.x_pixels.end - self.x_pixels.start).max(1.0)
    }
}

/// Splits a polyline into the pieces that lie inside `y_range`, adding the points where it
/// crosses the edges, so a curve that leaves the plot stops at its border (plotters itself
/// does not clip). Non-finite points break the line.
pub fn clip_to_band(points: &[(f64, f64)], y_range: &Range<f64>) -> Vec<Vec<(f64, f64)>> {
    let (low, high) = (y_range.start, y_range.end);
    let inside = |y: f64| y >= low && y <= high;
    let mut pieces: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if !(y0.is_finite() && y1.is_finite()) {
            flush(&mut pieces, &mut current);
            continue;
        }
        // Parameter interval [t0, t1] of the segment that lies inside the band.
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let dy = y1 - y0;
        if dy == 0.0 {
            if !inside(y0) {
                flush(&mut pieces, &mut current);
                continue;
            }
        } else {
            let (ta, tb) = ((low - y0) / dy, (high - y0) / dy);
            t0 = t0.max(ta.min(tb));
            t1 = t1.min(ta.max(tb));
            if t0 > t1 {
                flush(&mut pieces, &mut current);
                continue;
            }
        }
        let at = |t: f64| (x0 + (x1 - x0) * t, (y0 + dy * t).clamp(low, high));
        if current.is_empty() || t0 > 0.0 {
            flush(&mut pieces, &mut current);
            current.push(at(t0));
        }
        current.push(at(t1));
        if t1 < 1.0 {
            flush(&mut pieces, &mut current);
        }
    }
    flush(&mut pieces, &mut current);
    pieces
}

fn flush(pieces: &mut Vec<Vec<(f64, f64)>>, current: &mut Vec<(f64, f64)>) {
    if current.len() >= 2 {
        pieces.push(std::mem::take(current));
    } else {
        current.clear();
    }
}

/// How many ticks fit along an axis of `length` device pixels, one per `spacing` CSS pixels.
pub fn tick_count(length: u32, theme: &Theme, spacing: f64) -> usize {
    ((length as f64 / (spacing * theme.pixel_ratio)).floor() as usize).clamp(2, 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_inside_the_band_is_kept_whole() {
        let points = [(0.0, 0.0), (1.0, 0.5), (2.0, 1.0)];
        assert_eq!(clip_to_band(&points, &(-1.0..1.0)), vec![points.to_vec()]);
    }

    #[test]
    fn a_line_that_leaves_and_returns_is_cut_at_the_edges() {
        let points = [(0.0, 0.0), (1.0, 2.0), (2.0, 0.0)];
        let pieces = clip_to_band(&points, &(-1.0..1.0));
        assert_eq!(
            pieces,
            vec![vec![(0.0, 0.0), (0.5, 1.0)], vec![(1.5, 1.0), (2.0, 0.0)]]
        );
    }

    #[test]
    fn nan_breaks_the_line_and_outside_points_vanish() {
        let points = [
            (0.0, 0.0),
            (1.0, 0.1),
            (2.0, f64::NAN),
            (3.0, 0.0),
            (4.0, 0.2),
        ];
        assert_eq!(clip_to_band(&points, &(-1.0..1.0)).len(), 2);
        let far = [(0.0, 5.0), (1.0, 6.0)];
        assert!(clip_to_band(&far, &(-1.0..1.0)).is_empty());
    }

    #[test]
    fn notices_wrap_at_spaces_and_keep_every_word() {
        let text = "There are no training points, so there is no loss to draw.";
        let lines = wrap(text, 20);
        assert!(
            lines.iter().all(|line| line.chars().count() <= 20),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        assert_eq!(
            wrap("supercalifragilistic word", 5),
            ["supercalifragilistic", "word"]
        );
        assert!(wrap("   ", 10).is_empty());
    }
}
