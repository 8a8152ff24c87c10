//! The ledger of step 8 anchored on an EVM chain; an anchor receipt verifies online and
//! offline, and not for another chain (step 10 of `causeway demo --chain URL`).
//!
//! Run against a local dev node (anvil, which funds a fresh account):
//! `cargo run -p causeway-examples --features evm --example anchoring -- http://127.0.0.1:8545`.

use causeway_examples::parties::Cast;
use causeway_examples::{anchoring, ledger_proof, share_record, StepError};

fn main() -> Result<(), StepError> {
    let Some(url) = std::env::args().nth(1) else {
        return Err(StepError::failed("usage: anchoring URL (a local dev node)"));
    };
    let cast = Cast::generate()?;
    let record = share_record::customer_record()?;
    let share_record::Versions {
        sealed: v0,
        granted: v0g,
        revoked: v1,
    } = share_record::run(&cast, &record)?;
    let dir = std::env::temp_dir().join(format!(
        "causeway-example-anchoring-{}-{}",
        std::process::id(),
        v0.record_id()
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| StepError::failed(format!("cannot create {}: {e}", dir.display())))?;
    let db = dir.join("ledger.db");
    let result = (|| {
        ledger_proof::run(&cast, &db, &v0, &v0g, &v1)?;
        let ledger = causeway::ledger::sqlite::LocalLedger::open(&db)?;
        let node = causeway::anchor::evm::EvmNode::connect(&url, None)?;
        let (account, _) = anchoring::fund_dev_account(&node)?;
        anchoring::run(&url, &account, None, &ledger, cast.bank.keys(), 1)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    let a = result?;
    println!(
        "anchored {} size {} in block {} on chain {} ({} gas); the receipt for entry 1 verifies online and offline, and not for chain {}",
        a.record.origin, a.record.size, a.record.block_number, a.chain_id, a.gas, a.other_chain_id
    );
    Ok(())
}
