//! Two f64 lanes, [`F64x2`], for the training kernel: WebAssembly SIMD (`v128`) when the crate
//! is built for wasm32 with `simd128` enabled, and a plain `[f64; 2]` everywhere else.
//!
//! Both implementations do the same IEEE operations lane by lane (no fused multiply-add,
//! round-to-nearest-even, the same comparisons), so code written against this type gives the
//! same bits on either; `cargo test` checks the lane code natively through the array version.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;
    use core::ops::{Add, BitAnd, Div, Mul, Neg, Sub};

    /// Two f64 lanes in one WebAssembly `v128`.
    #[derive(Clone, Copy)]
    pub struct F64x2(v128);

    /// A lane-wise comparison result: all ones or all zeros per lane.
    #[derive(Clone, Copy)]
    pub struct Mask2(v128);

    /// The bits of two f64 lanes as two u64 lanes.
    #[derive(Clone, Copy)]
    pub struct Bits2(v128);

    impl F64x2 {
        #[inline(always)]
        pub fn splat(value: f64) -> Self {
            F64x2(f64x2_splat(value))
        }

        #[inline(always)]
        pub fn new(first: f64, second: f64) -> Self {
            F64x2(f64x2(first, second))
        }

        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            [
                f64x2_extract_lane::<0>(self.0),
                f64x2_extract_lane::<1>(self.0),
            ]
        }

        #[inline(always)]
        pub fn abs(self) -> Self {
            F64x2(f64x2_abs(self.0))
        }

        #[inline(always)]
        pub fn ge(self, other: Self) -> Mask2 {
            Mask2(f64x2_ge(self.0, other.0))
        }

        #[inline(always)]
        pub fn gt(self, other: Self) -> Mask2 {
            Mask2(f64x2_gt(self.0, other.0))
        }

        #[inline(always)]
        pub fn lt(self, other: Self) -> Mask2 {
            Mask2(f64x2_lt(self.0, other.0))
        }

        #[inline(always)]
        pub fn to_bits(self) -> Bits2 {
            Bits2(self.0)
        }

        /// `table[index[lane]]` in each lane, with `index` from [`Bits2::low_bits`].
        #[inline(always)]
        pub fn gather(table: &[f64], index: [usize; 2]) -> Self {
            let (first, second) = (&table[index[0]], &table[index[1]]);
            // SAFETY: both references point to initialised f64s (bounds checked just above), and
            // the loads read exactly 8 bytes at each; v128 loads need no alignment.
            unsafe {
                let low = v128_load64_zero((first as *const f64).cast::<u64>());
                F64x2(v128_load64_lane::<1>(
                    low,
                    (second as *const f64).cast::<u64>(),
                ))
            }
        }
    }

    impl Mask2 {
        /// `if_true` where the mask is set, `if_false` elsewhere.
        #[inline(always)]
        pub fn select(self, if_true: F64x2, if_false: F64x2) -> F64x2 {
            F64x2(v128_bitselect(if_true.0, if_false.0, self.0))
        }

        #[inline(always)]
        pub fn all(self) -> bool {
            i64x2_all_true(self.0)
        }
    }

    impl BitAnd for Mask2 {
        type Output = Mask2;
        #[inline(always)]
        fn bitand(self, other: Mask2) -> Mask2 {
            Mask2(v128_and(self.0, other.0))
        }
    }

    impl BitAnd for Bits2 {
        type Output = Bits2;
        #[inline(always)]
        fn bitand(self, other: Bits2) -> Bits2 {
            Bits2(v128_and(self.0, other.0))
        }
    }

    impl Bits2 {
        /// The lowest `count` bits of each lane, as table indices.
        #[inline(always)]
        pub fn low_bits(self, count: u32) -> [usize; 2] {
            let mask = (1u64 << count) - 1;
            [
                (u64x2_extract_lane::<0>(self.0) & mask) as usize,
                (u64x2_extract_lane::<1>(self.0) & mask) as usize,
            ]
        }

        #[inline(always)]
        pub fn splat(value: u64) -> Self {
            Bits2(u64x2_splat(value))
        }

        #[inline(always)]
        pub fn shift_left(self, count: u32) -> Self {
            Bits2(i64x2_shl(self.0, count))
        }

        /// Lane-wise wrapping addition.
        #[inline(always)]
        pub fn wrapping_add(self, other: Self) -> Self {
            Bits2(i64x2_add(self.0, other.0))
        }

        #[inline(always)]
        pub fn to_f64(self) -> F64x2 {
            F64x2(self.0)
        }
    }

    /// Whether every value is finite, two at a time: a lane is finite exactly when its
    /// absolute value is below infinity (NaN is below nothing).
    #[inline]
    pub fn all_finite(values: &[f64]) -> bool {
        let infinity = f64x2_splat(f64::INFINITY);
        let mut finite = u64x2_splat(u64::MAX);
        let mut pairs = values.chunks_exact(2);
        for pair in &mut pairs {
            // SAFETY: `pair` is two initialised f64s, the 16 bytes loaded; v128 loads need no
            // alignment.
            let two = unsafe { v128_load(pair.as_ptr().cast::<v128>()) };
            finite = v128_and(finite, f64x2_lt(f64x2_abs(two), infinity));
        }
        i64x2_all_true(finite) && pairs.remainder().iter().all(|v| v.is_finite())
    }

    macro_rules! binary {
        ($trait:ident, $method:ident, $op:ident) => {
            impl $trait for F64x2 {
                type Output = F64x2;
                #[inline(always)]
                fn $method(self, other: F64x2) -> F64x2 {
                    F64x2($op(self.0, other.0))
                }
            }
        };
    }
    binary!(Add, add, f64x2_add);
    binary!(Sub, sub, f64x2_sub);
    binary!(Mul, mul, f64x2_mul);
    binary!(Div, div, f64x2_div);

    impl Neg for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn neg(self) -> F64x2 {
            F64x2(f64x2_neg(self.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    use core::ops::{Add, BitAnd, Div, Mul, Neg, Sub};

    /// Two f64 lanes as a plain array: the same operations as the SIMD version, lane by lane.
    /// (Written out per lane, without closures: at opt-level "z" those stay calls.)
    #[derive(Clone, Copy)]
    pub struct F64x2([f64; 2]);

    /// A lane-wise comparison result.
    #[derive(Clone, Copy)]
    pub struct Mask2([bool; 2]);

    /// The bits of two f64 lanes as two u64 lanes.
    #[derive(Clone, Copy)]
    pub struct Bits2([u64; 2]);

    impl F64x2 {
        #[inline(always)]
        pub fn splat(value: f64) -> Self {
            F64x2([value; 2])
        }

        #[inline(always)]
        pub fn new(first: f64, second: f64) -> Self {
            F64x2([first, second])
        }

        #[inline(always)]
        pub fn to_array(self) -> [f64; 2] {
            self.0
        }

        #[inline(always)]
        pub fn abs(self) -> Self {
            F64x2([self.0[0].abs(), self.0[1].abs()])
        }

        #[inline(always)]
        pub fn ge(self, other: Self) -> Mask2 {
            Mask2([self.0[0] >= other.0[0], self.0[1] >= other.0[1]])
        }

        #[inline(always)]
        pub fn gt(self, other: Self) -> Mask2 {
            Mask2([self.0[0] > other.0[0], self.0[1] > other.0[1]])
        }

        #[inline(always)]
        pub fn lt(self, other: Self) -> Mask2 {
            Mask2([self.0[0] < other.0[0], self.0[1] < other.0[1]])
        }

        #[inline(always)]
        pub fn to_bits(self) -> Bits2 {
            Bits2([self.0[0].to_bits(), self.0[1].to_bits()])
        }

        /// `table[index[lane]]` in each lane, with `index` from [`Bits2::low_bits`].
        #[inline(always)]
        pub fn gather(table: &[f64], index: [usize; 2]) -> Self {
            F64x2([table[index[0]], table[index[1]]])
        }
    }

    impl Mask2 {
        /// `if_true` where the mask is set, `if_false` elsewhere.
        #[inline(always)]
        pub fn select(self, if_true: F64x2, if_false: F64x2) -> F64x2 {
            let first = if self.0[0] {
                if_true.0[0]
            } else {
                if_false.0[0]
            };
            let second = if self.0[1] {
                if_true.0[1]
            } else {
                if_false.0[1]
            };
            F64x2([first, second])
        }

        #[inline(always)]
        pub fn all(self) -> bool {
            self.0[0] && self.0[1]
        }
    }

    impl BitAnd for Mask2 {
        type Output = Mask2;
        #[inline(always)]
        fn bitand(self, other: Mask2) -> Mask2 {
            Mask2([self.0[0] && other.0[0], self.0[1] && other.0[1]])
        }
    }

    impl BitAnd for Bits2 {
        type Output = Bits2;
        #[inline(always)]
        fn bitand(self, other: Bits2) -> Bits2 {
            Bits2([self.0[0] & other.0[0], self.0[1] & other.0[1]])
        }
    }

    impl Bits2 {
        /// The lowest `count` bits of each lane, as table indices.
        #[inline(always)]
        pub fn low_bits(self, count: u32) -> [usize; 2] {
            let mask = (1u64 << count) - 1;
            [(self.0[0] & mask) as usize, (self.0[1] & mask) as usize]
        }

        #[inline(always)]
        pub fn splat(value: u64) -> Self {
            Bits2([value; 2])
        }

        #[inline(always)]
        pub fn shift_left(self, count: u32) -> Self {
            Bits2([self.0[0] << count, self.0[1] << count])
        }

        /// Lane-wise wrapping addition.
        #[inline(always)]
        pub fn wrapping_add(self, other: Self) -> Self {
            Bits2([
                self.0[0].wrapping_add(other.0[0]),
                self.0[1].wrapping_add(other.0[1]),
            ])
        }

        #[inline(always)]
        pub fn to_f64(self) -> F64x2 {
            F64x2([f64::from_bits(self.0[0]), f64::from_bits(self.0[1])])
        }
    }

    /// Whether every value is finite.
    #[inline]
    pub fn all_finite(values: &[f64]) -> bool {
        values.iter().all(|v| v.is_finite())
    }

    macro_rules! binary {
        ($trait:ident, $method:ident, $op:tt) => {
            impl $trait for F64x2 {
                type Output = F64x2;
                #[inline(always)]
                fn $method(self, other: F64x2) -> F64x2 {
                    F64x2([self.0[0] $op other.0[0], self.0[1] $op other.0[1]])
                }
            }
        };
    }
    binary!(Add, add, +);
    binary!(Sub, sub, -);
    binary!(Mul, mul, *);
    binary!(Div, div, /);

    impl Neg for F64x2 {
        type Output = F64x2;
        #[inline(always)]
        fn neg(self) -> F64x2 {
            F64x2([-self.0[0], -self.0[1]])
        }
    }
}

pub use imp::{all_finite, Bits2, F64x2, Mask2};

/// Whether [`F64x2`] is WebAssembly SIMD in this build.
pub const SIMD: bool = cfg!(all(target_arch = "wasm32", target_feature = "simd128"));

impl F64x2 {
    /// `f` applied to each lane: the way to run a scalar function in lane code.
    #[inline(always)]
    pub fn map(self, f: impl Fn(f64) -> f64) -> Self {
        let [first, second] = self.to_array();
        F64x2::new(f(first), f(second))
    }
}

impl core::fmt::Debug for F64x2 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "F64x2({:?})", self.to_array())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_lane_by_lane() {
        let (x, y) = (F64x2::new(1.5, -2.0), F64x2::new(0.25, 3.0));
        assert_eq!((x + y).to_array(), [1.75, 1.0]);
        assert_eq!((x - y).to_array(), [1.25, -5.0]);
        assert_eq!((x * y).to_array(), [0.375, -6.0]);
        assert_eq!((x / y).to_array(), [6.0, -2.0 / 3.0]);
        assert_eq!((-x).abs().to_array(), [1.5, 2.0]);
        assert_eq!(x.map(|v| v * 10.0).to_array(), [15.0, -20.0]);
    }

    #[test]
    fn comparisons_select_and_treat_nan_as_false() {
        let x = F64x2::new(f64::NAN, 2.0);
        let zero = F64x2::splat(0.0);
        let picked = x.ge(zero).select(F64x2::splat(1.0), F64x2::splat(-1.0));
        assert_eq!(picked.to_array(), [-1.0, 1.0]);
        assert!(!x.gt(zero).all());
        assert!(F64x2::new(-0.0, 0.0).ge(zero).all(), "−0 ≥ 0");
        assert!(!(x.lt(F64x2::splat(3.0)) & x.gt(zero)).all());
    }

    #[test]
    fn bits_round_trip_and_gather() {
        let x = F64x2::new(1.0, -2.5);
        assert_eq!(x.to_bits().to_f64().to_array(), [1.0, -2.5]);
        let two = F64x2::splat(1.0)
            .to_bits()
            .wrapping_add(Bits2::splat(1 << 52))
            .to_f64();
        assert_eq!(two.to_array(), [2.0, 2.0]);
        let bits = F64x2::new(f64::from_bits(5), f64::from_bits(64 + 3)).to_bits();
        assert_eq!(bits.low_bits(6), [5, 3]);
        assert_eq!(
            (bits & Bits2::splat(!63)).shift_left(1).low_bits(8),
            [0, 128]
        );
        let table: Vec<f64> = (0..64).map(f64::from).collect();
        assert_eq!(F64x2::gather(&table, [5, 3]).to_array(), [5.0, 3.0]);
    }
}
