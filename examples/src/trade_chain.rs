//! Step 11 of `causeway demo --chain URL` (feature `evm`): trade finance paid on chain.
//!
//! A port authority attests an exporter's orders and registers their roots in an
//! `IssuerRegistry`; the bank deploys the financing contract (the Groth16 verifier of the
//! two-record sum circuit, generated from a fresh single-party setup and compiled with the
//! pinned solc-js; the generated Poseidon contract) and escrows 1 ether for the exporter, payable
//! on a proof that two registered orders add up to at least 1 000 000.00. Refused, nothing
//! paid: the proof replayed to a second deal, an order whose root the authority revoked, a
//! tampered proof; then the valid proof pays, a second payout is refused, and the second deal is
//! refunded to the bank after its deadline (not before). Gas is measured for each.
//!
//! Compiling the verifier needs `node` and `contracts/node_modules` (solc-js; found through
//! `CAUSEWAY_CONTRACTS_DIR` or next to the source tree); `scripts/demo-chain.sh` installs them.
//! Moving the clock past the deadline uses the dev node's `evm_increaseTime`.

use crate::StepError;
use causeway::anchor::evm::{EvmIssuerRegistry, EvmKey, EvmNode, ISSUER_REGISTRY_ARTIFACT};
use causeway::anchor::trade::evm::{
    deal_revert_of, deploy_poseidon7, DealStatus, TradeFinanceContract, POSEIDON7_RECORDS,
};
use causeway::anchor::trade::{deal_roots, prove_deal, DealTerms};
use causeway::anchor::verifier::{proof_words, solidity_verifier};
use causeway::attest::{issue, AttestedRecord, Terms};
use causeway::error::{AnchorError, DealRevert};
use causeway::party::Party;
use causeway::record::{Record, Value};
use causeway::snark::{Circuit, VerifyingKey};
use std::path::PathBuf;
use std::process::Command;

/// The escrow: 1 ether, in wei.
pub const ESCROW_WEI: u128 = 1_000_000_000_000_000_000;
/// The orders the exporter claims with (1 500 000.00 in total).
pub const ORDERS: [&str; POSEIDON7_RECORDS] = ["900000.00", "600000.00"];
/// The agreed amount, in cents (1 000 000.00).
pub const THRESHOLD_CENTS: u64 = 100_000_000;

/// What step 11 established.
#[derive(Debug)]
pub struct TradeOnChain {
    /// The chain id.
    pub chain_id: u64,
    /// The financing contract.
    pub contract: [u8; 20],
    /// The Groth16 verifier contract (and the key id it checks).
    pub verifier: ([u8; 20], String),
    /// The exporter's account and what it received.
    pub exporter: ([u8; 20], u128),
    /// Gas: deploying the financing contract, opening a deal (deposit), the payout
    /// (Poseidon + Groth16 + registry), the refund.
    pub gas: Gas,
    /// The refusals, in order: what was tried and the contract's named error.
    pub refused: Vec<(&'static str, DealRevert)>,
}

/// Gas used by each transaction of the step.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gas {
    /// `TradeFinance` deployment.
    pub deploy: u64,
    /// `openDeal` (the deposit).
    pub deposit: u64,
    /// `claim` (the payout, including the Poseidon hash and the Groth16 verification).
    pub payout: u64,
    /// `refund`.
    pub refund: u64,
}

fn contracts_dir() -> PathBuf {
    std::env::var_os("CAUSEWAY_CONTRACTS_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_MANIFEST_DIR").map(|d| PathBuf::from(d).join("../contracts"))
        })
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../contracts")))
}

