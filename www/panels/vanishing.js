// The vanishing-gradient panel: per-layer gradient norms of a deep chain on the training
// lab's data, what 200 training steps do to each layer, and the worksheet's network
// saturating as A is scaled up. Rust computes and draws; this file wires the controls.

import { VanishingLab } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark, redrawOnChange } from "../canvas.js";
import { formatSignificant as f4 } from "../format.js";
import { sharedLab } from "../shared.js";

const SCALES = [0.1, 0.3, 0.5, 1, 2, 3, 5, 10, 30];

export function mount(section) {
  const lab = sharedLab();
  const chain = new VanishingLab(lab);
  const $ = (selector) => section.querySelector(selector);
  const canvases = { norms: $("#norms-canvas"), moved: $("#moved-canvas"), scale: $("#scale-canvas") };
  const scale = () => SCALES[Number($("#a-scale").value)];

  function draw() {
    const dark = prefersDark();
    for (const [name, canvas] of Object.entries(canvases)) {
      chain.setTheme(fitCanvas(canvas), dark);
      if (name === "norms") chain.drawNorms(canvas);
      else if (name === "moved") chain.drawMoved(canvas);
      else chain.drawScale(canvas, lab, scale());
    }
    if (!window.backpropLab.firstPlotMs) window.backpropLab.firstPlotMs = performance.now();
  }
  const schedule = redrawOnChange(canvases.norms, draw);
  new ResizeObserver(schedule).observe(canvases.scale);

  function writeNorms() {
    const norms = chain.layerNorms();
    const depth = norms.length - 1;
    const first = norms[0];
    const last = norms[depth - 1];
    const ratio = first / last;
    section.dataset.bars = String(norms.length);
    section.dataset.ratio = String(ratio);
    $("#norms-readout").textContent = depth === 1
      ? `One layer: ‖∂L/∂W₁‖ = ${f4(first)}, ‖∂L/∂b‖ = ${f4(norms[depth])}.`
      : `First layer ${f4(first)}, last layer ${f4(last)}: the first gets ${f4(ratio)} times the last layer's gradient.`;
  }

  function configure() {
    const settings = [
      Number($("#chain-depth").value), Number($("#chain-width").value),
      $("#chain-activation").value, $("#chain-init").value, $("#chain-residual").checked,
    ];
    $("#chain-depth-value").textContent = String(settings[0]);
    $("#chain-width-value").textContent = String(settings[1]);
    chain.configure(...settings);
    $("#moved-readout").textContent = "Press “Train 200 steps”.";
    writeNorms();
    schedule();
  }

  function writeScale() {
    const [gradA, gradB] = chain.scaleNorms(lab, scale());
    $("#a-scale-value").textContent = `×${scale()}`;
    $("#scale-readout").textContent = `At ×${scale()}: ‖∂L/∂A‖ = ${f4(gradA)}, ‖∂L/∂b‖ = ${f4(gradB)}. Large weights push the units into σ′ ≈ 0: A's gradient collapses, b's does not (∂L/∂b needs z2, not σ′).`;
  }

  $("#vanishing-controls").addEventListener("input", (event) => {
    if (event.target.id === "a-scale") {
      writeScale();
      schedule();
    } else {
      configure();
    }
  });
  $("#vanishing-controls").addEventListener("submit", (event) => event.preventDefault());
  $("#chain-train").addEventListener("click", () => {
    const rate = $("#chain-activation").value === "relu" ? 0.01 : 0.1;
    const moved = chain.train(rate);
    const first = moved[0];
    const last = moved[moved.length - 2];
    $("#moved-readout").textContent = `The first layer's weights changed by ${f4(100 * first)}% of their size, the last layer's by ${f4(100 * last)}%.`;
    writeNorms();
    schedule();
  });
  // The training lab's data or network changed: use the new data.
  document.addEventListener("backprop-lab:weights-changed", () => {
    chain.loadData(lab);
    writeNorms();
    writeScale();
    schedule();
  });

  configure();
  writeScale();
  draw();
}
