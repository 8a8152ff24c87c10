//! `causeway demo`: an end-to-end exchange on embedded defaults, with no external service.
//!
//! The storyline lives in `causeway-examples` (one module per step, written against the
//! `causeway` API only); this command calls the steps in order, writes the artefacts and
//! prints. Each step checks what it claims, so the demo fails loudly (non-zero exit) if the
//! SDK does not behave as printed.

use crate::CliError;
use causeway::record::{Record, Value};
use causeway_examples::parties::Cast;
use causeway_examples::{
    credit_check, evidence, ledger_proof, provenance, share_record, trade_finance, StepError,
};
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

/// The demo's cast and where its artefacts go.
struct Demo {
    cast: Cast,
    dir: Option<PathBuf>,
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

/// A step's error as the CLI reports it: a failed check exits 1 with the step's message; an
/// SDK error keeps its exit code and hint (ledger errors with the ledger commands' hints).
fn step_err(e: StepError) -> CliError {
    match e {
        StepError::Sdk(causeway::Error::Ledger(e)) => CliError::from(e),
        StepError::Sdk(causeway::Error::Trace(e)) => CliError::from(e),
        StepError::Sdk(e) => CliError::from(e),
        other => CliError::input(other.to_string()),
    }
}

impl Demo {
    fn save(&self, file: &str, data: &[u8]) -> Result<(), CliError> {
        if let Some(dir) = &self.dir {
            crate::io::write_atomic(&dir.join(file), data)?;
        }
        Ok(())
    }
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
            "Everything runs locally on embedded defaults; the last steps anchor the ledger and pay a trade-finance deal on the EVM node at {url}."
        ),
    }

    step(
        1,
        "Three parties generate their keys (Ed25519 for signing, X25519 for encryption)",
    );
    let demo = Demo {
        cast: Cast::generate()?,
        dir: a.dir.clone(),
    };
    let cast = &demo.cast;
    if let Some(dir) = &demo.dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::io(format!("cannot create {}: {e}", dir.display())))?;
    }
    for ((name, p), file) in
        cast.members()
            .into_iter()
            .zip(["bank.key", "partner.key", "regulator.key"])
    {
        let text = p.public().to_text();
        let short: String = text.chars().take(24).collect();
        println!("   {name:<20} key id {}  public key {short}…", p.key_id());
        demo.save(file, p.to_secret_text().expose().as_bytes())?;
    }

    step(
        2,
        "Northwind Bank seals a customer record for Harbor Credit",
    );
    let record = share_record::customer_record()?;
    let v0 = share_record::seal(cast, &record).map_err(step_err)?;
    println!(
        "   record {} epoch {}: {} fields, {} bytes sealed (AES-256-GCM; key wrapped per recipient with ECDH-ES+A256KW)",
        v0.record_id(),
        v0.epoch(),
        record.len(),
        v0.ciphertext_len()
    );
    println!("   recipients: {}", cast.names(&v0));
    println!("   it is a standard JWE: any JOSE library can open it with the recipient's key");
    demo.save("record-epoch0.jwe.json", v0.to_jwe_json().as_bytes())?;

    step(3, "Harbor Credit opens it; the regulator cannot (yet)");
    let opened = share_record::open(cast, &record, &v0).map_err(step_err)?;
    ok(&format!(
        "Harbor Credit reads credit_score = {}, annual_income = {}",
        field(&opened.record, "credit_score"),
        field(&opened.record, "annual_income")
    ));
    refused(&format!(
        "Financial Regulator: {}",
        opened.regulator_refused
    ));

    step(
        4,
        "Northwind Bank grants the regulator access (no re-encryption)",
    );
    let v0g = share_record::grant(cast, &record, &v0).map_err(step_err)?;
    println!(
        "   same record {} epoch {}, same ciphertext; one more wrapped key. recipients: {}",
        v0g.record_id(),
        v0g.epoch(),
        cast.names(&v0g)
    );
    ok("Financial Regulator opens the record");
    demo.save(
        "record-epoch0-granted.jwe.json",
        v0g.to_jwe_json().as_bytes(),
    )?;

    step(
        5,
        "Northwind Bank revokes Harbor Credit: re-sealed under a fresh content key",
    );
    let revoked = share_record::revoke(cast, &record, &v0g).map_err(step_err)?;
    let v1 = &revoked.sealed;
    println!(
        "   record {} now at epoch {}; recipients: {}",
        v1.record_id(),
        v1.epoch(),
        cast.names(v1)
    );
    refused(&format!(
        "Harbor Credit on epoch {}: {}",
        v1.epoch(),
        revoked.partner_refused
    ));
    ok(&format!(
        "Financial Regulator still opens epoch {}",
        v1.epoch()
    ));
    println!("   (a copy Harbor Credit kept from epoch 0 is beyond recall; revocation protects every later version)");
    demo.save("record-epoch1.cw", &v1.to_bytes())?;

    step(6, "Tampering is detected before anything is released");
    let why = share_record::tamper(cast, v1).map_err(step_err)?;
    refused(&format!("one flipped bit: {why}"));

    step(
        7,
        "Northwind Bank checks the customer's attested credit score ≥ 700 and income in [50 000, 120 000] without seeing them",
    );
    let customer = causeway::party::Party::generate()?;
    let now = crate::attest_cmd::unix_now()?;
    let check = credit_check::run_with(&cast.partner, &customer, &record, now)?;
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
    let result = ledger_step(&demo, &db, &v0, &v0g, v1);
    // Steps 9 to 11 run while step 8's ledger exists (step 12 anchors it); a temporary
    // ledger folder is removed after them, whatever happened.

    let result = result.and_then(|()| {
        step(
            9,
            "Northwind Bank checks that an exporter's attested orders add up to ≥ 2 000 000.00 with one Groth16 proof, without seeing them",
        );
        trade_finance_step(&demo, now)
    });
    let result = result.and_then(|()| {
        step(
            10,
            "Harbor Credit notarises a signed contract in the bank's ledger, sealed for the regulator; the regulator verifies the evidence certificate offline",
        );
        evidence_step(&demo, &db)
    });
    let result = result.and_then(|()| {
        step(
            11,
            "A batch of milk powder from farm to shop: a consumer checks its provenance offline",
        );
        provenance_step(&demo, &ledger_dir)
    });

    // `--chain URL` (feature `evm`): step 12 anchors step 8's ledger
    #[cfg(feature = "evm")]
    let (result, anchored_on) = match (result, &a.chain) {
        (Ok(()), Some(url)) => {
            step(
                12,
                "The bank anchors the ledger of step 8 on an EVM chain; the regulator checks an anchor receipt",
            );
            match chain_step(
                &demo,
                url,
                a.evm_key_file.as_deref(),
                a.contract.as_deref(),
                &db,
            )
            .and_then(|chain_id| {
                step(
                    13,
                    "A bank escrows ether for an exporter in a financing contract; a Groth16 proof that its registered orders add up to ≥ 1 000 000.00 pays it",
                );
                trade_chain_step(url).map(|()| chain_id)
            }) {
                Ok(chain_id) => (Ok(()), Some(chain_id)),
                Err(e) => (Err(e), None),
            }
        }
        (r, _) => (r, None),
    };
    #[cfg(not(feature = "evm"))]
    let anchored_on: Option<u64> = None;
    if demo.dir.is_none() {
        let _ = std::fs::remove_dir_all(&ledger_dir);
    }
    result?;

    println!();
    match anchored_on {
        None => println!(
            "Done: sealed, shared, granted, revoked, tamper-checked, attested, logged, proven and notarised, all offline."
        ),
        Some(chain_id) => println!(
            "Done: sealed, shared, granted, revoked, tamper-checked, attested, logged and proven offline; the ledger is anchored on chain {chain_id}, where a trade-finance deal was paid on proof."
        ),
    }
    if let Some(dir) = &demo.dir {
        println!("Artefacts are in {}. Try:", dir.display());
        println!(
            "   causeway evidence verify {} --file {} --log-key {} --origin {}",
            dir.join("exhibit-12.cwev").display(),
            dir.join("exhibit-12.pdf").display(),
            dir.join("northwind-ledger.pub").display(),
            ledger_proof::ORIGIN
        );
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
        println!(
            "   causeway trace verify {} --log-key {} --origin {} --policy {}",
            dir.join("provenance-bundle.cw").display(),
            dir.join("trace-log.pub").display(),
            provenance::ORIGIN,
            dir.join("provenance-policy.json").display()
        );
    }
    Ok(())
}

