//! The worksheet's network and the activation functions, for course notes and tests.

use super::args::{copy_exact_pair, count, numbers, read_into, text, whole};
use super::Record;
use crate::activation::Activation;
use crate::network::{self, check_batch_size, MAX_BATCH_INPUTS, MAX_EXAMPLES, MAX_SIZE};
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The most entries `activation` and `activationDerivative` take in one call.
pub const MAX_ENTRIES: usize = 1_000_000;

/// An activation's name, checked.
pub(super) fn activation_named(value: &JsValue) -> Result<Activation, JsError> {
    Ok(text("the activation", value, 32)?.parse::<Activation>()?)
}

/// A JS number used as a seed: a whole number from 0 to 2^53 − 1.
fn seed(value: f64) -> Result<u64, JsError> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if value.fract() == 0.0 && (0.0..=MAX_SAFE).contains(&value) {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "the seed must be a whole number from 0 to 2^53 − 1, got {}",
            crate::format::format_plain(value)
        )))
    }
}

/// The worksheet's network f(x) = bᵀσ(Ax), owned by Rust; JavaScript holds a handle.
#[wasm_bindgen]
pub struct Network {
    inner: network::Network,
    /// The last batch's X and Y, kept so that each step reuses their memory.
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Whether `xs` and `ys` hold a batch whose sizes passed every check. m and h never change,
    /// so a batch of the same sizes passes them again: it is copied without them.
    batch_checked: bool,
}

impl Network {
    /// Reads a batch's X (n·m numbers) and Y (n numbers) into `self.xs` and `self.ys`; every
    /// size is checked against the batch limits before anything is copied.
    fn read_batch(&mut self, xs: &JsValue, ys: &JsValue) -> Result<(), JsError> {
        if self.batch_checked && copy_exact_pair(xs, &mut self.xs, ys, &mut self.ys) {
            return Ok(());
        }
        self.batch_checked = false;
        let (m, h) = (self.inner.inputs(), self.inner.hidden());
        let n = count("Y", ys, MAX_EXAMPLES)?;
        check_batch_size(n, m, h)?;
        let x_len = count("X", xs, MAX_BATCH_INPUTS)?;
        if n == 0 || x_len != n * m {
            return Err(network::NetworkError::BatchMismatch {
                inputs_len: x_len,
                targets_len: n,
                m,
            }
            .into());
        }
        read_into("Y", ys, n, &mut self.ys)?;
        read_into("X", xs, x_len, &mut self.xs)?;
        self.batch_checked = true;
        Ok(())
    }
}

#[wasm_bindgen]
impl Network {
    /// `new Network(m, h, activation, seed)`: m inputs, h hidden units (each 1 to 256),
    /// an activation name, and a seed for the initial weights.
    #[wasm_bindgen(constructor)]
    pub fn new(
        m: f64,
        h: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] activation: JsValue,
        seed: f64,
    ) -> Result<Network, JsError> {
        let inputs = whole("m (the input size)", m, (1, MAX_SIZE))?;
        let hidden = whole("h (the number of hidden units)", h, (1, MAX_SIZE))?;
        let activation = activation_named(&activation)?;
        let seed = self::seed(seed)?;
        let inner = network::Network::new(inputs, hidden, activation, seed)?;
        Ok(Network {
            inner,
            xs: Vec::new(),
            ys: Vec::new(),
            batch_checked: false,
        })
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

    /// Replaces A (h·m numbers, row-major) and b (h numbers); on error nothing changes.
    #[wasm_bindgen(js_name = setWeights)]
    pub fn set_weights(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] b: JsValue,
    ) -> Result<(), JsError> {
        let a = numbers("A", &a, MAX_SIZE * MAX_SIZE)?;
        let b = numbers("b", &b, MAX_SIZE)?;
        Ok(self.inner.set_weights(&a, &b)?)
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
    pub fn forward(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
        y: f64,
    ) -> Result<Object, JsError> {
        let x = numbers("x", &x, MAX_SIZE)?;
        let forward = self.inner.forward(&x, y)?;
        Ok(Record::new().forward(&forward)?.done())
    }

    /// The backward pass for one example: `{dA, db, dz1, dz2, dz3, dz4}` and the forward values.
    pub fn backward(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
        y: f64,
    ) -> Result<Object, JsError> {
        let x = numbers("x", &x, MAX_SIZE)?;
        let (forward, grads) = self.inner.backward(&x, y)?;
        Ok(Record::new()
            .vector("dA", &grads.da)?
            .vector("db", &grads.db)?
            .vector("dz1", &grads.dz1)?
            .vector("dz2", &grads.dz2)?
            .number("dz3", grads.dz3)?
            .number("dz4", grads.dz4)?
            .forward(&forward)?
            .done())
    }

    /// f(x) = bᵀσ(Ax) for one input.
    pub fn predict(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] x: JsValue,
    ) -> Result<f64, JsError> {
        let x = numbers("x", &x, MAX_SIZE)?;
        Ok(self.inner.predict(&x)?)
    }

    /// The mean loss over a batch: X holds n·m numbers row-major, Y holds n (n ≤ 100,000).
    #[wasm_bindgen(js_name = meanLoss)]
    pub fn mean_loss(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] ys: JsValue,
    ) -> Result<f64, JsError> {
        self.read_batch(&xs, &ys)?;
        Ok(self.inner.mean_loss(&self.xs, &self.ys)?)
    }

    /// One full-batch gradient step on the mean loss; returns the mean loss before the step.
    /// A step that would leave weights or a loss too large for float64 is refused.
    pub fn step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] ys: JsValue,
        learning_rate: f64,
    ) -> Result<f64, JsError> {
        self.read_batch(&xs, &ys)?;
        Ok(self.inner.step(&self.xs, &self.ys, learning_rate)?)
    }
}

/// `activation(name, xs)`: the activation applied to each entry (at most 1,000,000).
#[wasm_bindgen]
pub fn activation(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
) -> Result<Vec<f64>, JsError> {
    each_entry(&name, &xs, Activation::value)
}

/// `activationDerivative(name, xs)`: the activation's derivative at each entry.
#[wasm_bindgen(js_name = activationDerivative)]
pub fn activation_derivative(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] xs: JsValue,
) -> Result<Vec<f64>, JsError> {
    each_entry(&name, &xs, Activation::derivative)
}

fn each_entry(
    name: &JsValue,
    xs: &JsValue,
    f: fn(Activation, f64) -> f64,
) -> Result<Vec<f64>, JsError> {
    let activation = activation_named(name)?;
    let xs = numbers("xs", xs, MAX_ENTRIES)?;
    if xs.iter().any(|x| !x.is_finite()) {
        return Err(JsError::new(
            "xs must contain only finite numbers (no NaN or infinity)",
        ));
    }
    Ok(xs.into_iter().map(|x| f(activation, x)).collect())
}
