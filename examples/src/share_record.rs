//! Steps 2–6 of `causeway demo`: sharing a customer record.
//!
//! The bank seals a customer record for the partner (a standard JWE); the partner opens it and
//! the regulator cannot; the bank grants the regulator (one more wrapped key, no
//! re-encryption); the bank revokes the partner (re-sealed under a fresh content key, same
//! record id, epoch + 1); a copy with one flipped bit is refused before anything is released.
//! Each function is one step; each checks what the step claims and returns a
//! [`StepError::Failed`] if the SDK does otherwise.
//!
//! ```
//! use causeway_examples::{parties::Cast, share_record};
//! let cast = Cast::generate()?;
//! let record = share_record::customer_record()?;
//! let v0 = share_record::seal(&cast, &record)?;
//! share_record::open(&cast, &record, &v0)?;
//! let v0g = share_record::grant(&cast, &record, &v0)?;
//! let v1 = share_record::revoke(&cast, &record, &v0g)?;
//! share_record::tamper(&cast, &v1.sealed)?;
//! # Ok::<(), causeway_examples::StepError>(())
//! ```

use crate::parties::Cast;
use crate::StepError;
use causeway::error::OpenError;
use causeway::party::Party;
use causeway::record::{Record, Value};
use causeway::seal::{Content, Sealed};

/// The customer record the bank shares (a KYC record: six fields).
pub fn customer_record() -> Result<Record, causeway::Error> {
    Ok(Record::new("kyc/customer/v1")?
        .with("customer_id", Value::String("C-2291-0042".into()))?
        .with("name", Value::String("Ada Okafor".into()))?
        .with("born", Value::date("1988-06-14")?)?
        .with("credit_score", Value::Int(712))?
        .with("annual_income", Value::decimal("86500.00")?)?
        .with("politically_exposed", Value::Bool(false))?)
}

fn must_open(who: &Party, sealed: &Sealed) -> Result<Record, StepError> {
    match sealed.open(who)? {
        Content::Record(r) => Ok(r),
        _ => Err(StepError::failed("expected a record")),
    }
}

fn must_not_open(who: &Party, sealed: &Sealed) -> Result<OpenError, StepError> {
    match sealed.open(who) {
        Ok(_) => Err(StepError::failed(
            "a party that should be refused could open the record",
        )),
        Err(e) => Ok(e),
    }
}

/// Step 2: the bank seals `record` for the partner (the bank, as owner, is a recipient too).
pub fn seal(cast: &Cast, record: &Record) -> Result<Sealed, StepError> {
    Ok(Sealed::seal_record(
        &cast.bank,
        &[cast.partner.public()],
        record,
    )?)
}

/// What step 3 established.
#[derive(Debug)]
pub struct Opened {
    /// The record as the partner opened it (equal to the sealed one).
    pub record: Record,
    /// Why the regulator, not a recipient yet, could not open it.
    pub regulator_refused: OpenError,
}

/// Step 3: the partner opens `v0` and reads `record`; the regulator is refused.
pub fn open(cast: &Cast, record: &Record, v0: &Sealed) -> Result<Opened, StepError> {
    let opened = must_open(&cast.partner, v0)?;
    if opened != *record {
        return Err(StepError::failed("Harbor Credit opened a different record"));
    }
    let regulator_refused = must_not_open(&cast.regulator, v0)?;
    Ok(Opened {
        record: opened,
        regulator_refused,
    })
}

/// Step 4: the bank grants the regulator access to `v0`: same ciphertext, one more wrapped
/// key; the regulator opens `record`. Returns the granted copy.
pub fn grant(cast: &Cast, record: &Record, v0: &Sealed) -> Result<Sealed, StepError> {
    let v0g = v0.grant(&cast.bank, &cast.regulator.public())?;
    if v0g.ciphertext_len() != v0.ciphertext_len() || v0g.recipients().len() != 3 {
        return Err(StepError::failed(
            "granting should add a recipient and keep the ciphertext",
        ));
    }
    let reg = must_open(&cast.regulator, &v0g)?;
    if reg != *record {
        return Err(StepError::failed("the regulator opened a different record"));
    }
    Ok(v0g)
}

/// What step 5 established.
#[derive(Debug)]
pub struct Revoked {
    /// The re-sealed record (same record id, next epoch, without the partner).
    pub sealed: Sealed,
    /// Why the partner could not open the new epoch.
    pub partner_refused: OpenError,
}

