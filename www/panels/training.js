// The training lab: gradient descent on the worksheet's network, live. Rust owns the network,
// the data, the history and the loss chart's cursor (TrainingLab); this file passes control
// values in and writes numbers out. The animation loop is training-loop.js, the weights file
// training-weights.js, fit by hand and editing points on the plot training-hand.js.

import { fitCanvas, onColourSchemeChange, onPixelRatioChange, prefersDark, registerRedraw, throttle } from "../canvas.js";
import { controlValue } from "../controls.js";
import { formatSignificant } from "../format.js";
import { markFirstPlot, panelTools } from "../panel.js";
import { sharedLab } from "../shared.js";
import { runInSlices } from "../slices.js";
import { parseDecimal, parseWhole, registerState } from "../state.js";
import { fitPlotPointer, mountFitByHand } from "./training-hand.js";
import { trainingLoop } from "./training-loop.js";
import { readWeights, saveWeights } from "./training-weights.js";

/** The most work a link may ask to replay, in steps × lab.workPerStep: about 2 s of training
 * in Chromium on a 2-core machine (a unit took about 6 ns), or 4 to 5 s of replaying in 8 ms
 * slices, one a frame. */
const MAX_LINK_WORK = 3e8;
/** Nanoseconds one unit of work took here, for the estimate in a refusal. */
const WORK_UNIT_NS = 6;

export function mount(section, limits, lab = sharedLab()) {
  const { $ } = panelTools(section);
  const canvases = {
    fit: $("#fit-canvas"),
    loss: $("#loss-canvas"),
    gradients: $("#gradient-canvas"),
    saturation: $("#saturation-canvas"),
  };
  const play = $("#train-play");
  const showAlert = alertWriter($("#training-alert"));
  let replay = null;

  // ----- drawing: only what changed, once per animation frame -----
  const { invalidate, drawDirty, drawAll } = plotDrawer(section, lab, canvases, {
    paused: () => !loop.playing,
    written: (saturation, text) => numbers.write(saturation, text),
  });

  // ----- training: the animation loop, one step, reset -----
  const loop = trainingLoop(lab, {
    stepsPerFrame: () => controlValue($("#steps-per-frame"), limits),
    paint: (kind) => {
      if (kind !== "text") invalidate(kind);
      drawDirty(kind === "text");
    },
    stopped: showAlert,
    changed: (on) => {
      play.setAttribute("aria-pressed", String(on));
      play.querySelector("span").textContent = on ? "Pause" : "Play";
      if (on) {
        showAlert("");
      } else {
        invalidate();
        announceWeights();
      }
    },
  });
  const numbers = numbersWriter(section, lab, limits, canvases, loop);
  const setPlaying = (on) => {
    if (!(on && replay)) loop.setPlaying(on);
  };

  document.addEventListener("backprop-lab:weights-changed", (event) => {
    if (event.detail?.from !== "training") invalidate();
  });
  const apply = changeRunner(section, lab, limits, { loop, showAlert, invalidate });

  playControls(section, lab, loop, { setPlaying, apply });

  // ----- controls -----
  const setters = wireSettings(section, lab, limits, apply);

  // ----- the weights as a file -----
  weightsFileButtons(section, lab, limits, { pause: () => loop.setPlaying(false), showAlert, invalidate });

  // ----- the fit plot: fit by hand, or adding and removing points -----
  const hand = mountFitByHand(section, lab, limits, { apply, pause: () => setPlaying(false), play: () => setPlaying(true), redraw: invalidate, showAlert });
  fitPlotPointer(canvases.fit, hand, pointEditor(section, lab, { apply, showAlert }), announceWeights);
  lossCursor(canvases.loss, lab, () => invalidate("loss", "gradients"));

  // ----- the student's own points and the steps trained so far, for links -----
  registerLinkState(section, lab, limits, {
    redraw: () => {
      invalidate();
      announceWeights();
    },
    replay: (target) => {
      replay = replaySteps(section, lab, loop, target, { redraw: invalidate, showAlert });
      replay.done.then(() => {
        replay = null;
        invalidate();
        announceWeights();
      });
    },
  });

  // ----- start: the lab takes the settings the controls show (the defaults, or a link's) -----
  takeSettings(section, lab, setters, apply);
  syncControls(section, limits);
  drawAll();
  // Panels mounted before this one read the lab before it took the link's settings.
  announceWeights();
}

