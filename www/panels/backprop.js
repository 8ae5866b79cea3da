// The backprop explorer: the worksheet's computation graph (drawn by Rust), stepped forward
// and backward one node at a time on one example of the training lab's data, with the
// current step's formula and numbers as text, A and b with their gradients, and a gradient
// check that can be fooled by a planted bug. With "Predict first" the student guesses the
// signs of ∂L/∂b for two hidden units before the backward pass may start, and is told
// whether the guess held (judged on the core's own ∂L/∂b).

import { BackpropExplorer, stageNames } from "../pkg/backprop_lab.js";
import { fitCanvas, onColourSchemeChange, prefersDark } from "../canvas.js";
import { controlValue } from "../controls.js";
import { formatSignificant as f4 } from "../format.js";
import { panelTools } from "../panel.js";
import { sharedLab } from "../shared.js";
import { parseDecimal, parseWhole, registerState } from "../state.js";

/** How many hidden units (the first ones) the prediction asks about. */
const GUESSED_UNITS = 2;
/** The signs a student can guess: the word on the choice and the sign it stands for. */
const SIGNS = [["positive", 1], ["negative", -1], ["zero", 0]];
const signOf = (value) => (value > 0 ? 1 : value < 0 ? -1 : 0);
const signWord = (sign) => SIGNS.find(([, s]) => s === sign)[0];
/** How many entries of a vector the formula writes out before "…". */
const SHOWN = 4;

const num = (name, index, value) =>
  `<span class="num" data-name="${name}"${index === null ? "" : ` data-index="${index}"`}>${f4(value)}</span>`;

/** The current step's formula, symbolically and with the numbers put in. */
function formula(stage, v) {
  const h = v.h;
  const m = v.m;
  const rows = (count) => [...Array(Math.min(count, SHOWN)).keys()];
  const more = (count) => (count > SHOWN ? `\n… and ${count - SHOWN} more` : "");
  const lines = {
    start: ["Press Forward step to push the example through the graph.", ""],
    z1: ["z1 = A x   (each hidden unit's weighted input)",
      rows(h).map((j) => `z1[${j + 1}] = ${[...Array(m).keys()].map((k) => `${f4(v.A[j * m + k])}·${f4(v.x[k])}`).join(" + ")} = ${num("z1", j, v.z1[j])}`).join("\n") + more(h)],
    z2: ["z2 = σ(z1)   (the activation, entry by entry)",
      rows(h).map((j) => `z2[${j + 1}] = σ(${f4(v.z1[j])}) = ${num("z2", j, v.z2[j])}`).join("\n") + more(h)],
    z3: ["z3 = bᵀ z2 = Σⱼ bⱼ z2ⱼ   (the prediction f(x))",
      `z3 = ${rows(h).map((j) => `${f4(v.b[j])}·${f4(v.z2[j])}`).join(" + ")}${h > SHOWN ? " + …" : ""} = ${num("z3", null, v.z3)}`],
    z4: ["z4 = y − z3   (the error)", `z4 = ${f4(v.y)} − ${f4(v.z3)} = ${num("z4", null, v.z4)}`],
    L: ["L = z4²   (the squared loss)", `L = (${f4(v.z4)})² = ${num("loss", null, v.loss)}`],
    dz4: ["∂L/∂z4 = 2·z4", `∂L/∂z4 = 2 × ${f4(v.z4)} = ${num("dz4", null, v.dz4)}`],
    dz3: ["∂L/∂z3 = ∂L/∂z4 · ∂z4/∂z3 = ∂L/∂z4 · (−1) = −2·z4", `∂L/∂z3 = ${f4(v.dz4)} × (−1) = ${num("dz3", null, v.dz3)}`],
    db: ["∂L/∂b = ∂L/∂z3 · z2 = −2·z4·z2   (z3 = bᵀz2, so ∂z3/∂b = z2)",
      rows(h).map((j) => `∂L/∂b[${j + 1}] = ${f4(v.dz3)} × ${f4(v.z2[j])} = ${num("db", j, v.db[j])}`).join("\n") + more(h)],
    dz2: ["∂L/∂z2 = ∂L/∂z3 · b = −2·z4·b",
      rows(h).map((j) => `∂L/∂z2[${j + 1}] = ${f4(v.dz3)} × ${f4(v.b[j])} = ${num("dz2", j, v.dz2[j])}`).join("\n") + more(h)],
    dz1: [`∂L/∂z1 = ∂L/∂z2 ⊙ σ′(z1) = ∂L/∂z2 ⊙ ${v.sigmaPrimeText}   (reusing z2 from the forward pass)`,
      rows(h).map((j) => `∂L/∂z1[${j + 1}] = ${f4(v.dz2[j])} × ${f4(v.sigmaPrime[j])} = ${num("dz1", j, v.dz1[j])}`).join("\n") + more(h)],
    dA: [`∂L/∂A = ∂L/∂z1 xᵀ = −2·z4·(b ⊙ σ′(z1)) xᵀ   (an h×m matrix: unit j's gradient times input k; the vector ∂L/∂z1, worked out once, is reused for all h·m = ${h * m} entries)`,
      rows(h).map((j) => [...Array(m).keys()].map((k) => `∂L/∂A[${j + 1},${k + 1}] = ${f4(v.dz1[j])} × ${f4(v.x[k])} = ${num("dA", j * m + k, v.dA[j * m + k])}`).join("   ")).join("\n") + more(h)],
  };
  const [symbolic, numbers] = lines[stage];
  const isGradient = stage.startsWith("d");
  return `<p class="symbolic${isGradient ? " grad" : ""}">${symbolic}</p><pre class="numbers">${numbers}</pre>`;
}

