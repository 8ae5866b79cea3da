//! The computation graph of L(A, b) = (y − bᵀσ(Ax))², drawn with plotters' primitives:
//! the inputs x, A, b, y, the nodes z1 = Ax, z2 = σ(z1), z3 = bᵀz2, z4 = y − z3, L = z4²,
//! each with its value once the forward pass reaches it and its gradient ∂L/∂node (in the
//! gradient colour) once the backward pass does. Wide canvases lay the chain out left to
//! right, narrow ones top to bottom.

use super::{PlotError, Theme};
use crate::explorer::{Explorer, Pass, Stage};
use crate::format::format_significant;
use crate::network::Network;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    X,
    A,
    B,
    Y,
    Z1,
    Z2,
    Z3,
    Z4,
    L,
}

const NODES: [Node; 9] = [
    Node::X,
    Node::A,
    Node::B,
    Node::Y,
    Node::Z1,
    Node::Z2,
    Node::Z3,
    Node::Z4,
    Node::L,
];

/// (from, to) for every edge. Each operation is written in the node it makes ("z2 = σ(z1)"),
/// so the edges carry no labels but the backward step's local derivative.
const EDGES: [(Node, Node); 8] = [
    (Node::X, Node::Z1),
    (Node::A, Node::Z1),
    (Node::Z1, Node::Z2),
    (Node::Z2, Node::Z3),
    (Node::B, Node::Z3),
    (Node::Z3, Node::Z4),
    (Node::Y, Node::Z4),
    (Node::Z4, Node::L),
];

impl Node {
    pub fn name(self) -> &'static str {
        match self {
            Node::X => "x",
            Node::A => "A",
            Node::B => "b",
            Node::Y => "y",
            Node::Z1 => "z1",
            Node::Z2 => "z2",
            Node::Z3 => "z3",
            Node::Z4 => "z4",
            Node::L => "L",
        }
    }
}

/// Grid cell (column, row) in the left-to-right layout; transposed for narrow canvases.
fn cell(node: Node) -> (f64, f64) {
    match node {
        Node::X => (0.0, 0.0),
        Node::A => (0.0, 2.0),
        Node::Z1 => (1.0, 1.0),
        Node::Z2 => (2.0, 1.0),
        Node::Z3 => (3.0, 1.0),
        Node::B => (3.0, 2.0),
        Node::Z4 => (4.0, 1.0),
        Node::Y => (4.0, 2.0),
        Node::L => (5.0, 1.0),
    }
}

/// The node a stage reveals (forward) or whose gradient it reveals (backward).
fn focus(stage: Stage) -> Option<Node> {
    Some(match stage {
        Stage::Start => return None,
        Stage::Z1 | Stage::DZ1 => Node::Z1,
        Stage::Z2 | Stage::DZ2 => Node::Z2,
        Stage::Z3 | Stage::DZ3 => Node::Z3,
        Stage::Z4 | Stage::DZ4 => Node::Z4,
        Stage::Loss => Node::L,
        Stage::DB => Node::B,
        Stage::DA => Node::A,
    })
}

/// The edge a backward stage runs along, the local derivative it multiplies by, and where that
/// is written (column, row in the wide layout): in the empty top row, or across the two empty
/// cells between A and b.
fn backward_edge(stage: Stage) -> Option<(Node, Node, &'static str, (f64, f64))> {
    Some(match stage {
        Stage::DZ4 => (Node::Z4, Node::L, "∂L/∂z4 = 2·z4", (4.5, 0.0)),
        Stage::DZ3 => (Node::Z3, Node::Z4, "∂z4/∂z3 = −1", (3.5, 0.0)),
        Stage::DB => (Node::B, Node::Z3, "∂z3/∂b = z2", (1.5, 2.0)),
        Stage::DZ2 => (Node::Z2, Node::Z3, "∂z3/∂z2 = b", (2.5, 0.0)),
        Stage::DZ1 => (Node::Z1, Node::Z2, "∂z2/∂z1 = σ′(z1)", (1.5, 0.0)),
        Stage::DA => (Node::A, Node::Z1, "∂z1/∂A: (·) xᵀ", (1.5, 2.0)),
        _ => return None,
    })
}

