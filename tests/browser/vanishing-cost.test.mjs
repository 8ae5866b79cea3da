// The vanishing-gradient and cost panels in the browser.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { canvasFingerprint, nextFrame, openPage, screenshot, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

test("changing the depth changes the number of bars", async () => {
  const page = await openPage(lab, "/?panel=vanishing");
  const bars = () => page.locator("#vanishing").getAttribute("data-bars");
  assert.equal(await bars(), "7", "6 layers and the output weights");
  await page.getByLabel("Layers L", { exact: true }).fill("12");
  assert.equal(await bars(), "13");
  await page.getByLabel("Layers L", { exact: true }).fill("1");
  assert.equal(await bars(), "2");
  assert.deepEqual(page.problems, []);
});

test("a deep sigmoid chain vanishes, and ReLU with He initialisation changes the chart", async () => {
  const page = await openPage(lab, "/?panel=vanishing");
  await page.getByLabel("Layers L", { exact: true }).fill("10");
  await nextFrame(page);
  const ratio = async () => Number(await page.locator("#vanishing").getAttribute("data-ratio"));
  assert.ok(await ratio() < 1e-2, `sigmoid, small weights: first/last = ${await ratio()}`);
  const sigmoidChart = await canvasFingerprint(page, "#norms-canvas");
  await page.getByLabel("Activation").selectOption("relu");
  await page.getByLabel("Initialisation").selectOption("he");
  await nextFrame(page);
  assert.notEqual(await canvasFingerprint(page, "#norms-canvas"), sigmoidChart);
  // On 20 of the lab's points ReLU with He keeps the first layer within a few tens of the last
  // (the sigmoid above was below 10⁻²).
  assert.ok((await ratio()) > 0.03 && (await ratio()) < 30, `ReLU, He: first/last = ${await ratio()}`);
  await page.getByRole("button", { name: "Train 200 steps" }).click();
  await page.getByText(/^The first layer's weights changed by/).waitFor();
  await page.getByLabel("A multiplied by").fill("8");
  assert.match(await page.locator("#scale-readout").textContent(), /^At ×30:/);
  assert.deepEqual(page.problems, []);
});

test("the cost panel's counts follow h, and the stopwatch shows backprop is faster", async () => {
  const page = await openPage(lab, "/?panel=cost");
  const finite = () => page.locator("#cost-table tbody tr[data-method=finiteDifferences] td").first().textContent();
  const forward = () => page.locator("#cost-table tbody tr[data-method=forwardMode] td").first().textContent();
  const forwardAt8 = await forward();
  assert.match(forwardAt8, /^192 ?multiply-adds, 25 passes/, "forward mode: P + 1 = 25 passes for m = 2, h = 8");
  const at8 = await finite();
  assert.match(at8, /^1,152 ?multiply-adds, 48 passes/, "m = 2, h = 8: 2 × 24 parameters × 24");
  await page.getByLabel("Hidden units h", { exact: true }).fill("16");
  const at16 = await finite();
  assert.notEqual(at16, at8);
  assert.match(at16, /^4,608 ?multiply/, "four times the work for twice the units");
  assert.notEqual(await forward(), forwardAt8, "the forward-mode row follows h");
  assert.match(await forward(), /49 passes$/);
  const backprop = await page.locator("#cost-table tbody tr[data-method=backprop] td").first().textContent();
  assert.match(backprop, /2 passes$/);
  await page.getByRole("button", { name: "Time both ways" }).click();
  await page.waitForFunction(() => document.querySelector("#cost").dataset.ratio);
  const ratio = Number(await page.locator("#cost").getAttribute("data-ratio"));
  assert.ok(ratio > 1, `finite differences / backprop = ${ratio}`);
  assert.match(await page.locator("#cost-time-result").textContent(), /slower\.$/);
  assert.deepEqual(page.problems, []);
});

test("screenshots of both panels, wide and 360 px", async () => {
  for (const panel of ["vanishing", "cost"]) {
    for (const [name, view] of [["dpr1", { width: 1280, height: 1000 }], ["360px", { width: 360, height: 800, pixelRatio: 2 }]]) {
      const page = await openPage(lab, `/?panel=${panel}`, view);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= view.width, `${panel}: no horizontal scrolling (${width} px)`);
      await screenshot(page.locator(`#${panel}`), `${panel}-${name}`);
      await page.context().close();
    }
  }
});
