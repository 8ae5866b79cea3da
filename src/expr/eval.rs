//! Values of an expression on one example of the worksheet's network, in f64.

use super::{Function, Kind, Node, Symbol};
use crate::activation::{sigmoid, Activation};
use crate::network::{Forward, Network, NetworkError};
use std::fmt;

/// The largest m and h of an [`Instance`]: it bounds every value an expression can make
/// (at most 16 × 16 entries) and so the work of evaluating one.
pub const MAX_INSTANCE_SIZE: usize = 16;

/// A matrix of f64, row-major; a number is 1 × 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    rows: usize,
    cols: usize,
    entries: Vec<f64>,
}

impl Value {
    /// A number as a 1 × 1 value.
    pub fn scalar(value: f64) -> Value {
        Value {
            rows: 1,
            cols: 1,
            entries: vec![value],
        }
    }

    /// A rows × cols value from its entries, row by row; `None` if the count is wrong.
    pub fn new(rows: usize, cols: usize, entries: Vec<f64>) -> Option<Value> {
        (rows.checked_mul(cols) == Some(entries.len()) && rows > 0 && cols > 0).then_some(Value {
            rows,
            cols,
            entries,
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The entries, row by row.
    pub fn entries(&self) -> &[f64] {
        &self.entries
    }

    pub fn is_scalar(&self) -> bool {
        self.rows == 1 && self.cols == 1
    }

    /// Entry (row, col); NaN outside the matrix.
    fn at(&self, row: usize, col: usize) -> f64 {
        self.entries
            .get(row * self.cols + col)
            .copied()
            .unwrap_or(f64::NAN)
    }

    pub fn transposed(&self) -> Value {
        let mut entries = Vec::with_capacity(self.entries.len());
        for c in 0..self.cols {
            for r in 0..self.rows {
                entries.push(self.at(r, c));
            }
        }
        Value {
            rows: self.cols,
            cols: self.rows,
            entries,
        }
    }

    fn map(mut self, f: fn(f64) -> f64) -> Value {
        self.entries.iter_mut().for_each(|v| *v = f(*v));
        self
    }

    /// Entry by entry, with a number on either side acting on every entry. Shapes that do not
    /// fit (which shape inference rules out) give NaN rather than a panic.
    fn zip(self, other: Value, f: fn(f64, f64) -> f64) -> Value {
        // The result takes the shape of the side that is not a number.
        let swapped = self.is_scalar() && !other.is_scalar();
        let (mut out, other) = if swapped {
            (other, self)
        } else {
            (self, other)
        };
        let fits = other.is_scalar() || (out.rows, out.cols) == (other.rows, other.cols);
        for (i, a) in out.entries.iter_mut().enumerate() {
            let b = other.entries.get(if other.is_scalar() { 0 } else { i });
            *a = match (fits, b) {
                (true, Some(b)) if swapped => f(*b, *a),
                (true, Some(b)) => f(*a, *b),
                _ => f64::NAN,
            };
        }
        out
    }

    /// Scaling, the matrix product, or (two vectors of one shape) entry by entry.
    fn product(self, other: Value) -> Value {
        if self.is_scalar() || other.is_scalar() || self.cols != other.rows {
            return self.zip(other, |a, b| a * b);
        }
        let mut entries = Vec::with_capacity(self.rows * other.cols);
        for r in 0..self.rows {
            for c in 0..other.cols {
                let mut sum = 0.0;
                for k in 0..self.cols {
                    sum += self.at(r, k) * other.at(k, c);
                }
                entries.push(sum);
            }
        }
        Value {
            rows: self.rows,
            cols: other.cols,
            entries,
        }
    }

    fn diag(self) -> Value {
        if self.is_scalar() || (self.rows != 1 && self.cols != 1) {
            return self;
        }
        let n = self.entries.len();
        let mut entries = vec![0.0; n * n];
        for (i, v) in self.entries.iter().enumerate() {
            if let Some(slot) = entries.get_mut(i * n + i) {
                *slot = *v;
            }
        }
        Value {
            rows: n,
            cols: n,
            entries,
        }
    }
}

/// Why an [`Instance`] could not be made.
#[derive(Clone, Debug, PartialEq)]
pub enum InstanceError {
    /// m or h above [`MAX_INSTANCE_SIZE`] (or 0).
    TooLarge { what: &'static str, value: usize },
    /// Wrong lengths or numbers that are not finite.
    Network(NetworkError),
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceError::TooLarge { what, value } => write!(
                f,
                "{what} must be from 1 to {MAX_INSTANCE_SIZE} for checking answers, got {value}"
            ),
            InstanceError::Network(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for InstanceError {}

/// One example on the worksheet's sigmoid network: x, y, A, b and the forward values
/// z1 … z4, which the symbols of an expression stand for.
#[derive(Clone, Debug)]
pub struct Instance {
    network: Network,
    x: Vec<f64>,
    y: f64,
    forward: Forward,
}

impl Instance {
    /// The example (x, y) on the sigmoid network with weights A (h × m, row-major) and b;
    /// m = x.len() and h = b.len(), each from 1 to [`MAX_INSTANCE_SIZE`].
    pub fn new(a: &[f64], b: &[f64], x: &[f64], y: f64) -> Result<Instance, InstanceError> {
        for (what, value) in [
            ("m (the length of x)", x.len()),
            ("h (the length of b)", b.len()),
        ] {
            if !(1..=MAX_INSTANCE_SIZE).contains(&value) {
                return Err(InstanceError::TooLarge { what, value });
            }
        }
        let mut network = Network::new(x.len(), b.len(), Activation::Sigmoid, 0)
            .map_err(InstanceError::Network)?;
        network.set_weights(a, b).map_err(InstanceError::Network)?;
        let forward = network.forward(x, y).map_err(InstanceError::Network)?;
        Ok(Instance {
            network,
            x: x.to_vec(),
            y,
            forward,
        })
    }

    /// m, the input size.
    pub fn inputs(&self) -> usize {
        self.network.inputs()
    }

    /// h, the number of hidden units.
    pub fn hidden(&self) -> usize {
        self.network.hidden()
    }

    pub fn x(&self) -> &[f64] {
        &self.x
    }

    pub fn y(&self) -> f64 {
        self.y
    }

    /// A, h × m row-major.
    pub fn a(&self) -> &[f64] {
        self.network.weights_a()
    }

    pub fn b(&self) -> &[f64] {
        self.network.weights_b()
    }

    /// z1 … z4 and the loss.
    pub fn forward(&self) -> &Forward {
        &self.forward
    }

    /// The network, to run the backward pass on this example.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The value a symbol stands for.
    pub fn value(&self, symbol: Symbol) -> Value {
        let (m, h) = (self.inputs(), self.hidden());
        let matrix = |rows: usize, cols: usize, entries: &[f64]| Value {
            rows,
            cols,
            entries: entries.to_vec(),
        };
        match symbol {
            Symbol::X => matrix(m, 1, &self.x),
            Symbol::Y => Value::scalar(self.y),
            Symbol::A => matrix(h, m, self.a()),
            Symbol::B => matrix(h, 1, self.b()),
            Symbol::Z1 => matrix(h, 1, &self.forward.z1),
            Symbol::Z2 => matrix(h, 1, &self.forward.z2),
            Symbol::Z3 => Value::scalar(self.forward.z3),
            Symbol::Z4 => Value::scalar(self.forward.z4),
        }
    }
}

/// The root's value, computed bottom-up in one loop; each child's value is moved into its
/// parent, so only pending operands are alive. Call after shape inference succeeded.
pub(super) fn evaluate(nodes: &[Node], instance: &Instance) -> Value {
    let mut values: Vec<Option<Value>> = Vec::with_capacity(nodes.len());
    for node in nodes {
        let mut take = |child: usize| {
            values
                .get_mut(child)
                .and_then(Option::take)
                .unwrap_or_else(|| Value::scalar(f64::NAN))
        };
        let value = match node.kind {
            Kind::Number(number) => Value::scalar(number.value),
            Kind::Symbol(symbol) => instance.value(symbol),
            Kind::Negate(c) => take(c).map(|v| -v),
            Kind::Add(l, r) => {
                let left = take(l);
                left.zip(take(r), |a, b| a + b)
            }
            Kind::Subtract(l, r) => {
                let left = take(l);
                left.zip(take(r), |a, b| a - b)
            }
            Kind::Multiply(l, r, _) => {
                let left = take(l);
                left.product(take(r))
            }
            Kind::Entrywise(l, r) => {
                let left = take(l);
                left.zip(take(r), |a, b| a * b)
            }
            Kind::Divide(l, r) => {
                let left = take(l);
                left.zip(take(r), |a, b| a / b)
            }
            Kind::Transpose(c) => take(c).transposed(),
            Kind::Square(c) => take(c).map(|v| v * v),
            Kind::Apply(Function::Sigma, c) => take(c).map(sigmoid),
            Kind::Apply(Function::SigmaPrime, c) => {
                take(c).map(|v| Activation::Sigmoid.derivative(v))
            }
            Kind::Apply(Function::Diag, c) => take(c).diag(),
            Kind::Apply(Function::Exp, c) => take(c).map(f64::exp),
        };
        values.push(Some(value));
    }
    values
        .pop()
        .flatten()
        .unwrap_or_else(|| Value::scalar(f64::NAN))
}