/// Step 10 ([`evidence`]): prints what the regulator's certificate check established and the
/// refusals, and writes the file, its sealed copy and the certificate.
fn evidence_step(demo: &Demo, db: &std::path::Path) -> Result<(), CliError> {
    let n = evidence::run(&demo.cast, db).map_err(step_err)?;
    let f = &n.facts;
    ok(&format!(
        "notarised by {}: {} bytes, sha256 {}…, {}, label \"{}\" (entry {}; sealed copy for {}: entry {})",
        demo.cast.name(&f.submitter),
        f.length,
        hex::encode(&f.sha256[..8]),
        f.media_type,
        f.label,
        n.index,
        demo.cast.name(&demo.cast.regulator.key_id()),
        n.sealed_index
    ));
    ok(&format!(
        "evidence certificate: {} bytes; verified offline in {:.1} ms with the bank's log key and origin: this exact file was recorded by {} at {} in {} (entry {} of a checkpoint of {} entries)",
        n.certificate.len(),
        n.verify_time.as_secs_f64() * 1000.0,
        demo.cast.name(&f.submitter),
        crate::evidence_cmd::utc(f.time_ms),
        f.origin,
        f.index,
        f.log_size
    ));
    ok("the regulator's sealed copy opens and is the notarised file");
    for (what, e) in &n.refusals {
        refused(&format!("{what}: {}", e.code()));
    }
    demo.save("exhibit-12.pdf", &evidence::exhibit())?;
    demo.save("exhibit-12.pdf.cws", &n.sealed_copy)?;
    demo.save("exhibit-12.cwev", &n.certificate)?;
    demo.save(
        "northwind-ledger.pub",
        demo.cast.bank.public().to_text().as_bytes(),
    )?;
    Ok(())
}

