// A careful plain-JavaScript version of one full-batch gradient step of the worksheet's
// network (sigmoid, mean squared loss), the baseline for `make bench`. Typed arrays
// throughout, no allocation inside the step, the same arithmetic as src/network.rs.

/** Scratch space for `step`, allocated once per network shape. */
export function makeScratch(hidden, inputs) {
  return { z2: new Float64Array(hidden), gradA: new Float64Array(hidden * inputs), gradB: new Float64Array(hidden) };
}

function sigmoid(t) {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/**
 * One step of gradient descent on the mean loss over (X, Y); A is h×m row-major.
 * Updates A and b in place and returns the mean loss before the step.
 */
export function step(A, b, X, Y, learningRate, scratch) {
  const hidden = b.length;
  const inputs = A.length / hidden;
  const n = Y.length;
  const weight = 1 / n;
  const { z2, gradA, gradB } = scratch;
  gradA.fill(0);
  gradB.fill(0);
  let total = 0;
  for (let i = 0; i < n; i += 1) {
    const offset = i * inputs;
    let z3 = 0;
    for (let j = 0; j < hidden; j += 1) {
      let z1 = 0;
      const row = j * inputs;
      for (let k = 0; k < inputs; k += 1) z1 += A[row + k] * X[offset + k];
      const s = sigmoid(z1);
      z2[j] = s;
      z3 += b[j] * s;
    }
    const z4 = Y[i] - z3;
    total += z4 * z4;
    const dz3 = -2 * z4;
    for (let j = 0; j < hidden; j += 1) {
      const s = z2[j];
      gradB[j] += weight * dz3 * s;
      const dz1 = dz3 * b[j] * s * (1 - s);
      const row = j * inputs;
      for (let k = 0; k < inputs; k += 1) gradA[row + k] += weight * dz1 * X[offset + k];
    }
  }
  for (let i = 0; i < A.length; i += 1) A[i] -= learningRate * gradA[i];
  for (let j = 0; j < hidden; j += 1) b[j] -= learningRate * gradB[j];
  return total * weight;
}
