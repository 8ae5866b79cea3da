// Every setting of every panel lives in the URL, so a link reproduces what a student sees.
// Form controls carry data-state="key" and are read and written generically; panels register
// anything else (probe position, chosen example, steps trained) with registerState, and
// declare those keys on their section (data-extras) so the page knows them before mounting.
// Values are parsed with one strict grammar; a value that is not used exactly as given is
// reported and the default kept. Nothing in a link can break the page.

/** The URL format's version; bump it if a key changes meaning. */
export const VERSION = "1";
/** Links longer than this (characters after "?") are not read at all. */
export const MAX_LINK_LENGTH = 32_000;
/**
 * Parameters that select the view rather than a setting: how each is read from a link and
 * written back (null: left out). main.js checks panel and embed against the page's panels.
 */
const VIEW = {
  panel: { read: (params) => params.get("panel"), write: (panel) => panel },
  embed: { read: (params) => params.get("embed") === "1", write: (embed) => (embed ? "1" : null) },
  hide: { read: (params) => list(params, "hide"), write: (keys) => keys.join(",") || null },
  lock: { read: (params) => list(params, "lock"), write: (keys) => keys.join(",") || null },
  task: { read: (params) => params.get("task"), write: (task) => task },
  goal: { read: (params) => params.get("goal"), write: (goal) => goal },
  predict: { read: (params) => params.get("predict"), write: (predict) => predict },
  height: { read: (params) => params.get("height"), write: (height) => (height ? String(height) : null) },
};
const list = (params, key) => (params.get(key) ?? "").split(",").filter(Boolean);
/** Every parameter that is not a setting: the format's version and the view's. */
const VIEW_KEYS = new Set(["v", ...Object.keys(VIEW)]);

/** The view a link asks for: {panel, embed, hide, lock, task, goal, predict, height}. */
export function readView(params) {
  return Object.fromEntries(Object.entries(VIEW).map(([key, { read }]) => [key, read(params)]));
}

const extras = new Map();
const defaults = new Map();
/** Extras' values from the link, kept as text until their panel mounts and reads them. */
const pending = new Map();

/** A decimal number written plainly (no hex, no "+", no spaces, no "Infinity"), or null. */
export function parseDecimal(text) {
  return /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE]-?[0-9]+)?$/.test(text) ? Number(text) : null;
}

/** A whole number written plainly, or null. */
export function parseWhole(text) {
  const value = parseDecimal(text);
  return value !== null && Number.isSafeInteger(value) ? value : null;
}

function controls(root = document) {
  return [...root.querySelectorAll("[data-state]")];
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
  const value = parseDecimal(text);
  const min = Number(control.min);
  const max = Number(control.max);
  const step = Number(control.step) || 1;
  if (value === null) return "must be a number written in decimal";
  if (value < min || value > max) return `must be from ${min} to ${max}`;
  const steps = (value - min) / step;
  if (Math.abs(steps - Math.round(steps)) > 1e-9) return `must be a multiple of ${step} from ${min}`;
  return null;
}

function write(control, text, notify) {
  if (control.type === "checkbox") control.checked = text === "1";
  else control.value = text;
  if (notify) {
    control.dispatchEvent(new Event("input", { bubbles: true }));
    control.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

/** Remembers every control's starting value, so the URL only carries what differs. */
export function recordDefaults() {
  for (const control of controls()) defaults.set(control.dataset.state, read(control));
}

/**
 * Registers a setting that is not a form control, for the panel mounted in `section`.
 * `get()` returns its text (or null to leave it out of the URL); `set(text)` checks and applies
 * it and returns an error message, or null if it was used exactly as given.
 */
export function registerState(key, handlers) {
  extras.set(key, handlers);
}

/**
 * Reads the page's link: the parameters, or none (with a problem) if the link is too long.
 * Returns { params, problems }.
 */
export function readLink(search = window.location.search) {
  if (search.length > MAX_LINK_LENGTH) {
    return {
      params: new URLSearchParams(),
      problems: [`the link is ${search.length.toLocaleString("en-US")} characters long, more than the ${MAX_LINK_LENGTH.toLocaleString("en-US")} this page reads, so none of its settings were used`],
    };
  }
  return { params: new URLSearchParams(search), problems: [] };
}

/**
 * Writes the link's values into every form control (without events: panels read their
 * controls when they mount), and keeps the extras' values for their panels. Returns what was
 * ignored. `extraKeys` are the keys the sections declare.
 */
export function applyControls(params, extraKeys) {
  const ignored = [];
  const known = new Set([...VIEW_KEYS, ...extraKeys]);
  for (const control of controls()) {
    const key = control.dataset.state;
    known.add(key);
    if (!params.has(key)) continue;
    const text = params.get(key);
    const problem = check(control, text);
    if (problem) ignored.push(`${key}=${text} (${problem})`);
    else write(control, text, false);
  }
  for (const key of extraKeys) {
    if (params.has(key)) pending.set(key, params.get(key));
  }
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) ignored.push(`${key} (not a setting)`);
  }
  const version = params.get("v");
  if (version !== null && version !== VERSION) ignored.push(`v=${version} (this page reads version ${VERSION}; the settings were read where they still fit)`);
  return ignored;
}

/** Applies the link's values of the extras registered so far; returns what was ignored. */
export function applyExtras() {
  const ignored = [];
  for (const [key, handlers] of extras) {
    if (!pending.has(key)) continue;
    const text = pending.get(key);
    pending.delete(key);
    let problem;
    try {
      problem = handlers.set(text);
    } catch (error) {
      problem = error.message;
    }
    if (problem) ignored.push(`${key}=${text} (${problem})`);
  }
  return ignored;
}

/**
 * A link to this page with every setting that differs from the defaults, and the view: one
 * panel, embedded, with controls hidden or locked, a task, a goal, predictions asked first
 * (predict) and a fixed height.
 */
export function shareUrl(view = {}) {
  const params = new URLSearchParams();
  params.set("v", VERSION);
  for (const [key, { write }] of Object.entries(VIEW)) {
    const text = view[key] === undefined || view[key] === null ? null : write(view[key]);
    if (text) params.set(key, text);
  }
  for (const control of controls()) {
    const key = control.dataset.state;
    if (read(control) !== defaults.get(key)) params.set(key, read(control));
  }
  for (const [key, text] of pending) params.set(key, text);
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
        // Only when a setting changed (not just to add v=1 to a bare link): each
        // replaceState makes Chromium fetch the page's icon again.
        const link = shareUrl(view);
        const settings = (href) => {
          const url = new URL(href);
          url.searchParams.delete("v");
          url.hash = "";
          return url.toString();
        };
        if (settings(link) !== settings(window.location.href)) window.history.replaceState(null, "", link);
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
