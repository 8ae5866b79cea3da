// The WebAssembly module's API under a seeded fuzz: at least 10,000 calls of every export
// and every method with hostile arguments (NaN, ±Infinity, −0, 1e308, fractions, strings,
// null, undefined, booleans, BigInt, Symbol, throwing getters, proxies, arrays of the wrong
// length and contents, canvases and other elements, objects of the wrong class as `this` and
// as arguments, and calls after free()). Nothing may trap the instance, every refusal must be
// an Error with a message, no object may be left unusable, no call may run long, and the
// instance must still compute a known forward value after every call.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fuzzScale, installSeededRandom, openPage, startLab } from "./harness.mjs";

/** Seeded hostile calls in the first test (FUZZ_SCALE in harness.mjs scales them). */
const CALLS = Math.max(100, Math.round(10_000 * fuzzScale()));

let lab;
let page;
before(async () => {
  lab = await startLab();
  page = await openPage(lab, "/?panel=activations");
  await installSeededRandom(page);
  // One small object of each class the module exports; `lab()` is the TrainingLab to share.
  await page.evaluate(() => {
    window.fuzzMakers = (api, lab) => ({
      Network: () => new api.Network(2, 3, "sigmoid", 1),
      TrainingLab: () => new api.TrainingLab(),
      BackpropExplorer: () => new api.BackpropExplorer(lab()),
      VanishingLab: () => new api.VanishingLab(lab(), 3, 4, "sigmoid", "he", false),
      CostLab: () => new api.CostLab(),
      ActivationPlot: () => new api.ActivationPlot(),
      BenchmarkWorkload: () => new api.BenchmarkWorkload(4, 20),
      LandscapeLab: () => new api.LandscapeLab(lab()),
      PracticeLab: () => new api.PracticeLab(7),
      PracticePartOne: () => new api.PracticePartOne(7),
    });
  });
});
after(async () => {
  await lab?.close();
});

