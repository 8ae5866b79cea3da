// Course notes, part two: activities an instructor sets in a link (lock, task, goal), embeds
// that size themselves in every common host (our message, Canvas LMS's, a fixed height for
// Moodle), the example course-notes page, printing, and the phone layout.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, screenshot, seriousViolations, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

const steps = async (page) => Number((await page.locator("#status-step").textContent()).replace(/,/g, ""));

test("the example course-notes page: frames fit their panels, Canvas's message is posted, nothing leaves the origin", async () => {
  const page = await openPage(lab, "/examples/course-notes.html", {
    waitForPlot: false,
    beforeGoto: (context) => context.addInitScript(() => {
      if (window.parent !== window) return;
      window.canvasMessages = [];
      window.addEventListener("message", (event) => {
        if (event.data?.subject === "lti.frameResize") window.canvasMessages.push(event.data.height);
      });
    }),
  });
  const frames = ["#activations-frame", "#training-frame", "#backprop-frame"];
  for (const id of frames) {
    const frame = page.frameLocator(id);
    await frame.locator("body").evaluate(() => new Promise((done) => {
      const wait = () => (window.backpropLab?.ready ? done() : setTimeout(wait, 50));
      wait();
    }));
  }
  // The host script has sized each frame to its content: no inner scrollbar.
  await page.waitForFunction((ids) => ids.every((id) => {
    const frame = document.querySelector(id);
    const inner = frame.contentDocument.documentElement;
    return inner.scrollHeight <= frame.clientHeight + 1;
  }), frames, { timeout: 10_000 });
  assert.ok((await page.evaluate(() => window.canvasMessages.length)) >= 3, "each frame posts lti.frameResize");
  const training = page.frameLocator("#training-frame");
  assert.equal(await training.getByLabel("Learning rate", { exact: true }).isDisabled(), true, "the rate is locked");
  assert.match(await training.locator(".task").textContent(), /without changing the learning rate/);
  assert.match(await page.frameLocator("#activations-frame").locator("#readout-rows").textContent(), /hidden/, "derivatives hidden until revealed");
  await screenshot(page, "course-notes-example");
  assert.deepEqual(page.problems, []);
});

