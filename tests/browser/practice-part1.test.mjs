// Worksheet 1(a)–(c) in the practice panel, as a student would use them: the derivatives
// sketched with the mouse and with the keyboard alone (right sketches accepted, σ drawn
// instead of σ′ named), the limits and the vanishing-gradient numbers answered right and
// wrong, at 1280 and 360 px, with screenshots in light and dark at two pixel ratios.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { installSeededRandom, nextFrame, openPage, parseFormatted, screenshot, seriousViolations, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const VIEWS = [
  ["1280", { width: 1280, height: 900 }],
  ["360", { width: 360, height: 800, pixelRatio: 2 }],
];
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const sigmoidSlope = (x) => sigmoid(x) * (1 - sigmoid(x));
const reluSlope = (x) => (x > 0 ? 1 : 0);

async function open(path, view) {
  const page = await openPage(lab, path, view);
  await page.evaluate(() => localStorage.clear());
  return page;
}

/** Drags the mouse across the pad along y = f(x), from x = −6 to 6. */
async function drawWithMouse(page, f) {
  const canvas = page.getByRole("img", { name: /Sketch pad/ });
  await canvas.scrollIntoViewIfNeeded();
  await nextFrame(page);
  const area = JSON.parse(await canvas.getAttribute("data-area"));
  const box = await canvas.boundingBox();
  const at = (x) => {
    const y = f(x);
    return [
      box.x + area.left + ((x - area.xMin) / (area.xMax - area.xMin)) * (area.right - area.left),
      box.y + area.bottom - ((y - area.yMin) / (area.yMax - area.yMin)) * (area.bottom - area.top),
    ];
  };
  await page.mouse.move(...at(-6));
  await page.mouse.down();
  for (let x = -6; x <= 6.0001; x += 0.1) await page.mouse.move(...at(Math.min(x, 6)));
  await page.mouse.up();
}

/** Checks one sketch with its button; returns the feedback text. */
async function checkSketch(page, label) {
  await page.getByRole("button", { name: `Check ${label}`, exact: true }).click();
  return page.getByRole("button", { name: `Check ${label}`, exact: true })
    .locator("xpath=ancestor::div[contains(@class,'sketch-result')]").locator(".feedback").textContent();
}

