//! The cost panel's numbers (worksheet 2(d)): the work of each way to the full gradient of a
//! chain on one example, measured by running the instrumented code where that is quick and
//! taken from the closed forms (which the tests check against the instrument) where it is not.

use crate::activation::Activation;
use crate::chain::{counts, Chain, ChainError, Init, Work};

/// Above this many multiply-adds the per-parameter methods (finite differences, forward mode,
/// the chain rule per parameter) are not run (a few milliseconds in the browser): their counts
/// come from the closed forms.
pub const MEASURE_LIMIT: u64 = 2_000_000;

/// The work of every method for one chain and one example.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cost {
    pub parameters: u64,
    /// One forward pass.
    pub forward: u64,
    pub backprop: u64,
    pub finite_differences: u64,
    pub chain_rule: u64,
    /// Forward mode: one tangent pass per parameter after one forward pass.
    pub forward_mode: u64,
    /// Passes through the graph (forward or backward) each method makes.
    pub backprop_passes: u64,
    pub finite_passes: u64,
    pub chain_rule_passes: u64,
    pub forward_mode_passes: u64,
    /// Whether the per-parameter methods were run (else their counts are the closed forms).
    pub measured: bool,
}

/// A way to the full gradient, as the cost panel's table and charts name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    FiniteDifferences,
    ChainRule,
    ForwardMode,
    Backprop,
}

impl Method {
    /// In the table's order, the most work first.
    pub const ALL: [Method; 4] = [
        Method::FiniteDifferences,
        Method::ChainRule,
        Method::ForwardMode,
        Method::Backprop,
    ];

    /// A stable name for the page: "finiteDifferences", "chainRule", "forwardMode", "backprop".
    pub fn key(self) -> &'static str {
        match self {
            Method::FiniteDifferences => "finiteDifferences",
            Method::ChainRule => "chainRule",
            Method::ForwardMode => "forwardMode",
            Method::Backprop => "backprop",
        }
    }

    /// The table's row heading.
    pub fn name(self) -> &'static str {
        match self {
            Method::FiniteDifferences => "Finite differences",
            Method::ChainRule => "Chain rule",
            Method::ForwardMode => "Forward mode",
            Method::Backprop => "Backpropagation",
        }
    }

    /// How it goes, after the heading ("" for backpropagation).
    pub fn how(self) -> &'static str {
        match self {
            Method::FiniteDifferences | Method::ChainRule => "one parameter at a time",
            Method::ForwardMode => "one tangent pass per parameter",
            Method::Backprop => "",
        }
    }

    /// The charts' legend entry.
    pub fn legend(self) -> &'static str {
        match self {
            Method::FiniteDifferences => "finite differences",
            Method::ChainRule => "chain rule per parameter",
            Method::ForwardMode => "forward mode",
            Method::Backprop => "backpropagation",
        }
    }

    /// The closed form of its multiply-adds for a chain with these fan-ins and width.
    pub fn closed_form(self, fan_ins: &[usize], width: usize) -> u64 {
        match self {
            Method::FiniteDifferences => counts::finite_differences(fan_ins, width),
            Method::ChainRule => counts::chain_rule(fan_ins, width),
            Method::ForwardMode => counts::forward_mode(fan_ins, width),
            Method::Backprop => counts::backprop(fan_ins, width),
        }
    }
}

impl Cost {
    /// A method's multiply-adds and passes.
    pub fn of(&self, method: Method) -> (u64, u64) {
        match method {
            Method::FiniteDifferences => (self.finite_differences, self.finite_passes),
            Method::ChainRule => (self.chain_rule, self.chain_rule_passes),
            Method::ForwardMode => (self.forward_mode, self.forward_mode_passes),
            Method::Backprop => (self.backprop, self.backprop_passes),
        }
    }
}

/// The fan-in of each of `depth` layers of `width` units on `inputs` inputs.
pub fn fan_ins(inputs: usize, depth: usize, width: usize) -> Vec<usize> {
    (0..depth)
        .map(|l| if l == 0 { inputs } else { width })
        .collect()
}

/// The cost of the full gradient of a chain (depth 1 and width h is the worksheet's network),
/// on the fixed example x = (0.5, …, 0.5), y = 0.3.
pub fn count(inputs: usize, depth: usize, width: usize) -> Result<Cost, ChainError> {
    let mut chain = Chain::new(inputs, depth, width, Activation::Sigmoid, Init::Xavier, 1)?;
    let fans = fan_ins(inputs, depth, width);
    let x = vec![0.5; inputs];
    let y = 0.3;
    let parameters = chain.parameter_count() as u64;
    chain.backprop(&x, y);
    let backprop = chain.work();
    let finite_formula = counts::finite_differences(&fans, width);
    let chain_rule_formula = counts::chain_rule(&fans, width);
    let forward_mode_formula = counts::forward_mode(&fans, width);
    let measured = [finite_formula, chain_rule_formula, forward_mode_formula]
        .iter()
        .all(|&work| work <= MEASURE_LIMIT);
    let (finite, chain_rule, forward_mode) = if measured {
        chain.reset_work();
        chain.finite_differences(&x, y);
        let finite = chain.work();
        chain.reset_work();
        chain.chain_rule_per_parameter(&x, y);
        let chain_rule = chain.work();
        chain.reset_work();
        chain.forward_mode(&x, y);
        (finite, chain_rule, chain.work())
    } else {
        let weights = parameters - width as u64;
        let work = |multiply_adds, forward_passes, backward_passes| Work {
            multiply_adds,
            forward_passes,
            backward_passes,
        };
        (
            work(
                finite_formula,
                counts::finite_difference_passes(&fans, width),
                0,
            ),
            work(chain_rule_formula, parameters, weights),
            work(
                forward_mode_formula,
                counts::forward_mode_passes(&fans, width),
                0,
            ),
        )
    };
    let passes = |work: Work| work.forward_passes + work.backward_passes;
    Ok(Cost {
        parameters,
        forward: counts::forward(&fans, width),
        backprop: backprop.multiply_adds,
        finite_differences: finite.multiply_adds,
        chain_rule: chain_rule.multiply_adds,
        forward_mode: forward_mode.multiply_adds,
        backprop_passes: passes(backprop),
        finite_passes: passes(finite),
        chain_rule_passes: passes(chain_rule),
        forward_mode_passes: passes(forward_mode),
        measured,
    })
}
