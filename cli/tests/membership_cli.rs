//! `causeway membership` with the member's secret read from a file or stdin (`--secret-file`),
//! never from the command line (issue 11 leftover: argv is visible in `ps` and shell history).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;
use common::{ok, run, run_stdin, s, stderr};

#[test]
fn the_secret_is_refused_on_the_command_line_and_read_from_a_file_or_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let secret = format!("{:064x}", 0x00c0_ffee_5ec7_u64);
    let file = dir.path().join("member.secret");
    std::fs::write(&file, format!("{secret}\n")).unwrap();

    // The old flag is refused, with a message that says why and does not echo the secret.
    let out = run(&["membership", "leaf", "--secret", &secret]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--secret was removed"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--secret-file"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains(&secret),
        "the refusal echoed the secret"
    );
    assert!(out.stdout.is_empty());
    let leaves = dir.path().join("leaves.txt");
    std::fs::write(&leaves, format!("{:064x}\n", 1u64)).unwrap();
    let out = run(&[
        "membership",
        "prove",
        "--keys",
        s(dir.path()),
        "--leaves",
        s(&leaves),
        "--depth",
        "2",
        "--secret",
        &secret,
        "--challenge",
        "00112233445566778899aabbccddeeff",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--secret was removed"),
        "{}",
        stderr(&out)
    );
    assert!(
        !stderr(&out).contains(&secret),
        "the refusal echoed the secret"
    );
    // Even together with --secret-file, a secret in argv is refused.
    let out = run(&[
        "membership",
        "leaf",
        "--secret-file",
        s(&file),
        "--secret",
        &secret,
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    // From a file and from stdin: the same leaf.
    let from_file = ok(&["membership", "leaf", "--secret-file", s(&file)]);
    let out = run_stdin(
        &["membership", "leaf", "--secret-file", "-"],
        secret.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
    assert_eq!(from_file.trim().len(), 64);
    assert_ne!(
        from_file.trim(),
        secret,
        "the leaf is a hash, not the secret"
    );

    // A missing secret, a malformed one, one that is not a field element: clear refusals that
    // do not echo the file's content.
    let out = run(&["membership", "leaf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--secret-file"), "{}", stderr(&out));
    let bad = dir.path().join("bad.secret");
    std::fs::write(&bad, "not-hex-but-a-passphrase").unwrap();
    let out = run(&["membership", "leaf", "--secret-file", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("64 hex digits"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("passphrase"), "{}", stderr(&out));
    std::fs::write(&bad, "f".repeat(64)).unwrap();
    let out = run(&["membership", "leaf", "--secret-file", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("field element"), "{}", stderr(&out));
    let out = run(&[
        "membership",
        "leaf",
        "--secret-file",
        s(&dir.path().join("absent")),
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

/// Issue 10: membership runs on core (`snark::membership`) and its proofs export for snarkjs and
/// the Solidity verifier (`verifier export-proof`); `setup --circuit` is the one name (with
/// `--statement` kept as its alias).
#[test]
fn membership_on_core_exports_for_snarkjs_and_refuses_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let keys = p("keys");
    let help = ok(&["setup", "--help"]);
    assert!(help.contains("--circuit"), "{help}");
    ok(&["setup", "--circuit", "membership:2", "--out", s(&keys)]);
    let secret = format!("{:064x}", 0x5ec_u64);
    std::fs::write(p("me.secret"), &secret).unwrap();
    let leaf = ok(&["membership", "leaf", "--secret-file", s(&p("me.secret"))]);
    let leaves = p("leaves.txt");
    std::fs::write(&leaves, format!("{:064x}\n\n  {}\n", 1u64, leaf.trim())).unwrap();
    let challenge = "00112233445566778899aabbccddeeff";
    let proof = p("proof.json");
    let prove = |secret_file: &std::path::Path, leaves: &std::path::Path| {
        run(&[
            "membership",
            "prove",
            "--keys",
            s(&keys),
            "--leaves",
            s(leaves),
            "--depth",
            "2",
            "--secret-file",
            s(secret_file),
            "--challenge",
            challenge,
            "-o",
            s(&proof),
        ])
    };
    let out = prove(&p("me.secret"), &leaves);
    assert!(out.status.success(), "{}", stderr(&out));
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    assert_eq!(j["format"], "causeway-membership-proof/v1");
    assert_eq!(j["statement"], "membership:2");

    // export: files for snarkjs and the Solidity verifier, checked under our key first, with
    // the root we accept (never the one the proof's JSON claims)
    let root = ok(&["membership", "root", "--leaves", s(&leaves), "--depth", "2"]);
    let root = root.trim();
    let export = |root: Option<&str>, out: &std::path::Path| {
        let mut args = vec!["verifier", "export-proof", "-i", s(&proof)];
        args.extend([
            "--challenge",
            challenge,
            "--keys",
            s(&keys),
            "--out",
            s(out),
        ]);
        if let Some(r) = root {
            args.extend(["--root", r]);
        }
        run(&args)
    };
    let out = export(None, &p("export-noroot"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("--root"), "{}", stderr(&out));
    let other_root = format!("{:064x}", 9u64);
    let out = export(Some(&other_root), &p("export-otherroot"));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let ex = p("export");
    let out = run(&[
        "--json",
        "verifier",
        "export-proof",
        "-i",
        s(&proof),
        "--challenge",
        challenge,
        "--root",
        root,
        "--keys",
        s(&keys),
        "--out",
        s(&ex),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed["exports"][0]["name"], "membership");
    assert_eq!(listed["exports"][0]["checked"], true);
    let f = |n: &str| ex.join(format!("membership-{n}"));
    let raw = |public: &std::path::Path| {
        run(&[
            "verifier",
            "raw-check",
            "--vk",
            s(&f("vk.json")),
            "--proof",
            s(&f("proof.json")),
            "--public",
            s(public),
        ])
    };
    let out = raw(&f("public.json"));
    assert!(out.status.success(), "{}", stderr(&out));
    // every wire form of the key and the proof is read (core's `wire::decode_any`): the
    // key's canonical binary file and its base64url text, the proof's base64url text
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(keys.join("keys.json")).unwrap()).unwrap();
    let vk_bin = keys.join(format!(
        "{}.vk",
        manifest["keys"]["membership:2"].as_str().unwrap()
    ));
    let vk_b64 = p("vk.b64");
    std::fs::write(
        &vk_b64,
        causeway::encoding::b64u_encode(&std::fs::read(&vk_bin).unwrap()),
    )
    .unwrap();
    let proof_b64 = p("proof.b64");
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    std::fs::write(&proof_b64, format!("{}\n", j["proof"].as_str().unwrap())).unwrap();
    for (vk, pf) in [
        (&vk_bin, &f("proof.json")),
        (&vk_b64, &f("proof.json")),
        (&vk_bin, &proof_b64),
        (&f("vk.json"), &proof_b64),
    ] {
        let out = run(&[
            "verifier",
            "raw-check",
            "--vk",
            s(vk),
            "--proof",
            s(pf),
            "--public",
            s(&f("public.json")),
        ]);
        assert!(out.status.success(), "{vk:?} {pf:?}: {}", stderr(&out));
    }
    // a proof's text with a changed character is refused
    let mut t = j["proof"].as_str().unwrap().to_owned();
    let c = if &t[60..61] == "A" { "B" } else { "A" };
    t.replace_range(60..61, c);
    std::fs::write(&proof_b64, t).unwrap();
    let out = run(&[
        "verifier",
        "raw-check",
        "--vk",
        s(&vk_bin),
        "--proof",
        s(&proof_b64),
        "--public",
        s(&f("public.json")),
    ]);
    assert!(!out.status.success());
    let calldata = std::fs::read_to_string(f("calldata.hex")).unwrap();
    assert!(calldata.starts_with("0x"), "{calldata}");
    // one public input changed: refused
    let mut public: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(f("public.json")).unwrap()).unwrap();
    public[0] = if public[0] == "1" {
        "2".into()
    } else {
        "1".into()
    };
    let wrong = p("public-wrong.json");
    std::fs::write(&wrong, serde_json::to_string(&public).unwrap()).unwrap();
    assert_eq!(raw(&wrong).status.code(), Some(3));
    // exported for another challenge: the check under our key refuses it
    let out = run(&[
        "verifier",
        "export-proof",
        "-i",
        s(&proof),
        "--challenge",
        "ffeeddccbbaa99887766554433221100",
        "--root",
        root,
        "--keys",
        s(&keys),
        "--out",
        s(&p("export2")),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // a secret not in the leaves, a malformed leaves file: refused with exit 1, no proof
    std::fs::remove_file(&proof).unwrap();
    std::fs::write(p("stranger.secret"), format!("{:064x}", 77u64)).unwrap();
    let out = prove(&p("stranger.secret"), &leaves);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not a member"), "{}", stderr(&out));
    std::fs::write(p("bad-leaves.txt"), "0x01\n").unwrap();
    let out = prove(&p("me.secret"), &p("bad-leaves.txt"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("64 hex digits"), "{}", stderr(&out));
    // more leaves than the depth holds
    let many: String = (1..=5u64).map(|i| format!("{i:064x}\n")).collect();
    std::fs::write(p("many.txt"), many).unwrap();
    let out = run(&[
        "membership",
        "root",
        "--leaves",
        s(&p("many.txt")),
        "--depth",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!proof.exists());
}
