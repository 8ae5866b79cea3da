//! Every chart drawn natively to SVG: it draws without error, uses the palette, and shows
//! what its settings ask for.

use backprop_lab::plot::activations::{self, ActivationChart};
use backprop_lab::plot::history::{self, HistoryChart, Series};
use backprop_lab::plot::{fit, saturation, Theme};
use backprop_lab::trainer::{Settings, Trainer};
use backprop_lab::Activation;
use plotters::prelude::*;

fn svg(draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 480)).into_drawing_area();
        draw(&root);
    }
    out
}

fn hex(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

#[test]
fn the_activations_chart_draws_derivatives_only_when_asked() {
    let theme = Theme::default();
    let mut chart = ActivationChart::default();
    let hidden = svg(|root| {
        activations::draw(root, &chart, &theme).unwrap();
    });
    chart.derivatives = true;
    let shown = svg(|root| {
        activations::draw(root, &chart, &theme).unwrap();
    });
    // Dashes are many short polylines: revealing derivatives adds a lot of them.
    let lines = |s: &str| s.matches("<polyline").count();
    assert!(
        lines(&shown) > lines(&hidden) + 50,
        "{} vs {}",
        lines(&shown),
        lines(&hidden)
    );
    for activation in [Activation::Sigmoid, Activation::Relu] {
        assert!(
            hidden.contains(&hex(theme.activation(activation))),
            "{activation} colour"
        );
    }
    assert!(!hidden.contains(&hex(theme.activation(Activation::Tanh))));
    assert!(
        shown.contains("σ′ &lt; 0.01") || shown.contains("σ′ < 0.01"),
        "saturation is labelled"
    );
}

#[test]
fn the_pixel_map_inverts_the_activations_axis() {
    let chart = ActivationChart {
        half_range: 10.0,
        ..ActivationChart::default()
    };
    let mut map = None;
    svg(|root| map = Some(activations::draw(root, &chart, &Theme::default()).unwrap()));
    let map = map.unwrap();
    assert_eq!(map.x_at(-1e9), -10.0);
    assert_eq!(map.x_at(1e9), 10.0);
    let middle = map.x_at(0.5 * (map.x_at(0.0) + 800.0));
    assert!(middle.is_finite());
}

#[test]
fn the_fit_chart_draws_one_faint_curve_per_hidden_unit() {
    for hidden in [1, 5, 20] {
        let trainer = Trainer::new(Settings {
            hidden,
            ..Settings::default()
        })
        .unwrap();
        let input = |x: f64| trainer.input_for(x);
        let chart = fit::FitChart {
            network: trainer.network(),
            train: trainer.train_points(),
            test: trainer.test_points(),
            input: &input,
            units: true,
            highlight: None,
        };
        let mut drawn = 0;
        svg(|root| {
            drawn = fit::draw(root, &chart, &Theme::default())
                .unwrap()
                .unit_curves
        });
        assert_eq!(drawn, hidden);
    }
}

#[test]
fn history_charts_and_the_histogram_draw_in_both_themes() {
    let mut trainer = Trainer::new(Settings::default()).unwrap();
    trainer.train(300);
    for theme in [Theme::new(1.0, false), Theme::new(2.0, true)] {
        let history = trainer.history();
        let chart = HistoryChart {
            series: vec![Series {
                steps: &history.steps,
                values: &history.train_loss,
                color: theme.foreground(),
                dashed: false,
                faded: false,
                label: "train".into(),
            }],
            cursor: Some(history.steps[3]),
            y_name: "mean loss",
            x_name: "steps",
            x_divisor: 0.0,
            legend_bottom: false,
        };
        let out = svg(|root| {
            history::draw(root, &chart, &theme).unwrap();
        });
        assert!(out.contains("mean loss") && out.contains(&hex(theme.background())));
        let out = svg(|root| {
            saturation::draw(root, trainer.network(), trainer.train_inputs(), &theme).unwrap();
        });
        assert!(out.contains("sigmoid′"));
    }
    let shares = saturation::histogram(trainer.network(), trainer.train_inputs());
    assert!(
        (shares.iter().sum::<f64>() - 1.0).abs() < 1e-12,
        "the shares add up to 1"
    );
}
