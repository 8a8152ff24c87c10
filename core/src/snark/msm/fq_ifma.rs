//! Eight BN254 `Fq` multiplications at once with AVX-512 IFMA (decision 0127), for the batch of
//! independent affine additions that the MSM's bucket accumulation applies with one inversion.
//!
//! An element is held in five 52-bit limbs (radix 2^52, 260 bits), and eight elements side by
//! side in five 512-bit vectors, limb `j` of lane `l` in lane `l` of vector `j`.
//! `VPMADD52LUQ`/`VPMADD52HUQ` add the low and high 52 bits of eight 52 × 52-bit products to
//! eight 64-bit accumulators, so a 5 × 5-limb product is 50 such instructions for eight
//! multiplications, where the scalar MULX code spends ≈ 16 MULX and ≈ 60 more instructions on
//! one.
//!
//! The Montgomery radix stays arkworks' `R = 2^256` (not the `2^260` five 52-bit rounds would
//! give): four reduction rounds of 52 bits and a last one of 48. So an `Fq`'s Montgomery limbs
//! are repacked from 4 × 64 to 5 × 52 bits without any multiplication, and the results are
//! arkworks' canonical representatives, bit for bit (differential tests in `tests_fq.rs`).
//! Between operations an element is only kept below `2p` (lazy reduction: Montgomery
//! multiplication with `R = 2^256 > 4p` maps inputs below `2p` to an output below `2p`); the
//! values leaving the kernel are reduced below `p`.
//!
//! [`Ifma::detect`] checks AVX-512F and AVX-512 IFMA once per process and hands out a
//! zero-sized token; only the token's safe methods reach the `#[target_feature]` code.
//! `CAUSEWAY_MSM_AVX512=0` in the environment turns the path off.

#![allow(unsafe_code)]

use super::hot::HotField;
use ark_bn254::{Fq, Fq2, FqConfig};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::{AdditiveGroup, BigInt, Field, MontConfig};
use core::arch::x86_64::{
    __m512i, __mmask8, _mm512_add_epi64, _mm512_and_si512, _mm512_cmpeq_epi64_mask,
    _mm512_loadu_si512, _mm512_madd52hi_epu64, _mm512_madd52lo_epu64, _mm512_mask_blend_epi64,
    _mm512_mask_i64gather_epi64, _mm512_mask_i64scatter_epi64, _mm512_or_si512, _mm512_set1_epi64,
    _mm512_setzero_si512, _mm512_slli_epi64, _mm512_srai_epi64, _mm512_srli_epi64,
    _mm512_storeu_si512, _mm512_sub_epi64, _mm512_test_epi64_mask,
};
use std::sync::atomic::{AtomicU8, Ordering};

/// Lanes per vector.
pub(super) const LANES: usize = 8;

const MASK52: u64 = (1 << 52) - 1;
const MASK48: u64 = (1 << 48) - 1;

/// `p` in 52-bit limbs.
const P52: [u64; 5] = to52(<FqConfig as MontConfig<4>>::MODULUS.0);
/// `2p` in 52-bit limbs (`2p < 2^255`).
const P2_52: [u64; 5] = {
    let p = <FqConfig as MontConfig<4>>::MODULUS.0;
    to52([
        p[0] << 1,
        (p[1] << 1) | (p[0] >> 63),
        (p[2] << 1) | (p[1] >> 63),
        (p[3] << 1) | (p[2] >> 63),
    ])
};
/// `−p⁻¹ mod 2^52` (the low bits of arkworks' `−p⁻¹ mod 2^64`).
const PINV52: u64 = <FqConfig as MontConfig<4>>::INV & MASK52;
/// `R mod p`, Montgomery's one, in 52-bit limbs.
const ONE52: [u64; 5] = to52(<FqConfig as MontConfig<4>>::R.0);

/// Four 64-bit limbs (a value below `2^256`) as five 52-bit limbs.
const fn to52(x: [u64; 4]) -> [u64; 5] {
    [
        x[0] & MASK52,
        ((x[0] >> 52) | (x[1] << 12)) & MASK52,
        ((x[1] >> 40) | (x[2] << 24)) & MASK52,
        ((x[2] >> 28) | (x[3] << 36)) & MASK52,
        x[3] >> 16,
    ]
}

