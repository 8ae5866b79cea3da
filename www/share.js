// The Share button (copies a link to what is on screen) and the Embed dialog, which builds a
// class activity from one panel (controls hidden or locked, an instruction, a goal, a fixed
// height) and writes the code for the instructor's site, with a live preview.

import { GOAL_KINDS, MAX_TASK, goalText, hasExercise, parseGoal } from "./activity.js";
import { controlName, fieldsetSlug } from "./controls.js";
import { shareUrl } from "./state.js";
import { sharedLab } from "./shared.js";
import { launchTitle, scormPackage } from "./scorm-package.js";

async function copy(text, status) {
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied.";
  } catch {
    status.textContent = "Copying is not allowed here: select the text and copy it yourself.";
  }
  setTimeout(() => { status.textContent = ""; }, 4000);
}

/** The goal kinds a panel can check (activity.js's GOAL_KINDS), by name. */
const goalsOf = (panel) => Object.entries(GOAL_KINDS).filter(([, goal]) => goal.panel === panel);

const escape = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/**
 * The training lab or the explorer as a widget in a static MyST page (mystmd's anywidget
 * directive, no kernel): the widget's module and style sheet, which `make dist` puts beside the
 * page (www/backprop-lab-widget.js and .css), and the lab's settings now as the log the widget
 * replays. Null for the other panels.
 */
function mystWidget(panel) {
  if (panel !== "training" && panel !== "backprop") return null;
  const lab = sharedLab();
  const base = new URL(".", window.location.href);
  // The data set as the training lab's control shows it (not there when another panel is
  // shown alone); the student's own points cannot be carried.
  const data = document.getElementById("dataset")?.value;
  const settings = [...(data && data !== "custom" ? [["set", "data", data, 0]] : []),
    ["set", "hidden", "", lab.hidden], ["set", "activation", lab.activation, 0]];
  const state = JSON.stringify({ _view: panel, _log: settings });
  return `:::{anywidget} ${new URL("www/backprop-lab-widget.js", base)}\n:css: ${new URL("www/backprop-lab-widget.css", base)}\n${state}\n:::`;
}

/** The code for each kind of host page. */
function snippets(src, title, height, panel) {
  const frame = (extra = "") => `<iframe src="${escape(src)}" title="${escape(title)}" style="width: 100%; height: ${height ?? 640}px; border: 0"${extra} loading="lazy"></iframe>`;
  const host = new URL("www/embed-host.js", new URL(".", window.location.href)).toString();
  const script = `<script src="${escape(host)}" defer></script>`;
  return {
    html: {
      code: `${frame()}\n${script}`,
      hint: "Any page that allows HTML, including MkDocs (Markdown passes HTML through). The script sizes the frame to the panel.",
    },
    myst: {
      code: `:::{iframe} ${src}\n:width: 100%\n:::` + (mystWidget(panel) ? `\n\n% Or the panel itself in the page, without a frame (the anywidget directive of mystmd):\n${mystWidget(panel)}` : ""),
      hint: "MyST's iframe directive, for Jupyter Book 2 and mystmd. The frame keeps the height your theme gives it; add a fixed height above if the panel is taller."
        + (mystWidget(panel) ? " The anywidget directive below it shows the same panel as a widget, with its network's settings; keep one of the two." : ""),
    },
    quarto: {
      code: `\`\`\`{=html}\n${frame()}\n${script}\n\`\`\``,
      hint: "A raw HTML block in a Quarto document; the script sizes the frame to the panel.",
    },
    canvas: {
      code: frame(' allowfullscreen="allowfullscreen"'),
      hint: "Paste in the HTML editor of a Canvas page. Canvas removes scripts, but resizes the frame from the panel's own messages (lti.frameResize).",
    },
  };
}

/** Raw deflate by the browser's CompressionStream, or null where it has none (the files are then stored). */
function browserDeflate() {
  try {
    new CompressionStream("deflate-raw");
  } catch {
    return null;
  }
  return async (bytes) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
}

/**
 * Downloads the SCORM 1.2 package that launches `src` (the activity's link): this page's own
 * files, fetched again from where it was loaded, and imsmanifest.xml. Says what happened in `status`.
 */
