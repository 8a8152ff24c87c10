//! Trade finance paid on chain (`contracts/src/TradeFinance.sol`) on a real anvil node: the
//! generated Poseidon contract agrees with core's Poseidon; a valid proof pays the exporter;
//! every refusal is a named revert with nothing paid (a smaller sum, a replay to another deal,
//! another contract's or chain's challenge, an unregistered or revoked root, a tampered proof,
//! a claim after the deadline, a refund before it, a second payout, a second refund); gas is
//! measured and printed. `#[ignore]`d in a plain `cargo test`; run by
//! `scripts/suites/50-evm.sh` (which starts anvil and sets `CAUSEWAY_ANVIL_URL`).

use ark_ff::{BigInteger, PrimeField, UniformRand};
use causeway::anchor::evm::{EvmIssuerRegistry, EvmKey, EvmNode, ISSUER_REGISTRY_ARTIFACT};
use causeway::anchor::trade::evm::{
    deal_revert_of, deploy_poseidon7, poseidon_on_chain, poseidon_words_on_chain, DealStatus,
    TradeFinanceContract, POSEIDON7_RECORDS,
};
use causeway::anchor::trade::{
    deal_challenge, deal_public_input, deal_roots, poseidon_inputs, prove_deal, DealTerms,
};
use causeway::anchor::verifier::{proof_words, solidity_verifier};
use causeway::attest::{issue, AttestedRecord, Terms};
use causeway::error::{AnchorError, DealRevert, ProveError};
use causeway::party::Party;
use causeway::record::{Record, Value};
use causeway::snark::{Circuit, Fr, ProvingKey};
use serde_json::json;

#[path = "support/evm_contracts.rs"]
mod evm_contracts;
use evm_contracts::{compile, url};

const ONE_ETH: u128 = 1_000_000_000_000_000_000;

fn funded_node() -> (EvmNode, EvmKey) {
    let u = url();
    let key = EvmKey::generate().unwrap();
    let addr = format!("0x{}", hex::encode(key.address().unwrap()));
    EvmNode::connect(&u, None)
        .unwrap()
        .raw_request(
            "anvil_setBalance",
            &json!([addr, "0x56BC75E2D63100000"]).to_string(),
        )
        .unwrap();
    (EvmNode::connect(&u, Some(&key)).unwrap(), key)
}

fn revert_of<T: std::fmt::Debug>(r: Result<T, AnchorError>) -> DealRevert {
    match r {
        Err(e) => deal_revert_of(&e).unwrap_or_else(|| panic!("not a named revert: {e:?}")),
        Ok(v) => panic!("accepted: {v:?}"),
    }
}

fn fr_u256(x: &Fr) -> alloy_u256::U256 {
    alloy_u256::U256::from_be_slice(&x.into_bigint().to_bytes_be())
}

mod alloy_u256 {
    pub use causeway::anchor::trade::evm::U256;
}

#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn poseidon_contract_matches_core() {
    let (node, _) = funded_node();
    let at = deploy_poseidon7(&node).unwrap().contract_address.unwrap();
    let n = poseidon_inputs(POSEIDON7_RECORDS);
    assert_eq!(n, 7);
    let mut rng = rand_core::OsRng;
    let minus_one = -Fr::from(1u64);
    let mut cases: Vec<Vec<Fr>> = vec![
        vec![Fr::from(0u64); n],
        vec![minus_one; n],
        (0..n as u64).map(Fr::from).collect(),
    ];
    for _ in 0..61 {
        cases.push((0..n).map(|_| Fr::rand(&mut rng)).collect());
    }
    for inputs in &cases {
        let want = causeway_circuits::poseidon::hash(inputs).unwrap();
        assert_eq!(poseidon_on_chain(&node, at, inputs).unwrap(), want);
    }
    println!("poseidon7: {} input vectors agree with core", cases.len());
    // gas of one hash, as a transaction
    let tx = node
        .transact(
            at,
            &causeway::anchor::trade::evm::poseidon_calldata(&cases[3]).unwrap(),
        )
        .unwrap();
    println!("gas: Poseidon7 hash as a transaction {}", tx.gas_used);
    // an input ≥ r is refused (never reduced), and so is another number of inputs
    let mut words: Vec<_> = cases[3].iter().map(fr_u256).collect();
    let r = fr_u256(&minus_one) + alloy_u256::U256::from(1u8);
    words[2] = fr_u256(&cases[3][2]) + r;
    assert!(matches!(
        poseidon_words_on_chain(&node, at, &words),
        Err(AnchorError::Rejected(_))
    ));
    assert!(matches!(
        poseidon_on_chain(&node, at, &cases[3][..6]),
        Err(AnchorError::Rejected(_))
    ));
}