/// Compiles the generated verifier of `vk` with the pinned solc-js (`contracts/build.mjs`) and
/// returns its artifact JSON.
pub fn compile_verifier(vk: &VerifyingKey, name: &str) -> Result<String, StepError> {
    let fail = |w: String| StepError::Failed(w);
    let dir = std::env::temp_dir().join(format!(
        "causeway-trade-verifier-{}-{}",
        std::process::id(),
        vk.id().to_text().get(..24).unwrap_or("key")
    ));
    std::fs::create_dir_all(&dir).map_err(|e| fail(format!("temporary directory: {e}")))?;
    let result = (|| {
        let sol = dir.join(format!("{name}.sol"));
        std::fs::write(&sol, solidity_verifier(vk, name))
            .map_err(|e| fail(format!("writing the verifier: {e}")))?;
        let out = dir.join("out");
        let build = contracts_dir().join("build.mjs");
        let output = Command::new("node")
            .arg(&build)
            .arg("--file")
            .arg(&sol)
            .arg("--out")
            .arg(&out)
            .output()
            .map_err(|e| {
                fail(format!(
                    "compiling the verifier needs node and solc-js ({}): {e}",
                    build.display()
                ))
            })?;
        if !output.status.success() {
            return Err(fail(format!(
                "solc-js refused the generated verifier (contracts/node_modules installed?): {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        std::fs::read_to_string(out.join(format!("{name}.json")))
            .map_err(|e| fail(format!("reading the verifier artifact: {e}")))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn refused<T>(what: &'static str, r: Result<T, AnchorError>) -> Result<DealRevert, StepError> {
    match r {
        Ok(_) => Err(StepError::failed(format!("{what} was accepted"))),
        Err(e) => deal_revert_of(&e).ok_or_else(|| StepError::Sdk(e.into())),
    }
}

fn expect(what: &'static str, got: DealRevert, want: DealRevert) -> Result<(), StepError> {
    if got == want {
        Ok(())
    } else {
        Err(StepError::failed(format!(
            "{what}: refused with {} instead of {}",
            got.name(),
            want.name()
        )))
    }
}

fn order(
    issuer: &Party,
    exporter: &Party,
    no: i64,
    amount: &str,
) -> Result<AttestedRecord, StepError> {
    let terms = Terms {
        subject: exporter.key_id(),
        not_before: 0,
        not_after: u64::MAX / 2,
    };
    let rec = Record::new("trade/export-order/v1")?
        .with("order_id", Value::Int(no))?
        .with("amount", Value::decimal(amount)?)?;
    Ok(issue(issuer.keys(), &rec, &terms).map_err(causeway::Error::from)?)
}

fn latest_timestamp(node: &EvmNode) -> Result<u64, StepError> {
    let v: serde_json::Value =
        serde_json::from_str(&node.raw_request("eth_getBlockByNumber", r#"["latest", false]"#)?)
            .map_err(|e| StepError::failed(format!("block JSON: {e}")))?;
    v.get("timestamp")
        .and_then(|t| t.as_str())
        .and_then(|t| u64::from_str_radix(t.trim_start_matches("0x"), 16).ok())
        .ok_or_else(|| StepError::failed("the node's latest block has no timestamp"))
}

/// Step 11 on the node at `url`, the bank sending from `bank` and the port authority from
/// `authority` (both funded accounts).
pub fn run(url: &str, bank: &EvmKey, authority: &EvmKey) -> Result<TradeOnChain, StepError> {
    let node = EvmNode::connect(url, Some(bank))?;
    let chain_id = node.chain_id();
    let port = Party::generate()?;
    let exporter = Party::generate()?;
    let held: Vec<AttestedRecord> = ORDERS
        .iter()
        .enumerate()
        .map(|(i, a)| order(&port, &exporter, 8_001 + i as i64, a))
        .collect::<Result<_, _>>()?;
    let withdrawn = order(&port, &exporter, 8_003, "700000.00")?;

    // the authority's registry of attestation roots
    let registry = node
        .deploy_artifact(ISSUER_REGISTRY_ARTIFACT)?
        .contract_address
        .ok_or_else(|| StepError::failed("no registry deployed"))?;
    let reg = EvmIssuerRegistry::new(EvmNode::connect(url, Some(authority))?, registry);
    for a in held.iter().chain([&withdrawn]) {
        reg.register(&a.attestation().root().to_bytes())?;
    }
    reg.revoke(&withdrawn.attestation().root().to_bytes())?;

    // the bank's financing contract
    let shape = Circuit::Sum(POSEIDON7_RECORDS as u8);
    let pk = shape.setup()?;
    let vk = pk.verifying_key();
    let artifact = compile_verifier(vk, "TradeSumVerifier")?;
    let verifier = node
        .deploy_artifact(&artifact)?
        .contract_address
        .ok_or_else(|| StepError::failed("no verifier deployed"))?;
    let poseidon = deploy_poseidon7(&node)?
        .contract_address
        .ok_or_else(|| StepError::failed("no Poseidon contract deployed"))?;
    let (tf, deployed) =
        TradeFinanceContract::deploy(node, registry, verifier, poseidon, POSEIDON7_RECORDS)?;
    let node = tf.node();

    let terms = DealTerms {
        field: "amount".into(),
        type_tag: causeway::commit::type_tag(&Value::decimal("1.00")?),
        threshold: THRESHOLD_CENTS,
    };
    let exporter_account = EvmKey::generate()?.address()?;
    let issuer = authority.address()?;
    let deadline = latest_timestamp(node)?.saturating_add(86_400);
    let deal = tf.open_deal(exporter_account, issuer, &terms, deadline, ESCROW_WEI)?;
    let second = tf.open_deal(exporter_account, issuer, &terms, deadline, ESCROW_WEI)?;

    let mut rng = rand_core::OsRng;
    let refs: Vec<&AttestedRecord> = held.iter().collect();
    let roots = deal_roots(&refs.iter().map(|h| h.attestation()).collect::<Vec<_>>());
    let proof = prove_deal(&pk, &refs, &terms, deal.challenge, &mut rng)?;
    let mut refusals = Vec::new();

    let r = refused(
        "the proof replayed to the second deal",
        tf.claim(second.id, &roots, &proof),
    )?;
    expect("replay", r, DealRevert::ProofRejected)?;
    refusals.push(("the proof replayed to the second deal", r));

    let with_withdrawn = [&held[0], &withdrawn];
    let p = prove_deal(&pk, &with_withdrawn, &terms, deal.challenge, &mut rng)?;
    let w_roots = deal_roots(
        &with_withdrawn
            .iter()
            .map(|h| h.attestation())
            .collect::<Vec<_>>(),
    );
    let r = refused(
        "an order whose root was revoked",
        tf.claim(deal.id, &w_roots, &p),
    )?;
    expect("revoked root", r, DealRevert::RootRevoked)?;
    refusals.push(("a proof over an order whose root the authority revoked", r));

    let mut words = proof_words(&proof);
    if let Some(b) = words.get_mut(6).and_then(|w| w.get_mut(31)) {
        *b ^= 1;
    }
    let r = refused("a tampered proof", tf.claim_words(deal.id, &roots, &words))?;
    expect("tampered proof", r, DealRevert::ProofRejected)?;
    refusals.push(("the proof with one byte changed", r));
    if u128::try_from(node.balance(exporter_account)?).unwrap_or(u128::MAX) != 0 {
        return Err(StepError::failed(
            "the exporter was paid by a refused claim",
        ));
    }

    let paid = tf.claim(deal.id, &roots, &proof)?;
    let received = u128::try_from(node.balance(exporter_account)?).unwrap_or(0);
    if received != ESCROW_WEI || tf.deal(deal.id)?.status != DealStatus::Paid {
        return Err(StepError::failed("the valid proof did not pay the escrow"));
    }
    let r = refused("a second payout", tf.claim(deal.id, &roots, &proof))?;
    expect("second payout", r, DealRevert::AlreadyPaid)?;
    refusals.push(("the same proof again (a second payout)", r));

    let r = refused("a refund before the deadline", tf.refund(second.id))?;
    expect("early refund", r, DealRevert::DeadlineNotReached)?;
    refusals.push(("a refund of the second deal before its deadline", r));
    let now = latest_timestamp(node)?;
    node.raw_request(
        "evm_increaseTime",
        &format!("[{}]", deadline.saturating_sub(now).saturating_add(1)),
    )?;
    node.raw_request("evm_mine", "[]")?;
    let refund = tf.refund(second.id)?;
    if tf.deal(second.id)?.status != DealStatus::Refunded {
        return Err(StepError::failed("the refund did not happen"));
    }
    let r = refused("a second refund", tf.refund(second.id))?;
    expect("second refund", r, DealRevert::AlreadyRefunded)?;
    refusals.push(("a second refund", r));

    Ok(TradeOnChain {
        chain_id,
        contract: tf.address(),
        verifier: (verifier, vk.id().to_text()),
        exporter: (exporter_account, received),
        gas: Gas {
            deploy: deployed.gas_used,
            deposit: deal.outcome.gas_used,
            payout: paid.gas_used,
            refund: refund.gas_used,
        },
        refused: refusals,
    })
}
