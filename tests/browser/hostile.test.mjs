// The cases a fuzzer misses, each as a hostile caller, a careless embedder or a student would
// meet it: arguments that free the object being called, batches far over the limits, quotes
// in a goal, weights files with every activation and with numbers written as strings, links
// that ask for a very long replay or are very long, frames from other origins, panels drawn
// while hidden under the strict Content-Security-Policy, and over-long answers.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nextFrame, openPage, startLab, watchPage } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const open = (path, view = {}) => openPage(lab, path, { ...view, beforeGoto: watchPage });
const notice = (page) => page.locator("#page-notice").textContent();

test("an argument that frees or remakes the object being called gets an Error; nothing else changes", async () => {
  const page = await open("/?panel=activations");
  const report = await page.evaluate(() => {
    const api = window.backpropLab.core;
    const out = {};
    const a = new api.TrainingLab();
    let made = null;
    try {
      a.setHidden({ valueOf() { a.free(); made = new api.TrainingLab(); return 3; } });
    } catch (error) {
      out.setHidden = error.message;
    }
    out.made = made === null;
    out.hidden = a.hidden; // a is still alive and unchanged
    const network = new api.Network(2, 3, "tanh", 7);
    const other = new api.Network(2, 3, "tanh", 8);
    const known = network.forward([0.5, 1], 0.3).loss;
    try {
      network.forward([0.5, 1], { valueOf() { network.free(); other.free(); return 0.3; } });
    } catch (error) {
      out.forward = error.message;
    }
    out.forwardAfter = network.forward([0.5, 1], 0.3).loss === known;
    const explorer = new api.BackpropExplorer(a);
    const steps = a.steps;
    try {
      explorer.update({ valueOf() { explorer.free(); return 0.1; } });
    } catch (error) {
      out.update = error.message;
    }
    out.steps = a.steps === steps;
    out.stage = typeof explorer.stage;
    return out;
  });
  assert.match(report.setHidden, /TrainingLab\.free was called while TrainingLab\.setHidden was still reading its arguments/);
  assert.equal(report.made, true, "the new TrainingLab was refused too");
  assert.equal(report.hidden, 8, "h is the default still");
  assert.match(report.forward, /Network\.free was called while Network\.forward/);
  assert.equal(report.forwardAfter, true);
  assert.match(report.update, /BackpropExplorer\.free was called while BackpropExplorer\.update/);
  assert.equal(report.steps, true, "the lab took no step");
  assert.equal(report.stage, "string");
  assert.deepEqual(page.problems, []);
});

test("a batch over the limits is refused before it is copied, and says which limit", async () => {
  const page = await open("/?panel=activations");
  const report = await page.evaluate(() => {
    const api = window.backpropLab.core;
    const memory = window.backpropLab.wasmMemory();
    const out = { reads: 0 };
    const network = new api.Network(256, 256, "sigmoid", 1);
    try {
      network.meanLoss(new Float64Array(25.6e6), new Float64Array(1e5));
    } catch (error) {
      out.huge = error.message;
    }
    // An array is read entry by entry: a Proxy counts the reads.
    const counted = new Proxy(new Array(200_000).fill(0.5), {
      get(target, key) {
        if (key !== "length") out.reads += 1;
        return target[key];
      },
    });
    const small = new api.Network(1, 1, "sigmoid", 1);
    try {
      small.step(counted, new Float64Array(200_000), 0.1);
    } catch (error) {
      out.array = error.message;
    }
    out.grew = window.backpropLab.wasmMemory() - memory;
    try {
      api.activation("sigmoid", new Array(100_001).fill(0));
    } catch (error) {
      out.activation = error.message;
    }
    out.typed = api.activation("sigmoid", new Float64Array(100_001)).length;
    out.nonError = (() => {
      try {
        small.predict(new Proxy([1], { get(target, key) { if (key === "length") return 1; throw 42; } }));
      } catch (error) {
        return error.message;
      }
      return "no error";
    })();
    return out;
  });
  assert.match(report.huge, /n·h·\(m \+ 1\) = 6579200000/);
  assert.match(report.huge, /n·m = 25600000/);
  assert.match(report.array, /Y may hold at most|X may hold at most/);
  assert.equal(report.reads, 0, "no entry was read from the refused array");
  assert.ok(report.grew < 16 * 1024 * 1024, `wasm memory grew by ${report.grew} bytes`);
  assert.match(report.activation, /at most 100000 numbers as an array \(1000000 as a Float64Array\), got 100001/);
  assert.equal(report.typed, 100_001);
  assert.match(report.nonError, /x could not be read: reading it threw a number, not an Error/);
  assert.doesNotMatch(report.nonError, /undefined|recursive use/);
  assert.deepEqual(page.problems, []);
});

