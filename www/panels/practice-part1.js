// The practice panel's part 1: worksheet 1(a)–(c) as exercises. 1(a) is a sketch pad: the
// student draws σ′ and ReLU′ over the plotted functions with the pointer (or a finger), or moves
// each curve's points with sliders (arrow keys); the core (PracticePartOne) scores the sketch
// and names what is off. 1(b) and 1(c) are numbers the core checks. practice.js calls
// mountPartOne with its own helpers and keeps the progress.

import { PracticePartOne } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark, redrawOnChange } from "../canvas.js";
import { clearFeedback, element, feedback, hints } from "./practice-ui.js";

/** 1(c)'s number of layers is drawn from this seed, so every student gets the same one. */
const SEED = 7;

/**
 * Builds 1(a)–(c) inside `section`. From the practice panel's kit: `markSolved(part)` records a
 * solved part, `answered(exercise, part, verdict, response)` reports a checked answer (to a
 * learning platform, www/scorm.js) and `parts` maps each exercise to its parts. Returns
 * { reset }, which Start over calls.
 */
export function mountPartOne(section, kit) {
  const lab = new PracticePartOne(SEED);
  const sketch = mountSketch(section, lab, kit);
  mountLimits(section, lab, kit);
  mountVanishingNumbers(section, lab, kit);
  return {
    /** Start over: flat sketches, nothing revealed, no boxes ticked (text boxes are cleared by practice.js). */
    reset() {
      sketch.reset();
      for (const box of section.querySelectorAll("#remedies input")) box.checked = false;
    },
  };
}

// Slider values are multiples of 0.05: two decimals show each exactly, at a steady width.
const format = (value) => (Math.round(value * 100) / 100).toFixed(2).replace("-", "−");

/** 1(b) and 1(c) name one mistake; a learning platform is told it as the list the others give. */
const named = (verdict) => ({ ...verdict, mistakes: verdict.mistake ? [verdict.mistake] : [] });

/** The exercise's foot, where its hints go. */
const foot = (section, id) => section.querySelector(`[data-exercise="${id}"] .exercise-foot`);

/** 1(a): the sketch pad. Returns { reset }. */
function mountSketch(section, lab, { markSolved, answered, parts }) {
  const $ = (selector) => section.querySelector(selector);
  const { curves, yMin, yMax } = lab.curves();
  const canvas = $("#sketch-canvas");
  const pointsBox = $("#sketch-points");
  const revealButton = $("#sketch-reveal");
  let revealed = false;
  let active = curves[0].name;
  /** Per curve: its sliders, its verdict's box and its group of point cells. */
  const sliders = new Map();
  const results = new Map();
  const groups = new Map();

  const schedule = redrawOnChange(canvas, () => {
    // Not while hidden (another exercise alone, ?q=): a canvas of no size has nothing to show,
    // and the resize observer draws it once it appears.
    if (canvas.getBoundingClientRect().width === 0) return;
    lab.draw(canvas, fitCanvas(canvas), prefersDark());
    // Where the plot landed, for tests that draw a given curve with the mouse.
    canvas.dataset.area = JSON.stringify(lab.plotArea());
  });

  /** The sliders show the sketch's value at their points (after drawing, for example). */
  function syncSliders(name) {
    const values = lab.controls(name);
    sliders.get(name).forEach((slider, i) => {
      slider.value = String(values[i]);
      slider.setAttribute("aria-valuetext", format(values[i]));
      slider.closest(".sketch-point").querySelector("output").textContent = format(values[i]);
    });
  }
  function edited(name) {
    clearFeedback(results.get(name));
    syncSliders(name);
    schedule();
  }
  function choose(name) {
    active = name;
    lab.setActive(name);
    for (const [curve, group] of groups) group.hidden = curve !== name;
    schedule();
  }

  const context = { section, lab, yMin, yMax, schedule, edited, choose, markSolved, answered, isActive: (name) => name === active };
  for (const curve of curves) {
    const built = curveControls(curve, context);
    sliders.set(curve.name, built.sliders);
    results.set(curve.name, built.result);
    groups.set(curve.name, built.group);
  }
  // Only the chosen curve's points are shown; the groups are the point cells by curve.
  for (const [name, group] of groups) {
    group.append(...pointsBox.querySelectorAll(`.sketch-point[data-curve="${name}"]`));
    pointsBox.append(group);
  }
  pointsBox.prepend(element("p", { className: "hint", textContent: "With the keyboard: each slider is one point of the chosen curve (arrow keys move it by 0.05); the sketch is straight between points." }));
  drawWithPointer(canvas, lab, () => edited(active));

  revealButton.addEventListener("click", () => {
    revealed = !revealed;
    lab.setReveal(revealed);
    revealButton.textContent = revealed ? "Hide the true derivatives" : "Show the true derivatives";
    revealButton.setAttribute("aria-pressed", String(revealed));
    $("#sketch-key").hidden = !revealed;
    schedule();
  });
  parts.set("1a", curves.map((c) => `sketch:${c.name}`));
  hints(foot(section, "1a"), lab.hints("1a"), (box) => {
    if (!revealed) revealButton.click();
    box.append(element("p", { textContent: "The true derivatives are drawn dashed on the plot: compare them with your sketch." }));
  });
  for (const curve of curves) syncSliders(curve.name);
  choose(active);

  return {
    reset() {
      for (const curve of curves) {
        lab.clear(curve.name);
        syncSliders(curve.name);
      }
      if (revealed) revealButton.click();
      // practice.js unticks every radio button: the chosen curve stays chosen.
      section.querySelector(`#sketch-pick-${active}`).checked = true;
      schedule();
    },
  };
}

