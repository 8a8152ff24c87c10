//! Sealed tables: round trips, per-part access, and every attack the format must refuse.

use super::*;
use crate::error::{ErrorKind, OpenError, TableError};
use crate::party::Party;
use crate::testing::TestRng;

struct Fixture {
    owner: Party,
    partner: Party,
    regulator: Party,
    outsider: Party,
}

fn fixture() -> Fixture {
    let mut rng = TestRng::new(7);
    Fixture {
        owner: Party::generate_with_rng(&mut rng),
        partner: Party::generate_with_rng(&mut rng),
        regulator: Party::generate_with_rng(&mut rng),
        outsider: Party::generate_with_rng(&mut rng),
    }
}

fn columns() -> Vec<TableColumn> {
    vec![
        TableColumn::new("name", "utf8"),
        TableColumn::new("amount", "int64"),
        TableColumn::new("ssn", "utf8"),
    ]
}

/// name: owner only; amount: partner and regulator; ssn: regulator only.
fn seal_three(f: &Fixture, payloads: [&[u8]; 3]) -> Vec<u8> {
    let parts = [
        TablePart {
            columns: vec!["name".into()],
            recipients: vec![],
            payload: payloads[0],
        },
        TablePart {
            columns: vec!["amount".into()],
            recipients: vec![f.partner.public(), f.regulator.public()],
            payload: payloads[1],
        },
        TablePart {
            columns: vec!["ssn".into()],
            recipients: vec![f.regulator.public()],
            payload: payloads[2],
        },
    ];
    seal_table(&f.owner, "test/plain", 2, &columns(), &parts).unwrap()
}

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
    let sig = f.regulator.keys().sign(&signed_message(manifest));
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
