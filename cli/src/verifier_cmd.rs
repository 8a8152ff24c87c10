//! `causeway verifier export` (a Solidity Groth16 verifier for a verifying key),
//! `causeway verifier calldata` (the calldata that calls it with a proof) and
//! `causeway verifier raw-check` (the same pairing check, off chain, for interop: a proof and raw
//! public inputs against a verifying key, e.g. snarkjs files; it checks no statement).

use crate::io::{read_input, write_output};
use crate::CliError;
use causeway::anchor::verifier::{solidity_verifier, verify_calldata};
use causeway::encoding::b64u_decode;
use causeway::snark::{self, Proof, VerifyingKey};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// Arguments of `causeway verifier`.
#[derive(Args)]
pub struct VerifierArgs {
    #[command(subcommand)]
    cmd: VerifierCmd,
}

#[derive(Subcommand)]
enum VerifierCmd {
    /// Write a Solidity verifier contract (BN254 precompiles) for a Groth16 verifying key.
    Export {
        /// The verifying key: Causeway binary or base64url text, or snarkjs
        /// `verification_key.json`.
        vk: PathBuf,
        /// The contract's name.
        #[arg(long, default_value = "Groth16Verifier")]
        name: String,
        /// Output file (stdout if absent).
        #[arg(short, long)]
        out: Option<PathBuf>,
    },
    /// Print the hex calldata of `verifyProof(proof, inputs)` for the exported verifier.
    Calldata {
        /// The verifying key (as for `export`).
        #[arg(long)]
        vk: PathBuf,
        /// The proof: Causeway binary or base64url text, or snarkjs `proof.json`.
        #[arg(long)]
        proof: PathBuf,
        /// The public inputs: snarkjs `public.json` (decimal strings).
        #[arg(long)]
        public: PathBuf,
    },
    /// Raw Groth16 check of a proof against a verifying key and raw public inputs (what the
    /// exported Solidity verifier or `snarkjs groth16 verify` checks): for interop and key
    /// ceremonies. It checks NO statement, NO holder, NO issuer, NO challenge and NO revocation;
    /// to verify what a holder proves about attested records use `causeway verify --keys DIR`.
    RawCheck {
        /// The verifying key (as for `export`).
        #[arg(long)]
        vk: PathBuf,
        /// The proof: Causeway binary or base64url text, or snarkjs `proof.json`.
        #[arg(long)]
        proof: PathBuf,
        /// The public inputs: snarkjs `public.json` (decimal strings).
        #[arg(long)]
        public: PathBuf,
    },
}

/// What `verifier raw-check` says it did not check.
pub const RAW_CHECK_SCOPE: &str = "raw Groth16 pairing check only: no statement, holder, \
issuer, challenge or revocation was checked (verify presentations with `causeway verify --keys DIR`)";

const MAX_FILE: usize = 64 * 1024 * 1024;

fn bytes_or_text(path: &Path, what: &'static str) -> Result<(Vec<u8>, Option<String>), CliError> {
    let raw = read_input(Some(path))?;
    if raw.starts_with(b"CW") {
        return Ok((raw, None));
    }
    let text = String::from_utf8(raw)
        .map_err(|_| CliError::input(format!("{what}: neither binary nor text")))?;
    if text.trim_start().starts_with('{') || text.trim_start().starts_with('[') {
        return Ok((Vec::new(), Some(text)));
    }
    Ok((b64u_decode(what, text.trim(), MAX_FILE)?, None))
}

fn load_vk(path: &Path) -> Result<VerifyingKey, CliError> {
    let what = |e: &dyn std::fmt::Display| {
        CliError::input(format!("malformed verifying key {}: {e}", path.display()))
    };
    match bytes_or_text(path, "verifying key")? {
        (_, Some(json)) => snark::vk_from_snarkjs_json(&json).map_err(|e| what(&e)),
        (b, None) => VerifyingKey::from_bytes(&b).map_err(|e| what(&e)),
    }
}

/// `causeway verifier …`.
pub fn run(a: VerifierArgs, json: bool) -> Result<(), CliError> {
    match a.cmd {
        VerifierCmd::Export { vk, name, out } => {
            let vk = load_vk(&vk)?;
            let sol = solidity_verifier(&vk, &name);
            write_output(out.as_deref(), sol.as_bytes(), false)
        }
        VerifierCmd::Calldata { vk, proof, public } => {
            let vk = load_vk(&vk)?;
            let (proof, inputs) = load_proof_and_inputs(&vk, &proof, &public)?;
            println!("0x{}", hex::encode(verify_calldata(&proof, &inputs)));
            Ok(())
        }
        VerifierCmd::RawCheck { vk, proof, public } => {
            let vk = load_vk(&vk)?;
            let (proof, inputs) = load_proof_and_inputs(&vk, &proof, &public)?;
            snark::verify(&vk, &inputs, &proof)
                .map_err(|e| CliError::denied(format!("raw Groth16 check failed: {e}")))?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"raw_groth16_check": true, "key_id": vk.id().to_text(),
                        "public_inputs": inputs.len(), "scope": RAW_CHECK_SCOPE})
                );
            } else {
                println!("raw Groth16 check passed (key {})", vk.id());
                eprintln!("{RAW_CHECK_SCOPE}");
            }
            Ok(())
        }
    }
}

fn load_proof_and_inputs(
    vk: &VerifyingKey,
    proof: &Path,
    public: &Path,
) -> Result<(Proof, Vec<snark::Fr>), CliError> {
    let bad = |e: &dyn std::fmt::Display| {
        CliError::input(format!("malformed proof {}: {e}", proof.display()))
    };
    let proof = match bytes_or_text(proof, "proof")? {
        (_, Some(json)) => snark::proof_from_snarkjs_json(&json, vk).map_err(|e| bad(&e))?,
        (b, None) => Proof::from_bytes(&b).map_err(|e| bad(&e))?,
    };
    let text = String::from_utf8(read_input(Some(public))?)
        .map_err(|_| CliError::input("public inputs: not UTF-8"))?;
    let inputs = snark::public_from_snarkjs_json(&text)
        .map_err(|e| CliError::input(format!("public inputs {}: {e}", public.display())))?;
    if inputs.len() != vk.public_inputs() {
        return Err(CliError::input(format!(
            "{} public inputs given, the key takes {}",
            inputs.len(),
            vk.public_inputs()
        )));
    }
    Ok((proof, inputs))
}
