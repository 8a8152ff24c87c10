//! `causeway-wasm`: the Rust half of the `causeway-wasm` npm package.
//!
//! A thin layer over the `causeway` crate (DESIGN.md: bindings add no logic that core lacks):
//! argument conversion (bytes as `Uint8Array`, 64-bit values as `bigint`, results as plain
//! objects) and errors carrying core's stable `code` and `kind`. The public JS API is the
//! wrapper in `bindings-wasm/js/` (loader, error classes, trap recovery, curated `.d.ts`);
//! these exports are its private back end. Build: `scripts/build-wasm.sh`; decisions 0071 and
//! 0072.

mod attest;
mod convert;
mod errors;
mod party;
mod proofs;
mod provenance;
mod seal;
#[cfg(feature = "self-test")]
mod selftest;

use wasm_bindgen::prelude::*;

/// The package version (the crate's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Whether this build can prove (the full entry) or only verify (the light entry).
#[wasm_bindgen(js_name = hasProver)]
pub fn has_prover() -> bool {
    cfg!(feature = "prover")
}

/// Whether this build is the multi-threaded variant (`causeway-wasm/threads`): proving runs on
/// a rayon pool of Web Workers once `initThreadPool(n)` has resolved (decision 0094).
#[wasm_bindgen(js_name = hasThreads)]
pub fn has_threads() -> bool {
    cfg!(feature = "threads")
}

/// `initThreadPool(n)`: starts `n` Web Workers sharing this instance's memory and makes them
/// rayon's global pool (wasm-bindgen-rayon). The threaded variant only; the JS wrapper calls it
/// once per instance, inside a Worker.
#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;