/// A rectangle in CSS pixels: left, top, width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// Whether two rectangles share any area.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.width && y >= self.y && y <= self.y + self.height
    }
}

/// Where the graph put its boxes and its label, in CSS pixels, so the page (and the tests) can
/// check that no label runs under a node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawn {
    /// Every node's name ("x", "A", "z1", … "L") and box.
    pub nodes: Vec<(&'static str, Rect)>,
    /// The backward step's label, with its estimated text box.
    pub labels: Vec<Rect>,
}

/// A vector in a few characters: every entry (3 significant digits) when there are at most
/// `all` of them, otherwise the first two (2 digits) and the Euclidean norm.
pub fn compact(values: &[f64], all: usize) -> String {
    if values.len() == 1 {
        return format_significant(values[0], 3);
    }
    if values.len() <= all {
        let entries: Vec<String> = values.iter().map(|v| format_significant(*v, 3)).collect();
        return format!("[{}]", entries.join(", "));
    }
    let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    format!(
        "[{}, {}, …] ‖·‖={}",
        format_significant(values[0], 2),
        format_significant(values[1], 2),
        format_significant(norm, 3)
    )
}

/// What the graph shows: one example's pass through a network, revealed up to a stage.
#[derive(Clone, Copy, Debug)]
pub struct GraphView<'a> {
    pub network: &'a Network,
    pub pass: &'a Pass,
    pub explorer: Explorer,
}

/// The lines written in a node's box: its name, its value, its gradient. Long vectors take
/// two lines each (the first entry, then the norm) so the text stays readable.
fn lines(node: Node, view: &GraphView, theme: &Theme) -> Vec<(String, RGBColor, f64)> {
    let (f, g) = (&view.pass.forward, &view.pass.gradients);
    let (network, explorer) = (view.network, &view.explorer);
    let (h, m) = (network.hidden(), network.inputs());
    let shown = |stage: Stage| explorer.revealed(stage);
    let (title, name, value, gradient): (String, &str, Option<&[f64]>, Option<&[f64]>) = match node
    {
        Node::X => (
            format!("x ∈ ℝ{}", superscript(&m.to_string())),
            "x",
            Some(&view.pass.x[..]),
            None,
        ),
        Node::A => (
            format!("A ∈ ℝ{}", superscript(&format!("{h}×{m}"))),
            "A",
            Some(network.weights_a()),
            shown(Stage::DA).then_some(&g.da[..]),
        ),
        Node::B => (
            format!("b ∈ ℝ{}", superscript(&h.to_string())),
            "b",
            Some(network.weights_b()),
            shown(Stage::DB).then_some(&g.db[..]),
        ),
        Node::Y => ("y".into(), "y", Some(std::slice::from_ref(&0.0)), None),
        Node::Z1 => (
            "z1 = Ax".into(),
            "z1",
            shown(Stage::Z1).then_some(&f.z1[..]),
            shown(Stage::DZ1).then_some(&g.dz1[..]),
        ),
        Node::Z2 => (
            "z2 = σ(z1)".into(),
            "z2",
            shown(Stage::Z2).then_some(&f.z2[..]),
            shown(Stage::DZ2).then_some(&g.dz2[..]),
        ),
        Node::Z3 => (
            "z3 = bᵀz2".into(),
            "z3",
            shown(Stage::Z3).then_some(std::slice::from_ref(&f.z3)),
            shown(Stage::DZ3).then_some(std::slice::from_ref(&g.dz3)),
        ),
        Node::Z4 => (
            "z4 = y − z3".into(),
            "z4",
            shown(Stage::Z4).then_some(std::slice::from_ref(&f.z4)),
            shown(Stage::DZ4).then_some(std::slice::from_ref(&g.dz4)),
        ),
        Node::L => (
            "L = z4²".into(),
            "L",
            shown(Stage::Loss).then_some(std::slice::from_ref(&f.loss)),
            shown(Stage::DZ4).then_some(&[1.0][..]),
        ),
    };
    let y = [view.pass.y];
    let value = if node == Node::Y { Some(&y[..]) } else { value };
    let mut out = vec![(title, theme.foreground(), 15.0)];
    let vector =
        |out: &mut Vec<(String, RGBColor, f64)>, values: &[f64], prefix: &str, color: RGBColor| {
            if node == Node::A {
                // A matrix: its norm only (the heat map beside the graph shows the entries).
                let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
                out.push((
                    format!("{prefix}‖·‖ = {}", format_significant(norm, 3)),
                    color,
                    14.0,
                ));
            } else if values.len() <= 4 {
                out.push((format!("{prefix}{}", compact(values, 4)), color, 14.0));
            } else {
                // The first entry and the norm: the heat map and bars show the rest.
                let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
                out.push((
                    format!("{prefix}[{}, …]", format_significant(values[0], 3)),
                    color,
                    14.0,
                ));
                out.push((
                    format!("‖·‖ = {}", format_significant(norm, 3)),
                    color,
                    13.0,
                ));
            }
        };
    match value {
        Some(values) => vector(&mut out, values, "", theme.muted()),
        None => out.push(("?".into(), theme.muted(), 14.0)),
    }
    if let Some(values) = gradient {
        vector(&mut out, values, &format!("∂L/∂{name}: "), theme.gradient());
    }
    out
}

