//! The weights file, owned by the core: files the page saved before (with JavaScript's
//! JSON.stringify) read back exactly and are written again byte for byte; every wrong file is
//! refused with a message naming the field; no text, random or a mutated file, makes the
//! reader panic; and the numbers are read and written exactly (checked against the standard
//! library's correctly rounded `parse` and shortest `{:e}`).

use backprop_lab::json::{self, write_number};
use backprop_lab::weights_file::{self, Weights, MAX_BYTES};
use backprop_lab::{Activation, Network, Rng};

/// Written by the page before the core owned the format: JSON.stringify(file, null, 1).
const SAVED_BY_THE_PAGE: &str = include_str!("fixtures/weights-v1.json");

fn file(changes: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("format", "\"backprop-lab-weights\"".to_string()),
        ("version", "1".into()),
        ("m", "2".into()),
        ("h", "2".into()),
        ("activation", "\"sigmoid\"".into()),
        ("A", "[0.5, -0.25, 1, 2]".into()),
        ("b", "[0.125, -3]".into()),
    ];
    for (key, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((key, value.to_string())),
        }
    }
    let members: Vec<String> = fields
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    format!("{{{}}}", members.join(", "))
}

fn refusal(text: &str) -> String {
    match weights_file::read(text) {
        Ok(weights) => panic!("read {weights:?} from {text}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn a_file_the_page_saved_before_reads_exactly_and_is_written_again_byte_for_byte() {
    let weights = weights_file::read(SAVED_BY_THE_PAGE).expect("the saved file reads");
    assert_eq!((weights.inputs, weights.hidden), (2, 3));
    assert_eq!(weights.activation, Activation::Tanh);
    // The standard library's parse rounds correctly: the reference for every number.
    let a: Vec<f64> = ["0.1", "-0.2", "1e-7", "123.456", "0", "5e-324"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    let b: Vec<f64> = ["2.5", "-999.9999999999999", "0.30000000000000004"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(weights.a, a);
    assert_eq!(weights.b, b);
    assert_eq!(weights_file::write(&weights), SAVED_BY_THE_PAGE);
}

#[test]
fn a_network_written_and_read_again_has_the_same_weights_to_the_last_bit() {
    for (seed, activation) in [(1, Activation::Sigmoid), (2, Activation::LeakyRelu)] {
        for (inputs, hidden) in [(1, 1), (2, 5), (2, 64)] {
            let network = Network::new(inputs, hidden, activation, seed).unwrap();
            let weights = Weights::of(&network);
            let text = weights_file::write(&weights);
            assert_eq!(weights_file::read(&text), Ok(weights));
        }
    }
    let mut rng = Rng::new(7);
    for _ in 0..200 {
        // Any finite float64, subnormals and extremes included (the lab checks the range).
        let mut any = || loop {
            let v = f64::from_bits(rng.next_u64());
            if v.is_finite() && v != 0.0 {
                return v;
            }
        };
        let weights = Weights {
            inputs: 1,
            hidden: 3,
            activation: Activation::Relu,
            a: vec![any(), any(), any()],
            b: vec![any(), any(), any()],
        };
        assert_eq!(
            weights_file::read(&weights_file::write(&weights)),
            Ok(weights)
        );
    }
}

#[test]
fn numbers_are_written_with_the_fewest_digits_that_read_back() {
    let mut rng = Rng::new(11);
    let mut values: Vec<f64> = vec![
        0.1,
        1e-7,
        1e-6,
        123e-9,
        1e21,
        1e20,
        5e-324,
        f64::MAX,
        f64::MIN_POSITIVE,
        2.5,
        1.0,
        100.0,
        0.30000000000000004,
        9007199254740993.0,
        123456789012345680000.0,
    ];
    values.extend((0..3000).map(|_| f64::from_bits(rng.next_u64())));
    values.extend((0..3000).map(|_| rng.uniform(-1000.0, 1000.0)));
    // Every normal power of two: the gap below one is half the gap above, so the nearest
    // short decimal may lie on the narrow side and not read back. (Subnormal numbers are
    // evenly spaced.)
    values
        .extend((-1022i64..=1023).map(|exponent| f64::from_bits(((exponent + 1023) as u64) << 52)));
    for value in values.into_iter().filter(|v| v.is_finite() && *v != 0.0) {
        let text = write_number(value);
        let back: f64 = text.parse().unwrap_or(f64::NAN);
        assert!(back == value, "{value:e} was written {text}");
        // The standard library's {:e} writes the fewest digits that read back.
        let shortest = format!("{:e}", value.abs());
        // As many digits. (Not always the same ones: where two such decimals are equally near
        // the value JavaScript writes the even one, the standard library not always.)
        let digits = |t: &str| {
            let mantissa = t.split(['e', 'E']).next().unwrap_or("");
            let d: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
            d.trim_start_matches('0').trim_end_matches('0').len().max(1)
        };
        assert_eq!(digits(&text), digits(&shortest), "{value:e} written {text}");
    }
    // JavaScript's forms: written out from 10⁻⁶ to 10²¹, with an exponent beyond.
    for (value, text) in [
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (-0.0, "0"),
        (-2.5, "-2.5"),
        (f64::NAN, "null"),
    ] {
        assert_eq!(write_number(value), text);
    }
}

#[test]
fn numbers_are_read_to_the_nearest_float64() {
    let mut rng = Rng::new(13);
    let mut texts: Vec<String> = [
        "0",
        "-0",
        "1",
        "0.1",
        "2.2250738585072011e-308",
        "2.2250738585072014e-308",
        "4.9406564584124654e-324",
        "2.4703282292062327e-324",
        "2.4703282292062328e-324",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "9007199254740993",
        "1e400",
        "1e-400",
        "0.000000000000000000000000000000000000001",
    ]
    .iter()
    .map(|t| t.to_string())
    .collect();
    for _ in 0..3000 {
        let digits = 1 + (rng.next_u64() % 30) as usize;
        let mut text: String = (0..digits)
            .map(|_| char::from(b'0' + (rng.next_u64() % 10) as u8))
            .collect();
        text = text.trim_start_matches('0').to_string();
        if text.is_empty() {
            text.push('7');
        }
        let point = (rng.next_u64() % (text.len() as u64 + 1)) as usize;
        if point < text.len() && point > 0 {
            text.insert(point, '.');
        }
        let power = (rng.next_u64() % 700) as i64 - 350;
        texts.push(format!("{text}e{power}"));
    }
    // Halfway cases between neighbours need every digit: 2⁻¹⁰⁷⁴·(2k+1) written out.
    texts.push(format!(
        "{}e-1074",
        "2470328229206232720882538".to_owned() + &"0".repeat(700)
    ));
    for text in texts {
        let expected: f64 = text.parse().unwrap();
        match json::parse(&text) {
            Ok(json::Value::Number(number)) => {
                let read = number.value();
                assert!(
                    read.to_bits() == expected.to_bits(),
                    "{text}: {read:e}, expected {expected:e}"
                )
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn every_wrong_file_is_refused_with_a_message_naming_the_field() {
    assert!(weights_file::read(&file(&[])).is_ok());
    for (changes, message) in [
        (vec![("format", "\"something else\"")], "not a Backprop Lab weights file"),
        (vec![("format", "")], "not a Backprop Lab weights file"),
        (
            vec![("version", "2")],
            "the file is version 2; this page reads version 1, and the file needs a newer Backprop Lab",
        ),
        (vec![("version", "0")], "the file is version 0; this page reads version 1"),
        (vec![("version", "\"1\"")], "of no known version; this page reads version 1"),
        (vec![("version", "")], "of no known version"),
        (vec![("m", "3")], "\"m\" (the input size) must be a whole number from 1 to 2, got 3"),
        (vec![("m", "true")], "\"m\" (the input size) must be a number"),
        (vec![("h", "\"4\"")], "\"h\" (the number of hidden units) must be a number"),
        (vec![("h", "[2]")], "\"h\" (the number of hidden units) must be a number"),
        (
            vec![("h", "65")],
            "\"h\" (the number of hidden units) must be a whole number from 1 to 64, got 65",
        ),
        (vec![("h", "1.5")], "must be a whole number from 1 to 64, got 1.5"),
        (vec![("activation", "\"swish\"")], "\"activation\": unknown activation \"swish\""),
        (vec![("activation", "3")], "\"activation\" must be the name of an activation"),
        (vec![("A", "{}")], "\"A\" must be a list of numbers"),
        (vec![("A", "[1, 2, 3]")], "\"A\" must have 4 entries (h·m numbers), got 3"),
        (vec![("b", "[1]")], "\"b\" must have 2 entries (h numbers), got 1"),
        (vec![("b", "[null, 1]")], "\"b\" must hold only numbers (entry 0 is null)"),
        (vec![("b", "[1, \"1\"]")], "\"b\" must hold only numbers (entry 1 is a string)"),
        (vec![("b", "[[1], 1]")], "(entry 0 is a list)"),
        (vec![("b", "[{}, 1]")], "(entry 0 is an object)"),
        (vec![("b", "[1, true]")], "(entry 1 is a boolean)"),
        (vec![("b", "[1e999, 1]")], "\"b\" must hold only numbers within float64's range"),
    ] {
        let text = file(&changes);
        assert!(refusal(&text).contains(message), "{text}: {}", refusal(&text));
    }
    assert!(refusal("{ not json")
        .starts_with("it is not valid JSON (expected a name in quotes at line 1, column 3)"));
    assert!(refusal("[1, 2]").contains("not a Backprop Lab weights file"));
    assert!(refusal("").contains("not valid JSON"));
    let twice = file(&[]).replacen("\"m\": 2", "\"m\": 2, \"m\": 1", 1);
    assert!(refusal(&twice).contains("the field \"m\" appears twice"));
    let large = format!("{}{}", file(&[]), " ".repeat(MAX_BYTES));
    assert!(refusal(&large).contains("at most 200,000 bytes"));
    // Fields a later page may add are ignored by this one.
    assert!(weights_file::read(&file(&[("note", "\"kept for later\"")])).is_ok());
}

#[test]
fn no_text_makes_the_reader_panic() {
    let scale: f64 = std::env::var("FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let rounds = (20_000.0 * scale) as usize;
    let mut rng = Rng::new(17);
    let valid = weights_file::write(&Weights::of(
        &Network::new(2, 4, Activation::Tanh, 3).unwrap(),
    ));
    const PIECES: [&str; 24] = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "d834",
        "-",
        "0",
        "1",
        "e",
        "E",
        ".",
        "+",
        " ",
        "\n",
        "null",
        "true",
        "é",
        "\u{1F600}",
        "9999999999999999999999",
    ];
    for round in 0..rounds {
        let mut text = if round % 4 == 0 {
            String::new()
        } else {
            valid.clone()
        };
        for _ in 0..1 + rng.next_u64() % 6 {
            let piece = PIECES[(rng.next_u64() % PIECES.len() as u64) as usize];
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            let at = boundaries[(rng.next_u64() % boundaries.len() as u64) as usize];
            match rng.next_u64() % 3 {
                0 => text.insert_str(at, piece),
                1 => {
                    let end = boundaries.iter().copied().find(|&i| i > at).unwrap_or(at);
                    text.replace_range(at..end, piece);
                }
                _ => {
                    let end = boundaries
                        .iter()
                        .copied()
                        .filter(|&i| i >= at)
                        .nth(1 + (rng.next_u64() % 8) as usize)
                        .unwrap_or(text.len());
                    text.replace_range(at..end, "");
                }
            }
        }
        // Whatever it says, a file it accepts is one it writes back and reads the same.
        if let Ok(weights) = weights_file::read(&text) {
            let again = weights_file::read(&weights_file::write(&weights));
            assert_eq!(again, Ok(weights), "{text}");
        }
    }
    // Nesting deep enough to exhaust a recursive reader's stack is refused.
    for open in ["[", "{\"a\":"] {
        let deep = open.repeat(100_000);
        assert!(json::parse(&deep)
            .unwrap_err()
            .message
            .contains("nested too deep"));
    }
}