/// Step 11 ([`provenance`]): the milk powder lot's trace log in `dir` (`trace.db`), its
/// provenance bundle verified, the two refusals; writes the bundle, the policy and the log key.
fn provenance_step(demo: &Demo, dir: &std::path::Path) -> Result<(), CliError> {
    let db = dir.join("trace.db");
    let _ = std::fs::remove_file(&db);
    let chain = provenance::Chain::generate().map_err(step_err)?;
    let t0 = causeway::ledger::receipt::unix_millis_now().saturating_sub(5 * 3_600_000);
    let t = provenance::run(&chain, &db, t0).map_err(step_err)?;
    ok(&format!(
        "the farm, the lab, the carrier and the shop recorded 5 signed trace events of {} in the co-op's trace log, each chained to the one before",
        provenance::LOT
    ));
    ok(&format!(
        "the consumer verified the {}-byte provenance bundle offline with the co-op's log key and a trust policy:",
        t.bundle.len()
    ));
    for line in t.verified.timeline_text().lines().skip(1) {
        println!("     {}", line.trim_start());
    }
    ok(&format!(
        "the shop opened the lab report sealed for it and linked from the inspection ({} bytes)",
        t.lab_report.len()
    ));
    refused(&format!(
        "one changed byte in the farm's event: {}",
        t.tampered_refused
    ));
    refused(&format!(
        "a reseller's \"sold\" event under a key the policy does not trust: {}",
        t.unauthorised_refused
    ));
    demo.save("provenance-bundle.cw", &t.bundle)?;
    demo.save("provenance-policy.json", t.policy.to_json().as_bytes())?;
    demo.save("trace-log.pub", t.log_key.to_text().as_bytes())?;
    Ok(())
}

/// Step 9 ([`trade_finance`]): prints what the step established and writes its artefacts.
fn trade_finance_step(demo: &Demo, now: u64) -> Result<(), CliError> {
    let t = trade_finance::run(now).map_err(step_err)?;
    ok(&format!(
        "the port registry attested {} export orders of Acme Exports (amounts only as commitments)",
        trade_finance::TRADE_ORDERS
    ));
    ok(&format!(
        "Groth16 keys for {} made in {:.1} s (single-party setup: whoever runs it is trusted; see docs/groth16-ceremony.md)",
        t.circuit,
        t.setup_time.as_secs_f64()
    ));
    if let Some(dir) = &demo.dir {
        t.keys
            .save_dir(&dir.join("groth16-keys"))
            .map_err(|e| fail(&format!("saving the Groth16 keys: {e}")))?;
    }
    demo.save(
        "trade-presentation.json",
        t.presentation.to_json_string().as_bytes(),
    )?;
    demo.save(
        "trade-challenge.txt",
        format!("{}\n", t.challenge).as_bytes(),
    )?;
    demo.save(
        "port-registry.pub",
        format!("{}\n", t.registry.to_text()).as_bytes(),
    )?;
    ok(&format!(
        "Acme Exports proved \"{}\" in {:.1} s: one {}-byte Groth16 proof in a {}-byte presentation",
        t.claim,
        t.prove_time.as_secs_f64(),
        causeway::snark::PROOF_BYTES,
        t.presentation_len
    ));
    ok(&format!(
        "Northwind Bank verified {} orders' total ≥ 2 000 000.00 in {:.0} ms with key {}…, seeing no order",
        t.verified_orders,
        t.verify_time.as_secs_f64() * 1000.0,
        t.key_id.get(..24).unwrap_or(&t.key_id)
    ));
    refused(&format!(
        "a proof of \"{}\" (the true total is 2 500 000.00): {}",
        trade_finance::TOO_HIGH,
        t.too_high_refused
    ));
    refused(&format!(
        "the genuine proof re-signed as \"{}\": {}",
        trade_finance::EDITED,
        t.edited_refused
    ));
    refused(&format!(
        "the same presentation replayed to another challenge: {}",
        t.replay_refused
    ));
    refused(&format!(
        "the first order presented four times: {}",
        t.repeated_refused
    ));
    Ok(())
}

