use super::fixtures::{parties, refused_and_wiped, tamper_offsets};
use super::*;
use crate::record::Value;

fn record() -> Record {
    Record::new("kyc/v1")
        .unwrap()
        .with("name", Value::String("Ada".into()))
        .unwrap()
        .with("score", Value::Int(712))
        .unwrap()
}

#[test]
fn seal_open_round_trip_both_forms() {
    let [o, a] = parties();
    let s = Sealed::seal_record(&o, &[a.public()], &record()).unwrap();
    assert_eq!(s.open_record(&a).unwrap(), record());
    assert_eq!(s.open_record(&o).unwrap(), record());
    assert_eq!(s.recipients(), vec![o.key_id(), a.key_id()]);
    assert_eq!(s.epoch(), 0);
    assert_eq!(s.owner(), o.key_id());
    assert_eq!(s.content_type(), CTY_RECORD);
    let b = s.to_bytes();
    assert_eq!(Sealed::from_bytes(&b).unwrap(), s);
    assert_eq!(Sealed::from_any(&b).unwrap(), s);
    let j = s.to_jwe_json();
    assert_eq!(Sealed::from_jwe_json(&j).unwrap(), s);
    assert_eq!(Sealed::from_any(j.as_bytes()).unwrap(), s);
    let inspected = serde_json::to_value(s.inspect()).unwrap();
    assert_eq!(inspected["record_id"], s.record_id().to_string());
    assert_eq!(s.inspect().record_id, s.record_id());
    assert_eq!(s.inspect().to_string(), inspected.to_string());
    assert_eq!(
        s.record_id().to_string().parse::<RecordId>().unwrap(),
        s.record_id()
    );
}

#[test]
fn bytes_and_record_types() {
    let o = Party::generate().unwrap();
    let s = Sealed::seal_bytes(&o, &[], b"raw").unwrap();
    assert_eq!(s.open(&o).unwrap(), Content::Bytes(b"raw".to_vec()));
    assert!(matches!(
        s.open_record(&o),
        Err(OpenError::Decode(DecodeError::Invalid { .. }))
    ));
    let e = Sealed::seal_bytes(&o, &[], b"").unwrap();
    assert_eq!(e.open(&o).unwrap(), Content::Bytes(Vec::new()));
}

#[test]
fn wrong_recipient_and_tampering() {
    let [o, a] = parties();
    let s = Sealed::seal_bytes(&o, &[], b"secret").unwrap();
    assert!(matches!(s.open(&a), Err(OpenError::NotARecipient)));
    let mut b = s.to_bytes();
    let last = b.len() - 1;
    b[last] ^= 1;
    let t = Sealed::from_bytes(&b).unwrap();
    assert!(matches!(t.open(&o), Err(OpenError::Decrypt)));
}

#[test]
fn grant_revoke_flow() {
    let [o, a, r] = parties();
    let s = Sealed::seal_record(&o, &[a.public()], &record()).unwrap();
    assert!(s.open(&r).is_err());
    let g = s.grant(&o, &r.public()).unwrap();
    assert_eq!(g.open_record(&r).unwrap(), record());
    // grant keeps ciphertext, id and epoch
    assert_eq!(g.parts().2, s.parts().2);
    assert_eq!(g.record_id(), s.record_id());
    assert_eq!(g.epoch(), 0);
    // only the owner may grant
    assert!(matches!(s.grant(&a, &r.public()), Err(SealError::NotOwner)));
    let v = g.revoke(&o, &a.key_id()).unwrap();
    assert_eq!(v.epoch(), 1);
    assert_eq!(v.record_id(), s.record_id());
    assert!(matches!(v.open(&a), Err(OpenError::NotARecipient)));
    assert_eq!(v.open_record(&r).unwrap(), record());
    assert_eq!(v.open_record(&o).unwrap(), record());
    assert!(matches!(
        v.revoke(&o, &o.key_id()),
        Err(SealError::RevokeOwner)
    ));
    assert!(matches!(
        v.revoke(&o, &a.key_id()),
        Err(SealError::UnknownRecipient)
    ));
}

#[test]
fn rotation() {
    let [mut o, mut a] = parties();
    let s = Sealed::seal_record(&o, &[a.public()], &record()).unwrap();
    let old_a = a.key_id();
    a.rotate().unwrap();
    // retired keys still open
    assert_eq!(s.open_record(&a).unwrap(), record());
    o.rotate().unwrap();
    assert_eq!(s.open_record(&o).unwrap(), record());
    // the owner (rotated) can still grant and re-seal to current keys
    let n = s.reseal(&o, &[a.public()]).unwrap();
    assert_eq!(n.epoch(), 1);
    assert_eq!(n.owner(), o.key_id());
    assert!(!n.recipients().contains(&old_a));
    assert!(n.recipients().contains(&a.key_id()));
    assert_eq!(n.open_record(&a).unwrap(), record());
}

#[test]
fn mismatched_content_keys_fail_for_mismatched_recipient() {
    let [o, a, b] = parties();
    let mut s = Sealed::seal_bytes(&o, &[a.public(), b.public()], b"for everyone").unwrap();
    // wrap a different content key for b
    let other = Zeroizing::new([0x42u8; 32]);
    let (epk, ek) = wrap_cek(&mut OsRng, &b.public(), &other).unwrap();
    s.recipients[2].epk = epk;
    s.recipients[2].ek = ek;
    // a malicious owner: it signs what it crafted (version 2)
    s.sign(o.keys());
    assert_eq!(
        s.open(&a).unwrap(),
        Content::Bytes(b"for everyone".to_vec())
    );
    assert!(matches!(s.open(&b), Err(OpenError::Decrypt)));
    // and the same through the canonical bytes
    let back = Sealed::from_bytes(&s.to_bytes()).unwrap();
    assert!(matches!(back.open(&b), Err(OpenError::Decrypt)));
}

