// The backprop explorer in the browser: stepping, the formula's numbers against the API's
// backward pass, choosing an example by clicking, and the gradient check with planted bugs.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, screenshot, parseFormatted, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const open = (view) => openPage(lab, "/?panel=backprop", view);
const stageText = (page) => page.locator("#stage-name").textContent();
const press = (page, name) => page.getByRole("button", { name, exact: true }).click();

test("five forward steps fill z1 to L, then backward steps fill the gradients in order", async () => {
  const page = await open();
  assert.match(await stageText(page), /^start/);
  assert.ok(await page.getByRole("button", { name: "Backward step" }).isDisabled());
  const forward = [];
  for (let i = 0; i < 5; i += 1) {
    await press(page, "Forward step");
    forward.push((await stageText(page)).split(": ").pop());
  }
  assert.deepEqual(forward, ["z1", "z2", "z3", "z4", "L"]);
  assert.ok(await page.getByRole("button", { name: "Forward step" }).isDisabled());
  assert.match(await page.locator("#formula").textContent(), /L = z4²/);
  const backward = [];
  for (let i = 0; i < 6; i += 1) {
    await press(page, "Backward step");
    backward.push((await stageText(page)).split(": ").pop());
  }
  assert.deepEqual(backward, ["dz4", "dz3", "db", "dz2", "dz1", "dA"]);
  assert.ok(await page.getByRole("button", { name: "Backward step" }).isDisabled());
  await press(page, "Reset pass");
  assert.match(await stageText(page), /^start/);
  // The keyboard does the same while focus is in the panel: A runs everything.
  await page.keyboard.press("a");
  assert.match(await stageText(page), /dA$/);
  assert.deepEqual(page.problems, []);
});

/** The formula's numbers named `name` at the current stage, as printed. */
function printed(page, name) {
  return page.locator(`#formula .num[data-name="${name}"]`).allTextContents();
}

test("the formula shows the same numbers as the API's backward pass for that example", async () => {
  const page = await open();
  // Train behind the explorer's back (no event): it reads the lab's weights when it draws,
  // so the pass it shows must be on the trained network.
  await page.evaluate(async () => {
    const { sharedLab } = window.backpropLab;
    sharedLab().train(200);
  });
  const want = await page.evaluate(async () => {
    const api = window.backpropLab.core;
    const lab = window.backpropLab.sharedLab();
    const index = Number(document.querySelector("#backprop").dataset.example);
    const { x, y } = lab.trainPoint(index);
    const net = new api.Network(lab.inputs, lab.hidden, lab.activation, 0);
    net.setWeights(lab.weightsA(), lab.weightsB());
    const g = net.backward(lab.inputs === 2 ? [x, 1] : [x], y);
    return { z1: [...g.z1], loss: g.loss, db: [...g.db], dz1: [...g.dz1], dA: [...g.dA], z4: g.z4 };
  });
  const stepsTo = { z1: 1, loss: 5, db: 8, dz1: 10, dA: 11 };
  let at = 0;
  for (const [name, stage] of Object.entries(stepsTo)) {
    while (at < stage) {
      await press(page, at < 5 ? "Forward step" : "Backward step");
      at += 1;
    }
    const shown = (await printed(page, name)).map(parseFormatted);
    const expected = Array.isArray(want[name]) ? want[name].slice(0, shown.length) : [want[name]];
    assert.ok(shown.length >= 1, `${name} is printed`);
    shown.forEach((value, i) => {
      const tolerance = 5e-4 * Math.abs(expected[i]) + 1e-12;
      assert.ok(Math.abs(value - expected[i]) <= tolerance, `${name}[${i}]: printed ${value}, API ${expected[i]}`);
    });
  }
});

