// Loads the WebAssembly core, decides which panels to show (?panel=SLUG shows one alone,
// &embed=1 also drops the page header) and mounts each shown panel.

import init from "./pkg/backprop_lab.js";
import * as activations from "./panels/activations.js";
import * as training from "./panels/training.js";
import * as backprop from "./panels/backprop.js";
import * as vanishing from "./panels/vanishing.js";
import * as cost from "./panels/cost.js";

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

function choosePanels() {
  const requested = params.get("panel");
  const sections = [...document.querySelectorAll("section.panel[data-panel]")];
  if (requested === null) return sections;
  if (!(requested in PANELS)) {
    showNotice(`There is no panel called “${requested}”, so all panels are shown. Panels: ${Object.keys(PANELS).join(", ")}.`);
    return sections;
  }
  document.body.classList.add("single");
  if (params.get("embed") === "1") document.body.classList.add("embed");
  document.getElementById("home-link").setAttribute("aria-label", "Backprop Lab: all panels");
  for (const section of sections) {
    if (section.dataset.panel !== requested) section.remove();
  }
  for (const link of document.querySelectorAll("#panel-nav a")) {
    if (link.dataset.panel === requested) link.setAttribute("aria-current", "page");
  }
  return sections.filter((section) => section.isConnected);
}

async function start() {
  const shown = choosePanels();
  try {
    performance.mark("init-start");
    await init();
    performance.mark("wasm-ready");
  } catch (error) {
    showNotice(`The interactive part could not start: ${error.message}. Try a current version of Firefox, Chrome, Safari or Edge.`);
    throw error;
  }
  for (const section of shown) {
    PANELS[section.dataset.panel].mount(section);
  }
  performance.mark("panels-mounted");
}

start();
