//! The wasm32 Montgomery multiplication of BN254's Fq and Fr (vendor/ark-ff-macros, decision
//! 0103) against arkworks' upstream code, on the host: the 32-bit-word functions are generated
//! on every target (hidden inherent functions of the field configs), `mul_assign`,
//! `square_in_place` and `sum_of_products` call them on wasm32 only. Values must agree bit for
//! bit (same Montgomery form, same stored limbs), canonical or not, wherever upstream's
//! algorithm does not overflow (operand `a` below `2^256 - p`, `b` anything).

use ark_bn254::{Fq, FqConfig, Fr, FrConfig};
use ark_ff::{AdditiveGroup, BigInt, BigInteger, Field, MontConfig, PrimeField, UniformRand};
use ark_std::rand::{rngs::StdRng, Rng, SeedableRng};

/// `m - x` for 256-bit values (`x <= m`).
fn sub(m: BigInt<4>, x: BigInt<4>) -> BigInt<4> {
    let mut r = m;
    let borrow = r.sub_with_borrow(&x);
    assert!(!borrow);
    r
}

fn add(a: BigInt<4>, b: BigInt<4>) -> BigInt<4> {
    let mut r = a;
    let carry = r.add_with_carry(&b);
    assert!(!carry);
    r
}

macro_rules! field_cases {
    ($name:ident, $F:ty, $C:ty) => {
        mod $name {
            use super::*;

            type F = $F;
            const P: BigInt<4> = <$C as MontConfig<4>>::MODULUS;

            fn mul32(a: &F, b: &F) -> F {
                <$C>::__causeway_mul_u32(a, b)
            }
            fn mul64(a: &F, b: &F) -> F {
                let mut r = *a;
                <$C>::__causeway_mul_u64(&mut r, b);
                r
            }
            fn square64(a: &F) -> F {
                let mut r = *a;
                <$C>::__causeway_square_u64(&mut r);
                r
            }

            /// `2^256 - p`: operands `a` below it never overflow upstream's accumulators.
            fn a_bound() -> BigInt<4> {
                let mut r = BigInt::new([u64::MAX; 4]);
                r = sub(r, P);
                add(r, BigInt::from(1u64))
            }

            fn edge_values() -> Vec<BigInt<4>> {
                let one = BigInt::from(1u64);
                let r_mod_p = <$C as MontConfig<4>>::R;
                let r2 = <$C as MontConfig<4>>::R2;
                let mut v = vec![
                    BigInt::from(0u64),
                    one,
                    BigInt::from(2u64),
                    BigInt::from(u32::MAX as u64),
                    BigInt::from(1u64 << 32),
                    BigInt::from(u64::MAX),
                    BigInt::new([0, 1, 0, 0]),
                    BigInt::new([u64::MAX, u64::MAX, u64::MAX, 0]),
                    BigInt::new([0xffff_ffff_0000_0000, 0, 0xffff_ffff, 0]),
                    sub(P, one),
                    sub(P, BigInt::from(2u64)),
                    sub(P, BigInt::from(u32::MAX as u64)),
                    r_mod_p,
                    r2,
                    sub(P, r_mod_p),
                    P.divide_by_2_round_down_copy(),
                ];
                // the top 32-bit word of p, and every word of p one below / above
                for limb in 0..4 {
                    for shift in [0u32, 32] {
                        let mut x = sub(P, one);
                        x.0[limb] ^= 1u64 << shift;
                        if x < P {
                            v.push(x);
                        }
                    }
                }
                v
            }

            /// Non-canonical values upstream accepts without overflow (as operand `a`).
            fn unreduced_values() -> Vec<BigInt<4>> {
                let one = BigInt::from(1u64);
                let bound = a_bound();
                vec![
                    P,
                    add(P, one),
                    add(sub(P, one), P),
                    sub(bound, one),
                    sub(bound, BigInt::from(u32::MAX as u64)),
                ]
            }

            trait Copy2 {
                fn divide_by_2_round_down_copy(&self) -> Self;
            }
            impl Copy2 for BigInt<4> {
                fn divide_by_2_round_down_copy(&self) -> Self {
                    let mut x = *self;
                    x.div2();
                    x
                }
            }

            fn assert_same(a: BigInt<4>, b: BigInt<4>) {
                let (fa, fb) = (F::new_unchecked(a), F::new_unchecked(b));
                let (x, y) = (mul32(&fa, &fb), mul64(&fa, &fb));
                assert_eq!(x.0, y.0, "mul of {a:?} and {b:?}");
            }

            #[test]
            fn edge_values_agree_with_upstream() {
                let vals = edge_values();
                for &a in &vals {
                    for &b in &vals {
                        assert_same(a, b);
                    }
                    let fa = F::new_unchecked(a);
                    assert_eq!(mul32(&fa, &fa).0, square64(&fa).0, "square of {a:?}");
                }
            }

            #[test]
            fn unreduced_operands_agree_with_upstream() {
                let mut rng = StdRng::seed_from_u64(0x5eed_0103);
                let mut bs = edge_values();
                bs.extend(unreduced_values());
                bs.push(BigInt::new([u64::MAX; 4]));
                for _ in 0..64 {
                    bs.push(BigInt::new(rng.gen()));
                }
                for &a in &unreduced_values() {
                    for &b in &bs {
                        assert_same(a, b);
                    }
                    let fa = F::new_unchecked(a);
                    assert_eq!(mul32(&fa, &fa).0, square64(&fa).0, "square of {a:?}");
                }
                // random a below 2^256 - p, random b anywhere below 2^256
                let bound = a_bound();
                let mut n = 0;
                while n < 20_000 {
                    let a = BigInt::new(rng.gen());
                    if a >= bound {
                        continue;
                    }
                    assert_same(a, BigInt::new(rng.gen()));
                    n += 1;
                }
            }

            #[test]
            fn random_values_agree_with_upstream_and_the_field() {
                let mut rng = StdRng::seed_from_u64(0x5eed_0104);
                for _ in 0..100_000 {
                    let (a, b) = (F::rand(&mut rng), F::rand(&mut rng));
                    let x = mul32(&a, &b);
                    assert_eq!(x.0, mul64(&a, &b).0);
                    assert_eq!(x, a * b);
                    assert_eq!(mul32(&a, &a).0, square64(&a).0);
                    assert_eq!(mul32(&a, &a), a.square());
                }
                // a chain: each output is the next input (errors would compound)
                let (mut x, mut y) = (F::rand(&mut rng), F::rand(&mut rng));
                let mut z = x;
                for _ in 0..100_000 {
                    x = mul32(&x, &y);
                    z *= y;
                    y = mul32(&y, &y);
                }
                assert_eq!(x, z);
            }

            #[test]
            fn wrong_results_are_caught() {
                // the comparison above is not vacuous: a changed bit in an operand changes the
                // product, and the u32 result is reduced (below p)
                let mut rng = StdRng::seed_from_u64(7);
                let (a, b) = (F::rand(&mut rng), F::rand(&mut rng));
                let mut a2 = a;
                a2.0 .0[0] ^= 1;
                assert_ne!(mul32(&a2, &b), mul32(&a, &b));
                assert!(mul32(&a, &b).0 < P);
                assert_eq!(mul32(&F::ONE, &b), b);
                assert_eq!(mul32(&F::ZERO, &b), F::ZERO);
            }
        }
    };
}

