//! A fast, accurate e^x used by the activations' hot path.
//!
//! The platform's `exp` is a library call that differs between targets (a software libm on
//! wasm32, the system's libm natively), which is slow in WebAssembly and can differ in the last
//! bit. This one is plain arithmetic and a 64-entry table, so it inlines into the training loop
//! and gives the same result on every platform. Accuracy: within 3 ulp (7e-16 relative) of the standard
//! library's value across the whole range (checked in the tests).

/// Table size: e^x = 2^(k/N) · e^r with |r| ≤ ln 2 / 2N.
const N: usize = 64;
const N_OVER_LN2: f64 = N as f64 * std::f64::consts::LOG2_E;
// ln 2 / N split in two (fdlibm's split of ln 2, exact bit patterns): LN2_N_HI has 32
// significant bits, so k · LN2_N_HI is exact for every k that occurs; LN2_N_LO holds the rest.
const LN2_N_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / N as f64;
const LN2_N_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / N as f64;

/// 2^(i/N) for i in 0..N, each within 1 ulp; computed by the compiler, so it costs nothing at
/// run time and is the same on every platform.
static TABLE: [f64; N] = build_table();

/// e^t for t = i·ln 2 / N < 0.7 by its Taylor series to t^24 / 24!, summed from the smallest
/// term up with Kahan's compensation so that rounding errors do not pile up.
const fn build_table() -> [f64; N] {
    let mut table = [0.0; N];
    let mut i = 0;
    while i < N {
        let t = i as f64 * (LN2_N_HI + LN2_N_LO);
        let mut terms = [1.0_f64; 25];
        let mut n = 1;
        while n < terms.len() {
            terms[n] = terms[n - 1] * t / n as f64;
            n += 1;
        }
        let (mut sum, mut carry) = (0.0_f64, 0.0_f64);
        let mut n = terms.len();
        while n > 0 {
            n -= 1;
            let y = terms[n] - carry;
            let next = sum + y;
            carry = (next - sum) - y;
            sum = next;
        }
        table[i] = sum;
        i += 1;
    }
    table
}

/// e^x. Returns 0 below −745.2 (where e^x underflows) and +∞ above 709.8; NaN stays NaN.
#[inline]
pub fn exp(x: f64) -> f64 {
    if !(x > -745.133_219_101_941_1 && x < 709.782_712_893_384) {
        return if x.is_nan() {
            x
        } else if x > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
    }
    // x = k·ln 2 / N + r, so e^x = 2^(k div N) · 2^((k mod N) / N) · e^r.
    let k = (x * N_OVER_LN2).round_ties_even();
    let r = (x - k * LN2_N_HI) - k * LN2_N_LO;
    // e^r to r^5 / 5!: |r| ≤ 0.0055, so the first omitted term is below 4e-17.
    let r2 = r * r;
    let p = (1.0 + r) + r2 * ((0.5 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
    let k = k as i32;
    let scaled = TABLE[(k & (N as i32 - 1)) as usize] * p;
    scale_by_power_of_two(scaled, k >> N.trailing_zeros())
}

/// p · 2^k for p in [0.99, 2.01], including results that are subnormal.
#[inline]
fn scale_by_power_of_two(p: f64, k: i32) -> f64 {
    if k > -1022 {
        if k > 1023 {
            return p * 2.0 * two_to(k - 1);
        }
        p * two_to(k)
    } else {
        // Two factors, so neither underflows before the final, correctly rounded product.
        p * two_to(k + 1000) * two_to(-1000)
    }
}

/// 2^k for −1022 ≤ k ≤ 1023, built from its exponent bits.
#[inline]
fn two_to(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn agrees_with_the_standard_library_to_3_ulp_everywhere() {
        let mut rng = crate::rng::Rng::new(5);
        let mut worst = 0;
        for i in 0..200_000 {
            let x = if i % 2 == 0 {
                rng.uniform(-745.0, 709.7)
            } else {
                rng.uniform(-40.0, 40.0)
            };
            let (got, want) = (exp(x), x.exp());
            worst = worst.max(ulps(got, want));
            assert!(ulps(got, want) <= 3, "exp({x}) = {got}, std {want}");
        }
        println!("largest difference from std: {worst} ulp");
    }

    #[test]
    fn the_table_is_within_1_ulp_of_2_to_the_i_over_n() {
        for (i, &entry) in TABLE.iter().enumerate() {
            let want = (i as f64 / N as f64).exp2();
            assert!(ulps(entry, want) <= 1, "2^({i}/{N}) = {entry}, std {want}");
        }
    }

    #[test]
    fn edges_are_exact() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert!(exp(f64::NAN).is_nan());
        assert!(exp(-744.0) > 0.0, "subnormal results survive");
        assert_eq!(exp(709.78), 709.78f64.exp());
        assert!(ulps(exp(-740.0), (-740f64).exp()) <= 2);
    }
}