/** A palette colour ("#rrggbb", www/palette.css, from the core's theme) as [r, g, b]. */
function paletteRgb(style, name) {
  const hex = style.getPropertyValue(`--${name}`).trim();
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return match ? match.slice(1).map((pair) => parseInt(pair, 16)) : [128, 128, 128];
}

/** The heatmaps' colours: the panel's background at 0, the palette's diverging ends (one
 * style lookup for the three). */
function heatColours(element) {
  const style = getComputedStyle(element);
  return { base: paletteRgb(style, "surface"), negative: paletteRgb(style, "negative"), positive: paletteRgb(style, "positive") };
}

/** Colour of a heatmap cell (--negative for negative values, --positive for positive, the
 * background at 0) and the text colour, dark or white, that reads best on it. */
function diverging(value, scale, { base, negative, positive }) {
  const t = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
  const [r, g, b] = (t < 0 ? negative : positive).map((c, i) => Math.round(base[i] + (c - base[i]) * Math.abs(t)));
  const linear = (c) => ((c / 255) <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const onDark = (1.05) / (luminance + 0.05); // contrast with white text
  const onLight = (luminance + 0.05) / (0.0065 + 0.05); // contrast with #111 text
  return { background: `rgb(${r}, ${g}, ${b})`, text: onDark > onLight ? "#fff" : "#111" };
}

function heatmap(title, values, h, m, colours) {
  const scale = Math.max(...values.map(Math.abs));
  const table = document.createElement("table");
  table.className = "heatmap";
  table.createCaption().textContent = title;
  for (let j = 0; j < h; j += 1) {
    const row = table.insertRow();
    for (let k = 0; k < m; k += 1) {
      const cell = row.insertCell();
      const value = values[j * m + k];
      cell.textContent = f4(value);
      const colour = diverging(value, scale, colours);
      cell.style.background = colour.background;
      cell.style.color = colour.text;
      cell.tabIndex = 0;
      cell.title = `${title}[${j + 1},${k + 1}] = ${f4(value)}`;
    }
  }
  return table;
}

/** A bar chart cell: a bar from the middle, to the left for negative values. Sized through
 * the CSSOM (not a style attribute), so it works under a strict Content-Security-Policy. */
function barCell(value, scale, colour) {
  const cell = document.createElement("td");
  cell.className = "bar-cell";
  const axis = document.createElement("span");
  axis.className = "axis";
  const bar = document.createElement("span");
  bar.className = "bar";
  const width = (50 * Math.abs(value)) / scale;
  bar.style.left = `${value < 0 ? 50 - width : 50}%`;
  bar.style.width = `${width}%`;
  bar.style.background = colour;
  cell.append(axis, bar);
  return cell;
}

function bars(b, db, shownGradient) {
  const scaleB = Math.max(...b.map(Math.abs), 1e-12);
  const scaleG = Math.max(...db.map(Math.abs), 1e-12);
  const table = document.createElement("table");
  // Each heading sits over its own bars and numbers, left-aligned.
  table.innerHTML = '<thead><tr><th><span class="visually-hidden">entry</span></th><th colspan="2" scope="colgroup">b</th><th colspan="2" scope="colgroup">∂L/∂b</th></tr></thead>';
  const body = table.createTBody();
  b.forEach((value, j) => {
    const row = body.insertRow();
    row.insertCell().textContent = `b[${j + 1}]`;
    row.append(barCell(value, scaleB, "var(--sigmoid)"));
    row.insertCell().textContent = f4(value);
    if (shownGradient) {
      row.append(barCell(db[j], scaleG, "var(--gradient)"));
      row.insertCell().textContent = f4(db[j]);
    } else if (j === 0) {
      const pending = row.insertCell();
      Object.assign(pending, { colSpan: 2, rowSpan: b.length, className: "pending", textContent: "Filled in by the backward pass." });
    }
  });
  return table;
}

export function mount(section, limits, lab = sharedLab()) {
  const explorer = new BackpropExplorer(lab);
  const { $, redraw } = panelTools(section);
  const graph = $("#graph-canvas");
  const data = $("#explorer-data");
  const order = stageNames();

  const { schedule, now: drawNow } = redraw([graph, data], () => {
    const dark = prefersDark();
    const layout = explorer.drawGraph(graph, fitCanvas(graph), dark);
    graph.dataset.layout = JSON.stringify(layout); // where the boxes and label went, for the tests
    // Not while hidden (?hide=example): on a canvas with no box plotters would measure its
    // labels through the DOM, with an inline style the page's CSP refuses. Drawn once shown.
    if (data.offsetParent !== null) explorer.drawData(data, fitCanvas(data), dark);
  });
  const guess = predictSigns(section, lab, explorer, order, {
    locked: () => {
      render();
      $("#backward-step").focus(); // the lock button is gone; the next thing to press
    },
    // Asked from the start of a pass, so that the backward pass cannot have begun.
    toggled: () => act(() => {
      guess.clear();
      explorer.resetPass();
    }),
  });

  function render() {
    if (guess.dropIfStale()) {
      $("#update-result").textContent = "The network changed after you predicted (the training lab trained): your guess is not judged on it. Pause the training lab and predict again.";
    }
    const stage = explorer.stage;
    const at = explorer.stageIndex;
    let v;
    try {
      v = explorer.values();
    } catch (error) {
      // The lab's weights are too large for this example's loss to fit in float64.
      $("#formula").textContent = error.message;
      return;
    }
    $("#stage-name").textContent = stage === "start" ? "start: press Forward step" : `step ${at} of ${order.length - 1}: ${stage}`;
    $("#formula").innerHTML = formula(stage, v);
    $("#forward-step").disabled = at >= order.indexOf("L");
    $("#backward-step").disabled = at < order.indexOf("L") || at >= order.length - 1 || guess.waiting();
    renderWeights(section, v, { dA: at >= order.indexOf("dA"), db: at >= order.indexOf("db") });
    if (explorer.example >= 0) {
      $("#example-x").value = String(Number(v.x[0].toFixed(4)));
      $("#example-y").value = String(Number(v.y.toFixed(4)));
    }
    section.dataset.example = String(explorer.example);
    graph.setAttribute("aria-label", `Computation graph of the loss, at ${stage === "start" ? "the start of a pass" : `step ${stage}`}`);
    guess.render(v, at);
    renderCheck();
    schedule();
  }
  // The check lists every backprop gradient: not before a guess has met the real ∂L/∂b.
  const renderCheck = () => showGradientCheck(section, explorer, guess.predicting() && explorer.stageIndex < order.indexOf("db"));

  /** Runs an explorer call; a refusal is shown, never thrown past here. */
  function act(fn) {
    try {
      fn();
      $("#update-result").textContent = "";
    } catch (error) {
      $("#update-result").textContent = error.message;
    }
    render();
  }

  passButtons(section, explorer, order, guess, act);
  $("#plant-bug").addEventListener("change", renderCheck);
  updateControls(section, explorer, limits, { before: guess.clear, after: render });
  data.addEventListener("click", (event) => {
    act(() => {
      if (explorer.chooseAtPixel(event.offsetX, event.offsetY)) guess.clear();
    });
    section.dispatchEvent(new CustomEvent("backprop-lab:state-changed", { bubbles: true }));
  });
  stepKeys(section);
  onColourSchemeChange(render); // the heatmaps fade into the panel's background, light or dark
  // The training lab changed the network (a step, a reset, a new setting): show the pass on it.
  document.addEventListener("backprop-lab:weights-changed", (event) => {
    if (event.detail?.from !== "backprop") render(); // a guess on the old network is dropped there
  });
  registerExample(lab, explorer, section, { clear: guess.clear, render });
  render();
  drawNow();
}

/** A and b with, once the backward pass has reached them (`shown.dA`, `shown.db`), their
 * gradients: A as heatmaps, b as bars. */
function renderWeights(section, v, shown) {
  const $ = (selector) => section.querySelector(selector);
  $("#shape-a").textContent = `${v.h}×${v.m}`;
  $("#shape-b").textContent = `${v.h}`;
  const heatmaps = $("#heatmaps");
  const colours = heatColours(heatmaps);
  heatmaps.replaceChildren(heatmap("A", [...v.A], v.h, v.m, colours));
  if (shown.dA) heatmaps.append(heatmap("∂L/∂A", [...v.dA], v.h, v.m, colours));
  $("#bars").replaceChildren(bars([...v.b], [...v.db], shown.db));
}

/** The buttons that step the pass, run it, start it again, or choose the example, each run
 * through `act`. While a guess is awaited, "Run all" stops at the loss, where it is asked. */
function passButtons(section, explorer, order, guess, act) {
  const $ = (selector) => section.querySelector(selector);
  $("#forward-step").addEventListener("click", () => act(() => explorer.forwardStep()));
  $("#backward-step").addEventListener("click", () => act(() => explorer.backwardStep()));
  $("#run-all").addEventListener("click", () => act(() => {
    if (!guess.waiting()) explorer.runAll();
    else while (explorer.stageIndex < order.indexOf("L") && explorer.forwardStep()); // then the question
  }));
  $("#reset-pass").addEventListener("click", () => act(() => {
    guess.clear();
    explorer.resetPass();
  }));
  $("#example-use").addEventListener("click", () => act(() => {
    guess.clear();
    const x = parseDecimal($("#example-x").value.trim());
    const y = parseDecimal($("#example-y").value.trim());
    if (x === null || y === null) throw new Error("Type a number for both x and y.");
    explorer.setExample(x, y);
  }));
}

/**
 * Update: one gradient step on the example, taken by the training lab's network too, at the
 * rate the slider picks. `before()` runs first (new weights: a new pass to predict), `after()`
 * once the step is taken or refused.
 */
function updateControls(section, explorer, limits, { before, after }) {
  const $ = (selector) => section.querySelector(selector);
  const rate = $("#explorer-rate");
  const showRate = () => { $("#explorer-rate-value").textContent = String(controlValue(rate, limits)); };
  rate.addEventListener("input", showRate);
  showRate();
  $("#explorer-update").addEventListener("click", () => {
    let text;
    before();
    try {
      const { before: was, after: now } = explorer.update(controlValue(rate, limits));
      text = `One step on this example: loss ${f4(was)} → ${f4(now)}. The training lab's network took the step too (it counts as one of its steps).`;
      document.dispatchEvent(new CustomEvent("backprop-lab:weights-changed", { detail: { from: "backprop" } }));
    } catch (error) {
      text = error.message;
    }
    after();
    $("#update-result").textContent = text;
  });
}

/** Keys for the pass, outside form controls: F forward, B backward, A all, R reset. */
function stepKeys(section) {
  section.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea") || event.ctrlKey || event.metaKey || event.altKey) return;
    const keys = { f: "#forward-step", b: "#backward-step", a: "#run-all", r: "#reset-pass" };
    const button = keys[event.key.toLowerCase()];
    if (!button) return;
    event.preventDefault();
    section.querySelector(button).click();
  });
}

