//! A chart's still layer: the part that does not change from frame to frame (background,
//! grid, axes, data), drawn once into a canvas of its own and copied under each frame's
//! moving part. Where a canvas cannot be made here, the caller draws everything itself.

use super::canvas::Canvas;
use crate::plot::PlotError;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// One still layer and what it was drawn for: a key `K` that names everything the layer shows
/// but its size (pixel ratio, theme, data), and the size.
pub(super) struct StillLayer<K> {
    drawn: Option<(K, (u32, u32), HtmlCanvasElement)>,
    /// A layer could not be made here once: from then on the caller draws everything.
    failed: bool,
}

impl<K> Default for StillLayer<K> {
    fn default() -> Self {
        StillLayer {
            drawn: None,
            failed: false,
        }
    }
}

impl<K: PartialEq> StillLayer<K> {
    /// Copies the layer drawn for `key` at `target`'s size onto `target`, first drawing it
    /// with `draw` if either changed. Returns false, having copied nothing, where no layer can
    /// be made.
    pub fn copy_onto(
        &mut self,
        target: &HtmlCanvasElement,
        key: K,
        draw: impl FnOnce(&DrawingArea<Canvas, Shift>) -> Result<(), PlotError>,
    ) -> Result<bool, JsError> {
        if self.failed {
            return Ok(false);
        }
        let size = (target.width(), target.height());
        let (width, height) = size;
        let current = matches!(&self.drawn, Some((k, s, _)) if *k == key && *s == size);
        if !current {
            self.drawn = None;
            let Some(layer) = make_canvas(target, width, height) else {
                self.failed = true;
                return Ok(false);
            };
            let Some(backend) = Canvas::new(layer.clone()) else {
                self.failed = true;
                return Ok(false);
            };
            draw(&backend.into_drawing_area())?;
            self.drawn = Some((key, size, layer));
        }
        let Some((_, _, layer)) = &self.drawn else {
            return Ok(false);
        };
        let Some(context) = context_2d(target) else {
            return Ok(false);
        };
        context
            .draw_image_with_html_canvas_element(layer, 0.0, 0.0)
            .map_err(|_| JsError::new("the canvas refused to copy the chart's still layer"))?;
        Ok(true)
    }
}

/// A canvas of `width` × `height` device pixels in `target`'s document, not attached to it.
fn make_canvas(target: &HtmlCanvasElement, width: u32, height: u32) -> Option<HtmlCanvasElement> {
    let document = target.owner_document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(width);
    canvas.set_height(height);
    Some(canvas)
}

fn context_2d(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}
