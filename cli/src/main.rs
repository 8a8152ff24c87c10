//! The `causeway` command-line tool.
//!
//! Exit codes: 0 success; 1 bad input or a failed operation; 2 usage error; 3 the object could
//! not be opened or verified (not a recipient, decryption or proof failure); 4 I/O error.

#[cfg(feature = "evm")]
mod anchor_cmd;
mod attest_cmd;
mod demo;
mod evidence_cmd;
mod io;
mod keys_cmd;
mod ledger_cmd;
mod revocation_opts;
mod seal_cmd;
mod snark_cmd;
mod trace_cmd;
mod verifier_cmd;
mod verify_anchor_cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Causeway: share data between organisations without giving it away.
#[derive(Parser)]
#[command(name = "causeway", version, about, long_about = None)]
struct Cli {
    /// Print machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a party's keys (Ed25519 signing, X25519 encryption) into a key file.
    Keygen(keys_cmd::KeygenArgs),
    /// Print a party's public keys (`cwpub1…` text or a JWK set).
    Pubkey(keys_cmd::PubkeyArgs),
    /// Export a party's keys as an RFC 8037 JWK set (for other JOSE tools).
    ExportJwk(keys_cmd::ExportJwkArgs),
    /// Import a JWK set holding an Ed25519 and an X25519 secret key into a key file.
    ImportJwk(keys_cmd::ImportJwkArgs),
    /// Rotate a party's keys: new records use the new keys, old records still open.
    Rotate(keys_cmd::RotateArgs),
    /// Seal a record (JSON), bytes, or a large file (stream) for recipients.
    Seal(seal_cmd::SealArgs),
    /// Open a sealed record or stream as a recipient (also opens a standard JWE).
    Open(seal_cmd::OpenArgs),
    /// Give a new recipient access to a sealed record without re-encrypting its content.
    Grant(seal_cmd::GrantArgs),
    /// Remove a recipient: re-seal under a fresh content key with the epoch increased.
    Revoke(seal_cmd::RevokeArgs),
    /// Re-seal a record for an explicit recipient list: fresh content key, epoch increased.
    Reseal(seal_cmd::ResealArgs),
    /// Show what a sealed record or stream says about itself, without opening it.
    Inspect(seal_cmd::InspectArgs),
    /// The audit ledger: init, append, checkpoint, prove, verify, audit.
    Ledger(ledger_cmd::LedgerArgs),
    /// Attest a record as an issuer: sign its commitments for a holder (writes the holder's file).
    Attest(attest_cmd::AttestArgs),
    /// Present attested records to a verifier: disclose some fields, prove statements about others.
    Present(attest_cmd::PresentArgs),
    /// Verify a presentation against trusted issuers and your challenge; print what it establishes.
    Verify(attest_cmd::VerifyArgs),
    /// Issue a fresh random challenge for a holder's presentation.
    Challenge(attest_cmd::ChallengeArgs),
    /// Sign a revocation list of attestation handles as their issuer.
    RevokeAttestation(attest_cmd::RevokeAttestationArgs),
    /// Anchor ledger checkpoints on an EVM chain (deploy, checkpoint, receipt, list, allow, admin).
    #[cfg(feature = "evm")]
    Anchor(anchor_cmd::AnchorArgs),
    /// Verify an anchor receipt, offline against an anchored checkpoint or online against a
    /// node (online needs the `evm` feature).
    VerifyAnchor(verify_anchor_cmd::VerifyAnchorArgs),
    /// Groth16 verifiers for EVM chains and snarkjs: export a Solidity verifier, export proofs,
    /// encode calldata, raw check.
    Verifier(verifier_cmd::VerifierArgs),
    /// Generate Groth16 keys for a circuit (single-party setup; prints the trust it implies).
    Setup(snark_cmd::SetupArgs),
    /// Removed: use `present --backend groth16` (its proofs bound no holder; issue 11 item 6).
    #[command(hide = true)]
    Prove(snark_cmd::RemovedArgs),
    /// Removed: use `verify --keys DIR`, or `verifier raw-check` for a raw Groth16 check.
    #[command(hide = true)]
    VerifyProof(snark_cmd::RemovedArgs),
    /// Anonymous membership in a Poseidon Merkle tree (Groth16): leaf, root, prove, verify.
    Membership(snark_cmd::MembershipArgs),
    /// Notarise a file: record its SHA-256 digest, length, media type and label in the ledger,
    /// signed by you; optionally seal it for named parties (a court, an arbitrator).
    Notarize(evidence_cmd::NotarizeArgs),
    /// Evidence certificates: export one for a notarised entry, verify one against the file.
    Evidence(evidence_cmd::EvidenceArgs),
    /// Product traceability: record steps, write trust policies and provenance bundles, verify.
    Trace(trace_cmd::TraceArgs),
    /// Run an end-to-end exchange between two organisations and a regulator, offline.
    Demo(demo::DemoArgs),
}

