//! Test fixtures shared by the sealed-record tests (`seal/tests.rs`) and the sealed-table tests
//! (`seal/table/tests.rs`): parties, the offsets the one-changed-byte attacks flip, and the
//! three-part table (its columns, its parts with or without payloads, sealed).

use super::table::{seal_table, TableColumn, TablePart, TablePartLen};
use crate::party::Party;
use crate::testing::TestRng;

/// `N` parties with fresh keys from the OS RNG.
pub(crate) fn parties<const N: usize>() -> [Party; N] {
    core::array::from_fn(|_| Party::generate().unwrap())
}

/// Where the one-changed-byte attacks flip a bit of a sealed record of `len` bytes: the
/// header, the fixed fields, the first recipient entry, the middle of the ciphertext, the tag
/// and the owner signature.
pub(crate) fn tamper_offsets(len: usize) -> [usize; 8] {
    [0, 5, 40, 120, 300, len / 2, len - 70, len - 1]
}

/// The parties of the three-part table: its owner, a partner, a regulator and an outsider
/// (seeded keys, so tables sealed with a seeded RNG are the same bytes every run).
pub(crate) struct TableFixture {
    pub(crate) owner: Party,
    pub(crate) partner: Party,
    pub(crate) regulator: Party,
    pub(crate) outsider: Party,
}

/// The [`TableFixture`] every table test uses.
pub(crate) fn table_fixture() -> TableFixture {
    let mut rng = TestRng::new(7);
    TableFixture {
        owner: Party::generate_with_rng(&mut rng),
        partner: Party::generate_with_rng(&mut rng),
        regulator: Party::generate_with_rng(&mut rng),
        outsider: Party::generate_with_rng(&mut rng),
    }
}

/// The three-part table's columns, in table order.
pub(crate) fn columns() -> Vec<TableColumn> {
    vec![
        TableColumn::new("name", "utf8"),
        TableColumn::new("amount", "int64"),
        TableColumn::new("ssn", "utf8"),
    ]
}

/// The three-part table's parts by payload length. name: owner only; amount: partner and
/// regulator; ssn: regulator only.
pub(crate) fn three_lens(f: &TableFixture, lens: [u64; 3]) -> Vec<TablePartLen> {
    vec![
        TablePartLen {
            columns: vec!["name".into()],
            recipients: vec![],
            payload_len: lens[0],
        },
        TablePartLen {
            columns: vec!["amount".into()],
            recipients: vec![f.partner.public(), f.regulator.public()],
            payload_len: lens[1],
        },
        TablePartLen {
            columns: vec!["ssn".into()],
            recipients: vec![f.regulator.public()],
            payload_len: lens[2],
        },
    ]
}

/// The three-part table's parts, for payloads.
pub(crate) fn three_parts<'a>(f: &TableFixture, payloads: [&'a [u8]; 3]) -> Vec<TablePart<'a>> {
    three_lens(f, [0, 0, 0])
        .into_iter()
        .zip(payloads)
        .map(|(p, payload)| TablePart {
            columns: p.columns,
            recipients: p.recipients,
            payload,
        })
        .collect()
}

/// The three-part table sealed by its owner (content type `test/plain`, 2 rows).
pub(crate) fn seal_three(f: &TableFixture, payloads: [&[u8]; 3]) -> Vec<u8> {
    seal_table(
        &f.owner,
        "test/plain",
        2,
        &columns(),
        &three_parts(f, payloads),
    )
    .unwrap()
}

/// Runs an open-into-a-buffer call on a `len`-byte output filled with `0xff` and checks that it
/// fails and leaves the output zeroed (nothing released); returns its error.
pub(crate) fn refused_and_wiped(
    len: usize,
    open: impl FnOnce(&mut [u8]) -> Result<(), crate::error::OpenError>,
) -> crate::error::OpenError {
    let mut out = vec![0xffu8; len];
    let e = open(&mut out).unwrap_err();
    assert!(out.iter().all(|b| *b == 0), "output released: {e:?}");
    e
}