#[test]
fn caps() {
    let o = Party::generate().unwrap();
    let big = vec![0u8; MAX_PAYLOAD + 1];
    assert!(matches!(
        Sealed::seal_bytes(&o, &[], &big),
        Err(SealError::PayloadTooLarge { .. })
    ));
    let many: Vec<PublicKeys> = (0..MAX_RECIPIENTS)
        .map(|_| Party::generate().unwrap().public())
        .collect();
    assert!(matches!(
        Sealed::seal_bytes(&o, &many, b"x"),
        Err(SealError::TooManyRecipients { .. })
    ));
}

#[test]
fn non_canonical_epk_refused() {
    let mut b = [0u8; 32];
    b[0] = 9;
    assert!(canonical_x25519(&b));
    b[31] = 0x80;
    assert!(!canonical_x25519(&b));
    let mut p = [0xffu8; 32];
    p[31] = 0x7f;
    p[0] = 0xec;
    assert!(canonical_x25519(&p)); // p - 1
    p[0] = 0xed;
    assert!(!canonical_x25519(&p)); // p
}

// ---------------------------------------------------------------------------------------------
// Issue 11 item 2: the whole object is authenticated by the owner's signature.
// ---------------------------------------------------------------------------------------------

/// A fixed-output RNG, so the test knows the content key (every byte `self.0`).
struct Fixed(u8);
impl RngCore for Fixed {
    fn next_u32(&mut self) -> u32 {
        u32::from(self.0)
    }
    fn next_u64(&mut self) -> u64 {
        u64::from(self.0)
    }
    fn fill_bytes(&mut self, d: &mut [u8]) {
        d.iter_mut().for_each(|b| *b = self.0);
    }
    fn try_fill_bytes(&mut self, d: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(d);
        Ok(())
    }
}
impl CryptoRng for Fixed {}

/// An entry for `to` wrapping `cek` (what a recipient, who knows the content key, can make).
fn entry_for(to: &PublicKeys, cek: &[u8; 32]) -> Recipient {
    let (epk, ek) = wrap_cek(&mut OsRng, to, cek).unwrap();
    Recipient {
        keys: *to,
        kid: to.key_id(),
        epk,
        ek,
    }
}

/// Every operation refuses `t`, for every party in `parties`, and the owner `o` can neither
/// grant, revoke nor re-seal it.
fn refused_everywhere(t: &Sealed, o: &Party, parties: &[&Party], what: &str) {
    assert!(t.verify().is_err(), "{what}: verify");
    for p in parties {
        assert!(
            matches!(t.open(p), Err(OpenError::Decrypt)),
            "{what}: open by {}",
            p.key_id()
        );
    }
    let x = Party::generate().unwrap();
    for p in parties {
        assert!(t.grant(p, &x.public()).is_err(), "{what}: grant");
        assert!(t.reseal(p, &[]).is_err(), "{what}: reseal");
        for r in t.recipients() {
            assert!(t.revoke(p, &r).is_err(), "{what}: revoke");
        }
    }
    // the same after a round trip through both forms
    for back in [
        Sealed::from_bytes(&t.to_bytes()),
        Sealed::from_jwe_json(&t.to_jwe_json()),
    ]
    .into_iter()
    .flatten()
    {
        assert!(matches!(back.open(o), Err(OpenError::Decrypt)), "{what}");
        assert!(back.grant(o, &x.public()).is_err(), "{what}");
    }
}

#[test]
fn added_recipient_is_refused_by_everyone() {
    let [o, a, b, mallory] = parties();
    let s =
        Sealed::seal_record_with_rng(&o, &[a.public(), b.public()], &record(), &mut Fixed(0x33))
            .unwrap();
    let cek = [0x33u8; 32];
    assert_eq!(s.open_record(&a).unwrap(), record());
    // A party with write access to the store adds a (working) entry for mallory.
    let mut t = s.clone();
    t.recipients.push(entry_for(&mallory.public(), &cek));
    refused_everywhere(&t, &o, &[&o, &a, &b, &mallory], "added entry");
    // ... also when a recipient re-signs it with her own keys
    let mut u = t.clone();
    u.sign(a.keys());
    refused_everywhere(
        &u,
        &o,
        &[&o, &a, &b, &mallory],
        "added entry, re-signed by a",
    );
    // Before the fix, the owner's next revoke re-wrapped the new epoch for mallory.
    assert!(matches!(
        t.revoke(&o, &b.key_id()),
        Err(SealError::Open(OpenError::Decrypt))
    ));
    assert!(matches!(
        t.grant(&o, &mallory.public()),
        Err(SealError::Open(OpenError::Decrypt))
    ));
    // the honest object still works
    let v = s.revoke(&o, &b.key_id()).unwrap();
    assert_eq!(v.recipients(), vec![o.key_id(), a.key_id()]);
    v.verify().unwrap();
}

#[test]
fn second_key_for_a_revoked_recipient_is_refused() {
    let [o, a] = parties();
    let a2 = Party::generate().unwrap(); // a's second key pair
    let s = Sealed::seal_bytes_with_rng(&o, &[a.public()], b"secret", &mut Fixed(0x21)).unwrap();
    let mut t = s.clone();
    t.recipients.push(entry_for(&a2.public(), &[0x21u8; 32]));
    refused_everywhere(&t, &o, &[&o, &a, &a2], "second key");
    // revoking a from the tampered object fails instead of keeping a2 in the next epoch
    assert!(t.revoke(&o, &a.key_id()).is_err());
    let v = s.revoke(&o, &a.key_id()).unwrap();
    assert_eq!(v.recipients(), vec![o.key_id()]);
}

#[test]
fn forged_owner_is_refused() {
    // mallory seals for the bank and claims the bank owns it (`cw_own`).
    let [bank, mallory, c] = parties();
    let s = Sealed::seal_bytes(&mallory, &[bank.public(), c.public()], b"from the bank?").unwrap();
    assert_eq!(s.owner(), mallory.key_id());
    s.verify().unwrap();
    let mut t = s.clone();
    t.owner = bank.key_id();
    // signed by mallory, but the owner's (bank's) key does not verify it
    t.sign(mallory.keys());
    refused_everywhere(&t, &bank, &[&bank, &mallory, &c], "forged owner");
    let mut u = s.clone();
    u.owner = bank.key_id();
    refused_everywhere(
        &u,
        &bank,
        &[&bank, &mallory, &c],
        "forged owner, old signature",
    );
}