/// Where a box of half-size (w, h) centred at `c` is crossed by the line towards `to`.
fn boundary(c: (f64, f64), half: (f64, f64), to: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (to.0 - c.0, to.1 - c.1);
    let scale = (half.0 / dx.abs().max(1e-9)).min(half.1 / dy.abs().max(1e-9));
    (c.0 + dx * scale, c.1 + dy * scale)
}

/// Average advance of a character, in em, for estimating how wide a line of text is.
const EM_PER_CHAR: f64 = 0.58;

/// Where the graph goes on a canvas: a grid of cells (six across and three down, or turned
/// on its side when the canvas is taller than wide), one box per node, in device pixels.
struct Layout {
    width: f64,
    ratio: f64,
    vertical: bool,
    margin: f64,
    cell_w: f64,
    cell_h: f64,
    /// Half a box's width and height.
    half: (f64, f64),
}

impl Layout {
    fn new(width: f64, height: f64, theme: &Theme) -> Self {
        let ratio = theme.pixel_ratio;
        let vertical = width < height;
        let (columns, rows) = if vertical { (3.0, 6.0) } else { (6.0, 3.0) };
        let margin = theme.px(6) as f64;
        let cell_w = (width - 2.0 * margin) / columns;
        let cell_h = (height - 2.0 * margin) / rows;
        let half = (
            (cell_w * 0.44).min(118.0 * ratio),
            (cell_h * 0.40).min(48.0 * ratio),
        );
        Layout {
            width,
            ratio,
            vertical,
            margin,
            cell_w,
            cell_h,
            half,
        }
    }

    /// The centre of a cell given as (column, row) of the wide layout.
    fn place(&self, (c, r): (f64, f64)) -> (f64, f64) {
        let (c, r) = if self.vertical { (r, c) } else { (c, r) };
        (
            self.margin + (c + 0.5) * self.cell_w,
            self.margin + (r + 0.5) * self.cell_h,
        )
    }

    fn center(&self, node: Node) -> (f64, f64) {
        self.place(cell(node))
    }

    /// A rectangle in device pixels, in CSS pixels.
    fn css(&self, rect: Rect) -> Rect {
        Rect {
            x: rect.x / self.ratio,
            y: rect.y / self.ratio,
            width: rect.width / self.ratio,
            height: rect.height / self.ratio,
        }
    }
}

/// Draws the graph; returns where its boxes and its label went.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &GraphView,
    theme: &Theme,
) -> Result<Drawn, PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let (width, height) = root.dim_in_pixel();
    let layout = Layout::new(width as f64, height as f64, theme);
    let stage = view.explorer.stage();
    let mut drawn = Drawn::default();
    // Edges first, under the boxes.
    let leader = draw_edges(root, &layout, stage, theme)?;
    for node in NODES {
        let rect = draw_node(root, &layout, node, view, theme)?;
        drawn.nodes.push((node.name(), layout.css(rect)));
    }
    if let (Some((_, _, local, anchor)), Some(edge)) = (backward_edge(stage), leader) {
        let label = draw_local_derivative(root, &layout, view, local, anchor, edge, theme)?;
        drawn.labels.push(layout.css(label));
    }
    root.present()?;
    Ok(drawn)
}

