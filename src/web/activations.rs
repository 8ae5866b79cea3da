//! The activations panel's chart.

use super::{activation_named, canvas_area, js_error};
use crate::plot::{activations, PixelMap, Theme};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The activations panel's chart state, owned by Rust.
#[wasm_bindgen]
pub struct ActivationPlot {
    chart: activations::ActivationChart,
    theme: Theme,
    pixels: PixelMap,
}

/// The x-range slider's limits: from ±2 to ±50.
pub const MIN_HALF_RANGE: f64 = 2.0;
pub const MAX_HALF_RANGE: f64 = 50.0;

#[wasm_bindgen]
impl ActivationPlot {
    #[wasm_bindgen(constructor)]
    pub fn new() -> ActivationPlot {
        ActivationPlot {
            chart: activations::ActivationChart::default(),
            theme: Theme::default(),
            pixels: PixelMap::default(),
        }
    }

    /// Which functions to draw, by name, in order.
    #[wasm_bindgen(js_name = setFunctions)]
    pub fn set_functions(&mut self, names: Vec<String>) -> Result<(), JsError> {
        let functions = names
            .iter()
            .map(|name| activation_named(name))
            .collect::<Result<Vec<_>, _>>()?;
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
        let half_range = if half_range.is_finite() {
            half_range.clamp(MIN_HALF_RANGE, MAX_HALF_RANGE)
        } else {
            self.chart.half_range
        };
        self.chart.half_range = half_range;
        half_range
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

    /// Device pixels per CSS pixel and light or dark colours.
    #[wasm_bindgen(js_name = setTheme)]
    pub fn set_theme(&mut self, pixel_ratio: f64, dark: bool) {
        self.theme = Theme::new(pixel_ratio, dark);
    }

    /// Draws on the canvas, whose backing store the caller sized by devicePixelRatio.
    pub fn draw(&mut self, canvas: HtmlCanvasElement) -> Result<(), JsError> {
        let root = canvas_area(canvas)?;
        self.pixels = activations::draw(&root, &self.chart, &self.theme).map_err(js_error)?;
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
