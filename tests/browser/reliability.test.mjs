// What a hostile user or a careless embedder might try: strict Content-Security-Policy, weights
// files that are wrong in every way, links that are malformed, enormous or expensive, and long
// actions. The page must give a clear message, keep working, change nothing it did not
// validate, and never freeze for more than a frame without progress and Cancel.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { longTasksAfterReady, nextFrame, openPage, startLab, watchPage } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Opens `path` with CSP violations and long tasks recorded, once every panel is mounted. */
const open = (path, view = {}) => openPage(lab, path, { ...view, beforeGoto: watchPage });

const steps = async (page) => Number((await page.locator("#status-step").textContent()).replace(/,/g, ""));

test("the page works under its strict Content-Security-Policy with zero violations", async () => {
  const page = await open("/");
  const header = await page.evaluate(async () => (await fetch("/")).headers.get("content-security-policy"));
  // Scripts from the page's origin, and the one inline script (www/wasm-start.js) by its hash.
  const inline = await page.evaluate(() => [...document.querySelectorAll("script:not([src])")].map((script) => script.textContent));
  assert.equal(inline.length, 1, "one inline script");
  const digest = createHash("sha256").update(inline[0]).digest("base64");
  assert.equal(header, await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content"), "the header is the meta tag's policy");
  assert.match(header, new RegExp(`script-src 'self' 'sha256-${digest.replace(/[+/]/g, "\\$&")}' 'wasm-unsafe-eval'; style-src 'self'`));
  await page.locator("#backprop").scrollIntoViewIfNeeded();
  await page.getByRole("button", { name: "Run all" }).click();
  const widths = await page.evaluate(() => [...document.querySelectorAll("#bars .bar")].map((bar) => bar.getBoundingClientRect().width));
  assert.ok(widths.length > 0 && widths.some((w) => w > 1), `the b bars are drawn: ${widths}`);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(page.problems, []);
});

test("a host that serves the WebAssembly module with another Content-Type still gets a working page", async () => {
  // Browsers compile while downloading only a response served as exactly application/wasm;
  // www/wasm-start.js compiles anything else from the whole file.
  for (const type of ["application/octet-stream", "application/wasm; charset=binary"]) {
    const page = await openPage(lab, "/?panel=training", {
      async beforeGoto(context) {
        await context.route("**/*.wasm", async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, headers: { ...response.headers(), "content-type": type } });
        });
      },
    });
    await page.getByRole("button", { name: "Step", exact: true }).click();
    // The numbers are rewritten in a later frame.
    await page.waitForFunction(() => document.querySelector("#status-step").textContent === "1");
    assert.equal(await page.locator("#page-notice").isVisible(), false, type);
    assert.deepEqual(page.problems, [], type);
    await page.context().close();
  }
});

test("the single file runs from disk under its own hashed policy with zero violations", async () => {
  execFileSync("node", [`${ROOT}scripts/dist.mjs`], { stdio: "pipe" });
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await watchPage(context);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`file://${ROOT}dist/backprop-lab.html?panel=backprop`);
  await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 15_000 });
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(policy, /default-src 'none'; script-src 'sha256-/);
  await page.getByRole("button", { name: "Run all" }).click();
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a weights file is all or nothing: every wrong file changes nothing and says why", async () => {
  const page = await open("/?panel=training");
  for (let i = 0; i < 5; i += 1) await page.getByRole("button", { name: "Step", exact: true }).click();
  await nextFrame(page);
  const before = {
    loss: await page.locator("#training").getAttribute("data-train-loss"),
    h: await page.getByLabel("Hidden units h", { exact: true }).inputValue(),
    step: await steps(page),
  };
  const folder = mkdtempSync(join(tmpdir(), "backprop-weights-"));
  const file = (name, content) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
  const weights = (changes) => JSON.stringify({ format: "backprop-lab-weights", version: 1, m: 2, h: 5, activation: "sigmoid", A: Array(10).fill(0.5), b: Array(5).fill(0.1), ...changes });
  const cases = [
    [file("shape.json", weights({ A: Array(16).fill(0.5) })), /"A" must have 10 entries \(h·m numbers\), got 16/],
    [file("null.json", weights({ b: [null, 0.1, 0.1, 0.1, 0.1] })), /"b" must hold only numbers \(entry 0 is null\)/],
    [file("string.json", weights({ b: ["1", 0.1, 0.1, 0.1, 0.1] })), /entry 0 is a string/],
    [file("nested.json", weights({ b: [[0.5], 0.1, 0.1, 0.1, 0.1] })), /entry 0 is a list/],
    [file("bool.json", weights({ b: [true, 0.1, 0.1, 0.1, 0.1] })), /entry 0 is a boolean/],
    [file("huge.json", weights({ A: [1e308, ...Array(9).fill(0.5)] })), /within ±1000/],
    [file("h.json", weights({ h: 65 })), /"h" \(the number of hidden units\) must be a whole number from 1 to 64, got 65/],
    [file("format.json", JSON.stringify({ A: [] })), /not a Backprop Lab weights file/],
    [file("broken.json", "{ not json"), /not valid JSON/],
    [file("big.json", " ".repeat(64 * 1024 * 1024)), /at most 200,000/],
  ];
  for (const [path, message] of cases) {
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      page.getByRole("button", { name: "Import JSON" }).click(),
    ]);
    await chooser.setFiles(path);
    const alert = page.getByRole("alert");
    await page.waitForFunction(() => /could not be loaded/.test(document.querySelector("#training-alert").textContent));
    assert.match(await alert.textContent(), message, path);
    assert.match(await alert.textContent(), /nothing was changed/);
    await nextFrame(page);
    assert.equal(await page.locator("#training").getAttribute("data-train-loss"), before.loss, `${path}: the weights are untouched`);
    assert.equal(await page.getByLabel("Hidden units h", { exact: true }).inputValue(), before.h, `${path}: h is untouched`);
    assert.equal(await steps(page), before.step, `${path}: the run goes on`);
    await page.evaluate(() => { document.querySelector("#training-alert").textContent = ""; });
  }
  assert.deepEqual(page.problems, []);
});