#[test]
fn any_changed_byte_is_refused_by_every_recipient() {
    let [o, a, b, x] = parties();
    let s = Sealed::seal_record(&o, &[a.public(), b.public()], &record()).unwrap();
    let bytes = s.to_bytes();
    let mut decoded = 0;
    for i in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut t = bytes.clone();
            t[i] ^= bit;
            let Ok(d) = Sealed::from_bytes(&t) else {
                continue;
            };
            decoded += 1;
            assert!(d.verify().is_err(), "byte {i}");
            for p in [&o, &a, &b] {
                assert!(d.open(p).is_err(), "byte {i}: open");
            }
            assert!(d.grant(&o, &x.public()).is_err(), "byte {i}: grant");
            assert!(d.revoke(&o, &b.key_id()).is_err(), "byte {i}: revoke");
            assert!(d.reseal(&o, &[a.public()]).is_err(), "byte {i}: reseal");
        }
    }
    assert!(decoded > bytes.len(), "most flips still decode: {decoded}");
    // the JWE view: the signature, another recipient's header
    let j: serde_json::Value = serde_json::from_str(&s.to_jwe_json()).unwrap();
    let mut t = j.clone();
    let sig = t["unprotected"]["cw_sig"].as_str().unwrap().to_string();
    let mut raw = crate::encoding::b64u_decode("sig", &sig, 64).unwrap();
    raw[10] ^= 1;
    t["unprotected"]["cw_sig"] = serde_json::Value::String(crate::encoding::b64u_encode(&raw));
    let d = Sealed::from_jwe_json(&t.to_string()).unwrap();
    refused_everywhere(&d, &o, &[&o, &a, &b], "jwe signature");
    let mut t = j.clone();
    t["recipients"][2]["header"]["cw_pk"] = serde_json::Value::String(x.public().to_text());
    t["recipients"][2]["header"]["kid"] = serde_json::Value::String(x.key_id().to_string());
    let d = Sealed::from_jwe_json(&t.to_string()).unwrap();
    refused_everywhere(&d, &o, &[&o, &a, &b, &x], "jwe recipient keys");
    let mut t = j.clone();
    t.as_object_mut().unwrap().remove("unprotected");
    assert!(Sealed::from_jwe_json(&t.to_string()).is_err());
}

#[test]
fn grant_re_signs_with_the_owner_key_that_sealed() {
    let [mut o, a] = parties();
    let s = Sealed::seal_bytes(&o, &[], b"x").unwrap();
    let sealed_by = o.key_id();
    o.rotate().unwrap();
    let g = s.grant(&o, &a.public()).unwrap();
    g.verify().unwrap();
    assert_eq!(g.owner(), sealed_by);
    assert_eq!(g.open(&a).unwrap(), Content::Bytes(b"x".to_vec()));
    let back = Sealed::from_jwe_json(&g.to_jwe_json()).unwrap();
    assert_eq!(back, g);
    back.verify().unwrap();
}

/// The version-1 form of `s` (no signature; the content re-encrypted under the v1 AAD).
fn to_v1(s: &Sealed, cek: &[u8; 32], plaintext: &[u8]) -> Sealed {
    let mut t = s.clone();
    t.sig = None;
    let aad = t.aad();
    let ct = hazmat::aes256gcm_encrypt(cek, &t.iv, aad.as_bytes(), plaintext);
    let (c, tag) = ct.split_at(ct.len() - 16);
    t.ciphertext = c.to_vec();
    t.tag = tag.try_into().unwrap();
    t
}

#[test]
fn version_1_opens_but_its_list_is_not_re_wrapped() {
    let [o, a, mallory] = parties();
    let s = Sealed::seal_bytes_with_rng(&o, &[a.public()], b"old", &mut Fixed(0x5a)).unwrap();
    let mut v1 = to_v1(&s, &[0x5au8; 32], b"old");
    assert_eq!(v1.version(), 1);
    assert!(!v1.is_signed());
    let b = v1.to_bytes();
    assert_eq!(b[2], 1);
    assert_eq!(Sealed::from_bytes(&b).unwrap(), v1);
    assert_eq!(Sealed::from_jwe_json(&v1.to_jwe_json()).unwrap(), v1);
    assert!(!v1.to_jwe_json().contains("unprotected"));
    assert_eq!(v1.open(&a).unwrap(), Content::Bytes(b"old".to_vec()));
    // an injected entry in a version-1 object: nothing can tell, so grant and revoke refuse
    // to re-wrap from its list at all
    v1.recipients
        .push(entry_for(&mallory.public(), &[0x5au8; 32]));
    assert!(matches!(
        v1.grant(&o, &a.public()),
        Err(SealError::Unauthenticated)
    ));
    assert!(matches!(
        v1.revoke(&o, &a.key_id()),
        Err(SealError::Unauthenticated)
    ));
    // re-sealing for an explicit list upgrades it to version 2, without mallory
    let up = v1.reseal(&o, &[a.public()]).unwrap();
    assert_eq!(up.version(), 2);
    up.verify().unwrap();
    assert_eq!(up.recipients(), vec![o.key_id(), a.key_id()]);
    assert!(matches!(up.open(&mallory), Err(OpenError::NotARecipient)));
    // a version-1 JWE with a signature member, or a version-2 JWE without: refused
    let mut j: serde_json::Value = serde_json::from_str(&v1.to_jwe_json()).unwrap();
    j["unprotected"] = serde_json::json!({"cw_sig": crate::encoding::b64u_encode(&[0u8; 64])});
    assert!(Sealed::from_jwe_json(&j.to_string()).is_err());
}

// -- rollback (issue 11 leftover, decision 0030) --