/// Five 52-bit limbs of a value below `2^256` as four 64-bit limbs.
const fn from52(l: [u64; 5]) -> [u64; 4] {
    [
        l[0] | (l[1] << 52),
        (l[1] >> 12) | (l[2] << 40),
        (l[2] >> 24) | (l[3] << 28),
        (l[3] >> 36) | (l[4] << 16),
    ]
}

/// 0: not yet detected; 1: no AVX-512 IFMA; 2: present.
static DETECTED: AtomicU8 = AtomicU8::new(0);

/// Proof that this CPU has AVX-512F and AVX-512 IFMA: only [`Ifma::detect`] makes one.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ifma(());

impl Ifma {
    /// The token when this CPU has AVX-512F and AVX-512 IFMA; detected once per process.
    #[inline(always)]
    pub(super) fn detect() -> Option<Ifma> {
        let yes = match DETECTED.load(Ordering::Relaxed) {
            2 => true,
            1 => false,
            _ => detect(),
        };
        yes.then_some(Ifma(()))
    }

    /// Applies a batch of independent affine additions with one field inversion: for each
    /// `i`, `acc[idx[i]] ← acc[idx[i]] + pts[i]`, where `den[i]` is the slope's denominator the
    /// bucket scheduler computed (`p.x − a.x`, or `2a.y` for a doubling, which is recognised by
    /// `a.x == p.x`). For a right answer the caller guarantees what the scheduler does: no two
    /// `idx` equal, every `acc[idx[i]]` and `pts[i]` finite, every `den[i]` non-zero, no
    /// cancellation (`p ≠ −a`); none of these is needed for memory safety.
    /// Returns `false`, having changed nothing, when the lengths differ, an index is out of
    /// range, or a lane's product of denominators is not invertible.
    pub(super) fn add_batch<P: SWCurveConfig>(
        self,
        acc: &mut [Affine<P>],
        idx: &[u32],
        pts: &[Affine<P>],
        den: &[P::BaseField],
        scratch: &mut Scratch,
    ) -> bool
    where
        P::BaseField: LaneField + HotField,
    {
        if idx.len() != pts.len() || idx.len() != den.len() {
            return false;
        }
        if idx.iter().any(|&k| k as usize >= acc.len()) {
            return false;
        }
        let (den_buf, pre_buf) = P::BaseField::buffers(scratch);
        // SAFETY: an `Ifma` exists only when `detect` found AVX-512F and AVX-512 IFMA; the
        // lengths and indices were checked above (what `add_batch` requires).
        unsafe {
            add_batch::<P, <P::BaseField as LaneField>::L>(acc, idx, pts, den, den_buf, pre_buf)
        }
    }

    /// `a · b` for eight pairs at once on the lanes (tests of the vector arithmetic: `Fq`
    /// and `Fq2`).
    #[cfg(test)]
    pub(super) fn mul8<F: LaneField>(self, a: &[F; LANES], b: &[F; LANES]) -> [F; LANES] {
        // SAFETY: as in `add_batch`.
        unsafe { mul8::<F::L>(a, b) }
    }
}

/// Setting this environment variable to `0` turns the vector path off for the process (read
/// once, at the first MSM): for A/B measurements, and a way out should a CPU or hypervisor
/// misreport AVX-512.
pub(super) const ENV_SWITCH: &str = "CAUSEWAY_MSM_AVX512";

#[cold]
fn detect() -> bool {
    let off = std::env::var_os(ENV_SWITCH).is_some_and(|v| v == "0");
    let yes = !off
        && std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512ifma");
    DETECTED.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
    yes
}

/// Eight elements, limb-major: `v[j]` holds limb `j` of every lane.
type E = [__m512i; 5];

/// Working memory of [`Ifma::add_batch`], kept by the caller between batches: per group of
/// eight additions, the denominators and the running products (for `Fq` and for `Fq2`).
#[derive(Default)]
pub(super) struct Scratch {
    den1: Vec<L1>,
    pre1: Vec<L1>,
    den2: Vec<L2>,
    pre2: Vec<L2>,
}

