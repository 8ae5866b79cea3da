// The practice panel: worksheet 1(a)–2(d) as exercises the student answers (1(a)–(c) in
// practice-part1.js). The core (PracticeLab) reads and checks every answer and names the
// mistake; this file builds the forms, previews typed expressions as MathML, gives hints, and
// keeps which exercises are solved and what was typed and picked in this browser
// (localStorage, never in the link).

import { PracticeLab } from "../pkg/backprop_lab.js";
import { registerState } from "../state.js";
import { mountPartOne } from "./practice-part1.js"; // worksheet 1(a)–(c)
import { ANSWERS_KEY, PART_ID, PROGRESS_KEY } from "../practice-parts.js";

/** The examples every check runs on are drawn from this seed, so checks are reproducible. */
const CHECK_SEED = 7;
/** Symbols a student can insert with a button: [label on the button, text inserted]. */
const SYMBOLS = [["σ", "σ("], ["σ′", "σ'("], ["⊙", " ⊙ "], ["ᵀ", "ᵀ"], ["z1", "z1"], ["z2", "z2"], ["z3", "z3"], ["z4", "z4"]];

/** The longest stored value read: the page writes a few hundred characters. */
const MAX_STORED_CHARS = 10_000;

/**
 * A JSON value kept in this browser under `key`. `read()` gives undefined where nothing is
 * stored or storage is refused (privacy modes), null where what is stored is longer than
 * `maxChars` or not JSON (not the page's).
 */
function storedJson(key, maxChars) {
  return {
    read() {
      let text = null;
      try {
        text = window.localStorage.getItem(key);
      } catch {
        return undefined;
      }
      if (text === null) return undefined;
      try {
        return text.length <= maxChars ? JSON.parse(text) : null;
      } catch {
        return null;
      }
    },
    write(value) {
      try { window.localStorage.setItem(key, JSON.stringify(value)); } catch { /* not kept */ }
    },
  };
}

const progressJson = storedJson(PROGRESS_KEY, MAX_STORED_CHARS);

/**
 * Progress kept in this browser. `read` keeps only what the page writes and says whether it
 * dropped anything else (the store is then rewritten without it).
 */
const progress = {
  read() {
    const stored = progressJson.read();
    if (stored === undefined) return { solved: new Set(), dropped: false };
    const list = Array.isArray(stored?.solved) ? stored.solved : [];
    const solved = new Set(list.filter((id) => typeof id === "string" && PART_ID.test(id)));
    const clean = stored !== null && Object.keys(stored).length === 1 && Array.isArray(stored.solved) && solved.size === list.length;
    return { solved, dropped: !clean };
  },
  write(solved) {
    progressJson.write({ solved: [...solved] });
  },
};

/** A plain object (what JSON.parse makes of "{…}"), not an array or null. */
const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * What the student typed and picked, kept in this browser so a reload loses nothing:
 * { typed: {box id: text}, picked: {menu id: option}, layer: index, countsSeed: seed }.
 * Storage may be unavailable or hold anything (the page writes a few kilobytes at most; far
 * more is not its own); mount() keeps only the entries its forms can take (see
 * restoreAnswers) and drops the rest.
 */
const answersJson = storedJson(ANSWERS_KEY, 20 * MAX_STORED_CHARS);
const answersStore = {
  read() {
    const stored = answersJson.read();
    return isRecord(stored) ? stored : {};
  },
  write: (answers) => answersJson.write(answers),
};

/** Text with "h × m" and "∂L/∂z1" kept on one line. */
const keepWhole = (text) => text.replace(/ × /g, "\u00a0×\u00a0").replace(/\/∂/g, "/\u2060∂");

