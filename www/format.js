// Number formatting for readouts: a fixed number of significant digits and a true minus
// sign, so values keep their width while they change.

const SUPERSCRIPT = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** `value` to `digits` significant digits: 0.2500, 1.000, −12.00, 4.540 × 10⁻⁵. */
export function formatSignificant(value, digits = 4) {
  if (Number.isNaN(value)) return "not a number";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return (0).toFixed(digits - 1);
  const magnitude = Math.abs(value);
  let text;
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    text = value.toPrecision(digits);
  } else {
    const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
    const power = String(Number(exponent)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
    text = `${mantissa} × 10${power}`;
  }
  return text.replace("-", "−");
}

/** Reads a number written by formatSignificant back (for tests and copy-paste). */
export function parseFormatted(text) {
  const normal = text.replace(/−/g, "-").replace(/⁻/g, "-").replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => String("⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)));
  const match = normal.match(/^\s*(-?[0-9.]+)(?: × 10(-?[0-9]+))?\s*$/);
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === undefined ? 1 : 10 ** Number(match[2]));
}
