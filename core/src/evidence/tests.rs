#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::*;
use crate::anchor::{anchored_value, AnchorReceipt, AnchorRecord, ChainRef};
use crate::error::{AnchorError, Error, ErrorKind};
use crate::ledger::receipt::AttestationEvent;
use crate::ledger::sqlite::LocalLedger;
use crate::party::Party;
use crate::seal::stream::StreamOpener;

const ORIGIN: &str = "court.example/evidence";

fn party(seed: u8) -> Party {
    Party::from_keys(SecretKeys::from_seeds(
        &[seed; 32],
        &[seed.wrapping_add(100); 32],
    ))
}

struct Fixture {
    _dir: tempfile::TempDir,
    ledger: LocalLedger,
    log: Party,
    firm: Party,
    content: Vec<u8>,
    index: u64,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let log = party(1);
    let firm = party(2);
    let ledger = LocalLedger::create(&dir.path().join("l.db"), ORIGIN, &log.public()).unwrap();
    // Some other entries around the evidence.
    for i in 0..3u8 {
        let r = Receipt::new(
            firm.keys(),
            ORIGIN,
            1,
            Event::AttestationIssued(AttestationEvent {
                revocation_handle: [i; 32],
                issuer: firm.key_id(),
            }),
        )
        .unwrap();
        ledger.append(&r).unwrap();
    }
    let content = b"the signed delivery note, scanned".repeat(5000);
    let digest = ContentDigest::of_reader(&content[..]).unwrap();
    let r = evidence_receipt(
        firm.keys(),
        ORIGIN,
        1_700_000_000_123,
        &digest,
        &MediaType::new("application/pdf").unwrap(),
        &Label::new("exhibit 12").unwrap(),
        None,
    )
    .unwrap();
    let index = ledger.append(&r).unwrap();
    ledger.checkpoint(log.keys()).unwrap();
    Fixture {
        _dir: dir,
        ledger,
        log,
        firm,
        content,
        index,
    }
}

fn code<T: core::fmt::Debug>(r: Result<T, EvidenceError>) -> &'static str {
    let e = r.unwrap_err();
    Error::from(e).code()
}

fn anchored(f: &Fixture, chain: ChainRef) -> Certificate {
    // More entries after the checkpoint, then the anchored checkpoint.
    let more = Receipt::new(
        f.firm.keys(),
        ORIGIN,
        2,
        Event::AttestationIssued(AttestationEvent {
            revocation_handle: [9; 32],
            issuer: f.firm.key_id(),
        }),
    )
    .unwrap();
    f.ledger.append(&more).unwrap();
    let note = f.ledger.checkpoint(f.log.keys()).unwrap();
    let cp = SignedCheckpoint::open(&note, ORIGIN, &f.log.public()).unwrap();
    // The record an anchor on `chain` would return (offline verification never asks the
    // chain; the online path is tested against anvil in tests/tests/evidence_evm.rs).
    let record = AnchorRecord {
        origin: ORIGIN.into(),
        size: cp.checkpoint().size,
        root: anchored_value(cp.checkpoint()).unwrap(),
        chain,
        block_number: 42,
        block_hash: [4; 32],
        tx_hash: [5; 32],
        submitter: [6; 20],
    };
    let first = f.ledger.checkpoint_at(f.index + 1).unwrap().unwrap();
    let first = SignedCheckpoint::open(&first, ORIGIN, &f.log.public()).unwrap();
    let ar =
        AnchorReceipt::from_source(&f.ledger, f.log.keys(), f.index, &first, &record, 7).unwrap();
    Certificate::from_anchor_receipt(ar).unwrap()
}

use crate::ledger::checkpoint::SignedCheckpoint;

const CHAIN: ChainRef = ChainRef {
    chain_id: 31337,
    contract: [0xaa; 20],
};

#[test]
fn offline_round_trip_and_facts() {
    let f = fixture();
    let cert = Certificate::from_ledger(&f.ledger, f.index, None).unwrap();
    let bytes = cert.to_bytes().unwrap();
    assert_eq!(&bytes[..4], b"CW\x01\x51");
    let back = Certificate::from_bytes(&bytes).unwrap();
    assert_eq!(back, cert);
    assert_eq!(back.to_bytes().unwrap(), bytes);
    let digest = ContentDigest::of_bytes(&f.content);
    let facts = back.verify(&digest, &f.log.public(), ORIGIN, None).unwrap();
    assert_eq!(facts.sha256, digest.sha256);
    assert_eq!(facts.length, f.content.len() as u64);
    assert_eq!(facts.submitter, f.firm.key_id());
    assert_eq!(facts.time_ms, 1_700_000_000_123);
    assert_eq!(facts.index, 3);
    assert_eq!(facts.log_size, 4);
    assert_eq!(facts.log_root, f.ledger.root().unwrap());
    assert_eq!(facts.media_type.as_str(), "application/pdf");
    assert_eq!(facts.label.as_str(), "exhibit 12");
    assert!(facts.anchor.is_none());
    assert_eq!(facts.to_json()["origin"], ORIGIN);
    // On-chain verification needs an anchor.
    assert!(!cert.is_anchored());
}

