//! Golden vectors for attestations and presentations (`tests/vectors/attest/`), kept forever.
//!
//! The fixture is fully deterministic (fixed keys, a SHA-256 counter RNG), so regenerating it
//! must reproduce the stored bytes exactly: this pins the wire formats, the Poseidon leaves and
//! root, the transcript and the proofs. Set `CAUSEWAY_REGENERATE_VECTORS=1` to rewrite the file
//! (only when a format version changes; old files are kept).
//!
//! Two files: `presentation-v1.json` (attestation and attested record format 1, issued with
//! `attest::hazmat::issue_format1_with_rng`: byte-identical to the file as first written) and
//! `presentation-attestation-v2.json` (attestation format 2 with the signed record id of issue
//! 11 item 8, attested record format 2 with the shape-hiding tree layout of item 15, and a
//! hand-built presentation that sums one attestation twice, refused).
//!
//! A third, `presentation-column-v1.json` (decision 0096): 70 rows attested with
//! `attest::issue_rows` and the column statement `all(amount) in [0, 10000]` proven over all of
//! them (one column range proof); the first row's attestation and record in the common keys,
//! so every face's attest-vector runner reads it unchanged.

use causeway::attest::{
    hazmat as ahz, issue_rows_with_rng, issue_with_rng, Attestation, AttestedRecord, NoRevocations,
    Terms,
};
use causeway::party::{PublicKeys, SecretKeys};
use causeway::presentation::{hazmat, Challenge, Presentation};
use causeway::record::Record;
use causeway::statement::Statement;
use causeway::testing::TestRng;
use serde_json::{json, Value as Json};

/// The vectors' RNG: `SHA-256("causeway/test-rng" || counter LE)` per block, counter from 0
/// (`causeway::testing::TestRng::labelled`; it was a copy here).
fn counter_rng() -> TestRng {
    TestRng::labelled(b"causeway/test-rng", 0)
}

const RECORD: &str = r#"{"schema":"credit-report/v1","fields":{"annual_income":{"type":"decimal","value":"85000.00"},"born":{"type":"date","value":"1990-05-17"},"credit_score":{"type":"int","value":742},"limit":{"type":"int","value":-5000},"name":{"type":"string","value":"Alice Example"},"pep":{"type":"bool","value":false}}}"#;
const STATEMENTS: &[&str] = &[
    "credit_score >= 700",
    "annual_income in [50000, 120000]",
    "born < 2008-11-21",
    "limit == -5000",
    "credit_score != 0",
];
const NOW: u64 = 1_800_000_000;
/// `vectors/attest/presentation-v1.json` in this crate's folder (see `causeway_tests::crate_dir`).
fn path() -> String {
    format!(
        "{}/vectors/attest/presentation-v1.json",
        causeway_tests::crate_dir().display()
    )
}
/// `vectors/attest/presentation-attestation-v2.json` in this crate's folder (see `causeway_tests::crate_dir`).
fn path_v2() -> String {
    format!(
        "{}/vectors/attest/presentation-attestation-v2.json",
        causeway_tests::crate_dir().display()
    )
}
/// `vectors/attest/presentation-column-v1.json` in this crate's folder (see `causeway_tests::crate_dir`).
fn path_column() -> String {
    format!(
        "{}/vectors/attest/presentation-column-v1.json",
        causeway_tests::crate_dir().display()
    )
}
const COLUMN_ROWS: i64 = 70;

