// `make bench`: measures, in headless Chromium on loopback,
//  - training throughput (n = 200, m = 2, sigmoid, full batch, h = 4, 16 and 64) of the
//    WebAssembly core (the SIMD build the page loads, inside WebAssembly and through the public
//    Network.step, and the scalar build for browsers without SIMD) against plain JavaScript (bench/reference.mjs, a careful version, and
//    bench/handtuned.mjs, the fastest we could write) and against native Rust;
//  - the time of a training frame in the lab (steps plus one plot), its animation callback
//    and the whole frame to the end of its rendering, with the steps per second, at the
//    default settings and with every slider that adds work at its end, at DPR 1 and 2;
//  - each synchronous call of the module at its documented maximum (each should stay within
//    about 100 ms; `--limits` stops after these);
//  - the activations panel's redraw time when the probe moves;
//  - the time from navigation until the first chart's pixels are on screen, over 9 cold loads,
//    and in fresh browser contexts for dist/ beside a bare page of one canvas (the floor);
//  - the bytes the page downloads, gzipped and brotli, and any request to another origin;
//  - a soak: two minutes of training at full speed, memory and DOM size before and after
//    (bench/soak.mjs; SOAK_SECONDS changes the length).
// `--throughput` measures the first only, `--no-throughput` all but the first, `--paint` (with
// --no-throughput) the first paint only, beside a bare page (bench/bare.html), and the download,
// `--frames` (with --no-throughput) the training lab's frames only.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { openPage, startLab } from "../tests/browser/harness.mjs";
import { DOWNLOAD_BUDGET_GZIP_BYTES } from "./budget.mjs";
import { printSoak, soak } from "./soak.mjs";

const COUNT = 200;
// Steps per round for each h: about 50 ms of the reference JavaScript each.
const SIZES = [[4, 2000], [16, 500], [64, 125]];
// Rounds per implementation, after one round of warm-up; the implementations take turns, and
// ratios are medians of the ratios within a round, so that a busy machine slows both sides.
const ROUNDS = 15;
const SCALAR_WASM = "www/pkg/backprop_lab_scalar_bg.wasm";

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const fmt = (value, digits = 2) => value.toFixed(digits);

function nativeThroughput() {
  const sizes = SIZES.map(([hidden, steps]) => `${hidden}:${steps}`);
  const out = execFileSync("cargo", ["run", "--quiet", "--release", "--example", "bench_native", "--", "--rounds", String(ROUNDS), ...sizes], { encoding: "utf8" });
  return out.trim().split("\n").map((line) => JSON.parse(line));
}