/**
 * One curve of the sketch pad: its choice in the menu, one slider per control point (the
 * keyboard's way in, its value shown as text) and its Check and Clear buttons. Returns
 * { sliders, result, group }.
 */
function curveControls(curve, { section, lab, yMin, yMax, schedule, edited, choose, markSolved, answered, isActive }) {
  const $ = (selector) => section.querySelector(selector);
  const id = `sketch-pick-${curve.name}`;
  const radio = element("input", { type: "radio", name: "sketch-curve", id, value: curve.name, checked: isActive(curve.name) });
  radio.addEventListener("change", () => choose(curve.name));
  $("#sketch-pick").append(element("label", { className: "check", htmlFor: id }, radio, element("span", { className: "swatch", attrs: { "data-activation": curve.name } }), curve.label));

  const sliders = Array.from(curve.controls, (x, index) => {
    const sliderId = `sketch-${curve.name}-${index}`;
    const name = `${curve.label}(${String(x).replace("-", "−")})`;
    const slider = element("input", { type: "range", id: sliderId, min: String(yMin), max: String(yMax), step: "0.05", value: "0" });
    slider.addEventListener("input", () => {
      lab.setControl(curve.name, index, Number(slider.value));
      edited(curve.name);
    });
    slider.addEventListener("focus", () => { lab.setFocus(curve.name, index); schedule(); });
    slider.addEventListener("blur", () => { lab.setFocus(curve.name, -1); schedule(); });
    $("#sketch-points").append(element("div", { className: "sketch-point", attrs: { "data-curve": curve.name } },
      element("div", { className: "slider" }, element("label", { htmlFor: sliderId, textContent: name }), element("output", { htmlFor: sliderId, textContent: "0.00" })),
      slider));
    return slider;
  });
  const group = element("div", { className: "sketch-group" });

  const result = element("p", { className: "feedback", attrs: { role: "status" } });
  const check = element("button", { type: "button", className: "primary small", textContent: `Check ${curve.label}` });
  check.addEventListener("click", () => {
    const verdict = lab.checkSketch(curve.name);
    feedback(result, verdict);
    const part = result.closest(".sketch-result");
    part.dataset.mistakes = verdict.mistakes.join(" ");
    if (verdict.right) markSolved(`sketch:${curve.name}`);
    // The response is the sketch at its points, as the sliders read it.
    answered("1a", `sketch:${curve.name}`, verdict, Array.from(lab.controls(curve.name), format).join(" "));
  });
  const clear = element("button", { type: "button", className: "small", textContent: `Clear ${curve.label}` });
  clear.addEventListener("click", () => { lab.clear(curve.name); edited(curve.name); });
  $("#sketch-checks").append(element("div", { className: "sketch-result" },
    element("div", { className: "answer-row" }, check, clear),
    element("p", { className: "tolerance", textContent: `Accepted: ${curve.tolerances}` }),
    result));
  return { sliders, result, group };
}

/** The pointer draws on the chosen curve: every grid point it passes takes its height. */
function drawWithPointer(canvas, lab, edited) {
  let last = null;
  const position = (event) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = position(event);
    lab.strokePixels(...last, ...last);
    edited();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (last === null) return;
    const next = position(event);
    lab.strokePixels(...last, ...next);
    last = next;
    edited();
  });
  const stop = () => { last = null; };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
}

