//! `present --backend groth16 --pk-digest`: the prover pins its proving key's digest (decision
//! 0079); a key directory written before proving-key format version 2 still proves.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

mod common;
use common::{keygen, ok, pubkey, run, s, stderr};

#[test]
fn present_pins_the_proving_key_digest() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| -> PathBuf { dir.path().join(n) };
    keygen(&p("issuer.key"));
    keygen(&p("holder.key"));
    let holder = pubkey(&p("holder.key"));
    let rec = p("r.json");
    std::fs::write(
        &rec,
        r#"{"schema":"credit/v1","fields":{"score":{"type":"int","value":742}}}"#,
    )
    .unwrap();
    ok(&[
        "attest",
        "-k",
        s(&p("issuer.key")),
        "-i",
        s(&rec),
        "--subject",
        &holder,
        "-o",
        s(&p("r.att")),
    ]);
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
