//! GLV on BN254 G1 and G2.
//!
//! **G1**: `φ(x, y) = (β·x, y)` (β a primitive cube root of unity in `Fq`) acts on the
//! order-`r` group as multiplication by `λ`, a root of `λ² + λ + 1 ≡ 0 (mod r)`. A full-width
//! scalar `k` splits as `k ≡ k₁ + λ·k₂ (mod r)` with `|k₁|, |k₂| < 2^129`, so `k·P` becomes two
//! half-width terms `k₁·P + k₂·φ(P)`: half the windows, and so half the bucket reductions and
//! doublings, for twice the points.
//!
//! The split is Babai rounding against the short lattice basis `v₁ = (a₁, b₁)`,
//! `v₂ = (a₂, b₂)` of `{(x, y) : x + λ·y ≡ 0 (mod r)}` (found by the extended Euclidean algorithm
//! on `r` and `λ`; `a₁·b₂ − a₂·b₁ = r`): `c₁ = ⌊k·g₁ / 2^256⌋`, `c₂ = ⌊k·g₂ / 2^256⌋` with
//! `g₁ = ⌊2^256·b₂ / r⌋`, `g₂ = ⌊2^256·(−b₁) / r⌋`, then `k₁ = k − c₁·a₁ − c₂·a₂` and
//! `k₂ = −c₁·b₁ − c₂·b₂`. Each `cᵢ` is the exact rounding minus 0 or 1, so `(k₁, k₂)` is a
//! combination of `v₁, v₂` with coefficients in `[0, 2)`: `|k₁| ≤ 2(a₁ + a₂)`,
//! `|k₂| ≤ 2(|b₁| + b₂)`, both below 2^129. The halves are exact integers computed modulo 2^192
//! (they are far below it), with no division and no big-integer allocation.

//!
//! **G2** (decision 0114): `ψ`, untwist–Frobenius–twist,
//! `ψ(x, y) = (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2))` (`x̄` the conjugate, `ξ = 9 + u` arkworks' twist
//! non-residue), satisfies `ψ² − t·ψ + p = 0`; of the two roots of `X² − tX + p (mod r)`, which
//! are `1` and `p ≡ t − 1 = 6x² (mod r)`, it acts on the order-`r` subgroup as `λ = 6x²`
//! (127 bits; tested against scalar multiplication, with the other root refuted). Off the
//! subgroup it is not `[λ]`, so only bases known to lie in G2 take this path (see
//! `super::msm_g2_subgroup_bigint_with` and `super::CheckedG2Bases`). The lattice of
//! `x + λ·y ≡ 0 (mod r)` has the short basis `v₁ = (λ, −1)`, `v₂ = (a₂, b₂)` (the first two
//! remainders of the extended Euclidean algorithm on `r` and `λ` that fall below 2^128;
//! `λ·b₂ + a₂ = r`), and the same rounding gives halves below 2^128. Every constant below is
//! re-derived from `r`, `p` and `x` in the tests (`snark::msm::tests_g2glv`).

use crate::snark::pkformat::{PSI_X, PSI_Y};
use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::MontFp;

/// β: `φ(x, y) = (β·x, y)` equals `[λ]` on G1 (checked by a test against a scalar
/// multiplication).
const BETA: Fq =
    MontFp!("21888242871839275220042445260109153167277707414472061641714758635765020556616");

/// `r`, the order of G1 and of G2 (little-endian limbs).
const R: [u64; 4] = [
    0x43e1f593f0000001,
    0x2833e84879b97091,
    0xb85045b68181585d,
    0x30644e72e131a029,
];

