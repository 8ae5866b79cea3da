// The practice panel on a phone and across reloads: answers far longer than the box never
// widen the page or the exercise's card (Check and the symbol buttons stay on screen); what
// was typed and picked survives a reload, storage that holds anything else is dropped, Start
// over asks first, and New sizes does not take a solved 2(d) away.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, screenshot, startLab } from "./harness.mjs";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** `term` joined with " + " until the text has at least `length` characters. */
const longAnswer = (term, length) => {
  const terms = [term];
  while (terms.join(" + ").length < length) terms.push(term);
  return terms.join(" + ");
};
/** One answer the preview reads (a long formula) and one it stops reading at the end (a long pointer line) per box. */
const ANSWERS = {
  "∂L/∂z4": [longAnswer("2 z4", 200), `${longAnswer("2 z4", 200)} $`],
  "∂L/∂b": [longAnswer("-2 z4 z2", 200), `${longAnswer("-2 z4 z2", 200)} $`],
  "∂L/∂A": [longAnswer("-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ", 200), `${longAnswer("-2 z4 (b ⊙ z2 ⊙ (1 - z2)) xᵀ", 200)} $`],
};

/** Left and right edges of what `selector` finds inside `card`, and the card's own. */
function edges(card) {
  return card.evaluate((node) => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, width: r.width }; };
    return {
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      card: { ...box(node), scroll: node.scrollWidth, client: node.clientWidth },
      prompts: [...node.querySelectorAll(".prompt")].map(box),
      checks: [...node.querySelectorAll(".answer-row button")].map(box),
      symbols: [...node.querySelectorAll(".symbol")].map(box),
    };
  });
}

function assertFits(measured, where) {
  const { page, viewport, card } = measured;
  assert.ok(page <= viewport, `${where}: the page does not scroll sideways (${page} > ${viewport} px)`);
  assert.ok(card.scroll <= card.client, `${where}: the card does not overflow (${card.scroll} > ${card.client} px)`);
  assert.ok(card.left >= 0 && card.right <= viewport, `${where}: the card is inside the viewport (${card.left}–${card.right})`);
  for (const [name, boxes] of [["a prompt", measured.prompts], ["Check", measured.checks], ["a symbol button", measured.symbols]]) {
    for (const b of boxes) {
      assert.ok(b.width > 0, `${where}: ${name} is shown`);
      assert.ok(b.left >= card.left && b.right <= card.right + 0.5, `${where}: ${name} is inside the card (${b.left}–${b.right})`);
    }
  }
}

test("at 360 px, 200-character answers scroll or wrap inside their boxes: Check and the symbols stay on screen", async () => {
  const page = await openPage(lab, "/?panel=practice", { width: 360, height: 800 });
  for (const [label, texts] of Object.entries(ANSWERS)) {
    for (const text of texts) {
      assert.ok(text.length >= 200, `${label}: ${text.length} characters`);
      const box = page.getByLabel(`${label} =`, { exact: true });
      await box.fill(text);
      await box.press("Enter");
      const card = box.locator("xpath=ancestor::section[contains(@class,'exercise')]");
      const part = box.locator("xpath=ancestor::div[contains(@class,'answer-part')]");
      assert.notEqual(await part.locator(".feedback").textContent(), "", `${label}: checked`);
      assertFits(await edges(card), `${label} = ${text.slice(0, 20)}…`);
      for (const symbol of ["z3", "z4"]) {
        assert.equal(await card.getByRole("button", { name: `Insert ${symbol}` }).isVisible(), true, `Insert ${symbol}`);
      }
      const check = await page.getByRole("button", { name: `Check ${label}`, exact: true }).boundingBox();
      assert.ok(check.x >= 0 && check.x + check.width <= 360, `Check ${label} within the viewport: ${check.x}–${check.x + check.width}`);
      await page.getByRole("button", { name: `Check ${label}`, exact: true }).click({ timeout: 5000 }); // refused outside the viewport
    }
  }
  // The formula read from a long answer scrolls in its own box, which the keyboard can reach.
  const box = page.getByLabel("∂L/∂A =", { exact: true });
  await box.fill(ANSWERS["∂L/∂A"][0]);
  const formula = page.locator("#answer-dA-preview .math");
  const sizes = await formula.evaluate((node) => ({ scroll: node.scrollWidth, client: node.clientWidth, tab: node.tabIndex }));
  assert.ok(sizes.scroll > sizes.client, "the formula is wider than its box and scrolls");
  assert.equal(sizes.tab, 0, "a scrolling formula can be focused and scrolled from the keyboard");
  // The counts' boxes too (the core refuses more than its limit, with a message that must wrap).
  const count = page.locator("#counts input").first();
  await count.fill("9".repeat(200));
  await count.press("Enter");
  assertFits(await edges(page.locator("#exercise-2d")), "2(d) with a 200-digit count");
  // The hints and the answer, with its formula and numbers, fit too.
  const exercise = page.locator("#exercise-2c");
  while (await exercise.getByRole("button", { name: /^Hint \d/ }).isVisible()) await exercise.getByRole("button", { name: /^Hint \d/ }).click();
  await exercise.getByRole("button", { name: "Show the answer" }).click();
  assertFits(await edges(exercise), "2(c) with its answer shown");
  await screenshot(page.locator("#exercise-2c"), "practice-long-answer-360px");
  await page.context().close();
});