#[test]
fn refusals_offline() {
    let f = fixture();
    let cert = Certificate::from_ledger(&f.ledger, f.index, None).unwrap();
    let digest = ContentDigest::of_bytes(&f.content);
    let key = f.log.public();
    // A changed file: one byte flipped, one byte cut, one byte added.
    let mut changed = f.content.clone();
    changed[1000] ^= 1;
    let mut cut = f.content.clone();
    cut.pop();
    let mut longer = f.content.clone();
    longer.push(b'x');
    for c in [changed, cut, longer] {
        let r = cert.verify(&ContentDigest::of_bytes(&c), &key, ORIGIN, None);
        assert_eq!(code(r), "evidence.content_mismatch");
    }
    // Same digest, another length (a certificate can't be satisfied by a digest alone).
    let wrong_len = ContentDigest {
        sha256: digest.sha256,
        length: digest.length + 1,
    };
    assert_eq!(
        code(cert.verify(&wrong_len, &key, ORIGIN, None)),
        "evidence.content_mismatch"
    );
    // Another log's key, another origin.
    assert_eq!(
        code(cert.verify(&digest, &f.firm.public(), ORIGIN, None)),
        "log.bad_signature"
    );
    let e = cert
        .verify(&digest, &key, "court.example/other", None)
        .unwrap_err();
    assert_eq!(Error::from(e).kind(), ErrorKind::Denied);
    // Not anchored: no on-chain answer.
    assert!(cert.anchor_receipt([0; 32]).is_none());
}

#[test]
fn every_changed_byte_and_every_truncation_is_refused() {
    let f = fixture();
    let digest = ContentDigest::of_bytes(&f.content);
    let key = f.log.public();
    for cert in [
        Certificate::from_ledger(&f.ledger, f.index, None).unwrap(),
        anchored(&f, CHAIN),
    ] {
        let bytes = cert.to_bytes().unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            let ok = Certificate::from_bytes(&b)
                .and_then(|c| c.verify(&digest, &key, ORIGIN, Some(&CHAIN)));
            assert!(ok.is_err(), "flip at {i} of {} accepted", bytes.len());
        }
        for n in 0..bytes.len() {
            assert!(Certificate::from_bytes(&bytes[..n]).is_err(), "cut at {n}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            code(Certificate::from_bytes(&longer)),
            "decode.trailing_data"
        );
    }
}

#[test]
fn a_receipt_of_another_kind_is_refused() {
    let f = fixture();
    let cert = Certificate::from_ledger(&f.ledger, 0, None);
    assert_eq!(code(cert), "evidence.not_evidence");
    // The same, smuggled into the bytes of a certificate.
    let good = Certificate::from_ledger(&f.ledger, f.index, None).unwrap();
    let other = f.ledger.receipt(0).unwrap();
    let mut b = b"CW\x01\x51".to_vec();
    b.extend_from_slice(&0u64.to_be_bytes());
    crate::encoding::put_bytes_u32(&mut b, other.as_bytes());
    let tail = good.to_bytes().unwrap();
    let skip = 4 + 8 + 4 + good.receipt().as_bytes().len();
    b.extend_from_slice(&tail[skip..]);
    assert_eq!(code(Certificate::from_bytes(&b)), "evidence.not_evidence");
}

#[test]
fn anchored_offline_and_wrong_chain() {
    let f = fixture();
    let cert = anchored(&f, CHAIN);
    let bytes = cert.to_bytes().unwrap();
    let back = Certificate::from_bytes(&bytes).unwrap();
    assert_eq!(back, cert);
    let digest = ContentDigest::of_bytes(&f.content);
    let key = f.log.public();
    let facts = back.verify(&digest, &key, ORIGIN, Some(&CHAIN)).unwrap();
    let a = facts.anchor.clone().unwrap();
    assert_eq!(a.chain, CHAIN);
    assert_eq!(a.block, 42);
    assert_eq!(a.anchored_size, 5);
    assert_eq!(a.check, AnchorCheck::StatementForChain);
    let claimed = back.verify(&digest, &key, ORIGIN, None).unwrap();
    assert_eq!(claimed.anchor.unwrap().check, AnchorCheck::Claimed);
    // Another chain id, another contract.
    for other in [
        ChainRef {
            chain_id: 1,
            ..CHAIN
        },
        ChainRef {
            contract: [0xab; 20],
            ..CHAIN
        },
    ] {
        let r = back.verify(&digest, &key, ORIGIN, Some(&other));
        assert_eq!(code(r), "anchor.wrong_chain");
    }
    // The anchor receipt re-assembles to one that verifies on its own.
    let ar = back.anchor_receipt([4; 32]).unwrap();
    let anchored_cp = crate::ledger::checkpoint::Checkpoint::open(
        ar.anchored_checkpoint.as_ref().unwrap().note(),
        ORIGIN,
        &key,
    )
    .unwrap();
    ar.verify_offline(&key, &anchored_cp, &CHAIN).unwrap();
    // Another log's key for the anchor statement's checkpoint: refused.
    assert!(back
        .verify(&digest, &f.firm.public(), ORIGIN, Some(&CHAIN))
        .is_err());
}

