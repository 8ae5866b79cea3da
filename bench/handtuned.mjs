// The fastest plain-JavaScript full-batch step we could write for the benchmark, to measure
// the WebAssembly kernel against something stronger than bench/reference.mjs. The same
// mathematics and the same order of operations as src/kernel.rs (sigmoid, mean squared
// loss), so it reaches the same loss to ~1e-12 (its e^x may differ from the crate's in the last
// bit). What makes it fast:
//  - one fused pass: a forward and a backward sweep over the hidden units per pair of
//    examples, with σ and σ′ of those two examples in per-unit scratch, no per-example arrays;
//  - m = 2 (the lab's inputs [x, 1]) specialised, with every weight read once per pair of
//    examples and the inputs held in locals;
//  - e^x inlined: the crate's algorithm (a 64-entry table of 2^(i/64) and a degree-5
//    polynomial, see src/math.rs), which V8 compiles to straight-line code, where Math.exp
//    is a call. `step` uses it; `stepMathExp` is the same step with Math.exp, to compare.
//  - Float64Arrays allocated once (makeScratch), nothing allocated in a step.

const N = 64;
const N_OVER_LN2 = N * Math.LOG2E;
const LN2_N_HI = 0.01083042469326756; // the crate's LN2_N_HI and LN2_N_LO, exact
const LN2_N_LO = 2.9815858269852933e-12;
const SHIFT = 1.5 * 2 ** 52; // x + SHIFT − SHIFT rounds x to an integer, ties to even
const TABLE = Float64Array.from({ length: N }, (_, i) => 2 ** (i / N));
// POWERS[q + 1022] = 2^q for the q that occur while x > −707.
const POWERS = Float64Array.from({ length: 2046 }, (_, i) => 2 ** (i - 1022));

/** e^x for −707 < x ≤ 0 (Math.exp elsewhere), as src/math.rs computes it. */
function expNonPositive(x) {
  if (!(x > -707)) return Math.exp(x);
  const k = x * N_OVER_LN2 + SHIFT - SHIFT;
  const r = x - k * LN2_N_HI - k * LN2_N_LO;
  const r2 = r * r;
  const p = 1 + r + r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120)));
  const i = k | 0;
  return TABLE[i & (N - 1)] * p * POWERS[(i >> 6) + 1022];
}

/** Scratch space for `step`, allocated once per network shape. */
export function makeScratch(hidden, inputs) {
  return {
    z2: new Float64Array(2 * hidden), // σ(z1) of the two examples in flight
    slope: new Float64Array(2 * hidden), // σ′(z1) of the two examples in flight
    gradA: new Float64Array(hidden * inputs),
    gradB: new Float64Array(hidden),
  };
}

/**
 * One step of gradient descent on the mean loss over (X, Y); A is h×m row-major. Updates A
 * and b in place and returns the mean loss before the step.
 */
export function step(A, b, X, Y, learningRate, scratch) {
  return stepWith(A, b, X, Y, learningRate, scratch, true);
}

/** `step` with Math.exp in place of the inlined e^x. */
export function stepMathExp(A, b, X, Y, learningRate, scratch) {
  return stepWith(A, b, X, Y, learningRate, scratch, false);
}

function stepWith(A, b, X, Y, learningRate, scratch, tableExp) {
  const hidden = b.length;
  const inputs = A.length / hidden;
  const total = inputs === 2
    ? (tableExp ? gradientTwoInputs(A, b, X, Y, scratch) : gradientTwoInputsMathExp(A, b, X, Y, scratch))
    : gradientAnyInputs(A, b, X, Y, scratch, inputs);
  const { gradA, gradB } = scratch;
  for (let i = 0; i < A.length; i += 1) A[i] -= learningRate * gradA[i];
  for (let j = 0; j < hidden; j += 1) b[j] -= learningRate * gradB[j];
  return total / Y.length;
}

// The two m = 2 kernels below differ only in the e^x they call; one function taking the exp
// as an argument would be slower (a call V8 does not always inline).

