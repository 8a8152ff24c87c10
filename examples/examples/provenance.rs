//! A batch of milk powder traced from farm to shop: the consumer verifies its provenance
//! bundle offline; a tampered event and an event by an untrusted key are refused (step 10 of
//! `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example provenance`.

use causeway::ledger::receipt::unix_millis_now;
use causeway_examples::provenance::{self, Chain};
use causeway_examples::StepError;

fn main() -> Result<(), StepError> {
    let chain = Chain::generate()?;
    let dir = std::env::temp_dir().join(format!(
        "causeway-example-provenance-{}-{}",
        std::process::id(),
        unix_millis_now()
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| StepError::failed(format!("cannot create {}: {e}", dir.display())))?;
    let traced = provenance::run(&chain, &dir.join("trace.db"), unix_millis_now());
    let _ = std::fs::remove_dir_all(&dir);
    let traced = traced?;
    print!("{}", traced.verified.timeline_text());
    println!(
        "provenance bundle: {} bytes; the shop opened the sealed lab report: {}",
        traced.bundle.len(),
        String::from_utf8_lossy(&traced.lab_report)
    );
    println!(
        "one changed byte in the farm's event: refused ({})",
        traced.tampered_refused
    );
    println!(
        "a reseller's \"sold\" event under a key the policy does not trust: refused ({})",
        traced.unauthorised_refused
    );
    Ok(())
}
