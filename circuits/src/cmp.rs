//! Comparisons of signed 64-bit integers (and fixed-point decimals and dates, which Causeway
//! commits as signed 64-bit integers in units of their scale), natively and in R1CS
//! ([`constraints`]).
//!
//! A signed `v ∈ [−2^63, 2^63)` lives in the field as [`crate::field::fr_from_i64`] (negative
//! values are `r − |v|`). In-circuit, `v` is range-checked by decomposing `v + 2^63` into 64 bits,
//! and `a ≤ b` (both signed 64-bit) is proven by decomposing `b − a` into 64 bits: since
//! `b − a ∈ (−2^64, 2^64)` over the integers and `r > 2^253`, a negative difference is a field
//! element above `2^64` and has no 64-bit decomposition.

pub mod constraints;

/// `lo ≤ v ≤ hi` (the native mirror of [`constraints::enforce_in_range`]).
pub fn in_range(v: i64, lo: i64, hi: i64) -> bool {
    lo <= v && v <= hi
}

/// `Σ values ≥ threshold` over the integers, without overflow (the native mirror of the sum
/// check in [`crate::statements::sum`]).
pub fn sum_at_least(values: &[i64], threshold: i64) -> bool {
    let s: i128 = values.iter().map(|&v| i128::from(v)).sum();
    s >= i128::from(threshold)
}