/** Shows `text` in the lab's alert box, or hides the box for "". */
function alertWriter(alertBox) {
  return (text) => {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  };
}

/** Tells the other panels (explorer, vanishing, cost) that the shared network changed. */
function announceWeights() {
  document.dispatchEvent(new CustomEvent("backprop-lab:weights-changed", { detail: { from: "training" } }));
}

/**
 * `apply(change, announce = true)` runs a change to the lab; a refusal is shown, never thrown
 * past here. The other panels are told when the weights or the data changed (the lab's
 * generation moved), and only then (`announce` false: not even then; mount tells them once at
 * its end).
 */
function changeRunner(section, lab, limits, { loop, showAlert, invalidate }) {
  return (change, announce = true) => {
    loop.resetCost(); // the cost of a step may have changed
    const before = lab.generation;
    try {
      change();
      showAlert("");
    } catch (error) {
      showAlert(error.message);
    }
    syncControls(section, limits);
    invalidate();
    if (announce && lab.generation !== before) announceWeights();
  };
}

/**
 * The export and import buttons of the weights file. An import pauses training; a refusal is
 * shown and changes nothing.
 */
function weightsFileButtons(section, lab, limits, { pause, showAlert, invalidate }) {
  const $ = (selector) => section.querySelector(selector);
  $("#export-weights").addEventListener("click", () => saveWeights(lab));
  $("#import-weights").addEventListener("click", () => $("#import-file").click());
  $("#import-file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    event.target.value = "";
    if (!file) return;
    pause();
    loadWeights(section, lab, limits, file).then(() => {
      syncControls(section, limits);
      showAlert("");
    }, (error) => showAlert(`Those weights could not be loaded, and nothing was changed: ${error.message}`)).finally(() => {
      invalidate();
      announceWeights();
    });
  });
}

/**
 * What a click on the fit plot does outside fit by hand: `(x, y, remove)` adds a point at the
 * pixel, or removes the one under it, unless the activity fixed the data set.
 */
function pointEditor(section, lab, { apply, showAlert }) {
  const dataset = section.querySelector("#dataset");
  return (x, y, remove) => {
    if (dataset.disabled) {
      showAlert("The data set is fixed for this activity, so points cannot be added or removed.");
      return;
    }
    apply(() => {
      const changed = remove ? lab.removePointAtPixel(x, y) : lab.addPointAtPixel(x, y);
      if (changed) dataset.value = "custom";
    });
  };
}

/** Hands the lab every setting the controls show (the batch size only for mini-batches). */
function takeSettings(section, lab, setters, apply) {
  const $ = (selector) => section.querySelector(selector);
  for (const [id, set] of Object.entries(setters)) {
    if (id === "#batch-size" && $("#batch-mode").value !== "mini") continue;
    apply(() => set($(id)), false);
  }
  lab.setUnitsShown($("#show-units").checked);
}

/**
 * The plots, drawn only when marked (`invalidate(...names)`, all without names) and once per
 * animation frame while `paused()` (the training loop draws its own frames by `drawDirty`);
 * `drawAll()` draws every plot now. `written(saturation, text)` writes the numbers after each
 * drawing.
 */
