//! Every chart drawn natively to SVG: it draws without error, uses the palette, and shows
//! what its settings ask for.

use backprop_lab::plot::activations::{self, ActivationChart};
use backprop_lab::plot::layers::{self, LayerChart};
use backprop_lab::plot::lines::{self, Legend, LineChart, Series, XAxis};
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

/// A line chart of `series` against plain counts, its legend asked for at the top right: most
/// tests below vary the data only, and set other fields with `..line_chart(…)` where they matter.
fn line_chart(series: Vec<Series>) -> LineChart<'static> {
    LineChart {
        series,
        cursor: None,
        x_name: "x",
        y_name: "y",
        x_axis: XAxis::Counts,
        legend: Legend::TopRight,
        empty_note: "nothing yet",
    }
}

/// A line chart drawn to SVG at the default size.
fn line_svg(chart: &LineChart, theme: &Theme) -> String {
    svg(|root| {
        lines::draw(root, chart, theme).unwrap();
    })
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
fn the_pixel_map_reads_back_where_the_chart_drew_a_point() {
    // The probe's dot on the sigmoid is drawn at (x, σ(x)); the pixel map, read at the dot's
    // centre in the SVG, must give back that x and y (to within a pixel), at both pixel ratios.
    for ratio in [1.0, 2.0] {
        let theme = Theme::new(ratio, false);
        let (x, y) = (2.5, backprop_lab::activation::sigmoid(2.5));
        let chart = ActivationChart {
            half_range: 10.0,
            functions: vec![Activation::Sigmoid],
            probe: Some(x),
            ..ActivationChart::default()
        };
        let mut map = None;
        let out = svg(|root| map = Some(activations::draw(root, &chart, &theme).unwrap()));
        let map = map.unwrap();
        let dot = out
            .split("<circle")
            .skip(1)
            .find(|c| c.contains(&hex(theme.activation(Activation::Sigmoid))))
            .expect("the probe's dot is drawn");
        let attribute = |name: &str| -> f64 {
            let start = dot.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            dot[start..].split('"').next().unwrap().parse().unwrap()
        };
        // SVG coordinates are device pixels; the map takes CSS pixels.
        let (css_x, css_y) = (attribute("cx") / ratio, attribute("cy") / ratio);
        let pixel = 20.0 / (800.0 / ratio);
        assert!(
            (map.x_at(css_x) - x).abs() < 2.0 * pixel,
            "x {} vs {x}",
            map.x_at(css_x)
        );
        let y_pixel = 3.5 / (480.0 / ratio);
        assert!(
            (map.y_at(css_y) - y).abs() < 2.0 * y_pixel,
            "y {} vs {y}",
            map.y_at(css_y)
        );
        // Off the axis it clamps to the ends.
        assert_eq!(map.x_at(-1e9), -10.0);
        assert_eq!(map.x_at(1e9), 10.0);
    }
}

#[test]
fn the_fit_chart_draws_one_faint_curve_per_hidden_unit() {
    for hidden in [1, 5, 20] {
        let trainer = Trainer::new(Settings {
            hidden,
            ..Settings::default()
        })
        .unwrap();
        let chart = fit::FitChart {
            network: trainer.network(),
            train: trainer.data().train(),
            test: trainer.data().test(),
            constant: true,
            units: true,
            highlight: None,
            handles: &[],
            selected: None,
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
fn line_charts_and_the_histogram_draw_in_both_themes() {
    let mut trainer = Trainer::new(Settings::default()).unwrap();
    trainer.train(300).unwrap();
    for theme in [Theme::new(1.0, false), Theme::new(2.0, true)] {
        let history = trainer.history();
        let chart = LineChart {
            series: vec![
                Series::at_steps(
                    "train",
                    theme.foreground(),
                    &history.steps,
                    &history.train_loss,
                ),
                Series::at_steps(
                    "test",
                    theme.foreground(),
                    &history.steps,
                    &history.test_loss,
                )
                .dashed(),
            ],
            cursor: Some(history.steps[3] as f64),
            x_name: "steps",
            y_name: "mean loss",
            x_axis: XAxis::Steps,
            legend: Legend::TopRight,
            empty_note: "nothing yet",
        };
        let out = svg(|root| {
            let map = lines::draw(root, &chart, &theme).unwrap();
            // The pointer over the last step reads back the last step.
            let last = *history.steps.last().unwrap() as f64;
            assert_eq!(map.x_at(1e9), last);
        });
        assert!(out.contains("mean loss") && out.contains(&hex(theme.background())));
        assert!(
            out.contains(">\ntrain\n<") && out.contains(">\ntest\n<"),
            "the legend names both series"
        );
        let inputs = trainer.data().train_inputs();
        let out = svg(|root| {
            saturation::draw(root, trainer.network(), inputs, &theme).unwrap();
        });
        assert!(out.contains("sigmoid′"));
    }
    let shares = saturation::histogram(trainer.network(), trainer.data().train_inputs());
    assert!(
        (shares.iter().sum::<f64>() - 1.0).abs() < 1e-12,
        "the shares add up to 1"
    );
}

#[test]
fn the_graphs_label_never_runs_under_a_node_at_any_size() {
    use backprop_lab::explorer::{Explorer, Pass};
    use backprop_lab::plot::graph::{self, GraphView};
    let network = backprop_lab::Network::new(2, 8, Activation::Sigmoid, 3).unwrap();
    let pass = Pass::new(&network, &[0.7, 1.0], 0.4).unwrap();
    for (width, height) in [
        (820, 360),
        (1180, 400),
        (640, 340),
        (330, 720),
        (300, 720),
        (520, 340),
    ] {
        for ratio in [1.0, 2.0, 3.0] {
            let mut explorer = Explorer::new();
            let mut labels = 0;
            loop {
                let view = GraphView {
                    network: &network,
                    pass: &pass,
                    explorer,
                };
                let mut out = String::new();
                let drawn = {
                    let size = (
                        (width as f64 * ratio) as u32,
                        (height as f64 * ratio) as u32,
                    );
                    let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
                    graph::draw(&root, &view, &Theme::new(ratio, false)).unwrap()
                };
                assert_eq!(drawn.nodes.len(), 9);
                for label in &drawn.labels {
                    labels += 1;
                    for (name, node) in &drawn.nodes {
                        assert!(!label.overlaps(node), "{width}×{height} at {ratio}, {:?}: the label {label:?} runs under {name} {node:?}", explorer.stage());
                    }
                    assert!(
                        label.x >= 0.0 && label.x + label.width <= width as f64,
                        "label cut at the edge: {label:?}"
                    );
                }
                if !(explorer.forward_step() || explorer.backward_step()) {
                    break;
                }
            }
            assert_eq!(labels, 6, "one label for each backward step");
        }
    }
}

/// The x of the SVG text element whose content is `label`.
fn text_x(svg: &str, label: &str) -> f64 {
    let at = svg
        .find(&format!(">\n{label}\n<"))
        .unwrap_or_else(|| panic!("no text {label:?}"));
    let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
    let x = tag.split("x=\"").nth(1).unwrap().split('"').next().unwrap();
    x.parse().unwrap()
}

#[test]
fn the_legend_leaves_the_corner_a_curve_runs_through() {
    let theme = Theme::default();
    let chart = |points: Vec<(f64, f64)>| {
        line_chart(vec![Series::new("rising", theme.foreground(), points)])
    };
    // Rising to the top right corner: the legend goes elsewhere, to the left half.
    let rising: Vec<(f64, f64)> = (0..50)
        .map(|i| (i as f64, 10f64.powf(i as f64 / 49.0 * 3.0)))
        .collect();
    let out = line_svg(&chart(rising), &theme);
    assert!(
        text_x(&out, "rising") < 400.0,
        "x = {}",
        text_x(&out, "rising")
    );
    // Falling from the top left: the top right is free and preferred.
    let falling: Vec<(f64, f64)> = (0..50)
        .map(|i| (i as f64, 10f64.powf(3.0 - i as f64 / 49.0 * 3.0)))
        .collect();
    let out = line_svg(&chart(falling), &theme);
    assert!(
        text_x(&out, "rising") > 400.0,
        "x = {}",
        text_x(&out, "rising")
    );
}

/// The y of the SVG text element whose content is `label`.
fn text_y(svg: &str, label: &str) -> f64 {
    let at = svg
        .find(&format!(">\n{label}\n<"))
        .unwrap_or_else(|| panic!("no text {label:?}"));
    let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
    let y = tag
        .split(" y=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    y.parse().unwrap()
}

/// The points of every SVG polyline with more than `least` points.
fn long_polylines(svg: &str, least: usize) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline")
        .skip(1)
        .filter_map(|tag| {
            let points = tag.split("points=\"").nth(1)?.split('"').next()?;
            let points: Vec<(f64, f64)> = points
                .split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect();
            (points.len() > least).then_some(points)
        })
        .collect()
}

#[test]
fn when_curves_fill_every_corner_the_axis_rises_to_make_room_for_the_legend() {
    let theme = Theme::default();
    // A rising and a falling curve across the whole plot: every corner holds one.
    let curve = |rising: bool| -> Vec<(f64, f64)> {
        (0..50)
            .map(|i| {
                let t = i as f64 / 49.0;
                (i as f64, 10f64.powf(3.0 * if rising { t } else { 1.0 - t }))
            })
            .collect()
    };
    let entries = [
        "first of the crossing curves",
        "second of the crossing curves",
    ];
    let chart = line_chart(vec![
        Series::new(entries[0], theme.foreground(), curve(true)),
        Series::new(entries[1], theme.foreground(), curve(false)).dashed(),
    ]);
    // As small as a phone's plot.
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (320, 260)).into_drawing_area();
        lines::draw(&root, &chart, &theme).unwrap();
    }
    let lowest_word = text_y(&out, entries[1]);
    let curves = long_polylines(&out, 20);
    assert!(!curves.is_empty(), "the solid curve is drawn");
    let highest_point = curves
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    assert!(
        highest_point > lowest_word + 8.0,
        "the curves reach y = {highest_point}, the legend's last line is at {lowest_word}"
    );
}

#[test]
fn a_chart_with_nothing_to_join_says_why_instead() {
    let theme = Theme::default();
    let chart = LineChart {
        x_name: "steps",
        y_name: "mean loss",
        x_axis: XAxis::Steps,
        empty_note: "Press Play to train.",
        ..line_chart(vec![Series::new("train", theme.foreground(), [(0.0, 0.5)])])
    };
    let out = line_svg(&chart, &theme);
    assert!(out.contains("Press Play to train."), "{out}");
    assert!(!out.contains("mean loss"), "no axes without a curve");
}
#[test]
fn a_log_axis_labels_its_lowest_decade() {
    let theme = Theme::default();
    let chart = LineChart {
        x_name: "steps",
        y_name: "gradient norm",
        ..line_chart(vec![Series::new(
            "falling",
            theme.foreground(),
            [(0.0, 5.0), (1.0, 2e-3)],
        )])
    };
    let out = line_svg(&chart, &theme);
    for label in ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹"] {
        assert!(out.contains(&format!(">\n{label}\n<")), "no tick {label}");
    }
}

#[test]
fn a_flat_curve_on_a_decade_gets_a_whole_decade_of_axis() {
    let theme = Theme::default();
    let chart = LineChart {
        x_name: "steps",
        y_name: "gradient norm",
        ..line_chart(vec![Series::new(
            "flat",
            theme.foreground(),
            [(0.0, 1.0), (1.0, 1.0)],
        )])
    };
    let out = line_svg(&chart, &theme);
    for label in ["1", "10"] {
        assert!(out.contains(&format!(">\n{label}\n<")), "no tick {label}");
    }
}

/// Values at the ends of f64's range draw, without NaN, and finish: plotters never ends the
/// ticks of a log axis that reaches about 10²⁸⁰ (these pairs hung before the axis was capped).
#[test]
fn log_charts_of_extreme_values_finish_without_nan() {
    let theme = Theme::default();
    let pairs = [
        (1e308, 1.7e308),
        (5e-324, 1e-320),
        (1e-300, 1e300),
        (1e200, 1e250),
    ];
    for (a, b) in pairs {
        let chart = LineChart {
            cursor: Some(0.5),
            ..line_chart(vec![
                Series::new("up", theme.foreground(), [(0.0, a), (1.0, b)]),
                Series::new("down", theme.foreground(), [(0.0, b), (1.0, a)]),
            ])
        };
        let out = line_svg(&chart, &theme);
        assert!(!out.contains("NaN"), "lines {a} {b}");
        let labels = ["1".to_string(), "b".to_string()];
        let bars = LayerChart {
            values: &[a, b],
            labels: &labels,
            color: theme.foreground(),
            reference: Some((&[b, a], "reference")),
            y_name: "norm",
            x_name: "layer",
            empty_note: "nothing yet",
        };
        let out = svg(|root| {
            layers::draw(root, &bars, &theme).unwrap();
        });
        assert!(!out.contains("NaN"), "layers {a} {b}");
    }
}

/// A legend that needs room on a layer chart spanning many decades: the raised axis stays
/// where plotters can list its ticks.
#[test]
fn a_raised_log_axis_stays_finite_and_drawable() {
    let theme = Theme::default();
    let labels = ["1".to_string(), "2".to_string(), "3".to_string()];
    for (low, high) in [(1e-30, 1e100), (1e-30, 1e200), (1e-300, 1e10)] {
        let chart = LayerChart {
            values: &[high, low, high],
            labels: &labels,
            color: theme.foreground(),
            reference: Some((&[high, high, high], "a line across the top of every bar")),
            y_name: "norm",
            x_name: "layer",
            empty_note: "nothing yet",
        };
        // Small, so the wrapped legend claims much of the height.
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (220, 160)).into_drawing_area();
            layers::draw(&root, &chart, &theme).unwrap();
        }
        assert!(!out.contains("NaN"), "{low} {high}");
    }
}

