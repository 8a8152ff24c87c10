//! Step 10 of `causeway demo`: evidence storage. Harbor Credit notarises a signed contract in
//! the bank's ledger, sealed for the regulator (acting as the court); the regulator receives an
//! evidence certificate and checks, offline with the log's key and origin, that this exact file
//! was recorded by Harbor Credit at a time in that log. A changed file, a changed byte of the
//! certificate, another log's key and another origin are refused.

use crate::parties::Cast;
use crate::StepError;
use causeway::error::Error;
use causeway::evidence::{
    seal_and_notarise, Certificate, ContentDigest, EvidenceFacts, Label, MediaType,
};
use causeway::ledger::receipt::unix_millis_now;
use causeway::ledger::sqlite::LocalLedger;
use causeway::seal::stream::StreamOpener;
use std::path::Path;
use std::time::{Duration, Instant};

/// The contract Harbor Credit notarises (in a real case: a file of any size, read once).
pub fn exhibit() -> Vec<u8> {
    let mut v =
        b"%PDF-1.7\n% Loan agreement between Harbor Credit and Northwind Bank, signed 2026-12-01\n"
            .to_vec();
    v.extend((0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    v
}

/// The label recorded with it (public: it names the exhibit, not its content).
pub const LABEL: &str = "exhibit 12";
/// Its media type (public).
pub const MEDIA_TYPE: &str = "application/pdf";

/// What step 10 established.
#[derive(Debug)]
pub struct Notarised {
    /// The evidence receipt's index in the log.
    pub index: u64,
    /// The sealed copy's `record-sealed` receipt index (just before).
    pub sealed_index: u64,
    /// The sealed copy (a sealed stream for the regulator).
    pub sealed_copy: Vec<u8>,
    /// The evidence certificate's bytes.
    pub certificate: Vec<u8>,
    /// What the regulator's offline verification established.
    pub facts: EvidenceFacts,
    /// How long that verification took (certificate and file).
    pub verify_time: Duration,
    /// The refusals: what was presented, and the typed error.
    pub refusals: Vec<(&'static str, Error)>,
}

fn expect_refused<T>(
    what: &'static str,
    r: Result<T, causeway::error::EvidenceError>,
    out: &mut Vec<(&'static str, Error)>,
) -> Result<(), StepError> {
    match r {
        Ok(_) => Err(StepError::failed(format!("{what} was accepted"))),
        Err(e) => {
            out.push((what, Error::from(e)));
            Ok(())
        }
    }
}

/// Step 10: notarises [`exhibit`] by the partner, sealed for the regulator, in the ledger at
/// `db` (step 8's, whose checkpoints the bank signs), exports the certificate and verifies it
/// as the regulator would; then checks the four refusals and that the regulator's sealed copy
/// is the notarised file.
pub fn run(cast: &Cast, db: &Path) -> Result<Notarised, StepError> {
    let ledger = LocalLedger::open(db)?;
    let origin = ledger.origin().to_owned();
    let content = exhibit();
    let mut sealed_copy = Vec::new();
    let s = seal_and_notarise(
        &cast.partner,
        &[cast.regulator.public()],
        &origin,
        unix_millis_now(),
        &MediaType::new(MEDIA_TYPE)?,
        &Label::new(LABEL)?,
        &content[..],
        &mut sealed_copy,
    )?;
    let sealed_index = ledger.append_batch(&[s.sealed_receipt.clone(), s.evidence_receipt])?;
    let index = sealed_index + 1;
    ledger.checkpoint(cast.bank.keys())?;
    let certificate = Certificate::from_ledger(&ledger, index, None)?.to_bytes()?;

    // The regulator: the certificate, the file, the log's key and origin; nothing else.
    let log_key = cast.bank.public();
    let start = Instant::now();
    let cert = Certificate::from_bytes(&certificate)?;
    let digest = ContentDigest::of_reader(&content[..])?;
    let facts = cert.verify(&digest, &log_key, &origin, None)?;
    let verify_time = start.elapsed();
    if facts.submitter != cast.partner.key_id() || facts.index != index {
        return Err(StepError::failed(
            "the certificate names another party or entry",
        ));
    }
    // The sealed copy opens for the regulator and is the notarised file.
    let mut opener = StreamOpener::new(&cast.regulator);
    let mut opened = opener.push(&sealed_copy)?;
    opened.extend(opener.finish()?.0);
    if ContentDigest::of_bytes(&opened) != digest {
        return Err(StepError::failed(
            "the sealed copy is not the notarised file",
        ));
    }

    let mut refusals = Vec::new();
    let mut changed = content.clone();
    if let Some(b) = changed.get_mut(70_000) {
        *b ^= 0x01;
    }
    expect_refused(
        "the contract with one bit changed",
        cert.verify(&ContentDigest::of_bytes(&changed), &log_key, &origin, None),
        &mut refusals,
    )?;
    let mut bad = certificate.clone();
    let at = bad.len() / 2;
    if let Some(b) = bad.get_mut(at) {
        *b ^= 0x01;
    }
    expect_refused(
        "the certificate with one bit changed",
        Certificate::from_bytes(&bad).and_then(|c| c.verify(&digest, &log_key, &origin, None)),
        &mut refusals,
    )?;
    expect_refused(
        "the certificate under another log's key",
        cert.verify(&digest, &cast.partner.public(), &origin, None),
        &mut refusals,
    )?;
    expect_refused(
        "the certificate for another log origin",
        cert.verify(&digest, &log_key, "harbor.example/ledger", None),
        &mut refusals,
    )?;
    Ok(Notarised {
        index,
        sealed_index,
        sealed_copy,
        certificate,
        facts,
        verify_time,
        refusals,
    })
}
