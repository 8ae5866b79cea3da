// The page as it ships: www/app.js, one minified module made by esbuild from www/main.js and
// everything it imports (the WebAssembly glue included), and www/app.css, the palette and the
// style sheet in one minified file. `bundledPage` turns index.html, which loads the sources
// for development, into the page that loads these two instead; scripts/serve.mjs serves it
// (and makes the bundle again when a source is newer) unless told to serve the sources, and
// scripts/dist.mjs writes it to dist/.
//   node scripts/bundle.mjs   (run by scripts/build.sh, after www/pkg and www/palette.css)

import { build } from "esbuild";
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
 * index.html loading the bundle: the two style sheets become www/app.css, the module preloads
 * go (the bundle is one request) and the entry script becomes www/app.js. The preload of the
 * WebAssembly module stays.
 */
export function bundledPage(html) {
  html = replaceOnce(html, /\s*<link rel="stylesheet" href="www\/palette.css">/, "");
  html = replaceOnce(html, /<link rel="stylesheet" href="www\/style.css">/, '<link rel="stylesheet" href="www/app.css">');
  html = html.replace(/\s*<link rel="modulepreload"[^>]*>/g, "");
  return replaceOnce(html, /<script type="module" src="www\/main.js" async><\/script>/, '<script type="module" src="www/app.js" async></script>');
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
