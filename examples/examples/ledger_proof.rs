//! The seal, grant and revocation land in a SQLite ledger; the regulator checks an inclusion
//! proof against a signed checkpoint (step 8 of `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example ledger_proof`.

use causeway_examples::parties::Cast;
use causeway_examples::{ledger_proof, share_record, StepError};

fn main() -> Result<(), StepError> {
    let cast = Cast::generate()?;
    let record = share_record::customer_record()?;
    let share_record::Versions {
        sealed: v0,
        granted: v0g,
        revoked: v1,
    } = share_record::run(&cast, &record)?;

    // A fresh folder for the ledger, removed afterwards.
    let dir = std::env::temp_dir().join(format!(
        "causeway-example-ledger-{}-{}",
        std::process::id(),
        v0.record_id()
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| StepError::failed(format!("cannot create {}: {e}", dir.display())))?;
    let logged = ledger_proof::run(&cast, &dir.join("ledger.db"), &v0, &v0g, &v1);
    let _ = std::fs::remove_dir_all(&dir);
    let logged = logged?;

    for (index, receipt) in &logged.entries {
        println!("entry {index}: {}", receipt.event().kind_name());
    }
    println!("signed checkpoint:\n{}", logged.note);
    println!(
        "the regulator verified entry {} with {} hashes; another receipt was refused: {}",
        ledger_proof::PROVEN_ENTRY,
        logged.proof.len(),
        logged.forged_refused
    );
    println!("audit: {} receipts", logged.audit.entries);
    Ok(())
}