function plotDrawer(section, lab, canvases, { paused, written }) {
  const dirty = new Set();
  let drawPending = false;
  function invalidate(...which) {
    for (const name of which.length ? which : Object.keys(canvases)) dirty.add(name);
    if (!drawPending && paused()) {
      drawPending = true;
      requestAnimationFrame(() => { drawPending = false; drawDirty(); });
    }
  }
  function draw(name) {
    const canvas = canvases[name];
    if (canvas.offsetParent === null) return; // hidden: drawn when shown
    const ratio = fitCanvas(canvas);
    const dark = prefersDark();
    if (name === "fit") canvas.dataset.unitCurves = String(lab.drawFit(canvas, ratio, dark));
    else if (name === "loss") lab.drawLoss(canvas, ratio, dark);
    else if (name === "gradients") lab.drawGradients(canvas, ratio, dark);
    else lab.drawSaturation(canvas, ratio, dark);
  }
  /** Draws the plots marked dirty and writes the numbers (`text` false: only the progress
   * event). */
  function drawDirty(text = true) {
    const started = performance.now();
    const saturation = dirty.has("saturation");
    for (const name of dirty) draw(name);
    dirty.clear();
    written(saturation, text);
    section.dataset.drawMs = (performance.now() - started).toFixed(2);
    markFirstPlot();
  }
  const drawAll = () => {
    for (const name of Object.keys(canvases)) dirty.add(name);
    drawDirty();
  };
  registerRedraw(drawAll);
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) invalidate(Object.keys(canvases).find((k) => canvases[k] === entry.target));
  });
  Object.values(canvases).forEach((canvas) => observer.observe(canvas));
  // As every other panel's plots (canvas.js's redrawOnChange): the colours and the pixel ratio.
  onColourSchemeChange(() => invalidate());
  onPixelRatioChange(() => invalidate());
  return { invalidate, drawDirty, drawAll };
}

/** Each setting's control, applied to the lab as it changes. Returns the setters, by control. */
function wireSettings(section, lab, limits, apply) {
  const $ = (selector) => section.querySelector(selector);
  const value = (id) => controlValue($(id), limits);
  const setters = {
    "#dataset": (el) => lab.setDataset(el.value),
    "#point-count": (el) => lab.setCount(Number(el.value)),
    "#noise": (el) => lab.setNoise(Number(el.value)),
    "#seed": (el) => lab.setSeed(parseWhole(el.value) ?? NaN),
    "#constant-input": (el) => lab.setConstant(el.checked),
    "#hidden-units": (el) => lab.setHidden(Number(el.value)),
    "#training-activation": (el) => lab.setActivation(el.value),
    "#init-scale": () => lab.setInitScale(value("#init-scale")),
    "#learning-rate": () => lab.setLearningRate(value("#learning-rate")),
    "#batch-mode": (el) => lab.setBatch(el.value, Number($("#batch-size").value)),
    "#batch-size": (el) => lab.setBatch("mini", Number(el.value)),
  };
  for (const [id, set] of Object.entries(setters)) {
    const event = $(id).matches("select, [type=checkbox], [type=number]") ? "change" : "input";
    $(id).addEventListener(event, (e) => apply(() => set(e.target)));
  }
  $("#clear-points").addEventListener("click", () => apply(() => lab.clearPoints()));
  $("#steps-per-frame").addEventListener("input", () => syncControls(section, limits));
  $("#show-units").addEventListener("change", (e) => apply(() => lab.setUnitsShown(e.target.checked)));
  return setters;
}

/**
 * Puts the weights of a file the student chose into the lab, and the controls they change;
 * throws an Error that says what is wrong, with nothing changed.
 */
async function loadWeights(section, lab, limits, file) {
  const $ = (selector) => section.querySelector(selector);
  const json = await readWeights(file, limits);
  const locked = [["#hidden-units", json.h, lab.hidden], ["#training-activation", json.activation, lab.activation], ["#constant-input", json.m, lab.inputs]]
    .find(([id, wanted, now]) => $(id).disabled && wanted !== now);
  if (locked) throw new Error(`its network differs from this activity's, whose ${locked[0] === "#constant-input" ? "input" : locked[0] === "#hidden-units" ? "hidden units" : "activation"} your instructor fixed`);
  // The core checks everything (shape, numbers, ranges) before it changes anything.
  lab.importWeights(json.m, json.h, json.activation, json.A, json.b);
  $("#hidden-units").value = String(lab.hidden);
  $("#constant-input").checked = lab.inputs === 2;
  $("#training-activation").value = lab.activation;
  const byHand = $("#by-hand");
  if (byHand.checked && lab.inputs !== 2) {
    // Fit by hand needs x = [x, 1]; the core turned it off with the import, and the
    // checkbox's own handler hides its panel.
    byHand.checked = false;
    byHand.dispatchEvent(new Event("change"));
  }
}

