// The page as it ships: www/app.js, one minified module made by esbuild from www/main.js and
// everything it imports (the WebAssembly glue included), and www/app.css, the palette and the
// style sheet in one minified file. `bundledPage` turns index.html, which loads the sources
// for development, into the page that loads these two instead; scripts/serve.mjs serves it
// (and makes the bundle again when a source is newer) unless told to serve the sources, and
// scripts/dist.mjs writes it to dist/.
//   node scripts/bundle.mjs   (run by scripts/build.sh, after www/pkg and www/palette.css)

import { build, buildSync } from "esbuild";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The style sheets, in the order index.html links them. */
const STYLE_SHEETS = ["www/palette.css", "www/style.css"];

/** The options shared by the served bundle and the single file of `make dist`. */
export const SCRIPT_OPTIONS = {
  entryPoints: [`${ROOT}/www/main.js`],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  logLevel: "warning",
  // wasm-bindgen's glue lists the one inline snippet module once per imported function.
  logOverride: { "duplicate-object-key": "silent" },
};

/** The palette and the style sheet, concatenated and minified. */
export async function bundledCss() {
  const css = STYLE_SHEETS.map((path) => readFileSync(`${ROOT}/${path}`, "utf8")).join("\n");
  const result = await build({ stdin: { contents: css, loader: "css" }, minify: true, write: false, logLevel: "warning" });
  return result.outputFiles[0].text;
}

/** Replaces one match of `pattern` in `html`, or says that index.html changed shape. */
function replaceOnce(html, pattern, replacement) {
  const after = html.replace(pattern, () => replacement);
  if (after === html) throw new Error(`index.html no longer matches ${pattern}`);
  return after;
}

/**
 * The page with its icon inlined as a data: URL. Chromium fetches a linked icon again each
 * time the page rewrites its address (history.replaceState, as the page does to keep its link
 * current), so a linked icon is requested twice or more in a visit; an inlined one never.
 */
export function withInlineIcon(html) {
  const icon = `data:image/svg+xml;base64,${readFileSync(`${ROOT}/www/favicon.svg`).toString("base64")}`;
  return replaceOnce(html, /href="www\/favicon.svg"/, `href="${icon}"`);
}

/**
 * The page with every panel after the first kept in a `<template>` (`<section … hidden><template
 * class="panel-markup">…</template></section>`): the browser parses that markup but neither
 * styles nor lays it out. www/main.js moves it into its section while the module loads and
 * shows the section once the first chart has been painted. The sections themselves stay, with
 * their ids, for links and ?panel=.
 */
export function deferPanels(html) {
  const opening = /<section class="panel"[^>]*>/g;
  const starts = [...html.matchAll(opening)];
  if (starts.length < 2) throw new Error("index.html no longer has its panels as <section class=\"panel\">");
  let out = "";
  let at = 0;
  for (const start of starts.slice(1)) {
    const from = start.index + start[0].length;
    // The panel's closing tag: sections nest (each panel's notes are sections).
    const tags = /<(\/?)section\b[^>]*>/g;
    tags.lastIndex = from;
    let depth = 1;
    let tag;
    while (depth > 0 && (tag = tags.exec(html))) depth += tag[1] ? -1 : 1;
    if (depth > 0) throw new Error(`index.html: the panel ${start[0]} is not closed`);
    // Hidden too, so that the empty section is not drawn as an empty card while the page loads.
    out += `${html.slice(at, start.index)}${start[0].replace(/>$/, " hidden>")}<template class="panel-markup">${html.slice(from, tag.index)}</template>`;
    at = tag.index;
  }
  return out + html.slice(at);
}

/** A CSP source allowing an inline script or style sheet by its hash. */
export const cspHash = (text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** The Content-Security-Policy of `html`'s meta tag. */
export function pagePolicy(html) {
  const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1];
  if (!policy) throw new Error("index.html no longer has its Content-Security-Policy meta tag");
  return policy;
}

/** `html` with `edit` applied to its Content-Security-Policy. */
export function withPolicy(html, edit) {
  const policy = pagePolicy(html);
  return replaceOnce(html, `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    `<meta http-equiv="Content-Security-Policy" content="${edit(policy)}">`);
}

let wasmStart = null;
/** www/wasm-start.js as one minified classic script, to inline (made once per process). */
export function wasmStartScript() {
  wasmStart ??= buildSync({
    entryPoints: [`${ROOT}/www/wasm-start.js`], bundle: true, format: "iife", minify: true, target: "es2020", write: false, logLevel: "warning",
    // wasm-url.js's wasmUrl (which reads import.meta) is not part of it.
    logOverride: { "empty-import-meta": "silent" },
  }).outputFiles[0].text.trim();
  return wasmStart;
}

/**
 * index.html loading the bundle: the two style sheets become www/app.css, the module preloads
 * go (the bundle is one request) and the entry script becomes www/app.js. The preload of the
 * WebAssembly module becomes www/wasm-start.js inlined, which fetches and compiles it at once
 * (allowed by its hash in the policy). The icon is inlined (withInlineIcon) and the panels
 * after the first are deferred (deferPanels).
 */
export function bundledPage(html) {
  html = withInlineIcon(html);
  html = replaceOnce(html, /\s*<link rel="stylesheet" href="www\/palette.css">/, "");
  html = replaceOnce(html, /<link rel="stylesheet" href="www\/style.css">/, '<link rel="stylesheet" href="www/app.css">');
  html = html.replace(/\s*<link rel="modulepreload"[^>]*>/g, "");
  html = replaceOnce(html, /<script type="module" src="www\/main.js" async><\/script>/, '<script type="module" src="www/app.js" async></script>');
  const start = wasmStartScript();
  html = replaceOnce(html, /<link rel="preload" href="www\/pkg\/backprop_lab_bg.wasm"[^>]*>/, `<script>${start}</script>`);
  html = withPolicy(html, (policy) => replaceOnce(policy, "script-src 'self'", `script-src 'self' ${cspHash(start)}`));
  return deferPanels(html);
}

/** Writes www/app.js and www/app.css; returns their sizes in bytes. */
export async function writeBundle() {
  await build({ ...SCRIPT_OPTIONS, outfile: `${ROOT}/www/app.js` });
  writeFileSync(`${ROOT}/www/app.css`, await bundledCss());
  bundledPage(readFileSync(`${ROOT}/index.html`, "utf8")); // fails now rather than when served
  return { script: statSync(`${ROOT}/www/app.js`).size, css: statSync(`${ROOT}/www/app.css`).size };
}

/** Whether www/app.js or www/app.css is missing or older than a source file it is made from. */
export function bundleIsStale() {
  const built = ["www/app.js", "www/app.css"].map((path) => `${ROOT}/${path}`);
  if (!built.every(existsSync)) return true;
  const madeAt = Math.min(...built.map((path) => statSync(path).mtimeMs));
  const sources = readdirSync(`${ROOT}/www`, { recursive: true })
    .filter((path) => /\.(js|css)$/.test(path) && !/^app\.(js|css)$/.test(path))
    .map((path) => `${ROOT}/www/${path}`);
  return sources.some((path) => statSync(path).mtimeMs > madeAt);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { script, css } = await writeBundle();
  console.log(`bundled: www/app.js ${(script / 1024).toFixed(1)} KiB, www/app.css ${(css / 1024).toFixed(1)} KiB`);
}
