//! Exact conversions between decimal text and float64, with a few lines of big-integer
//! arithmetic instead of the standard library's `parse` and `{}` (whose tables would add
//! about 14 KB to the gzipped WebAssembly, see src/decimal.rs): [`decimal_to_f64`] rounds a
//! decimal correctly (to nearest, ties to even), and [`shortest`] writes the fewest
//! significant digits that read back to the same float64, as JavaScript's `String(x)` does.
//! The numbers are few (a weights file holds at most a few hundred), so speed does not matter.

use std::cmp::Ordering;

/// Significant digits kept when reading; further digits only decide a tie, so they are
/// replaced by one non-zero digit (a float64 or a halfway point between two has at most 767
/// significant digits, so none lies between the digits kept and the digits kept plus one
/// unit in their last place).
const KEPT_DIGITS: usize = 800;

/// A non-negative integer, 32 bits a limb, least significant first, no zero limb at the top.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(value: u64) -> Big {
        let mut big = Big(vec![value as u32, (value >> 32) as u32]);
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// self = self · factor + addend.
    fn mul_add_small(&mut self, factor: u32, addend: u32) {
        let mut carry = u64::from(addend);
        for limb in &mut self.0 {
            let product = u64::from(*limb) * u64::from(factor) + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    /// self = self · 5^count.
    fn mul_pow5(&mut self, mut count: u32) {
        while count > 0 {
            let step = count.min(13); // 5^13 < 2^32
            self.mul_add_small(5u32.pow(step), 0);
            count -= step;
        }
    }

    /// self = self · 10^count.
    fn mul_pow10(&mut self, count: u32) {
        self.mul_pow5(count);
        self.shl(count);
    }

    /// self = self · 2^bits.
    fn shl(&mut self, bits: u32) {
        if self.is_zero() {
            return;
        }
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let next = *limb >> (32 - bits);
                *limb = (*limb << bits) | carry;
                carry = next;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        if limbs > 0 {
            let mut shifted = vec![0; limbs];
            shifted.extend_from_slice(&self.0);
            self.0 = shifted;
        }
    }

    fn bit_len(&self) -> u32 {
        match self.0.last() {
            Some(top) => 32 * (self.0.len() as u32 - 1) + (32 - top.leading_zeros()),
            None => 0,
        }
    }

    fn compare(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// self = self − other, for other ≤ self.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let difference =
                i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *limb = difference.rem_euclid(1 << 32) as u32;
            borrow = i64::from(difference < 0);
        }
        self.trim();
    }

    /// self = self / divisor, returning the remainder.
    fn div_small(&mut self, divisor: u32) -> u32 {
        let mut remainder = 0u64;
        for limb in self.0.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            *limb = (current / u64::from(divisor)) as u32;
            remainder = current % u64::from(divisor);
        }
        self.trim();
        remainder as u32
    }

    /// The decimal digits, most significant first ("0" for zero).
    fn decimal(mut self) -> Vec<u8> {
        let mut digits = Vec::new();
        while !self.is_zero() {
            let mut chunk = self.div_small(1_000_000_000);
            for _ in 0..9 {
                digits.push((chunk % 10) as u8);
                chunk /= 10;
            }
        }
        while digits.len() > 1 && digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            digits.push(0);
        }
        digits.reverse();
        digits
    }
}

/// The float64 nearest to `digits` (decimal digits 0–9, most significant first) × 10^`exponent`,
/// ties to even; +∞ beyond the largest float64 and 0 below half the smallest.
pub fn decimal_to_f64(digits: &[u8], exponent: i64) -> f64 {
    // Leading zeros say nothing; trailing ones move the exponent.
    let first = digits.iter().position(|&d| d != 0);
    let Some(first) = first else {
        return 0.0;
    };
    let last = digits.iter().rposition(|&d| d != 0).unwrap_or(first);
    let mut significant = digits[first..=last].to_vec();
    let mut exponent = exponent + (digits.len() - 1 - last) as i64;
    if significant.len() > KEPT_DIGITS {
        exponent += (significant.len() - KEPT_DIGITS - 1) as i64;
        significant.truncate(KEPT_DIGITS);
        significant.push(1);
    }
    // The value is below 10^(decimal_exponent + 1) and at least 10^decimal_exponent.
    let decimal_exponent = exponent + significant.len() as i64 - 1;
    if decimal_exponent > 309 {
        return f64::INFINITY;
    }
    if decimal_exponent < -325 {
        return 0.0;
    }
    let mut numerator = Big(Vec::new());
    for &digit in &significant {
        numerator.mul_add_small(10, u32::from(digit));
    }
    let mut denominator = Big::from_u64(1);
    if exponent >= 0 {
        numerator.mul_pow10(exponent as u32);
    } else {
        denominator.mul_pow10((-exponent) as u32);
    }
    quotient_to_f64(numerator, denominator)
}

/// numerator / denominator (both non-zero) rounded to the nearest float64, ties to even.
fn quotient_to_f64(mut numerator: Big, mut denominator: Big) -> f64 {
    // Scale so that the quotient has 65 or 66 bits: 2^shift · numerator / denominator.
    let shift = 65 - (numerator.bit_len() as i64 - denominator.bit_len() as i64);
    if shift >= 0 {
        numerator.shl(shift as u32);
    } else {
        denominator.shl((-shift) as u32);
    }
    // Long division, one bit at a time.
    let mut quotient: u128 = 0;
    for bit in (0..=66u32).rev() {
        let mut part = denominator.clone();
        part.shl(bit);
        if numerator.compare(&part) != Ordering::Less {
            numerator.sub(&part);
            quotient |= 1 << bit;
        }
    }
    round_to_f64(quotient, -shift, !numerator.is_zero())
}

