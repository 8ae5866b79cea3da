// Links under a seeded fuzz: every URL parameter the page reads (each data-state control's key,
// each section's data-extras, and the view keys v, panel, embed and hide) gets random and
// hostile values (quotes, brackets and selector syntax among them), all at once, in links for the whole page and for each ?panel=. Whatever a
// link holds, the page must load without an error, draw every plot it shows, write no NaN,
// Infinity or undefined, create no element from a value in the link, and run no long task
// (harness.mjs's LONG_TASK_MS) once it is ready.
//
// The seed is printed; LINK_FUZZ_SEED=<seed> replays a run, and every failure names its link.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fuzzScale, LONG_TASK_MS, longTasksAfterReady, nextFrame, openPage, seededRandom, startLab, watchPage } from "./harness.mjs";

const SEED = Number(process.env.LINK_FUZZ_SEED ?? 20261130);
/** Links for the whole page, and for each ?panel= (some of which fuzz panel, embed and hide);
 * FUZZ_SCALE (harness.mjs) scales both. */
const WHOLE_PAGE_LINKS = Math.max(1, Math.round(40 * fuzzScale()));
const LINKS_PER_PANEL = Math.max(1, Math.round(22 * fuzzScale()));

const LONG = "1".repeat(5000); // a number too large for float64, written out
const HOSTILE = ["", " ", "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-400", "5e-324", "-0", "00",
  "0x10", "+5", "1.", ".5", "1,2", "%00", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u202e",
  "😀", "1e400", "-", "e5", "1e", "--1", "0.1.2", "toString", "__proto__", "null", "undefined", "true",
  // Quotes, brackets and selector syntax, in case a value reaches a selector or markup.
  '"', "'", '2a"]', '2a"],body,[x="', "\\", "[x]", "*", ":not(a)", "a,b", "#x", ".y", "> p", "${x}", "`"];
/** Text the page must never write into a panel (the notice quotes the link and is exempt). */
// A number written as ∞ is a bug, but a limit "as x → +∞" (practice 1(b)) is not a number.
const FORBIDDEN = /NaN|Infinity|(?<!→ [+−])∞|undefined|not a number/;
const LONG_TASK = `tasks over ${LONG_TASK_MS} ms after ready`;

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/** Every parameter the page reads, as the page itself declares it once the core has set the
 * controls' ranges: {key, panel, kind, min, max, step, options} per control, the extras and
 * the fieldsets' slugs (for hide). */
async function readSchema() {
  const page = await openPage(lab, "/");
  const schema = await page.evaluate(async () => {
    const { fieldsetSlug } = await import("/www/controls.js");
    const controls = [...document.querySelectorAll("[data-state]")].map((control) => ({
      key: control.dataset.state,
      panel: control.closest("section.panel").dataset.panel,
      kind: control.type === "checkbox" ? "checkbox" : control.tagName === "SELECT" ? "select" : "number",
      min: Number(control.min),
      max: Number(control.max),
      step: Number(control.step) || 1,
      options: control.tagName === "SELECT" ? [...control.options].map((o) => o.value) : [],
    }));
    const extras = [...document.querySelectorAll("section.panel[data-panel]")].flatMap((section) =>
      (section.dataset.extras ?? "").split(" ").filter(Boolean).map((key) => ({ key, panel: section.dataset.panel })));
    const slugs = [...document.querySelectorAll("section.panel fieldset")].map(fieldsetSlug);
    const panels = [...document.querySelectorAll("section.panel[data-panel]")].map((section) => section.dataset.panel);
    const trainCount = Number(document.querySelector("#train-count").textContent);
    return { controls, extras, slugs, panels, trainCount };
  });
  await page.context().close();
  return schema;
}

/** The value generators, all drawing from one seeded stream. With `tame` set, almost every
 * value is one the page accepts, so links also reach what only valid settings lead to. */
