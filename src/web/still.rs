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

/// One still layer and what it was drawn for.
#[derive(Default)]
pub(super) struct StillLayer {
    drawn: Option<(u64, HtmlCanvasElement)>,
    /// A layer could not be made here once: from then on the caller draws everything.
    failed: bool,
}

impl StillLayer {
    /// Copies the layer drawn for `key` onto `target` (the key names everything the layer
    /// shows: size, pixel ratio, theme, data), first drawing it with `draw` if the key
    /// changed. Returns false, having copied nothing, where no layer can be made.
    pub fn copy_onto(
        &mut self,
        target: &HtmlCanvasElement,
        key: u64,
        draw: impl FnOnce(&DrawingArea<Canvas, Shift>) -> Result<(), PlotError>,
    ) -> Result<bool, JsError> {
        if self.failed {
            return Ok(false);
        }
        let (width, height) = (target.width(), target.height());
        let key = mix(mix(key, width as u64), height as u64);
        if self.drawn.as_ref().map(|(drawn, _)| *drawn) != Some(key) {
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
            self.drawn = Some((key, layer));
        }
        let Some((_, layer)) = &self.drawn else {
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

/// Folds `value` into the running FNV-1a hash `hash`, a byte at a time.
pub(super) fn mix(hash: u64, value: u64) -> u64 {
    value.to_le_bytes().iter().fold(hash, |h, &byte| {
        (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The FNV-1a offset basis: where a key starts.
pub(super) const KEY_START: u64 = 0xcbf2_9ce4_8422_2325;
