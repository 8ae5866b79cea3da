//! The legend the line and bar charts share: one row per entry (a line sample and its name),
//! placed in the corner of the plotting area where it covers the least of the data, on a
//! veil of the background so a curve that still passes beneath it does not run through the
//! words. Names too wide for the area wrap onto more lines.

use super::{wrap, PlotError, Theme, LOG_AXIS_TOP};
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One row: a line sample in `color` (dashed or solid) and `label`.
#[derive(Clone, Debug)]
pub struct Entry {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
}

/// A corner of the plotting area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    TopRight,
    TopLeft,
    BottomRight,
    BottomLeft,
}

impl Corner {
    /// Every corner, `first` first (it wins ties), then the rest in a fixed order.
    fn preferring(first: Corner) -> impl Iterator<Item = Corner> {
        let all = [
            Corner::TopRight,
            Corner::TopLeft,
            Corner::BottomRight,
            Corner::BottomLeft,
        ];
        std::iter::once(first).chain(all.into_iter().filter(move |c| *c != first))
    }
}

/// What the legend should keep clear of, in the plotting area's pixels (see [`in_area`]):
/// polylines (curves) and rectangles (bars, as (left, top, right, bottom)).
#[derive(Clone, Debug, Default)]
pub struct Obstacles {
    pub lines: Vec<Vec<(i32, i32)>>,
    pub boxes: Vec<(i32, i32, i32, i32)>,
}

/// Where `point`, in the chart's coordinates, falls in the pixels of `area`, the plotting area,
/// counted from its top left corner: the pixels obstacles and layouts are given in.
pub fn in_area<DB: DrawingBackend, CT: CoordTranslate>(
    area: &DrawingArea<DB, CT>,
    point: &CT::From,
) -> (i32, i32) {
    let (x, y) = area.map_coordinate(point);
    let (left, top) = area.get_base_pixel();
    (x - left, y - top)
}

/// Font size of the names, in CSS pixels.
const TEXT_PX: f64 = 12.0;
/// The average width of a character of a name, in ems (system sans-serif fonts).
const AVERAGE_EM: f64 = 0.56;
/// Height of one line of a name, in CSS pixels.
const LINE_PX: f64 = 16.0;

/// The box's padding, the length of a line sample and the gap between it and the name, in
/// device pixels: the layout sizes the box with them and the drawing places rows by them.
fn spacing(theme: &Theme) -> (i32, i32, i32) {
    (theme.px(6), theme.px(20), theme.px(6))
}

/// Where a legend goes and what it holds: its box in the plotting area's pixels, each entry's
/// name in lines, and how much of the obstacles the box covers there.
pub struct Layout<'e> {
    rect: (i32, i32, i32, i32),
    rows: Vec<(&'e Entry, Vec<String>)>,
    pub covered: i64,
}

/// Lays out the legend of `entries` for a plotting area of `size` pixels in the corner,
/// `preferred` first, that covers the fewest obstacle pixels.
pub fn layout<'e>(
    size: (u32, u32),
    entries: &'e [Entry],
    obstacles: &Obstacles,
    preferred: Corner,
    theme: &Theme,
) -> Layout<'e> {
    let (width, height) = (size.0 as i32, size.1 as i32);
    let (pad, sample, gap) = spacing(theme);
    let inset = theme.px(6);
    let room = (width - 2 * inset - 2 * pad - sample - gap).max(theme.px(40));
    // Each entry's name in lines that fit the room. Widths are estimated from the number of
    // characters: measuring in the browser's font means a layout of the page per call.
    let measure = |text: &str| {
        (text.chars().count() as f64 * AVERAGE_EM * TEXT_PX * theme.pixel_ratio) as i32
    };
    let rows: Vec<(&Entry, Vec<String>)> = entries
        .iter()
        .map(|entry| {
            let full = measure(&entry.label);
            let lines = if full <= room {
                vec![entry.label.clone()]
            } else {
                let chars = entry.label.chars().count();
                let fits = (chars as f64 * room as f64 / full as f64).floor().max(8.0) as usize;
                wrap(&entry.label, fits)
            };
            (entry, lines)
        })
        .collect();
    let widest = rows
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|l| measure(l)))
        .max()
        .unwrap_or(0);
    let box_width = 2 * pad + sample + gap + widest;
    let lines: i32 = rows.iter().map(|(_, l)| l.len() as i32).sum();
    let box_height = pad + lines * theme.px(LINE_PX);
    let place = |corner: Corner| {
        let left = match corner {
            Corner::TopRight | Corner::BottomRight => width - inset - box_width,
            Corner::TopLeft | Corner::BottomLeft => inset,
        };
        let top = match corner {
            Corner::TopRight | Corner::TopLeft => inset,
            Corner::BottomRight | Corner::BottomLeft => height - inset - box_height,
        };
        (left, top, left + box_width, top + box_height)
    };
    let (rect, covered) = Corner::preferring(preferred)
        .map(|c| (place(c), covered(place(c), obstacles)))
        .min_by_key(|&(_, covered)| covered)
        .unwrap_or((place(preferred), 0));
    Layout {
        rect,
        rows,
        covered,
    }
}

