//! The revocation options of `causeway verify`: issuer-signed revocation lists (with a
//! freshness and coverage policy) and revocation proofs from a ledger.

use crate::attest_cmd::read_revocation_list;
use crate::io::parse_recipient;
use crate::ledger_cmd::{read_bundle, read_checkpoint};
use crate::verify_anchor_cmd::AnchorCheckArgs;
use crate::CliError;
use causeway::anchor::AnchorRecord;
use causeway::attest::{RevocationCheck, RevocationHandle, RevocationList, RevocationLists};
use causeway::error::VerifyError;
use causeway::ledger::revocation::RevocationProof;
use causeway::ledger::{LedgerClient, LedgerRevocations};
use causeway::party::PublicKeys;
use clap::Args;
use std::path::PathBuf;

/// Where `causeway verify` learns which attestations are revoked.
#[derive(Args)]
pub struct RevocationArgs {
    /// A revocation list signed by an issuer (from `causeway revoke-attestation`). Repeatable.
    #[arg(long = "revocations")]
    pub revocations: Vec<PathBuf>,
    /// Refuse to accept "not revoked" from an issuer's revocation list signed more than this
    /// many seconds before the verification time (the newest list of the issuer counts).
    #[arg(long, value_name = "SECONDS")]
    pub revocations_max_age: Option<u64>,
    /// Refuse an attestation whose issuer has no revocation list among --revocations.
    #[arg(long)]
    pub require_revocations: bool,
    /// A revocation proof from the ledger (`causeway ledger prove --revocation
    /// PRESENTATION`): the attestations the log lists as revoked are refused, and one it
    /// lists without evidence makes verification fail. Repeatable; needs --log-key.
    #[arg(long = "ledger-proof", value_name = "BUNDLE", requires = "log_key")]
    pub ledger_proofs: Vec<PathBuf>,
    /// The ledger's log key (`cwpub1…`, a file holding it, or its key file): the key that
    /// signs the checkpoints of --ledger-proof.
    #[arg(long, value_name = "KEY", requires = "ledger_proofs")]
    pub log_key: Option<String>,
    /// A checkpoint of the log you already trust (signed note file): the proof's checkpoint
    /// must be this one, or newer and consistent with it. Without it the proof's checkpoint is
    /// trusted as it is (it may be old).
    #[arg(long, value_name = "NOTE", requires = "ledger_proofs")]
    pub log_checkpoint: Option<PathBuf>,
    /// The ledger's origin (its checkpoints' first line): pins which log the proofs must come
    /// from. Required with --ledger-proof unless --log-checkpoint gives it.
    #[arg(long, value_name = "NAME", requires = "ledger_proofs")]
    pub log_origin: Option<String>,
    /// The on-chain check of the checkpoint of --ledger-proof (--anchor-rpc …).
    #[command(flatten)]
    pub anchor: AnchorCheckArgs,
}

/// The revocation sources of one verification, loaded.
pub struct Revocations {
    lists: Vec<RevocationList>,
    max_age: Option<u64>,
    require: bool,
    ledger: Option<(LedgerClient, Vec<RevocationProof>)>,
    /// The anchors of the ledger proofs' checkpoints, when --anchor-rpc checked them.
    pub anchored: Vec<AnchorRecord>,
}

impl Revocations {
    /// Reads every list and bundle, and checks each bundle's checkpoint (signature, origin,
    /// consistency with --log-checkpoint, and with --anchor-rpc that it is anchored on chain).
    pub fn load(a: &RevocationArgs) -> Result<Self, CliError> {
        if a.anchor.is_set() && a.ledger_proofs.is_empty() {
            return Err(CliError::input(
                "--anchor-rpc checks the checkpoint of a ledger revocation proof: give --ledger-proof BUNDLE --log-key KEY",
            ));
        }
        let mut anchored = Vec::new();
        let lists = a
            .revocations
            .iter()
            .map(|p| read_revocation_list(p))
            .collect::<Result<Vec<_>, _>>()?;
        let ledger = match (&a.log_key, a.ledger_proofs.first()) {
            (Some(k), Some(first)) => {
                // The log the proofs must come from is the verifier's choice, never the
                // bundle's: a bundle from another log under the same key would otherwise
                // answer for this one (decision 0063, as `ledger verify`).
                if a.log_origin.is_none() && a.log_checkpoint.is_none() {
                    return Err(CliError::input(
                        "--ledger-proof needs the log it must come from: --log-origin NAME (or --log-checkpoint NOTE)",
                    )
                    .hint("the origin is the first line of the log's checkpoints, as given to `causeway ledger init --origin`"));
                }
                let key: PublicKeys = parse_recipient(k)?;
                let trusted = a
                    .log_checkpoint
                    .as_deref()
                    .map(read_checkpoint)
                    .transpose()?;
                let client =
                    read_bundle(first)?.client(&key, a.log_origin.as_deref(), trusted.as_ref())?;
                let mut proofs = Vec::with_capacity(a.ledger_proofs.len());
                for p in &a.ledger_proofs {
                    let proof = read_bundle(p)?.revocation_proof().ok_or_else(|| {
                        CliError::input(format!(
                            "{}: not a revocation proof bundle",
                            p.display()
                        ))
                        .hint("make one with `causeway ledger prove --db DB --revocation PRESENTATION`")
                    })?;
                    proofs.push(proof);
                }
                // Without a trusted checkpoint the bundle's note is the log's word only: the
                // chain says whether the operator committed to exactly that note (issue 11
                // item 4, gap G2).
                let notes: Vec<_> = proofs.iter().map(|p| &p.checkpoint).collect();
                anchored = a.anchor.check(&notes, client.origin(), &key)?;
                Some((client, proofs))
            }
            _ => None,
        };
        Ok(Revocations {
            lists,
            max_age: a.revocations_max_age,
            require: a.require_revocations,
            ledger,
            anchored,
        })
    }

    /// The check to verify with at `now` (unix seconds).
    pub fn check(&self, now: u64) -> impl RevocationCheck + '_ {
        let mut lists = RevocationLists::new(&self.lists, now);
        if let Some(m) = self.max_age {
            lists = lists.max_age(m);
        }
        if self.require {
            lists = lists.require_every_issuer();
        }
        Both {
            lists,
            ledger: self
                .ledger
                .as_ref()
                .map(|(client, proofs)| LedgerRevocations { client, proofs }),
        }
    }
}

/// Revoked if the lists or the ledger say so; unknown if either cannot answer.
struct Both<'a> {
    lists: RevocationLists<'a>,
    ledger: Option<LedgerRevocations<'a>>,
}

impl RevocationCheck for Both<'_> {
    fn is_revoked(
        &self,
        issuer: &PublicKeys,
        handle: &RevocationHandle,
    ) -> Result<bool, VerifyError> {
        if let Some(l) = &self.ledger {
            if l.is_revoked(issuer, handle)? {
                return Ok(true);
            }
        }
        self.lists.is_revoked(issuer, handle)
    }
}
