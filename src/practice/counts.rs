//! Worksheet 2(d), why backpropagation: how many derivatives one round of updates needs, what
//! one-derivative-at-a-time costs against backpropagation, and what one more layer changes.
//! The numbers come from [`crate::chain::counts`], the same formulas the cost panel uses.

use super::HINT_LEVELS;
use crate::chain::counts;
use crate::rng::Rng;
use std::fmt;

/// The longest typed count read, in characters.
pub const MAX_COUNT_CHARS: usize = 40;

/// The range m is drawn from.
pub const INPUT_RANGE: (usize, usize) = (2, 10);

/// The range h is drawn from.
pub const HIDDEN_RANGE: (usize, usize) = (2, 16);

/// One set of sizes to count for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountsProblem {
    /// m, the input size.
    pub inputs: usize,
    /// h, the number of hidden units.
    pub hidden: usize,
}

/// The questions asked about a [`CountsProblem`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountQuestion {
    /// How many partial derivatives one round of updates needs: P = hm + h.
    Derivatives,
    /// Forward passes for all of them by central differences, one at a time: 2P.
    FiniteDifferencePasses,
    /// Passes through the graph for all of them by backpropagation: 2.
    BackpropPasses,
    /// Derivatives with one more hidden layer of h units: hm + h² + h.
    DerivativesWithAnotherLayer,
}

/// The verdict on a typed count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountVerdict {
    Right,
    /// A number, but not the right one; the hint says why when the number is a known slip.
    Wrong {
        hint: &'static str,
    },
    /// Not a number.
    Unreadable(CountError),
}

/// Why a typed count could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountError {
    Empty,
    TooLong,
    Negative,
    NotWhole,
    /// Digits grouped other than in threes ("1,00").
    BadGrouping,
    TooLarge,
    NotANumber,
}

impl fmt::Display for CountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CountError::Empty => "Type a whole number, like 12.",
            CountError::TooLong => "That is too long for a count; type a whole number, like 12.",
            CountError::Negative => "A count can't be negative.",
            CountError::NotWhole => "A count is a whole number: no decimal point.",
            CountError::BadGrouping => {
                "Separate thousands in groups of three, as in 1,000 (or write no separator)."
            }
            CountError::TooLarge => "That number is far too large.",
            CountError::NotANumber => "Type the count as digits only, like 12 or 1,000.",
        })
    }
}

impl std::error::Error for CountError {}

impl fmt::Display for CountVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CountVerdict::Right => f.write_str("Right."),
            CountVerdict::Wrong { hint } => write!(f, "Not yet. {hint}"),
            CountVerdict::Unreadable(error) => error.fmt(f),
        }
    }
}

/// Reads a typed count: digits, optionally grouped in threes by commas, spaces or
/// underscores ("1,000", "1 000"), with spaces around.
pub fn parse_count(text: &str) -> Result<u64, CountError> {
    if text.chars().nth(MAX_COUNT_CHARS).is_some() {
        return Err(CountError::TooLong);
    }
    let text = text.trim();
    let text = text.strip_prefix('+').unwrap_or(text);
    let mut value: u64 = 0;
    let mut group = 0usize; // digits since the last separator
    let mut separator: Option<char> = None;
    let mut after_point: Option<usize> = None; // digits after a decimal point
    for c in text.chars() {
        match (c, after_point) {
            ('0'..='9', Some(count)) => {
                if c != '0' {
                    return Err(CountError::NotWhole);
                }
                after_point = Some(count + 1);
            }
            ('0'..='9', None) => {
                group += 1;
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(c) - u64::from('0')))
                    .ok_or(CountError::TooLarge)?;
            }
            ('.', None) => after_point = Some(0),
            ('.', Some(_)) => return Err(CountError::NotWhole),
            ('-' | '−', _) => return Err(CountError::Negative),
            (',' | '_' | ' ' | '\u{A0}' | '\u{2009}' | '\u{202F}', None) => {
                // Groups of three: the first 1 to 3 digits, every later one exactly 3.
                let first = separator.is_none();
                if separator.is_some_and(|s| s != c)
                    || first && !(1..=3).contains(&group)
                    || !first && group != 3
                {
                    return Err(CountError::BadGrouping);
                }
                separator = Some(c);
                group = 0;
            }
            _ => return Err(CountError::NotANumber),
        }
    }
    if text.is_empty() {
        Err(CountError::Empty)
    } else if separator.is_some() && group != 3 {
        Err(CountError::BadGrouping)
    } else if text.starts_with('.') || after_point == Some(0) && text.len() == 1 {
        Err(CountError::NotANumber)
    } else {
        Ok(value)
    }
}

