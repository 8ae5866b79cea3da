//! The drawing backend the charts draw on in the browser: plotters-canvas's `CanvasBackend`
//! for text, with lines, rectangles, polygons and circles drawn here, more cheaply.
//!
//! plotters-canvas writes each shape's colour as a new `rgba(…)` string (formatting a float
//! for the alpha) and sets it on the context before every shape; the browser then parses it
//! again. A fit plot of 500 points and 64 unit curves spent most of its 6 ms on that. Here a
//! colour is written once with integers and set only when it changes, and runs of shapes in
//! one style share a path that is filled or stroked once: lines and polylines, and opaque
//! rectangles (a loss surface's cells of one shade, its contour segments).
//!
//! Circles are copied from a small canvas that holds one circle of their style, drawn once
//! (a sprite). Where the page's canvases are drawn in software, filling one path of 750
//! circles took the browser about 6 ms after every fit plot; copying 750 sprites takes a
//! fraction of that. The copies land on whole pixels, as the circles' centres do, so each
//! looks as if drawn in place; where two overlap, a translucent one now darkens the other.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::fmt;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas to draw charts on.
pub struct Canvas {
    /// Draws the text, with the context's styles as it leaves them.
    text: CanvasBackend,
    context: CanvasRenderingContext2d,
    size: (u32, u32),
    /// The fill and stroke styles the context holds now, when known.
    fill: Option<Paint>,
    stroke: Option<(Paint, u32)>,
    /// The style of the shapes gathered in the open path, which is filled or stroked once.
    open: Option<Batch>,
}

/// Shapes gathered in one path: filled in one paint, or stroked in one paint and width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Batch {
    Fill(Paint),
    Stroke(Paint, u32),
}

/// A circle's look: its style (a [`Batch`]) and radius, in device pixels.
type SpriteKey = (Batch, u32);

/// The most sprites kept; past it the oldest goes (the page uses a few dozen styles).
const MOST_SPRITES: usize = 64;
/// The largest radius drawn from a sprite, in device pixels; larger circles are few.
const LARGEST_SPRITE_RADIUS: u32 = 24;

/// Circles drawn once.
#[derive(Default)]
struct Sprites {
    made: Vec<(SpriteKey, HtmlCanvasElement)>,
    /// A sprite could not be made (no document, no 2D context): circles are paths from then on.
    failed: bool,
}

thread_local! {
    static SPRITES: RefCell<Sprites> = RefCell::new(Sprites::default());
}

/// How far a sprite's circle is from its top and left edge: room for the radius, the stroke's
/// outer half and the antialiased edge. The circle is centred on a pixel corner.
fn sprite_offset((batch, radius): SpriteKey) -> u32 {
    let width = match batch {
        Batch::Fill(_) => 0,
        Batch::Stroke(_, width) => width,
    };
    radius + width + 2
}

/// A canvas holding one circle of `batch`'s style and `radius` (at [`sprite_offset`]), or
/// None if sprites cannot be made here.
fn sprite(context: &CanvasRenderingContext2d, key: SpriteKey) -> Option<HtmlCanvasElement> {
    // Made outside the borrow: making one calls into the page, which could call back in.
    let known = SPRITES.with_borrow(|sprites| {
        (!sprites.failed).then(|| {
            let found = sprites.made.iter().find(|(k, _)| *k == key);
            found.map(|(_, canvas)| canvas.clone())
        })
    })?;
    if known.is_some() {
        return known;
    }
    let made = make_sprite(context, key);
    SPRITES.with_borrow_mut(|sprites| match &made {
        Some(canvas) => {
            if sprites.made.len() >= MOST_SPRITES {
                sprites.made.remove(0);
            }
            sprites.made.push((key, canvas.clone()));
        }
        None => sprites.failed = true,
    });
    made
}

/// Draws one circle of `key`'s style and radius on a canvas of its own (see [`sprite`]).
fn make_sprite(context: &CanvasRenderingContext2d, key: SpriteKey) -> Option<HtmlCanvasElement> {
    let (batch, radius) = key;
    let offset = sprite_offset(key);
    let document = context.canvas()?.owner_document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(2 * offset);
    canvas.set_height(2 * offset);
    let pen: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let centre = f64::from(offset);
    pen.begin_path();
    pen.arc(
        centre,
        centre,
        f64::from(radius),
        0.0,
        std::f64::consts::TAU,
    )
    .ok()?;
    match batch {
        Batch::Fill(paint) => {
            pen.set_fill_style_str(&paint.css());
            pen.fill();
        }
        Batch::Stroke(paint, width) => {
            pen.set_stroke_style_str(&paint.css());
            pen.set_line_width(f64::from(width));
            pen.stroke();
        }
    }
    Some(canvas)
}

