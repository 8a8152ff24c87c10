//! Sealed tables: round trips, per-part access, and every attack the format must refuse.

use super::super::fixtures::{
    columns, seal_three, table_fixture as fixture, three_lens, three_parts, TableFixture as Fixture,
};
use super::*;
use crate::error::{ErrorKind, OpenError, TableError};
use crate::party::Party;
use crate::testing::TestRng;

fn big(n: usize, b: u8) -> Vec<u8> {
    (0..n).map(|i| (i as u8).wrapping_mul(31) ^ b).collect()
}

fn code(r: Result<OpenedTable, TableError>) -> &'static str {
    r.unwrap_err().code()
}

fn open(f: &Fixture, party: &Party, bytes: &[u8]) -> Result<OpenedTable, TableError> {
    SealedTable::parse(bytes)?.open(party, Some(&f.owner.key_id()))
}

#[test]
fn three_parties_see_their_columns() {
    let f = fixture();
    let amount = big(200_000, 1); // several stream chunks
    let sealed = seal_three(&f, [b"alice,bob", &amount, b"123,456"]);
    assert!(is_table(&sealed));

    let o = open(&f, &f.owner, &sealed).unwrap();
    assert!(o.unreadable.is_empty());
    assert_eq!(
        o.parts[0].as_deref().map(|v| v.as_slice()),
        Some(&b"alice,bob"[..])
    );
    assert_eq!(
        o.parts[1].as_deref().map(|v| v.as_slice()),
        Some(&amount[..])
    );
    assert_eq!(o.manifest.rows, 2);
    assert_eq!(o.manifest.columns, columns());
    assert_eq!(o.manifest.parts[2].columns, vec!["ssn".to_string()]);

    let p = open(&f, &f.partner, &sealed).unwrap();
    assert_eq!(p.unreadable, vec![0, 2]);
    assert_eq!(p.unreadable_columns(), vec!["name", "ssn"]);
    assert_eq!(
        p.parts[1].as_deref().map(|v| v.as_slice()),
        Some(&amount[..])
    );
    assert!(p.parts[0].is_none() && p.parts[2].is_none());

    let r = open(&f, &f.regulator, &sealed).unwrap();
    assert_eq!(r.unreadable_columns(), vec!["name"]);
    assert_eq!(
        r.parts[2].as_deref().map(|v| v.as_slice()),
        Some(&b"123,456"[..])
    );

    let x = open(&f, &f.outsider, &sealed).unwrap();
    assert_eq!(x.unreadable, vec![0, 1, 2]);
}

#[test]
fn whole_table_and_empty_payload_round_trip() {
    let f = fixture();
    for n in [
        0usize,
        1,
        CHUNK_EDGE - 1,
        CHUNK_EDGE,
        CHUNK_EDGE + 1,
        3 * CHUNK_EDGE,
    ] {
        let payload = big(n, 9);
        let parts = [TablePart {
            columns: vec!["name".into(), "amount".into(), "ssn".into()],
            recipients: vec![f.partner.public()],
            payload: &payload,
        }];
        let plan = TablePlan::new(&f.owner, CONTENT_TYPE_ARROW, 5, &columns(), &parts).unwrap();
        let sealed = seal_table(&f.owner, CONTENT_TYPE_ARROW, 5, &columns(), &parts).unwrap();
        assert_eq!(sealed.len(), plan.sealed_len().unwrap(), "length for {n}");
        let t = SealedTable::parse(&sealed).unwrap();
        assert_eq!(t.part_plaintext_len(0).unwrap(), n);
        let o = t.open(&f.partner, None).unwrap();
        assert_eq!(
            o.parts[0].as_deref().map(|v| v.as_slice()),
            Some(&payload[..])
        );
    }
}

const CHUNK_EDGE: usize = crate::seal::stream::CHUNK_SIZE;

#[test]
fn layout_errors_are_refused_before_sealing() {
    let f = fixture();
    let p = |cols: &[&str]| TablePart {
        columns: cols.iter().map(|c| c.to_string()).collect(),
        recipients: vec![],
        payload: b"x",
    };
    let cases: Vec<(Vec<TableColumn>, Vec<TablePart<'_>>)> = vec![
        (columns(), vec![p(&["name", "amount"])]), // ssn in no part
        (columns(), vec![p(&["name", "amount", "ssn"]), p(&["ssn"])]), // in two parts
        (columns(), vec![p(&["name", "amount", "ssn", "nope"])]), // unknown column
        (columns(), vec![p(&["name", "amount", "ssn"]), p(&[])]), // empty part
        (
            vec![TableColumn::new("a", "x"), TableColumn::new("a", "y")],
            vec![p(&["a"])],
        ), // duplicate name
        (vec![TableColumn::new("", "x")], vec![p(&[""])]), // empty name
        (vec![], vec![]),
    ];
    for (cols, parts) in cases {
        let e = seal_table(&f.owner, "t", 1, &cols, &parts).unwrap_err();
        assert_eq!(e.code(), "table.invalid_columns", "{e}");
        assert_eq!(e.kind(), ErrorKind::Malformed);
    }
    let long = "n".repeat(MAX_NAME_LEN + 1);
    let e = seal_table(
        &f.owner,
        "t",
        1,
        &[TableColumn::new(&long, "x")],
        &[p(&[&long])],
    )
    .unwrap_err();
    assert_eq!(e.code(), "table.limit");
    let many: Vec<TableColumn> = (0..=MAX_COLUMNS)
        .map(|i| TableColumn::new(&format!("c{i}"), "x"))
        .collect();
    let e = seal_table(&f.owner, "t", 1, &many, &[p(&["c0"])]).unwrap_err();
    assert_eq!(e.code(), "table.limit");
}

/// Splits a sealed table into (header+manifest+signature, [part bytes]).
fn split(bytes: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mlen = u32::from_be_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let head_end = 8 + mlen + SIGNATURE_LEN;
    let mut parts = Vec::new();
    let mut pos = head_end;
    while pos < bytes.len() {
        let len = u64::from_be_bytes(bytes[pos..pos + 8].try_into().unwrap()) as usize;
        parts.push(bytes[pos + 8..pos + 8 + len].to_vec());
        pos += 8 + len;
    }
    (bytes[..head_end].to_vec(), parts)
}