/** The example in the link (b_ex): a training point's index, or x:y typed in. */
function registerExample(lab, explorer, section, { clear, render }) {
  const $ = (selector) => section.querySelector(selector);
  registerState("b_ex", {
    get: () => {
      if (explorer.example > 0) return String(explorer.example);
      if (explorer.example === 0) return null;
      return `${$("#example-x").value}:${$("#example-y").value}`;
    },
    set: (text) => {
      const typed = text.split(":");
      clear();
      try {
        if (typed.length === 2) {
          const [x, y] = typed.map(parseDecimal);
          if (x === null || y === null) return "must be an index or x:y with decimal numbers";
          explorer.setExample(x, y);
          $("#example-x").value = String(x);
          $("#example-y").value = String(y);
        } else {
          const index = parseWhole(text);
          if (index === null) return `must be a training point's index, 0 to ${lab.trainCount() - 1}`;
          explorer.chooseExample(index);
        }
      } catch (error) {
        return error.message;
      }
      render();
      return null;
    },
  });
}

/**
 * Predict first: the signs of ∂L/∂b for the first hidden units, guessed before the backward
 * pass may start and judged on the core's own ∂L/∂b. `locked()` runs when the guess is locked
 * in, `toggled()` when "Predict first" changes. Returns { predicting(), waiting() (the
 * backward pass waits for a guess), clear(), dropIfStale() (true if a locked guess was dropped
 * because the network changed since it was asked), render(values, stage index) }.
 */
