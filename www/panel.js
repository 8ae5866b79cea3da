// What every panel's mount shares: finding its own elements, forms that never reload the page,
// and its plots redrawn together (once per frame) when any of them changes size, the pixel
// ratio or the colour scheme changes, with the time each draw took and the first chart drawn
// on the page recorded for tests and `make bench`.

import { redrawOnChange } from "./canvas.js";

/** Records that a chart has been drawn: the first one on the page sets firstPlotMs. */
export function markFirstPlot() {
  if (!window.backpropLab.firstPlotMs) window.backpropLab.firstPlotMs = performance.now();
}

/**
 * Tools for the panel in `section`:
 * - `$(selector)`: the panel's own element;
 * - `redraw(canvases, draw)`: returns `{ schedule, now }`. `schedule()` runs `draw` in the
 *   next animation frame (once, however often it is called), as do size, pixel-ratio and
 *   colour-scheme changes of any of `canvases`; `now()` runs it at once. `draw` returns false
 *   when it drew nothing (an error it showed instead); otherwise its time goes to the
 *   section's data-draw-ms.
 * Every form in the panel ignores submit (Enter in a number box would reload the page).
 */
export function panelTools(section) {
  const $ = (selector) => section.querySelector(selector);
  for (const form of section.querySelectorAll("form")) form.addEventListener("submit", (event) => event.preventDefault());
  const redraw = (canvases, draw) => {
    const now = () => {
      const started = performance.now();
      if (draw() === false) return;
      section.dataset.drawMs = (performance.now() - started).toFixed(2);
      markFirstPlot();
    };
    return { schedule: redrawOnChange(canvases, now), now };
  };
  return { $, redraw };
}
