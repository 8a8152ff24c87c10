//! Link arguments of the threaded variant (`threads`, decision 0094). A wasm32 build with the
//! `atomics` target feature must link one shared memory that every instance imports (each
//! Web Worker of the pool instantiates the module on it), capped (a shared memory needs a
//! maximum: 1 GiB), and export the TLS symbols wasm-bindgen uses to give each thread its own
//! thread-locals. rustc no longer adds these for wasm32-unknown-unknown, and passing them in
//! RUSTFLAGS would rebuild std and every dependency whenever they change: only this crate's
//! cdylib gets them. Other builds are unaffected.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let wasm32 = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    let atomics = std::env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|f| f.split(',').any(|feature| feature == "atomics"));
    if wasm32 && atomics {
        for arg in [
            "--shared-memory",
            "--import-memory",
            "--max-memory=1073741824",
            "--export=__wasm_init_tls",
            "--export=__tls_size",
            "--export=__tls_align",
            "--export=__tls_base",
        ] {
            println!("cargo:rustc-link-arg-cdylib={arg}");
        }
    }
}