function predictSigns(section, lab, explorer, order, { locked, toggled }) {
  const $ = (selector) => section.querySelector(selector);
  const predictBox = $("#backprop-predict");
  const guessBox = $("#backprop-guess");
  const lockButton = $("#backprop-guess-lock");
  const guessResult = $("#backprop-guess-result");
  /** The signs guessed for ∂L/∂b[1], ∂L/∂b[2] once locked in (1, −1 or 0); null before. */
  let guess = null;
  /** The shared network's generation when the question was asked: a guess is judged only on
   * that network (the training lab may be playing, and tells no one until it pauses). */
  let askedAt = null;
  /** One group of sign choices per unit asked about, made for the current h. */
  let unitGroups = [];
  const predicting = () => predictBox.checked;

  function unitChoices(count) {
    if (unitGroups.length === count) return;
    unitGroups = [...Array(count).keys()].map((j) => {
      const group = document.createElement("fieldset");
      group.className = "guess-unit";
      const legend = document.createElement("legend");
      legend.textContent = `Sign of ∂L/∂b[${j + 1}]`;
      group.append(legend);
      for (const [word] of SIGNS) {
        const label = document.createElement("label");
        label.className = "check";
        const radio = Object.assign(document.createElement("input"), { type: "radio", name: `guess-b${j + 1}`, value: word });
        label.append(radio, word);
        group.append(label);
      }
      return group;
    });
    $("#backprop-guess-units").replaceChildren(...unitGroups);
  }
  /** A new pass to predict (another example, new weights, Reset pass): the guess is cleared,
   * and a pass already past the forward part starts again, so ∂L/∂b is not shown unasked. */
  function clear() {
    guess = null;
    askedAt = null;
    for (const radio of guessBox.querySelectorAll("input[type=radio]")) {
      radio.checked = false;
      radio.disabled = false;
    }
    guessResult.replaceChildren();
    if (predicting() && explorer.stageIndex > order.indexOf("L")) explorer.resetPass();
  }
  lockButton.addEventListener("click", () => {
    const picked = unitGroups.map((group) => group.querySelector("input:checked")?.value ?? null);
    if (picked.includes(null)) {
      guessResult.textContent = "Choose a sign for each unit first.";
      return;
    }
    guess = picked.map((word) => SIGNS.find(([w]) => w === word)[1]);
    for (const radio of guessBox.querySelectorAll("input[type=radio]")) radio.disabled = true;
    locked();
  });
  predictBox.addEventListener("change", toggled);

  /** The question before the backward pass, and once ∂L/∂b is known whether the guess held. */
  function render(v, at) {
    guessBox.hidden = !predicting() || at < order.indexOf("L");
    if (guessBox.hidden) return;
    askedAt ??= lab.generation;
    const units = Math.min(GUESSED_UNITS, v.h);
    unitChoices(units);
    const names = [...Array(units).keys()].map((j) => `∂L/∂b[${j + 1}]`).join(units === 2 ? " and " : ", ");
    $("#backprop-guess-question").textContent = `The forward pass is done: z4 = y − z3 = ${f4(v.z4)}. Before going backward: will ${names} be positive, negative or zero?`;
    lockButton.hidden = guess !== null;
    if (guess === null) return;
    if (at < order.indexOf("db")) {
      guessResult.textContent = "Locked in. Step backward to ∂L/∂b to see whether your guess holds.";
      return;
    }
    const lines = guess.map((guessed, j) => {
      const truth = signOf(v.db[j]); // the core's ∂L/∂b, the numbers shown beside b
      const line = document.createElement("p");
      line.className = truth === guessed ? "good" : "bad";
      line.textContent = `∂L/∂b[${j + 1}] = ∂L/∂z3 · z2[${j + 1}] = ${f4(v.dz3)} × ${f4(v.z2[j])} = ${f4(v.db[j])}, ${signWord(truth)}. You said ${signWord(guessed)}: ${truth === guessed ? "✓ your guess held." : "✗ it did not hold."}`;
      return line;
    });
    guessResult.replaceChildren(...lines);
  }

  /** Another network than the one the question was asked on (the training lab trained while
   * it waited): a guess made on the old numbers is not judged on the new ones. */
  function dropIfStale() {
    if (askedAt === null || lab.generation === askedAt) return false;
    const wasLocked = guess !== null;
    if (wasLocked) clear();
    askedAt = null;
    return wasLocked;
  }

  return { predicting, waiting: () => predicting() && guess === null, clear, dropIfStale, render };
}

