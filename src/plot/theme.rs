//! The visual language shared by every chart: one colour-blind-safe palette (Okabe–Ito),
//! light and dark variants, and sizes that scale with the device pixel ratio.
//!
//! The colours reach the page as CSS custom properties in `www/palette.css`, which
//! `scripts/palette.mjs` writes from this file at every build: edit them here only.

use crate::activation::Activation;
use plotters::style::text_anchor::Pos;
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle};

/// The system font stack; no web fonts are ever loaded.
pub const SANS: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif";

/// How to draw: light or dark, and how many device pixels make one CSS pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel (window.devicePixelRatio); 1 natively.
    pub pixel_ratio: f64,
    /// Dark backgrounds (prefers-color-scheme: dark).
    pub dark: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            pixel_ratio: 1.0,
            dark: false,
        }
    }
}

impl Theme {
    /// A theme for this pixel ratio, clamped to 0.5..=4 so a bad value cannot blow up sizes.
    pub fn new(pixel_ratio: f64, dark: bool) -> Self {
        let pixel_ratio = if pixel_ratio.is_finite() {
            pixel_ratio.clamp(0.5, 4.0)
        } else {
            1.0
        };
        Theme { pixel_ratio, dark }
    }

    /// A length given in CSS pixels, in device pixels.
    pub fn px(&self, css_pixels: impl Into<f64>) -> i32 {
        (css_pixels.into() * self.pixel_ratio).round() as i32
    }

    /// A line width given in CSS pixels, in device pixels (at least 1).
    pub fn stroke(&self, css_pixels: f64) -> u32 {
        ((css_pixels * self.pixel_ratio).round() as u32).max(1)
    }

    /// Text of `css_pixels` size in the foreground colour.
    pub fn text(&self, css_pixels: f64) -> TextStyle<'static> {
        self.colored_text(css_pixels, self.foreground())
    }

    /// Text in a muted colour, for tick labels and notes.
    pub fn muted_text(&self, css_pixels: f64) -> TextStyle<'static> {
        self.colored_text(css_pixels, self.muted())
    }

    /// Text of `css_pixels` size in `color`, anchored at its top left.
    pub fn colored_text(&self, css_pixels: f64, color: RGBColor) -> TextStyle<'static> {
        TextStyle {
            font: FontDesc::new(
                FontFamily::Name(SANS),
                css_pixels * self.pixel_ratio,
                FontStyle::Normal,
            ),
            color: color.to_backend_color(),
            pos: Pos::default(),
        }
    }

    /// A solid line of this colour and CSS width.
    pub fn line(&self, color: RGBColor, css_width: f64) -> ShapeStyle {
        ShapeStyle::from(color).stroke_width(self.stroke(css_width))
    }

    pub fn background(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x1c, 0x1e, 0x23)
        } else {
            RGBColor(0xff, 0xff, 0xff)
        }
    }

    pub fn foreground(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xe8, 0xea, 0xed)
        } else {
            RGBColor(0x1f, 0x23, 0x28)
        }
    }

    pub fn muted(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xa0, 0xa6, 0xb0)
        } else {
            RGBColor(0x5f, 0x66, 0x70)
        }
    }

    pub fn grid(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x30, 0x34, 0x3b)
        } else {
            RGBColor(0xea, 0xec, 0xef)
        }
    }

    pub fn axis(&self) -> RGBColor {
        if self.dark {
            RGBColor(0x6b, 0x72, 0x7d)
        } else {
            RGBColor(0x9a, 0xa0, 0xa8)
        }
    }

    /// Gradients, in every panel: a second colour to the values they belong to.
    pub fn gradient(&self) -> RGBColor {
        if self.dark {
            RGBColor(0xe6, 0x9f, 0x00)
        } else {
            RGBColor(0x9a, 0x5b, 0x00)
        }
    }

    /// The two ends of a diverging scale (negative, positive), for tables shaded by sign: the
    /// same in both themes, blended towards the background for values near 0.
    pub fn diverging(&self) -> (RGBColor, RGBColor) {
        (RGBColor(0x00, 0x72, 0xb2), RGBColor(0xe6, 0x9f, 0x00))
    }

    /// Each activation keeps one colour on every panel.
    pub fn activation(&self, activation: Activation) -> RGBColor {
        let (light, dark) = match activation {
            Activation::Sigmoid => ((0x00, 0x72, 0xb2), (0x56, 0xb4, 0xe9)),
            Activation::Relu => ((0xd5, 0x5e, 0x00), (0xf0, 0x84, 0x3c)),
            Activation::Tanh => ((0x00, 0x9e, 0x73), (0x2b, 0xc7, 0x9a)),
            Activation::LeakyRelu => ((0xcc, 0x79, 0xa7), (0xe3, 0x9c, 0xc4)),
            Activation::Softplus => ((0x8a, 0x7d, 0x00), (0xf0, 0xe4, 0x42)),
        };
        let (r, g, b) = if self.dark { dark } else { light };
        RGBColor(r, g, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_with_the_pixel_ratio() {
        let theme = Theme::new(2.0, false);
        assert_eq!(theme.px(12.0), 24);
        assert_eq!(theme.stroke(0.2), 1);
        assert_eq!(Theme::new(f64::NAN, false).pixel_ratio, 1.0);
        assert_eq!(Theme::new(100.0, false).pixel_ratio, 4.0);
    }
}
