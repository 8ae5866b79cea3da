// The activations panel: functions and their derivatives overlaid, a probe that follows the
// pointer or the arrow keys, predict-then-reveal, and an x-range slider. The chart itself is
// drawn by Rust (ActivationPlot); this file wires controls to it and writes the readout.

import { ActivationPlot, activation, activationDerivative, activations } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark, throttle } from "../canvas.js";
import { formatSignificant } from "../format.js";
import { panelTools } from "../panel.js";
import { parseDecimal, registerState } from "../state.js";
const PREDICT_KEY = "backprop-lab.activations.predict-first";
const REVEALED_KEY = "backprop-lab.activations.revealed";

/** Remembered for as long as the tab is open; storage may be unavailable (privacy modes). */
const session = {
  get(key) { try { return window.sessionStorage.getItem(key); } catch { return null; } },
  set(key, value) { try { window.sessionStorage.setItem(key, value); } catch { /* not kept */ } },
};

export function mount(section, limits) {
  const { redraw } = panelTools(section);
  const plot = new ActivationPlot();
  const labels = Object.fromEntries(activations().map(({ name, label }) => [name, label]));
  const canvas = section.querySelector("canvas");
  const boxes = [...section.querySelectorAll('input[name="function"]')];
  const predictFirst = section.querySelector("#predict-first");
  const predictHint = section.querySelector("#predict-hint");
  const reveal = section.querySelector("#reveal-derivatives");
  const numerical = section.querySelector("#show-numerical");
  const numericalHint = section.querySelector("#numerical-hint");
  const range = section.querySelector("#x-range");
  const rangeValue = section.querySelector("#x-range-value");
  const announce = section.querySelector("#activations-announce");
  const keyItems = Object.fromEntries([...section.querySelectorAll("#activations-key li")].map((li) => [li.dataset.key, li]));
  const edge = limits.saturationEdge;
  section.querySelector("#saturation-edge").textContent = formatSignificant(edge);

  // What this tab remembers turns predicting off, unless the link set it (&predict=).
  if (!predictFirst.dataset.fromLink && session.get(PREDICT_KEY) === "off") predictFirst.checked = false;
  let revealed = session.get(REVEALED_KEY) === "yes";
  let probe = 2;

  const selected = () => boxes.filter((box) => box.checked).map((box) => box.value);
  const derivativesShown = () => !predictFirst.checked || revealed;

  const speak = throttle((text) => { announce.textContent = text; }, 750);

  const { schedule, now: drawNow } = redraw(canvas, () => plot.draw(canvas, fitCanvas(canvas), prefersDark()));

  /** Pushes every control's state into the chart and the readout, then redraws. */
  function update() {
    const names = selected();
    plot.setFunctions(names);
    const shown = derivativesShown();
    plot.setDerivatives(shown);
    plot.setNumerical(shown && numerical.checked);
    numerical.disabled = !shown;
    numericalHint.hidden = shown || numerical.closest("label").hidden; // not under a control ?hide= removed
    describedByHint(numerical, numericalHint);
    reveal.hidden = !predictFirst.checked;
    predictHint.hidden = !predictFirst.checked || revealed;
    reveal.textContent = revealed ? "Hide derivatives" : "Reveal derivatives";
    reveal.setAttribute("aria-pressed", String(revealed));
    const halfRange = plot.setHalfRange(Number(range.value));
    showKeyItems(keyItems, names, { derivatives: shown, numerical: shown && numerical.checked, saturation: edge < halfRange });
    rangeValue.textContent = `±${halfRange}`;
    canvas.setAttribute("aria-valuemin", String(-halfRange));
    canvas.setAttribute("aria-valuemax", String(halfRange));
    probe = plot.setProbe(probe);
    speak(writeReadout(section, labels, names, probe, shown));
    schedule();
  }

  function moveProbe(x) {
    probe = x;
    update();
    section.dispatchEvent(new CustomEvent("backprop-lab:state-changed", { bubbles: true }));
  }

  section.querySelector("form").addEventListener("input", update);
  predictFirst.addEventListener("change", () => session.set(PREDICT_KEY, predictFirst.checked ? "on" : "off"));
  reveal.addEventListener("click", () => {
    revealed = !revealed;
    session.set(REVEALED_KEY, revealed ? "yes" : "no");
    update();
    section.dispatchEvent(new CustomEvent("backprop-lab:state-changed", { bubbles: true }));
  });

  const fromPointer = (event) => moveProbe(plot.xAtPixel(event.offsetX));
  canvas.addEventListener("pointermove", fromPointer);
  canvas.addEventListener("pointerdown", fromPointer);

  keyboardProbe(canvas, () => Number(range.value), () => probe, moveProbe);

  registerState("a_x", {
    get: () => (probe === 2 ? null : String(probe)),
    set: (text) => {
      const x = parseDecimal(text);
      const halfRange = plot.setHalfRange(Number(range.value));
      if (x === null) return "must be a number written in decimal";
      if (Math.abs(x) > halfRange) return `must be within the x-range, −${halfRange} to ${halfRange}`;
      moveProbe(x);
      return null;
    },
  });
  registerState("a_reveal", {
    get: () => (revealed ? "1" : null),
    set: (text) => {
      if (text !== "0" && text !== "1") return "must be 0 or 1";
      revealed = text === "1";
      update();
      return null;
    },
  });

  update();
  drawNow(); // the first drawing now, not a frame later: it is what a student waits for
}

