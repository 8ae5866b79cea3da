// How the practice panel names a solved part ("2c", "count:derivatives", "limit:relu-plus",
// "chain-layer"): its store in this browser and the platform's cmi.suspend_data (www/scorm.js)
// keep nothing else. One pattern for both, so a part one of them keeps the other cannot drop.

/** An exercise or part name, optionally "kind:name"; letters, digits, "-" (and "_" after the colon). */
export const PART_ID = /^[0-9A-Za-z-]{1,12}(?::[0-9A-Za-z_-]{1,40})?$/;

/** Where the practice panel keeps, in this browser, the parts solved ({solved: [part…]}) and
 * what was typed and picked; www/scorm.js restores the first from the platform and clears the
 * second for a new attempt. */
export const PROGRESS_KEY = "backprop-lab.practice.v1";
export const ANSWERS_KEY = "backprop-lab.practice.answers.v1";
