//! Step 9 of `causeway demo`: trade finance with one Groth16 proof.
//!
//! A port registry attests four export orders of an exporter (2 500 000.00 in total); the
//! exporter proves `sum(amount) >= 2000000` to the bank with Groth16 (one proof, keys from a
//! single-party setup made here); the bank verifies without seeing any order; a higher claim
//! cannot be proven, an edited claim and a replay are refused, and one order presented four
//! times does not count four times.

use crate::StepError;
use causeway::attest::{issue_with_record_id, NoRevocations, RecordId, Terms};
use causeway::error::{ProveError, VerifyError};
use causeway::party::{Party, PublicKeys};
use causeway::presentation::{hazmat, Challenge, Presentation};
use causeway::record::{Record, Value};
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::{Backend, Statement};
use std::time::{Duration, Instant};

/// Orders in the trade-finance step. The Groth16 sum circuit is per k; k = 4 keeps the demo's
/// single-party setup to a few seconds in a debug build (k = 16 takes about 3× longer).
pub const TRADE_ORDERS: usize = 4;

/// The orders' amounts (2 500 000.00 in total).
pub const AMOUNTS: [&str; TRADE_ORDERS] = ["900000.00", "600000.00", "550000.00", "450000.00"];

/// What the exporter proves.
pub const CLAIM: &str = "sum(amount) >= 2000000";

/// A claim above the true total, which must not be provable.
pub const TOO_HIGH: &str = "sum(amount) >= 2500000.01";

/// The claim the genuine proof is re-signed with, which must not verify.
pub const EDITED: &str = "sum(amount) >= 3000000";

/// What step 9 established.
#[derive(Debug)]
pub struct TradeFinance {
    /// The port registry's public keys (the issuer the bank trusts).
    pub registry: PublicKeys,
    /// The circuit the keys are for.
    pub circuit: Circuit,
    /// How long the single-party setup took.
    pub setup_time: Duration,
    /// The Groth16 keys.
    pub keys: KeyRing,
    /// The verifying key's id (text form).
    pub key_id: String,
    /// The claim as parsed (its `Display` names the records it sums).
    pub claim: Statement,
    /// The bank's challenge.
    pub challenge: Challenge,
    /// How long the exporter's proof took.
    pub prove_time: Duration,
    /// The exporter's presentation, as the bank decoded it.
    pub presentation: Presentation,
    /// Size of the presentation's canonical bytes.
    pub presentation_len: usize,
    /// How many attestations the bank's verification covered.
    pub verified_orders: usize,
    /// How long the bank's verification took.
    pub verify_time: Duration,
    /// Why [`TOO_HIGH`] could not be proven.
    pub too_high_refused: ProveError,
    /// Why the genuine proof re-signed as [`EDITED`] did not verify.
    pub edited_refused: VerifyError,
    /// Why the presentation replayed to another challenge did not verify.
    pub replay_refused: VerifyError,
    /// Why the first order presented four times could not be proven.
    pub repeated_refused: ProveError,
}

