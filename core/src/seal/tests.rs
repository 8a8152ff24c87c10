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
    let o = Party::generate().unwrap();
    let a = Party::generate().unwrap();
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
    let inspected = s.inspect();
    assert_eq!(inspected["record_id"], s.record_id().to_string());
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
    let o = Party::generate().unwrap();
    let a = Party::generate().unwrap();
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
    let o = Party::generate().unwrap();
    let a = Party::generate().unwrap();
    let r = Party::generate().unwrap();
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
    let mut o = Party::generate().unwrap();
    let mut a = Party::generate().unwrap();
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
    let o = Party::generate().unwrap();
    let a = Party::generate().unwrap();
    let b = Party::generate().unwrap();
    let mut s = Sealed::seal_bytes(&o, &[a.public(), b.public()], b"for everyone").unwrap();
    // wrap a different content key for b
    let other = Zeroizing::new([0x42u8; 32]);
    let (epk, ek) = wrap_cek(&mut OsRng, &b.public(), &other).unwrap();
    s.recipients[2].epk = epk;
    s.recipients[2].ek = ek;
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
