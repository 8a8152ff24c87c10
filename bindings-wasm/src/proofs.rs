//! Membership proofs (Groth16), ledger proof bundles and anchor receipts (verification only).

use crate::attest::WKeyRing;
use crate::convert::{big_u64, obj, opt_str};
use crate::errors::{bad_arg, cw, JsResult};
use crate::party::public_keys_arg;
use causeway::anchor::{AnchorReceipt, ChainRef, VerifiedAnchor};
use causeway::commit::FieldCommitment;
use causeway::error::DecodeError;
use causeway::ledger::bundle::{Established, ProofBundle};
use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
use causeway::ledger::RevocationStatus;
use causeway::presentation::Challenge;
use causeway::snark::membership::{
    verify_membership, Leaves, MemberSecret, MembershipStatement, ProvenMembership,
};
use causeway::snark::VerifyingKey;
use causeway::wire::decode_any;
use wasm_bindgen::prelude::*;

fn fe_hex(what: &'static str, s: &str) -> JsResult<FieldCommitment> {
    if s.len() != 64 || !s.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(cw(DecodeError::Invalid { what }));
    }
    let mut b = [0u8; 32];
    hex::decode_to_slice(s, &mut b).map_err(|_| cw(DecodeError::Invalid { what }))?;
    FieldCommitment::from_bytes(&b).map_err(cw)
}

fn text_arg<'a>(b: &'a [u8], what: &'static str) -> JsResult<&'a str> {
    std::str::from_utf8(b).map_err(|_| cw(DecodeError::InvalidUtf8 { what }))
}

/// The id (`groth16vk1…`) of a verifying key's bytes: what a verifier compares with the id it
/// pinned before trusting a key it was handed.
#[wasm_bindgen(js_name = verifyingKeyId)]
pub fn verifying_key_id(data: &[u8]) -> JsResult<String> {
    let vk = decode_any::<VerifyingKey>(data).map_err(cw)?;
    Ok(vk.id().to_text())
}

/// A member's identity secret (a BN254 field element; its leaf is `Poseidon(secret)`). Stays
/// inside wasm memory; `toHex()` is the deliberate way out.
#[wasm_bindgen(js_name = MemberSecret)]
pub struct WMemberSecret(pub(crate) MemberSecret);

#[wasm_bindgen(js_class = MemberSecret)]
impl WMemberSecret {
    /// A fresh secret from the platform's RNG.
    pub fn random() -> JsResult<WMemberSecret> {
        MemberSecret::random().map(WMemberSecret).map_err(cw)
    }

    /// Parses 64 lower-case hex digits (a canonical field element).
    #[wasm_bindgen(js_name = fromHex)]
    pub fn from_hex(text: &str) -> JsResult<WMemberSecret> {
        MemberSecret::from_hex(text).map(WMemberSecret).map_err(cw)
    }

    /// The secret as 64 hex digits (a secret).
    #[wasm_bindgen(js_name = toHex)]
    pub fn to_hex(&self) -> String {
        self.0.to_hex().to_string()
    }

    /// The member's leaf `Poseidon(secret)` (64 hex digits): what the list publishes.
    #[wasm_bindgen(getter)]
    pub fn leaf(&self) -> String {
        hex::encode(self.0.leaf().to_bytes())
    }
}

/// The Poseidon Merkle root (64 hex digits) of a leaves file (one 64-hex-digit leaf a line)
/// for a tree of `depth` (1 to 32).
#[wasm_bindgen(js_name = membershipRoot)]
pub fn membership_root(leaves: &str, depth: u8) -> JsResult<String> {
    let l = Leaves::parse(leaves).map_err(cw)?;
    Ok(hex::encode(l.root(depth).map_err(cw)?.to_bytes()))
}

fn statement(root: &str, depth: u8, context: Option<String>) -> JsResult<MembershipStatement> {
    if !(1..=32).contains(&depth) {
        return Err(bad_arg("decode.invalid", "tree depth (1 to 32)"));
    }
    let nullifier_context = match context {
        Some(c) => Some(fe_hex("nullifier context", &c)?),
        None => None,
    };
    Ok(MembershipStatement {
        root: fe_hex("root", root)?,
        depth,
        nullifier_context,
    })
}

