//! `causeway verifier export` (a Solidity Groth16 verifier for a verifying key),
//! `causeway verifier calldata` (the calldata that calls it with a proof) and
//! `causeway verifier raw-check` (the same pairing check, off chain, for interop: a proof and raw
//! public inputs against a verifying key, e.g. snarkjs files; it checks no statement) and
//! `causeway verifier export-proof` (a Groth16 presentation's or membership proof's proofs as
//! snarkjs `proof.json` / `public.json` and Solidity calldata, from core's
//! `snark::Groth16Export`).

use crate::io::{read_input, write_output};
use crate::CliError;
use causeway::anchor::verifier::{solidity_verifier, verify_calldata};
use causeway::snark::{self, Proof, VerifyingKey};
use causeway::wire::{decode_any, sniff, Form};
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
    /// Export the Groth16 proofs of a presentation (`present --backend groth16`) or of a
    /// membership proof (`membership prove`) for `snarkjs groth16 verify` and the Solidity
    /// verifier: writes, per proof, NAME-proof.json and NAME-public.json (snarkjs),
    /// NAME-calldata.hex (`verifyProof` calldata) and, with --keys, NAME-vk.json. The public
    /// inputs are recomputed for your challenge. An outside verifier that checks only these
    /// files checks the Groth16 equation, not the issuer, holder, validity or revocation
    /// (`causeway verify` does).
    ExportProof {
        /// The presentation (JSON or binary) or membership proof (JSON).
        #[arg(short, long)]
        input: PathBuf,
        /// The challenge the proofs were made for (hex).
        #[arg(long)]
        challenge: String,
        /// For a membership proof: the tree root you accept (64 hex digits). The export's
        /// public inputs use it, not the root the proof's JSON claims. Required for membership.
        #[arg(long, value_name = "HEX")]
        root: Option<String>,
        /// For a membership proof with a nullifier: the nullifier context you require (64 hex
        /// digits), used instead of the one the proof's JSON claims.
        #[arg(long, value_name = "HEX")]
        nullifier_context: Option<String>,
        /// Your key directory: checks each proof under your verifying key for its circuit
        /// before writing it, and writes that key as NAME-vk.json.
        #[arg(long, value_name = "DIR")]
        keys: Option<PathBuf>,
        /// The directory to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
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

/// A verifying key in any of its forms (core's `wire::decode_any`: canonical binary,
/// base64url text, or snarkjs `verification_key.json`).
fn load_vk(path: &Path) -> Result<VerifyingKey, CliError> {
    let raw = read_input(Some(path))?;
    decode_any::<VerifyingKey>(&raw)
        .map_err(|e| CliError::input(format!("malformed verifying key {}: {e}", path.display())))
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
        VerifierCmd::ExportProof {
            input,
            challenge,
            root,
            nullifier_context,
            keys,
            out,
        } => export_proof(
            &input,
            &challenge,
            (root.as_deref(), nullifier_context.as_deref()),
            keys.as_deref(),
            &out,
            json,
        ),
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

/// Reads a Groth16 presentation or a membership proof and exports its proofs (core:
/// `Presentation::groth16_exports`, `ProvenMembership::export`).
fn export_proof(
    input: &Path,
    challenge: &str,
    (root, nullifier_context): (Option<&str>, Option<&str>),
    keys: Option<&Path>,
    out: &Path,
    json: bool,
) -> Result<(), CliError> {
    use causeway::presentation::{Challenge, Presentation};
    use causeway::snark::membership::ProvenMembership;
    let challenge =
        Challenge::from_hex(challenge).map_err(|e| CliError::input(format!("--challenge: {e}")))?;
    let raw = read_input(Some(input))?;
    let malformed = |e: &dyn std::fmt::Display| {
        CliError::input(format!("{}: {e}", input.display()))
            .hint("give a presentation (`causeway present --backend groth16`) or a membership proof (`causeway membership prove`)")
    };
    // A membership proof is JSON naming a membership circuit; anything else is a presentation
    // in any of its wire forms (core's `wire::decode_any`).
    let membership_json = match sniff(&raw) {
        Form::Json => std::str::from_utf8(&raw).ok().filter(|text| {
            serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| {
                    v.get("statement")
                        .and_then(|s| s.as_str())
                        .map(|s| s.starts_with("membership:"))
                })
                .unwrap_or(false)
        }),
        _ => None,
    };
    let exports: Vec<(String, snark::Groth16Export)> = if let Some(text) = membership_json {
        let m = ProvenMembership::from_json(text).map_err(|e| malformed(&e))?;
        // The verifier's statement: its root (and context), never the JSON's claim.
        let root = root.ok_or_else(|| {
            CliError::input("a membership proof is exported under the root you accept: give --root")
                .hint("`causeway membership root --leaves FILE --depth D` prints a list's root")
        })?;
        let mut trusted = m.statement;
        trusted.root = crate::snark_cmd::field_hex("--root", root)?;
        trusted.nullifier_context = match (m.statement.nullifier_context, nullifier_context) {
            (None, None) => None,
            (Some(_), Some(c)) => Some(crate::snark_cmd::field_hex("--nullifier-context", c)?),
            (Some(_), None) => return Err(CliError::input(
                "the membership proof has a nullifier: give the --nullifier-context you require",
            )),
            (None, Some(_)) => {
                return Err(CliError::input(
                    "--nullifier-context given, but the membership proof has no nullifier",
                ))
            }
        };
        vec![(
            "membership".to_owned(),
            m.export(&trusted, &challenge).map_err(|e| malformed(&e))?,
        )]
    } else {
        let p = decode_any::<Presentation>(&raw).map_err(|e| malformed(&e))?;
        named(p.groth16_exports(&challenge).map_err(|e| malformed(&e))?)
    };
    if exports.is_empty() {
        return Err(CliError::input(
            "no Groth16 proofs to export (a Bulletproofs presentation has none)",
        ));
    }
    let ring = match keys {
        Some(dir) => {
            let circuits: Vec<_> = exports.iter().map(|(_, e)| e.circuit).collect();
            Some(
                snark::KeyRing::load_dir(dir, &circuits, snark::KeyUse::Verify)
                    .map_err(|e| CliError::input(format!("Groth16 keys: {e}")))?,
            )
        }
        None => None,
    };
    std::fs::create_dir_all(out)
        .map_err(|e| CliError::io(format!("cannot create {}: {e}", out.display())))?;
    let mut listed = Vec::new();
    for (name, e) in &exports {
        if let Some(ring) = &ring {
            let vk = ring
                .verifying_key(&e.circuit)
                .ok_or_else(|| CliError::input(format!("no verifying key for {}", e.circuit)))?;
            e.check(vk).map_err(|err| {
                CliError::denied(format!(
                    "{name} ({}) does not verify under your key {}: {err}",
                    e.circuit,
                    vk.id()
                ))
            })?;
            write_output(
                Some(&out.join(format!("{name}-vk.json"))),
                snark::vk_to_snarkjs_json(vk).as_bytes(),
                false,
            )?;
        }
        let calldata = format!(
            "0x{}\n",
            hex::encode(verify_calldata(&e.proof, &e.public_inputs))
        );
        write_output(
            Some(&out.join(format!("{name}-proof.json"))),
            e.proof_json().as_bytes(),
            false,
        )?;
        write_output(
            Some(&out.join(format!("{name}-public.json"))),
            e.public_json().as_bytes(),
            false,
        )?;
        write_output(
            Some(&out.join(format!("{name}-calldata.hex"))),
            calldata.as_bytes(),
            false,
        )?;
        listed.push(serde_json::json!({
            "name": name, "circuit": e.circuit.to_string(), "key_id": e.key_id().to_text(),
            "public_inputs": e.public_inputs_decimal(), "checked": ring.is_some(),
        }));
        if !json {
            println!(
                "{name}: {} (key {}){} -> {}",
                e.circuit,
                e.key_id(),
                if ring.is_some() { ", checked" } else { "" },
                out.join(format!("{name}-{{proof,public}}.json")).display()
            );
        }
    }
    if json {
        println!("{}", serde_json::json!({ "exports": listed }));
    } else {
        eprintln!("{EXPORT_SCOPE}");
    }
    Ok(())
}

/// What an outside check of exported files establishes.
pub const EXPORT_SCOPE: &str = "snarkjs or the Solidity verifier check only the Groth16 equation \
of these files: not the issuer, holder, validity, revocation or what the statement hash means \
(verify presentations with `causeway verify --keys DIR`, membership with `causeway membership verify`)";

fn named(exports: Vec<snark::Groth16Export>) -> Vec<(String, snark::Groth16Export)> {
    exports
        .into_iter()
        .enumerate()
        .map(|(i, e)| (format!("statement-{i}"), e))
        .collect()
}

fn load_proof_and_inputs(
    vk: &VerifyingKey,
    proof: &Path,
    public: &Path,
) -> Result<(Proof, Vec<snark::Fr>), CliError> {
    let bad = |e: &dyn std::fmt::Display| {
        CliError::input(format!("malformed proof {}: {e}", proof.display()))
    };
    let raw = read_input(Some(proof))?;
    // snarkjs `proof.json` carries no key id: it is read against the key given; every other
    // form through core's `wire::decode_any` (binary or base64url text).
    let proof = match sniff(&raw) {
        Form::Json => {
            let text = std::str::from_utf8(&raw).map_err(|_| bad(&"not UTF-8"))?;
            snark::proof_from_snarkjs_json(text, vk).map_err(|e| bad(&e))?
        }
        _ => decode_any::<Proof>(&raw).map_err(|e| bad(&e))?,
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