/// Step 13 (`causeway_examples::trade_chain`): trade finance paid on chain, on a local dev
/// node (two fresh accounts funded by the node: the bank and the port authority).
#[cfg(feature = "evm")]
fn trade_chain_step(url: &str) -> Result<(), CliError> {
    use crate::verify_anchor_cmd::anchor_err;
    use causeway_examples::{anchoring, trade_chain};
    let node = causeway::anchor::evm::EvmNode::connect(url, None).map_err(anchor_err)?;
    let fund = || {
        anchoring::fund_dev_account(&node).map_err(|e| {
            anchor_err(e).hint("step 13 needs a local dev node (anvil) that funds fresh accounts")
        })
    };
    let (bank, _) = fund()?;
    let (authority, authority_addr) = fund()?;
    println!(
        "   the port authority (account 0x{}) attests the exporter's orders and registers their roots in an IssuerRegistry; it revokes a third",
        hex::encode(authority_addr)
    );
    let t = trade_chain::run(url, &bank, &authority).map_err(|e| match e {
        StepError::Sdk(causeway::Error::Anchor(e)) => anchor_err(e),
        other => step_err(other),
    })?;
    println!(
        "   deployed TradeFinance at 0x{} (verifier 0x{} for {}, generated Poseidon contract); {} gas",
        hex::encode(t.contract),
        hex::encode(t.verifier.0),
        t.verifier.1,
        t.gas.deploy
    );
    println!(
        "   the bank opens two deals, escrowing 1 ether each, payable on proof of ≥ 1 000 000.00 until a deadline ({} gas each)",
        t.gas.deposit
    );
    // the first three refusals precede the payout, the others follow it
    for (i, (what, why)) in t.refused.iter().enumerate() {
        if i == 3 {
            println!(
                "   ✓ the exporter's proof over two registered orders pays it {} wei on chain {} ({} gas, Poseidon and Groth16 included)",
                t.exporter.1, t.chain_id, t.gas.payout
            );
        }
        println!("   ✗ {what} (refused: {}, nothing paid)", why.name());
    }
    println!(
        "   ✓ after the deadline the second deal is refunded to the bank ({} gas)",
        t.gas.refund
    );
    Ok(())
}

