// Loads the WebAssembly core, decides which panels to show (?panel=SLUG shows one alone,
// &embed=1 also drops the page header), mounts them, applies the settings in the URL, and
// wires sharing and embedding.

import init from "./pkg/backprop_lab.js";
import { simdSupported, wasmUrl } from "./wasm-url.js";
import * as activations from "./panels/activations.js";
import * as vanishing from "./panels/vanishing.js";
import * as training from "./panels/training.js";
import * as backprop from "./panels/backprop.js";
import * as cost from "./panels/cost.js";
import { applyUrl, controlParts, fieldsetSlug, followInUrl, recordDefaults } from "./state.js";
import { mountSharing } from "./share.js";

/** Every panel, by the slug used in ?panel= and in each section's data-panel. */
const PANELS = { activations, vanishing, training, backprop, cost };

/** Timings read by the benchmark and the tests. */
window.backpropLab = { firstPlotMs: 0, frames: null };

const params = new URLSearchParams(window.location.search);
const notice = document.getElementById("page-notice");

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = false;
}

/** The panel shown alone, or null for the whole page; an unknown name is reported. */
function chosenPanel() {
  const requested = params.get("panel");
  if (requested === null) return null;
  if (requested in PANELS) return requested;
  return undefined;
}

function layOut(single) {
  const sections = [...document.querySelectorAll("section.panel[data-panel]")];
  if (!single) return sections;
  document.body.classList.add("single");
  if (params.get("embed") === "1") {
    document.body.classList.add("embed");
    // The page header (and its h1) is not shown in a frame: name the page for screen readers.
    const title = document.createElement("h1");
    title.className = "visually-hidden";
    title.textContent = "Backprop Lab";
    document.getElementById("main").prepend(title);
  }
  document.getElementById("home-link").setAttribute("aria-label", "Backprop Lab: all panels");
  for (const section of sections) {
    if (section.dataset.panel !== single) section.remove();
  }
  return sections.filter((section) => section.isConnected);
}

/**
 * Hides what ?hide= names: groups of controls by their heading ("data") or single controls by
 * their setting's key ("t_lr"). Hidden controls keep their setting. Returns unknown names.
 */
function hideControls(shown) {
  const wanted = (params.get("hide") ?? "").split(",").filter(Boolean);
  const found = new Set();
  for (const section of shown) {
    for (const fieldset of section.querySelectorAll("fieldset")) {
      if (wanted.includes(fieldsetSlug(fieldset))) {
        fieldset.hidden = true;
        found.add(fieldsetSlug(fieldset));
      }
    }
    for (const control of section.querySelectorAll("[data-state]")) {
      if (!wanted.includes(control.dataset.state)) continue;
      for (const part of controlParts(control)) part.hidden = true;
      found.add(control.dataset.state);
    }
  }
  return wanted.filter((name) => !found.has(name)).map((name) => `hide=${name} (no such controls here)`);
}

/** In an iframe, tells the host page how tall the content is, so it can size the frame. */
function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "backprop-lab:height", height }, "*");
  };
  new ResizeObserver(send).observe(document.documentElement);
  send();
}

/** A small button on every plot that saves it as a PNG (the canvas's own pixels). */
function addDownloadButtons(shown) {
  for (const canvas of shown.flatMap((section) => [...section.querySelectorAll("figure canvas")])) {
    const figure = canvas.closest("figure");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small download";
    const name = (figure.querySelector("figcaption")?.firstChild?.textContent ?? canvas.id).trim();
    button.setAttribute("aria-label", `Download “${name}” as PNG`);
    button.title = "Download as PNG";
    button.innerHTML = '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 2v8M4.5 6.5L8 10l3.5-3.5M3 13h10" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>PNG';
    button.addEventListener("click", () => {
      canvas.toBlob((blob) => {
        const url = URL.createObjectURL(blob);
        const link = Object.assign(document.createElement("a"), { href: url, download: `backprop-lab-${canvas.id.replace(/-canvas$/, "")}.png` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }, "image/png");
    });
    // In the title row when the plot has one above it, else in a row of its own.
    const title = figure.firstElementChild;
    if (title?.tagName === "FIGCAPTION") {
      title.append(button);
    } else {
      const row = document.createElement("div");
      row.className = "figure-tools";
      row.append(button);
      figure.prepend(row);
    }
  }
}

async function start() {
  const single = chosenPanel();
  const shown = layOut(single);
  const problems = [];
  if (single === undefined) problems.push(`panel=${params.get("panel")} (the panels are ${Object.keys(PANELS).join(", ")})`);
  try {
    performance.mark("init-start");
    await init({ module_or_path: window.backpropLabWasm ? window.backpropLabWasm() : wasmUrl() });
    performance.mark("wasm-ready");
  } catch (error) {
    // The single-file copy (make dist) inlines only the SIMD build.
    const advice = window.backpropLabWasm && !simdSupported()
      ? "This single-file copy needs WebAssembly SIMD (Safari 16.4 or newer); the web version of the page also runs in older browsers"
      : "Try a current version of Firefox, Chrome, Safari or Edge";
    showNotice(`The interactive part could not start: ${error.message}. ${advice}.`);
    throw error;
  }
  for (const section of shown) {
    PANELS[section.dataset.panel].mount(section);
  }
  performance.mark("panels-mounted");
  recordDefaults();
  problems.push(...applyUrl(), ...hideControls(shown));
  if (problems.length) {
    showNotice(`Some settings in this link were ignored and the defaults used instead: ${problems.join("; ")}.`);
  }
  const view = { panel: single || null, embed: params.get("embed") === "1", hide: (params.get("hide") ?? "").split(",").filter(Boolean) };
  followInUrl(view);
  mountSharing(shown, view);
  addDownloadButtons(shown);
  reportHeight();
}

start();