#[test]
fn a_rolled_back_copy_is_refused_by_grant_revoke_and_reseal() {
    let [o, bob, carol] = parties();
    let mut book = EpochBook::new();
    let s0 = Sealed::seal_bytes(&o, &[bob.public()], b"terms").unwrap();
    book.observe_sealed(&s0).unwrap();
    let s1 = s0.revoke_checked(&o, &bob.key_id(), &book).unwrap();
    book.observe_sealed(&s1).unwrap();
    assert_eq!(s1.epoch(), 1);
    assert!(matches!(s1.open(&bob), Err(OpenError::NotARecipient)));
    // Why it matters: the epoch-0 copy is still validly signed, and granting from it (the
    // unchecked path) hands Bob the content again.
    s0.verify().unwrap();
    let regranted = s0.grant(&o, &carol.public()).unwrap();
    assert_eq!(
        regranted.open(&bob).unwrap(),
        Content::Bytes(b"terms".to_vec())
    );
    // The checked operations refuse the stale copy, with a typed error.
    let stale = |r: Result<Sealed, SealError>| {
        matches!(
            r,
            Err(SealError::StaleEpoch { record_id, epoch: 0, newest: 1 }) if record_id == s0.record_id()
        )
    };
    assert!(stale(s0.grant_checked(&o, &carol.public(), &book)));
    assert!(stale(s0.revoke_checked(&o, &bob.key_id(), &book)));
    assert!(stale(s0.reseal_checked(&o, &[carol.public()], &book)));
    let e = SealError::StaleEpoch {
        record_id: s0.record_id(),
        epoch: 0,
        newest: 1,
    };
    assert_eq!(e.code(), "seal.stale_epoch");
    // the current copy (and a held (id, epoch) pair) work as before; Bob stays out
    let g = s1.grant_checked(&o, &carol.public(), &book).unwrap();
    assert_eq!(g.open(&carol).unwrap(), Content::Bytes(b"terms".to_vec()));
    assert!(matches!(g.open(&bob), Err(OpenError::NotARecipient)));
    let held = (s1.record_id(), 1u32);
    assert!(s0.grant_checked(&o, &carol.public(), &held).is_err());
    assert!(s1.grant_checked(&o, &carol.public(), &held).is_ok());
    // a source that knows nothing of the record lets any epoch through
    let other = (RecordId([0xee; 16]), 9u32);
    assert!(s0.grant_checked(&o, &carol.public(), &other).is_ok());
    // a copy newer than the source knows (the source was not updated) is the owner's own
    // signed epoch: it passes
    let s2 = s1.reseal_checked(&o, &[carol.public()], &book).unwrap();
    assert_eq!(s2.epoch(), 2);
    assert!(s2.grant_checked(&o, &bob.public(), &book).is_ok());
}

/// A foreign compact JWE for `to` (as other JOSE libraries make it).
fn foreign_jwe(to: &PublicKeys, pt: &[u8]) -> String {
    use crate::encoding::b64u_encode;
    let esk = x25519_dalek::StaticSecret::from([0x5au8; 32]);
    let epk = x25519_dalek::PublicKey::from(&esk);
    let z = esk.diffie_hellman(to.encryption());
    let kek = concat_kdf(z.as_bytes(), ALG, &[], &[]);
    let cek = [0x11u8; 32];
    let mut ek = [0u8; 40];
    aes_kw::KekAes256::new(&(*kek).into())
        .wrap(&cek, &mut ek)
        .unwrap();
    let header = serde_json::json!({
        "alg": ALG, "enc": ENC,
        "epk": {"kty": "OKP", "crv": "X25519", "x": b64u_encode(epk.as_bytes())},
    });
    let p = b64u_encode(header.to_string().as_bytes());
    let iv = [0x22u8; 12];
    let ct = hazmat::aes256gcm_encrypt(&cek, &iv, p.as_bytes(), pt);
    let (c, t) = ct.split_at(ct.len() - 16);
    format!(
        "{p}.{}.{}.{}.{}",
        b64u_encode(&ek),
        b64u_encode(&iv),
        b64u_encode(c),
        b64u_encode(t)
    )
}

fn stream_bytes(owner: &Party, to: &[PublicKeys], data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    stream::seal_stream(owner, to, data, &mut out, &mut |_| {}).unwrap();
    out
}

#[test]
fn open_any_says_what_it_opened() {
    let [o, a] = parties();
    let none = OpenOptions::default();
    let s = Sealed::seal_record(&o, &[a.public()], &record()).unwrap();
    let bin = open_any(&s.to_bytes(), &a, &none).unwrap();
    assert_eq!(bin.format, Format::Binary);
    assert_eq!(bin.version, Some(2));
    assert_eq!(bin.owner, Owner::Signed(o.key_id()));
    assert!(bin.owner_signed());
    assert_eq!(bin.record_id, Some(s.record_id()));
    assert_eq!(bin.epoch, Some(0));
    assert_eq!(bin.content, Content::Record(record()));
    let j = open_any(s.to_jwe_json().as_bytes(), &a, &none).unwrap();
    assert_eq!(
        (j.format, j.owner),
        (Format::Jwe, Owner::Signed(o.key_id()))
    );
    // with surrounding whitespace too (a file with a newline)
    let text = format!("\n{}\n", s.to_jwe_json());
    assert_eq!(
        open_any(text.as_bytes(), &a, &none).unwrap().format,
        Format::Jwe
    );
    let st = stream_bytes(&o, &[a.public()], b"stream payload");
    let so = open_any(&st, &a, &none).unwrap();
    assert_eq!(so.format, Format::Stream);
    assert_eq!(so.owner, Owner::Signed(o.key_id()));
    assert_eq!(so.content, Content::Bytes(b"stream payload".to_vec()));
    let f = open_any(foreign_jwe(&a.public(), b"jose").as_bytes(), &a, &none).unwrap();
    assert_eq!(f.format, Format::ForeignJwe);
    assert_eq!((f.version, f.owner, f.record_id), (None, Owner::None, None));
    assert!(!f.owner_signed());
    assert_eq!(f.content, Content::Bytes(b"jose".to_vec()));
    // a version-1 record is flagged: its owner is only a claim
    let s = Sealed::seal_bytes_with_rng(&o, &[a.public()], b"old", &mut Fixed(0x5a)).unwrap();
    let v1 = to_v1(&s, &[0x5au8; 32], b"old");
    let got = open_any(&v1.to_bytes(), &a, &none).unwrap();
    assert_eq!(got.version, Some(1));
    assert_eq!(got.owner, Owner::Claimed(o.key_id()));
    assert_eq!(got.owner.signed(), None);
    // not a sealed object at all
    for junk in [
        &b""[..],
        b"hello",
        b"{\"a\":1}",
        b"a.b.c.d.e",
        b"CW\x02\x07",
    ] {
        assert!(
            matches!(open_any(junk, &a, &none), Err(OpenError::Decode(_))),
            "{junk:?}"
        );
    }
}

