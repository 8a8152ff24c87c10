//! Step 10 of `causeway demo`: a batch of milk powder traced from farm to shop.
//!
//! A dairy co-op runs the trace log. The farm records `produced`, the lab `inspected` (its
//! report sealed for the shop, linked from the event), the carrier `shipped` (with its
//! temperature log's digest), the shop `received` and `sold`: five signed receipts chained per
//! product. A consumer's verifier holds the co-op's log key and origin and a trust policy
//! (which party may sign which step); it verifies the lot's provenance bundle offline and
//! prints the timeline. A bundle with one changed byte in the farm's event is refused, and
//! so is the history once a grey-market reseller, whose key the policy does not trust, has
//! chained a `sold` event onto it.

use crate::StepError;
use causeway::error::TraceError;
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::{Party, PublicKeys};
use causeway::seal::Content;
use causeway::trace::{self, EventDraft, ProvenanceBundle, TrustPolicy, VerifiedProvenance};
use std::path::Path;

/// The trace log's origin.
pub const ORIGIN: &str = "dairy-coop.example/trace";
/// The lot the demo follows.
pub const LOT: &str = "MILK-POWDER-2026-0042";

/// Who takes part.
pub struct Chain {
    /// The dairy co-op: runs the log and signs its checkpoints.
    pub coop: Party,
    /// The farm (`produced`).
    pub farm: Party,
    /// The food-safety lab (`inspected`).
    pub lab: Party,
    /// The cold-chain carrier (`shipped`).
    pub carrier: Party,
    /// The shop (`received`, `sold`).
    pub shop: Party,
    /// A grey-market reseller the policy does not trust.
    pub reseller: Party,
}

impl Chain {
    /// Fresh keys for everyone.
    pub fn generate() -> Result<Chain, StepError> {
        Ok(Chain {
            coop: Party::generate()?,
            farm: Party::generate()?,
            lab: Party::generate()?,
            carrier: Party::generate()?,
            shop: Party::generate()?,
            reseller: Party::generate()?,
        })
    }

    /// The consumer's trust policy: which party may sign which step.
    pub fn policy(&self) -> Result<TrustPolicy, StepError> {
        let mut p = TrustPolicy::new();
        p.add_party("farm", self.farm.public())?;
        p.add_party("lab", self.lab.public())?;
        p.add_party("carrier", self.carrier.public())?;
        p.add_party("shop", self.shop.public())?;
        p.allow("produced", "farm")?;
        p.allow("inspected", "lab")?;
        p.allow("shipped", "carrier")?;
        p.allow("received", "shop")?;
        p.allow("sold", "shop")?;
        Ok(p)
    }
}

/// What step 10 established.
#[derive(Debug)]
pub struct Traced {
    /// The co-op's log key (what the consumer's verifier holds, with [`ORIGIN`]).
    pub log_key: PublicKeys,
    /// The trust policy.
    pub policy: TrustPolicy,
    /// The lot's provenance bundle (canonical bytes, tag 0x52).
    pub bundle: Vec<u8>,
    /// What the consumer verified.
    pub verified: VerifiedProvenance,
    /// The lab report the shop opened from the sealed details.
    pub lab_report: Vec<u8>,
    /// Why the bundle with one changed byte in the farm's event was refused.
    pub tampered_refused: TraceError,
    /// Why the history with the reseller's event was refused.
    pub unauthorised_refused: TraceError,
}

/// The lab report sealed for the shop.
pub const LAB_REPORT: &[u8] = b"lab report 7781: melamine < 0.05 ppm, E. sakazakii not detected";

