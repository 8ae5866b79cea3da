// The notebook widget in a real JupyterLab: the test starts JupyterLab from .venv (made by
// `make python`) on 127.0.0.1 with a token, opens a copy of examples/notebook.ipynb in headless
// Chromium, runs every cell, and checks what a student would see: both widgets painted their
// plots, the losses after lab.step(1000) are the page's known answers bit for bit (in Python
// and in the widget, which replays Python's log on its own core), set_weights round-trips
// exactly, and the explorer's gradients equal the notebook's NumPy backprop to 1e-12.
//   node --test tests/browser/jupyter.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { chromium } from "playwright-core";
import { chromiumArgs, chromiumPath, SCREENSHOTS } from "./harness.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const JUPYTER = join(ROOT, ".venv/bin/jupyter");
const KNOWN = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/known_points.json"), "utf8")).training;

let server;
let browser;
let page;
let work;

/** A free port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once the server answers on its API (with the token), or rejects after `ms`. */
async function waitForServer(url, token, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`JupyterLab exited (${server.exitCode}): ${server.log.slice(-2000)}`);
    try {
      const response = await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } });
      if (response.ok) return;
    } catch {}
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`JupyterLab did not answer within ${ms} ms: ${server.log.slice(-2000)}`);
}

const bits = (value) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
};

before(async () => {
  assert.ok(existsSync(JUPYTER), "the Python environment is missing: run `make python` first");
  work = mkdtempSync(join(tmpdir(), "backprop-lab-jupyter-"));
  for (const dir of ["notebooks", "config", "data", "runtime"]) mkdirSync(join(work, dir));
  cpSync(join(ROOT, "examples/notebook.ipynb"), join(work, "notebooks/notebook.ipynb"));
  const token = randomBytes(16).toString("hex");
  const port = await freePort();
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: join(work, "config"),
    JUPYTER_DATA_DIR: join(work, "data"),
    JUPYTER_RUNTIME_DIR: join(work, "runtime"),
    JUPYTERLAB_WORKSPACES_DIR: join(work, "data"),
    IPYTHONDIR: join(work, "config"),
  };
  server = spawn(JUPYTER, [
    "lab", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${join(work, "notebooks")}`,
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []), // CI runs as root
    "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
  ], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.log = "";
  server.stdout.on("data", (chunk) => { server.log += chunk; });
  server.stderr.on("data", (chunk) => { server.log += chunk; });
  const url = `http://127.0.0.1:${port}/`;
  await waitForServer(url, token, 60_000);
  browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on("pageerror", (error) => { server.log += `\n[page error] ${error.message}`; });
  page.on("console", (message) => { if (message.type() === "error") server.log += `\n[console] ${message.text()}`; });
  await page.goto(`${url}lab/tree/notebook.ipynb?token=${token}`);
  await page.waitForFunction(() => window.jupyterapp?.shell?.currentWidget?.context?.sessionContext?.session?.kernel, null, { timeout: 60_000 });
  await page.waitForFunction(async () => {
    const kernel = window.jupyterapp.shell.currentWidget.context.sessionContext.session.kernel;
    return kernel.status === "idle";
  }, null, { timeout: 60_000 });
  await page.evaluate(() => window.jupyterapp.commands.execute("notebook:run-all-cells"));
  // Every code cell has run when each shows an execution count and the kernel is idle.
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll(".jp-CodeCell .jp-InputPrompt")];
    const kernel = window.jupyterapp.shell.currentWidget.context.sessionContext.session.kernel;
    return cells.length > 0 && cells.every((prompt) => /\[\d+\]/.test(prompt.textContent)) && kernel.status === "idle";
  }, null, { timeout: 90_000 });
  // Both widgets have mounted and drawn.
  await page.waitForFunction(() => document.querySelectorAll(".backprop-lab-widget").length === 2
    && document.querySelector(".backprop-lab-widget #status-step")?.textContent === "0", null, { timeout: 30_000 });
});