#[test]
fn open_any_refuses_another_owner_an_unsigned_one_and_a_stale_copy() {
    let [o, a, mallory] = parties();
    let expect = OpenOptions {
        expect_owner: Some(o.key_id()),
        ..Default::default()
    };
    let s = Sealed::seal_bytes(&o, &[a.public()], b"x").unwrap();
    assert!(open_any(&s.to_bytes(), &a, &expect).is_ok());
    // Mallory seals for Alice under her own key: signed, but by someone else
    let m = Sealed::seal_bytes(&mallory, &[a.public()], b"x").unwrap();
    for b in [m.to_bytes(), m.to_jwe_json().into_bytes()] {
        assert!(matches!(
            open_any(&b, &a, &expect),
            Err(OpenError::WrongOwner { expected, found }) if expected == o.key_id() && found == mallory.key_id()
        ));
    }
    let ms = stream_bytes(&mallory, &[a.public()], b"x");
    assert!(matches!(
        open_any(&ms, &a, &expect),
        Err(OpenError::WrongOwner { .. })
    ));
    // a version-1 record naming the expected owner proves nothing: refused
    let s1 = Sealed::seal_bytes_with_rng(&o, &[a.public()], b"old", &mut Fixed(0x5a)).unwrap();
    let v1 = to_v1(&s1, &[0x5au8; 32], b"old");
    assert!(matches!(
        open_any(&v1.to_bytes(), &a, &expect),
        Err(OpenError::Unauthenticated)
    ));
    // so is a foreign JWE (no owner at all)
    assert!(matches!(
        open_any(foreign_jwe(&a.public(), b"j").as_bytes(), &a, &expect),
        Err(OpenError::Unauthenticated)
    ));
    // a Causeway JWE with its signature stripped is refused whatever the options (46b1f8c)
    let mut v: serde_json::Value = serde_json::from_str(&s.to_jwe_json()).unwrap();
    v.as_object_mut().unwrap().remove("unprotected");
    assert!(matches!(
        open_any(v.to_string().as_bytes(), &a, &OpenOptions::default()),
        Err(OpenError::Decode(_))
    ));
    // a changed byte: the signature check comes first, the owner check does not mask it
    let mut t = s.to_bytes();
    let n = t.len();
    t[n - 70] ^= 1;
    assert!(matches!(open_any(&t, &a, &expect), Err(OpenError::Decrypt)));
    // a stale copy is refused for every format
    let bob = Party::generate().unwrap();
    let r0 = Sealed::seal_bytes(&o, &[bob.public()], b"v").unwrap();
    let r1 = r0.revoke(&o, &bob.key_id()).unwrap();
    let known = (r1.record_id(), r1.epoch());
    let fresh = OpenOptions {
        known_epochs: Some(&known),
        ..Default::default()
    };
    for b in [r0.to_bytes(), r0.to_jwe_json().into_bytes()] {
        assert!(matches!(
            open_any(&b, &bob, &fresh),
            Err(OpenError::StaleEpoch {
                epoch: 0,
                newest: 1,
                ..
            })
        ));
    }
    assert!(open_any(&r0.to_bytes(), &bob, &OpenOptions::default()).is_ok());
    assert!(open_any(&r1.to_bytes(), &o, &fresh).is_ok());
    let st = stream_bytes(&o, &[a.public()], b"s");
    let info = stream::inspect_stream(&st[..]).unwrap();
    let later = (info.record_id, 1u32);
    let fresh = OpenOptions {
        known_epochs: Some(&later),
        ..Default::default()
    };
    let mut out = Vec::new();
    assert!(matches!(
        stream::open_stream_with(&a, &st[..], &mut out, &mut |_| {}, &fresh),
        Err(OpenError::StaleEpoch { .. })
    ));
    assert!(out.is_empty(), "nothing released");
}

/// Review of c6e3057, item 1: the push opener made none of the `OpenOptions` checks (another
/// owner, a stale epoch) and handed plaintext out before the caller could look at the header.
/// `StreamOpener::with_options` refuses before any key is unwrapped: nothing comes out.
#[test]
fn the_push_opener_with_options_checks_before_releasing_anything() {
    use stream::StreamOpener;
    let [o, a, mallory] = parties();
    // two full chunks and a bit: `push` would hand out the first chunk at once
    let data = vec![0x42u8; 2 * stream::CHUNK_SIZE + 10];
    let st = stream_bytes(&o, &[a.public()], &data);
    let ms = stream_bytes(&mallory, &[a.public()], &data);
    let info = stream::inspect_stream(&st[..]).unwrap();
    let expect = OpenOptions {
        expect_owner: Some(o.key_id()),
        ..Default::default()
    };
    let later = (info.record_id, 1u32);
    let fresh = OpenOptions {
        known_epochs: Some(&later),
        ..Default::default()
    };
    // one push of everything, and byte by byte up to the header's end: the error comes as
    // soon as the header is complete, and no plaintext before it
    let refused = |bytes: &[u8], opts: OpenOptions<'_>| -> OpenError {
        let mut op = StreamOpener::with_options(&a, opts);
        match op.push(bytes) {
            Err(e) => e,
            Ok(out) => panic!("accepted, {} bytes out", out.len()),
        }
    };
    assert!(matches!(
        refused(&ms, expect),
        OpenError::WrongOwner { expected, found } if expected == o.key_id() && found == mallory.key_id()
    ));
    assert!(matches!(
        refused(&st, fresh),
        OpenError::StaleEpoch {
            epoch: 0,
            newest: 1,
            ..
        }
    ));
    let mut op = StreamOpener::with_options(&a, fresh);
    let mut got_err = None;
    for b in st.chunks(7) {
        match op.push(b) {
            Ok(out) => assert!(out.is_empty(), "plaintext before the refusal"),
            Err(e) => {
                got_err = Some(e);
                break;
            }
        }
    }
    assert!(matches!(got_err, Some(OpenError::StaleEpoch { .. })));
    // after the refusal every call fails
    assert!(op.push(b"").is_err());
    // without options (StreamOpener::new) both open, as before
    let mut plain = StreamOpener::new(&a).push(&ms).unwrap();
    assert!(!plain.is_empty());
    plain.clear();
    // the right owner at the newest epoch opens in full with the options
    let current = (info.record_id, 0u32);
    let both = OpenOptions {
        expect_owner: Some(o.key_id()),
        known_epochs: Some(&current),
    };
    let mut op = StreamOpener::with_options(&a, both);
    plain.extend(op.push(&st).unwrap());
    let (tail, done) = op.finish().unwrap();
    plain.extend(tail);
    assert_eq!(plain, data);
    assert!(done.signed);
    // a changed header byte is still the opaque error, not masked by the options
    let mut t = st.clone();
    t[10] ^= 1;
    let e = refused(&t, both);
    assert!(
        matches!(e, OpenError::Decrypt | OpenError::Decode(_)),
        "{e:?}"
    );
}

