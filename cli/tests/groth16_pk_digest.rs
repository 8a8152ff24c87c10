//! `present --backend groth16 --pk-digest`: the prover pins its proving key's digest (decision
//! 0079); a key directory written before proving-key format version 2 still proves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

mod common;
use common::{attest, keygen, ok, pubkey, run, s, stderr, CREDIT_RECORD};

#[test]
fn present_pins_the_proving_key_digest() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| -> PathBuf { dir.path().join(n) };
    keygen(&p("issuer.key"));
    keygen(&p("holder.key"));
    let holder = pubkey(&p("holder.key"));
    let rec = p("r.json");
    std::fs::write(&rec, CREDIT_RECORD).unwrap();
    attest(&p("issuer.key"), &rec, &holder, &p("r.att"));
    let keys = p("keys");
    let out = run(&[
        "--json",
        "setup",
        "--circuit",
        "attribute",
        "--out",
        s(&keys),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let setup: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let digest = setup["proving_key_digest"].as_str().unwrap().to_owned();
    let id = setup["key_id"].as_str().unwrap().to_owned();
    let pk_file = keys.join(format!("{id}.pk"));
    let written = std::fs::read(&pk_file).unwrap();
    assert_eq!(
        &written[..4],
        b"CW\x02\x41",
        "setup writes proving-key format version 2"
    );

    let challenge = ok(&["challenge"]).trim().to_owned();
    let (holder_key, att, pres) = (p("holder.key"), p("r.att"), p("pres.json"));
    let present = |pins: &[&str], backend: &str| {
        let mut args = vec![
            "present",
            "-k",
            s(&holder_key),
            "-a",
            s(&att),
            "--backend",
            backend,
            "--keys",
            s(&keys),
            "--challenge",
            &challenge,
            "--prove",
            "score >= 700",
            "-o",
            s(&pres),
        ];
        for d in pins {
            args.extend(["--pk-digest", d]);
        }
        run(&args)
    };
    let verify = || {
        let issuer = pubkey(&p("issuer.key"));
        run(&[
            "verify",
            "-i",
            s(&p("pres.json")),
            "--issuer",
            &issuer,
            "--challenge",
            &challenge,
            "--keys",
            s(&keys),
        ])
    };

    // The right pin: proves, and the presentation verifies.
    let out = present(&[&digest], "groth16");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(verify().status.success());
    // Another key's digest (a well-formed groth16pk1 text): refused before proving.
    let other = causeway::snark::ProvingKeyDigest::from_bytes([9; 32]).to_text();
    let out = present(&[&other], "groth16");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("digest"), "{}", stderr(&out));
    // Several pins: one must match.
    assert!(present(&[&other, &digest], "groth16").status.success());
    // Not a digest; a pin without Groth16.
    let out = present(&["groth16pk1notadigest"], "groth16");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--pk-digest"), "{}", stderr(&out));
    let out = present(&[&digest], "bulletproofs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--pk-digest"), "{}", stderr(&out));

    // A changed byte in the key file: the manifest's digest refuses it, and so does the pin.
    let mut bad = written.clone();
    let n = bad.len();
    bad[n - 7] ^= 1;
    std::fs::write(&pk_file, &bad).unwrap();
    assert_eq!(present(&[], "groth16").status.code(), Some(1));
    assert_eq!(present(&[&digest], "groth16").status.code(), Some(1));

    // A directory from before format version 2: the key file in version 1 and its version 1
    // digest in the manifest. It still proves, with or without pinning that digest.
    let pk = causeway::snark::ProvingKey::from_bytes(&written).unwrap();
    let v1 = pk.to_bytes_in(causeway::snark::ProvingKeyFormat::V1);
    std::fs::write(&pk_file, &v1).unwrap();
    let manifest_path = keys.join("keys.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let v1_digest = causeway::snark::ProvingKey::digest_of_bytes(&v1).to_text();
    std::fs::write(&manifest_path, manifest.replace(&digest, &v1_digest)).unwrap();
    let out = present(&[], "groth16");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(verify().status.success());
    assert!(present(&[&v1_digest], "groth16").status.success());
    // The version 2 digest does not pin the version 1 file.
    assert_eq!(present(&[&digest], "groth16").status.code(), Some(1));
}

/// Attested record, keys (`setup --circuit` each of `circuits`, JSON lines kept) and a
/// challenge in a fresh folder.
struct Setup {
    dir: tempfile::TempDir,
    challenge: String,
    /// (circuit, key id, pk digest)
    keys: Vec<(String, String, String)>,
}