/// Loads eight elements' limbs (limb-major, as stored in [`Scratch`]).
#[inline]
#[target_feature(enable = "avx512f")]
fn load(x: &[[u64; LANES]; 5]) -> E {
    // SAFETY: each row is 8 × 8 = 64 readable bytes; unaligned loads.
    unsafe {
        [
            _mm512_loadu_si512(x[0].as_ptr().cast()),
            _mm512_loadu_si512(x[1].as_ptr().cast()),
            _mm512_loadu_si512(x[2].as_ptr().cast()),
            _mm512_loadu_si512(x[3].as_ptr().cast()),
            _mm512_loadu_si512(x[4].as_ptr().cast()),
        ]
    }
}

/// Stores eight elements' limbs, limb-major.
#[inline]
#[target_feature(enable = "avx512f")]
fn store(v: &E) -> [[u64; LANES]; 5] {
    let mut out = [[0u64; LANES]; 5];
    for (row, x) in out.iter_mut().zip(v) {
        // SAFETY: each row is 64 writable bytes; an unaligned store.
        unsafe { _mm512_storeu_si512(row.as_mut_ptr().cast(), *x) };
    }
    out
}

/// Transposes eight `Fq` into limb-major 52-bit rows; lanes past `xs.len()` get `pad`.
#[inline(always)]
fn pack(xs: impl Iterator<Item = Fq>, pad: [u64; 5]) -> [[u64; LANES]; 5] {
    let mut rows = pad.map(|v| [v; LANES]);
    for (lane, x) in xs.take(LANES).enumerate() {
        for (row, v) in rows.iter_mut().zip(to52(x.0 .0)) {
            if let Some(slot) = row.get_mut(lane) {
                *slot = v;
            }
        }
    }
    rows
}

/// Lane `lane` of limb-major rows as an `Fq` (the value must be below `p`).
#[inline(always)]
fn unpack(rows: &[[u64; LANES]; 5], lane: usize) -> Fq {
    let l = rows.map(|row| row.get(lane).copied().unwrap_or(0));
    Fq::new_unchecked(BigInt(from52(l)))
}

/// The same element in every lane.
#[inline]
#[target_feature(enable = "avx512f")]
fn splat(x: [u64; 5]) -> E {
    [
        _mm512_set1_epi64(x[0] as i64),
        _mm512_set1_epi64(x[1] as i64),
        _mm512_set1_epi64(x[2] as i64),
        _mm512_set1_epi64(x[3] as i64),
        _mm512_set1_epi64(x[4] as i64),
    ]
}

/// Montgomery multiplication `a · b · 2^−256 mod p` of eight pairs. Inputs: limbs below `2^52`,
/// values below `2p`; output: limbs below `2^52`, value below `2p`.
#[allow(clippy::indexing_slicing)] // fixed-size arrays and constant loop bounds: in range
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn mul(a: &E, b: &E) -> E {
    let z = _mm512_setzero_si512();
    let m52 = _mm512_set1_epi64(MASK52 as i64);
    let p = [
        _mm512_set1_epi64(P52[0] as i64),
        _mm512_set1_epi64(P52[1] as i64),
        _mm512_set1_epi64(P52[2] as i64),
        _mm512_set1_epi64(P52[3] as i64),
        _mm512_set1_epi64(P52[4] as i64),
    ];
    let pinv = _mm512_set1_epi64(PINV52 as i64);
    let mut t = [z; 11];
    // The full product: t[k] collects the low halves of a_i·b_j with i + j = k and the high
    // halves with i + j = k − 1 (each below 2^52; ten of them stay far below 2^64).
    for i in 0..5 {
        for j in 0..5 {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], a[i], b[j]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], a[i], b[j]);
        }
    }
    // Four rounds clear 52 bits each: m = t_i·(−p⁻¹) mod 2^52 makes t_i + m·p_0 ≡ 0, and t_i's
    // carry moves up.
    for i in 0..4 {
        let m = _mm512_madd52lo_epu64(z, t[i], pinv);
        for j in 0..5 {
            t[i + j] = _mm512_madd52lo_epu64(t[i + j], m, p[j]);
            t[i + j + 1] = _mm512_madd52hi_epu64(t[i + j + 1], m, p[j]);
        }
        t[i + 1] = _mm512_add_epi64(t[i + 1], _mm512_srli_epi64::<52>(t[i]));
    }
    // The fifth clears 48 bits: 4 · 52 + 48 = 256.
    let m = _mm512_and_si512(
        _mm512_madd52lo_epu64(z, t[4], pinv),
        _mm512_set1_epi64(MASK48 as i64),
    );
    for j in 0..5 {
        t[4 + j] = _mm512_madd52lo_epu64(t[4 + j], m, p[j]);
        t[5 + j] = _mm512_madd52hi_epu64(t[5 + j], m, p[j]);
    }
    // Carry t[4..10] into 52-bit limbs, then shift the whole right by 48 bits.
    for j in 4..9 {
        t[j + 1] = _mm512_add_epi64(t[j + 1], _mm512_srli_epi64::<52>(t[j]));
        t[j] = _mm512_and_si512(t[j], m52);
    }
    let mut r = [z; 5];
    for (k, rk) in r.iter_mut().enumerate() {
        *rk = _mm512_or_si512(
            _mm512_srli_epi64::<48>(t[4 + k]),
            _mm512_and_si512(_mm512_slli_epi64::<4>(t[5 + k]), m52),
        );
    }
    r
}

