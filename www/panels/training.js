// The training lab: gradient descent on the worksheet's network, live. Rust owns the network,
// the data, the history and the loss chart's cursor (TrainingLab); this file runs the
// animation loop within a frame budget, passes control values in and writes numbers out.

import { fitCanvas, prefersDark, registerRedraw, throttle } from "../canvas.js";
import { controlValue } from "../controls.js";
import { formatSignificant } from "../format.js";
import { sharedLab } from "../shared.js";
import { runInSlices } from "../slices.js";
import { parseDecimal, parseWhole, registerState } from "../state.js";

const STEPS_PER_FRAME = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** What a call to train costs besides its steps, in steps: after the steps the lab works out
 * the train and test losses for the history (a pass over the training points and one over
 * the test points, half as many). */
const CALL_COST_IN_STEPS = 1.5;
/** A training frame's callback (steps, one plot, the numbers) aims to stay within this. */
const FRAME_BUDGET_MS = 5;
/** The whole training frame, the callback and then the browser's layout, paint and
 * rasterisation of what it drew, aims to end within this, so that a 120 Hz display (8.3 ms
 * a frame) keeps up: where the browser's part is large (canvases rasterised in software, a
 * high pixel ratio, the numbers rewritten), the frame trains fewer steps. */
const FRAME_TARGET_MS = 7;
/** A frame's browser work after its callback counts as at most this in the estimates (a
 * frame delayed by something else, such as a garbage collection, says little of the next). */
const AFTER_CALLBACK_MOST_MS = 12;
/** Kept free of steps in each frame, for the estimates' error. */
const FRAME_MARGIN_MS = 0.7;
/** While training runs, the numbers under the plots are rewritten at most this often: each
 * rewrite costs the page a layout, and nobody reads numbers that change 60 times a second. */
const TEXT_INTERVAL_MS = 100;
/** The most work a link may ask to replay, in steps × lab.workPerStep: about 2 s of training
 * in Chromium on a 2-core machine (a unit took about 6 ns), or 4 to 5 s of replaying in 8 ms
 * slices, one a frame. */
const MAX_LINK_WORK = 3e8;
/** Nanoseconds one unit of work took here, for the estimate in a refusal. */
const WORK_UNIT_NS = 6;
/** A slice takes at most this many times the steps of the one before, so a first estimate
 * of the cost of a step (timers are coarse) cannot make one slice run long. */
const SLICE_GROWTH = 4;
/** The largest weights file read. */
const MAX_WEIGHTS_FILE = 200_000;

/** The version of the weights file this page writes and reads. */
const WEIGHTS_VERSION = 1;

/**
 * A weights file's fields, each of the type the page writes (a number is a JSON number, never
 * "4" or [4]); throws an Error that says what is wrong. The core then checks the values.
 */
function readWeightsFile(json) {
  if (json === null || typeof json !== "object" || Array.isArray(json) || json.format !== "backprop-lab-weights") {
    throw new Error("this is not a Backprop Lab weights file");
  }
  if (json.version !== WEIGHTS_VERSION) {
    const version = typeof json.version === "number" ? `version ${json.version}` : "of no known version";
    throw new Error(`the file is ${version}; this page reads version ${WEIGHTS_VERSION}`);
  }
  for (const [key, what] of [["m", "the input size"], ["h", "the number of hidden units"]]) {
    if (typeof json[key] !== "number") throw new Error(`"${key}" (${what}) must be a number, such as 2`);
  }
  if (typeof json.activation !== "string") throw new Error('"activation" must be the name of an activation, such as "sigmoid"');
  for (const key of ["A", "b"]) {
    if (!Array.isArray(json[key])) throw new Error(`"${key}" must be a list of numbers`);
  }
  return { m: json.m, h: json.h, activation: json.activation, A: json.A, b: json.b };
}

