// Every setting of every panel lives in the URL, so a link reproduces what a student sees.
// Form controls carry data-state="key" and are read and written generically; panels register
// anything else (probe position, chosen example, steps trained) with registerState.
// Unknown or invalid parameters are ignored and reported; they never break the page.

/** The URL format's version; bump it if a key changes meaning. */
export const VERSION = "1";
/** Parameters that select the view rather than a setting. */
const VIEW_KEYS = new Set(["v", "panel", "embed", "hide"]);

const extras = new Map();
const defaults = new Map();

/**
 * Registers a setting that is not a form control. `get()` returns its text (or null to leave it
 * out of the URL); `set(text)` applies it and returns an error message, or null if it worked.
 */
export function registerState(key, handlers) {
  extras.set(key, handlers);
}

function controls() {
  return [...document.querySelectorAll("[data-state]")];
}

function read(control) {
  return control.type === "checkbox" ? (control.checked ? "1" : "0") : control.value;
}

/** Checks `text` against what the control allows; returns an error message or null. */
function check(control, text) {
  if (control.type === "checkbox") return text === "0" || text === "1" ? null : "must be 0 or 1";
  if (control.tagName === "SELECT") {
    const values = [...control.options].map((o) => o.value);
    return values.includes(text) ? null : `must be one of ${values.join(", ")}`;
  }
  const value = Number(text);
  const min = Number(control.min);
  const max = Number(control.max);
  const step = Number(control.step) || 1;
  if (text.trim() === "" || !Number.isFinite(value)) return "must be a number";
  if (value < min || value > max) return `must be from ${min} to ${max}`;
  const steps = (value - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return `must be a multiple of ${step} from ${min}`;
  return null;
}

function write(control, text) {
  if (control.type === "checkbox") control.checked = text === "1";
  else control.value = text;
  control.dispatchEvent(new Event("input", { bubbles: true }));
  control.dispatchEvent(new Event("change", { bubbles: true }));
}

/** Remembers every control's starting value, so the URL only carries what differs. */
export function recordDefaults() {
  for (const control of controls()) defaults.set(control.dataset.state, read(control));
}

/**
 * Applies the page's URL: settings in page order, then the registered extras.
 * Returns the descriptions of what was ignored.
 */
export function applyUrl(search = window.location.search) {
  const params = new URLSearchParams(search);
  const ignored = [];
  const known = new Set(VIEW_KEYS);
  for (const control of controls()) {
    const key = control.dataset.state;
    known.add(key);
    if (!params.has(key)) continue;
    const text = params.get(key);
    const problem = check(control, text);
    if (problem) ignored.push(`${key}=${text} (${problem})`);
    else write(control, text);
  }
  for (const [key, handlers] of extras) {
    known.add(key);
    if (!params.has(key)) continue;
    const problem = handlers.set(params.get(key));
    if (problem) ignored.push(`${key}=${params.get(key)} (${problem})`);
  }
  for (const key of params.keys()) {
    if (!known.has(key)) ignored.push(`${key} (not a setting)`);
  }
  const version = params.get("v");
  if (version !== null && version !== VERSION) ignored.push(`v=${version} (this page reads version ${VERSION}; the settings were read where they still fit)`);
  return ignored;
}

/** A link to this page with every setting that differs from the defaults. */
export function shareUrl({ panel = null, embed = false, hide = [] } = {}) {
  const params = new URLSearchParams();
  params.set("v", VERSION);
  if (panel) params.set("panel", panel);
  if (embed) params.set("embed", "1");
  if (hide.length) params.set("hide", hide.join(","));
  for (const control of controls()) {
    const key = control.dataset.state;
    if (read(control) !== defaults.get(key)) params.set(key, read(control));
  }
  for (const [key, handlers] of extras) {
    const text = handlers.get();
    if (text !== null && text !== undefined) params.set(key, text);
  }
  const url = new URL(window.location.href);
  url.search = params.toString();
  url.hash = "";
  return url.toString();
}

/** Keeps the address bar's link current (without adding history entries). */
export function followInUrl(view) {
  let timer = null;
  const update = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        window.history.replaceState(null, "", shareUrl(view));
      } catch {
        // Some embedding contexts (file://, sandboxed frames) refuse; the Share button still works.
      }
    }, 300);
  };
  document.addEventListener("input", update);
  document.addEventListener("change", update);
  document.addEventListener("backprop-lab:weights-changed", update);
  document.addEventListener("backprop-lab:state-changed", update);
}

/** The slug of a fieldset, from its legend: "Gradient descent" → "gradient-descent". */
export function fieldsetSlug(fieldset) {
  return fieldset.querySelector("legend").textContent.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** A control and what belongs with it on screen: its label row, or the label around it. */
export function controlParts(control) {
  const wrapper = control.closest(".field, label.check");
  if (wrapper) return [wrapper];
  const heading = control.previousElementSibling;
  return heading?.classList.contains("slider") ? [heading, control] : [control];
}

/** The words a student reads for a control: its label, without the value shown beside it. */
export function controlName(control) {
  const label = control.labels?.[0];
  if (!label) return control.dataset.state;
  const copy = label.cloneNode(true);
  copy.querySelectorAll("input, select, output").forEach((node) => node.remove());
  return copy.textContent.trim() || control.value;
}
