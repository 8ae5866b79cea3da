// The loss surface: the training lab's mean loss over two of its weights (LandscapeLab, which
// reads the lab's network and data whenever it draws), the backprop step as an arrow, and a
// descent path from a start the student places by pointer or keyboard.

import { LandscapeLab } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark } from "../canvas.js";
import { controlValue } from "../controls.js";
import { formatSignificant as f4 } from "../format.js";
import { sharedLab } from "../shared.js";
import { panelTools } from "../panel.js";
import { registerState } from "../state.js";

export function mount(section, limits) {
  const lab = sharedLab();
  const surface = new LandscapeLab(lab);
  const { $, redraw } = panelTools(section);
  const canvas = $("#landscape-canvas");
  const axes = [$("#landscape-x"), $("#landscape-y")];
  const value = (id) => controlValue($(id), limits);
  let shape = "";
  /** A refused change, shown until the next change works. */
  let problem = null;

  function draw() {
    let shown;
    try {
      shown = surface.draw(canvas, fitCanvas(canvas), prefersDark());
    } catch (error) {
      $("#landscape-gradient").textContent = error.message;
      return false;
    }
    describe(section, shown, problem);
    return true;
  }
  const { schedule, now: drawNow } = redraw(canvas, draw);

  /** The axis menus list the lab's weights; they follow its shape (h, m). */
  function fillAxes() {
    const parameters = surface.parameters();
    const now = parameters.map((p) => p.key).join(",");
    if (now === shape) return;
    shape = now;
    const [x, y] = surface.axes();
    axes.forEach((select, i) => {
      select.replaceChildren(...parameters.map((p) => new Option(p.name, p.key)));
      select.value = [x, y][i];
    });
  }

  function act(change) {
    try {
      change();
      problem = null;
    } catch (error) {
      problem = error.message;
      $("#landscape-path").textContent = problem; // now, not at the next redraw
      const current = surface.axes();
      axes.forEach((select, i) => { select.value = current[i]; });
    }
    schedule();
    section.dispatchEvent(new CustomEvent("backprop-lab:state-changed", { bubbles: true }));
  }
  function syncOutputs() {
    $("#landscape-zoom-value").textContent = `×${value("#landscape-zoom")}`;
    $("#landscape-scale-value").textContent = `×${value("#landscape-scale")}`;
    $("#landscape-rate-value").textContent = String(value("#landscape-rate"));
  }
  for (const select of axes) {
    select.addEventListener("change", () => act(() => {
      if (axes[0].value === axes[1].value) throw new Error("Choose two different weights for the two axes.");
      surface.setAxes(axes[0].value, axes[1].value);
    }));
  }
  $("#landscape-zoom").addEventListener("input", () => act(() => { syncOutputs(); surface.setZoom(value("#landscape-zoom")); }));
  $("#landscape-scale").addEventListener("input", () => act(() => { syncOutputs(); surface.setAScale(value("#landscape-scale")); }));
  $("#landscape-rate").addEventListener("input", () => act(() => { syncOutputs(); surface.setLearningRate(value("#landscape-rate")); }));
  $("#landscape-start").addEventListener("click", () => act(() => surface.startAtCursor()));
  $("#landscape-clear").addEventListener("click", () => act(() => surface.clearPath()));

  canvas.addEventListener("click", (event) => {
    if (surface.startAtPixel(event.offsetX, event.offsetY)) act(() => {});
  });
  surfaceKeys(canvas, surface, act);

  // The lab's weights or shape changed (training paused, a step, a new h): follow them.
  document.addEventListener("backprop-lab:weights-changed", () => {
    fillAxes();
    schedule();
  });

  registerAxes(surface, axes, limits.landscapeAxes);

  fillAxes();
  surface.setZoom(value("#landscape-zoom"));
  surface.setAScale(value("#landscape-scale"));
  surface.setLearningRate(value("#landscape-rate"));
  syncOutputs();
  drawNow();
}

/** What the surface shows, in words: the loss and gradient at the weights, the view's range,
 * and the path (or the cross where one would start, or a refused change's message). */
function describe(section, shown, problem) {
  const $ = (selector) => section.querySelector(selector);
  const [gx, gy] = shown.gradient;
  $("#landscape-gradient").textContent = `At the current weights the loss is ${f4(shown.loss)}; `
    + `∂L/∂${shown.x} = ${f4(gx)}, ∂L/∂${shown.y} = ${f4(gy)}, so the gradient's size is ${f4(shown.norm)}. `
    + `Across this view the loss runs from ${f4(shown.lowest)} to ${f4(shown.highest)}.`;
  section.dataset.norm = String(shown.norm);
  const path = shown.path;
  section.dataset.outcome = path?.outcome ?? "";
  $("#landscape-path").textContent = problem ?? (path
    ? `${path.message} (${path.steps} steps from ${shown.x} = ${f4(path.from[0])}, ${shown.y} = ${f4(path.from[1])}; loss ${f4(path.loss)} at the end.)`
    : shown.cursor
      ? `Cross at ${shown.x} = ${f4(shown.cursor[0])}, ${shown.y} = ${f4(shown.cursor[1])}: press Enter to descend from there.`
      : "Click the surface to start a descent path.");
}

/** The surface by keyboard: arrows move the cross (Shift: five times as far), Enter or Space
 * descends from it, Escape clears the path; each through `act`. */
function surfaceKeys(canvas, surface, act) {
  canvas.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (event.key in moves) {
      const [dx, dy] = moves[event.key].map((d) => d * (event.shiftKey ? 5 : 1));
      act(() => surface.moveCursor(dx, dy));
    } else if (event.key === "Enter" || event.key === " ") {
      act(() => surface.startAtCursor());
    } else if (event.key === "Escape") {
      act(() => surface.clearPath());
    } else {
      return;
    }
    event.preventDefault();
  });
}

/** The axes in the link (l_x, l_y), left out while they are the core's defaults. */
function registerAxes(surface, axes, [defaultX, defaultY]) {
  registerState("l_x", {
    get: () => (axes[0].value === defaultX ? null : axes[0].value),
    set: (text) => {
      surface.setAxes(text, axes[1].value === text ? defaultX : axes[1].value);
      axes[0].value = text;
      return null;
    },
  });
  registerState("l_y", {
    get: () => (axes[1].value === defaultY ? null : axes[1].value),
    set: (text) => {
      surface.setAxes(axes[0].value, text);
      axes[1].value = text;
      return null;
    },
  });
}
