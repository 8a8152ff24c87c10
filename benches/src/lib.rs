//! Criterion benchmarks live in `benches/`, runnable figures in `examples/`; this library holds
//! what several of them share.

/// CPU time of the whole process (all threads, user + system), in seconds; 0 if the OS refuses.
///
/// The figures are taken on shared 2-core machines, where wall time is inflated by whatever
/// else runs and CPU time, which measures the work done, is far less so.
pub fn cpu_seconds() -> f64 {
    let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a plain C struct through a valid pointer.
    let r = unsafe { libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr()) };
    if r != 0 {
        return 0.0;
    }
    // SAFETY: initialised by the successful call above (and zeroed before it).
    let u = unsafe { u.assume_init() };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// The MSM benchmarks' inputs, one definition for the criterion bench (`benches/msm.rs`) and the
/// CPU-time runner (`examples/msm_cpu.rs`), so both time the same points and scalars: bases
/// from ark-std's `test_rng` (a fresh random start every 256 points, so no long arithmetic
/// progression), and scalar mixes drawn from their own stream.
pub mod msm_inputs {
    use ark_bn254::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::short_weierstrass::{Projective, SWCurveConfig};
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use ark_std::rand::RngCore;
    use ark_std::test_rng;

    fn bases<P: SWCurveConfig>(n: usize) -> Vec<Projective<P>>
    where
        Projective<P>: PrimeGroup<ScalarField = Fr>,
    {
        let mut rng = test_rng();
        let g = Projective::<P>::generator();
        let step = g * Fr::rand(&mut rng);
        let mut acc = g * Fr::rand(&mut rng);
        (0..n)
            .map(|i| {
                if i % 256 == 0 {
                    acc = g * Fr::rand(&mut rng);
                }
                acc += step;
                acc
            })
            .collect()
    }

    /// `n` G1 bases.
    pub fn g1_bases(n: usize) -> Vec<G1Affine> {
        G1Projective::normalize_batch(&bases(n))
    }

    /// `n` G2 bases (in the subgroup).
    pub fn g2_bases(n: usize) -> Vec<G2Affine> {
        G2Projective::normalize_batch(&bases(n))
    }

    /// `n` uniformly random scalars.
    pub fn random(n: usize) -> Vec<Fr> {
        let mut rng = test_rng();
        rng.next_u64();
        (0..n).map(|_| Fr::rand(&mut rng)).collect()
    }

    /// `n` scalars of 0 or 1.
    pub fn bits(n: usize) -> Vec<Fr> {
        let mut rng = test_rng();
        rng.next_u32();
        (0..n)
            .map(|_| Fr::from(u64::from(rng.next_u32()) & 1))
            .collect()
    }

    /// `n` scalars below 256.
    pub fn bytes(n: usize) -> Vec<Fr> {
        let mut rng = test_rng();
        rng.next_u32();
        (0..n)
            .map(|_| Fr::from(u64::from(rng.next_u32() as u8)))
            .collect()
    }
}
