//! `causeway setup` (Groth16 keys for a statement shape) and `causeway membership`. Statements
//! about attested records are proven with `causeway present --backend groth16` and checked with
//! `causeway verify --keys DIR`; the old `causeway prove` / `verify-proof` are refused
//! ([`removed`]).

use crate::io::{read_input, write_output};
use crate::CliError;
use causeway::encoding::{b64u_decode, b64u_encode};
use causeway::presentation::Challenge;
use causeway::snark::{self, keyring, KeyRing, Shape};
use clap::Args;
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

/// Arguments of the removed `causeway prove` and `causeway verify-proof` (any arguments are
/// taken so that the refusal, not a usage error, is what the user sees).
#[derive(Args)]
pub struct RemovedArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// `causeway prove` and `causeway verify-proof` were removed (issue 11 item 6): their proofs
/// bound no holder, never compared the attestations' subjects, skipped revocation and took the
/// statement's type tag and bounds from the prover. `present --backend groth16` / `verify --keys`
/// prove and check the same statements with every check a presentation has.
pub fn removed(command: &str, a: &RemovedArgs) -> Result<(), CliError> {
    let _ = a.args.len();
    let hint = match command {
        "prove" => "prove with `causeway present -k HOLDER.key -a FILE.att --backend groth16 --keys DIR \
--challenge HEX --prove \"sum(amount) >= 2000000\"`",
        _ => "verify with `causeway verify -i PRESENTATION --issuer ISSUER --challenge HEX --keys DIR`; \
for a raw Groth16 check of snarkjs files (no statement checked) use `causeway verifier raw-check`",
    };
    Err(CliError::input(format!(
        "`causeway {command}` was removed: its proofs bound no holder and checked no subject or revocation"
    ))
    .hint(hint))
}

fn snark_err(e: impl std::fmt::Display) -> CliError {
    CliError::input(e.to_string())
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
        /// A file holding the member's secret (64 hex digits, a BN254 field element), or `-`
        /// for stdin. Never on the command line (`ps` and shell history would show it).
        #[arg(long, value_name = "PATH")]
        secret_file: Option<PathBuf>,
        /// Refused: a secret on the command line leaks (use `--secret-file`).
        #[arg(long, hide = true, allow_hyphen_values = true)]
        secret: Option<String>,
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
    /// A file holding your secret (64 hex digits), or `-` for stdin: the list holds your leaf
    /// `Poseidon(secret)` (`causeway membership leaf --secret-file …`). The leaves are public,
    /// so a leaf alone proves nothing: only the secret behind it does. Never on the command
    /// line (`ps` and shell history would show it).
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Refused: a secret on the command line leaks (use `--secret-file`).
    #[arg(long, hide = true, allow_hyphen_values = true)]
    secret: Option<String>,
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

/// The member's secret from `--secret-file` (a file or `-` for stdin); the removed `--secret`
/// (a secret in argv is visible in `ps` and shell history) is refused without echoing it.
fn member_secret(
    file: Option<&std::path::Path>,
    argv_secret: Option<&str>,
) -> Result<causeway::commit::FieldCommitment, CliError> {
    if argv_secret.is_some() {
        return Err(CliError::input(
            "--secret was removed: a secret on the command line is visible to other users (`ps`) and in shell history",
        )
        .hint("put the secret (64 hex digits) in a file only you can read and pass `--secret-file FILE`, or `--secret-file -` to read it from stdin"));
    }
    let file = file.ok_or_else(|| {
        CliError::input("the member's secret is required: --secret-file FILE (or `-` for stdin)")
    })?;
    let raw = zeroize::Zeroizing::new(read_input(Some(file))?);
    let text = std::str::from_utf8(&raw)
        .map_err(|_| CliError::input("--secret-file: not text (expected 64 hex digits)"))?;
    fe("--secret-file", text)
}

/// `causeway membership`.
pub fn membership(a: MembershipArgs, json_out: bool) -> Result<(), CliError> {
    use causeway::commit::FieldCommitment;
    use causeway::statement::{prove_membership, verify_membership, MembershipWitness};
    let hexfe = |x: &FieldCommitment| hex::encode(x.to_bytes());
    match a.command {
        MembershipCommand::Leaf {
            secret_file,
            secret,
        } => {
            let secret = member_secret(secret_file.as_deref(), secret.as_deref())?;
            let leaf = causeway::statement::identity_leaf(&secret).map_err(snark_err)?;
            println!("{}", hexfe(&leaf));
        }
        MembershipCommand::Root { leaves, depth } => {
            let t = tree(&leaves, depth)?;
            println!("{}", hexfe(&FieldCommitment::from_fr(&t.root())));
        }
        MembershipCommand::Prove(p) => {
            let secret = member_secret(p.secret_file.as_deref(), p.secret.as_deref())?;
            let challenge = Challenge::from_hex(&p.challenge)
                .map_err(|e| CliError::input(format!("--challenge: {e}")))?;
            let t = tree(&p.leaves, p.depth)?;
            // Both variants prove knowledge of the secret behind the leaf (issue 11 item 7).
            let leaf = causeway::statement::identity_leaf(&secret).map_err(snark_err)?;
            let leaf_fr = leaf.to_fr().map_err(snark_err)?;
            let leaves = read_leaves(&p.leaves)?;
            let index = leaves.iter().position(|l| *l == leaf_fr).ok_or_else(|| {
                CliError::input("your leaf is not in the list").hint(
                    "the list holds `causeway membership leaf --secret-file …` of each member's secret",
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
