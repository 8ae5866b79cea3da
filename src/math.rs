//! A fast, accurate e^x used by the activations' hot path.
//!
//! The platform's `exp` is a library call that differs between targets (a software libm on
//! wasm32, the system's libm natively), which is slow in WebAssembly and can differ in the last
//! bit. This one is plain arithmetic and a 64-entry table, so it inlines into the training loop
//! and gives the same result on every platform. Accuracy: within 3 ulp (7e-16 relative) of the standard
//! library's value across the whole range (checked in the tests).

use crate::lanes::{Bits2, F64x2};

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

/// Below this |x|, [`tanh`] uses its polynomial; above, 1 − 2e/(1 + e) with e = e^(−2|x|),
/// whose rounding errors grow as e nears 1.
const TANH_POLYNOMIAL_BELOW: f64 = 0.625;

/// tanh(x) = x + x³·P(x²) for |x| < 0.625: P interpolates (tanh(x)/x − 1)/x² at 12 Chebyshev
/// points of x² in [0, 0.390625] (degree 11; interpolation error below 0.1 ulp, computed with
/// mpmath at 60 digits).
const TANH_POLYNOMIAL: [f64; 12] = [
    -0.333_333_333_333_333_3,
    0.133_333_333_333_330_42,
    -0.053_968_253_967_896_99,
    0.021_869_488_519_008_305,
    -0.008_863_235_103_240_878,
    0.003_592_121_751_154_962_2,
    -0.001_455_775_412_047_805_5,
    0.000_589_660_657_775_704_3,
    -0.000_237_590_649_605_556_2,
    9.257_116_129_556_769e-5,
    -3.120_110_142_579_74e-5,
    6.485_163_482_793_113e-6,
];

/// tanh(x), built on [`exp`] so that it has a lane version ([`tanh_lanes_with`]) with the
/// same bits, and gives the same result on every platform. Within 2 ulp of the standard
/// library's (checked in the tests); tanh(±∞) = ±1, NaN stays NaN, and tanh(±0) = +0.
#[inline]
pub fn tanh(x: f64) -> f64 {
    let magnitude = x.abs();
    if magnitude < TANH_POLYNOMIAL_BELOW {
        let square = x * x;
        let (&last, rest) = TANH_POLYNOMIAL.split_last().unwrap();
        let mut p = last;
        for &c in rest.iter().rev() {
            p = c + square * p;
        }
        x + (x * square) * p
    } else {
        // (1 − e)/(1 + e) as 1 − 2e/(1 + e): the error of the small quotient barely shows.
        let e = exp(-2.0 * magnitude);
        let t = 1.0 - (e + e) / (1.0 + e);
        if x < 0.0 {
            -t
        } else {
            t
        }
    }
}

/// [`tanh`] in two lanes, by the same operations; both branches are computed and each lane
/// takes its own.
#[inline(always)]
pub fn tanh_lanes_with(x: F64x2, c: &ExpConstants) -> F64x2 {
    let magnitude = x.abs();
    let square = x * x;
    let (&last, rest) = TANH_POLYNOMIAL.split_last().unwrap();
    let mut p = F64x2::splat(last);
    for &coefficient in rest.iter().rev() {
        p = F64x2::splat(coefficient) + square * p;
    }
    let small = x + (x * square) * p;
    let e = exp_lanes_with(-(F64x2::splat(2.0) * magnitude), c);
    let t = c.one - (e + e) / (c.one + e);
    let large = x.lt(F64x2::splat(0.0)).select(-t, t);
    magnitude
        .lt(F64x2::splat(TANH_POLYNOMIAL_BELOW))
        .select(small, large)
}