/// While the lab trains, the loss chart's axes change in steps, not every frame, so their
/// grid can be drawn once per step and the axis does not creep under the student's eyes.
#[test]
fn a_training_loss_chart_keeps_its_axes_for_many_frames() {
    let theme = Theme::new(1.0, false);
    let mut out = String::new();
    let root = SVGBackend::with_string(&mut out, (400, 380)).into_drawing_area();
    let (mut steps, mut losses) = (Vec::new(), Vec::new());
    let mut seen = Vec::new();
    // 600 frames of 50 steps, the loss falling from 0.5 towards 0.01 as a run's does.
    for frame in 0..600u64 {
        let step = 50 * frame;
        steps.push(step);
        losses.push(0.01 + 0.49 / (1.0 + step as f64 / 300.0));
        let chart = LineChart {
            x_axis: XAxis::Steps,
            ..line_chart(vec![Series::at_steps("train", BLACK, &steps, &losses)])
        };
        if let Some(axes) = lines::axes(&root, &chart, &theme).unwrap() {
            assert!(axes.x.1 >= step as f64, "the axis holds the last step");
            if seen.last() != Some(&axes) {
                seen.push(axes);
            }
        }
    }
    // Ten round ends a decade: from 50 to 30,000 steps (2.8 decades) at most 28 x-axes, and
    // the y-axis's decades change a few times more.
    assert!(
        seen.len() <= 32,
        "the axes changed {} times in 600 frames",
        seen.len()
    );
    assert!(seen
        .windows(2)
        .all(|w| w[1].x.1 > w[0].x.1 || w[1].y != w[0].y));
}

