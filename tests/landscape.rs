//! The loss surface over two weights: names and keys of the weights, the surface equal to
//! `Network::mean_loss` at every kind of pair and activation, the view, the backprop arrow,
//! descent paths and what they are called, and the limits. (The time a 64 × 64 surface takes is
//! measured by `make bench`: examples/bench_landscape.rs.)

mod common;

use backprop_lab::data::{Points, Shape};
use backprop_lab::landscape::{
    self, Outcome, Parameter, Settings, MAX_SURFACE_WORK, RESOLUTION_RANGE,
};
use backprop_lab::trainer::SettingError;
use backprop_lab::{Activation, Network};
use common::relative_error;

fn data(count: usize) -> (Vec<f64>, Vec<f64>) {
    let points = Points::sample(Shape::Sine, count, 0.1, 3);
    (points.features(true), points.ys)
}

fn network(hidden: usize, activation: Activation) -> Network {
    Network::new(2, hidden, activation, 5).unwrap()
}

/// The network with the two weights of `settings` set to `at` (after A is scaled).
fn moved(network: &Network, settings: &Settings, at: [f64; 2]) -> Network {
    let mut moved = network.clone();
    moved.scale_a(settings.a_scale);
    let (m, h) = (network.inputs(), network.hidden());
    moved.set_parameter(settings.x.index(m, h), at[0]);
    moved.set_parameter(settings.y.index(m, h), at[1]);
    moved
}

const A11: Parameter = Parameter::A { row: 0, column: 0 };
const A12: Parameter = Parameter::A { row: 0, column: 1 };
const A21: Parameter = Parameter::A { row: 1, column: 0 };
const A32: Parameter = Parameter::A { row: 2, column: 1 };
const B1: Parameter = Parameter::B { unit: 0 };
const B2: Parameter = Parameter::B { unit: 1 };
const B3: Parameter = Parameter::B { unit: 2 };

/// Every kind of pair, each way round: (b, b), (A, b) of one unit and of two, (A, A) of one
/// row and of two.
const PAIRS: [(Parameter, Parameter); 10] = [
    (B1, B2),
    (B3, B1),
    (B1, A11),
    (A11, B1),
    (A21, B3),
    (B2, A32),
    (A11, A12),
    (A12, A11),
    (A11, A32),
    (A32, A21),
];

#[test]
fn names_keys_and_indices() {
    assert_eq!(A11.name(), "A₁₁");
    assert_eq!(A32.name(), "A₃₂");
    assert_eq!(B1.name(), "b₁");
    assert_eq!(Parameter::A { row: 11, column: 0 }.name(), "A₁₂,₁");
    assert_eq!(Parameter::B { unit: 63 }.name(), "b₆₄");
    assert_eq!(A32.key(), "A3_2");
    assert_eq!(B3.key(), "b3");
    assert_eq!(
        (Parameter::DEFAULT_X, Parameter::DEFAULT_Y),
        (B1, A11),
        "b₁ across, A₁₁ up"
    );
    for (m, h) in [(2, 8), (1, 3), (3, 12)] {
        let all = Parameter::all(m, h);
        assert_eq!(all.len(), h * (m + 1));
        let mut net = Network::new(m, h, Activation::Tanh, 1).unwrap();
        for (i, p) in all.iter().enumerate() {
            assert_eq!(p.index(m, h), i);
            assert_eq!(Parameter::from_index(i, m, h), Some(*p));
            assert_eq!(Parameter::parse(&p.key(), m, h), Ok(*p));
            // The flat index is the one set_parameter uses.
            net.set_parameter(i, 100.0 + i as f64);
            assert_eq!(p.value(&net), Some(100.0 + i as f64));
        }
        assert_eq!(Parameter::from_index(h * (m + 1), m, h), None);
    }
    assert_eq!(Parameter::parse("a2_1", 2, 8), Ok(A21));
    assert_eq!(Parameter::parse("B2", 2, 8), Ok(B2));
    for bad in [
        "", "A", "A1", "A1_", "A0_1", "A01_1", "A1_3", "A9_1", "b0", "b9", "c1", "b1x", "A1_1_1",
        "b+1", "b١",
    ] {
        let error = Parameter::parse(bad, 2, 8).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "a weight is A<row>_<column> (row 1 to 8, column 1 to 2) or b<unit> (1 to 8)"
            ),
            "{bad}: {error}"
        );
    }
}