impl CountQuestion {
    pub const ALL: [CountQuestion; 4] = [
        CountQuestion::Derivatives,
        CountQuestion::FiniteDifferencePasses,
        CountQuestion::BackpropPasses,
        CountQuestion::DerivativesWithAnotherLayer,
    ];

    /// A stable name for the page.
    pub fn name(self) -> &'static str {
        match self {
            CountQuestion::Derivatives => "derivatives",
            CountQuestion::FiniteDifferencePasses => "finite_difference_passes",
            CountQuestion::BackpropPasses => "backprop_passes",
            CountQuestion::DerivativesWithAnotherLayer => "derivatives_with_another_layer",
        }
    }

    pub fn from_name(name: &str) -> Option<CountQuestion> {
        CountQuestion::ALL.into_iter().find(|q| q.name() == name)
    }

    /// The question as the student reads it (the page shows m and h beside it).
    pub fn prompt(self) -> &'static str {
        match self {
            CountQuestion::Derivatives => {
                "How many partial derivatives does one round of updates of A and b need?"
            }
            CountQuestion::FiniteDifferencePasses => {
                "Computing them one at a time by central differences, how many forward passes \
                 through the graph does that take?"
            }
            CountQuestion::BackpropPasses => {
                "How many passes through the graph does backpropagation take for all of them?"
            }
            CountQuestion::DerivativesWithAnotherLayer => {
                "With a second hidden layer of h units between z2 and the output, how many \
                 partial derivatives would one round need?"
            }
        }
    }
}

impl CountsProblem {
    /// Sizes drawn from `seed`: m in [`INPUT_RANGE`], h in [`HIDDEN_RANGE`].
    pub fn draw(seed: u64) -> CountsProblem {
        let mut rng = Rng::new(seed);
        let mut pick =
            |(low, high): (usize, usize)| low + (rng.next_u64() % (high - low + 1) as u64) as usize;
        let inputs = pick(INPUT_RANGE);
        let hidden = pick(HIDDEN_RANGE);
        CountsProblem { inputs, hidden }
    }

    /// P = hm + h, the parameters (one derivative each).
    pub fn parameters(self) -> u64 {
        counts::parameters(&[self.inputs], self.hidden)
    }

    /// The right answer to a question.
    pub fn answer(self, question: CountQuestion) -> u64 {
        match question {
            CountQuestion::Derivatives => self.parameters(),
            CountQuestion::FiniteDifferencePasses => {
                counts::finite_difference_passes(&[self.inputs], self.hidden)
            }
            CountQuestion::BackpropPasses => counts::BACKPROP_PASSES,
            CountQuestion::DerivativesWithAnotherLayer => {
                counts::parameters(&[self.inputs, self.hidden], self.hidden)
            }
        }
    }

    /// Checks a typed answer.
    pub fn check(self, question: CountQuestion, text: &str) -> CountVerdict {
        let value = match parse_count(text) {
            Ok(value) => value,
            Err(error) => return CountVerdict::Unreadable(error),
        };
        if value == self.answer(question) {
            return CountVerdict::Right;
        }
        CountVerdict::Wrong {
            hint: self.slip(question, value),
        }
    }

