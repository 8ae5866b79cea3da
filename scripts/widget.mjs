// The Jupyter widget's ES module and style sheet, for the Python package (python/backprop_lab):
// www/widget.js and the page's panel code it imports, bundled by esbuild into one module with
// the SIMD WebAssembly build and the training and explorer panels' markup (read from
// index.html by section id, inside a <template> or not) inlined, so anywidget can load it from
// one string; and the page's style sheet scoped to the widget's root (.backprop-lab-widget),
// so it styles the panels without touching the notebook around them.
//   node scripts/widget.mjs   (after scripts/build.sh has made www/pkg and www/palette.css)

import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}python/backprop_lab/`;

/** The outer HTML of the <section> with this id, nested sections included. */
export function sectionMarkup(html, id) {
  const start = html.search(new RegExp(`<section\\b[^>]*\\bid="${id}"`));
  if (start < 0) throw new Error(`index.html has no <section id="${id}">`);
  const tags = /<section\b|<\/section>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let match; (match = tags.exec(html));) {
    depth += match[0] === "</section>" ? -1 : 1;
    if (depth === 0) return html.slice(start, match.index + match[0].length);
  }
  throw new Error(`<section id="${id}"> in index.html is not closed`);
}

/** The page's palette and style sheet nested under the widget's root: :root, html and body
 * become the root itself, every other selector a descendant of it (esbuild lowers the nesting). */
export function scopedCss(css) {
  const selectorsToRoot = css
    .replace(/:root\b/g, "&")
    .replace(/(^|[\s,}(])(html|body)(?=[\s.,{:[])/gm, "$1&");
  return `.backprop-lab-widget {\n${selectorsToRoot}\n}\n`;
}

const html = readFileSync(`${root}index.html`, "utf8");
const markup = { training: sectionMarkup(html, "training"), backprop: sectionMarkup(html, "backprop") };
const wasm = readFileSync(`${root}www/pkg/backprop_lab_bg.wasm`).toString("base64");

const assets = {
  name: "widget-assets",
  setup(builder) {
    builder.onResolve({ filter: /^backprop-lab-widget-assets$/ }, () => ({ path: "assets", namespace: "widget-assets" }));
    builder.onLoad({ filter: /.*/, namespace: "widget-assets" }, () => ({
      contents: `export const MARKUP = ${JSON.stringify(markup)};\nexport const WASM_BASE64 = ${JSON.stringify(wasm)};\n`,
      loader: "js",
    }));
  },
};

const script = await build({
  entryPoints: [`${root}www/widget.js`],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  write: false,
  plugins: [assets],
  logLevel: "warning",
  logOverride: { "duplicate-object-key": "silent" },
});
writeFileSync(`${out}widget.js`, script.outputFiles[0].text);

const css = ["www/palette.css", "www/style.css"].map((path) => readFileSync(`${root}${path}`, "utf8")).join("\n");
const style = await build({
  stdin: { contents: scopedCss(css), loader: "css" },
  minify: true,
  target: "chrome100",
  write: false,
  logLevel: "warning",
});
writeFileSync(`${out}widget.css`, style.outputFiles[0].text);
const kib = (text) => `${(text.length / 1024).toFixed(0)} KiB`;
console.log(`widget: python/backprop_lab/widget.js ${kib(script.outputFiles[0].text)}, widget.css ${kib(style.outputFiles[0].text)}`);
