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

/// Arguments of `causeway membership`.
#[derive(Args)]
pub struct MembershipArgs {
    #[command(subcommand)]
    command: MembershipCommand,
}

/// `causeway membership …` subcommands.
#[derive(clap::Subcommand)]
pub enum MembershipCommand {
    /// Print the identity leaf `Poseidon(secret)` a member is listed under (hex).
    Leaf {
        /// The member's secret (64 hex digits, a BN254 field element); keep it private.
        #[arg(long)]
        secret: String,
    },
    /// Print the Poseidon Merkle root of a list of leaves (one 64-hex-digit leaf per line).
    Root {
        /// The leaves file.
        #[arg(long)]
        leaves: PathBuf,
        /// The tree depth (1..=32; `membership:DEPTH` keys).
        #[arg(long)]
        depth: u8,
    },
    /// Prove "my leaf is in this tree" with Groth16, without saying which.
    Prove(MemberProveArgs),
    /// Verify a membership proof against a root, your keys and your challenge.
    Verify(MemberVerifyArgs),
}

/// Arguments of `causeway membership prove`.
#[derive(Args)]
pub struct MemberProveArgs {
    /// The proof back-end (membership is Groth16 only: bulletproofs is refused).
    #[arg(long, value_enum, default_value_t = crate::attest_cmd::BackendArg::Groth16)]
    backend: crate::attest_cmd::BackendArg,
    /// The key directory of `causeway setup --statement membership:DEPTH[:nullifier]`.
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// The tree's leaves (one 64-hex-digit leaf per line).
    #[arg(long)]
    leaves: PathBuf,
    /// The tree depth.
    #[arg(long)]
    depth: u8,
    /// Your secret: with --nullifier-context your leaf is `Poseidon(secret)`; without, the
    /// secret is the leaf itself.
    #[arg(long)]
    secret: String,
    /// The context of the nullifier (64 hex digits), e.g. a hash of the verifier and round.
    #[arg(long)]
    nullifier_context: Option<String>,
    /// The verifier's challenge (hex).
    #[arg(long)]
    challenge: String,
    /// Where to write the proof (JSON); stdout if absent.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Arguments of `causeway membership verify`.
#[derive(Args)]
pub struct MemberVerifyArgs {
    /// Your key directory (verifying key for `membership:DEPTH[:nullifier]`).
    #[arg(long, value_name = "DIR")]
    keys: PathBuf,
    /// The proof (JSON from `causeway membership prove`); stdin if absent.
    #[arg(short, long)]
    input: Option<PathBuf>,
    /// The tree root you accept (hex).
    #[arg(long)]
    root: String,
    /// The tree depth.
    #[arg(long)]
    depth: u8,
    /// The nullifier context you require (hex), for proofs with a nullifier.
    #[arg(long)]
    nullifier_context: Option<String>,
    /// The challenge you issued (hex).
    #[arg(long)]
    challenge: String,
}

/// Most leaves read from a leaves file.
const MAX_LEAVES: usize = 1 << 20;

fn fe(what: &str, s: &str) -> Result<causeway::commit::FieldCommitment, CliError> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut b)
        .map_err(|_| CliError::input(format!("{what}: expected 64 hex digits")))?;
    causeway::commit::FieldCommitment::from_bytes(&b)
        .map_err(|_| CliError::input(format!("{what}: not a BN254 field element (≥ r)")))
}

fn read_leaves(p: &std::path::Path) -> Result<Vec<causeway::snark::Fr>, CliError> {
    let b = read_input(Some(p))?;
    let text = std::str::from_utf8(&b).map_err(|_| CliError::input("leaves: not text"))?;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if out.len() >= MAX_LEAVES {
            return Err(CliError::input(format!("more than {MAX_LEAVES} leaves")));
        }
        out.push(fe("leaf", line)?.to_fr().map_err(snark_err)?);
    }
    Ok(out)
}

fn tree(
    leaves: &std::path::Path,
    depth: u8,
) -> Result<causeway_circuits::merkle::PoseidonTree, CliError> {
    let leaves = read_leaves(leaves)?;
    if depth == 0 || usize::from(depth) > causeway_circuits::merkle::MAX_DEPTH {
        return Err(CliError::input("--depth must be 1 to 32"));
    }
    causeway_circuits::merkle::PoseidonTree::new(&leaves, usize::from(depth))
        .map_err(|e| CliError::input(format!("leaves: {e}")))
}

fn membership_statement(
    root: causeway::commit::FieldCommitment,
    depth: u8,
    ctx: Option<&str>,
) -> Result<causeway::statement::MembershipStatement, CliError> {
    Ok(causeway::statement::MembershipStatement {
        root,
        depth,
        nullifier_context: ctx.map(|c| fe("--nullifier-context", c)).transpose()?,
    })
}