/** Play and Pause (also the space bar, outside form controls), one Step, and Reset. */
function playControls(section, lab, loop, { setPlaying, apply }) {
  const $ = (selector) => section.querySelector(selector);
  $("#train-play").addEventListener("click", () => setPlaying(!loop.playing));
  $("#train-step").addEventListener("click", () => {
    setPlaying(false);
    apply(() => {
      if (loop.train(1, Infinity) < 0) throw new Error(lab.message);
    });
  });
  $("#train-reset").addEventListener("click", () => {
    setPlaying(false);
    apply(() => lab.reset());
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && target.closest("input, select, textarea, button, [role=slider]");
    if (event.key !== " " || typing || !section.isConnected || event.repeat) return;
    event.preventDefault();
    setPlaying(!loop.playing);
  });
}

/** The loss chart's cursor (kept in Rust), by pointer and keys; `moved()` redraws. */
function lossCursor(canvas, lab, moved) {
  canvas.addEventListener("pointermove", (event) => {
    lab.pointLossCursor(event.offsetX);
    moved();
  });
  canvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -20, PageUp: 20, Home: -Infinity, End: Infinity };
    if (!(event.key in moves)) return;
    event.preventDefault();
    lab.moveLossCursor(moves[event.key]);
    moved();
  });
}

