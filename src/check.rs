//! Checks of single numbers (the page's controls, JavaScript, Python, the core's own settings),
//! with the message that says what is allowed: the page's exports (src/web/args.rs), the C ABI
//! (src/capi.rs), the trainer's and the loss surface's settings all use these, so a bad value
//! gets the same words everywhere.

use crate::format::format_plain;

/// A whole number within `low..=high`.
pub fn whole(what: &str, value: f64, (low, high): (usize, usize)) -> Result<usize, String> {
    if value.fract() == 0.0 && value >= low as f64 && value <= high as f64 {
        Ok(value as usize)
    } else {
        Err(format!(
            "{what} must be a whole number from {low} to {high}, got {}",
            format_plain(value)
        ))
    }
}

/// A number within `low..=high`.
pub fn within(what: &str, value: f64, (low, high): (f64, f64)) -> Result<f64, String> {
    if value.is_finite() && value >= low && value <= high {
        Ok(value)
    } else {
        Err(format!(
            "{what} must be from {} to {}, got {}",
            format_plain(low),
            format_plain(high),
            format_plain(value)
        ))
    }
}
