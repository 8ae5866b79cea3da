// Loads the WebAssembly core, decides which panels to show (?panel=SLUG shows one alone,
// &embed=1 also drops the page header), applies the settings in the link, mounts the panel in
// view first and the others once it has been painted, and wires sharing and embedding.

import init, * as core from "./pkg/backprop_lab.js";
import { simdSupported, wasmUrl } from "./wasm-url.js";
import * as activations from "./panels/activations.js";
import * as vanishing from "./panels/vanishing.js";
import * as training from "./panels/training.js";
import * as backprop from "./panels/backprop.js";
import * as cost from "./panels/cost.js";
import * as practice from "./panels/practice.js";
import * as landscape from "./panels/landscape.js";
import { hideControls, lockControls, predictFirst, showTask, watchGoal } from "./activity.js";
import { configureControls } from "./controls.js";
import { fitToHeight, reportHeight } from "./frame.js";
import { applyControls, applyExtras, followInUrl, readLink, readView, recordDefaults, shareUrl } from "./state.js";
import { mountSharing } from "./share.js";
import { connectLms } from "./scorm.js";
import { sharedLab } from "./shared.js";

/** Every panel's module, by the slug used in ?panel= and in each section's data-panel.
 * index.html's sections own the list and its order; tests/panel_list.rs checks that this map,
 * the navigation and the README's table name the same panels in the same order. */
const PANELS = new Map(Object.entries({ activations, vanishing, training, landscape, backprop, cost, practice }));

/**
 * Timings, readiness and the link to what is on screen, read by the benchmark and the tests:
 * firstPlotMs when the first chart's draw call returned, firstPaintMs when the frame holding
 * the first panel had been rendered; core is the page's instance of the WebAssembly module
 * and sharedLab() the training lab the panels share.
 */
window.backpropLab = { firstPlotMs: 0, firstPaintMs: 0, ready: false, frames: null, link: null, core, sharedLab, wasmMemory: null };

const notice = document.getElementById("page-notice");
const problems = [];

function showNotice(text) {
  notice.textContent = text;
  notice.hidden = false;
}

/** The notice names this many ignored settings and counts the rest. */
const PROBLEMS_NAMED = 5;
/** Each named setting is cut to this many characters (a link's value can be long). */
const PROBLEM_CHARS = 160;

/** Reports ignored settings; called again as later panels find more. */
function reportProblems(found) {
  if (!found.length) return;
  problems.push(...found);
  const cut = (text) => ([...text].length > PROBLEM_CHARS ? `${[...text].slice(0, PROBLEM_CHARS - 1).join("")}…` : text);
  const named = problems.slice(0, PROBLEMS_NAMED).map(cut).join("; ");
  const rest = problems.length - PROBLEMS_NAMED;
  const more = rest > 0 ? `; and ${rest.toLocaleString("en-US")} more` : "";
  showNotice(`Some settings in this link were ignored and the defaults used instead: ${named}${more}.`);
}

// An internal error in the core (a bug) stops it; say so instead of leaving a dead page.
window.addEventListener("backprop-lab:panic", () => {
  showNotice("Something went wrong inside the page's computations, so it stopped. Reload the page to start again; the link keeps your settings.");
});