impl Canvas {
    /// The canvas's 2D context, or None if it has none.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Canvas> {
        let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        let size = (canvas.width(), canvas.height());
        Some(Canvas {
            text: CanvasBackend::with_canvas_object(canvas)?,
            context,
            size,
            fill: None,
            stroke: None,
            open: None,
        })
    }

    /// Fills or strokes the shapes gathered in the open path.
    fn flush(&mut self) {
        match self.open.take() {
            Some(Batch::Fill(_)) => self.context.fill(),
            Some(Batch::Stroke(..)) => self.context.stroke(),
            None => {}
        }
    }

    /// Makes the open path one that gathers shapes in `batch`'s style: keeps it if it is,
    /// else draws it and begins another. Nothing else may change the context's styles while
    /// a path is open: every other drawing call flushes first.
    fn gather(&mut self, batch: Batch) {
        if self.open == Some(batch) {
            return;
        }
        self.flush();
        match batch {
            Batch::Fill(paint) => self.set_fill(paint),
            Batch::Stroke(paint, width) => self.set_stroke(paint, width),
        }
        self.context.begin_path();
        self.open = Some(batch);
    }

    fn set_fill(&mut self, paint: Paint) {
        if self.fill != Some(paint) {
            self.context.set_fill_style_str(&paint.css());
            self.fill = Some(paint);
        }
    }

    fn set_stroke(&mut self, paint: Paint, width: u32) {
        if self.stroke != Some((paint, width)) {
            self.context.set_stroke_style_str(&paint.css());
            self.context.set_line_width(f64::from(width));
            self.stroke = Some((paint, width));
        }
    }

    /// Adds `points` to the open path as a new subpath; returns whether there were any.
    fn trace(&mut self, points: impl IntoIterator<Item = BackendCoord>) -> bool {
        let points: Vec<BackendCoord> = points.into_iter().collect();
        let Some(&start) = points.first() else {
            return false;
        };
        self.context.move_to(f64::from(start.0), f64::from(start.1));
        for &point in simplify(&points, TOLERANCE).iter().skip(1) {
            self.context.line_to(f64::from(point.0), f64::from(point.1));
        }
        true
    }
}

/// How far, in device pixels, a simplified line may pass from a point it leaves out.
const TOLERANCE: f64 = 0.3;

/// The points of the polyline `points` that matter at `tolerance` (Ramer–Douglas–Peucker):
/// every point left out lies within `tolerance` of the simplified line. A sigmoid's flat
/// tails, or a loss curve's thousands of steps, need a few points instead of one per sample,
/// and each point is a call into the canvas.
fn simplify(points: &[BackendCoord], tolerance: f64) -> Vec<BackendCoord> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut spans = vec![(0, points.len() - 1)];
    while let Some((first, last)) = spans.pop() {
        let (a, b) = (points[first], points[last]);
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let length = dx.hypot(dy);
        let distance = |p: BackendCoord| {
            let (px, py) = (f64::from(p.0 - a.0), f64::from(p.1 - a.1));
            if length == 0.0 {
                px.hypot(py)
            } else {
                (px * dy - py * dx).abs() / length
            }
        };
        let farthest = (first + 1..last)
            .map(|i| (i, distance(points[i])))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, d)) = farthest {
            if d > tolerance {
                keep[i] = true;
                spans.push((first, i));
                spans.push((i, last));
            }
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(&p, k)| k.then_some(p))
        .collect()
}

impl Drop for Canvas {
    fn drop(&mut self) {
        self.flush();
    }
}

/// How a style is stroked, or None if it is invisible.
fn stroke<S: BackendStyle>(style: &S) -> Option<Batch> {
    let paint = Paint::from(style.color());
    (paint.alpha > 0).then_some(Batch::Stroke(paint, style.stroke_width()))
}

