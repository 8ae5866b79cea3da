// The practice panel's part 2: worksheet 2(a) the computation graph from menus, the typed
// derivatives (the local ones, 2(b) ∂L/∂b and 2(c) ∂L/∂A) with a MathML preview of what the
// checker read, and 2(d) the counts. The core (PracticeLab) checks every answer; practice.js
// mounts each part with the panel's kit and keeps the progress.
//
// The kit: `lab` (the PracticeLab), `markSolved(part)`, `answered(exercise, part, verdict,
// response)` (tells a learning platform, www/scorm.js) and `parts` (each exercise's parts).

import { clearFeedback, element, feedback, hints, keepWhole } from "./practice-ui.js";

/** Symbols a student can insert with a button: [label on the button, text inserted]. */
const SYMBOLS = [["σ", "σ("], ["σ′", "σ'("], ["⊙", " ⊙ "], ["ᵀ", "ᵀ"], ["z1", "z1"], ["z2", "z2"], ["z3", "z3"], ["z4", "z4"]];

/** 2(a): one row of menus per node, checked at every change. Returns { check(showAll) }. */
export function mountGraph(section, { lab, markSolved, parts }) {
  const $ = (selector) => section.querySelector(selector);
  const options = lab.graphOptions();
  const graphRows = options.nodes.map((node) => {
    const select = (label, choices, named) => {
      const id = `graph-${node.name}-${label.replace(" ", "-")}`;
      const box = element("select", { id });
      box.append(element("option", { value: "", textContent: "choose…" }), ...choices.map((c) => element("option", { value: c.name ?? c, textContent: named(c) })));
      return [element("div", { className: "pick" }, element("label", { htmlFor: id, textContent: label }), box), box];
    };
    const [opLabel, operation] = select("operation", options.operations, (o) => o.label);
    const [firstLabel, first] = select("input", options.inputs, (i) => i);
    const [secondLabel, second] = select("second input", options.inputs, (i) => i);
    const verdict = element("p", { className: "feedback", attrs: { role: "status" } });
    const row = element("fieldset", { className: "graph-node" },
      element("legend", { textContent: `${node.name} =` }), opLabel, firstLabel, secondLabel, verdict);
    return { node, operation, first, second, secondLabel, verdict, row };
  });
  function checkGraph(showAll) {
    const choices = graphRows.flatMap((r) => [r.operation.value, r.first.value, r.second.value]);
    const verdicts = lab.checkGraph(choices);
    verdicts.forEach((v, i) => {
      const row = graphRows[i];
      const arity = options.operations.find((o) => o.name === row.operation.value)?.arity ?? 2;
      row.secondLabel.hidden = arity < 2;
      const touched = row.operation.value !== "" || showAll;
      row.verdict.textContent = !touched ? "" : v.right ? "✓" : v.reasons.join(" ");
      row.verdict.className = `feedback ${touched ? (v.right ? "good" : "bad") : ""}`;
    });
    if (verdicts.every((v) => v.right)) markSolved("2a");
  }
  $("#graph-builder").append(...graphRows.map((r) => r.row));
  $("#graph-builder").addEventListener("change", () => checkGraph(false));
  parts.set("2a", ["2a"]);
  hints(section.querySelector('[data-exercise="2a"] .exercise-foot'), options.hints, (box) => {
    box.append(element("ul", {}, ...options.nodes.map((n) => element("li", { textContent: n.definition }))));
  });
  return { check: checkGraph };
}

/**
 * The typed derivatives: a box, a Check button, a preview and hints for each derivative the
 * page lists in an exercise's `.answers[data-derivatives]`. Returns { showPreview(input,
 * preview) }, for answers put back after a reload.
 */