/// `causeway membership`.
pub fn membership(a: MembershipArgs, json_out: bool) -> Result<(), CliError> {
    use causeway::commit::FieldCommitment;
    use causeway::statement::{prove_membership, verify_membership, MembershipWitness};
    let hexfe = |x: &FieldCommitment| hex::encode(x.to_bytes());
    match a.command {
        MembershipCommand::Leaf { secret } => {
            let leaf =
                causeway::statement::identity_leaf(&fe("--secret", &secret)?).map_err(snark_err)?;
            println!("{}", hexfe(&leaf));
        }
        MembershipCommand::Root { leaves, depth } => {
            let t = tree(&leaves, depth)?;
            println!("{}", hexfe(&FieldCommitment::from_fr(&t.root())));
        }
        MembershipCommand::Prove(p) => {
            let challenge = Challenge::from_hex(&p.challenge)
                .map_err(|e| CliError::input(format!("--challenge: {e}")))?;
            let t = tree(&p.leaves, p.depth)?;
            let secret = fe("--secret", &p.secret)?;
            let leaf = if p.nullifier_context.is_some() {
                causeway::statement::identity_leaf(&secret).map_err(snark_err)?
            } else {
                secret
            };
            let leaf_fr = leaf.to_fr().map_err(snark_err)?;
            let leaves = read_leaves(&p.leaves)?;
            let index = leaves.iter().position(|l| *l == leaf_fr).ok_or_else(|| {
                CliError::input("your leaf is not in the list").hint(
                    "with --nullifier-context the list holds `causeway membership leaf --secret …`",
                )
            })?;
            let path = t.path(index as u64).map_err(snark_err)?;
            let witness = MembershipWitness::new(&secret, &path).map_err(snark_err)?;
            let st = membership_statement(
                FieldCommitment::from_fr(&t.root()),
                p.depth,
                p.nullifier_context.as_deref(),
            )?;
            let backend = match p.backend {
                crate::attest_cmd::BackendArg::Groth16 => causeway::statement::Backend::Groth16,
                crate::attest_cmd::BackendArg::Bulletproofs => {
                    causeway::statement::Backend::Bulletproofs
                }
            };
            // Bulletproofs gets the back-end's typed refusal from prove_membership.
            let keys = if backend == causeway::statement::Backend::Groth16 {
                KeyRing::load_dir(&p.keys, &[st.shape()], snark::KeyUse::Prove).map_err(|e| {
                    CliError::input(format!("Groth16 keys: {e}")).hint(format!(
                        "run `causeway setup --statement {} --out {}`",
                        st.shape(),
                        p.keys.display()
                    ))
                })?
            } else {
                KeyRing::new()
            };
            let proof = prove_membership(
                backend,
                &keys,
                &st,
                &witness,
                &challenge,
                &mut rand_core::OsRng,
            )
            .map_err(|e| CliError::input(format!("cannot prove membership: {e}")))?;
            let out = json!({
                "backend": "groth16",
                "statement": st.shape().to_string(),
                "root": hexfe(&st.root),
                "nullifier_context": st.nullifier_context.as_ref().map(hexfe),
                "nullifier": proof.nullifier.as_ref().map(hexfe),
                "proof": b64u_encode(&proof.proof.to_bytes()),
            });
            let text = serde_json::to_string_pretty(&out).map_err(snark_err)?;
            write_output(p.output.as_deref(), format!("{text}\n").as_bytes(), false)?;
        }
        MembershipCommand::Verify(v) => {
            let challenge = Challenge::from_hex(&v.challenge)
                .map_err(|e| CliError::input(format!("--challenge: {e}")))?;
            let st = membership_statement(
                fe("--root", &v.root)?,
                v.depth,
                v.nullifier_context.as_deref(),
            )?;
            let keys = KeyRing::load_dir(&v.keys, &[st.shape()], snark::KeyUse::Verify)
                .map_err(|e| CliError::input(format!("Groth16 keys: {e}")))?;
            let input = read_input(v.input.as_deref())?;
            let j: Value = serde_json::from_slice(&input)
                .map_err(|e| CliError::input(format!("the proof is not JSON: {e}")))?;
            let proof_b64 = j
                .get("proof")
                .and_then(Value::as_str)
                .ok_or_else(|| CliError::input("proof JSON lacks proof"))?;
            let proof =
                snark::Proof::from_bytes(&b64u_decode("proof", proof_b64, 256).map_err(snark_err)?)
                    .map_err(snark_err)?;
            let nullifier = match j.get("nullifier").and_then(Value::as_str) {
                Some(n) => Some(fe("nullifier", n)?),
                None => None,
            };
            let mp = causeway::statement::MembershipProof { nullifier, proof };
            let n = verify_membership(&keys, &st, &mp, &challenge)
                .map_err(|e| CliError::denied(format!("verification failed: {e}")))?;
            if json_out {
                println!(
                    "{}",
                    json!({"verified": true, "statement": st.shape().to_string(), "nullifier": n.as_ref().map(hexfe)})
                );
            } else {
                println!(
                    "verified (groth16): a member of the tree with root {}",
                    v.root.trim()
                );
                if let Some(n) = n {
                    println!(
                        "   nullifier {} (refuse it if you have seen it in this context)",
                        hexfe(&n)
                    );
                }
            }
        }
    }
    Ok(())
}
