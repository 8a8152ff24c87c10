//! Anchor receipts verified offline (no node): the ledger evidence, the operator's signed
//! statement and its binding to a chain id, a contract and a log origin. The chain side is
//! tested against real anvil nodes in `anchor_evm.rs` (scripts/suites/50-evm.sh).

use causeway::anchor::{anchored_value, AnchorReceipt, AnchorRecord, ChainRef};
use causeway::error::AnchorError;
use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
use causeway::ledger::receipt::{AttestationEvent, Event, Receipt};
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::SecretKeys;

struct Fixture {
    _dir: tempfile::TempDir,
    ledger: LocalLedger,
    log_keys: SecretKeys,
    origin: String,
    notes: Vec<String>,
}

/// A ledger of `sizes.last()` entries with a signed checkpoint at each size in `sizes`.
fn fixture(origin: &str, sizes: &[u64]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log_keys = SecretKeys::generate().unwrap();
    let issuer = SecretKeys::generate().unwrap();
    let ledger =
        LocalLedger::create(&dir.path().join("log.db"), origin, &log_keys.public()).unwrap();
    let mut n = 0u64;
    let mut notes = Vec::new();
    for &size in sizes {
        while n < size {
            n += 1;
            let mut id = [0u8; 32];
            id[..8].copy_from_slice(&n.to_be_bytes());
            let r = Receipt::new(
                &issuer,
                origin,
                n,
                Event::AttestationIssued(AttestationEvent {
                    revocation_handle: id,
                    issuer: issuer.public().key_id(),
                }),
            )
            .unwrap();
            ledger.append(&r).unwrap();
        }
        notes.push(ledger.checkpoint(&log_keys).unwrap());
    }
    Fixture {
        _dir: dir,
        ledger,
        log_keys,
        origin: origin.to_owned(),
        notes,
    }
}

const CHAIN: ChainRef = ChainRef {
    chain_id: 31337,
    contract: [0xab; 20],
};

/// The anchor of `note` as the registry holds it now (its anchored value).
fn record(f: &Fixture, note: &str) -> (AnchorRecord, Checkpoint) {
    let (mut rec, cp) = record_v1(f, note);
    rec.root = anchored_value(&cp).unwrap();
    (rec, cp)
}

/// The anchor of `note` as registries held it before issue 11 (the bare Merkle root).
fn record_v1(f: &Fixture, note: &str) -> (AnchorRecord, Checkpoint) {
    let cp = Checkpoint::open(note, &f.origin, &f.log_keys.public()).unwrap();
    (
        AnchorRecord {
            origin: f.origin.clone(),
            size: cp.size,
            root: cp.root,
            chain: CHAIN,
            block_number: 42,
            block_hash: [0x42; 32],
            tx_hash: [0x17; 32],
            submitter: [0x01; 20],
        },
        cp,
    )
}

#[test]
fn every_entry_verifies_against_every_later_anchor() {
    let sizes = [1u64, 2, 3, 5, 8, 13];
    let f = fixture("receipts.example/all", &sizes);
    let log_pub = f.log_keys.public();
    for (i, note) in f.notes.iter().enumerate() {
        let proven_size = sizes[i];
        for anchored_note in &f.notes[i..] {
            let (rec, anchored) = record(&f, anchored_note);
            for index in 0..proven_size {
                let r = AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, index, note, &rec, 7)
                    .unwrap();
                let back = AnchorReceipt::from_bytes(&r.to_bytes().unwrap()).unwrap();
                assert_eq!(back, r);
                let v = back.verify_offline(&log_pub, &anchored, &CHAIN).unwrap();
                assert_eq!(v.index, index);
                assert_eq!(v.checkpoint.size, proven_size);
                assert_eq!(v.record.size, anchored.size);
            }
        }
    }
}

