//! The worksheet's network and the activation functions, for course notes and tests.

use super::{activation_named, js_error, numbers, seed, size, Record};
use crate::activation::Activation;
use crate::network;
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The worksheet's network f(x) = bᵀσ(Ax), owned by Rust; JavaScript holds a handle.
#[wasm_bindgen]
pub struct Network {
    inner: network::Network,
}

#[wasm_bindgen]
impl Network {
    /// `new Network(m, h, activation, seed)`: m inputs, h hidden units (each 1 to 256),
    /// an activation name, and a seed for the initial weights.
    #[wasm_bindgen(constructor)]
    pub fn new(m: f64, h: f64, activation: &str, seed: f64) -> Result<Network, JsError> {
        let inputs = size("m (the input size)", m)?;
        let hidden = size("h (the number of hidden units)", h)?;
        let activation = activation_named(activation)?;
        let seed = self::seed(seed)?;
        let inner = network::Network::new(inputs, hidden, activation, seed).map_err(js_error)?;
        Ok(Network { inner })
    }

    /// m, the input size.
    #[wasm_bindgen(getter)]
    pub fn m(&self) -> usize {
        self.inner.inputs()
    }

    /// h, the number of hidden units.
    #[wasm_bindgen(getter)]
    pub fn h(&self) -> usize {
        self.inner.hidden()
    }

    /// The activation's name.
    #[wasm_bindgen(getter)]
    pub fn activation(&self) -> String {
        self.inner.activation().name().to_string()
    }

    /// Replaces A (h·m numbers, row-major) and b (h numbers).
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(&mut self, a: JsValue, b: JsValue) -> Result<(), JsError> {
        let a = numbers("A", &a)?;
        let b = numbers("b", &b)?;
        self.inner.set_weights(&a, &b).map_err(js_error)
    }

    /// A copy of A, h·m numbers row-major.
    #[wasm_bindgen(js_name = weightsA)]
    pub fn weights_a(&self) -> Vec<f64> {
        self.inner.weights_a().to_vec()
    }

    /// A copy of b, h numbers.
    #[wasm_bindgen(js_name = weightsB)]
    pub fn weights_b(&self) -> Vec<f64> {
        self.inner.weights_b().to_vec()
    }

    /// The forward pass for one example: `{z1, z2, z3, z4, loss}`.
    pub fn forward(&self, x: JsValue, y: f64) -> Result<Object, JsError> {
        let x = numbers("x", &x)?;
        let forward = self.inner.forward(&x, y).map_err(js_error)?;
        Ok(Record::new().forward(&forward)?.0)
    }

    /// The backward pass for one example: `{dA, db, dz1, dz2, dz3, dz4}` and the forward values.
    pub fn backward(&self, x: JsValue, y: f64) -> Result<Object, JsError> {
        let x = numbers("x", &x)?;
        let (forward, grads) = self.inner.backward(&x, y).map_err(js_error)?;
        Ok(Record::new()
            .vector("dA", &grads.da)?
            .vector("db", &grads.db)?
            .vector("dz1", &grads.dz1)?
            .vector("dz2", &grads.dz2)?
            .number("dz3", grads.dz3)?
            .number("dz4", grads.dz4)?
            .forward(&forward)?
            .0)
    }

    /// f(x) = bᵀσ(Ax) for one input.
    pub fn predict(&self, x: JsValue) -> Result<f64, JsError> {
        let x = numbers("x", &x)?;
        self.inner.predict(&x).map_err(js_error)
    }

    /// The mean loss over a batch: X holds n·m numbers row-major, Y holds n.
    #[wasm_bindgen(js_name = meanLoss)]
    pub fn mean_loss(&mut self, xs: JsValue, ys: JsValue) -> Result<f64, JsError> {
        let xs = numbers("X", &xs)?;
        let ys = numbers("Y", &ys)?;
        self.inner.mean_loss(&xs, &ys).map_err(js_error)
    }

    /// One full-batch gradient step on the mean loss; returns the mean loss before the step.
    pub fn step(&mut self, xs: JsValue, ys: JsValue, learning_rate: f64) -> Result<f64, JsError> {
        let xs = numbers("X", &xs)?;
        let ys = numbers("Y", &ys)?;
        self.inner.step(&xs, &ys, learning_rate).map_err(js_error)
    }
}

/// `activation(name, xs)`: the activation applied to each entry.
#[wasm_bindgen]
pub fn activation(name: &str, xs: JsValue) -> Result<Vec<f64>, JsError> {
    each_entry(name, &xs, Activation::value)
}

/// `activationDerivative(name, xs)`: the activation's derivative at each entry.
#[wasm_bindgen(js_name = activationDerivative)]
pub fn activation_derivative(name: &str, xs: JsValue) -> Result<Vec<f64>, JsError> {
    each_entry(name, &xs, Activation::derivative)
}

fn each_entry(
    name: &str,
    xs: &JsValue,
    f: fn(Activation, f64) -> f64,
) -> Result<Vec<f64>, JsError> {
    let activation = activation_named(name)?;
    Ok(numbers("xs", xs)?
        .into_iter()
        .map(|x| f(activation, x))
        .collect())
}

/// The names of every activation, in the page's order.
#[wasm_bindgen(js_name = activationNames)]
pub fn activation_names() -> Vec<String> {
    Activation::ALL
        .iter()
        .map(|a| a.name().to_string())
        .collect()
}

/// The |x| beyond which σ′ < 0.01: the edge of the shaded, saturated region.
#[wasm_bindgen(js_name = saturationEdge)]
pub fn saturation_edge() -> f64 {
    crate::activation::sigmoid_saturation_edge(crate::plot::activations::SATURATION_LEVEL)
}