/// Step 9 at `now` (Unix seconds), with fresh parties (keys from the OS).
pub fn run(now: u64) -> Result<TradeFinance, StepError> {
    let fail = |what: String| StepError::Failed(what);
    let registry = Party::generate()?;
    let exporter = Party::generate()?;
    let terms = Terms {
        subject: exporter.key_id(),
        not_before: now.saturating_sub(86_400),
        not_after: now.saturating_add(365 * 86_400),
    };
    let mut held = Vec::with_capacity(TRADE_ORDERS);
    for (i, amount) in AMOUNTS.iter().enumerate() {
        let order = Record::new("trade/export-order/v1")?
            .with("order_id", Value::Int(7_001 + i as i64))?
            .with("amount", Value::decimal(amount)?)?
            .with("buyer", Value::String(format!("Buyer {}", i + 1)))?;
        // the order's stable name, signed as its record id: a renewal counts once
        let id = RecordId::named(&format!("Acme Exports export order {}", 7_001 + i))
            .map_err(causeway::Error::from)?;
        held.push(
            issue_with_record_id(registry.keys(), &order, &terms, &id)
                .map_err(causeway::Error::from)?,
        );
    }

    let shape = Circuit::Sum(TRADE_ORDERS as u8);
    let started = Instant::now();
    let pk = shape
        .setup()
        .map_err(|e| fail(format!("Groth16 setup: {e}")))?;
    let mut keys = KeyRing::new();
    keys.insert(shape, pk);
    let setup_time = started.elapsed();
    let key_id = keys
        .verifying_key(&shape)
        .map(|vk| vk.id().to_text())
        .unwrap_or_default();

    let refs: Vec<_> = held.iter().collect();
    let n = TRADE_ORDERS as u16;
    let claim = Statement::parse(CLAIM, n)?;
    let challenge = Challenge::random()?;
    let started = Instant::now();
    let p = Presentation::create_with(
        exporter.keys(),
        &refs,
        &[],
        std::slice::from_ref(&claim),
        &challenge,
        Backend::Groth16,
        &keys,
    )
    .map_err(|e| fail(format!("the exporter's proof: {e}")))?;
    let prove_time = started.elapsed();
    let bytes = p.to_bytes();

    let p = Presentation::from_bytes(&bytes)?;
    let trusted = [registry.public()];
    let started = Instant::now();
    let v = p
        .verify_with_keys(&trusted, &challenge, now, &NoRevocations, &keys)
        .map_err(|e| fail(format!("the bank's check: {e}")))?;
    let verify_time = started.elapsed();
    if v.statements() != std::slice::from_ref(&claim) || !v.disclosed().is_empty() {
        return Err(StepError::failed("the bank did not get exactly the claim"));
    }

    let too_high = Statement::parse(TOO_HIGH, n)?;
    let too_high_refused = match Presentation::create_with(
        exporter.keys(),
        &refs,
        &[],
        &[too_high],
        &challenge,
        Backend::Groth16,
        &keys,
    ) {
        Ok(_) => return Err(StepError::failed("a total above the true one was provable")),
        Err(e) => e,
    };
    let mut parts = hazmat::parts(&p);
    parts.statements = vec![Statement::parse(EDITED, n)?];
    let edited = hazmat::sign(parts, exporter.keys(), &challenge)?;
    let edited_refused =
        match edited.verify_with_keys(&trusted, &challenge, now, &NoRevocations, &keys) {
            Ok(_) => {
                return Err(StepError::failed(
                    "the genuine proof verified for a higher claim",
                ))
            }
            Err(e) => e,
        };
    let replay_refused =
        match p.verify_with_keys(&trusted, &Challenge::random()?, now, &NoRevocations, &keys) {
            Ok(_) => return Err(StepError::failed("a replayed presentation verified")),
            Err(e) => e,
        };
    let first = held.first().ok_or_else(|| StepError::failed("no order"))?;
    let repeated_refused = match Presentation::create_with(
        exporter.keys(),
        &[first, first, first, first],
        &[],
        std::slice::from_ref(&claim),
        &challenge,
        Backend::Groth16,
        &keys,
    ) {
        Ok(_) => {
            return Err(StepError::failed(
                "one order summed four times was provable",
            ))
        }
        Err(e) => e,
    };
    Ok(TradeFinance {
        registry: registry.public(),
        circuit: shape,
        setup_time,
        keys,
        key_id,
        claim,
        challenge,
        prove_time,
        presentation: p,
        presentation_len: bytes.len(),
        verified_orders: v.attestations().len(),
        verify_time,
        too_high_refused,
        edited_refused,
        replay_refused,
        repeated_refused,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The step's refusals are the ones the storyline is about, not any other error.
    #[test]
    fn the_bank_gets_the_claim_and_nothing_else() {
        let t = run(1_800_000_000).unwrap();
        assert_eq!(t.verified_orders, TRADE_ORDERS);
        assert_eq!(
            t.claim,
            Statement::parse(CLAIM, TRADE_ORDERS as u16).unwrap()
        );
        let code = |e: causeway::Error| e.code();
        assert_eq!(code(t.too_high_refused.into()), "prove.unsatisfied");
        assert_eq!(code(t.edited_refused.into()), "verify.proof");
        assert_eq!(code(t.replay_refused.into()), "verify.bad_signature");
        assert_eq!(code(t.repeated_refused.into()), "prove.counted_twice");
    }
}
