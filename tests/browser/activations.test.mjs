// The activations panel, driven as a student would: by the controls' visible labels, the
// pointer and the keyboard. Screenshots go to screenshots/ for a person to look at.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { canvasFingerprint as fingerprint, nextFrame, openPage, screenshot, parseFormatted, startLab } from "./harness.mjs";

const canvasFingerprint = (page) => fingerprint(page, "#activations-canvas");

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** The readout as {name: [f(x), f′(x) or "hidden"]}, and the probe's x. */
async function readout(page) {
  return page.evaluate(() => ({
    x: document.querySelector("#probe-x").textContent,
    rows: Object.fromEntries([...document.querySelectorAll("#readout-rows tr")].map((row) => [
      row.dataset.activation, [row.cells[1].textContent, row.cells[2].textContent],
    ])),
  }));
}

/** The core's own value and derivative at x, from the page's wasm instance. */
function coreValues(page, name, x) {
  return page.evaluate(async ([name, x]) => {
    const api = window.backpropLab.core;
    return [api.activation(name, [x])[0], api.activationDerivative(name, [x])[0]];
  }, [name, x]);
}

function closeTo4Digits(text, value) {
  const shown = parseFormatted(text);
  return Math.abs(shown - value) <= 5e-4 * Math.max(Math.abs(value), 1e-300) * 1.0001;
}

test("toggling a function changes the canvas and the readout", async () => {
  const page = await openPage(lab, "/?panel=activations");
  const first = await canvasFingerprint(page);
  assert.deepEqual(Object.keys((await readout(page)).rows), ["sigmoid", "relu"]);
  await page.getByLabel("tanh").check();
  await nextFrame(page);
  assert.notEqual(await canvasFingerprint(page), first, "checking tanh redraws the plot");
  assert.deepEqual(Object.keys((await readout(page)).rows), ["sigmoid", "relu", "tanh"]);
  await page.getByLabel("sigmoid").uncheck();
  await nextFrame(page);
  assert.deepEqual(Object.keys((await readout(page)).rows), ["relu", "tanh"]);
  assert.deepEqual(page.problems, []);
});

test("derivatives stay hidden until 'Reveal derivatives', and the choice is remembered", async () => {
  const page = await openPage(lab, "/?panel=activations");
  assert.ok(await page.getByLabel("Predict first").isChecked());
  assert.equal((await readout(page)).rows.sigmoid[1], "hidden");
  assert.ok(await page.getByLabel("Check with finite differences").isDisabled());
  const hidden = await canvasFingerprint(page);

  await page.getByRole("button", { name: "Reveal derivatives" }).click();
  await nextFrame(page);
  assert.notEqual(await canvasFingerprint(page), hidden, "the dashed derivative curves appear");
  const { rows } = await readout(page);
  assert.notEqual(rows.sigmoid[1], "hidden");
  assert.ok(await page.getByText("σ′ is largest at x = 0").isVisible());
  assert.ok(await page.getByRole("button", { name: "Hide derivatives" }).isVisible());

  // Turning "Predict first" off shows derivatives for good and hides the button; a reload keeps it.
  await page.getByRole("button", { name: "Hide derivatives" }).click();
  await page.getByLabel("Predict first").uncheck();
  await page.reload();
  await page.waitForFunction(() => window.backpropLab.firstPlotMs > 0);
  assert.equal(await page.getByLabel("Predict first").isChecked(), false);
  assert.notEqual((await readout(page)).rows.sigmoid[1], "hidden");
  assert.equal(await page.getByRole("button", { name: /derivatives/ }).count(), 0);
  await page.getByLabel("Check with finite differences").check();
  await nextFrame(page);
  assert.ok(await page.getByText("Squares: the central difference").isVisible());
  assert.deepEqual(page.problems, []);
});