test("a Float64Array subclass with a throwing length, and a detached one: the real contents or a clear error", async () => {
  const page = await open("/?panel=activations");
  const report = await page.evaluate(() => {
    const api = window.backpropLab.core;
    class Lying extends Float64Array {
      get length() { throw new Error("length refuses"); }
    }
    const network = new api.Network(2, 3, "tanh", 7);
    const out = {};
    out.plain = network.forward(Float64Array.of(0.5, 1), 0.3).loss;
    out.subclass = network.forward(Lying.of(0.5, 1), 0.3).loss;
    const X = Lying.of(0.5, 1, -1, 0.25);
    const Y = Lying.of(0.3, -0.2);
    out.meanLoss = network.meanLoss(X, Y) === network.meanLoss(Float64Array.of(0.5, 1, -1, 0.25), Float64Array.of(0.3, -0.2));
    const detached = Float64Array.of(0.5, 1);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    try {
      network.forward(detached, 0.3);
      out.detached = "accepted";
    } catch (error) {
      out.detached = error.message;
    }
    try {
      network.step(new Float64Array(new ArrayBuffer(8 * 4)), detached, 0.1);
      out.detachedBatch = "accepted";
    } catch (error) {
      out.detachedBatch = error.message;
    }
    return out;
  });
  assert.equal(report.subclass, report.plain, "the subclass's real contents were read");
  assert.equal(report.meanLoss, true);
  assert.match(report.detached, /x .*must have 2 entries, got 0/);
  assert.match(report.detachedBatch, /the batch is empty|X and Y disagree/);
  assert.deepEqual(page.problems, []);
});

test("a step that repeats the last batch's sizes reads each call's own arguments, as a first call would", async () => {
  // Network.step copies a batch of the last call's sizes in one crossing when both arrays are
  // genuine Float64Arrays. Each hostile argument goes to a network that has just stepped (the
  // quick copy is tried) and to a fresh twin with the same weights (the full reading): the
  // outcome, a loss to the last bit or an Error's message, and the new weights must agree.
  const page = await open("/?panel=activations");
  const report = await page.evaluate(async () => {
    const api = window.backpropLab.core;
    const n = 50;
    const X = new Float64Array(2 * n).map((_, i) => Math.sin(i));
    const Y = new Float64Array(n).map((_, i) => Math.cos(i));
    const warm = new api.Network(2, 3, "tanh", 7);
    // A number's shortest decimal form names its bits.
    const weights = (network) => `A ${network.weightsA().join()}, b ${network.weightsB().join()}`;
    const outcome = (network, xs, ys) => {
      try {
        return `loss ${network.step(xs, ys, 0.05)}; ${weights(network)}`;
      } catch (error) {
        return `Error: ${error.message}; ${weights(network)}`;
      }
    };
    const compare = (label, xs, ys) => {
      warm.step(X, Y, 0.05); // the sizes the next call repeats
      const cold = new api.Network(2, 3, "tanh", 1);
      cold.setWeights(warm.weightsA(), warm.weightsB());
      const got = outcome(warm, xs(), ys());
      const expected = outcome(cold, xs(), ys());
      const same = got === expected;
      cold.free();
      return { label, same, got };
    };
    class Lying extends Float64Array {
      get length() { throw new Error("length refuses"); }
    }
    const detached = () => {
      const copy = Float64Array.from(X);
      structuredClone(copy.buffer, { transfer: [copy.buffer] });
      return copy;
    };
    const shrunk = () => {
      const buffer = new ArrayBuffer(8 * 2 * n, { maxByteLength: 8 * 4 * n });
      const tracking = new Float64Array(buffer);
      tracking.set(X);
      buffer.resize(8 * n);
      return tracking;
    };
    const results = [
      compare("new contents", () => X.map((v) => v / 2), () => Y.map((v) => -v)),
      compare("a subclass with a throwing length", () => Lying.from(X), () => Lying.from(Y)),
      compare("a Proxy of a Float64Array", () => new Proxy(Float64Array.from(X), {}), () => Y),
      compare("a detached X", detached, () => Y),
      compare("a resizable buffer shrunk", shrunk, () => Y),
      compare("a view at an offset", () => new Float64Array(4 * n).fill(9).subarray(n, 3 * n).map((_, i) => X[i]), () => Y),
      compare("NaN in X", () => X.map((v, i) => (i === 77 ? NaN : v)), () => Y),
      compare("Infinity in Y", () => X, () => Y.map((v, i) => (i === 3 ? Infinity : v))),
      compare("-Infinity in X", () => X.map((v, i) => (i === 10 ? -Infinity : v)), () => Y),
      compare("a plain array", () => Array.from(X), () => Array.from(Y)),
      compare("X and Y swapped", () => Y, () => X),
      compare("one example fewer", () => X.subarray(2), () => Y.subarray(1)),
      compare("a Float32Array", () => Float32Array.from(X), () => Y),
      compare("the same array twice", () => X, () => X),
    ];
    // WebAssembly memory grows (its buffer is replaced) between two quick copies.
    const grewFrom = window.backpropLab.wasmMemory();
    warm.step(X, Y, 0.05);
    api.activation("sigmoid", new Float64Array(1_000_000)).length;
    const grew = window.backpropLab.wasmMemory() > grewFrom;
    results.push({ ...compare("after memory grew", () => X.map((v) => v * 3), () => Y), grew });
    return results;
  });
  for (const { label, same, got, grew } of report) {
    assert.equal(same, true, `${label}: the repeated call's outcome differs from a first call's (${got})`);
    if (grew !== undefined) assert.equal(grew, true, "the memory grew");
  }
  const byLabel = Object.fromEntries(report.map(({ label, got }) => [label, got]));
  assert.match(byLabel["a Proxy of a Float64Array"], /^Error: X must be a Float64Array or an array of numbers;/);
  assert.match(byLabel["a detached X"], /^Error: X and Y disagree/);
  for (const label of ["NaN in X", "-Infinity in X"]) assert.match(byLabel[label], /^Error: X .*finite/);
  assert.match(byLabel["Infinity in Y"], /^Error: Y .*finite/);
  assert.doesNotMatch(byLabel["new contents"], /^Error/);
  assert.doesNotMatch(byLabel["a subclass with a throwing length"], /^Error/);
  assert.deepEqual(page.problems, []);
});

