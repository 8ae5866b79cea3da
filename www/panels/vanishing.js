// The vanishing-gradient panel: per-layer gradient norms of a deep chain on the training
// lab's data, what 200 training steps do to each layer (run in slices, with Cancel), and the
// worksheet's network saturating as A is scaled up. Rust computes and draws; this file wires
// the controls. With "Predict first" the bars stay covered until the student has said which
// layer's gradient will be smallest, then the guess is judged on the core's norms.

import { VanishingLab } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark } from "../canvas.js";
import { controlValue } from "../controls.js";
import { formatSignificant as f4 } from "../format.js";
import { sharedLab } from "../shared.js";
import { panelTools } from "../panel.js";
import { runInSlices } from "../slices.js";

export function mount(section, limits) {
  const lab = sharedLab();
  const { $, redraw } = panelTools(section);
  const settings = () => [
    Number($("#chain-depth").value), Number($("#chain-width").value),
    $("#chain-activation").value, $("#chain-init").value, $("#chain-residual").checked,
  ];
  const chain = new VanishingLab(lab, ...settings());
  const canvases = { norms: $("#norms-canvas"), moved: $("#moved-canvas"), scale: $("#scale-canvas") };
  const scale = () => controlValue($("#a-scale"), limits);
  let training = null;

  const { schedule, now: drawNow } = redraw(Object.values(canvases), () => {
    const dark = prefersDark();
    chain.drawNorms(canvases.norms, fitCanvas(canvases.norms), dark);
    chain.drawMoved(canvases.moved, fitCanvas(canvases.moved), dark);
    chain.drawScale(canvases.scale, fitCanvas(canvases.scale), dark, scale());
  });
  const guess = predictSmallestLayer(section, canvases, () => writeNorms());

  function writeNorms() {
    const norms = chain.layerNorms();
    const { text, ratio } = normsText(norms);
    section.dataset.bars = String(norms.length);
    section.dataset.ratio = String(ratio);
    section.dispatchEvent(new CustomEvent("backprop-lab:progress", { detail: { ratio, ratioText: f4(ratio) } }));
    $("#norms-readout").textContent = text;
    guess.render(norms);
  }

  function stopTraining() {
    training?.cancel();
    training = null;
  }

  function configure() {
    stopTraining();
    const values = settings();
    $("#chain-depth-value").textContent = String(values[0]);
    $("#chain-width-value").textContent = String(values[1]);
    chain.configure(...values);
    guess.askAgain(); // another chain: another prediction
    $("#moved-readout").textContent = "Not trained yet.";
    writeNorms();
    schedule();
  }

  function writeScale() {
    const norms = chain.scaleNorms(scale());
    $("#a-scale-value").textContent = `×${scale()}`;
    $("#scale-readout").textContent = `At ×${scale()}: ‖∂L/∂A‖ = ${f4(norms.a)}, ‖∂L/∂b‖ = ${f4(norms.b)}. Large weights push the units into σ′ ≈ 0: A's gradient collapses, b's does not (∂L/∂b needs z2, not σ′).`;
  }

  $("#vanishing-controls").addEventListener("input", (event) => {
    if (event.target.id === "vanishing-predict") return; // its own handler; the chain stays as it is
    if (event.target.id === "a-scale") {
      writeScale();
      schedule();
    } else {
      configure();
    }
  });
  $("#chain-train").addEventListener("click", () => {
    stopTraining();
    const run = trainChain(section, chain, schedule);
    training = run;
    run.done.then(() => { if (training === run) training = null; }); // not a newer run's
  });
  // The training lab's data or network changed: the norms and the study follow it.
  document.addEventListener("backprop-lab:weights-changed", () => {
    writeNorms();
    writeScale();
    schedule();
  });

  $("#chain-depth-value").textContent = $("#chain-depth").value;
  $("#chain-width-value").textContent = $("#chain-width").value;
  writeNorms();
  writeScale();
  drawNow();
}

/** What the per-layer norms say, in words, and the first layer's over the last's. */
function normsText(norms) {
  const depth = norms.length - 1;
  const first = norms[0];
  const last = norms[depth - 1];
  const ratio = first / last;
  if (depth === 1) return { ratio, text: `One layer: ‖∂L/∂W₁‖ = ${f4(first)}, ‖∂L/∂b‖ = ${f4(norms[depth])}.` };
  if (first === 0 && last === 0) {
    // No training points, or no unit passes a gradient back (every ReLU inactive): 0 / 0.
    return { ratio, text: "Every layer's gradient is exactly 0 (no training points, or no unit passes a gradient back), so training would change nothing." };
  }
  if (!Number.isFinite(ratio)) return { ratio, text: `First layer ${f4(first)}, last layer ${f4(last)}: the last layer gets next to no gradient, the first far more.` };
  return { ratio, text: `First layer ${f4(first)}, last layer ${f4(last)}: the first gets ${f4(ratio)} times the last layer's gradient.` };
}