impl Setup {
    fn new(circuits: &[&str]) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str| dir.path().join(n);
        keygen(&p("issuer.key"));
        keygen(&p("holder.key"));
        let holder = pubkey(&p("holder.key"));
        std::fs::write(p("r.json"), CREDIT_RECORD).unwrap();
        attest(&p("issuer.key"), &p("r.json"), &holder, &p("r.att"));
        let mut keys = Vec::new();
        for c in circuits {
            let out = ok(&["--json", "setup", "--circuit", c, "--out", s(&p("keys"))]);
            let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
            keys.push((
                (*c).to_owned(),
                v["key_id"].as_str().unwrap().to_owned(),
                v["proving_key_digest"].as_str().unwrap().to_owned(),
            ));
        }
        let challenge = ok(&["challenge"]).trim().to_owned();
        Setup {
            dir,
            challenge,
            keys,
        }
    }

    fn path(&self, n: &str) -> PathBuf {
        self.dir.path().join(n)
    }

    /// `--json present … --backend groth16 --keys keys EXTRA`, proving `statements` over the
    /// record attested `copies` times: (exit code, the error's core code or "").
    fn present(&self, statements: &[&str], copies: usize, extra: &[&str]) -> (i32, String) {
        let (key, att, keys, out) = (
            self.path("holder.key"),
            self.path("r.att"),
            self.path("keys"),
            self.path("pres.json"),
        );
        let mut args = vec!["--json", "present", "-k", s(&key)];
        for _ in 0..copies {
            args.extend(["-a", s(&att)]);
        }
        for st in statements {
            args.extend(["--prove", st]);
        }
        args.extend([
            "--backend",
            "groth16",
            "--keys",
            s(&keys),
            "--challenge",
            &self.challenge,
            "-o",
            s(&out),
        ]);
        args.extend_from_slice(extra);
        let out = run(&args);
        let err = stderr(&out);
        let code = err
            .trim()
            .lines()
            .last()
            .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .and_then(|v| v["code"].as_str().map(str::to_owned))
            .unwrap_or_default();
        (out.status.code().unwrap_or(-1), code)
    }

    fn verify(&self) -> bool {
        let issuer = pubkey(&self.path("issuer.key"));
        run(&[
            "verify",
            "-i",
            s(&self.path("pres.json")),
            "--issuer",
            &issuer,
            "--challenge",
            &self.challenge,
            "--keys",
            s(&self.path("keys")),
        ])
        .status
        .success()
    }
}