fn generate_column() -> Json {
    let issuer = SecretKeys::from_seeds(&[1; 32], &[2; 32]);
    let holder = SecretKeys::from_seeds(&[3; 32], &[4; 32]);
    let mut rng = TestRng::labelled(b"causeway/test-rng/column", 0);
    let rows: Vec<Record> = (0..COLUMN_ROWS)
        .map(|i| {
            Record::new("invoice/v1")
                .unwrap()
                .with("amount", causeway::record::Value::Int((i * 137) % 10_001))
                .unwrap()
                .with(
                    "customer",
                    causeway::record::Value::String(format!("c{}", i % 7)),
                )
                .unwrap()
        })
        .collect();
    let terms = Terms {
        subject: holder.public().key_id(),
        not_before: 1_700_000_000,
        not_after: 1_900_000_000,
    };
    let held = issue_rows_with_rng(&issuer, &rows, &terms, &mut rng).unwrap();
    let refs: Vec<&AttestedRecord> = held.iter().collect();
    let challenge = Challenge::from_bytes(&[0x42; 32]).unwrap();
    let st = Statement::parse("all(amount) in [0, 10000]", COLUMN_ROWS as u16).unwrap();
    let p =
        Presentation::create_with_rng(&holder, &refs, &[], &[st], &challenge, &mut rng).unwrap();
    let verified = p
        .verify(&[issuer.public()], &challenge, NOW, &NoRevocations)
        .unwrap();
    let mut tampered = p.to_bytes();
    let n = tampered.len();
    tampered[n - 100] ^= 0x01; // inside the column proof
                               // the holder re-signs the presentation claiming a narrower range than it proved
    let mut parts = hazmat::parts(&p);
    parts.statements =
        vec![Statement::parse("all(amount) in [0, 9999]", COLUMN_ROWS as u16).unwrap()];
    let narrower = hazmat::sign(parts, &holder, &challenge).unwrap();
    // ... or names row 3 twice
    let mut parts = hazmat::parts(&p);
    let mut idx: Vec<u16> = (0..COLUMN_ROWS as u16).collect();
    idx[69] = 3;
    parts.statements = vec![Statement::all(
        "amount",
        &idx,
        causeway::statement::Predicate::Between("0".parse().unwrap(), "10000".parse().unwrap()),
    )];
    let twice = hazmat::sign(parts, &holder, &challenge).unwrap();
    let first = &held[0];
    json!({
        "description": "70 invoice rows attested in one call (attest::issue_rows); the holder proves all(amount) in [0, 10000] over every row with one column range proof (16-bit sub-proofs). Deterministic: fixed keys (seeds 01.., 02.., 03.., 04..) and a SHA-256 counter RNG labelled causeway/test-rng/column. The common keys (attestation, record, attested_record) are the first row's.",
        "issuer_public": issuer.public().to_text(),
        "holder_public": holder.public().to_text(),
        "record": serde_json::to_value(first.record().to_json()).unwrap(),
        "statements": verified.statements().iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "challenge": challenge.to_string(),
        "now": NOW,
        "rows": COLUMN_ROWS,
        "attestation": hex::encode(first.attestation().to_bytes()),
        "attestation_id": first.attestation().id().to_string(),
        "record_id": first.attestation().record_id().unwrap().to_string(),
        "root": hex::encode(first.attestation().root().to_bytes()),
        "attested_record": hex::encode(&first.to_bytes()[..]),
        "presentation": hex::encode(p.to_bytes()),
        "verified": verified.to_json(),
        "negative": [
            { "case": "another challenge", "challenge": hex::encode([0x43u8; 32]), "now": NOW, "presentation": hex::encode(p.to_bytes()), "error": "BadSignature" },
            { "case": "one bit flipped in the column proof", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(&tampered), "error": "any" },
            { "case": "re-signed with a narrower range than proven", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(narrower.to_bytes()), "error": "Proof" },
            { "case": "one row named twice", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(twice.to_bytes()), "error": "CountedTwice(\"attestation index\")" },
        ],
    })
}

