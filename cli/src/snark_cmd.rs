//! `causeway setup`, `causeway prove --backend groth16`, `causeway verify-proof`: Groth16 keys
//! and proofs for the sum-threshold and attribute statements over attested records.

use crate::io::{parse_recipient, read_input, write_output};
use crate::CliError;
use causeway::attest::{Attestation, AttestedRecord, NoRevocations};
use causeway::encoding::{b64u_decode, b64u_encode};
use causeway::presentation::Challenge;
use causeway::snark::{self, attested, keyring, KeyRing, ProvingKey, Shape, VerifyingKey};
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::Predicate;
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

/// The trust a single-party setup implies (printed by `causeway setup`).
pub const TRUST_STATEMENT: &str = "Trust: this key pair comes from a single-party setup. Whoever ran it \
(you) could have kept its toxic waste and could then forge proofs for this key; verifiers who accept \
it trust the operator of this setup. For keys a consortium can trust, run a multi-party phase-2 \
ceremony (docs/groth16-ceremony.md).";

/// Arguments of `causeway setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The statement: `sum:K` (K attested records, 1..=64), `attribute`, `membership:DEPTH`
    /// or `membership:DEPTH:nullifier`.
    #[arg(long)]
    statement: String,
    /// Key directory: writes `<key id>.pk`, `.vk`, `.vk.json` (snarkjs) and files the key
    /// under its statement in `keys.json` (what `present`/`verify --keys DIR` read).
    #[arg(long, visible_alias = "keys", default_value = ".")]
    out: PathBuf,
}

/// Proof back-ends of `causeway prove`.
#[derive(Clone, Copy, ValueEnum)]
pub enum Backend {
    /// Groth16 over BN254 (succinct, EVM-verifiable; needs `causeway setup` keys).
    Groth16,
}