/// Review of c6e3057, item 8: with `known_epochs` set, `open_any` opened a foreign JWE (no
/// record id, no epoch) and a version-1 record (record id, epoch and owner only claims)
/// without any freshness check. Freshness needs a signed owner: both are refused.
#[test]
fn freshness_refuses_what_has_no_signed_owner() {
    let [o, a] = parties();
    let s = Sealed::seal_bytes_with_rng(&o, &[a.public()], b"old", &mut Fixed(0x5a)).unwrap();
    let v1 = to_v1(&s, &[0x5au8; 32], b"old");
    let known = EpochBook::new();
    let fresh = OpenOptions {
        known_epochs: Some(&known),
        ..Default::default()
    };
    assert!(matches!(
        open_any(foreign_jwe(&a.public(), b"j").as_bytes(), &a, &fresh),
        Err(OpenError::Unauthenticated)
    ));
    assert!(matches!(
        open_any(&v1.to_bytes(), &a, &fresh),
        Err(OpenError::Unauthenticated)
    ));
    // without the option both still open
    assert!(open_any(
        foreign_jwe(&a.public(), b"j").as_bytes(),
        &a,
        &OpenOptions::default()
    )
    .is_ok());
    assert!(open_any(&v1.to_bytes(), &a, &OpenOptions::default()).is_ok());
    // a signed record the source knows nothing of opens
    assert!(open_any(&s.to_bytes(), &a, &fresh).is_ok());
    // the reader's check_fresh refuses an unsigned object too; the owner's checks it
    assert!(matches!(
        v1.check_fresh(&known),
        Err(SealError::Unauthenticated)
    ));
    assert!(v1.check_fresh_as(&o, &known).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Issue 12: sealing into and opening into a caller's buffer (the Python binding's one-call path).
// ---------------------------------------------------------------------------------------------

#[test]
fn seal_bytes_into_writes_the_bytes_of_seal_bytes() {
    let [o, a] = parties();
    for len in [0usize, 1, 4096, 100_003] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        // the owner named again is dropped, as seal_bytes drops it
        let rs = [a.public(), o.public()];
        let want =
            Sealed::seal_bytes_with_rng(&o, &rs, &data, &mut crate::testing::TestRng::new(9))
                .unwrap()
                .to_bytes();
        let n = Sealed::sealed_bytes_len(&o, &rs, len).unwrap();
        assert_eq!(n, want.len());
        let mut out = vec![0xeeu8; n];
        Sealed::seal_bytes_into_with_rng(
            &o,
            &rs,
            &data,
            &mut out,
            &mut crate::testing::TestRng::new(9),
        )
        .unwrap();
        assert_eq!(out, want, "len {len}");
        let s = Sealed::from_bytes(&out).unwrap();
        assert_eq!(s.open(&a).unwrap(), Content::Bytes(data.clone()));
        // with the OS RNG: opens too, and the ciphertext is not the plaintext
        let mut out = vec![0u8; n];
        Sealed::seal_bytes_into(&o, &[a.public()], &data, &mut out).unwrap();
        let s = Sealed::from_bytes(&out).unwrap();
        assert_eq!(s.open(&a).unwrap(), Content::Bytes(data.clone()));
        if len >= 16 {
            assert!(!out.windows(16).any(|w| w == &data[..16]));
        }
    }
}

#[test]
fn seal_bytes_into_refuses_a_wrong_buffer_and_the_limits() {
    let [o, a] = parties();
    let n = Sealed::sealed_bytes_len(&o, &[a.public()], 10).unwrap();
    for wrong in [0, n - 1, n + 1] {
        let mut out = vec![0u8; wrong];
        let e = Sealed::seal_bytes_into(&o, &[a.public()], b"0123456789", &mut out).unwrap_err();
        assert!(matches!(e, SealError::Io(_)), "{e:?}");
        assert!(
            out.iter().all(|b| *b == 0),
            "nothing written to a wrong buffer"
        );
    }
    assert!(matches!(
        Sealed::sealed_bytes_len(&o, &[], MAX_PAYLOAD + 1),
        Err(SealError::PayloadTooLarge { .. })
    ));
    let many: Vec<PublicKeys> = (0..MAX_RECIPIENTS)
        .map(|_| Party::generate().unwrap().public())
        .collect();
    assert!(matches!(
        Sealed::sealed_bytes_len(&o, &many, 1),
        Err(SealError::TooManyRecipients { .. })
    ));
}