/// Signed limbs (each `|x| < 2^62`) of a non-negative value carried into 52-bit limbs.
#[allow(clippy::indexing_slicing)] // fixed-size arrays and constant loop bounds: in range
#[inline]
#[target_feature(enable = "avx512f")]
fn carry_signed(mut x: E) -> E {
    let m52 = _mm512_set1_epi64(MASK52 as i64);
    for j in 0..4 {
        let c = _mm512_srai_epi64::<52>(x[j]);
        x[j] = _mm512_and_si512(x[j], m52);
        x[j + 1] = _mm512_add_epi64(x[j + 1], c);
    }
    x
}

/// `x − m` where that is not negative, else `x` (per lane); `x` and `m` in 52-bit limbs.
#[allow(clippy::indexing_slicing)] // fixed-size arrays and constant loop bounds: in range
#[inline]
#[target_feature(enable = "avx512f")]
fn sub_if_ge(x: &E, m: &E) -> E {
    let m52 = _mm512_set1_epi64(MASK52 as i64);
    let z = _mm512_setzero_si512();
    let mut d = [z; 5];
    let mut borrow = z;
    for j in 0..5 {
        let t = _mm512_sub_epi64(_mm512_sub_epi64(x[j], m[j]), borrow);
        d[j] = _mm512_and_si512(t, m52);
        borrow = _mm512_srli_epi64::<63>(t);
    }
    // Lanes that borrowed out of the top limb (x < m) keep x.
    let keep = _mm512_test_epi64_mask(borrow, borrow);
    let mut out = [z; 5];
    for j in 0..5 {
        out[j] = _mm512_mask_blend_epi64(keep, d[j], x[j]);
    }
    out
}

/// `a + b − c − d` limb by limb (signed, not carried).
#[allow(clippy::indexing_slicing)] // fixed-size arrays and constant loop bounds: in range
#[inline]
#[target_feature(enable = "avx512f")]
fn add_sub2(a: &E, b: &E, c: &E, d: &E) -> E {
    let mut out = *a;
    for j in 0..5 {
        out[j] = _mm512_sub_epi64(_mm512_sub_epi64(_mm512_add_epi64(a[j], b[j]), c[j]), d[j]);
    }
    out
}

/// Offset of the limbs inside an `Fq`.
fn fq_limbs() -> usize {
    core::mem::offset_of!(Fq, 0) + core::mem::offset_of!(BigInt<4>, 0)
}

/// A base field whose batches ride the lanes: `Fq` (G1) and `Fq2` (G2).
pub(super) trait LaneField: Field {
    /// Eight elements on the lanes.
    type L: Lanes<F = Self>;
    /// This field's buffers in [`Scratch`]: denominators and running products.
    fn buffers(s: &mut Scratch) -> (&mut Vec<Self::L>, &mut Vec<Self::L>);
}

impl LaneField for Fq {
    type L = L1;
    fn buffers(s: &mut Scratch) -> (&mut Vec<L1>, &mut Vec<L1>) {
        (&mut s.den1, &mut s.pre1)
    }
}

impl LaneField for Fq2 {
    type L = L2;
    fn buffers(s: &mut Scratch) -> (&mut Vec<L2>, &mut Vec<L2>) {
        (&mut s.den2, &mut s.pre2)
    }
}

/// Eight `Fq` on the lanes.
#[derive(Clone, Copy)]
pub(super) struct L1(E);

/// Eight `Fq2 = Fq[u]/(u² + 1)` on the lanes: `c0` and `c1`.
#[derive(Clone, Copy)]
pub(super) struct L2(E, E);

