//! Step 8 of `causeway demo`: every seal, grant and revocation lands in a tamper-evident
//! ledger, and the regulator checks a proof.
//!
//! The bank, as log operator, records signed receipts of steps 2, 4 and 5 in a SQLite ledger
//! and signs a C2SP checkpoint; the regulator verifies the inclusion proof of the revocation
//! receipt with nothing but the log's public key, the checkpoint and the receipt; another
//! receipt presented with the same proof is refused; an audit replays the whole log.

use crate::parties::Cast;
use crate::StepError;
use causeway::error::LogVerifyError;
use causeway::ledger::checkpoint::Checkpoint;
use causeway::ledger::proof::verify_inclusion;
use causeway::ledger::receipt::{unix_millis_now, Receipt};
use causeway::ledger::sqlite::{AuditReport, LocalLedger};
use causeway::ledger::Hash;
use causeway::seal::Sealed;
use std::path::Path;

/// The ledger's origin (the first line of its checkpoints).
pub const ORIGIN: &str = "northwind.example/ledger";

/// The entry the regulator receives a proof for: the revocation of the partner.
pub const PROVEN_ENTRY: u64 = 2;

/// What step 8 established.
#[derive(Debug)]
pub struct Logged {
    /// The appended receipts with their indices, in order.
    pub entries: Vec<(u64, Receipt)>,
    /// The signed checkpoint (C2SP signed note text).
    pub note: String,
    /// The checkpoint the regulator opened with the bank's public key.
    pub checkpoint: Checkpoint,
    /// The inclusion proof of [`PROVEN_ENTRY`] at the checkpoint's size.
    pub proof: Vec<Hash>,
    /// Why another receipt presented with the same proof was refused.
    pub forged_refused: LogVerifyError,
    /// The audit of the whole log.
    pub audit: AuditReport,
}

/// Step 8: creates a ledger at `db` (which must not exist) operated by the bank, appends the
/// receipts of `v0` (sealed), `v0g` (granted to the regulator) and `v1` (the partner
/// revoked), signs a checkpoint and checks the regulator's inclusion proof.
pub fn run(
    cast: &Cast,
    db: &Path,
    v0: &Sealed,
    v0g: &Sealed,
    v1: &Sealed,
) -> Result<Logged, StepError> {
    let origin = ORIGIN;
    let ledger = LocalLedger::create(db, origin, &cast.bank.public())?;
    let keys = cast.bank.keys();
    let receipts = [
        Receipt::sealed_from(keys, origin, unix_millis_now(), v0, None)?,
        Receipt::granted_from(
            keys,
            origin,
            unix_millis_now(),
            v0g,
            cast.regulator.key_id(),
        )?,
        Receipt::revoked_from(keys, origin, unix_millis_now(), v1, cast.partner.key_id())?,
    ];
    let mut entries = Vec::with_capacity(receipts.len());
    for r in &receipts {
        let index = ledger.append(r)?;
        entries.push((index, r.clone()));
    }
    let note = ledger.checkpoint(keys)?;

    // What the regulator receives: the receipt, its inclusion proof, the checkpoint.
    let index = PROVEN_ENTRY;
    let cp = Checkpoint::open(&note, origin, &cast.bank.public())?;
    let proof = ledger.inclusion_proof(index, cp.size)?;
    let receipt = ledger.receipt(index)?;
    verify_inclusion(index, cp.size, &receipt.leaf_hash(), &proof, &cp.root)?;
    // A receipt claiming something else does not verify against the same proof.
    let forged = receipts
        .first()
        .ok_or_else(|| StepError::failed("no receipts"))?
        .leaf_hash();
    let forged_refused = match verify_inclusion(index, cp.size, &forged, &proof, &cp.root) {
        Ok(()) => {
            return Err(StepError::failed(
                "a different receipt verified against the proof",
            ))
        }
        Err(e) => e,
    };
    let audit = ledger.audit(Some(&cast.bank.public()))?;
    Ok(Logged {
        entries,
        note,
        checkpoint: cp,
        proof,
        forged_refused,
        audit,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::share_record;

    #[test]
    fn the_regulator_checks_the_revocation() {
        let cast = Cast::generate().unwrap();
        let record = share_record::customer_record().unwrap();
        let share_record::Versions {
            sealed: v0,
            granted: v0g,
            revoked: v1,
        } = share_record::run(&cast, &record).unwrap();
        let dir = std::env::temp_dir().join(format!("cw-ex-ledger-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("ledger.db");
        let logged = run(&cast, &db, &v0, &v0g, &v1).unwrap();
        let kinds: Vec<_> = logged
            .entries
            .iter()
            .map(|(i, r)| (*i, r.event().kind_name()))
            .collect();
        assert_eq!(
            kinds,
            [
                (0, "record-sealed"),
                (1, "access-granted"),
                (2, "access-revoked")
            ]
        );
        assert_eq!(logged.checkpoint.size, 3);
        assert_eq!(logged.audit.entries, 3);
        assert_eq!(logged.audit.checkpoints, 1);
        // the ledger exists now: the step does not run over an existing one
        assert!(matches!(
            run(&cast, &db, &v0, &v0g, &v1),
            Err(StepError::Sdk(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
