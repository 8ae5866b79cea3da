// Numbers as text, in the page's one format (the core's, see src/format.rs): a fixed number of
// significant digits and a true minus sign, so values keep their width while they change.

import { formatNumber } from "./pkg/backprop_lab.js";

/** `value` to `digits` significant digits: 0.2500, 1.000, −12.00, 4.540 × 10⁻⁵. */
export function formatSignificant(value, digits = 4) {
  return formatNumber(value, digits);
}