/// Step 10: creates the trace log at `db` (which must not exist), records the lot's five
/// steps from `t0` (Unix milliseconds, an hour apart), and checks the consumer's verification
/// and the two refusals.
pub fn run(chain: &Chain, db: &Path, t0: u64) -> Result<Traced, StepError> {
    let ledger = LocalLedger::create(db, ORIGIN, &chain.coop.public())?;
    let hour = 3_600_000;
    let produced = EventDraft::new("produced")?
        .field("origin", "Waikato, NZ")?
        .field("herd", "H-112")?;
    trace::record(&ledger, &chain.farm, t0, LOT, &produced, None)?;
    let (inspected, report) = EventDraft::new("inspected")?
        .field("result", "pass")?
        .seal_details(&chain.lab, &[chain.shop.public()], LAB_REPORT)?;
    trace::record(
        &ledger,
        &chain.lab,
        t0 + hour,
        LOT,
        &inspected,
        Some(&report),
    )?;
    let shipped = EventDraft::new("shipped")?
        .field(
            "temperature_log_sha256",
            "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
        )?
        .field("max_celsius", "4.1")?;
    trace::record(&ledger, &chain.carrier, t0 + 2 * hour, LOT, &shipped, None)?;
    let received = EventDraft::new("received")?.field("store", "Ponsonby")?;
    trace::record(&ledger, &chain.shop, t0 + 3 * hour, LOT, &received, None)?;
    let sold = EventDraft::new("sold")?;
    trace::record(&ledger, &chain.shop, t0 + 4 * hour, LOT, &sold, None)?;
    ledger.checkpoint(chain.coop.keys())?;

    // What the consumer's phone gets from the package's code: the bundle.
    let bundle = ProvenanceBundle::from_ledger(&ledger, LOT, None)?.to_bytes()?;
    let policy = chain.policy()?;
    let log_key = chain.coop.public();
    let verified =
        ProvenanceBundle::from_bytes(&bundle)?.verify(&log_key, ORIGIN, &policy, Some(LOT))?;
    if verified.events.len() != 5 {
        return Err(StepError::failed("the timeline does not have five events"));
    }

    // The shop opens the lab report the inspection links.
    let link = verified
        .events
        .get(1)
        .and_then(|e| e.details)
        .ok_or_else(|| StepError::failed("the inspection links no details"))?;
    if !link.matches(&report) {
        return Err(StepError::failed("the sealed report is not the one linked"));
    }
    let lab_report = match report.open(&chain.shop)? {
        Content::Bytes(b) => b,
        _ => return Err(StepError::failed("the report is not bytes")),
    };

    // One changed byte in the farm's event: "Waikato" becomes "Wuhan,x".
    let mut tampered = bundle.clone();
    let at = tampered
        .windows(7)
        .position(|w| w == b"Waikato")
        .ok_or_else(|| StepError::failed("the farm's origin is not in the bundle"))?;
    if let Some(b) = tampered.get_mut(at + 1) {
        *b = b'u';
    }
    let tampered_refused = match ProvenanceBundle::from_bytes(&tampered)
        .and_then(|b| b.verify(&log_key, ORIGIN, &policy, Some(LOT)))
    {
        Ok(_) => return Err(StepError::failed("a tampered bundle verified")),
        Err(e) => e,
    };

    // A grey-market reseller chains a "sold" event onto the lot with its own key.
    let fake = EventDraft::new("sold")?.field("store", "online marketplace")?;
    trace::record(&ledger, &chain.reseller, t0 + 5 * hour, LOT, &fake, None)?;
    ledger.checkpoint(chain.coop.keys())?;
    let unauthorised_refused = match ProvenanceBundle::from_ledger(&ledger, LOT, None)?.verify(
        &log_key,
        ORIGIN,
        &policy,
        Some(LOT),
    ) {
        Ok(_) => return Err(StepError::failed("an event by an untrusted key verified")),
        Err(e) => e,
    };
    Ok(Traced {
        log_key,
        policy,
        bundle,
        verified,
        lab_report,
        tampered_refused,
        unauthorised_refused,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_lot_verifies_and_both_forgeries_are_refused() {
        let dir = std::env::temp_dir().join(format!("cw-ex-trace-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let chain = Chain::generate().unwrap();
        let t = run(&chain, &dir.join("t.db"), 1_780_000_000_000).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(t.lab_report, LAB_REPORT);
        let steps: Vec<&str> = t.verified.events.iter().map(|e| e.step.as_str()).collect();
        assert_eq!(
            steps,
            ["produced", "inspected", "shipped", "received", "sold"]
        );
        assert_eq!(
            causeway::Error::from(t.tampered_refused).code(),
            "log.invalid_receipt"
        );
        assert_eq!(
            causeway::Error::from(t.unauthorised_refused).code(),
            "trace.untrusted_signer"
        );
    }
}
