// Form controls and the facts behind them: each slider or number box names its limits with
// data-limit="key", and their range, step and (where the core owns it) default come from the
// WebAssembly core's limits(), so no limit is written twice.

/**
 * Sets min, max, step and the default value of every control with a data-limit, from
 * `limits` (the core's limits()). A list of values ({values, default}) becomes a slider over
 * its indices.
 */
export function configureControls(limits, root = document) {
  // Numbers the core owns, in the text (data-fact="key").
  for (const element of root.querySelectorAll("[data-fact]")) {
    const fact = limits[element.dataset.fact];
    if (typeof fact !== "number") throw new Error(`no fact named ${element.dataset.fact}`);
    element.textContent = String(fact);
  }
  // Option lists the core owns (every activation, in its order), so no select offers fewer.
  for (const select of root.querySelectorAll("select[data-options]")) {
    const options = limits.options?.[select.dataset.options];
    if (!options) throw new Error(`no options named ${select.dataset.options}`);
    const chosen = select.value;
    select.replaceChildren(...options.map(({ name, label }) => new Option(label, name, false, name === chosen)));
  }
  for (const control of root.querySelectorAll("[data-limit]")) {
    const limit = limits[control.dataset.limit];
    if (!limit) throw new Error(`no limits named ${control.dataset.limit}`);
    if (limit.values) {
      Object.assign(control, { min: "0", max: String(limit.values.length - 1), step: "1" });
      const index = limit.values.indexOf(limit.default);
      if (index >= 0) control.value = String(index);
    } else {
      Object.assign(control, { min: String(limit.min), max: String(limit.max), step: String(limit.step) });
      if (limit.default !== undefined) control.value = String(limit.default);
    }
  }
}

/** The value a control stands for: the list entry for a list slider, else its number. */
export function controlValue(control, limits) {
  const limit = limits[control.dataset.limit];
  return limit?.values ? limit.values[Number(control.value)] : Number(control.value);
}

/** The slug of a fieldset, from its legend: "Gradient descent" → "gradient-descent". */
export function fieldsetSlug(fieldset) {
  return fieldset.querySelector("legend").textContent.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/** A control and what belongs with it on screen: its label row, or the label around it. */
export function controlParts(control) {
  const wrapper = control.closest(".field, label.check");
  if (wrapper) return [wrapper];
  const heading = control.previousElementSibling;
  return heading?.classList.contains("slider") ? [heading, control] : [control];
}

/** The words a student reads for a control: its label, without the value shown beside it. */
export function controlName(control) {
  const label = control.labels?.[0];
  if (!label) return control.dataset.state;
  const copy = label.cloneNode(true);
  copy.querySelectorAll("input, select, output").forEach((node) => node.remove());
  return copy.textContent.trim() || control.value;
}
