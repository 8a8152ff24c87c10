//! Evidence storage: a party notarises a file, sealed for the court; the court verifies the
//! evidence certificate offline (step 10 of `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example evidence`.

use causeway_examples::parties::Cast;
use causeway_examples::{evidence, StepError};

fn main() -> Result<(), StepError> {
    let cast = Cast::generate()?;
    let dir = std::env::temp_dir().join(format!(
        "causeway-example-evidence-{}-{}",
        std::process::id(),
        cast.bank.key_id()
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| StepError::failed(format!("cannot create {}: {e}", dir.display())))?;
    let db = dir.join("ledger.db");
    let done = (|| {
        causeway::ledger::sqlite::LocalLedger::create(
            &db,
            "northwind.example/ledger",
            &cast.bank.public(),
        )?;
        evidence::run(&cast, &db)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    let n = done?;
    let f = &n.facts;
    println!(
        "notarised: {} bytes, sha256 {}, {} \"{}\", entry {} (sealed copy: entry {})",
        f.length,
        hex_of(&f.sha256),
        f.media_type,
        f.label,
        n.index,
        n.sealed_index
    );
    println!(
        "certificate: {} bytes; verified offline in {:?}: recorded by {} at {} ms in {} (checkpoint of {} entries)",
        n.certificate.len(),
        n.verify_time,
        f.submitter,
        f.time_ms,
        f.origin,
        f.log_size
    );
    for (what, e) in &n.refusals {
        println!("refused: {what} ({})", e.code());
    }
    Ok(())
}

fn hex_of(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
