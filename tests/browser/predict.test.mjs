// Predict first in the live panels, driven by labels: the backprop explorer asks for the signs
// of ∂L/∂b before its backward pass and says whether the guess held (against the numbers it
// shows beside b); the vanishing panel covers its bars until the student names the layer with
// the smallest gradient (judged against the core's own norms). &predict=1 turns both on; the
// practice panel's links carry it.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, parseFormatted, screenshot, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Waits for the page a link opened; leaving the last one may have cancelled its icon's
 * request, no fault of the page. */
const ready = async (page) => {
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  page.problems = page.problems.filter((problem) => !/favicon\.svg net::ERR_ABORTED$/.test(problem));
};
const stage = (page) => page.locator("#stage-name").textContent();

/** ∂L/∂b[j] as the explorer's bars show it (after the backward pass reached it). */
async function shownGradient(page, unit) {
  const row = page.locator("#bars tbody tr").nth(unit - 1);
  return parseFormatted(await row.locator("td").nth(4).textContent());
}

async function guessSigns(page, signs) {
  for (const [j, sign] of signs.entries()) {
    await page.getByRole("group", { name: `Sign of ∂L/∂b[${j + 1}]` }).getByLabel(sign, { exact: true }).check();
  }
  await page.getByRole("button", { name: "Lock in my guess" }).click();
}

