// The Jupyter widget (anywidget): the page's training lab or backprop explorer, mounted by the
// page's own panel code into the widget's element, on this module's own copy of the core.
// scripts/widget.mjs bundles this file into one ES module with the WebAssembly and the panels'
// markup inlined (python/backprop_lab/widget.js).
//
// Python holds the truth and computes with the same core (src/capi.rs in wasmtime). The model's
// `_log` is every change made to the lab, in order; this view replays it on its lab, and sends
// back what the student does here (Play, Step, the sliders, a weights file) as ops of the same
// kind, a few times a second, which Python replays. Both therefore hold the same network, bit
// for bit. If Python changed the lab meanwhile, it refuses the batch and the view says so.

import init, { BackpropExplorer, TrainingLab, limits as coreLimits } from "./pkg/backprop_lab.js";
import { mount as mountTraining } from "./panels/training.js";
import { mount as mountBackprop } from "./panels/backprop.js";
import { configureControls } from "./controls.js";
import { MARKUP, WASM_BASE64 } from "backprop-lab-widget-assets";

/** Ops made here are sent at most this often (and when training pauses). */
const SEND_INTERVAL_MS = 250;

/** The losses after the last this many training calls replayed from the log are kept in
 * window.backpropLabWidget.losses, for the tests. */
const MAX_RECORDED = 100;

let ready = null;
function startCore() {
  ready ??= init({ module_or_path: Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)) });
  return ready;
}

/** The panel's controls for a setting of the log, and how a value is shown on them. */
function controlFor(section, limits, key, text, number) {
  const $ = (selector) => section.querySelector(selector);
  // A rate or scale the slider does not offer (Python may set any in range) leaves it where it is.
  const listIndex = (limit, value) => (limits[limit].values.includes(value) ? String(limits[limit].values.indexOf(value)) : null);
  switch (key) {
    case "data": return [$("#dataset"), text];
    case "activation": return [$("#training-activation"), text];
    case "hidden": return [$("#hidden-units"), String(number)];
    case "count": return [$("#point-count"), String(number)];
    case "noise": return [$("#noise"), String(number)];
    case "seed": return [$("#seed"), String(number)];
    case "learning_rate": return [$("#learning-rate"), listIndex($("#learning-rate").dataset.limit, number)];
    case "init_scale": return [$("#init-scale"), listIndex($("#init-scale").dataset.limit, number)];
    default: return [null, null];
  }
}

/**
 * Wraps the lab's methods that change it, so each change made through the panel is recorded
 * as an op (while `recording()`); the calls go to the genuine object, unchanged.
 */
function recordChanges(lab, record) {
  const wrap = (name, op) => {
    const original = TrainingLab.prototype[name];
    lab[name] = (...args) => {
      const result = original.apply(lab, args);
      const made = op(...args);
      if (made) record(made);
      return result;
    };
  };
  wrap("train", (steps) => ["train", steps]);
  wrap("reset", () => ["reset"]);
  wrap("setDataset", (name) => ["set", "data", String(name), 0]);
  wrap("setCount", (n) => ["set", "count", "", n]);
  wrap("setNoise", (v) => ["set", "noise", "", v]);
  wrap("setSeed", (v) => ["set", "seed", "", v]);
  wrap("setConstant", (on) => ["set", "constant", "", on ? 1 : 0]);
  wrap("setHidden", (h) => ["set", "hidden", "", h]);
  wrap("setActivation", (name) => ["set", "activation", String(name), 0]);
  wrap("setInitScale", (v) => ["set", "init_scale", "", v]);
  wrap("setLearningRate", (v) => ["set", "learning_rate", "", v]);
  wrap("setBatch", (mode, size) => ["set", "batch", String(mode), mode === "mini" ? size : 0]);
  wrap("importWeights", (m, h, activation) => ["import", m, h, String(activation), [...lab.weightsA()], [...lab.weightsB()]]);
  // The student's own points and fit by hand change the lab in ways the log does not carry:
  // in the notebook the data and the weights come from Python.
  const refuse = () => { throw new Error("In the notebook the data come from Python: choose a data set, or set lab.data there."); };
  lab.addPointAtPixel = refuse;
  lab.removePointAtPixel = refuse;
}

/**
 * Replays one op of the log on the mounted panel's lab. In the training lab a setting moves the
 * panel's control, whose own event then makes the change, as the student's hand would.
 */
function replay(section, limits, lab, op) {
  const $ = (selector) => section.querySelector(selector);
  const [kind, key, text, number] = op;
  const training = $("#training-controls") !== null;
  let control = null;
  if (training && kind === "set") {
    if (key === "constant") {
      control = $("#constant-input");
      control.checked = number !== 0;
    } else if (key === "batch") {
      control = $("#batch-mode");
      control.value = text;
      if (text === "mini") $("#batch-size").value = String(number);
    } else {
      let value;
      [control, value] = controlFor(section, limits, key, text, number);
      if (value === null) control = null;
      else control.value = value;
    }
  }
  let outcome = null;
  if (control) {
    for (const type of ["input", "change"]) control.dispatchEvent(new Event(type));
  } else {
    outcome = replayOnLab(lab, op);
  }
  if (kind === "train") {
    // A run that blew up in Python stopped here too: say why, as the page does.
    const alert = $("#training-alert");
    if (alert) {
      alert.textContent = outcome === "trained" ? "" : lab.message;
      alert.hidden = outcome === "trained";
    }
    const { losses } = window.backpropLabWidget;
    losses.push({ steps: lab.steps, train: lab.trainLoss(), test: lab.testLoss() });
    if (losses.length > MAX_RECORDED) losses.shift();
  }
  if (training && kind === "import") {
    $("#hidden-units").value = String(lab.hidden);
    $("#constant-input").checked = lab.inputs === 2;
    $("#training-activation").value = lab.activation;
    // The same h: only the value shown beside the slider is rewritten.
    $("#hidden-units").dispatchEvent(new Event("input"));
  }
}

