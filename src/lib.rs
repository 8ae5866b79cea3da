//! Backprop Lab's core: the worksheet's two-layer network f(x) = bᵀσ(Ax) with the squared
//! loss L = (y − f(x))², its activations, seeded data and random numbers, and the charts that
//! show them.
//!
//! Everything except [`web`] is plain Rust with no browser dependency, so `cargo test` checks
//! it natively; [`web`] holds every `#[wasm_bindgen]` export.
//!
//! ```
//! use backprop_lab::{Activation, Network, NetworkError};
//!
//! # fn main() -> Result<(), NetworkError> {
//! // m = 2 inputs, h = 3 hidden units, sigmoid, seed 7.
//! let mut net = Network::new(2, 3, Activation::Sigmoid, 7)?;
//! let (forward, grads) = net.backward(&[0.5, 1.0], 2.0)?;
//! assert_eq!(forward.loss, forward.z4 * forward.z4); // L = z4²
//! assert_eq!(grads.db[0], -2.0 * forward.z4 * forward.z2[0]); // ∂L/∂b = −2·z4·z2
//!
//! // One gradient step on a batch of two examples lowers the mean loss.
//! let (xs, ys) = ([0.5, 1.0, -0.5, 1.0], [2.0, -1.0]);
//! let before = net.step(&xs, &ys, 0.1)?;
//! assert!(net.mean_loss(&xs, &ys)? < before);
//! # Ok(())
//! # }
//! ```

pub mod activation;
pub mod benchmark;
#[cfg(feature = "capi")]
pub mod capi;
pub mod chain;
pub mod check;
pub mod cost;
pub mod data;
pub mod decimal;
pub mod explorer;
pub mod expr;
pub mod format;
pub mod handfit;
pub mod json;
pub mod kernel;
pub mod landscape;
pub mod lanes;
#[cfg(feature = "plot")]
pub mod markup;
pub mod math;
pub mod network;
#[cfg(feature = "plot")]
pub mod plot;
pub mod practice;
pub mod rng;
pub mod trainer;
#[cfg(feature = "web")]
pub mod web;
pub mod weights_file;

pub use activation::Activation;
pub use network::{Forward, Gradients, Network, NetworkError};
pub use rng::Rng;