/** An element with properties, attributes (`attrs`) and children. */
function element(tag, { attrs = {}, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

export function mount(section, limits) {
  const lab = new PracticeLab(CHECK_SEED);
  const $ = (selector) => section.querySelector(selector);
  const kept = progress.read();
  const solved = kept.solved;
  if (kept.dropped) {
    progress.write(solved);
    $("#practice-storage").textContent = "Some saved progress in this browser was not written by this page and has been removed.";
  }
  const stored = answersStore.read();
  /** The counting exercise's sizes come from this seed once "New sizes" was pressed. */
  let countsSeed = null;
  if (Number.isSafeInteger(stored.countsSeed)) {
    try {
      lab.newCounts(stored.countsSeed); // the core refuses a seed out of its range
      countsSeed = stored.countsSeed;
    } catch { /* dropped */ }
  }
  const exercises = [...section.querySelectorAll(".exercise")];
  /** Which parts make up each exercise: it is solved when all are. */
  const parts = new Map();

  function markSolved(id) {
    solved.add(id);
    progress.write(solved);
    writeProgress();
  }
  function writeProgress() {
    const items = exercises.filter((exercise) => !exercise.hidden).map((exercise) => {
      const id = exercise.dataset.exercise;
      const done = parts.get(id).every((part) => solved.has(part));
      exercise.classList.toggle("solved", done);
      const title = exercise.querySelector("h3").textContent;
      const link = element("a", { href: `#${exercise.id}`, textContent: title });
      return element("li", { className: done ? "done" : "" }, link, element("span", { className: "visually-hidden", textContent: done ? " (solved)" : " (not solved yet)" }));
    });
    $("#practice-progress").replaceChildren(...items);
    const done = exercises.filter((e) => e.classList.contains("solved")).map((e) => e.dataset.exercise);
    section.dataset.solved = String(done.length);
    section.dispatchEvent(new CustomEvent("backprop-lab:progress", { detail: { solved: done } }));
  }

  /** Hints one at a time, then the answer, in an exercise's foot (or a part's own). */
  function hints(container, list, showAnswer) {
    const shown = element("ol", { className: "hints" });
    const button = element("button", { type: "button", className: "small", textContent: `Hint 1 of ${list.length}` });
    const answer = element("button", { type: "button", className: "small", textContent: "Show the answer", hidden: true });
    const answerBox = element("div", { className: "answer", hidden: true });
    let next = 0;
    button.addEventListener("click", () => {
      shown.append(element("li", { textContent: list[next] }));
      next += 1;
      if (next < list.length) button.textContent = `Hint ${next + 1} of ${list.length}`;
      else {
        button.hidden = true;
        answer.hidden = false;
      }
    });
    answer.addEventListener("click", () => {
      showAnswer(answerBox);
      answerBox.hidden = false;
      answer.hidden = true;
    });
    container.append(element("div", { className: "hint-row" }, button, answer), shown, answerBox);
  }

  function feedback(box, result) {
    box.textContent = result.right ? `✓ ${result.message}` : result.message;
    box.classList.toggle("good", result.right);
    box.classList.toggle("bad", !result.right);
  }
  /** Tells listeners (www/scorm.js) of each checked answer: "backprop-lab:answer" on the section. */
  const answered = (exercise, part, verdict, response) => section.dispatchEvent(new CustomEvent("backprop-lab:answer",
    { detail: { exercise, part, right: verdict.right, response, mistakes: verdict.mistakes ?? [] } }));
  function clearFeedback(box) {
    box.textContent = "";
    box.classList.remove("good", "bad");
  }

  // ----- 1(a)–(c): the sketch pad, the limits and the vanishing gradient in numbers -----
  const partOne = mountPartOne(section, { element, hints, feedback, clearFeedback, markSolved, answered, parts });

  // ----- 2(a): the graph, from select boxes, checked at once -----
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

  // ----- typed derivatives: the local ones, 2(b) and 2(c) -----
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

  // ----- 2(d): the counts and one more layer -----
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
    countsSeed = Math.floor(Math.random() * 2 ** 32);
    lab.newCounts(countsSeed);
    const cleared = counts.questions.filter((question) => solved.delete(`count:${question.name}`));
    if (wasSolved) for (const question of counts.questions) solved.add(`count:${question.name}`);
    progress.write(solved);
    showCounts();
    writeProgress();
    saveAnswers();
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

  // ----- one exercise alone (?q=2c, for course notes), and starting over -----
  let only = null;
  // ?q=2c shows one exercise; ?q=2b,2c a set of them (in the panel's order), with the
  // progress bar listing just those.
  registerState("q", {
    get: () => (only ? only.join(",") : null),
    set: (text) => {
      const ids = exercises.map((e) => e.dataset.exercise);
      const chosen = text.split(",");
      const unknown = chosen.find((id) => !ids.includes(id));
      if (unknown !== undefined) return `must be one or more of the exercises, separated by commas: ${ids.join(", ")}`;
      if (new Set(chosen).size !== chosen.length) return "names an exercise twice";
      only = ids.filter((id) => chosen.includes(id));
      for (const exercise of exercises) exercise.hidden = !only.includes(exercise.dataset.exercise);
      if (only.length === 1) {
        $("#practice-progress").hidden = true;
        $("#practice-single").hidden = false;
      }
      writeProgress();
      return null;
    },
  });
  // Start over clears every answer and all progress, so it asks first (inline, with Yes and
  // No as buttons; focus goes to No, the safe choice, and comes back to Start over).
  const reset = $("#practice-reset");
  const confirmBox = $("#practice-reset-confirm");
  const askReset = (open) => {
    confirmBox.hidden = !open;
    reset.setAttribute("aria-expanded", String(open));
    (open ? $("#practice-reset-no") : reset).focus();
  };
  reset.addEventListener("click", () => askReset(confirmBox.hidden));
  $("#practice-reset-no").addEventListener("click", () => askReset(false));
  confirmBox.addEventListener("keydown", (event) => {
    if (event.key === "Escape") askReset(false);
  });
  $("#practice-reset-yes").addEventListener("click", () => {
    solved.clear();
    progress.write(solved);
    for (const input of section.querySelectorAll("input[type=text]")) input.value = "";
    for (const select of section.querySelectorAll("select")) select.value = "";
    for (const radio of section.querySelectorAll("input[type=radio]")) radio.checked = false;
    for (const box of section.querySelectorAll(".feedback, .preview")) box.replaceChildren();
    $("#counts-status").textContent = "";
    checkGraph(false);
    partOne.reset();
    writeProgress();
    saveAnswers();
    askReset(false);
    $("#practice-reset-done").textContent = "Started over: every answer and all progress in this browser are cleared.";
  });

  // ----- what was typed and picked, kept across reloads -----
  /** The forms' answers now: only text within the core's limits is kept. */
  function saveAnswers() {
    const typed = {};
    for (const input of section.querySelectorAll("input.expression, input.count")) {
      const limit = input.classList.contains("count") ? limits.countChars : limits.answerChars;
      if (input.value !== "" && [...input.value].length <= limit) typed[input.id] = input.value;
    }
    const picked = {};
    for (const select of section.querySelectorAll("#graph-builder select")) {
      if (select.value !== "") picked[select.id] = select.value;
    }
    const layer = section.querySelector('#layer-choice input[type=radio]:checked');
    answersStore.write({ typed, picked, layer: layer ? Number(layer.value) : null, countsSeed });
  }
  /** Puts back what `stored` holds where it fits a box or menu on this page; the rest is dropped. */
  function restoreAnswers() {
    if (isRecord(stored.typed)) {
      for (const [id, text] of Object.entries(stored.typed)) {
        const input = section.querySelector(`input#${CSS.escape(id)}`);
        if (!input || typeof text !== "string") continue;
        const limit = input.classList.contains("count") ? limits.countChars : input.classList.contains("expression") ? limits.answerChars : -1;
        if ([...text].length > limit) continue;
        input.value = text;
        const preview = input.classList.contains("expression") ? section.querySelector(`#${CSS.escape(id)}-preview`) : null;
        if (preview) showPreview(input, preview);
      }
    }
    if (isRecord(stored.picked)) {
      for (const [id, value] of Object.entries(stored.picked)) {
        const select = section.querySelector(`#graph-builder select#${CSS.escape(id)}`);
        if (select && typeof value === "string" && value !== "" && [...select.options].some((o) => o.value === value)) select.value = value;
      }
      checkGraph(false);
    }
    const radios = [...section.querySelectorAll("#layer-choice input[type=radio]")];
    if (Number.isInteger(stored.layer) && stored.layer >= 0 && stored.layer < radios.length) {
      radios[stored.layer].checked = true;
      feedback($("#layer-feedback"), lab.checkLayer(stored.layer));
    }
    saveAnswers(); // what was dropped is gone from storage too
  }
  section.addEventListener("input", saveAnswers);
  section.addEventListener("change", saveAnswers);
  // Symbol buttons and resets change boxes by script; their input events reach saveAnswers.

  restoreAnswers();
  writeProgress();
}
