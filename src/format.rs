//! Numbers as text: the one number format of the whole page. Charts, messages and the
//! readouts JavaScript writes (through the `formatNumber` export) all come from here, so a
//! value looks the same everywhere: a true minus sign, no float noise, a fixed number of
//! significant digits so values keep their width while they change, and very small or large
//! values as 4.540 × 10⁻⁵.
//!
//! Everything is built from integers, not from `{}` on an `f64`: that keeps the standard
//! library's float printing out of the WebAssembly, and the output is the same on every
//! platform.

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
const MINUS: char = '\u{2212}';

/// `digits` significant digits (2 to 8): 0.2500, −12.00, 12346, 4.540 × 10⁻⁵.
/// Values from 0.001 up to 100,000 are written out; the integer part is never cut.
/// NaN is written "NaN" and infinities "∞" / "−∞", so a bug that lets one through is visible
/// (the browser tests look for them).
pub fn format_significant(value: f64, digits: usize) -> String {
    let digits = digits.clamp(2, 8) as i32;
    if let Some(text) = non_finite(value) {
        return text;
    }
    if value == 0.0 {
        return fixed(0.0, digits as u32 - 1, false);
    }
    let magnitude = value.abs();
    if (1e-3..1e5).contains(&magnitude) {
        let mut exponent = decimal_exponent(magnitude);
        let mut text = fixed(value, (digits - 1 - exponent).max(0) as u32, false);
        // Rounding can carry into a new leading digit (9.9996 → 10.000): one digit fewer.
        if significant_count(&text) > digits.max(exponent + 1) {
            exponent += 1;
            if exponent >= 5 {
                return scientific(value, digits);
            }
            text = fixed(value, (digits - 1 - exponent).max(0) as u32, false);
        }
        return text;
    }
    scientific(value, digits)
}

/// A tick label: at most six decimals, trailing zeros dropped: 2, 0.5, −1.25, 1 × 10⁹.
pub fn format_tick(value: f64) -> String {
    if let Some(text) = non_finite(value) {
        return text;
    }
    if value.abs() >= 1e12 {
        return scientific(value, 4);
    }
    fixed(value, 6, true)
}

/// A learning rate as people write it: 0.5, 0.001, 10.
pub fn format_rate(rate: f64) -> String {
    if let Some(text) = non_finite(rate) {
        return text;
    }
    fixed(rate, 4, true)
}

/// Any number in a message ("got 2.5"): up to ten significant digits, trailing zeros dropped,
/// powers of ten outside 10⁻⁶ … 10¹⁵.
pub fn format_plain(value: f64) -> String {
    if let Some(text) = non_finite(value) {
        return text;
    }
    let magnitude = value.abs();
    if value == 0.0 || (1e-6..1e15).contains(&magnitude) {
        let decimals = (9 - decimal_exponent(magnitude.max(1e-6))).clamp(0, 15) as u32;
        return fixed(value, decimals, true);
    }
    let text = scientific(value, 10);
    // Drop the trailing zeros of the mantissa: 1.000000000 × 10²⁰ → 1 × 10²⁰.
    match text.split_once(" × ") {
        Some((mantissa, power)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa} × {power}")
        }
        _ => text,
    }
}

/// An exponent written in superscript digits: −5 → "⁻⁵".
pub fn superscript_number(exponent: i64) -> String {
    let mut text = String::new();
    if exponent < 0 {
        text.push('⁻');
    }
    for c in exponent.unsigned_abs().to_string().chars() {
        text.push(SUPERSCRIPTS[c.to_digit(10).unwrap_or(0) as usize]);
    }
    text
}

fn non_finite(value: f64) -> Option<String> {
    if value.is_nan() {
        Some("NaN".into())
    } else if value.is_infinite() {
        Some(if value > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        })
    } else {
        None
    }
}

/// ⌊log₁₀ |value|⌋ for a finite, non-zero value, corrected where `log10` rounds across a
/// power of ten.
fn decimal_exponent(magnitude: f64) -> i32 {
    let mut exponent = magnitude.log10().floor() as i32;
    if power_of_ten(exponent) > magnitude {
        exponent -= 1;
    } else if power_of_ten(exponent + 1) <= magnitude {
        exponent += 1;
    }
    exponent
}

/// 10ⁿ (∞ above 10³⁰⁸), exact for |n| ≤ 22.
fn power_of_ten(n: i32) -> f64 {
    if n > 308 {
        f64::INFINITY
    } else if n >= 0 {
        10f64.powi(n)
    } else if n >= -300 {
        1.0 / 10f64.powi(-n)
    } else {
        1.0 / 10f64.powi(300) / 10f64.powi(-n - 300)
    }
}