async function throughput(lab) {
  const page = await openPage(lab, "/?panel=training");
  // CPU time of the page's main thread (Chrome DevTools Protocol), so that other work on the
  // machine does not count; wall time is kept too.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  const cpuSeconds = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "ThreadTime").value;
  const loaded = await page.evaluate(async ([count, scalarUrl]) => {
    const api = window.backpropLab.core;
    const reference = await import("/bench/reference.mjs");
    const handtuned = await import("/bench/handtuned.mjs");
    const { wasmUrl } = await import("/www/wasm-url.js");
    // The scalar build: a second instance of the same glue, given the other module.
    let scalar = null;
    if (scalarUrl) {
      scalar = await import("/www/pkg/backprop_lab.js?scalar");
      await scalar.default({ module_or_path: scalarUrl });
    }
    window.benchmark = {
      /** Makes the implementations for h; returns their names. */
      prepare(hidden) {
        const workload = new api.BenchmarkWorkload(hidden, count);
        const X = workload.inputs();
        const Y = workload.targets();
        const rate = workload.learningRate();
        const js = (module, step) => {
          const A = workload.weightsA();
          const b = workload.weightsB();
          const scratch = module.makeScratch(hidden, 2);
          return (n) => {
            let loss = NaN;
            for (let i = 0; i < n; i += 1) loss = step(A, b, X, Y, rate, scratch);
            return loss;
          };
        };
        // The public API a course-notes author calls: Network.step with Float64Arrays, from
        // the workload's own weights, so its losses can be compared with the workload's.
        const network = new api.Network(2, hidden, "sigmoid", 1);
        network.setWeights(workload.weightsA(), workload.weightsB());
        const inputs = Float64Array.from(X);
        const targets = Float64Array.from(Y);
        this.runs = {
          wasm: (n) => workload.run(n),
          apiStep: (n) => {
            let loss = NaN;
            for (let i = 0; i < n; i += 1) loss = network.step(inputs, targets, rate);
            return loss;
          },
          reference: js(reference, reference.step),
          handtuned: js(handtuned, handtuned.step),
          handtunedMathExp: js(handtuned, handtuned.stepMathExp),
        };
        if (scalar) {
          const scalarWorkload = new scalar.BenchmarkWorkload(hidden, count);
          this.runs.scalarWasm = (n) => scalarWorkload.run(n);
        }
        return { names: Object.keys(this.runs), rate };
      },
      run(name, steps) {
        const started = performance.now();
        const loss = this.runs[name](steps);
        return { loss, wall: (performance.now() - started) / 1000 };
      },
    };
    return new URL(wasmUrl()).pathname;
  }, [COUNT, existsSync(SCALAR_WASM) ? `/${SCALAR_WASM}` : null]);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const sizes = [];
  for (const [hidden, steps] of SIZES) {
    const { names, rate } = await page.evaluate((hidden) => window.benchmark.prepare(hidden), hidden);
    const cpu = Object.fromEntries(names.map((name) => [name, []]));
    const wall = Object.fromEntries(names.map((name) => [name, []]));
    const losses = {};
    const run = async (name) => {
      const before = await cpuSeconds();
      const result = await page.evaluate(([name, steps]) => window.benchmark.run(name, steps), [name, steps]);
      const seconds = (await cpuSeconds()) - before;
      losses[name] = result.loss;
      return { cpu: (steps * COUNT) / seconds, wall: (steps * COUNT) / result.wall };
    };
    for (const name of names) await run(name); // warm up
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each round starts with another implementation, so none always runs first.
      for (let i = 0; i < names.length; i += 1) {
        const name = names[(round + i) % names.length];
        const rates = await run(name);
        cpu[name].push(rates.cpu);
        wall[name].push(rates.wall);
      }
    }
    const ratio = (a, b) => median(cpu[a].map((value, round) => value / cpu[b][round]));
    const best = (round) => Math.max(cpu.handtuned[round], cpu.handtunedMathExp[round]);
    const ratios = {
      reference: ratio("wasm", "reference"),
      apiReference: ratio("apiStep", "reference"),
      apiHandtuned: median(cpu.apiStep.map((value, round) => value / best(round))),
      handtuned: median(cpu.wasm.map((value, round) => value / best(round))),
      scalarReference: cpu.scalarWasm ? ratio("scalarWasm", "reference") : NaN,
      handtunedReference: median(cpu.reference.map((value, round) => best(round) / value)),
    };
    sizes.push({
      hidden, rate, steps: steps * (ROUNDS + 1), ratios, losses,
      rates: Object.fromEntries(names.map((name) => [name, median(cpu[name])])),
      wallRates: Object.fromEntries(names.map((name) => [name, median(wall[name])])),
    });
  }
  await page.context().close();
  return { loaded, sizes };
}