test("a goal with quotes and brackets gets a notice; it never reaches a selector", async () => {
  for (const goal of ['solved:"', 'solved:2a"]', 'solved:2a"],body,[x="', "solved:", "solved:2a x"]) {
    const page = await open(`/?panel=practice&goal=${encodeURIComponent(goal)}`);
    assert.match(await notice(page), /goal=solved:.*an exercise is named by letters and digits/, goal);
    assert.equal(await page.locator(".goal").count(), 0, `${goal}: no goal is shown`);
    assert.deepEqual(page.problems, [], goal);
    await page.context().close();
  }
  const page = await open("/?panel=training&t_data=custom&goal=test%3C0.1");
  assert.match(await notice(page), /your own points have no test set/);
  assert.equal(await page.locator(".goal").count(), 0);
  await page.context().close();
});

test("the lab offers every activation a weights file may name, and imports are strict", async () => {
  const page = await open("/?panel=training");
  const offered = await page.getByLabel("Activation", { exact: true }).locator("option").evaluateAll((options) => options.map((o) => o.value));
  const known = await page.evaluate(() => window.backpropLab.core.activations().map((a) => a.name));
  assert.deepEqual(offered, known);
  const folder = mkdtempSync(join(tmpdir(), "backprop-hostile-"));
  const weights = (changes) => JSON.stringify({ format: "backprop-lab-weights", version: 1, m: 2, h: 4, activation: "softplus", A: Array(8).fill(0.5), b: Array(4).fill(0.1), ...changes });
  const load = async (name, content) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.getByRole("button", { name: "Import JSON" }).click()]);
    await chooser.setFiles(path);
    await nextFrame(page);
    return page.locator("#training-alert").textContent();
  };
  for (const [name, changes, message] of [
    ["hex.json", { h: "0x4" }, /"h" \(the number of hidden units\) must be a number/],
    ["text.json", { h: "4" }, /"h" .* must be a number/],
    ["list.json", { h: [4] }, /"h" .* must be a number/],
    ["bool.json", { m: true }, /"m" \(the input size\) must be a number/],
    ["version.json", { version: 2 }, /version 2; this page reads version 1, and the file needs a newer Backprop Lab/],
    ["noversion.json", { version: "1" }, /of no known version/],
  ]) {
    assert.match(await load(name, weights(changes)), message, name);
    assert.equal(await page.getByLabel("Activation", { exact: true }).inputValue(), "sigmoid", `${name} changed nothing`);
  }
  assert.equal(await load("softplus.json", weights({})), "");
  assert.equal(await page.getByLabel("Activation", { exact: true }).inputValue(), "softplus");
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await nextFrame(page);
  assert.equal(await page.locator("#status-step").textContent(), "1");
  const link = await page.evaluate(() => window.backpropLab.link());
  assert.match(link, /t_act=softplus/);
  const again = await open(new URL(link).pathname + new URL(link).search);
  assert.equal(await again.getByLabel("Activation", { exact: true }).inputValue(), "softplus");
  assert.equal(await again.locator("#page-notice").isHidden(), true);
  await again.context().close();

  // Fit by hand is on; weights without the constant input turn it off instead of breaking it.
  await page.getByLabel("Fit by hand").check();
  assert.equal(await load("m1.json", weights({ m: 1, A: Array(4).fill(0.5), activation: "sigmoid" })), "");
  assert.equal(await page.getByLabel("Fit by hand").isChecked(), false);
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await nextFrame(page);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a link's replay is capped by the time it would take, and each slice grows at most fourfold", async () => {
  const capped = await open("/?panel=training&t_data=custom&t_points=0.1,0.2&t_steps=1000000000");
  assert.match(await notice(capped), /t_steps=1000000000 \(replaying 1,000,000,000 steps would take about [\d,]+ s of training here; with these settings a link replays at most [\d,]+ steps/);
  await capped.context().close();

  const page = await open("/?panel=activations");
  const growth = await page.evaluate(async () => {
    // The replay of the longest default link, watched frame by frame for its first 12 frames.
    const frame = document.createElement("iframe");
    frame.style.width = "1000px";
    frame.style.height = "800px";
    document.body.append(frame);
    frame.src = "/?panel=training&t_steps=60000";
    await new Promise((done) => frame.addEventListener("load", done));
    const inner = frame.contentWindow;
    const read = () => Number(inner.document.querySelector("#status-step")?.textContent.replace(/,/g, "") || 0);
    while (!/Replaying/.test(inner.document.querySelector("#training-progress")?.textContent ?? "")) {
      await new Promise((done) => inner.requestAnimationFrame(done));
    }
    const counts = [];
    for (let i = 0; i < 12; i += 1) {
      await new Promise((done) => inner.requestAnimationFrame(done));
      counts.push(read());
    }
    return counts;
  });
  const slices = growth.slice(1).map((count, i) => count - growth[i]).filter((n) => n > 0);
  for (let i = 1; i < slices.length; i += 1) {
    assert.ok(slices[i] <= 4 * slices[i - 1], `slice ${i} took ${slices[i]} steps after ${slices[i - 1]}: ${slices}`);
  }
  await page.context().close();
});

