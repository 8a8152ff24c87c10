//! Montgomery multiplication for BN254's base field `Fq` on x86-64 with MULX/ADCX/ADOX
//! (decision 0113): the one module of the crate that holds `unsafe` code.
//!
//! The algorithm is the operand-scanning CIOS multiplication with the "no carry" shortcut that
//! BN254's modulus allows (its top limb is below `(2^64 − 1) / 2 − 1`), as arkworks'
//! portable `MontConfig::mul_assign` does, written as two interleaved carry chains: ADCX carries
//! through CF and ADOX through OF, so the high and low halves of each MULX product are added in
//! the same pass. The result is reduced below `p` at the end, so it is the same canonical
//! Montgomery representative arkworks computes, bit for bit (differential tests in
//! `tests_fq.rs`).
//!
//! MULX needs BMI2 and ADCX/ADOX need ADX: [`Adx::detect`] checks both once per process (a
//! cached CPUID answer) and hands out a zero-sized token, [`Adx`], whose methods are safe to call
//! because the token exists only on such a CPU; the callers fall back to arkworks' portable code
//! when there is none. Nothing here is compiled for any other target (wasm32 included).

#![allow(unsafe_code)]

use ark_bn254::{Fq, FqConfig};
use ark_ff::{BigInt, MontConfig};
use std::sync::atomic::{AtomicU8, Ordering};

/// The modulus `p`, little-endian limbs, read by the assembly through a pointer.
static MODULUS: [u64; 4] = <FqConfig as MontConfig<4>>::MODULUS.0;

/// `−p⁻¹ mod 2^64`, the Montgomery reduction constant.
const INV: u64 = <FqConfig as MontConfig<4>>::INV;

/// 0: not yet detected; 1: no BMI2+ADX; 2: BMI2 and ADX present.
static DETECTED: AtomicU8 = AtomicU8::new(0);

/// Proof that this CPU has BMI2 (MULX) and ADX (ADCX/ADOX): only [`Adx::detect`] makes one.
#[derive(Clone, Copy, Debug)]
pub(super) struct Adx(());

impl Adx {
    /// The token when this CPU has BMI2 and ADX; detected once per process, then one relaxed
    /// load.
    #[inline(always)]
    pub(super) fn detect() -> Option<Adx> {
        let yes = match DETECTED.load(Ordering::Relaxed) {
            2 => true,
            1 => false,
            _ => detect(),
        };
        yes.then_some(Adx(()))
    }

    /// `a · b` in `Fq` (Montgomery multiplication), equal to arkworks' `a * b` bit for bit.
    #[inline(always)]
    pub(super) fn mul(self, a: &Fq, b: &Fq) -> Fq {
        // SAFETY: an `Adx` exists only when `detect` found BMI2 and ADX on this CPU.
        unsafe { mul(a, b) }
    }

    /// `a²` in `Fq`, equal to arkworks' `a.square()` bit for bit.
    #[inline(always)]
    pub(super) fn square(self, a: &Fq) -> Fq {
        // SAFETY: as in `mul`.
        unsafe { mul(a, a) }
    }
}

#[cold]
fn detect() -> bool {
    let yes = std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx");
    DETECTED.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
    yes
}