#[test]
fn the_surface_is_the_mean_loss_at_every_grid_point() {
    let (xs, ys) = data(60);
    for activation in Activation::ALL {
        let net = network(4, activation);
        for (x, y) in PAIRS {
            for a_scale in [1.0, 3.0] {
                let settings = Settings {
                    x,
                    y,
                    zoom: 0.5,
                    a_scale,
                };
                let surface = landscape::surface(&net, &xs, &ys, &settings, 9).unwrap();
                let view = surface.view;
                for r in 0..9 {
                    for c in 0..9 {
                        let at = [view.x.value(c, 9), view.y.value(r, 9)];
                        let want = moved(&net, &settings, at).mean_loss(&xs, &ys).unwrap();
                        let got = surface.values[r * 9 + c];
                        assert!(
                            relative_error(got, want, 1e-300) < 1e-12,
                            "{activation} {} {} ×{a_scale} at {at:?}: {got} vs {want}",
                            x.name(),
                            y.name()
                        );
                    }
                }
                let finite = surface.values.iter().copied();
                let lowest = finite.clone().fold(f64::INFINITY, f64::min);
                assert_eq!(surface.lowest, lowest);
                assert_eq!(surface.highest, finite.fold(0.0, f64::max));
                let (c, r) = surface.lowest_at;
                assert_eq!(surface.values[r * 9 + c], lowest);
            }
        }
    }
}

#[test]
fn far_saturated_rows_are_exact_too() {
    // z1 up to 30 × 14 × 3 = 1260: past the exponents the sigmoid and tanh shortcut of a
    // row's two entries allows, so the direct way is taken; the loss must still be exact.
    let (xs, ys) = data(40);
    for (activation, x, y) in [
        (Activation::Sigmoid, A11, A12),
        (Activation::Sigmoid, A12, A11),
        (Activation::Tanh, A11, A12),
    ] {
        let mut net = network(3, activation);
        net.set_weights(&[10.0, 4.0, -1.0, 0.5, 0.3, 0.2], &[0.5, -0.3, 0.8])
            .unwrap();
        let settings = Settings {
            x,
            y,
            zoom: 1.0,
            a_scale: 30.0,
        };
        let surface = landscape::surface(&net, &xs, &ys, &settings, 6).unwrap();
        for (i, &got) in surface.values.iter().enumerate() {
            let at = [
                surface.view.x.value(i % 6, 6),
                surface.view.y.value(i / 6, 6),
            ];
            let want = moved(&net, &settings, at).mean_loss(&xs, &ys).unwrap();
            assert!(relative_error(got, want, 1e-300) < 1e-12, "{got} vs {want}");
        }
    }
}

#[test]
fn a_near_perfect_fit_keeps_its_accuracy() {
    // Targets made by the network itself: near its weights the loss is tiny, where sums like
    // Σr² − 2bΣrs + b²Σs² would lose every digit. The grid spans ±1/32.
    let (xs, _) = data(50);
    for activation in [Activation::Sigmoid, Activation::Tanh] {
        let net = network(5, activation);
        let ys: Vec<f64> = xs.chunks(2).map(|x| net.predict(x).unwrap()).collect();
        near_perfect_fit(&net, &xs, &ys);
    }
}

fn near_perfect_fit(net: &Network, xs: &[f64], ys: &[f64]) {
    for (x, y) in PAIRS {
        let settings = Settings {
            x,
            y,
            zoom: 8.0,
            a_scale: 1.0,
        };
        let surface = landscape::surface(net, xs, ys, &settings, 5).unwrap();
        assert!(surface.lowest < 1e-20, "{}: {}", x.name(), surface.lowest);
        for (i, &got) in surface.values.iter().enumerate() {
            let at = [
                surface.view.x.value(i % 5, 5),
                surface.view.y.value(i / 5, 5),
            ];
            let want = moved(net, &settings, at).mean_loss(xs, ys).unwrap();
            let floor = 1e-12 * surface.highest; // the centre's loss is rounding noise
            assert!(relative_error(got, want, floor) < 1e-10, "{got} vs {want}");
        }
    }
}