test("a very long link reaches the page, which says so; long lists of problems are counted", async () => {
  const long = await open(`/?panel=training&task=${"x".repeat(100_000)}`);
  assert.match(await notice(long), /the link is [\d,]+ characters long, more than the 32,000 this page reads/);
  assert.deepEqual(long.problems, []);
  await long.context().close();
  const names = Array.from({ length: 3000 }, (_, i) => `n${i}`).join(",");
  const page = await open(`/?panel=training&hide=${names}`);
  const text = await notice(page);
  assert.ok(text.length < 1500, `the notice has ${text.length} characters`);
  assert.match(text, /hide=n0 \(no such controls here\)/);
  assert.match(text, /and 2,995 more/);
  await page.context().close();
});

test("embed-host.js ignores frames of other origins and frames that left their panel", async () => {
  const page = await openPage(lab, "/tests/browser/host.html", { waitForPlot: false });
  await page.waitForFunction(() => parseFloat(document.querySelector("#activations-frame").style.height) > 400, null, { timeout: 15_000 });
  const foreign = lab.origin.replace("127.0.0.1", "localhost");
  const result = await page.evaluate(async (foreign) => {
    const frame = (src) => new Promise((done) => {
      const element = document.createElement("iframe");
      element.style.height = "50px";
      element.src = src;
      element.addEventListener("load", () => done(element), { once: true });
      document.body.append(element);
    });
    // Another origin serving the real page, its link naming a panel and embed=1.
    const other = await frame(`${foreign}/?panel=activations&embed=1`);
    // Our origin, but the frame then navigates to another page of the site.
    const moved = await frame("/?panel=cost&embed=1");
    const arrived = new Promise((done) => moved.addEventListener("load", done, { once: true }));
    moved.contentWindow.location.href = "/?panel=training&embed=1";
    await arrived;
    moved.style.height = "50px"; // it may have been sized while it still showed its own panel
    await new Promise((done) => setTimeout(done, 3000)); // about time: both pages report their heights meanwhile
    return { other: other.style.height, moved: moved.style.height };
  }, foreign);
  assert.equal(result.other, "50px");
  assert.equal(result.moved, "50px");
  await page.context().close();
});

