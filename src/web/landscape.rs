//! The loss-surface panel: the training lab's mean loss over two of its weights, the backprop
//! gradient step as an arrow, and a descent path from a start the student places. It reads the
//! lab's network and data on every call (nothing copied), and recomputes the surface only when
//! they or the settings change.

use super::args::{text, within};
use super::{canvas_area, list, Record, Shared, TrainingLab};
use crate::landscape::{
    self, Arrow, Parameter, Path, Settings, Surface, A_SCALE_RANGE, DEFAULT_RESOLUTION, ZOOM_RANGE,
};
use crate::plot::landscape::{draw, LandscapeChart};
use crate::plot::{draw_notice, PixelMap};
use crate::trainer::{SettingError, Trainer, LEARNING_RATE_RANGE};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

/// How many steps a descent path takes at most.
pub const PATH_STEPS: usize = 300;

/// The landscape panel's state: its settings, the path's start, and what was computed for
/// which generation of the lab.
#[wasm_bindgen]
pub struct LandscapeLab {
    shared: Shared,
    settings: Settings,
    learning_rate: f64,
    start: Option<[f64; 2]>,
    cursor: Option<[f64; 2]>,
    surface: Option<(u64, Settings, Surface)>,
    path: Option<(u64, Path)>,
    pixels: PixelMap,
}

impl LandscapeLab {
    /// The settings with the axes reset to the defaults where they no longer fit the network
    /// (h changed in the lab).
    fn fitted(&self, trainer: &Trainer) -> Settings {
        let net = trainer.network();
        let (m, h) = (net.inputs(), net.hidden());
        let mut settings = self.settings;
        if !(settings.x.fits(m, h) && settings.y.fits(m, h)) || settings.x == settings.y {
            settings.x = Parameter::DEFAULT_X;
            settings.y = Parameter::DEFAULT_Y;
        }
        settings
    }

    fn surface(&mut self, trainer: &Trainer) -> Result<&Surface, SettingError> {
        let settings = self.fitted(trainer);
        let generation = trainer.generation();
        let fresh = self
            .surface
            .as_ref()
            .is_some_and(|(g, s, _)| *g == generation && *s == settings);
        if !fresh {
            let data = trainer.data();
            let surface = landscape::surface(
                trainer.network(),
                data.train_inputs(),
                &data.train().ys,
                &settings,
                DEFAULT_RESOLUTION,
            )?;
            self.surface = Some((generation, settings, surface));
        }
        match &self.surface {
            Some((_, _, surface)) => Ok(surface),
            None => Err(SettingError("the surface could not be computed".into())),
        }
    }

    fn arrow(&self, trainer: &Trainer) -> Result<Arrow, SettingError> {
        let data = trainer.data();
        landscape::arrow(
            trainer.network(),
            data.train_inputs(),
            &data.train().ys,
            &self.fitted(trainer),
            self.learning_rate,
        )
    }

    /// The descent path from the start, if one is placed (recomputed when the lab changed).
    fn path(&mut self, trainer: &Trainer) -> Result<Option<&Path>, SettingError> {
        let Some(start) = self.start else {
            return Ok(None);
        };
        let generation = trainer.generation();
        if self.path.as_ref().is_none_or(|(g, _)| *g != generation) {
            let data = trainer.data();
            let path = landscape::descend(
                trainer.network(),
                data.train_inputs(),
                &data.train().ys,
                &self.fitted(trainer),
                start,
                self.learning_rate,
                PATH_STEPS,
            )?;
            self.path = Some((generation, path));
        }
        Ok(self.path.as_ref().map(|(_, p)| p))
    }

    /// Everything the chart needs that can fail, computed (the surface and path cached): the
    /// arrow and the path. Without training points there is no loss to draw.
    fn prepare(&mut self, trainer: &Trainer) -> Result<(Arrow, Option<Path>), SettingError> {
        if trainer.data().train().ys.is_empty() {
            return Err(SettingError(
                "There are no training points, so there is no loss to draw. Add points in the \
                 training lab by clicking on its fit plot."
                    .into(),
            ));
        }
        let arrow = self.arrow(trainer)?;
        let path = self.path(trainer)?.cloned();
        self.surface(trainer)?;
        Ok((arrow, path))
    }

