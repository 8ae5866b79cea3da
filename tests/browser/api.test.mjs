// The page loads cleanly, and the JavaScript API of the WebAssembly build returns the same
// numbers as the native tests (tests/fixtures/fixed_case.json) and refuses bad input with a
// helpful Error while the instance stays usable.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { openPage, screenshot, startLab } from "./harness.mjs";
import { startServer } from "../../scripts/serve.mjs";

const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/fixed_case.json", import.meta.url)));
const KNOWN_POINTS = JSON.parse(readFileSync(new URL("../fixtures/known_points.json", import.meta.url)));

let lab;
let page;
before(async () => {
  lab = await startLab();
  // These tests run code in the page (new Function, an inline module script), which the
  // page's strict CSP refuses; reliability.test.mjs checks the page under that policy.
  page = await openPage(lab, "/", { bypassCSP: true });
});
after(async () => {
  await lab?.close();
});

/** Runs `fn(api, arg)` in the page, with `api` the page's own instance of the wasm module. */
function inPage(fn, arg) {
  return page.evaluate(async ([source, arg]) => {
    const api = window.backpropLab.core;
    // eslint-disable-next-line no-new-func
    return new Function("api", "arg", `return (${source})(api, arg);`)(api, arg);
  }, [fn.toString(), arg]);
}

function assertClose(what, got, want, tolerance = 1e-12) {
  const g = Array.isArray(got) ? got : [got];
  const w = Array.isArray(want) ? want : [want];
  assert.equal(g.length, w.length, `${what}: length`);
  g.forEach((value, i) => {
    const error = Math.abs(value - w[i]) / Math.max(Math.abs(value), Math.abs(w[i]), 1e-300);
    assert.ok(error < tolerance, `${what}[${i}]: ${value} vs ${w[i]} (relative error ${error})`);
  });
}