#[test]
fn the_view_follows_the_weights_and_zooms() {
    let net = network(3, Activation::Sigmoid);
    let b1 = net.weights_b()[0];
    let a11 = net.weights_a()[0];
    let view = landscape::view(&net, &Settings::default()).unwrap();
    assert_eq!((view.x.parameter, view.y.parameter), (B1, A11));
    assert_eq!((view.x.current, view.y.current), (b1, a11));
    assert_eq!((view.x.low, view.x.high), (b1 - 2.0, b1 + 2.0));
    assert_eq!((view.y.low, view.y.high), (a11 - 2.0, a11 + 2.0));
    assert_eq!(view.x.value(0, 64), view.x.low);
    assert_eq!(view.x.value(63, 64), view.x.high);
    let zoomed = |zoom: f64, a_scale: f64| {
        let settings = Settings {
            zoom,
            a_scale,
            ..Settings::default()
        };
        landscape::view(&net, &settings).unwrap()
    };
    assert_eq!(zoomed(4.0, 1.0).half_width(), 0.5);
    assert_eq!(zoomed(0.125, 1.0).half_width(), 16.0);
    // With A scaled, the view centres on the scaled A₁₁ (and b₁ stays).
    let scaled = zoomed(1.0, 10.0);
    assert_eq!(scaled.y.current, a11 * 10.0);
    assert_eq!(scaled.x.current, b1);
    for (zoom, a_scale) in [
        (0.1, 1.0),
        (9.0, 1.0),
        (f64::NAN, 1.0),
        (1.0, 0.05),
        (1.0, 31.0),
    ] {
        assert!(landscape::view(
            &net,
            &Settings {
                zoom,
                a_scale,
                ..Settings::default()
            }
        )
        .is_err());
    }
}

#[test]
fn bad_requests_are_refused_before_any_work() {
    let (xs, ys) = data(20);
    let net = network(3, Activation::Sigmoid);
    let settings = Settings::default();
    let error = |result: Result<landscape::Surface, SettingError>| result.unwrap_err().to_string();
    let same = Settings {
        x: B2,
        y: B2,
        ..settings
    };
    assert_eq!(
        error(landscape::surface(&net, &xs, &ys, &same, 8)),
        "the two axes need two different weights; both are b₂"
    );
    let outside = Settings {
        x: Parameter::B { unit: 3 },
        ..settings
    };
    assert_eq!(
        error(landscape::surface(&net, &xs, &ys, &outside, 8)),
        "b4 is not a weight of this network (h = 3, m = 2)"
    );
    let (low, high) = RESOLUTION_RANGE;
    assert_eq!((low, high), (2, 128));
    assert_eq!(
        error(landscape::surface(&net, &xs, &ys, &settings, 129)),
        "the grid must have from 2 to 128 points per axis, got 129"
    );
    assert!(landscape::surface(&net, &xs, &ys, &settings, 1).is_err());
    assert!(landscape::surface(&net, &xs[1..], &ys, &settings, 8).is_err());
    assert!(landscape::surface(&net, &[], &[], &settings, 8).is_err());
    let mut bad = xs.clone();
    bad[3] = f64::NAN;
    assert!(landscape::surface(&net, &bad, &ys, &settings, 8).is_err());
    // 128 × 128 grid points on 700 examples is over the work limit.
    let (many_x, many_y) = data(700);
    assert!(landscape::surface_work(128, 700) > MAX_SURFACE_WORK);
    assert!(
        error(landscape::surface(&net, &many_x, &many_y, &settings, 128))
            .starts_with("grid points × examples may be at most 10000000")
    );
    assert!(landscape::surface(&net, &many_x, &many_y, &settings, 100).is_ok());
    assert!(landscape::arrow(&net, &xs, &ys, &settings, 0.0).is_err());
    assert!(landscape::descend(&net, &xs, &ys, &settings, [0.0, 0.0], 0.1, 0).is_err());
    assert!(landscape::descend(&net, &xs, &ys, &settings, [0.0, 0.0], 0.1, 1001).is_err());
    let far = [net.weights_b()[0] + 2.5, net.weights_a()[0]];
    assert!(landscape::descend(&net, &xs, &ys, &settings, far, 0.1, 10)
        .unwrap_err()
        .to_string()
        .starts_with("the start must lie in the view: b₁ from"));
}