function gradientTwoInputs(A, b, X, Y, scratch) {
  const hidden = b.length;
  const n = Y.length;
  const weight = 1 / n;
  const { z2, slope, gradA, gradB } = scratch;
  gradA.fill(0);
  gradB.fill(0);
  let total = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = X[2 * i], x1 = X[2 * i + 1], u0 = X[2 * i + 2], u1 = X[2 * i + 3];
    let z3 = 0, w3 = 0;
    for (let j = 0; j < hidden; j += 1) {
      const a0 = A[2 * j], a1 = A[2 * j + 1], bj = b[j];
      const p = a0 * x0 + a1 * x1;
      const q = a0 * u0 + a1 * u1;
      const ep = expNonPositive(-Math.abs(p));
      const eq = expNonPositive(-Math.abs(q));
      const sp = (p >= 0 ? 1 : ep) / (1 + ep);
      const sq = (q >= 0 ? 1 : eq) / (1 + eq);
      z2[2 * j] = sp;
      z2[2 * j + 1] = sq;
      slope[2 * j] = sp * (1 - sp);
      slope[2 * j + 1] = sq * (1 - sq);
      z3 += bj * sp;
      w3 += bj * sq;
    }
    const z4 = Y[i] - z3, w4 = Y[i + 1] - w3;
    total += z4 * z4;
    total += w4 * w4;
    const dz3 = -(2 * z4), dw3 = -(2 * w4);
    const gz = weight * dz3, gw = weight * dw3;
    for (let j = 0; j < hidden; j += 1) {
      const bj = b[j];
      let gb = gradB[j], g0 = gradA[2 * j], g1 = gradA[2 * j + 1];
      gb += gz * z2[2 * j];
      const dp = weight * (dz3 * bj * slope[2 * j]);
      g0 += dp * x0;
      g1 += dp * x1;
      gb += gw * z2[2 * j + 1];
      const dq = weight * (dw3 * bj * slope[2 * j + 1]);
      g0 += dq * u0;
      g1 += dq * u1;
      gradB[j] = gb;
      gradA[2 * j] = g0;
      gradA[2 * j + 1] = g1;
    }
  }
  if (i < n) total += oneExample(A, b, X, Y, scratch, 2, i, weight);
  return total;
}

/** `gradientTwoInputs` with Math.exp: a copy, not the same loop given an exp function, so
 * each exp is called from a site of its own and V8 inlines it as the hand-tuned step would. */
function gradientTwoInputsMathExp(A, b, X, Y, scratch) {
  const hidden = b.length;
  const n = Y.length;
  const weight = 1 / n;
  const { z2, slope, gradA, gradB } = scratch;
  gradA.fill(0);
  gradB.fill(0);
  let total = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = X[2 * i], x1 = X[2 * i + 1], u0 = X[2 * i + 2], u1 = X[2 * i + 3];
    let z3 = 0, w3 = 0;
    for (let j = 0; j < hidden; j += 1) {
      const a0 = A[2 * j], a1 = A[2 * j + 1], bj = b[j];
      const p = a0 * x0 + a1 * x1;
      const q = a0 * u0 + a1 * u1;
      const ep = Math.exp(-Math.abs(p));
      const eq = Math.exp(-Math.abs(q));
      const sp = (p >= 0 ? 1 : ep) / (1 + ep);
      const sq = (q >= 0 ? 1 : eq) / (1 + eq);
      z2[2 * j] = sp;
      z2[2 * j + 1] = sq;
      slope[2 * j] = sp * (1 - sp);
      slope[2 * j + 1] = sq * (1 - sq);
      z3 += bj * sp;
      w3 += bj * sq;
    }
    const z4 = Y[i] - z3, w4 = Y[i + 1] - w3;
    total += z4 * z4;
    total += w4 * w4;
    const dz3 = -(2 * z4), dw3 = -(2 * w4);
    const gz = weight * dz3, gw = weight * dw3;
    for (let j = 0; j < hidden; j += 1) {
      const bj = b[j];
      let gb = gradB[j], g0 = gradA[2 * j], g1 = gradA[2 * j + 1];
      gb += gz * z2[2 * j];
      const dp = weight * (dz3 * bj * slope[2 * j]);
      g0 += dp * x0;
      g1 += dp * x1;
      gb += gw * z2[2 * j + 1];
      const dq = weight * (dw3 * bj * slope[2 * j + 1]);
      g0 += dq * u0;
      g1 += dq * u1;
      gradB[j] = gb;
      gradA[2 * j] = g0;
      gradA[2 * j + 1] = g1;
    }
  }
  if (i < n) total += oneExample(A, b, X, Y, scratch, 2, i, weight);
  return total;
}

function gradientAnyInputs(A, b, X, Y, scratch, inputs) {
  const { gradA, gradB } = scratch;
  gradA.fill(0);
  gradB.fill(0);
  const weight = 1 / Y.length;
  let total = 0;
  for (let i = 0; i < Y.length; i += 1) total += oneExample(A, b, X, Y, scratch, inputs, i, weight);
  return total;
}

/** Adds example i's share of the gradient to scratch; returns its loss. */
function oneExample(A, b, X, Y, scratch, inputs, i, weight) {
  const hidden = b.length;
  const { z2, slope, gradA, gradB } = scratch;
  const offset = i * inputs;
  let z3 = 0;
  for (let j = 0; j < hidden; j += 1) {
    let z1 = 0;
    for (let k = 0; k < inputs; k += 1) z1 += A[j * inputs + k] * X[offset + k];
    const e = expNonPositive(-Math.abs(z1));
    const s = (z1 >= 0 ? 1 : e) / (1 + e);
    z2[j] = s;
    slope[j] = s * (1 - s);
    z3 += b[j] * s;
  }
  const z4 = Y[i] - z3;
  const dz3 = -(2 * z4);
  for (let j = 0; j < hidden; j += 1) {
    gradB[j] += weight * dz3 * z2[j];
    const d = weight * (dz3 * b[j] * slope[j]);
    for (let k = 0; k < inputs; k += 1) gradA[j * inputs + k] += d * X[offset + k];
  }
  return z4 * z4;
}