test("the Embed dialog says when a panel cannot fit the fixed height", async () => {
  const page = await open("/?panel=practice");
  await page.getByRole("button", { name: "Embed the Practice panel" }).click();
  await page.getByLabel(/Fixed height in pixels/).fill("600");
  await page.locator("#embed-height-note").getByText(/cannot fit 600 px/).waitFor({ timeout: 20_000 });
  await page.getByLabel(/Fixed height in pixels/).fill("");
  await page.waitForFunction(() => document.querySelector("#embed-height-note").textContent === "");
  await page.context().close();
});

test("panels drawn while hidden raise no Content-Security-Policy violations", async () => {
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await watchPage(context);
  const page = await context.newPage();
  await page.goto(`${lab.origin}/tests/browser/host.html`);
  for (const panel of ["cost", "vanishing", "activations", "landscape", "training"]) {
    await page.evaluate((panel) => {
      const frame = document.createElement("iframe");
      frame.id = `hidden-${panel}`;
      frame.hidden = true; // display: none, like a closed tab in course notes
      frame.src = `/?panel=${panel}&embed=1`;
      document.body.append(frame);
    }, panel);
    const inner = await (await page.locator(`#hidden-${panel}`).elementHandle()).contentFrame();
    await inner.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 20_000 });
    assert.deepEqual(await inner.evaluate(() => window.cspViolations), [], panel);
  }
  await context.close();
});

test("over-long answers get a message in place; junk in storage is dropped with a notice", async () => {
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await watchPage(context);
  await context.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("backprop-lab.practice.v1", JSON.stringify({ solved: ["db", "x".repeat(4_000_000)] }));
    }
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${lab.origin}/?panel=practice`);
  await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 15_000 });
  assert.match(await page.locator("#practice-storage").textContent(), /not written by this page and has been removed/);
  const stored = await page.evaluate(() => localStorage.getItem("backprop-lab.practice.v1"));
  assert.equal(stored, '{"solved":[]}', "a 4 MB store is not read, and is rewritten");
  // A store of the right size keeps what the page wrote and drops the rest.
  await page.evaluate(() => localStorage.setItem("backprop-lab.practice.v1", JSON.stringify({ solved: ["db", "<b>x</b>", 5, "x".repeat(50)], extra: 1 })));
  await page.reload();
  await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 15_000 });
  assert.match(await page.locator("#practice-storage").textContent(), /has been removed/);
  assert.equal(await page.evaluate(() => localStorage.getItem("backprop-lab.practice.v1")), '{"solved":["db"]}');

  const box = page.getByLabel("∂L/∂b =", { exact: true });
  const part = box.locator("xpath=ancestor::div[contains(@class,'answer-part')]");
  for (const text of ["z2 ".repeat(300), "😀".repeat(251), "😀".repeat(600)]) {
    await box.fill(text);
    await box.press("Enter"); // checks, as the Check button does (a long answer widens the card)
    const said = await part.locator(".feedback").textContent();
    if ([...text].length > 500) assert.match(said, /too long; at most 500 characters/, `${[...text].length} characters`);
    else assert.doesNotMatch(said, /too long/, "251 emoji are 251 characters");
  }
  const count = page.locator("#counts input").first();
  await count.fill("9".repeat(100_000));
  await count.press("Enter");
  assert.match(await page.locator("#counts .feedback").first().textContent(), /long/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the explorer's Update refuses to learn when the lab has no points", async () => {
  const page = await open("/?panel=activations");
  const report = await page.evaluate(() => {
    const api = window.backpropLab.core;
    const lab = new api.TrainingLab();
    lab.setDataset("custom");
    lab.clearPoints();
    const explorer = new api.BackpropExplorer(lab);
    const steps = lab.steps;
    const weights = [...lab.weightsA()];
    let message = null;
    try {
      explorer.update(0.1);
    } catch (error) {
      message = error.message;
    }
    return { message, same: lab.steps === steps && JSON.stringify([...lab.weightsA()]) === JSON.stringify(weights) };
  });
  assert.match(report.message, /has no points, so there is no example to learn from/);
  assert.equal(report.same, true);
  await page.context().close();
});