test("the page loads with no console error, failed request or foreign request, and draws", async () => {
  assert.deepEqual(page.problems, []);
  assert.equal(await page.title(), "Backprop Lab: how neural networks learn");
  const colours = await page.evaluate(() => {
    const canvas = document.querySelector("#activations-canvas");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 20, `the activations canvas looks blank (${colours} colours)`);
  await screenshot(page, "page");
});

test("the API in the page reproduces the fixed case to 1e-12", async () => {
  const results = await inPage((api, f) => {
    const out = {};
    for (const name of Object.keys(f.cases)) {
      const net = new api.Network(f.m, f.h, name, 0);
      net.setWeights(Float64Array.from(f.A), Float64Array.from(f.b));
      const fwd = net.forward(Float64Array.from(f.x), f.y);
      const g = net.backward(Float64Array.from(f.x), f.y);
      const before = net.step(Float64Array.from(f.X), Float64Array.from(f.Y), f.learning_rate);
      out[name] = {
        forward: { z1: [...fwd.z1], z2: [...fwd.z2], z3: fwd.z3, z4: fwd.z4, loss: fwd.loss },
        backward: { dA: [...g.dA], db: [...g.db], dz1: [...g.dz1], dz2: [...g.dz2], dz3: g.dz3, dz4: g.dz4, z1: [...g.z1], loss: g.loss },
        types: [fwd.z1, g.dA, net.weightsA()].map((v) => v.constructor.name),
        before,
        A: [...net.weightsA()],
        b: [...net.weightsB()],
        shape: [net.m, net.h, net.activation],
      };
      net.free();
    }
    return out;
  }, FIXTURE);
  for (const [name, got] of Object.entries(results)) {
    const want = FIXTURE.cases[name];
    for (const key of ["z1", "z2", "z3", "z4", "loss"]) assertClose(`${name} forward ${key}`, got.forward[key], want.example[key]);
    for (const key of ["dA", "db", "dz1", "dz2", "dz3", "dz4", "z1", "loss"]) assertClose(`${name} backward ${key}`, got.backward[key], want.example[key]);
    assert.deepEqual(got.types, ["Float64Array", "Float64Array", "Float64Array"]);
    assertClose(`${name} loss before the step`, got.before, want.step.loss_before);
    assertClose(`${name} A after the step`, got.A, want.step.A_after);
    assertClose(`${name} b after the step`, got.b, want.step.b_after);
    assert.deepEqual(got.shape, [FIXTURE.m, FIXTURE.h, name]);
  }
});

test("a seed gives the training points pinned in known_points.json, bit for bit", async () => {
  // What every v=1 link replays: the module computes sin and exp itself, so every browser
  // gets these bits (tests/known_answers.rs pins the same cases natively).
  const got = await inPage((api, cases) => cases.map(({ shape, count, noise, seed, x }) => {
    const lab = new api.TrainingLab();
    lab.setDataset(shape);
    lab.setCount(count);
    lab.setNoise(noise);
    lab.setSeed(seed);
    const points = x.map((_, i) => lab.trainPoint(i));
    lab.free();
    const hex = (values) => [...new BigUint64Array(Float64Array.from(values).buffer)].map((b) => b.toString(16).padStart(16, "0"));
    return { x: hex(points.map((p) => p.x)), y: hex(points.map((p) => p.y)) };
  }), KNOWN_POINTS.sample);
  KNOWN_POINTS.sample.forEach((want, i) => {
    assert.deepEqual(got[i], { x: want.x, y: want.y }, `${want.shape}, ${want.count} points, noise ${want.noise}, seed ${want.seed}`);
  });
});

test("the default lab after 1,000 steps reaches the losses pinned in known_points.json, bit for bit", async () => {
  const got = await inPage((api, steps) => {
    const lab = new api.TrainingLab();
    for (let left = steps; left > 0;) {
      const n = Math.min(left, lab.maxStepsPerCall);
      if (lab.train(n) !== "trained") throw new Error(lab.message);
      left -= n;
    }
    const hex = (value) => new BigUint64Array(Float64Array.of(value).buffer)[0].toString(16).padStart(16, "0");
    const out = { steps: lab.steps, train_loss: hex(lab.trainLoss()), test_loss: hex(lab.testLoss()) };
    lab.free();
    return out;
  }, KNOWN_POINTS.training.steps);
  const { steps, train_loss, test_loss } = KNOWN_POINTS.training;
  assert.deepEqual(got, { steps, train_loss, test_loss });
});

test("activation and activationDerivative work element-wise", async () => {
  const got = await inPage((api) => ({
    relu: [...api.activation("relu", Float64Array.of(-2, 0, 3))],
    reluSlope: [...api.activationDerivative("relu", Float64Array.of(-2, 0, 3))],
    sigmoid: [...api.activation("sigmoid", [-1000, 0, 1000, 1e300])],
    sigmoidSlope: [...api.activationDerivative("sigmoid", [0, -1e300])],
  }));
  assert.deepEqual(got.relu, [0, 0, 3]);
  assert.deepEqual(got.reluSlope, [0, 0, 1]);
  assert.deepEqual(got.sigmoid, [0, 0.5, 1, 1]);
  assert.deepEqual(got.sigmoidSlope, [0.25, 0]);
});

test("the same seed gives the same weights in the browser", async () => {
  const [first, second] = await inPage((api) => [1, 2].map(() => {
    const net = new api.Network(2, 5, "tanh", 123);
    const weights = [...net.weightsA(), ...net.weightsB()];
    net.free();
    return weights;
  }));
  assert.deepEqual(first, second);
});

test("bad input throws an Error that says what is allowed, and the network keeps working", async () => {
  const outcome = await inPage((api) => {
    const attempt = (fn) => {
      try {
        fn();
        return "no error";
      } catch (error) {
        return `${error instanceof Error ? "Error" : typeof error}: ${error.message}`;
      }
    };
    const net = new api.Network(2, 3, "sigmoid", 1);
    const x = Float64Array.of(0.5, 1);
    const before = net.forward(x, 1).loss;
    const messages = {
      m0: attempt(() => new api.Network(0, 3, "sigmoid", 1)),
      h300: attempt(() => new api.Network(2, 300, "sigmoid", 1)),
      hFraction: attempt(() => new api.Network(2, 2.5, "sigmoid", 1)),
      activation: attempt(() => new api.Network(2, 3, "swish", 1)),
      seed: attempt(() => new api.Network(2, 3, "relu", -1)),
      weights: attempt(() => net.setWeights(new Float64Array(5), new Float64Array(3))),
      weightsType: attempt(() => net.setWeights("abc", new Float64Array(3))),
      xLength: attempt(() => net.forward(Float64Array.of(1, 2, 3), 0)),
      xNaN: attempt(() => net.backward(Float64Array.of(NaN, 1), 0)),
      lrZero: attempt(() => net.step(x, Float64Array.of(1), 0)),
      lrNaN: attempt(() => net.step(x, Float64Array.of(1), NaN)),
      lrInfinite: attempt(() => net.step(x, Float64Array.of(1), Infinity)),
      mismatch: attempt(() => net.step(Float64Array.of(1, 2, 3), Float64Array.of(1, 2), 0.1)),
      activationName: attempt(() => api.activation("elu", Float64Array.of(1))),
    };
    const after = net.forward(x, 1).loss;
    const stepped = net.step(x, Float64Array.of(1), 0.1);
    return { messages, before, after, stepped };
  });
  const m = outcome.messages;
  assert.match(m.m0, /^Error: m \(the input size\) must be a whole number from 1 to 256, got 0$/);
  assert.match(m.h300, /^Error: h \(the number of hidden units\) must be a whole number from 1 to 256, got 300$/);
  assert.match(m.hFraction, /^Error: .*whole number from 1 to 256, got 2\.5$/);
  assert.match(m.activation, /^Error: unknown activation "swish"; valid names are "sigmoid", "relu", "tanh"/);
  assert.match(m.seed, /^Error: the seed must be a whole number/);
  assert.match(m.weights, /^Error: A \(h·m numbers, row-major\) must have 6 entries, got 5$/);
  assert.match(m.weightsType, /^Error: A must be a Float64Array or an array of numbers$/);
  assert.match(m.xLength, /^Error: x \(m numbers\) must have 2 entries, got 3$/);
  assert.match(m.xNaN, /^Error: x .* must contain only finite numbers/);
  for (const key of ["lrZero", "lrNaN", "lrInfinite"]) {
    assert.match(m[key], /^Error: the learning rate must be a finite number greater than 0/);
  }
  assert.match(m.mismatch, /^Error: X and Y disagree/);
  assert.match(m.activationName, /^Error: unknown activation "elu"/);
  assert.equal(outcome.after, outcome.before, "a refused call changes nothing");
  assert.ok(Number.isFinite(outcome.stepped), "the network still steps after the errors");
  assert.deepEqual(page.problems, [], "errors are thrown to the caller, not logged or trapped");
});

test("the page serves a favicon and the right MIME type for WebAssembly", async () => {
  const types = await page.evaluate(async () => {
    const get = async (path) => (await fetch(path)).headers.get("content-type");
    return [await get("/www/favicon.svg"), await get("/www/pkg/backprop_lab_bg.wasm")];
  });
  assert.deepEqual(types, ["image/svg+xml", "application/wasm"]);
});

test("the page loads one bundled script, one style sheet and one WebAssembly module; with SOURCES=1 the sources", async () => {
  const loaded = async (origin) => {
    const context = await lab.browser.newContext();
    const tab = await context.newPage();
    const paths = [];
    tab.on("request", (request) => paths.push(new URL(request.url()).pathname));
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => window.backpropLab?.ready === true);
    await context.close();
    return paths.filter((path) => /\.(js|css|wasm)$/.test(path)).sort();
  };
  assert.deepEqual(await loaded(lab.origin), ["/www/app.css", "/www/app.js", "/www/pkg/backprop_lab_bg.wasm"]);
  const sources = await startServer(0, "127.0.0.1", { sources: true });
  try {
    const paths = await loaded(`http://127.0.0.1:${sources.address().port}`);
    assert.ok(paths.includes("/www/main.js") && paths.includes("/www/panels/training.js") && !paths.includes("/www/app.js"), paths.join(" "));
  } finally {
    await new Promise((done) => sources.close(done));
  }
});