/** Replays one op on the lab alone; a training call's outcome ("trained", "diverged", …). */
function replayOnLab(lab, op) {
  const [kind] = op;
  if (kind === "train") return lab.train(op[1]);
  if (kind === "reset") lab.reset();
  else if (kind === "import") lab.importWeights(op[1], op[2], op[3], Float64Array.from(op[4]), Float64Array.from(op[5]));
  else if (kind === "set") {
    const [, key, text, number] = op;
    const setters = { data: "setDataset", activation: "setActivation", hidden: "setHidden", count: "setCount", noise: "setNoise",
      seed: "setSeed", learning_rate: "setLearningRate", init_scale: "setInitScale" };
    if (key === "batch") lab.setBatch(text, number);
    else if (key === "constant") lab.setConstant(number !== 0);
    else lab[setters[key]](key === "data" || key === "activation" ? text : number);
  }
  return null;
}

/** The panel's markup in a root of its own, styled by the widget's scoped style sheet. */
function panelRoot(el, view) {
  const root = document.createElement("div");
  root.className = "backprop-lab-widget";
  root.innerHTML = MARKUP[view];
  el.replaceChildren(root);
  const section = root.querySelector("section.panel");
  section.hidden = false;
  // What the log cannot carry (see recordChanges) is not offered here: the student's own
  // points, fit by hand, and the explorer's update of the lab.
  section.querySelector("#dataset option[value=custom]")?.remove();
  for (const [selector, around] of [["#by-hand", "label"], ["#explorer-update", "fieldset"]]) {
    const wrapper = section.querySelector(selector)?.closest(around);
    if (wrapper) wrapper.style.display = "none";
  }
  return section;
}

async function render({ model, el }) {
  await startCore();
  window.backpropLab ??= { firstPlotMs: 0 }; // the panels note their first plot's time here
  window.backpropLabWidget ??= { losses: [] };
  const view = model.get("_view");
  const section = panelRoot(el, view);
  const limits = coreLimits();
  configureControls(limits, section);
  const lab = new TrainingLab();
  let applied = 0;
  let remote = false;
  let outbox = [];
  let timer = 0;
  const alertBox = section.querySelector("#training-alert");
  const say = (text) => {
    if (!alertBox) return;
    alertBox.textContent = text;
    alertBox.hidden = !text;
  };

  function tell(message) {
    try {
      model.send(message);
    } catch {
      // A static page (MyST, no kernel) has nobody to send to: the widget works on its own.
    }
  }
  function send() {
    timer = 0;
    if (!outbox.length) return;
    tell({ kind: "ops", base: applied - outbox.length, ops: outbox });
    outbox = [];
  }
  recordChanges(lab, (op) => {
    if (remote) return;
    outbox.push(op);
    applied += 1;
    timer ||= setTimeout(send, SEND_INTERVAL_MS);
  });

  function catchUp() {
    const log = model.get("_log") ?? [];
    if (applied > log.length) return; // our own ops, not back yet
    remote = true;
    try {
      for (; applied < log.length; applied += 1) replay(section, limits, lab, log[applied]);
    } catch (error) {
      say(`This view could not follow the notebook: ${error.message}`);
    } finally {
      remote = false;
    }
    document.dispatchEvent(new CustomEvent("backprop-lab:weights-changed", { detail: { from: "notebook" } }));
  }

  if (view === "training") {
    // Mount on the default lab (the panel applies its controls' defaults, which change
    // nothing), then replay the log through the panel's controls.
    remote = true;
    mountTraining(section, limits, lab);
    remote = false;
    catchUp();
    const play = section.querySelector("#train-play");
    const playing = () => play.getAttribute("aria-pressed") === "true";
    model.on("change:_playing", () => { if (model.get("_playing") !== playing()) play.click(); });
    // Play and Pause pressed here (or by the keyboard) tell Python, so lab.play() after a
    // Pause here is a change it sends.
    new MutationObserver(() => tell({ kind: "playing", value: playing() })).observe(play, { attributeFilter: ["aria-pressed"] });
    if (model.get("_playing")) play.click();
  } else {
    remote = true;
    mountBackprop(section, limits, lab);
    remote = false;
    catchUp();
    const showExample = () => {
      const example = model.get("_example") ?? [];
      if (example.length !== 2) return;
      section.querySelector("#example-x").value = String(example[0]);
      section.querySelector("#example-y").value = String(example[1]);
      section.querySelector("#example-use").click();
      section.querySelector("#run-all").click();
    };
    model.on("change:_example", showExample);
    showExample();
  }
  model.on("change:_log", catchUp);
  model.on("msg:custom", (message) => {
    if (message?.kind !== "conflict") return;
    say("The notebook changed this lab while it trained here, so what was done here was not kept in Python. Run the cell that shows the lab again to see its state.");
  });
  el.dataset.ready = "true";
  return () => {
    clearTimeout(timer);
  };
}

// BackpropExplorer is imported so the bundle keeps the explorer's class with the panel.
void BackpropExplorer;

export default { render };
