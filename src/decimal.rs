//! Reading a decimal number as a student types it (`0.25`, `-4.6`, `1e-3`, `.5`, `2.`).
//!
//! The standard library's `str::parse::<f64>` rounds every input correctly, with a table of
//! 651 powers of five: with its code, 14 KB of the gzipped WebAssembly module. The answers
//! read here are short, so [`read_decimal`] takes the exact path whenever it can: a
//! significand below 2⁵³ and a power of ten up to 10²², both exact in float64, give one
//! correctly rounded multiplication or division, the same bits as `parse`. Longer significands
//! and larger exponents take a few such steps, each rounded: within a few units in the last
//! place of `parse` for normal numbers (the answers are checked with tolerances far wider than
//! that), and 0 or ∞ exactly where `parse` gives them, but for inputs within a few units of
//! the smallest or largest float64.

/// 10⁰ to 10²², each exact in float64.
pub const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Significant digits kept; those after them change the value by less than 10⁻¹⁸ of it.
const KEPT_DIGITS: u32 = 19;

/// The value of `text`, written as digits with at most one point (at least one digit) and an
/// optional exponent (`e` or `E`, an optional sign, digits), with an optional sign in front:
/// the inputs `str::parse::<f64>` reads apart from its words (`inf`, `nan`). None otherwise.
/// Values beyond float64's range are ±∞ and those below its smallest are ±0, as with `parse`.
pub fn read_decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            at = 1;
            true
        }
        Some(b'+') => {
            at = 1;
            false
        }
        _ => false,
    };
    let mut significand: u64 = 0;
    let mut kept = 0;
    // The power of ten that the kept digits are to be multiplied by.
    let mut scale: i64 = 0;
    let mut digits = 0;
    let mut point = false;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'0'..=b'9' => {
                digits += 1;
                if significand == 0 && byte == b'0' {
                    // A leading zero: not significant, but after the point it is a place.
                    scale -= i64::from(point);
                } else if kept < KEPT_DIGITS {
                    significand = significand * 10 + u64::from(byte - b'0');
                    kept += 1;
                    scale -= i64::from(point);
                } else {
                    // A digit dropped before the point still counts a place.
                    scale += i64::from(!point);
                }
            }
            b'.' if !point => point = true,
            _ => break,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        let exponent_negative = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let mut exponent: i64 = 0;
        let mut exponent_digits = 0;
        while let Some(&byte @ b'0'..=b'9') = bytes.get(at) {
            // Capped: far beyond ±10³²⁴ every value is 0 or ∞ already.
            exponent = (exponent * 10 + i64::from(byte - b'0')).min(1_000_000);
            exponent_digits += 1;
            at += 1;
        }
        if exponent_digits == 0 {
            return None;
        }
        scale += if exponent_negative {
            -exponent
        } else {
            exponent
        };
    }
    if at != bytes.len() {
        return None;
    }
    let magnitude = scaled(significand, scale);
    Some(if negative { -magnitude } else { magnitude })
}

/// significand × 10^scale, correctly rounded where both are exact in float64.
fn scaled(significand: u64, scale: i64) -> f64 {
    if significand == 0 {
        return 0.0;
    }
    let exact = significand < 1 << 53;
    match usize::try_from(scale.unsigned_abs()) {
        Ok(power) if exact && power < POWERS_OF_TEN.len() => {
            let value = significand as f64;
            if scale >= 0 {
                value * POWERS_OF_TEN[power]
            } else {
                value / POWERS_OF_TEN[power]
            }
        }
        _ => {
            // In steps of at most 10²², dividing for negative scales, so that no step
            // overflows or underflows before the last one does.
            let mut value = significand as f64;
            let mut rest = scale;
            while rest != 0 && value != 0.0 && value.is_finite() {
                let step = rest.clamp(-22, 22);
                let power = POWERS_OF_TEN[step.unsigned_abs() as usize];
                value = if step > 0 {
                    value * power
                } else {
                    value / power
                };
                rest -= step;
            }
            value
        }
    }
}