function printThroughput(speed, native) {
  const rows = speed.sizes.map((size, i) => ({ ...size, native: native[i] }));
  const names = [["wasm", `wasm (${speed.loaded.split("/").pop()})`], ["apiStep", "Network.step (public API)"], ["scalarWasm", "wasm, scalar build"], ["reference", "reference.mjs"],
    ["handtuned", "handtuned.mjs"], ["handtunedMathExp", "handtuned, Math.exp"]].filter(([key]) => key in rows[0].rates);
  const number = (value) => Math.round(value).toLocaleString("en-US").padStart(12);
  const rates = rows.map((row) => `${row.rate}${row.hidden > 16 ? ` at h = ${row.hidden}` : ""}`).filter((r, i, all) => all.indexOf(r) === i);
  console.log(`Training throughput, n = ${COUNT}, m = 2, sigmoid, learning rate ${rates.join(", ")}, full batch: examples per CPU-second, median of ${ROUNDS} rounds`);
  console.log("(CPU time of the page's main thread, or of the native thread; the implementations take turns in one page; native: the same rounds");
  console.log(" in a separate process)");
  console.log(`${"h".padStart(4)}${names.map(([, label]) => label.padStart(30)).join("")}${"native".padStart(14)}`);
  for (const row of rows) {
    console.log(`${String(row.hidden).padStart(4)}${names.map(([key]) => number(row.rates[key]).padStart(30)).join("")}${number(row.native.examplesPerSecond).padStart(14)}`);
  }
  console.log(`${"h".padStart(4)}${["wasm/reference", "wasm/handtuned", "api/reference", "api/handtuned", "wasm/native", "scalar/reference", "handtuned/reference"].map((t) => t.padStart(21)).join("")}`);
  for (const { hidden, rates, ratios, native: nat } of rows) {
    const cells = [ratios.reference, ratios.handtuned, ratios.apiReference, ratios.apiHandtuned, rates.wasm / nat.examplesPerSecond, ratios.scalarReference, ratios.handtunedReference];
    console.log(`${String(hidden).padStart(4)}${cells.map((c) => (Number.isFinite(c) ? `${fmt(c)}×` : "-").padStart(21)).join("")}`);
  }
  console.log("(ratios in the page: medians of the ratios within each round; wasm/handtuned against the faster hand-tuned variant of\n" +
    " the round; wasm/native: ratio of the medians, native measured separately)");
  console.log(`Wall-clock medians (examples/s, more exposed to other work on the machine): ${rows.map(({ hidden, wallRates }) =>
    `h = ${hidden}: ${Object.entries(wallRates).map(([name, value]) => `${name} ${Math.round(value).toLocaleString("en-US")}`).join(", ")}`).join("; ")}`);
  for (const { hidden, steps, losses, native: nat } of rows) {
    const all = { ...losses, native: nat.loss };
    const values = Object.values(all);
    if (!values.every(Number.isFinite)) throw new Error(`h = ${hidden}: a loss is not finite: ${JSON.stringify(all)}`);
    const spread = (Math.max(...values) - Math.min(...values)) / Math.abs(all.wasm);
    const bits = [nat.steps === steps && nat.loss === all.wasm ? "native" : null, all.scalarWasm === all.wasm ? "scalar wasm" : null,
      all.apiStep === all.wasm ? "Network.step" : null].filter(Boolean);
    console.log(`  h = ${hidden}, loss after ${steps.toLocaleString("en-US")} steps: wasm ${all.wasm}; largest relative difference ${spread.toExponential(1)}` +
      `${bits.length ? `; the same bits: ${bits.join(", ")}` : ""}`);
    console.log(`    ${Object.entries(all).map(([name, loss]) => `${name} ${loss}`).join(", ")}`);
  }
}

/** The sliders set to their largest values for the "most work" frames: h, n and steps per frame. */
const MOST_WORK = ["#hidden-units", "#point-count", "#steps-per-frame"];

