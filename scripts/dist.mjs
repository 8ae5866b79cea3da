// `make dist`: writes dist/, a static copy of the site for any static host (relative paths
// only), and dist/backprop-lab.html, one self-contained file (WebAssembly, JavaScript, CSS and
// icon inlined) that works opened straight from disk and uploaded to a learning platform.
// The single file inlines the SIMD build only (the scalar one would add half as much again),
// so it needs WebAssembly SIMD: every current browser, Safari from 16.4; dist/ has both.
// Needs www/pkg (made by `make build`) and esbuild (installed by `npm ci`).

import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist/`;
const wasmPath = `${root}www/pkg/backprop_lab_bg.wasm`;
if (!existsSync(wasmPath)) {
  console.error("www/pkg is missing: run `make build` first.");
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// 1. The static folder: the page and everything it loads, nothing else.
cpSync(`${root}index.html`, `${dist}index.html`);
cpSync(`${root}www`, `${dist}www`, { recursive: true });

// 2. The single file.
const bundle = await build({
  entryPoints: [`${root}www/main.js`],
  bundle: true,
  format: "esm",
  minify: true,
  write: false,
  target: "es2020",
  logLevel: "warning",
});
const script = bundle.outputFiles[0].text.replace(/<\/script/gi, "<\\/script");
const wasm = readFileSync(wasmPath).toString("base64");
const css = readFileSync(`${root}www/style.css`, "utf8");
const icon = `data:image/svg+xml;base64,${readFileSync(`${root}www/favicon.svg`).toString("base64")}`;

let html = readFileSync(`${root}index.html`, "utf8");
const remove = (pattern) => {
  const before = html;
  html = html.replace(pattern, "");
  if (html === before) throw new Error(`index.html no longer matches ${pattern}`);
};
remove(/\s*<link rel="stylesheet" href="www\/style.css">/);
remove(/\s*<link rel="preload"[^>]*>/);
html = html.replace(/\s*<link rel="modulepreload"[^>]*>/g, "");
remove(/\s*<script type="module" src="www\/main.js"><\/script>/);
html = html.replace('href="www/favicon.svg"', () => `href="${icon}"`);
// A function as the replacement, so "$&" and the like in the bundle are taken literally.
html = html.replace("</head>", () => `  <style>\n${css}\n  </style>
  <script>
    // The WebAssembly module, inlined so the page needs no other file.
    window.backpropLabWasm = () => Uint8Array.from(atob("${wasm}"), (c) => c.charCodeAt(0));
  </script>
  <script type="module">${script}</script>
</head>`);
writeFileSync(`${dist}backprop-lab.html`, html);

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
console.log(`dist/ written: dist/index.html (serve the folder) and dist/backprop-lab.html (${kib(html.length)}, works from disk).`);
