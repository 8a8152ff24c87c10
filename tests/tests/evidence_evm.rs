//! Evidence certificates verified online against real local anvil nodes (never a mock), issue
//! 15 §1: an anchored certificate is final on chain (the `finalized` tag) with the block's
//! time; it is refused on another chain, for another contract, before the node finalizes the
//! anchor, and without an anchor. `#[ignore]`d in a plain `cargo test`; run by
//! `scripts/suites/50-evm.sh` (`CAUSEWAY_ANVIL_URL`, `CAUSEWAY_ANVIL_URL_B` on chain 31338).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use causeway::anchor::evm::{BlockNumberOrTag, EvmAnchor, EvmKey, EvmNode};
use causeway::anchor::{anchor_ledger, AnchorReceipt, Finality};
use causeway::error::{AnchorError, EvidenceError};
use causeway::evidence::{
    evidence_receipt, AnchorCheck, Certificate, ContentDigest, Label, MediaType,
};
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::SecretKeys;
use serde_json::json;
use std::time::Instant;

fn url(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: these tests need anvil; run scripts/suites/50-evm.sh")
    })
}

fn funded_key(url: &str) -> EvmKey {
    let key = EvmKey::generate().unwrap();
    let node = EvmNode::connect(url, None).unwrap();
    let addr = format!("0x{}", hex::encode(key.address().unwrap()));
    node.raw_request(
        "anvil_setBalance",
        &json!([addr, "0x56BC75E2D63100000"]).to_string(),
    )
    .unwrap();
    key
}

fn mine(node: &EvmNode, blocks: u64) {
    node.raw_request("anvil_mine", &json!([format!("0x{blocks:x}")]).to_string())
        .unwrap();
}

fn finalized(n: &EvmNode) -> u64 {
    n.block_at(BlockNumberOrTag::Finalized)
        .unwrap()
        .map_or(0, |(num, _)| num)
}

#[test]
#[ignore = "needs anvil: run by scripts/suites/50-evm.sh"]
fn anchored_certificate_verifies_on_chain_and_only_there() {
    let a = url("CAUSEWAY_ANVIL_URL");
    let b = url("CAUSEWAY_ANVIL_URL_B");
    let origin = format!(
        "evidence.example/{}",
        hex::encode(&EvmKey::generate().unwrap().address().unwrap()[..6])
    );
    let dir = tempfile::tempdir().unwrap();
    let log = SecretKeys::generate().unwrap();
    let firm = SecretKeys::generate().unwrap();
    let ledger = LocalLedger::create(&dir.path().join("l.db"), &origin, &log.public()).unwrap();
    let content = vec![42u8; 300_000];
    let digest = ContentDigest::of_reader(&content[..]).unwrap();
    let r = evidence_receipt(
        &firm,
        &origin,
        1_764_547_200_000,
        &digest,
        &MediaType::new("image/jpeg").unwrap(),
        &Label::new("photo 3").unwrap(),
        None,
    )
    .unwrap();
    let index = ledger.append(&r).unwrap();

    // The log operator anchors (waiting for one confirmation), then the node finalizes.
    let key = funded_key(&a);
    let node = EvmNode::connect(&a, Some(&key)).unwrap();
    let (contract, from) = node.deploy_registry(&[origin.as_str()]).unwrap();
    let mut reg = EvmAnchor::new(node, contract, Finality::Confirmations(1));
    reg.set_from_block(from);
    let (rec, _note) = anchor_ledger(&reg, &ledger, &log, 1, 10, |_| Ok(())).unwrap();
    let ar = AnchorReceipt::for_entry(&reg, &ledger, &log, index, 2).unwrap();
    let cert = Certificate::from_anchor_receipt(ar).unwrap();
    let bytes = cert.to_bytes().unwrap();
    let cert = Certificate::from_bytes(&bytes).unwrap();

    let mut by_tag = EvmAnchor::new(
        EvmNode::connect(&a, None).unwrap(),
        contract,
        Finality::Finalized,
    );
    by_tag.set_from_block(from);
    let log_pub = log.public();
    // Not final under the `finalized` tag yet: refused (the registry's state at the finalized
    // block does not hold the anchor).
    let mut mined = 0;
    while finalized(by_tag.node()) < rec.block_number {
        let e = cert
            .verify_on_evm(&digest, &log_pub, &origin, &by_tag)
            .unwrap_err();
        assert!(
            matches!(e, EvidenceError::Anchor(AnchorError::NotAnchored { .. })),
            "{e:?}"
        );
        mine(by_tag.node(), 8);
        mined += 8;
        assert!(mined < 10_000, "the node never finalizes");
    }
    assert!(mined > 0, "final at once: the refusal above never ran");

    let t = Instant::now();
    let facts = cert
        .verify_on_evm(&digest, &log_pub, &origin, &by_tag)
        .unwrap();
    let online = t.elapsed();
    let anchor = facts.anchor.clone().unwrap();
    assert_eq!(anchor.check, AnchorCheck::OnChain);
    assert_eq!(anchor.block, rec.block_number);
    assert_eq!(anchor.block_hash, Some(rec.block_hash));
    assert_eq!(anchor.chain, by_tag_chain(&by_tag));
    let block_time = anchor.block_time.unwrap();
    assert!(block_time > 1_600_000_000, "{block_time}");
    assert_eq!(facts.index, index);
    assert_eq!(facts.submitter, firm.public().key_id());
    eprintln!(
        "evidence online verification (anvil, finalized tag): {online:?}; certificate {} bytes",
        bytes.len()
    );

    // A changed file is refused online too.
    let mut changed = content.clone();
    changed[7] ^= 1;
    assert!(matches!(
        cert.verify_on_evm(
            &ContentDigest::of_bytes(&changed),
            &log_pub,
            &origin,
            &by_tag
        ),
        Err(EvidenceError::ContentMismatch)
    ));
    // Another contract on the same chain: refused.
    let other_reg = {
        let k = funded_key(&a);
        let n = EvmNode::connect(&a, Some(&k)).unwrap();
        let (c, f) = n.deploy_registry(&[origin.as_str()]).unwrap();
        mine(&n, 200);
        let mut r = EvmAnchor::new(n, c, Finality::Finalized);
        r.set_from_block(f);
        r
    };
    assert!(matches!(
        cert.verify_on_evm(&digest, &log_pub, &origin, &other_reg),
        Err(EvidenceError::Anchor(AnchorError::WrongChain))
    ));
    // Another chain (31338), same contract address: refused.
    let mut elsewhere = EvmAnchor::new(
        EvmNode::connect(&b, None).unwrap(),
        contract,
        Finality::Finalized,
    );
    elsewhere.set_from_block(0);
    assert!(matches!(
        cert.verify_on_evm(&digest, &log_pub, &origin, &elsewhere),
        Err(EvidenceError::Anchor(AnchorError::WrongChain))
    ));
    // A certificate without an anchor has no on-chain answer.
    ledger.checkpoint(&log).unwrap();
    let plain = Certificate::from_ledger(&ledger, index, None).unwrap();
    assert!(matches!(
        plain.verify_on_evm(&digest, &log_pub, &origin, &by_tag),
        Err(EvidenceError::NotAnchored)
    ));
}

fn by_tag_chain(r: &EvmAnchor) -> causeway::anchor::ChainRef {
    use causeway::anchor::Anchor;
    r.chain()
}
