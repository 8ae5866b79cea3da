// The practice panel, as a student would use it: every exercise answered through the boxes
// and menus found by their labels, mistakes named, symbols inserted with the buttons and the
// keyboard alone, one exercise opened by a link, and progress kept in the browser.

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

const open = (path = "/?panel=practice", view) => openPage(lab, path, view);
const exercise = (page, id) => page.locator(`[data-exercise="${id}"]`);

/** Types an answer into the box labelled "∂L/∂… =" and checks it; returns the feedback. */
async function answer(page, label, text) {
  const box = page.getByLabel(`${label} =`, { exact: true });
  await box.fill(text);
  await page.getByRole("button", { name: `Check ${label}`, exact: true }).click();
  return box.locator("xpath=ancestor::div[contains(@class,'answer-part')]").locator(".feedback").textContent();
}

async function solveGraph(page) {
  const nodes = {
    z1: ["matrix_times_vector", "A", "x"], z2: ["sigmoid", "z1", ""], z3: ["dot", "b", "z2"],
    z4: ["difference", "y", "z3"], L: ["square", "z4", ""],
  };
  for (const [node, [operation, first, second]] of Object.entries(nodes)) {
    const group = page.getByRole("group", { name: `${node} =` });
    await group.getByLabel("operation").selectOption(operation);
    await group.getByLabel("input", { exact: true }).selectOption(first);
    if (second) await group.getByLabel("second input").selectOption(second);
  }
}

test("every exercise can be solved by typing and picking, and each shows as solved", async () => {
  const page = await open();
  await page.evaluate(() => localStorage.clear());
  await solveGraph(page);
  for (const [label, text] of [
    ["∂L/∂z4", "2 z4"], ["∂L/∂z3", "-2*z4"], ["∂L/∂z2", "-2 z4 b"], ["∂L/∂z1", "-2 z4 b ⊙ z2 ⊙ (1 - z2)"],
    ["∂L/∂b", "2*(z3 - y)*sigma(A x)"], ["∂L/∂A", "(-2*z4*b .* dsigma(z1)) @ x^T"],
  ]) {
    assert.match(await answer(page, label, text), /^✓/, `${label} = ${text}`);
  }
  const counts = exercise(page, "2d");
  const sizes = await counts.locator("#counts-sizes").textContent();
  const [, m, h] = sizes.match(/m = (\d+) inputs and h = (\d+)/).map(Number);
  const typed = { derivatives: h * m + h, finite: 2 * (h * m + h), backprop: 2, another: h * m + h * h + h };
  const prompts = await counts.locator(".count-part label").allTextContents();
  const values = [typed.derivatives, typed.finite, typed.backprop, typed.another];
  for (let i = 0; i < prompts.length; i += 1) {
    await counts.getByLabel(prompts[i], { exact: true }).fill(values[i].toLocaleString("en-US"));
    await counts.getByRole("button", { name: `Check: ${prompts[i]}` }).click();
  }
  await counts.getByLabel(/backpropagation still takes one forward and one backward pass/).check();
  for (const id of ["2a", "local", "2b", "2c", "2d"]) {
    assert.match(await exercise(page, id).getAttribute("class"), /solved/, `${id} is solved`);
  }
  assert.equal(await page.locator("#practice").getAttribute("data-solved"), "5");
  assert.deepEqual(page.problems, []);
});

test("a wrong answer gets the hint that names its mistake", async () => {
  const page = await open();
  const cases = [
    ["∂L/∂b", "-z4 z2", /factor 2/i],
    ["∂L/∂b", "2 z4 z2", /sign/i],
    ["∂L/∂z1", "-2 z4 b", /σ′/],
    ["∂L/∂z1", "-2 z4 b ⊙ z2", /σ instead of σ′|σ′/],
    ["∂L/∂A", "-2 z4 x (b ⊙ z2 ⊙ (1 - z2))^T", /wrong way round/],
    ["∂L/∂b", "-2 z3 z2", /z3/],
    ["∂L/∂A", "-2 z4 (z2 ⊙ (1 - z2)) x^T", /b/],
    ["∂L/∂b", "-2 z4 z2 +", /position 11/],
  ];
  for (const [label, text, hint] of cases) {
    const message = await answer(page, label, text);
    assert.doesNotMatch(message, /^✓/, `${label} = ${text}`);
    assert.match(message, hint, `${label} = ${text}: ${message}`);
  }
  // The graph names the mistake at once.
  const z3 = page.getByRole("group", { name: "z3 =" });
  await z3.getByLabel("operation").selectOption("matrix_times_vector");
  assert.match(await z3.locator(".feedback").textContent(), /one number.*A matrix times a vector.*gives a vector/);
  assert.deepEqual(page.problems, []);
});

