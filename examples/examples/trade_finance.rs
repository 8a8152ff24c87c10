//! An exporter proves that four attested orders add up to ≥ 2 000 000.00 with one Groth16
//! proof; the bank verifies without seeing any order (step 9 of `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example trade_finance` (the single-party setup
//! takes a few seconds in a debug build).

use causeway_examples::{trade_finance, StepError};

fn main() -> Result<(), StepError> {
    let now = causeway::attest::unix_now().map_err(causeway::Error::from)?;
    let t = trade_finance::run(now)?;
    println!(
        "Groth16 keys for {} made in {:.1} s (key {})",
        t.circuit,
        t.setup_time.as_secs_f64(),
        t.key_id
    );
    println!(
        "proved \"{}\" in {:.1} s: a {}-byte presentation; the bank verified {} orders in {:.0} ms",
        t.claim,
        t.prove_time.as_secs_f64(),
        t.presentation_len,
        t.verified_orders,
        t.verify_time.as_secs_f64() * 1000.0
    );
    println!(
        "refused \"{}\": {}",
        trade_finance::TOO_HIGH,
        t.too_high_refused
    );
    println!(
        "refused the proof re-signed as \"{}\": {}",
        trade_finance::EDITED,
        t.edited_refused
    );
    println!("refused a replay: {}", t.replay_refused);
    println!("refused one order four times: {}", t.repeated_refused);
    Ok(())
}