/** 1(b): the limits and the saturation threshold, typed and checked one by one. */
function mountLimits(section, lab, { markSolved, answered, parts }) {
  const $ = (selector) => section.querySelector(selector);
  const questions = lab.limitQuestions();
  $("#limits").replaceChildren(...questions.map((q) => {
    const id = `limit-${q.name}`;
    const input = element("input", { type: "text", id, autocomplete: "off", spellcheck: false, className: "count" });
    const check = element("button", { type: "button", className: "primary small", textContent: "Check", attrs: { "aria-label": `Check ${q.label}` } });
    const result = element("p", { className: "feedback", attrs: { role: "status" } });
    const run = () => {
      const verdict = lab.checkLimit(q.name, input.value);
      feedback(result, verdict);
      result.dataset.mistake = verdict.mistake;
      if (verdict.right) markSolved(`limit:${q.name}`);
      answered("1b", `limit:${q.name}`, named(verdict), input.value);
    };
    check.addEventListener("click", run);
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); run(); } });
    input.addEventListener("input", () => clearFeedback(result));
    const label = element("label", { htmlFor: id, textContent: q.label });
    if (q.tolerance > 0) label.append(element("span", { className: "hint", textContent: ` (to within ±${q.tolerance})` }));
    return element("div", { className: "count-part" },
      label, element("div", { className: "answer-row" }, input, check), result);
  }));
  parts.set("1b", questions.map((q) => `limit:${q.name}`));
  hints(foot(section, "1b"), lab.hints("1b"), (box) => {
    box.append(element("ul", {}, ...questions.map((q) => element("li", { textContent: `${q.label}: ${lab.checkLimit(q.name, "").answer}` }))));
  });
}

/** 1(c): the vanishing gradient in numbers: the largest factor, the layer, the remedies. */
function mountVanishingNumbers(section, lab, { markSolved, answered, parts }) {
  const $ = (selector) => section.querySelector(selector);
  const numbers = lab.vanishing();
  $("#factor-layers").textContent = String(numbers.layers);
  $("#factor-tolerance").textContent = `${numbers.factorTolerance * 100}%`;
  $("#chain-size").textContent = `${numbers.depth} sigmoid layers of ${numbers.width} units`;
  $("#chain-points").textContent = String(numbers.points);
  $("#chain-fraction").textContent = `${numbers.fraction * 100}%`;
  $("#chain-last").textContent = String(numbers.depth);
  $("#chain-norms").replaceChildren(...numbers.norms.map((norm, i) =>
    element("tr", {}, element("th", { scope: "row", textContent: String(i + 1) }), element("td", { className: "num", textContent: norm }))));
  const numberPart = (inputId, checkFn, part) => {
    const input = $(`#${inputId}`);
    const result = $(`#${inputId}-feedback`);
    const run = () => {
      const verdict = checkFn(input.value);
      feedback(result, verdict);
      result.dataset.mistake = verdict.mistake;
      if (verdict.right) markSolved(part);
      answered("1c", part, named(verdict), input.value);
    };
    $(`#${inputId}-check`).addEventListener("click", run);
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); run(); } });
    input.addEventListener("input", () => clearFeedback(result));
  };
  numberPart("factor-answer", (text) => lab.checkFactor(text), "factor");
  numberPart("chain-answer", (text) => lab.checkLayer(text), "chain-layer");
  $("#remedies").append(...numbers.remedies.map((r) =>
    element("label", { className: "check" }, element("input", { type: "checkbox", value: r.name }), r.label)));
  $("#remedies-check").addEventListener("click", () => {
    const chosen = [...section.querySelectorAll("#remedies input:checked")].map((box) => box.value);
    const verdict = lab.checkRemedies(chosen);
    feedback($("#remedies-feedback"), verdict);
    $("#remedies-feedback").dataset.mistake = verdict.mistake;
    if (verdict.right) markSolved("remedies");
    answered("1c", "remedies", named(verdict), chosen.join(" "));
  });
  parts.set("1c", ["factor", "chain-layer", "remedies"]);
  hints(foot(section, "1c"), lab.hints("1c"), (box) => {
    box.append(element("ul", {},
      element("li", { textContent: `Largest factor through ${numbers.layers} layers: 0.25^${numbers.layers} = ${numbers.factor}` }),
      element("li", { textContent: `The first layer below ${numbers.fraction * 100}% of layer ${numbers.depth}'s gradient: layer ${numbers.thresholdLayer}` }),
      element("li", { textContent: `What helps: ${numbers.helpful.join("; ")}` })));
  });
}
