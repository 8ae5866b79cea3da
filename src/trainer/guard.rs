//! The divergence guard: catches a step whose loss blows up, keeps the best weights of the
//! current run segment (since the last change of settings) to fall back on, and explains what
//! happened in words that name the cause.

use crate::format::{format_rate, format_significant};
use crate::network::Network;

/// A batch loss this many times above max(best loss, max y²) counts as diverging.
pub const DIVERGENCE_FACTOR: f64 = 100.0;
/// A learning rate counts as having worked after this many steps without divergence.
pub const STABLE_STEPS: u64 = 100;

/// Weights saved at a sampled step, with their mean training loss.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub step: u64,
    pub loss: f64,
    a: Vec<f64>,
    b: Vec<f64>,
}

/// Watches a run for divergence.
#[derive(Clone, Debug, Default)]
pub struct Guard {
    best: Option<Snapshot>,
    steps_at_rate: u64,
    largest_stable_rate: Option<f64>,
}

impl Guard {
    /// A new segment of the run starts (new weights, new data, another rate or batch mode):
    /// losses before it no longer compare, so the best weights are forgotten.
    pub fn new_segment(&mut self) {
        self.best = None;
        self.steps_at_rate = 0;
    }

    /// Offers the weights of a sampled step with their mean training loss; they become the
    /// fallback if they are the best of the segment so far.
    pub fn offer(&mut self, network: &Network, step: u64, loss: f64) {
        if !loss.is_finite() || self.best.as_ref().is_some_and(|best| best.loss <= loss) {
            return;
        }
        match &mut self.best {
            Some(best) if best.a.len() == network.weights_a().len() => {
                best.a.copy_from_slice(network.weights_a());
                best.b.copy_from_slice(network.weights_b());
                (best.step, best.loss) = (step, loss);
            }
            _ => {
                self.best = Some(Snapshot {
                    step,
                    loss,
                    a: network.weights_a().to_vec(),
                    b: network.weights_b().to_vec(),
                })
            }
        }
    }

    /// The best weights of the segment, if any step was sampled with a finite loss.
    pub fn best(&self) -> Option<&Snapshot> {
        self.best.as_ref()
    }

    /// Whether a step went wrong: its batch loss (at the weights it started from) is not
    /// finite or far above the scale of the problem, or the weights it left are not finite.
    pub fn diverged(&self, batch_loss: f64, network: &Network, target_scale: f64) -> bool {
        let best = self.best.as_ref().map_or(f64::INFINITY, |b| b.loss);
        let limit = DIVERGENCE_FACTOR * best.min(f64::MAX).max(target_scale);
        !batch_loss.is_finite() || batch_loss > limit || !network.weights_are_finite()
    }

    /// Counts a good step at `rate`; after [`STABLE_STEPS`] the rate is known to work.
    pub fn count_good_step(&mut self, rate: f64) {
        self.steps_at_rate += 1;
        if self.steps_at_rate >= STABLE_STEPS {
            self.largest_stable_rate = Some(self.largest_stable_rate.map_or(rate, |r| r.max(rate)));
        }
    }

    /// Puts the best weights of the segment back into `network`; returns their step.
    pub fn restore(&mut self, network: &mut Network) -> Option<u64> {
        let best = self.best.as_ref()?;
        network.set_weights(&best.a, &best.b).ok()?;
        self.steps_at_rate = 0;
        Some(best.step)
    }

    /// Why training stopped after `step`, whose batch loss was `loss`, at learning rate `rate`;
    /// `restored` is the step whose weights are back (None if there were none to go back to).
    pub fn explain(&self, step: u64, loss: f64, rate: f64, restored: Option<u64>) -> String {
        let Some(best) = self.best.as_ref().filter(|_| restored.is_some()) else {
            return "Training paused: the loss at these weights is too large for float64 to \
                    hold, so no step can be taken from them. Press Reset for fresh weights."
                .to_string();
        };
        let what = if loss.is_finite() {
            format!("the loss jumped to {}", format_significant(loss, 4))
        } else {
            "the loss overflowed float64".to_string()
        };
        let advice = match self.largest_stable_rate.filter(|&r| r < rate) {
            Some(worked) => format!(
                "Rates up to {} trained smoothly in this session; try one of those.",
                format_rate(worked)
            ),
            None => format!("Try a rate of {} or less.", format_rate(rate / 10.0)),
        };
        format!(
            "Training paused: at step {step} {what}. With learning rate {} each step overshoots \
             the minimum and the next one overshoots further, so the weights blow up. The \
             weights of step {} are back: the lowest training loss ({}) since the settings last \
             changed. {advice}",
            format_rate(rate),
            best.step,
            format_significant(best.loss, 4),
        )
    }
}