/** The values beside the sliders, and the controls only some settings show. */
function syncControls(section, limits) {
  const $ = (selector) => section.querySelector(selector);
  const value = (id) => controlValue($(id), limits);
  $("#steps-per-frame-value").textContent = String(value("#steps-per-frame"));
  $("#point-count-value").textContent = $("#point-count").value;
  $("#noise-value").textContent = Number($("#noise").value).toFixed(2);
  $("#hidden-units-value").textContent = $("#hidden-units").value;
  $("#init-scale-value").textContent = String(value("#init-scale"));
  $("#learning-rate-value").textContent = String(value("#learning-rate"));
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

/**
 * The numbers under the plots: `write(saturation, text)` writes them (`text` false: none) and
 * tells listeners (goals) the losses; `cursor()` writes the loss chart's cursor.
 */
function numbersWriter(section, lab, limits, canvases, loop) {
  const $ = (selector) => section.querySelector(selector);
  const announce = $("#training-announce");
  const lossReadout = $("#loss-readout");
  const speak = throttle((text) => { announce.textContent = text; }, 3000);
  /** Writes the numbers under the plots (`text` false: none) and tells listeners (goals) the
   * losses. The saturated share, a pass over every unit and point, is written with its plot,
   * or while training with the other numbers (a frame that rewrites text costs the browser a
   * layout and a paint, so training frames rewrite it at most 10 times a second). */
  function write(saturation, text = true) {
    const points = lab.trainCount();
    const train = lab.trainLoss();
    const test = lab.testLoss();
    const step = lab.steps;
    if (text && (saturation || loop.playing)) {
      const name = $("#training-activation").selectedOptions[0].textContent;
      $("#saturation-readout").textContent = points === 0 ? "No points."
        : `${(100 * lab.saturatedShare()).toFixed(1)}% of (unit, point) pairs have ${name}′ < ${limits.saturationLevel} and pass almost no gradient back.`;
    }
    section.dispatchEvent(new CustomEvent("backprop-lab:progress", {
      detail: { steps: step, train, test, testCount: lab.testCount(), trainText: formatSignificant(train), testText: formatSignificant(test) },
    }));
    if (!text) return;
    $("#status-step").textContent = step.toLocaleString("en-US");
    section.dataset.trainLoss = String(train); // full precision, for the link round-trip tests
    $("#status-train").textContent = points ? formatSignificant(train) : "no points yet";
    $("#status-test").textContent = lab.testCount() ? formatSignificant(test) : "no test set";
    $("#status-speed").textContent = Number.isFinite(loop.speed.perSecond) && loop.playing
      ? Math.round(loop.speed.perSecond).toLocaleString("en-US") : "–";
    $("#train-count").textContent = String(points);
    canvases.fit.setAttribute("aria-label", `The ${points} training points and the network's prediction f(x), the sum of ${lab.hidden} hidden units' curves, after ${step} steps`);
    $("#test-count").textContent = String(lab.testCount());
    const norms = lab.gradientNorms();
    $("#gradient-readout").textContent = step === 0
      ? "No step yet."
      : `last step: ‖∂L/∂A‖ = ${formatSignificant(norms.a)}, ‖∂L/∂b‖ = ${formatSignificant(norms.b)}`;
    canvases.loss.setAttribute("aria-valuemax", String(Math.max(0, lab.historyLength() - 1)));
    cursor();
    if (points) speak(`Step ${step}, train loss ${formatSignificant(train)}${lab.testCount() ? `, test loss ${formatSignificant(test)}` : ""}.`);
  }
  function cursor() {
    const entry = lab.lossCursor();
    if (!entry) {
      lossReadout.textContent = "Point at the loss plot to read a step.";
      return;
    }
    const text = `step ${entry.step.toLocaleString("en-US")}: train ${formatSignificant(entry.train)}`
      + (lab.testCount() ? `, test ${formatSignificant(entry.test)}` : "");
    lossReadout.textContent = text;
    canvases.loss.setAttribute("aria-valuenow", String(entry.index));
    canvases.loss.setAttribute("aria-valuetext", text);
  }
  return { write, cursor };
}

/** The link's t_pts (the student's own points) and t_steps (steps to replay). */
function registerLinkState(section, lab, limits, { redraw, replay }) {
  const $ = (selector) => section.querySelector(selector);
  registerState("t_pts", {
    get: () => {
      if ($("#dataset").value !== "custom") return null;
      const pairs = lab.customPoints();
      return pairs.length ? pairs.join(",") : "none";
    },
    set: (text) => {
      const numbers = text === "none" ? [] : text.split(",").map(parseDecimal);
      if (text === "" || numbers.some((v) => v === null)) return "must be x,y pairs of decimal numbers, or none";
      lab.setPoints(Float64Array.from(numbers)); // checks every point before changing anything
      $("#dataset").value = "custom";
      syncControls(section, limits);
      redraw();
      return null;
    },
  });
  registerState("t_steps", {
    get: () => (lab.steps > 0 ? String(lab.steps) : null),
    set: (text) => {
      const steps = parseWhole(text);
      if (steps === null || steps < 0) return "must be a whole number of steps";
      const work = steps * lab.workPerStep;
      if (work > MAX_LINK_WORK) {
        const most = Math.floor(MAX_LINK_WORK / lab.workPerStep);
        const seconds = Math.round((work * WORK_UNIT_NS) / 1e9);
        return `replaying ${steps.toLocaleString("en-US")} steps would take about ${seconds.toLocaleString("en-US")} s of training here; with these settings a link replays at most ${most.toLocaleString("en-US")} steps (a few seconds)`;
      }
      if (steps > lab.steps) replay(steps);
      return null;
    },
  });
}

/** Replays a link's steps in slices, with progress and Cancel; the page stays usable. */
function replaySteps(section, lab, loop, target, { redraw, showAlert }) {
  const started = lab.steps;
  return runInSlices({
    status: section.querySelector("#training-progress"),
    label: `Replaying the link's ${target.toLocaleString("en-US")} steps`,
    slice: (budget) => {
      if (loop.train(target - lab.steps, budget) < 0) return { finished: true };
      redraw("fit");
      return { progress: (lab.steps - started) / (target - started), finished: lab.steps >= target };
    },
    onCancel: () => showAlert(`Replaying stopped at step ${lab.steps.toLocaleString("en-US")} of ${target.toLocaleString("en-US")}.`),
  });
}