async function downloadScorm(src, panel, status) {
  // Only the bundled page can be packed: the single file and the sources have no www/app.js.
  if (!document.querySelector('script[src$="www/app.js"]')) {
    status.textContent = "This copy of the page cannot pack itself (it is the single file, or the sources). Use the web version, or make the package with make dist.";
    return;
  }
  const base = new URL(".", window.location.href);
  const read = async (name) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`${name} could not be read (HTTP ${response.status})`);
    return new Uint8Array(await response.arrayBuffer());
  };
  const query = new URL(src).search;
  const bytes = await scormPackage({ query, title: launchTitle(query), read, deflateRaw: browserDeflate() });
  const name = `backprop-lab-scorm-${panel}.zip`;
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/zip" }));
  Object.assign(document.createElement("a"), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  status.textContent = `Saved ${name} (${Math.round(bytes.length / 1024).toLocaleString("en-US")} KiB). Moodle: Add an activity or resource → SCORM package. Canvas: upload it in the course's SCORM tool.`;
}

export function mountSharing(shown, view) {
  const status = document.getElementById("share-status");
  document.getElementById("share-page").addEventListener("click", () => copy(shareUrl(view), status));
  if (view.embed) return; // an embedded panel offers no further embedding

  const $ = (id) => document.getElementById(id);
  const dialog = $("embed-dialog");
  const rows = $("embed-controls").querySelector("tbody");
  const kind = $("embed-goal-kind");
  /** The preview's frame, made when the dialog first shows one: a frame in the page's HTML
   * made every load create and lay out a child document before the first chart (~30 ms). */
  let preview = null;
  function previewFrame() {
    if (!preview) {
      preview = document.createElement("iframe");
      preview.id = "embed-preview";
      preview.title = "Preview of the embedded panel";
      $("embed-preview-box").append(preview);
    }
    return preview;
  }
  let current = null;
  let host = "html";
  let previewTimer = null;

  const activity = () => chosenActivity(current);

  function refresh() {
    const chosen = activity();
    const src = shareUrl({ panel: current.dataset.panel, embed: true, ...chosen });
    const title = `Backprop Lab: ${current.querySelector("h2").textContent}`;
    const snippet = snippets(src, title, chosen.height, current.dataset.panel)[host];
    $("embed-code").value = snippet.code;
    $("embed-code-hint").textContent = chosen.problem || snippet.hint;
    if (!chosen.height) $("embed-height-note").textContent = "";
    const goal = GOAL_KINDS[kind.value];
    $("embed-goal-value-label").textContent = goal?.value ?? "Value";
    $("embed-goal-values").hidden = !goal;
    $("embed-goal-steps-field").hidden = !goal?.steps;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      const frame = previewFrame();
      if (frame.src !== src) frame.src = src;
    }, 400);
  }

  // The preview reports its height once laid out to fit the chosen one: say when it cannot fit.
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!preview || event.source !== preview.contentWindow || data?.type !== "backprop-lab:height") return;
    const chosen = activity().height;
    const note = $("embed-height-note");
    const needs = Math.ceil(Number(data.height));
    note.textContent = chosen && needs > chosen
      ? `This panel cannot fit ${chosen} px: even with its notes folded and its plots shrunk it needs about ${needs} px, so students will scroll inside the frame. Leave the height empty on hosts that resize frames.`
      : "";
  });
  dialog.addEventListener("input", refresh);
  dialog.addEventListener("change", refresh);
  dialog.addEventListener("close", () => { if (preview) preview.src = "about:blank"; });
  $("embed-copy").addEventListener("click", () => copy($("embed-code").value, $("embed-status")));
  scormButton(() => ({ src: shareUrl({ panel: current.dataset.panel, embed: true, ...activity() }), panel: current.dataset.panel }));

  hostTabs((tab) => {
    host = tab.dataset.host;
    refresh();
  });

  function open(section) {
    current = section;
    fillControlRows(rows, section, view);
    const goals = goalsOf(section.dataset.panel);
    kind.replaceChildren(new Option("none", ""), ...goals.map(([name, goal]) => new Option(goal.words, name)));
    $("embed-goal").hidden = goals.length === 0;
    $("embed-task").value = view.task ?? "";
    refresh();
    dialog.showModal();
  }

  for (const section of shown) addEmbedButton(section, open);
}

