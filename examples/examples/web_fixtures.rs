//! The demo page's fixtures (`examples/web/`), made with Causeway's own code: a bank's sealed
//! record for a customer, the customer's key, the Groth16 keys of the `attribute` circuit, and a
//! product's provenance bundle with its log key, trust policy and anchor receipt.
//!
//! Run with `cargo run -p causeway-examples --example web_fixtures -- OUT_DIR` (the demo's
//! `scripts/serve-demo.sh` and its browser test run it into `examples/web/fixtures/`, which git
//! ignores). Fresh keys every run; the file names are fixed and listed in `manifest.json`.
//!
//! - The bank attests the customer's record (`age`, `income`, …) for the customer's key and
//!   seals the holder's file (record, attestation, openings) for the customer: `record.cwseal`,
//!   opened in the page with `customer.key`. The generator proves and verifies the demo's two
//!   statements with these keys before writing anything, so the page starts from a known-good
//!   state.
//! - `keys/<id>.pk` and `.vk`: a single-party setup of `attribute` (both statements need it),
//!   fetched by URL in the page's Worker and checked against the key id and digest in the
//!   manifest.
//! - The product: five trace events by four parties, chained in a SQLite trace log (another
//!   lot interleaved), one checkpoint, and an anchor receipt for it. No chain runs here: the
//!   receipt carries the log operator's signed `checkpoint-anchored` statement for chain 31337
//!   and a registry address, which is what an offline verifier checks (the block itself is
//!   confirmed only online, `AnchorReceipt::verify_online`), as in `tests/vectors/provenance`.
//!   `provenance-tampered.cwpb` is the same bundle with one changed byte in the farm's event.

use causeway::anchor::{anchored_value, AnchorReceipt, AnchorRecord, ChainRef};
use causeway::attest::{issue, NoRevocations, Terms};
use causeway::ledger::checkpoint::SignedCheckpoint;
use causeway::ledger::receipt::unix_millis_now;
use causeway::ledger::sqlite::LocalLedger;
use causeway::party::Party;
use causeway::presentation::{Challenge, Presentation, PresentationBuilder};
use causeway::proof::Backend;
use causeway::record::{Record, Value as FieldValue};
use causeway::seal::Sealed;
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::Statement;
use causeway::trace::{self, EventDraft, ProvenanceBundle};
use causeway_examples::provenance::{Chain, LOT, ORIGIN};
use causeway_examples::StepError;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What the customer proves in the page.
const STATEMENTS: [&str; 2] = ["age >= 18", "income >= 30000"];
/// The chain and registry the anchor statement names (anvil's chain id; offline only).
const CHAIN_ID: u64 = 31337;
const CONTRACT: [u8; 20] = [
    0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67, 0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f,
    0x64, 0x18, 0x0a, 0xa3,
];