/// Eight elements of a [`LaneField`] on the lanes; values between operations are below `2p`
/// per `Fq` component, limbs below `2^52`.
///
/// Every method is an `unsafe fn` only because it is compiled for AVX-512F and IFMA (a safe
/// trait method cannot be): the caller must be on such a CPU. `gather` and `scatter` also
/// have the memory contracts of the free functions of the same names.
pub(super) trait Lanes: Copy {
    /// The field.
    type F: Field;
    /// `x` in every lane.
    unsafe fn splat(x: &Self::F) -> Self;
    /// Eight elements, one per lane.
    unsafe fn from_lanes(x: &[Self::F; LANES]) -> Self;
    /// The lanes' elements (values must be below `p`: see [`Lanes::canonical`]).
    unsafe fn to_lanes(&self) -> [Self::F; LANES];
    /// Reads eight elements at `base + off[l]` (lanes in `mask`; the others get `pad`).
    unsafe fn gather(base: *const u8, off: __m512i, mask: __mmask8, pad: &Self::F) -> Self;
    /// Writes eight canonical elements to `base + off[l]` for the lanes in `mask`.
    unsafe fn scatter(&self, base: *mut u8, off: __m512i, mask: __mmask8);
    /// `self · b`.
    unsafe fn mul(&self, b: &Self) -> Self;
    /// `self − b`.
    unsafe fn sub(&self, b: &Self) -> Self;
    /// The same values, reduced below `p`.
    unsafe fn canonical(&self) -> Self;
    /// Lanes whose elements are equal (canonical inputs).
    unsafe fn eq_mask(&self, b: &Self) -> __mmask8;
}

/// `a + b` (inputs below `2p`), below `2p`.
#[inline]
#[target_feature(enable = "avx512f")]
fn add_lazy(a: &E, b: &E) -> E {
    let z = [_mm512_setzero_si512(); 5];
    sub_if_ge(&carry_signed(add_sub2(a, b, &z, &z)), &splat(P2_52))
}

/// `a − b` (inputs below `2p`): `a + 2p − b ∈ (0, 4p)`, below `2p`.
#[inline]
#[target_feature(enable = "avx512f")]
fn sub_lazy(a: &E, b: &E) -> E {
    let p2 = splat(P2_52);
    let z = [_mm512_setzero_si512(); 5];
    sub_if_ge(&carry_signed(add_sub2(a, &p2, b, &z)), &p2)
}

/// Lanes where every limb of `a` equals `b`'s.
#[inline]
#[target_feature(enable = "avx512f")]
fn eq_limbs(a: &E, b: &E) -> __mmask8 {
    a.iter()
        .zip(b)
        .fold(0xff, |m, (x, y)| m & _mm512_cmpeq_epi64_mask(*x, *y))
}