/// Step 5: the bank revokes the partner from `v0g`: re-sealed under a fresh content key, same
/// record id, epoch + 1; the partner is refused, the regulator still opens `record`.
pub fn revoke(cast: &Cast, record: &Record, v0g: &Sealed) -> Result<Revoked, StepError> {
    let v1 = v0g.revoke(&cast.bank, &cast.partner.key_id())?;
    if v1.epoch() != v0g.epoch() + 1 || v1.record_id() != v0g.record_id() {
        return Err(StepError::failed(
            "revocation must keep the record id and increase the epoch",
        ));
    }
    let partner_refused = must_not_open(&cast.partner, &v1)?;
    if must_open(&cast.regulator, &v1)? != *record {
        return Err(StepError::failed(
            "the regulator opened a different record after revocation",
        ));
    }
    Ok(Revoked {
        sealed: v1,
        partner_refused,
    })
}

/// Step 6: the canonical bytes of `v1` with the last bit flipped do not open for the
/// regulator (a current recipient). Returns the refusal.
pub fn tamper(cast: &Cast, v1: &Sealed) -> Result<causeway::Error, StepError> {
    let mut tampered = v1.to_bytes();
    if let Some(b) = tampered.last_mut() {
        *b ^= 0x01;
    }
    match Sealed::from_bytes(&tampered)
        .map_err(causeway::Error::from)
        .and_then(|s| s.open(&cast.regulator).map_err(causeway::Error::from))
    {
        Ok(_) => Err(StepError::failed("a tampered record opened")),
        Err(e) => Ok(e),
    }
}

/// The three versions of the record that steps 2–6 produce.
#[derive(Debug)]
pub struct Versions {
    /// Step 2: sealed for the partner, epoch 0.
    pub sealed: Sealed,
    /// Step 4: the same, granted to the regulator.
    pub granted: Sealed,
    /// Step 5: re-sealed without the partner, epoch 1.
    pub revoked: Sealed,
}

/// Steps 2–6 in order, for `record` (what a later step, such as the ledger's, starts from).
pub fn run(cast: &Cast, record: &Record) -> Result<Versions, StepError> {
    let sealed = seal(cast, record)?;
    open(cast, record, &sealed)?;
    let granted = grant(cast, record, &sealed)?;
    let revoked = revoke(cast, record, &granted)?.sealed;
    tamper(cast, &revoked)?;
    Ok(Versions {
        sealed,
        granted,
        revoked,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The steps run in order; the refusals are the ones the storyline is about.
    #[test]
    fn steps_two_to_six() {
        let cast = Cast::generate().unwrap();
        let record = customer_record().unwrap();
        let v0 = seal(&cast, &record).unwrap();
        assert_eq!(cast.names(&v0), "Northwind Bank, Harbor Credit");
        let opened = open(&cast, &record, &v0).unwrap();
        assert_eq!(opened.record, record);
        assert_eq!(
            causeway::Error::from(opened.regulator_refused).code(),
            "not_a_recipient"
        );
        let v0g = grant(&cast, &record, &v0).unwrap();
        assert_eq!(
            cast.names(&v0g),
            "Northwind Bank, Harbor Credit, Financial Regulator"
        );
        let v1 = revoke(&cast, &record, &v0g).unwrap();
        assert_eq!(v1.sealed.epoch(), 1);
        assert_eq!(
            cast.names(&v1.sealed),
            "Northwind Bank, Financial Regulator"
        );
        assert_eq!(
            causeway::Error::from(v1.partner_refused).code(),
            "not_a_recipient"
        );
        assert_eq!(tamper(&cast, &v1.sealed).unwrap().code(), "decrypt");
    }

    /// A step's check fails when it is given what the storyline says cannot happen: the
    /// partner opening a record sealed for it is not a refusal.
    #[test]
    fn a_check_that_does_not_hold_fails_the_step() {
        let cast = Cast::generate().unwrap();
        let record = customer_record().unwrap();
        let v0 = seal(&cast, &record).unwrap();
        let v0g = grant(&cast, &record, &v0).unwrap();
        // the regulator is a recipient of the granted copy: step 3's refusal does not hold
        assert!(matches!(
            open(&cast, &record, &v0g),
            Err(StepError::Failed(_))
        ));
        // another record does not count as the one the partner opens
        let other = Record::new("kyc/customer/v1")
            .unwrap()
            .with("credit_score", Value::Int(1))
            .unwrap();
        assert!(matches!(
            open(&cast, &other, &v0),
            Err(StepError::Failed(_))
        ));
        // revoking from the ungranted copy leaves the regulator without access: an SDK error
        assert!(matches!(
            revoke(&cast, &record, &v0),
            Err(StepError::Sdk(_))
        ));
    }
}
