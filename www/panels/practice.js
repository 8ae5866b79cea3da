// The practice panel: worksheet 1(a)–2(d) as exercises the student answers (1(a)–(c) in
// practice-part1.js). The core (PracticeLab) reads and checks every answer and names the
// mistake; this file builds the forms, previews typed expressions as MathML, gives hints, and
// keeps which exercises are solved and what was typed and picked in this browser
// (localStorage, never in the link).

import { PracticeLab } from "../pkg/backprop_lab.js";
import { panelTools } from "../panel.js";
import { ANSWERS_KEY, PART_ID, PROGRESS_KEY } from "../practice-parts.js";
import { registerState } from "../state.js";
import { mountPartOne } from "./practice-part1.js"; // worksheet 1(a)–(c)
import { mountCounts, mountDerivatives, mountGraph } from "./practice-part2.js"; // 2(a)–(d)
import { element, feedback } from "./practice-ui.js";

/** The examples every check runs on are drawn from this seed, so checks are reproducible. */
const CHECK_SEED = 7;

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
 * restoreForms) and drops the rest.
 */
const answersJson = storedJson(ANSWERS_KEY, 20 * MAX_STORED_CHARS);
const answersStore = {
  read() {
    const stored = answersJson.read();
    return isRecord(stored) ? stored : {};
  },
  write: (answers) => answersJson.write(answers),
};

export function mount(section, limits) {
  const lab = new PracticeLab(CHECK_SEED);
  const { $ } = panelTools(section);
  const kept = progress.read();
  const solved = kept.solved;
  if (kept.dropped) {
    progress.write(solved);
    $("#practice-storage").textContent = "Some saved progress in this browser was not written by this page and has been removed.";
  }
  const stored = answersStore.read();
  const countsSeed = restoreCountsSeed(lab, stored);
  const exercises = [...section.querySelectorAll(".exercise")];
  /** Which parts make up each exercise: it is solved when all are. */
  const parts = new Map();

  function markSolved(id) {
    solved.add(id);
    progress.write(solved);
    writeProgress();
  }
  const writeProgress = () => showProgress(section, exercises, parts, solved);

  /** Tells listeners (www/scorm.js) of each checked answer: "backprop-lab:answer" on the section. */
  const answered = (exercise, part, verdict, response) => section.dispatchEvent(new CustomEvent("backprop-lab:answer",
    { detail: { exercise, part, right: verdict.right, response, mistakes: verdict.mistakes ?? [] } }));

  // ----- the exercises: 1(a)–(c), then 2(a)–(d) -----
  const kit = { lab, markSolved, answered, parts };
  const partOne = mountPartOne(section, kit);
  const graph = mountGraph(section, kit);
  const derivatives = mountDerivatives(section, kit);
  const counts = mountCounts(section, kit, {
    seed: countsSeed,
    solved,
    progressChanged() {
      progress.write(solved);
      writeProgress();
      saveAnswers();
    },
  });

  // ----- one exercise alone (?q=2c, for course notes), and starting over -----
  registerExerciseChoice(section, exercises, writeProgress);
  confirmStartOver(section, () => {
    solved.clear();
    progress.write(solved);
    for (const input of section.querySelectorAll("input[type=text]")) input.value = "";
    for (const select of section.querySelectorAll("select")) select.value = "";
    for (const radio of section.querySelectorAll("input[type=radio]")) radio.checked = false;
    for (const box of section.querySelectorAll(".feedback, .preview")) box.replaceChildren();
    $("#counts-status").textContent = "";
    graph.check(false);
    partOne.reset();
    writeProgress();
    saveAnswers();
    $("#practice-reset-done").textContent = "Started over: every answer and all progress in this browser are cleared.";
  });

  // ----- what was typed and picked, kept across reloads -----
  const saveAnswers = () => answersStore.write({ ...formAnswers(section, limits), countsSeed: counts.seed });
  section.addEventListener("input", saveAnswers);
  section.addEventListener("change", saveAnswers);
  // Symbol buttons and resets change boxes by script; their input events reach saveAnswers.

  restoreForms(section, stored, limits, { showPreview: derivatives.showPreview, checkGraph: graph.check, checkLayer: (index) => lab.checkLayer(index) });
  saveAnswers(); // what was dropped is gone from storage too
  writeProgress();
}

/** The counting exercise's sizes, from a seed kept when "New sizes" was pressed: the seed, now
 * in the lab, or null (none kept, or one the core refuses as out of its range). */
function restoreCountsSeed(lab, stored) {
  if (!Number.isSafeInteger(stored.countsSeed)) return null;
  try {
    lab.newCounts(stored.countsSeed);
    return stored.countsSeed;
  } catch {
    return null;
  }
}

/** Marks each exercise solved when all its `parts` are, lists the shown ones in the progress
 * bar, and tells listeners (www/scorm.js) which are solved. */
function showProgress(section, exercises, parts, solved) {
  const items = exercises.filter((exercise) => !exercise.hidden).map((exercise) => {
    const id = exercise.dataset.exercise;
    const done = parts.get(id).every((part) => solved.has(part));
    exercise.classList.toggle("solved", done);
    const title = exercise.querySelector("h3").textContent;
    const link = element("a", { href: `#${exercise.id}`, textContent: title });
    return element("li", { className: done ? "done" : "" }, link, element("span", { className: "visually-hidden", textContent: done ? " (solved)" : " (not solved yet)" }));
  });
  section.querySelector("#practice-progress").replaceChildren(...items);
  const done = exercises.filter((e) => e.classList.contains("solved")).map((e) => e.dataset.exercise);
  section.dataset.solved = String(done.length);
  section.dispatchEvent(new CustomEvent("backprop-lab:progress", { detail: { solved: done } }));
}

/**
 * The link's `q`: ?q=2c shows one exercise, for course notes; ?q=2b,2c a set of them (in the
 * panel's order), with the progress bar listing just those.
 */
function registerExerciseChoice(section, exercises, writeProgress) {
  let only = null;
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
        section.querySelector("#practice-progress").hidden = true;
        section.querySelector("#practice-single").hidden = false;
      }
      writeProgress();
      return null;
    },
  });
}

/**
 * Start over clears every answer and all progress, so it asks first (inline, with Yes and No
 * as buttons; focus goes to No, the safe choice, and comes back to Start over). Runs `clear`
 * on Yes.
 */
function confirmStartOver(section, clear) {
  const $ = (selector) => section.querySelector(selector);
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
    clear();
    askReset(false);
  });
}

/** The forms' answers now: only text within the core's limits is kept. */
function formAnswers(section, limits) {
  const typed = {};
  for (const input of section.querySelectorAll("input.expression, input.count")) {
    const limit = input.classList.contains("count") ? limits.countChars : limits.answerChars;
    if (input.value !== "" && [...input.value].length <= limit) typed[input.id] = input.value;
  }
  const picked = {};
  for (const select of section.querySelectorAll("#graph-builder select")) {
    if (select.value !== "") picked[select.id] = select.value;
  }
  const layer = section.querySelector("#layer-choice input[type=radio]:checked");
  return { typed, picked, layer: layer ? Number(layer.value) : null };
}

/**
 * Puts back what `stored` holds where it fits a box or menu on this page (the rest is
 * dropped), with the previews, the graph's marks and the layer's verdict it had.
 */
function restoreForms(section, stored, limits, { showPreview, checkGraph, checkLayer }) {
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
    feedback(section.querySelector("#layer-feedback"), checkLayer(stored.layer));
  }
}
