// The cost of derivatives: the work of four ways to the full gradient, counted by the
// instrumented Rust code, in a table, against h and against L, and timed in this browser.

import { CostLab } from "../pkg/backprop_lab.js";
import { fitCanvas, prefersDark } from "../canvas.js";
import { formatSignificant } from "../format.js";
import { sharedLab } from "../shared.js";
import { panelTools } from "../panel.js";
import { runInSlices } from "../slices.js";

const count = (n) => Math.round(n).toLocaleString("en-US");

export function mount(section) {
  const lab = sharedLab();
  const cost = new CostLab();
  const { $, redraw } = panelTools(section);
  const canvases = { h: $("#cost-h-canvas"), l: $("#cost-l-canvas") };
  // The network's h starts at the training lab's (unless a link chose one) and follows it.
  let followed = lab.hidden;
  if (!new URLSearchParams(window.location.search).has("c_h")) $("#cost-hidden").value = String(followed);

  const sizes = () => ({
    m: lab.inputs,
    h: Number($("#cost-hidden").value),
    depth: Number($("#cost-depth").value),
    width: Number($("#cost-width").value),
  });

  function draw() {
    const { m, h, depth, width } = sizes();
    const dark = prefersDark();
    cost.drawCounts(canvases.h, fitCanvas(canvases.h), dark, m, false, width, h);
    cost.drawCounts(canvases.l, fitCanvas(canvases.l), dark, m, true, width, depth);
  }
  const { schedule, now: drawNow } = redraw([canvases.h, canvases.l], draw);

  function writeTable() {
    const { m, h, depth, width } = sizes();
    $("#cost-hidden-value").textContent = String(h);
    $("#cost-depth-value").textContent = String(depth);
    $("#cost-width-value").textContent = String(width);
    $("#cost-inputs").textContent = String(m);
    const two = cost.count(m, 1, h);
    const deep = cost.count(m, depth, width);
    // A column's name, then its sizes on a line of their own, each kept whole.
    const heading = (name, a, b, parameters) => `${name} <small><span class="nowrap">${a}, ${b}</span>, <span class="nowrap">${count(parameters)} parameters</span></small>`;
    $("#cost-col-two").innerHTML = heading("network", `m = ${m}`, `h = ${h}`, two.parameters);
    $("#cost-col-deep").innerHTML = heading("chain", `L = ${depth}`, `w = ${width}`, deep.parameters);
    const cell = ({ key, multiplyAdds, passes }) => `<td><span class="num" data-method="${key}">${count(multiplyAdds)}</span> <small>multiply-adds, <span class="nowrap">${count(passes)} passes</span></small></td>`;
    // The core's methods, in its order; the two columns list them alike.
    $("#cost-table tbody").innerHTML = two.methods.map((method, i) =>
      `<tr data-method="${method.key}"><th scope="row">${method.name}${method.how ? `, <small>${method.how}</small>` : ""}</th>${cell(method)}${cell(deep.methods[i])}</tr>`).join("");
    const times = (c) => formatSignificant(c.finiteDifferences / c.backprop, 3);
    $("#cost-measured").textContent = `Backpropagation does ${times(two)}× less work than finite differences on the network and ${times(deep)}× less on the chain. `
      + (deep.measured ? "All counts were measured by running the instrumented code."
        : "The chain's per-parameter counts come from the closed forms (running them would take too long here); the tests check the formulas against the instrumented code.");
    section.dataset.finite = String(two.finiteDifferences);
    schedule();
  }

  $("#cost-controls").addEventListener("input", writeTable);
  let timing = null;
  $("#cost-time").addEventListener("click", () => {
    timing?.cancel();
    const { m, depth, width } = sizes();
    const result = $("#cost-time-result");
    result.textContent = "";
    cost.startTiming(m, depth, width);
    let last = null;
    timing = runInSlices({
      status: $("#cost-time-progress"),
      label: "Timing",
      slice: (budget) => (last = cost.timeSome(budget)),
      onCancel: () => {
        cost.cancelTiming();
        result.textContent = "Timing cancelled.";
      },
    });
    timing.done.then((done) => {
      timing = null;
      if (!done) return;
      const ratio = last.finiteMs / last.backpropMs;
      section.dataset.ratio = String(ratio);
      result.textContent = `Chain L = ${depth}, w = ${width}: backpropagation ${formatSignificant(last.backpropMs, 3)} ms, `
        + `finite differences ${formatSignificant(last.finiteMs, 3)} ms${last.sampled < last.parameters ? ` (timed on ${count(last.sampled)} parameters and scaled up)` : ""}: `
        + (ratio >= 1 ? `${formatSignificant(ratio, 3)}× slower.`
          : `${formatSignificant(1 / ratio, 3)}× faster this time, against the counts above: something else used the processor; time it again.`);
    });
  });
  document.addEventListener("backprop-lab:weights-changed", () => {
    if (lab.hidden !== followed) {
      followed = lab.hidden;
      $("#cost-hidden").value = String(followed);
    }
    writeTable();
  });

  writeTable();
  drawNow();
}