impl Layout<'_> {
    /// How far down from the top of the plotting area the legend reaches in a top corner,
    /// with a gap below it: data below that line are clear of it.
    fn depth(&self, theme: &Theme) -> i32 {
        let (_, top, _, bottom) = self.rect;
        bottom - top + 2 * theme.px(6)
    }
}

/// The room a legend needs when every corner would cover data: `depth` pixels at the top of
/// a plotting area `height` pixels tall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Room {
    pub depth: i32,
    pub height: u32,
}

/// The most of a plot's height a legend may claim above the data.
const MOST_OF_HEIGHT: f64 = 0.6;

impl Room {
    /// The top for a y-axis over `range` (low, top) that keeps data up to `peak` below the
    /// legend, on a logarithmic or a linear axis. Never below the range's own top, nor above
    /// [`LOG_AXIS_TOP`] on a log axis; the legend may claim at most 60% of the height.
    pub fn raised_top(self, range: (f64, f64), peak: f64, log: bool) -> f64 {
        let (low, top) = range;
        let share =
            (f64::from(self.depth.max(0)) / f64::from(self.height.max(1))).min(MOST_OF_HEIGHT);
        // In axis units (logarithms on a log axis), the top u puts the peak share × (u − low)
        // below it.
        let raised = if log {
            ((peak.ln() - share * low.ln()) / (1.0 - share))
                .exp()
                .min(LOG_AXIS_TOP)
        } else {
            (peak - share * low) / (1.0 - share)
        };
        if raised.is_finite() {
            raised.max(top)
        } else {
            top
        }
    }
}

/// Lays out the legend of `entries` in `area`, the plotting area (see [`layout`]). Unless the
/// axis was `raised` for it already, a layout that would cover data in every corner is
/// refused with the room the legend needs, for the chart to raise its axis and draw again.
pub fn place<'e, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &'e [Entry],
    obstacles: &Obstacles,
    preferred: Corner,
    theme: &Theme,
    raised: bool,
) -> Result<Layout<'e>, Room> {
    let size = area.dim_in_pixel();
    let layout = layout(size, entries, obstacles, preferred, theme);
    if layout.covered > 0 && !raised {
        return Err(Room {
            depth: layout.depth(theme),
            height: size.1.max(1),
        });
    }
    Ok(layout)
}

/// Draws a laid-out legend on `area`, the plotting area (pixel coordinates).
pub fn draw_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &Layout,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    if layout.rows.is_empty() {
        return Ok(());
    }
    let style = theme.text(TEXT_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let (pad, sample, gap) = spacing(theme);
    let line_height = theme.px(LINE_PX);
    let (left, top, right, bottom) = layout.rect;
    area.draw(&Rectangle::new(
        [(left, top), (right, bottom)],
        theme.background().mix(0.85).filled(),
    ))?;
    let mut y = top + pad / 2 + line_height / 2;
    for (entry, lines) in &layout.rows {
        let line = theme.line(entry.color, 2.0);
        let start = left + pad;
        if entry.dashed {
            let dash = sample * 2 / 5;
            for offset in [0, sample - dash] {
                area.draw(&PathElement::new(
                    [(start + offset, y), (start + offset + dash, y)],
                    line,
                ))?;
            }
        } else {
            area.draw(&PathElement::new([(start, y), (start + sample, y)], line))?;
        }
        for text in lines {
            area.draw(&Text::new(
                text.clone(),
                (start + sample + gap, y),
                style.clone(),
            ))?;
            y += line_height;
        }
    }
    Ok(())
}

