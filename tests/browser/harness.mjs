// Shared set-up for the browser tests and the benchmark: the project's static server on a free
// loopback port, the system's headless Chromium, and a page that records console errors,
// failed requests and every request that leaves the page's origin.

import { chromium } from "playwright-core";
import { existsSync, mkdirSync } from "node:fs";
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

/** Starts the server and the browser; `close()` stops both. */
export async function startLab() {
  const server = await startServer(0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
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
 * Opens `path` in a fresh context and (unless waitForPlot is false) waits for the first plot.
 * `page.problems` collects console errors, page errors, failed requests and foreign requests.
 * `setUp(context)`, if given, runs before the page opens (init scripts, routes).
 */
export async function openPage(lab, path = "/", { width = 1280, height = 900, pixelRatio = 1, dark = false, waitForPlot = true, setUp } = {}) {
  const context = await lab.browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: pixelRatio,
    colorScheme: dark ? "dark" : "light",
  });
  if (setUp) await setUp(context);
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
  if (waitForPlot) await page.waitForFunction(() => window.backpropLab?.firstPlotMs > 0, null, { timeout: 10_000 });
  return page;
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
