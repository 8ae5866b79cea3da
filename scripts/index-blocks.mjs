// Writes the blocks of index.html that come from the core (src/markup.rs) between their marker
// comments: the activations panel's checkboxes, one per activation. Run by scripts/build.sh
// after wasm-bindgen; tests/index_blocks.rs fails when index.html differs from what this
// writes.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { initSync, activationBoxesHtml } = await import(`${root}www/pkg/backprop_lab.js`);
initSync({ module: readFileSync(`${root}www/pkg/backprop_lab_bg.wasm`) });

const path = `${root}index.html`;
const html = readFileSync(path, "utf8");
// The block, markers included, with the indentation of its first marker.
const block = /^([ \t]*)<!-- Begin activation boxes:[^\n]*-->\n(?:[^\n]*\n)*?[ \t]*<!-- End activation boxes\. -->$/m;
const found = block.exec(html);
if (!found) {
  console.error("error: index.html has no activation boxes block (its Begin and End marker comments)");
  process.exit(1);
}
const written = html.replace(block, () => activationBoxesHtml(found[1]));
if (written !== html) {
  writeFileSync(path, written);
  console.log("index.html: the activation boxes were rewritten from the core");
}