/// `--trust-key-manifest` (decision 0111): without it a crafted key next to a keys.json that
/// records the crafted key's own digest is refused when loaded (every point checked); with it
/// the manifest's digest is trusted and the point checks are skipped (the fast path), so the
/// same key loads and its proof is refused by the prover's self-check instead.
#[test]
fn present_trusts_the_key_manifest_only_when_told() {
    let t = Setup::new(&["attribute"]);
    let (_, id, digest) = t.keys[0].clone();
    let st = ["score >= 700"];
    // An honest directory: proves and verifies with the flag.
    assert_eq!(t.present(&st, 1, &["--trust-key-manifest"]).0, 0);
    assert!(t.verify());

    // Craft: the y coordinate of a-query point 0 (the constant's, used by every proof) moved
    // off the curve; the manifest records the crafted file's digest.
    let pk_file = t.path("keys").join(format!("{id}.pk"));
    let honest = std::fs::read(&pk_file).unwrap();
    let pk = causeway::snark::ProvingKey::from_bytes(&honest).unwrap();
    let vk_len = pk.verifying_key().to_bytes().len();
    // "CW" 02 41 | vk body (vk bytes without their 4-byte header) | beta | delta | u32 n | a[0]
    let a0_y = 4 + (vk_len - 4) + 64 + 64 + 4 + 32;
    let mut crafted = honest.clone();
    crafted[a0_y] ^= 1;
    assert!(causeway::snark::ProvingKey::from_bytes(&crafted).is_err());
    std::fs::write(&pk_file, &crafted).unwrap();
    let manifest_path = t.path("keys").join("keys.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let own = causeway::snark::ProvingKey::digest_of_bytes(&crafted).to_text();
    std::fs::write(&manifest_path, manifest.replace(&digest, &own)).unwrap();

    // Without the flag: refused at load by the point checks.
    let (exit, code) = t.present(&st, 1, &[]);
    assert_eq!(exit, 1);
    assert!(code.starts_with("decode."), "{code}");
    // With it: the key loads unchecked (the fast path) and proves nothing.
    let (exit, code) = t.present(&st, 1, &["--trust-key-manifest"]);
    assert_ne!(exit, 0);
    assert_eq!(code, "snark.proof_self_check");
    // The caller's pin of the honest key still refuses the crafted file before decoding.
    let (exit, code) = t.present(&st, 1, &["--pk-digest", &digest]);
    assert_eq!(exit, 1);
    assert_eq!(code, "keyring.wrong_digest");

    // Not with --pk-digest (clap refuses the pair), not without Groth16.
    let out = run(&[
        "present",
        "-k",
        s(&t.path("holder.key")),
        "-a",
        s(&t.path("r.att")),
        "--prove",
        "score >= 700",
        "--keys",
        s(&t.path("keys")),
        "--challenge",
        &t.challenge,
        "--trust-key-manifest",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--trust-key-manifest"),
        "{}",
        stderr(&out)
    );
    let (exit, _) = t.present(&st, 1, &["--trust-key-manifest", "--pk-digest", &digest]);
    assert_eq!(exit, 2);
}

/// `--pk-digest CIRCUIT=DIGEST` (post-merge review, low): a key pinned for one circuit and
/// filed under another in keys.json is refused at load, before it is decoded, naming the
/// circuit its digest was pinned for; a bare digest pins the one circuit the statements need
/// and is refused when they need several.
#[test]
fn present_pins_proving_keys_per_circuit() {
    let t = Setup::new(&["attribute", "membership:1"]);
    let (_, a_id, a_digest) = t.keys[0].clone();
    let (_, m_id, m_digest) = t.keys[1].clone();
    let st = ["score >= 700"];
    let pin = |c: &str, d: &str| format!("{c}={d}");
    // Honest directory: named pins, a bare pin, pins for both circuits.
    for extra in [
        vec![pin("attribute", &a_digest)],
        vec![a_digest.clone()],
        vec![pin("membership:1", &m_digest), pin("attribute", &a_digest)],
    ] {
        let mut args = Vec::new();
        for e in &extra {
            args.extend(["--pk-digest", e.as_str()]);
        }
        assert_eq!(t.present(&st, 1, &args), (0, String::new()), "{extra:?}");
        assert!(t.verify());
    }
    // The attribute key's digest pinned for membership only: the attribute key has no pin.
    let (exit, code) = t.present(&st, 1, &["--pk-digest", &pin("membership:1", &a_digest)]);
    assert_eq!((exit, code.as_str()), (1, "keyring.wrong_digest"));

    // keys.json files the membership key under `attribute`.
    let manifest_path = t.path("keys").join("keys.json");
    let manifest = std::fs::read_to_string(&manifest_path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(v["keys"]["attribute"], a_id.as_str());
    std::fs::write(
        &manifest_path,
        manifest.replacen(
            &format!("\"attribute\": \"{a_id}\""),
            &format!("\"attribute\": \"{m_id}\""),
            1,
        ),
    )
    .unwrap();
    let moved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&manifest_path).unwrap()).unwrap();
    assert_eq!(moved["keys"]["attribute"], m_id.as_str());
    for extra in [
        vec![pin("membership:1", &m_digest)],
        vec![pin("membership:1", &m_digest), pin("attribute", &a_digest)],
    ] {
        let mut args = Vec::new();
        for e in &extra {
            args.extend(["--pk-digest".to_owned(), e.clone()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (exit, code) = t.present(&st, 1, &args);
        assert_eq!(
            (exit, code.as_str()),
            (1, "keyring.wrong_digest"),
            "{extra:?}"
        );
    }
    // The message names where the digest belongs.
    let mut args = vec![
        "present".to_owned(),
        "-k".into(),
        s(&t.path("holder.key")).into(),
        "-a".into(),
        s(&t.path("r.att")).into(),
        "--prove".into(),
        "score >= 700".into(),
        "--backend".into(),
        "groth16".into(),
        "--keys".into(),
        s(&t.path("keys")).into(),
        "--challenge".into(),
        t.challenge.clone(),
        "--pk-digest".into(),
        pin("membership:1", &m_digest),
    ];
    let out = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        stderr(&out).contains("pinned for membership:1"),
        "{}",
        stderr(&out)
    );
    // A bare digest pins the one circuit needed (attribute), so it is refused too.
    args.pop();
    args.push(m_digest.clone());
    assert_eq!(
        run(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .status
            .code(),
        Some(1)
    );
    std::fs::write(&manifest_path, &manifest).unwrap();

    // Statements needing two circuits (attribute and sum:2): a bare digest is refused before
    // any key is read, with a hint to name the circuit.
    let two = ["score >= 700", "sum(score) >= 1000"];
    assert_eq!(t.present(&two, 2, &["--pk-digest", &a_digest]).0, 1);
    let att = t.path("r.att");
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.truncate(args.len() - 2);
    args.extend(["-a", s(&att), "--prove", "sum(score) >= 1000"]);
    args.extend(["--pk-digest", &a_digest]);
    let out = run(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("several circuits"),
        "{}",
        stderr(&out)
    );
    let bad = t.present(&two, 2, &["--pk-digest", "sum:99=x"]);
    assert_eq!(bad.0, 1);
}