/// (mantissa + a little more if `sticky`) · 2^exponent, rounded to the nearest float64 (ties
/// to even), with subnormals, 0 and +∞ where the value leaves float64's range.
fn round_to_f64(mantissa: u128, exponent: i64, sticky: bool) -> f64 {
    let bits = 128 - i64::from(mantissa.leading_zeros());
    // The exponent of the value's leading bit, and the lowest bit a float64 keeps of it.
    let top = exponent + bits - 1;
    let lowest = (top - 52).max(-1074);
    let dropped = lowest - exponent; // bits of the mantissa below the lowest kept
    let (mut kept, round_bit, rest) = if dropped <= 0 {
        (mantissa << (-dropped).min(127), false, sticky)
    } else if dropped > 127 {
        (0, false, true)
    } else {
        let below = mantissa & ((1u128 << dropped) - 1);
        let half = 1u128 << (dropped - 1);
        (
            mantissa >> dropped,
            below & half != 0,
            below & (half - 1) != 0 || sticky,
        )
    };
    if round_bit && (rest || kept & 1 == 1) {
        kept += 1;
    }
    // kept · 2^lowest, where kept < 2^54 (it may have carried to 2^53).
    let mut lowest = lowest;
    if kept >> 53 != 0 {
        kept >>= 1;
        lowest += 1;
    }
    if kept == 0 {
        return 0.0;
    }
    if lowest + 52 > 1023 {
        return f64::INFINITY;
    }
    // An exact product of an integer below 2^53 and a power of two in range.
    let bits = kept as u64;
    if kept >> 52 != 0 {
        let biased = (lowest + 52 + 1023) as u64;
        f64::from_bits((biased << 52) | (bits & ((1 << 52) - 1)))
    } else {
        // Subnormal: lowest is −1074.
        f64::from_bits(bits)
    }
}

/// The exact decimal value of a finite, positive float64: its digits (no leading zero) and
/// the power of ten of the last one.
fn exact_decimal(value: f64) -> (Vec<u8>, i64) {
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    let mut big = Big::from_u64(mantissa);
    if exponent >= 0 {
        big.shl(exponent as u32);
        (big.decimal(), 0)
    } else {
        // m · 2^−k = m · 5^k · 10^−k.
        big.mul_pow5((-exponent) as u32);
        (big.decimal(), exponent)
    }
}

/// The fewest significant digits (at most 17) that read back to `value` (finite, positive),
/// and the power of ten of the last one. Of the decimals with that many digits the nearest
/// is one of the two around the value; it reads back unless the value is a power of two
/// (whose gap below is half the gap above) and it lies on the narrow side, where the other,
/// farther one may read back instead: JavaScript then writes that one, as the shortest.
fn shortest_digits(value: f64) -> (Vec<u8>, i64) {
    let (exact, exponent) = exact_decimal(value);
    for count in 1..=exact.len().min(17) {
        let last = exponent + (exact.len() - count) as i64;
        let below = exact[..count].to_vec();
        let (above, above_last) = round_up(&below, last);
        // The rest against half a unit of the last digit kept: 5 then zeros.
        let rest = &exact[count..];
        let half = rest.first().map_or(Ordering::Less, |&d| {
            d.cmp(&5).then(if rest[1..].iter().any(|&d| d > 0) {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        });
        let up_first = match half {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => below.last().is_some_and(|d| d % 2 == 1), // a tie: the even one
        };
        let candidates = if up_first {
            [(above, above_last), (below, last)]
        } else {
            [(below, last), (above, above_last)]
        };
        for (digits, last) in candidates {
            if decimal_to_f64(&digits, last) == value {
                return (digits, last);
            }
        }
    }
    (exact, exponent)
}

/// `digits` · 10^`last` plus one unit in its last digit, with as many digits.
fn round_up(digits: &[u8], last: i64) -> (Vec<u8>, i64) {
    let mut up = digits.to_vec();
    let mut at = up.len();
    loop {
        if at == 0 {
            // 99…9 + 1 = 100…0: one digit more, written with as many by raising the power.
            up.insert(0, 1);
            up.pop();
            return (up, last + 1);
        }
        at -= 1;
        if up[at] == 9 {
            up[at] = 0;
        } else {
            up[at] += 1;
            return (up, last);
        }
    }
}

/// `value` as JavaScript's `String(value)` writes it: the fewest digits that read back to the
/// same float64, written out from 10⁻⁶ up to 10²¹ ("0.000123", "1234.5") and as "1.5e-7" or
/// "1e+21" beyond; "0" for ±0. Non-finite values are written "null", as JSON.stringify does.
pub fn shortest(value: f64) -> String {
    if !value.is_finite() {
        return "null".into();
    }
    if value == 0.0 {
        return "0".into();
    }
    let (mut digits, mut last) = shortest_digits(value.abs());
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
        last += 1;
    }
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let k = digits.len() as i64;
    // The value is 0.d1d2…dk · 10^n.
    let n = last + k;
    let zeros = |count: i64| -> String { (0..count).map(|_| '0').collect() };
    let body = if k <= n && n <= 21 {
        format!("{text}{}", zeros(n - k))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &text[..n as usize], &text[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{text}", zeros(-n))
    } else {
        let power = n - 1;
        let sign = if power < 0 { "-" } else { "+" };
        let mantissa = if k == 1 {
            text
        } else {
            format!("{}.{}", &text[..1], &text[1..])
        };
        format!("{mantissa}e{sign}{}", power.unsigned_abs())
    };
    if value < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}
