// The two WebAssembly builds. Where the browser validates WebAssembly SIMD, the page loads
// backprop_lab_bg.wasm; where it does not (forced here: an init script makes
// WebAssembly.validate refuse every module whose types use v128, as Safari before 16.4 does,
// and the SIMD module's URL is blocked), it loads backprop_lab_scalar_bg.wasm and still
// trains. The training kernel does the same IEEE operations in both builds, so the losses
// must be equal to the last bit, not merely close.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { nextFrame, openPage, startLab } from "./harness.mjs";

const SIMD_FILE = "/www/pkg/backprop_lab_bg.wasm";
const SCALAR_FILE = "/www/pkg/backprop_lab_scalar_bg.wasm";

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Runs in the page before its scripts: WebAssembly.validate refuses v128 in a type. */
function refuseSimd() {
  const validate = WebAssembly.validate.bind(WebAssembly);
  const usesV128 = (source) => {
    const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
    let at = 8; // after the magic number and the version
    const leb = () => {
      let value = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = bytes[at++];
        value |= (byte & 0x7f) << shift;
        if (byte < 0x80) return value;
      }
    };
    while (at < bytes.length) {
      const id = bytes[at++];
      const size = leb();
      if (id === 1 && bytes.subarray(at, at + size).includes(0x7b)) return true; // types; 0x7b = v128
      at += size;
    }
    return false;
  };
  WebAssembly.validate = (source, ...rest) => !usesV128(source) && validate(source, ...rest);
}

/** Opens `path` as a browser with or without SIMD; `page.wasm` lists the .wasm files requested. */
async function open(path, simd) {
  const wasm = [];
  const page = await openPage(lab, path, {
    async beforeGoto(context) {
      context.on("request", (request) => {
        const file = new URL(request.url()).pathname;
        if (file.endsWith(".wasm")) wasm.push(file);
      });
      if (!simd) {
        await context.addInitScript(refuseSimd);
        await context.route(`**${SIMD_FILE}`, (route) => route.abort());
      }
    },
  });
  page.wasm = wasm;
  return page;
}

/** The exact losses of a few trainings through the page's own instance of the module. */
function lossesInPage(page) {
  return page.evaluate(async () => {
    const api = window.backpropLab.core;
    const out = {};
    for (const hidden of [4, 16, 64]) {
      const workload = new api.BenchmarkWorkload(hidden, 200);
      out[`benchmark h=${hidden}`] = workload.run(300);
      workload.free();
    }
    const X = Float64Array.from({ length: 2 * 41 }, (_, i) => (i % 2 ? 1 : Math.sin(i) * 3));
    const Y = Float64Array.from({ length: 41 }, (_, i) => Math.cos(i / 3));
    for (const activation of ["sigmoid", "tanh", "relu", "leaky_relu", "softplus"]) {
      for (const [m, hidden] of [[2, 7], [3, 10]]) {
        const net = new api.Network(m, hidden, activation, 3);
        const count = Math.floor(X.length / m); // 41 examples, or 27
        const x = X.subarray(0, count * m);
        const y = Y.subarray(0, count);
        let loss = NaN;
        for (let i = 0; i < 200; i += 1) loss = net.step(x, y, 0.05);
        out[`${activation} m=${m} h=${hidden}`] = loss;
        net.free();
      }
    }
    return out;
  });
}

test("with SIMD the page loads the SIMD build only", async () => {
  const page = await open("/?panel=training", true);
  assert.deepEqual(page.wasm, [SIMD_FILE]);
  assert.equal(await page.evaluate(async () => (await import("/www/wasm-url.js")).simdSupported()), true);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("without SIMD the page loads the scalar build, trains, and reaches the same loss to the last bit", async () => {
  const path = "/?panel=training&t_h=12&t_steps=1500";
  const withSimd = await open(path, true);
  const without = await open(path, false);
  // The page chooses before it asks: the scalar build only, never the SIMD one.
  assert.deepEqual(without.wasm, [SCALAR_FILE]);
  assert.equal(await without.evaluate(async () => (await import("/www/wasm-url.js")).simdSupported()), false);
  assert.deepEqual(without.problems, []);
  assert.deepEqual(withSimd.problems, []);

  // The link replays 1,500 steps: the same loss to the last bit (data-train-loss is the full
  // number), and the loss went down.
  const status = async (page) => {
    await nextFrame(page);
    return {
      step: await page.locator("#status-step").textContent(),
      loss: Number(await page.locator("#training").getAttribute("data-train-loss")),
    };
  };
  // The replay runs in slices, one per frame: wait for its last step.
  for (const page of [withSimd, without]) {
    await page.waitForFunction(() => document.querySelector("#status-step").textContent === "1,500");
  }
  const [a, b] = [await status(withSimd), await status(without)];
  assert.equal(a.step, "1,500");
  assert.deepEqual(b, a);

  // Play trains in the scalar build too.
  await without.getByRole("button", { name: "Play" }).click();
  await without.waitForFunction(() => Number(document.querySelector("#status-step").textContent.replace(/,/g, "")) > 1700);
  await without.getByRole("button", { name: "Pause" }).click();
  assert.ok((await status(without)).loss < a.loss, "training went on lowering the loss");

  // Every activation, m = 2 and m = 3, odd h, the benchmark at h = 4, 16 and 64.
  const [simdLosses, scalarLosses] = [await lossesInPage(withSimd), await lossesInPage(without)];
  for (const [name, loss] of Object.entries(simdLosses)) assert.ok(Number.isFinite(loss), `${name}: ${loss}`);
  assert.deepEqual(scalarLosses, simdLosses);
  await withSimd.context().close();
  await without.context().close();
});
