//! Sealed-record flows through the public API: grant, revoke, rotation, foreign JWEs, and bad
//! input (tampering, wrong recipient, unknown version, mismatched content keys, oversized input).

use causeway::error::{DecodeError, OpenError, SealError};
use causeway::party::{Party, PublicKeys};
use causeway::record::{Record, Value};
use causeway::seal::{open_jwe, Content, Sealed, MAX_JSON, MAX_PAYLOAD, MAX_RECIPIENTS};
use serde_json::Value as Json;

fn customer() -> Record {
    Record::new("customer/v1")
        .unwrap()
        .with("name", Value::String("Ada Lovelace".into()))
        .unwrap()
        .with("balance", Value::decimal("1234.56").unwrap())
        .unwrap()
        .with("opened", Value::date("2021-03-04").unwrap())
        .unwrap()
        .with("vip", Value::Bool(true))
        .unwrap()
}

fn party() -> Party {
    Party::generate().unwrap()
}

#[test]
fn exchange_grant_revoke() {
    let (bank, insurer, regulator) = (party(), party(), party());
    let s = Sealed::seal_record(&bank, &[insurer.public()], &customer()).unwrap();
    assert_eq!(s.open_record(&insurer).unwrap(), customer());
    assert!(matches!(s.open(&regulator), Err(OpenError::NotARecipient)));

    // grant: same ciphertext and epoch, one more recipient; travels through JSON
    let g = s.grant(&bank, &regulator.public()).unwrap();
    let g = Sealed::from_jwe_json(&g.to_jwe_json()).unwrap();
    assert_eq!(g.open_record(&regulator).unwrap(), customer());
    assert_eq!(g.epoch(), 0);
    assert_eq!(g.record_id(), s.record_id());
    assert_eq!(g.ciphertext_len(), s.ciphertext_len());
    let (js, jg): (Json, Json) = (
        serde_json::from_str(&s.to_jwe_json()).unwrap(),
        serde_json::from_str(&g.to_jwe_json()).unwrap(),
    );
    assert_eq!(js["ciphertext"], jg["ciphertext"]);
    assert_eq!(js["protected"], jg["protected"]);
    assert_ne!(s.ciphertext_hash(), g.ciphertext_hash());

    // revoke the insurer: new epoch, fresh content key; the insurer cannot open it
    let v = g.revoke(&bank, &insurer.key_id()).unwrap();
    let v = Sealed::from_bytes(&v.to_bytes()).unwrap();
    assert_eq!(v.epoch(), 1);
    assert_eq!(v.record_id(), s.record_id());
    assert!(matches!(v.open(&insurer), Err(OpenError::NotARecipient)));
    assert_eq!(v.open_record(&regulator).unwrap(), customer());
    assert_eq!(v.open_record(&bank).unwrap(), customer());
    let jv: Json = serde_json::from_str(&v.to_jwe_json()).unwrap();
    assert_ne!(jv["ciphertext"], jg["ciphertext"]);

    // the insurer's old wrap does not open the new epoch even if spliced in
    let mut spliced = jv.clone();
    let old_entry = jg["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["header"]["kid"] == insurer.key_id().to_string())
        .unwrap()
        .clone();
    spliced["recipients"]
        .as_array_mut()
        .unwrap()
        .push(old_entry);
    let spliced = Sealed::from_jwe_json(&spliced.to_string()).unwrap();
    assert!(matches!(spliced.open(&insurer), Err(OpenError::Decrypt)));

    // only the owner changes recipients
    assert!(matches!(
        v.grant(&regulator, &insurer.public()),
        Err(SealError::NotOwner)
    ));
    assert!(matches!(
        v.revoke(&regulator, &bank.key_id()),
        Err(SealError::NotOwner)
    ));
}

#[test]
fn key_rotation() {
    let (mut bank, mut partner) = (party(), party());
    let old = Sealed::seal_record(&bank, &[partner.public()], &customer()).unwrap();
    let partner_old_id = partner.key_id();
    partner.rotate().unwrap();
    bank.rotate().unwrap();
    // retired keys open old records
    assert_eq!(old.open_record(&partner).unwrap(), customer());
    assert_eq!(old.open_record(&bank).unwrap(), customer());
    // the rotated owner can still grant on the old record
    let third = party();
    let g = old.grant(&bank, &third.public()).unwrap();
    assert_eq!(g.open_record(&third).unwrap(), customer());
    // new seals go to current keys only
    let new = Sealed::seal_record(&bank, &[partner.public()], &customer()).unwrap();
    assert_eq!(new.owner(), bank.key_id());
    assert!(!new.recipients().contains(&partner_old_id));
    let only_old = Party::from_keys(partner.retired()[0].clone());
    assert!(matches!(new.open(&only_old), Err(OpenError::NotARecipient)));
    // reseal moves an old record to current keys
    let moved = old.reseal(&bank, &[partner.public()]).unwrap();
    assert_eq!(moved.epoch(), 1);
    assert_eq!(moved.owner(), bank.key_id());
    assert!(matches!(
        moved.open(&only_old),
        Err(OpenError::NotARecipient)
    ));
    assert_eq!(moved.open_record(&partner).unwrap(), customer());
}

#[test]
fn mismatched_content_keys_invisible_salamander() {
    // Two seals of different content for the same recipients; splice b's wrap from the second
    // into the first: b's content key no longer matches the key commitment.
    let (o, a, b) = (party(), party(), party());
    let one = Sealed::seal_bytes(&o, &[a.public(), b.public()], b"pay 10").unwrap();
    let two = Sealed::seal_bytes(&o, &[a.public(), b.public()], b"pay 1000").unwrap();
    let mut j1: Json = serde_json::from_str(&one.to_jwe_json()).unwrap();
    let j2: Json = serde_json::from_str(&two.to_jwe_json()).unwrap();
    j1["recipients"][2] = j2["recipients"][2].clone();
    let mixed = Sealed::from_jwe_json(&j1.to_string()).unwrap();
    // Format version 2 (issue 11 item 2): the spliced entry breaks the owner signature, so
    // every recipient refuses it, not only b (in version 1, a and the owner opened it). The
    // key commitment alone, on an object the owner signed, is checked by core's seal tests and
    // the crafted testkit vectors (147-149).
    assert!(matches!(mixed.open(&a), Err(OpenError::Decrypt)));
    assert!(matches!(mixed.open(&o), Err(OpenError::Decrypt)));
    assert!(matches!(mixed.open(&b), Err(OpenError::Decrypt)));
    assert!(mixed.verify().is_err());
    assert!(one.verify().is_ok() && two.verify().is_ok());
    // ... also with the second record's commitment: now a and the owner fail, b still fails
    // (its key opens the commitment but not the first ciphertext under this header)
    let p2: Json = j2["protected"].clone();
    let mut j3 = j1.clone();
    j3["protected"] = p2;
    if let Ok(m3) = Sealed::from_jwe_json(&j3.to_string()) {
        assert!(m3.open(&a).is_err());
        assert!(m3.open(&o).is_err());
        assert!(m3.open(&b).is_err());
    }
}

#[test]
fn tampering_and_wrong_recipient() {
    let (o, a, stranger) = (party(), party(), party());
    let s = Sealed::seal_record(&o, &[a.public()], &customer()).unwrap();
    assert!(matches!(s.open(&stranger), Err(OpenError::NotARecipient)));
    let j: Json = serde_json::from_str(&s.to_jwe_json()).unwrap();
    for field in ["ciphertext", "tag", "iv"] {
        let mut t = j.clone();
        let v = t[field].as_str().unwrap().to_owned();
        let first = if v.starts_with('A') { "B" } else { "A" };
        t[field] = Json::String(format!("{first}{}", &v[1..]));
        let r = Sealed::from_jwe_json(&t.to_string()).map(|x| x.open(&a));
        assert!(matches!(r, Ok(Err(OpenError::Decrypt)) | Err(_)), "{field}");
    }
    // swapping two recipients' encrypted keys
    let mut t = j.clone();
    let ek0 = t["recipients"][0]["encrypted_key"].clone();
    t["recipients"][0]["encrypted_key"] = t["recipients"][1]["encrypted_key"].clone();
    t["recipients"][1]["encrypted_key"] = ek0;
    let t = Sealed::from_jwe_json(&t.to_string()).unwrap();
    assert!(matches!(t.open(&a), Err(OpenError::Decrypt)));
    assert!(matches!(t.open(&o), Err(OpenError::Decrypt)));
    // a non-canonical protected header (whitespace) is refused
    let mut t = j.clone();
    let p = String::from_utf8(
        base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            j["protected"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    t["protected"] = Json::String(base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        p.replace(',', ", "),
    ));
    assert!(Sealed::from_jwe_json(&t.to_string()).is_err());
}

#[test]
fn unknown_version_is_typed() {
    let o = party();
    let s = Sealed::seal_bytes(&o, &[], b"x").unwrap();
    let mut b = s.to_bytes();
    // (version 2 exists since issue 11 item 2; 3 does not)
    b[2] = 3;
    assert_eq!(
        Sealed::from_bytes(&b).unwrap_err(),
        DecodeError::UnsupportedVersion { found: 3 }
    );
    let j = s.to_jwe_json();
    let mut v: Json = serde_json::from_str(&j).unwrap();
    let p = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        v["protected"].as_str().unwrap(),
    )
    .unwrap();
    let p = String::from_utf8(p)
        .unwrap()
        .replace("\"cw_v\":2", "\"cw_v\":7");
    v["protected"] = Json::String(base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        p,
    ));
    assert_eq!(
        Sealed::from_jwe_json(&v.to_string()).unwrap_err(),
        DecodeError::UnsupportedVersion { found: 7 }
    );
}

