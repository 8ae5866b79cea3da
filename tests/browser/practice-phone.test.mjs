// The practice panel on a phone: answers far longer than the box never widen the page or the
// exercise's card; Check and the symbol buttons stay on screen.

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