for (const [name, view] of VIEWS) {
  test(`1(a) at ${name} px: sketches drawn with the mouse are scored, σ instead of σ′ is named`, async () => {
    const page = await open("/?panel=practice&q=1a", view);
    await page.getByLabel("σ′", { exact: true }).check();
    await drawWithMouse(page, sigmoid);
    assert.match(await checkSketch(page, "σ′"), /σ itself/);
    await drawWithMouse(page, (x) => 4 * sigmoidSlope(x));
    assert.match(await checkSketch(page, "σ′"), /σ′ peaks at 0\.25.*not 1/);
    await drawWithMouse(page, sigmoidSlope);
    assert.match(await checkSketch(page, "σ′"), /^✓ .*within every tolerance/);
    // The sliders follow the drawing: the point at x = 0 reads about 0.25.
    const peak = Number((await page.getByRole("slider", { name: "σ′(0)" }).inputValue()));
    assert.ok(Math.abs(peak - 0.25) < 0.05, `σ′(0) slider reads ${peak}`);

    await page.getByLabel("ReLU′", { exact: true }).check();
    await drawWithMouse(page, (x) => Math.min(Math.max(x, 0), 1.5));
    assert.match(await checkSketch(page, "ReLU′"), /ReLU itself/);
    await drawWithMouse(page, (x) => (x > 2 ? 1 : 0));
    assert.match(await checkSketch(page, "ReLU′"), /jump is at x = (1\.9|2\.0|2);/);
    await drawWithMouse(page, reluSlope);
    assert.match(await checkSketch(page, "ReLU′"), /^✓/);
    assert.match(await page.locator('[data-exercise="1a"]').getAttribute("class"), /solved/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `no horizontal scrolling (${width} px)`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test(`1(a) at ${name} px with the keyboard alone: each curve's points moved with the arrow keys`, async () => {
    const page = await open("/?panel=practice&q=1a", view);
    for (const [label, slope, xs] of [
      ["σ′", sigmoidSlope, [-6, -4, -2, -1, 0, 1, 2, 4, 6]],
      ["ReLU′", reluSlope, [-6, -3, -1, -0.25, 0.25, 1, 3, 6]],
    ]) {
      // Choose the curve with the keyboard too: Tab to its radio button and press Space.
      await page.getByLabel(label, { exact: true }).focus();
      await page.keyboard.press("Space");
      for (const x of xs) {
        const slider = page.getByRole("slider", { name: `${label}(${String(x).replace("-", "−")})` });
        await slider.focus();
        const steps = Math.round(slope(x) / 0.05);
        for (let i = 0; i < steps; i += 1) await page.keyboard.press("ArrowRight");
        assert.equal(Number(await slider.inputValue()).toFixed(2), (steps * 0.05).toFixed(2));
        assert.equal(await slider.getAttribute("aria-valuetext"), (steps * 0.05).toFixed(2));
      }
      await page.getByRole("button", { name: `Check ${label}`, exact: true }).focus();
      await page.keyboard.press("Enter");
      const text = await page.getByRole("button", { name: `Check ${label}`, exact: true })
        .locator("xpath=ancestor::div[contains(@class,'sketch-result')]").locator(".feedback").textContent();
      assert.match(text, /^✓/, `${label}: ${text}`);
    }
    // A wrong one by keyboard: σ′'s middle point pushed up to 1.
    await page.getByLabel("σ′", { exact: true }).check();
    const middle = page.getByRole("slider", { name: "σ′(0)" });
    await middle.focus();
    for (let i = 0; i < 15; i += 1) await page.keyboard.press("ArrowRight");
    assert.match(await checkSketch(page, "σ′"), /peak is at height 1\.0; σ′ peaks at 0\.25.*not 1/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test(`1(b) and 1(c) at ${name} px: right answers accepted, slips named`, async () => {
    const page = await open("/?panel=practice&q=1b", view);
    const limit = async (label, text) => {
      await page.getByLabel(label, { exact: true }).fill(text);
      await page.getByRole("button", { name: `Check ${label.replace(/ \(to within.*\)$/, "")}`, exact: true }).click();
      return page.getByLabel(label, { exact: true }).locator("xpath=ancestor::div[contains(@class,'count-part')]").locator(".feedback").textContent();
    };
    assert.match(await limit("σ′(x) as x → +∞", "1"), /limit of σ itself/);
    assert.match(await limit("ReLU′(x) as x → +∞", "inf"), /limit of ReLU itself/);
    assert.match(await limit("x > 0 beyond which σ′(x) < 0.01 (to within ±0.05)", "-4.6"), /positive x/);
    for (const [label, text] of [["σ′(x) as x → +∞", "0"], ["σ′(x) as x → −∞", "0"], ["ReLU′(x) as x → +∞", "1"], ["ReLU′(x) as x → −∞", "0"], ["x > 0 beyond which σ′(x) < 0.01 (to within ±0.05)", "4.6"]]) {
      assert.match(await limit(label, text), /^✓/, label);
    }
    assert.match(await page.locator('[data-exercise="1b"]').getAttribute("class"), /solved/);
    await page.context().close();

    const c = await open("/?panel=practice&q=1c", view);
    const part = (id) => c.locator(`#${id}-feedback`);
    const layers = Number(await c.locator("#factor-layers").textContent());
    const factor = c.getByLabel("Largest factor", { exact: true });
    await factor.fill(String(0.25 * layers));
    await c.getByRole("button", { name: "Check the largest factor" }).click();
    assert.match(await part("factor-answer").textContent(), /added/);
    await factor.fill(`0.25^${layers}`);
    await c.getByRole("button", { name: "Check the largest factor" }).click();
    assert.match(await part("factor-answer").textContent(), /^✓/);

    // The first layer below 1% of the last one's gradient, read from the table the page shows.
    const norms = (await c.locator("#chain-norms td").allTextContents()).map(parseFormatted);
    const last = norms[norms.length - 1];
    let below = norms.length;
    while (below >= 1 && !(norms[below - 1] < 0.01 * last)) below -= 1;
    assert.ok(below > 1, `a layer falls below 1% (${norms})`);
    const layer = c.getByLabel(/first layer whose gradient is below/);
    await layer.fill(String(below + 1));
    await c.getByRole("button", { name: "Check the layer" }).click();
    assert.match(await part("chain-answer").textContent(), /still keeps/);
    await layer.fill(String(below));
    await c.getByRole("button", { name: "Check the layer" }).click();
    assert.match(await part("chain-answer").textContent(), /^✓/);

    for (const remedy of [/ReLU-type/, /with care/, /normalisation/, /residual/, /learning rate/]) await c.getByLabel(remedy).check();
    await c.getByRole("button", { name: "Check the remedies" }).click();
    assert.match(await part("remedies").textContent(), /Raising the learning rate: .*speed up alike/);
    await c.getByLabel(/learning rate/).uncheck();
    await c.getByRole("button", { name: "Check the remedies" }).click();
    assert.match(await part("remedies").textContent(), /^✓/);
    assert.match(await c.locator('[data-exercise="1c"]').getAttribute("class"), /solved/);
    assert.deepEqual([...page.problems, ...c.problems], []);
    await c.context().close();
  });
}

test("the part 1 exercises come first in the panel and its progress bar, and a goal can name them", async () => {
  const page = await open("/?panel=practice");
  const ids = await page.locator("#practice .exercise").evaluateAll((list) => list.map((e) => e.dataset.exercise));
  assert.deepEqual(ids.slice(0, 4), ["1a", "1b", "1c", "2a"]);
  const bar = await page.locator("#practice-progress li a").allTextContents();
  assert.match(bar[0], /^1\(a\)/);
  assert.match(bar[3], /^2\(a\)/);
  await page.getByLabel("ReLU′(x) as x → +∞", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Check ReLU′(x) as x → +∞" }).click();
  await page.reload();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  const stored = await page.evaluate(() => localStorage.getItem("backprop-lab.practice.v1"));
  assert.match(stored, /limit:relu-plus/, "the part is kept in this browser");
  // 1(c)'s layer part ("chain-layer", a hyphen before any colon) is kept too, with no notice
  // that the page's own progress was foreign.
  await page.locator("#chain-answer").fill(await page.evaluate(() => {
    const lab = new window.backpropLab.core.PracticePartOne(7);
    const layer = String(lab.vanishing().thresholdLayer);
    lab.free();
    return layer;
  }));
  await page.locator("#chain-answer-check").click();
  await page.reload();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  assert.match(await page.evaluate(() => localStorage.getItem("backprop-lab.practice.v1")), /chain-layer/);
  assert.equal(await page.locator("#practice-storage").textContent(), "");
  const goal = await openPage(lab, "/?panel=practice&q=1b&goal=solved:1b");
  assert.match(await goal.locator(".goal").textContent(), /1b/);
  assert.deepEqual([...page.problems, ...goal.problems], []);
  await page.context().close();
  await goal.context().close();
});

test("part 1: the hints end in the answer, and Start over flattens the sketches", async () => {
  const page = await open("/?panel=practice");
  const c = page.locator('[data-exercise="1c"]');
  for (let i = 1; i <= 3; i += 1) await c.getByRole("button", { name: `Hint ${i} of 3` }).click();
  await c.getByRole("button", { name: "Show the answer" }).click();
  const answer = await c.locator(".answer").textContent();
  const layers = await page.locator("#factor-layers").textContent();
  assert.match(answer, new RegExp(`0\\.25\\^${layers} = `));
  assert.match(answer, /layer \d+/);
  assert.match(answer, /ReLU-type.*with care.*normalisation.*residual/);

  await page.getByLabel("σ′", { exact: true }).check();
  await drawWithMouse(page, sigmoidSlope);
  assert.match(await checkSketch(page, "σ′"), /^✓/);
  const a = page.locator('[data-exercise="1a"]');
  for (let i = 1; i <= 3; i += 1) await a.getByRole("button", { name: `Hint ${i} of 3` }).click();
  await a.getByRole("button", { name: "Show the answer" }).click();
  assert.equal(await page.getByRole("button", { name: "Hide the true derivatives" }).getAttribute("aria-pressed"), "true");
  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByRole("button", { name: "Yes, start over" }).click();
  assert.equal(await page.getByRole("slider", { name: "σ′(0)" }).inputValue(), "0");
  assert.equal(await page.getByLabel("σ′", { exact: true }).isChecked(), true, "the chosen curve stays chosen");
  assert.equal(await page.getByRole("button", { name: "Show the true derivatives" }).getAttribute("aria-pressed"), "false");
  assert.match(await checkSketch(page, "σ′"), /peak is at height 0\.0/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("the activations panel's Predict first offers the sketch on the plot", async () => {
  const page = await openPage(lab, "/?panel=activations");
  await page.getByRole("link", { name: "on the plot in Practice 1(a)" }).click();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  assert.equal(await page.locator('[data-exercise="1a"]').isVisible(), true);
  assert.equal(await page.locator('[data-exercise="2a"]').isVisible(), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("PracticePartOne refuses junk with an Error and never traps", async () => {
  const page = await openPage(lab, "/?panel=practice&q=1a");
  await installSeededRandom(page);
  const report = await page.evaluate(() => {
    const { PracticePartOne } = window.backpropLab.core;
    const random = window.seededRandom(20261206);
    const pick = (list) => list[Math.floor(random() * list.length)];
    const canvas = document.createElement("canvas");
    canvas.width = 200;
    canvas.height = 120;
    document.body.append(canvas);
    const grid = Float64Array.from({ length: 49 }, (_, i) => -6 + i / 4);
    const values = [NaN, Infinity, -Infinity, -0, 0, 1, -1, 0.25, 0.5, 2, 8, 9, 49, 2000, 2001, 1e308, -7, 6, 4.6, 2 ** 32, 2 ** 53,
      "", "sigmoid", "relu", "tanh", "1a", "1b", "1c", "2a", "sigmoid-plus", "threshold", "relu-minus", "inf", "-inf", "∞", "0.25^6",
      "4^-6", "a".repeat(5000), "σ", null, undefined, true, {}, [], ["relu", "init"], ["rate", 5], ["nope"], new Array(1e6), grid,
      new Float64Array(2001), Float64Array.of(NaN, 1), Float64Array.of(-6, 6), [-6, 0, 6], canvas, document.body,
      { valueOf() { throw new Error("valueOf refuses"); } }];
    const labs = [new PracticePartOne(7), new PracticePartOne(0)];
    const methods = Reflect.ownKeys(PracticePartOne.prototype).filter((k) => typeof k === "string" && k !== "constructor" && k !== "free" && !k.startsWith("__"));
    const failures = [];
    let refusals = 0;
    for (let call = 0; call < 4000 && failures.length < 10; call += 1) {
      const key = pick(methods);
      const args = Array.from({ length: Math.floor(random() * 5) }, () => pick(values));
      try {
        pick(labs)[key](...args);
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError || !(error instanceof Error) || !error.message
          || /recursive use|null pointer|unreachable/.test(error.message)) failures.push(`${key}: ${error}`);
        else refusals += 1;
      }
      try {
        labs.forEach((l) => l.checkSketch("sigmoid"));
      } catch (error) {
        failures.push(`after ${key}: ${error.message}`);
      }
    }
    canvas.remove();
    return { failures, refusals, methods: methods.length };
  });
  assert.deepEqual(report.failures, []);
  assert.ok(report.refusals > 100, `${report.refusals} refusals`);
  assert.ok(report.methods >= 15);
  assert.deepEqual(page.problems.filter((p) => !p.startsWith("console error")), []);
  await page.context().close();
});

test("part 1: axe finds nothing serious; screenshots at 1280 and 360 px, DPR 1 and 2, light and dark", async () => {
  for (const [name, view] of [
    ["practice-part1-1280", { width: 1280, height: 900 }],
    ["practice-part1-1280-dark-dpr2", { width: 1280, height: 900, pixelRatio: 2, dark: true }],
    ["practice-part1-360-dpr2", { width: 360, height: 800, pixelRatio: 2 }],
    ["practice-part1-360-dark", { width: 360, height: 800, dark: true }],
  ]) {
    const page = await openPage(lab, "/?panel=practice", { ...view, bypassCSP: true }); // axe is injected inline
    await page.getByLabel("σ′", { exact: true }).check();
    await drawWithMouse(page, (x) => 0.3 * Math.exp(-x * x / 4));
    await checkSketch(page, "σ′");
    await page.getByRole("button", { name: "Show the true derivatives" }).click();
    await nextFrame(page);
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], name);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `${name}: no horizontal scrolling (${width} px)`);
    await screenshot(page.locator("#exercise-1a"), `${name}-1a`);
    await screenshot(page.locator("#exercise-1c"), `${name}-1c`);
    await page.getByLabel("σ′(x) as x → +∞", { exact: true }).fill("1");
    await page.getByRole("button", { name: "Check σ′(x) as x → +∞" }).click();
    await screenshot(page.locator("#exercise-1b"), `${name}-1b`);
    await page.context().close();
  }
});

test("part 1's checked answers reach a learning platform as interactions, each with its mistake", async () => {
  const page = await openPage(lab, "/?panel=practice&embed=1", { beforeGoto: async (context) => {
    // A minimal SCORM 1.2 API in the page's own window, recording what it is given.
    await context.addInitScript(() => {
      const values = {};
      window.scormValues = values;
      window.API = {
        LMSInitialize: () => "true", LMSFinish: () => "true", LMSCommit: () => "true",
        LMSGetValue: (name) => values[name] ?? "", LMSGetLastError: () => "0",
        LMSSetValue: (name, value) => { values[name] = value; return "true"; },
      };
    });
  } });
  await page.getByLabel("σ′(x) as x → +∞", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Check σ′(x) as x → +∞" }).click();
  await page.locator("#factor-answer").fill("0.25^" + await page.locator("#factor-layers").textContent());
  await page.locator("#factor-answer-check").click();
  await page.getByRole("button", { name: "Check σ′", exact: true }).click();
  const values = await page.evaluate(() => window.scormValues);
  const interaction = (n) => Object.fromEntries(Object.entries(values)
    .filter(([key]) => key.startsWith(`cmi.interactions.${n}.`))
    .map(([key, value]) => [key.slice(`cmi.interactions.${n}.`.length), value]));
  assert.deepEqual(interaction(0), { id: "1b.limit-sigmoid-plus", type: "fill-in", time: interaction(0).time,
    student_response: "1", result: "wrong", "objectives.0.id": "sigma-for-slope" });
  assert.equal(interaction(1).id, "1c.factor");
  assert.equal(interaction(1).result, "correct");
  assert.equal(interaction(2).id, "1a.sketch-sigmoid");
  assert.equal(interaction(2).result, "wrong");
  assert.match(interaction(2).student_response, /^0\.00( 0\.00){8}$/, "the flat sketch at its points");
  assert.match(values["cmi.suspend_data"], /"factor"/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
