//! The weights a landscape can put on its axes: entries of A and b, their names and keys.

use crate::network::Network;
use crate::trainer::SettingError;

/// One weight of the network: an entry of A or of b (0-based here, 1-based in names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    /// A_jk: the weight from input k into hidden unit j (row j, column k).
    A { row: usize, column: usize },
    /// b_j: hidden unit j's output weight.
    B { unit: usize },
}

impl Parameter {
    /// The default axes: b₁ across, A₁₁ up.
    pub const DEFAULT_X: Parameter = Parameter::B { unit: 0 };
    pub const DEFAULT_Y: Parameter = Parameter::A { row: 0, column: 0 };

    /// The flat index of [`Network::set_parameter`]: A's entries row-major, then b's.
    pub fn index(self, inputs: usize, hidden: usize) -> usize {
        match self {
            Parameter::A { row, column } => row * inputs + column,
            Parameter::B { unit } => hidden * inputs + unit,
        }
    }

    /// The parameter at a flat index, if the network has one there.
    pub fn from_index(index: usize, inputs: usize, hidden: usize) -> Option<Parameter> {
        let weights = hidden * inputs;
        if index < weights {
            Some(Parameter::A {
                row: index / inputs,
                column: index % inputs,
            })
        } else if index < weights + hidden {
            Some(Parameter::B {
                unit: index - weights,
            })
        } else {
            None
        }
    }

    /// Every parameter of a network with m = `inputs` and h = `hidden`, in flat order.
    pub fn all(inputs: usize, hidden: usize) -> Vec<Parameter> {
        (0..hidden * (inputs + 1))
            .filter_map(|i| Parameter::from_index(i, inputs, hidden))
            .collect()
    }

    /// The hidden unit the weight belongs to.
    pub fn unit(self) -> usize {
        match self {
            Parameter::A { row, .. } => row,
            Parameter::B { unit } => unit,
        }
    }

    /// Whether a network with m = `inputs` and h = `hidden` has this weight.
    pub fn fits(self, inputs: usize, hidden: usize) -> bool {
        match self {
            Parameter::A { row, column } => row < hidden && column < inputs,
            Parameter::B { unit } => unit < hidden,
        }
    }

    /// The weight's value in `network`, if it has it.
    pub fn value(self, network: &Network) -> Option<f64> {
        match self {
            Parameter::A { row, column } if column < network.inputs() => network
                .weights_a()
                .get(row * network.inputs() + column)
                .copied(),
            Parameter::A { .. } => None,
            Parameter::B { unit } => network.weights_b().get(unit).copied(),
        }
    }

    /// The name on paper: "A₁₁", "b₁"; with an index of two digits or more the indices are
    /// separated by a comma, "A₁₂,₁".
    pub fn name(self) -> String {
        let (letter, indices) = match self {
            Parameter::A { row, column } => ('A', vec![row + 1, column + 1]),
            Parameter::B { unit } => ('b', vec![unit + 1]),
        };
        let comma = indices.iter().any(|&i| i >= 10);
        let mut name = String::from(letter);
        for (n, index) in indices.iter().enumerate() {
            if comma && n > 0 {
                name.push(',');
            }
            for digit in index.to_string().bytes() {
                name.push(char::from_u32('₀' as u32 + u32::from(digit - b'0')).unwrap_or('?'));
            }
        }
        name
    }

    /// The ASCII key for links: "A1_1", "b1" (1-based).
    pub fn key(self) -> String {
        match self {
            Parameter::A { row, column } => format!("A{}_{}", row + 1, column + 1),
            Parameter::B { unit } => format!("b{}", unit + 1),
        }
    }

    /// Reads a key ("A2_1", "b3"; the letter in either case) for a network with m = `inputs`
    /// and h = `hidden`.
    pub fn parse(key: &str, inputs: usize, hidden: usize) -> Result<Parameter, SettingError> {
        let number = |text: &str| -> Option<usize> {
            let digits = text.len() <= 3 && text.bytes().all(|c| c.is_ascii_digit());
            match text.parse::<usize>() {
                Ok(n) if digits && n >= 1 && !text.starts_with('0') => Some(n - 1),
                _ => None,
            }
        };
        let mut chars = key.chars();
        let parsed = match (chars.next(), chars.as_str()) {
            (Some('A' | 'a'), rest) => rest.split_once('_').and_then(|(row, column)| {
                Some(Parameter::A {
                    row: number(row)?,
                    column: number(column)?,
                })
            }),
            (Some('b' | 'B'), rest) => number(rest).map(|unit| Parameter::B { unit }),
            _ => None,
        };
        match parsed {
            Some(parameter) if parameter.fits(inputs, hidden) => Ok(parameter),
            _ => {
                let shown: String = key.chars().take(24).collect();
                Err(SettingError(format!(
                    "a weight is A<row>_<column> (row 1 to {hidden}, column 1 to {inputs}) or \
                     b<unit> (1 to {hidden}), as in \"A1_1\" or \"b1\"; got \"{shown}\""
                )))
            }
        }
    }
}