test(`${CALLS.toLocaleString("en-US")} seeded hostile calls over every export: no trap, clear errors, nothing poisoned`, async () => {
  const report = await page.evaluate(async (CALLS) => {
    const api = window.backpropLab.core;
    const random = window.seededRandom(20261129);
    const pick = (list) => list[Math.floor(random() * list.length)];

    const lab = new api.TrainingLab();
    const makers = window.fuzzMakers(api, () => lab);
    const classes = Object.keys(makers);
    const functions = Object.keys(api).filter((name) => typeof api[name] === "function"
      && !classes.includes(name) && !["default", "initSync"].includes(name));
    const pool = Object.fromEntries(classes.map((name) => [name, [makers[name](), makers[name]()]]));
    const freed = Object.fromEntries(classes.map((name) => {
      const object = makers[name]();
      object.free();
      return [name, object];
    }));

    const canvas = document.createElement("canvas");
    canvas.width = 120;
    canvas.height = 80;
    const throwing = { valueOf() { throw new Error("valueOf refuses"); }, toString() { throw new Error("toString refuses"); } };
    const badGetter = [1, 2];
    Object.defineProperty(badGetter, 1, { get() { throw new Error("getter refuses"); } });
    const revoked = Proxy.revocable([1, 2], {});
    revoked.revoke();
    const trapping = new Proxy([1, 2, 3], { get(target, key) { if (key === "length") return 3; throw new Error("proxy refuses"); } });
    const numbers = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.5, 2.5, 3, 8, 64, 65, 256, 257, 1e308, -1e308, 1e-308, 5e-324, 2 ** 53, 1e9, 0.3, 10, 20, 200];
    const strings = ["", "sigmoid", "relu", "tanh", "leaky_relu", "softplus", "custom", "sine", "full", "mini", "single", "none",
      "forget-derivative", "x-not-transposed", "small", "xavier", "he", "swish", "a".repeat(5000), "\u0000", "σ", "1"];
    const arrays = () => [
      [], [1], [0.5, 1], [1, 2, 3], [NaN, 1], [1, "a"], [null, 1], [[0.5]], [true, 1], [Symbol("s"), 1], [10n, 1],
      new Float64Array(0), Float64Array.of(0.5, 1), Float64Array.of(1, 2, 3), new Float64Array(100).fill(0.1),
      new Float32Array(2), badGetter, trapping, revoked.proxy, ["sigmoid", "relu"], ["sigmoid", 5], new Array(1e6),
    ];
    const value = () => {
      const kind = random();
      if (kind < 0.3) return pick(numbers);
      if (kind < 0.45) return pick(strings);
      if (kind < 0.6) return pick(arrays());
      if (kind < 0.7) return pick([null, undefined, true, false, 10n, Symbol("x"), {}, throwing, canvas, document.body, () => 1]);
      if (kind < 0.85) return pick(pool[pick(classes)]);
      if (kind < 0.9) return freed[pick(classes)];
      return random() * 20 - 5;
    };

    const reference = new api.Network(2, 3, "tanh", 7);
    const known = reference.forward([0.5, 1], 0.3).loss;
    const failures = [];
    const slow = [];
    let calls = 0;
    let refusals = 0;
    const record = (what, error) => {
      if (error instanceof WebAssembly.RuntimeError) failures.push(`${what}: trapped (${error.message})`);
      else if (!(error instanceof Error) || !error.message) failures.push(`${what}: threw ${String(error)}, not an Error with a message`);
      else if (/recursive use|null pointer passed to rust|unreachable/.test(error.message)) failures.push(`${what}: ${error.message}`);
      else refusals += 1;
    };
    const methodsOf = (name) => {
      const proto = api[name].prototype;
      return Reflect.ownKeys(proto).filter((key) => typeof key === "string" && key !== "constructor" && !key.startsWith("__"));
    };

    while (calls < CALLS && failures.length < 20) {
      const args = Array.from({ length: Math.floor(random() * 6) }, value);
      const roll = random();
      let what;
      const started = performance.now();
      try {
        if (roll < 0.12) {
          const name = pick(functions);
          what = `${name}(${args.length} args)`;
          api[name](...args);
        } else if (roll < 0.2) {
          const name = pick(classes);
          what = `new ${name}(${args.length} args)`;
          const made = new api[name](...args);
          if (random() < 0.5) pool[name][0] = made; else made.free();
        } else {
          const name = pick(classes);
          const key = pick(methodsOf(name));
          // Mostly a live object of the class; sometimes a freed one or another class's.
          const r = random();
          const self = r < 0.8 ? pick(pool[name]) : r < 0.9 ? freed[name] : pick(pool[pick(classes)]);
          what = `${name}.${key} on ${self?.constructor?.name}`;
          const descriptor = Object.getOwnPropertyDescriptor(api[name].prototype, key);
          if (descriptor.get && (args.length === 0 || random() < 0.5)) descriptor.get.call(self);
          else if (descriptor.set) descriptor.set.call(self, args[0]);
          else descriptor.value.apply(self, args);
          if (key === "free" && self === pool[name][0]) pool[name][0] = makers[name]();
          if (key === "free" && self === pool[name][1]) pool[name][1] = makers[name]();
        }
      } catch (error) {
        record(what, error);
      }
      const took = performance.now() - started;
      if (took > 2000) slow.push(`${what}: ${Math.round(took)} ms`);
      calls += 1;
      // The instance still computes, and no object in the pool is poisoned.
      try {
        if (reference.forward([0.5, 1], 0.3).loss !== known) failures.push(`after ${what}: the known forward value changed`);
        for (const name of classes) {
          for (const object of pool[name]) {
            if (!object.__wbg_ptr) continue;
            if (name === "Network") object.m;
            else if (name === "TrainingLab") object.steps;
            else if (name === "BackpropExplorer") object.stage;
            else if (name === "VanishingLab") object.moved();
            else if (name === "ActivationPlot") object.probe();
            else if (name === "BenchmarkWorkload") object.targets();
            else if (name === "LandscapeLab") object.parameters();
            else if (name === "PracticeLab") object.derivatives();
            else if (name === "PracticePartOne") object.curves();
          }
        }
      } catch (error) {
        failures.push(`after ${what}: ${error.message}`);
      }
    }
    return { calls, refusals, failures, slow, functions, classes };
  }, CALLS);
  console.log(`fuzzed ${report.calls} calls (${report.refusals} refused with an Error) over ${report.functions.length} functions and ${report.classes.length} classes`);
  assert.deepEqual(report.failures, []);
  assert.deepEqual(report.slow, []);
  assert.ok(report.calls >= CALLS);
  assert.deepEqual(report.functions.filter((name) => /^[A-Z]/.test(name)), [], "every exported class has a maker here");
  assert.deepEqual(page.problems.filter((p) => !p.startsWith("console error")), []);
});

