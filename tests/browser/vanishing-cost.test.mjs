// The vanishing-gradient and cost panels in the browser.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { canvasFingerprint, nextFrame, openPage, parseFormatted, screenshot, startLab } from "./harness.mjs";

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

test("the cost panel's counts follow h, and the stopwatch states the ratio it measured", async () => {
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
  // The test does not ask the machine to be quiet: the sentence only has to state the ratio the
  // page measured, in the right direction.
  assert.ok(Number.isFinite(ratio) && ratio > 0, `finite differences / backprop = ${ratio}`);
  const said = await page.locator("#cost-time-result").textContent();
  const [, times, direction] = said.match(/: ([^:]+)× (slower|faster)/);
  assert.equal(direction, ratio >= 1 ? "slower" : "faster", said);
  const factor = parseFormatted(times);
  assert.ok(Math.abs(factor - (ratio >= 1 ? ratio : 1 / ratio)) <= 0.01 * factor, said);
  assert.deepEqual(page.problems, []);
});

test("both panels fit, draw every plot crisply, wide and at 360 px (with screenshots)", async () => {
  for (const panel of ["vanishing", "cost"]) {
    for (const [name, view] of [["dpr1", { width: 1280, height: 1000 }], ["360px", { width: 360, height: 800, pixelRatio: 2 }]]) {
      const page = await openPage(lab, `/?panel=${panel}`, view);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= view.width, `${panel}: no horizontal scrolling (${width} px)`);
      // Every plot is drawn, inside the panel, at the screen's own resolution (crisp at DPR 2).
      const canvases = await page.evaluate((panel) => {
        const box = document.getElementById(panel).getBoundingClientRect();
        return [...document.querySelectorAll(`#${panel} canvas`)].filter((c) => c.offsetParent).map((canvas) => {
          const rect = canvas.getBoundingClientRect();
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          const colours = new Set();
          for (let i = 0; i < pixels.length && colours.size < 3; i += 4 * 97) colours.add(pixels.slice(i, i + 4).join());
          return {
            id: canvas.id, inside: rect.left >= box.left - 0.5 && rect.right <= box.right + 0.5,
            backing: canvas.width, wanted: Math.round(rect.width * devicePixelRatio), colours: colours.size,
          };
        });
      }, panel);
      assert.ok(canvases.length > 0, `${panel} shows a plot`);
      for (const canvas of canvases) {
        assert.ok(canvas.inside, `${panel} ${name}: #${canvas.id} fits the panel`);
        assert.ok(Math.abs(canvas.backing - canvas.wanted) <= 1, `${panel} ${name}: #${canvas.id} has ${canvas.backing} pixels for ${canvas.wanted}`);
        assert.ok(canvas.colours >= 3, `${panel} ${name}: #${canvas.id} is drawn`);
      }
      await screenshot(page.locator(`#${panel}`), `${panel}-${name}`);
      await page.context().close();
    }
  }
});
