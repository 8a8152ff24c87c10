//! The field operations of the batch-affine inner loops, forced inline.
//!
//! arkworks' `Fp` operators reach the Montgomery arithmetic through two generic wrappers
//! (`Fp::mul_assign` → `FpConfig::mul_assign` → `MontConfig::mul_assign`) that LLVM leaves as
//! calls in our loops (measured with `perf`: the wrappers' own frames and the spills around
//! them were a third of a bucket addition's time). For BN254's `Fq` this calls arkworks'
//! `MontConfig` arithmetic directly (the same code, `#[inline(always)]`); `Fq2` is built on those
//! (Karatsuba multiplication, complex squaring), inline too, except on wasm32 (see below).
//!
//! On x86-64 CPUs with BMI2 and ADX, `Fq`'s multiplication and squaring take the MULX/ADCX/ADOX
//! assembly of `fq_x86` instead (decision 0113): same results, bit for bit. The choice is one
//! relaxed load of a cached CPUID answer per call and a branch the predictor settles (not
//! measured in isolation, see decision 0113); every other CPU and target runs the portable code.

use ark_bn254::{Fq, Fq2, FqConfig};
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ff::{Field, MontConfig};

mod sealed {
    pub trait Sealed {}
    impl Sealed for ark_bn254::Fq {}
    impl Sealed for ark_bn254::Fq2 {}
}

/// A base field whose multiplication, squaring and subtraction the MSM's hot loops inline:
/// BN254's `Fq` (G1) and `Fq2` (G2) only (sealed). It appears in the bounds of
/// [`FixedBaseTable`](super::FixedBaseTable); callers never implement it.
pub trait HotField: Field + sealed::Sealed {
    /// `self *= b`.
    fn mul_h(&mut self, b: &Self);
    /// `self = self²`.
    fn square_h(&mut self);
    /// `self -= b`.
    fn sub_h(&mut self, b: &Self);
    /// `self⁻¹`, `None` for zero: the same element (and limbs) as arkworks' `Field::inverse`,
    /// by the optimized binary GCD of `fq_inv` (decision 0128) for `Fq`, and through one `Fq`
    /// inversion for `Fq2`. Variable time, like the MSM.
    fn inverse_h(&self) -> Option<Self>;

    /// Applies a batch of independent affine additions on a vector unit, where this field has
    /// one on this CPU: for each `i`, `acc[idx[i]] ← acc[idx[i]] + pts[i]`, with `den[i]` the
    /// slope's (non-zero) denominator as the bucket accumulator schedules it (`p.x − a.x`,
    /// or `2a.y` for a doubling). No two `idx` are equal. Returns `false`, having changed
    /// nothing, when there is no such unit (the caller then applies the batch itself).
    #[doc(hidden)]
    fn add_batch<P: SWCurveConfig<BaseField = Self>>(
        _acc: &mut [Affine<P>],
        _idx: &[u32],
        _pts: &[Affine<P>],
        _den: &[Self],
        _scratch: &mut BatchScratch,
    ) -> bool {
        false
    }
}

/// Working memory of [`HotField::add_batch`], kept by its caller between batches (empty on
/// targets without a vector path).
#[derive(Default)]
pub struct BatchScratch {
    #[cfg(target_arch = "x86_64")]
    ifma: super::fq_ifma::Scratch,
}