export function mountDerivatives(section, { lab, markSolved, answered, parts }) {
  const derivatives = new Map(lab.derivatives().map((d) => [d.name, d]));
  for (const group of section.querySelectorAll(".answers[data-derivatives]")) {
    const exercise = group.closest(".exercise");
    const names = group.dataset.derivatives.split(" ");
    parts.set(exercise.dataset.exercise, names);
    let lastInput = null;
    const toolbar = element("div", { className: "symbols", attrs: { role: "toolbar", "aria-label": "Insert a symbol" } },
      ...SYMBOLS.map(([label, insert]) => {
        const button = element("button", { type: "button", className: "small symbol", textContent: label, attrs: { "aria-label": `Insert ${label}` } });
        button.addEventListener("click", () => {
          const input = lastInput ?? group.querySelector("input");
          const start = input.selectionStart ?? input.value.length;
          const end = input.selectionEnd ?? start;
          input.setRangeText(insert, start, end, "end");
          input.focus();
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
        return button;
      }));
    group.append(toolbar);
    for (const name of names) {
      const d = derivatives.get(name);
      const id = `answer-${name}`;
      const input = element("input", { type: "text", id, autocomplete: "off", spellcheck: false, className: "expression",
        attrs: { autocapitalize: "off", "aria-describedby": `${id}-prompt ${id}-preview` } });
      const check = element("button", { type: "button", className: "primary small", textContent: "Check", attrs: { "aria-label": `Check ${d.label}` } });
      const preview = element("div", { className: "preview", id: `${id}-preview` });
      const result = element("p", { className: "feedback", attrs: { role: "status" } });
      const foot = element("div", { className: "part-foot" });
      const part = element("div", { className: "answer-part" },
        element("p", { className: "prompt", id: `${id}-prompt`, textContent: keepWhole(`${d.prompt} (${d.shape})`) }),
        element("div", { className: "answer-row" }, element("label", { htmlFor: id, textContent: `${d.label} =` }), input, check),
        preview, result, foot);
      group.append(part);
      input.addEventListener("focus", () => { lastInput = input; });
      input.addEventListener("input", () => {
        clearFeedback(result); // it was about the text before this edit
        showPreview(input, preview);
      });
      const run = () => {
        const verdict = lab.check(name, input.value);
        showPreview(input, preview, verdict.message);
        feedback(result, verdict);
        part.dataset.verdict = verdict.verdict;
        if (verdict.right) markSolved(name);
        answered(exercise.dataset.exercise, name, verdict, input.value);
      };
      check.addEventListener("click", run);
      input.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          run();
        }
      });
      hints(foot, d.hints, (box) => {
        const answer = lab.answer(name);
        const math = element("div", { className: "preview" });
        math.innerHTML = answer.mathml; // built by the core from its own expression, never from input
        const value = element("div", { className: "preview" });
        value.innerHTML = answer.valueMathml; // built by the core from its own numbers
        box.append(element("p", { textContent: `${d.label} = ${answer.text}` }), math, element("p", { textContent: answer.numbers }), value);
      });
    }
  }

  /** The parsed expression as MathML, or where it stopped being readable (the message only if
   * it is not `said` already, in the feedback under the preview). */
  function showPreview(input, preview, said = "") {
    const text = input.value;
    if (text.trim() === "") {
      preview.replaceChildren();
      return;
    }
    const read = lab.preview(text);
    preview.replaceChildren();
    if (read.mathml) {
      const math = element("div", { className: "math" });
      math.innerHTML = read.mathml; // built by the core from the parsed expression only
      preview.append(element("span", { className: "read-as", textContent: "read as " }), math);
      if (read.shape) preview.append(element("span", { className: "shape", textContent: keepWhole(` (${read.shape})`) }));
      // A formula wider than the box scrolls in it (style.css): reachable by keyboard then too.
      if (math.scrollWidth > math.clientWidth) math.tabIndex = 0;
    }
    if (read.error) {
      const at = Math.min(read.position, text.length);
      const chars = [...text];
      const pointer = element("code", { className: "pointer" },
        chars.slice(0, at).join(""), element("mark", { textContent: chars[at] ?? " " }), chars.slice(at + 1).join(""));
      if (read.error !== said) preview.append(element("p", { className: "bad", textContent: read.error }));
      preview.append(pointer);
    }
  }
  return { showPreview };
}