/// `a · b · R⁻¹ mod p` (Montgomery multiplication), fully reduced, for `a, b < p`.
///
/// # Safety
///
/// The CPU must support BMI2 and ADX ([`Adx::detect`] returned a token). Any limb values are
/// memory-safe; inputs `≥ p` give a result that is not reduced, never undefined behaviour.
#[inline(always)]
unsafe fn mul(a: &Fq, b: &Fq) -> Fq {
    let a = &a.0 .0;
    let b = &b.0 .0;
    let (t0, t1, t2, t3): (u64, u64, u64, u64);
    // SAFETY: the caller guarantees BMI2 and ADX (MULX, ADCX, ADOX). The block reads 32 bytes
    // through each of `a`, `b` and `MODULUS`, all `[u64; 4]` borrowed for its duration, writes
    // only registers declared as outputs or clobbers, does not touch the stack (`nostack`) and
    // leaves the direction flag alone; flags are clobbered, which `asm!` assumes by default.
    unsafe {
        core::arch::asm!(
            // ---- i = 0: t = a · b0 ----
            "mov rdx, qword ptr [{b}]",
            "xor {lo:e}, {lo:e}",
            "mulx {t1}, {t0}, qword ptr [{a}]",
            "mulx {t2}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "mulx {t3}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "mov {lo:e}, 0",
            "adox {hi}, {lo}",
            // reduce: t = (t + m·p) / 2^64, m = t0 · INV
            "mov rdx, {inv}",
            "imul rdx, {t0}",
            "xor {lo:e}, {lo:e}",
            "mulx {bp}, {lo}, qword ptr [{q}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {bp}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{q} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{q} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{q} + 24]",
            "adox {t2}, {lo}",
            "mov {lo:e}, 0",
            "adcx {t3}, {lo}",
            "adox {t3}, {hi}",
            // ---- i = 1: t += a · b1 ----
            "mov rdx, qword ptr [{b} + 8]",
            "xor {lo:e}, {lo:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "mov {lo:e}, 0",
            "adcx {hi}, {lo}",
            "adox {hi}, {lo}",
            "mov rdx, {inv}",
            "imul rdx, {t0}",
            "xor {lo:e}, {lo:e}",
            "mulx {bp}, {lo}, qword ptr [{q}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {bp}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{q} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{q} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{q} + 24]",
            "adox {t2}, {lo}",
            "mov {lo:e}, 0",
            "adcx {t3}, {lo}",
            "adox {t3}, {hi}",
            // ---- i = 2 ----
            "mov rdx, qword ptr [{b} + 16]",
            "xor {lo:e}, {lo:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "mov {lo:e}, 0",
            "adcx {hi}, {lo}",
            "adox {hi}, {lo}",
            "mov rdx, {inv}",
            "imul rdx, {t0}",
            "xor {lo:e}, {lo:e}",
            "mulx {bp}, {lo}, qword ptr [{q}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {bp}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{q} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{q} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{q} + 24]",
            "adox {t2}, {lo}",
            "mov {lo:e}, 0",
            "adcx {t3}, {lo}",
            "adox {t3}, {hi}",
            // ---- i = 3 ----
            "mov rdx, qword ptr [{b} + 24]",
            "xor {lo:e}, {lo:e}",
            "mulx {hi}, {lo}, qword ptr [{a}]",
            "adox {t0}, {lo}",
            "adcx {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adox {t1}, {lo}",
            "adcx {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adox {t2}, {lo}",
            "adcx {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adox {t3}, {lo}",
            "mov {lo:e}, 0",
            "adcx {hi}, {lo}",
            "adox {hi}, {lo}",
            "mov rdx, {inv}",
            "imul rdx, {t0}",
            "xor {lo:e}, {lo:e}",
            "mulx {bp}, {lo}, qword ptr [{q}]",
            "adcx {lo}, {t0}",
            "mov {t0}, {bp}",
            "adcx {t0}, {t1}",
            "mulx {t1}, {lo}, qword ptr [{q} + 8]",
            "adox {t0}, {lo}",
            "adcx {t1}, {t2}",
            "mulx {t2}, {lo}, qword ptr [{q} + 16]",
            "adox {t1}, {lo}",
            "adcx {t2}, {t3}",
            "mulx {t3}, {lo}, qword ptr [{q} + 24]",
            "adox {t2}, {lo}",
            "mov {lo:e}, 0",
            "adcx {t3}, {lo}",
            "adox {t3}, {hi}",
            // ---- t < 2p: subtract p unless that borrows ----
            "mov {lo}, {t0}",
            "sub {lo}, qword ptr [{q}]",
            "mov {bp}, {t1}",
            "sbb {bp}, qword ptr [{q} + 8]",
            "mov {hi}, {t2}",
            "sbb {hi}, qword ptr [{q} + 16]",
            "mov rdx, {t3}",
            "sbb rdx, qword ptr [{q} + 24]",
            "cmovnc {t0}, {lo}",
            "cmovnc {t1}, {bp}",
            "cmovnc {t2}, {hi}",
            "cmovnc {t3}, rdx",
            a = in(reg) a.as_ptr(),
            b = in(reg) b.as_ptr(),
            q = in(reg) MODULUS.as_ptr(),
            inv = const INV,
            t0 = out(reg) t0,
            t1 = out(reg) t1,
            t2 = out(reg) t2,
            t3 = out(reg) t3,
            hi = out(reg) _,
            lo = out(reg) _,
            bp = out(reg) _,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    Fq::new_unchecked(BigInt([t0, t1, t2, t3]))
}