    fn forget_path(&mut self) {
        self.path = None;
    }
}

#[wasm_bindgen]
impl LandscapeLab {
    /// The surface over b₁ and A₁₁ of the lab's network, at zoom 1, A unscaled.
    #[wasm_bindgen(constructor)]
    pub fn new(lab: &TrainingLab) -> LandscapeLab {
        LandscapeLab {
            shared: lab.shared.clone(),
            settings: Settings::default(),
            learning_rate: 0.3,
            start: None,
            cursor: None,
            surface: None,
            path: None,
            pixels: PixelMap::default(),
        }
    }

    /// Every weight of the lab's network: [{key, name}] ("A1_1", "A₁₁"), A's entries first.
    pub fn parameters(&self) -> Result<Array, JsError> {
        let trainer = self.shared.read()?;
        let net = trainer.network();
        list(
            Parameter::all(net.inputs(), net.hidden())
                .into_iter()
                .map(|p| Record::new().text("key", &p.key())?.text("name", &p.name())),
        )
    }

    /// The two weights on the axes, by key; they must differ. On error nothing changes.
    #[wasm_bindgen(js_name = setAxes)]
    pub fn set_axes(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] y: JsValue,
    ) -> Result<(), JsError> {
        let (x, y) = (
            text("the x-axis weight", &x, 16)?,
            text("the y-axis weight", &y, 16)?,
        );
        let trainer = self.shared.read()?;
        let net = trainer.network();
        let (m, h) = (net.inputs(), net.hidden());
        let (x, y) = (Parameter::parse(&x, m, h)?, Parameter::parse(&y, m, h)?);
        if x == y {
            return Err(JsError::new("the two axes need two different weights"));
        }
        drop(trainer);
        (self.settings.x, self.settings.y) = (x, y);
        self.start = None;
        self.forget_path();
        Ok(())
    }

    /// The keys of the weights on the axes now (the defaults if the network's shape changed).
    pub fn axes(&self) -> Result<Vec<String>, JsError> {
        let settings = self.fitted(&*self.shared.read()?);
        Ok(vec![settings.x.key(), settings.y.key()])
    }

    /// Each axis spans its weight's value ± 2 / zoom (zoom from 1/8 to 8).
    #[wasm_bindgen(js_name = setZoom)]
    pub fn set_zoom(&mut self, zoom: f64) -> Result<(), JsError> {
        self.settings.zoom = within("the zoom", zoom, ZOOM_RANGE)?;
        self.start = None;
        self.forget_path();
        Ok(())
    }

    /// A is multiplied by this (0.1 to 30) before anything is computed, to show saturation.
    #[wasm_bindgen(js_name = setAScale)]
    pub fn set_a_scale(&mut self, scale: f64) -> Result<(), JsError> {
        self.settings.a_scale = within("the scale of A", scale, A_SCALE_RANGE)?;
        self.start = None;
        self.forget_path();
        Ok(())
    }

    /// The learning rate of the arrow and the path (0.001 to 10).
    #[wasm_bindgen(js_name = setLearningRate)]
    pub fn set_learning_rate(&mut self, rate: f64) -> Result<(), JsError> {
        self.learning_rate = within("the learning rate", rate, LEARNING_RATE_RANGE)?;
        self.forget_path();
        Ok(())
    }

    /// Starts a descent path where the plot was clicked (CSS pixels); false if outside it.
    #[wasm_bindgen(js_name = startAtPixel)]
    pub fn start_at_pixel(&mut self, css_x: f64, css_y: f64) -> bool {
        if !self.pixels.contains(css_x, css_y) {
            return false;
        }
        self.start = Some([self.pixels.x_at(css_x), self.pixels.y_at(css_y)]);
        self.cursor = None;
        self.forget_path();
        true
    }

    /// Moves the keyboard's cursor by (dx, dy) twentieths of the view (from the current
    /// weights if it is not out yet); Enter then starts a path there with `startAtCursor`.
    #[wasm_bindgen(js_name = moveCursor)]
    pub fn move_cursor(&mut self, dx: f64, dy: f64) -> Result<(), JsError> {
        let (dx, dy) = (
            within("dx", dx, (-20.0, 20.0))?,
            within("dy", dy, (-20.0, 20.0))?,
        );
        let trainer = self.shared.read()?;
        let view = landscape::view(trainer.network(), &self.fitted(&trainer))?;
        let from = self.cursor.unwrap_or([view.x.current, view.y.current]);
        let step = |axis: landscape::Axis, d: f64, v: f64| {
            (v + d * (axis.high - axis.low) / 20.0).clamp(axis.low, axis.high)
        };
        self.cursor = Some([step(view.x, dx, from[0]), step(view.y, dy, from[1])]);
        Ok(())
    }

    /// Starts a descent path at the keyboard's cursor (or at the current weights).
    #[wasm_bindgen(js_name = startAtCursor)]
    pub fn start_at_cursor(&mut self) -> Result<(), JsError> {
        let trainer = self.shared.read()?;
        let view = landscape::view(trainer.network(), &self.fitted(&trainer))?;
        drop(trainer);
        self.start = Some(
            self.cursor
                .take()
                .unwrap_or([view.x.current, view.y.current]),
        );
        self.forget_path();
        Ok(())
    }

    /// Removes the path and the cursor.
    #[wasm_bindgen(js_name = clearPath)]
    pub fn clear_path(&mut self) {
        self.start = None;
        self.cursor = None;
        self.forget_path();
    }

    /// Draws the surface, the arrow and the path. Returns what the page writes as text:
    /// {x, y (names), at [x, y], loss, gradient [gx, gy], norm, step [sx, sy], lowest, highest,
    /// path: {outcome, message, steps, from [x, y], to [x, y], loss} or null, cursor [x, y] or null}.
    pub fn draw(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "HTMLCanvasElement")] canvas: JsValue,
        pixel_ratio: f64,
        dark: bool,
    ) -> Result<Object, JsError> {
        let (root, theme) = canvas_area(&canvas, pixel_ratio, dark)?;
        let shared = self.shared.clone();
        let trainer = shared.read()?;
        let settings = self.fitted(&trainer);
        let (arrow, path) = match self.prepare(&trainer) {
            Ok(parts) => parts,
            Err(error) => {
                // Said in the plot as well as in the error, so the canvas is never left blank.
                draw_notice(&root, &theme, &error.0)?;
                self.pixels = PixelMap::default();
                return Err(error.into());
            }
        };
        let cursor = self.cursor;
        let surface = self.surface(&trainer)?;
        let (x_name, y_name) = (settings.x.name(), settings.y.name());
        let chart = LandscapeChart {
            surface,
            arrow: Some(&arrow),
            path: path.as_ref(),
            cursor,
            x_name: &x_name,
            y_name: &y_name,
        };
        let pixels = draw(&root, &chart, &theme)?;
        let (lowest, highest) = (surface.lowest, surface.highest);
        self.pixels = pixels;
        let pair = |v: [f64; 2]| -> JsValue { Array::of2(&v[0].into(), &v[1].into()).into() };
        let path = match &path {
            None => JsValue::NULL,
            Some(p) => Record::new()
                .text("outcome", p.outcome.name())?
                .text("message", p.outcome.message())?
                .number("steps", (p.points.len() - 1) as f64)?
                .value("from", &pair(p.points[0]))?
                .value("to", &pair(*p.points.last().unwrap_or(&p.points[0])))?
                .number("loss", *p.losses.last().unwrap_or(&f64::NAN))?
                .done()
                .into(),
        };
        Ok(Record::new()
            .text("x", &x_name)?
            .text("y", &y_name)?
            .value("at", &pair(arrow.at))?
            .number("loss", arrow.loss)?
            .value("gradient", &pair(arrow.gradient))?
            .number("norm", arrow.norm)?
            .value("step", &pair(arrow.step))?
            .number("lowest", lowest)?
            .number("highest", highest)?
            .value("path", &path)?
            .value("cursor", &cursor.map_or(JsValue::NULL, pair))?
            .done())
    }
}