test("clicking a data point changes the example", async () => {
  const page = await open();
  const before = await page.locator("#backprop").getAttribute("data-example");
  const box = await page.locator("#explorer-data").boundingBox();
  // Click across the plot until another point is chosen (the data are random).
  let after = before;
  for (const fraction of [0.2, 0.8, 0.5, 0.35, 0.65]) {
    await page.mouse.click(box.x + box.width * fraction, box.y + box.height * 0.5);
    after = await page.locator("#backprop").getAttribute("data-example");
    if (after !== before) break;
  }
  assert.notEqual(after, before);
  assert.match(await stageText(page), /^start/, "a new example starts a new pass");
  // A typed example works too.
  await page.getByLabel("x", { exact: true }).fill("1.5");
  await page.getByLabel("y", { exact: true }).fill("-0.25");
  await press(page, "Use this x and y");
  assert.equal(await page.locator("#backprop").getAttribute("data-example"), "-1");
  await press(page, "Forward step");
  assert.match(await page.locator("#formula").textContent(), /1\.500/);
});

test("the gradient check passes for the real pass and catches every planted bug", async () => {
  const page = await open();
  const summary = () => page.locator("#check-summary").textContent();
  const largest = async () => parseFormatted((await summary()).match(/error: (.+?)\. The/)[1]);
  assert.match(await summary(), /The gradients agree/);
  assert.ok(await largest() < 1e-6, `real pass: ${await largest()}`);
  const rows = await page.locator("#check-table tbody tr").count();
  const h = await page.evaluate(async () => window.backpropLab.sharedLab().hidden);
  assert.equal(rows, h * 2 + h, "every entry of A and b has a row");
  for (const bug of ["forget-derivative", "forget-minus-one", "x-not-transposed"]) {
    await page.getByLabel("Plant a bug").selectOption(bug);
    assert.match(await summary(), /The backward pass is wrong/, bug);
    assert.ok(await page.locator("#check-table tbody tr.bad").count() > 0, `${bug}: some entry differs`);
  }
  await page.getByLabel("Plant a bug").selectOption("none");
  assert.ok(await largest() < 1e-6, "the real pass was never changed");
});

test("typed examples outside −10…10 are refused with the reason, and nothing changes", async () => {
  const page = await open();
  const before = await page.locator("#formula").textContent();
  await page.getByLabel("x", { exact: true }).fill("1e15");
  await page.getByLabel("y", { exact: true }).fill("1e15");
  await press(page, "Use this x and y");
  assert.match(await page.locator("#update-result").textContent(), /from −10 to 10: the data lie between −3 and 3/);
  assert.equal(await page.locator("#formula").textContent(), before);
  assert.notEqual(await page.locator("#backprop").getAttribute("data-example"), "-1");
  assert.deepEqual(page.problems, []);
});

test("Update takes one step on the example and the training lab counts it", async () => {
  const page = await openPage(lab, "/");
  const step = async () => Number((await page.locator("#status-step").textContent()).replace(/,/g, ""));
  const trainLoss = () => page.locator("#training").getAttribute("data-train-loss");
  const [stepBefore, lossBefore] = [await step(), await trainLoss()];
  await page.locator("#backprop").scrollIntoViewIfNeeded();
  await press(page, "Run all");
  await page.getByRole("button", { name: /^Update/ }).click();
  const text = await page.locator("#update-result").textContent();
  const [, before, after] = text.match(/loss ([^ ]+) → ([^.]+\.[0-9]+)/);
  assert.ok(parseFormatted(after) < parseFormatted(before), text);
  // The lab's own readouts show the step: counted, and the loss moved.
  await page.waitForFunction((s) => document.querySelector("#status-step").textContent !== String(s), stepBefore);
  assert.equal(await step(), stepBefore + 1);
  assert.notEqual(await trainLoss(), lossBefore);
  assert.match(await stageText(page), /^start/, "a new pass starts on the new weights");
  assert.deepEqual(page.problems, []);
});

test("screenshots of the explorer mid-backward, wide, dark and 360 px", async () => {
  for (const [name, view] of [
    ["backprop-dpr1", { width: 1280, height: 1000 }],
    ["backprop-dark-dpr2", { width: 1280, height: 1000, pixelRatio: 2, dark: true }],
    ["backprop-360px", { width: 360, height: 800, pixelRatio: 2 }],
  ]) {
    const page = await open(view);
    for (let i = 0; i < 8; i += 1) await press(page, i < 5 ? "Forward step" : "Backward step");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `no horizontal scrolling (${width} px)`);
    await screenshot(page.locator("#backprop"), name);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});
