// Canvas helpers shared by the panels: a backing store sized by devicePixelRatio (so plots
// stay crisp on high-DPI screens), redraws coalesced into one per animation frame, and the
// light or dark theme from the system setting.

const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

export function prefersDark() {
  return darkQuery.matches;
}

/**
 * Sizes the canvas's backing store to its CSS box times devicePixelRatio.
 * Returns the ratio the chart must draw at.
 */
export function fitCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const box = canvas.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width * ratio));
  const height = Math.max(1, Math.round(box.height * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return ratio;
}

/**
 * Returns `schedule()`, which runs `draw` once in the next animation frame however often it is
 * called before then. `draw` is also run when the canvas changes size, the pixel ratio changes
 * (browser zoom, moving to another screen) or the colour scheme changes.
 */
export function redrawOnChange(canvas, draw) {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
  new ResizeObserver(schedule).observe(canvas);
  darkQuery.addEventListener("change", schedule);
  const watchRatio = () => {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener("change", () => { schedule(); watchRatio(); }, { once: true });
  };
  watchRatio();
  return schedule;
}

/** Runs `fn` at most once per `ms`, always with the latest arguments (trailing edge). */
export function throttle(fn, ms) {
  let timer = null;
  let latest = [];
  return (...args) => {
    latest = args;
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      fn(...latest);
    }, ms);
  };
}