fn generate(attestation_version: u8) -> Json {
    let issuer = SecretKeys::from_seeds(&[1; 32], &[2; 32]);
    let holder = SecretKeys::from_seeds(&[3; 32], &[4; 32]);
    let mut rng = counter_rng();
    let record = Record::from_json(RECORD).unwrap();
    let terms = Terms {
        subject: holder.public().key_id(),
        not_before: 1_700_000_000,
        not_after: 1_900_000_000,
    };
    let held = if attestation_version == 1 {
        // the formats as first written: attestation 1, attested record 1 (canonical tree)
        ahz::issue_format1_with_rng(&issuer, &record, &terms, &mut rng).unwrap()
    } else {
        issue_with_rng(&issuer, &record, &terms, &mut rng).unwrap()
    };
    assert_eq!(held.attestation().version(), attestation_version);
    assert_eq!(held.to_bytes()[2], attestation_version);
    let challenge = Challenge::from_bytes(&[0x42; 32]).unwrap();
    let statements: Vec<Statement> = STATEMENTS
        .iter()
        .map(|s| Statement::parse(s, 1).unwrap())
        .collect();
    let p = Presentation::create_with_rng(
        &holder,
        &[&held],
        &[(0, "name"), (0, "limit")],
        &statements,
        &challenge,
        &mut rng,
    )
    .unwrap();
    let verified = p
        .verify(&[issuer.public()], &challenge, NOW, &NoRevocations)
        .unwrap();
    let mut tampered = p.to_bytes();
    let n = tampered.len();
    tampered[n - 100] ^= 0x01;
    if attestation_version == 2 {
        // the holder sums its one attestation twice (issue 11 item 1): refused before any proof
        let mut parts = hazmat::parts(&p);
        parts.attestations = vec![held.attestation().clone(), held.attestation().clone()];
        parts.disclosures.clear();
        parts.statements = vec![Statement::parse("sum(credit_score) >= 1484", 2).unwrap()];
        let twice = hazmat::sign(parts, &holder, &challenge).unwrap();
        return json!({
            "description": "Attestation format 2 (with a signed record id), attested record format 2 (shape-hiding tree layout). A credit bureau attests a record; the holder discloses name and limit and proves five statements. Deterministic: fixed keys (seeds 01.., 02.., 03.., 04..) and a SHA-256 counter RNG.",
            "issuer_public": issuer.public().to_text(),
            "holder_public": holder.public().to_text(),
            "record": serde_json::from_str::<Json>(RECORD).unwrap(),
            "statements": STATEMENTS,
            "challenge": challenge.to_string(),
            "now": NOW,
            "attestation": hex::encode(held.attestation().to_bytes()),
            "attestation_id": held.attestation().id().to_string(),
            "record_id": held.attestation().record_id().unwrap().to_string(),
            "root": hex::encode(held.attestation().root().to_bytes()),
            "attested_record": hex::encode(&held.to_bytes()[..]),
            "presentation": hex::encode(p.to_bytes()),
            "verified": verified.to_json(),
            "negative": [
                { "case": "another challenge", "challenge": hex::encode([0x43u8; 32]), "now": NOW, "presentation": hex::encode(p.to_bytes()), "error": "BadSignature" },
                { "case": "expired", "challenge": challenge.to_string(), "now": 1_900_000_001u64, "presentation": hex::encode(p.to_bytes()), "error": "Expired" },
                { "case": "not yet valid", "challenge": challenge.to_string(), "now": 1_699_999_999u64, "presentation": hex::encode(p.to_bytes()), "error": "NotYetValid" },
                { "case": "one bit flipped in the range proof", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(&tampered), "error": "any" },
                { "case": "the same attestation summed twice", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(twice.to_bytes()), "error": "CountedTwice(\"attestation\")" },
            ],
        });
    }
    json!({
        "description": "A credit bureau attests a record; the holder discloses name and limit and proves five statements. Deterministic: fixed keys (seeds 01.., 02.., 03.., 04..) and a SHA-256 counter RNG.",
        "issuer_public": issuer.public().to_text(),
        "holder_public": holder.public().to_text(),
        "record": serde_json::from_str::<Json>(RECORD).unwrap(),
        "statements": STATEMENTS,
        "challenge": challenge.to_string(),
        "now": NOW,
        "attestation": hex::encode(held.attestation().to_bytes()),
        "attestation_id": held.attestation().id().to_string(),
        "root": hex::encode(held.attestation().root().to_bytes()),
        "attested_record": hex::encode(&held.to_bytes()[..]),
        "presentation": hex::encode(p.to_bytes()),
        "verified": verified.to_json(),
        "negative": [
            { "case": "another challenge", "challenge": hex::encode([0x43u8; 32]), "now": NOW, "presentation": hex::encode(p.to_bytes()), "error": "BadSignature" },
            { "case": "expired", "challenge": challenge.to_string(), "now": 1_900_000_001u64, "presentation": hex::encode(p.to_bytes()), "error": "Expired" },
            { "case": "not yet valid", "challenge": challenge.to_string(), "now": 1_699_999_999u64, "presentation": hex::encode(p.to_bytes()), "error": "NotYetValid" },
            { "case": "one bit flipped in the range proof", "challenge": challenge.to_string(), "now": NOW, "presentation": hex::encode(&tampered), "error": "any" },
        ],
    })
}