    /// What a wrong count probably came from.
    fn slip(self, question: CountQuestion, value: u64) -> &'static str {
        let (m, h) = (self.inputs as u64, self.hidden as u64);
        let p = self.parameters();
        match question {
            CountQuestion::Derivatives if value == h * m => {
                "That counts the entries of A only; b has h more."
            }
            CountQuestion::Derivatives if value == h => {
                "That counts b only; A has h × m entries more."
            }
            CountQuestion::Derivatives if value == h + m || value == h * m + m => {
                "A has h × m entries (one per weight) and b has h."
            }
            CountQuestion::Derivatives => {
                "One derivative per parameter: count the entries of A (h × m) and of b (h)."
            }
            CountQuestion::FiniteDifferencePasses if value == p => {
                "Central differences need two passes per parameter: L(θ + ε) and L(θ − ε)."
            }
            CountQuestion::FiniteDifferencePasses if value == p + 1 => {
                "That is forward differences (one shared pass plus one per parameter); central \
                 differences take two passes per parameter."
            }
            CountQuestion::FiniteDifferencePasses if value == counts::BACKPROP_PASSES => {
                "That is backpropagation's count; one derivative at a time costs passes for \
                 every parameter."
            }
            CountQuestion::FiniteDifferencePasses => {
                "Count the parameters first; each needs the loss at θ + ε and at θ − ε."
            }
            CountQuestion::BackpropPasses if value == 1 => {
                "One forward pass gives the z's and L; then one backward pass gives every \
                 derivative."
            }
            CountQuestion::BackpropPasses if value >= p => {
                "Backpropagation does not go once per parameter: one backward pass gives all of \
                 them, reusing the forward values."
            }
            CountQuestion::BackpropPasses => {
                "Count a forward pass and a backward pass, whatever m and h are."
            }
            CountQuestion::DerivativesWithAnotherLayer if value == 2 * p => {
                "The new layer reads the h outputs of the first, not the m inputs: its matrix is \
                 h × h."
            }
            CountQuestion::DerivativesWithAnotherLayer if value == p || value == p + h => {
                "The new layer brings its own weight matrix, h × h: h² more parameters."
            }
            CountQuestion::DerivativesWithAnotherLayer => {
                "Add up the first layer (h × m), the new layer (h × h) and b (h)."
            }
        }
    }
}

/// An option of the multiple-choice question on one more layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerOption {
    pub text: &'static str,
    pub right: bool,
    /// Why it is right or wrong.
    pub explanation: &'static str,
}

/// The question about adding a layer.
pub const LAYER_QUESTION: &str =
    "The network gets one more hidden layer. What happens to the two ways of getting every \
     derivative?";

/// Its options; exactly one is right.
pub const LAYER_OPTIONS: [LayerOption; 4] = [
    LayerOption {
        text: "There are more parameters, so more derivatives; one at a time costs two passes \
               for each, but backpropagation still takes one forward and one backward pass, so \
               the gap grows.",
        right: true,
        explanation: "Right: each pass gets longer with the new layer, but backpropagation \
                      still needs just one of each, while one at a time needs two per parameter.",
    },
    LayerOption {
        text: "Backpropagation needs one more backward pass for each layer, so it loses its \
               advantage in deep networks.",
        right: false,
        explanation: "One backward pass goes through every layer, reusing each layer's \
                      derivative for the layer below; it does not repeat per layer.",
    },
    LayerOption {
        text: "Nothing changes: the number of derivatives depends only on the input size m.",
        right: false,
        explanation: "Every weight needs its derivative, and the new layer brings h × h new \
                      weights.",
    },
    LayerOption {
        text: "One at a time becomes cheaper than backpropagation, because each derivative on \
               its own is a short formula.",
        right: false,
        explanation: "Each of those derivatives still needs passes through the whole network; \
                      backpropagation shares that work between all of them.",
    },
];

/// The option with this index, if there is one.
pub fn layer_option(index: usize) -> Option<LayerOption> {
    LAYER_OPTIONS.get(index).copied()
}

/// Three hints for the counts, each more specific.
pub fn hints() -> [&'static str; HINT_LEVELS] {
    [
        "One round of updates needs ∂L/∂θ for every parameter θ: every entry of A and of b.",
        "Central differences estimate each derivative from L(θ + ε) and L(θ − ε): two forward \
         passes per parameter. Backpropagation gets all of them from one forward and one \
         backward pass.",
        "P = hm + h derivatives; one at a time: 2P forward passes; backpropagation: 2 passes. \
         Another hidden layer of h units adds h² parameters.",
    ]
}
