// The training lab in the browser, driven by the controls' visible labels.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { nextFrame, openPage, screenshot, parseFormatted, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const open = (view) => openPage(lab, "/?panel=training", view);

const settle = nextFrame;

async function status(page) {
  const text = (id) => page.locator(id).textContent();
  return {
    step: Number((await text("#status-step")).replace(/,/g, "")),
    train: parseFormatted(await text("#status-train")),
    test: parseFormatted(await text("#status-test")),
  };
}

/** Sets a range input to a value, as dragging would (an input event). */
async function slide(page, label, value) {
  await page.getByLabel(label, { exact: true }).fill(String(value));
  await settle(page);
}

test("Step advances exactly one step, and Play lowers the shown loss", async () => {
  const page = await open();
  const start = await status(page);
  assert.equal(start.step, 0);
  assert.ok(start.train > 0.1, `an untrained network has a large loss, got ${start.train}`);
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await settle(page);
  assert.equal((await status(page)).step, 1);

  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 300);
  await page.getByRole("button", { name: "Pause" }).click();
  await settle(page);
  const trained = await status(page);
  assert.ok(trained.train < start.train / 5, `loss ${start.train} -> ${trained.train}`);
  assert.ok(Number.isFinite(trained.test));
  const paused = trained.step;
  await page.waitForTimeout(200); // about time: no step may happen in these 200 ms (12 frames)
  assert.equal((await status(page)).step, paused, "Pause stops training");
  assert.deepEqual(page.problems, []);
});

test("the space bar plays and pauses", async () => {
  const page = await open();
  await page.locator("#training-title").click();
  await page.keyboard.press("Space");
  await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 20);
  await page.keyboard.press("Space");
  assert.equal(await page.getByRole("button", { name: "Play" }).getAttribute("aria-pressed"), "false");
});

test("the hidden-units slider re-initialises with h units, drawn as h faint curves", async () => {
  const page = await open();
  const curves = () => page.locator("#fit-canvas").getAttribute("data-unit-curves");
  assert.equal(await curves(), "8");
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await slide(page, "Hidden units h", 3);
  assert.equal(await page.locator("#hidden-units-value").textContent(), "3");
  assert.equal(await curves(), "3");
  assert.equal((await status(page)).step, 0, "a new h starts a new run");
  await slide(page, "Hidden units h", 20);
  assert.equal(await curves(), "20");
  await page.getByLabel("each unit's share").uncheck();
  await settle(page);
  assert.equal(await curves(), "0");
});

