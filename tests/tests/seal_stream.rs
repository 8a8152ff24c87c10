//! Sealed streams through files: round trips, rotation, and bad input.

use causeway::error::{DecodeError, OpenError};
use causeway::party::Party;
use causeway::seal::stream::{inspect_stream, is_stream, open_stream, seal_stream, CHUNK_SIZE};
use std::io::{Read, Seek, SeekFrom, Write};

fn party() -> Party {
    Party::generate().unwrap()
}

fn seal(owner: &Party, to: &[&Party], data: &[u8]) -> Vec<u8> {
    let keys: Vec<_> = to.iter().map(|p| p.public()).collect();
    let mut out = Vec::new();
    seal_stream(owner, &keys, data, &mut out, &mut |_| {}).unwrap();
    out
}

fn open(p: &Party, s: &[u8]) -> Result<Vec<u8>, OpenError> {
    let mut out = Vec::new();
    open_stream(p, s, &mut out, &mut |_| {}).map(|_| out)
}

#[test]
fn file_round_trip_with_progress_and_rotation() {
    let (o, mut a) = (party(), party());
    let data: Vec<u8> = (0..(5 * CHUNK_SIZE + 12345))
        .map(|i| (i % 251) as u8)
        .collect();
    let mut src = tempfile::tempfile().unwrap();
    src.write_all(&data).unwrap();
    src.seek(SeekFrom::Start(0)).unwrap();
    let mut sealed = tempfile::tempfile().unwrap();
    let mut last = 0;
    let info = seal_stream(&o, &[a.public()], &src, &mut sealed, &mut |n| {
        assert!(n >= last);
        last = n;
    })
    .unwrap();
    assert_eq!(info.plaintext_len, data.len() as u64);
    assert_eq!(last, data.len() as u64);
    a.rotate().unwrap();
    sealed.seek(SeekFrom::Start(0)).unwrap();
    let mut head = [0u8; 4];
    sealed.read_exact(&mut head).unwrap();
    assert!(is_stream(&head));
    sealed.seek(SeekFrom::Start(0)).unwrap();
    let h = inspect_stream(&sealed).unwrap();
    assert_eq!(h.record_id, info.record_id);
    assert_eq!(h.recipients, info.recipients);
    sealed.seek(SeekFrom::Start(0)).unwrap();
    let mut out = Vec::new();
    let got = open_stream(&a, &sealed, &mut out, &mut |_| {}).unwrap();
    assert_eq!(out, data);
    assert_eq!(got.plaintext_len, data.len() as u64);
    assert_eq!(got.record_id, info.record_id);
}

#[test]
fn wrong_party_version_and_truncation() {
    let (o, a, stranger) = (party(), party(), party());
    let data = vec![9u8; 2 * CHUNK_SIZE];
    let s = seal(&o, &[&a], &data);
    assert!(matches!(open(&stranger, &s), Err(OpenError::NotARecipient)));
    // version 3 is a sealed table's part (decision 0086): the first unknown version is 4
    let mut v = s.clone();
    v[2] = 4;
    assert!(matches!(
        open(&a, &v),
        Err(OpenError::Decode(DecodeError::UnsupportedVersion {
            found: 4
        }))
    ));
    assert!(matches!(
        open(&a, &s[..10]),
        Err(OpenError::Decode(DecodeError::Truncated))
    ));
    // every cut after the header fails (never a silent short plaintext)
    let header = s.len() - 2 * (CHUNK_SIZE + 16);
    for cut in (header..s.len()).step_by(4099).chain([s.len() - 1]) {
        assert!(open(&a, &s[..cut]).is_err(), "cut at {cut}");
    }
    // an oversized recipient count is refused before reading on
    let mut big = s.clone();
    // (version 2 layout: the owner's two public keys, 64 bytes, where version 1 had its key id)
    let at = 4 + 1 + 16 + 4 + 64 + 32;
    big[at..at + 2].copy_from_slice(&2000u16.to_be_bytes());
    assert!(matches!(
        open(&a, &big),
        Err(OpenError::Decode(DecodeError::TooLong { .. }))
    ));
    // a sealed record is not a stream
    let rec = causeway::seal::Sealed::seal_bytes(&o, &[], b"x")
        .unwrap()
        .to_bytes();
    assert!(!is_stream(&rec));
    assert!(open(&o, &rec).is_err());
}

#[test]
fn chunk_mutations_fail() {
    let o = party();
    let data = vec![1u8; CHUNK_SIZE + 10];
    let s = seal(&o, &[], &data);
    for i in (0..s.len()).step_by(997) {
        let mut m = s.clone();
        m[i] ^= 0x20;
        assert!(open(&o, &m).is_err(), "byte {i}");
    }
}
