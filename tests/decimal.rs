//! `read_decimal` against the standard library's `str::parse::<f64>`: the same inputs read
//! and refused, the same bits on the exact path (significand below 2⁵³, power of ten up to
//! 10²²), and within a few units in the last place elsewhere.

use backprop_lab::decimal::read_decimal;
use backprop_lab::rng::Rng;

fn std_parse(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    // parse also reads words (inf, nan, infinity); read_decimal reads only digits.
    if lower.contains(|c: char| c.is_ascii_alphabetic() && c != 'e') {
        return None;
    }
    text.parse::<f64>().ok()
}

/// Units in the last place between two finite float64 of the same sign.
fn ulps(a: f64, b: f64) -> u64 {
    a.to_bits().abs_diff(b.to_bits())
}

#[test]
fn hand_picked_inputs() {
    for text in [
        "0",
        "-0",
        "+0",
        "0.25",
        ".5",
        "5.",
        "-4.6",
        "1e-3",
        "2.5E-1",
        "1e+5",
        "007",
        "0.000",
        "0e-400",
        "1e-400",
        "1e400",
        "-1e400",
        "4.585",
        "0.0625",
        "123456789012345678901234567890",
        "0.000000000000000000000000000123",
        "1.7976931348623157e308",
        "2.2250738585072014e-308",
        "3.14159265358979323846264338327950288",
        "9007199254740993",
        "1e22",
        "1e23",
        "1e-22",
    ] {
        let (ours, theirs) = (read_decimal(text), std_parse(text));
        let (Some(ours), Some(theirs)) = (ours, theirs) else {
            panic!("{text}: {ours:?} and {theirs:?}");
        };
        assert!(
            ulps(ours, theirs) <= 4,
            "{text}: {ours:e} against {theirs:e}"
        );
    }
    for text in [
        "", ".", "-", "+", "e5", "1e", "1e+", "1.2.3", "1-2", "--1", "1 ", " 1", "1,5", "0x10",
        "nan", "inf", "1e5.0", "+-1", ".e1",
    ] {
        assert_eq!(read_decimal(text), None, "{text}");
        assert_eq!(std_parse(text), None, "{text} (the standard library)");
    }
}

#[test]
fn the_exact_path_gives_the_standard_librarys_bits() {
    let mut rng = Rng::new(11);
    for _ in 0..200_000 {
        let significand =
            (rng.next_f64() * 9_007_199_254_740_992.0) as u64 >> (rng.next_f64() * 50.0) as u32;
        let exponent = (rng.next_f64() * 45.0) as i64 - 22;
        let digits = significand.to_string();
        // Written with a point somewhere, or with an exponent.
        let text = if rng.next_f64() < 0.5 {
            format!("{digits}e{exponent}")
        } else {
            let point = (rng.next_f64() * (digits.len() + 1) as f64) as usize;
            let shift = (digits.len() - point) as i64;
            format!(
                "{}.{}e{}",
                &digits[..point],
                &digits[point..],
                exponent + shift
            )
        };
        let theirs: f64 = text.parse().unwrap();
        assert_eq!(
            read_decimal(&text).map(f64::to_bits),
            Some(theirs.to_bits()),
            "{text}"
        );
    }
}

#[test]
fn random_strings_are_read_and_refused_alike_and_within_a_few_ulps() {
    let alphabet: Vec<char> = "0123456789..eE+-".chars().collect();
    let mut rng = Rng::new(5);
    let mut read = 0;
    for _ in 0..300_000 {
        let length = 1 + (rng.next_f64() * 12.0) as usize;
        let text: String = (0..length)
            .map(|_| alphabet[(rng.next_f64() * alphabet.len() as f64) as usize])
            .collect();
        let (ours, theirs) = (read_decimal(&text), std_parse(&text));
        assert_eq!(
            ours.is_some(),
            theirs.is_some(),
            "{text}: {ours:?} and {theirs:?}"
        );
        if let (Some(ours), Some(theirs)) = (ours, theirs) {
            read += 1;
            let subnormal_or_edge = theirs.abs() < 1e-300 || theirs.abs() > 1e300;
            if subnormal_or_edge {
                assert_eq!(ours.is_finite(), theirs.is_finite(), "{text}");
            } else {
                assert_eq!(ours.is_sign_negative(), theirs.is_sign_negative(), "{text}");
                assert!(
                    ulps(ours, theirs) <= 4,
                    "{text}: {ours:e} against {theirs:e}"
                );
            }
        }
    }
    assert!(read > 10_000, "only {read} of the strings were numbers");
}
