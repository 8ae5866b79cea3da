// Links, embedding, the offline single file and accessibility: what instructors and students
// rely on when the panels live in course notes.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { canvasFingerprint, nextFrame, openPage, screenshot, seriousViolations, startLab, watchPage } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** The address bar's link once the page has written it: it follows every change, a moment
 * later, and then is the link Share would copy. */
async function currentLink(page) {
  await page.waitForFunction(() => window.location.href === window.backpropLab.link());
  return page.url();
}

/** Opens `url` (an absolute link) like a student who was sent it. */
async function follow(url, view) {
  return openPage(lab, url.slice(lab.origin.length), view);
}

const step = (page) => page.getByRole("button", { name: "Step", exact: true }).click();

test("a training-lab link reproduces the run bit for bit", async () => {
  const page = await openPage(lab, "/?panel=training");
  await page.getByLabel("Data set", { exact: true }).selectOption("bump");
  await page.getByLabel("Points", { exact: true }).fill("150");
  await page.getByLabel("Seed", { exact: true }).fill("5");
  await page.getByLabel("Seed", { exact: true }).dispatchEvent("change");
  await page.getByLabel("Hidden units h", { exact: true }).fill("12");
  await page.getByLabel("Batch", { exact: true }).selectOption("mini");
  await page.getByLabel("Learning rate", { exact: true }).fill("7");
  for (let i = 0; i < 37; i += 1) await step(page);
  await nextFrame(page);
  const loss = await page.locator("#training").getAttribute("data-train-loss");
  const link = await currentLink(page);
  assert.match(link, /[?&]v=1/);
  assert.match(link, /t_steps=37/);
  const again = await follow(link);
  await nextFrame(again);
  assert.equal(await again.locator("#status-step").textContent(), "37");
  assert.equal(await again.locator("#training").getAttribute("data-train-loss"), loss, "the same loss to the last bit");
  assert.equal(await again.getByLabel("Data set", { exact: true }).inputValue(), "bump");
  assert.equal(await again.locator("#fit-canvas").getAttribute("data-unit-curves"), "12");
  assert.deepEqual(again.problems, []);
});

