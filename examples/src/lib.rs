//! Runnable examples of the Causeway API, and the storylines of `causeway demo`.
//!
//! The demo's scenarios live here, not in the `causeway` crate's public API nor in the CLI:
//! each step of the demo is one module, written against `causeway`'s public API only, that
//! does the step's work, checks what the step claims and returns what it established. The
//! CLI demo calls them in order and prints; the Python and web examples mirror them step by
//! step. Each module is also runnable on its own from `examples/` (`cargo run -p
//! causeway-examples --example NAME`).
//!
//! | step | module | example | storyline |
//! |------|--------|---------|-----------|
//! | 1 | [`parties`] | `parties` | a bank, a partner and a regulator generate their keys |
//! | 2–6 | [`share_record`] | `share_record` | the bank seals a customer record for the partner, grants the regulator, revokes the partner; a changed bit is refused |
//! | 7 | [`credit_check`] | `credit_check` | a bureau attests a credit report; the customer proves `credit_score >= 700` and `annual_income in [50000, 120000]` to a bank without disclosing either; replays and false claims are refused |
//! | 8 | [`ledger_proof`] | `ledger_proof` | the seal, grant and revocation land in a SQLite ledger; the regulator checks an inclusion proof against a signed checkpoint |
//! | 9 | [`trade_finance`] | `trade_finance` | an exporter proves that four attested orders add up to ≥ 2 000 000.00 with one Groth16 proof |
//! | 10 | [`evidence`] | `evidence` | Harbor Credit notarises a signed contract in the bank's ledger, sealed for the regulator; the regulator verifies the evidence certificate offline; a changed file, a changed certificate, another log's key and another origin are refused |
//! | 11 | [`provenance`] | `provenance` | a batch of milk powder from farm to shop: five trace events by four parties chained in a trace log; the consumer verifies the provenance bundle offline against a trust policy; a changed byte and an event by an untrusted key are refused |
//! | 12 | `anchoring` (feature `evm`) | `anchoring` | the ledger's checkpoint is anchored on an EVM chain; an anchor receipt verifies online and offline, and not for another chain |
//! | 13 | `trade_chain` (feature `evm`) | `trade_chain` | a bank escrows ether in the financing contract; a Groth16 proof that two registered orders add up to ≥ 1 000 000.00 pays the exporter; a replay, a revoked order, a tampered proof, a second payout and an early refund are refused; the second deal is refunded after its deadline |

use std::fmt;

#[cfg(feature = "evm")]
pub mod anchoring;
pub mod credit_check;
pub mod evidence;
pub mod ledger_proof;
pub mod parties;
pub mod provenance;
pub mod share_record;
#[cfg(feature = "evm")]
pub mod trade_chain;
pub mod trade_finance;

/// Why a storyline step did not complete.
#[derive(Debug)]
#[non_exhaustive]
pub enum StepError {
    /// The SDK failed an operation that the step expects to succeed.
    Sdk(causeway::Error),
    /// The SDK did what the storyline says it must not (or not what it says it does): a check
    /// of the step failed; the text says which.
    Failed(String),
}

impl StepError {
    /// A failed check of a step.
    pub fn failed(what: impl Into<String>) -> Self {
        StepError::Failed(what.into())
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::Sdk(e) => e.fmt(f),
            StepError::Failed(what) => write!(f, "demo step failed: {what}"),
        }
    }
}

impl std::error::Error for StepError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StepError::Sdk(e) => Some(e),
            StepError::Failed(_) => None,
        }
    }
}

impl From<causeway::Error> for StepError {
    fn from(e: causeway::Error) -> Self {
        StepError::Sdk(e)
    }
}

macro_rules! from_sdk_error {
    ($($t:ty),*) => {$(
        impl From<$t> for StepError {
            fn from(e: $t) -> Self {
                StepError::Sdk(causeway::Error::from(e))
            }
        }
    )*};
}
from_sdk_error!(
    causeway::error::DecodeError,
    causeway::error::KeyError,
    causeway::error::RecordError,
    causeway::error::SealError,
    causeway::error::OpenError,
    causeway::error::AttestError,
    causeway::error::ProveError,
    causeway::error::VerifyError,
    causeway::error::LedgerError,
    causeway::error::LogVerifyError,
    causeway::error::SnarkError,
    causeway::error::KeyRingError,
    causeway::error::AnchorError,
    causeway::error::EvidenceError,
    causeway::error::TraceError
);