/** The gradient check against central differences, with the bug the student planted (or a
 * note, while `unseen`: the student is predicting ∂L/∂b and must not see it yet). */
function showGradientCheck(section, explorer, unseen) {
  const $ = (selector) => section.querySelector(selector);
  const summary = $("#check-summary");
  $("#check-table").closest(".table-scroll").hidden = unseen;
  if (unseen) {
    summary.textContent = "Shown once the backward pass has reached ∂L/∂b (you are predicting first).";
    summary.classList.remove("bad");
    return;
  }
  let check;
  try {
    check = explorer.gradientCheck($("#plant-bug").value);
  } catch (error) {
    summary.textContent = `No check: ${error.message}.`;
    $("#check-table tbody").replaceChildren();
    return;
  }
  const verdicts = {
    agree: `Largest relative error: ${f4(check.largest, 3)}. The gradients agree: every entry is within ${check.tolerance} of the central difference, even allowing for the difference's own rounding.`,
    disagree: "The backward pass is wrong: some entries differ from the central difference by more than its own error could explain.",
    undecided: "float64 cannot decide here: at these magnitudes the central difference's own rounding error is larger than the tolerance, so no verdict is given. Try an example with smaller x and y.",
  };
  summary.textContent = verdicts[check.verdict];
  summary.classList.toggle("bad", check.verdict === "disagree");
  const label = { agree: "agrees", disagree: "differs", undecided: "cannot tell" };
  const rows = check.rows.map((row) => {
    const tr = document.createElement("tr");
    if (row.verdict === "disagree") tr.className = "bad";
    const error = Number.isFinite(row.error) ? f4(row.error, 3) : "–";
    for (const text of [row.parameter, label[row.verdict], f4(row.backprop), Number.isFinite(row.numeric) ? f4(row.numeric) : "–", error]) {
      tr.insertCell().textContent = text;
    }
    return tr;
  });
  $("#check-table tbody").replaceChildren(...rows);
}