#[test]
fn the_arrow_is_the_backprop_gradient() {
    let (xs, ys) = data(80);
    for activation in Activation::ALL {
        let net = network(4, activation);
        for (x, y) in PAIRS {
            for a_scale in [1.0, 10.0] {
                let settings = Settings {
                    x,
                    y,
                    zoom: 1.0,
                    a_scale,
                };
                let arrow = landscape::arrow(&net, &xs, &ys, &settings, 0.3).unwrap();
                let mut scaled = net.clone();
                scaled.scale_a(a_scale);
                let loss = scaled.accumulate_gradient(&xs, &ys);
                let (da, db) = scaled.last_gradient();
                let flat: Vec<f64> = da.iter().chain(db).copied().collect();
                let want = [flat[x.index(2, 4)], flat[y.index(2, 4)]];
                assert_eq!(arrow.gradient, want);
                assert_eq!(arrow.loss, loss);
                assert_eq!(arrow.at, [x, y].map(|p| p.value(&scaled).unwrap()));
                assert_eq!(arrow.step, want.map(|g| -0.3 * g));
                assert_eq!(arrow.norm, want[0].hypot(want[1]));
                // And it is the slope of the surface (central differences, loosely).
                let h = 1e-5;
                for axis in 0..2 {
                    let (mut low, mut high) = (arrow.at, arrow.at);
                    low[axis] -= h;
                    high[axis] += h;
                    let slope = (moved(&net, &settings, high).mean_loss(&xs, &ys).unwrap()
                        - moved(&net, &settings, low).mean_loss(&xs, &ys).unwrap())
                        / (2.0 * h);
                    assert!(
                        relative_error(slope, want[axis], 1e-6) < 1e-5,
                        "{activation} {}: {slope} vs {}",
                        [x, y][axis].name(),
                        want[axis]
                    );
                }
            }
        }
    }
}

#[test]
fn each_path_step_is_the_backprop_gradient_step() {
    let (xs, ys) = data(40);
    for activation in Activation::ALL {
        let net = network(4, activation);
        for (x, y) in PAIRS {
            let settings = Settings {
                x,
                y,
                zoom: 1.0,
                a_scale: 1.0,
            };
            let view = landscape::view(&net, &settings).unwrap();
            for start in [
                [view.x.current, view.y.current],
                [view.x.value(5, 8), view.y.value(2, 8)],
                [view.x.value(1, 8), view.y.value(6, 8)],
            ] {
                let path = landscape::descend(&net, &xs, &ys, &settings, start, 1.0, 3).unwrap();
                for (k, point) in path.points.iter().enumerate().take(path.points.len() - 1) {
                    let mut at = moved(&net, &settings, *point);
                    let loss = at.accumulate_gradient(&xs, &ys);
                    let (da, db) = at.last_gradient();
                    let flat: Vec<f64> = da.iter().chain(db).copied().collect();
                    let want = [flat[x.index(2, 4)], flat[y.index(2, 4)]];
                    let next = path.points[k + 1];
                    let got = [point[0] - next[0], point[1] - next[1]];
                    let scale = want[0].abs().max(want[1].abs());
                    for axis in 0..2 {
                        // Rounding of point − next is ε·|point|, relative to the step.
                        assert!(
                            relative_error(got[axis], want[axis], scale) < 1e-12,
                            "{activation} {} {}: {got:?} vs {want:?}",
                            x.name(),
                            y.name()
                        );
                    }
                    assert!(relative_error(path.losses[k], loss, 1e-300) < 1e-12);
                }
            }
        }
    }
}

/// λ_max of the Hessian of the mean loss in (b_j, b_l): 2/n Σ s sᵀ with s = (z2_j, z2_l).
fn b_curvature(net: &Network, xs: &[f64], j: usize, l: usize) -> f64 {
    let (mut a, mut b, mut d) = (0.0, 0.0, 0.0);
    let n = xs.len() / 2;
    for x in xs.chunks(2) {
        let forward = net.forward(x, 0.0).unwrap();
        let (s, t) = (forward.z2[j], forward.z2[l]);
        (a, b, d) = (a + s * s, b + s * t, d + t * t);
    }
    let (a, b, d) = (2.0 * a / n as f64, 2.0 * b / n as f64, 2.0 * d / n as f64);
    (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + b * b).sqrt()
}

