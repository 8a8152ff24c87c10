//! Trade finance paid on chain (step 11 of `causeway demo --chain URL`): escrow, a Groth16
//! payout, named refusals, a refund after the deadline, with gas.
//!
//! Run against a local dev node (anvil, which funds fresh accounts), with `node` and
//! `contracts/node_modules` installed (solc-js compiles the generated verifier):
//! `cargo run -p causeway-examples --features evm --example trade_chain -- http://127.0.0.1:8545`.

use causeway_examples::{anchoring, trade_chain, StepError};

fn main() -> Result<(), StepError> {
    let Some(url) = std::env::args().nth(1) else {
        return Err(StepError::failed(
            "usage: trade_chain URL (a local dev node)",
        ));
    };
    let node = causeway::anchor::evm::EvmNode::connect(&url, None)?;
    let (bank, _) = anchoring::fund_dev_account(&node)?;
    let (authority, _) = anchoring::fund_dev_account(&node)?;
    let t = trade_chain::run(&url, &bank, &authority)?;
    println!(
        "financing contract 0x{} on chain {}; verifier 0x{} for key {}",
        hex::encode(t.contract),
        t.chain_id,
        hex::encode(t.verifier.0),
        t.verifier.1
    );
    for (what, why) in &t.refused {
        println!("refused: {what} ({})", why.name());
    }
    println!(
        "paid {} wei to the exporter 0x{}; gas: deposit {}, payout {} (incl. Poseidon and Groth16), refund {}",
        t.exporter.1,
        hex::encode(t.exporter.0),
        t.gas.deposit,
        t.gas.payout,
        t.gas.refund
    );
    Ok(())
}