/// `value` rounded to `decimals` places (at most 15), with a true minus sign; with `trim`,
/// trailing zeros and a bare decimal point are dropped. `value` must be below 10¹⁸ / 10^decimals.
fn fixed(value: f64, decimals: u32, trim: bool) -> String {
    let scale = power_of_ten(decimals as i32);
    let units = (value.abs() * scale).round() as u64;
    let digits = units.to_string();
    let decimals = decimals as usize;
    let mut text = String::with_capacity(digits.len() + 3);
    if units != 0 && value < 0.0 {
        text.push(MINUS);
    }
    if digits.len() > decimals {
        let (whole, fraction) = digits.split_at(digits.len() - decimals);
        text.push_str(whole);
        if decimals > 0 {
            text.push('.');
            text.push_str(fraction);
        }
    } else {
        text.push('0');
        if decimals > 0 {
            text.push('.');
            text.extend(std::iter::repeat_n('0', decimals - digits.len()));
            text.push_str(&digits);
        }
    }
    if trim && text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(trimmed);
    }
    text
}

/// `digits` significant digits as a mantissa times a power of ten: −4.540 × 10⁻⁵.
fn scientific(value: f64, digits: i32) -> String {
    let magnitude = value.abs();
    let mut exponent = decimal_exponent(magnitude);
    let mut mantissa = magnitude / power_of_ten(exponent);
    if !mantissa.is_finite() {
        // Subnormal values: scale in two steps so the power of ten does not underflow.
        mantissa = magnitude * 1e300 / power_of_ten(exponent + 300);
    }
    let mut text = fixed(mantissa, digits as u32 - 1, false);
    if text.starts_with("10") {
        // 9.9999 rounded up to 10.000: one more power of ten.
        exponent += 1;
        text = fixed(mantissa / 10.0, digits as u32 - 1, false);
    }
    let sign = if value < 0.0 { "\u{2212}" } else { "" };
    format!("{sign}{text} × 10{}", superscript_number(exponent as i64))
}

/// How many significant digits a fixed-notation number shows.
fn significant_count(text: &str) -> i32 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').len() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_drop_float_noise_and_use_a_true_minus() {
        assert_eq!(format_tick(0.30000000000000004), "0.3");
        assert_eq!(format_tick(-2.0), "\u{2212}2");
        assert_eq!(format_tick(-0.0), "0");
        assert_eq!(format_tick(25.0), "25");
        assert_eq!(format_tick(-0.000_000_1), "0");
        assert_eq!(format_tick(2e12), "2.000 × 10¹²");
    }

    #[test]
    fn significant_digits_are_fixed() {
        assert_eq!(format_significant(0.25, 4), "0.2500");
        assert_eq!(format_significant(-12.0, 4), "\u{2212}12.00");
        assert_eq!(format_significant(4.54e-5, 4), "4.540 × 10⁻⁵");
        assert_eq!(format_significant(-4.54e-5, 3), "\u{2212}4.54 × 10⁻⁵");
        assert_eq!(format_significant(0.0, 3), "0.00");
        assert_eq!(format_significant(998.3, 4), "998.3");
        assert_eq!(format_significant(12345.6, 4), "12346");
        assert_eq!(format_significant(9.9996, 4), "10.00");
        assert_eq!(format_significant(0.001, 4), "0.001000");
        assert_eq!(format_significant(99999.9, 4), "1.000 × 10⁵");
        assert_eq!(format_significant(1e300, 4), "1.000 × 10³⁰⁰");
        assert_eq!(format_significant(5e-324, 3), "4.94 × 10⁻³²⁴");
        assert_eq!(format_significant(f64::MAX, 3), "1.80 × 10³⁰⁸");
        assert_eq!(format_significant(f64::NAN, 4), "NaN");
        assert_eq!(format_significant(f64::NEG_INFINITY, 4), "−∞");
    }

    #[test]
    fn rates_and_plain_numbers_read_as_people_write_them() {
        assert_eq!(format_rate(0.05), "0.05");
        assert_eq!(format_rate(10.0), "10");
        assert_eq!(format_rate(0.001), "0.001");
        assert_eq!(format_plain(2.5), "2.5");
        assert_eq!(format_plain(300.0), "300");
        assert_eq!(format_plain(-0.1), "\u{2212}0.1");
        assert_eq!(format_plain(1e300), "1 × 10³⁰⁰");
        assert_eq!(format_plain(123456789.0), "123456789");
        assert_eq!(format_plain(0.0), "0");
        assert_eq!(format_plain(f64::INFINITY), "∞");
    }

    #[test]
    fn every_format_reads_back_close_to_the_value() {
        let mut rng = crate::rng::Rng::new(11);
        for _ in 0..20_000 {
            let value = rng.symmetric(1.0) * 10f64.powi((rng.uniform(-320.0, 309.0)) as i32);
            if !value.is_finite() {
                continue;
            }
            let text = format_significant(value, 4)
                .replace('\u{2212}', "-")
                .replace(" × 10", "e");
            let text: String = text
                .chars()
                .map(|c| match SUPERSCRIPTS.iter().position(|&s| s == c) {
                    Some(d) => char::from(b'0' + d as u8),
                    None if c == '⁻' => '-',
                    None => c,
                })
                .collect();
            let back: f64 = text.parse().unwrap();
            let error = (back - value).abs() / value.abs().max(f64::MIN_POSITIVE);
            assert!(error < 6e-4, "{value} written as {text}");
        }
    }
}