field_cases!(fq, Fq, FqConfig);
field_cases!(fr, Fr, FrConfig);

/// The two-product sum (Fq2 multiplication's kernel) against upstream's fused path and the
/// field, on canonical values and on the edges.
#[test]
fn sum_of_two_products_agrees_with_upstream() {
    let mut rng = StdRng::seed_from_u64(0x5eed_0002);
    let p = <FqConfig as MontConfig<4>>::MODULUS;
    let pm1 = Fq::new_unchecked(sub(p, BigInt::from(1u64)));
    let edges = [
        Fq::ZERO,
        Fq::ONE,
        -Fq::ONE,
        pm1,
        Fq::new_unchecked(BigInt::from(1u64)),
    ];
    let mut cases: Vec<[Fq; 4]> = Vec::new();
    for &a in &edges {
        for &b in &edges {
            cases.push([a, b, a, b]);
            cases.push([a, a, b, b]);
            cases.push([pm1, a, pm1, b]);
        }
    }
    for _ in 0..50_000 {
        cases.push([0; 4].map(|_| Fq::rand(&mut rng)));
    }
    for [a0, a1, b0, b1] in cases {
        let ours = FqConfig::__causeway_sop2_u32(&[a0, a1], &[b0, b1]);
        let upstream = FqConfig::__causeway_sop_u64(&[a0, a1], &[b0, b1]);
        assert_eq!(ours.0, upstream.0);
        assert_eq!(ours, a0 * b0 + a1 * b1);
        let ours_r = FrConfig::__causeway_sop2_u32(
            &[Fr::from_bigint(a0.0).unwrap_or(Fr::ONE), Fr::from(7u64)],
            &[Fr::from(3u64), Fr::from_bigint(b1.0).unwrap_or(Fr::ZERO)],
        );
        let up_r = FrConfig::__causeway_sop_u64(
            &[Fr::from_bigint(a0.0).unwrap_or(Fr::ONE), Fr::from(7u64)],
            &[Fr::from(3u64), Fr::from_bigint(b1.0).unwrap_or(Fr::ZERO)],
        );
        assert_eq!(ours_r.0, up_r.0);
    }
}
