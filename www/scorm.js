// SCORM 1.2: when the page is launched by a learning platform (Moodle, Canvas's SCORM tool…)
// from the package `make dist` writes, the platform's player puts an object named API in a
// frame above the page (or in the window that opened it). This module finds it and reports
// the practice panel's score and answers, or a reached goal, through it; progress goes to
// cmi.suspend_data, so a student resumes where they stopped. Nothing else is sent anywhere:
// the API is JavaScript in the platform's own page. Without an API the page works as ever.
// An API that throws or refuses a value leaves the page working; it says so once, in place.

import { ANSWERS_KEY, PART_ID, PROGRESS_KEY } from "./practice-parts.js";
/** How many frames up the discovery looks (the ADL's sample looks 7 up; players nest a few). */
export const MAX_FRAME_STEPS = 10;
/** SCORM 1.2 limits: cmi.suspend_data is a CMIString4096, a student_response a CMIString255
 * (the RTE's data model; we count UTF-16 code units, the stricter reading). */
export const MAX_SUSPEND = 4096;
export const MAX_RESPONSE = 255;
/** A CMIIdentifier: no white space, nothing unprintable; at most 255 characters. */
const MAX_IDENTIFIER = 255;
/** The format of what we keep in cmi.suspend_data. */
const SUSPEND_VERSION = 1;

/** The API object in `win` if it looks like SCORM 1.2's, or null (also if `win` is another origin's). */
function apiIn(win) {
  try {
    const api = win.API;
    return api && typeof api.LMSInitialize === "function" && typeof api.LMSSetValue === "function" ? api : null;
  } catch {
    return null; // a frame from another origin: reading its properties throws
  }
}

/** Looks in `win` and up to MAX_FRAME_STEPS of its parents. */
function searchUp(win) {
  let current = win;
  for (let step = 0; step <= MAX_FRAME_STEPS && current; step += 1) {
    const api = apiIn(current);
    if (api) return api;
    let parent = null;
    try {
      parent = current.parent;
    } catch {
      return null;
    }
    if (!parent || parent === current) return null;
    current = parent;
  }
  return null;
}

/** The standard discovery: this window and its parents, then the opener and its parents. */
export function findApi(win = window) {
  const api = searchUp(win);
  if (api) return api;
  try {
    return win.opener ? searchUp(win.opener) : null;
  } catch {
    return null;
  }
}

/** Text a CMIString255 takes: no control characters or unpaired surrogates, at most 255 code units, not cut inside a character. */
export function cmiString(text, limit = MAX_RESPONSE) {
  const clean = [...String(text)]
    .filter((ch) => !/[\u0000-\u001f\u007f-\u009f]/.test(ch) && !/^[\ud800-\udfff]$/.test(ch))
    .join("");
  let out = "";
  for (const ch of clean) {
    if (out.length + ch.length > limit) break;
    out += ch;
  }
  return out;
}

/** A CMIIdentifier made from `text`: letters, digits and "-", "_", "." only. */
export function cmiIdentifier(text) {
  return String(text).replace(/[^A-Za-z0-9_.-]+/g, "-").slice(0, MAX_IDENTIFIER) || "unnamed";
}

/** Seconds as a CMITimespan, HHHH:MM:SS.SS. */
function timespan(seconds) {
  const s = Math.max(0, seconds);
  const hours = Math.min(9999, Math.floor(s / 3600));
  const minutes = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(2).padStart(5, "0");
  return `${String(hours).padStart(4, "0")}:${String(minutes).padStart(2, "0")}:${rest}`;
}