/// Arguments of `causeway prove`.
#[derive(Args)]
pub struct ProveArgs {
    /// The proof back-end (Bulletproofs presentations: `causeway present`).
    #[arg(long, value_enum)]
    backend: Backend,
    /// The proving key file from `causeway setup`.
    #[arg(long)]
    pk: PathBuf,
    /// An attested record file (repeat for a sum over several records).
    #[arg(short, long = "attested", required = true)]
    attested: Vec<PathBuf>,
    /// The numeric field the statement is about.
    #[arg(long)]
    field: String,
    /// Prove `sum(field) >= T` over all attested records (T in units of the field's scale).
    #[arg(long, value_name = "T", allow_hyphen_values = true)]
    sum_at_least: Option<i64>,
    /// Prove `field >= T` (units of the field's scale).
    #[arg(long, allow_hyphen_values = true)]
    at_least: Option<i64>,
    /// Prove `field <= T` (units of the field's scale).
    #[arg(long, allow_hyphen_values = true)]
    at_most: Option<i64>,
    /// Prove `field != C` (units of the field's scale).
    #[arg(long, allow_hyphen_values = true)]
    not_equal: Option<i64>,
    /// The verifier's challenge (hex, from `causeway challenge`).
    #[arg(long)]
    challenge: String,
    /// Where to write the proof (JSON); stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `causeway verify-proof`.
#[derive(Args)]
pub struct VerifyProofArgs {
    /// The proof back-end.
    #[arg(long, value_enum)]
    backend: Backend,
    /// The verifying key file from `causeway setup` (`.vk`, or snarkjs `.vk.json`).
    #[arg(long)]
    vk: PathBuf,
    /// The proof (JSON from `causeway prove`); stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// A trusted issuer: `cwpub1…` text, or a file holding it. Repeatable.
    #[arg(long = "issuer", required = true)]
    issuers: Vec<String>,
    /// The challenge you issued (hex).
    #[arg(long)]
    challenge: String,
    /// The time to check the attestations' validity at, unix seconds (default: now).
    #[arg(long)]
    now: Option<u64>,
}

fn snark_err(e: impl std::fmt::Display) -> CliError {
    CliError::input(e.to_string())
}

fn challenge_fr(s: &str) -> Result<causeway::snark::Fr, CliError> {
    let c = Challenge::from_hex(s).map_err(|e| {
        CliError::input(format!("--challenge: {e}"))
            .hint("issue one with `causeway challenge` (16 to 64 bytes, hex)")
    })?;
    Ok(attested::challenge_field(c.as_bytes()))
}

/// `causeway setup`.
pub fn setup(a: SetupArgs, json_out: bool) -> Result<(), CliError> {
    let shape: Shape = a.statement.parse().map_err(|_| {
        CliError::input(format!("unknown statement {:?}", a.statement)).hint(
            "one of attribute, sum:K (K = 1..64), membership:DEPTH, membership:DEPTH:nullifier",
        )
    })?;
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message(format!("synthesising {shape} and generating its keys"));
    let started = std::time::Instant::now();
    let pk = shape.setup().map_err(snark_err)?;
    let secs = started.elapsed().as_secs_f64();
    bar.set_message("writing content-addressed key files");
    let id = pk.id().to_text();
    let mut ring = KeyRing::new();
    ring.insert(shape, pk);
    ring.save_dir(&a.out).map_err(|e| match e {
        causeway::error::KeyRingError::Io { .. } => CliError::io(e.to_string()),
        other => CliError::input(other.to_string()),
    })?;
    bar.finish_and_clear();
    let pk_path = a.out.join(format!("{id}.pk"));
    let vk_path = a.out.join(format!("{id}.vk"));
    let vkj_path = a.out.join(format!("{id}.vk.json"));
    let manifest = a.out.join(keyring::MANIFEST_FILE);
    if json_out {
        println!(
            "{}",
            json!({"key_id": id, "statement": shape.to_string(), "proving_key": pk_path, "verifying_key": vk_path,
                   "snarkjs_verifying_key": vkj_path, "manifest": manifest, "seconds": secs, "trust": TRUST_STATEMENT})
        );
    } else {
        println!("statement:     {shape} (setup took {secs:.1} s)");
        println!("key id:        {id}");
        println!("proving key:   {}", pk_path.display());
        println!(
            "verifying key: {} (snarkjs: {})",
            vk_path.display(),
            vkj_path.display()
        );
        println!("filed in:      {}", manifest.display());
        eprintln!("{TRUST_STATEMENT}");
    }
    Ok(())
}

fn load_pk(p: &std::path::Path) -> Result<ProvingKey, CliError> {
    let b =
        std::fs::read(p).map_err(|e| CliError::io(format!("cannot read {}: {e}", p.display())))?;
    ProvingKey::from_bytes(&b).map_err(|e| CliError::input(format!("{}: {e}", p.display())))
}

fn load_vk(p: &std::path::Path) -> Result<VerifyingKey, CliError> {
    let b = read_input(Some(p))?;
    let r = if b.first() == Some(&b'{') {
        snark::vk_from_snarkjs_json(&String::from_utf8_lossy(&b))
    } else {
        VerifyingKey::from_bytes(&b)
    };
    r.map_err(|e| CliError::input(format!("{}: {e}", p.display())))
}

/// `causeway prove --backend groth16`.
pub fn prove(a: ProveArgs, json_out: bool) -> Result<(), CliError> {
    let Backend::Groth16 = a.backend;
    let challenge = challenge_fr(&a.challenge)?;
    let pk = load_pk(&a.pk)?;
    let mut held = Vec::with_capacity(a.attested.len());
    for p in &a.attested {
        let bytes = read_input(Some(p))?;
        held.push(AttestedRecord::from_bytes(&bytes).map_err(|e| {
            CliError::input(format!("{}: not an attested record: {e}", p.display()))
        })?);
    }
    let refs: Vec<&AttestedRecord> = held.iter().collect();
    let (statement, proof, type_tag) = if let Some(t) = a.sum_at_least {
        let (public, private) =
            attested::sum_statement(&refs, &a.field, t, challenge).map_err(snark_err)?;
        let tag = type_tag_of(&public.type_tag);
        let proof = snark::prove(
            &pk,
            SumCircuit {
                public,
                private: Some(private),
            },
        )
        .map_err(|e| {
            prove_hint(
                e,
                "the sum is below the threshold, or the key is for another k",
            )
        })?;
        (json!({"kind": "sum", "at_least": t}), proof, tag)
    } else {
        let pred = match (a.at_least, a.at_most, a.not_equal) {
            (Some(lo), Some(hi), None) => Predicate::Range { lo, hi },
            (Some(lo), None, None) => Predicate::AtLeast(lo),
            (None, Some(hi), None) => Predicate::AtMost(hi),
            (None, None, Some(c)) => Predicate::NotEqual(c),
            _ => {
                return Err(CliError::input("say what to prove").hint(
                    "--sum-at-least T, or --at-least/--at-most (both: a range), or --not-equal",
                ))
            }
        };
        let first = refs
            .first()
            .ok_or_else(|| CliError::input("no attested record"))?;
        let (public, private) =
            attested::attribute_statement(first, &a.field, pred, challenge).map_err(snark_err)?;
        let tag = type_tag_of(&public.type_tag);
        let proof = snark::prove(
            &pk,
            AttributeCircuit {
                public,
                private: Some(private),
            },
        )
        .map_err(|e| prove_hint(e, "the value does not satisfy the predicate"))?;
        let (lo, hi, ne, c) = pred.normalized().unwrap_or((0, 0, false, 0));
        (
            json!({"kind": "attribute", "lo": lo, "hi": hi, "not_equal": ne.then_some(c)}),
            proof,
            tag,
        )
    };
    let out = json!({
        "backend": "groth16",
        "key_id": proof.key_id().to_text(),
        "field": a.field,
        "type_tag": type_tag,
        "statement": statement,
        "attestations": held.iter().map(|h| b64u_encode(&h.attestation().to_bytes())).collect::<Vec<_>>(),
        "proof": b64u_encode(&proof.to_bytes()),
    });
    let text = serde_json::to_string_pretty(&out).map_err(snark_err)?;
    write_output(a.output.as_deref(), format!("{text}\n").as_bytes(), false)?;
    if a.output.is_some() && !json_out {
        eprintln!("proved with key {}", proof.key_id());
    }
    Ok(())
}

fn type_tag_of(x: &causeway::snark::Fr) -> u64 {
    let b = snark::input_to_be_bytes(x);
    let mut w = [0u8; 8];
    w.copy_from_slice(b.get(24..32).unwrap_or(&[0; 8]));
    u64::from_be_bytes(w)
}

fn prove_hint(e: causeway::error::SnarkError, hint: &str) -> CliError {
    match e {
        causeway::error::SnarkError::Unsatisfied => {
            CliError::input(e.to_string()).hint(hint.to_string())
        }
        other => snark_err(other),
    }
}

/// `causeway verify-proof`.
pub fn verify(a: VerifyProofArgs, json_out: bool) -> Result<(), CliError> {
    let Backend::Groth16 = a.backend;
    let challenge = challenge_fr(&a.challenge)?;
    let vk = load_vk(&a.vk)?;
    let input = read_input(a.input.as_deref())?;
    let v: Value = serde_json::from_slice(&input)
        .map_err(|e| CliError::input(format!("the proof is not JSON: {e}")))?;
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .ok_or_else(|| CliError::input(format!("proof JSON lacks {k}")))
    };
    let proof_bytes = b64u_decode("proof", s("proof")?, 256).map_err(snark_err)?;
    let proof = snark::Proof::from_bytes(&proof_bytes).map_err(snark_err)?;
    let field = s("field")?;
    let tag = v
        .get("type_tag")
        .and_then(Value::as_u64)
        .ok_or_else(|| CliError::input("proof JSON lacks type_tag"))?;
    let trusted = a
        .issuers
        .iter()
        .map(|i| parse_recipient(i))
        .collect::<Result<Vec<_>, _>>()?;
    let now = a.now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    });
    let atts_json = v
        .get("attestations")
        .and_then(Value::as_array)
        .ok_or_else(|| CliError::input("proof JSON lacks attestations"))?;
    if atts_json.len() > 64 {
        return Err(CliError::input("too many attestations"));
    }
    let mut atts: Vec<Attestation> = Vec::with_capacity(atts_json.len());
    for x in atts_json {
        let b = b64u_decode("attestation", x.as_str().unwrap_or(""), 1 << 20).map_err(snark_err)?;
        let att = Attestation::from_bytes(&b).map_err(snark_err)?;
        att.verify(&trusted, now, &NoRevocations)
            .map_err(|e| CliError::denied(format!("attestation: {e}")))?;
        atts.push(att);
    }
    let refs: Vec<&Attestation> = atts.iter().collect();
    let st = v
        .get("statement")
        .ok_or_else(|| CliError::input("proof JSON lacks statement"))?;
    let num = |k: &str| st.get(k).and_then(Value::as_i64);
    let (inputs, what) = match st.get("kind").and_then(Value::as_str) {
        Some("sum") => {
            let t = num("at_least").ok_or_else(|| CliError::input("sum without at_least"))?;
            let p = attested::sum_public(&refs, field, tag, t, challenge).map_err(snark_err)?;
            (
                p.inputs(),
                format!(
                    "sum({field}) >= {t} (units) over {} attested records",
                    refs.len()
                ),
            )
        }
        Some("attribute") => {
            let (lo, hi) = (num("lo"), num("hi"));
            let pred = match (st.get("not_equal").and_then(Value::as_i64), lo, hi) {
                (Some(c), _, _) => Predicate::NotEqual(c),
                (None, Some(lo), Some(hi)) => Predicate::Range { lo, hi },
                _ => return Err(CliError::input("attribute statement without bounds")),
            };
            let first = refs
                .first()
                .ok_or_else(|| CliError::input("no attestation"))?;
            let p = attested::attribute_public(first, field, tag, pred, challenge)
                .map_err(snark_err)?;
            (
                p.inputs().unwrap_or_default(),
                format!("{field}: {pred:?} (units)"),
            )
        }
        _ => return Err(CliError::input("unknown statement kind")),
    };
    snark::verify(&vk, &inputs, &proof).map_err(|e| CliError::denied(e.to_string()))?;
    if json_out {
        println!(
            "{}",
            json!({"verified": true, "key_id": vk.id().to_text(), "statement": what})
        );
    } else {
        println!("verified (groth16, key {}): {what}", vk.id());
    }
    Ok(())
}
