// How the practice panel names a solved part ("2c", "count:derivatives", "limit:relu-plus",
// "chain-layer"): its store in this browser and the platform's cmi.suspend_data (www/scorm.js)
// keep nothing else. One pattern for both, so a part one of them keeps the other cannot drop.

/** An exercise or part name, optionally "kind:name"; letters, digits, "-" (and "_" after the colon). */
export const PART_ID = /^[0-9A-Za-z-]{1,12}(?::[0-9A-Za-z_-]{1,40})?$/;
