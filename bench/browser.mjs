// `make bench`: measures, in headless Chromium on loopback,
//  - training throughput (h = 16, n = 200, full batch) of the WebAssembly core against a plain
//    JavaScript version of the same step (bench/reference.mjs) and against native Rust;
//  - the time of a full animation frame in the training lab (steps plus every plot);
//  - the activations panel's redraw time when the probe moves;
//  - the time to the first plot after navigation;
//  - the bytes the page downloads, gzipped, and any request to another origin.

import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { openPage, startLab } from "../tests/browser/harness.mjs";

const HIDDEN = 16;
const COUNT = 200;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (value, digits = 2) => value.toFixed(digits);

function nativeThroughput() {
  const out = execFileSync("cargo", ["run", "--quiet", "--release", "--example", "bench_native"], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop());
}

async function throughput(lab) {
  const page = await openPage(lab, "/?panel=training");
  const result = await page.evaluate(async ([hidden, count]) => {
    const api = await import("/www/pkg/backprop_lab.js");
    const reference = await import("/bench/reference.mjs");
    const workload = new api.BenchmarkWorkload(hidden, count);
    const X = workload.inputs();
    const Y = workload.targets();
    const A = workload.weightsA();
    const b = workload.weightsB();
    const scratch = reference.makeScratch(hidden, 2);
    const steps = 2000;
    const time = (fn) => {
      fn(200); // warm up
      let best = 0;
      let loss = NaN;
      for (let round = 0; round < 5; round += 1) {
        const started = performance.now();
        loss = fn(steps);
        best = Math.max(best, (steps * count) / ((performance.now() - started) / 1000));
      }
      return { best, loss };
    };
    const wasm = time((n) => workload.run(n));
    const js = time((n) => {
      let loss = NaN;
      for (let i = 0; i < n; i += 1) loss = reference.step(A, b, X, Y, 0.3, scratch);
      return loss;
    });
    return { wasm, js };
  }, [HIDDEN, COUNT]);
  await page.context().close();
  return result;
}

async function frames(lab, pixelRatio) {
  const page = await openPage(lab, "/?panel=training", { width: 1280, height: 1000, pixelRatio });
  await page.getByLabel("Steps per frame").fill("9"); // 1,000 steps per frame, capped by the time budget
  await page.evaluate(() => { window.backpropLab.frames = []; });
  await page.getByRole("button", { name: "Play" }).click();
  await page.waitForFunction(() => window.backpropLab.frames.length >= 300, null, { timeout: 60_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  const times = await page.evaluate(() => window.backpropLab.frames.slice(20));
  const speed = await page.evaluate(() => document.querySelector("#training").dataset.drawMs);
  await page.context().close();
  return { p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), lastDraw: Number(speed) };
}

async function probeRedraw(lab) {
  const page = await openPage(lab, "/?panel=activations", { width: 1280, height: 900, pixelRatio: 2 });
  await page.getByRole("button", { name: "Reveal derivatives" }).click();
  for (const name of ["tanh", "leaky ReLU", "softplus"]) await page.getByLabel(name).check();
  const probe = page.getByRole("slider", { name: "Probe position x" });
  await probe.focus();
  const times = [];
  for (let i = 0; i < 60; i += 1) {
    await probe.press("ArrowRight");
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    times.push(Number(await page.locator("#activations").getAttribute("data-draw-ms")));
  }
  await page.context().close();
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function firstPlotAndBytes(lab) {
  const loads = [];
  let bytes = null;
  for (let i = 0; i < 5; i += 1) {
    const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const bodies = [];
    const foreign = [];
    page.on("response", async (response) => {
      if (!response.url().startsWith(lab.origin)) foreign.push(response.url());
      else bodies.push(response.body().then((body) => [response.url(), body]).catch(() => null));
    });
    await page.goto(lab.origin + "/");
    await page.waitForFunction(() => window.backpropLab?.firstPlotMs > 0);
    loads.push(await page.evaluate(() => window.backpropLab.firstPlotMs));
    if (bytes === null) {
      const files = (await Promise.all(bodies)).filter(Boolean);
      bytes = {
        files: files.map(([url, body]) => ({ path: new URL(url).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length })),
        foreign,
      };
    }
    await context.close();
  }
  return { firstPlot: percentile(loads, 50), firstPlotMax: Math.max(...loads), bytes };
}

const onlyThroughput = process.argv.includes("--throughput");
const lab = await startLab();
try {
  const native = nativeThroughput();
  const speed = await throughput(lab);
  if (onlyThroughput) {
    console.log(`wasm ${Math.round(speed.wasm.best)} js ${Math.round(speed.js.best)} native ${native.examplesPerSecond}: wasm/js ${fmt(speed.wasm.best / speed.js.best)}, wasm/native ${fmt(speed.wasm.best / native.examplesPerSecond)}`);
    process.exit(0);
  }
  const frame1 = await frames(lab, 1);
  const frame2 = await frames(lab, 2);
  const probe = await probeRedraw(lab);
  const load = await firstPlotAndBytes(lab);
  const totalGzip = load.bytes.files.reduce((sum, f) => sum + f.gzip, 0);

  console.log(`Training throughput, h = ${HIDDEN}, n = ${COUNT}, full batch (examples per second, best of 5 × 2,000 steps):`);
  console.log(`  WebAssembly in Chromium  ${Math.round(speed.wasm.best).toLocaleString("en-US")}`);
  console.log(`  plain JavaScript         ${Math.round(speed.js.best).toLocaleString("en-US")}   (WebAssembly is ${fmt(speed.wasm.best / speed.js.best)}× faster)`);
  console.log(`  native Rust              ${native.examplesPerSecond.toLocaleString("en-US")}   (WebAssembly reaches ${fmt(speed.wasm.best / native.examplesPerSecond)} of native)`);
  console.log(`  same result: wasm loss ${speed.wasm.loss}, JavaScript loss ${speed.js.loss}, native loss ${native.loss}`);
  console.log(`Training lab frame (steps within a 3.5 ms budget + all four plots), 280 frames:`);
  console.log(`  devicePixelRatio 1: p50 ${fmt(frame1.p50)} ms, p95 ${fmt(frame1.p95)} ms, max ${fmt(frame1.max)} ms`);
  console.log(`  devicePixelRatio 2: p50 ${fmt(frame2.p50)} ms, p95 ${fmt(frame2.p95)} ms, max ${fmt(frame2.max)} ms`);
  console.log(`Activations panel redraw on a probe move (5 functions, derivatives, DPR 2): p50 ${fmt(probe.p50)} ms, p95 ${fmt(probe.p95)} ms`);
  console.log(`First plot after navigation: median ${fmt(load.firstPlot, 0)} ms, slowest of 5 ${fmt(load.firstPlotMax, 0)} ms`);
  console.log(`Page download: ${load.bytes.files.length} files, ${(totalGzip / 1024).toFixed(1)} KiB gzipped; requests to other origins: ${load.bytes.foreign.length}`);
  for (const file of load.bytes.files) {
    console.log(`  ${file.path.padEnd(32)} ${String(file.raw).padStart(8)} B  ${String(file.gzip).padStart(7)} B gzipped`);
  }
} finally {
  await lab.close();
}