/// How much of the obstacles lies inside `rect`: points sampled every 3 pixels along each
/// line, and the overlapping area of each box in units of 9 pixels.
fn covered((left, top, right, bottom): (i32, i32, i32, i32), obstacles: &Obstacles) -> i64 {
    let inside = |(x, y): (f64, f64)| {
        x >= left as f64 && x <= right as f64 && y >= top as f64 && y <= bottom as f64
    };
    let mut count = 0_i64;
    for line in &obstacles.lines {
        for pair in line.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (ax, ay, bx, by) = (a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
            let length = (bx - ax).hypot(by - ay);
            let samples = (length / 3.0).ceil().clamp(1.0, 4096.0) as usize;
            count += (0..=samples)
                .map(|i| i as f64 / samples as f64)
                .filter(|t| inside((ax + (bx - ax) * t, ay + (by - ay) * t)))
                .count() as i64;
        }
    }
    for &(l, t, r, b) in &obstacles.boxes {
        let w = (r.min(right) - l.max(left)).max(0) as i64;
        let h = (b.min(bottom) - t.max(top)).max(0) as i64;
        count += w * h / 9;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_through_a_box_counts_and_one_beside_it_does_not() {
        let through = Obstacles {
            lines: vec![vec![(0, 5), (100, 5)]],
            boxes: vec![],
        };
        assert!(covered((10, 0, 40, 10), &through) >= 10);
        assert_eq!(covered((10, 20, 40, 30), &through), 0);
        let bar = Obstacles {
            lines: vec![],
            boxes: vec![(0, 0, 30, 30)],
        };
        assert_eq!(covered((0, 0, 30, 30), &bar), 100);
        assert_eq!(covered((40, 0, 60, 30), &bar), 0);
    }

    #[test]
    fn a_raised_top_leaves_the_legend_its_share_of_the_height_above_the_peak() {
        // Linear, 0 to 10, peak 10: a legend of a quarter of the height needs the top at 40/3.
        let room = Room {
            depth: 100,
            height: 400,
        };
        let top = room.raised_top((0.0, 10.0), 10.0, false);
        assert!((top - 40.0 / 3.0).abs() < 1e-12, "{top}");
        // The peak then sits a quarter of the way down.
        assert!(((top - 10.0) / top - 0.25).abs() < 1e-12);
        // Logarithmic, 0.01 to 10, peak 10: the same share in decades.
        let top = room.raised_top((0.01, 10.0), 10.0, true);
        let down = (top.log10() - 1.0) / (top.log10() + 2.0);
        assert!(
            (down - 0.25).abs() < 1e-12,
            "{top} puts the peak {down} down"
        );
        // Data well below the top already: the range stays.
        assert_eq!(room.raised_top((0.0, 10.0), 1.0, false), 10.0);
        // A legend taller than the plot claims at most 60%.
        let tall = Room {
            depth: 900,
            height: 100,
        };
        let top = tall.raised_top((0.0, 1.0), 1.0, false);
        assert!((top - 2.5).abs() < 1e-12, "{top}");
    }

    #[test]
    fn the_preferred_corner_comes_first_and_every_corner_once() {
        let order: Vec<Corner> = Corner::preferring(Corner::BottomRight).collect();
        assert_eq!(order[0], Corner::BottomRight);
        assert_eq!(order.len(), 4);
        for corner in [Corner::TopRight, Corner::TopLeft, Corner::BottomLeft] {
            assert!(order.contains(&corner));
        }
    }
}