/// The alpha of an opaque [`Paint`].
const OPAQUE: u32 = 1000;

/// A colour as the canvas gets it: red, green, blue, and the alpha in thousandths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Paint {
    rgb: (u8, u8, u8),
    alpha: u32,
}

impl From<BackendColor> for Paint {
    fn from(color: BackendColor) -> Paint {
        Paint {
            rgb: color.rgb,
            alpha: (color.alpha.clamp(0.0, 1.0) * f64::from(OPAQUE)).round() as u32,
        }
    }
}

impl Paint {
    /// `rgb(r,g,b)`, or `rgba(r,g,b,0.abc)`, written with integers only.
    fn css(self) -> String {
        let (r, g, b) = self.rgb;
        match self.alpha {
            OPAQUE => format!("rgb({r},{g},{b})"),
            a => format!("rgba({r},{g},{b},0.{a:03})"),
        }
    }
}

/// Moves a horizontal or vertical line to the middle of its pixels, so a 1-pixel line is
/// crisp instead of two pixels at half strength.
fn crisp(from: BackendCoord, to: BackendCoord) -> ((f64, f64), (f64, f64)) {
    let (mut a, mut b) = ((from.0 as f64, from.1 as f64), (to.0 as f64, to.1 as f64));
    if from.0 == to.0 {
        a.0 -= 0.5;
        b.0 -= 0.5;
    }
    if from.1 == to.1 {
        a.1 -= 0.5;
        b.1 -= 0.5;
    }
    (a, b)
}

/// A drawing failure of the canvas, in words.
#[derive(Debug)]
pub struct CanvasError(String);

impl fmt::Display for CanvasError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanvasError {}