#[test]
fn oversized_inputs() {
    let o = party();
    // JSON over the cap is refused before parsing
    let huge = " ".repeat(MAX_JSON + 1);
    assert!(matches!(
        Sealed::from_jwe_json(&huge),
        Err(DecodeError::TooLong { .. })
    ));
    assert!(matches!(
        Sealed::from_any(huge.as_bytes()),
        Err(DecodeError::TooLong { .. })
    ));
    drop(huge);
    // payload over the cap
    let big = vec![0u8; MAX_PAYLOAD + 1];
    assert!(matches!(
        Sealed::seal_bytes(&o, &[], &big),
        Err(SealError::PayloadTooLarge { .. })
    ));
    drop(big);
    // a binary record claiming too many recipients or too long a ciphertext
    let s = Sealed::seal_bytes(&o, &[], b"x").unwrap();
    let mut b = s.to_bytes();
    let count_at = 4 + 1 + 16 + 4 + 16 + 32 + 12;
    b[count_at..count_at + 2].copy_from_slice(&((MAX_RECIPIENTS + 1) as u16).to_be_bytes());
    assert!(matches!(
        Sealed::from_bytes(&b),
        Err(DecodeError::TooLong { .. })
    ));
    let mut b = s.to_bytes();
    let len_at = count_at + 2 + 136;
    b[len_at..len_at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(
        Sealed::from_bytes(&b),
        Err(DecodeError::TooLong { .. })
    ));
    // too many recipients to seal
    let many: Vec<PublicKeys> = (0..MAX_RECIPIENTS).map(|_| party().public()).collect();
    assert!(matches!(
        Sealed::seal_bytes(&o, &many, b"x"),
        Err(SealError::TooManyRecipients { .. })
    ));
    // exactly the cap (owner + 1023) works, and a grant beyond it is refused
    let s = Sealed::seal_bytes(&o, &many[..MAX_RECIPIENTS - 1], b"x").unwrap();
    assert_eq!(s.recipients().len(), MAX_RECIPIENTS);
    assert!(matches!(
        s.grant(&o, &many[MAX_RECIPIENTS - 1]),
        Err(SealError::TooManyRecipients { .. })
    ));
    let back = Sealed::from_bytes(&s.to_bytes()).unwrap();
    assert_eq!(back.open(&o).unwrap(), Content::Bytes(b"x".to_vec()));
}

