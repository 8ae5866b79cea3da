// The training lab's weights as a file. The core owns the format (src/weights_file.rs): it
// writes the JSON text and reads it back with every field checked; this file saves the text
// and hands a chosen file's text to it.

import { readWeightsFile } from "../pkg/backprop_lab.js";

/** Downloads the lab's weights as backprop-lab-weights-hH.json. */
export function saveWeights(lab) {
  const url = URL.createObjectURL(new Blob([lab.weightsFile()], { type: "application/json" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: `backprop-lab-weights-h${lab.hidden}.json` });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The fields of a weights file the student chose: { m, h, activation, A, b }, read and checked
 * by the core. Reads at most one byte more than the core takes (`limits.weightsFileBytes`),
 * so a huge file is refused without being read whole. Throws an Error that says what is
 * wrong; the core checks the values again when they are imported.
 */
export async function readWeights(file, limits) {
  return readWeightsFile(await file.slice(0, limits.weightsFileBytes + 1).text());
}
