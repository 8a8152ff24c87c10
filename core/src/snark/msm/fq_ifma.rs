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

use ark_bn254::{Fq, FqConfig};
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
    /// `a.x == p.x`). The caller guarantees what the scheduler does: no two `idx` equal, every
    /// `acc[idx[i]]` and `pts[i]` finite, every `den[i]` non-zero, no cancellation (`p ≠ −a`).
    /// Returns `false`, having changed nothing, when the lengths differ, an index is out of
    /// range, or a lane's product of denominators is not invertible.
    pub(super) fn add_batch<P: SWCurveConfig<BaseField = Fq>>(
        self,
        acc: &mut [Affine<P>],
        idx: &[u32],
        pts: &[Affine<P>],
        den: &[Fq],
        scratch: &mut Scratch,
    ) -> bool {
        if idx.len() != pts.len() || idx.len() != den.len() {
            return false;
        }
        if idx.iter().any(|&k| k as usize >= acc.len()) {
            return false;
        }
        // SAFETY: an `Ifma` exists only when `detect` found AVX-512F and AVX-512 IFMA; the
        // lengths and indices were checked above (what `add_batch` requires).
        unsafe { add_batch(acc, idx, pts, den, scratch) }
    }

    /// `a · b` for eight pairs at once (tests and benchmarks of the vector multiplication).
    #[cfg(test)]
    pub(super) fn mul8(self, a: &[Fq; LANES], b: &[Fq; LANES]) -> [Fq; LANES] {
        // SAFETY: as in `batch_add`.
        unsafe { mul8(a, b) }
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

/// Working memory of [`Ifma::batch_add`], kept by the caller between batches.
#[derive(Default)]
pub(super) struct Scratch {
    /// Per group of eight additions: the denominators, then the running products.
    den: Vec<[[u64; LANES]; 5]>,
    pre: Vec<[[u64; LANES]; 5]>,
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

/// Byte offsets of the limbs of `Fq` inside `Affine<P>`'s `x` and `y`, and inside an `Fq`.
struct Layout {
    point: usize,
    x: usize,
    y: usize,
}

fn layout<P: SWCurveConfig<BaseField = Fq>>() -> Layout {
    let limbs = core::mem::offset_of!(Fq, 0) + core::mem::offset_of!(BigInt<4>, 0);
    Layout {
        point: core::mem::size_of::<Affine<P>>(),
        x: core::mem::offset_of!(Affine<P>, x) + limbs,
        y: core::mem::offset_of!(Affine<P>, y) + limbs,
    }
}

/// Offset of the limbs inside an `Fq`.
fn fq_limbs() -> usize {
    core::mem::offset_of!(Fq, 0) + core::mem::offset_of!(BigInt<4>, 0)
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
/// `Fq`'s limbs, and no two lanes' ranges overlap.
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
/// `acc.len()` and no two equal.
#[target_feature(enable = "avx512f,avx512ifma")]
unsafe fn add_batch<P: SWCurveConfig<BaseField = Fq>>(
    acc: &mut [Affine<P>],
    idx: &[u32],
    pts: &[Affine<P>],
    den: &[Fq],
    scratch: &mut Scratch,
) -> bool {
    let n = idx.len();
    let lay = layout::<P>();
    let limbs = fq_limbs();
    let one64 = <FqConfig as MontConfig<4>>::R.0;
    let den_base = den.as_ptr().cast::<u8>();
    scratch.den.clear();
    scratch.pre.clear();
    // Forward: eight running products (lane l multiplies additions l, l + 8, l + 16, ...).
    let mut run = splat(ONE52);
    for g in 0..n.div_ceil(LANES) {
        let len = (n - g * LANES).min(LANES);
        let off = offsets(g * LANES..g * LANES + len, 32, limbs);
        // SAFETY: lanes below `len` address `den[g·8 + l]`, inside `den`.
        let d = unsafe { gather(den_base, load_i64(&off), lanes(len), one64) };
        run = mul(&run, &d);
        scratch.den.push(store(&d));
        scratch.pre.push(store(&run));
    }
    let p = splat(P52);
    let Some(total) = scratch.pre.last() else {
        return true;
    };
    // The eight lanes' products, reduced below p, inverted together on the scalar unit.
    let total = store(&sub_if_ge(&load(total), &p));
    let mut lane_inv = [Fq::ONE; LANES];
    let mut prod = Fq::ONE;
    for (lane, inv) in lane_inv.iter_mut().enumerate() {
        *inv = prod;
        prod *= unpack(&total, lane);
    }
    let Some(mut prod_inv) = super::fq_inv::inverse(&prod) else {
        return false;
    };
    for lane in (0..LANES).rev() {
        let t = unpack(&total, lane);
        if let Some(inv) = lane_inv.get_mut(lane) {
            *inv *= prod_inv;
        }
        prod_inv *= t;
    }
    // Backward: at group g, `inv` holds (den_0 … den_g)⁻¹ per lane.
    let mut inv = load(&pack(lane_inv.into_iter(), ONE52));
    let p2 = splat(P2_52);
    let zero = _mm512_setzero_si512();
    let acc_base = acc.as_mut_ptr().cast::<u8>();
    let pts_base = pts.as_ptr().cast::<u8>();
    for g in (0..n.div_ceil(LANES)).rev() {
        let (Some(d), Some(ix)) = (scratch.den.get(g), idx.get(g * LANES..)) else {
            continue;
        };
        let len = ix.len().min(LANES);
        let mask = lanes(len);
        let inv_g = match g.checked_sub(1).and_then(|i| scratch.pre.get(i)) {
            Some(pre) => mul(&inv, &load(pre)),
            None => inv,
        };
        inv = mul(&inv, &load(d));
        let ix = ix.iter().take(len).map(|&k| k as usize);
        let a_off = load_i64(&offsets(ix.clone(), lay.point, 0));
        let p_off = load_i64(&offsets(g * LANES..g * LANES + len, lay.point, 0));
        let field = |off: __m512i, at: usize| _mm512_add_epi64(off, _mm512_set1_epi64(at as i64));
        // SAFETY: lanes below `len` address `acc[idx[g·8 + l]]` (each index checked below
        // `acc.len()`) or `pts[g·8 + l]`, and `lay.x`/`lay.y` an `Fq`'s limbs inside the point.
        let [ax, ay, px, py] = unsafe {
            [
                gather(acc_base, field(a_off, lay.x), mask, [0; 4]),
                gather(acc_base, field(a_off, lay.y), mask, [0; 4]),
                gather(pts_base, field(p_off, lay.x), mask, [0; 4]),
                gather(pts_base, field(p_off, lay.y), mask, [0; 4]),
            ]
        };
        // λ's numerator p.y − a.y (+ p: below 2p), or 3x² + A where a.x == p.x (a doubling).
        let mut num = carry_signed(add_sub2(&py, &p, &ay, &[zero; 5]));
        let same = ax
            .iter()
            .zip(&px)
            .fold(mask, |m, (a, b)| m & _mm512_cmpeq_epi64_mask(*a, *b));
        if same != 0 {
            let mut rows = store(&num);
            for lane in 0..LANES {
                if same & (1 << lane) != 0 {
                    let x = unpack(&store(&ax), lane);
                    let t = x.square();
                    let v = t.double() + t + P::COEFF_A;
                    for (row, l) in rows.iter_mut().zip(to52(v.0 .0)) {
                        if let Some(slot) = row.get_mut(lane) {
                            *slot = l;
                        }
                    }
                }
            }
            num = load(&rows);
        }
        let lambda = mul(&num, &inv_g);
        let l2 = mul(&lambda, &lambda);
        // x₃ = λ² + 2p − ax − px ∈ (0, 4p), reduced below p.
        let x3 = carry_signed(add_sub2(&l2, &p2, &ax, &px));
        let x3 = sub_if_ge(&sub_if_ge(&x3, &p2), &p);
        // y₃ = λ(ax + p − x₃) + p − ay ∈ (0, 3p), reduced below p.
        let e = carry_signed(add_sub2(&ax, &p, &x3, &[zero; 5]));
        let f = mul(&lambda, &e);
        let y3 = carry_signed(add_sub2(&f, &p, &ay, &[zero; 5]));
        let y3 = sub_if_ge(&sub_if_ge(&y3, &p2), &p);
        // SAFETY: as the gathers from `acc`; the indices are distinct, so no two lanes' limbs
        // overlap; the values are reduced `Fq` limbs (any bits are a valid `Fq`).
        unsafe {
            scatter(acc_base, field(a_off, lay.x), mask, &x3);
            scatter(acc_base, field(a_off, lay.y), mask, &y3);
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
unsafe fn mul8(a: &[Fq; LANES], b: &[Fq; LANES]) -> [Fq; LANES] {
    let p = splat(P52);
    let r = store(&sub_if_ge(
        &mul(
            &load(&pack(a.iter().copied(), ONE52)),
            &load(&pack(b.iter().copied(), ONE52)),
        ),
        &p,
    ));
    core::array::from_fn(|lane| unpack(&r, lane))
}
