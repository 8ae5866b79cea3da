//! The training lab's line charts, as specs for `lines::draw`: the loss (train, test, and the
//! last few runs faded behind) and the gradient's size, against steps.

use super::lines::{Legend, LineChart, Series, XAxis};
use super::Theme;
use crate::trainer::Trainer;

/// Train and test loss against steps, with the last few runs faded behind; the cursor on the
/// history entry `cursor`.
pub fn loss_chart(trainer: &Trainer, theme: &Theme, cursor: Option<usize>) -> LineChart<'static> {
    let history = trainer.history();
    let color = theme.foreground();
    let mut series: Vec<Series> = trainer
        .past_runs()
        .map(|run| Series::at_steps(run.label.clone(), color, &run.steps, &run.train_loss).faded())
        .collect();
    series.push(Series::at_steps(
        "train",
        color,
        &history.steps,
        &history.train_loss,
    ));
    if !trainer.data().test().is_empty() {
        series.push(Series::at_steps("test", color, &history.steps, &history.test_loss).dashed());
    }
    LineChart {
        series,
        cursor: cursor.and_then(|i| history.steps.get(i)).map(|&s| s as f64),
        x_name: "steps",
        y_name: "mean loss",
        x_axis: XAxis::Steps,
        legend: Legend::TopRight,
        empty_note: "The loss is plotted here as the network trains: press Play or Step.",
    }
}

/// ‖∂L/∂A‖ and ‖∂L/∂b‖ against steps, from the first step (step 0 has no gradient yet).
pub fn gradient_chart(
    trainer: &Trainer,
    theme: &Theme,
    cursor: Option<usize>,
) -> LineChart<'static> {
    let history = trainer.history();
    let color = theme.gradient();
    let from = usize::from(history.steps.first() == Some(&0)).min(history.len());
    let steps = &history.steps[from..];
    LineChart {
        series: vec![
            Series::at_steps("‖∂L/∂A‖", color, steps, &history.grad_a_norm[from..]),
            Series::at_steps("‖∂L/∂b‖", color, steps, &history.grad_b_norm[from..]).dashed(),
        ],
        cursor: cursor.and_then(|i| history.steps.get(i)).map(|&s| s as f64),
        x_name: "steps",
        y_name: "gradient norm",
        x_axis: XAxis::Steps,
        legend: Legend::TopRight,
        empty_note: "No step yet: press Play or Step to see the size of the gradient at each step.",
    }
}
