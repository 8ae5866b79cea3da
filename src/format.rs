//! Numbers as text for charts and messages: a true minus sign, no float noise, and a fixed
//! number of significant digits so values keep their width while they change.

/// A tick label without trailing zeros and with a true minus sign: 2, 0.5, −1.25.
pub fn format_tick(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    let text = format!("{}", rounded.abs());
    if rounded < 0.0 {
        format!("\u{2212}{text}")
    } else {
        text
    }
}

/// `digits` significant digits (2 to 8): 0.2500, −12.00, 4.540e-5 for very small or large values.
pub fn format_significant(value: f64, digits: usize) -> String {
    let digits = digits.clamp(2, 8);
    let text = if !value.is_finite() {
        return if value.is_nan() {
            "NaN".into()
        } else if value > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    } else if value != 0.0 && (value.abs() >= 1e5 || value.abs() < 1e-3) {
        format!("{:.*e}", digits - 1, value)
    } else {
        let magnitude = if value == 0.0 {
            0
        } else {
            value.abs().log10().floor() as i32
        };
        let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
        format!("{value:.decimals$}")
    };
    match text.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => text,
    }
}

/// A learning rate as people write it: 0.5, 0.001, 10.
pub fn format_rate(rate: f64) -> String {
    let text = format!("{:.4}", rate);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
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
    }

    #[test]
    fn significant_digits_are_fixed() {
        assert_eq!(format_significant(0.25, 4), "0.2500");
        assert_eq!(format_significant(-12.0, 4), "\u{2212}12.00");
        assert_eq!(format_significant(4.54e-5, 4), "4.540e-5");
        assert_eq!(format_significant(0.0, 3), "0.00");
        assert_eq!(format_significant(998.3, 4), "998.3");
        assert_eq!(format_rate(0.05), "0.05");
        assert_eq!(format_rate(10.0), "10");
    }
}