#[test]
fn paths_are_called_what_they_do() {
    let (xs, ys) = data(100);
    // Two units with nearly the same row make a long narrow valley in (b₁, b₂).
    let mut net = network(3, Activation::Sigmoid);
    net.set_weights(&[1.0, 0.0, 1.2, 0.2, -1.0, 0.5], &[0.5, -0.3, 0.8])
        .unwrap();
    let curvature = b_curvature(&net, &xs, 0, 1);
    let valley = Settings {
        x: B1,
        y: B2,
        ..Settings::default()
    };
    let centre = [0.5, -0.3];
    let run = |settings: &Settings, rate: f64, steps: usize| {
        landscape::descend(&net, &xs, &ys, settings, centre, rate, steps).unwrap()
    };

    // Across the valley the steps overshoot (1 − 1.9 = −0.9 of the distance each time).
    let zigzag = run(&valley, 1.9 / curvature, 30);
    assert_eq!(zigzag.outcome, Outcome::ZigZag, "{zigzag:?}");
    assert!(2 * zigzag.reversals > zigzag.step_pairs);
    assert_eq!(zigzag.step_pairs, 29);
    assert_eq!(zigzag.points.len(), 31);

    let crawling = run(&valley, 0.001, 50);
    assert_eq!(crawling.outcome, Outcome::Crawling);
    assert_eq!(crawling.reversals, 0);
    assert!(crawling.losses.windows(2).all(|w| w[1] < w[0]));

    let wide = Settings {
        zoom: 0.125,
        ..valley
    };
    let diverged = run(&wide, 3.0 / curvature, 200);
    assert_eq!(diverged.outcome, Outcome::Diverged, "{:?}", diverged.losses);
    assert!(diverged.points.len() < 200);

    let narrow = Settings {
        zoom: 8.0,
        ..valley
    };
    let left = run(&narrow, 3.0 / curvature, 200);
    assert_eq!(left.outcome, Outcome::LeftView);
    let last = *left.points.last().unwrap();
    let view = landscape::view(&net, &narrow).unwrap();
    assert!(!view.contains(last));
    assert!(left.points[..left.points.len() - 1]
        .iter()
        .all(|p| view.contains(*p)));

    // b₁ against b₃ (different rows) is a round bowl: it converges.
    let bowl = Settings {
        x: B1,
        y: B3,
        ..Settings::default()
    };
    let rate = 1.0 / b_curvature(&net, &xs, 0, 2);
    let start = [0.5, 0.8];
    let converged = landscape::descend(&net, &xs, &ys, &bowl, start, rate, 1000).unwrap();
    assert_eq!(
        converged.outcome,
        Outcome::Converged,
        "{:?}",
        converged.gradient_norm
    );
    assert!(converged.gradient_norm <= landscape::SETTLED_GRADIENT);
    // When the steps run out a hair from that minimum, the path has converged too; half a
    // unit away it is still crawling.
    let bottom = *converged.points.last().unwrap();
    let near = [bottom[0] + 1e-4, bottom[1] - 1e-4];
    let short = landscape::descend(&net, &xs, &ys, &bowl, near, 0.01, 1).unwrap();
    assert!(short.gradient_norm > landscape::SETTLED_GRADIENT);
    assert_eq!(short.outcome, Outcome::Converged);
    let away = [bottom[0] + 0.5, bottom[1] - 0.5];
    let short = landscape::descend(&net, &xs, &ys, &bowl, away, 0.01, 1).unwrap();
    assert_eq!(short.outcome, Outcome::Crawling);

    // A unit whose step lies far outside the data, with A scaled by 30: the loss is flat in
    // A₃₁ and A₃₂ (σ′ < 10⁻²⁰), a plateau, not a minimum.
    let saturated = Settings {
        x: Parameter::A { row: 2, column: 0 },
        y: Parameter::A { row: 2, column: 1 },
        zoom: 1.0,
        a_scale: 30.0,
    };
    let mut flat_net = net.clone();
    flat_net
        .set_weights(&[1.0, 0.0, 1.2, 0.2, 0.5, 3.0], &[0.5, -0.3, 0.8])
        .unwrap();
    let arrow = landscape::arrow(&flat_net, &xs, &ys, &saturated, 0.3).unwrap();
    assert!(arrow.norm < 1e-15, "{}", arrow.norm);
    let plateau = landscape::descend(&flat_net, &xs, &ys, &saturated, arrow.at, 0.3, 100).unwrap();
    assert_eq!(plateau.outcome, Outcome::Plateau);
    assert_eq!(plateau.points.len(), 1);

    for outcome in Outcome::ALL {
        assert!(outcome.message().len() > 60, "{}", outcome.name());
    }
}

#[test]
fn scaling_a_flattens_the_surface() {
    // The saturation study: with A × 30 the gradient of A₁₁ collapses, that of b₁ does not.
    let (xs, ys) = data(100);
    let net = network(8, Activation::Sigmoid);
    let at = |a_scale: f64| {
        let settings = Settings {
            x: B1,
            y: A11,
            zoom: 1.0,
            a_scale,
        };
        landscape::arrow(&net, &xs, &ys, &settings, 0.3).unwrap()
    };
    let (one, thirty) = (at(1.0), at(30.0));
    println!(
        "gradient at ×1 {:?}, at ×30 {:?}",
        one.gradient, thirty.gradient
    );
    assert!(thirty.gradient[1].abs() < one.gradient[1].abs() / 5.0);
    assert!(thirty.gradient[0].abs() > one.gradient[0].abs() / 5.0);
}