/// Every edge as an arrow: the one the forward pass is computing along in the forward
/// colour, the one the backward pass is crossing in the gradient colour with a second head
/// (the gradient flows against the arrow). Returns the middle of that backward edge.
fn draw_edges<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    stage: Stage,
    theme: &Theme,
) -> Result<Option<(f64, f64)>, PlotError>
where
    DB::ErrorType: 'static,
{
    let focused = focus(stage);
    let backward = stage > Stage::FORWARD_DONE;
    let gradient = theme.gradient();
    let active_edge = backward_edge(stage);
    let mut leader = None;
    for (from, to) in EDGES {
        let (a, b) = (layout.center(from), layout.center(to));
        let start = boundary(a, layout.half, b);
        let end = boundary(b, layout.half, a);
        let is_active_backward = active_edge.is_some_and(|(f, t, _, _)| f == from && t == to);
        let is_active_forward = !backward && focused == Some(to);
        let color = if is_active_backward {
            gradient
        } else if is_active_forward {
            theme.activation(crate::activation::Activation::Sigmoid)
        } else {
            theme.axis()
        };
        let line_width = if is_active_backward || is_active_forward {
            2.5
        } else {
            1.5
        };
        arrow(root, start, end, color, line_width, theme)?;
        if is_active_backward {
            arrow_head(root, end, start, gradient, theme)?;
            leader = Some(((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0));
        }
    }
    Ok(leader)
}

/// One node's box (inputs shaded, the node being computed outlined in the pass's colour)
/// and its lines of text, shrunk to fit. Returns the box in device pixels.
fn draw_node<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    node: Node,
    view: &GraphView,
    theme: &Theme,
) -> Result<Rect, PlotError>
where
    DB::ErrorType: 'static,
{
    let (cx, cy) = layout.center(node);
    let (half, ratio) = (layout.half, layout.ratio);
    let stage = view.explorer.stage();
    let corner = |sx: f64, sy: f64| ((cx + sx * half.0) as i32, (cy + sy * half.1) as i32);
    let fill = if matches!(node, Node::X | Node::A | Node::B | Node::Y) {
        theme.grid()
    } else {
        theme.background()
    };
    root.draw(&Rectangle::new(
        [corner(-1.0, -1.0), corner(1.0, 1.0)],
        fill.filled(),
    ))?;
    let border = if focus(stage) == Some(node) {
        let pass = if stage > Stage::FORWARD_DONE {
            theme.gradient()
        } else {
            theme.activation(crate::activation::Activation::Sigmoid)
        };
        theme.line(pass, 3.0)
    } else {
        theme.line(theme.axis(), 1.0)
    };
    root.draw(&Rectangle::new(
        [corner(-1.0, -1.0), corner(1.0, 1.0)],
        border,
    ))?;

    let lines = lines(node, view, theme);
    let line_height = (half.1 * 2.0 / (lines.len() as f64 + 0.3)).min(19.0 * ratio);
    let first = cy - line_height * (lines.len() as f64 - 1.0) / 2.0;
    for (i, (text, color, size)) in lines.into_iter().enumerate() {
        // Shrink text that would overflow the box, and never past the line's height.
        let chars = text.chars().count() as f64;
        let fit = (2.0 * half.0 * 0.94) / (EM_PER_CHAR * chars * ratio);
        let size = size.min(fit).min(0.8 * line_height / ratio).max(9.0);
        let y = first + i as f64 * line_height;
        let style = theme
            .colored_text(size, color)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(text, (cx as i32, y as i32), style))?;
    }
    Ok(Rect {
        x: cx - half.0,
        y: cy - half.1,
        width: 2.0 * half.0,
        height: 2.0 * half.1,
    })
}