#[test]
fn truncated_inputs_are_typed() {
    let o = party();
    let b = Sealed::seal_bytes(&o, &[], b"hello").unwrap().to_bytes();
    for n in 0..b.len() {
        assert!(Sealed::from_bytes(&b[..n]).is_err(), "prefix {n}");
    }
    let mut t = b.clone();
    t.push(0);
    assert_eq!(
        Sealed::from_bytes(&t).unwrap_err(),
        DecodeError::TrailingData
    );
}

#[test]
fn open_jwe_single_recipient() {
    let (o, a) = (party(), party());
    // A single-recipient general JWE and its flattened form open with open_jwe.
    let s = Sealed::seal_bytes(&o, &[], b"to myself").unwrap();
    let j = s.to_jwe_json();
    assert_eq!(open_jwe(&j, &o).unwrap(), b"to myself");
    let v: Json = serde_json::from_str(&j).unwrap();
    let flat = serde_json::json!({
        "protected": v["protected"],
        "header": v["recipients"][0]["header"],
        "encrypted_key": v["recipients"][0]["encrypted_key"],
        "iv": v["iv"], "ciphertext": v["ciphertext"], "tag": v["tag"],
    });
    assert_eq!(open_jwe(&flat.to_string(), &o).unwrap(), b"to myself");
    assert!(open_jwe(&flat.to_string(), &a).is_err());
    // tampered
    let mut t = flat.clone();
    t["iv"] = Json::String("AAAAAAAAAAAAAAAA".into());
    assert!(matches!(
        open_jwe(&t.to_string(), &o),
        Err(OpenError::Decrypt)
    ));
    // more than one recipient is refused
    let two = Sealed::seal_bytes(&o, &[a.public()], b"x").unwrap();
    assert!(matches!(
        open_jwe(&two.to_jwe_json(), &a),
        Err(OpenError::Decode(_))
    ));
    // another algorithm is refused
    let mut t = flat.clone();
    t["header"]["alg"] = Json::String("ECDH-ES".into());
    assert!(matches!(
        open_jwe(&t.to_string(), &o),
        Err(OpenError::Decode(_))
    ));
}

