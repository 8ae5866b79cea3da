// Part of `make bench` (not run in CI): Play in the training lab at the highest steps per frame
// for two minutes (SOAK_SECONDS to change it), and report the JavaScript heap, the WebAssembly
// memory and the number of DOM nodes at the start and at the end, so a leak shows as growth.

import { openPage } from "../tests/browser/harness.mjs";

/** Heap, wasm memory and DOM size now, from the page and from Chromium's own counters. */
async function measure(page, session) {
  await session.send("HeapProfiler.collectGarbage");
  const { usedSize } = await session.send("Runtime.getHeapUsage");
  const { nodes } = await session.send("Memory.getDOMCounters");
  const state = await page.evaluate(async () => {
    const lab = window.backpropLab.sharedLab();
    return { steps: lab.steps, wasmBytes: window.backpropLab.wasmMemory(), elements: document.getElementsByTagName("*").length };
  });
  return { heap: usedSize, domNodes: nodes, ...state };
}

export async function soak(lab, seconds = Number(process.env.SOAK_SECONDS ?? 120)) {
  const page = await openPage(lab, "/?panel=training&t_spf=9", { width: 1280, height: 1000 });
  const session = await page.context().newCDPSession(page);
  const start = await measure(page, session);
  await page.getByRole("button", { name: "Play" }).click();
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    await page.waitForTimeout(5000);
    // Touch the controls now and then, as a student would while it runs.
    await page.getByLabel("Learning rate", { exact: true }).fill(String(6 + (Math.floor((Date.now() - started) / 5000) % 4)));
  }
  await page.getByRole("button", { name: "Pause" }).click();
  const end = await measure(page, session);
  const problems = [...page.problems];
  await page.context().close();
  return { seconds, start, end, problems };
}

export function printSoak({ seconds, start, end, problems }) {
  const mb = (bytes) => (bytes === null ? "n/a" : `${(bytes / 2 ** 20).toFixed(1)} MB`);
  console.log(`Soak: Play at 1,000 steps per frame for ${seconds} s (${(end.steps - start.steps).toLocaleString("en-US")} steps, the rate changed every 5 s):`);
  console.log(`  JavaScript heap   ${mb(start.heap)} → ${mb(end.heap)}`);
  console.log(`  WebAssembly memory ${mb(start.wasmBytes)} → ${mb(end.wasmBytes)}`);
  console.log(`  DOM nodes          ${start.domNodes} → ${end.domNodes} (elements ${start.elements} → ${end.elements})`);
  console.log(`  page errors        ${problems.length ? problems.join("; ") : "none"}`);
}
