//! index.html's generated blocks hold exactly what scripts/index-blocks.mjs writes from the
//! core (src/markup.rs): an activation added to the core and not to the page's checkboxes, or a
//! box edited by hand, fails here.

#![cfg(feature = "plot")]

use backprop_lab::activation::Activation;
use backprop_lab::markup::{activation_boxes, ACTIVATION_BOXES};

#[test]
fn index_html_holds_the_activation_boxes_the_core_writes() {
    let path = format!("{}/index.html", env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(&path).expect("index.html");
    let (begin, end) = ACTIVATION_BOXES;
    let start = html
        .find(begin)
        .expect("index.html's Begin activation boxes marker");
    let line_start = html[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &html[line_start..start];
    let stop = html[start..]
        .find(end)
        .expect("index.html's End activation boxes marker")
        + start;
    let block = &html[line_start..stop + end.len()];
    assert_eq!(
        block,
        activation_boxes(indent),
        "index.html's activation boxes differ from the core's: run `bash scripts/build.sh` (or \
         `node scripts/index-blocks.mjs` after it) to write them again"
    );
    // One box per activation, named and labelled as the core names them.
    for activation in Activation::ALL {
        assert!(block.contains(&format!("value=\"{}\"", activation.name())));
        assert!(block.contains(activation.label()));
    }
}