#[cfg(all(target_arch = "x86_64", test))]
std::thread_local! {
    /// Test hook: when set, this thread's `Fq` operations take the portable code even where the
    /// CPU has BMI2 and ADX (or AVX-512 IFMA), so the tests exercise every path on one machine.
    pub(super) static FORCE_PORTABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Test hook: when set, this thread applies batches of additions one element at a time (the
    /// scalar code, MULX where the CPU has it) even where the CPU has AVX-512 IFMA.
    pub(super) static FORCE_SCALAR: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The AVX-512 IFMA path when this CPU has it (and, in tests, this thread forces neither the
/// portable nor the scalar one).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn ifma() -> Option<super::fq_ifma::Ifma> {
    #[cfg(test)]
    if FORCE_PORTABLE.with(|f| f.get()) || FORCE_SCALAR.with(|f| f.get()) {
        return None;
    }
    super::fq_ifma::Ifma::detect()
}

/// The MULX/ADCX/ADOX path when this CPU has it (and, in tests, this thread does not force the
/// portable one).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn adx() -> Option<super::fq_x86::Adx> {
    #[cfg(test)]
    if FORCE_PORTABLE.with(|f| f.get()) {
        return None;
    }
    super::fq_x86::Adx::detect()
}

impl HotField for Fq {
    #[inline(always)]
    fn mul_h(&mut self, b: &Self) {
        #[cfg(target_arch = "x86_64")]
        if let Some(adx) = adx() {
            *self = adx.mul(self, b);
            return;
        }
        <FqConfig as MontConfig<4>>::mul_assign(self, b);
    }
    #[inline(always)]
    fn square_h(&mut self) {
        #[cfg(target_arch = "x86_64")]
        if let Some(adx) = adx() {
            *self = adx.square(self);
            return;
        }
        <FqConfig as MontConfig<4>>::square_in_place(self);
    }
    #[inline(always)]
    fn sub_h(&mut self, b: &Self) {
        #[cfg(not(target_arch = "wasm32"))]
        fq_sub(self, b);
        #[cfg(target_arch = "wasm32")]
        <FqConfig as MontConfig<4>>::sub_assign(self, b);
    }
    /// Pornin's binary GCD (decision 0128); on wasm32 arkworks' own inversion, until the new
    /// one is measured there (size budget and 64-bit arithmetic on a 32-bit target).
    #[inline]
    fn inverse_h(&self) -> Option<Self> {
        #[cfg(not(target_arch = "wasm32"))]
        return super::fq_inv::inverse(self);
        #[cfg(target_arch = "wasm32")]
        return self.inverse();
    }

    /// Eight additions at a time with AVX-512 IFMA (decision 0127).
    #[cfg(target_arch = "x86_64")]
    fn add_batch<P: SWCurveConfig<BaseField = Self>>(
        acc: &mut [Affine<P>],
        idx: &[u32],
        pts: &[Affine<P>],
        den: &[Self],
        scratch: &mut BatchScratch,
    ) -> bool {
        ifma().is_some_and(|v| v.add_batch(acc, idx, pts, den, &mut scratch.ifma))
    }
}

/// BN254's base-field modulus `p`, little-endian limbs.
#[cfg(not(target_arch = "wasm32"))]
const P: [u64; 4] = <FqConfig as MontConfig<4>>::MODULUS.0;

/// `a −= b` in `Fq` without a data-dependent branch: subtract with borrow, then add `p` masked by
/// the borrow. arkworks' `sub_assign` first compares `b > a` limb by limb and branches on it, a
/// coin flip on random elements that the predictor misses about half the time (five
/// subtractions per affine addition; measured with `perf` in decision 0119). For `a, b < p` the
/// result is the same reduced representative, bit for bit (tested against arkworks).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(super) fn fq_sub(a: &mut Fq, b: &Fq) {
    let x = &mut (a.0).0;
    let mut borrow = false;
    for (xi, yi) in x.iter_mut().zip((b.0).0) {
        let (d, b1) = xi.overflowing_sub(yi);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *xi = d;
        borrow = b1 | b2;
    }
    let mask = 0u64.wrapping_sub(u64::from(borrow));
    let mut carry = false;
    for (xi, pi) in x.iter_mut().zip(P) {
        let (s, c1) = xi.overflowing_add(pi & mask);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *xi = s;
        carry = c1 | c2;
    }
}

/// `a += b` in `Fq` without a data-dependent branch: add (no carry out: `p < 2^254`), subtract
/// `p`, and keep the difference unless it borrowed. Bit for bit arkworks' `add_assign` for
/// `a, b < p`.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
pub(super) fn fq_add(a: &mut Fq, b: &Fq) {
    let x = &mut (a.0).0;
    let mut carry = false;
    for (xi, yi) in x.iter_mut().zip((b.0).0) {
        let (s, c1) = xi.overflowing_add(yi);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *xi = s;
        carry = c1 | c2;
    }
    let mut t = [0u64; 4];
    let mut borrow = false;
    for ((ti, xi), pi) in t.iter_mut().zip(x.iter()).zip(P) {
        let (d, b1) = xi.overflowing_sub(pi);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *ti = d;
        borrow = b1 | b2;
    }
    // Keep `x` when `x − p` borrowed (x < p), else take `x − p`.
    let keep = 0u64.wrapping_sub(u64::from(borrow));
    for (xi, ti) in x.iter_mut().zip(t) {
        *xi = (*xi & keep) | (ti & !keep);
    }
}

/// `a = 2a` in `Fq` (reduced, as `Fq::double_in_place`), branch-free like [`fq_add`].
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn fq_double(a: &mut Fq) {
    let b = *a;
    fq_add(a, &b);
}

