//! A small seeded random number generator (xoshiro256** seeded by SplitMix64).
//!
//! It needs no entropy source, so it works the same on wasm32 and natively, and a seed
//! always gives the same numbers: runs are reproducible bit for bit. Only integer
//! arithmetic and IEEE-exact operations are used, so no platform's maths library can
//! make two runs differ.

/// A deterministic generator; not for cryptography.
#[derive(Clone, Debug)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut splitmix = seed;
        let mut next = || {
            splitmix = splitmix.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = splitmix;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            state: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [low, high).
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next_f64()
    }

    /// Approximately standard normal (mean 0, variance 1): the sum of four uniforms on
    /// [−√3, √3] divided by 2 (Irwin–Hall). Exact arithmetic only, so it is the same on every
    /// platform; its tails stop at ±2√3, which suits weights and noise.
    pub fn normal(&mut self) -> f64 {
        let half_width = 3f64.sqrt();
        (0..4).map(|_| self.symmetric(half_width)).sum::<f64>() / 2.0
    }

    /// Uniform in [-half_width, half_width): zero mean, variance half_width² / 3.
    pub fn symmetric(&mut self, half_width: f64) -> f64 {
        self.uniform(-half_width, half_width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_different_seeds_differ() {
        let first: Vec<u64> = (0..8)
            .map({
                let mut rng = Rng::new(7);
                move |_| rng.next_u64()
            })
            .collect();
        let mut again = Rng::new(7);
        let mut other = Rng::new(8);
        for &value in &first {
            assert_eq!(again.next_u64(), value);
        }
        assert_ne!(other.next_u64(), first[0]);
    }

    #[test]
    fn uniform_stays_in_range_with_mean_near_the_middle() {
        let mut rng = Rng::new(1);
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = rng.uniform(-2.0, 3.0);
            assert!((-2.0..3.0).contains(&u));
            sum += u;
        }
        // The mean of n uniforms on [-2, 3) has standard deviation 5/sqrt(12 n) ≈ 0.0046.
        assert!((sum / n as f64 - 0.5).abs() < 0.03);
    }
}