after(async () => {
  if (process.env.JUPYTER_LOG) console.log(server?.log.split("\n").filter((line) => !line.includes("[I ")).join("\n"));
  await browser?.close();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((done) => { server.once("exit", done); setTimeout(done, 5000); });
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The text a code cell printed (its stream outputs). */
function cellText(index) {
  return page.evaluate((i) => {
    const cells = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell")];
    return [...cells[i].querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stdout']")].map((o) => o.textContent).join("");
  }, index);
}

async function outputs() {
  const count = await page.evaluate(() => document.querySelectorAll(".jp-Notebook .jp-CodeCell").length);
  const texts = [];
  for (let i = 0; i < count; i += 1) texts.push(await cellText(i));
  return texts.join("\n");
}

test("the notebook's cells ran without an error", async () => {
  const errors = await page.evaluate(() => [...document.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")].map((o) => o.textContent));
  assert.deepEqual(errors.filter((text) => /Error|Traceback/.test(text)), [], server.log.slice(-2000));
});

test("lab.step(1000) reaches the page's known-answer losses, bit for bit, in Python", async () => {
  const text = await outputs();
  assert.match(text, new RegExp(`steps: ${KNOWN.steps}\\b`));
  assert.match(text, new RegExp(`train loss: \\S+ ${KNOWN.train_loss}`));
  assert.match(text, new RegExp(`test loss: \\S+ ${KNOWN.test_loss}`));
});

test("set_weights round-trips exactly and the explorer's gradients equal the NumPy reference to 1e-12", async () => {
  const text = await outputs();
  assert.match(text, /round trip exact: True/);
  assert.match(text, /dA agrees: True/);
  assert.match(text, /db agrees: True/);
  const largest = Number(text.match(/largest difference: (\S+)/)[1]);
  assert.ok(largest <= 1e-12, `largest difference ${largest}`);
});

test("the training widget painted its plots and replayed Python's training on its own core", async () => {
  const widget = page.locator(".backprop-lab-widget").first();
  await widget.scrollIntoViewIfNeeded();
  // After the notebook ran: 1,000 steps, then set_weights started a new run at step 0. The
  // widget's core replayed both; the 1,000-step losses are in its loss history.
  const state = await page.evaluate(() => {
    const section = document.querySelector(".backprop-lab-widget section.panel");
    const painted = (canvas) => {
      const context = canvas.getContext("2d");
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) colours.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
      return { width: canvas.width, colours: colours.size };
    };
    return {
      step: section.querySelector("#status-step").textContent,
      trainLoss: section.dataset.trainLoss,
      fit: painted(section.querySelector("#fit-canvas")),
      loss: painted(section.querySelector("#loss-canvas")),
      hidden: section.querySelector("#hidden-units").value,
    };
  });
  assert.equal(state.step, "0");
  assert.equal(state.hidden, "8");
  assert.ok(state.fit.width > 100 && state.fit.colours > 3, `fit plot: ${JSON.stringify(state.fit)}`);
  assert.ok(state.loss.width > 100 && state.loss.colours > 3, `loss plot: ${JSON.stringify(state.loss)}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await widget.screenshot({ path: join(SCREENSHOTS, "jupyter-training.png") });
  const explorer = page.locator(".backprop-lab-widget").nth(1);
  await explorer.scrollIntoViewIfNeeded();
  await explorer.screenshot({ path: join(SCREENSHOTS, "jupyter-explorer.png") });
});

test("the widget's core, replaying the log, reaches the same 1,000-step losses bit for bit", async () => {
  // Each view records the losses after each training call it replays (window.backpropLabWidget).
  const recorded = await page.evaluate(() => window.backpropLabWidget?.losses ?? []);
  const at1000 = recorded.find((entry) => entry.steps === 1000);
  assert.ok(at1000, `the widget recorded ${JSON.stringify(recorded)}`);
  assert.equal(bits(at1000.train), KNOWN.train_loss);
  assert.equal(bits(at1000.test), KNOWN.test_loss);
});

/** Runs `code` in the notebook's kernel and returns what it printed. */
function runInKernel(code) {
  return page.evaluate(async (source) => {
    const kernel = window.jupyterapp.shell.currentWidget.context.sessionContext.session.kernel;
    const future = kernel.requestExecute({ code: source, store_history: false });
    let text = "";
    future.onIOPub = (message) => {
      if (message.header.msg_type === "stream") text += message.content.text;
      if (message.header.msg_type === "error") text += `${message.content.ename}: ${message.content.evalue}`;
    };
    await future.done;
    return text;
  }, code);
}

test("the explorer widget shows the pass Python computed, on the same weights", async () => {
  const [dA, loss] = (await runInKernel("print(repr(float(g.dA[0, 0])), repr(g.L))")).trim().split(" ").map(Number);
  const shown = await page.evaluate(() => {
    const section = document.querySelectorAll(".backprop-lab-widget section.panel")[1];
    const cell = [...section.querySelectorAll("table.heatmap td")].find((td) => td.title.startsWith("∂L/∂A[1,1] ="));
    return { x: section.querySelector("#example-x").value, y: section.querySelector("#example-y").value, dA: cell?.textContent, graph: section.querySelector("#graph-canvas").width };
  });
  assert.equal(shown.x, "0.5");
  assert.equal(shown.y, "0.2");
  assert.ok(shown.graph > 100, "the graph was drawn");
  // The page writes 4 significant digits with a true minus sign.
  const value = Number(shown.dA.replace("−", "-"));
  assert.ok(Math.abs(value - dA) <= 5e-4 * Math.abs(dA), `shown ${shown.dA}, Python ${dA}`);
  assert.ok(Number.isFinite(loss) && loss > 0);
});

test("Play in the widget trains there, and Python's lab follows it bit for bit", async () => {
  const widget = page.locator(".backprop-lab-widget").first();
  const play = widget.getByRole("button", { name: "Play" });
  await play.scrollIntoViewIfNeeded();
  await play.click();
  await page.waitForFunction(() => Number(document.querySelector(".backprop-lab-widget #status-step").textContent.replace(/,/g, "")) >= 200, null, { timeout: 30_000 });
  await widget.getByRole("button", { name: "Pause" }).click();
  const shown = await page.evaluate(() => {
    const section = document.querySelector(".backprop-lab-widget section.panel");
    return { steps: Number(section.querySelector("#status-step").textContent.replace(/,/g, "")), train: Number(section.dataset.trainLoss) };
  });
  // The widget sends its ops at most every 250 ms; Python replays them when they arrive.
  let printed = "";
  for (let tries = 0; tries < 40; tries += 1) {
    printed = await runInKernel('print(lab.step_count, bits(lab.train_loss))');
    if (printed.startsWith(`${shown.steps} `)) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.equal(printed.trim(), `${shown.steps} ${bits(shown.train)}`);
  // And Python's own changes move the widget's slider: h = 5 from Python.
  assert.equal((await runInKernel("lab.h = 5\nprint(lab.h)")).trim(), "5");
  await page.waitForFunction(() => document.querySelector(".backprop-lab-widget #hidden-units").value === "5", null, { timeout: 10_000 });
  assert.equal(await widget.locator("#hidden-units-value").textContent(), "5");
  // A bad value from Python raises the page's own message and leaves the widget as it was.
  const refused = await runInKernel("try:\n    lab.h = 99\nexcept ValueError as error:\n    print(error)");
  assert.equal(refused.trim(), "the number of hidden units must be a whole number from 1 to 64, got 99");
  assert.equal(await widget.locator("#hidden-units").inputValue(), "5");
});

test("lab.play() and lab.pause() from Python press the widget's Play and Pause", async () => {
  const widget = page.locator(".backprop-lab-widget").first();
  const stepNow = () => page.evaluate(() => Number(document.querySelector(".backprop-lab-widget #status-step").textContent.replace(/,/g, "")));
  const before = await stepNow();
  await runInKernel("lab.play()");
  await page.waitForFunction((from) => Number(document.querySelector(".backprop-lab-widget #status-step").textContent.replace(/,/g, "")) >= from + 100, before, { timeout: 30_000 });
  assert.equal(await widget.locator("#train-play").getAttribute("aria-pressed"), "true");
  await runInKernel("lab.pause()");
  await page.waitForFunction(() => document.querySelector(".backprop-lab-widget #train-play").getAttribute("aria-pressed") === "false", null, { timeout: 10_000 });
  const steps = await stepNow();
  let printed = "";
  for (let tries = 0; tries < 40 && !printed.startsWith(`${steps} `); tries += 1) {
    await new Promise((done) => setTimeout(done, 250));
    printed = await runInKernel("print(lab.step_count, lab.h)");
  }
  assert.equal(printed.trim(), `${steps} 5`);
});

test("a run that blows up in Python stops in the widget too, with the page's explanation", async () => {
  const warned = (await runInKernel([
    "import warnings",
    "with warnings.catch_warnings(record=True) as caught:",
    "    warnings.simplefilter('always')",
    "    lab.lr = 10.0",
    "    lab.step(3000)",
    "print(caught[0].message)",
  ].join("\n"))).trim();
  assert.match(warned, /^Training paused: at step \d+ the loss jumped/);
  const alert = page.locator(".backprop-lab-widget #training-alert").first();
  await page.waitForFunction((text) => document.querySelector(".backprop-lab-widget #training-alert").textContent === text, warned, { timeout: 10_000 })
    .catch(async (error) => { throw new Error(`${error.message}: the widget says "${await alert.textContent()}" at step ${await page.locator(".backprop-lab-widget #status-step").first().textContent()}, ${JSON.stringify(await page.evaluate(() => window.backpropLabWidget.losses.slice(-3)))}; Python warned "${warned}"`); });
  assert.equal(await alert.isVisible(), true);
  const steps = (await runInKernel("print(lab.step_count)")).trim();
  assert.equal(await page.locator(".backprop-lab-widget #status-step").first().textContent(), Number(steps).toLocaleString("en-US"));
});
