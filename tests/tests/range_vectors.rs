//! Golden vectors for `core::range` proofs (tag 0x28, version 1): one case per file under
//! `tests/vectors/range/`, each with its transcript context, claims, proof bytes and the expected
//! outcome. Kept forever: a change that breaks one is a wire-format or transcript change.
//!
//! Regenerate (only when the format version changes) with
//! `CAUSEWAY_REGEN_RANGE_VECTORS=1 cargo test -p causeway-tests --test range_vectors -- --ignored`.

use causeway::commit::RangeCommitment;
use causeway::error::{DecodeError, VerifyError};
use causeway::range::{
    self, AggregateRangeProof, BatchItem, RangeClaim, RangeWitness, Scalar, Transcript,
};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Serialize, Deserialize, Clone)]
struct Claim {
    commitment: String,
    lo: Option<String>,
    hi: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
struct Vector {
    description: String,
    /// The label of `Transcript::new`.
    transcript_label: String,
    /// `append_message(b"challenge", hex)` before proving/verifying.
    challenge: String,
    claims: Vec<Claim>,
    proof: String,
    /// "ok", "decode_error", "verify_error" or "invalid_statement".
    expect: String,
}

const LABEL: &[u8] = b"causeway-range vector";

fn dir() -> PathBuf {
    causeway_tests::crate_dir().join("vectors/range")
}

fn transcript(challenge: &[u8]) -> Transcript {
    let mut t = Transcript::new(LABEL);
    t.append_message(b"challenge", challenge);
    t
}

fn parse_claims(v: &Vector) -> Vec<RangeClaim> {
    v.claims
        .iter()
        .map(|c| {
            let bytes: [u8; 32] = hex::decode(&c.commitment).unwrap().try_into().unwrap();
            RangeClaim {
                commitment: RangeCommitment::from_bytes(&bytes).unwrap(),
                lo: c.lo.as_ref().map(|s| s.parse().unwrap()),
                hi: c.hi.as_ref().map(|s| s.parse().unwrap()),
            }
        })
        .collect()
}

fn outcome(v: &Vector) -> &'static str {
    let claims = parse_claims(v);
    let challenge = hex::decode(&v.challenge).unwrap();
    let bytes = hex::decode(&v.proof).unwrap();
    let proof = match AggregateRangeProof::from_bytes(&bytes) {
        Ok(p) => p,
        Err(DecodeError::Invalid { .. })
        | Err(DecodeError::Truncated)
        | Err(DecodeError::TrailingData)
        | Err(DecodeError::TooLong { .. }) => return "decode_error",
        Err(e) => panic!("unexpected decode error {e:?}"),
    };
    assert_eq!(proof.to_bytes(), bytes, "decoding is canonical");
    let single = range::verify(&mut transcript(&challenge), &claims, &proof);
    let batch = range::verify_batch(&mut [BatchItem {
        transcript: transcript(&challenge),
        claims: &claims,
        proof: &proof,
    }]);
    assert_eq!(single, batch, "batch and single verification agree");
    match single {
        Ok(()) => "ok",
        Err(VerifyError::Proof) => "verify_error",
        Err(VerifyError::InvalidStatement(_)) => "invalid_statement",
        Err(e) => panic!("unexpected verify error {e:?}"),
    }
}

#[test]
fn range_vectors() {
    let mut files: Vec<_> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "range vectors missing");
    let mut kinds = std::collections::BTreeSet::new();
    for f in files {
        let v: Vector = serde_json::from_slice(&std::fs::read(&f).unwrap()).unwrap();
        assert_eq!(outcome(&v), v.expect, "{}", f.display());
        kinds.insert(v.expect.clone());
    }
    assert_eq!(kinds.len(), 4, "every outcome is covered");
}

// ---------------------------------------------------------------------------------------------
// Generation

