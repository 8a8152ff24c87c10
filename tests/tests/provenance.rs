//! Product traceability (issue 15 §2): trace events chained per product in a SQLite ledger,
//! provenance bundles (tag 0x52) verified offline, and every refusal the issue names, each
//! with its typed error code: a changed byte anywhere, a truncated bundle, an event re-ordered
//! or dropped, a duplicated event, a fork, another product's event spliced in, a receipt from
//! another log, a key not trusted for its step, another chain's anchor.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use causeway::anchor::{anchored_value, AnchorReceipt, AnchorRecord, ChainRef};
use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
use causeway::ledger::receipt::Receipt;
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::{Party, SecretKeys};
use causeway::trace::{
    self, EventDraft, ProductHead, ProvenanceBundle, SealedDetails, TrustPolicy,
};

const ORIGIN: &str = "dairy.example/trace";
const LOT: &str = "MILK-POWDER-LOT-0042";
const T0: u64 = 1_780_000_000_000;

fn party(seed: u8) -> Party {
    Party::from_keys(SecretKeys::from_seeds(&[seed; 32], &[seed ^ 0x5a; 32]))
}

struct Scene {
    _dir: tempfile::TempDir,
    ledger: LocalLedger,
    log: Party,
    farm: Party,
    lab: Party,
    carrier: Party,
    shop: Party,
    mallory: Party,
}

impl Scene {
    fn policy(&self) -> TrustPolicy {
        let mut p = TrustPolicy::new();
        p.add_party("farm", self.farm.public()).unwrap();
        p.add_party("lab", self.lab.public()).unwrap();
        p.add_party("carrier", self.carrier.public()).unwrap();
        p.add_party("shop", self.shop.public()).unwrap();
        p.allow("produced", "farm").unwrap();
        p.allow("inspected", "lab").unwrap();
        p.allow("shipped", "carrier").unwrap();
        p.allow("received", "shop").unwrap();
        p.allow("sold", "shop").unwrap();
        p
    }

    fn bundle(&self, product: &str) -> ProvenanceBundle {
        self.ledger.checkpoint(self.log.keys()).unwrap();
        ProvenanceBundle::from_ledger(&self.ledger, product, None).unwrap()
    }
}

/// The milk powder lot from farm to shop, with another lot's events interleaved and the
/// inspection's private details sealed for the shop.
fn scene() -> Scene {
    let dir = tempfile::tempdir().unwrap();
    let log = party(1);
    let ledger = LocalLedger::create(&dir.path().join("l.db"), ORIGIN, &log.public()).unwrap();
    let (farm, lab, carrier, shop, mallory) = (party(2), party(3), party(4), party(5), party(6));
    type Step<'a> = (&'a Party, &'a str, &'a [(&'a str, &'a str)]);
    let steps: [Step<'_>; 5] = [
        (
            &farm,
            "produced",
            &[("origin", "Waikato, NZ"), ("grade", "A")],
        ),
        (
            &lab,
            "inspected",
            &[("result", "pass"), ("melamine_ppm", "0.0")],
        ),
        (
            &carrier,
            "shipped",
            &[("temperature_log_sha256", "9f2c4e0b7d1a66e2")],
        ),
        (&shop, "received", &[("store", "Auckland CBD")]),
        (&shop, "sold", &[]),
    ];
    for (n, (who, step, fields)) in steps.iter().enumerate() {
        let mut d = EventDraft::new(step).unwrap();
        for (k, v) in *fields {
            d = d.field(k, v).unwrap();
        }
        let t = T0 + 3_600_000 * n as u64;
        let mut sealed = None;
        if *step == "inspected" {
            let (d2, s) = d
                .seal_details(
                    who,
                    &[shop.public()],
                    b"lab report #7781: all within limits",
                )
                .unwrap();
            d = d2;
            sealed = Some(s);
        }
        trace::record(&ledger, who, t, LOT, &d, sealed.as_ref()).unwrap();
        // another lot, interleaved
        let other = EventDraft::new(if n == 0 { "produced" } else { "inspected" }).unwrap();
        let who2 = if n == 0 { &farm } else { &lab };
        trace::record(&ledger, who2, t + 1, "MILK-POWDER-LOT-0043", &other, None).unwrap();
    }
    Scene {
        _dir: dir,
        ledger,
        log,
        farm,
        lab,
        carrier,
        shop,
        mallory,
    }
}