test("the README's API example runs as written", async () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const example = readme.match(/```js\n([\s\S]*?)```/)[1];
  const source = example.replace("./www/pkg/backprop_lab.js", "/www/pkg/backprop_lab.js")
    + "\nwindow.readmeExampleDone = true;";
  const logged = [];
  page.on("console", (message) => logged.push(message.text()));
  await page.addScriptTag({ type: "module", content: source });
  await page.waitForFunction(() => window.readmeExampleDone === true, null, { timeout: 5_000 });
  assert.equal(logged.length, 1, `one line logged: ${logged}`);
  assert.deepEqual(page.problems, []);
});

test("an object's Rust pointer cannot be forged, swapped or revived: refused with an Error, nothing trapped", async () => {
  const results = await inPage((api) => {
    const attempt = (run) => {
      try {
        run();
        return "ran";
      } catch (error) {
        return error instanceof Error ? error.message : `threw a ${typeof error}`;
      }
    };
    const out = {};
    // A TrainingLab made without its constructor, given a pointer: not passed to Rust.
    const forged = Object.create(api.TrainingLab.prototype);
    forged.__wbg_ptr = 8;
    out.forged = attempt(() => new api.BackpropExplorer(forged));
    // A freed lab's pointer on a forged object.
    const gone = new api.TrainingLab();
    const pointer = gone.__wbg_ptr;
    gone.free();
    const revived = Object.create(api.TrainingLab.prototype);
    revived.__wbg_ptr = pointer;
    out.revived = attempt(() => new api.LandscapeLab(revived));
    // Another network's pointer, or a number, written on a genuine one.
    const a = new api.Network(2, 3, "sigmoid", 1);
    const b = new api.Network(2, 3, "sigmoid", 2);
    out.swapped = attempt(() => { a.__wbg_ptr = b.__wbg_ptr; });
    out.number = attempt(() => { a.__wbg_ptr = 0x7fff0; });
    b.free();
    out.still = a.predict(Float64Array.of(1, 2)) === new api.Network(2, 3, "sigmoid", 1).predict(Float64Array.of(1, 2));
    a.free();
    out.freed = attempt(() => a.predict(Float64Array.of(1, 2)));
    return out;
  });
  assert.match(results.forged, /expected a live TrainingLab/);
  assert.match(results.revived, /expected a live TrainingLab/);
  assert.match(results.swapped, /cannot be set/);
  assert.match(results.number, /cannot be set/);
  assert.equal(results.still, true, "the network is its own");
  assert.match(results.freed, /has been freed/);
  assert.deepEqual(page.problems, []);
});