/// Proves "my leaf is in this tree" (the tree of `leaves` at `depth`), bound to the verifier's
/// `challenge`, with the proving key for `membership:D[:nullifier]` in `keys`; with a
/// nullifier `context` (64 hex digits) the proof also reveals the member's nullifier for it.
/// Returns the proof JSON (`docs/spec/membership.md`). `on_progress` as in presentations.
#[cfg(feature = "prover")]
#[wasm_bindgen(js_name = proveMembership)]
pub fn prove_membership(
    secret: &WMemberSecret,
    leaves: &str,
    depth: u8,
    context: Option<String>,
    challenge: &[u8],
    keys: &WKeyRing,
    on_progress: Option<js_sys::Function>,
) -> JsResult<String> {
    use causeway::proof::Backend;
    let l = Leaves::parse(leaves).map_err(cw)?;
    let tree = l.tree(depth).map_err(cw)?;
    let nullifier_context = match context {
        Some(c) => Some(fe_hex("nullifier context", &c)?),
        None => None,
    };
    let st = tree.statement(nullifier_context);
    let witness = tree.witness(&secret.0).map_err(cw)?;
    let challenge = Challenge::from_bytes(challenge).map_err(cw)?;
    crate::attest::progress(on_progress.as_ref(), "prove", 0, 1);
    let proof = causeway::snark::membership::prove_membership(
        Backend::Groth16,
        &keys.0,
        &st,
        &witness,
        &challenge,
        &mut rand_core::OsRng,
    )
    .map_err(cw)?;
    crate::attest::progress(on_progress.as_ref(), "prove", 1, 1);
    Ok(ProvenMembership {
        statement: st,
        proof,
    }
    .to_json())
}

/// Verifies a membership proof (its JSON) against the verifier's own `root` (64 hex digits),
/// `depth`, nullifier `context` (or `null`) and `challenge`, with the verifying key in `keys`.
/// Returns `{nullifier}` (64 hex digits, or `null`): refuse a nullifier already seen in this
/// context.
#[wasm_bindgen(js_name = verifyMembership)]
pub fn verify_membership_js(
    proof_json: &str,
    root: &str,
    depth: u8,
    context: Option<String>,
    challenge: &[u8],
    keys: &WKeyRing,
) -> JsResult<JsValue> {
    let proven = ProvenMembership::from_json(proof_json).map_err(cw)?;
    let st = statement(root, depth, context)?;
    let challenge = Challenge::from_bytes(challenge).map_err(cw)?;
    let n = verify_membership(&keys.0, &st, &proven.proof, &challenge).map_err(cw)?;
    Ok(obj(&[(
        "nullifier",
        opt_str(n.map(|x| hex::encode(x.to_bytes()))),
    )]))
}

pub(crate) fn checkpoint_to_js(c: &Checkpoint) -> JsValue {
    obj(&[
        ("origin", JsValue::from_str(&c.origin)),
        ("size", big_u64(c.size)),
        ("root", JsValue::from_str(&hex::encode(c.root))),
    ])
}

/// Verifies a ledger proof bundle (its JSON, `docs/spec/bundle.md`) against the log key
/// (`cwpub1…`), the log's `origin` (pin it: without it the bundle's own origin is trusted) and
/// optionally a checkpoint note the caller already trusts. Returns `{kind, origin,
/// originPinned, checkpoint, ...}` with, by kind: inclusion `{index, receiptJson}`,
/// consistency `{oldSize, oldRoot, oldCheckpointSigned}`, revocation `{revocationHandle,
/// issuer, revoked, index?, timeMs?}`.
#[wasm_bindgen(js_name = verifyBundle)]
pub fn verify_bundle(
    bundle: &[u8],
    log_key: &str,
    origin: Option<String>,
    trusted_checkpoint: Option<String>,
) -> JsResult<JsValue> {
    let text = text_arg(bundle, "bundle")?;
    let b = ProofBundle::from_json(text).map_err(cw)?;
    let key = public_keys_arg(log_key)?;
    let trusted = match &trusted_checkpoint {
        Some(n) => Some(SignedCheckpoint::parse(n).map_err(cw)?),
        None => None,
    };
    let v = b
        .verify(&key, origin.as_deref(), trusted.as_ref())
        .map_err(cw)?;
    let mut pairs: Vec<(&str, JsValue)> = vec![
        ("origin", JsValue::from_str(&v.origin)),
        (
            "originPinned",
            JsValue::from_bool(v.origin_source.is_pinned()),
        ),
        ("checkpoint", checkpoint_to_js(&v.checkpoint)),
    ];
    match &v.established {
        Established::Inclusion { index, receipt } => {
            pairs.push(("kind", JsValue::from_str("inclusion")));
            pairs.push(("index", big_u64(*index)));
            let rj = serde_json::to_string(&receipt.to_json()).map_err(|_| {
                cw(DecodeError::Invalid {
                    what: "receipt JSON",
                })
            })?;
            pairs.push(("receiptJson", JsValue::from_str(&rj)));
        }
        Established::Consistency {
            old_size,
            old_root,
            old_checkpoint_signed,
        } => {
            pairs.push(("kind", JsValue::from_str("consistency")));
            pairs.push(("oldSize", big_u64(*old_size)));
            pairs.push(("oldRoot", JsValue::from_str(&hex::encode(old_root))));
            pairs.push((
                "oldCheckpointSigned",
                JsValue::from_bool(*old_checkpoint_signed),
            ));
        }
        Established::Revocation {
            revocation_handle,
            issuer,
            status,
        } => {
            pairs.push(("kind", JsValue::from_str("revocation")));
            pairs.push((
                "revocationHandle",
                JsValue::from_str(&revocation_handle.to_string()),
            ));
            pairs.push(("issuer", JsValue::from_str(&issuer.to_string())));
            match status {
                RevocationStatus::Revoked { index, time_ms } => {
                    pairs.push(("revoked", JsValue::TRUE));
                    pairs.push(("index", big_u64(*index)));
                    pairs.push(("timeMs", big_u64(*time_ms)));
                }
                _ => pairs.push(("revoked", JsValue::FALSE)),
            }
        }
        _ => return Err(bad_arg("decode.invalid", "unknown bundle kind")),
    }
    Ok(obj(&pairs))
}