#[test]
fn binding_to_chain_contract_origin_and_key() {
    let f = fixture("receipts.example/binding", &[4, 9]);
    let log_pub = f.log_keys.public();
    let (rec, anchored) = record(&f, &f.notes[1]);
    let r = AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 2, &f.notes[0], &rec, 7).unwrap();
    r.verify_offline(&log_pub, &anchored, &CHAIN).unwrap();

    let other_chain = ChainRef {
        chain_id: 1,
        ..CHAIN
    };
    assert_eq!(
        r.verify_offline(&log_pub, &anchored, &other_chain),
        Err(AnchorError::WrongChain)
    );
    let mut other_contract = CHAIN;
    other_contract.contract[0] ^= 0x80;
    assert_eq!(
        r.verify_offline(&log_pub, &anchored, &other_contract),
        Err(AnchorError::WrongChain)
    );
    // Another anchored checkpoint (root or size) than the statement's.
    let mut wrong_root = anchored.clone();
    wrong_root.root[31] ^= 1;
    assert!(r.verify_offline(&log_pub, &wrong_root, &CHAIN).is_err());
    let (_, smaller) = record(&f, &f.notes[0]);
    assert!(r.verify_offline(&log_pub, &smaller, &CHAIN).is_err());
    // Another origin.
    let mut renamed = anchored.clone();
    renamed.origin = "receipts.example/other".into();
    assert!(r.verify_offline(&log_pub, &renamed, &CHAIN).is_err());
    // Another log key.
    let stranger = SecretKeys::generate().unwrap();
    assert!(r
        .verify_offline(&stranger.public(), &anchored, &CHAIN)
        .is_err());
    // A statement signed by someone else than the log key, for the right chain: refused.
    let mut forged = r.clone();
    forged.anchored = AnchorReceipt::statement(&stranger, 7, &rec).unwrap();
    assert!(forged.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    // A statement for the same checkpoint on another chain does not transfer.
    let mut moved = rec.clone();
    moved.chain = other_chain;
    moved.root = anchored.root; // a statement names the Merkle root
    let mut swapped = r.clone();
    swapped.anchored = AnchorReceipt::statement(&f.log_keys, 7, &moved).unwrap();
    assert_eq!(
        swapped.verify_offline(&log_pub, &anchored, &CHAIN),
        Err(AnchorError::WrongChain)
    );
    swapped
        .verify_offline(&log_pub, &anchored, &other_chain)
        .unwrap();
}

