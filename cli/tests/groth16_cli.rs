//! `causeway setup`, `present --backend groth16 --keys DIR` and `verify --keys DIR` end to end,
//! with the refusals: another challenge, keys from another setup, a tampered proof, a tampered
//! key file, missing keys, a false claim. One test so the setups run once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use base64::Engine;
use std::path::{Path, PathBuf};

mod common;
use common::{attest, keygen, ok, pubkey, run, s, stderr};

#[test]
fn setup_present_verify_groth16_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| -> PathBuf { dir.path().join(n) };
    for k in ["issuer.key", "exporter.key"] {
        keygen(&p(k));
    }
    let exporter = pubkey(&p("exporter.key"));
    let issuer = pubkey(&p("issuer.key"));
    // Four orders: 2,500,000.00 in total.
    let mut attested = Vec::new();
    for (i, amount) in ["900000.00", "600000.00", "550000.00", "450000.00"]
        .iter()
        .enumerate()
    {
        let rec = p(&format!("order{i}.json"));
        std::fs::write(
            &rec,
            format!(
                r#"{{"schema":"trade/order/v1","fields":{{"amount":{{"type":"decimal","value":"{amount}"}},"order_id":{{"type":"int","value":{i}}}}}}}"#
            ),
        )
        .unwrap();
        let held = p(&format!("order{i}.att"));
        attest(&p("issuer.key"), &rec, &exporter, &held);
        attested.push(held);
    }

    // setup: content-addressed keys filed in keys.json, and the trust it implies stated.
    let keys = p("keys");
    for st in ["sum:4", "attribute"] {
        let out = run(&["setup", "--statement", st, "--out", s(&keys)]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("Trust: this key pair comes from a single-party setup"));
        // the digest of the whole proving key is printed (the key id covers only the vk)
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("pk digest:     groth16pk1"),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(keys.join("keys.json")).unwrap()).unwrap();
    for st in ["sum:4", "attribute"] {
        let id = manifest["keys"][st].as_str().unwrap();
        assert!(keys.join(format!("{id}.pk")).exists());
        assert!(keys.join(format!("{id}.vk")).exists());
        // ... and filed beside it in the manifest, checked when the key is loaded
        let digest = manifest["provingKeyDigests"][id].as_str().unwrap();
        let pk = std::fs::read(keys.join(format!("{id}.pk"))).unwrap();
        assert_eq!(
            causeway::snark::ProvingKey::digest_of_bytes(&pk).to_text(),
            digest
        );
    }
    let out = run(&["setup", "--statement", "sum:65", "--out", s(&keys)]);
    assert_eq!(out.status.code(), Some(1));

    let challenge = ok(&["challenge"]).trim().to_owned();
    let present = |claims: &[&str], keys_dir: Option<&Path>, n: usize, out: &Path| {
        let mut args: Vec<String> = vec![
            "present".into(),
            "-k".into(),
            s(&p("exporter.key")).into(),
            "--backend".into(),
            "groth16".into(),
            "--challenge".into(),
            challenge.clone(),
            "-o".into(),
            s(out).into(),
        ];
        if let Some(k) = keys_dir {
            args.extend(["--keys".into(), s(k).into()]);
        }
        for a in attested.iter().take(n) {
            args.extend(["-a".into(), s(a).into()]);
        }
        for c in claims {
            args.extend(["--prove".into(), (*c).into()]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs)
    };
    let verify = |pres: &Path, keys_dir: Option<&Path>, chal: &str| {
        let mut args = vec![
            "--json",
            "verify",
            "-i",
            s(pres),
            "--issuer",
            &issuer,
            "--challenge",
            chal,
        ];
        if let Some(k) = keys_dir {
            args.extend(["--keys", s(k)]);
        }
        run(&args)
    };

    let pres = p("p.json");
    let out = present(
        &["sum(amount) >= 2000000", "amount@1 in [500000, 700000]"],
        Some(&keys),
        4,
        &pres,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let view: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pres).unwrap()).unwrap();
    assert_eq!(view["backend"], "groth16");
    let out = verify(&pres, Some(&keys), &challenge);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["backend"], "groth16");
    assert_eq!(v["statements"][0], "sum(amount@0,1,2,3) >= 2000000");
    assert_eq!(v["statements"][1], "amount@1 in [500000, 700000]");

    // A verifier requiring another back-end: refused.
    let out = run(&[
        "verify",
        "-i",
        s(&pres),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
        "--keys",
        s(&keys),
        "--backend",
        "bulletproofs",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("proven with groth16"),
        "{}",
        stderr(&out)
    );

    // Another challenge: refused (exit 3).
    let other = ok(&["challenge"]).trim().to_owned();
    assert_eq!(verify(&pres, Some(&keys), &other).status.code(), Some(3));
    // No keys: a clear error.
    let out = verify(&pres, None, &challenge);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--keys"), "{}", stderr(&out));
    // Keys from another setup: refused, naming the key mismatch.
    let keys2 = p("keys2");
    for st in ["sum:4", "attribute"] {
        ok(&["setup", "--statement", st, "--out", s(&keys2)]);
    }
    let out = verify(&pres, Some(&keys2), &challenge);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("made with key"), "{}", stderr(&out));

    // A tampered proof (one byte of the last proof's points, in the binary form): refused.
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(view["bytes"].as_str().unwrap())
        .unwrap();
    for back in [64 + 1, 64 + 50, 64 + 127] {
        let mut t = bytes.clone();
        let i = t.len() - back;
        t[i] ^= 0x01;
        let tampered = p("tampered.cw");
        std::fs::write(&tampered, &t).unwrap();
        let out = verify(&tampered, Some(&keys), &challenge);
        assert!(!out.status.success());
        assert!(out.stdout.is_empty());
    }

    // A tampered key file: refused when loading, before any proof is checked.
    let id = manifest["keys"]["sum:4"].as_str().unwrap();
    let manifest2: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(keys2.join("keys.json")).unwrap()).unwrap();
    let id2 = manifest2["keys"]["sum:4"].as_str().unwrap();
    assert_ne!(id, id2);
    let vk_file = keys.join(format!("{id}.vk"));
    let good = std::fs::read(&vk_file).unwrap();
    std::fs::copy(keys2.join(format!("{id2}.vk")), &vk_file).unwrap();
    let out = verify(&pres, Some(&keys), &challenge);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("does not match its key id"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&vk_file, good).unwrap();
    assert!(verify(&pres, Some(&keys), &challenge).status.success());

    // A false claim, a missing key shape and an unsupported statement: clear errors.
    let out = present(&["sum(amount) >= 2500000.01"], Some(&keys), 4, &p("x.json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("false"), "{}", stderr(&out));
    let out = present(&["sum(amount) >= 1"], Some(&keys), 2, &p("x.json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("sum:2"), "{}", stderr(&out));
    let out = present(&["sum(amount) <= 3000000"], Some(&keys), 4, &p("x.json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot prove"), "{}", stderr(&out));
    let out = present(&["amount >= 1"], None, 1, &p("x.json"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--keys"), "{}", stderr(&out));
    assert!(!p("x.json").exists());

    // issue 11 item 6: the old `prove --backend groth16` / `verify-proof` path (no holder
    // binding, no subject check, no revocation, type tag and bounds from the prover) is gone:
    // both commands refuse, pointing at `present` / `verify`, and write nothing.
    let pk = keys.join(format!("{id}.pk"));
    let vk = keys.join(format!("{id}.vk"));
    let proof = p("proof.json");
    let mut args = vec![
        "prove",
        "--backend",
        "groth16",
        "--pk",
        s(&pk),
        "--field",
        "amount",
        "--sum-at-least",
        "200000000",
        "--challenge",
        &challenge,
        "-o",
        s(&proof),
    ];
    for a in &attested {
        args.extend(["-a", s(a)]);
    }
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("was removed"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("causeway present"),
        "{}",
        stderr(&out)
    );
    assert!(!proof.exists());
    std::fs::write(&proof, "{}").unwrap();
    let out = run(&[
        "verify-proof",
        "--backend",
        "groth16",
        "--vk",
        s(&vk),
        "-i",
        s(&proof),
        "--issuer",
        &issuer,
        "--challenge",
        &challenge,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("causeway verify"), "{}", stderr(&out));
    // The attack that path allowed: summing another company's invoices. Through `present`, a
    // holder cannot use attestations whose subject is someone else, alone or mixed with its own.
    keygen(&p("other.key"));
    let foreign = p("foreign.att");
    ok(&[
        "attest",
        "-k",
        s(&p("issuer.key")),
        "-i",
        s(&p("order0.json")),
        "--subject",
        ok(&["pubkey", "-k", s(&p("other.key"))]).trim(),
        "-o",
        s(&foreign),
    ]);
    let mixed = p("mixed.json");
    let mut args: Vec<String> = [
        "present",
        "-k",
        s(&p("exporter.key")),
        "--backend",
        "groth16",
        "--keys",
        s(&keys),
        "--challenge",
        &challenge,
        "-o",
        s(&mixed),
        "--prove",
        "sum(amount) >= 2000000",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    for a in attested.iter().take(3) {
        args.extend(["-a".into(), s(a).into()]);
    }
    args.extend(["-a".into(), s(&foreign).into()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&refs);
    assert!(!out.status.success(), "a foreign attestation was summed");
    assert!(stderr(&out).contains("not the subject"), "{}", stderr(&out));
    assert!(!mixed.exists());

    // Membership with a nullifier (Groth16 only).
    let secret = format!("{:064x}", 0x5ec12e7u64);
    let secret_file = |name: &str, secret: &str| -> PathBuf {
        let f = p(name);
        std::fs::write(&f, secret).unwrap();
        f
    };
    let leaf = ok(&[
        "membership",
        "leaf",
        "--secret-file",
        s(&secret_file("member.secret", &secret)),
    ])
    .trim()
    .to_owned();
    let mut list: Vec<String> = (1..12u64).map(|i| format!("{i:064x}")).collect();
    list.insert(5, leaf);
    let leaves = p("leaves.txt");
    std::fs::write(&leaves, list.join("\n")).unwrap();
    let root = ok(&["membership", "root", "--leaves", s(&leaves), "--depth", "4"])
        .trim()
        .to_owned();
    ok(&[
        "setup",
        "--statement",
        "membership:4:nullifier",
        "--out",
        s(&keys),
    ]);
    let ctx = format!("{:064x}", 2026u64);
    let mproof = p("member.json");
    let mprove = |backend: &str, secret: &str| {
        run(&[
            "membership",
            "prove",
            "--backend",
            backend,
            "--keys",
            s(&keys),
            "--leaves",
            s(&leaves),
            "--depth",
            "4",
            "--secret-file",
            s(&secret_file("prove.secret", secret)),
            "--nullifier-context",
            &ctx,
            "--challenge",
            &challenge,
            "-o",
            s(&mproof),
        ])
    };
    let out = mprove("groth16", &secret);
    assert!(out.status.success(), "{}", stderr(&out));
    let mverify = |file: &Path, chal: &str| {
        run(&[
            "--json",
            "membership",
            "verify",
            "--keys",
            s(&keys),
            "-i",
            s(file),
            "--root",
            &root,
            "--depth",
            "4",
            "--nullifier-context",
            &ctx,
            "--challenge",
            chal,
        ])
    };
    let out = mverify(&mproof, &challenge);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&mproof).unwrap()).unwrap();
    assert_eq!(v["nullifier"], m["nullifier"]);
    assert_eq!(mverify(&mproof, &other).status.code(), Some(3));
    // another nullifier with the genuine proof: refused
    let mut forged = m.clone();
    forged["nullifier"] = serde_json::Value::String(format!("{:064x}", 7u64));
    let forged_file = p("forged.json");
    std::fs::write(&forged_file, forged.to_string()).unwrap();
    assert_eq!(mverify(&forged_file, &challenge).status.code(), Some(3));
    // Bulletproofs cannot prove membership; a non-member cannot prove at all.
    let out = mprove("bulletproofs", &secret);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bulletproofs back-end cannot prove membership"),
        "{}",
        stderr(&out)
    );
    let out = mprove("groth16", &format!("{:064x}", 99u64));
    assert_eq!(out.status.code(), Some(1));

    // issue 11 item 7: membership without a nullifier also needs the member's secret. Anyone
    // holding the public leaves file (any leaf, e.g. the member's own) cannot prove.
    ok(&["setup", "--statement", "membership:4", "--out", s(&keys)]);
    let plain = p("plain.json");
    let plain_prove = |secret: &str| {
        run(&[
            "membership",
            "prove",
            "--keys",
            s(&keys),
            "--leaves",
            s(&leaves),
            "--depth",
            "4",
            "--secret-file",
            s(&secret_file("plain.secret", secret)),
            "--challenge",
            &challenge,
            "-o",
            s(&plain),
        ])
    };
    for leaf_only in [list[5].as_str(), list[0].as_str()] {
        let out = plain_prove(leaf_only);
        assert_eq!(
            out.status.code(),
            Some(1),
            "a public leaf proved membership"
        );
        assert!(!plain.exists());
    }
    let out = plain_prove(&secret);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&[
        "membership",
        "verify",
        "--keys",
        s(&keys),
        "-i",
        s(&plain),
        "--root",
        &root,
        "--depth",
        "4",
        "--challenge",
        &challenge,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}