impl Lanes for L1 {
    type F = Fq;
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn splat(x: &Fq) -> Self {
        L1(splat(to52(x.0 .0)))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn from_lanes(x: &[Fq; LANES]) -> Self {
        L1(load(&pack(x.iter().copied(), ONE52)))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn to_lanes(&self) -> [Fq; LANES] {
        let rows = store(&self.0);
        core::array::from_fn(|lane| unpack(&rows, lane))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn gather(base: *const u8, off: __m512i, mask: __mmask8, pad: &Fq) -> Self {
        let off = _mm512_add_epi64(off, _mm512_set1_epi64(fq_limbs() as i64));
        // SAFETY: the caller's contract, for the `Fq` at each lane's offset.
        L1(unsafe { gather(base, off, mask, pad.0 .0) })
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn scatter(&self, base: *mut u8, off: __m512i, mask: __mmask8) {
        let off = _mm512_add_epi64(off, _mm512_set1_epi64(fq_limbs() as i64));
        // SAFETY: the caller's contract.
        unsafe { scatter(base, off, mask, &self.0) }
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn mul(&self, b: &Self) -> Self {
        L1(mul(&self.0, &b.0))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn sub(&self, b: &Self) -> Self {
        L1(sub_lazy(&self.0, &b.0))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn canonical(&self) -> Self {
        L1(sub_if_ge(&self.0, &splat(P52)))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn eq_mask(&self, b: &Self) -> __mmask8 {
        eq_limbs(&self.0, &b.0)
    }
}

/// Byte offsets of `Fq2`'s components.
fn fq2_parts() -> [usize; 2] {
    [
        core::mem::offset_of!(Fq2, c0),
        core::mem::offset_of!(Fq2, c1),
    ]
}

impl Lanes for L2 {
    type F = Fq2;
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn splat(x: &Fq2) -> Self {
        L2(splat(to52(x.c0.0 .0)), splat(to52(x.c1.0 .0)))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn from_lanes(x: &[Fq2; LANES]) -> Self {
        L2(
            load(&pack(x.iter().map(|e| e.c0), ONE52)),
            load(&pack(x.iter().map(|e| e.c1), [0; 5])),
        )
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn to_lanes(&self) -> [Fq2; LANES] {
        let (r0, r1) = (store(&self.0), store(&self.1));
        core::array::from_fn(|lane| Fq2::new(unpack(&r0, lane), unpack(&r1, lane)))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn gather(base: *const u8, off: __m512i, mask: __mmask8, pad: &Fq2) -> Self {
        let [c0, c1] = fq2_parts();
        let at = |c: usize| _mm512_add_epi64(off, _mm512_set1_epi64((c + fq_limbs()) as i64));
        // SAFETY: the caller's contract, for both components of the `Fq2` at each offset.
        unsafe {
            L2(
                gather(base, at(c0), mask, pad.c0.0 .0),
                gather(base, at(c1), mask, pad.c1.0 .0),
            )
        }
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn scatter(&self, base: *mut u8, off: __m512i, mask: __mmask8) {
        let [c0, c1] = fq2_parts();
        let at = |c: usize| _mm512_add_epi64(off, _mm512_set1_epi64((c + fq_limbs()) as i64));
        // SAFETY: the caller's contract.
        unsafe {
            scatter(base, at(c0), mask, &self.0);
            scatter(base, at(c1), mask, &self.1);
        }
    }
    /// Karatsuba: `(a₀b₀ − a₁b₁) + ((a₀ + a₁)(b₀ + b₁) − a₀b₀ − a₁b₁)u`, three multiplications.
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn mul(&self, b: &Self) -> Self {
        let v0 = mul(&self.0, &b.0);
        let v1 = mul(&self.1, &b.1);
        let s = mul(&add_lazy(&self.0, &self.1), &add_lazy(&b.0, &b.1));
        L2(sub_lazy(&v0, &v1), sub_lazy(&sub_lazy(&s, &v0), &v1))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn sub(&self, b: &Self) -> Self {
        L2(sub_lazy(&self.0, &b.0), sub_lazy(&self.1, &b.1))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn canonical(&self) -> Self {
        let p = splat(P52);
        L2(sub_if_ge(&self.0, &p), sub_if_ge(&self.1, &p))
    }
    #[inline]
    #[target_feature(enable = "avx512f,avx512ifma")]
    unsafe fn eq_mask(&self, b: &Self) -> __mmask8 {
        eq_limbs(&self.0, &b.0) & eq_limbs(&self.1, &b.1)
    }
}

/// The lanes of a group of `len ≤ 8` elements.
#[inline(always)]
fn lanes(len: usize) -> __mmask8 {
    ((1u16 << len.min(LANES)) - 1) as __mmask8
}

/// Eight `Fq` read from `base + off[l]` (byte offsets of their limbs) for the lanes in `mask`
/// (the others get `pad`), as 52-bit limbs.
///
/// # Safety
///
/// AVX-512F; for every lane in `mask`, `base + off[l] .. + 32` is readable memory holding an
/// `Fq`'s limbs.
#[allow(clippy::indexing_slicing)] // fixed-size arrays and constant loop bounds: in range
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn gather(base: *const u8, off: __m512i, mask: __mmask8, pad: [u64; 4]) -> E {
    let mut v = [_mm512_setzero_si512(); 4];
    for (j, vj) in v.iter_mut().enumerate() {
        let o = _mm512_add_epi64(off, _mm512_set1_epi64(8 * j as i64));
        // SAFETY: the caller's contract, limb j of each lane's element.
        *vj = unsafe {
            _mm512_mask_i64gather_epi64::<1>(_mm512_set1_epi64(pad[j] as i64), mask, o, base.cast())
        };
    }
    to52v(&v)
}

/// Writes eight `Fq` (52-bit limbs, below `p`) to `base + off[l]` for the lanes in `mask`.
///
/// # Safety
///
/// AVX-512F; for every lane in `mask`, `base + off[l] .. + 32` is writable memory holding an
/// `Fq`'s limbs. Lanes whose ranges coincide are written in lane order (well defined; the
/// callers never ask for it: a batch's bucket indices are distinct).
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn scatter(base: *mut u8, off: __m512i, mask: __mmask8, x: &E) {
    let v = from52v(x);
    for (j, vj) in v.iter().enumerate() {
        let o = _mm512_add_epi64(off, _mm512_set1_epi64(8 * j as i64));
        // SAFETY: the caller's contract.
        unsafe { _mm512_mask_i64scatter_epi64::<1>(base.cast(), mask, o, *vj) };
    }
}

/// [`to52`] on eight lanes.
#[inline]
#[target_feature(enable = "avx512f")]
fn to52v(v: &[__m512i; 4]) -> E {
    let m = _mm512_set1_epi64(MASK52 as i64);
    [
        _mm512_and_si512(v[0], m),
        _mm512_and_si512(
            _mm512_or_si512(_mm512_srli_epi64::<52>(v[0]), _mm512_slli_epi64::<12>(v[1])),
            m,
        ),
        _mm512_and_si512(
            _mm512_or_si512(_mm512_srli_epi64::<40>(v[1]), _mm512_slli_epi64::<24>(v[2])),
            m,
        ),
        _mm512_and_si512(
            _mm512_or_si512(_mm512_srli_epi64::<28>(v[2]), _mm512_slli_epi64::<36>(v[3])),
            m,
        ),
        _mm512_srli_epi64::<16>(v[3]),
    ]
}

/// [`from52`] on eight lanes.
#[inline]
#[target_feature(enable = "avx512f")]
fn from52v(l: &E) -> [__m512i; 4] {
    [
        _mm512_or_si512(l[0], _mm512_slli_epi64::<52>(l[1])),
        _mm512_or_si512(_mm512_srli_epi64::<12>(l[1]), _mm512_slli_epi64::<40>(l[2])),
        _mm512_or_si512(_mm512_srli_epi64::<24>(l[2]), _mm512_slli_epi64::<28>(l[3])),
        _mm512_or_si512(_mm512_srli_epi64::<36>(l[3]), _mm512_slli_epi64::<16>(l[4])),
    ]
}

/// Byte offsets `i · stride + add` for the `len ≤ 8` indices `ix` (unused lanes 0).
#[inline(always)]
fn offsets(ix: impl Iterator<Item = usize>, stride: usize, add: usize) -> [i64; LANES] {
    let mut o = [0i64; LANES];
    for (slot, i) in o.iter_mut().zip(ix) {
        // Within one allocation, so below isize::MAX.
        *slot = (i * stride + add) as i64;
    }
    o
}

/// See [`Ifma::add_batch`].
///
/// # Safety
///
/// AVX-512F and AVX-512 IFMA; `idx`, `pts` and `den` of one length; every `idx` below
/// `acc.len()`. (Distinct indices are needed for a right answer, not for memory safety: a
/// repeated index only gives a wrong bucket, as it would on the scalar path.)
#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn add_batch<P: SWCurveConfig, T: Lanes<F = P::BaseField>>(
    acc: &mut [Affine<P>],
    idx: &[u32],
    pts: &[Affine<P>],
    den: &[P::BaseField],
    den_buf: &mut Vec<T>,
    pre_buf: &mut Vec<T>,
) -> bool
where
    P::BaseField: HotField,
{
    let n = idx.len();
    let point = core::mem::size_of::<Affine<P>>();
    let (fx, fy) = (
        core::mem::offset_of!(Affine<P>, x),
        core::mem::offset_of!(Affine<P>, y),
    );
    let one = P::BaseField::ONE;
    let zero = P::BaseField::ZERO;
    den_buf.clear();
    pre_buf.clear();
    // SAFETY: (for the whole body) the features every `Lanes` method needs are enabled here;
    // the memory contracts of the gathers and scatters are stated where they are called.
    unsafe {
        // Forward: eight running products (lane l multiplies additions l, l + 8, l + 16, ...).
        let mut run = T::splat(&one);
        for g in 0..n.div_ceil(LANES) {
            let len = (n - g * LANES).min(LANES);
            let off = offsets(g * LANES..g * LANES + len, size_of_val(&one), 0);
            // Lanes below `len` address `den[g·8 + l]`, inside `den`.
            let d = T::gather(den.as_ptr().cast(), load_i64(&off), lanes(len), &one);
            run = run.mul(&d);
            den_buf.push(d);
            pre_buf.push(run);
        }
        let Some(total) = pre_buf.last() else {
            return true;
        };
        // The eight lanes' products, reduced below p, inverted together on the scalar unit.
        let total = total.canonical().to_lanes();
        let mut lane_inv = [one; LANES];
        let mut prod = one;
        for (inv, t) in lane_inv.iter_mut().zip(&total) {
            *inv = prod;
            prod *= t;
        }
        let Some(mut prod_inv) = prod.inverse_h() else {
            return false;
        };
        for (inv, t) in lane_inv.iter_mut().zip(&total).rev() {
            *inv *= prod_inv;
            prod_inv *= t;
        }
        // Backward: at group g, `inv` holds (den_0 … den_g)⁻¹ per lane.
        let mut inv = T::from_lanes(&lane_inv);
        let acc_base = acc.as_mut_ptr().cast::<u8>();
        let pts_base = pts.as_ptr().cast::<u8>();
        let field = |off: __m512i, at: usize| _mm512_add_epi64(off, _mm512_set1_epi64(at as i64));
        for g in (0..n.div_ceil(LANES)).rev() {
            let (Some(d), Some(ix)) = (den_buf.get(g), idx.get(g * LANES..)) else {
                continue;
            };
            let len = ix.len().min(LANES);
            let mask = lanes(len);
            let inv_g = match g.checked_sub(1).and_then(|i| pre_buf.get(i)) {
                Some(pre) => inv.mul(pre),
                None => inv,
            };
            inv = inv.mul(d);
            let ix = ix.iter().take(len).map(|&k| k as usize);
            let a_off = load_i64(&offsets(ix, point, 0));
            let p_off = load_i64(&offsets(g * LANES..g * LANES + len, point, 0));
            // Lanes below `len` address `acc[idx[g·8 + l]]` (each index checked below
            // `acc.len()`) or `pts[g·8 + l]`; `fx`/`fy` are the offsets of `x` and `y` inside
            // the point.
            let ax = T::gather(acc_base, field(a_off, fx), mask, &zero);
            let ay = T::gather(acc_base, field(a_off, fy), mask, &zero);
            let px = T::gather(pts_base, field(p_off, fx), mask, &zero);
            let py = T::gather(pts_base, field(p_off, fy), mask, &zero);
            // λ's numerator p.y − a.y, or 3x² + A where a.x == p.x (a doubling).
            let mut num = py.sub(&ay);
            let same = ax.eq_mask(&px) & mask;
            if same != 0 {
                let (mut v, xs) = (num.canonical().to_lanes(), ax.to_lanes());
                for ((lane, slot), x) in v.iter_mut().enumerate().zip(&xs) {
                    if same & (1 << lane) != 0 {
                        let t = x.square();
                        *slot = t.double() + t + P::COEFF_A;
                    }
                }
                num = T::from_lanes(&v);
            }
            let lambda = num.mul(&inv_g);
            let x3 = lambda.mul(&lambda).sub(&ax).sub(&px).canonical();
            let y3 = lambda.mul(&ax.sub(&x3)).sub(&ay).canonical();
            // As the gathers from `acc` (in range); the values are reduced limbs, and any bits
            // are a valid field element.
            x3.scatter(acc_base, field(a_off, fx), mask);
            y3.scatter(acc_base, field(a_off, fy), mask);
        }
    }
    true
}

#[inline]
#[target_feature(enable = "avx512f")]
fn load_i64(x: &[i64; LANES]) -> __m512i {
    // SAFETY: 64 readable bytes; an unaligned load.
    unsafe { _mm512_loadu_si512(x.as_ptr().cast()) }
}

/// See [`Ifma::mul8`].
#[cfg(test)]
#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn mul8<T: Lanes>(a: &[T::F; LANES], b: &[T::F; LANES]) -> [T::F; LANES] {
    // SAFETY: the features are enabled here.
    unsafe {
        T::from_lanes(a)
            .mul(&T::from_lanes(b))
            .canonical()
            .to_lanes()
    }
}