test("the probe follows the keyboard, and the readout equals the core's values", async () => {
  const page = await openPage(lab, "/?panel=activations");
  await page.getByRole("button", { name: "Reveal derivatives" }).click();
  for (const name of ["tanh", "leaky ReLU", "softplus"]) await page.getByLabel(name).check();
  const probe = page.getByRole("slider", { name: "Probe position x" });
  await probe.focus();
  const start = await readout(page);
  const canvasBefore = await canvasFingerprint(page);
  await probe.press("ArrowRight");
  await probe.press("ArrowRight");
  await nextFrame(page);
  const moved = await readout(page);
  assert.notEqual(moved.x, start.x);
  assert.notEqual(await canvasFingerprint(page), canvasBefore);
  const x = Number(await probe.getAttribute("aria-valuenow"));
  assert.ok(Math.abs(x - 2.24) < 1e-9, `two steps of 0.12 from x = 2, got ${x}`);
  assert.ok(closeTo4Digits(moved.x.replace("x = ", ""), x));
  for (const [name, [valueText, slopeText]] of Object.entries(moved.rows)) {
    const [value, slope] = await coreValues(page, name, x);
    assert.ok(closeTo4Digits(valueText, value), `${name}(${x}): shown ${valueText}, core ${value}`);
    assert.ok(closeTo4Digits(slopeText, slope), `${name}′(${x}): shown ${slopeText}, core ${slope}`);
  }
  await probe.press("Home");
  assert.equal(await probe.getAttribute("aria-valuenow"), "-6");
  await probe.press("End");
  assert.equal(await probe.getAttribute("aria-valuenow"), "6");
  // Far into the tail the sigmoid's slope is tiny but still shown with 4 significant digits.
  const [, sigmoidSlope] = await coreValues(page, "sigmoid", 6);
  assert.ok(closeTo4Digits((await readout(page)).rows.sigmoid[1], sigmoidSlope));
  assert.deepEqual(page.problems, []);
});

test("the pointer moves the probe", async () => {
  const page = await openPage(lab, "/?panel=activations");
  const canvas = page.locator("#activations-canvas");
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height / 2);
  await nextFrame(page);
  const x = Number(await canvas.getAttribute("aria-valuenow"));
  assert.ok(x < -1 && x > -6, `a quarter of the way across is left of 0, got ${x}`);
});

test("the x-range slider changes the axis", async () => {
  const page = await openPage(lab, "/?panel=activations");
  const before = await canvasFingerprint(page);
  const slider = page.getByLabel("x-range");
  await slider.fill("30");
  await nextFrame(page);
  assert.equal(await page.locator("#x-range-value").textContent(), "±30");
  assert.equal(await page.locator("#activations-canvas").getAttribute("aria-valuemax"), "30");
  assert.notEqual(await canvasFingerprint(page), before);
  // Keyboard works on the slider too.
  await slider.focus();
  await slider.press("ArrowRight");
  assert.equal(await page.locator("#x-range-value").textContent(), "±31");
});

test("screenshots at devicePixelRatio 1 and 2, light and dark, wide and 360 px", async () => {
  const views = [
    ["activations-dpr1", { width: 1280, height: 900, pixelRatio: 1 }],
    ["activations-dpr2", { width: 1280, height: 900, pixelRatio: 2 }],
    ["activations-dpr3", { width: 900, height: 900, pixelRatio: 3 }],
    ["activations-dark-dpr2", { width: 1100, height: 900, pixelRatio: 2, dark: true }],
    ["activations-360px", { width: 360, height: 780, pixelRatio: 2 }],
  ];
  for (const [name, view] of views) {
    const page = await openPage(lab, "/?panel=activations", view);
    await page.getByRole("button", { name: "Reveal derivatives" }).click();
    await page.getByLabel("tanh").check();
    await page.getByLabel("x-range").fill("10");
    await nextFrame(page);
    const size = await page.evaluate(() => {
      const canvas = document.querySelector("#activations-canvas");
      return [canvas.width, canvas.getBoundingClientRect().width, document.documentElement.scrollWidth];
    });
    assert.equal(size[0], Math.round(size[1] * view.pixelRatio), "the backing store matches the pixel ratio");
    assert.ok(size[2] <= view.width, `no horizontal scrolling at ${view.width} px (page is ${size[2]} px wide)`);
    await screenshot(page.locator("#activations"), name);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