#[test]
fn wrong_index_proofs_and_uncovered_entries_fail() {
    let f = fixture("receipts.example/proofs", &[6, 11]);
    let log_pub = f.log_keys.public();
    let (rec, anchored) = record(&f, &f.notes[1]);
    let r = AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 3, &f.notes[0], &rec, 7).unwrap();
    let mut m = r.clone();
    m.index = 4;
    assert!(m.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    let mut m = r.clone();
    m.inclusion.pop();
    assert!(m.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    let mut m = r.clone();
    m.consistency[0][0] ^= 1;
    assert!(m.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    let mut m = r.clone();
    m.consistency.clear();
    assert!(m.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    let mut m = r.clone();
    m.entry = f.ledger.receipt(2).unwrap();
    assert!(m.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    // An entry beyond the proven checkpoint, or a checkpoint beyond the anchor.
    assert!(AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 6, &f.notes[0], &rec, 7).is_err());
    let (small, _) = record(&f, &f.notes[0]);
    assert!(AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 1, &f.notes[1], &small, 7).is_err());
    // Every single-bit flip of the wire form is refused (parse or offline verification),
    // except in the block hash, which only the online check reads (in version 2 it is
    // followed by the anchored note).
    let bytes = r.to_bytes().unwrap();
    assert_eq!(bytes[2], 2, "version 2");
    let note_len = 4 + r.anchored_checkpoint.as_ref().unwrap().note().len();
    let block_hash = bytes.len() - note_len - 32..bytes.len() - note_len;
    for i in (0..bytes.len()).filter(|i| !block_hash.contains(i)) {
        for bit in [0x01u8, 0x80] {
            let mut b = bytes.clone();
            b[i] ^= bit;
            let ok = AnchorReceipt::from_bytes(&b)
                .and_then(|x| x.verify_offline(&log_pub, &anchored, &CHAIN))
                .is_ok();
            assert!(!ok, "flip at byte {i} accepted");
        }
    }
    // Truncations and trailing bytes.
    for n in 0..bytes.len() {
        assert!(AnchorReceipt::from_bytes(&bytes[..n]).is_err());
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(AnchorReceipt::from_bytes(&long).is_err());
}

/// Issue 11 item 4: the anchored value covers the revocation line. The operator's second note
/// with the same size and root and an empty revocation line is not the anchored checkpoint:
/// its anchored value differs (the registry refuses a second anchor of the size, a fork), and
/// a receipt for the anchored note does not verify against it.
#[test]
fn the_anchor_binds_the_revocation_line() {
    let mut f = fixture("receipts.example/revocations", &[3, 6]);
    let log_pub = f.log_keys.public();
    // One revocation, then the anchored checkpoint (size 7, one revocation).
    let issuer = SecretKeys::generate().unwrap();
    let revoked = Receipt::new(
        &issuer,
        &f.origin,
        9,
        Event::AttestationRevoked(AttestationEvent {
            revocation_handle: [5; 32],
            issuer: issuer.public().key_id(),
        }),
    )
    .unwrap();
    f.ledger.append(&revoked).unwrap();
    f.notes[1] = f.ledger.checkpoint(&f.log_keys).unwrap();
    let (rec, anchored) = record(&f, &f.notes[1]);
    assert_eq!(anchored.revocations().unwrap().unwrap().0, 1);
    // The operator's second note: same size and root, an empty revocation line.
    let mut evil = anchored.clone();
    evil.extensions = vec![Checkpoint::revocations_line(0, &[0; 32])];
    assert_ne!(evil, anchored);
    let evil_note = evil.sign(&f.origin, &f.log_keys).unwrap();
    let evil = Checkpoint::open(&evil_note, &f.origin, &log_pub).unwrap();
    assert_eq!((evil.size, evil.root), (anchored.size, anchored.root));
    assert_ne!(anchored_value(&evil).unwrap(), rec.root);
    assert!(rec.is_of(&anchored).unwrap());
    assert!(!rec.is_of(&evil).unwrap());

    let r = AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 1, &f.notes[0], &rec, 7).unwrap();
    assert_eq!(
        r.anchored_checkpoint.as_ref().map(|c| c.note()),
        Some(f.notes[1].as_str())
    );
    assert_eq!(r.claimed_anchor().unwrap().root, rec.root);
    r.verify_offline(&log_pub, &anchored, &CHAIN).unwrap();
    assert!(r.verify_offline(&log_pub, &evil, &CHAIN).is_err());
    // A receipt carrying the evil note claims another anchored value than the chain's.
    let mut swapped = r.clone();
    swapped.anchored_checkpoint = Some(SignedCheckpoint::parse(&evil_note).unwrap());
    assert_ne!(swapped.claimed_anchor().unwrap().root, rec.root);
    assert!(swapped.verify_offline(&log_pub, &anchored, &CHAIN).is_err());
    // A record for a value that is neither the note's anchored value nor its root: refused.
    let mut other = rec.clone();
    other.root[0] ^= 1;
    assert!(AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 1, &f.notes[0], &other, 7).is_err());
}

/// Version-1 receipts (anchors of the bare root, made before issue 11) still decode and verify
/// for entry inclusion; they bind no revocation state (`is_of` is false).
#[test]
fn version_1_receipts_still_verify() {
    let f = fixture("receipts.example/v1", &[2, 5]);
    let log_pub = f.log_keys.public();
    let (rec, anchored) = record_v1(&f, &f.notes[1]);
    let r = AnchorReceipt::from_ledger(&f.ledger, &f.log_keys, 1, &f.notes[0], &rec, 7).unwrap();
    assert_eq!(r.anchored_checkpoint, None);
    let bytes = r.to_bytes().unwrap();
    assert_eq!(bytes[2], 1, "version 1");
    let back = AnchorReceipt::from_bytes(&bytes).unwrap();
    assert_eq!(back, r);
    back.verify_offline(&log_pub, &anchored, &CHAIN).unwrap();
    assert_eq!(back.claimed_anchor().unwrap().root, anchored.root);
    assert!(!rec.is_of(&anchored).unwrap());
    // A version-1 body with a version-2 header (no anchored note) does not parse.
    let mut b = bytes.clone();
    b[2] = 2;
    assert!(AnchorReceipt::from_bytes(&b).is_err());
}