pub(crate) fn contract_arg(s: &str) -> JsResult<[u8; 20]> {
    let h = s.strip_prefix("0x").unwrap_or(s);
    let mut out = [0u8; 20];
    if h.len() != 40 {
        return Err(bad_arg(
            "decode.invalid",
            "contract address (0x and 40 hex digits)",
        ));
    }
    hex::decode_to_slice(h, &mut out)
        .map_err(|_| bad_arg("decode.invalid", "contract address (0x and 40 hex digits)"))?;
    Ok(out)
}

/// Verifies an anchor receipt (binary or base64url text) offline: the entry is in the log of
/// `log_key`, consistent with the anchored checkpoint `anchored_note` (the signed note), and the
/// log key signed that it was anchored on chain `chain_id` (`bigint`) in registry `contract`
/// (`0x…`). The origin is the receipt's unless `origin` pins it. Returns `{index, origin,
/// size, anchoredValue, chainId, contract, blockNumber, blockHash, txHash, checkpoint,
/// coversCheckpoint}`; the block itself is checked only online (not in this package).
#[wasm_bindgen(js_name = verifyAnchorReceipt)]
pub fn verify_anchor_receipt(
    receipt: &[u8],
    log_key: &str,
    anchored_note: &str,
    chain_id: JsValue,
    contract: &str,
    origin: Option<String>,
) -> JsResult<JsValue> {
    let r = decode_any::<AnchorReceipt>(receipt).map_err(cw)?;
    let key = public_keys_arg(log_key)?;
    let chain = ChainRef {
        chain_id: crate::convert::u64_arg(&chain_id, "chainId")?,
        contract: contract_arg(contract)?,
    };
    let origin = origin.unwrap_or_else(|| r.anchored.origin().to_owned());
    let cp = Checkpoint::open(anchored_note, &origin, &key).map_err(cw)?;
    let v = r.verify_offline(&key, &cp, &chain).map_err(cw)?;
    let covers = v.record.is_of(&cp).map_err(cw)?;
    Ok(obj(&anchor_fields(
        &v,
        [("coversCheckpoint", JsValue::from_bool(covers))],
    )))
}

/// A verified anchor's facts as `[name, value]` pairs (`index, origin, size, anchoredValue,
/// chainId, contract, blockNumber, blockHash, txHash, checkpoint`) followed by `extra`: the
/// object `verifyAnchorReceipt` and `verifyProvenance` (its `anchor`) return.
pub(crate) fn anchor_fields<const N: usize>(
    v: &VerifiedAnchor,
    extra: [(&'static str, JsValue); N],
) -> Vec<(&'static str, JsValue)> {
    let rec = &v.record;
    let mut fields = vec![
        ("index", big_u64(v.index)),
        ("origin", JsValue::from_str(&rec.origin)),
        ("size", big_u64(rec.size)),
        ("anchoredValue", JsValue::from_str(&hex::encode(rec.root))),
        ("chainId", big_u64(rec.chain.chain_id)),
        (
            "contract",
            JsValue::from_str(&format!("0x{}", hex::encode(rec.chain.contract))),
        ),
        ("blockNumber", big_u64(rec.block_number)),
        ("blockHash", JsValue::from_str(&hex::encode(rec.block_hash))),
        ("txHash", JsValue::from_str(&hex::encode(rec.tx_hash))),
        ("checkpoint", checkpoint_to_js(&v.checkpoint)),
    ];
    fields.extend(extra);
    fields
}

/// Checks that `data` decodes strictly as a wire object of `kind` (binary or text form):
/// `attestation`, `presentation`, `sealed`, `anchor-receipt` or `verifying-key`.
#[wasm_bindgen]
pub fn validate(kind: &str, data: &[u8]) -> JsResult<()> {
    match kind {
        "attestation" => decode_any::<causeway::attest::Attestation>(data).map(|_| ()),
        "presentation" => decode_any::<causeway::presentation::Presentation>(data).map(|_| ()),
        "sealed" => decode_any::<causeway::seal::Sealed>(data).map(|_| ()),
        "anchor-receipt" => decode_any::<AnchorReceipt>(data).map(|_| ()),
        "verifying-key" => decode_any::<VerifyingKey>(data).map(|_| ()),
        _ => return Err(bad_arg("decode.invalid", "unknown kind")),
    }
    .map_err(cw)
}