/**
 * 2(d): the counts for the core's sizes (drawn from `seed` once "New sizes" was pressed), and
 * one more layer as a choice. `solved` is the panel's set of solved parts; `progressChanged()`
 * saves it (and the answers) after new sizes change it. Returns { seed }: the seed to keep, or
 * null for the first sizes.
 */
export function mountCounts(section, { lab, markSolved, answered, parts }, { seed, solved, progressChanged }) {
  const $ = (selector) => section.querySelector(selector);
  const countsBox = $("#counts");
  let counts;
  function showCounts() {
    counts = lab.counts();
    const size = (name, value) => element("span", { className: "nowrap" }, `${name} = `, element("span", { className: "num", textContent: String(value) }));
    $("#counts-sizes").replaceChildren(size("m", counts.m), " inputs and ", size("h", counts.h), " hidden units");
    countsBox.replaceChildren(...counts.questions.map((q) => {
      const id = `count-${q.name}`;
      const input = element("input", { type: "text", id, inputMode: "numeric", autocomplete: "off", className: "count" });
      const check = element("button", { type: "button", className: "primary small", textContent: "Check", attrs: { "aria-label": `Check: ${q.prompt}` } });
      const result = element("p", { className: "feedback", attrs: { role: "status" } });
      const run = () => {
        const verdict = lab.checkCount(q.name, input.value);
        feedback(result, verdict);
        if (verdict.right) markSolved(`count:${q.name}`);
        answered("2d", `count:${q.name}`, verdict, input.value);
      };
      check.addEventListener("click", run);
      input.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); run(); } });
      return element("div", { className: "count-part" },
        element("label", { htmlFor: id, textContent: q.prompt }), element("div", { className: "answer-row" }, input, check), result);
    }));
  }
  showCounts();
  // New sizes are more practice: a solved 2(d) stays solved (the student has shown the counts
  // once; new numbers should not take that away). Counts answered for the old sizes of an
  // unsolved 2(d) no longer fit and are cleared. Either way the page says which.
  $("#counts-new").addEventListener("click", () => {
    const wasSolved = parts.get("2d").every((part) => solved.has(part));
    seed = Math.floor(Math.random() * 2 ** 32);
    lab.newCounts(seed);
    const cleared = counts.questions.filter((question) => solved.delete(`count:${question.name}`));
    if (wasSolved) for (const question of counts.questions) solved.add(`count:${question.name}`);
    showCounts();
    progressChanged();
    $("#counts-status").textContent = wasSolved
      ? `New sizes: m = ${counts.m}, h = ${counts.h}. 2(d) stays solved; these are extra practice.`
      : `New sizes: m = ${counts.m}, h = ${counts.h}.${cleared.length ? " The counts you had right were for the old sizes: answer them again." : ""}`;
  });
  $("#layer-question").textContent = counts.layerQuestion;
  counts.layerOptions.forEach((text, index) => {
    const radio = element("input", { type: "radio", name: "layer", value: String(index) });
    $("#layer-choice").append(element("label", { className: "check" }, radio, text));
  });
  $("#layer-choice").addEventListener("change", (event) => {
    const verdict = lab.checkLayer(Number(event.target.value));
    feedback($("#layer-feedback"), verdict);
    if (verdict.right) markSolved("layer");
    answered("2d", "layer", verdict, counts.layerOptions[Number(event.target.value)] ?? "");
  });
  parts.set("2d", [...counts.questions.map((q) => `count:${q.name}`), "layer"]);
  hints(section.querySelector('[data-exercise="2d"] .exercise-foot'), counts.hints, (box) => {
    const answers = counts.questions.map((q) => element("li", { textContent: `${q.prompt} ${lab.checkCount(q.name, "0").answer.toLocaleString("en-US")}` }));
    const right = counts.layerOptions.findIndex((_, i) => lab.checkLayer(i).right);
    box.append(element("ul", {}, ...answers), element("p", { textContent: counts.layerOptions[right] }));
  });
  return {
    get seed() { return seed; },
  };
}