/// A CLI failure: a one-line message a person can act on, and an exit code.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    message: String,
    hint: Option<String>,
    /// Core's stable error code (`causeway::Error::code`), when the failure came from core.
    error_code: Option<&'static str>,
}

impl CliError {
    /// Bad input or a failed operation (exit 1).
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            code: 1,
            message: message.into(),
            hint: None,
            error_code: None,
        }
    }
    /// Could not open or verify (exit 3).
    pub fn denied(message: impl Into<String>) -> Self {
        CliError {
            code: 3,
            message: message.into(),
            hint: None,
            error_code: None,
        }
    }
    /// I/O failure (exit 4).
    pub fn io(message: impl Into<String>) -> Self {
        CliError {
            code: 4,
            message: message.into(),
            hint: None,
            error_code: None,
        }
    }
    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Carries core's stable error code (`--json` prints it as `code`), keeping this error's
    /// message and exit code: for failures whose message the CLI words itself.
    pub fn core_code(mut self, code: &'static str) -> Self {
        self.error_code = Some(code);
        self
    }
}

/// Core errors: the exit code comes from [`causeway::error::ErrorKind`] (decision 0003: 1 bad
/// input, 3 could not open or verify, 4 I/O), the `--json` output carries core's stable code,
/// and the hints (which name CLI commands, so they live here, not in core) from the code.
impl From<causeway::Error> for CliError {
    fn from(e: causeway::Error) -> Self {
        use causeway::error::ErrorKind;
        let mut c = match e.kind() {
            ErrorKind::Denied => CliError::denied(e.to_string()),
            ErrorKind::Io => CliError::io(e.to_string()),
            _ => CliError::input(e.to_string()),
        };
        c.error_code = Some(e.code());
        match e.code() {
            "not_a_recipient" => c.hint(
                "check that you used the key file of a current recipient (`causeway inspect` lists them)",
            ),
            "decrypt" => c.hint("the sealed object was tampered with, truncated, or is not for this key"),
            _ => c,
        }
    }
}

macro_rules! from_core_error {
    ($($t:ty),*) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                CliError::from(causeway::Error::from(e))
            }
        }
    )*};
}
from_core_error!(
    causeway::error::DecodeError,
    causeway::error::KeyError,
    causeway::error::RecordError,
    causeway::error::SealError,
    causeway::error::OpenError
);

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let json = cli.json;
    let result = match cli.command {
        Command::Keygen(a) => keys_cmd::keygen(a, json),
        Command::Pubkey(a) => keys_cmd::pubkey(a, json),
        Command::ExportJwk(a) => keys_cmd::export_jwk(a),
        Command::ImportJwk(a) => keys_cmd::import_jwk(a, json),
        Command::Rotate(a) => keys_cmd::rotate(a, json),
        Command::Seal(a) => seal_cmd::seal(a, json),
        Command::Open(a) => seal_cmd::open(a, json),
        Command::Grant(a) => seal_cmd::grant(a, json),
        Command::Revoke(a) => seal_cmd::revoke(a, json),
        Command::Reseal(a) => seal_cmd::reseal(a, json),
        Command::Inspect(a) => seal_cmd::inspect(a, json),
        Command::Ledger(a) => ledger_cmd::run(a, json),
        Command::Attest(a) => attest_cmd::attest(a, json),
        Command::Present(a) => attest_cmd::present(a, json),
        Command::Verify(a) => attest_cmd::verify(a, json),
        Command::Challenge(a) => attest_cmd::challenge(a, json),
        Command::RevokeAttestation(a) => attest_cmd::revoke_attestation(a, json),
        Command::Setup(a) => snark_cmd::setup(a, json),
        Command::Prove(a) => snark_cmd::removed("prove", &a),
        Command::VerifyProof(a) => snark_cmd::removed("verify-proof", &a),
        Command::Membership(a) => snark_cmd::membership(a, json),
        Command::Trace(a) => trace_cmd::run(a, json),
        Command::Demo(a) => demo::run(a),
        Command::Notarize(a) => evidence_cmd::notarize(a, json),
        Command::Evidence(a) => evidence_cmd::run(a, json),
        Command::Verifier(a) => verifier_cmd::run(a, json),
        #[cfg(feature = "evm")]
        Command::Anchor(a) => anchor_cmd::run(a, json),
        Command::VerifyAnchor(a) => verify_anchor_cmd::verify(a, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                let v = serde_json::json!({
                    "error": e.message,
                    "hint": e.hint,
                    "exit_code": e.code,
                    "code": e.error_code,
                });
                eprintln!("{v}");
            } else {
                eprintln!("causeway: error: {}", e.message);
                if let Some(h) = &e.hint {
                    eprintln!("causeway: hint: {h}");
                }
            }
            ExitCode::from(e.code)
        }
    }
}