test("re-entrant arguments over every class: a valueOf, getter or Proxy that frees, remakes or calls in is refused", async () => {
  const report = await page.evaluate(() => {
    const api = window.backpropLab.core;
    const random = window.seededRandom(20261206);
    const pick = (list) => list[Math.floor(random() * list.length)];
    let shared = new api.TrainingLab();
    const makers = window.fuzzMakers(api, () => shared);
    const classes = Object.keys(makers);
    const reference = new api.Network(2, 3, "tanh", 7);
    const known = reference.forward([0.5, 1], 0.3).loss;
    const failures = [];
    let calls = 0;
    let refused = 0;
    // What the caller's code does while its argument is read.
    const tricks = {
      free: (self) => self.free(),
      freeAndRemake: (self, name) => { self.free(); makers[name](); },
      freeShared: () => shared.free(),
      callSelf: (self, name, key) => { const d = Object.getOwnPropertyDescriptor(api[name].prototype, key); if (d.get) d.get.call(self); else d.value?.call(self); },
      callOther: () => shared.steps,
      construct: (self, name) => makers[name](),
      function: () => api.limits(),
    };
    const wrap = (kind, act) => {
      if (kind === "valueOf") return { valueOf() { act(); return 1; }, toString() { act(); return "sigmoid"; } };
      if (kind === "getter") { const list = [0.5, 1]; Object.defineProperty(list, 0, { get() { act(); return 0.5; } }); return list; }
      if (kind === "length") return new Proxy([0.5, 1], { get(target, key) { if (key === "length") act(); return target[key]; } });
      return new Proxy({}, { get() { act(); return 1; }, getPrototypeOf() { act(); return Object.prototype; } });
    };
    for (const name of classes) {
      const keys = Reflect.ownKeys(api[name].prototype).filter((k) => typeof k === "string" && k !== "constructor" && !k.startsWith("__") && k !== "free");
      for (const key of keys) {
        for (const [trick, act] of Object.entries(tricks)) {
          const kind = pick(["valueOf", "getter", "length", "proxy"]);
          if (!shared.__wbg_ptr) shared = new api.TrainingLab();
          const self = makers[name]();
          const argument = wrap(kind, () => act(self, name, key));
          const args = Array.from({ length: 6 }, (_, i) => (i === Math.floor(random() * 3) ? argument : pick([1, 0.5, "sigmoid", [0.5, 1], argument])));
          const what = `${name}.${key} with a ${kind} that does ${trick}`;
          calls += 1;
          try {
            const d = Object.getOwnPropertyDescriptor(api[name].prototype, key);
            if (d.set && (!d.value || random() < 0.5)) d.set.call(self, argument);
            else if (d.get) d.get.call(self);
            else d.value.apply(self, args);
          } catch (error) {
            if (error instanceof WebAssembly.RuntimeError) failures.push(`${what}: trapped (${error.message})`);
            else if (!(error instanceof Error) || !error.message) failures.push(`${what}: threw ${String(error)}`);
            else if (/recursive use|null pointer passed to rust|unreachable|memory access/.test(error.message)) failures.push(`${what}: ${error.message}`);
            else refused += 1;
          }
          // The object was not freed behind the call's back, and still answers.
          try {
            if (!self.__wbg_ptr) failures.push(`${what}: the object was freed during the call`);
            else self.free();
            if (reference.forward([0.5, 1], 0.3).loss !== known) failures.push(`after ${what}: the known forward value changed`);
            if (shared.__wbg_ptr && !(shared.steps >= 0 && shared.steps < 1e9)) failures.push(`after ${what}: the shared lab reports ${shared.steps} steps`);
          } catch (error) {
            failures.push(`after ${what}: ${error.message}`);
          }
        }
      }
    }
    const exported = Object.keys(api).filter((key) => /^[A-Z]/.test(key) && typeof api[key] === "function").length;
    return { calls, refused, failures: failures.slice(0, 20), classes: classes.length, exported };
  });
  console.log(`re-entrant fuzz: ${report.calls} calls over ${report.classes} classes, ${report.refused} refused with an Error`);
  assert.deepEqual(report.failures, []);
  // Every class the module exports is in the fuzz.
  assert.equal(report.classes, report.exported);
  assert.ok(report.calls > 500);
  assert.deepEqual(page.problems.filter((p) => !p.startsWith("console error")), []);
});