/** The time of day as a CMITime, HH:MM:SS. */
function clock(date = new Date()) {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** The practice store's solved parts, or null if storage cannot be read. */
function readStore() {
  try {
    const stored = JSON.parse(window.localStorage.getItem(PROGRESS_KEY) ?? "{}");
    return Array.isArray(stored?.solved) ? stored.solved.filter((id) => typeof id === "string") : [];
  } catch {
    return null;
  }
}

function writeStore(parts) {
  try {
    window.localStorage.setItem(PROGRESS_KEY, JSON.stringify({ solved: parts }));
  } catch { /* storage refused: the panel starts empty */ }
}

/** Progress from cmi.suspend_data, or null if it holds nothing of ours. */
export function readSuspend(text) {
  if (typeof text !== "string" || text === "" || text.length > MAX_SUSPEND) return null;
  try {
    const data = JSON.parse(text);
    if (data?.v !== SUSPEND_VERSION) return null;
    const parts = Array.isArray(data.parts) ? data.parts.filter((id) => typeof id === "string" && PART_ID.test(id)) : [];
    return { parts, reached: data.reached === true };
  } catch {
    return null;
  }
}

/** Progress as cmi.suspend_data, within its 4,096 characters (parts beyond that are left out). */
export function writeSuspend(parts, reached) {
  const kept = [...parts];
  let text = JSON.stringify({ v: SUSPEND_VERSION, parts: kept, reached });
  while (text.length > MAX_SUSPEND && kept.length) {
    kept.pop();
    text = JSON.stringify({ v: SUSPEND_VERSION, parts: kept, reached });
  }
  return text;
}

/**
 * Connects to the learning platform's SCORM 1.2 API, if there is one, for the panels `shown`
 * and the activity `view` (its goal). Call before the panels mount: resuming writes the
 * practice panel's store from cmi.suspend_data. Returns null without an API, or the session.
 */
export function connectLms(shown, view, win = window) {
  const api = findApi(win);
  if (!api) return null;
  const practice = shown.find((section) => section.dataset.panel === "practice") ?? null;
  // A goal counts only if the page shows it (a goal it could not read is reported, not judged).
  const goalSection = view.goal ? shown.find((section) => section.querySelector(".goal")) ?? null : null;
  const goal = goalSection ? view.goal : null;
  const home = goalSection ?? practice ?? shown[0];
  const started = Date.now();
  const status = statusLine(home);
  const { call, get, set, failed } = lmsCalls(api, status);
  if (call("LMSInitialize", "") === null) return { api, failed, status };
  let open = true;
  status.textContent = "Your progress is recorded by your course's learning platform.";

  const resumed = readSuspend(get("cmi.suspend_data"));
  let reached = resumed?.reached ?? false;
  let parts = resumed?.parts ?? [];
  if (practice) startPracticeStore(parts, resumed !== null);
  const count = Number.parseInt(get("cmi.interactions._count"), 10);
  let next = Number.isSafeInteger(count) && count >= 0 ? count : 0;

  startStatus({ get, set, call }, { scored: practice !== null || goal !== null, reached });

  let solvedExercises = null;
  /** The best score recorded in this attempt (the platform's, on a resume): Start over and
   * new sizes never lower it, as they never lower "passed". */
  const earlier = Number.parseFloat(get("cmi.core.score.raw"));
  let best = Number.isFinite(earlier) && earlier >= 0 && earlier <= 100 ? earlier : 0;
  /** The exercises launched: those the practice panel shows (all, or what ?q= chose). */
  const launched = () => [...practice.querySelectorAll(".exercise")].filter((e) => !e.hidden).map((e) => e.dataset.exercise);

  function record() {
    set("cmi.suspend_data", writeSuspend(parts, reached));
    if (goal) {
      if (reached) {
        set("cmi.core.score.min", 0);
        set("cmi.core.score.max", 100);
        set("cmi.core.score.raw", 100);
        set("cmi.core.lesson_status", "passed");
      }
      return;
    }
    if (!practice || solvedExercises === null) return;
    const ids = launched();
    if (!ids.length) return;
    const solved = ids.filter((id) => solvedExercises.includes(id)).length;
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    best = Math.max(best, Math.round((100 * solved) / ids.length));
    set("cmi.core.score.raw", best);
    if (solved === ids.length) set("cmi.core.lesson_status", "passed");
  }

  if (practice) {
    practice.addEventListener("backprop-lab:progress", (event) => {
      const first = solvedExercises === null;
      solvedExercises = Array.isArray(event.detail?.solved) ? event.detail.solved : [];
      parts = readStore() ?? parts;
      // The mount's report changes nothing; later ones (Start over, new sizes) are kept.
      if (!first && open) record();
    });
    practice.addEventListener("backprop-lab:answer", (event) => {
      if (!open) return;
      const { exercise, part, right, response, mistakes } = event.detail ?? {};
      if (right && PART_ID.test(part ?? "") && !parts.includes(part)) parts.push(part);
      writeInteraction(set, next, { exercise, part, right, response, mistakes });
      next += 1;
      record();
      call("LMSCommit", "");
    });
  }
  if (goalSection) {
    goalSection.addEventListener("backprop-lab:goal-reached", () => {
      if (!open || reached) return;
      reached = true;
      record();
      call("LMSCommit", "");
    });
  }

  const finish = () => {
    if (!open) return;
    open = false;
    set("cmi.core.session_time", timespan((Date.now() - started) / 1000));
    set("cmi.suspend_data", writeSuspend(parts, reached));
    call("LMSCommit", "");
    call("LMSFinish", "");
  };
  win.addEventListener("pagehide", finish);
  return { api, failed, status, finish };
}

/**
 * The practice panel starts from the platform's record of solved `parts`, not from this
 * browser's store (another student may have used this computer); a new attempt (not
 * `resumed`) also starts without the answers typed on this computer.
 */
function startPracticeStore(parts, resumed) {
  writeStore(parts);
  if (!resumed) {
    try { window.localStorage.removeItem(ANSWERS_KEY); } catch { /* storage refused */ }
  }
}

/**
 * The attempt's status at launch, unless already passed or completed: "completed" where
 * nothing is `scored` (launching the page is all it asks), otherwise "incomplete" until the
 * goal is `reached`. The attempt is suspended on exit, to be resumed.
 */
function startStatus({ get, set, call }, { scored, reached }) {
  const before = get("cmi.core.lesson_status");
  const done = before === "passed" || before === "completed";
  if (!scored) {
    if (!done) set("cmi.core.lesson_status", "completed");
  } else if (!done && !reached) {
    set("cmi.core.lesson_status", "incomplete");
  }
  set("cmi.core.exit", "suspend");
  call("LMSCommit", "");
}

/** The line that says the platform records progress, or that it refused: under the goal, the
 * task, the lock note or the panel's head of `home`, the panel that is scored. */
function statusLine(home) {
  const status = document.createElement("p");
  status.className = "hint lms-status";
  status.setAttribute("role", "status");
  const anchor = [".goal", ".task", ".locked-note", ".panel-head"].map((selector) => home?.querySelector(selector)).find(Boolean);
  anchor?.after(status);
  return status;
}

/**
 * The API's calls, each of which may refuse: { call(name, ...args) (null if refused),
 * get(element), set(element, value), failed() }. The first refusal is said once, in `status`;
 * further calls are still tried.
 */
function lmsCalls(api, status) {
  let failed = false;
  function fail(what) {
    if (failed) return;
    failed = true;
    status.classList.add("refused");
    status.textContent = `Your course's learning platform did not take your score (${what}). The page works as before; tell your instructor if this goes on.`;
  }
  /** A throw, "false" or an error code counts as refused. */
  function call(name, ...args) {
    let result;
    try {
      result = api[name](...args);
    } catch (error) {
      fail(`${name} failed: ${cmiString(error?.message ?? error, 160)}`);
      return null;
    }
    if (name === "LMSGetValue") return typeof result === "string" ? result : null;
    let code = "0";
    try {
      code = String(api.LMSGetLastError?.() ?? "0");
    } catch { /* no error code to read */ }
    if (String(result) !== "true" || (code !== "0" && code !== "")) {
      const what = args.length > 1 ? `${name} ${args[0]}` : name;
      fail(`it refused ${what}${code !== "0" && code !== "" ? `, error ${code}` : ""}`);
      return null;
    }
    return result;
  }
  return {
    call,
    get: (element) => call("LMSGetValue", element) ?? "",
    set: (element, value) => call("LMSSetValue", element, String(value)),
    failed: () => failed,
  };
}

/** A checked answer as interaction `n`: its part, when, what was typed, right or wrong, and
 * the mistake named (as the interaction's objective). */
function writeInteraction(set, n, { exercise, part, right, response, mistakes }) {
  const id = exercise === part ? exercise : `${exercise}.${part}`;
  set(`cmi.interactions.${n}.id`, cmiIdentifier(id));
  set(`cmi.interactions.${n}.type`, "fill-in");
  set(`cmi.interactions.${n}.time`, clock());
  const typed = cmiString(response ?? "");
  if (typed !== "") set(`cmi.interactions.${n}.student_response`, typed);
  set(`cmi.interactions.${n}.result`, right ? "correct" : "wrong");
  const mistake = Array.isArray(mistakes) ? mistakes.find((m) => typeof m === "string" && m) : null;
  if (!right && mistake) set(`cmi.interactions.${n}.objectives.0.id`, cmiIdentifier(mistake));
}