test("at 1280 px the long answers stay inside the card too", async () => {
  const page = await openPage(lab, "/?panel=practice&q=2c", { width: 1280, height: 900 });
  const box = page.getByLabel("∂L/∂A =", { exact: true });
  await box.fill(ANSWERS["∂L/∂A"][0]);
  await box.press("Enter");
  assertFits(await edges(page.locator("#exercise-2c")), "1280 px");
  await screenshot(page.locator("#exercise-2c"), "practice-long-answer-1280");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

const reload = async (page) => {
  await page.reload();
  await page.waitForFunction(() => window.backpropLab?.ready === true);
  // Leaving a page cancels its icon's request if it is still loading: no fault of the page.
  page.problems = page.problems.filter((problem) => !/favicon\.svg net::ERR_ABORTED$/.test(problem));
};
const STORE = "backprop-lab.practice.answers.v1";
const readStore = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "null"), STORE);

/** The 2(d) counts from the sizes shown, typed in and checked. */
async function answerCounts(page, only = Infinity) {
  const counts = page.locator('[data-exercise="2d"]');
  const [, m, h] = (await counts.locator("#counts-sizes").textContent()).match(/m = (\d+) inputs and h = (\d+)/).map(Number);
  const values = [h * m + h, 2 * (h * m + h), 2, h * m + h * h + h];
  const prompts = await counts.locator(".count-part label").allTextContents();
  for (let i = 0; i < Math.min(prompts.length, only); i += 1) {
    await counts.getByLabel(prompts[i], { exact: true }).fill(String(values[i]));
    await counts.getByRole("button", { name: `Check: ${prompts[i]}` }).click();
  }
  return prompts;
}

