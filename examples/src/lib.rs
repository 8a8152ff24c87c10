//! Runnable examples of the Causeway API, and the storylines of `causeway demo`.
//!
//! The demo's scenarios live here, not in the `causeway` crate's public API: the CLI demo
//! calls them and prints what they established, and the Python and web examples mirror them
//! step by step. Runnable examples are in `examples/` (`cargo run -p causeway-examples
//! --example credit_check`).
//!
//! | module | storyline |
//! |--------|-----------|
//! | [`credit_check`] | a bureau attests a credit report; the customer proves `credit_score >= 700` and `annual_income in [50000, 120000]` to a bank without disclosing either; replays and false claims are refused |

pub mod credit_check;