/// [`exp`] in two lanes, by the same steps: the same k, r, polynomial, table entry and power of
/// two, so each lane has exactly the bits [`exp`] gives. Only the way to k differs: adding and
/// subtracting 1.5·2^52 rounds x·N/ln 2 to the nearest integer (ties to even, as
/// `round_ties_even`) and leaves k in the low bits of the sum, which give the table index and
/// the power of two without a float-to-integer conversion. Lanes outside (−707, 709), where
/// [`exp`] scales in two factors or returns a limit, and NaN, go through [`exp`] itself.
#[inline(always)]
pub fn exp_lanes(x: F64x2) -> F64x2 {
    exp_lanes_with(x, &ExpConstants::new())
}

/// The constants of [`exp_lanes`], in lanes.
///
/// A loop that calls [`exp_lanes_with`] many times can make them once with
/// [`ExpConstants::opaque`] before it: the compiled loop then keeps them in locals instead of
/// building each 128-bit constant again at every use, which costs WebAssembly engines
/// several instructions each.
#[derive(Clone, Copy)]
pub struct ExpConstants {
    low: F64x2,
    high: F64x2,
    n_over_ln2: F64x2,
    shift: F64x2,
    ln2_n_hi: F64x2,
    ln2_n_lo: F64x2,
    /// 1, also for the callers (σ = 1/(1 + e)).
    pub one: F64x2,
    half: F64x2,
    sixth: F64x2,
    twenty_fourth: F64x2,
    hundred_twentieth: F64x2,
    quotient_mask: Bits2,
    exponent_bias: Bits2,
}

impl ExpConstants {
    #[inline(always)]
    pub fn new() -> Self {
        let splat = F64x2::splat;
        ExpConstants {
            low: splat(-707.0),
            high: splat(709.0),
            n_over_ln2: splat(N_OVER_LN2),
            shift: splat(1.5 * (1u64 << 52) as f64),
            ln2_n_hi: splat(LN2_N_HI),
            ln2_n_lo: splat(LN2_N_LO),
            one: splat(1.0),
            half: splat(0.5),
            sixth: splat(1.0 / 6.0),
            twenty_fourth: splat(1.0 / 24.0),
            hundred_twentieth: splat(1.0 / 120.0),
            quotient_mask: Bits2::splat(!(N as u64 - 1)),
            exponent_bias: Bits2::splat(1023 << 52),
        }
    }

    /// [`ExpConstants::new`] passed through `core::hint::black_box`, so that the optimiser
    /// cannot fold them back into the loop.
    #[inline(always)]
    pub fn opaque() -> Self {
        core::hint::black_box(Self::new())
    }
}

impl Default for ExpConstants {
    fn default() -> Self {
        Self::new()
    }
}

/// [`exp_lanes`] with its constants passed in.
#[inline(always)]
pub fn exp_lanes_with(x: F64x2, c: &ExpConstants) -> F64x2 {
    if !(x.gt(c.low) & x.lt(c.high)).all() {
        return exp_lanes_slow(x);
    }
    let shifted = x * c.n_over_ln2 + c.shift;
    let k = shifted - c.shift;
    let r = (x - k * c.ln2_n_hi) - k * c.ln2_n_lo;
    let r2 = r * r;
    let p = (c.one + r)
        + r2 * ((c.half + r * c.sixth) + r2 * (c.twenty_fourth + r * c.hundred_twentieth));
    let bits = shifted.to_bits();
    let index_bits = N.trailing_zeros();
    let entry = F64x2::gather(&TABLE, bits.low_bits(index_bits));
    // ((k div N) + 1023) << 52: the exponent field of 2^(k div N); the wrapping shift drops
    // the sum's own exponent bits.
    let power = (bits & c.quotient_mask)
        .shift_left(52 - index_bits)
        .wrapping_add(c.exponent_bias)
        .to_f64();
    (entry * p) * power
}

