// The training lab: gradient descent on the worksheet's network, live. Rust owns the network,
// the data and the history (TrainingLab); this file runs the animation loop with a time budget,
// passes control values in and writes the numbers out as text.

import { fitCanvas, prefersDark, throttle } from "../canvas.js";
import { formatSignificant } from "../format.js";
import { sharedLab } from "../shared.js";
import { registerState } from "../state.js";

/** The most steps a link may ask to replay when it opens. */
const MAX_LINK_STEPS = 200_000;

const LEARNING_RATES = [0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10];
const STEPS_PER_FRAME = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const INIT_SCALES = [0.1, 0.2, 0.5, 1, 2, 5, 10];
/** Milliseconds of training per animation frame, leaving room for drawing within 16 ms. */
const TRAIN_BUDGET_MS = 3.5;

export function mount(section) {
  const lab = sharedLab();
  const $ = (selector) => section.querySelector(selector);
  const canvases = {
    fit: $("#fit-canvas"),
    loss: $("#loss-canvas"),
    gradients: $("#gradient-canvas"),
    saturation: $("#saturation-canvas"),
  };
  const play = $("#train-play");
  const alertBox = $("#training-alert");
  const announce = $("#training-announce");
  const lossReadout = $("#loss-readout");

  let playing = false;
  let frameHandle = 0;
  let cursor = -1; // the loss chart's selected history entry, -1 for none
  const speed = { since: performance.now(), steps: 0, perSecond: NaN };

  // ----- drawing: only what changed, once per animation frame -----
  const dirty = new Set();
  let drawPending = false;
  function invalidate(...which) {
    for (const name of which.length ? which : Object.keys(canvases)) dirty.add(name);
    if (!drawPending && !playing) {
      drawPending = true;
      requestAnimationFrame(() => { drawPending = false; drawDirty(); });
    }
  }
  function drawDirty() {
    const started = performance.now();
    const dark = prefersDark();
    for (const name of dirty) {
      const canvas = canvases[name];
      if (canvas.offsetParent === null) continue; // hidden: drawn when shown
      lab.setTheme(fitCanvas(canvas), dark);
      if (name === "fit") canvas.dataset.unitCurves = String(lab.drawFit(canvas));
      else if (name === "loss") lab.drawLoss(canvas);
      else if (name === "gradients") lab.drawGradients(canvas);
      else lab.drawSaturation(canvas);
    }
    dirty.clear();
    writeNumbers();
    section.dataset.drawMs = (performance.now() - started).toFixed(2);
    if (!window.backpropLab.firstPlotMs) window.backpropLab.firstPlotMs = performance.now();
  }
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) invalidate(Object.keys(canvases).find((k) => canvases[k] === entry.target));
  });
  Object.values(canvases).forEach((canvas) => observer.observe(canvas));
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => invalidate());

  // ----- numbers as text -----
  const speak = throttle((text) => { announce.textContent = text; }, 3000);
  function writeNumbers() {
    const train = lab.trainLoss();
    const test = lab.testLoss();
    $("#status-step").textContent = lab.steps.toLocaleString("en-US");
    section.dataset.trainLoss = String(train); // full precision, for the link round-trip tests
    $("#status-train").textContent = formatSignificant(train);
    $("#status-test").textContent = Number.isNaN(test) ? "no test set" : formatSignificant(test);
    $("#status-speed").textContent = Number.isFinite(speed.perSecond) && playing
      ? Math.round(speed.perSecond).toLocaleString("en-US") : "–";
    $("#train-count").textContent = String(lab.trainCount());
    canvases.fit.setAttribute("aria-label", `The ${lab.trainCount()} training points and the network's prediction f(x), the sum of ${lab.hidden} hidden units' curves, after ${lab.steps} steps`);
    $("#test-count").textContent = String(lab.testCount());
    const [gradA, gradB] = lab.gradientNorms();
    $("#gradient-readout").textContent = lab.steps === 0
      ? "No step yet."
      : `last step: ‖∂L/∂A‖ = ${formatSignificant(gradA)}, ‖∂L/∂b‖ = ${formatSignificant(gradB)}`;
    const share = lab.saturatedShare();
    const name = $("#training-activation").selectedOptions[0].textContent;
    $("#saturation-readout").textContent = Number.isNaN(share) ? "No points."
      : `${(100 * share).toFixed(1)}% of (unit, point) pairs have ${name}′ < 0.01 and pass almost no gradient back.`;
    const length = lab.historyLength();
    canvases.loss.setAttribute("aria-valuemax", String(Math.max(0, length - 1)));
    writeCursor();
    speak(`Step ${lab.steps}, train loss ${formatSignificant(train)}${Number.isNaN(test) ? "" : `, test loss ${formatSignificant(test)}`}.`);
  }
  function writeCursor() {
    if (cursor < 0) {
      lossReadout.textContent = "Point at the loss plot to read a step.";
      return;
    }
    const [step, train, test] = lab.historyEntry(cursor);
    const text = `step ${step.toLocaleString("en-US")}: train ${formatSignificant(train)}`
      + (Number.isNaN(test) ? "" : `, test ${formatSignificant(test)}`);
    lossReadout.textContent = text;
    canvases.loss.setAttribute("aria-valuenow", String(cursor));
    canvases.loss.setAttribute("aria-valuetext", text);
  }

  // ----- the animation loop -----
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  let lastDraw = 0;
  function setPlaying(on) {
    playing = on;
    play.setAttribute("aria-pressed", String(on));
    play.querySelector("span").textContent = on ? "Pause" : "Play";
    cancelAnimationFrame(frameHandle);
    if (on) {
      alertBox.hidden = true;
      speed.since = performance.now();
      speed.steps = 0;
      frameHandle = requestAnimationFrame(frame);
    } else {
      invalidate();
      announceWeights();
    }
  }

  /** Tells the other panels (the backprop explorer) that the shared network changed. */
  function announceWeights() {
    document.dispatchEvent(new CustomEvent("backprop-lab:weights-changed", { detail: { from: "training" } }));
  }
  document.addEventListener("backprop-lab:weights-changed", (event) => {
    if (event.detail?.from !== "training") invalidate();
  });

  /** Trains up to `count` steps within `budget` ms; false if training had to stop. */
  function train(count, budget) {
    const started = performance.now();
    let done = 0;
    while (done < count && performance.now() - started < budget) {
      const chunk = Math.min(count - done, 25);
      const status = lab.train(chunk);
      if (status !== "trained") {
        alertBox.textContent = lab.message;
        alertBox.hidden = false;
        return false;
      }
      done += chunk;
    }
    speed.steps += done;
    return true;
  }

  function frame() {
    const started = performance.now();
    const ok = train(STEPS_PER_FRAME[Number($("#steps-per-frame").value)], TRAIN_BUDGET_MS);
    const now = performance.now();
    if (now - speed.since > 500) {
      speed.perSecond = (1000 * speed.steps) / (now - speed.since);
      speed.since = now;
      speed.steps = 0;
    }
    // With reduced motion the plots follow at 2 frames a second; training goes on at full speed.
    if (!reducedMotion.matches || now - lastDraw > 500) {
      for (const name of Object.keys(canvases)) dirty.add(name);
      drawDirty();
      lastDraw = now;
    }
    window.backpropLab.frames?.push(performance.now() - started);
    if (!ok) {
      setPlaying(false);
      return;
    }
    frameHandle = requestAnimationFrame(frame);
  }

  play.addEventListener("click", () => setPlaying(!playing));
  $("#train-step").addEventListener("click", () => {
    setPlaying(false);
    if (train(1, Infinity)) alertBox.hidden = true;
    invalidate();
    announceWeights();
  });
  $("#train-reset").addEventListener("click", () => {
    setPlaying(false);
    lab.reset();
    alertBox.hidden = true;
    cursor = -1;
    invalidate();
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && target.closest("input, select, textarea, button, [role=slider]");
    if (event.key !== " " || typing || section.hidden || event.repeat) return;
    event.preventDefault();
    setPlaying(!playing);
  });

  // ----- controls -----
  /**
   * Applies a setting; a refusal is shown, never thrown past here. `weights` says whether the
   * setting can change the network or its data, which the other panels then reload.
   */
  function apply(change, weights = true) {
    try {
      change();
      alertBox.hidden = true;
    } catch (error) {
      alertBox.textContent = error.message;
      alertBox.hidden = false;
    }
    cursor = -1;
    syncControls();
    invalidate();
    if (weights) announceWeights();
  }
  function syncControls() {
    $("#steps-per-frame-value").textContent = String(STEPS_PER_FRAME[Number($("#steps-per-frame").value)]);
    $("#point-count-value").textContent = $("#point-count").value;
    $("#noise-value").textContent = Number($("#noise").value).toFixed(2);
    $("#hidden-units-value").textContent = $("#hidden-units").value;
    $("#init-scale-value").textContent = String(INIT_SCALES[Number($("#init-scale").value)]);
    $("#learning-rate-value").textContent = String(LEARNING_RATES[Number($("#learning-rate").value)]);
    $("#batch-size-value").textContent = $("#batch-size").value;
    const mini = $("#batch-mode").value === "mini";
    $("#batch-size").hidden = !mini;
    $("#batch-size-label").hidden = !mini;
    const custom = $("#dataset").value === "custom";
    $("#clear-points").hidden = !custom;
    $("#point-count").disabled = custom;
    $("#noise").disabled = custom;
    $("#unit-swatch").setAttribute("stroke", `var(--${$("#training-activation").value})`);
  }
  const on = (id, event, handler, weights = true) =>
    $(id).addEventListener(event, (e) => apply(() => handler(e.target), weights));
  on("#dataset", "change", (el) => lab.setDataset(el.value));
  on("#point-count", "input", (el) => lab.setCount(Number(el.value)));
  on("#noise", "input", (el) => lab.setNoise(Number(el.value)));
  on("#seed", "change", (el) => {
    const value = Math.round(Number(el.value));
    if (!(value >= 0 && value <= 999999)) throw new Error("The seed must be a whole number from 0 to 999999.");
    lab.setSeed(value);
  });
  on("#constant-input", "change", (el) => lab.setConstant(el.checked));
  on("#clear-points", "click", () => lab.clearPoints());
  on("#hidden-units", "input", (el) => lab.setHidden(Number(el.value)));
  on("#training-activation", "change", (el) => lab.setActivation(el.value));
  on("#init-scale", "input", (el) => lab.setInitScale(INIT_SCALES[Number(el.value)]));
  // These keep the weights and the data, so the other panels have nothing to reload.
  on("#learning-rate", "input", (el) => lab.setLearningRate(LEARNING_RATES[Number(el.value)]), false);
  on("#batch-mode", "change", (el) => lab.setBatch(el.value, Number($("#batch-size").value)), false);
  on("#batch-size", "input", (el) => lab.setBatch("mini", Number(el.value)), false);
  on("#steps-per-frame", "input", () => {}, false);
  on("#show-units", "change", (el) => lab.setUnitsShown(el.checked), false);
  $("#training-controls").addEventListener("submit", (event) => event.preventDefault());

  // ----- weights as JSON -----
  $("#export-weights").addEventListener("click", () => {
    const json = {
      format: "backprop-lab-weights",
      version: 1,
      m: lab.inputs,
      h: lab.hidden,
      activation: lab.activation,
      A: [...lab.weightsA()],
      b: [...lab.weightsB()],
    };
    const url = URL.createObjectURL(new Blob([JSON.stringify(json, null, 1)], { type: "application/json" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `backprop-lab-weights-h${lab.hidden}.json` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  $("#import-weights").addEventListener("click", () => $("#import-file").click());
  $("#import-file").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    try {
      importWeights(JSON.parse(await file.text()));
      alertBox.hidden = true;
    } catch (error) {
      alertBox.textContent = `Those weights could not be loaded: ${error.message}`;
      alertBox.hidden = false;
    }
    invalidate();
    announceWeights();
  });
  /** Applies exported weights: sets h, the constant input and the activation to match first. */
  function importWeights(json) {
    if (json?.format !== "backprop-lab-weights") throw new Error("this is not a Backprop Lab weights file");
    const { m, h, activation, A, b } = json;
    if (!(m === 1 || m === 2)) throw new Error("m must be 1 or 2");
    if (!(Number.isInteger(h) && h >= 1 && h <= 64)) throw new Error("h must be a whole number from 1 to 64");
    const select = $("#training-activation");
    if (![...select.options].some((o) => o.value === activation)) throw new Error(`unknown activation “${activation}”`);
    $("#hidden-units").value = String(h);
    lab.setHidden(h);
    $("#constant-input").checked = m === 2;
    lab.setConstant(m === 2);
    select.value = activation;
    lab.setActivation(activation);
    lab.loadWeights(A, b);
    syncControls();
  }

  // ----- adding and removing points on the fit plot -----
  let press = null;
  canvases.fit.addEventListener("pointerdown", (event) => {
    const longPress = event.pointerType !== "mouse"
      ? setTimeout(() => { press = null; edit(event.offsetX, event.offsetY, true); }, 550)
      : null;
    press = { x: event.offsetX, y: event.offsetY, remove: event.shiftKey, longPress };
  });
  canvases.fit.addEventListener("pointerup", () => {
    if (!press) return;
    clearTimeout(press.longPress);
    edit(press.x, press.y, press.remove);
    press = null;
  });
  canvases.fit.addEventListener("pointerleave", () => {
    if (press) clearTimeout(press.longPress);
    press = null;
  });
  canvases.fit.addEventListener("contextmenu", (event) => event.preventDefault());
  function edit(x, y, remove) {
    apply(() => {
      const changed = remove ? lab.removePointAtPixel(x, y) : lab.addPointAtPixel(x, y);
      if (changed) $("#dataset").value = "custom";
    });
  }

  // ----- the loss chart's cursor -----
  canvases.loss.addEventListener("pointermove", (event) => {
    cursor = lab.setLossCursor(event.offsetX, NaN);
    invalidate("loss", "gradients");
  });
  canvases.loss.addEventListener("keydown", (event) => {
    const last = lab.historyLength() - 1;
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -20, PageUp: 20 };
    let next;
    if (event.key in moves) next = (cursor < 0 ? last : cursor) + moves[event.key];
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = last;
    else return;
    event.preventDefault();
    cursor = lab.setLossCursor(NaN, Math.max(0, Math.min(last, next)));
    invalidate("loss", "gradients");
  });

  // The student's own points and the steps trained so far, for links that replay a run.
  registerState("t_pts", {
    get: () => ($("#dataset").value === "custom" ? lab.customPoints().join(",") : null),
    set: (text) => {
      const numbers = text === "" ? [] : text.split(",").map(Number);
      if (numbers.length % 2 !== 0 || numbers.some((v) => !Number.isFinite(v))) return "must be x,y pairs of numbers";
      if (numbers.length > 1000) return "at most 500 points";
      lab.clearPoints();
      for (let i = 0; i < numbers.length; i += 2) lab.addPoint(numbers[i], numbers[i + 1]);
      $("#dataset").value = "custom";
      syncControls();
      invalidate();
      return null;
    },
  });
  registerState("t_steps", {
    get: () => (lab.steps > 0 ? String(lab.steps) : null),
    set: (text) => {
      const steps = Number(text);
      if (!Number.isInteger(steps) || steps < 0 || steps > MAX_LINK_STEPS) return `must be a whole number from 0 to ${MAX_LINK_STEPS}`;
      const outcome = steps > lab.steps ? lab.train(steps - lab.steps) : "trained";
      if (outcome !== "trained") {
        alertBox.textContent = lab.message;
        alertBox.hidden = false;
      }
      invalidate();
      announceWeights();
      return null;
    },
  });

  syncControls();
  for (const name of Object.keys(canvases)) dirty.add(name);
  drawDirty();
}