fn code(r: Result<impl std::fmt::Debug, trace_err::E>) -> &'static str {
    match r {
        Ok(v) => panic!("accepted: {v:?}"),
        Err(e) => causeway::Error::from(e).code(),
    }
}

mod trace_err {
    pub type E = causeway::error::TraceError;
}

fn parts(b: &ProvenanceBundle) -> Vec<(u64, Receipt, Vec<[u8; 32]>)> {
    b.events()
        .iter()
        .map(|e| (e.index, e.receipt.clone(), e.proof.clone()))
        .collect()
}

fn rebuilt(b: &ProvenanceBundle, events: Vec<(u64, Receipt, Vec<[u8; 32]>)>) -> ProvenanceBundle {
    ProvenanceBundle::new(b.product(), b.checkpoint().clone(), events).unwrap()
}

#[test]
fn the_lot_verifies_from_farm_to_shop() {
    let s = scene();
    let b = s.bundle(LOT);
    let bytes = b.to_bytes().unwrap();
    assert_eq!(&bytes[..4], b"CW\x01\x52");
    let back = ProvenanceBundle::from_bytes(&bytes).unwrap();
    assert_eq!(back, b);
    assert_eq!(back.to_bytes().unwrap(), bytes);
    let v = back
        .verify(&s.log.public(), ORIGIN, &s.policy(), Some(LOT))
        .unwrap();
    let steps: Vec<&str> = v.events.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        ["produced", "inspected", "shipped", "received", "sold"]
    );
    let parties: Vec<&str> = v.events.iter().map(|e| e.party.as_str()).collect();
    assert_eq!(parties, ["farm", "lab", "carrier", "shop", "shop"]);
    assert_eq!(v.events[0].fields[0], ("grade".into(), "A".into()));
    assert!(v
        .events
        .iter()
        .enumerate()
        .all(|(i, e)| e.seq as usize == i));
    // the inspection links its sealed details; the shop opens them and the link matches
    let link = v.events[1].details.unwrap();
    let sealed_receipt = s.ledger.receipt(v.events[1].index - 1).unwrap();
    let causeway::ledger::Event::RecordSealed(rs) = sealed_receipt.event() else {
        panic!("the sealed details' receipt precedes the event");
    };
    assert_eq!(rs.record_id, link.record_id);
    assert_eq!(rs.ciphertext_hash, link.ciphertext_hash);
    assert!(rs.recipients.contains(&s.shop.key_id()));
    let text = v.timeline_text();
    assert!(text.contains("inspected") && text.contains("by lab") && text.contains("2026-"));
    // the other lot has its own chain
    let other = s.bundle("MILK-POWDER-LOT-0043");
    assert_eq!(other.events().len(), 5);
    assert!(other
        .verify(&s.log.public(), ORIGIN, &s.policy(), None)
        .is_ok());
    // a bundle for another product than the one scanned
    assert_eq!(
        code(other.verify(&s.log.public(), ORIGIN, &s.policy(), Some(LOT))),
        "trace.wrong_product"
    );
}

#[test]
fn a_changed_byte_anywhere_and_a_truncation_are_refused() {
    let s = scene();
    let b = s.bundle(LOT);
    let bytes = b.to_bytes().unwrap();
    let (key, policy) = (s.log.public(), s.policy());
    let check = |x: &[u8]| {
        ProvenanceBundle::from_bytes(x).and_then(|b| b.verify(&key, ORIGIN, &policy, Some(LOT)))
    };
    assert!(check(&bytes).is_ok());
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut x = bytes.clone();
            x[i] ^= bit;
            assert!(check(&x).is_err(), "flip {bit:#x} at byte {i} accepted");
        }
    }
    for cut in 0..bytes.len() {
        let e = check(&bytes[..cut]).unwrap_err();
        assert_eq!(
            e.kind(),
            causeway::error::ErrorKind::Malformed,
            "cut at {cut}: {e}"
        );
    }
    assert_eq!(code(check(&bytes[..bytes.len() - 1])), "decode.truncated");
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(code(check(&longer)), "decode.trailing_data");
}

