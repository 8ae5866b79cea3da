// The widget without a kernel, as a static MyST page shows it: the Embed dialog's MyST tab
// writes an anywidget directive for the training lab (the widget's module and style sheet and
// the lab's settings as the log), and the bundled widget module (python/backprop_lab/widget.js,
// made by `make python`) renders from that state alone, with a model whose send goes nowhere.
//   node --test tests/browser/widget-static.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openPage, SCREENSHOTS, startLab } from "./harness.mjs";

let lab;
before(async () => { lab = await startLab(); });
after(async () => { await lab?.close(); });

test("the Embed dialog's MyST snippet renders the training lab as a widget with no kernel", async () => {
  const page = await openPage(lab, "/?panel=training&t_h=5&t_act=tanh&t_data=bump");
  await page.getByRole("button", { name: "Embed the Training lab panel" }).click();
  const dialog = page.getByRole("dialog", { name: "Embed this panel" });
  await dialog.getByRole("tab", { name: "Jupyter Book (MyST)" }).click();
  const code = await dialog.getByLabel("Code to paste").inputValue();
  assert.match(code, /^:::\{iframe\} http/);
  const block = code.match(/:::\{anywidget\} (\S+)\n:css: (\S+)\n(\{.*\})\n:::$/);
  assert.ok(block, code);
  const [, esm, css, json] = block;
  assert.equal(new URL(esm).pathname, "/www/backprop-lab-widget.js");
  assert.equal(new URL(css).pathname, "/www/backprop-lab-widget.css");
  const state = JSON.parse(json);
  assert.deepEqual(state, { _view: "training", _log: [["set", "data", "bump", 0], ["set", "hidden", "", 5], ["set", "activation", "tanh", 0]] });
  assert.deepEqual(page.problems, []);

  // `make dist` puts the module beside the page; the test server has it where make python writes it.
  const host = await page.context().newPage();
  await host.goto(`${lab.origin}/tests/browser/`); // any page of the origin, without the page's CSP
  const shown = await host.evaluate(async ({ state, origin }) => {
    document.body.innerHTML = "";
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: `${origin}/python/backprop_lab/widget.css` });
    document.head.append(link);
    await new Promise((done, fail) => { link.onload = done; link.onerror = () => fail(new Error(`no ${link.href}: run make python`)); });
    const widget = (await import(`${origin}/python/backprop_lab/widget.js`)).default;
    const listeners = {};
    const model = {
      get: (key) => state[key],
      on: (name, fn) => { listeners[name] = fn; },
      send: () => { throw new Error("no kernel"); },
    };
    const el = document.createElement("div");
    el.style.width = "1100px";
    document.body.append(el);
    await widget.render({ model, el });
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 50)));
    el.querySelector("#train-step").click(); // works with nobody to send the step to
    await new Promise((done) => setTimeout(done, 400));
    const section = el.querySelector("section.panel");
    const canvas = section.querySelector("#fit-canvas");
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const colours = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) colours.add(data.slice(i, i + 4).join());
    return {
      hidden: section.querySelector("#hidden-units").value,
      hiddenText: section.querySelector("#hidden-units-value").textContent,
      activation: section.querySelector("#training-activation").value,
      data: section.querySelector("#dataset").value,
      step: section.querySelector("#status-step").textContent,
      colours: colours.size,
      alert: section.querySelector("#training-alert").textContent,
    };
  }, { state, origin: lab.origin });
  assert.deepEqual({ ...shown, colours: shown.colours > 3 }, { hidden: "5", hiddenText: "5", activation: "tanh", data: "bump", step: "1", colours: true, alert: "" });
  await host.screenshot({ path: join(SCREENSHOTS, "widget-static.png") });
});
