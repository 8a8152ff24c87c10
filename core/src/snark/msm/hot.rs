//! The field operations of the batch-affine inner loops, forced inline.
//!
//! arkworks' `Fp` operators reach the Montgomery arithmetic through two generic wrappers
//! (`Fp::mul_assign` → `FpConfig::mul_assign` → `MontConfig::mul_assign`) that LLVM leaves as
//! calls in our loops (measured with `perf`: the wrappers' own frames and the spills around
//! them were a third of a bucket addition's time). For BN254's `Fq` this calls arkworks'
//! `MontConfig` arithmetic directly (the same code, `#[inline(always)]`); for `Fq2` it uses the
//! ordinary operators.
//!
//! On x86-64 CPUs with BMI2 and ADX, `Fq`'s multiplication and squaring take the MULX/ADCX/ADOX
//! assembly of `fq_x86` instead (decision 0113): same results, bit for bit. The choice is one
//! relaxed load of a cached CPUID answer per call, which the branch predictor settles (measured:
//! no cost against an unconditional call, see decision 0113); every other CPU and target runs the
//! portable code.

use ark_bn254::{Fq, Fq2, FqConfig};
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
}

#[cfg(all(target_arch = "x86_64", test))]
std::thread_local! {
    /// Test hook: when set, this thread's `Fq` operations take the portable code even where the
    /// CPU has BMI2 and ADX, so the tests exercise both paths on one machine.
    pub(super) static FORCE_PORTABLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
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
        <FqConfig as MontConfig<4>>::sub_assign(self, b);
    }
}

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
}
