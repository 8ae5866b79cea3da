// Seeing the gradient: the loss surface over two weights with the backprop arrow and descent
// paths, and fitting by hand in the training lab before gradient descent finishes the job.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { canvasFingerprint, nextFrame, openPage, screenshot, seriousViolations, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const open = (view) => openPage(lab, "/?panel=landscape", view);

test("choosing the two weights redraws the surface, and the axes name them", async () => {
  const page = await open();
  const before = await canvasFingerprint(page, "#landscape-canvas");
  await page.getByLabel("Across (x-axis)").selectOption("A2_1");
  await page.getByLabel("Up (y-axis)").selectOption("b3");
  await nextFrame(page);
  assert.notEqual(await canvasFingerprint(page, "#landscape-canvas"), before);
  assert.match(await page.locator("#landscape-gradient").textContent(), /∂L\/∂A₂₁ = .*∂L\/∂b₃ = /);
  await page.getByLabel("Up (y-axis)").selectOption("A2_1");
  assert.match(await page.locator("#landscape-path").textContent(), /two different weights/);
  assert.deepEqual(page.problems, []);
});

test("without training points the plot says so instead of staying blank", async () => {
  const page = await openPage(lab, "/?t_data=custom&t_pts=none");
  await nextFrame(page);
  assert.match(await page.locator("#landscape-gradient").textContent(), /no training points/);
  const colours = await page.evaluate(() => {
    const canvas = document.querySelector("#landscape-canvas");
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add(data.slice(i, i + 4).join());
    return seen.size;
  });
  assert.ok(colours > 10, `the canvas holds ${colours} colours: the notice's anti-aliased text is missing`);
  assert.deepEqual(page.problems, []);
});

test("a click starts a descent path, and the panel says what it did", async () => {
  const page = await open();
  const box = await page.locator("#landscape-canvas").boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await nextFrame(page);
  const outcome = await page.locator("#landscape").getAttribute("data-outcome");
  assert.match(outcome, /^(converged|plateau|crawling|zigzag|left_view)$/);
  assert.match(await page.locator("#landscape-path").textContent(), /steps from b₁ = /);
  // The same start at a learning rate of 10 blows up, and says so in words.
  await page.getByLabel("Learning rate", { exact: true }).fill("15");
  await nextFrame(page);
  assert.match(await page.locator("#landscape").getAttribute("data-outcome"), /^(diverged|left_view)$/);
  assert.match(await page.locator("#landscape-path").textContent(), /^(Diverged|Left the view)/);
  // The keyboard places a start too: arrows move the cross, Enter descends.
  await page.getByRole("button", { name: "Clear the path" }).click();
  const surface = page.getByRole("application", { name: /Loss surface over two weights/ });
  await surface.focus();
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowLeft");
  await nextFrame(page);
  assert.match(await page.locator("#landscape-path").textContent(), /^Cross at b₁ = /);
  await page.keyboard.press("Enter");
  await nextFrame(page);
  assert.notEqual(await page.locator("#landscape").getAttribute("data-outcome"), "");
  assert.deepEqual(page.problems, []);
});

test("scaling A up saturates the units and shrinks the printed gradient", async () => {
  const page = await open();
  await page.getByLabel("Up (y-axis)").selectOption("A1_2");
  await page.getByLabel("Across (x-axis)").selectOption("A1_1");
  await nextFrame(page);
  const norm = async () => Number(await page.locator("#landscape").getAttribute("data-norm"));
  const at1 = await norm();
  await page.getByLabel("A multiplied by").fill("8"); // ×30
  await nextFrame(page);
  const at30 = await norm();
  assert.ok(at30 < at1 / 10, `‖gradient‖ ${at1} → ${at30}`);
  assert.match(await page.locator("#landscape-gradient").textContent(), /gradient's size is/);
});

test("the surface shows the lab's current weights: training changes it", async () => {
  const page = await openPage(lab, "/");
  await page.locator("#landscape").scrollIntoViewIfNeeded();
  const before = await page.locator("#landscape-gradient").textContent();
  for (let i = 0; i < 20; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
  await nextFrame(page);
  assert.notEqual(await page.locator("#landscape-gradient").textContent(), before);
});

test("fit by hand: dragging a handle or moving its slider changes the loss; gradient descent then lowers it", async () => {
  const page = await openPage(lab, "/?panel=training");
  const loss = async () => page.locator("#training").getAttribute("data-train-loss");
  await page.getByLabel("Fit by hand: drag each unit's handles").check();
  const start = await loss();
  // The keyboard on a focused handle (its slider).
  const height = page.getByLabel("Height", { exact: true });
  await height.focus();
  for (let i = 0; i < 10; i += 1) await page.keyboard.press("ArrowRight");
  await nextFrame(page);
  const keyed = await loss();
  assert.notEqual(keyed, start, "the height slider changes the weights");
  assert.match(await page.locator("#hand-target").textContent(), /^Mean loss [0-9.]+/);
  // Dragging the selected unit's position handle with the mouse.
  const handle = await page.evaluate(async () => {
    const { sharedLab } = window.backpropLab;
    return sharedLab().handles();
  });
  const canvas = await page.locator("#fit-canvas").boundingBox();
  // The position handle sits on the curve at x = position; find its pixel from the plot's range.
  const toPixel = (x) => canvas.x + 40 + ((x + 3.25) / 6.5) * (canvas.width - 54);
  const px = toPixel(handle.position);
  let grabbed = false;
  for (let y = canvas.y + 10; y < canvas.y + canvas.height - 40 && !grabbed; y += 6) {
    await page.mouse.move(px, y);
    await page.mouse.down();
    await page.mouse.move(px + 40, y, { steps: 4 });
    await page.mouse.up();
    grabbed = (await loss()) !== keyed;
  }
  assert.ok(grabbed, "dragging a handle changed the fit");
  const shaped = Number(await loss());
  await page.getByRole("button", { name: "Let gradient descent finish" }).click();
  await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 200);
  await page.getByRole("button", { name: "Pause" }).click();
  assert.ok(Number(await loss()) < shaped, "gradient descent lowers the loss from the hand-made start");
  assert.deepEqual(page.problems, []);
});

test("axe finds nothing serious on the loss surface; screenshots at 1280 and 360 px", async () => {
  for (const [name, view] of [["landscape-1280", { width: 1280, height: 900 }], ["landscape-360px", { width: 360, height: 800, pixelRatio: 2 }], ["landscape-dark", { width: 1280, height: 900, dark: true, pixelRatio: 2 }]]) {
    const page = await open({ ...view, bypassCSP: true });
    const box = await page.locator("#landscape-canvas").boundingBox();
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.7);
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], name);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `${name}: no horizontal scrolling (${width} px)`);
    await screenshot(page.locator("#landscape"), name);
    await page.context().close();
  }
});