function makeValues(random, schema) {
  const mood = { tame: false };
  /** Whether to draw a valid value: with probability `share`, or nearly always when tame. */
  const good = (share) => random() < (mood.tame ? 0.97 : share);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const int = (low, high) => low + Math.floor(random() * (high - low + 1));
  const hostile = () => (random() < 0.03 ? LONG : pick(HOSTILE));
  /** A random decimal between low and high, written with 0 to 6 decimals or in e-notation. */
  const decimal = (low, high) => {
    const value = low + random() * (high - low);
    return random() < 0.15 ? value.toExponential(int(0, 4)) : value.toFixed(int(0, 6));
  };
  const number = ({ min, max, step }) => {
    const decimals = Math.max(0, -Math.floor(Math.log10(step)));
    if (good(0.4)) return (min + step * int(0, Math.round((max - min) / step))).toFixed(decimals);
    const roll = random();
    if (roll < 0.15) return pick([String(min), String(max), `${max}.000`, `${max}e0`, `-${min}`]);
    if (roll < 0.35) return decimal(min, max); // in range, mostly off the step grid
    if (roll < 0.5) return decimal(max, max + 10 * (max - min + 1)); // above
    if (roll < 0.6) return decimal(min - 10 * (max - min + 1), min); // below
    return hostile();
  };
  const flag = () => (good(0.6) ? pick(["0", "1"]) : random() < 0.5 ? pick(["2", "-1", "yes", "on", "01", "1.0"]) : hostile());
  const choice = (options) => {
    if (good(0.6)) return pick(options);
    if (random() < 0.4) return pick([pick(options).toUpperCase(), ` ${pick(options)}`, `${pick(options)},${pick(options)}`]);
    return hostile();
  };
  const pairs = () => {
    const roll = random();
    if (roll < 0.1) return "none";
    const count = roll < 0.2 ? int(1, 500) : int(1, 12);
    const numbers = Array.from({ length: 2 * count }, (_, i) => (i % 2 ? decimal(-6, 6) : decimal(-4, 4)));
    if (!good(0.7)) numbers[int(0, numbers.length - 1)] = hostile(); // one bad entry
    if (!good(0.85)) numbers.pop(); // an odd count
    return numbers.join(",");
  };
  /** A weight of the lab's network by its key ("A1_1", "b3"), or one that is not there. */
  const weight = () => {
    if (good(0.6)) return random() < 0.6 ? `A${int(1, 8)}_${int(1, 2)}` : `b${int(1, 8)}`;
    return random() < 0.6 ? pick(["A0_1", "A9_1", "A1_3", "b0", "b65", "c1", "A1", "a1_1", "A1_1_1"]) : hostile();
  };
  const extras = {
    a_x: () => (good(0.7) ? decimal(-6, 6) : random() < 0.5 ? decimal(-25, 25) : hostile()),
    a_reveal: flag,
    t_pts: () => (good(0.8) ? pairs() : hostile()),
    // Mostly short replays (long ones are refused or replay in slices: both are checked).
    t_steps: () => (good(0.6) ? String(int(0, 300)) : random() < 0.5 ? String(int(300, 40_000)) : random() < 0.3 ? decimal(-5, 50) : hostile()),
    b_ex: () => {
      if (good(0.35)) return String(int(0, schema.trainCount - 1));
      const roll = random();
      if (roll < 0.5) return `${decimal(-12, 12)}:${decimal(-12, 12)}`;
      if (roll < 0.7) return String(int(schema.trainCount - 5, schema.trainCount + 600));
      if (roll < 0.8) return pick(["1:2:3", ":", "1:", ":1", "1e400:0", "0:-0"]);
      return hostile();
    },
    q: () => (good(0.6) ? pick(["2a", "local", "2b", "2c", "2d"]) : random() < 0.5 ? pick(["2e", "2C", "local,2b", "0"]) : hostile()),
    l_x: () => weight(),
    l_y: () => weight(),
  };
  for (const { key } of schema.extras) {
    assert.ok(extras[key], `the fuzz has no value generator for the link parameter ${key}: add one`);
  }
  const hideNames = [...schema.slugs, ...schema.controls.map((c) => c.key)];
  const view = {
    v: () => (good(0.7) ? "1" : random() < 0.5 ? pick(["0", "2", "1.0", "01"]) : hostile()),
    panel: () => (good(0.6) ? pick(schema.panels) : random() < 0.5 ? pick(["toString", "__proto__", "constructor", "hasOwnProperty", "TRAINING", "training,cost"]) : hostile()),
    embed: () => (good(0.7) ? "1" : random() < 0.5 ? pick(["0", "true", "yes"]) : hostile()),
    hide: () => (good(0.75)
      ? Array.from({ length: int(1, 6) }, () => (good(0.85) ? pick(hideNames) : hostile())).join(",")
      : hostile()),
    lock: () => (good(0.75)
      ? Array.from({ length: int(1, 4) }, () => (good(0.85) ? pick(hideNames) : hostile())).join(",")
      : hostile()),
    task: () => (good(0.6) ? pick(["Bring the loss below 0.05.", "Try <b>two</b> rates & compare.", "x".repeat(280)]) : random() < 0.5 ? "y".repeat(281) : hostile()),
    goal: () => (good(0.6)
      ? pick(["train<0.05", "test<0.1@100", "ratio>0.5", "solved:2c", "train<1e-3@5000"])
      : random() < 0.5 ? pick(["train<", "train<-1", "train<0.05@0", "speed>3", "ratio>abc", "solved:", "solved:9z", "test<0.1@1.5", 'solved:"', 'solved:2a"]', 'solved:2a"],body,[x="', "solved:*"]) : hostile()),
    height: () => (good(0.6) ? String(int(300, 1500)) : random() < 0.5 ? pick(["0", "299", "5001", "500px", "1e3", "-500"]) : hostile()),
  };
  const forControl = (control) => (control.kind === "checkbox" ? flag() : control.kind === "select" ? choice(control.options) : number(control));
  return { mood, pick, int, forControl, extras, view };
}

