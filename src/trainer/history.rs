//! A run's history: the train and test loss and the gradient norms at sampled steps, kept to at
//! most [`HISTORY_LIMIT`] points by thinning old ones.

/// At most this many points are kept; when full, every other point is dropped and points are
/// then recorded half as often.
pub const HISTORY_LIMIT: usize = 1000;

/// One sampled step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    pub step: u64,
    pub train_loss: f64,
    /// NaN where there is no test set.
    pub test_loss: f64,
    /// ‖∂L/∂A‖ and ‖∂L/∂b‖ of the gradient the step before used (0 at step 0).
    pub grad_a_norm: f64,
    pub grad_b_norm: f64,
}

/// Loss and gradient norms sampled along a run, as parallel series (the charts draw them).
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    pub steps: Vec<u64>,
    pub train_loss: Vec<f64>,
    pub test_loss: Vec<f64>,
    pub grad_a_norm: Vec<f64>,
    pub grad_b_norm: Vec<f64>,
    /// A point is recorded every `every` steps; doubles when the history is thinned.
    every: u64,
}

impl Default for History {
    fn default() -> Self {
        History {
            steps: Vec::new(),
            train_loss: Vec::new(),
            test_loss: Vec::new(),
            grad_a_norm: Vec::new(),
            grad_b_norm: Vec::new(),
            every: 1,
        }
    }
}

impl History {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Whether `step` is one the history samples.
    pub fn samples(&self, step: u64) -> bool {
        step.is_multiple_of(self.every)
    }

    /// Appends an entry, thinning the history when it is full.
    pub fn push(&mut self, entry: Entry) {
        self.steps.push(entry.step);
        self.train_loss.push(entry.train_loss);
        self.test_loss.push(entry.test_loss);
        self.grad_a_norm.push(entry.grad_a_norm);
        self.grad_b_norm.push(entry.grad_b_norm);
        if self.len() >= HISTORY_LIMIT {
            self.retain(|index| index % 2 == 0);
            self.every *= 2;
        }
    }

    /// Records `entry`, replacing the last one if it is for the same step (the weights were
    /// changed by hand at that step).
    pub fn record(&mut self, entry: Entry) {
        if self.steps.last() == Some(&entry.step) {
            let last = self.len() - 1;
            self.train_loss[last] = entry.train_loss;
            self.test_loss[last] = entry.test_loss;
            self.grad_a_norm[last] = entry.grad_a_norm;
            self.grad_b_norm[last] = entry.grad_b_norm;
        } else {
            self.push(entry);
        }
    }

    /// Entry `index`, if there is one.
    pub fn entry(&self, index: usize) -> Option<Entry> {
        Some(Entry {
            step: *self.steps.get(index)?,
            train_loss: self.train_loss[index],
            test_loss: self.test_loss[index],
            grad_a_norm: self.grad_a_norm[index],
            grad_b_norm: self.grad_b_norm[index],
        })
    }

    /// The last entry.
    pub fn last(&self) -> Option<Entry> {
        self.entry(self.len().checked_sub(1)?)
    }

    /// The index of the entry whose step is nearest `step`.
    pub fn nearest(&self, step: f64) -> Option<usize> {
        let last = self.len().checked_sub(1)?;
        let i = self.steps.partition_point(|&s| (s as f64) < step).min(last);
        let nearer_before =
            i > 0 && (self.steps[i] as f64 - step) > (step - self.steps[i - 1] as f64);
        Some(if nearer_before { i - 1 } else { i })
    }

    /// Drops every entry after `step` (the run went back to it).
    pub fn truncate_after(&mut self, step: u64) {
        let keep = self.steps.partition_point(|&s| s <= step);
        self.retain(|index| index < keep);
    }

    /// Keeps the entries whose index passes `keep`, in every series alike.
    fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        fn filter<T: Copy>(series: &mut Vec<T>, keep: &impl Fn(usize) -> bool) {
            let mut index = 0;
            series.retain(|_| {
                index += 1;
                keep(index - 1)
            });
        }
        filter(&mut self.steps, &keep);
        filter(&mut self.train_loss, &keep);
        filter(&mut self.test_loss, &keep);
        filter(&mut self.grad_a_norm, &keep);
        filter(&mut self.grad_b_norm, &keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(step: u64) -> Entry {
        Entry {
            step,
            train_loss: step as f64,
            test_loss: f64::NAN,
            grad_a_norm: 1.0,
            grad_b_norm: 2.0,
        }
    }

    #[test]
    fn a_full_history_keeps_every_other_point_and_samples_half_as_often() {
        let mut history = History::default();
        let mut step = 0;
        while history.len() < HISTORY_LIMIT - 1 {
            history.push(entry(step));
            step += 1;
        }
        assert!(history.samples(7));
        history.push(entry(step));
        assert_eq!(history.len(), HISTORY_LIMIT / 2);
        assert_eq!(&history.steps[..3], &[0, 2, 4]);
        assert_eq!(history.train_loss[..3], [0.0, 2.0, 4.0]);
        assert!(!history.samples(7) && history.samples(8));
    }

    #[test]
    fn truncation_and_lookup_work_on_steps_not_indices() {
        let mut history = History::default();
        for step in [0, 10, 20, 30] {
            history.push(entry(step));
        }
        assert_eq!(history.nearest(14.0), Some(1));
        assert_eq!(history.nearest(16.0), Some(2));
        assert_eq!(history.nearest(1e9), Some(3));
        history.truncate_after(20);
        assert_eq!(history.steps, [0, 10, 20]);
        assert_eq!(history.grad_b_norm.len(), 3);
        assert_eq!(history.last().map(|e| e.step), Some(20));
        assert_eq!(History::default().nearest(3.0), None);
    }
}