fn join(head: &[u8], parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = head.to_vec();
    for p in parts {
        out.extend_from_slice(&(p.len() as u64).to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

#[test]
fn swapped_dropped_duplicated_or_mixed_parts_are_refused() {
    let f = fixture();
    // equal lengths, so only the digests tell the parts apart
    let sealed = seal_three(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let (head, parts) = split(&sealed);
    assert_eq!(join(&head, &parts), sealed);

    // swap ssn and amount (both readable by the regulator, so a swap would otherwise leak
    // the ssn column under the name "amount")
    let swapped = join(
        &head,
        &[parts[0].clone(), parts[2].clone(), parts[1].clone()],
    );
    for party in [&f.owner, &f.partner, &f.regulator, &f.outsider] {
        assert_eq!(code(open(&f, party, &swapped)), "table.tampered");
    }
    // drop the last part
    let dropped = join(&head, &parts[..2]);
    assert_eq!(code(open(&f, &f.regulator, &dropped)), "decode.truncated");
    // duplicate a part in place of another
    let dup = join(
        &head,
        &[parts[0].clone(), parts[1].clone(), parts[1].clone()],
    );
    assert_eq!(code(open(&f, &f.partner, &dup)), "table.tampered");
    // an extra part appended
    let extra = join(
        &head,
        &[
            parts[0].clone(),
            parts[1].clone(),
            parts[2].clone(),
            parts[2].clone(),
        ],
    );
    assert_eq!(code(open(&f, &f.regulator, &extra)), "decode.trailing_data");
    // a part from another table of the same owner with the same layout
    let other = seal_three(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let (other_head, other_parts) = split(&other);
    let mixed = join(
        &head,
        &[parts[0].clone(), other_parts[1].clone(), parts[2].clone()],
    );
    assert_eq!(code(open(&f, &f.partner, &mixed)), "table.tampered");
    // the other table's manifest over this table's parts
    let mixed = join(&other_head, &parts);
    assert_eq!(code(open(&f, &f.partner, &mixed)), "table.tampered");
    // the parts of one table are fine on their own
    assert!(open(&f, &f.partner, &other).is_ok());
}

#[test]
fn a_changed_byte_anywhere_is_refused() {
    let f = fixture();
    let sealed = seal_three(&f, [b"alice", b"1000", b"123"]);
    let step = 1; // every byte: the table is small
    for i in (0..sealed.len()).step_by(step) {
        let mut t = sealed.clone();
        t[i] ^= 0x01;
        for party in [&f.owner, &f.outsider] {
            let r = SealedTable::parse(&t).and_then(|s| s.open(party, Some(&f.owner.key_id())));
            assert!(r.is_err(), "byte {i} flipped was accepted for a party");
        }
    }
}

#[test]
fn renamed_column_or_changed_manifest_fails_the_signature() {
    let f = fixture();
    let sealed = seal_three(&f, [b"alice", b"1000", b"123"]);
    // rename "ssn" to "sSn" inside the manifest
    let pos = sealed.windows(3).position(|w| w == b"ssn").unwrap();
    let mut t = sealed.clone();
    t[pos + 1] = b'S';
    assert_eq!(code(open(&f, &f.regulator, &t)), "table.tampered");
    // a manifest re-signed by someone else (the regulator) is another owner's table
    let (head, parts) = split(&sealed);
    let mlen = u32::from_be_bytes(head[4..8].try_into().unwrap()) as usize;
    let manifest = &head[8..8 + mlen];
    let sig = f
        .regulator
        .keys()
        .sign(&signed_message(TABLE_VERSION, manifest));
    let mut head2 = head[..8 + mlen].to_vec();
    head2.extend_from_slice(&sig);
    assert_eq!(
        code(open(&f, &f.regulator, &join(&head2, &parts))),
        "table.tampered"
    );
    // expecting another owner
    let e = SealedTable::parse(&sealed)
        .unwrap()
        .open(&f.partner, Some(&f.regulator.key_id()))
        .unwrap_err();
    assert_eq!(e.code(), "seal.wrong_owner");
}

#[test]
fn another_owners_part_under_a_forged_manifest_is_refused() {
    // The regulator builds a "table" that claims the owner's keys but carries its own part:
    // it cannot sign the manifest as the owner; and a manifest it signs itself names itself
    // as the owner, which `expect_owner` refuses.
    let f = fixture();
    let mine = seal_three(&f, [b"alice", b"1000", b"123"]);
    let forged_owner = {
        let parts = [
            TablePart {
                columns: vec!["name".into()],
                recipients: vec![f.partner.public()],
                payload: b"alice",
            },
            TablePart {
                columns: vec!["amount".into()],
                recipients: vec![f.partner.public()],
                payload: b"9999",
            },
            TablePart {
                columns: vec!["ssn".into()],
                recipients: vec![f.partner.public()],
                payload: b"000",
            },
        ];
        seal_table(&f.regulator, "test/plain", 2, &columns(), &parts).unwrap()
    };
    let e = code(open(&f, &f.partner, &forged_owner));
    assert_eq!(e, "seal.wrong_owner");
    // the regulator's part spliced into the owner's table
    let (head, mut parts) = split(&mine);
    let (_, theirs) = split(&forged_owner);
    parts[1] = theirs[1].clone();
    assert_eq!(
        code(open(&f, &f.partner, &join(&head, &parts))),
        "table.tampered"
    );
}

#[test]
fn bad_headers_and_limits_on_decode() {
    let f = fixture();
    let sealed = seal_three(&f, [b"a", b"b", b"c"]);
    let mut v = sealed.clone();
    v[2] = 9;
    assert_eq!(
        SealedTable::parse(&v).unwrap_err().code(),
        "decode.unsupported_version"
    );
    let mut t = sealed.clone();
    t[3] = 0x03;
    assert_eq!(
        SealedTable::parse(&t).unwrap_err().code(),
        "decode.unexpected_tag"
    );
    for n in 0..40 {
        assert!(SealedTable::parse(&sealed[..n]).is_err());
    }
    // a manifest length over the cap is refused before anything is read
    let mut huge = sealed[..4].to_vec();
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(
        SealedTable::parse(&huge).unwrap_err().code(),
        "decode.too_long"
    );
    // a part length of 2^64-1 is refused (not allocated)
    let (head, parts) = split(&sealed);
    let mut t = head.clone();
    t.extend_from_slice(&u64::MAX.to_be_bytes());
    t.extend_from_slice(&parts[0]);
    assert_eq!(SealedTable::parse(&t).unwrap_err().code(), "table.tampered");
}

#[test]
fn a_changed_chunk_in_a_readable_part_is_tampering_and_releases_nothing() {
    // A flipped ciphertext byte in a part the reader can decrypt: the stream's chunk tag fails
    // first; the digest check then names it tampering (not an opaque decryption failure), and
    // `open` returns nothing. A non-recipient gets `not_a_recipient` from `open_part_to` and an
    // "unreadable" entry from `open`.
    let f = fixture();
    let sealed = seal_three(&f, [b"alice", b"1000", b"123"]);
    let (head, mut parts) = split(&sealed);
    let n = parts[1].len();
    parts[1][n - 70] ^= 1; // inside the last chunk
    let t = join(&head, &parts);
    assert_eq!(code(open(&f, &f.partner, &t)), "table.tampered");
    assert_eq!(code(open(&f, &f.outsider, &t)), "table.tampered");
    let s = SealedTable::parse(&t).unwrap();
    let e = s.open_part_to(&f.partner, 1, Vec::new()).unwrap_err();
    assert_eq!(e.code(), "table.tampered");
    assert!(matches!(
        SealedTable::parse(&sealed)
            .unwrap()
            .open_part_to(&f.outsider, 1, Vec::new()),
        Err(TableError::Open(OpenError::NotARecipient))
    ));
    // the trailer signature of a readable part changed: tampering too
    let (head, mut parts) = split(&sealed);
    let n = parts[2].len();
    parts[2][n - 1] ^= 1;
    assert_eq!(
        code(open(&f, &f.regulator, &join(&head, &parts))),
        "table.tampered"
    );
}

/// The table as its bytes, with `manifest` re-encoded and signed by `signer` (the owner, for
/// attacks that only the owner's signature over a changed manifest could attempt).
fn resigned(version: u8, signer: &Party, manifest: &TableManifest, parts: &[Vec<u8>]) -> Vec<u8> {
    let m = encode_manifest(manifest);
    let mut head = Vec::new();
    write_header(&mut head, version, Tag::SealedTable);
    head.extend_from_slice(&(m.len() as u32).to_be_bytes());
    head.extend_from_slice(&m);
    head.extend_from_slice(&signer.keys().sign(&signed_message(version, &m)));
    join(&head, parts)
}

/// Post-merge review L4: a part of a version-2 table names its table and column group, so cut
/// out of its table it is not an ordinary sealed stream: every stream opener refuses it with
/// `seal.table_part`, for every recipient, before anything is unwrapped.
#[test]
fn a_part_cut_out_of_its_table_does_not_open_as_a_stream() {
    use crate::seal::stream::{inspect_stream, open_stream, open_stream_with, StreamOpener};
    let f = fixture();
    let sealed = seal_three(&f, [b"alice", b"1000", b"123-45-6789"]);
    assert_eq!(sealed[2], TABLE_VERSION);
    assert_eq!(SealedTable::parse(&sealed).unwrap().version(), 2);
    let (_, parts) = split(&sealed);
    let ssn = &parts[2];
    assert_eq!(ssn[2], 3, "a part's stream header is version 3");
    let owner_only = OpenOptions {
        expect_owner: Some(f.owner.key_id()),
        known_epochs: None,
    };
    for party in [&f.regulator, &f.owner, &f.outsider] {
        let mut out = Vec::new();
        let e = open_stream(party, &ssn[..], &mut out, &mut |_| {}).unwrap_err();
        assert!(matches!(e, OpenError::TablePart), "{e:?}");
        assert!(out.is_empty());
        let e = open_stream_with(party, &ssn[..], &mut out, &mut |_| {}, &owner_only).unwrap_err();
        assert_eq!(e.code(), "seal.table_part");
        assert_eq!(e.kind(), ErrorKind::Denied);
        let e = crate::seal::open_any(ssn, party, &owner_only).unwrap_err();
        assert_eq!(e.code(), "seal.table_part");
        // the push opener, fed whole or byte by byte
        let mut o = StreamOpener::new(party);
        assert!(matches!(o.push(ssn), Err(OpenError::TablePart)));
        let mut o = StreamOpener::new(party);
        let mut got = None;
        for b in ssn.iter() {
            match o.push(&[*b]) {
                Ok(v) => assert!(v.is_empty()),
                Err(e) => {
                    got = Some(e);
                    break;
                }
            }
        }
        assert!(matches!(got, Some(OpenError::TablePart)), "{got:?}");
    }
    assert!(matches!(
        inspect_stream(&ssn[..]),
        Err(OpenError::TablePart)
    ));
    // A version-3 header with a changed byte is not a "table part" to anyone: its signature
    // fails first (the opaque error), so the typed refusal is never a claim by a forger.
    let mut forged = ssn.clone();
    forged[130] ^= 1; // inside the table context
    assert!(matches!(
        inspect_stream(&forged[..]),
        Err(OpenError::Decrypt)
    ));
    // In its table the same bytes open.
    let o = open(&f, &f.regulator, &sealed).unwrap();
    assert_eq!(
        o.parts[2].as_deref().map(|v| v.as_slice()),
        Some(&b"123-45-6789"[..])
    );
}

/// A part spliced into another table, or re-labelled as another column group or another
/// position, is refused even where the manifest pins its digest: here the owner's own key
/// re-signs the changed manifests (the strongest form of the attack; without that signature
/// the manifest check already refuses), and the part's header still names its own context.
#[test]
fn a_part_spliced_or_relabelled_is_refused_by_its_context() {
    let f = fixture();
    let sealed = seal_three(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let t = SealedTable::parse(&sealed).unwrap();
    let m = t.manifest().clone();
    let (_, parts) = split(&sealed);
    let everyone = [&f.owner, &f.partner, &f.regulator, &f.outsider];
    // Re-signing the unchanged manifest gives back an openable table (the helper is honest).
    let same = resigned(TABLE_VERSION, &f.owner, &m, &parts);
    for p in everyone {
        open(&f, p, &same).unwrap();
    }

    // 1. Spliced: another table's part 1 (same owner, same layout), its digest in this
    //    table's manifest.
    let other = seal_three(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let om = SealedTable::parse(&other).unwrap().manifest().clone();
    let (_, other_parts) = split(&other);
    let mut spliced = m.clone();
    spliced.parts[1] = om.parts[1].clone();
    let bytes = resigned(
        TABLE_VERSION,
        &f.owner,
        &spliced,
        &[parts[0].clone(), other_parts[1].clone(), parts[2].clone()],
    );
    for p in everyone {
        assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
    }
    let s = SealedTable::parse(&bytes).unwrap();
    assert_eq!(s.verify_part(1).unwrap_err().code(), "table.tampered");
    assert_eq!(
        s.open_part_to(&f.partner, 1, Vec::new())
            .unwrap_err()
            .code(),
        "table.tampered"
    );

    // 2. Re-labelled: the column "ssn" renamed "tax" (or its type changed) in the manifest.
    for relabel in [
        |m: &mut TableManifest| m.columns[2].name = "tax".into(),
        |m: &mut TableManifest| m.columns[2].type_label = "int64".into(),
        |m: &mut TableManifest| m.content_type = "text/csv".into(),
    ] {
        let mut r = m.clone();
        relabel(&mut r);
        let bytes = resigned(TABLE_VERSION, &f.owner, &r, &parts);
        for p in everyone {
            assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
        }
    }

    // 3. Moved: parts 1 and 2 swapped together with their columns and digests, so that the
    //    manifest is consistent with the bytes; each part still names its own position.
    let mut moved = m.clone();
    moved.column_parts = vec![0, 2, 1];
    moved.parts.swap(1, 2);
    let bytes = resigned(
        TABLE_VERSION,
        &f.owner,
        &moved,
        &[parts[0].clone(), parts[2].clone(), parts[1].clone()],
    );
    for p in everyone {
        assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
    }

    // 4. Downgraded: the parts of a version-1 table (plain streams, no context) under a
    //    version-2 manifest that pins them.
    let v1 = seal_v1(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let v1m = SealedTable::parse(&v1).unwrap().manifest().clone();
    let (_, v1_parts) = split(&v1);
    let bytes = resigned(TABLE_VERSION, &f.owner, &v1m, &v1_parts);
    for p in everyone {
        assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
    }
    // ... and a version-2 table's parts under a version-1 manifest.
    let bytes = resigned(TABLE_VERSION_1, &f.owner, &m, &parts);
    for p in everyone {
        assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
    }
}

/// The same three-part table in format version 1 (parts are plain version-2 streams).
fn seal_v1(f: &Fixture, payloads: [&[u8]; 3]) -> Vec<u8> {
    let parts = three_parts(f, payloads);
    let plan = TablePlan::new_in(
        TABLE_VERSION_1,
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &parts,
    )
    .unwrap();
    let mut out = vec![0u8; plan.sealed_len().unwrap()];
    plan.seal_into_with_rng(&f.owner, &parts, &mut out, &mut TestRng::new(3))
        .unwrap();
    out
}

/// Version 1 still opens as before, its checks unchanged; a part cut out of it still opens as
/// an ordinary owner-signed stream (what version 2 closes, documented in the spec).
#[test]
fn version_1_tables_still_open() {
    let f = fixture();
    let v1 = seal_v1(&f, [b"alice", b"1000", b"123"]);
    assert_eq!(v1[2], TABLE_VERSION_1);
    let t = SealedTable::parse(&v1).unwrap();
    assert_eq!(t.version(), TABLE_VERSION_1);
    t.verify_parts().unwrap();
    let o = open(&f, &f.regulator, &v1).unwrap();
    assert_eq!(o.unreadable, vec![0]);
    assert_eq!(
        o.parts[2].as_deref().map(|v| v.as_slice()),
        Some(&b"123"[..])
    );
    let o = open(&f, &f.partner, &v1).unwrap();
    assert_eq!(
        o.parts[1].as_deref().map(|v| v.as_slice()),
        Some(&b"1000"[..])
    );
    let (head, parts) = split(&v1);
    let mut out = Vec::new();
    crate::seal::stream::open_stream(&f.regulator, &parts[2][..], &mut out, &mut |_| {}).unwrap();
    assert_eq!(out, b"123");
    // its tamper checks still hold: swapped parts, a flipped byte
    let swapped = join(
        &head,
        &[parts[0].clone(), parts[2].clone(), parts[1].clone()],
    );
    assert_eq!(code(open(&f, &f.regulator, &swapped)), "table.tampered");
    for i in (0..v1.len()).step_by(7) {
        let mut t = v1.clone();
        t[i] ^= 1;
        assert!(open(&f, &f.outsider, &t).is_err(), "byte {i}");
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 12: the push sealer (a payload produced piece by piece, never whole).
// ---------------------------------------------------------------------------------------------

/// The push sealer writes, for the same RNG, the bytes `seal_into_with_rng` writes, whatever
/// the pieces (single bytes, chunk-sized, across chunk boundaries, empty pushes, empty parts).
#[test]
fn the_push_sealer_writes_the_bytes_of_seal_into() {
    let f = fixture();
    let big: Vec<u8> = (0..(2 * super::super::stream::CHUNK_SIZE + 17))
        .map(|i| (i % 251) as u8)
        .collect();
    let exact = vec![9u8; super::super::stream::CHUNK_SIZE];
    let cases: [[&[u8]; 3]; 3] = [
        [b"alice", &big, b"123"],
        [&exact, b"", &big],
        [b"", b"x", &exact],
    ];
    for payloads in cases {
        let parts = three_parts(&f, payloads);
        let plan = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &parts).unwrap();
        let mut want = vec![0u8; plan.sealed_len().unwrap()];
        plan.seal_into_with_rng(&f.owner, &parts, &mut want, &mut TestRng::new(11))
            .unwrap();
        let lens = payloads.map(|p| p.len() as u64);
        let plan2 =
            TablePlan::from_lengths(&f.owner, "test/plain", 2, &columns(), &three_lens(&f, lens))
                .unwrap();
        assert_eq!(plan2.sealed_len().unwrap(), want.len());
        for piece in [1usize, 1000, super::super::stream::CHUNK_SIZE, 1 << 20] {
            let mut out = vec![0u8; want.len()];
            let mut s = plan2
                .sealer_with_rng(&f.owner, &mut out, TestRng::new(11))
                .unwrap();
            for p in payloads {
                s.push(b"").unwrap();
                for c in p.chunks(piece) {
                    s.push(c).unwrap();
                }
                s.end_part().unwrap();
            }
            s.finish().unwrap();
            assert_eq!(out, want, "piece {piece}");
        }
        // and it opens, every part for the owner
        let o = open(&f, &f.owner, &want).unwrap();
        for (got, p) in o.parts.iter().zip(payloads) {
            assert_eq!(got.as_deref().map(|v| v.as_slice()), Some(p));
        }
    }
}

/// Too many or too few bytes for a part, a part too many, finishing early, a wrong output
/// buffer: refused, and once refused the sealer stays refused.
#[test]
fn the_push_sealer_refuses_what_does_not_match_its_plan() {
    let f = fixture();
    let plan = TablePlan::from_lengths(
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &three_lens(&f, [3, 3, 3]),
    )
    .unwrap();
    let n = plan.sealed_len().unwrap();
    let mut wrong = vec![0u8; n - 1];
    assert!(plan.sealer(&f.owner, &mut wrong).is_err());
    let mut out = vec![0u8; n];
    // too many bytes
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    s.push(b"ab").unwrap();
    assert!(matches!(s.push(b"cd"), Err(TableError::InvalidColumns(_))));
    // refused from then on, even a call that would have been right
    assert!(s.push(b"c").is_err());
    assert!(s.end_part().is_err());
    // too few bytes
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    s.push(b"ab").unwrap();
    assert!(s.end_part().is_err());
    // finishing before every part ended
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    s.push(b"abc").unwrap();
    s.end_part().unwrap();
    assert!(s.finish().is_err());
    // a fourth part
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    for _ in 0..3 {
        s.push(b"abc").unwrap();
        s.end_part().unwrap();
    }
    assert!(s.push(b"x").is_err());
    // the right calls give a table that opens; the plan's limits are TablePlan::new's
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    for p in [b"abc", b"def", b"ghi"] {
        s.push(p).unwrap();
        s.end_part().unwrap();
    }
    s.finish().unwrap();
    let o = open(&f, &f.regulator, &out).unwrap();
    assert_eq!(
        o.parts[2].as_deref().map(|v| v.as_slice()),
        Some(&b"ghi"[..])
    );
    assert!(matches!(
        TablePlan::from_lengths(
            &f.owner,
            "test/plain",
            2,
            &columns(),
            &three_lens(&f, [1, MAX_PART_LEN + 1, 1])
        ),
        Err(TableError::Limit { .. })
    ));
    // the plaintext never reaches the output: a pushed payload is nowhere in it
    let secret = [0x5au8; 4096];
    let plan = TablePlan::from_lengths(
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &three_lens(&f, [4096, 1, 1]),
    )
    .unwrap();
    let mut out = vec![0u8; plan.sealed_len().unwrap()];
    let mut s = plan.sealer(&f.owner, &mut out).unwrap();
    s.push(&secret).unwrap();
    drop(s);
    assert!(!out.windows(64).any(|w| w == &secret[..64]));
}

// ---------------------------------------------------------------------------------------------
// Review L2 and D8: the plan keeps its owner; one sealing path (`seal_into` pushes through the
// push sealer) whose bytes are those of the earlier, separate `seal_into`.
// ---------------------------------------------------------------------------------------------

/// `seal_into` writes, for a fixed RNG, the bytes it wrote before it became a loop over the push
/// sealer (the digests were taken from the earlier code): versions 2 and 1, several chunks, an
/// empty part, a part of exactly one chunk.
#[test]
fn seal_into_bytes_are_unchanged_by_the_single_sealing_path() {
    let f = fixture();
    let chunk = super::super::stream::CHUNK_SIZE;
    let many = big(2 * chunk + 5, 3);
    let exact = big(chunk, 4);
    let hash = |b: &[u8]| hex::encode(Sha256::digest(b));
    let mut got = Vec::new();
    for payloads in [[&b"alice"[..], &many, b"123"], [b"", &exact, b"x"]] {
        let parts = three_parts(&f, payloads);
        let sealed = seal_table_with_rng(
            &f.owner,
            "test/plain",
            2,
            &columns(),
            &parts,
            &mut TestRng::new(5),
        )
        .unwrap();
        got.push(hash(&sealed));
    }
    got.push(hash(&seal_v1(&f, [b"alice", &many, b""])));
    assert_eq!(
        got,
        [
            "697b43cd891579cdfbca5876a5b8777ba12cbc20bda4a2c5543f60e7decfdb2b",
            "71803c4ed3b0f87f0ddbdebc9605ff5723e0227ed204468201b88a7fb06abcbd",
            "54c43735d28818b2b1c3b4ff8af2c4c327331572a4b538dc167e1690cff1314e",
        ]
    );
}

/// A plan made for one owner refuses another owner's key (`table.wrong_owner`, denied), on
/// every path, before anything is drawn or written: the output stays as it was.
#[test]
fn a_plan_refuses_another_owner_and_writes_nothing() {
    let f = fixture();
    let parts = three_parts(&f, [b"alice", b"1000", b"123"]);
    let plan = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &parts).unwrap();
    assert_eq!(plan.owner(), &f.owner.key_id());
    let n = plan.sealed_len().unwrap();
    // the partner is a recipient of the plan; the outsider is in no part; a fresh key of the
    // owner's (a rotated key) is another key id all the same
    let rotated = Party::generate_with_rng(&mut TestRng::new(99));
    for other in [&f.partner, &f.outsider, &rotated] {
        let mut out = vec![0xa5u8; n];
        let e = plan
            .seal_into_with_rng(other, &parts, &mut out, &mut TestRng::new(1))
            .unwrap_err();
        assert!(
            matches!(e, TableError::WrongOwner { expected, found }
                if expected == f.owner.key_id() && found == other.key_id()),
            "{e:?}"
        );
        assert_eq!(e.code(), "table.wrong_owner");
        assert_eq!(e.kind(), ErrorKind::Denied);
        assert_eq!(crate::Error::from(e).code(), "table.wrong_owner");
        assert!(out.iter().all(|b| *b == 0xa5), "nothing written");
        assert!(matches!(
            plan.seal_into(other, &parts, &mut out),
            Err(TableError::WrongOwner { .. })
        ));
        assert!(matches!(
            plan.sealer(other, &mut out),
            Err(TableError::WrongOwner { .. })
        ));
        assert!(matches!(
            plan.sealer_with_rng(other, &mut out, TestRng::new(1)),
            Err(TableError::WrongOwner { .. })
        ));
        assert!(out.iter().all(|b| *b == 0xa5), "nothing written");
    }
    // a plan from lengths keeps its owner too
    let plan2 = TablePlan::from_lengths(
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &three_lens(&f, [5, 4, 3]),
    )
    .unwrap();
    let mut out = vec![0u8; n];
    assert!(matches!(
        plan2.sealer(&f.partner, &mut out),
        Err(TableError::WrongOwner { .. })
    ));
    // the owner's own key seals, and the table opens for the owner named in the plan
    plan.seal_into(&f.owner, &parts, &mut out).unwrap();
    let o = open(&f, &f.regulator, &out).unwrap();
    assert_eq!(o.manifest.owner.key_id(), *plan.owner());
}

/// `seal_into` checks every payload against the plan before it writes anything: a payload one
/// byte longer or shorter, or a part missing, writes nothing.
#[test]
fn seal_into_refuses_payloads_that_do_not_match_before_writing() {
    let f = fixture();
    let parts = three_parts(&f, [b"alice", b"1000", b"123"]);
    let plan = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &parts).unwrap();
    let n = plan.sealed_len().unwrap();
    for payloads in [
        [&b"alice"[..], b"1000", b"1234"],
        [b"alice", b"100", b"123"],
        [b"alicf", b"1000", b"12"],
    ] {
        let other = three_parts(&f, payloads);
        let mut out = vec![0u8; n];
        assert!(matches!(
            plan.seal_into(&f.owner, &other, &mut out),
            Err(TableError::InvalidColumns(_))
        ));
        assert!(out.iter().all(|b| *b == 0));
    }
    let mut out = vec![0u8; n];
    assert!(plan.seal_into(&f.owner, &parts[..2], &mut out).is_err());
    assert!(out.iter().all(|b| *b == 0));
    let mut out = vec![0u8; n + 1];
    assert!(plan.seal_into(&f.owner, &parts, &mut out).is_err());
    assert!(out.iter().all(|b| *b == 0));
}

/// Review of 6 Dec (finding R1): `seal_into` seals what the plan says, so parts that name other
/// recipients or other columns than the plan's (a plan kept and reused for another table with
/// the same payload lengths) must be refused before anything is written: otherwise a column the
/// caller meant for the partner goes to the plan's regulator, and the partner cannot read it.
#[test]
fn seal_into_refuses_parts_whose_recipients_or_columns_are_not_the_plans() {
    let f = fixture();
    let parts = three_parts(&f, [b"alice", b"1000", b"123"]);
    let plan = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &parts).unwrap();
    let n = plan.sealed_len().unwrap();
    let refused = |other: &[TablePart<'_>], what: &str| {
        let mut out = vec![0xa5u8; n];
        let e = plan
            .seal_into_with_rng(&f.owner, other, &mut out, &mut TestRng::new(5))
            .unwrap_err();
        assert!(matches!(e, TableError::InvalidColumns(_)), "{what}: {e:?}");
        assert_eq!(e.code(), "table.invalid_columns", "{what}");
        assert!(out.iter().all(|b| *b == 0xa5), "{what}: nothing written");
    };
    // ssn meant for the partner instead of the regulator (same recipient count, same lengths)
    let mut other = three_parts(&f, [b"alice", b"1000", b"123"]);
    other[2].recipients = vec![f.partner.public()];
    refused(&other, "another recipient");
    // a recipient dropped from the amount part
    let mut other = three_parts(&f, [b"alice", b"1000", b"123"]);
    other[1].recipients = vec![f.partner.public()];
    refused(&other, "a recipient fewer");
    // a recipient added to the name part
    let mut other = three_parts(&f, [b"alice", b"1000", b"123"]);
    other[0].recipients = vec![f.outsider.public()];
    refused(&other, "a recipient more");
    // the columns of the name and ssn parts swapped (payload lengths kept equal)
    let mut other = three_parts(&f, [b"alice", b"1000", b"12345"]);
    other.swap(0, 2);
    other[0].payload = b"alice";
    other[2].payload = b"12345";
    other[0].recipients = vec![];
    other[2].recipients = vec![f.regulator.public()];
    let plan5 = TablePlan::new(
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &three_parts(&f, [b"alice", b"1000", b"12345"]),
    )
    .unwrap();
    let mut out = vec![0xa5u8; plan5.sealed_len().unwrap()];
    assert!(matches!(
        plan5.seal_into(&f.owner, &other, &mut out),
        Err(TableError::InvalidColumns(_))
    ));
    assert!(
        out.iter().all(|b| *b == 0xa5),
        "columns swapped: nothing written"
    );
    // a part of two columns given one of them twice (the count alone would match)
    let two = [
        TablePart {
            columns: vec!["name".into(), "amount".into()],
            recipients: vec![],
            payload: b"ab",
        },
        TablePart {
            columns: vec!["ssn".into()],
            recipients: vec![],
            payload: b"c",
        },
    ];
    let plan2 = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &two).unwrap();
    let mut twice = two.clone();
    twice[0].columns = vec!["name".into(), "name".into()];
    let mut out = vec![0xa5u8; plan2.sealed_len().unwrap()];
    assert!(matches!(
        plan2.seal_into(&f.owner, &twice, &mut out),
        Err(TableError::InvalidColumns(_))
    ));
    assert!(
        out.iter().all(|b| *b == 0xa5),
        "a column twice: nothing written"
    );
    plan2.seal_into(&f.owner, &two, &mut out).unwrap();
    // the same recipients listed in another order, the owner named again, a duplicate: the
    // same sets, so the same table
    let mut same = three_parts(&f, [b"alice", b"1000", b"123"]);
    same[1].recipients = vec![
        f.regulator.public(),
        f.owner.public(),
        f.partner.public(),
        f.regulator.public(),
    ];
    let mut out = vec![0u8; n];
    plan.seal_into(&f.owner, &same, &mut out).unwrap();
    let o = open(&f, &f.partner, &out).unwrap();
    assert_eq!(
        o.parts[1].as_deref().map(|v| v.as_slice()),
        Some(&b"1000"[..])
    );
}

// ---------------------------------------------------------------------------------------------
// Review item 7: attacks on the table format and its plan, each one refused.
// ---------------------------------------------------------------------------------------------

/// One plan sealed twice is two unrelated tables: a fresh table id and fresh content keys for
/// every part (no column key is reused across the seals of a plan), and a part of one is not a
/// part of the other even under a manifest the owner re-signs for it.
#[test]
fn one_plan_sealed_twice_gives_unrelated_tables() {
    let f = fixture();
    let parts = three_parts(&f, [b"aaaa", b"bbbb", b"cccc"]);
    let plan = TablePlan::new(&f.owner, "test/plain", 2, &columns(), &parts).unwrap();
    let n = plan.sealed_len().unwrap();
    let (mut one, mut two) = (vec![0u8; n], vec![0u8; n]);
    plan.seal_into(&f.owner, &parts, &mut one).unwrap();
    plan.seal_into(&f.owner, &parts, &mut two).unwrap();
    let (m1, m2) = (
        SealedTable::parse(&one).unwrap().manifest().clone(),
        SealedTable::parse(&two).unwrap().manifest().clone(),
    );
    assert_ne!(m1.table_id, m2.table_id);
    let (_, p1) = split(&one);
    let (_, p2) = split(&two);
    for (a, b) in p1.iter().zip(&p2) {
        // record id (bytes 5..21) and key commitment differ: another content key
        assert_ne!(a[5..21], b[5..21]);
        assert_ne!(a, b);
    }
    let mut spliced = m1.clone();
    spliced.parts[2] = m2.parts[2].clone();
    let bytes = resigned(
        TABLE_VERSION,
        &f.owner,
        &spliced,
        &[p1[0].clone(), p1[1].clone(), p2[2].clone()],
    );
    for p in [&f.owner, &f.regulator, &f.outsider] {
        assert_eq!(code(open(&f, p, &bytes)), "table.tampered");
    }
    // the table id alone swapped in (the second table's id over the first's parts)
    let mut renamed = m1.clone();
    renamed.table_id = m2.table_id;
    let bytes = resigned(TABLE_VERSION, &f.owner, &renamed, &p1);
    assert_eq!(code(open(&f, &f.regulator, &bytes)), "table.tampered");
}

/// A table cut short anywhere (inside the manifest, at a part boundary, inside a chunk)
/// opens nothing: parsing or the part checks refuse it before any plaintext is released.
#[test]
fn a_truncated_table_releases_nothing() {
    let f = fixture();
    let chunk = super::super::stream::CHUNK_SIZE;
    let amount = big(chunk + 100, 6);
    let sealed = seal_three(&f, [b"alice", &amount, b"123"]);
    let (head, parts) = split(&sealed);
    let mut cuts: Vec<usize> = (0..sealed.len()).step_by(4099).collect();
    let mut at = head.len();
    for p in &parts {
        cuts.extend([at, at + 8, at + 8 + p.len() / 2, at + 8 + p.len() - 1]);
        at += 8 + p.len();
    }
    for cut in cuts {
        let t = &sealed[..cut];
        for party in [&f.owner, &f.regulator] {
            assert!(open(&f, party, t).is_err(), "cut at {cut}");
        }
        if let Ok(s) = SealedTable::parse(t) {
            for i in 0..3 {
                let mut out = Vec::new();
                if s.open_part_to(&f.owner, i, &mut out).is_err() {
                    let whole = [&b"alice"[..], &amount, b"123"][i];
                    assert!(
                        whole.starts_with(&out),
                        "cut at {cut}, part {i}: not a prefix"
                    );
                }
            }
        }
    }
}

/// Chunks of a part's stream reordered, repeated or dropped (the part's length field fixed
/// up): `open` refuses the table and returns nothing.
#[test]
fn reordered_or_dropped_chunks_in_a_part_are_refused() {
    let f = fixture();
    let chunk = super::super::stream::CHUNK_SIZE;
    let amount = big(3 * chunk, 8);
    let sealed = seal_three(&f, [b"alice", &amount, b"123"]);
    let (head, parts) = split(&sealed);
    let p = &parts[1];
    let ct = chunk + 16; // a sealed chunk and its tag
    let hl = p.len() - SIGNATURE_LEN - 3 * ct;
    let body = |i: usize| p[hl + i * ct..hl + (i + 1) * ct].to_vec();
    let trailer = p[p.len() - SIGNATURE_LEN..].to_vec();
    let rebuild = |order: &[usize]| {
        let mut q = p[..hl].to_vec();
        for i in order {
            q.extend(body(*i));
        }
        q.extend(&trailer);
        join(&head, &[parts[0].clone(), q, parts[2].clone()])
    };
    assert_eq!(rebuild(&[0, 1, 2]), sealed, "the split is right");
    for order in [
        &[1usize, 0, 2][..],
        &[0, 2, 1],
        &[0, 2],
        &[1, 2],
        &[0, 1, 1, 2],
    ] {
        let bytes = rebuild(order);
        for party in [&f.owner, &f.partner, &f.regulator] {
            assert!(open(&f, party, &bytes).is_err(), "{order:?}");
        }
        // The streaming opener fails too; what it wrote before failing (documented: the
        // caller discards it) is an authentic prefix of the part, in order, whole chunks only:
        // never a reordered or forged chunk.
        if let Ok(s) = SealedTable::parse(&bytes) {
            let mut out = Vec::new();
            assert!(s.open_part_to(&f.partner, 1, &mut out).is_err());
            assert!(amount.starts_with(&out), "{order:?}: not a prefix");
            assert_eq!(out.len() % chunk, 0, "{order:?}");
        }
    }
}

/// The owner's signature over anything but `label || SHA-256(header || manifest)` of this
/// version: over the manifest alone, without the header, under another version's label, or
/// over another table's manifest. Each is refused as tampering.
#[test]
fn an_owner_signature_over_other_bytes_is_refused() {
    let f = fixture();
    let sealed = seal_three(&f, [b"alice", b"1000", b"123"]);
    let (head, parts) = split(&sealed);
    let mlen = u32::from_be_bytes(head[4..8].try_into().unwrap()) as usize;
    let manifest = &head[8..8 + mlen];
    let other = seal_three(&f, [b"alice", b"1000", b"123"]);
    let (other_head, _) = split(&other);
    let other_manifest = &other_head[8..8 + mlen];
    let headless = {
        let mut m = SIG_LABEL.to_vec();
        m.extend_from_slice(&Sha256::digest(manifest));
        m
    };
    let messages: Vec<Vec<u8>> = vec![
        manifest.to_vec(),
        headless,
        signed_message(TABLE_VERSION_1, manifest),
        signed_message(TABLE_VERSION, other_manifest),
        Sha256::digest(manifest).to_vec(),
    ];
    for msg in messages {
        let mut h = head.clone();
        let sig = f.owner.keys().sign(&msg);
        h[8 + mlen..].copy_from_slice(&sig);
        let bytes = join(&h, &parts);
        assert_eq!(
            SealedTable::parse(&bytes).unwrap_err().code(),
            "table.tampered"
        );
    }
    // and the right message with another party's key
    let mut h = head.clone();
    let sig = f
        .partner
        .keys()
        .sign(&signed_message(TABLE_VERSION, manifest));
    h[8 + mlen..].copy_from_slice(&sig);
    assert_eq!(
        SealedTable::parse(&join(&h, &parts)).unwrap_err().code(),
        "table.tampered"
    );
}

/// Counts and lengths at their limits are taken, one over is refused before anything is
/// sealed: names, type labels and the content type at their longest; the most columns, each
/// in its own part (the manifest then still under its cap); the largest part.
#[test]
fn counts_and_lengths_at_their_limits() {
    let f = fixture();
    let lens = |cols: &[TableColumn], len: u64| -> Vec<TablePartLen> {
        cols.iter()
            .map(|c| TablePartLen {
                columns: vec![c.name.clone()],
                recipients: vec![],
                payload_len: len,
            })
            .collect()
    };
    let plan = |ct: &str, cols: &[TableColumn], len: u64| {
        TablePlan::from_lengths(&f.owner, ct, 1, cols, &lens(cols, len))
    };
    let name = "n".repeat(MAX_NAME_LEN);
    let label = "t".repeat(MAX_TYPE_LEN);
    let ct = "c".repeat(MAX_CONTENT_TYPE_LEN);
    let longest = [TableColumn::new(&name, &label)];
    let p = plan(&ct, &longest, 3).unwrap();
    // it seals and opens
    let mut out = vec![0u8; p.sealed_len().unwrap()];
    let mut s = p.sealer(&f.owner, &mut out).unwrap();
    s.push(b"abc").unwrap();
    s.end_part().unwrap();
    s.finish().unwrap();
    let o = open(&f, &f.owner, &out).unwrap();
    assert_eq!(o.manifest.columns[0].name, name);
    assert_eq!(o.manifest.content_type, ct);
    for (cols, ct) in [
        (vec![TableColumn::new(&format!("{name}x"), "t")], "c"),
        (vec![TableColumn::new("n", &format!("{label}x"))], "c"),
        (vec![TableColumn::new("n", "t")], &format!("{ct}x")[..]),
    ] {
        assert_eq!(plan(ct, &cols, 1).unwrap_err().code(), "table.limit");
    }
    // the most columns, each in its own part, with the longest names: the manifest fits
    let many: Vec<TableColumn> = (0..MAX_COLUMNS)
        .map(|i| TableColumn::new(&format!("{i:0>width$}", width = MAX_NAME_LEN), &label))
        .collect();
    let p = plan(&ct, &many, 0).unwrap();
    assert!(p.manifest_len <= MAX_MANIFEST_LEN);
    assert!(p.sealed_len().is_ok());
    let mut more = many.clone();
    more.push(TableColumn::new("one more", "t"));
    assert_eq!(plan("c", &more, 0).unwrap_err().code(), "table.limit");
    // the largest part is planned; one byte more is refused
    assert!(plan("c", &[TableColumn::new("n", "t")], MAX_PART_LEN).is_ok());
    assert_eq!(
        plan("c", &[TableColumn::new("n", "t")], MAX_PART_LEN + 1)
            .unwrap_err()
            .code(),
        "table.limit"
    );
}
