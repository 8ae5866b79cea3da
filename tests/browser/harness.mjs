// Shared set-up for the browser tests and the benchmark: the project's static server on a free
// loopback port, the system's headless Chromium, and a page that records console errors,
// failed requests and every request that leaves the page's origin.

import { chromium } from "playwright-core";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../scripts/serve.mjs";

export const SCREENSHOTS = fileURLToPath(new URL("../../screenshots/", import.meta.url));

const CHROMIUM_CANDIDATES = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"];

export function chromiumPath() {
  const found = CHROMIUM_CANDIDATES.find((path) => path && existsSync(path));
  if (!found) {
    throw new Error("Chromium was not found. Install it (Debian: apt-get install chromium) or set CHROMIUM to its path.");
  }
  return found;
}

/**
 * The features Playwright itself disables (its chromiumSwitches list), read from the installed
 * playwright-core: Chromium honours only the last --disable-features switch, so ours must
 * repeat them.
 */
function playwrightDisabledFeatures() {
  const lib = join(dirname(createRequire(import.meta.url).resolve("playwright-core/package.json")), "lib");
  for (const file of ["coreBundle.js", "server/chromium/chromiumSwitches.js"]) {
    const path = join(lib, file);
    if (!existsSync(path)) continue;
    const list = readFileSync(path, "utf8").match(/disabledFeatures = \[([^\]]*)\]/);
    if (list) return [...list[1].matchAll(/^\s*"([A-Za-z0-9]+)"/gm)].map((match) => match[1]);
  }
  throw new Error("playwright-core's list of disabled Chromium features was not found (has playwright-core changed?)");
}

/**
 * Chromium's switches for the tests and `make bench`. Beyond the sandbox, GPU and background
 * services, each new browser context would otherwise start Chromium's omnibox pop-up (a WebUI
 * page, chrome://omnibox-popup.top-chrome) in a renderer of its own, which takes about half a
 * second of CPU while the page loads: on two cores that doubled the measured first paint
 * (median 307 against 172 ms, a bare page 57 against 55 ms, in one run). A student's browser
 * starts it once, not with every page.
 */
export function chromiumArgs() {
  const disabled = [...playwrightDisabledFeatures(), "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];
  return ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run", `--disable-features=${disabled.join(",")}`];
}

/** Starts the server and the browser; `close()` stops both. */
export async function startLab() {
  const server = await startServer(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    origin,
    browser,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

/**
 * Opens `path` in a fresh context (or a new tab of `context`, which then sets the view) and
 * (unless waitForPlot is false) waits until every panel is mounted. `beforeGoto(context)` can
 * add init scripts to a fresh context first; `bypassCSP` lets a test run code of its own in
 * the page, which the page's Content-Security-Policy would refuse.
 * `page.problems` collects console errors, page errors, failed requests and foreign requests.
 */
export async function openPage(lab, path = "/", { width = 1280, height = 900, pixelRatio = 1, dark = false, waitForPlot = true, beforeGoto = null, context = null, bypassCSP = false } = {}) {
  if (!context) {
    context = await lab.browser.newContext({
      viewport: { width, height },
      deviceScaleFactor: pixelRatio,
      colorScheme: dark ? "dark" : "light",
      bypassCSP, // only for tools injected inline, such as axe-core
    });
    if (beforeGoto) await beforeGoto(context);
  }
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") page.problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => page.problems.push(`failed request: ${request.url()} ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== lab.origin && url.protocol !== "data:" && url.protocol !== "blob:") {
      page.problems.push(`request to another origin: ${request.url()}`);
    }
  });
  await page.goto(lab.origin + path);
  if (waitForPlot) await page.waitForFunction(() => window.backpropLab?.ready === true, null, { timeout: 15_000 });
  return page;
}

/**
 * For `openPage`'s beforeGoto: records, from the start of every page of `context`, CSP
 * violations (window.cspViolations), long tasks (window.longTasks, read with
 * longTasksAfterReady) and calls to alert() (window.alerts).
 */
export async function watchPage(context) {
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    window.alerts = [];
    window.alert = (message) => window.alerts.push(String(message));
    window.longTasks = [];
    try {
      window.longTaskObserver = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push({ start: entry.startTime, duration: entry.duration });
      });
      window.longTaskObserver.observe({ type: "longtask", buffered: true });
    } catch { /* no long-task timing here */ }
  });
}

/**
 * The page keeps each task under about 50 ms: work runs in 8 ms slices, and no synchronous call
 * may do more than about 0.06 s of work. Tests flag only tasks over this bound, five times
 * that, so that a machine busy with other work cannot fail them (a task of 106 ms once failed
 * a bound of 100 ms under load), while a task doing a whole replay or a second's work still
 * would.
 */
export const LONG_TASK_MS = 250;

/** The durations (ms) of tasks over LONG_TASK_MS that started after every panel was mounted. */
export async function longTasksAfterReady(page) {
  return page.evaluate((bound) => {
    // Entries not yet delivered to the observer's callback are taken now.
    for (const entry of window.longTaskObserver?.takeRecords() ?? []) window.longTasks.push({ start: entry.startTime, duration: entry.duration });
    const ready = performance.getEntriesByName("panels-mounted")[0]?.startTime ?? 0;
    return window.longTasks.filter((t) => t.start > ready && t.duration > bound).map((t) => Math.round(t.duration));
  }, LONG_TASK_MS);
}

/** A screenshot for a person to look at, in screenshots/ (ignored by git). */
export async function screenshot(target, name) {
  await target.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Waits for two animation frames, so pending redraws have happened. */
export function nextFrame(page) {
  return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** A fingerprint of a canvas's pixels, to tell whether a drawing changed. */
export function canvasFingerprint(page, selector) {
  return page.evaluate((selector) => {
    const canvas = document.querySelector(selector);
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    for (let i = 0; i < data.length; i += 1) hash = (Math.imul(hash, 31) + data[i]) | 0;
    return hash;
  }, selector);
}

/**
 * How much of the fuzz tests' work to do: FUZZ_SCALE=0.1 for a quick loop while developing
 * (10% of the calls and links), unset (1) for make test and CI.
 */
export function fuzzScale() {
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return Number.isFinite(scale) && scale > 0 ? Math.min(scale, 10) : 1;
}

/** A seeded generator of numbers in [0, 1) (mulberry32), so that a fuzz run can be replayed. */
export function seededRandom(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gives `page` the same generator as window.seededRandom, for fuzzers run in the page. */
export function installSeededRandom(page) {
  return page.evaluate(`window.seededRandom = ${seededRandom.toString()};`);
}

const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** Reads back a number the page wrote in its format (0.2500, −12.00, 4.540 × 10⁻⁵). */
export function parseFormatted(text) {
  const normal = text.replace(/−/g, "-").replace(/⁻/g, "-").replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => String(SUPERSCRIPTS.indexOf(c)));
  const match = normal.match(/^\s*(-?[0-9.]+)(?: × 10(-?[0-9]+))?\s*$/);
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === undefined ? 1 : 10 ** Number(match[2]));
}

const AXE = fileURLToPath(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url));

/**
 * Runs axe-core in the page and returns its serious and critical findings, one line each
 * ("rule: selectors"). axe is injected inline, so open the page with `bypassCSP: true`.
 */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => (await window.axe.run(document)).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
}