test("lock and task round-trip through the address bar, Share and Embed; markup in a task stays text", async () => {
  const task = "Train until the loss is below 0.1. <b>Do not</b> change the rate!";
  const path = `/?panel=training&lock=t_lr,data&task=${encodeURIComponent(task)}`;
  const page = await openPage(lab, path);
  const shown = page.locator(".task");
  assert.equal(await shown.textContent(), task);
  assert.equal(await shown.locator("b").count(), 0, "the markup is not rendered");
  assert.equal(await page.getByLabel("Learning rate", { exact: true }).isDisabled(), true);
  assert.equal(await page.getByLabel("Data set", { exact: true }).isDisabled(), true);
  assert.match(await page.locator(".locked-note").textContent(), /Fixed by your instructor for this activity: Data set, Points, Noise, Seed, Constant input: x = \[x, 1\], Learning rate\./);
  // A change elsewhere rewrites the link: the activity stays in it.
  await page.getByLabel("Hidden units h", { exact: true }).fill("12");
  await page.waitForURL(/t_h=12/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("lock"), "t_lr,data");
  assert.equal(url.searchParams.get("task"), task);
  const keys = (value) => value.split(",").sort();
  // The Embed dialog starts from the same activity.
  await page.getByRole("button", { name: "Embed the Training lab panel" }).click();
  const dialog = page.getByRole("dialog", { name: "Embed this panel" });
  assert.equal(await dialog.getByLabel("Lock Learning rate").isChecked(), true);
  const code = await dialog.getByLabel("Code to paste").inputValue();
  const src = new URL(code.match(/src="([^"]+)"/)[1].replace(/&amp;/g, "&"));
  assert.deepEqual(keys(src.searchParams.get("lock")), ["data", "t_lr"]);
  assert.equal(src.searchParams.get("task"), task);
  assert.equal(src.searchParams.get("embed"), "1");
  for (const [tab, pattern] of [["Jupyter Book (MyST)", /^:::\{iframe\} http/], ["Quarto", /^```\{=html\}\n<iframe/], ["Canvas LMS", /^<iframe [^\n]*allowfullscreen[^\n]*><\/iframe>$/]]) {
    await dialog.getByRole("tab", { name: tab }).click();
    assert.match(await dialog.getByLabel("Code to paste").inputValue(), pattern, tab);
  }
  assert.deepEqual(page.problems, []);
});

test("a goal is checked live and reached by training; bad goals get the notice", async () => {
  const page = await openPage(lab, "/?panel=training&goal=train%3C0.3&t_spf=5");
  const goal = page.locator(".goal");
  assert.equal(await goal.getAttribute("role"), "status");
  assert.match(await goal.textContent(), /^Goal: bring the training loss below 0\.3\.$/);
  await page.getByRole("button", { name: "Play" }).click();
  await page.getByText(/^Goal reached: the training loss is [0-9.]+, below 0\.3, at step/).waitFor({ timeout: 20_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  assert.match(await goal.getAttribute("class"), /reached/);
  for (const [bad, message] of [["train<abc", /the loss must be a positive decimal number/], ["speed>3", /a goal is train<LOSS/], ["ratio>2", /that panel is not on this page/]]) {
    const other = await openPage(lab, `/?panel=training&goal=${encodeURIComponent(bad)}`);
    assert.match(await other.locator("#page-notice").textContent(), message, bad);
    assert.equal(await other.locator(".goal").count(), 0);
    await other.context().close();
  }
  const practice = await openPage(lab, "/?panel=practice&goal=solved:2b");
  await practice.getByLabel("∂L/∂b =", { exact: true }).fill("-2 z4 z2");
  await practice.getByRole("button", { name: "Check ∂L/∂b" }).click();
  assert.equal(await practice.locator(".goal").textContent(), "Goal reached: exercise 2b is solved.");
});

test("height=500 lays an embedded panel out without an inner scrollbar", async () => {
  for (const path of ["/?panel=activations&embed=1&height=500", "/?panel=vanishing&embed=1&height=700"]) {
    const height = Number(path.match(/height=(\d+)/)[1]);
    const page = await openPage(lab, path, { width: 900, height });
    const overflow = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 1, `${path}: ${overflow} px too tall`);
    assert.equal(await page.getByText("Notes", { exact: true }).isVisible(), true, "the notes fold behind a toggle");
    await screenshot(page, `fit-height-${height}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  const bad = await openPage(lab, "/?panel=activations&embed=1&height=12");
  assert.match(await bad.locator("#page-notice").textContent(), /height=12 \(must be a whole number of CSS pixels from 300 to 5000\)/);
});

test("the page prints each panel with its plots, without controls", async () => {
  const page = await openPage(lab, "/?panel=training");
  for (let i = 0; i < 30; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
  await page.emulateMedia({ media: "print" });
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  assert.equal(await page.getByRole("button", { name: "Play" }).isVisible(), false, "no buttons on paper");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const text = pdf.toString("latin1");
  const pages = (text.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  const images = [...text.matchAll(/\/Subtype\s*\/Image[\s\S]*?\/Length\s+(\d+)/g)].map((m) => Number(m[1]));
  assert.ok(pages >= 1 && pages <= 3, `the training lab prints on 1 to 3 pages, got ${pages}`);
  assert.ok(images.length >= 4, `the four plots are in the PDF as images (found ${images.length})`);
  assert.ok(images.every((bytes) => bytes > 2000), `no plot is blank: ${images}`);
  const whole = await openPage(lab, "/");
  await whole.emulateMedia({ media: "print" });
  await whole.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const all = (await whole.pdf({ format: "A4" })).toString("latin1");
  const allPages = (all.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(allPages >= 6 && allPages <= 20, `six panels, each starting a page: ${allPages} pages`);
});

test("at 320 and 360 px the header fits, and Play and the two sliders sit by the fit plot", async () => {
  for (const width of [320, 360]) {
    const page = await openPage(lab, "/?panel=training", { width, height: 740, pixelRatio: 2 });
    const brand = await page.locator(".brand").boundingBox();
    const share = await page.getByRole("button", { name: "Share link" }).boundingBox();
    const overlap = brand.x < share.x + share.width && share.x < brand.x + brand.width && brand.y < share.y + share.height && share.y < brand.y + brand.height;
    assert.equal(overlap, false, `${width} px: the brand and Share link overlap`);
    const fit = await page.locator("#fit-canvas").boundingBox();
    for (const control of [page.getByRole("button", { name: "Play" }), page.getByLabel("Hidden units h", { exact: true }), page.getByLabel("Learning rate", { exact: true })]) {
      const box = await control.boundingBox();
      assert.ok(Math.abs(box.y - fit.y) <= 740, `${width} px: a control is ${Math.round(box.y - fit.y)} px from the fit plot`);
    }
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= width, `${width} px: no horizontal scrolling (${scroll})`);
    await screenshot(page, `training-${width}px-top`);
    await page.context().close();
  }
});

test("axe finds nothing serious with locked controls, a task and a goal", async () => {
  const page = await openPage(lab, "/?panel=training&lock=t_lr,network&task=Reach%200.05&goal=train%3C0.05", { bypassCSP: true });
  const violations = await seriousViolations(page);
  assert.deepEqual(violations, []);
  await screenshot(page.locator("#training"), "training-activity");
});