function layOut(single, embed) {
  const sections = [...document.querySelectorAll("section.panel[data-panel]")];
  if (!single) return sections;
  document.body.classList.add("single");
  if (embed) {
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

/** A small button on every plot that saves it as a PNG (the canvas's own pixels). */
function addDownloadButtons(section) {
  for (const canvas of section.querySelectorAll("figure canvas")) {
    const figure = canvas.closest("figure");
    const caption = figure.querySelector(":scope > figcaption");
    // Named by the plot's title, or by the panel when its caption is a description.
    const title = caption.classList.contains("plot-title") ? caption.firstChild.textContent : section.querySelector("h2").textContent;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "small download";
    button.setAttribute("aria-label", `Download “${title.trim()}” as PNG`);
    button.title = "Download as PNG";
    button.innerHTML = '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false"><path d="M8 2v8M4.5 6.5L8 10l3.5-3.5M3 13h10" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/></svg>';
    button.addEventListener("click", () => {
      canvas.toBlob((blob) => {
        const url = URL.createObjectURL(blob);
        const link = Object.assign(document.createElement("a"), { href: url, download: `backprop-lab-${canvas.id.replace(/-canvas$/, "")}.png` });
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      }, "image/png");
    });
    // Beside the caption's text, on its first line: the text wraps, the button never drops
    // below it, so plots side by side start at the same height.
    const text = document.createElement("div");
    text.className = "caption-text";
    text.append(...caption.childNodes);
    caption.classList.add("with-download");
    caption.append(text, button);
  }
}

/** Marks the panel list when it has more beyond an edge (it scrolls sideways on narrow screens). */
function markNavOverflow() {
  const list = document.querySelector("#panel-nav ul");
  const update = () => {
    const beyond = list.scrollWidth - list.clientWidth;
    list.classList.toggle("more-before", list.scrollLeft > 1);
    list.classList.toggle("more-after", list.scrollLeft < beyond - 1);
  };
  list.addEventListener("scroll", update, { passive: true });
  new ResizeObserver(update).observe(list);
}

/** The first shown section that reaches into the viewport: the one to mount first. */
function sectionInView(shown) {
  return shown.find((section) => section.getBoundingClientRect().bottom > 0) ?? shown[0];
}

/**
 * Moves a panel's markup out of its `<template>` into the section (the served page keeps every
 * panel after the first in one until it is needed: see deferPanels in scripts/bundle.mjs).
 */
function unpack(section) {
  const template = section.querySelector(":scope > template.panel-markup");
  if (template) template.replaceWith(template.content);
}

/** The id the address's #fragment names, or null. */
function fragmentId() {
  try {
    return decodeURIComponent(location.hash.slice(1)) || null;
  } catch {
    return null; // a malformed escape names no element
  }
}

/** Whether `section` holds the element with this id, in the page or still in its template. */
function holds(section, id) {
  const template = section.querySelector(":scope > template.panel-markup");
  return section.id === id || section.contains(document.getElementById(id)) || template?.content.getElementById(id) != null;
}

/**
 * What the WebAssembly module is loaded from: the single file's inlined bytes, the compiled
 * module the served page's <head> has started (www/wasm-start.js), or else its URL.
 */
function wasmSource() {
  if (window.backpropLabWasm) return window.backpropLabWasm();
  if (window.backpropLabModule instanceof Promise) return window.backpropLabModule;
  return wasmUrl();
}

/** Resolves after the browser has painted the current frame. */
function afterPaint() {
  return new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
}

// The script runs as soon as it has loaded (async), possibly while the page is still being
// parsed: the WebAssembly module is instantiated from here (and compiled, unless the page's
// <head> has started that already). Marked as handled now; start() awaits it (and reports a
// failure) once the page is parsed.
performance.mark("init-start");
const wasmReady = init({ module_or_path: wasmSource() });
wasmReady.catch(() => {});

async function start() {
  if (document.readyState === "loading") {
    await new Promise((done) => document.addEventListener("DOMContentLoaded", done, { once: true }));
  }
  const { params, problems: linkProblems } = readLink();
  const asked = readView(params);
  const requested = asked.panel;
  const single = requested !== null && PANELS.has(requested) ? requested : null;
  const embed = single !== null && asked.embed;
  const shown = layOut(single, embed);
  // The panel to mount first: the one the #fragment names, else the first in view. Until its
  // chart is painted, the others are hidden (the served page's deferred panels are already),
  // so that styling and laying out their forms does not delay it; their markup is unpacked
  // now, while the WebAssembly module loads. The browser could not scroll to an element still
  // in a template or hidden, so the page does.
  const target = fragmentId();
  const first = (target && shown.find((section) => holds(section, target))) || sectionInView(shown);
  for (const section of shown) {
    section.hidden = section !== first;
    unpack(section);
  }
  const targetElement = () => (target ? document.getElementById(target) : null);
  targetElement()?.scrollIntoView();
  if (!single) markNavOverflow();
  const found = [...linkProblems];
  if (requested !== null && !single) found.push(`panel=${requested} (the panels are ${[...PANELS.keys()].join(", ")})`);
  try {
    const exports = await wasmReady;
    window.backpropLab.wasmMemory = () => exports.memory.buffer.byteLength;
    performance.mark("wasm-ready");
  } catch (error) {
    // The single-file copy (make dist) inlines only the SIMD build.
    const advice = window.backpropLabWasm && !simdSupported()
      ? "This single-file copy needs WebAssembly SIMD (Safari 16.4 or newer); the web version of the page also runs in older browsers"
      : "Try a current version of Firefox, Chrome, Safari or Edge";
    showNotice(`The interactive part could not start: ${error.message}. ${advice}.`);
    for (const section of shown) section.hidden = false;
    throw error;
  }
  const limits = core.limits();
  configureControls(limits);
  recordDefaults();
  const extraKeys = shown.flatMap((section) => (section.dataset.extras ?? "").split(" ").filter(Boolean));
  const view = { ...asked, panel: single, embed };
  found.push(...predictFirst(shown, view.predict), ...applyControls(params, extraKeys), ...hideControls(shown, view.hide), ...lockControls(shown, view.lock),
    ...showTask(shown, view.task), ...watchGoal(shown, view.goal));
  if (view.predict !== "0" && view.predict !== "1") view.predict = null; // reported above; not kept in the link
  window.backpropLab.link = () => shareUrl(view);
  // Launched by a learning platform (SCORM 1.2)? Report to it; before mounting, since it
  // restores the practice panel's progress.
  window.backpropLab.lms = connectLms(shown, view);
  const mount = (section) => {
    PANELS.get(section.dataset.panel).mount(section, limits);
    addDownloadButtons(section);
    reportProblems(applyExtras());
  };
  mount(first);
  performance.mark("first-panel-mounted");
  reportProblems(found);
  followInUrl(view);
  mountSharing(shown, view);
  reportHeight();
  // Let the first panel be painted, then mount the others, one per frame.
  await afterPaint();
  window.backpropLab.firstPaintMs = performance.now();
  // Show the others, keeping the #fragment's element, or else the first panel, where it was
  // on screen (the panels above it push it down).
  const top = first.getBoundingClientRect().top;
  for (const section of shown) section.hidden = false;
  const moved = first.getBoundingClientRect().top - top;
  if (targetElement()) targetElement().scrollIntoView();
  else if (moved !== 0) window.scrollBy(0, moved);
  for (const section of shown.filter((s) => s !== first)) {
    mount(section);
    await afterPaint();
  }
  reportProblems(fitToHeight(shown, view.height));
  performance.mark("panels-mounted");
  window.backpropLab.ready = true;
}

start();
