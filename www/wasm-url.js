// Which WebAssembly build the page loads. Every current browser runs WebAssembly SIMD and
// gets backprop_lab_bg.wasm, whose training kernel works on two hidden units at a time;
// Safari before 16.4 has no SIMD and gets backprop_lab_scalar_bg.wasm: the same exports and
// the same results, bit for bit, trained more slowly. Both are made by scripts/build.sh.

// The smallest module that uses SIMD: one function returning a v128 constant. A browser
// without SIMD does not validate it.
const SIMD_PROBE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // its body: v128.const …
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0x0b, // end
);

/** Whether this browser runs WebAssembly SIMD. */
export function simdSupported() {
  return WebAssembly.validate(SIMD_PROBE);
}

/** The file name of the WebAssembly build for this browser, in www/pkg/. */
export function wasmFile() {
  return simdSupported() ? "backprop_lab_bg.wasm" : "backprop_lab_scalar_bg.wasm";
}

/** The URL of the WebAssembly build for this browser. */
export function wasmUrl() {
  return new URL(`./pkg/${wasmFile()}`, import.meta.url).href;
}