fn fail(what: impl Into<String>) -> StepError {
    StepError::failed(what)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StepError> {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(&p, bytes).map_err(|e| fail(format!("cannot write {}: {e}", p.display())))
}

fn customer_record() -> Result<Record, causeway::Error> {
    Ok(Record::new("northbank.customer/v1")?
        .with("name", FieldValue::String("Ana Moreira".into()))?
        .with("age", FieldValue::Int(34))?
        .with("income", FieldValue::decimal("58400.00")?)?
        .with("customer_since", FieldValue::date("2016-03-01")?)?
        .with("account", FieldValue::String("NB-0042-7781".into()))?)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() -> Result<(), StepError> {
    let out: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| fail("usage: web_fixtures OUT_DIR"))?;
    let started = std::time::Instant::now();
    let stage = out.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    std::fs::create_dir_all(&stage)
        .map_err(|e| fail(format!("cannot create {}: {e}", stage.display())))?;
    let now_ms = unix_millis_now();
    let now = now_ms / 1000;

    // 1. The bank, the customer, the attested record sealed for the customer.
    let bank = Party::generate()?;
    let customer = Party::generate()?;
    let record = customer_record()?;
    let terms = Terms::for_days(customer.key_id(), now.saturating_sub(86_400), 366);
    let held = issue(bank.keys(), &record, &terms)?;
    let sealed = Sealed::seal_bytes(&bank, &[customer.public()], &held.to_bytes())?;
    write(&stage, "record.cwseal", &sealed.to_bytes())?;
    write(
        &stage,
        "customer.key",
        format!("{}\n", customer.to_secret_text().expose()).as_bytes(),
    )?;

    // 2. The Groth16 keys both statements need, checked by proving and verifying once.
    let circuit: Circuit = "attribute"
        .parse()
        .map_err(|_| fail("unknown circuit attribute"))?;
    let pk = circuit.setup()?;
    let key_id = pk.id().to_text();
    let digest = pk.digest().to_text();
    let pk_bytes = pk.to_bytes();
    let vk_bytes = pk.verifying_key().to_bytes();
    write(&stage, &format!("keys/{key_id}.pk"), &pk_bytes)?;
    write(&stage, &format!("keys/{key_id}.vk"), &vk_bytes)?;
    let mut ring = KeyRing::new();
    ring.insert(circuit, pk);
    let challenge = Challenge::random()?;
    let mut builder = PresentationBuilder::new(&challenge)
        .attested(held)
        .backend(Backend::Groth16)
        .keys(ring.clone());
    for s in STATEMENTS {
        builder = builder.prove(Statement::parse(s, 1)?);
    }
    let p = Presentation::from_bytes(&builder.build(&customer)?.to_bytes())?;
    p.verify_with_keys(&[bank.public()], &challenge, now, &NoRevocations, &ring)?;

    // 3. The product's history in a trace log, a checkpoint, and an anchor receipt.
    let chain = Chain::generate()?;
    let db_dir = std::env::temp_dir().join(format!(
        "causeway-web-fixtures-{}-{now_ms}",
        std::process::id()
    ));
    std::fs::create_dir_all(&db_dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", db_dir.display())))?;
    let product = history(&chain, &db_dir.join("trace.db"), now_ms, &stage);
    let _ = std::fs::remove_dir_all(&db_dir);
    let product = product?;

    let manifest = json!({
        "generatedAtMs": now_ms,
        "bank": { "name": "Northbank", "key": bank.public().to_text() },
        "customer": { "name": "Ana Moreira", "keyId": customer.key_id().to_string(), "keyFile": "customer.key" },
        "record": "record.cwseal",
        "statements": STATEMENTS,
        "circuit": {
            "name": "attribute",
            "keyId": key_id,
            "digest": digest,
            "provingKey": format!("keys/{key_id}.pk"),
            "verifyingKey": format!("keys/{key_id}.vk"),
            "provingKeyBytes": pk_bytes.len(),
        },
        "product": product,
    });
    let manifest = format!("{manifest:#}\n");
    write(&stage, "manifest.json", manifest.as_bytes())?;
    let _ = std::fs::remove_dir_all(&out);
    std::fs::rename(&stage, &out).map_err(|e| {
        fail(format!(
            "cannot move {} to {}: {e}",
            stage.display(),
            out.display()
        ))
    })?;
    println!(
        "wrote the demo fixtures to {} in {:.1} s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Records the lot's history, writes the bundles, policy, receipt and anchored checkpoint, and
/// returns the manifest's `product` object.
fn history(chain: &Chain, db: &Path, now_ms: u64, dir: &Path) -> Result<Value, StepError> {
    let ledger = LocalLedger::create(db, ORIGIN, &chain.coop.public())?;
    let hour = 3_600_000;
    let t0 = now_ms.saturating_sub(9 * 24 * hour);
    let produced = EventDraft::new("produced")?
        .field("origin", "Waikato, NZ")?
        .field("herd", "H-112")?;
    trace::record(&ledger, &chain.farm, t0, LOT, &produced, None)?;
    // another lot of the same farm, interleaved in the log
    let other = EventDraft::new("produced")?.field("origin", "Waikato, NZ")?;
    trace::record(
        &ledger,
        &chain.farm,
        t0 + hour,
        "MILK-POWDER-2026-0043",
        &other,
        None,
    )?;
    let (inspected, report) = EventDraft::new("inspected")?
        .field("result", "pass")?
        .field("melamine_ppm", "< 0.05")?
        .seal_details(
            &chain.lab,
            &[chain.shop.public()],
            causeway_examples::provenance::LAB_REPORT,
        )?;
    trace::record(
        &ledger,
        &chain.lab,
        t0 + 26 * hour,
        LOT,
        &inspected,
        Some(&report),
    )?;
    let shipped = EventDraft::new("shipped")?
        .field("from", "Port of Tauranga")?
        .field("max_celsius", "4.1")?
        .field(
            "temperature_log_sha256",
            "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
        )?;
    trace::record(&ledger, &chain.carrier, t0 + 74 * hour, LOT, &shipped, None)?;
    let received = EventDraft::new("received")?.field("store", "Ponsonby")?;
    trace::record(&ledger, &chain.shop, t0 + 170 * hour, LOT, &received, None)?;
    let sold = EventDraft::new("sold")?.field("shelf", "B4")?;
    trace::record(&ledger, &chain.shop, t0 + 210 * hour, LOT, &sold, None)?;
    ledger.checkpoint(chain.coop.keys())?;

    let bundle = ProvenanceBundle::from_ledger(&ledger, LOT, None)?;
    let note = bundle.checkpoint().note().to_owned();
    let signed = SignedCheckpoint::open(&note, ORIGIN, &chain.coop.public())?;
    let cp = signed.checkpoint().clone();
    let chain_ref = ChainRef {
        chain_id: CHAIN_ID,
        contract: CONTRACT,
    };
    // The anchor the log operator states it made: the checkpoint's anchored value in the
    // registry at CONTRACT on chain CHAIN_ID (offline, this statement is what is checked).
    let anchor_ms = t0 + 212 * hour;
    let record = AnchorRecord {
        origin: ORIGIN.into(),
        size: cp.size,
        root: anchored_value(&cp)?,
        chain: chain_ref,
        block_number: 18_204,
        block_hash: stated_hash(b"block", &cp.root),
        tx_hash: stated_hash(b"tx", &cp.root),
        submitter: [0; 20],
    };
    let last = bundle
        .events()
        .last()
        .map(|e| e.index)
        .ok_or_else(|| fail("the bundle has no events"))?;
    let ar =
        AnchorReceipt::from_ledger(&ledger, chain.coop.keys(), last, &note, &record, anchor_ms)?;
    let anchored = bundle.with_anchor(ar.clone())?;
    let bytes = anchored.to_bytes()?;
    let policy = chain.policy()?;
    let log_key = chain.coop.public();
    // The consumer's check, natively, before the page does it in wasm.
    let v = ProvenanceBundle::from_bytes(&bytes)?.verify_anchored(
        &log_key,
        ORIGIN,
        &policy,
        Some(LOT),
        &chain_ref,
    )?;
    if v.events.len() != 5 || v.anchor.is_none() {
        return Err(fail("the lot's timeline is not five anchored events"));
    }
    // One changed byte in the farm's event ("Waikato" becomes "Wuikato").
    let mut tampered = bytes.clone();
    let at = tampered
        .windows(7)
        .position(|w| w == b"Waikato")
        .ok_or_else(|| fail("the farm's event is not in the bundle"))?;
    if let Some(b) = tampered.get_mut(at + 1) {
        *b = b'u';
    }
    let refused = ProvenanceBundle::from_bytes(&tampered)
        .and_then(|b| b.verify_anchored(&log_key, ORIGIN, &policy, Some(LOT), &chain_ref));
    let code = match refused {
        Ok(_) => return Err(fail("the tampered bundle verified")),
        Err(e) => causeway::Error::from(e).code().to_owned(),
    };
    write(dir, "provenance.cwpb", &bytes)?;
    write(dir, "provenance-tampered.cwpb", &tampered)?;
    write(
        dir,
        "policy.json",
        format!("{}\n", policy.to_json()).as_bytes(),
    )?;
    write(dir, "anchor-receipt.cwar", &ar.to_bytes()?)?;
    let anchored_note = ar
        .anchored_checkpoint
        .as_ref()
        .ok_or_else(|| fail("the anchor receipt has no anchored checkpoint"))?
        .note()
        .to_owned();
    write(dir, "anchored-checkpoint.txt", anchored_note.as_bytes())?;
    Ok(json!({
        "id": LOT,
        "name": "Whole milk powder, 900 g",
        "origin": ORIGIN,
        "logKey": log_key.to_text(),
        "logName": "Dairy co-op trace log",
        "policy": "policy.json",
        "bundle": "provenance.cwpb",
        "tampered": "provenance-tampered.cwpb",
        "tamperedCode": code,
        "anchorReceipt": "anchor-receipt.cwar",
        "anchoredCheckpoint": "anchored-checkpoint.txt",
        "chain": { "chainId": CHAIN_ID, "contract": format!("0x{}", hex(&CONTRACT)) },
    }))
}

/// The block and transaction hashes of the stated anchor (no chain runs here): derived from
/// the checkpoint's root. Unsigned in the receipt (the block hash) or signed as stated (the
/// transaction); only an online check (`AnchorReceipt::verify_online`) would confirm them.
fn stated_hash(label: &[u8], root: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"causeway web demo: stated anchor ");
    h.update(label);
    h.update(root);
    h.finalize().into()
}