#[test]
fn golden_presentation_vector() {
    check(&path(), 1);
}

#[test]
fn golden_column_presentation_vector() {
    let stored = check_with(&path_column(), generate_column());
    let p =
        Presentation::from_bytes(&hex::decode(stored["presentation"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(p.attestations().len(), COLUMN_ROWS as usize);
    assert!(p.statements()[0].is_all());
    assert_eq!(stored["statements"][0], "all(amount@0-69) in [0, 10000]");
}

#[test]
fn golden_presentation_vector_attestation_v2() {
    let stored = check(&path_v2(), 2);
    let att =
        Attestation::from_bytes(&hex::decode(stored["attestation"].as_str().unwrap()).unwrap())
            .unwrap();
    assert_eq!(att.version(), 2);
    assert_eq!(att.record_id().unwrap().to_string(), stored["record_id"]);
}

fn check(path: &str, attestation_version: u8) -> Json {
    check_with(path, generate(attestation_version))
}

fn check_with(path: &str, fresh: Json) -> Json {
    if std::env::var_os("CAUSEWAY_REGENERATE_VECTORS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
        std::fs::write(path, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
    }
    let stored: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    // byte-identical regeneration pins the formats and the algorithms
    assert_eq!(stored, fresh, "regenerated vector differs from {path}");

    // and the stored bytes verify on their own
    let h = |k: &str| hex::decode(stored[k].as_str().unwrap()).unwrap();
    let issuer = PublicKeys::from_text(stored["issuer_public"].as_str().unwrap()).unwrap();
    let att = Attestation::from_bytes(&h("attestation")).unwrap();
    att.verify(&[issuer], NOW, &NoRevocations).unwrap();
    assert_eq!(att.id().to_string(), stored["attestation_id"]);
    AttestedRecord::from_bytes(&h("attested_record")).unwrap();
    let c = Challenge::from_hex(stored["challenge"].as_str().unwrap()).unwrap();
    let p = Presentation::from_bytes(&h("presentation")).unwrap();
    let v = p.verify(&[issuer], &c, NOW, &NoRevocations).unwrap();
    assert_eq!(json!(v.to_json()), stored["verified"]);
    for case in stored["negative"].as_array().unwrap() {
        let c = Challenge::from_hex(case["challenge"].as_str().unwrap()).unwrap();
        let b = hex::decode(case["presentation"].as_str().unwrap()).unwrap();
        let res = Presentation::from_bytes(&b)
            .map_err(causeway::error::VerifyError::from)
            .and_then(|p| p.verify(&[issuer], &c, case["now"].as_u64().unwrap(), &NoRevocations));
        let err = res.expect_err(case["case"].as_str().unwrap());
        let want = case["error"].as_str().unwrap();
        if want != "any" {
            assert_eq!(format!("{err:?}"), want, "{}", case["case"]);
        }
    }
    stored
}
