// `make dist`: writes dist/, a static copy of the site for any static host (relative paths
// only), and dist/backprop-lab.html, one self-contained file (WebAssembly, JavaScript, CSS and
// icon inlined) that works opened straight from disk and uploaded to a learning platform.
// The single file inlines the SIMD build only (the scalar one would add half as much again),
// so it needs WebAssembly SIMD: every current browser, Safari from 16.4; dist/ has both.
// dist/backprop-lab-scorm.zip is the static page as a SCORM 1.2 package for Moodle, Canvas
// and other learning platforms, which then record the score (SCORM_LAUNCH chooses what it opens).
// Needs www/pkg (made by `make build`) and esbuild (installed by `npm ci`).

import { build } from "esbuild";
import { bundledCss, bundledPage, cspHash as hash, deferPanels, SCRIPT_OPTIONS, withInlineIcon, withPolicy } from "./bundle.mjs";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEFAULT_LAUNCH, launchQuery, launchTitle, PACKAGE_FILES, scormPackage } from "../www/scorm-package.js";
import { brotliCompressSync, constants, deflateRawSync, gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
// DIST_DIR writes elsewhere (the tests use a temporary folder); it is emptied first.
const dist = process.env.DIST_DIR ? `${process.env.DIST_DIR.replace(/\/$/, "")}/` : `${root}dist/`;
const wasmPath = `${root}www/pkg/backprop_lab_bg.wasm`;
if (!existsSync(wasmPath)) {
  console.error("www/pkg is missing: run `make build` first.");
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

// 1. The static folder: the bundled page and what it loads (both WebAssembly builds), the
//    icon, and the script that sizes embedded frames on a host page; not the sources.
const source = readFileSync(`${root}index.html`, "utf8");
mkdirSync(`${dist}www/pkg`, { recursive: true });
const bundle = await build({ ...SCRIPT_OPTIONS, write: false });
const script = bundle.outputFiles[0].text;
const css = await bundledCss();
writeFileSync(`${dist}www/app.js`, script);
// The style sheet is inlined in dist/index.html (allowed by its hash): a first visit then
// waits for no second request before the first panel can be styled. www/app.css is written
// too, for a page served by `make run` that packs a SCORM package from its own files.
writeFileSync(`${dist}www/app.css`, css);
{
  let page = bundledPage(source);
  const before = page;
  page = page.replace('<link rel="stylesheet" href="www/app.css">', () => `<style>${css}</style>`);
  if (page === before) throw new Error("the bundled page no longer links www/app.css");
  page = withPolicy(page, (policy) => policy.replace("style-src 'self'", `style-src ${hash(css)}`));
  if (!page.includes(`style-src ${hash(css)}`)) throw new Error("index.html's policy no longer has style-src 'self'");
  writeFileSync(`${dist}index.html`, page);
}
for (const file of ["favicon.svg", "embed-host.js", "pkg/backprop_lab_bg.wasm", "pkg/backprop_lab_scalar_bg.wasm"]) {
  cpSync(`${root}www/${file}`, `${dist}www/${file}`);
}

// The notebook widget's module and style sheet (made by `make python`), for the Embed dialog's
// MyST anywidget snippet, which loads them from beside the page.
for (const ext of ["js", "css"]) {
  const built = `${root}python/backprop_lab/widget.${ext}`;
  if (existsSync(built)) cpSync(built, `${dist}www/backprop-lab-widget.${ext}`);
}

// 2. The single file.
const inlineScript = script.replace(/<\/script/gi, "<\\/script");
const wasm = readFileSync(wasmPath).toString("base64");

let html = withInlineIcon(deferPanels(source));
const remove = (pattern) => {
  const before = html;
  html = html.replace(pattern, "");
  if (html === before) throw new Error(`index.html no longer matches ${pattern}`);
};
remove(/\s*<link rel="stylesheet" href="www\/palette.css">/);
remove(/\s*<link rel="stylesheet" href="www\/style.css">/);
remove(/\s*<link rel="preload"[^>]*>/);
html = html.replace(/\s*<link rel="modulepreload"[^>]*>/g, "");
remove(/\s*<script type="module" src="www\/main.js" async><\/script>/);
// A function as the replacement, so "$&" and the like in the bundle are taken literally.
const style = `\n${css}\n  `;
const loader = `
    // The WebAssembly module, inlined so the page needs no other file.
    window.backpropLabWasm = () => Uint8Array.from(atob("${wasm}"), (c) => c.charCodeAt(0));
  `;
html = html.replace("</head>", () => `  <style>${style}</style>
  <script>${loader}</script>
  <script type="module" async>${inlineScript}</script>
</head>`);
// The same strict policy as the served page, with the inline style and scripts allowed by
// their hashes instead of 'self'.
const policy = `default-src 'none'; script-src ${hash(loader)} ${hash(inlineScript)} 'wasm-unsafe-eval'; `
  + `style-src ${hash(style)}; img-src data: blob:; object-src 'none'; base-uri 'none'; form-action 'none'`;
html = withPolicy(html, () => policy);
writeFileSync(`${dist}backprop-lab.html`, html);

// 3. The SCORM 1.2 package: the static folder's page and what it loads, imsmanifest.xml at the
//    root, launched at SCORM_LAUNCH (a query such as "?panel=practice&q=2b"; checked here).
const panels = [...source.matchAll(/data-panel="([a-z]+)"/g)].map((m) => m[1]);
const query = launchQuery(process.env.SCORM_LAUNCH || DEFAULT_LAUNCH, panels);
const title = process.env.SCORM_TITLE || launchTitle(query);
const archive = await scormPackage({ query, title, read: (name) => readFileSync(`${dist}${name}`), deflateRaw: (bytes) => deflateRawSync(bytes, { level: 9 }) });
writeFileSync(`${dist}backprop-lab-scorm.zip`, archive);

// 4. Beside each file of the folder, a gzip (.gz) and a brotli (.br) copy compressed once at
//    their highest levels, for servers that send a file's precompressed copy when the browser
//    accepts it (nginx's gzip_static and brotli_static, Caddy's file_server precompressed).
//    The page's files (the package's list) and the script for host pages.
for (const file of [...PACKAGE_FILES, "www/embed-host.js"]) {
  const body = readFileSync(`${dist}${file}`);
  writeFileSync(`${dist}${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${dist}${file}.br`, brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  }));
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const where = process.env.DIST_DIR ? dist : "dist/";
console.log(`${where} written: ${where}index.html (serve the folder) and ${where}backprop-lab.html (${kib(html.length)}, works from disk).`);
console.log(`${where}backprop-lab-scorm.zip (${kib(archive.length)}): a SCORM 1.2 package launching index.html${query}.`);