/// A short basis `v₁ = (a₁, b₁)`, `v₂ = (a₂, b₂)` of `{(x, y) : x + λ·y ≡ 0 (mod r)}` with
/// `a₁, a₂, b₂ ≥ 0 > b₁` and `a₁·b₂ − a₂·b₁ = r`, and its rounding constants.
#[derive(Debug)]
pub(super) struct Lattice {
    /// `⌊2^256 · b₂ / r⌋`.
    pub(super) g1: [u64; 3],
    /// `⌊2^256 · (−b₁) / r⌋`.
    pub(super) g2: [u64; 3],
    /// `a₁`.
    pub(super) a1: u128,
    /// `−b₁`.
    pub(super) nb1: u128,
    /// `a₂`.
    pub(super) a2: u128,
    /// `b₂`.
    pub(super) b2: u128,
}

/// G1's lattice for `λ` a root of `λ² + λ + 1` (`a₁`, `b₂` 127 bits; `a₂ = −b₁` 64 bits).
pub(super) const G1_LATTICE: Lattice = Lattice {
    g1: [0x5398fd0300ff6565, 0x4ccef014a773d2d2, 0x2],
    g2: [0xd91d232ec7e0b3d7, 0x2, 0x0],
    a1: 0x6f4d8248eeb859fc_8211bbeb7d4f1128,
    nb1: 0x89d3256894d213e3,
    a2: 0x89d3256894d213e3,
    b2: 0x6f4d8248eeb859fd_0be4e1541221250b,
};

/// G2's lattice for `λ = 6x²`: `v₁ = (λ, −1)`, `v₂ = (a₂, b₂)` (`a₂` 65 bits, `b₂` 127 bits).
pub(super) const G2_LATTICE: Lattice = Lattice {
    g1: [0x2cb62031c8e01941, 0x4ccef014a773d2d5, 0x2],
    g2: [0x5, 0x0, 0x0],
    a1: 0x6f4d8248eeb859fb_f83e9682e87cfd46,
    nb1: 1,
    a2: 0x1_9d797039be763ba7,
    b2: 0x6f4d8248eeb859fd_95b806bca6f338ef,
};

/// An endomorphism that acts as `[λ]` on the order-`r` group of one curve, and the lattice
/// that splits scalars for that `λ`.
pub(super) struct Glv<P: SWCurveConfig> {
    /// The map (on affine points; the identity maps to itself).
    pub(super) phi: fn(&Affine<P>) -> Affine<P>,
    /// Its lattice.
    pub(super) lattice: &'static Lattice,
}

/// GLV on G1: `φ` and [`G1_LATTICE`] (valid on every G1 point: G1's cofactor is 1).
pub(super) const G1: Glv<ark_bn254::g1::Config> = Glv {
    phi: endomorphism,
    lattice: &G1_LATTICE,
};

/// GLV on G2: `ψ` and [`G2_LATTICE`], valid on the order-`r` subgroup only.
pub(super) const G2: Glv<ark_bn254::g2::Config> = Glv {
    phi: psi,
    lattice: &G2_LATTICE,
};

/// `ψ(x, y) = (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2))`: a point of the twist to a point of the twist;
/// `[λ]` (`λ = 6x²`) on G2 only. The identity maps to itself.
#[inline]
pub(super) fn psi(p: &G2Affine) -> G2Affine {
    if p.infinity {
        return *p;
    }
    let x = Fq2::new(p.x.c0, -p.x.c1) * PSI_X;
    let y = Fq2::new(p.y.c0, -p.y.c1) * PSI_Y;
    G2Affine::new_unchecked(x, y)
}

/// `φ(p) = (β·x, y)`; the identity maps to itself.
#[inline]
pub(super) fn endomorphism(p: &G1Affine) -> G1Affine {
    if p.infinity {
        return *p;
    }
    G1Affine::new_unchecked(p.x * BETA, p.y)
}

/// One half of a split scalar: `negative` tells whether the point must be negated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Half {
    pub(super) negative: bool,
    /// `|kᵢ|`, below 2^129 (limb 3 is zero).
    pub(super) abs: [u64; 4],
}

