// Inlined into the served page's <head> as a classic script (scripts/bundle.mjs, which also
// allows it by its hash in the page's Content-Security-Policy): it fetches and compiles the
// WebAssembly build for this browser while the page is still being parsed and styled, before
// the page's script has arrived. Compiling the module takes the main thread about 20 ms on a
// slow machine; done here, it overlaps work the page waits for anyway. www/main.js
// instantiates the compiled module (and reports a failure), or loads the module itself when
// the page has no such script (the sources, the single file).

import { wasmFile } from "./wasm-url.js";

// Without WebAssembly (or in a browser too old to compile while downloading) the page's
// script loads the module itself and says what is missing.
if (typeof WebAssembly === "object" && typeof WebAssembly.compileStreaming === "function") {
  const url = `www/pkg/${wasmFile()}`;
  window.backpropLabModule = fetch(url).then((response) => {
    if (!response.ok) throw new Error(`${url} could not be loaded (HTTP ${response.status})`);
    // Compiled as it arrives; from the whole file if a host serves it with another type
    // (browsers compile while downloading only what is served as exactly application/wasm).
    return response.headers.get("Content-Type") === "application/wasm"
      ? WebAssembly.compileStreaming(response)
      : response.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  });
  window.backpropLabModule.catch(() => {}); // reported by www/main.js
}
