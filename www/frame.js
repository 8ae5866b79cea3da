// In an iframe: tells the host page how tall the panel is (our own message, read by
// embed-host.js, and Canvas LMS's lti.frameResize), and with ?height=N (for hosts that do not
// resize frames, such as Moodle) lays the panel out to fit N CSS pixels: the notes fold behind
// a "Notes" button and the plots shrink, so no inner scrollbar appears where it can fit.

/** Plots shrink to no less than this share of their height. */
const MIN_PLOT_SCALE = 0.35;
/** The heights ?height= accepts, in CSS pixels. */
export const HEIGHT_RANGE = [300, 5000];

export function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // The panel and page it comes from, so the host resizes only the frame that shows them.
    const panel = new URLSearchParams(window.location.search).get("panel");
    window.parent.postMessage({ type: "backprop-lab:height", height, panel, path: window.location.pathname }, "*");
    window.parent.postMessage({ subject: "lti.frameResize", height }, "*");
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

/** Folds a section's notes behind a disclosure button. */
function foldNotes(section) {
  const notes = section.querySelector(":scope > .notes");
  if (!notes || notes.parentElement.tagName === "DETAILS") return;
  const details = document.createElement("details");
  details.className = "notes-toggle";
  const summary = document.createElement("summary");
  summary.textContent = "Notes";
  notes.before(details);
  details.append(summary, notes);
}

/** Lays `shown` out to fit `target` CSS pixels; returns problems with the value. */
export function fitToHeight(shown, text) {
  if (text === null) return [];
  const target = Number(text);
  if (!/^[0-9]+$/.test(text) || target < HEIGHT_RANGE[0] || target > HEIGHT_RANGE[1]) {
    return [`height=${text} (must be a whole number of CSS pixels from ${HEIGHT_RANGE[0]} to ${HEIGHT_RANGE[1]})`];
  }
  document.body.classList.add("fit-height");
  shown.forEach(foldNotes);
  const canvases = shown.flatMap((section) => [...section.querySelectorAll("canvas")]);
  const natural = new Map();
  const fit = () => {
    for (const canvas of canvases) canvas.style.height = "";
    for (const canvas of canvases) natural.set(canvas, canvas.getBoundingClientRect().height);
    for (let round = 0; round < 3; round += 1) {
      const excess = document.documentElement.scrollHeight - target;
      const total = canvases.reduce((sum, c) => sum + c.getBoundingClientRect().height, 0);
      if (excess <= 0 || total === 0) return;
      const scale = Math.max(MIN_PLOT_SCALE, (total - excess) / total);
      for (const canvas of canvases) canvas.style.height = `${Math.floor(natural.get(canvas) * scale)}px`;
      if (scale === MIN_PLOT_SCALE) return;
    }
  };
  fit();
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    fit();
  });
  for (const details of document.querySelectorAll("details.notes-toggle")) details.addEventListener("toggle", fit);
  return [];
}
