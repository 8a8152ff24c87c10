//! The error boundary: every core error leaves as a JS `Error` carrying core's stable `code`
//! and `kind` (the JS wrapper turns it into its `CausewayError` subclass for the kind).
//!
//! No panic is caught here: the package is built with `panic=abort`, so a panic is a trap
//! (`WebAssembly.RuntimeError`) that poisons the instance; the wrapper (`js/causeway.js`)
//! detects it, switches to a fresh instance and rethrows a typed error (decision 0072).

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

/// The result of every export: a JS value, or a thrown JS `Error` with `code` and `kind`.
pub type JsResult<T> = Result<T, JsValue>;

/// A JS `Error` with `name = "CausewayError"`, `code` and `kind` (core's classification).
pub fn js_error(code: &str, kind: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("CausewayError");
    let v: JsValue = e.into();
    // Setting a property on a fresh, extensible Error cannot fail.
    let _ = Reflect::set(&v, &"code".into(), &code.into());
    let _ = Reflect::set(&v, &"kind".into(), &kind.into());
    v
}

/// Converts any core error into its JS `Error`.
pub fn cw<E: Into<causeway::Error>>(e: E) -> JsValue {
    let e: causeway::Error = e.into();
    js_error(e.code(), e.kind().as_str(), &e.to_string())
}

/// A malformed argument the binding detects before calling core (a wrong JS type, a number out
/// of its Rust range): core's code for the nearest failure, kind `malformed`.
pub fn bad_arg(code: &str, message: &str) -> JsValue {
    js_error(code, "malformed", message)
}

/// Every error code core defines, with its kind, as `[[code, kind], …]`.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Array {
    causeway::error::CODES
        .iter()
        .map(|(c, k)| {
            let pair = Array::new();
            pair.push(&JsValue::from_str(c));
            pair.push(&JsValue::from_str(k.as_str()));
            JsValue::from(pair)
        })
        .collect()
}

/// Panics on purpose: under `panic=abort` a trap, to show (in the tests) that the wrapper
/// recovers from one. Built only with the `self-test` feature, never into the package.
#[cfg(feature = "self-test")]
#[wasm_bindgen(js_name = selfTestTrap)]
#[allow(clippy::panic)]
pub fn self_test_trap() {
    panic!("self-test trap");
}