/** Trains the chain in slices, with progress and Cancel, then says how far its layers moved. */
function trainChain(section, chain, schedule) {
  const $ = (selector) => section.querySelector(selector);
  chain.startTraining();
  $("#moved-readout").textContent = "";
  let steps = 1;
  const training = runInSlices({
    status: $("#chain-progress"),
    label: "Training the chain",
    slice: (budget) => {
      const started = performance.now();
      const result = chain.trainSome(steps);
      // Aim the next slice at the budget from how long this one took, and never past the end.
      const perStep = (performance.now() - started) / Math.max(1, steps);
      steps = Math.max(1, Math.min(result.total - result.done, Math.floor(budget / Math.max(perStep, 0.01))));
      return { progress: result.done / result.total, finished: result.finished };
    },
    onCancel: () => {
      chain.cancelTraining();
      $("#moved-readout").textContent = "Training cancelled.";
    },
  });
  training.done.then((result) => {
    if (!result) return;
    const moved = chain.moved();
    $("#moved-readout").textContent = `The first layer's weights changed by ${f4(100 * moved[0])}% of their size, the last layer's by ${f4(100 * moved[moved.length - 2])}%.`;
    schedule();
  });
  return training;
}

/**
 * Predict first: the bars stay covered until the student has said which layer's gradient will
 * be smallest, then the guess is judged on the core's norms. `changed()` runs when the answer
 * is revealed or "Predict first" changes. Returns { render(norms), askAgain() }.
 */
function predictSmallestLayer(section, canvases, changed) {
  const $ = (selector) => section.querySelector(selector);
  const predictBox = $("#vanishing-predict");
  const layerMenu = $("#norms-guess-layer");
  const guessResult = $("#norms-guess-result");
  /** The layer guessed (an index into layerNorms(): 0 is layer 1, the last is b), once revealed. */
  let guessed = null;
  const covered = () => predictBox.checked && guessed === null;
  const layerName = (index, depth) => (index < depth ? `layer ${index + 1}` : "b (the output weights)");
  const normName = (index, depth) => (index < depth ? `‖∂L/∂W${String(index + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[d])}‖` : "‖∂L/∂b‖");

  /** Covers the bars and asks, or says whether the guess held (on the norms shown now). */
  function render(values) {
    const norms = [...values]; // a Float64Array's map would make numbers of the options
    const depth = norms.length - 1;
    if (layerMenu.options.length !== norms.length + 1) {
      const option = (value, text) => Object.assign(document.createElement("option"), { value, textContent: text });
      layerMenu.replaceChildren(option("", "choose…"), ...norms.map((_, i) => option(String(i), layerName(i, depth))));
    }
    $("#norms-guess").hidden = !covered();
    canvases.norms.classList.toggle("concealed", covered());
    $("#norms-readout").classList.toggle("concealed", covered());
    // How far each layer moved in training follows its gradient: covered too, or training
    // before the guess would show the answer.
    canvases.moved.classList.toggle("concealed", covered());
    $("#moved-readout").classList.toggle("concealed", covered());
    if (!predictBox.checked || guessed === null) {
      guessResult.replaceChildren();
      return;
    }
    const least = Math.min(...norms);
    const smallest = norms.flatMap((norm, i) => (norm === least ? [i] : []));
    const line = document.createElement("p");
    const held = smallest.includes(guessed);
    line.className = held ? "good" : "bad";
    const where = smallest.length === norms.length
      ? `Every layer's gradient is the same here (${f4(least)}), so each is the smallest`
      : `The smallest is ${smallest.map((i) => `${layerName(i, depth)} (${normName(i, depth)} = ${f4(norms[i])})`).join(" and ")}`;
    line.textContent = `You said ${layerName(guessed, depth)}. ${where}: ${held ? "✓ your guess held." : "✗ it did not hold."}`;
    guessResult.replaceChildren(line);
  }
  function askAgain() {
    guessed = null;
    layerMenu.value = "";
    $("#norms-guess-missing").textContent = "";
  }
  $("#norms-reveal").addEventListener("click", () => {
    if (layerMenu.value === "") {
      $("#norms-guess-missing").textContent = "Choose a layer first.";
      return;
    }
    guessed = Number(layerMenu.value);
    changed();
    guessResult.focus(); // the question is gone; the answer is where the reader goes next
  });
  predictBox.addEventListener("change", () => {
    askAgain();
    changed();
  });

  return { render, askAgain };
}