/** A link's query with every known parameter given a value with probability `share` (a fifth
 * of that for another panel's parameters in a one-panel link, which the page then does not
 * know), now and then an unknown or repeated key (unless tame), and values now and then not
 * percent-encoded. */
function makeLink(random, schema, values, { panel, share, tame }) {
  values.mood.tame = tame;
  const included = (owner) => random() < (panel === undefined || !schema.panels.includes(panel) || owner === panel ? share : share / 5);
  const params = [];
  for (const control of schema.controls) if (included(control.panel)) params.push([control.key, values.forControl(control)]);
  for (const { key, panel: owner } of schema.extras) if (included(owner)) params.push([key, values.extras[key]()]);
  for (const key of ["v", "embed", "hide", "lock", "task", "goal", "height"]) if (random() < share) params.push([key, values.view[key]()]);
  if (panel !== undefined) params.push(["panel", panel]);
  if (!tame && random() < 0.15) params.push([values.pick(["junk", "<b>", "t_h ", "T_H", "__proto__"]), values.pick(HOSTILE)]);
  if (!tame && random() < 0.1 && params.length) params.push([params[0][0], values.pick(HOSTILE)]); // a key given twice
  for (let i = params.length - 1; i > 0; i -= 1) { // shuffled, so order never matters
    const j = Math.floor(random() * (i + 1));
    [params[i], params[j]] = [params[j], params[i]];
  }
  const encode = (text) => (random() < 0.1 && /^[^&#=+ ]*$/.test(text) ? text : encodeURIComponent(text));
  return `/?${params.map(([key, value]) => `${encodeURIComponent(key)}=${encode(value)}`).join("&")}`;
}

/** Everything checked on one loaded link; returns the problems found. */
async function inspect(page, link) {
  // Pending redraws happen, and the observer has seen every task so far.
  await nextFrame(page);
  await nextFrame(page);
  const found = [...page.problems];
  const report = await page.evaluate(({ forbidden }) => {
    const panels = [...document.querySelectorAll("section.panel[data-panel]")];
    // A canvas counts as blank when it holds fewer than 3 distinct colours over all its
    // pixels: a cleared canvas has 1 (transparent, or the theme's background), a background
    // with one flat shape has 2, while every chart here draws axes with anti-aliased tick
    // labels (dozens of colours). Canvases not rendered (hidden by ?hide=, by their panel's
    // mode, or 0×0) are not counted: the page draws them when they are shown.
    const blank = [];
    for (const canvas of panels.flatMap((section) => [...section.querySelectorAll("canvas")])) {
      if (!canvas.checkVisibility() || canvas.clientWidth === 0 || canvas.clientHeight === 0) continue;
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length && colours.size < 3; i += 4) {
        colours.add(((data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]) >>> 0);
      }
      if (colours.size < 3) blank.push(`#${canvas.id} (${canvas.width}×${canvas.height}, ${colours.size} colours)`);
    }
    const pattern = new RegExp(forbidden);
    // The task is the link author's own words, shown verbatim (checked below), so a task
    // that says "NaN" may; every other word on the page is the page's.
    const pageText = (section) => {
      const task = section.querySelector("p.task");
      if (task) task.hidden = true;
      const text = section.innerText;
      if (task) task.hidden = false;
      return text;
    };
    const bad = panels.map((section) => [section.dataset.panel, pageText(section).match(pattern)])
      .filter(([, match]) => match)
      .map(([name, match]) => `${name}: “…${match.input.slice(Math.max(0, match.index - 60), match.index + 40).replace(/\s+/g, " ")}…”`);
    const notice = document.getElementById("page-notice");
    return {
      blank,
      bad,
      shown: panels.map((section) => section.dataset.panel),
      task: document.querySelector("p.task")?.textContent ?? null,
      noticeElements: notice.children.length,
      // Nothing made from a value: the page has no img, no inline handler, and two scripts
      // in its <head> (the module and the one that starts compiling WebAssembly), none after.
      images: document.querySelectorAll("img").length,
      scripts: document.querySelectorAll("script").length,
      headScripts: document.head.querySelectorAll("script").length,
      handlers: document.querySelectorAll("[onerror], [onload], [onclick]").length,
      alerts: window.alerts.length,
      csp: window.cspViolations,
    };
  }, { forbidden: FORBIDDEN.source });
  if (report.shown.length === 0) found.push("no panel is shown");
  // A task, when shown, is exactly the text given (a repeated key: the first).
  const task = new URLSearchParams(link.slice(link.indexOf("?"))).get("task");
  if (report.task !== null && report.task !== task) found.push(`the task shows “${report.task.slice(0, 60)}”, not the link's text`);
  for (const canvas of report.blank) found.push(`blank canvas ${canvas}`);
  for (const text of report.bad) found.push(`forbidden text in ${text}`);
  if (report.noticeElements) found.push(`the notice holds ${report.noticeElements} elements`);
  if (report.images || report.scripts !== 2 || report.headScripts !== 2 || report.handlers) found.push(`markup from the link: ${report.images} img, ${report.scripts} script, ${report.handlers} inline handlers`);
  if (report.alerts) found.push(`alert() ran ${report.alerts} times`);
  for (const violation of report.csp) found.push(`CSP violation: ${violation}`);
  const long = await longTasksAfterReady(page);
  if (long.length) found.push(`${LONG_TASK}: ${long.join(", ")} ms`);
  return found;
}

/** Loads `link` in a new tab of `context` and checks it; the list of problems has `notice`
 * set when the page showed its notice. Tabs share only the HTTP cache (the page keeps nothing
 * in cookies or local storage, and session storage is per tab), so a link replays alone. */
async function check(context, link) {
  let page = null;
  let found;
  try {
    page = await openPage(lab, link, { context });
    found = await inspect(page, link);
    found.notice = await page.locator("#page-notice").isVisible();
  } catch (error) {
    found = [error.message.split("\n")[0], ...(page?.problems ?? [])];
  }
  await page?.close();
  return found;
}

test(`${WHOLE_PAGE_LINKS} whole-page links and ${LINKS_PER_PANEL} per panel, every parameter fuzzed at once: no error, no blank plot, no NaN, no markup, no long task`, async () => {
  const started = Date.now();
  console.log(`link fuzz: seed ${SEED} (LINK_FUZZ_SEED=${SEED} replays this run)`);
  const schema = await readSchema();
  assert.ok(schema.controls.length >= 30 && schema.extras.length >= 5, "the page declares its parameters");
  const random = seededRandom(SEED);
  const values = makeValues(random, schema);
  // One link in four is tame: fewer parameters, nearly all valid.
  const plan = (panel, i) => (i % 4 === 3 ? { panel, share: 0.5, tame: true } : { panel, share: 0.8, tame: false });
  const plans = [
    // The whole page: no panel, or a panel value that is not one (the page shows them all).
    ...Array.from({ length: WHOLE_PAGE_LINKS }, (_, i) => plan(random() < 0.6 ? undefined : values.pick(HOSTILE), i)),
    // Each panel alone, sometimes embedded, sometimes with a fuzzed panel value.
    ...schema.panels.flatMap((panel) => Array.from({ length: LINKS_PER_PANEL }, (_, i) => plan(random() < 0.9 ? panel : values.view.panel(), i))),
  ];
  const context = await lab.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await watchPage(context);
  const failures = [];
  let notices = 0;
  let reloaded = 0;
  for (const plan of plans) {
    const link = makeLink(random, schema, values, plan);
    let found = await check(context, link);
    // A task's duration is wall-clock time, which other processes on a busy machine stretch.
    // A link with a long task is loaded twice more, and fails only if every load has one: a
    // link that really asks for too much work in one task does so every time.
    for (let again = 0; again < 2 && found.length && found.every((f) => f.startsWith(LONG_TASK)); again += 1) {
      reloaded += 1;
      found = await check(context, link);
    }
    if (found.notice) notices += 1;
    if (found.length) failures.push(`${lab.origin}${link.length > 600 ? `${link.slice(0, 600)}… (${link.length} characters)` : link}\n    ${found.join("\n    ")}`);
    if (failures.length >= 10) break;
  }
  await context.close();
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`link fuzz: ${plans.length} links in ${seconds} s, ${notices} with a notice, ${reloaded} reloads after a long task, ${failures.length} failing`);
  assert.equal(failures.length, 0, `seed ${SEED}: ${failures.length} links failed:\n${failures.join("\n")}`);
  assert.ok(notices > plans.length / 2, `most fuzzed links hold something the page refuses (${notices} notices)`);
});