async function frames(lab, pixelRatio, mostWork) {
  const page = await openPage(lab, "/?panel=training", { width: 1280, height: 1000, pixelRatio });
  await page.getByLabel("Steps per frame").fill("9"); // 1,000 steps per frame, capped by the time budget
  if (mostWork) {
    await page.evaluate((selectors) => {
      const set = (input, value) => {
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      };
      for (const input of selectors.map((selector) => document.querySelector(selector))) set(input, input.max);
      // The smallest learning rate, so that h = 64 trains without diverging (and pausing);
      // the rate does not change the work of a step.
      const rate = document.querySelector("#learning-rate");
      set(rate, rate.min);
    }, MOST_WORK);
  }
  const settings = await page.evaluate((selectors) => selectors.map((selector) => document.querySelector(selector).value), MOST_WORK);
  // The lab's own count: the number on the page is rewritten only 10 times a second.
  const steps = () => page.evaluate(() => [window.backpropLab.frames.length, window.backpropLab.sharedLab().steps, performance.now()]);
  await page.evaluate(() => { window.backpropLab.frames = []; });
  await page.getByRole("button", { name: "Play" }).click();
  // Polled 4 times a second, not every frame, so that the poll does not load the frames.
  await page.waitForFunction(() => window.backpropLab.frames.length >= 60, null, { timeout: 60_000, polling: 250 });
  const [from, stepsFrom, timeFrom] = await steps();
  await page.waitForFunction((from) => window.backpropLab.frames.length >= from + 400, from, { timeout: 60_000, polling: 250 });
  const [to, stepsTo, timeTo] = await steps();
  await page.getByRole("button", { name: "Pause" }).click();
  // After a second of warm-up (V8 compiles the hot WebAssembly again, optimised, meanwhile).
  const frames = await page.evaluate(([from, to]) => window.backpropLab.frames.slice(from, to), [from, to]);
  await page.context().close();
  const summary = (times) => ({ p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) });
  return {
    settings, count: frames.length, stepsPerSecond: (1000 * (stepsTo - stepsFrom)) / (timeTo - timeFrom),
    callback: summary(frames.map((f) => f.callback)), whole: summary(frames.map((f) => f.whole)),
  };
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

/**
 * The loss surface's redraw (a 64 × 64 grid of mean losses over the training points, drawn
 * with its contours, arrow and colour bar) when the zoom changes, at the default 100 points
 * and at the most the lab allows, h = 8 and 64, at DPR 1 and 2. The whole page is opened:
 * a link to the surface alone would ignore the training lab's settings (t_n, t_h).
 */
async function landscapeRedraw(lab) {
  const results = [];
  for (const [points, hidden, pixelRatio] of [[100, 8, 1], [500, 8, 1], [500, 64, 1], [500, 64, 2]]) {
    const page = await openPage(lab, `/?t_n=${points}&t_h=${hidden}`, { width: 1280, height: 900, pixelRatio });
    const times = await page.evaluate(async () => {
      if (document.body.innerText.includes("were ignored")) throw new Error("the link's settings were not applied");
      document.querySelector("#landscape").scrollIntoView();
      await new Promise((done) => setTimeout(done, 300));
      const zoom = document.querySelector("#landscape-zoom");
      const out = [];
      for (let i = 0; i < 16; i += 1) {
        zoom.value = String(Number(zoom.min) + (i % 2));
        zoom.dispatchEvent(new Event("input", { bubbles: true }));
        // The redraw runs in the next animation frame; the panel records how long it took.
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        out.push(Number(document.querySelector("#landscape").dataset.drawMs));
      }
      return out.slice(2);
    });
    results.push({ points, hidden, pixelRatio, p50: percentile(times, 50), max: Math.max(...times) });
    await page.context().close();
  }
  return results;
}

const COLD_LOADS = 9;

/** Reads the two moments the page records (see firstPaint) and the navigation's timings. */
const readTimes = (page) => page.evaluate(() => ({ paint: window.backpropLab.firstPaintMs, draw: window.backpropLab.firstPlotMs }));

