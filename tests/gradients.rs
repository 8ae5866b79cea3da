//! The network's forward values and gradients against the worksheet's closed forms, written
//! out here independently of src/network.rs, and against central finite differences.

mod common;

use backprop_lab::{Activation, Network, Rng};
use common::{random_vector, relative_error};

/// The worksheet's formulas, written from scratch with plain loops:
/// z1 = Ax, z2 = σ(z1), z3 = bᵀz2, z4 = y − z3, L = z4²,
/// ∂L/∂b = −2·z4·z2, ∂L/∂A_jk = −2·z4·b_j·σ′(z1_j)·x_k.
struct Reference {
    z1: Vec<f64>,
    z2: Vec<f64>,
    z3: f64,
    z4: f64,
    loss: f64,
    db: Vec<f64>,
    da: Vec<f64>,
}

fn reference(act: Activation, a: &[f64], b: &[f64], x: &[f64], y: f64) -> Reference {
    let (h, m) = (b.len(), x.len());
    let z1: Vec<f64> = (0..h)
        .map(|j| (0..m).map(|k| a[j * m + k] * x[k]).sum())
        .collect();
    let z2: Vec<f64> = z1.iter().map(|&v| act.value(v)).collect();
    let z3: f64 = (0..h).map(|j| b[j] * z2[j]).sum();
    let z4 = y - z3;
    let db = z2.iter().map(|&v| -2.0 * z4 * v).collect();
    let mut da = vec![0.0; h * m];
    for j in 0..h {
        for k in 0..m {
            da[j * m + k] = -2.0 * z4 * b[j] * act.derivative(z1[j]) * x[k];
        }
    }
    Reference {
        z1,
        z2,
        z3,
        z4,
        loss: z4 * z4,
        db,
        da,
    }
}

fn loss_with(net: &Network, a: &[f64], b: &[f64], x: &[f64], y: f64) -> f64 {
    let mut probe = net.clone();
    probe.set_weights(a, b).unwrap();
    probe.forward(x, y).unwrap().loss
}

/// A random case: weights, an input and a target.
fn case(rng: &mut Rng, m: usize, h: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>, f64) {
    (
        random_vector(rng, h * m, 1.5),
        random_vector(rng, h, 1.5),
        random_vector(rng, m, 2.0),
        rng.symmetric(2.0),
    )
}

const SHAPES: [(usize, usize); 5] = [(1, 1), (1, 4), (2, 3), (3, 8), (5, 16)];

#[test]
fn forward_and_gradients_equal_the_closed_forms() {
    let mut rng = Rng::new(2021);
    for act in [Activation::Sigmoid, Activation::Relu, Activation::Tanh] {
        for (m, h) in SHAPES {
            let (a, b, x, y) = case(&mut rng, m, h);
            let mut net = Network::new(m, h, act, 0).unwrap();
            net.set_weights(&a, &b).unwrap();
            let (fwd, grads) = net.backward(&x, y).unwrap();
            let want = reference(act, &a, &b, &x, y);
            // z1 and z2 are the same sums in the same order: exact equality is safe.
            assert_eq!(fwd.z1, want.z1);
            assert_eq!(fwd.z2, want.z2);
            assert_eq!((fwd.z3, fwd.z4, fwd.loss), (want.z3, want.z4, want.loss));
            assert_eq!(grads.dz4, 2.0 * fwd.z4);
            assert_eq!(grads.dz3, -2.0 * fwd.z4);
            for (dz2, bj) in grads.dz2.iter().zip(&b) {
                assert_eq!(*dz2, -2.0 * fwd.z4 * bj);
            }
            // The network uses σ′ = z2(1 − z2) from the cache, the reference σ′(z1) directly:
            // equal up to rounding.
            for (got, want) in grads.db.iter().zip(&want.db) {
                assert!(
                    relative_error(*got, *want, 1e-300) < 1e-12,
                    "{act} db {got} {want}"
                );
            }
            for (got, want) in grads.da.iter().zip(&want.da) {
                assert!(
                    relative_error(*got, *want, 1e-300) < 1e-12,
                    "{act} dA {got} {want}"
                );
            }
        }
    }
}

