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