export function mount(section, limits, lab = sharedLab()) {
  const $ = (selector) => section.querySelector(selector);
  const canvases = {
    fit: $("#fit-canvas"),
    loss: $("#loss-canvas"),
    gradients: $("#gradient-canvas"),
    saturation: $("#saturation-canvas"),
  };
  const play = $("#train-play");
  const alertBox = $("#training-alert");
  const progress = $("#training-progress");
  const announce = $("#training-announce");
  const lossReadout = $("#loss-readout");
  const value = (id) => controlValue($(id), limits);

  let playing = false;
  let replay = null;
  let frameHandle = 0;
  const speed = { since: performance.now(), steps: 0, perSecond: NaN };
  /** When the numbers were last written as text (TEXT_INTERVAL_MS). */
  let lastText = 0;
  /** Milliseconds per step; the rest of a frame's callback by the frame's kind (the plot it
   * draws, or "text" where it rewrites the numbers instead); and the browser's work after the
   * callback by kind. Learned as the lab runs (a step's cost is measured on a single step
   * first, whenever the settings change). */
  const cost = { step: null, lastSteps: 1, rest: { fit: 2, loss: 2, gradients: 2, saturation: 2, text: 2 }, after: {} };

  function showAlert(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

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
    writeNumbers(saturation, text);
    section.dataset.drawMs = (performance.now() - started).toFixed(2);
    if (!window.backpropLab.firstPlotMs) window.backpropLab.firstPlotMs = performance.now();
  }
  registerRedraw(() => {
    for (const name of Object.keys(canvases)) dirty.add(name);
    drawDirty();
  });
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) invalidate(Object.keys(canvases).find((k) => canvases[k] === entry.target));
  });
  Object.values(canvases).forEach((canvas) => observer.observe(canvas));
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => invalidate());

  // ----- numbers as text -----
  const speak = throttle((text) => { announce.textContent = text; }, 3000);
  /** Writes the numbers under the plots (`text` false: none) and tells listeners (goals) the
   * losses. The saturated share, a pass over every unit and point, is written with its plot,
   * or while training with the other numbers (a frame that rewrites text costs the browser a
   * layout and a paint, so training frames rewrite it at most 10 times a second). */
  function writeNumbers(saturation, text = true) {
    const points = lab.trainCount();
    const train = lab.trainLoss();
    const test = lab.testLoss();
    const step = lab.steps;
    if (text && (saturation || playing)) {
      const name = $("#training-activation").selectedOptions[0].textContent;
      $("#saturation-readout").textContent = points === 0 ? "No points."
        : `${(100 * lab.saturatedShare()).toFixed(1)}% of (unit, point) pairs have ${name}′ < ${limits.saturationLevel} and pass almost no gradient back.`;
    }
    section.dispatchEvent(new CustomEvent("backprop-lab:progress", {
      detail: { steps: step, train, test, testCount: lab.testCount(), trainText: formatSignificant(train), testText: formatSignificant(test) },
    }));
    if (!text) return;
    lastText = performance.now();
    $("#status-step").textContent = step.toLocaleString("en-US");
    section.dataset.trainLoss = String(train); // full precision, for the link round-trip tests
    $("#status-train").textContent = points ? formatSignificant(train) : "no points yet";
    $("#status-test").textContent = lab.testCount() ? formatSignificant(test) : "no test set";
    $("#status-speed").textContent = Number.isFinite(speed.perSecond) && playing
      ? Math.round(speed.perSecond).toLocaleString("en-US") : "–";
    $("#train-count").textContent = String(points);
    canvases.fit.setAttribute("aria-label", `The ${points} training points and the network's prediction f(x), the sum of ${lab.hidden} hidden units' curves, after ${step} steps`);
    $("#test-count").textContent = String(lab.testCount());
    const norms = lab.gradientNorms();
    $("#gradient-readout").textContent = step === 0
      ? "No step yet."
      : `last step: ‖∂L/∂A‖ = ${formatSignificant(norms.a)}, ‖∂L/∂b‖ = ${formatSignificant(norms.b)}`;
    canvases.loss.setAttribute("aria-valuemax", String(Math.max(0, lab.historyLength() - 1)));
    writeCursor();
    if (points) speak(`Step ${step}, train loss ${formatSignificant(train)}${lab.testCount() ? `, test loss ${formatSignificant(test)}` : ""}.`);
  }
  function writeCursor() {
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

  // ----- the animation loop -----
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  /** While training runs, one plot is drawn per frame: the fit every other frame (30 times a
   * second at 60 Hz), the others in turn between; a frame that rewrites the numbers (10 times
   * a second) draws no plot, since rewriting text makes the browser lay out and paint the
   * page and copy every canvas. */
  const turns = ["fit", "loss", "fit", "gradients", "fit", "saturation"];
  let turn = 0;
  let lastDraw = 0;
  function setPlaying(on) {
    if (on && replay) return;
    playing = on;
    play.setAttribute("aria-pressed", String(on));
    play.querySelector("span").textContent = on ? "Pause" : "Play";
    cancelAnimationFrame(frameHandle);
    if (on) {
      showAlert("");
      speed.since = performance.now();
      speed.steps = 0;
      frameHandle = requestAnimationFrame(frame);
    } else {
      invalidate();
      announceWeights();
    }
  }

  /** Tells the other panels (explorer, vanishing, cost) that the shared network changed. */
  function announceWeights() {
    document.dispatchEvent(new CustomEvent("backprop-lab:weights-changed", { detail: { from: "training" } }));
  }
  document.addEventListener("backprop-lab:weights-changed", (event) => {
    if (event.detail?.from !== "training") invalidate();
  });

  /**
   * Trains up to `count` steps within about `budget` ms, in one call sized by the measured
   * cost of a step. Returns the steps taken, or -1 if training had to stop (the alert says
   * why).
   */
  function train(count, budget) {
    const affordable = cost.step === null ? 1 : Math.floor(budget / cost.step - CALL_COST_IN_STEPS);
    const steps = Math.max(1, Math.min(count, lab.maxStepsPerCall, affordable, SLICE_GROWTH * cost.lastSteps));
    cost.lastSteps = steps;
    const started = performance.now();
    const status = lab.train(steps);
    const measured = Math.max(1e-5, (performance.now() - started) / (steps + CALL_COST_IN_STEPS));
    cost.step = cost.step === null ? measured : 0.7 * cost.step + 0.3 * measured;
    if (status !== "trained") {
      showAlert(lab.message);
      return -1;
    }
    speed.steps += steps;
    return steps;
  }

  /**
   * A frame's main-thread work does not end with its callback. The browser then lays out and
   * paints the page, and where canvases are drawn in software (no GPU) it rasterises the
   * plots' paths only then. A message posted from the callback is handled after all of that,
   * so its handler sees the whole frame: the time after the callback is learned for the
   * frame's kind (`cost.after`), rising fast and falling slowly, since a frame that runs long
   * is what a student sees. make bench reads the frames' times too.
   */
  let frameEnd = null;
  function timeFrame(started, kind) {
    if (!frameEnd) {
      frameEnd = new MessageChannel();
      frameEnd.port1.onmessage = ({ data }) => {
        const whole = performance.now() - data.started;
        const after = Math.min(AFTER_CALLBACK_MOST_MS, whole - data.callback);
        const known = cost.after[data.kind] ?? after;
        cost.after[data.kind] = known + (after > known ? 0.5 : 0.1) * (after - known);
        window.backpropLab.frames?.push({ callback: data.callback, whole });
      };
    }
    frameEnd.port2.postMessage({ started, kind, callback: performance.now() - started });
  }

  function frame() {
    const started = performance.now();
    // With reduced motion the plots follow at 2 frames a second; training goes on at full speed.
    const drawing = !reducedMotion.matches || started - lastDraw > 500;
    const text = drawing && started - lastText >= TEXT_INTERVAL_MS;
    const kind = !drawing ? "none" : text ? "text" : turns[turn];
    // Steps get what is left of the callback's budget once the plot or the numbers are paid
    // for, and of the whole frame's target once the browser's part after the callback is too.
    const rest = cost.rest[kind] ?? 0;
    const left = Math.min(FRAME_BUDGET_MS - rest, FRAME_TARGET_MS - rest - (cost.after[kind] ?? 2));
    const budget = Math.max(0.5, left - FRAME_MARGIN_MS);
    const ok = train(STEPS_PER_FRAME[Number($("#steps-per-frame").value)], budget) >= 0;
    const now = performance.now();
    const training = now - started;
    if (now - speed.since > 500) {
      speed.perSecond = (1000 * speed.steps) / (now - speed.since);
      speed.since = now;
      speed.steps = 0;
    }
    if (drawing) {
      if (!text) {
        dirty.add(turns[turn]);
        turn = (turn + 1) % turns.length;
      }
      drawDirty(text);
      lastDraw = now;
      cost.rest[kind] = 0.8 * cost.rest[kind] + 0.2 * (performance.now() - started - training);
    }
    timeFrame(started, kind);
    if (!ok) {
      setPlaying(false);
      return;
    }
    frameHandle = requestAnimationFrame(frame);
  }

  play.addEventListener("click", () => setPlaying(!playing));
  $("#train-step").addEventListener("click", () => {
    setPlaying(false);
    if (train(1, Infinity) >= 0) showAlert("");
    invalidate();
    announceWeights();
  });
  $("#train-reset").addEventListener("click", () => {
    setPlaying(false);
    lab.reset();
    showAlert("");
    invalidate();
    announceWeights();
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && target.closest("input, select, textarea, button, [role=slider]");
    if (event.key !== " " || typing || !section.isConnected || event.repeat) return;
    event.preventDefault();
    setPlaying(!playing);
  });

  // ----- controls -----
  /**
   * Applies a setting; a refusal is shown, never thrown past here. `weights` says whether the
   * setting can change the network or its data, which the other panels then redraw.
   */
  function apply(change, weights = true) {
    cost.step = null; // the cost of a step may have changed
    cost.lastSteps = 1;
    try {
      change();
      showAlert("");
    } catch (error) {
      showAlert(error.message);
    }
    syncControls();
    invalidate();
    if (weights) announceWeights();
  }
  function syncControls() {
    $("#steps-per-frame-value").textContent = String(STEPS_PER_FRAME[Number($("#steps-per-frame").value)]);
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
  /** Settings that keep the weights and the data: the other panels have nothing to redraw. */
  const keepWeights = new Set(["#learning-rate", "#batch-mode", "#batch-size"]);
  for (const [id, set] of Object.entries(setters)) {
    const event = $(id).matches("select, [type=checkbox], [type=number]") ? "change" : "input";
    $(id).addEventListener(event, (e) => apply(() => set(e.target), !keepWeights.has(id)));
  }
  $("#clear-points").addEventListener("click", () => apply(() => lab.clearPoints()));
  $("#steps-per-frame").addEventListener("input", syncControls);
  $("#show-units").addEventListener("change", (e) => apply(() => lab.setUnitsShown(e.target.checked), false));
  $("#training-controls").addEventListener("submit", (event) => event.preventDefault());

  // ----- weights as JSON -----
  $("#export-weights").addEventListener("click", () => {
    const json = {
      format: "backprop-lab-weights",
      version: WEIGHTS_VERSION,
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
    setPlaying(false);
    try {
      if (file.size > MAX_WEIGHTS_FILE) throw new Error(`the file is ${file.size.toLocaleString("en-US")} bytes; a weights file is at most ${MAX_WEIGHTS_FILE.toLocaleString("en-US")}`);
      let json;
      try {
        json = JSON.parse(await file.text());
      } catch {
        throw new Error("it is not valid JSON");
      }
      json = readWeightsFile(json);
      const locked = [["#hidden-units", json.h, lab.hidden], ["#training-activation", json.activation, lab.activation], ["#constant-input", json.m, lab.inputs]]
        .find(([id, wanted, now]) => $(id).disabled && wanted !== now);
      if (locked) throw new Error(`its network differs from this activity's, whose ${locked[0] === "#constant-input" ? "input" : locked[0] === "#hidden-units" ? "hidden units" : "activation"} your instructor fixed`);
      // The core checks everything (shape, numbers, ranges) before it changes anything.
      lab.importWeights(json.m, json.h, json.activation, json.A, json.b);
      $("#hidden-units").value = String(lab.hidden);
      $("#constant-input").checked = lab.inputs === 2;
      $("#training-activation").value = lab.activation;
      if (byHand.checked && lab.inputs !== 2) {
        // Fit by hand needs x = [x, 1]; the core turned it off with the import, and the
        // checkbox's own handler hides its panel.
        byHand.checked = false;
        byHand.dispatchEvent(new Event("change"));
      }
      syncControls();
      showAlert("");
    } catch (error) {
      showAlert(`Those weights could not be loaded, and nothing was changed: ${error.message}`);
    }
    invalidate();
    announceWeights();
  });

  // ----- fit by hand: handles on the fit plot and sliders for the chosen unit -----
  const byHand = $("#by-hand");
  const hand = { position: $("#hand-position"), steepness: $("#hand-steepness"), height: $("#hand-height") };
  let dragging = false;
  function syncHand() {
    if (!byHand.checked) return;
    const units = $("#hand-unit");
    if (units.options.length !== lab.hidden) {
      units.replaceChildren(...Array.from({ length: lab.hidden }, (_, j) => new Option(`unit ${j + 1}`, String(j))));
    }
    units.value = String(lab.selectedUnit);
    const values = lab.handles();
    for (const [name, input] of Object.entries(hand)) {
      input.value = String(values[name]);
      $(`#hand-${name}-value`).textContent = formatSignificant(values[name], 3);
    }
    const close = lab.closeness();
    const target = $("#hand-target");
    target.textContent = close.reached
      ? `Mean loss ${formatSignificant(close.loss)}: within ${close.target}. Now let gradient descent finish and compare.`
      : `Mean loss ${formatSignificant(close.loss)}; the target is ${close.target} or less.`;
    target.classList.toggle("reached", close.reached);
  }
  byHand.addEventListener("change", () => {
    apply(() => {
      lab.setByHand(byHand.checked);
      $("#by-hand-panel").hidden = !byHand.checked;
    }, false);
    if (!byHand.checked) return;
    setPlaying(false);
    syncHand();
  });
  $("#hand-unit").addEventListener("change", (event) => {
    lab.selectUnit(Number(event.target.value));
    syncHand();
    invalidate("fit");
  });
  for (const [name, input] of Object.entries(hand)) {
    input.addEventListener("input", () => {
      let value = Number(input.value);
      const least = limits.handSteepness.least;
      if (name === "steepness" && Math.abs(value) < least) value = value < 0 ? -least : least;
      apply(() => lab.setHandle(name, value));
      syncHand();
    });
  }
  $("#hand-finish").addEventListener("click", () => setPlaying(true));
  document.addEventListener("backprop-lab:weights-changed", syncHand);

  // ----- adding and removing points on the fit plot -----
  let press = null;
  canvases.fit.addEventListener("pointerdown", (event) => {
    if (byHand.checked) {
      dragging = lab.grabHandleAtPixel(event.offsetX, event.offsetY);
      if (dragging) {
        canvases.fit.setPointerCapture(event.pointerId);
        setPlaying(false);
        syncHand();
        invalidate("fit");
      }
      return;
    }
    const longPress = event.pointerType !== "mouse"
      ? setTimeout(() => { press = null; edit(event.offsetX, event.offsetY, true); }, 550)
      : null;
    press = { x: event.offsetX, y: event.offsetY, remove: event.shiftKey, longPress };
  });
  canvases.fit.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    try {
      lab.dragHandleToPixel(event.offsetX, event.offsetY);
    } catch (error) {
      showAlert(error.message);
    }
    syncHand();
    invalidate("fit", "loss");
  });
  canvases.fit.addEventListener("pointerup", () => {
    if (dragging) {
      dragging = false;
      lab.releaseHandle();
      announceWeights();
      return;
    }
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
    if ($("#dataset").disabled) {
      showAlert("The data set is fixed for this activity, so points cannot be added or removed.");
      return;
    }
    apply(() => {
      const changed = remove ? lab.removePointAtPixel(x, y) : lab.addPointAtPixel(x, y);
      if (changed) $("#dataset").value = "custom";
    });
  }

  // ----- the loss chart's cursor (kept in Rust) -----
  canvases.loss.addEventListener("pointermove", (event) => {
    lab.pointLossCursor(event.offsetX);
    invalidate("loss", "gradients");
  });
  canvases.loss.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -20, PageUp: 20, Home: -Infinity, End: Infinity };
    if (!(event.key in moves)) return;
    event.preventDefault();
    lab.moveLossCursor(moves[event.key]);
    invalidate("loss", "gradients");
  });

  // ----- the student's own points and the steps trained so far, for links -----
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
      syncControls();
      invalidate();
      announceWeights();
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
      if (steps > lab.steps) replaySteps(steps);
      return null;
    },
  });

  /** Replays a link's steps in slices, with progress and Cancel; the page stays usable. */
  function replaySteps(target) {
    const started = lab.steps;
    replay = runInSlices({
      status: progress,
      label: `Replaying the link's ${target.toLocaleString("en-US")} steps`,
      slice: (budget) => {
        if (train(target - lab.steps, budget) < 0) return { finished: true };
        invalidate("fit");
        return { progress: (lab.steps - started) / (target - started), finished: lab.steps >= target };
      },
      onCancel: () => showAlert(`Replaying stopped at step ${lab.steps.toLocaleString("en-US")} of ${target.toLocaleString("en-US")}.`),
    });
    replay.done.then(() => {
      replay = null;
      invalidate();
      announceWeights();
    });
  }

  // ----- start: the lab takes the settings the controls show (the defaults, or a link's) -----
  for (const [id, set] of Object.entries(setters)) {
    if (id === "#batch-size" && $("#batch-mode").value !== "mini") continue;
    apply(() => set($(id)), false);
  }
  lab.setUnitsShown($("#show-units").checked);
  syncControls();
  for (const name of Object.keys(canvases)) dirty.add(name);
  drawDirty();
  // Panels mounted before this one read the lab before it took the link's settings.
  announceWeights();
}