test("the student's own points survive a link", async () => {
  const page = await openPage(lab, "/?panel=training");
  const box = await page.locator("#fit-canvas").boundingBox();
  await page.getByLabel("Data set", { exact: true }).selectOption("custom");
  await page.getByRole("button", { name: "Clear points" }).click();
  for (const [fx, fy] of [[0.3, 0.3], [0.5, 0.6], [0.7, 0.4]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  for (let i = 0; i < 5; i += 1) await step(page);
  await nextFrame(page);
  const loss = await page.locator("#training").getAttribute("data-train-loss");
  const again = await follow(await currentLink(page));
  await nextFrame(again);
  assert.equal(await again.locator("#train-count").textContent(), "3");
  assert.equal(await again.locator("#training").getAttribute("data-train-loss"), loss);
});

test("links round-trip the activations, vanishing, explorer and cost panels", async () => {
  // Activations: functions, revealed derivatives, range and probe.
  let page = await openPage(lab, "/?panel=activations");
  await page.getByLabel("tanh").check();
  await page.getByLabel("sigmoid").uncheck();
  await page.getByRole("button", { name: "Reveal derivatives" }).click();
  await page.getByLabel("x-range").fill("20");
  await page.getByRole("slider", { name: "Probe position x" }).press("ArrowRight");
  const probe = await page.locator("#activations-canvas").getAttribute("aria-valuenow");
  let again = await follow(await currentLink(page));
  assert.equal(await again.getByLabel("tanh").isChecked(), true);
  assert.equal(await again.getByLabel("sigmoid").isChecked(), false);
  assert.equal(await again.locator("#activations-canvas").getAttribute("aria-valuenow"), probe);
  assert.equal(await again.locator("#x-range-value").textContent(), "±20");
  assert.notEqual((await again.locator("#readout-rows tr").first().locator("td").nth(2).textContent()), "hidden");

  // Vanishing gradients.
  page = await openPage(lab, "/?panel=vanishing");
  await page.getByLabel("Layers L", { exact: true }).fill("12");
  await page.getByLabel("Activation").selectOption("relu");
  await page.getByLabel("Initialisation").selectOption("he");
  await page.getByLabel("Residual connections").check();
  const ratio = await page.locator("#vanishing").getAttribute("data-ratio");
  again = await follow(await currentLink(page));
  assert.equal(await again.locator("#vanishing").getAttribute("data-bars"), "13");
  assert.equal(await again.locator("#vanishing").getAttribute("data-ratio"), ratio);

  // Backprop explorer: the chosen example and the planted bug.
  page = await openPage(lab, "/?panel=backprop");
  await page.getByLabel("x", { exact: true }).fill("-1.25");
  await page.getByLabel("y", { exact: true }).fill("0.5");
  await page.getByRole("button", { name: "Use this x and y" }).click();
  await page.getByLabel("Plant a bug").selectOption("forget-minus-one");
  const summary = await page.locator("#check-summary").textContent();
  again = await follow(await currentLink(page));
  assert.equal(await again.getByLabel("Plant a bug").inputValue(), "forget-minus-one");
  assert.equal(await again.locator("#check-summary").textContent(), summary);
  assert.equal(await again.getByLabel("x", { exact: true }).inputValue(), "-1.25");

  // The cost of derivatives.
  page = await openPage(lab, "/?panel=cost");
  await page.getByLabel("Hidden units h", { exact: true }).fill("20");
  await page.getByLabel("Layers L", { exact: true }).fill("7");
  const table = await page.locator("#cost-table").textContent();
  again = await follow(await currentLink(page));
  assert.equal(await again.locator("#cost-table").textContent(), table);
  assert.deepEqual(again.problems, []);
});

test("garbage in every parameter leaves a working page with a notice and no console error", async () => {
  const garbage = [
    "/?panel=training&v=9&t_h=abc&t_lr=99&t_data=spiral&t_steps=-4&t_pts=1,2,3&t_const=maybe&junk=1&hide=nope",
    "/?panel=activations&a_range=999&a_x=abc&a_reveal=2&a_sigmoid=yes",
    "/?panel=vanishing&v_L=0&v_w=1000&v_act=swish&v_init=zeros&v_scale=-1",
    "/?panel=backprop&b_ex=99999&b_bug=everything&b_lr=NaN",
    "/?panel=cost&c_h=1.5&c_L=21&c_w=",
    "/?panel=nonsense&%3Cscript%3E=1",
  ];
  for (const path of garbage) {
    const page = await openPage(lab, path);
    const notice = page.locator("#page-notice");
    assert.ok(await notice.isVisible(), `${path}: a notice is shown`);
    assert.match(await notice.textContent(), /ignored/);
    assert.deepEqual(page.problems, [], `${path}: no console error`);
    const colours = await page.evaluate(() => {
      const canvas = document.querySelector("canvas");
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      return new Set(Array.from({ length: 500 }, (_, i) => data[(i * 4099) % data.length])).size;
    });
    assert.ok(colours > 3, `${path}: the first plot is drawn`);
    await page.context().close();
  }
  const page = await openPage(lab, garbage[0]);
  await step(page);
  await nextFrame(page);
  assert.equal(await page.locator("#status-step").textContent(), "1", "training still works");
  assert.equal(await page.getByLabel("Hidden units h", { exact: true }).inputValue(), "8", "the default was kept");
});

test("embedded panels on a host page are sized by their messages, and hidden controls still apply", async () => {
  const page = await openPage(lab, "/tests/browser/host.html", { waitForPlot: false });
  await page.waitForFunction(() => [...document.querySelectorAll("iframe")].every((f) => parseFloat(f.style.height) > 400), null, { timeout: 10_000 });
  const activations = page.frameLocator("#activations-frame");
  assert.equal(await activations.locator("#x-range").isHidden(), true, "the View controls are hidden");
  assert.equal(await activations.locator("#activations-canvas").getAttribute("aria-valuemax"), "20", "their setting applies");
  assert.equal(await activations.getByLabel("tanh").isChecked(), true);
  assert.equal(await activations.locator(".site-header").isHidden(), true);
  const training = page.frameLocator("#training-frame");
  assert.equal(await training.locator("#fit-canvas").getAttribute("data-unit-curves"), "4");
  assert.equal(await training.getByLabel("Hidden units h", { exact: true }).isHidden(), true);
  assert.equal(await training.locator("#learning-rate").isHidden(), true, "a single control can be hidden");
  assert.equal(await training.locator("#batch-mode").isVisible(), true, "its neighbours stay");
  assert.equal(await training.locator("#learning-rate").inputValue(), "5", "and its setting applies");
  await training.getByRole("button", { name: "Step", exact: true }).click();
  await training.locator("#status-step", { hasText: /^1$/ }).waitFor();
  const heights = await page.evaluate(() => [...document.querySelectorAll("iframe")].map((f) => f.style.height));
  await screenshot(page, "embedded-host-page");
  assert.deepEqual(page.problems, []);
  assert.ok(heights.every((h) => h !== "150px"), `${heights}`);
});

test("the Embed dialog writes an iframe snippet with the chosen controls hidden", async () => {
  const page = await openPage(lab, "/");
  await page.getByRole("button", { name: "Embed the Training lab panel" }).click();
  const dialog = page.getByRole("dialog", { name: "Embed this panel" });
  await dialog.getByLabel("Hide Data (all)").check();
  await dialog.getByLabel("Hide Learning rate").check();
  const code = await dialog.getByLabel("Code to paste").inputValue();
  assert.match(code, /<iframe src="[^"]*panel=training[^"]*embed=1[^"]*hide=data%2Ct_lr/);
  assert.match(code, /embed-host\.js/);
  // The preview frame is made with the dialog and shows the panel as the snippet embeds it.
  const preview = dialog.locator("iframe#embed-preview");
  await preview.waitFor();
  await page.waitForFunction(() => document.querySelector("#embed-preview").src.includes("embed=1"));
  const src = await preview.getAttribute("src");
  assert.ok(code.includes(src.replace(/&/g, "&amp;")), `the preview shows ${src}`);
  await dialog.getByRole("button", { name: "Close" }).click();
  assert.equal(await dialog.isVisible(), false);
});

test("a #panel link opens the page at that panel, mounted first; every panel is unpacked from its template and shown", async () => {
  execFileSync("node", [`${ROOT}scripts/dist.mjs`], { stdio: "pipe" });
  // The page as served (the later panels in <template>s) and dist/ (its style sheet inlined,
  // allowed by its hash), under their policies with no violation.
  for (const base of ["/", "/dist/"]) {
    for (const fragment of ["#training", "#landscape", "#loss-canvas", ""]) {
      const page = await openPage(lab, `${base}${fragment}`, { beforeGoto: watchPage });
      const seen = await page.evaluate((id) => ({
        templates: document.querySelectorAll("template").length,
        panels: [...document.querySelectorAll("section.panel")].map((s) => [s.id, s.hidden, s.querySelector("h2")?.id ?? null]),
        top: id ? Math.round(document.getElementById(id).closest("section.panel").getBoundingClientRect().top) : null,
        violations: window.cspViolations,
        styled: getComputedStyle(document.querySelector(".panel")).borderTopStyle,
      }), fragment.slice(1));
      const where = `${base}${fragment}`;
      assert.equal(seen.templates, 0, `${where}: every panel's markup is in the page`);
      assert.deepEqual(seen.panels.map(([id]) => id), ["activations", "vanishing", "training", "landscape", "backprop", "cost", "practice"], where);
      for (const [id, hidden, title] of seen.panels) {
        assert.equal(hidden, false, `${where}: ${id} is shown`);
        assert.equal(title, `${id}-title`, `${where}: ${id} has its heading`);
      }
      if (fragment === "#loss-canvas") {
        assert.ok(Math.abs(await page.evaluate(() => Math.round(document.getElementById("loss-canvas").getBoundingClientRect().top))) <= 2, `${where}: the canvas is at the top`);
      } else if (fragment) {
        assert.ok(Math.abs(seen.top) <= 2, `${where}: the panel is at the top of the window (${seen.top})`);
      }
      assert.deepEqual(seen.violations, [], where);
      assert.notEqual(seen.styled, "", where);
      assert.deepEqual(page.problems, [], where);
      await page.context().close();
    }
  }
});

test("the single-file build trains and plots when opened from disk", async () => {
  execFileSync("node", [`${ROOT}scripts/dist.mjs`], { stdio: "pipe" });
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) problems.push(`request: ${r.url()}`); });
  await page.goto(`file://${ROOT}dist/backprop-lab.html?panel=training`);
  await page.waitForFunction(() => window.backpropLab?.firstPlotMs > 0, null, { timeout: 10_000 });
  const before = await canvasFingerprint(page, "#fit-canvas");
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 100);
  await page.getByRole("button", { name: "Pause" }).click();
  await nextFrame(page);
  assert.notEqual(await canvasFingerprint(page, "#fit-canvas"), before, "the fit plot follows training");
  assert.deepEqual(problems, []);
  await page.goto(`file://${ROOT}dist/backprop-lab.html`);
  await page.waitForFunction(() => window.backpropLab?.firstPlotMs > 0);
  assert.equal(await page.locator("section.panel").count(), 7, "every panel is in the file");
  await context.close();
});