/// wasm32: arkworks' own `Fq2` operators. With the inlined Karatsuba body below (copied into
/// every G2 loop) and the prover's ψ path, the shipped full module measured 508,745 B gzip;
/// without both, 498,683 B: it must stay under 500 kB (decision 0093), and the inlining gains
/// only call overhead (decision 0114).
#[cfg(target_arch = "wasm32")]
impl HotField for Fq2 {
    #[inline(always)]
    fn mul_h(&mut self, b: &Self) {
        *self *= b;
    }
    #[inline(always)]
    fn square_h(&mut self) {
        self.square_in_place();
    }
    #[inline(always)]
    fn sub_h(&mut self, b: &Self) {
        *self -= b;
    }
    #[inline]
    fn inverse_h(&self) -> Option<Self> {
        self.inverse()
    }
}

/// `Fq2 = Fq[u]/(u² + 1)` on `Fq`'s inlined operations: Karatsuba multiplication (three `Fq`
/// multiplications) and complex squaring (two), so G2 inherits whatever makes `Fq`'s
/// [`HotField::mul_h`] faster. Every intermediate is a reduced `Fq` element (no lazy reduction:
/// `mul_h` is only asked for reduced inputs), so each result is the canonical element, the one
/// arkworks' operators give (tested bit for bit against them).
#[cfg(not(target_arch = "wasm32"))]
impl HotField for Fq2 {
    #[inline(always)]
    fn mul_h(&mut self, b: &Self) {
        // (a₀ + a₁u)(b₀ + b₁u) = (a₀b₀ − a₁b₁) + ((a₀ + a₁)(b₀ + b₁) − a₀b₀ − a₁b₁)u.
        let mut v0 = self.c0;
        v0.mul_h(&b.c0);
        let mut v1 = self.c1;
        v1.mul_h(&b.c1);
        let mut s = self.c0;
        fq_add(&mut s, &self.c1);
        let mut t = b.c0;
        fq_add(&mut t, &b.c1);
        s.mul_h(&t);
        s.sub_h(&v0);
        s.sub_h(&v1);
        v0.sub_h(&v1);
        self.c0 = v0;
        self.c1 = s;
    }
    #[inline(always)]
    fn square_h(&mut self) {
        // (a₀ + a₁u)² = (a₀ + a₁)(a₀ − a₁) + 2a₀a₁u.
        let mut m = self.c0;
        m.mul_h(&self.c1);
        fq_double(&mut m);
        let mut s = self.c0;
        fq_add(&mut s, &self.c1);
        let mut d = self.c0;
        d.sub_h(&self.c1);
        s.mul_h(&d);
        self.c0 = s;
        self.c1 = m;
    }
    #[inline(always)]
    fn sub_h(&mut self, b: &Self) {
        self.c0.sub_h(&b.c0);
        self.c1.sub_h(&b.c1);
    }

    /// Eight additions at a time with AVX-512 IFMA, Karatsuba on the lanes (decision 0127).
    #[cfg(target_arch = "x86_64")]
    fn add_batch<P: SWCurveConfig<BaseField = Self>>(
        acc: &mut [Affine<P>],
        idx: &[u32],
        pts: &[Affine<P>],
        den: &[Self],
        scratch: &mut BatchScratch,
    ) -> bool {
        ifma().is_some_and(|v| v.add_batch(acc, idx, pts, den, &mut scratch.ifma))
    }

    #[inline]
    fn inverse_h(&self) -> Option<Self> {
        fq2_inverse(self)
    }
}

/// `a⁻¹` in `Fq2 = Fq[u]/(u² + 1)`: `(c₀ + c₁u)⁻¹ = (c₀ − c₁u) / (c₀² + c₁²)`, one `Fq` inversion
/// (of the norm, zero only for `a = 0` since −1 is not a square modulo `p ≡ 3 mod 4`) and four
/// `Fq` multiplications. Every intermediate is a reduced `Fq` element and the inverse is unique,
/// so the limbs are arkworks' (tested).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn fq2_inverse(a: &Fq2) -> Option<Fq2> {
    let mut n0 = a.c0;
    n0.square_h();
    let mut n1 = a.c1;
    n1.square_h();
    let norm_inv = super::fq_inv::inverse(&(n0 + n1))?;
    let mut c0 = a.c0;
    c0.mul_h(&norm_inv);
    let mut c1 = a.c1;
    c1.mul_h(&norm_inv);
    Some(Fq2::new(c0, -c1))
}
