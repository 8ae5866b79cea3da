//! The cost panel's numbers (worksheet 2(d)): the work of each way to the full gradient of a
//! chain on one example, measured by running the instrumented code where that is quick and
//! taken from the closed forms (which the tests check against the instrument) where it is not.

use crate::activation::Activation;
use crate::chain::{counts, Chain, ChainError, Init, Work};

/// Above this many multiply-adds the per-parameter methods are not run (a few milliseconds in
/// the browser): their counts come from the closed forms.
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
    /// Passes through the graph (forward or backward) each method makes.
    pub backprop_passes: u64,
    pub finite_passes: u64,
    pub chain_rule_passes: u64,
    /// Whether the per-parameter methods were run (else their counts are the closed forms).
    pub measured: bool,
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
    let measured = finite_formula <= MEASURE_LIMIT && chain_rule_formula <= MEASURE_LIMIT;
    let (finite, chain_rule) = if measured {
        chain.reset_work();
        chain.finite_differences(&x, y);
        let finite = chain.work();
        chain.reset_work();
        chain.chain_rule_per_parameter(&x, y);
        (finite, chain.work())
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
        )
    };
    let passes = |work: Work| work.forward_passes + work.backward_passes;
    Ok(Cost {
        parameters,
        forward: counts::forward(&fans, width),
        backprop: backprop.multiply_adds,
        finite_differences: finite.multiply_adds,
        chain_rule: chain_rule.multiply_adds,
        backprop_passes: passes(backprop),
        finite_passes: passes(finite),
        chain_rule_passes: passes(chain_rule),
        measured,
    })
}