/**
 * Loads the page COLD_LOADS times with an empty HTTP cache and reads two moments the page
 * records: firstPlotMs, when the first chart's draw call returns, and firstPaintMs, when the
 * frame holding those pixels has been rendered (the task after the next animation frame).
 * Two kinds of cold load: in a browser already running (one tab; the cache cleared and
 * about:blank in between), as when a student follows a link, and in a fresh browser context
 * each time (a new renderer process to start as well). One more load, in a fresh context and
 * not timed, counts the bytes: reading the responses' bodies through the DevTools protocol
 * (the module alone is 0.5 MB) competes with the page for the machine while it loads.
 */
async function firstPaintAndBytes(lab) {
  const warm = { paints: [], draws: [] };
  const fresh = { paints: [], draws: [] };
  const running = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await running.newPage();
  const cdp = await running.newCDPSession(tab);
  await cdp.send("Network.enable");
  for (let i = 0; i < COLD_LOADS; i += 1) {
    await tab.goto("about:blank");
    await cdp.send("Network.clearBrowserCache");
    await tab.goto(lab.origin + "/");
    await tab.waitForFunction(() => window.backpropLab?.ready);
    const times = await readTimes(tab);
    warm.paints.push(times.paint);
    warm.draws.push(times.draw);
  }
  await running.close();
  // Fresh contexts, taking turns: the deployable dist/ (as a host serves it) and the bare page
  // of one canvas painted by an inline script (bench/bare.html), the floor for the first paint.
  execFileSync(process.execPath, ["scripts/dist.mjs"], { stdio: "pipe" });
  const bare = [];
  const built = { paints: [] };
  for (let i = 0; i < COLD_LOADS; i += 1) {
    for (const which of ["bare", "dist", "page"]) {
      const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      if (which === "bare") {
        await page.goto(lab.origin + "/bench/bare.html");
        await page.waitForFunction(() => window.bareFirstPaintMs > 0);
        bare.push(await page.evaluate(() => window.bareFirstPaintMs));
      } else {
        await page.goto(lab.origin + (which === "dist" ? "/dist/" : "/"));
        await page.waitForFunction(() => window.backpropLab?.ready);
        const times = await readTimes(page);
        if (which === "dist") built.paints.push(times.paint);
        else {
          fresh.paints.push(times.paint);
          fresh.draws.push(times.draw);
        }
      }
      await context.close();
    }
  }
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const bodies = [];
  const foreign = [];
  page.on("response", async (response) => {
    if (!response.url().startsWith(lab.origin)) foreign.push(response.url());
    else bodies.push(response.body().then((body) => [response.url(), body]).catch(() => null));
  });
  await page.goto(lab.origin + "/");
  await page.waitForFunction(() => window.backpropLab?.ready);
  // Every response counts: a file fetched twice is downloaded twice.
  const files = (await Promise.all(bodies)).filter(Boolean);
  const bytes = {
    files: files.map(([url, body]) => ({
      path: new URL(url).pathname,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    })),
    foreign,
  };
  await context.close();
  const summary = ({ paints, draws }) => ({ paint: percentile(paints, 50), paintMax: Math.max(...paints), draw: percentile(draws, 50) });
  return { warm: summary(warm), fresh: summary(fresh), dist: percentile(built.paints, 50), bare: percentile(bare, 50), bytes };
}

/**
 * Each synchronous call of the module at its documented maximum, in one page: every one must
 * finish within about 100 ms on this machine, or its limit goes down. Median and slowest of 5.
 */