/// The backward step's local derivative, in an empty cell near `anchor`, with a leader to
/// the middle of its edge. At ∂L/∂A it also says what backpropagation saves: ∂L/∂z1 is worked
/// out once and reused for all h·m entries (what the cost panel counts). Returns the label's
/// box in device pixels.
fn draw_local_derivative<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &Layout,
    view: &GraphView,
    local: &str,
    anchor: (f64, f64),
    edge: (f64, f64),
    theme: &Theme,
) -> Result<Rect, PlotError>
where
    DB::ErrorType: 'static,
{
    let (ratio, margin, vertical) = (layout.ratio, layout.margin, layout.vertical);
    let gradient = theme.gradient();
    let (ax, ay) = layout.place(anchor);
    let net = view.network;
    let times = format!("{}× (h·m)", net.hidden() * net.inputs());
    let reuse = format!("reuses ∂L/∂z1 {times}");
    let lines: Vec<&str> = match (view.explorer.stage() == Stage::DA, vertical) {
        (true, false) => vec![local, &reuse],
        (true, true) => vec![local, "reuses ∂L/∂z1", &times],
        _ => vec![local],
    };
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let room_w = layout.cell_w * if vertical { 0.9 } else { 1.6 };
    let size = 14.0f64
        .min(room_w / (EM_PER_CHAR * chars * ratio))
        .min(0.45 * layout.cell_h / ratio / lines.len() as f64)
        .max(9.0);
    let line_h = 1.3 * size * ratio;
    let (text_w, text_h) = (
        EM_PER_CHAR * size * ratio * chars,
        line_h * lines.len() as f64,
    );
    // Centred on its place, but never past the canvas's edge.
    let left = (ax - text_w / 2.0).clamp(margin, (layout.width - margin - text_w).max(margin));
    let label = Rect {
        x: left,
        y: ay - text_h / 2.0,
        width: text_w,
        height: text_h,
    };
    // The leader runs from the label's nearest edge to the middle of the arrow.
    let from = (
        edge.0.clamp(label.x, label.x + label.width),
        edge.1.clamp(label.y, label.y + label.height),
    );
    if !label.contains(edge.0, edge.1) {
        root.draw(&PathElement::new(
            [
                (from.0 as i32, from.1 as i32),
                (edge.0 as i32, edge.1 as i32),
            ],
            theme.line(gradient, 1.0),
        ))?;
    }
    root.draw(&Rectangle::new(
        [
            (label.x as i32, label.y as i32),
            (
                (label.x + label.width) as i32,
                (label.y + label.height) as i32,
            ),
        ],
        theme.background().filled(),
    ))?;
    let centre = left + text_w / 2.0;
    for (i, line) in lines.iter().enumerate() {
        let y = label.y + line_h * (i as f64 + 0.5);
        root.draw(&Text::new(
            line.to_string(),
            (centre as i32, y as i32),
            theme
                .colored_text(size, gradient)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
    }
    Ok(label)
}

/// "ℝ⁸ˣ²"-style exponents: digits as superscripts, × as a raised x.
fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => {
                ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'][c as usize - '0' as usize]
            }
            '×' => 'ˣ',
            other => other,
        })
        .collect()
}

fn arrow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    start: (f64, f64),
    end: (f64, f64),
    color: RGBColor,
    width: f64,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    root.draw(&PathElement::new(
        [
            (start.0 as i32, start.1 as i32),
            (end.0 as i32, end.1 as i32),
        ],
        theme.line(color, width),
    ))?;
    arrow_head(root, start, end, color, theme)
}

/// A filled triangle at `end`, pointing away from `start`.
fn arrow_head<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    start: (f64, f64),
    end: (f64, f64),
    color: RGBColor,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = (end.0 - start.0, end.1 - start.1);
    let length = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / length, dy / length);
    let size = 8.0 * theme.pixel_ratio;
    let back = (end.0 - ux * size, end.1 - uy * size);
    let points = [
        (end.0 as i32, end.1 as i32),
        (
            (back.0 - uy * size * 0.5) as i32,
            (back.1 + ux * size * 0.5) as i32,
        ),
        (
            (back.0 + uy * size * 0.5) as i32,
            (back.1 - ux * size * 0.5) as i32,
        ),
    ];
    root.draw(&Polygon::new(points, color.filled()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_are_compact() {
        assert_eq!(compact(&[0.5], 4), "0.500");
        assert_eq!(compact(&[0.5, -1.25], 4), "[0.500, \u{2212}1.25]");
        assert_eq!(
            compact(&[3.0, 4.0, 0.0, 0.0, 0.0], 4),
            "[3.0, 4.0, …] ‖·‖=5.00"
        );
    }
}