/// Splits `k` (any 256-bit integer; reduced mod `r` first) into `k ≡ k₁ + λ·k₂ (mod r)` with
/// `|k₁|, |k₂| < 2^129`, for G1's `λ`.
#[cfg(test)]
pub(super) fn decompose(k: &[u64; 4]) -> (Half, Half) {
    decompose_with(k, &G1_LATTICE)
}

/// Splits `k` (any 256-bit integer; reduced mod `r` first) into `k ≡ k₁ + λ·k₂ (mod r)` on
/// `lattice` (`|k₁|, |k₂| < 2^129` for both of ours; below 2^128 for G2's).
pub(super) fn decompose_with(k: &[u64; 4], lattice: &Lattice) -> (Half, Half) {
    let k = reduce(k);
    let c1 = mul_shift_256(&k, &lattice.g1);
    let c2 = mul_shift_256(&k, &lattice.g2);
    // k₁ = k − c₁·a₁ − c₂·a₂ and k₂ = c₁·(−b₁) − c₂·b₂, modulo 2^192.
    let k_low = [k[0], k[1], k[2]];
    let k1 = sub3(
        &sub3(&k_low, &mul128(c1, lattice.a1)),
        &mul128(c2, lattice.a2),
    );
    let k2 = sub3(&mul128(c1, lattice.nb1), &mul128(c2, lattice.b2));
    (half(k1), half(k2))
}

/// `k mod r` for `k < 2^256 < 6r`.
fn reduce(k: &[u64; 4]) -> [u64; 4] {
    let mut k = *k;
    while !less_than(&k, &R) {
        let mut borrow = false;
        for (x, r) in k.iter_mut().zip(R) {
            let (d, b1) = x.overflowing_sub(r);
            let (d, b2) = d.overflowing_sub(borrow as u64);
            *x = d;
            borrow = b1 || b2;
        }
    }
    k
}

fn less_than(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `⌊k·g / 2^256⌋`, which is below 2^128 for `k < r` and `g < 2^130`.
fn mul_shift_256(k: &[u64; 4], g: &[u64; 3]) -> u128 {
    let mut t = [0u64; 7];
    for (i, &ki) in k.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &gj) in g.iter().enumerate() {
            if let Some(slot) = t.get_mut(i + j) {
                let v = (ki as u128) * (gj as u128) + (*slot as u128) + carry;
                *slot = v as u64;
                carry = v >> 64;
            }
        }
        if let Some(slot) = t.get_mut(i + g.len()) {
            *slot = carry as u64;
        }
    }
    (t[4] as u128) | ((t[5] as u128) << 64)
}

/// `x·y mod 2^192`.
fn mul128(x: u128, y: u128) -> [u64; 3] {
    let (x0, x1) = (x as u64 as u128, (x >> 64) as u64 as u128);
    let (y0, y1) = (y as u64 as u128, (y >> 64) as u64 as u128);
    let p00 = x0 * y0;
    let p01 = x0 * y1;
    let p10 = x1 * y0;
    let p11 = x1 * y1;
    let l0 = p00 as u64;
    let mid = (p00 >> 64) + (p01 as u64 as u128) + (p10 as u64 as u128);
    let l1 = mid as u64;
    let l2 = ((mid >> 64) + (p01 >> 64) + (p10 >> 64) + p11) as u64;
    [l0, l1, l2]
}

/// `a − b mod 2^192`.
fn sub3(a: &[u64; 3], b: &[u64; 3]) -> [u64; 3] {
    let mut out = [0u64; 3];
    let mut borrow = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (d, b1) = x.overflowing_sub(*y);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        *o = d;
        borrow = b1 || b2;
    }
    out
}

/// The sign and magnitude of a small two's-complement value modulo 2^192.
fn half(v: [u64; 3]) -> Half {
    let negative = v[2] >> 63 == 1;
    let abs = if negative { sub3(&[0, 0, 0], &v) } else { v };
    Half {
        negative,
        abs: [abs[0], abs[1], abs[2], 0],
    }
}