test("a link that asks to replay a huge run replays in slices, with progress and Cancel", async () => {
  const page = await open("/?panel=training&t_h=64&t_n=500&t_lr=0&t_steps=8000");
  const progress = page.locator("#training-progress");
  await progress.getByText(/Replaying the link's 8,000 steps: \d+%/).waitFor();
  await page.waitForTimeout(300); // about time: the replay runs for 300 ms, watched for long tasks
  assert.deepEqual(await longTasksAfterReady(page), [], "no long task while replaying");
  await progress.getByRole("button", { name: "Cancel" }).click();
  const stopped = await steps(page);
  assert.ok(stopped > 0 && stopped < 8_000, `stopped at ${stopped}`);
  await page.waitForTimeout(100); // about time: no step may happen in these 100 ms (6 frames)
  assert.equal(await steps(page), stopped, "nothing more after Cancel");
  assert.match(await page.getByRole("alert").textContent(), /Replaying stopped at step/);
  // A replay that would take far too long is refused with a notice, before anything runs.
  const refused = await open("/?panel=training&t_h=64&t_n=500&t_steps=200000");
  assert.match(await refused.locator("#page-notice").textContent(), /t_steps=200000 \(replaying 200,000 steps would take about \d+ s of training here; with these settings a link replays at most 9,360 steps \(a few seconds\)\)/);
  assert.equal(await steps(refused), 0);
  assert.deepEqual([...page.problems, ...refused.problems], []);
});

test("malformed links get a notice and the defaults, never a broken page", async () => {
  const cases = [
    ["/?panel=toString", /panel=toString \(the panels are/],
    ["/?panel=__proto__", /panel=__proto__/],
    ["/?panel=training&t_h=0x10", /t_h=0x10 \(must be a number written in decimal\)/],
    ["/?panel=training&t_seed=%2B5", /t_seed=\+5 \(must be a number written in decimal\)/],
    ["/?panel=training&t_pts=", /t_pts= \(must be x,y pairs/],
    ["/?panel=training&t_pts=0,1e308", /t_pts=0,1e308 \(a point's y must be from −5 to 5/],
    ["/?panel=backprop&b_ex=1e15:1e15", /b_ex=1e15:1e15 \(x and y must be numbers from −10 to 10/],
    ["/?panel=activations&a_x=Infinity", /a_x=Infinity \(must be a number written in decimal\)/],
    [`/?panel=training&t_pts=${"1,1,".repeat(9000)}`, /the link is [0-9,]+ characters long/],
  ];
  for (const [path, notice] of cases) {
    const page = await open(path);
    assert.match(await page.locator("#page-notice").textContent(), notice, path);
    // The notice quotes the link; everything the page itself writes must be clean.
    const text = await page.locator("section.panel").first().innerText();
    assert.doesNotMatch(text, /NaN|Infinity|∞|undefined|not a number/, path);
    assert.deepEqual(page.problems, [], path);
    await page.context().close();
  }
  const defaults = await open("/?panel=training&t_h=0x10");
  assert.equal(await defaults.getByLabel("Hidden units h", { exact: true }).inputValue(), "8");
  assert.equal(await defaults.locator("#fit-canvas").getAttribute("data-unit-curves"), "8");
});

test("links the link fuzz found broken: a hidden data plot, a chain with no gradient, stale norms", async () => {
  // ?hide=example hid the explorer's data plot, and drawing it with no box made plotters
  // measure text through an inline style, which the CSP refused (a console error each time).
  const hidden = await open("/?panel=backprop&hide=example");
  assert.equal(await hidden.locator("#explorer-data").isHidden(), true);
  assert.deepEqual(await hidden.evaluate(() => window.cspViolations), []);
  assert.deepEqual(hidden.problems, []);
  // With no training points, or every ReLU of the chain inactive, every layer's gradient is 0
  // and the readout said "the first gets NaN times the last layer's gradient". It also showed
  // the default data's norms when the link changed the data: the vanishing panel mounts before
  // the training lab takes the link's settings, and was not told.
  for (const path of ["/?t_data=custom&t_pts=none", "/?v_act=relu&v_w=3&t_data=step&v_init=xavier", "/?t_data=bump"]) {
    const page = await open(path);
    const readout = () => page.locator("#norms-readout").textContent();
    const atLoad = await readout();
    if (!path.includes("bump")) assert.match(atLoad, /^Every layer's gradient is exactly 0/, path);
    await page.getByRole("button", { name: "Reset", exact: true }).click(); // tells every panel
    assert.equal(await readout(), atLoad, `${path}: the norms at load are the lab's`);
    assert.deepEqual(page.problems, [], path);
    await page.context().close();
  }
});

test("a long link with 500 of the student's points works", async () => {
  const pairs = Array.from({ length: 500 }, (_, i) => `${(-3 + (6 * i) / 499).toFixed(3)},${Math.sin(i / 40).toFixed(3)}`).join(",");
  const page = await open(`/?panel=training&t_data=custom&t_pts=${pairs}`);
  assert.equal(await page.locator("#train-count").textContent(), "500");
  assert.equal(await page.locator("#page-notice").isHidden(), true);
  assert.deepEqual(page.problems, []);
});

test("training the deepest, widest chain never blocks the page, and can be cancelled", async () => {
  const page = await open("/?panel=vanishing&v_L=20&v_w=32");
  await page.getByRole("button", { name: "Train 200 steps" }).click();
  const progress = page.locator("#chain-progress");
  await progress.getByText(/Training the chain: \d+%/).waitFor();
  await page.waitForTimeout(400); // about time: training runs for 400 ms, watched for long tasks
  assert.deepEqual(await longTasksAfterReady(page), []);
  await progress.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await page.locator("#moved-readout").textContent(), "Training cancelled.");
  await page.getByRole("button", { name: "Train 200 steps" }).click();
  await page.getByText(/^The first layer's weights changed by/).waitFor({ timeout: 60_000 });
  assert.deepEqual(await longTasksAfterReady(page), []);
  assert.deepEqual(page.problems, []);
});

test("the training lab at its largest settings keeps every task short while playing", async () => {
  const page = await open("/?panel=training&t_h=64&t_n=500&t_spf=9&t_lr=5");
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForTimeout(1500); // about time: 1.5 s of playing, watched for long tasks
  await page.getByRole("button", { name: "Pause" }).click();
  assert.ok(await steps(page) > 0);
  assert.deepEqual(await longTasksAfterReady(page), []);
});

test("embed-host.js resizes only Backprop Lab frames, only from their own window", async () => {
  const page = await openPage(lab, "/tests/browser/host.html", { waitForPlot: false });
  await page.waitForFunction(() => parseFloat(document.querySelector("#activations-frame").style.height) > 400, null, { timeout: 15_000 });
  const result = await page.evaluate(async () => {
    const other = document.createElement("iframe");
    other.id = "other";
    other.srcdoc = "<p>an advert</p>";
    other.style.height = "50px";
    document.body.append(other);
    await new Promise((done) => other.addEventListener("load", done));
    // A foreign frame claims to be a panel, and a message about a panel comes from elsewhere.
    other.contentWindow.eval("parent.postMessage({ type: 'backprop-lab:height', height: 5000 }, '*')");
    const panel = document.querySelector("#activations-frame");
    const height = panel.style.height;
    window.postMessage({ type: "backprop-lab:height", height: 7000 }, "*");
    await new Promise((done) => setTimeout(done, 200)); // about time: no resize may follow
    return { other: other.style.height, panel: panel.style.height, before: height };
  });
  assert.equal(result.other, "50px");
  assert.equal(result.panel, result.before);
});