#[test]
fn the_training_labs_loss_and_gradient_charts_show_what_the_run_has() {
    use backprop_lab::plot::training::{gradient_chart, loss_chart};
    let theme = Theme::new(1.0, false);
    let mut trainer = Trainer::new(Settings::default()).unwrap();
    let draw = |chart: &LineChart| {
        svg(|root| {
            lines::draw(root, chart, &theme).unwrap();
        })
    };
    // Step 0 only: no line to join yet, so each chart says what will appear.
    let loss = draw(&loss_chart(&trainer, &theme, None));
    assert!(loss.contains("The loss is plotted here"), "{loss}");
    let gradients = draw(&gradient_chart(&trainer, &theme, None));
    assert!(gradients.contains("No step yet"), "{gradients}");
    trainer.train(50).unwrap();
    // The default data have a test set: train and test, and the cursor's step on the axis.
    let loss = draw(&loss_chart(&trainer, &theme, Some(3)));
    assert!(!loss.contains("The loss is plotted here"));
    for label in ["train", "test", "mean loss", "steps"] {
        assert!(
            loss.contains(&format!(">\n{label}\n<")),
            "no {label} in the loss chart"
        );
    }
    let gradients = draw(&gradient_chart(&trainer, &theme, None));
    for label in ["‖∂L/∂A‖", "‖∂L/∂b‖", "gradient norm"] {
        assert!(
            gradients.contains(&format!(">\n{label}\n<")),
            "no {label} in the gradient chart"
        );
    }
    // A cursor past the history is no cursor, not a panic.
    let far = loss_chart(&trainer, &theme, Some(usize::MAX));
    assert_eq!(far.cursor, None);
    assert_eq!(
        loss_chart(&trainer, &theme, Some(1)).cursor,
        Some(trainer.history().steps[1] as f64)
    );
}
