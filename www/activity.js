// Class activities an instructor sets in a panel's link: controls locked at their values
// (&lock=), a short instruction above the panel (&task=), a goal the page checks live
// (&goal=), and predictions asked before the answer is shown (&predict=). Panels report
// their numbers with a "backprop-lab:progress" event; the goal is judged here, in one place.

import { controlName, controlParts, fieldsetSlug } from "./controls.js";
import { parseDecimal, parseWhole } from "./state.js";

/** The longest instruction shown. */
export const MAX_TASK = 280;

/** The controls `keys` name in `shown`: whole groups by their heading's slug, or single controls by their setting's key. */
function named(shown, keys) {
  const found = new Map();
  for (const section of shown) {
    for (const fieldset of section.querySelectorAll("fieldset")) {
      if (keys.includes(fieldsetSlug(fieldset))) {
        for (const control of fieldset.querySelectorAll("[data-state]")) found.set(control, fieldsetSlug(fieldset));
      }
    }
    for (const control of section.querySelectorAll("[data-state]")) {
      if (keys.includes(control.dataset.state)) found.set(control, control.dataset.state);
    }
  }
  return found;
}

/** Hides what ?hide= names; hidden controls keep their setting. Returns unknown names. */
export function hideControls(shown, keys) {
  const found = new Set();
  for (const section of shown) {
    for (const fieldset of section.querySelectorAll("fieldset")) {
      if (keys.includes(fieldsetSlug(fieldset))) {
        fieldset.hidden = true;
        found.add(fieldsetSlug(fieldset));
      }
    }
  }
  for (const [control, key] of named(shown, keys)) {
    for (const part of controlParts(control)) part.hidden = true;
    found.add(key);
  }
  return keys.filter((key) => !found.has(key)).map((key) => `hide=${key} (no such controls here)`);
}

/**
 * Locks what ?lock= names: the controls stay visible with their values but cannot be changed,
 * and a note above the panel says the instructor fixed them. Returns unknown names.
 */
export function lockControls(shown, keys) {
  const found = new Set();
  const bySection = new Map();
  for (const [control, key] of named(shown, keys)) {
    found.add(key);
    control.disabled = true;
    control.dataset.locked = "1";
    const section = control.closest("section.panel");
    bySection.set(section, [...(bySection.get(section) ?? []), control]);
  }
  for (const [section, controls] of bySection) {
    const note = document.createElement("p");
    note.className = "locked-note";
    note.id = `${section.id}-locked`;
    note.textContent = `Fixed by your instructor for this activity: ${controls.map((c) => controlName(c)).join(", ")}.`;
    section.querySelector(".panel-head").after(note);
    for (const control of controls) control.setAttribute("aria-describedby", `${control.getAttribute("aria-describedby") ?? ""} ${note.id}`.trim());
  }
  return keys.filter((key) => !found.has(key)).map((key) => `lock=${key} (no such controls here)`);
}

/** Shows ?task= above the first shown panel, as plain text. Returns problems. */
export function showTask(shown, text) {
  if (text === null || !shown.length) return [];
  if (text.trim() === "") return ["task= (the instruction is empty)"];
  if ([...text].length > MAX_TASK) return [`task (the instruction has ${[...text].length} characters; at most ${MAX_TASK})`];
  const task = document.createElement("p");
  task.className = "task";
  task.textContent = text; // text, never markup
  shown[0].querySelector(".panel-head").after(task);
  return [];
}

/** How an exercise is named in a goal (2a, local, 1b…); the name is compared, never put in a selector. */
const EXERCISE_ID = /^[0-9a-z]{1,12}$/;

/** Whether `section` (the practice panel) has the exercise named `id`. */
export function hasExercise(section, id) {
  return [...section.querySelectorAll(".exercise")].some((exercise) => exercise.dataset.exercise === id);
}

/**
 * ?predict=1 ticks every shown panel's "Predict first" box (a control marked data-predict,
 * with its own setting in the link as well), ?predict=0 clears them: the panels then ask for
 * a prediction before they show the answer. A panel's own setting in the same link (a_predict,
 * b_predict, v_predict) is applied after this and wins. Returns problems.
 */
export function predictFirst(shown, text) {
  if (text === null) return [];
  if (text !== "0" && text !== "1") return [`predict=${text} (must be 0 or 1)`];
  const boxes = shown.flatMap((section) => [...section.querySelectorAll("input[data-predict]")]);
  if (!boxes.length) return [`predict=${text} (no panel here asks for predictions)`];
  for (const box of boxes) {
    box.checked = text === "1";
    box.dataset.fromLink = "1"; // the link decides, not what this tab remembered
  }
  return [];
}

/**
 * The goals a link can set, by kind: the panel that checks it, how it is written ("train<0.05",
 * "ratio>0.1", "solved:2c"), whether "@STEPS" may follow, and the Embed dialog's words for it
 * and for its value.
 */
export const GOAL_KINDS = {
  train: { panel: "training", operator: "<", steps: true, words: "training loss below", value: "Loss" },
  test: { panel: "training", operator: "<", steps: true, words: "test loss below", value: "Loss" },
  ratio: { panel: "vanishing", operator: ">", steps: false, words: "first layer's gradient at least … times the last's", value: "Ratio" },
  solved: { panel: "practice", operator: ":", steps: false, words: "an exercise solved", value: "Exercise (such as 1a or 2c)" },
};