/// plotters-canvas's error, in ours.
fn from_text<E: std::error::Error + Send + Sync>(
    error: DrawingErrorKind<E>,
) -> DrawingErrorKind<CanvasError> {
    match error {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(CanvasError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

type Result = std::result::Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        let Some(batch) = stroke(style) else {
            return Ok(());
        };
        self.gather(batch);
        let (a, b) = crisp(from, to);
        self.context.move_to(a.0, a.1);
        self.context.line_to(b.0, b.1);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        let paint = Paint::from(style.color());
        if paint.alpha == 0 {
            return Ok(());
        }
        if fill && paint.alpha == OPAQUE {
            // Opaque rectangles of one paint look the same filled together or one by one.
            self.gather(Batch::Fill(paint));
            self.context.rect(x, y, w, h);
            return Ok(());
        }
        self.flush();
        if fill {
            self.set_fill(paint);
            self.context.fill_rect(x, y, w, h);
        } else {
            self.set_stroke(paint, style.stroke_width());
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        let Some(batch) = stroke(style) else {
            return Ok(());
        };
        self.gather(batch);
        self.trace(path);
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Result {
        let paint = Paint::from(style.color());
        if paint.alpha == 0 {
            return Ok(());
        }
        // Alone in its path: polygons of one paint filled together would differ where they
        // overlap (the nonzero rule).
        self.flush();
        self.set_fill(paint);
        self.context.begin_path();
        if self.trace(vertices) {
            self.context.close_path();
            self.context.fill();
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        let paint = Paint::from(style.color());
        if paint.alpha == 0 {
            return Ok(());
        }
        let batch = if fill {
            Batch::Fill(paint)
        } else {
            Batch::Stroke(paint, style.stroke_width())
        };
        let (x, y, r) = (f64::from(center.0), f64::from(center.1), f64::from(radius));
        if radius <= LARGEST_SPRITE_RADIUS {
            if let Some(sprite) = sprite(&self.context, (batch, radius)) {
                // Drawn in order with the paths around it.
                self.flush();
                let offset = f64::from(sprite_offset((batch, radius)));
                return self
                    .context
                    .draw_image_with_html_canvas_element(&sprite, x - offset, y - offset)
                    .map_err(|_| {
                        DrawingErrorKind::DrawingError(CanvasError(
                            "the canvas refused a copy".into(),
                        ))
                    });
            }
        }
        self.gather(batch);
        // A new subpath at the circle's rightmost point, so no line joins it to the last one.
        self.context.move_to(x + r, y);
        self.context
            .arc(x, y, r, 0.0, std::f64::consts::TAU)
            .map_err(|_| {
                DrawingErrorKind::DrawingError(CanvasError("the canvas refused an arc".into()))
            })?;
        Ok(())
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result {
        self.flush();
        // CanvasBackend sets the fill style (and may save and restore the context).
        self.fill = None;
        self.stroke = None;
        self.text.draw_text(text, style, pos).map_err(from_text)
    }

    /// Measured by the canvas itself, in the font `draw_text` sets. (plotters measures text
    /// with a `<span>` given a style attribute, which a strict Content-Security-Policy
    /// refuses, and which fails without a `<body>`.) The height is the font's line box:
    /// its ascent and descent.
    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> std::result::Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        self.context.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        ));
        let metrics = self.context.measure_text(text).map_err(|_| {
            DrawingErrorKind::DrawingError(CanvasError("the canvas could not measure text".into()))
        })?;
        let height = metrics.font_bounding_box_ascent() + metrics.font_bounding_box_descent();
        let pixels = |value: f64| {
            if value.is_finite() {
                value.max(0.0).round() as u32
            } else {
                0
            }
        };
        Ok((pixels(metrics.width()), pixels(height.ceil())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_written_with_integers() {
        let css = |rgb, alpha| Paint::from(BackendColor { alpha, rgb }).css();
        assert_eq!(css((1, 2, 3), 1.0), "rgb(1,2,3)");
        assert_eq!(css((255, 0, 10), 0.85), "rgba(255,0,10,0.850)");
        assert_eq!(css((0, 0, 0), 0.0005), "rgba(0,0,0,0.001)");
        assert_eq!(css((0, 0, 0), 0.0), "rgba(0,0,0,0.000)");
        assert_eq!(css((9, 9, 9), 0.35), "rgba(9,9,9,0.350)");
    }

    #[test]
    fn horizontal_and_vertical_lines_sit_in_the_middle_of_their_pixels() {
        assert_eq!(crisp((3, 1), (3, 9)), ((2.5, 1.0), (2.5, 9.0)));
        assert_eq!(crisp((1, 4), (8, 4)), ((1.0, 3.5), (8.0, 3.5)));
        assert_eq!(crisp((1, 2), (3, 4)), ((1.0, 2.0), (3.0, 4.0)));
    }

    /// Distance from p to the segment a–b.
    fn to_segment(p: BackendCoord, a: BackendCoord, b: BackendCoord) -> f64 {
        let (px, py, ax, ay, bx, by) = (
            p.0 as f64, p.1 as f64, a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64,
        );
        let (dx, dy) = (bx - ax, by - ay);
        let t =
            (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy).max(1e-12)).clamp(0.0, 1.0);
        (px - ax - t * dx).hypot(py - ay - t * dy)
    }

    #[test]
    fn a_simplified_line_keeps_its_ends_and_corners_and_passes_near_every_point() {
        let straight: Vec<BackendCoord> = (0..100).map(|i| (i, 2 * i + 1)).collect();
        assert_eq!(simplify(&straight, TOLERANCE), vec![(0, 1), (99, 199)]);
        let corner = [(0, 0), (5, 0), (10, 0), (10, 5), (10, 10)];
        assert_eq!(
            simplify(&corner, TOLERANCE),
            vec![(0, 0), (10, 0), (10, 10)]
        );
        // A sigmoid across 480 pixels, sampled every 4: far fewer points, none far off.
        let curve: Vec<BackendCoord> = (0..=120)
            .map(|i| {
                let x = i * 4;
                let y = 300.0 / (1.0 + (-(x as f64 - 240.0) / 20.0).exp());
                (x, y.round() as i32)
            })
            .collect();
        let kept = simplify(&curve, TOLERANCE);
        assert!(
            kept.len() < curve.len() / 2,
            "{} of {}",
            kept.len(),
            curve.len()
        );
        for &p in &curve {
            let nearest = kept
                .windows(2)
                .map(|w| to_segment(p, w[0], w[1]))
                .fold(f64::INFINITY, f64::min);
            assert!(nearest <= TOLERANCE + 1e-9, "{p:?} is {nearest} px off");
        }
        assert_eq!(simplify(&[(1, 1), (2, 2)], TOLERANCE), vec![(1, 1), (2, 2)]);
        assert!(simplify(&[], TOLERANCE).is_empty());
    }
}