fn order(issuer: &Party, exporter: &Party, no: i64, amount: &str) -> AttestedRecord {
    let terms = Terms {
        subject: exporter.key_id(),
        not_before: 0,
        not_after: u64::MAX / 2,
    };
    let rec = Record::new("trade/export-order/v1")
        .unwrap()
        .with("order_id", Value::Int(no))
        .unwrap()
        .with("amount", Value::decimal(amount).unwrap())
        .unwrap();
    issue(issuer.keys(), &rec, &terms).unwrap()
}

fn now(node: &EvmNode) -> u64 {
    let v: serde_json::Value = serde_json::from_str(
        &node
            .raw_request("eth_getBlockByNumber", r#"["latest", false]"#)
            .unwrap(),
    )
    .unwrap();
    u64::from_str_radix(
        v["timestamp"].as_str().unwrap().trim_start_matches("0x"),
        16,
    )
    .unwrap()
}

fn balance(node: &EvmNode, who: [u8; 20]) -> u128 {
    u128::try_from(node.balance(who).unwrap()).unwrap()
}

struct Fixture {
    pk: ProvingKey,
    terms: DealTerms,
    issuer_addr: [u8; 20],
    exporter_addr: [u8; 20],
    /// 600 000.00 and 550 000.00, registered.
    good: Vec<AttestedRecord>,
    /// 100.00, registered.
    small: AttestedRecord,
    /// 700 000.00, registered then revoked.
    revoked: AttestedRecord,
    /// 700 000.00, never registered.
    unregistered: AttestedRecord,
    registry: [u8; 20],
    verifier: [u8; 20],
    poseidon: [u8; 20],
}

fn fixture(node: &EvmNode) -> Fixture {
    let issuer = Party::generate().unwrap();
    let exporter = Party::generate().unwrap();
    let good = vec![
        order(&issuer, &exporter, 1, "600000.00"),
        order(&issuer, &exporter, 2, "550000.00"),
    ];
    let small = order(&issuer, &exporter, 3, "100.00");
    let revoked = order(&issuer, &exporter, 4, "700000.00");
    let unregistered = order(&issuer, &exporter, 5, "700000.00");

    let registry = node
        .deploy_artifact(ISSUER_REGISTRY_ARTIFACT)
        .unwrap()
        .contract_address
        .unwrap();
    let (issuer_node, issuer_key) = funded_node();
    let reg = EvmIssuerRegistry::new(issuer_node, registry);
    for a in good.iter().chain([&small, &revoked]) {
        reg.register(&a.attestation().root().to_bytes()).unwrap();
    }
    reg.revoke(&revoked.attestation().root().to_bytes())
        .unwrap();

    let pk = Circuit::Sum(POSEIDON7_RECORDS as u8).setup().unwrap();
    let verifier_artifact = compile(
        "TradeSumVerifier",
        &solidity_verifier(pk.verifying_key(), "TradeSumVerifier"),
    );
    let verifier = node
        .deploy_artifact(&verifier_artifact)
        .unwrap()
        .contract_address
        .unwrap();
    let poseidon = deploy_poseidon7(node).unwrap().contract_address.unwrap();
    Fixture {
        pk,
        terms: DealTerms {
            field: "amount".into(),
            type_tag: causeway::commit::type_tag(&Value::decimal("1.00").unwrap()),
            threshold: 100_000_000, // 1 000 000.00 in cents
        },
        issuer_addr: issuer_key.address().unwrap(),
        exporter_addr: EvmKey::generate().unwrap().address().unwrap(),
        good,
        small,
        revoked,
        unregistered,
        registry,
        verifier,
        poseidon,
    }
}

fn roots(held: &[&AttestedRecord]) -> Vec<[u8; 32]> {
    deal_roots(&held.iter().map(|h| h.attestation()).collect::<Vec<_>>())
}

#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn trade_finance_deals() {
    let (node, _) = funded_node();
    let snapshot = node.raw_request("evm_snapshot", "[]").unwrap();
    let f = fixture(&node);
    let (tf, deployed) =
        TradeFinanceContract::deploy(node, f.registry, f.verifier, f.poseidon, POSEIDON7_RECORDS)
            .unwrap();
    let node = tf.node();
    let mut rng = rand_core::OsRng;
    let me = node.sender().unwrap();

    // A mismatched setup is refused: k = 3 with the 7-input Poseidon contract.
    let (other_node, _) = funded_node();
    assert_eq!(
        revert_of(TradeFinanceContract::deploy(
            other_node, f.registry, f.verifier, f.poseidon, 3
        )),
        DealRevert::BadSetup
    );

    // Bad deals are refused.
    let t0 = now(node);
    let deadline = t0 + 3_600;
    assert_eq!(
        revert_of(tf.open_deal(f.exporter_addr, f.issuer_addr, &f.terms, deadline, 0)),
        DealRevert::NoEscrow
    );
    assert_eq!(
        revert_of(tf.open_deal(f.exporter_addr, f.issuer_addr, &f.terms, t0, ONE_ETH)),
        DealRevert::DeadlineInPast
    );
    let zero = DealTerms {
        threshold: 0,
        ..f.terms.clone()
    };
    assert_eq!(
        revert_of(tf.open_deal(f.exporter_addr, f.issuer_addr, &zero, deadline, ONE_ETH)),
        DealRevert::BadTerms
    );
    assert_eq!(
        revert_of(tf.open_deal([0; 20], f.issuer_addr, &f.terms, deadline, ONE_ETH)),
        DealRevert::BadTerms
    );

    let deal = tf
        .open_deal(f.exporter_addr, f.issuer_addr, &f.terms, deadline, ONE_ETH)
        .unwrap();
    let open_gas = deal.outcome.gas_used;
    assert_eq!(deal.challenge, tf.challenge_on_chain(deal.id).unwrap());
    let good: Vec<&AttestedRecord> = f.good.iter().collect();
    let good_roots = roots(&good);
    // The contract's public input is core's.
    assert_eq!(
        tf.public_input(deal.id, &good_roots).unwrap(),
        deal_public_input(&good_roots, &f.terms, deal.challenge).unwrap()
    );
    let contract_before = balance(node, tf.address());
    let exporter_before = balance(node, f.exporter_addr);
    assert_eq!(exporter_before, 0);
    let nothing_paid = |what: &str| {
        assert_eq!(balance(node, tf.address()), contract_before, "{what}");
        assert_eq!(balance(node, f.exporter_addr), 0, "{what}");
    };

    // A sum below the threshold cannot be proven; a true smaller claim proven instead does
    // not pay.
    let small_pair = [&f.good[0], &f.small];
    assert!(matches!(
        prove_deal(&f.pk, &small_pair, &f.terms, deal.challenge, &mut rng),
        Err(ProveError::Unsatisfied)
    ));
    let smaller = DealTerms {
        threshold: 60_000_000,
        ..f.terms.clone()
    };
    let p = prove_deal(&f.pk, &small_pair, &smaller, deal.challenge, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &roots(&small_pair), &p)),
        DealRevert::ProofRejected
    );
    nothing_paid("smaller sum");

    // An unregistered root and a revoked root.
    let pair = [&f.good[0], &f.unregistered];
    let p = prove_deal(&f.pk, &pair, &f.terms, deal.challenge, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &roots(&pair), &p)),
        DealRevert::RootNotRegistered
    );
    let pair = [&f.good[0], &f.revoked];
    let p = prove_deal(&f.pk, &pair, &f.terms, deal.challenge, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &roots(&pair), &p)),
        DealRevert::RootRevoked
    );
    nothing_paid("unregistered or revoked");

    // Repeated, out-of-field and miscounted roots.
    let valid = prove_deal(&f.pk, &good, &f.terms, deal.challenge, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &[good_roots[0], good_roots[0]], &valid)),
        DealRevert::RepeatedRoot
    );
    assert_eq!(
        revert_of(tf.claim(deal.id, &[good_roots[0], [0xff; 32]], &valid)),
        DealRevert::RootNotInField
    );
    assert_eq!(
        revert_of(tf.claim(deal.id, &good_roots[..1], &valid)),
        DealRevert::WrongRootCount
    );
    // The valid proof with the roots swapped is another statement.
    assert_eq!(
        revert_of(tf.claim(deal.id, &[good_roots[1], good_roots[0]], &valid)),
        DealRevert::ProofRejected
    );

    // Another chain's and another contract's challenge for the same deal id.
    let other_chain = deal_challenge(node.chain_id() + 1, &tf.address(), deal.id);
    let p = prove_deal(&f.pk, &good, &f.terms, other_chain, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &good_roots, &p)),
        DealRevert::ProofRejected
    );
    let (node_b, _) = funded_node();
    let (tf_b, _) =
        TradeFinanceContract::deploy(node_b, f.registry, f.verifier, f.poseidon, 2).unwrap();
    let deal_b = tf_b
        .open_deal(f.exporter_addr, f.issuer_addr, &f.terms, deadline, ONE_ETH)
        .unwrap();
    assert_eq!(deal_b.id, deal.id);
    assert_ne!(deal_b.challenge, deal.challenge);
    let for_b = prove_deal(&f.pk, &good, &f.terms, deal_b.challenge, &mut rng).unwrap();
    assert_eq!(
        revert_of(tf.claim(deal.id, &good_roots, &for_b)),
        DealRevert::ProofRejected
    );

    // A tampered proof: one changed byte in each word in turn.
    let words = proof_words(&valid);
    for w in 0..8 {
        let mut bad = words;
        bad[w][31] ^= 1;
        assert_eq!(
            revert_of(tf.claim_words(deal.id, &good_roots, &bad)),
            DealRevert::ProofRejected,
            "word {w}"
        );
    }
    nothing_paid("wrong challenge or tampered proof");
    assert_eq!(tf.deal(deal.id).unwrap().status, DealStatus::Open);

    // The valid proof pays the exporter the escrow, exactly once.
    let paid = tf.claim(deal.id, &good_roots, &valid).unwrap();
    let claim_gas = paid.gas_used;
    assert_eq!(balance(node, f.exporter_addr), ONE_ETH);
    assert_eq!(balance(node, tf.address()), contract_before - ONE_ETH);
    assert_eq!(tf.deal(deal.id).unwrap().status, DealStatus::Paid);
    assert_eq!(
        revert_of(tf.claim(deal.id, &good_roots, &valid)),
        DealRevert::AlreadyPaid
    );
    assert_eq!(revert_of(tf.refund(deal.id)), DealRevert::AlreadyPaid);
    assert_eq!(balance(node, f.exporter_addr), ONE_ETH);
    // Contract B's proof pays in contract B only.
    // (the exporter's account exists now: this payout has no account-creation surcharge)
    let claim_existing_gas = tf_b.claim(deal_b.id, &good_roots, &for_b).unwrap().gas_used;
    assert_eq!(balance(node, f.exporter_addr), 2 * ONE_ETH);

    // A second deal: the first deal's proof replayed to it is refused; no refund before the
    // deadline; no claim after it; the refund goes to the funder, once.
    let deal2 = tf
        .open_deal(f.exporter_addr, f.issuer_addr, &f.terms, deadline, ONE_ETH)
        .unwrap();
    assert_eq!(deal2.id, deal.id + 1);
    assert_eq!(
        revert_of(tf.claim(deal2.id, &good_roots, &valid)),
        DealRevert::ProofRejected
    );
    assert_eq!(
        revert_of(tf.refund(deal2.id)),
        DealRevert::DeadlineNotReached
    );
    assert_eq!(revert_of(tf.refund(99)), DealRevert::UnknownDeal);
    let valid2 = prove_deal(&f.pk, &good, &f.terms, deal2.challenge, &mut rng).unwrap();
    let t = now(node);
    node.raw_request("evm_increaseTime", &format!("[{}]", deadline - t + 1))
        .unwrap();
    node.raw_request("evm_mine", "[]").unwrap();
    assert_eq!(
        revert_of(tf.claim(deal2.id, &good_roots, &valid2)),
        DealRevert::DeadlinePassed
    );
    assert_eq!(balance(node, f.exporter_addr), 2 * ONE_ETH);
    // Anyone may trigger the refund; it goes to the funder (here `me`), so a third party sends
    // it and the funder's balance grows by the escrow exactly.
    let (third, _) = funded_node();
    let tf3 = TradeFinanceContract::at(third, tf.address());
    let funder_before = balance(node, me);
    let refunded = tf3.refund(deal2.id).unwrap();
    let refund_gas = refunded.gas_used;
    assert_eq!(balance(node, me), funder_before + ONE_ETH);
    assert_eq!(tf.deal(deal2.id).unwrap().status, DealStatus::Refunded);
    assert_eq!(revert_of(tf3.refund(deal2.id)), DealRevert::AlreadyRefunded);
    assert_eq!(
        revert_of(tf.claim(deal2.id, &good_roots, &valid2)),
        DealRevert::AlreadyRefunded
    );
    assert_eq!(balance(node, me), funder_before + ONE_ETH);
    assert_eq!(balance(node, tf.address()), contract_before - ONE_ETH);

    println!(
        "gas: deploy {} | openDeal (deposit) {open_gas} | claim (payout, incl. Poseidon and Groth16) to a new account {claim_gas} ({:.3}x the 400k target), to an existing account {claim_existing_gas} ({:.3}x) | refund {refund_gas}",
        deployed.gas_used,
        claim_gas as f64 / 400_000.0,
        claim_existing_gas as f64 / 400_000.0
    );
    // The issue's target: a payout of at most 400k gas including the proof verification (met
    // for an exporter account that exists; creating a new account costs 25,000 more).
    assert!(
        claim_existing_gas <= 400_000,
        "payout {claim_existing_gas} gas is over the 400k target"
    );
    assert!(
        claim_gas <= 425_000,
        "payout to a new account {claim_gas} gas grew"
    );
    assert!(open_gas <= 170_000 && refund_gas <= 50_000);
    node.raw_request("evm_revert", &format!("[{snapshot}]"))
        .unwrap();
}