#[test]
fn reordered_dropped_and_duplicated_events_are_refused() {
    let s = scene();
    let b = s.bundle(LOT);
    let (key, policy) = (s.log.public(), s.policy());
    let ev = parts(&b);
    // re-ordered
    let mut swapped = ev.clone();
    swapped.swap(2, 3);
    assert_eq!(
        code(rebuilt(&b, swapped).verify(&key, ORIGIN, &policy, None)),
        "trace.chain_broken"
    );
    // dropped in the middle, or the first
    for drop in [0, 2] {
        let mut fewer = ev.clone();
        fewer.remove(drop);
        let e = rebuilt(&b, fewer)
            .verify(&key, ORIGIN, &policy, None)
            .unwrap_err();
        assert_eq!(
            e,
            causeway::error::TraceError::ChainBroken { position: drop }
        );
    }
    // duplicated
    let mut dup = ev.clone();
    dup.insert(2, ev[1].clone());
    assert_eq!(
        code(rebuilt(&b, dup).verify(&key, ORIGIN, &policy, None)),
        "trace.duplicate"
    );
    // the last events left off: what is shown still verifies, and says how far it goes
    let prefix = rebuilt(&b, ev[..3].to_vec())
        .verify(&key, ORIGIN, &policy, None)
        .unwrap();
    assert_eq!(prefix.events.len(), 3);
}

#[test]
fn another_products_event_and_another_logs_receipt_are_refused() {
    let s = scene();
    let b = s.bundle(LOT);
    let (key, policy) = (s.log.public(), s.policy());
    let other = s.bundle("MILK-POWDER-LOT-0043");
    // another product's event, with its valid inclusion proof, spliced in
    let mut ev = parts(&b);
    ev[1] = parts(&other)[1].clone();
    assert_eq!(
        code(rebuilt(&b, ev).verify(&key, ORIGIN, &policy, None)),
        "trace.wrong_product"
    );
    // another log (same parties, same product): its bundle under our key and origin
    let dir = tempfile::tempdir().unwrap();
    let log2 = party(9);
    let origin2 = "other.example/trace";
    let l2 = LocalLedger::create(&dir.path().join("l2.db"), origin2, &log2.public()).unwrap();
    trace::record(
        &l2,
        &s.farm,
        T0,
        LOT,
        &EventDraft::new("produced").unwrap(),
        None,
    )
    .unwrap();
    l2.checkpoint(log2.keys()).unwrap();
    let b2 = ProvenanceBundle::from_ledger(&l2, LOT, None).unwrap();
    assert!(b2
        .verify(&log2.public(), origin2, &policy, Some(LOT))
        .is_ok());
    assert_eq!(
        code(b2.verify(&key, ORIGIN, &policy, None)),
        "log.bad_signature"
    );
    // its checkpoint is signed under its own origin: under ours, no signature line matches
    assert_eq!(
        code(b2.verify(&log2.public(), ORIGIN, &policy, None)),
        "log.bad_signature"
    );
    // a receipt of the other log spliced into ours
    let mut ev = parts(&b);
    ev[0] = parts(&b2)[0].clone();
    assert_eq!(
        code(rebuilt(&b, ev).verify(&key, ORIGIN, &policy, None)),
        "log.wrong_origin"
    );
    // a log run under the same key with another origin: the pinned origin refuses it
    let l3 = LocalLedger::create(&dir.path().join("l3.db"), origin2, &s.log.public()).unwrap();
    trace::record(
        &l3,
        &s.farm,
        T0,
        LOT,
        &EventDraft::new("produced").unwrap(),
        None,
    )
    .unwrap();
    l3.checkpoint(s.log.keys()).unwrap();
    let b3 = ProvenanceBundle::from_ledger(&l3, LOT, None).unwrap();
    assert!(b3.verify(&key, origin2, &policy, None).is_ok());
    assert_eq!(
        code(b3.verify(&key, ORIGIN, &policy, None)),
        "log.bad_signature"
    );
    // a wrong inclusion proof (another event's) is refused
    let mut ev = parts(&b);
    ev[2].2 = ev[3].2.clone();
    assert_eq!(
        code(rebuilt(&b, ev).verify(&key, ORIGIN, &policy, None)),
        "log.invalid_proof"
    );
}