/** "Download as a SCORM package" packs the activity `chosen()` gives ({ src, panel }). */
function scormButton(chosen) {
  const button = document.getElementById("embed-scorm");
  const status = document.getElementById("embed-scorm-status");
  button.addEventListener("click", async () => {
    const { src, panel } = chosen();
    button.disabled = true;
    status.textContent = "Packing…";
    try {
      await downloadScorm(src, panel, status);
    } catch (error) {
      status.textContent = `The package could not be made: ${error.message}.`;
    } finally {
      button.disabled = false;
    }
  });
}

/** An "Embed" button in the head of `section`, which runs `open(section)`. */
function addEmbedButton(section, open) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "small embed-button";
  button.textContent = "Embed";
  button.setAttribute("aria-label", `Embed the ${section.querySelector("h2").textContent} panel`);
  button.addEventListener("click", () => open(section));
  section.querySelector(".panel-head").append(button);
}

/** The activity as chosen in the dialog for the panel `current`: {hide, lock, task, goal,
 * height} and what is wrong with it ("" if nothing). */
function chosenActivity(current) {
  const $ = (id) => document.getElementById(id);
  const ticked = (column) => [...$("embed-controls").querySelectorAll(`tbody input[data-column="${column}"]:checked`)].map((box) => box.value);
  const task = $("embed-task").value.trim().slice(0, MAX_TASK) || null;
  const kind = $("embed-goal-kind").value;
  const value = $("embed-goal-value").value.trim();
  const steps = $("embed-goal-steps").value.trim();
  let goal = null;
  let problem = "";
  if (kind) {
    goal = goalText(kind, value, steps);
    const parsed = parseGoal(goal);
    if (parsed.problem || (kind === "solved" && !hasExercise(current, value))) {
      const ids = [...current.querySelectorAll(".exercise[data-exercise]")].map((e) => e.dataset.exercise);
      problem = `The goal is not complete: ${parsed.problem ?? `choose one of the exercises ${ids.join(", ")}`}.`;
      goal = null;
    }
  }
  const height = Number($("embed-height").value) || null;
  return { hide: ticked("hide"), lock: ticked("lock"), task, goal, height, problem };
}

/** The host tabs: one code box, its content chosen by the tab (arrow keys move between tabs). */
function hostTabs(selected) {
  const $ = (id) => document.getElementById(id);
  const tabs = [...$("embed-tabs").querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
    }
    $("embed-code-panel").setAttribute("aria-labelledby", tab.id);
    selected(tab);
  };
  $("embed-tabs").addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) select(tab);
  });
  $("embed-tabs").addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowLeft: -1 };
    if (!(event.key in moves)) return;
    const next = tabs[(tabs.indexOf(document.activeElement) + moves[event.key] + tabs.length) % tabs.length];
    next.focus();
    select(next);
  });
}

/** The dialog's table of the panel's controls: each group, and under it each control, with
 * Hide and Lock boxes ticked as the link has them. */
function fillControlRows(rows, section, view) {
  rows.replaceChildren();
  const row = (value, text, nested) => {
    const tr = rows.insertRow();
    const name = tr.insertCell();
    name.textContent = text.replace(/\[[^\]]*\]/g, (group) => group.replaceAll(" ", "\u00a0")); // "[x, 1]" on one line
    if (nested) name.className = "nested";
    for (const column of ["hide", "lock"]) {
      const box = Object.assign(document.createElement("input"), { type: "checkbox", value });
      box.dataset.column = column;
      box.checked = view[column].includes(value);
      box.setAttribute("aria-label", `${column === "hide" ? "Hide" : "Lock"} ${text}`);
      tr.insertCell().append(box);
    }
  };
  for (const fieldset of section.querySelectorAll("fieldset")) {
    const controls = [...fieldset.querySelectorAll("[data-state]")];
    if (!controls.length) continue;
    row(fieldsetSlug(fieldset), `${fieldset.querySelector("legend").textContent} (all)`, false);
    for (const control of controls) row(control.dataset.state, controlName(control), true);
  }
}