/** A goal's text from its kind, value and (where the kind takes them) steps: what parseGoal reads. */
export function goalText(kind, value, steps = "") {
  const { operator, steps: takesSteps } = GOAL_KINDS[kind];
  return `${kind}${operator}${value}${takesSteps && steps ? `@${steps}` : ""}`;
}

/**
 * A goal from its text: "train<0.05" or "test<0.05" (optionally "@2000": within that many
 * steps) for the training lab, "ratio>0.1" for the vanishing panel, "solved:2c" for the
 * practice panel. Returns { goal } or { problem }.
 */
export function parseGoal(text) {
  const loss = text.match(/^(train|test)<([^@]+)(?:@(.+))?$/);
  if (loss) {
    const value = parseDecimal(loss[2]);
    const within = loss[3] === undefined ? null : parseWhole(loss[3]);
    if (value === null || !(value > 0)) return { problem: "the loss must be a positive decimal number" };
    if (loss[3] !== undefined && !(within > 0)) return { problem: "the number of steps after @ must be a whole number above 0" };
    return { goal: { panel: GOAL_KINDS[loss[1]].panel, kind: loss[1], value, within } };
  }
  const ratio = text.match(/^ratio>(.+)$/);
  if (ratio) {
    const value = parseDecimal(ratio[1]);
    if (value === null || !(value > 0)) return { problem: "the ratio must be a positive decimal number" };
    return { goal: { panel: GOAL_KINDS.ratio.panel, kind: "ratio", value } };
  }
  const solved = text.match(/^solved:(.*)$/);
  if (solved) {
    if (!EXERCISE_ID.test(solved[1])) return { problem: "an exercise is named by letters and digits, such as 2c" };
    return { goal: { panel: GOAL_KINDS.solved.panel, kind: "solved", exercise: solved[1] } };
  }
  return { problem: "a goal is train<LOSS, test<LOSS (optionally @STEPS), ratio>VALUE or solved:EXERCISE" };
}

/** What the goal asks, in words. */
function describe(goal) {
  if (goal.kind === "ratio") return `make the first layer get at least ${goal.value} times the last layer's gradient`;
  if (goal.kind === "solved") return `solve exercise ${goal.exercise}`;
  const within = goal.within ? ` within ${goal.within.toLocaleString("en-US")} steps` : "";
  return `bring the ${goal.kind === "train" ? "training" : "test"} loss below ${goal.value}${within}`;
}

/**
 * Shows the goal above its panel and judges it whenever the panel reports progress; once
 * reached it says what was reached (politely, to screen readers too). Returns problems.
 */
export function watchGoal(shown, text) {
  if (text === null) return [];
  const { goal, problem } = parseGoal(text);
  if (problem) return [`goal=${text} (${problem})`];
  const section = shown.find((s) => s.dataset.panel === goal.panel);
  if (!section) return [`goal=${text} (that panel is not on this page)`];
  if (goal.kind === "solved" && !hasExercise(section, goal.exercise)) {
    return [`goal=${text} (there is no exercise ${goal.exercise})`];
  }
  if (goal.kind === "test" && section.querySelector('[data-state="t_data"]')?.value === "custom") {
    return [`goal=${text} (your own points have no test set, so a goal on the test loss cannot be reached; set one on the training loss)`];
  }
  const box = document.createElement("p");
  box.className = "goal";
  box.setAttribute("role", "status");
  box.textContent = `Goal: ${describe(goal)}.`;
  (section.querySelector(".task") ?? section.querySelector(".locked-note") ?? section.querySelector(".panel-head")).after(box);
  let reached = false;
  const goalText = text;
  section.addEventListener("backprop-lab:progress", (event) => {
    if (reached) return;
    const p = event.detail;
    let text = null;
    let status = `Goal: ${describe(goal)}.`;
    if (goal.kind === "train" || goal.kind === "test") {
      const [loss, written] = goal.kind === "train" ? [p.train, p.trainText] : [p.test, p.testText];
      const late = goal.within !== null && p.steps > goal.within;
      if (goal.kind === "test" && p.testCount === 0) {
        status += " Your own points have no test set: choose a data set to reach it.";
      } else if (Number.isFinite(loss) && loss < goal.value && !late) {
        text = `Goal reached: the ${goal.kind === "train" ? "training" : "test"} loss is ${written}, below ${goal.value}, at step ${p.steps.toLocaleString("en-US")}.`;
      } else if (late) {
        status += ` Not reached within ${goal.within.toLocaleString("en-US")} steps: press Reset and try other settings.`;
      }
    } else if (goal.kind === "ratio" && p.ratio >= goal.value) {
      text = `Goal reached: the first layer gets ${p.ratioText} times the last layer's gradient, at least ${goal.value}.`;
    } else if (goal.kind === "solved" && p.solved?.includes(goal.exercise)) {
      text = `Goal reached: exercise ${goal.exercise} is solved.`;
    }
    reached = text !== null;
    // Once, for listeners such as www/scorm.js (which reports it to a learning platform).
    if (reached) section.dispatchEvent(new CustomEvent("backprop-lab:goal-reached", { detail: { goal: goalText, message: text } }));
    box.classList.toggle("reached", reached);
    if (box.textContent !== (text ?? status)) box.textContent = text ?? status;
  });
  return [];
}