/// [`exp`] lane by lane, out of the hot loop.
#[cold]
#[inline(never)]
fn exp_lanes_slow(x: F64x2) -> F64x2 {
    x.map(exp)
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

    /// The lane version against the scalar one, bit for bit: 200,000 points across the whole
    /// range and beyond it, the edges of the fast range and of exp's own range, and the special
    /// values, paired in lanes so that fast and slow lanes meet in one call.
    #[test]
    fn the_lane_version_gives_the_scalar_bits() {
        let mut rng = crate::rng::Rng::new(11);
        let mut points: Vec<f64> = (0..200_000)
            .map(|i| match i % 4 {
                0 => rng.uniform(-760.0, 720.0),
                1 => rng.uniform(-40.0, 40.0),
                2 => rng.uniform(-1e-3, 1e-3),
                _ => {
                    [-745.133_219_101_941_1, -707.0, 709.0, 709.782_712_893_384][i % 16 / 4]
                        + rng.uniform(-1e-9, 1e-9) * (i % 3) as f64
                }
            })
            .collect();
        points.extend([
            0.0,
            -0.0,
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            -744.4,
            -708.5,
            -1000.0,
            1000.0,
        ]);
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        for pair in points.chunks(2).chain(points[1..].chunks(2)) {
            let (first, second) = (pair[0], *pair.last().unwrap());
            let [got_first, got_second] = exp_lanes(F64x2::new(first, second)).to_array();
            assert!(
                same(got_first, exp(first)),
                "lane 0: exp({first:e}) = {got_first:e}, scalar {:e}",
                exp(first)
            );
            assert!(
                same(got_second, exp(second)),
                "lane 1: exp({second:e}) = {got_second:e}, scalar {:e}",
                exp(second)
            );
        }
    }

    #[test]
    fn tanh_agrees_with_the_standard_library_to_2_ulp() {
        let mut rng = crate::rng::Rng::new(17);
        let mut worst = 0;
        for i in 0..200_000 {
            let x = match i % 4 {
                0 => rng.uniform(-0.6, 0.6),
                1 => rng.uniform(-25.0, 25.0),
                2 => rng.uniform(-1e-6, 1e-6),
                _ => rng.uniform(0.45, 0.55) * if i % 8 == 3 { -1.0 } else { 1.0 },
            };
            let (got, want) = (tanh(x), x.tanh());
            worst = worst.max(ulps(got, want));
            assert!(ulps(got, want) <= 2, "tanh({x}) = {got}, std {want}");
        }
        println!("tanh: largest difference from std: {worst} ulp");
        assert_eq!(tanh(0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(tanh(-0.0), 0.0, "+0: the sign of a zero is not kept");
        assert_eq!((tanh(f64::INFINITY), tanh(f64::NEG_INFINITY)), (1.0, -1.0));
        assert_eq!((tanh(1e300), tanh(-800.0)), (1.0, -1.0));
        assert!(tanh(f64::NAN).is_nan());
        assert_eq!(tanh(5e-324), 5e-324);
    }

    #[test]
    fn tanh_lanes_give_the_scalar_bits() {
        let mut rng = crate::rng::Rng::new(19);
        let mut points: Vec<f64> = (0..200_000)
            .map(|i| match i % 3 {
                0 => rng.uniform(-1.0, 1.0),
                1 => rng.uniform(-400.0, 400.0),
                _ => 0.5 * if i % 2 == 0 { 1.0 } else { -1.0 } + rng.uniform(-1e-12, 1e-12),
            })
            .collect();
        points.extend([
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            5e-324,
            0.5,
            -0.5,
        ]);
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        let constants = ExpConstants::new();
        for pair in points.chunks(2).chain(points[1..].chunks(2)) {
            let (first, second) = (pair[0], *pair.last().unwrap());
            let [got_first, got_second] =
                tanh_lanes_with(F64x2::new(first, second), &constants).to_array();
            assert!(
                same(got_first, tanh(first)),
                "tanh({first:e}) = {got_first:e}, scalar {:e}",
                tanh(first)
            );
            assert!(
                same(got_second, tanh(second)),
                "tanh({second:e}) = {got_second:e}, scalar {:e}",
                tanh(second)
            );
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
