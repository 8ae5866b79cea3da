//! Blocks of index.html written from the core's facts when the page is built
//! (scripts/index-blocks.mjs), rather than by hand: they are in the page's HTML from the start,
//! so the first panel does not shift when its script runs, and tests/index_blocks.rs fails
//! when index.html holds anything else (an activation added here and not there).

use crate::activation::Activation;
use crate::plot::activations::ActivationChart;

/// Where the activations panel's checkboxes begin and end in index.html.
pub const ACTIVATION_BOXES: (&str, &str) = (
    "<!-- Begin activation boxes: written by scripts/index-blocks.mjs from src/markup.rs. -->",
    "<!-- End activation boxes. -->",
);

/// The activations panel's checkboxes, one per activation in the core's order, with its
/// swatch and label; those the chart shows at first are ticked. Sigmoid is the worksheet's σ,
/// and its label says so. Each line starts with `indent`; the markers are included.
pub fn activation_boxes(indent: &str) -> String {
    let shown = ActivationChart::default().functions;
    let mut lines = vec![format!("{indent}{}", ACTIVATION_BOXES.0)];
    for activation in Activation::ALL {
        let name = activation.name();
        let checked = if shown.contains(&activation) {
            " checked"
        } else {
            ""
        };
        let symbol = if activation == Activation::Sigmoid {
            " σ"
        } else {
            ""
        };
        lines.push(format!(
            "{indent}<label class=\"check\"><input type=\"checkbox\" name=\"function\" \
             value=\"{name}\" data-state=\"a_{name}\"{checked}><span class=\"swatch\" \
             data-activation=\"{name}\"></span>{}{symbol}</label>",
            activation.label()
        ));
    }
    lines.push(format!("{indent}{}", ACTIVATION_BOXES.1));
    lines.join("\n")
}