async function callLimits(lab) {
  const page = await openPage(lab, "/?panel=activations");
  const rows = await page.evaluate(() => {
    const api = window.backpropLab.core;
    const filled = (length, value) => new Float64Array(length).fill(value);
    const calls = {
      "Network.step, n·h·(m + 1) = 10⁷ (n 10,000, m 9, h 100), Float64Array": () => {
        const network = new api.Network(9, 100, "sigmoid", 1);
        const X = filled(90_000, 0.3);
        const Y = filled(10_000, 0.1);
        return () => network.step(X, Y, 0.1);
      },
      "Network.meanLoss, the same batch": () => {
        const network = new api.Network(9, 100, "sigmoid", 1);
        const X = filled(90_000, 0.3);
        const Y = filled(10_000, 0.1);
        return () => network.meanLoss(X, Y);
      },
      "Network.step, n·m = 10⁶ inputs (n 100,000, m 10, h 1), Float64Array": () => {
        const network = new api.Network(10, 1, "sigmoid", 1);
        const X = filled(1_000_000, 0.3);
        const Y = filled(100_000, 0.1);
        return () => network.step(X, Y, 0.1);
      },
      "Network.step, 100,000 entries of a Proxy array (m 1, h 1)": () => {
        const network = new api.Network(1, 1, "sigmoid", 1);
        const X = new Proxy(new Array(100_000).fill(0.3), { get: (target, key) => target[key] });
        const Y = filled(100_000, 0.1);
        return () => network.step(X, Y, 0.1);
      },
      "BenchmarkWorkload(64, 10000).run at its most steps": () => {
        const workload = new api.BenchmarkWorkload(64, 10_000);
        return () => workload.run(Math.floor(1e7 / (64 * 10_000)));
      },
      "TrainingLab.train(maxStepsPerCall), defaults": () => {
        const lab = new api.TrainingLab();
        return () => lab.train(lab.maxStepsPerCall);
      },
      "TrainingLab.train(maxStepsPerCall), h 64, n 500": () => {
        const lab = new api.TrainingLab();
        lab.setHidden(64);
        lab.setCount(500);
        lab.setLearningRate(0.01);
        return () => lab.train(lab.maxStepsPerCall);
      },
      "TrainingLab.train(maxStepsPerCall), one point of one's own, h 1": () => {
        const lab = new api.TrainingLab();
        lab.setHidden(1);
        lab.setDataset("custom");
        lab.setPoints([0.5, 0.2]);
        return () => lab.train(lab.maxStepsPerCall);
      },
      "activation(\"sigmoid\", 10⁶ entries)": () => {
        const xs = filled(1_000_000, 0.5);
        return () => api.activation("sigmoid", xs);
      },
    };
    const out = [];
    for (const [name, make] of Object.entries(calls)) {
      const call = make();
      const times = [];
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        call();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      out.push({ name, median: times[2], max: times[4] });
    }
    return out;
  });
  await page.context().close();
  return rows;
}

function printLimits(rows) {
  console.log("Synchronous calls at their documented maximum (ms, median and slowest of 5; each should stay within about 100 ms):");
  for (const { name, median, max } of rows) console.log(`  ${name.padEnd(72)} ${fmt(median, 1).padStart(7)} ${fmt(max, 1).padStart(7)}`);
}

/** The first chart's paint, as firstPaintAndBytes measured it. */
function printFirstPaint(load) {
  for (const [label, times] of [["in a running browser", load.warm], ["in a fresh browser context", load.fresh]]) {
    console.log(`First chart painted after navigation, ${COLD_LOADS} cold loads ${label}: median ${fmt(times.paint, 0)} ms, ` +
      `slowest ${fmt(times.paintMax, 0)} ms (its draw call returned at ${fmt(times.draw, 0)} ms, median)`);
  }
  console.log(`First chart painted, ${COLD_LOADS} loads of dist/ in fresh browser contexts: median ${fmt(load.dist, 0)} ms; a bare page of one canvas ` +
    `(bench/bare.html) loaded the same way, in turns: median ${fmt(load.bare, 0)} ms; the page's excess over it: ${fmt(load.dist - load.bare, 0)} ms (aim: at most 100 ms)`);
}

