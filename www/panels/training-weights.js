// The training lab's weights as a file: written as JSON for the student to keep, and read
// back with every field checked for its type here and every value by the core.

/** The largest weights file read. */
const MAX_WEIGHTS_FILE = 200_000;
/** The version of the weights file this page writes and reads. */
const WEIGHTS_VERSION = 1;

/** Downloads the lab's weights as backprop-lab-weights-hH.json. */
export function saveWeights(lab) {
  const json = {
    format: "backprop-lab-weights",
    version: WEIGHTS_VERSION,
    m: lab.inputs,
    h: lab.hidden,
    activation: lab.activation,
    A: [...lab.weightsA()],
    b: [...lab.weightsB()],
  };
  const url = URL.createObjectURL(new Blob([JSON.stringify(json, null, 1)], { type: "application/json" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: `backprop-lab-weights-h${lab.hidden}.json` });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The fields of a weights file the student chose: { m, h, activation, A, b }, each of the type
 * the page writes (a number is a JSON number, never "4" or [4]). Throws an Error that says
 * what is wrong; the core then checks the values when they are imported.
 */
export async function readWeights(file) {
  if (file.size > MAX_WEIGHTS_FILE) {
    throw new Error(`the file is ${file.size.toLocaleString("en-US")} bytes; a weights file is at most ${MAX_WEIGHTS_FILE.toLocaleString("en-US")}`);
  }
  let json;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new Error("it is not valid JSON");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json) || json.format !== "backprop-lab-weights") {
    throw new Error("this is not a Backprop Lab weights file");
  }
  if (json.version !== WEIGHTS_VERSION) {
    const version = typeof json.version === "number" ? `version ${json.version}` : "of no known version";
    throw new Error(`the file is ${version}; this page reads version ${WEIGHTS_VERSION}`);
  }
  for (const [key, what] of [["m", "the input size"], ["h", "the number of hidden units"]]) {
    if (typeof json[key] !== "number") throw new Error(`"${key}" (${what}) must be a number, such as 2`);
  }
  if (typeof json.activation !== "string") throw new Error('"activation" must be the name of an activation, such as "sigmoid"');
  for (const key of ["A", "b"]) {
    if (!Array.isArray(json[key])) throw new Error(`"${key}" must be a list of numbers`);
  }
  return { m: json.m, h: json.h, activation: json.activation, A: json.A, b: json.b };
}