test("typed answers, the graph's choices, the counts' sizes and the layer choice survive a reload", async () => {
  const page = await openPage(lab, "/?panel=practice");
  await page.evaluate(() => localStorage.clear());
  await reload(page);
  const z1 = page.getByRole("group", { name: "z1 =" });
  await z1.getByLabel("operation").selectOption("matrix_times_vector");
  await z1.getByLabel("input", { exact: true }).selectOption("A");
  await page.getByRole("group", { name: "z3 =" }).getByLabel("operation").selectOption("dot");
  await page.getByLabel("∂L/∂b =", { exact: true }).fill("-2 z4 z2");
  await page.getByLabel("∂L/∂A =", { exact: true }).fill("-2 z4 (b ⊙ ");
  // A symbol button's insertion is kept too.
  await page.locator('[data-exercise="2c"]').getByRole("button", { name: "Insert σ′" }).click();
  await page.getByRole("button", { name: "New sizes" }).click();
  const sizes = await page.locator("#counts-sizes").textContent();
  const [first] = await page.locator(".count-part label").allTextContents();
  await page.getByLabel(first, { exact: true }).fill("12");
  const layer = page.getByLabel(/backpropagation still takes one forward and one backward pass/);
  await layer.check();
  await reload(page);
  assert.equal(await z1.getByLabel("operation").inputValue(), "matrix_times_vector");
  assert.equal(await z1.getByLabel("input", { exact: true }).inputValue(), "A");
  assert.equal(await page.getByRole("group", { name: "z3 =" }).getByLabel("operation").inputValue(), "dot");
  assert.equal(await page.getByRole("group", { name: "z2 =" }).getByLabel("operation").inputValue(), "", "untouched stays empty");
  assert.equal(await page.getByLabel("∂L/∂b =", { exact: true }).inputValue(), "-2 z4 z2");
  assert.equal(await page.getByLabel("∂L/∂A =", { exact: true }).inputValue(), "-2 z4 (b ⊙ σ'(");
  assert.equal(await page.locator("#answer-db-preview math").count(), 1, "the preview is shown again");
  assert.equal(await page.locator("#counts-sizes").textContent(), sizes, "the same sizes");
  assert.equal(await page.getByLabel(first, { exact: true }).inputValue(), "12");
  assert.equal(await layer.isChecked(), true);
  assert.match(await page.locator("#layer-feedback").textContent(), /^✓/);
  assert.doesNotMatch(new URL(page.url()).search, /z4|z2|12/, "answers are never in the link");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("only well-formed answers this page wrote are read back; storage that fails or holds anything else is dropped", async () => {
  const page = await openPage(lab, "/?panel=practice");
  const chars = await page.evaluate(() => window.backpropLab.core.limits().answerChars);
  const junk = {
    typed: { "answer-dz4": "2 z4", "answer-db": 5, "answer-dA": "z".repeat(chars + 1), "graph-z1-operation": "dot", "count-nope": "1", "answer-dz3": ["-2 z4"] },
    picked: { "graph-z1-operation": "no_such_operation", "graph-z2-operation": "sigmoid", "answer-dz2": "b", "graph-z3-input": 3 },
    layer: 99,
    countsSeed: -1,
    extra: "<img src=x onerror=alert(1)>",
  };
  await page.evaluate(([key, value]) => localStorage.setItem(key, JSON.stringify(value)), [STORE, junk]);
  const sizes = await page.locator("#counts-sizes").textContent();
  await reload(page);
  assert.equal(await page.getByLabel("∂L/∂z4 =", { exact: true }).inputValue(), "2 z4", "the one well-formed answer");
  for (const label of ["∂L/∂z3", "∂L/∂z2", "∂L/∂b", "∂L/∂A"]) assert.equal(await page.getByLabel(`${label} =`, { exact: true }).inputValue(), "", label);
  assert.equal(await page.getByRole("group", { name: "z1 =" }).getByLabel("operation").inputValue(), "");
  assert.equal(await page.getByRole("group", { name: "z2 =" }).getByLabel("operation").inputValue(), "sigmoid");
  assert.equal(await page.locator("#layer-choice input:checked").count(), 0);
  assert.equal(await page.locator("#counts-sizes").textContent(), sizes, "a seed out of range is not used");
  assert.deepEqual(await readStore(page), { typed: { "answer-dz4": "2 z4" }, picked: { "graph-z2-operation": "sigmoid" }, layer: null, countsSeed: null }, "the rest is gone from storage");
  for (const text of ["{", "[1, 2]", "null", '"text"', '{"typed": "2 z4", "picked": [1], "layer": "0", "countsSeed": 1.5}']) {
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORE, text]);
    await reload(page);
    assert.equal(await page.getByLabel("∂L/∂z4 =", { exact: true }).inputValue(), "", text);
    assert.equal(await page.locator("#counts-sizes").textContent(), sizes, text);
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
  // No storage at all (a privacy mode): the panel works, nothing is kept.
  const denied = await openPage(lab, "/?panel=practice", {
    beforeGoto: (context) => context.addInitScript(() => {
      Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } });
    }),
  });
  await denied.getByLabel("∂L/∂b =", { exact: true }).fill("-2 z4 z2");
  await denied.getByRole("button", { name: "Check ∂L/∂b", exact: true }).click();
  assert.match(await denied.locator('[data-exercise="2b"] .feedback').first().textContent(), /^✓/);
  await denied.getByRole("button", { name: "New sizes" }).click();
  assert.deepEqual(denied.problems, []);
  await denied.context().close();
});

