//! The activations panel's chart.

use super::args::texts;
use super::canvas_area;
use crate::activation::Activation;
use crate::plot::activations::{self, HALF_RANGE};
use crate::plot::PixelMap;
use wasm_bindgen::prelude::*;

/// The activations panel's chart state, owned by Rust.
#[wasm_bindgen]
pub struct ActivationPlot {
    chart: activations::ActivationChart,
    pixels: PixelMap,
}

#[wasm_bindgen]
impl ActivationPlot {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ActivationPlot {
        ActivationPlot {
            chart: activations::ActivationChart::default(),
            pixels: PixelMap::default(),
        }
    }

    /// Which functions to draw: an array of names, in order (each at most once).
    #[wasm_bindgen(js_name = setFunctions)]
    pub fn set_functions(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] names: JsValue,
    ) -> Result<(), JsError> {
        let functions = texts("the functions", &names, Activation::ALL.len(), 32)?
            .iter()
            .map(|name| Ok(name.parse::<Activation>()?))
            .collect::<Result<Vec<_>, JsError>>()?;
        self.chart.functions = functions;
        Ok(())
    }

    #[wasm_bindgen(js_name = setDerivatives)]
    pub fn set_derivatives(&mut self, shown: bool) {
        self.chart.derivatives = shown;
    }

    #[wasm_bindgen(js_name = setNumerical)]
    pub fn set_numerical(&mut self, shown: bool) {
        self.chart.numerical = shown;
    }

    /// Sets the x-axis to ±half_range, clamped to 2..=50; returns the value used.
    #[wasm_bindgen(js_name = setHalfRange)]
    pub fn set_half_range(&mut self, half_range: f64) -> f64 {
        if half_range.is_finite() {
            self.chart.half_range = half_range.clamp(HALF_RANGE.0, HALF_RANGE.1);
        }
        self.chart.half_range
    }

    /// Moves the probe to x (clamped to the axis); NaN hides it. Returns the x used.
    #[wasm_bindgen(js_name = setProbe)]
    pub fn set_probe(&mut self, x: f64) -> f64 {
        let range = self.chart.half_range;
        self.chart.probe = x.is_finite().then(|| x.clamp(-range, range));
        self.chart.probe.unwrap_or(f64::NAN)
    }

    /// The probe's x, or NaN when hidden.
    pub fn probe(&self) -> f64 {
        self.chart.probe.unwrap_or(f64::NAN)
    }

    /// Draws on the canvas, whose backing store the caller sized by the pixel ratio.
    pub fn draw(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<(), JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        self.pixels = activations::draw(&root, &self.chart, &theme)?;
        Ok(())
    }

    /// The x-value under a horizontal CSS-pixel offset in the last drawn canvas.
    #[wasm_bindgen(js_name = xAtPixel)]
    pub fn x_at_pixel(&self, css_x: f64) -> f64 {
        self.pixels.x_at(css_x)
    }
}

impl Default for ActivationPlot {
    fn default() -> Self {
        Self::new()
    }
}
