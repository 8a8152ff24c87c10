//! `causeway setup` (Groth16 keys for a statement shape) and `causeway membership`. Statements
//! about attested records are proven with `causeway present --backend groth16` and checked with
//! `causeway verify --keys DIR`; the old `causeway prove` / `verify-proof` are refused
//! ([`removed`]).

use crate::io::{read_input, write_output};
use crate::CliError;
use causeway::commit::FieldCommitment;
use causeway::proof::{Backend, Challenge};
use causeway::snark::membership::{
    prove_membership, verify_membership, Leaves, MemberSecret, ProvenMembership,
};
use causeway::snark::{self, keyring, Circuit, KeyRing};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

/// `--backend`: core's [`Backend`] by its text form (the one back-end type; decision 0046).
pub fn backend_parser() -> impl TypedValueParser<Value = Backend> {
    PossibleValuesParser::new(Backend::ALL.map(|b| {
        PossibleValue::new(b.as_str()).help(match b {
            Backend::Groth16 => "Groth16 over BN254 (keys from `causeway setup`)",
            _ => "Bulletproofs and sigma proofs (no trusted setup)",
        })
    }))
    .map(|s| {
        Backend::ALL
            .into_iter()
            .find(|b| b.as_str() == s)
            .unwrap_or(Backend::Bulletproofs)
    })
}

/// A core error as a CLI error (exit code from its kind, `--json` code from its code).
fn core_err(e: impl Into<causeway::Error>) -> CliError {
    CliError::from(e.into())
}

/// The trust a single-party setup implies (printed by `causeway setup`).
pub const TRUST_STATEMENT: &str = "Trust: this key pair comes from a single-party setup. Whoever ran it \
(you) could have kept its toxic waste and could then forge proofs for this key; verifiers who accept \
it trust the operator of this setup. For keys a consortium can trust, run a multi-party phase-2 \
ceremony (docs/groth16-ceremony.md).";