test("the practice panel's link opens the explorer predicting: no backward pass before a guess, then whether it held", async () => {
  const start = await openPage(lab, "/?panel=practice");
  await start.locator('[data-exercise="2b"]').getByRole("link", { name: "backprop explorer" }).click();
  await start.waitForURL(/panel=backprop/);
  await ready(start);
  const page = start;
  assert.match(page.url(), /panel=backprop/);
  assert.equal(await page.getByLabel(/^Predict first/).isChecked(), true, "on in the practice-linked view");
  const backward = page.getByRole("button", { name: "Backward step" });
  const question = page.getByRole("region", { name: "Predict before the backward pass" });
  assert.equal(await question.isVisible(), false, "asked once the forward pass is done");
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Forward step" }).click();
  assert.match(await stage(page), /: L$/);
  assert.equal(await question.isVisible(), true);
  assert.equal(await backward.isDisabled(), true, "the backward pass waits for a guess");
  await page.keyboard.press("b");
  await page.getByRole("button", { name: "Run all" }).click();
  assert.match(await stage(page), /: L$/, "neither B nor Run all gets past the question");
  assert.equal(await page.locator("#check-table").isVisible(), false, "the gradient check does not give it away");
  await page.getByRole("button", { name: "Lock in my guess" }).click();
  assert.match(await page.locator("#backprop-guess-result").textContent(), /Choose a sign for each unit first/);
  await guessSigns(page, ["positive", "positive"]);
  assert.equal(await backward.isDisabled(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "backward-step", "focus moves on to the next step");
  for (let i = 0; i < 3; i += 1) await backward.click(); // ∂L/∂z4, ∂L/∂z3, ∂L/∂b
  assert.match(await stage(page), /: db$/);
  const lines = page.locator("#backprop-guess-result p");
  assert.equal(await lines.count(), 2);
  const truth = [];
  for (const j of [1, 2]) {
    const value = await shownGradient(page, j);
    const sign = value > 0 ? "positive" : value < 0 ? "negative" : "zero";
    truth.push(sign);
    const line = await lines.nth(j - 1).textContent();
    assert.match(line, new RegExp(`^∂L/∂b\\[${j}\\] = .*, ${sign}\\. You said positive: ${sign === "positive" ? "✓ your guess held" : "✗ it did not hold"}\\.$`), line);
  }
  assert.equal(await page.locator("#check-table").isVisible(), true, "the check shows once ∂L/∂b is known");
  await screenshot(page.locator("#backprop .plots"), "predict-backprop-1280");
  // A new pass asks again; the right signs hold.
  await page.getByRole("button", { name: "Reset pass" }).click();
  await page.getByRole("button", { name: "Run all" }).click();
  assert.match(await stage(page), /: L$/);
  assert.equal(await page.locator("#backprop-guess-result").textContent(), "");
  await guessSigns(page, truth);
  await page.getByRole("button", { name: "Run all" }).click();
  assert.match(await stage(page), /: dA$/);
  for (const j of [0, 1]) assert.match(await lines.nth(j).textContent(), /✓ your guess held\.$/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("without predict=1 the explorer runs straight through; predict=0 and a panel's own setting override, bad values are named", async () => {
  const page = await openPage(lab, "/?panel=backprop");
  assert.equal(await page.getByLabel(/^Predict first/).isChecked(), false, "off by default");
  await page.getByRole("button", { name: "Run all" }).click();
  assert.match(await stage(page), /: dA$/);
  assert.equal(await page.locator("#backprop-guess").isVisible(), false);
  // Turned on by hand: the pass starts again and asks.
  await page.getByLabel(/^Predict first/).check();
  assert.match(await stage(page), /^start/);
  await page.getByRole("button", { name: "Run all" }).click();
  assert.match(await stage(page), /: L$/);
  await page.context().close();
  const own = await openPage(lab, "/?panel=backprop&predict=1&b_predict=0");
  assert.equal(await own.getByLabel(/^Predict first/).isChecked(), false, "the panel's own setting wins");
  await own.context().close();
  const bad = await openPage(lab, "/?panel=backprop&predict=yes");
  assert.match(await bad.locator("#page-notice").textContent(), /predict=yes \(must be 0 or 1\)/);
  assert.equal(await bad.getByLabel(/^Predict first/).isChecked(), false);
  await bad.context().close();
  // On the whole page predict=0 clears every panel's box, the activations panel's (on by default) too.
  const all = await openPage(lab, "/?predict=0");
  for (const id of ["predict-first", "backprop-predict", "vanishing-predict"]) {
    assert.equal(await all.locator(`#${id}`).isChecked(), false, id);
  }
  await all.context().close();
});

test("the vanishing panel covers its bars until a layer is named, and judges the guess on the core's norms", async () => {
  for (const [width, name] of [[1280, "predict-vanishing-1280"], [360, "predict-vanishing-360px"]]) {
    const start = await openPage(lab, "/?panel=practice", { width, height: 900 });
    await start.getByRole("link", { name: "vanishing-gradient panel" }).click();
    await start.waitForURL(/panel=vanishing/);
    await ready(start);
    const page = start;
    assert.equal(await page.getByLabel("Predict first: guess the smallest gradient before the bars show").isChecked(), true);
    const canvas = page.locator("#norms-canvas");
    const hiddenBars = () => canvas.evaluate((node) => getComputedStyle(node).visibility === "hidden");
    assert.equal(await hiddenBars(), true, "the bars are covered");
    assert.equal(await page.locator("#norms-readout").isVisible(), false, "and so is the readout");
    await screenshot(page.locator("#vanishing .plots .plot").first(), `${name}-asked`);
    const reveal = page.getByRole("button", { name: "Reveal the bars" });
    await reveal.click();
    assert.match(await page.locator("#norms-guess-missing").textContent(), /Choose a layer first/);
    assert.equal(await hiddenBars(), true);
    // The core's norms for the panel's chain, from its own VanishingLab.
    const settings = async () => page.evaluate(() => [
      Number(document.getElementById("chain-depth").value), Number(document.getElementById("chain-width").value),
      document.getElementById("chain-activation").value, document.getElementById("chain-init").value, document.getElementById("chain-residual").checked,
    ]);
    const norms = async () => page.evaluate((args) => {
      const { core, sharedLab } = window.backpropLab;
      const chain = new core.VanishingLab(sharedLab(), ...args);
      const values = [...chain.layerNorms()];
      chain.free();
      return values;
    }, await settings());
    let values = await norms();
    const least = values.indexOf(Math.min(...values));
    const label = (i) => (i < values.length - 1 ? `layer ${i + 1}` : "b (the output weights)");
    const menu = page.getByLabel("Which layer's gradient will be smallest?");
    await menu.selectOption({ label: label(least) });
    await reveal.click();
    assert.equal(await hiddenBars(), false, "revealed");
    assert.match(await page.locator("#norms-guess-result").textContent(), new RegExp(`^You said ${label(least)}\\. The smallest is ${label(least)} .*✓ your guess held\\.$`));
    await screenshot(page.locator("#vanishing .plots .plot").first(), `${name}-held`);
    // Another chain: asked again; a wrong guess is named as one.
    await page.getByLabel("Activation").selectOption("relu");
    assert.equal(await hiddenBars(), true, "asked again for the new chain");
    values = await norms();
    const smallest = Math.min(...values);
    const wrong = values.findIndex((v) => v !== smallest);
    await menu.selectOption({ label: label(wrong) });
    await reveal.click();
    assert.match(await page.locator("#norms-guess-result").textContent(), new RegExp(`^You said ${label(wrong).replace(/[()]/g, "\\$&")}\\. The smallest is .*✗ it did not hold\\.$`));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test("a guess locked in is not judged on weights the training lab changed afterwards: the pass starts again", async () => {
  const page = await openPage(lab, "/?predict=1");
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Forward step" }).click();
  await guessSigns(page, ["negative", "negative"]);
  while (!(await page.getByRole("button", { name: "Backward step" }).isDisabled())) {
    await page.getByRole("button", { name: "Backward step" }).click();
  }
  assert.match(await page.locator("#backprop-guess-result").textContent(), /You said negative/);
  await page.locator("#train-step").click(); // the shared network takes a step
  assert.match(await stage(page), /^start/, "a new pass to predict");
  assert.equal(await page.locator("#backprop-guess-result").textContent(), "", "no verdict on a pass that was not predicted");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("the vanishing panel's chart of how far each layer moved stays covered until the guess: training first does not give the answer away", async () => {
  const page = await openPage(lab, "/?panel=vanishing&predict=1");
  const hidden = (selector) => page.locator(selector).evaluate((node) => getComputedStyle(node).visibility === "hidden");
  await page.getByRole("button", { name: "Train 200 steps" }).click();
  await page.waitForFunction(() => !/Not trained yet/.test(document.getElementById("moved-readout").textContent));
  assert.equal(await hidden("#moved-canvas"), true, "the bars of how far each layer moved are covered");
  assert.equal(await hidden("#moved-readout"), true, "and so is their readout");
  await page.getByLabel("Which layer's gradient will be smallest?").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Reveal the bars" }).click();
  assert.equal(await hidden("#moved-canvas"), false, "shown with the answer");
  assert.equal(await hidden("#moved-readout"), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("while the training lab plays, a guess is not locked in on numbers that have moved on", async () => {
  const page = await openPage(lab, "/?predict=1");
  await page.locator("#train-play").click();
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Forward step" }).click();
  await page.waitForTimeout(300); // training goes on under the question
  await guessSigns(page, ["negative", "negative"]);
  assert.match(await page.locator("#update-result").textContent(), /The network changed after you predicted/);
  assert.equal(await page.getByRole("button", { name: "Backward step" }).isDisabled(), true, "asked again");
  assert.equal(await page.locator("#backprop-guess-result").textContent(), "");
  await page.locator("#train-play").click(); // paused: the guess now holds still
  await page.waitForTimeout(100);
  await page.getByRole("button", { name: "Reset pass" }).click();
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Forward step" }).click();
  await guessSigns(page, ["negative", "negative"]);
  assert.equal(await page.getByRole("button", { name: "Backward step" }).isDisabled(), false);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