#[test]
fn keys_not_trusted_for_their_step_are_refused() {
    let s = scene();
    let (key, policy) = (s.log.public(), s.policy());
    // Mallory chains a "sold" event onto the lot properly: in the log, but untrusted.
    let head = trace::product_head(&s.ledger, s.ledger.size().unwrap(), LOT).unwrap();
    assert_eq!(head.seq(), 5);
    let forged = head
        .sign(s.mallory.keys(), T0 + 99, &EventDraft::new("sold").unwrap())
        .unwrap();
    s.ledger.append(&forged).unwrap();
    let b = s.bundle(LOT);
    assert_eq!(b.events().len(), 6);
    let e = b.verify(&key, ORIGIN, &policy, None).unwrap_err();
    assert_eq!(
        e,
        causeway::error::TraceError::UntrustedSigner {
            position: 5,
            step: "sold".into()
        }
    );
    assert_eq!(causeway::Error::from(e).code(), "trace.untrusted_signer");
    // A trusted party acting outside its step: the lab may not sell.
    let s = scene();
    let head = trace::product_head(&s.ledger, s.ledger.size().unwrap(), LOT).unwrap();
    let r = head
        .sign(s.lab.keys(), T0 + 99, &EventDraft::new("sold").unwrap())
        .unwrap();
    s.ledger.append(&r).unwrap();
    assert_eq!(
        code(s.bundle(LOT).verify(&key, ORIGIN, &policy, None)),
        "trace.untrusted_signer"
    );
    // An empty policy trusts nobody.
    assert_eq!(
        code(
            s.bundle(LOT)
                .verify(&key, ORIGIN, &TrustPolicy::new(), None)
        ),
        "trace.untrusted_signer"
    );
}

#[test]
fn a_fork_is_refused_when_bundled_and_when_shown() {
    let s = scene();
    let (key, policy) = (s.log.public(), s.policy());
    let b = s.bundle(LOT);
    let ev = parts(&b);
    // the shop signs a second "received" on the same predecessor (the shipment)
    let mut head = ProductHead::genesis(ORIGIN, LOT).unwrap();
    for (_, r, _) in &ev[..3] {
        head = head.after(r).unwrap();
    }
    let twin = head
        .sign(
            s.shop.keys(),
            T0 + 5,
            &EventDraft::new("received")
                .unwrap()
                .field("store", "elsewhere")
                .unwrap(),
        )
        .unwrap();
    let at = s.ledger.append(&twin).unwrap();
    s.ledger.checkpoint(s.log.keys()).unwrap();
    // the log operator's builder refuses the forked history
    assert_eq!(
        code(ProvenanceBundle::from_ledger(&s.ledger, LOT, None)),
        "trace.fork"
    );
    assert_eq!(
        code(trace::product_head(
            &s.ledger,
            s.ledger.size().unwrap(),
            LOT
        )),
        "trace.fork"
    );
    // a bundle showing both branches is refused
    let cp = ProvenanceBundle::from_ledger(&s.ledger, "MILK-POWDER-LOT-0043", None)
        .unwrap()
        .checkpoint()
        .clone();
    let size = cp.checkpoint().size;
    let mut both: Vec<_> = ev
        .iter()
        .map(|(i, r, _)| (*i, r.clone(), s.ledger.inclusion_proof(*i, size).unwrap()))
        .collect();
    both.insert(
        4,
        (
            at,
            twin.clone(),
            s.ledger.inclusion_proof(at, size).unwrap(),
        ),
    );
    let forked = ProvenanceBundle::new(LOT, cp.clone(), both).unwrap();
    assert_eq!(
        forked.verify(&key, ORIGIN, &policy, None).unwrap_err(),
        causeway::error::TraceError::Fork {
            first: 3,
            second: 4
        }
    );
    // one branch alone verifies (each branch is a chain): the fork is visible in the log, which
    // is why the builder refuses it and an auditor scanning the log finds it
    let branch: Vec<_> = ev[..3]
        .iter()
        .map(|(i, r, _)| (*i, r.clone(), s.ledger.inclusion_proof(*i, size).unwrap()))
        .chain([(at, twin, s.ledger.inclusion_proof(at, size).unwrap())])
        .collect();
    assert!(ProvenanceBundle::new(LOT, cp, branch)
        .unwrap()
        .verify(&key, ORIGIN, &policy, None)
        .is_ok());
    // recording through the ledger now refuses too (the head is ambiguous)
    assert_eq!(
        code(trace::record(
            &s.ledger,
            &s.shop,
            T0,
            LOT,
            &EventDraft::new("sold").unwrap(),
            None
        )),
        "trace.fork"
    );
}