fn blinding() -> Scalar {
    let mut wide = [0u8; 64];
    OsRng.fill_bytes(&mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

fn make(
    description: &str,
    challenge: &[u8],
    claims: &[(i64, Option<i64>, Option<i64>)],
) -> (Vector, Vec<RangeClaim>) {
    let (cs, ws): (Vec<RangeClaim>, Vec<RangeWitness>) = claims
        .iter()
        .map(|&(value, lo, hi)| {
            let r = blinding();
            (
                RangeClaim {
                    commitment: RangeCommitment::commit(value, &r),
                    lo,
                    hi,
                },
                RangeWitness { value, blinding: r },
            )
        })
        .unzip();
    let proof = range::prove(&mut transcript(challenge), &cs, &ws).unwrap();
    let v = Vector {
        description: description.into(),
        transcript_label: String::from_utf8(LABEL.to_vec()).unwrap(),
        challenge: hex::encode(challenge),
        claims: cs
            .iter()
            .map(|c| Claim {
                commitment: hex::encode(c.commitment.to_bytes()),
                lo: c.lo.map(|x| x.to_string()),
                hi: c.hi.map(|x| x.to_string()),
            })
            .collect(),
        proof: hex::encode(proof.to_bytes()),
        expect: "ok".into(),
    };
    (v, cs)
}

#[test]
#[ignore = "writes tests/vectors/range; run only to regenerate"]
fn generate_range_vectors() {
    if std::env::var_os("CAUSEWAY_REGEN_RANGE_VECTORS").is_none() {
        return;
    }
    let d = dir();
    std::fs::create_dir_all(&d).unwrap();
    let mut out: Vec<(String, Vector)> = Vec::new();
    let (at_least, _) = make(
        "credit score >= 700",
        b"bank-challenge-1",
        &[(712, Some(700), None)],
    );
    out.push(("ok-at-least".into(), at_least.clone()));
    let (between, _) = make(
        "income in [50000, 120000] and a negative balance <= 0",
        b"bank-challenge-2",
        &[
            (80_000, Some(50_000), Some(120_000)),
            (-1_234, None, Some(0)),
        ],
    );
    out.push(("ok-between-and-at-most".into(), between.clone()));
    let (extremes, _) = make(
        "extremes of the width",
        b"x",
        &[
            (i64::MIN, Some(i64::MIN), Some(i64::MIN)),
            (i64::MAX, Some(i64::MIN), Some(i64::MAX)),
            (-1, None, Some(-1)),
        ],
    );
    out.push(("ok-extremes".into(), extremes.clone()));
    let (agg, _) = make(
        "five claims, nine sub-proofs padded to sixteen",
        b"aggregate",
        &[
            (1, Some(0), Some(2)),
            (-50, Some(-100), Some(-50)),
            (7, Some(7), Some(7)),
            (1_000_000, Some(999_999), Some(1_000_001)),
            (3, Some(-3), None),
        ],
    );
    out.push(("ok-aggregate-5".into(), agg.clone()));

    // Failures, each one change away from a valid vector.
    let mut v = at_least.clone();
    v.claims[0].lo = Some("713".into());
    v.expect = "verify_error".into();
    v.description = "bound changed (700 -> 713)".into();
    out.push(("fail-bound".into(), v));
    let mut v = at_least.clone();
    v.challenge = hex::encode(b"bank-challenge-2");
    v.expect = "verify_error".into();
    v.description = "another challenge".into();
    out.push(("fail-challenge".into(), v));
    let mut v = between.clone();
    v.claims.swap(0, 1);
    v.expect = "verify_error".into();
    v.description = "claims reordered".into();
    out.push(("fail-order".into(), v));
    let mut v = between.clone();
    v.claims[1].commitment = between.claims[0].commitment.clone();
    v.expect = "verify_error".into();
    v.description = "commitment replaced".into();
    out.push(("fail-commitment".into(), v));
    let mut v = agg.clone();
    v.claims.pop();
    v.expect = "verify_error".into();
    v.description = "a claim dropped (same padded size)".into();
    out.push(("fail-claim-dropped".into(), v));
    let mut v = at_least.clone();
    v.claims[0].hi = Some("699".into());
    v.expect = "invalid_statement".into();
    v.description = "empty range (lo > hi)".into();
    out.push(("fail-empty-range".into(), v));
    let mut bytes = hex::decode(&at_least.proof).unwrap();
    bytes[5 + 32 * 4..5 + 32 * 5].copy_from_slice(&[0xff; 32]);
    let mut v = at_least.clone();
    v.proof = hex::encode(&bytes);
    v.expect = "decode_error".into();
    v.description = "non-canonical scalar t_x".into();
    out.push(("fail-noncanonical-scalar".into(), v));
    let mut bytes = hex::decode(&at_least.proof).unwrap();
    bytes[5..5 + 32].copy_from_slice(&[0; 32]);
    let mut v = at_least.clone();
    v.proof = hex::encode(&bytes);
    v.expect = "decode_error".into();
    v.description = "identity point A".into();
    out.push(("fail-identity-point".into(), v));
    let mut bytes = hex::decode(&at_least.proof).unwrap();
    bytes.truncate(bytes.len() - 1);
    let mut v = at_least.clone();
    v.proof = hex::encode(&bytes);
    v.expect = "decode_error".into();
    v.description = "truncated by one byte".into();
    out.push(("fail-truncated".into(), v));
    let mut v = at_least.clone();
    v.proof = agg.proof.clone();
    v.expect = "verify_error".into();
    v.description = "a proof of another size".into();
    out.push(("fail-wrong-size".into(), v));

    for (name, v) in out {
        let json = serde_json::to_string_pretty(&v).unwrap();
        std::fs::write(d.join(format!("{name}.json")), json + "\n").unwrap();
    }
}