/** Makes `hint` describe `control` (aria-describedby) only while it shows: a hidden element
 * would still be read out. Other descriptions stay. */
function describedByHint(control, hint) {
  const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && id !== hint.id);
  if (!hint.hidden) described.unshift(hint.id);
  if (described.length) control.setAttribute("aria-describedby", described.join(" "));
  else control.removeAttribute("aria-describedby");
}

/** The key under the chart shows only the items that are on it: σ′'s peak and the
 * saturation edge with sigmoid's derivative (the edge only within the x-range), the jump
 * with ReLU's or leaky ReLU's, and the numerical derivative when it is drawn. */
function showKeyItems(keyItems, names, shown) {
  const sigmoidShown = shown.derivatives && names.includes("sigmoid");
  keyItems.peak.hidden = !sigmoidShown;
  keyItems.saturation.hidden = !sigmoidShown || !shown.saturation;
  keyItems.jump.hidden = !shown.derivatives || !(names.includes("relu") || names.includes("leaky_relu"));
  keyItems.numerical.hidden = !shown.numerical;
}

/**
 * The readout under the chart: each shown function's value and (unless hidden) slope at x, as
 * table rows, with x on the chart's label. Returns the same in one sentence, for screen readers.
 */
function writeReadout(section, labels, names, x, shown) {
  const xs = Float64Array.of(x);
  const parts = [];
  section.querySelector("#readout-rows").replaceChildren(...names.map((name) => {
    const value = activation(name, xs)[0];
    const slope = activationDerivative(name, xs)[0];
    const row = document.createElement("tr");
    const cells = [labels[name], formatSignificant(value), shown ? formatSignificant(slope) : "hidden"];
    for (const text of cells) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    row.dataset.activation = name;
    row.cells[2].classList.toggle("hidden-value", !shown);
    parts.push(`${labels[name]} ${cells[1]}${shown ? `, slope ${cells[2]}` : ""}`);
    return row;
  }));
  const xText = formatSignificant(x);
  section.querySelector("#probe-x").textContent = `x = ${xText}`;
  const canvas = section.querySelector("canvas");
  canvas.setAttribute("aria-valuenow", String(x));
  canvas.setAttribute("aria-valuetext", `x = ${xText}`);
  return `At x = ${xText}: ${parts.join("; ") || "no function shown"}.`;
}

/** The probe by keyboard on the chart: arrows (Shift for ten times as far), Page keys, Home, End and 0. */
function keyboardProbe(canvas, halfRange, probe, moveProbe) {
  canvas.addEventListener("keydown", (event) => {
    const half = halfRange();
    const small = (2 * half) / 100;
    const steps = {
      ArrowLeft: -small, ArrowDown: -small, ArrowRight: small, ArrowUp: small,
      PageDown: -10 * small, PageUp: 10 * small,
    };
    if (event.key in steps) {
      moveProbe(probe() + steps[event.key] * (event.shiftKey ? 10 : 1));
    } else if (event.key === "Home") {
      moveProbe(-half);
    } else if (event.key === "End") {
      moveProbe(half);
    } else if (event.key === "0") {
      moveProbe(0);
    } else {
      return;
    }
    event.preventDefault();
  });
}