test("symbol buttons insert at the cursor, and everything works from the keyboard", async () => {
  const page = await open();
  const box = page.getByLabel("∂L/∂z1 =", { exact: true });
  await box.fill("-2 z4 b  (1 - z2)");
  await box.evaluate((input) => input.setSelectionRange(8, 8));
  await box.focus();
  const group = exercise(page, "local");
  await group.getByRole("button", { name: "Insert ⊙" }).click();
  assert.equal(await box.inputValue(), "-2 z4 b  ⊙  (1 - z2)");
  // Keyboard only: type, Tab to a symbol button, press Enter, type more, Enter checks.
  await box.fill("");
  await box.focus();
  await page.keyboard.type("-2 z4 b ");
  const insertSigma = group.getByRole("button", { name: "Insert σ′" });
  await insertSigma.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "answer-dz1", "focus goes back to the box");
  await page.keyboard.type("z1)");
  await page.keyboard.press("Enter");
  const feedback = await page.locator("#answer-dz1").evaluate((input) => input.closest(".answer-part").querySelector(".feedback").textContent);
  assert.match(feedback, /^✓/, "Enter in the box checks it");
  // The preview shows how the expression was read, as MathML.
  assert.equal(await group.locator("#answer-dz1-preview math").count(), 1);
});

test("a link opens one exercise; progress survives a reload and Start over clears it", async () => {
  const page = await open("/?panel=practice&q=2c");
  assert.equal(await exercise(page, "2c").isVisible(), true);
  for (const id of ["2a", "local", "2b", "2d"]) assert.equal(await exercise(page, id).isVisible(), false, id);
  await page.evaluate(() => localStorage.clear());
  assert.match(await answer(page, "∂L/∂A", "-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ"), /^✓/);
  await page.reload();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  assert.match(await exercise(page, "2c").getAttribute("class"), /solved/, "kept in this browser");
  assert.doesNotMatch(page.url(), /solved|dA/, "progress is never in the link");
  await page.getByRole("link", { name: "All exercises" }).click();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  await page.getByRole("button", { name: "Start over", exact: true }).click();
  await page.getByRole("button", { name: "Yes, start over" }).click();
  assert.doesNotMatch(await exercise(page, "2c").getAttribute("class"), /solved/);
  const bad = await open("/?panel=practice&q=9z");
  assert.match(await bad.locator("#page-notice").textContent(), /q=9z \(must be one or more of the exercises, separated by commas: 1a, 1b, 1c, 2a, local, 2b, 2c, 2d\)/);
});

test("the practice panel: axe finds nothing serious, and screenshots at 1280 and 360 px", async () => {
  for (const [name, view] of [["practice-1280", { width: 1280, height: 900 }], ["practice-360px", { width: 360, height: 800, pixelRatio: 2 }], ["practice-dark", { width: 1280, height: 900, dark: true }]]) {
    const page = await open("/?panel=practice", { ...view, bypassCSP: true }); // axe is injected inline
    await answer(page, "∂L/∂b", "-z4 z2");
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], name);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= view.width, `${name}: no horizontal scrolling (${width} px)`);
    await screenshot(page.locator("#practice"), name);
    await page.context().close();
  }
});

test("q= opens a set of exercises: only those are shown and listed", async () => {
  const page = await open("/?panel=practice&q=2c,2b");
  const shown = await page.locator("#practice .exercise:not([hidden])").evaluateAll((list) => list.map((e) => e.dataset.exercise));
  assert.deepEqual(shown, ["2b", "2c"]);
  assert.deepEqual(await page.locator("#practice-progress li a").allTextContents(), ["2(b) Updating b", "2(c) Updating A"]);
  assert.equal(await page.locator("#page-notice").isHidden(), true);
  for (const bad of ["2b,2b", "2b,9z", "2b,"]) {
    const refused = await open(`/?panel=practice&q=${bad}`);
    assert.match(await refused.locator("#page-notice").textContent(), /q=/, bad);
    await refused.context().close();
  }
  await page.context().close();
});