/// Arguments of `causeway setup`.
#[derive(Args)]
pub struct SetupArgs {
    /// The circuit to make keys for: `attribute` (a predicate on one attested field),
    /// `sum:K` (a sum over K attested records, 1..=64), `membership:DEPTH` or
    /// `membership:DEPTH:nullifier` (DEPTH 1..=32). `--statement` is its old name.
    #[arg(long, visible_alias = "statement", value_name = "CIRCUIT")]
    circuit: String,
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

/// `causeway setup`: keys for one circuit.
pub fn setup(a: SetupArgs, json_out: bool) -> Result<(), CliError> {
    let shape: Circuit = a.circuit.parse().map_err(|_| {
        CliError::input(format!("unknown circuit {:?}", a.circuit)).hint(
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
    let digest = pk.digest().to_text();
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
            json!({"key_id": id, "proving_key_digest": digest, "circuit": shape.to_string(), "statement": shape.to_string(), "proving_key": pk_path, "verifying_key": vk_path,
                   "snarkjs_verifying_key": vkj_path, "manifest": manifest, "seconds": secs, "trust": TRUST_STATEMENT})
        );
    } else {
        println!("circuit:       {shape} (setup took {secs:.1} s)");
        println!("key id:        {id}");
        println!("proving key:   {}", pk_path.display());
        println!("pk digest:     {digest} (pin it with the key id to pin the whole proving key)");
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
    #[arg(long, value_parser = backend_parser(), default_value = "groth16")]
    backend: Backend,
    /// The key directory of `causeway setup --circuit membership:DEPTH[:nullifier]`.
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
    /// Your key directory (verifying key for the circuit `membership:DEPTH[:nullifier]`).
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

/// A BN254 field element from 64 hex digits (a root, a nullifier context), refused if `≥ r`.
pub fn field_hex(what: &str, s: &str) -> Result<FieldCommitment, CliError> {
    fe(what, s)
}

fn fe(what: &str, s: &str) -> Result<FieldCommitment, CliError> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut b)
        .map_err(|_| CliError::input(format!("{what}: expected 64 hex digits")))?;
    FieldCommitment::from_bytes(&b)
        .map_err(|_| CliError::input(format!("{what}: not a BN254 field element (≥ r)")))
}

fn read_leaves(p: &std::path::Path) -> Result<Leaves, CliError> {
    let b = read_input(Some(p))?;
    Leaves::from_text_bytes(&b)
        .map_err(|e| core_err(e).hint("a leaves file holds one 64-hex-digit leaf per line"))
}

fn membership_statement(
    root: FieldCommitment,
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
) -> Result<MemberSecret, CliError> {
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
    MemberSecret::from_text_bytes(&raw).map_err(|e| CliError::input(format!("--secret-file: {e}")))
}

/// `causeway membership`: arguments, files and printing over `causeway::snark::membership`.
pub fn membership(a: MembershipArgs, json_out: bool) -> Result<(), CliError> {
    let hexfe = |x: &FieldCommitment| hex::encode(x.to_bytes());
    match a.command {
        MembershipCommand::Leaf {
            secret_file,
            secret,
        } => {
            let secret = member_secret(secret_file.as_deref(), secret.as_deref())?;
            let leaf = hexfe(&secret.leaf());
            if json_out {
                println!("{}", json!({ "leaf": leaf }));
            } else {
                println!("{leaf}");
            }
        }
        MembershipCommand::Root { leaves, depth } => {
            let root = hexfe(&read_leaves(&leaves)?.root(depth).map_err(core_err)?);
            if json_out {
                println!("{}", json!({ "root": root, "depth": depth }));
            } else {
                println!("{root}");
            }
        }
        MembershipCommand::Prove(p) => {
            let secret = member_secret(p.secret_file.as_deref(), p.secret.as_deref())?;
            let challenge = Challenge::from_hex(&p.challenge)
                .map_err(|e| CliError::input(format!("--challenge: {e}")))?;
            let tree = read_leaves(&p.leaves)?.tree(p.depth).map_err(core_err)?;
            let ctx = p
                .nullifier_context
                .as_deref()
                .map(|c| fe("--nullifier-context", c))
                .transpose()?;
            let st = tree.statement(ctx);
            // Both variants prove knowledge of the secret behind the leaf (issue 11 item 7).
            let witness = tree.witness(&secret).map_err(|e| {
                core_err(e).hint(
                    "the list holds `causeway membership leaf --secret-file …` of each member's secret",
                )
            })?;
            // Bulletproofs gets the back-end's typed refusal from prove_membership.
            let keys = if p.backend == Backend::Groth16 {
                KeyRing::load_dir(&p.keys, &[st.circuit()], snark::KeyUse::Prove).map_err(|e| {
                    CliError::input(format!("Groth16 keys: {e}")).hint(format!(
                        "run `causeway setup --circuit {} --out {}`",
                        st.circuit(),
                        p.keys.display()
                    ))
                })?
            } else {
                KeyRing::new()
            };
            let proof = prove_membership(
                p.backend,
                &keys,
                &st,
                &witness,
                &challenge,
                &mut rand_core::OsRng,
            )
            .map_err(|e| {
                let c = core_err(e.clone());
                CliError {
                    message: format!("cannot prove membership: {e}"),
                    ..c
                }
            })?;
            let text = ProvenMembership {
                statement: st,
                proof,
            }
            .to_json();
            write_output(p.output.as_deref(), text.as_bytes(), false)?;
        }
        MembershipCommand::Verify(v) => {
            let challenge = Challenge::from_hex(&v.challenge)
                .map_err(|e| CliError::input(format!("--challenge: {e}")))?;
            let st = membership_statement(
                fe("--root", &v.root)?,
                v.depth,
                v.nullifier_context.as_deref(),
            )?;
            let keys = KeyRing::load_dir(&v.keys, &[st.circuit()], snark::KeyUse::Verify)
                .map_err(|e| CliError::input(format!("Groth16 keys: {e}")))?;
            let input = read_input(v.input.as_deref())?;
            let text = std::str::from_utf8(&input)
                .map_err(|_| CliError::input("the proof is not JSON text"))?;
            let received = ProvenMembership::from_json(text)
                .map_err(|e| CliError::input(format!("malformed membership proof: {e}")))?;
            // checked against the verifier's own root, depth, context and challenge
            let n = verify_membership(&keys, &st, &received.proof, &challenge)
                .map_err(|e| CliError::denied(format!("verification failed: {e}")))?;
            if json_out {
                println!(
                    "{}",
                    json!({"verified": true, "statement": st.circuit().to_string(), "nullifier": n.as_ref().map(hexfe)})
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
