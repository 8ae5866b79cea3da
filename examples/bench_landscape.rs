//! Time of the loss surface, for `make bench`: a 64 × 64 surface at n = 500 and h = 64 for
//! each kind of weight pair and activation, against one `Network::mean_loss` (the yardstick:
//! evaluating the loss at every grid point would take 4096 of them), and a descent path.
//! Times are CPU time of this thread where Linux tells it, so they mean something on a busy
//! machine. The values themselves are checked by tests/landscape.rs.

use backprop_lab::data::{Points, Shape};
use backprop_lab::landscape::{self, Parameter, Settings};
use backprop_lab::{Activation, Network};
use std::time::Instant;

const A11: Parameter = Parameter::A { row: 0, column: 0 };
const A12: Parameter = Parameter::A { row: 0, column: 1 };
const A21: Parameter = Parameter::A { row: 1, column: 0 };
const B1: Parameter = Parameter::B { unit: 0 };
const B2: Parameter = Parameter::B { unit: 1 };

fn main() {
    let points = Points::sample(Shape::Sine, 500, 0.1, 3);
    let (xs, ys) = (points.features(true), points.ys);
    let net = Network::new(2, 64, Activation::Sigmoid, 5).unwrap_or_else(|e| fail(&e));
    let mut reference = net.clone();
    let per_call = time_ms(|| {
        reference.mean_loss(&xs, &ys).unwrap_or_else(|e| fail(&e));
    });
    println!(
        "one mean_loss at n 500, h 64: {per_call:.3} ms of CPU; 4096 of them: {:.0} ms",
        4096.0 * per_call
    );
    let pairs = [
        ("(b₁, A₁₁) one unit", B1, A11),
        ("(b₁, b₂)", B1, B2),
        ("(A₁₁, b₂)", A11, B2),
        ("(A₁₁, A₂₁) two rows", A11, A21),
        ("(A₁₁, A₁₂) one row", A11, A12),
    ];
    for (label, x, y) in pairs {
        surface_time(&net, &xs, &ys, x, y, label, per_call);
    }
    // The one-row pair with the other activations (softplus and ReLU take the direct way).
    for activation in [Activation::Tanh, Activation::Relu, Activation::Softplus] {
        let mut other = net.clone();
        other.set_activation(activation);
        let label = format!("(A₁₁, A₁₂) one row, {activation}");
        surface_time(&other, &xs, &ys, A11, A12, &label, per_call);
    }
    let settings = Settings::default();
    let centre = landscape::view(&net, &settings).unwrap_or_else(|e| fail(&e));
    let start = [centre.x.current, centre.y.current];
    let mut steps = 0;
    let per_path = time_ms(|| {
        let path = landscape::descend(&net, &xs, &ys, &settings, start, 0.01, 1000)
            .unwrap_or_else(|e| fail(&e));
        steps = path.points.len() - 1;
    });
    println!(
        "a descent path of {steps} steps: {per_path:.2} ms of CPU, {:.1} µs a step",
        per_path * 1000.0 / steps as f64
    );
}

fn surface_time(
    net: &Network,
    xs: &[f64],
    ys: &[f64],
    x: Parameter,
    y: Parameter,
    label: &str,
    per_call: f64,
) {
    let settings = Settings {
        x,
        y,
        ..Settings::default()
    };
    let per_surface = time_ms(|| {
        landscape::surface(net, xs, ys, &settings, 64).unwrap_or_else(|e| fail(&e));
    });
    println!(
        "{label}: {per_surface:.2} ms of CPU per 64 × 64 surface, {:.1} mean_loss calls",
        per_surface / per_call
    );
}

/// Seconds of CPU this thread has used (Linux's schedstat, in ns); wall-clock time where that
/// file is missing.
fn cpu_seconds(wall: &Instant) -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|text| text.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| wall.elapsed().as_secs_f64(), |ns| ns * 1e-9)
}

/// Milliseconds of CPU per call of `run`, over at least 20 calls and 0.3 s.
fn time_ms(mut run: impl FnMut()) -> f64 {
    let wall = Instant::now();
    let start = cpu_seconds(&wall);
    let mut calls = 0;
    while calls < 20 || cpu_seconds(&wall) - start < 0.3 {
        run();
        calls += 1;
    }
    (cpu_seconds(&wall) - start) * 1000.0 / calls as f64
}

fn fail(error: &dyn std::fmt::Display) -> ! {
    eprintln!("error: {error}");
    std::process::exit(1)
}