#[test]
fn every_gradient_entry_matches_a_central_difference() {
    let mut rng = Rng::new(7);
    let mut worst = 0.0_f64;
    for act in [Activation::Sigmoid, Activation::Relu, Activation::Tanh] {
        for (m, h) in SHAPES {
            let (a, b, x, y) = case(&mut rng, m, h);
            let mut net = Network::new(m, h, act, 0).unwrap();
            net.set_weights(&a, &b).unwrap();
            let (fwd, grads) = net.backward(&x, y).unwrap();
            // ReLU has a kink at 0: a unit whose z1 lies within the step of it would make the
            // difference straddle the kink, so such units are skipped (none are, for these seeds).
            let near_kink = |j: usize| act == Activation::Relu && fwd.z1[j].abs() < 1e-3;
            let step = 1e-6;
            let difference = |a_plus: &[f64], b_plus: &[f64], a_minus: &[f64], b_minus: &[f64]| {
                (loss_with(&net, a_plus, b_plus, &x, y) - loss_with(&net, a_minus, b_minus, &x, y))
                    / (2.0 * step)
            };
            for i in 0..h * m {
                if near_kink(i / m) {
                    continue;
                }
                let (mut plus, mut minus) = (a.clone(), a.clone());
                plus[i] += step;
                minus[i] -= step;
                let numeric = difference(&plus, &b, &minus, &b);
                let error = relative_error(grads.da[i], numeric, 1e-4);
                worst = worst.max(error);
                assert!(
                    error < 1e-6,
                    "{act} m={m} h={h} dA[{i}] {} vs {numeric}",
                    grads.da[i]
                );
            }
            for j in 0..h {
                let (mut plus, mut minus) = (b.clone(), b.clone());
                plus[j] += step;
                minus[j] -= step;
                let numeric = difference(&a, &plus, &a, &minus);
                let error = relative_error(grads.db[j], numeric, 1e-4);
                worst = worst.max(error);
                assert!(
                    error < 1e-6,
                    "{act} m={m} h={h} db[{j}] {} vs {numeric}",
                    grads.db[j]
                );
            }
        }
    }
    println!("largest relative error against central differences: {worst:.2e}");
}

#[test]
fn the_batch_gradient_is_the_mean_of_the_example_gradients() {
    let mut rng = Rng::new(11);
    let (m, h, n) = (2, 5, 7);
    let mut net = Network::new(m, h, Activation::Sigmoid, 3).unwrap();
    let xs = random_vector(&mut rng, n * m, 2.0);
    let ys = random_vector(&mut rng, n, 1.0);
    let (a, b) = (net.weights_a().to_vec(), net.weights_b().to_vec());
    let mut mean_da = vec![0.0; h * m];
    let mut mean_db = vec![0.0; h];
    let mut mean_loss = 0.0;
    for (x, &y) in xs.chunks(m).zip(&ys) {
        let (fwd, grads) = net.backward(x, y).unwrap();
        mean_loss += fwd.loss / n as f64;
        mean_da
            .iter_mut()
            .zip(&grads.da)
            .for_each(|(s, g)| *s += g / n as f64);
        mean_db
            .iter_mut()
            .zip(&grads.db)
            .for_each(|(s, g)| *s += g / n as f64);
    }
    let lr = 0.3;
    let before = net.step(&xs, &ys, lr).unwrap();
    assert!(relative_error(before, mean_loss, 1e-300) < 1e-14);
    for ((new, old), g) in net.weights_a().iter().zip(&a).zip(&mean_da) {
        assert!((new - (old - lr * g)).abs() < 1e-14);
    }
    for ((new, old), g) in net.weights_b().iter().zip(&b).zip(&mean_db) {
        assert!((new - (old - lr * g)).abs() < 1e-14);
    }
}

#[test]
fn a_fixed_case_has_the_values_worked_out_by_hand() {
    // m = 1, h = 1, A = [0], b = [2], x = [1], y = 3: z1 = 0, z2 = ½, z3 = 1, z4 = 2, L = 4;
    // ∂L/∂b = −2·2·½ = −2; ∂L/∂A = −2·2·2·¼·1 = −2.
    let mut net = Network::new(1, 1, Activation::Sigmoid, 0).unwrap();
    net.set_weights(&[0.0], &[2.0]).unwrap();
    let (fwd, grads) = net.backward(&[1.0], 3.0).unwrap();
    assert_eq!(
        (fwd.z1[0], fwd.z2[0], fwd.z3, fwd.z4, fwd.loss),
        (0.0, 0.5, 1.0, 2.0, 4.0)
    );
    assert_eq!((grads.db[0], grads.da[0]), (-2.0, -2.0));
}
