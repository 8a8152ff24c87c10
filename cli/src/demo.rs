//! `causeway demo`: an end-to-end exchange on embedded defaults, with no external service.
//!
//! Each step checks what it claims, so the demo fails loudly (non-zero exit) if the SDK does
//! not behave as printed.

use crate::CliError;
use causeway::party::Party;
use causeway::record::{Record, Value};
use causeway::seal::{Content, Sealed};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `causeway demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Also write the parties' key files and each sealed record into this folder, so you can
    /// continue with the CLI (`causeway inspect`, `causeway open`, ...).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Anchor the demo's ledger on an EVM node at this JSON-RPC URL (e.g. a local anvil); the
    /// plain demo stays offline.
    #[cfg(feature = "evm")]
    #[arg(long, value_name = "URL")]
    chain: Option<String>,
    /// With --chain: the hex key file of a funded account (default: a fresh key funded by the
    /// local dev node).
    #[cfg(feature = "evm")]
    #[arg(long, value_name = "FILE", requires = "chain")]
    evm_key_file: Option<PathBuf>,
    /// With --chain: an existing AnchorRegistry (default: deploy one).
    #[cfg(feature = "evm")]
    #[arg(long, requires = "chain")]
    contract: Option<String>,
}

/// The demo's cast and artefacts, shared by its steps.
pub struct Demo {
    /// The data owner.
    pub bank: Party,
    /// A partner the bank shares with.
    pub partner: Party,
    /// The regulator.
    pub regulator: Party,
    /// Where to write artefacts, if anywhere.
    pub dir: Option<PathBuf>,
}

fn step(n: u32, title: &str) {
    println!();
    println!("{n}. {title}");
}

fn ok(msg: &str) {
    println!("   ✓ {msg}");
}

fn refused(msg: &str) {
    println!("   ✗ {msg} (refused, as it should be)");
}

fn fail(msg: &str) -> CliError {
    CliError::input(format!("demo step failed: {msg}"))
}

impl Demo {
    fn name(&self, id: &causeway::party::KeyId) -> &'static str {
        if *id == self.bank.key_id() {
            "Northwind Bank"
        } else if *id == self.partner.key_id() {
            "Harbor Credit"
        } else if *id == self.regulator.key_id() {
            "Financial Regulator"
        } else {
            "unknown party"
        }
    }

    fn names(&self, sealed: &Sealed) -> String {
        sealed
            .recipients()
            .iter()
            .map(|id| self.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn save(&self, file: &str, data: &[u8]) -> Result<(), CliError> {
        if let Some(dir) = &self.dir {
            crate::io::write_atomic(&dir.join(file), data)?;
        }
        Ok(())
    }

    fn must_open(&self, who: &Party, sealed: &Sealed) -> Result<Record, CliError> {
        match sealed.open(who)? {
            Content::Record(r) => Ok(r),
            _ => Err(fail("expected a record")),
        }
    }

    fn must_not_open(&self, who: &Party, sealed: &Sealed) -> Result<String, CliError> {
        match sealed.open(who) {
            Ok(_) => Err(fail("a party that should be refused could open the record")),
            Err(e) => Ok(e.to_string()),
        }
    }
}

fn customer_record() -> Result<Record, CliError> {
    Ok(Record::new("kyc/customer/v1")?
        .with("customer_id", Value::String("C-2291-0042".into()))?
        .with("name", Value::String("Ada Okafor".into()))?
        .with("born", Value::date("1988-06-14")?)?
        .with("credit_score", Value::Int(712))?
        .with("annual_income", Value::decimal("86500.00")?)?
        .with("politically_exposed", Value::Bool(false))?)
}

/// Runs the demo.
pub fn run(a: DemoArgs) -> Result<(), CliError> {
    println!("Causeway demo: a customer record shared between two organisations and a regulator.");
    #[cfg(feature = "evm")]
    let on_chain = a.chain.as_deref();
    #[cfg(not(feature = "evm"))]
    let on_chain: Option<&str> = None;
    match on_chain {
        None => println!(
            "Everything runs locally on embedded defaults; no network, no external service."
        ),
        Some(url) => println!(
            "Everything runs locally on embedded defaults; the last step anchors the ledger on the EVM node at {url}."
        ),
    }

    step(
        1,
        "Three parties generate their keys (Ed25519 for signing, X25519 for encryption)",
    );
    let demo = Demo {
        bank: Party::generate()?,
        partner: Party::generate()?,
        regulator: Party::generate()?,
        dir: a.dir.clone(),
    };
    if let Some(dir) = &demo.dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io(format!("cannot create {}: {e}", dir.display())))?;
    }
    for (name, p, file) in [
        ("Northwind Bank", &demo.bank, "bank.key"),
        ("Harbor Credit", &demo.partner, "partner.key"),
        ("Financial Regulator", &demo.regulator, "regulator.key"),
    ] {
        let text = p.public().to_text();
        let short: String = text.chars().take(24).collect();
        println!("   {name:<20} key id {}  public key {short}…", p.key_id());
        demo.save(file, p.to_secret_text().expose().as_bytes())?;
    }

    step(
        2,
        "Northwind Bank seals a customer record for Harbor Credit",
    );
    let record = customer_record()?;
    let v0 = Sealed::seal_record(&demo.bank, &[demo.partner.public()], &record)?;
    println!(
        "   record {} epoch {}: {} fields, {} bytes sealed (AES-256-GCM; key wrapped per recipient with ECDH-ES+A256KW)",
        v0.record_id(),
        v0.epoch(),
        record.len(),
        v0.ciphertext_len()
    );
    println!("   recipients: {}", demo.names(&v0));
    println!("   it is a standard JWE: any JOSE library can open it with the recipient's key");
    demo.save("record-epoch0.jwe.json", v0.to_jwe_json().as_bytes())?;

    step(3, "Harbor Credit opens it; the regulator cannot (yet)");
    let opened = demo.must_open(&demo.partner, &v0)?;
    if opened != record {
        return Err(fail("Harbor Credit opened a different record"));
    }
    ok(&format!(
        "Harbor Credit reads credit_score = {}, annual_income = {}",
        field(&opened, "credit_score"),
        field(&opened, "annual_income")
    ));
    let why = demo.must_not_open(&demo.regulator, &v0)?;
    refused(&format!("Financial Regulator: {why}"));

    step(
        4,
        "Northwind Bank grants the regulator access (no re-encryption)",
    );
    let v0g = v0.grant(&demo.bank, &demo.regulator.public())?;
    if v0g.ciphertext_len() != v0.ciphertext_len() || v0g.recipients().len() != 3 {
        return Err(fail(
            "granting should add a recipient and keep the ciphertext",
        ));
    }
    println!(
        "   same record {} epoch {}, same ciphertext; one more wrapped key. recipients: {}",
        v0g.record_id(),
        v0g.epoch(),
        demo.names(&v0g)
    );
    let reg = demo.must_open(&demo.regulator, &v0g)?;
    if reg != record {
        return Err(fail("the regulator opened a different record"));
    }
    ok("Financial Regulator opens the record");
    demo.save(
        "record-epoch0-granted.jwe.json",
        v0g.to_jwe_json().as_bytes(),
    )?;

    step(
        5,
        "Northwind Bank revokes Harbor Credit: re-sealed under a fresh content key",
    );
    let v1 = v0g.revoke(&demo.bank, &demo.partner.key_id())?;
    if v1.epoch() != v0g.epoch() + 1 || v1.record_id() != v0g.record_id() {
        return Err(fail(
            "revocation must keep the record id and increase the epoch",
        ));
    }
    println!(
        "   record {} now at epoch {}; recipients: {}",
        v1.record_id(),
        v1.epoch(),
        demo.names(&v1)
    );
    let why = demo.must_not_open(&demo.partner, &v1)?;
    refused(&format!("Harbor Credit on epoch {}: {why}", v1.epoch()));
    if demo.must_open(&demo.regulator, &v1)? != record {
        return Err(fail(
            "the regulator opened a different record after revocation",
        ));
    }
    ok(&format!(
        "Financial Regulator still opens epoch {}",
        v1.epoch()
    ));
    println!("   (a copy Harbor Credit kept from epoch 0 is beyond recall; revocation protects every later version)");
    demo.save("record-epoch1.cw", &v1.to_bytes())?;

    step(6, "Tampering is detected before anything is released");
    let mut tampered = v1.to_bytes();
    if let Some(b) = tampered.last_mut() {
        *b ^= 0x01;
    }
    match Sealed::from_bytes(&tampered)
        .map_err(causeway::Error::from)
        .and_then(|s| s.open(&demo.regulator).map_err(causeway::Error::from))
    {
        Ok(_) => return Err(fail("a tampered record opened")),
        Err(e) => refused(&format!("one flipped bit: {e}")),
    }

    // ---- begin: attestation step (storyline: causeway_examples::credit_check) ----
    step(
        7,
        "Northwind Bank checks the customer's attested credit score ≥ 700 and income in [50 000, 120 000] without seeing them",
    );
    let customer = Party::generate()?;
    let now = crate::attest_cmd::unix_now()?;
    // The storyline is causeway_examples::credit_check (the Python and web examples mirror it).
    let check = causeway_examples::credit_check::run_with(
        &demo.partner,
        &customer,
        &customer_record()?,
        now,
    )?;
    ok("Harbor Credit attested the record: a Poseidon root and Pedersen commitments, signed");
    ok(&format!(
        "the customer presented {} statement(s) in {} bytes, disclosing {} field(s)",
        check.verified.statements().len(),
        check.presentation_len,
        check.verified.disclosed().len()
    ));
    for st in check.verified.statements() {
        ok(&format!("the bank verified: {st}"));
    }
    if !check.verified.disclosed().is_empty() {
        return Err(fail("the presentation disclosed a field"));
    }
    if !check.replay_refused {
        return Err(fail("a replayed presentation verified"));
    }
    refused("the same presentation replayed against a new challenge");
    if !check.false_claim_refused {
        return Err(fail("a false claim (credit score ≥ 800) was provable"));
    }
    refused("a proof of \"credit score ≥ 800\" (the score is below it)");
    // ---- end: attestation step ----

    // ---- begin: ledger step (lead; core API: causeway::ledger) ----
    step(
        8,
        "Every seal, grant and revocation lands in a tamper-evident ledger; the regulator checks a proof",
    );
    let ledger_dir = match &demo.dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join(format!(
            "causeway-demo-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        )),
    };
    std::fs::create_dir_all(&ledger_dir)
        .map_err(|e| CliError::io(format!("cannot create {}: {e}", ledger_dir.display())))?;
    let db = ledger_dir.join("ledger.db");
    let _ = std::fs::remove_file(&db);
    let result = ledger_step(&demo, &db, &v0, &v0g, &v1);
    // ---- end: ledger step ----
    // Steps 9 and 10 run while step 8's ledger exists (step 10 anchors it); a temporary
    // ledger folder is removed after them, whatever happened.

    // ---- begin: trade-finance step (groth16 helper; core API: causeway::presentation with
    // Backend::Groth16) ----
    let result = result.and_then(|()| {
        step(
            9,
            "Northwind Bank checks that an exporter's attested orders add up to ≥ 2 000 000.00 with one Groth16 proof, without seeing them",
        );
        trade_finance_step(&demo, now)
    });
    // ---- end: trade-finance step ----

    // ---- anchor helper: `--chain URL` (feature `evm`): step 10 anchors step 8's ledger ----
    #[cfg(feature = "evm")]
    let (result, anchored_on) = match (result, &a.chain) {
        (Ok(()), Some(url)) => {
            step(
                10,
                "The bank anchors the ledger of step 8 on an EVM chain; the regulator checks an anchor receipt",
            );
            match chain_step(
                &demo,
                url,
                a.evm_key_file.as_deref(),
                a.contract.as_deref(),
                &db,
            ) {
                Ok(chain_id) => (Ok(()), Some(chain_id)),
                Err(e) => (Err(e), None),
            }
        }
        (r, _) => (r, None),
    };
    #[cfg(not(feature = "evm"))]
    let anchored_on: Option<u64> = None;
    // ---- end anchor helper ----------------------------------------------------------------
    if demo.dir.is_none() {
        let _ = std::fs::remove_dir_all(&ledger_dir);
    }
    result?;

    println!();
    match anchored_on {
        None => println!(
            "Done: sealed, shared, granted, revoked, tamper-checked, attested, logged and proven, all offline."
        ),
        Some(chain_id) => println!(
            "Done: sealed, shared, granted, revoked, tamper-checked, attested, logged and proven offline; the ledger is anchored on chain {chain_id}."
        ),
    }
    if let Some(dir) = &demo.dir {
        println!("Artefacts are in {}. Try:", dir.display());
        println!(
            "   causeway inspect -i {}",
            dir.join("record-epoch1.cw").display()
        );
        println!(
            "   causeway open -k {} -i {}",
            dir.join("regulator.key").display(),
            dir.join("record-epoch1.cw").display()
        );
        println!(
            "   causeway verify -i {} --issuer {} --challenge \"$(cat {})\" --keys {}",
            dir.join("trade-presentation.json").display(),
            dir.join("port-registry.pub").display(),
            dir.join("trade-challenge.txt").display(),
            dir.join("groth16-keys").display()
        );
    }
    Ok(())
}

// ---- groth16 helper: the trade-finance step ----------------------------------------------
/// Orders in the trade-finance step. The Groth16 sum circuit is per k; k = 4 keeps the demo's
/// single-party setup to a few seconds in a debug build (k = 16 takes about 3× longer).
const TRADE_ORDERS: usize = 4;

/// A port registry attests four export orders of an exporter (2 500 000.00 in total); the
/// exporter proves `sum(amount) >= 2000000` to the bank with Groth16 (one proof, keys from a
/// single-party setup made here); the bank verifies without seeing any order; a higher claim
/// cannot be proven, an edited claim and a replay are refused.
fn trade_finance_step(demo: &Demo, now: u64) -> Result<(), CliError> {
    use causeway::attest::{issue_with_record_id, NoRevocations, RecordId, Terms};
    use causeway::presentation::{hazmat, Challenge, Presentation};
    use causeway::snark::{Circuit, KeyRing};
    use causeway::statement::{Backend, Statement};
    use std::time::Instant;

    let registry = Party::generate()?;
    let exporter = Party::generate()?;
    let terms = Terms {
        subject: exporter.key_id(),
        not_before: now.saturating_sub(86_400),
        not_after: now.saturating_add(365 * 86_400),
    };
    let amounts = ["900000.00", "600000.00", "550000.00", "450000.00"];
    let mut held = Vec::with_capacity(TRADE_ORDERS);
    for (i, amount) in amounts.iter().enumerate() {
        let order = Record::new("trade/export-order/v1")?
            .with("order_id", Value::Int(7_001 + i as i64))?
            .with("amount", Value::decimal(amount)?)?
            .with("buyer", Value::String(format!("Buyer {}", i + 1)))?;
        // the order's stable name, signed as its record id: a renewal counts once
        let id = RecordId::named(&format!("Acme Exports export order {}", 7_001 + i))
            .map_err(causeway::Error::from)?;
        held.push(
            issue_with_record_id(registry.keys(), &order, &terms, &id)
                .map_err(causeway::Error::from)?,
        );
    }
    ok(&format!(
        "the port registry attested {TRADE_ORDERS} export orders of Acme Exports (amounts only as commitments)"
    ));

    let shape = Circuit::Sum(TRADE_ORDERS as u8);
    let started = Instant::now();
    let pk = shape
        .setup()
        .map_err(|e| fail(&format!("Groth16 setup: {e}")))?;
    let mut keys = KeyRing::new();
    keys.insert(shape, pk);
    let setup_secs = started.elapsed().as_secs_f64();
    let key_id = keys
        .verifying_key(&shape)
        .map(|vk| vk.id().to_text())
        .unwrap_or_default();
    ok(&format!(
        "Groth16 keys for {shape} made in {setup_secs:.1} s (single-party setup: whoever runs it is trusted; see docs/groth16-ceremony.md)"
    ));
    if let Some(dir) = &demo.dir {
        keys.save_dir(&dir.join("groth16-keys"))
            .map_err(|e| fail(&format!("saving the Groth16 keys: {e}")))?;
    }

    let refs: Vec<_> = held.iter().collect();
    let n = TRADE_ORDERS as u16;
    let claim = Statement::parse("sum(amount) >= 2000000", n)?;
    let challenge = Challenge::random()?;
    let started = Instant::now();
    let p = Presentation::create_with(
        exporter.keys(),
        &refs,
        &[],
        std::slice::from_ref(&claim),
        &challenge,
        Backend::Groth16,
        &keys,
    )
    .map_err(|e| fail(&format!("the exporter's proof: {e}")))?;
    let prove_secs = started.elapsed().as_secs_f64();
    let bytes = p.to_bytes();
    demo.save("trade-presentation.json", p.to_json_string().as_bytes())?;
    demo.save("trade-challenge.txt", format!("{challenge}\n").as_bytes())?;
    demo.save(
        "port-registry.pub",
        format!("{}\n", registry.public().to_text()).as_bytes(),
    )?;
    ok(&format!(
        "Acme Exports proved \"{claim}\" in {prove_secs:.1} s: one {}-byte Groth16 proof in a {}-byte presentation",
        causeway::snark::PROOF_BYTES,
        bytes.len()
    ));

    let p = Presentation::from_bytes(&bytes)?;
    let trusted = [registry.public()];
    let started = Instant::now();
    let v = p
        .verify_with_keys(&trusted, &challenge, now, &NoRevocations, &keys)
        .map_err(|e| fail(&format!("the bank's check: {e}")))?;
    let verify_ms = started.elapsed().as_secs_f64() * 1000.0;
    if v.statements() != std::slice::from_ref(&claim) || !v.disclosed().is_empty() {
        return Err(fail("the bank did not get exactly the claim"));
    }
    ok(&format!(
        "Northwind Bank verified {} orders' total ≥ 2 000 000.00 in {verify_ms:.0} ms with key {}…, seeing no order",
        v.attestations().len(),
        key_id.get(..24).unwrap_or(&key_id)
    ));

    let too_high = Statement::parse("sum(amount) >= 2500000.01", n)?;
    match Presentation::create_with(
        exporter.keys(),
        &refs,
        &[],
        &[too_high],
        &challenge,
        Backend::Groth16,
        &keys,
    ) {
        Ok(_) => return Err(fail("a total above the true one was provable")),
        Err(e) => refused(&format!(
            "a proof of \"sum(amount) >= 2500000.01\" (the true total is 2 500 000.00): {e}"
        )),
    }
    let mut parts = hazmat::parts(&p);
    parts.statements = vec![Statement::parse("sum(amount) >= 3000000", n)?];
    let edited = hazmat::sign(parts, exporter.keys(), &challenge)?;
    match edited.verify_with_keys(&trusted, &challenge, now, &NoRevocations, &keys) {
        Ok(_) => return Err(fail("the genuine proof verified for a higher claim")),
        Err(e) => refused(&format!(
            "the genuine proof re-signed as \"sum(amount) >= 3000000\": {e}"
        )),
    }
    match p.verify_with_keys(&trusted, &Challenge::random()?, now, &NoRevocations, &keys) {
        Ok(_) => return Err(fail("a replayed presentation verified")),
        Err(e) => refused(&format!(
            "the same presentation replayed to another challenge: {e}"
        )),
    }
    let first = held.first().ok_or_else(|| fail("no order"))?;
    match Presentation::create_with(
        exporter.keys(),
        &[first, first, first, first],
        &[],
        std::slice::from_ref(&claim),
        &challenge,
        Backend::Groth16,
        &keys,
    ) {
        Ok(_) => return Err(fail("one order summed four times was provable")),
        Err(e) => refused(&format!("the first order presented four times: {e}")),
    }
    Ok(())
}

// ---- anchor helper: the on-chain step of `causeway demo --chain URL` ----------------------
/// Step 10: anchors the ledger of step 8 (at `db`, the bank as log operator) on the node,
/// writes an anchor receipt for the grant (entry 1) and verifies it online and offline.
/// Returns the chain id.
#[cfg(feature = "evm")]
fn chain_step(
    demo: &Demo,
    url: &str,
    evm_key_file: Option<&std::path::Path>,
    contract: Option<&str>,
    db: &std::path::Path,
) -> Result<u64, CliError> {
    use causeway::ledger::sqlite::LocalLedger;
    let ledger = LocalLedger::open(db)?;
    if *ledger.log_key() != demo.bank.public() {
        return Err(fail("the ledger of step 8 is not the bank's"));
    }
    println!(
        "   the ledger of step 8: {}, the bank's key signs its checkpoints",
        ledger.origin()
    );
    let receipt =
        crate::anchor_cmd::demo_chain(url, evm_key_file, contract, &ledger, demo.bank.keys(), 1)?;
    let bytes = receipt
        .to_bytes()
        .map_err(|e| CliError::input(e.to_string()))?;
    demo.save(
        "grant.anchor-receipt",
        causeway::encoding::b64u_encode(&bytes).as_bytes(),
    )?;
    demo.save(
        "northwind-ledger.pub",
        demo.bank.public().to_text().as_bytes(),
    )?;
    let anchored = receipt
        .claimed_anchor()
        .map_err(|e| CliError::input(e.to_string()))?;
    demo.save(
        "anchor-registry.address",
        format!("0x{}", hex::encode(anchored.chain.contract)).as_bytes(),
    )?;
    println!(
        "   the regulator's anchor receipt for the grant (entry 1): {} bytes",
        bytes.len()
    );
    Ok(anchored.chain.chain_id)
}
// ---- end anchor helper ------------------------------------------------------------------

/// A field for the demo's report ([`Value`]'s `Display`; the demo shows numbers only).
fn field(r: &Record, name: &str) -> String {
    r.get(name).map_or_else(|| "?".into(), Value::to_string)
}

/// Step 8: the bank (as log operator) records its receipts in a SQLite ledger, signs a C2SP
/// checkpoint, and the regulator verifies an inclusion proof with nothing but the log's public
/// key, the checkpoint and the receipt.
fn ledger_step(
    demo: &Demo,
    db: &std::path::Path,
    v0: &Sealed,
    v0g: &Sealed,
    v1: &Sealed,
) -> Result<(), CliError> {
    use causeway::ledger::checkpoint::Checkpoint;
    use causeway::ledger::proof::verify_inclusion;
    use causeway::ledger::receipt::{unix_millis_now, Receipt};
    use causeway::ledger::sqlite::LocalLedger;

    let origin = "northwind.example/ledger";
    let ledger = LocalLedger::create(db, origin, &demo.bank.public())?;
    let keys = demo.bank.keys();
    let receipts = [
        Receipt::sealed_from(keys, origin, unix_millis_now(), v0, None)?,
        Receipt::granted_from(
            keys,
            origin,
            unix_millis_now(),
            v0g,
            demo.regulator.key_id(),
        )?,
        Receipt::revoked_from(keys, origin, unix_millis_now(), v1, demo.partner.key_id())?,
    ];
    for r in &receipts {
        let index = ledger.append(r)?;
        println!(
            "   entry {index}: {} (signed by Northwind Bank, durable)",
            r.event().kind_name()
        );
    }
    let note = ledger.checkpoint(keys)?;
    println!("   signed checkpoint (C2SP signed note):");
    for line in note.lines() {
        println!("   | {line}");
    }
    demo.save("checkpoint.txt", note.as_bytes())?;

    // What the regulator receives: the receipt, its inclusion proof, the checkpoint.
    let index = 2u64;
    let cp = Checkpoint::open(&note, origin, &demo.bank.public())?;
    let proof = ledger.inclusion_proof(index, cp.size)?;
    let receipt = ledger.receipt(index)?;
    println!(
        "   inclusion proof for entry {index} (the revocation of Harbor Credit), {} hashes:",
        proof.len()
    );
    for h in &proof {
        println!("   | {}", hex_short(h));
    }
    verify_inclusion(index, cp.size, &receipt.leaf_hash(), &proof, &cp.root)?;
    ok(&format!(
        "the regulator verified: entry {index} is in {origin} at size {} (root {}…)",
        cp.size,
        hex_short(&cp.root)
    ));
    // A receipt claiming something else does not verify against the same proof.
    let forged = receipts
        .first()
        .ok_or_else(|| fail("no receipts"))?
        .leaf_hash();
    match verify_inclusion(index, cp.size, &forged, &proof, &cp.root) {
        Ok(()) => return Err(fail("a different receipt verified against the proof")),
        Err(e) => refused(&format!(
            "another receipt presented with the same proof: {e}"
        )),
    }
    let report = ledger.audit(Some(&demo.bank.public()))?;
    ok(&format!(
        "audit replayed the log: {} receipts with valid signatures, {} checkpoint(s), root consistent",
        report.entries, report.checkpoints
    ));
    Ok(())
}

fn hex_short(h: &[u8; 32]) -> String {
    let full: String = h.iter().map(|b| format!("{b:02x}")).collect();
    full.chars().take(16).collect()
}