test("the learning-rate slider changes the rate and keeps the weights", async () => {
  const page = await open();
  for (let i = 0; i < 3; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
  await settle(page);
  const before = await status(page);
  await slide(page, "Learning rate", 4); // the fifth of the nice values: 0.02
  assert.equal(await page.locator("#learning-rate-value").textContent(), "0.02");
  const after = await status(page);
  assert.equal(after.step, 3);
  assert.equal(after.train, before.train, "changing the rate does not touch the weights");
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await settle(page);
  const stepped = await status(page);
  assert.ok(stepped.train < before.train && stepped.train > before.train * 0.9,
    `a small rate moves the loss a little: ${before.train} -> ${stepped.train}`);
});

test("a learning rate of 10 stops with a plain explanation and no NaN anywhere", async () => {
  const page = await open();
  await slide(page, "Learning rate", 15);
  assert.equal(await page.locator("#learning-rate-value").textContent(), "10");
  await page.getByRole("button", { name: "Play" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor({ state: "visible" });
  const message = await alert.textContent();
  assert.match(message, /learning rate 10/);
  assert.match(message, /The weights of step 0 are back: the lowest training loss/);
  assert.equal(await page.getByRole("button", { name: "Play" }).getAttribute("aria-pressed"), "false");
  await settle(page);
  const text = await page.locator("body").innerText();
  assert.doesNotMatch(text, /NaN|not a number|Infinity|∞/);
  assert.ok(Number.isFinite((await status(page)).train));
  await screenshot(page.locator("#training"), "training-diverged");
  // Reset gives a working run again.
  await slide(page, "Learning rate", 9);
  await page.getByRole("button", { name: "Reset" }).click();
  await page.getByRole("button", { name: "Step", exact: true }).click();
  await settle(page);
  assert.equal((await status(page)).step, 1);
  assert.ok(await alert.isHidden());
  assert.deepEqual(page.problems, []);
});

test("clicking the fit plot adds a point, shift-click removes it", async () => {
  const page = await open();
  const count = async () => Number(await page.locator("#train-count").textContent());
  assert.equal(await count(), 100);
  const box = await page.locator("#fit-canvas").boundingBox();
  const [x, y] = [box.x + box.width * 0.55, box.y + box.height * 0.3];
  await page.mouse.click(x, y);
  await settle(page);
  assert.equal(await count(), 101);
  assert.equal(await page.getByLabel("Data set", { exact: true }).inputValue(), "custom");
  await page.keyboard.down("Shift");
  await page.mouse.click(x, y);
  await page.keyboard.up("Shift");
  await settle(page);
  assert.equal(await count(), 100);
  await page.getByRole("button", { name: "Clear points" }).click();
  await settle(page);
  assert.equal(await count(), 0);
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByRole("alert").waitFor({ state: "visible" });
  assert.match(await page.getByRole("alert").textContent(), /no points/);
  assert.deepEqual(page.problems, []);
});

test("every data set, batch mode and activation trains without errors", async () => {
  const page = await open();
  for (const dataset of ["sine", "step", "abs", "quadratic", "bump"]) {
    await page.getByLabel("Data set", { exact: true }).selectOption(dataset);
    for (const batch of ["full", "mini", "single"]) {
      await page.getByLabel("Batch", { exact: true }).selectOption(batch);
      for (let i = 0; i < 3; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
    }
  }
  for (const activation of ["relu", "tanh", "sigmoid"]) {
    await page.getByLabel("Activation", { exact: true }).selectOption(activation);
    await page.getByRole("button", { name: "Step", exact: true }).click();
  }
  await settle(page);
  assert.ok(Number.isFinite((await status(page)).train));
  assert.deepEqual(page.problems, []);
});

test("the loss chart's cursor reads a step by keyboard", async () => {
  const page = await open();
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
  const cursor = page.getByRole("slider", { name: "Loss history: step" });
  await cursor.focus();
  await cursor.press("Home");
  await settle(page);
  assert.match(await page.locator("#loss-readout").textContent(), /^step 0: train [0-9.]+, test [0-9.]+$/);
  await cursor.press("ArrowRight");
  await settle(page);
  assert.match(await page.locator("#loss-readout").textContent(), /^step 1: /);
});

test("after a link's steps are replayed, the progress line goes and the plots stay side by side", async () => {
  const page = await openPage(lab, "/?panel=training&t_steps=2000", { width: 1280, height: 1000 });
  await page.waitForFunction(() => window.backpropLab.sharedLab().steps === 2000);
  await settle(page);
  assert.equal(await page.locator("#training-progress").isHidden(), true);
  const top = (selector) => page.locator(selector).evaluate((el) => Math.round(el.getBoundingClientRect().top));
  assert.equal(await top("#loss-canvas"), await top("#fit-canvas"));
  assert.equal(await top(".plot-loss figcaption"), await top(".plot-fit figcaption"));
  await page.context().close();
});

test("screenshots of the training lab after training, wide, dark and 360 px", async () => {
  const views = [
    ["training-dpr1", { width: 1280, height: 1000, pixelRatio: 1 }],
    ["training-dark-dpr2", { width: 1280, height: 1000, pixelRatio: 2, dark: true }],
    ["training-360px", { width: 360, height: 800, pixelRatio: 2 }],
  ];
  for (const [name, view] of views) {
    const page = await open(view);
    await slide(page, "Steps per frame", 6);
    await page.getByRole("button", { name: "Play" }).click();
    await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 1500);
    await slide(page, "Learning rate", 6);
    await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 2500);
    await page.getByRole("button", { name: "Pause" }).click();
    await slide(page, "Hidden units h", 16);
    await page.getByRole("button", { name: "Play" }).click();
    await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 1500);
    await page.getByRole("button", { name: "Pause" }).click();
    await settle(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `no horizontal scrolling (${width} px)`);
    await screenshot(page.locator("#training"), name);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test("the fit plot's points, copied from sprites, match circles drawn as paths to the pixel", async () => {
  // Page A counts the sprite canvases the plots make; page B cannot make any, so the canvas
  // backend falls back to filling and stroking each circle as a path. With 10 points (and 5
  // test points) none overlap, so the two fit plots must agree to the pixel: a sprite's
  // translucent edge is rounded to 8 bits once more, a few levels at most (a circle one pixel
  // off would differ by a hundred).
  const pixels = async (createCanvas) => {
    const page = await openPage(lab, "/?panel=training&t_n=10", {
      beforeGoto: (context) => context.addInitScript((createCanvas) => {
        const original = Document.prototype.createElement;
        window.spriteCanvases = 0;
        Document.prototype.createElement = function (name, ...rest) {
          if (String(name).toLowerCase() === "canvas") {
            if (!createCanvas) throw new Error("no canvases here");
            window.spriteCanvases += 1;
          }
          return original.call(this, name, ...rest);
        };
      }, createCanvas),
    });
    await settle(page);
    const result = await page.evaluate(() => {
      const canvas = document.querySelector("#fit-canvas");
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      return { data: Array.from(data), made: window.spriteCanvases, width: canvas.width };
    });
    assert.deepEqual(page.problems, []);
    await page.context().close();
    return result;
  };
  const sprites = await pixels(true);
  const paths = await pixels(false);
  assert.ok(sprites.made >= 2, `the plots made ${sprites.made} sprite canvases (a filled and a stroked circle at least)`);
  assert.equal(paths.made, 0);
  assert.equal(sprites.data.length, paths.data.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < sprites.data.length; i += 1) {
    const difference = Math.abs(sprites.data[i] - paths.data[i]);
    if (difference > worst) [worst, at] = [difference, i];
  }
  const pixel = Math.floor(at / 4);
  assert.ok(worst <= 4, `the largest difference is ${worst} levels, at pixel (${pixel % sprites.width}, ${Math.floor(pixel / sprites.width)})`);
});