/// Review of c6e3057, item 1: the push opener opened a version-1 (unsigned) stream whatever
/// the caller expected. With options it refuses it before anything comes out: its owner is
/// only a claim (`expect_owner`) and so are its record id and epoch (`known_epochs`).
/// Golden vector 015 is a version-1 stream for bob.
#[test]
fn the_push_opener_refuses_an_unsigned_stream_under_options() {
    use causeway::seal::stream::StreamOpener;
    use causeway::seal::{EpochBook, OpenOptions};
    let dir = causeway_tests::crate_dir().join("vectors/sealed");
    let v: Json = serde_json::from_str(
        &std::fs::read_to_string(dir.join("015-stream-one-chunk.json")).unwrap(),
    )
    .unwrap();
    let bytes =
        causeway::encoding::b64u_decode("vector", v["sealed_b64u"].as_str().unwrap(), 1 << 20)
            .unwrap();
    let bob = Party::from_secret_text(&std::fs::read_to_string(dir.join("keys/bob.key")).unwrap())
        .unwrap();
    let alice =
        Party::from_secret_text(&std::fs::read_to_string(dir.join("keys/alice.key")).unwrap())
            .unwrap();
    // without options it opens (version 1 still opens), unsigned
    let mut op = StreamOpener::new(&bob);
    let mut plain = op.push(&bytes).unwrap();
    let (tail, info) = op.finish().unwrap();
    plain.extend(tail);
    assert!(!info.signed);
    assert!(!plain.is_empty());
    let book = EpochBook::new();
    for opts in [
        OpenOptions {
            expect_owner: Some(alice.key_id()),
            ..Default::default()
        },
        OpenOptions {
            known_epochs: Some(&book),
            ..Default::default()
        },
    ] {
        let mut op = StreamOpener::with_options(&bob, opts);
        // fed in small pieces: nothing comes out before the refusal
        let mut refused = None;
        for piece in bytes.chunks(5) {
            match op.push(piece) {
                Ok(out) => assert!(out.is_empty(), "plaintext before the refusal"),
                Err(e) => {
                    refused = Some(e);
                    break;
                }
            }
        }
        assert!(
            matches!(refused, Some(OpenError::Unauthenticated)),
            "{refused:?}"
        );
    }
}

/// A store writer cannot pass a version-2 record off as version 1 (whose owner and recipient
/// list nobody can check) by dropping its owner signature and setting the version to 1: the
/// version is in the GCM additional data (`cw_v` in the protected header), so no recipient opens
/// the downgraded copy, in either form, and grant and revoke refuse it as unauthenticated. The
/// security review of issue 11 (docs/security/review-a06bf6e.md) found no test of this.
#[test]
fn a_version_2_record_cannot_be_downgraded_to_version_1() {
    let (owner, a, mallory) = (party(), party(), party());
    let s = Sealed::seal_record(&owner, &[a.public()], &customer()).unwrap();
    assert_eq!(s.version(), 2);
    let b = s.to_bytes();
    assert_eq!(b[2], 2);
    // Binary: version byte 1, the 64-byte signature dropped. It decodes (as version 1) ...
    let mut d = b[..b.len() - 64].to_vec();
    d[2] = 1;
    let down = Sealed::from_bytes(&d).unwrap();
    assert_eq!(down.version(), 1);
    assert!(!down.is_signed());
    // ... but nobody opens it, and the owner does not re-wrap from its list.
    for p in [&owner, &a] {
        assert!(matches!(down.open(p), Err(OpenError::Decrypt)));
    }
    assert!(matches!(
        down.grant(&owner, &mallory.public()),
        Err(SealError::Unauthenticated)
    ));
    assert!(matches!(
        down.revoke(&owner, &a.key_id()),
        Err(SealError::Unauthenticated)
    ));
    // JWE: `cw_sig` removed and `cw_v` set to 1 in the protected header.
    let mut j: Json = serde_json::from_str(&s.to_jwe_json()).unwrap();
    assert!(j.as_object_mut().unwrap().remove("unprotected").is_some());
    let p = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        j["protected"].as_str().unwrap(),
    )
    .unwrap();
    let p = String::from_utf8(p).unwrap();
    assert!(p.contains("\"cw_v\":2"));
    j["protected"] = Json::String(base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        p.replace("\"cw_v\":2", "\"cw_v\":1"),
    ));
    let text = j.to_string();
    let down = Sealed::from_jwe_json(&text).unwrap();
    assert_eq!(down.version(), 1);
    for p in [&owner, &a] {
        assert!(matches!(down.open(p), Err(OpenError::Decrypt)));
    }
    // the same bytes through the plain-JOSE entry point: GCM refuses the changed header
    assert!(open_jwe(&text, &a).is_err());
    // the honest record still opens
    assert_eq!(s.open(&a).unwrap(), Content::Record(customer()));
}