#[test]
fn open_bytes_into_checks_what_open_checks_and_releases_nothing_on_failure() {
    let [o, a, stranger] = parties();
    let data = vec![0x5au8; 70_000];
    let bytes = Sealed::seal_bytes(&o, &[a.public()], &data)
        .unwrap()
        .to_bytes();
    let s = Sealed::from_bytes(&bytes).unwrap();
    let mut out = vec![0u8; s.ciphertext_len()];
    s.open_bytes_into(&a, &mut out).unwrap();
    assert_eq!(out, data);
    // not a recipient
    assert!(matches!(
        refused_and_wiped(data.len(), |out| s.open_bytes_into(&stranger, out)),
        OpenError::NotARecipient
    ));
    // a wrong output length
    refused_and_wiped(data.len() - 1, |out| s.open_bytes_into(&a, out));
    // every changed byte of the object (header, wraps, ciphertext, tag, signature) is refused
    // before anything is released
    for at in tamper_offsets(bytes.len()) {
        let mut t = bytes.clone();
        t[at] ^= 0x01;
        let Ok(s) = Sealed::from_bytes(&t) else {
            continue;
        };
        refused_and_wiped(s.ciphertext_len(), |out| s.open_bytes_into(&a, out));
    }
    // a sealed record is not bytes
    let r = Sealed::seal_record(&o, &[a.public()], &record()).unwrap();
    let mut out = vec![0u8; r.ciphertext_len()];
    assert!(matches!(
        r.open_bytes_into(&a, &mut out),
        Err(OpenError::Decode(_))
    ));
    assert!(out.iter().all(|b| *b == 0));
}

#[test]
fn checked_sealed_opens_as_open_any_does() {
    let [o, a] = parties();
    let data = b"payload".to_vec();
    let s = Sealed::seal_bytes(&o, &[a.public()], &data).unwrap();
    let defaults = OpenOptions::default();
    for (bytes, format) in [
        (s.to_bytes(), Format::Binary),
        (s.to_jwe_json().into_bytes(), Format::Jwe),
    ] {
        let c = CheckedSealed::new(&bytes, &defaults).unwrap().unwrap();
        assert_eq!(c.format(), format);
        assert_eq!(c.owner(), Owner::Signed(o.key_id()));
        let mut out = vec![0u8; c.plaintext_len().unwrap()];
        c.open_bytes_into(&a, &mut out).unwrap();
        assert_eq!(out, data);
        assert_eq!(
            c.open(&a).unwrap(),
            open_any(&bytes, &a, &defaults).unwrap()
        );
        // expecting another owner: refused before anything is unwrapped, as open_any does
        let wrong = OpenOptions {
            expect_owner: Some(a.key_id()),
            ..Default::default()
        };
        assert_eq!(
            format!("{:?}", CheckedSealed::new(&bytes, &wrong).unwrap_err()),
            format!("{:?}", open_any(&bytes, &a, &wrong).unwrap_err())
        );
        // a changed signature byte: refused by both with the same error
        let mut t = s.to_bytes();
        let last = t.len() - 1;
        t[last] ^= 1;
        assert_eq!(
            format!("{:?}", CheckedSealed::new(&t, &defaults).unwrap_err()),
            format!("{:?}", open_any(&t, &a, &defaults).unwrap_err())
        );
    }
    // a record: no plaintext length, opens as a record
    let r = Sealed::seal_record(&o, &[a.public()], &record())
        .unwrap()
        .to_bytes();
    let c = CheckedSealed::new(&r, &defaults).unwrap().unwrap();
    assert_eq!(c.plaintext_len(), None);
    assert_eq!(c.open(&a).unwrap().content, Content::Record(record()));
    // a stream and a foreign-looking JWE are left to open_any; garbage is a decode error
    let mut st = Vec::new();
    stream::seal_stream(&o, &[a.public()], &b"x"[..], &mut st, &mut |_| {}).unwrap();
    assert!(CheckedSealed::new(&st, &defaults).unwrap().is_none());
    assert!(CheckedSealed::new(b"{\"protected\":\"x\"}", &defaults)
        .unwrap()
        .is_none());
    assert!(matches!(
        CheckedSealed::new(b"CWxx-not-sealed", &defaults),
        Err(OpenError::Decode(_))
    ));
}

