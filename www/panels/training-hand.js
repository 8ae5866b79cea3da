// The training lab's fit plot under the pointer: fit by hand (a handle per hidden unit's step,
// dragged on the plot or moved with sliders for the chosen unit) and, otherwise, adding and
// removing training points (a click adds one, Shift-click or a long press removes one).

import { formatSignificant } from "../format.js";

/**
 * Fit by hand. `apply(change)` applies a change to the lab (a refusal is shown),
 * `pause()` stops training, `play()` starts it, `redraw(...plots)` redraws plots. Returns
 * { enabled(), sync() (the sliders and the target follow the lab), grab(x, y), drag(x, y),
 * release() } for the plot's pointer.
 */
export function mountFitByHand(section, lab, limits, { apply, pause, play, redraw, showAlert }) {
  const $ = (selector) => section.querySelector(selector);
  const byHand = $("#by-hand");
  const hand = { position: $("#hand-position"), steepness: $("#hand-steepness"), height: $("#hand-height") };

  function sync() {
    if (!byHand.checked) return;
    const units = $("#hand-unit");
    if (units.options.length !== lab.hidden) {
      units.replaceChildren(...Array.from({ length: lab.hidden }, (_, j) => new Option(`unit ${j + 1}`, String(j))));
    }
    units.value = String(lab.selectedUnit);
    const values = lab.handles();
    for (const [name, input] of Object.entries(hand)) {
      input.value = String(values[name]);
      $(`#hand-${name}-value`).textContent = formatSignificant(values[name], 3);
    }
    const close = lab.closeness();
    const target = $("#hand-target");
    target.textContent = close.reached
      ? `Mean loss ${formatSignificant(close.loss)}: within ${close.target}. Now let gradient descent finish and compare.`
      : `Mean loss ${formatSignificant(close.loss)}; the target is ${close.target} or less.`;
    target.classList.toggle("reached", close.reached);
  }
  byHand.addEventListener("change", () => {
    apply(() => {
      lab.setByHand(byHand.checked);
      $("#by-hand-panel").hidden = !byHand.checked;
    });
    if (!byHand.checked) return;
    pause();
    sync();
  });
  $("#hand-unit").addEventListener("change", (event) => {
    lab.selectUnit(Number(event.target.value));
    sync();
    redraw("fit");
  });
  for (const [name, input] of Object.entries(hand)) {
    input.addEventListener("input", () => {
      let value = Number(input.value);
      const least = limits.handSteepness.least;
      if (name === "steepness" && Math.abs(value) < least) value = value < 0 ? -least : least;
      apply(() => lab.setHandle(name, value));
      sync();
    });
  }
  $("#hand-finish").addEventListener("click", play);
  document.addEventListener("backprop-lab:weights-changed", sync);

  return {
    enabled: () => byHand.checked,
    sync,
    /** Takes the handle under the pointer, if there is one. */
    grab(x, y) {
      const grabbed = lab.grabHandleAtPixel(x, y);
      if (grabbed) {
        pause();
        sync();
        redraw("fit");
      }
      return grabbed;
    },
    drag(x, y) {
      try {
        lab.dragHandleToPixel(x, y);
      } catch (error) {
        showAlert(error.message);
      }
      sync();
      redraw("fit", "loss");
    },
    release: () => lab.releaseHandle(),
  };
}

/**
 * The fit plot's pointer: with fit by hand on, it drags handles (`hand`); otherwise a click
 * adds a point and Shift-click or a long press (touch) removes the nearest, by `edit(x, y,
 * remove)`. `released()` runs when a handle is let go.
 */
export function fitPlotPointer(canvas, hand, edit, released) {
  let dragging = false;
  let press = null;
  canvas.addEventListener("pointerdown", (event) => {
    if (hand.enabled()) {
      dragging = hand.grab(event.offsetX, event.offsetY);
      if (dragging) canvas.setPointerCapture(event.pointerId);
      return;
    }
    const longPress = event.pointerType !== "mouse"
      ? setTimeout(() => { press = null; edit(event.offsetX, event.offsetY, true); }, 550)
      : null;
    press = { x: event.offsetX, y: event.offsetY, remove: event.shiftKey, longPress };
  });
  canvas.addEventListener("pointermove", (event) => {
    if (dragging) hand.drag(event.offsetX, event.offsetY);
  });
  canvas.addEventListener("pointerup", () => {
    if (dragging) {
      dragging = false;
      hand.release();
      released();
      return;
    }
    if (!press) return;
    clearTimeout(press.longPress);
    edit(press.x, press.y, press.remove);
    press = null;
  });
  canvas.addEventListener("pointerleave", () => {
    if (press) clearTimeout(press.longPress);
    press = null;
  });
  canvas.addEventListener("contextmenu", (event) => event.preventDefault());
}
