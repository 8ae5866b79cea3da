// Writes www/palette.css from the core's palette (src/plot/theme.rs), so the page's CSS and
// the charts share one set of colours. Run by scripts/build.sh after wasm-bindgen.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const { initSync, paletteCss } = await import(`${root}www/pkg/backprop_lab.js`);
initSync({ module: readFileSync(`${root}www/pkg/backprop_lab_bg.wasm`) });
writeFileSync(`${root}www/palette.css`, paletteCss());