/// Step 12 (`causeway_examples::anchoring`): anchors the ledger of step 8 (at `db`, the bank
/// as log operator) on the node, writes an anchor receipt for the grant (entry 1) and verifies
/// it online and offline. Returns the chain id.
#[cfg(feature = "evm")]
fn chain_step(
    demo: &Demo,
    url: &str,
    evm_key_file: Option<&std::path::Path>,
    contract: Option<&str>,
    db: &std::path::Path,
) -> Result<u64, CliError> {
    use crate::verify_anchor_cmd::{anchor_err, parse_address};
    use causeway::ledger::sqlite::LocalLedger;
    use causeway_examples::anchoring;
    let cast = &demo.cast;
    let ledger = LocalLedger::open(db)?;
    if *ledger.log_key() != cast.bank.public() {
        return Err(fail("the ledger of step 8 is not the bank's"));
    }
    println!(
        "   the ledger of step 8: {}, the bank's key signs its checkpoints",
        ledger.origin()
    );
    let account = match evm_key_file {
        Some(p) => crate::anchor_cmd::read_evm_key(p)?,
        None => {
            let node = causeway::anchor::evm::EvmNode::connect(url, None).map_err(anchor_err)?;
            let (k, addr) = anchoring::fund_dev_account(&node).map_err(|e| {
                anchor_err(e)
                    .hint("not a local dev node: pass --evm-key-file with a funded account key")
            })?;
            println!(
                "   fresh account 0x{}, funded on the local dev node",
                hex::encode(addr)
            );
            k
        }
    };
    let contract = contract.map(parse_address).transpose()?;
    let a =
        anchoring::run(url, &account, contract, &ledger, cast.bank.keys(), 1).map_err(
            |e| match e {
                StepError::Sdk(causeway::Error::Anchor(e)) => anchor_err(e),
                other => step_err(other),
            },
        )?;
    let rec = &a.record;
    if let Some((addr, block)) = a.deployed {
        println!(
            "   deployed AnchorRegistry at 0x{} on chain {} (block {block}); the bank may anchor {}",
            hex::encode(addr),
            a.chain_id,
            ledger.origin()
        );
    }
    println!(
        "   anchored {} size {} (anchored value {}…, root and revocation line) in block {} (tx 0x{}…, {} gas)",
        rec.origin,
        rec.size,
        hex::encode(rec.root.get(..8).unwrap_or_default()),
        rec.block_number,
        hex::encode(rec.tx_hash.get(..8).unwrap_or_default()),
        a.gas
    );
    println!(
        "   final at the node's `finalized` block after {:.1} s{}",
        a.final_after.as_secs_f64(),
        if a.dev_node {
            " (blocks mined on the dev node)"
        } else {
            ""
        }
    );
    println!(
        "   ✓ anchor receipt for entry 1 verifies online (chain {}, finalized) and offline",
        a.chain_id
    );
    println!(
        "   ✗ the same receipt checked for chain {} (refused, as it should be)",
        a.other_chain_id
    );
    let receipt = &a.receipt;
    let bytes = receipt
        .to_bytes()
        .map_err(|e| CliError::input(e.to_string()))?;
    demo.save(
        "grant.anchor-receipt",
        causeway::encoding::b64u_encode(&bytes).as_bytes(),
    )?;
    demo.save(
        "northwind-ledger.pub",
        cast.bank.public().to_text().as_bytes(),
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

/// A field for the demo's report ([`Value`]'s `Display`; the demo shows numbers only).
fn field(r: &Record, name: &str) -> String {
    r.get(name).map_or_else(|| "?".into(), Value::to_string)
}

/// Step 8 ([`ledger_proof`]): prints the entries, the checkpoint and the regulator's proof,
/// and writes the checkpoint.
fn ledger_step(
    demo: &Demo,
    db: &std::path::Path,
    v0: &causeway::seal::Sealed,
    v0g: &causeway::seal::Sealed,
    v1: &causeway::seal::Sealed,
) -> Result<(), CliError> {
    let logged = ledger_proof::run(&demo.cast, db, v0, v0g, v1).map_err(step_err)?;
    for (index, r) in &logged.entries {
        println!(
            "   entry {index}: {} (signed by Northwind Bank, durable)",
            r.event().kind_name()
        );
    }
    println!("   signed checkpoint (C2SP signed note):");
    for line in logged.note.lines() {
        println!("   | {line}");
    }
    demo.save("checkpoint.txt", logged.note.as_bytes())?;
    let index = ledger_proof::PROVEN_ENTRY;
    let cp = &logged.checkpoint;
    println!(
        "   inclusion proof for entry {index} (the revocation of Harbor Credit), {} hashes:",
        logged.proof.len()
    );
    for h in &logged.proof {
        println!("   | {}", hex_short(h));
    }
    ok(&format!(
        "the regulator verified: entry {index} is in {} at size {} (root {}…)",
        ledger_proof::ORIGIN,
        cp.size,
        hex_short(&cp.root)
    ));
    refused(&format!(
        "another receipt presented with the same proof: {}",
        logged.forged_refused
    ));
    ok(&format!(
        "audit replayed the log: {} receipts with valid signatures, {} checkpoint(s), root consistent",
        logged.audit.entries, logged.audit.checkpoints
    ));
    Ok(())
}

fn hex_short(h: &[u8; 32]) -> String {
    let full: String = h.iter().map(|b| format!("{b:02x}")).collect();
    full.chars().take(16).collect()
}
