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
enum Node {
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

/// (from, to, operation) for every edge.
const EDGES: [(Node, Node, &str); 8] = [
    (Node::X, Node::Z1, "A·x"),
    (Node::A, Node::Z1, ""),
    (Node::Z1, Node::Z2, "σ(·)"),
    (Node::Z2, Node::Z3, "bᵀ·"),
    (Node::B, Node::Z3, ""),
    (Node::Z3, Node::Z4, "y − ·"),
    (Node::Y, Node::Z4, ""),
    (Node::Z4, Node::L, "(·)²"),
];

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

/// The edge a backward stage runs along, and the local derivative it multiplies by.
fn backward_edge(stage: Stage) -> Option<(Node, Node, &'static str)> {
    Some(match stage {
        Stage::DZ4 => (Node::Z4, Node::L, "∂L/∂z4 = 2·z4"),
        Stage::DZ3 => (Node::Z3, Node::Z4, "∂z4/∂z3 = −1"),
        Stage::DB => (Node::B, Node::Z3, "∂z3/∂b = z2"),
        Stage::DZ2 => (Node::Z2, Node::Z3, "∂z3/∂z2 = b"),
        Stage::DZ1 => (Node::Z1, Node::Z2, "∂z2/∂z1 = σ′(z1)"),
        Stage::DA => (Node::A, Node::Z1, "∂z1/∂A: ·xᵀ"),
        _ => return None,
    })
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
/// two lines each (the first entries, then the norm) so the text stays readable.
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
    let mut out = vec![(title, theme.foreground(), 12.0)];
    let vector =
        |out: &mut Vec<(String, RGBColor, f64)>, values: &[f64], prefix: &str, color: RGBColor| {
            if node == Node::A {
                // A matrix: its norm only (the heat map beside the graph shows the entries).
                let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
                out.push((
                    format!("{prefix}‖·‖ = {}", format_significant(norm, 3)),
                    color,
                    11.0,
                ));
            } else if values.len() <= 4 {
                out.push((format!("{prefix}{}", compact(values, 4)), color, 11.0));
            } else {
                let head: Vec<String> = values[..2]
                    .iter()
                    .map(|v| format_significant(*v, 3))
                    .collect();
                let norm = values.iter().map(|v| v * v).sum::<f64>().sqrt();
                out.push((format!("{prefix}[{}, …]", head.join(", ")), color, 11.0));
                out.push((
                    format!("‖·‖ = {}", format_significant(norm, 3)),
                    color,
                    10.0,
                ));
            }
        };
    match value {
        Some(values) => vector(&mut out, values, "", theme.muted()),
        None => out.push(("?".into(), theme.muted(), 11.0)),
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

pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &GraphView,
    theme: &Theme,
) -> Result<(), PlotError>
where
    DB::ErrorType: 'static,
{
    root.fill(&theme.background())?;
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as f64, height as f64);
    let vertical = width < height;
    let (columns, rows) = if vertical { (3.0, 6.0) } else { (6.0, 3.0) };
    let margin = theme.px(6) as f64;
    let cell_w = (width - 2.0 * margin) / columns;
    let cell_h = (height - 2.0 * margin) / rows;
    let half = (
        (cell_w * 0.44).min(100.0 * theme.pixel_ratio),
        (cell_h * 0.42).min(40.0 * theme.pixel_ratio),
    );
    let center = |node: Node| {
        let (c, r) = cell(node);
        let (c, r) = if vertical { (r, c) } else { (c, r) };
        (margin + (c + 0.5) * cell_w, margin + (r + 0.5) * cell_h)
    };
    let stage = view.explorer.stage();
    let focused = focus(stage);
    let backward = stage > Stage::FORWARD_DONE;
    let gradient = theme.gradient();
    let forward_color = theme.activation(crate::activation::Activation::Sigmoid);

    // Edges first, under the boxes; their labels last, on top.
    let active_edge = backward_edge(stage);
    let mut edge_labels: Vec<(&str, RGBColor, (f64, f64), bool)> = Vec::new();
    for (from, to, operation) in EDGES {
        let (a, b) = (center(from), center(to));
        let start = boundary(a, half, b);
        let end = boundary(b, half, a);
        let is_active_backward = active_edge.is_some_and(|(f, t, _)| f == from && t == to);
        let is_active_forward = !backward && focused == Some(to);
        let color = if is_active_backward {
            gradient
        } else if is_active_forward {
            forward_color
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
            // The gradient flows against the arrow: a second head at the start.
            arrow_head(root, end, start, gradient, theme)?;
        }
        let middle = ((start.0 + end.0) / 2.0, (start.1 + end.1) / 2.0);
        let text = match active_edge {
            Some((f, t, local)) if f == from && t == to => Some((local, gradient)),
            _ if !operation.is_empty() => Some((operation, theme.muted())),
            _ => None,
        };
        if let Some((text, color)) = text {
            let steep = (end.1 - start.1).abs() > (end.0 - start.0).abs();
            edge_labels.push((text, color, middle, steep));
        }
    }

    for node in NODES {
        let (cx, cy) = center(node);
        let is_focus = focused == Some(node);
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
        let border = if is_focus {
            theme.line(if backward { gradient } else { forward_color }, 3.0)
        } else {
            theme.line(theme.axis(), 1.0)
        };
        root.draw(&Rectangle::new(
            [corner(-1.0, -1.0), corner(1.0, 1.0)],
            border,
        ))?;

        let lines = lines(node, view, theme);
        let line_height = (half.1 * 2.0 / (lines.len() as f64 + 0.4)).min(14.0 * theme.pixel_ratio);
        let first = cy - line_height * (lines.len() as f64 - 1.0) / 2.0;
        for (i, (text, color, size)) in lines.into_iter().enumerate() {
            // Shrink text that would overflow the box (about 0.55 em per character).
            let chars = text.chars().count() as f64;
            let fit = (2.0 * half.0 * 0.94) / (0.56 * chars * theme.pixel_ratio);
            let size = size.min(fit).max(8.0);
            let y = first + i as f64 * line_height;
            let style = theme
                .colored_text(size, color)
                .pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(text, (cx as i32, y as i32), style))?;
        }
    }
    for (text, color, middle, steep) in edge_labels {
        // Beside a vertical edge, above a horizontal or slanted one, on a patch of background.
        let size = 11.0;
        let gap = 5.0 * theme.pixel_ratio;
        let width = 0.56 * size * theme.pixel_ratio * text.chars().count() as f64;
        let height = 1.3 * size * theme.pixel_ratio;
        let (left, top) = if steep {
            (middle.0 + gap, middle.1 - height / 2.0)
        } else {
            (middle.0 - width / 2.0, middle.1 - gap - height)
        };
        root.draw(&Rectangle::new(
            [
                (left as i32, top as i32),
                ((left + width) as i32, (top + height) as i32),
            ],
            theme.background().mix(0.85).filled(),
        ))?;
        let style = theme
            .colored_text(size, color)
            .pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(
            text,
            ((left + width / 2.0) as i32, (top + height / 2.0) as i32),
            style,
        ))?;
    }
    root.present()?;
    Ok(())
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