/** Everything the page downloaded (firstPaintAndBytes), against the budget of bench/budget.mjs. */
function printDownload(bytes) {
  const total = (key) => bytes.files.reduce((sum, f) => sum + f[key], 0);
  const kb = (count) => `${(count / 1000).toFixed(1)} KB`;
  console.log(`Page download: ${bytes.files.length} files, ${kb(total("gzip"))} gzip -9, ${kb(total("brotli"))} brotli -q 11, ` +
    `${kb(total("raw"))} raw; requests to other origins: ${bytes.foreign.length}`);
  const left = DOWNLOAD_BUDGET_GZIP_BYTES - total("gzip");
  console.log(`  budget (bench/budget.mjs) ${kb(DOWNLOAD_BUDGET_GZIP_BYTES)} gzip: ${left >= 0 ? `met, ${kb(left)} to spare` : `missed by ${kb(-left)}`}`);
  for (const file of bytes.files) {
    console.log(`  ${file.path.padEnd(36)} ${String(file.raw).padStart(8)} B  ${String(file.gzip).padStart(7)} B gzip  ${String(file.brotli).padStart(7)} B brotli`);
  }
}

function printFrames(frameRuns) {
  console.log("Training lab frame (steps within the frame budget and one plot: the fit every other frame, the others in turn): the animation " +
    "callback's time, and the whole frame, the time from the callback's start until the frame's main-thread work has ended (then layout, paint " +
    "and the canvases' rasterisation, which runs on the main thread when canvases are drawn in software, as in headless Chromium without a GPU; " +
    "a task queued meanwhile, such as this benchmark's poll 4 times a second, counts too):");
  const times = ({ p50, p95, max }) => `p50 ${fmt(p50)}, p95 ${fmt(p95)}, max ${fmt(max)} ms`;
  for (const run of frameRuns) {
    const [h, n, spf] = run.settings;
    console.log(`  DPR ${run.pixelRatio}, ${run.mostWork ? "most work" : "defaults "} (h ${h}, n ${n}, steps-per-frame slider ${spf}), ${run.count} frames, ` +
      `${Math.round(run.stepsPerSecond).toLocaleString("en-US")} steps/s: callback ${times(run.callback)}; whole frame ${times(run.whole)}`);
  }
}

const onlyThroughput = process.argv.includes("--throughput");
const lab = await startLab();
try {
  if (!process.argv.includes("--no-throughput")) {
    const native = nativeThroughput();
    const speed = await throughput(lab);
    printThroughput(speed, native);
    if (onlyThroughput) process.exit(0);
  }
  if (process.argv.includes("--paint")) {
    const load = await firstPaintAndBytes(lab);
    printFirstPaint(load);
    printDownload(load.bytes);
    process.exit(0);
  }
  const onlyFrames = process.argv.includes("--frames");
  if (!onlyFrames) printLimits(await callLimits(lab));
  if (process.argv.includes("--limits")) process.exit(0);
  const frameRuns = [];
  for (const pixelRatio of [1, 2]) {
    for (const mostWork of [false, true]) frameRuns.push({ pixelRatio, mostWork, ...(await frames(lab, pixelRatio, mostWork)) });
  }
  if (onlyFrames) {
    printFrames(frameRuns);
    process.exit(0);
  }
  const probe = await probeRedraw(lab);
  const surface = await landscapeRedraw(lab);
  const load = await firstPaintAndBytes(lab);

  printFrames(frameRuns);
  console.log(`Activations panel redraw on a probe move (5 functions, derivatives, DPR 2): p50 ${fmt(probe.p50)} ms, p95 ${fmt(probe.p95)} ms`);
  console.log(`Loss surface redraw on a zoom change (64 × 64 grid, computed and drawn): ${surface.map(({ points, hidden, pixelRatio, p50, max }) =>
    `n = ${points}, h = ${hidden}, DPR ${pixelRatio}: p50 ${fmt(p50)} ms, max ${fmt(max)} ms`).join("; ")}`);
  printFirstPaint(load);
  printDownload(load.bytes);
  printSoak(await soak(lab));
} finally {
  await lab.close();
}