#[test]
fn an_anchor_receipt_verifies_offline_and_not_for_another_chain() {
    let s = scene();
    let (key, policy) = (s.log.public(), s.policy());
    let b = s.bundle(LOT);
    let note = b.checkpoint().note().to_owned();
    let cp = Checkpoint::open(&note, ORIGIN, &key).unwrap();
    let chain = ChainRef {
        chain_id: 31337,
        contract: [0xab; 20],
    };
    let record = AnchorRecord {
        origin: ORIGIN.into(),
        size: cp.size,
        root: anchored_value(&cp).unwrap(),
        chain,
        block_number: 77,
        block_hash: [0x77; 32],
        tx_hash: [0x17; 32],
        submitter: [1; 20],
    };
    let last = b.events().last().unwrap().index;
    let signed = SignedCheckpoint::open(&note, ORIGIN, &key).unwrap();
    let ar =
        AnchorReceipt::from_source(&s.ledger, s.log.keys(), last, &signed, &record, T0).unwrap();
    let anchored = b.clone().with_anchor(ar.clone()).unwrap();
    let bytes = anchored.to_bytes().unwrap();
    let back = ProvenanceBundle::from_bytes(&bytes).unwrap();
    let v = back
        .verify_anchored(&key, ORIGIN, &policy, Some(LOT), &chain)
        .unwrap();
    let a = v.anchor.unwrap();
    assert_eq!((a.record.block_number, a.record.chain), (77, chain));
    assert!(v.events.len() == 5);
    let other = ChainRef {
        chain_id: 1,
        contract: [0xab; 20],
    };
    assert_eq!(
        code(back.verify_anchored(&key, ORIGIN, &policy, None, &other)),
        "anchor.wrong_chain"
    );
    // without an anchor receipt, an anchored verification is refused
    assert_eq!(
        code(b.verify_anchored(&key, ORIGIN, &policy, None, &chain)),
        "anchor.invalid"
    );
    // an anchor receipt for an entry that is not an event of the bundle
    let ar0 = AnchorReceipt::from_source(&s.ledger, s.log.keys(), 1, &signed, &record, T0).unwrap();
    assert_eq!(code(b.clone().with_anchor(ar0)), "anchor.invalid");
    // every flipped bit of the anchored bundle is refused, except in the anchoring block's
    // hash: nobody signs it (the log operator's statement names chain, contract, block number
    // and transaction), so it is checked online only (`AnchorReceipt::verify_online`), as for
    // a bare anchor receipt (docs/spec/anchoring.md, docs/spec/provenance.md)
    let bh = bytes.windows(32).position(|w| w == [0x77; 32]).unwrap();
    assert_eq!(bytes.windows(32).filter(|w| *w == [0x77; 32]).count(), 1);
    for i in (0..bytes.len()).filter(|i| !(bh..bh + 32).contains(i)) {
        let mut x = bytes.clone();
        x[i] ^= 0x04;
        assert!(
            ProvenanceBundle::from_bytes(&x)
                .and_then(|b| b.verify_anchored(&key, ORIGIN, &policy, Some(LOT), &chain))
                .is_err(),
            "flip at {i}"
        );
    }
}

