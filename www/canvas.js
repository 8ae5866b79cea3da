// Canvas helpers shared by the panels: a backing store sized by devicePixelRatio (so plots
// stay crisp on high-DPI screens), redraws coalesced into one per animation frame, and the
// light or dark theme from the system setting.

const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

/** Pixel ratio while printing, so plots print crisp on paper. */
const PRINT_RATIO = 3;
let printing = false;
/** Every panel's "draw everything now", for printing. */
const redraws = [];

/** Registers a function that redraws a panel's canvases at once (used when printing). */
export function registerRedraw(draw) {
  redraws.push(draw);
}

window.addEventListener("beforeprint", () => {
  printing = true;
  document.body.classList.add("printing"); // the paper layout (style.css), then plots drawn to fit it
  redraws.forEach((draw) => draw());
});
window.addEventListener("afterprint", () => {
  printing = false;
  document.body.classList.remove("printing");
  redraws.forEach((draw) => draw());
});

/** Runs `fn` when the system switches between light and dark colours. */
export function onColourSchemeChange(fn) {
  darkQuery.addEventListener("change", fn);
}

/** Dark colours on screen when the system asks for them; always light on paper. */
export function prefersDark() {
  return darkQuery.matches && !printing;
}

/**
 * Sizes the canvas's backing store to its CSS box times devicePixelRatio.
 * Returns the ratio the chart must draw at.
 */
export function fitCanvas(canvas) {
  const ratio = printing ? Math.max(PRINT_RATIO, window.devicePixelRatio || 1) : window.devicePixelRatio || 1;
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
 * called before then. `draw` is also run when the canvas (or any of an array of canvases)
 * changes size, the pixel ratio changes (browser zoom, moving to another screen) or the colour
 * scheme changes.
 */
export function redrawOnChange(canvases, draw) {
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
  registerRedraw(draw);
  const observer = new ResizeObserver(schedule);
  for (const canvas of [canvases].flat()) observer.observe(canvas);
  onColourSchemeChange(schedule);
  onPixelRatioChange(schedule);
  return schedule;
}

/** Runs `fn` whenever devicePixelRatio changes (browser zoom, moving to another screen). */
export function onPixelRatioChange(fn) {
  const watch = () => {
    const query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener("change", () => { fn(); watch(); }, { once: true });
  };
  watch();
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