/// Issue 12: `CheckedSealedRef` borrows the ciphertext from the caller's bytes; it must decode,
/// check and open exactly as `CheckedSealed` does, and release nothing on any failure.
#[test]
fn checked_sealed_ref_opens_as_checked_sealed_does_and_releases_nothing() {
    let [o, a, stranger] = parties();
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    let s = Sealed::seal_bytes(&o, &[a.public()], &data).unwrap();
    let bytes = s.to_bytes();
    let defaults = OpenOptions::default();
    let c = CheckedSealedRef::new(&bytes, &defaults).unwrap().unwrap();
    let owned = CheckedSealed::new(&bytes, &defaults).unwrap().unwrap();
    assert_eq!(c.owner(), owned.owner());
    assert_eq!(c.version(), s.version());
    assert_eq!(c.record_id(), s.record_id());
    assert_eq!(c.epoch(), s.epoch());
    assert_eq!(c.plaintext_len(), owned.plaintext_len());
    let mut out = vec![0u8; c.plaintext_len().unwrap()];
    c.open_bytes_into(&a, &mut out).unwrap();
    assert_eq!(out, data);
    // the signed message hashed in place is the one over the built body
    assert_eq!(
        s.signed_message_with(&s.ciphertext),
        signed_message_of(&s.body_bytes())
    );
    // not a recipient, a wrong length: an error and a zeroed output
    assert!(matches!(
        refused_and_wiped(data.len(), |out| c.open_bytes_into(&stranger, out)),
        OpenError::NotARecipient
    ));
    refused_and_wiped(data.len() - 1, |out| c.open_bytes_into(&a, out));
    // every changed byte (header, wraps, ciphertext, tag, signature): refused with the error
    // CheckedSealed gives, or (the ciphertext and tag are only checked by decryption) refused
    // when opened, the output zeroed
    for at in tamper_offsets(bytes.len()) {
        let mut t = bytes.clone();
        t[at] ^= 1;
        let ours = CheckedSealedRef::new(&t, &defaults);
        let theirs = CheckedSealed::new(&t, &defaults);
        match (ours, theirs) {
            (Err(e1), Err(e2)) => assert_eq!(format!("{e1:?}"), format!("{e2:?}")),
            (Ok(Some(c1)), Ok(Some(_))) => {
                refused_and_wiped(data.len(), |out| c1.open_bytes_into(&a, out));
            }
            // not the binary form any more (a changed magic): left to CheckedSealed, which
            // refuses it
            (Ok(None), Err(_)) if !t.starts_with(&crate::encoding::MAGIC) => {}
            (x, y) => panic!("byte {at}: {x:?} against {y:?}"),
        }
    }
    // options: another owner expected, a newer epoch known: refused as CheckedSealed does
    let wrong = OpenOptions {
        expect_owner: Some(a.key_id()),
        ..Default::default()
    };
    assert_eq!(
        format!("{:?}", CheckedSealedRef::new(&bytes, &wrong).unwrap_err()),
        format!("{:?}", CheckedSealed::new(&bytes, &wrong).unwrap_err())
    );
    let later = (s.record_id(), s.epoch() + 1);
    let stale = OpenOptions {
        known_epochs: Some(&later),
        ..Default::default()
    };
    assert_eq!(
        format!("{:?}", CheckedSealedRef::new(&bytes, &stale).unwrap_err()),
        format!("{:?}", CheckedSealed::new(&bytes, &stale).unwrap_err())
    );
    // truncated at every length class: a decode error, never a panic
    for cut in [0usize, 1, 4, 60, bytes.len() / 2, bytes.len() - 1] {
        assert!(CheckedSealedRef::new(&bytes[..cut], &defaults)
            .map(|c| c.is_none())
            .unwrap_or(true));
    }
    // trailing bytes are refused as from_bytes refuses them
    let mut long = bytes.clone();
    long.push(0);
    assert!(CheckedSealedRef::new(&long, &defaults).is_err());
    // the JWE form, a stream, a record: left to CheckedSealed / open_any (or no length)
    let jwe = s.to_jwe_json().into_bytes();
    assert!(CheckedSealedRef::new(&jwe, &defaults).unwrap().is_none());
    let mut st = Vec::new();
    stream::seal_stream(&o, &[a.public()], &b"x"[..], &mut st, &mut |_| {}).unwrap();
    assert!(CheckedSealedRef::new(&st, &defaults).unwrap().is_none());
    let r = Sealed::seal_record(&o, &[a.public()], &record())
        .unwrap()
        .to_bytes();
    assert_eq!(
        CheckedSealedRef::new(&r, &defaults)
            .unwrap()
            .unwrap()
            .plaintext_len(),
        None
    );
    // from_bytes after the split still gives the whole object
    assert_eq!(Sealed::from_bytes(&bytes).unwrap().to_bytes(), bytes);
}

/// Review of 6 Dec, item 1: pieces of another object by the same owner for the same recipients
/// (one recipient's entry, the key commitment and IV, the ciphertext and tag, the owner
/// signature) spliced into an object, and a version-2 object relabelled version 1 without its
/// signature: the borrowing open (`CheckedSealedRef`) and `open_any` refuse every one, and no
/// plaintext reaches the output.
#[test]
fn spliced_or_downgraded_objects_are_refused_by_the_borrowing_open() {
    let [o, a, b] = parties();
    let data = vec![0x42u8; 1000];
    let seal = || {
        Sealed::seal_bytes(&o, &[a.public(), b.public()], &data)
            .unwrap()
            .to_bytes()
    };
    let (one, two) = (seal(), seal());
    assert_eq!(one.len(), two.len());
    let defaults = OpenOptions::default();
    // header, content type, record id, epoch, owner; then key commitment and IV; the count
    let kc_iv = 4 + 1 + 16 + 4 + 16..4 + 1 + 16 + 4 + 16 + 32 + 12;
    let entries = kc_iv.end + 2;
    let entry =
        |i: usize| entries + i * RECIPIENT_ENTRY_LEN..entries + (i + 1) * RECIPIENT_ENTRY_LEN;
    let body_end = one.len() - SIGNATURE_LEN;
    let ct_tag = entries + 3 * RECIPIENT_ENTRY_LEN + 4..body_end;
    for (what, range) in [
        ("a's recipient entry", entry(1)),
        ("the owner's recipient entry", entry(0)),
        ("the key commitment and IV", kc_iv),
        ("the ciphertext and tag", ct_tag),
        ("the signature", body_end..one.len()),
    ] {
        let mut t = one.clone();
        t[range.clone()].copy_from_slice(&two[range]);
        assert_ne!(t, one, "{what}");
        assert!(
            matches!(
                CheckedSealedRef::new(&t, &defaults),
                Err(OpenError::Decrypt)
            ),
            "{what}"
        );
        for p in [&o, &a, &b] {
            assert!(open_any(&t, p, &defaults).is_err(), "{what}");
        }
    }
    // relabelled version 1, signature dropped: decodes as an unsigned claim, never opens (the
    // version is in the AES-GCM additional data), and expecting the owner refuses it first
    let mut v1 = one[..body_end].to_vec();
    v1[2] = VERSION_1;
    let c = CheckedSealedRef::new(&v1, &defaults).unwrap().unwrap();
    assert_eq!(c.owner(), Owner::Claimed(o.key_id()));
    for p in [&o, &a, &b] {
        assert!(matches!(
            refused_and_wiped(data.len(), |out| c.open_bytes_into(p, out)),
            OpenError::Decrypt
        ));
    }
    let expect = OpenOptions {
        expect_owner: Some(o.key_id()),
        ..Default::default()
    };
    assert!(matches!(
        CheckedSealedRef::new(&v1, &expect),
        Err(OpenError::Unauthenticated)
    ));
    // the untouched object still opens
    let c = CheckedSealedRef::new(&one, &defaults).unwrap().unwrap();
    let mut out = vec![0u8; data.len()];
    c.open_bytes_into(&b, &mut out).unwrap();
    assert_eq!(out, data);
}