#[test]
fn names_fields_and_policies_are_bounded_and_strict() {
    for bad in ["", "Produced", "1st", "a b", &"x".repeat(33)] {
        assert_eq!(code(EventDraft::new(bad)), "trace.invalid_value", "{bad:?}");
    }
    let d = EventDraft::new("shipped").unwrap();
    assert_eq!(code(d.clone().field("Temp", "1")), "trace.invalid_value");
    assert_eq!(
        code(d.clone().field("t", &"x".repeat(257))),
        "trace.invalid_value"
    );
    assert_eq!(code(d.clone().field("t", "a\nb")), "trace.invalid_value");
    assert_eq!(
        code(d.clone().field("t", "1").unwrap().field("t", "2")),
        "trace.invalid_value"
    );
    let mut many = d.clone();
    for i in 0..16 {
        many = many.field(&format!("f{i}"), "v").unwrap();
    }
    assert_eq!(code(many.field("f16", "v")), "trace.invalid_value");
    for bad in ["", "has space", &"p".repeat(129)] {
        assert_eq!(
            code(ProductHead::genesis(ORIGIN, bad)),
            "trace.invalid_value"
        );
    }
    // genesis binds the log and the product
    assert_ne!(trace::genesis(ORIGIN, "A"), trace::genesis(ORIGIN, "B"));
    assert_ne!(
        trace::genesis(ORIGIN, "A"),
        trace::genesis("other/log", "A")
    );
    // policies: round trip, and strict
    let s = scene();
    let p = s.policy();
    let text = p.to_json();
    assert_eq!(TrustPolicy::from_json(&text).unwrap(), p);
    let farm = s.farm.public().to_text();
    let cases = [
        (
            r#"{"version":2,"parties":[],"steps":[]}"#.to_string(),
            "decode.unsupported_version",
        ),
        (
            r#"{"version":1,"parties":[],"steps":[],"x":1}"#.to_string(),
            "decode.json",
        ),
        (
            format!(
                r#"{{"version":1,"parties":[{{"name":"farm","key":"{farm}"}},{{"name":"farm","key":"{farm}"}}],"steps":[]}}"#
            ),
            "trace.policy",
        ),
        (
            format!(
                r#"{{"version":1,"parties":[{{"name":"farm","key":"{farm}"}}],"steps":[{{"step":"sold","parties":["shop"]}}]}}"#
            ),
            "trace.policy",
        ),
        (
            format!(
                r#"{{"version":1,"parties":[{{"name":"farm","key":"{farm}"}}],"steps":[{{"step":"sold","parties":["farm"]}},{{"step":"sold","parties":["farm"]}}]}}"#
            ),
            "trace.policy",
        ),
        (
            r#"{"version":1,"parties":[{"name":"farm","key":"nope"}],"steps":[]}"#.to_string(),
            "trace.policy",
        ),
    ];
    for (t, want) in cases {
        assert_eq!(code(TrustPolicy::from_json(&t)), want, "{t}");
    }
    // a sealed-details link names exactly one sealed record
    let shop = party(5);
    let (d2, sealed) = EventDraft::new("inspected")
        .unwrap()
        .seal_details(&shop, &[], b"x")
        .unwrap();
    let link = SealedDetails::of(&sealed);
    assert!(link.matches(&sealed));
    let other = causeway::seal::Sealed::seal_bytes(&shop, &[], b"x").unwrap();
    assert!(!link.matches(&other));
    // recording refuses a sealed record the draft does not link
    assert_eq!(
        code(trace::record(&s.ledger, &shop, T0, LOT, &d2, Some(&other))),
        "trace.invalid_value"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
        let _ = ProvenanceBundle::from_bytes(&b);
        let mut h = b"CW\x01\x52".to_vec();
        h.extend_from_slice(&b);
        let _ = ProvenanceBundle::from_bytes(&h);
    }
}