#[test]
fn an_anchor_statement_by_another_key_is_refused() {
    let f = fixture();
    let cert = anchored(&f, CHAIN);
    let mut ar = cert.anchor_receipt([4; 32]).unwrap();
    // The statement re-signed by the submitter (not the log operator).
    let Event::CheckpointAnchored(e) = ar.anchored.event().clone() else {
        panic!()
    };
    ar.anchored = Receipt::new(f.firm.keys(), ORIGIN, 7, Event::CheckpointAnchored(e)).unwrap();
    let forged = Certificate::from_anchor_receipt(ar).unwrap();
    let r = forged.verify(
        &ContentDigest::of_bytes(&f.content),
        &f.log.public(),
        ORIGIN,
        Some(&CHAIN),
    );
    assert_eq!(code(r), "anchor.invalid");
}

#[test]
fn sealed_for_a_court_links_the_sealed_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let (log, firm, court, outsider) = (party(1), party(2), party(3), party(4));
    let ledger = LocalLedger::create(&dir.path().join("l.db"), ORIGIN, &log.public()).unwrap();
    let content = vec![7u8; 3 * READ_BUFFER + 17];
    let mut sealed = Vec::new();
    let out = seal_and_notarise(
        &firm,
        &[court.public()],
        ORIGIN,
        5,
        &MediaType::octet_stream(),
        &Label::new("exhibit 3").unwrap(),
        &content[..],
        &mut sealed,
    )
    .unwrap();
    assert_eq!(out.digest, ContentDigest::of_bytes(&content));
    let first = ledger
        .append_batch(&[out.sealed_receipt.clone(), out.evidence_receipt.clone()])
        .unwrap();
    ledger.checkpoint(log.keys()).unwrap();
    let cert = Certificate::from_ledger(&ledger, first + 1, None).unwrap();
    let facts = cert
        .verify(&out.digest, &log.public(), ORIGIN, None)
        .unwrap();
    let link = facts.sealed.unwrap();
    assert_eq!(
        link.receipt_leaf,
        ledger.receipt(first).unwrap().leaf_hash()
    );
    assert_eq!(link.record_id, out.stream.record_id);
    let Event::RecordSealed(s) = out.sealed_receipt.event() else {
        panic!()
    };
    assert!(s.recipients.contains(&court.key_id()));
    assert_eq!(s.ciphertext_hash, <[u8; 32]>::from(Sha256::digest(&sealed)));
    // The court opens the copy and it is the notarised content; an outsider cannot.
    let mut opener = StreamOpener::new(&court);
    let mut plain = opener.push(&sealed).unwrap();
    let (rest, _) = opener.finish().unwrap();
    plain.extend_from_slice(&rest);
    assert_eq!(ContentDigest::of_bytes(&plain), out.digest);
    let mut o = StreamOpener::new(&outsider);
    assert!(o.push(&sealed).and_then(|_| o.finish()).is_err());
}

#[test]
fn only_the_submitter_signs_and_values_are_checked() {
    let firm = party(2);
    let other = party(3);
    let d = ContentDigest::of_bytes(b"x");
    let ev = Event::EvidenceRecorded(EvidenceEvent {
        digest: d.sha256,
        length: 1,
        media_type: MediaType::octet_stream(),
        label: Label::default(),
        submitter: firm.key_id(),
        sealed: None,
    });
    assert!(Receipt::new(other.keys(), ORIGIN, 1, ev).is_err());
    assert_eq!(code(MediaType::new("Text/Plain")), "evidence.invalid_value");
    assert_eq!(code(Label::new("a\u{202e}b")), "evidence.invalid_value");
}

#[test]
fn wrong_anchor_flag_and_oversize_are_refused() {
    let f = fixture();
    let cert = Certificate::from_ledger(&f.ledger, f.index, None).unwrap();
    let mut b = cert.to_bytes().unwrap();
    *b.last_mut().unwrap() = 2;
    assert_eq!(code(Certificate::from_bytes(&b)), "decode.invalid");
    let big = vec![0u8; MAX_CERTIFICATE_LEN + 1];
    assert_eq!(code(Certificate::from_bytes(&big)), "decode.too_long");
    let _ = AnchorError::WrongChain;
}

proptest::proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
        let _ = Certificate::from_bytes(&b);
        let mut h = b"CW\x01\x51".to_vec();
        h.extend_from_slice(&b);
        let _ = Certificate::from_bytes(&h);
    }
}