test("an accessibility scan (axe-core) finds nothing serious on any panel, light or dark", async () => {
  const views = ["/", "/?panel=activations&embed=1", "/?panel=training", "/?panel=backprop", "/?panel=vanishing", "/?panel=cost"];
  for (const path of views) {
    for (const dark of [false, true]) {
      // axe-core is injected as an inline script, which the page's own CSP refuses.
      const page = await openPage(lab, path, { dark, bypassCSP: true });
      if (path.includes("backprop")) await page.getByRole("button", { name: "Run all" }).click();
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], `${path}${dark ? " (dark)" : ""}`);
      await page.context().close();
    }
  }
});

test("plots download as PNG, and exported weights import into a fresh page", async () => {
  const page = await openPage(lab, "/?panel=training");
  for (let i = 0; i < 20; i += 1) await step(page);
  await nextFrame(page);
  const loss = await page.locator("#training").getAttribute("data-train-loss");
  const [png] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: /^Download “Loss/ }).click(),
  ]);
  assert.equal(png.suggestedFilename(), "backprop-lab-loss.png");
  const [json] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  const path = await json.path();
  const fresh = await openPage(lab, "/?panel=training");
  await fresh.getByLabel("Hidden units h", { exact: true }).fill("3");
  const [chooser] = await Promise.all([
    fresh.waitForEvent("filechooser"),
    fresh.getByRole("button", { name: "Import JSON" }).click(),
  ]);
  await chooser.setFiles(path);
  await fresh.waitForFunction(() => document.querySelector("#fit-canvas").dataset.unitCurves === "8");
  await nextFrame(fresh);
  assert.equal(await fresh.locator("#training").getAttribute("data-train-loss"), loss, "the same weights give the same loss");
  assert.equal(await fresh.getByLabel("Hidden units h", { exact: true }).inputValue(), "8");
  assert.deepEqual(fresh.problems, []);
});