test("Start over asks first: No keeps everything, Yes clears answers and progress", async () => {
  const page = await openPage(lab, "/?panel=practice");
  await page.evaluate(() => localStorage.clear());
  await page.getByLabel("∂L/∂b =", { exact: true }).fill("-2 z4 z2");
  await page.getByRole("button", { name: "Check ∂L/∂b", exact: true }).click();
  const solvedB = () => page.locator('[data-exercise="2b"]').getAttribute("class");
  assert.match(await solvedB(), /solved/);
  const startOver = page.getByRole("button", { name: "Start over", exact: true });
  const question = page.getByRole("group", { name: "Clear every answer and all progress kept in this browser?" });
  assert.equal(await question.isVisible(), false);
  await startOver.click();
  assert.equal(await question.isVisible(), true, "it asks");
  assert.equal(await startOver.getAttribute("aria-expanded"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "No, keep them", "focus on the safe choice");
  await question.getByRole("button", { name: "No, keep them" }).click();
  assert.equal(await question.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), "practice-reset", "focus comes back");
  assert.equal(await page.getByLabel("∂L/∂b =", { exact: true }).inputValue(), "-2 z4 z2", "No keeps the answer");
  assert.match(await solvedB(), /solved/, "No keeps the progress");
  // Escape is No too.
  await startOver.click();
  await page.keyboard.press("Escape");
  assert.equal(await question.isVisible(), false);
  assert.match(await solvedB(), /solved/);
  await startOver.click();
  await question.getByRole("button", { name: "Yes, start over" }).click();
  assert.equal(await page.getByLabel("∂L/∂b =", { exact: true }).inputValue(), "");
  assert.doesNotMatch(await solvedB(), /solved/);
  assert.match(await page.locator("#practice-reset-done").textContent(), /Started over/);
  await reload(page);
  assert.equal(await page.getByLabel("∂L/∂b =", { exact: true }).inputValue(), "", "cleared for good");
  assert.doesNotMatch(await solvedB(), /solved/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("New sizes keeps a solved 2(d) solved and says so; counts right for the old sizes of an unsolved one are cleared, and it says that", async () => {
  const page = await openPage(lab, "/?panel=practice&goal=solved:2d");
  await page.evaluate(() => localStorage.clear());
  await reload(page);
  const exercise = page.locator('[data-exercise="2d"]');
  // Unsolved, one count right: new sizes clear it, with a word.
  await answerCounts(page, 1);
  assert.match(await exercise.locator(".count-part .feedback").first().textContent(), /^✓/);
  await page.getByRole("button", { name: "New sizes" }).click();
  assert.match(await page.locator("#counts-status").textContent(), /New sizes: m = \d+, h = \d+\. The counts you had right were for the old sizes/);
  // Solved: new sizes keep it solved.
  await answerCounts(page);
  await exercise.getByLabel(/backpropagation still takes one forward and one backward pass/).check();
  assert.match(await exercise.getAttribute("class"), /solved/);
  assert.match(await page.locator(".goal").textContent(), /Goal reached/);
  await page.getByRole("button", { name: "New sizes" }).click();
  assert.match(await exercise.getAttribute("class"), /solved/, "still solved");
  assert.match(await page.locator("#counts-status").textContent(), /2\(d\) stays solved/);
  assert.match(await page.locator(".goal").textContent(), /Goal reached/);
  await reload(page);
  assert.match(await exercise.getAttribute("class"), /solved/, "and after a reload");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
