//! Writes the fuzzers' seed corpus (`fuzz/corpus/TARGET/`): valid objects of every format the
//! fuzz targets parse, made with the public API, for the fuzzer to mutate. After a wire format
//! changes, run `cargo test -p causeway-tests --test fuzz_corpus -- --ignored` and commit
//! `fuzz/corpus/`. Deterministic (a fixed RNG), so a re-run rewrites only what changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use causeway::anchor::{AnchorReceipt, AnchorRecord, ChainRef};
use causeway::attest::{self, RevocationHandle, RevocationList, Terms};
use causeway::commit::FieldCommitment;
use causeway::ledger::bundle::{BundleProof, ProofBundle};
use causeway::ledger::revocation::{RevocationEntry, RevokedEvidence};
use causeway::ledger::{Checkpoint, Receipt, SignedCheckpoint};
use causeway::party::{Party, SecretKeys};
use causeway::presentation::{Challenge, Presentation};
use causeway::record::{Record, Value};
use causeway::seal::{stream, Sealed};
use causeway::snark::membership::{prove_membership, Leaves, MemberSecret, ProvenMembership};
use causeway::snark::{self, Circuit, KeyRing};
use causeway::statement::{Backend, Statement};

/// A fixed, insecure RNG (ChaCha-free to keep the dependency set small): SplitMix64.
struct Fixed(u64);
impl rand_core::RngCore for Fixed {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for c in dest.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            c.copy_from_slice(&v[..c.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl rand_core::CryptoRng for Fixed {}

fn put(target: &str, name: &str, bytes: &[u8]) {
    let dir = causeway_tests::crate_dir()
        .join("../fuzz/corpus")
        .join(target);
    fs::create_dir_all(&dir).expect("create corpus dir");
    fs::write(dir.join(name), bytes).expect("write seed");
}

#[test]
#[ignore = "writes fuzz/corpus: run by hand after a format change"]
fn write_seed_corpus() -> Result<(), Box<dyn std::error::Error>> {
    let rng = &mut Fixed(2026);
    // The targets open and verify as this party (fuzz_targets/common.rs).
    let me = Party::from_keys(SecretKeys::from_seeds(&[7u8; 32], &[9u8; 32]));
    let other = Party::generate_with_rng(rng);
    let issuer = SecretKeys::generate_with_rng(rng);

    let record = Record::new("kyc/customer/v1")?
        .with("credit_score", Value::Int(712))?
        .with("annual_income", Value::decimal("86500.00")?)?
        .with("born", Value::date("1988-06-14")?)?
        .with("name", Value::String("Alice Example".into()))?
        .with("pep", Value::Bool(false))?;
    put("record", "record.bin", &record.to_bytes());
    put("record", "record.json", record.to_json_string().as_bytes());

    // keys
    put("keys", "public.txt", me.public().to_text().as_bytes());
    put(
        "keys",
        "public.bin",
        &causeway::wire::Wire::to_bytes(&me.public())?,
    );
    put(
        "keys",
        "public.jwk.json",
        me.public().to_jwk_set().as_bytes(),
    );
    put(
        "keys",
        "secret.txt",
        me.keys().to_text().expose().as_bytes(),
    );
    put(
        "keys",
        "secret.jwk.json",
        me.keys().to_jwk_set().expose().as_bytes(),
    );
    let mut rotated = Party::from_keys(SecretKeys::generate_with_rng(rng));
    rotated.rotate_with_rng(rng);
    put(
        "keys",
        "keyfile.txt",
        rotated.to_secret_text().expose().as_bytes(),
    );

    // sealed records and streams
    let sealed = Sealed::seal_record_with_rng(&other, &[me.public()], &record, rng)?;
    put("sealed", "record.bin", &sealed.to_bytes());
    put("sealed", "record.jwe.json", sealed.to_jwe_json().as_bytes());
    let bytes = Sealed::seal_bytes_with_rng(&me, &[other.public()], b"hello", rng)?;
    put("sealed", "bytes.bin", &bytes.to_bytes());
    let mut out = Vec::new();
    stream::seal_stream_with_rng(
        &other,
        &[me.public()],
        &[5u8; 3000][..],
        &mut out,
        &mut |_| {},
        rng,
    )?;
    put("stream", "stream.bin", &out);

    // attestations, attested records, revocation lists, presentations
    let terms = Terms {
        subject: me.key_id(),
        not_before: 1_700_000_000,
        not_after: 1_900_000_000,
    };
    let held = attest::issue_with_rng(&issuer, &record, &terms, rng)?;
    put(
        "attestation",
        "attestation.bin",
        &held.attestation().to_bytes(),
    );
    put(
        "attestation",
        "attestation.txt",
        held.attestation().to_text().as_bytes(),
    );
    put("attestation", "attested-record.bin", &held.to_bytes());
    let list = RevocationList::new(&issuer, 1_800_000_000, vec![RevocationHandle([3; 32])])?;
    put("attestation", "revocation-list.bin", &list.to_bytes());
    let challenge = Challenge::random_with_rng(rng);
    let statements = [
        Statement::parse("credit_score >= 700", 1)?,
        Statement::parse("annual_income in [50000, 120000]", 1)?,
        Statement::parse("born < 2008-01-01", 1)?,
        Statement::parse("credit_score != 0", 1)?,
    ];
    let p = Presentation::create_with_rng(
        me.keys(),
        &[&held],
        &[(0, "name")],
        &statements,
        &challenge,
        rng,
    )?;
    put("presentation", "bulletproofs.bin", &p.to_bytes());
    put(
        "presentation",
        "bulletproofs.json",
        p.to_json().to_string().as_bytes(),
    );
    for (i, s) in [
        "credit_score >= 700",
        "sum(amount@0,1,2) >= 1000000",
        "x@1 != 0",
        "dob < 2008-11-21",
        "income in [50000, 120000]",
    ]
    .iter()
    .enumerate()
    {
        let mut seed = vec![3u8];
        seed.extend_from_slice(s.as_bytes());
        put("statement", &format!("text-{i}"), &seed);
    }

    // Groth16: the attribute circuit's key, a presentation's proof, snarkjs JSON
    let pk = Circuit::Attribute.setup_with_rng(rng)?;
    let vk = pk.verifying_key().clone();
    let mut seed = vec![0u8];
    seed.extend_from_slice(&vk.to_bytes());
    put("groth16", "vk.bin", &seed);
    put(
        "snarkjs_json",
        "vk.json",
        snark::vk_to_snarkjs_json(&vk).as_bytes(),
    );
    let mut ring = KeyRing::new();
    ring.insert(Circuit::Attribute, pk);
    let g = Presentation::create_with_backend_rng(
        me.keys(),
        &[&held],
        &[],
        &statements[..1],
        &challenge,
        (Backend::Groth16, &ring),
        rng,
    )?;
    put("presentation", "groth16.bin", &g.to_bytes());
    if let Some(proof) = g.groth16_proofs().first() {
        let mut seed = vec![2u8];
        seed.extend_from_slice(&proof.to_bytes());
        put("groth16", "proof.bin", &seed);
        let mut seed = vec![3u8];
        seed.extend_from_slice(&proof.to_bytes());
        seed.extend_from_slice(&vk.to_bytes());
        put("groth16", "proof-and-vk.bin", &seed);
        put(
            "snarkjs_json",
            "proof.json",
            snark::proof_to_snarkjs_json(proof).as_bytes(),
        );
    }
    if let Some((_, inputs)) = g.groth16_public_inputs(&challenge)?.first() {
        put(
            "snarkjs_json",
            "public.json",
            snark::public_to_snarkjs_json(inputs).as_bytes(),
        );
    }

    // ledger: receipts and checkpoints
    let r = Receipt::sealed_from(
        other.keys(),
        "causeway.example/log",
        1_800_000_000_000,
        &sealed,
        None,
    )?;
    put("receipt", "sealed.bin", r.as_bytes());
    let cp = Checkpoint {
        origin: "causeway.example/log".into(),
        size: 42,
        root: r.leaf_hash(),
        extensions: vec![Checkpoint::revocations_line(0, &[0u8; 32])],
    };
    put(
        "checkpoint",
        "checkpoint.txt",
        cp.sign("causeway.example/log", me.keys())?.as_bytes(),
    );
    let mut seed = Vec::new();
    seed.extend_from_slice(&3u64.to_le_bytes());
    seed.extend_from_slice(&7u64.to_le_bytes());
    for _ in 0..5 {
        seed.extend_from_slice(&r.leaf_hash());
    }
    put("revocation", "paths.bin", &seed);

    // an anchor receipt over a one-entry log (offline form: the fuzz target only decodes)
    let one = Checkpoint {
        origin: "causeway.example/log".into(),
        size: 1,
        root: r.leaf_hash(),
        extensions: vec![Checkpoint::revocations_line(0, &[0u8; 32])],
    };
    let record = AnchorRecord {
        origin: one.origin.clone(),
        size: 1,
        root: one.root,
        chain: ChainRef {
            chain_id: 31337,
            contract: [0x5f; 20],
        },
        block_number: 12,
        block_hash: [0xbb; 32],
        tx_hash: [0xcc; 32],
        submitter: [0xdd; 20],
    };
    let mut receipt = AnchorReceipt {
        entry: r.clone(),
        index: 0,
        inclusion: vec![],
        checkpoint: SignedCheckpoint::sign(&one, "causeway.example/log", me.keys())?,
        consistency: vec![],
        anchored: AnchorReceipt::statement(me.keys(), 1_800_000_000_001, &record)?,
        block_hash: record.block_hash,
        anchored_checkpoint: None,
    };
    // Version 1 (an anchor of the bare root), then version 2 (carries the anchored note).
    put("anchor_receipt", "receipt-v1.bin", &receipt.to_bytes()?);
    receipt.anchored_checkpoint = Some(SignedCheckpoint::sign(
        &one,
        "causeway.example/log",
        me.keys(),
    )?);
    put("anchor_receipt", "receipt.bin", &receipt.to_bytes()?);

    // proof bundles (JSON) over the same one-entry log: inclusion and consistency (version 2)
    // and a revocation bundle with one revocation listed
    let signed = SignedCheckpoint::sign(&one, "causeway.example/log", me.keys())?;
    let inclusion = ProofBundle::new(
        signed.clone(),
        BundleProof::Inclusion {
            index: 0,
            receipt: r.as_bytes().to_vec(),
            proof: vec![],
        },
    );
    put("bundle", "inclusion.json", inclusion.to_json()?.as_bytes());
    let consistency = ProofBundle::new(
        signed.clone(),
        BundleProof::Consistency {
            old_size: 1,
            old_root: one.root,
            proof: vec![],
            old_checkpoint: Some(signed.clone()),
        },
    );
    put(
        "bundle",
        "consistency.json",
        consistency.to_json()?.as_bytes(),
    );
    let revocation = ProofBundle::new(
        signed,
        BundleProof::Revocation {
            revocation_handle: RevocationHandle([0xab; 32]),
            issuer: other.public().key_id(),
            revocations: vec![RevocationEntry {
                index: 0,
                revocation_handle: [0xab; 32],
                issuer: other.public().key_id(),
            }],
            revoked: Some(RevokedEvidence {
                index: 0,
                receipt: r.as_bytes().to_vec(),
                inclusion: vec![],
            }),
        },
    );
    put(
        "bundle",
        "revocation.json",
        revocation.to_json()?.as_bytes(),
    );

    // membership: a leaves file, a member secret, and proof JSON with and without a nullifier
    // (depth 2, real proofs)
    let secrets: Vec<MemberSecret> = (0..3).map(|_| MemberSecret::random_with_rng(rng)).collect();
    let leaves = Leaves::new(secrets.iter().map(MemberSecret::leaf).collect())?;
    put("membership", "leaves.txt", leaves.to_text().as_bytes());
    put("membership", "secret.txt", secrets[1].to_hex().as_bytes());
    let tree = leaves.tree(2)?;
    let mut ctx = [0u8; 32];
    ctx[31] = 7;
    for (name, ctx) in [
        ("proof.json", None),
        (
            "proof-nullifier.json",
            Some(FieldCommitment::from_bytes(&ctx)?),
        ),
    ] {
        let st = tree.statement(ctx);
        let mut ring = KeyRing::new();
        ring.insert(st.circuit(), st.circuit().setup_with_rng(rng)?);
        let proof = prove_membership(
            Backend::Groth16,
            &ring,
            &st,
            &tree.witness(&secrets[1])?,
            &challenge,
            rng,
        )?;
        let proven = ProvenMembership {
            statement: st,
            proof,
        };
        put("membership", name, proven.to_json().as_bytes());
    }

    // Bulletproofs range proofs from the shared vectors
    let dir = causeway_tests::crate_dir().join("vectors/range");
    for e in fs::read_dir(dir)? {
        let path = e?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !name.starts_with("ok-") {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path)?)?;
        if let Some(h) = v["proof"].as_str() {
            put(
                "range_proof",
                &name.replace(".json", ".bin"),
                &hex::decode(h).map_err(|e| e.to_string())?,
            );
        }
    }
    Ok(())
}
