//! Sealed tables: a table (a data frame) sealed as one object with per-column-group access.
//!
//! A sealed table is an owner-signed **manifest** (table id, owner keys, content type, row
//! count, every column's name and type label and the part that holds it, every part's length
//! and SHA-256 digest) followed by one **part** per column group. Each part is a version-2
//! sealed [`stream`](super::stream) under its own content key for its own recipient set (the
//! owner always among them), signed by the same owner. The manifest's signature covers the
//! binding of every column name to its part and every part's digest, so nobody but the owner
//! can swap, drop, duplicate or rename columns, or mix parts from two tables: every part's
//! digest and owner is checked before anything is opened, for the parts a party cannot read
//! too.
//!
//! Opening returns the parts the party can read and names the ones it cannot
//! ([`SealedTable::open`]). The manifest is public: column names, type labels and the row
//! count are readable by anyone holding the bytes. The format is in
//! `docs/spec/sealed-table.md` (tag `0x05`).
//!
//! ```
//! use causeway::party::Party;
//! use causeway::seal::table::{seal_table, SealedTable, TableColumn, TablePart};
//! let bank = Party::generate()?;
//! let regulator = Party::generate()?;
//! let columns = [TableColumn::new("name", "utf8"), TableColumn::new("ssn", "utf8")];
//! let parts = [
//!     TablePart { columns: vec!["name".into()], recipients: vec![], payload: b"alice" },
//!     TablePart { columns: vec!["ssn".into()], recipients: vec![regulator.public()], payload: b"123" },
//! ];
//! let sealed = seal_table(&bank, "text/plain", 1, &columns, &parts)?;
//! let opened = SealedTable::parse(&sealed)?.open(&regulator, Some(&bank.key_id()))?;
//! assert_eq!(opened.unreadable, vec![0]);
//! assert_eq!(opened.parts[1].as_deref().map(|p| p.as_slice()), Some(&b"123"[..]));
//! # Ok::<(), causeway::Error>(())
//! ```

use super::stream::{
    end_digest, inspect_part, open_stream_digest, plaintext_len, sealed_len, sealed_part_len,
    PartContext,
};
use super::{recipient_set, OpenOptions, SIGNATURE_LEN};
use crate::encoding::{read_header, write_header, Reader, Tag};
use crate::error::{DecodeError, OpenError, SealError, TableError};
use crate::party::{KeyId, Party, PublicKeys};
use rand_core::{CryptoRng, OsRng, RngCore};
use sha2::{Digest as _, Sha256};
use std::io::Write;
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

/// Format version of sealed tables written: 2, whose parts name their table and column group
/// (version-3 stream headers). Version 1 ([`TABLE_VERSION_1`]) still opens.
pub const TABLE_VERSION: u8 = 2;
/// The first format version: its parts are plain version-2 sealed streams that name no table
/// (a part cut out of it opens as an ordinary owner-signed stream). Read, never written.
pub const TABLE_VERSION_1: u8 = 1;
/// Most columns a table may have.
pub const MAX_COLUMNS: usize = 4096;
/// Most parts (column groups) a table may have: at most one per column.
pub const MAX_PARTS: usize = MAX_COLUMNS;
/// Longest column name, in UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 256;
/// Longest type label, in UTF-8 bytes.
pub const MAX_TYPE_LEN: usize = 256;
/// Longest content type, in UTF-8 bytes.
pub const MAX_CONTENT_TYPE_LEN: usize = 128;
/// Largest part payload (plaintext), in bytes: 16 GiB.
pub const MAX_PART_LEN: u64 = 16 << 30;
/// Largest manifest, in bytes (what [`MAX_COLUMNS`] columns with the longest names and
/// [`MAX_PARTS`] parts need, rounded up).
pub const MAX_MANIFEST_LEN: usize = 4 << 20;
/// Content type of a table whose parts are Arrow IPC streams (each part holds its columns).
pub const CONTENT_TYPE_ARROW: &str = "application/vnd.apache.arrow.stream";

/// Signing namespace of a version-1 manifest's owner signature.
const SIG_LABEL_V1: &[u8] = b"causeway/sealed-table/v1/manifest-signature";
/// Signing namespace of a version-2 manifest's owner signature.
const SIG_LABEL: &[u8] = b"causeway/sealed-table/v2/manifest-signature";
/// Domain of a part's column-group digest.
const GROUP_LABEL: &[u8] = b"causeway/sealed-table/v2/column-group";
const ID_LEN: usize = 16;

/// A column as the manifest describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableColumn {
    /// The column's name (1 to [`MAX_NAME_LEN`] bytes of UTF-8, unique in the table).
    pub name: String,
    /// Its type: an Arrow type (`int64`, `timestamp[us]`, …) or any opaque label of up to
    /// [`MAX_TYPE_LEN`] bytes.
    pub type_label: String,
}

impl TableColumn {
    /// A column named `name` of type `type_label`.
    pub fn new(name: &str, type_label: &str) -> Self {
        TableColumn {
            name: name.to_owned(),
            type_label: type_label.to_owned(),
        }
    }
}

/// One column group to seal: its columns (by name), who may read it, and its payload.
#[derive(Clone, Debug)]
pub struct TablePart<'a> {
    /// The names of the columns this part holds (at least one; each column in exactly one
    /// part).
    pub columns: Vec<String>,
    /// Who may read the part besides the owner (who always can).
    pub recipients: Vec<PublicKeys>,
    /// The part's plaintext (for [`CONTENT_TYPE_ARROW`], an Arrow IPC stream of its columns).
    pub payload: &'a [u8],
}

/// One column group to seal by its payload's length, for [`TablePlan::from_lengths`]: the
/// payload itself is pushed into a [`TableSealer`] piece by piece.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TablePartLen {
    /// The names of the columns this part holds (as [`TablePart::columns`]).
    pub columns: Vec<String>,
    /// Who may read the part besides the owner (who always can).
    pub recipients: Vec<PublicKeys>,
    /// The exact length of the part's plaintext, in bytes (at most [`MAX_PART_LEN`]).
    pub payload_len: u64,
}

/// What a plan needs of a part: its columns, recipients and payload length.
struct PartShape<'a> {
    columns: &'a [String],
    recipients: &'a [PublicKeys],
    len: u64,
}

/// A part as the manifest describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInfo {
    /// The names of its columns, in table order.
    pub columns: Vec<String>,
    /// The length of the sealed part (a sealed stream), in bytes.
    pub sealed_len: u64,
    /// SHA-256 of the sealed part.
    pub digest: [u8; 32],
}

/// The signed, public description of a sealed table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableManifest {
    /// A random id, fresh for every sealed table.
    pub table_id: [u8; ID_LEN],
    /// The owner's public keys (the manifest and every part are signed by them).
    pub owner: PublicKeys,
    /// What the parts hold (e.g. [`CONTENT_TYPE_ARROW`]).
    pub content_type: String,
    /// The number of rows.
    pub rows: u64,
    /// The columns, in table order.
    pub columns: Vec<TableColumn>,
    /// For each column (same order), the index of the part that holds it.
    pub column_parts: Vec<usize>,
    /// The parts, in order.
    pub parts: Vec<PartInfo>,
}

/// What a party got from [`SealedTable::open`].
#[derive(Debug)]
pub struct OpenedTable {
    /// The table's manifest.
    pub manifest: TableManifest,
    /// Each part's plaintext if the party can read it, `None` if not (same order as
    /// `manifest.parts`). Zeroized on drop.
    pub parts: Vec<Option<Zeroizing<Vec<u8>>>>,
    /// The indices of the parts the party cannot read.
    pub unreadable: Vec<usize>,
}

impl OpenedTable {
    /// The names of the columns the party cannot read, in table order.
    pub fn unreadable_columns(&self) -> Vec<&str> {
        let m = &self.manifest;
        m.columns
            .iter()
            .zip(&m.column_parts)
            .filter(|(_, p)| self.unreadable.contains(p))
            .map(|(c, _)| c.name.as_str())
            .collect()
    }
}

fn check_name(name: &str, max: usize, what: &'static str) -> Result<(), TableError> {
    if name.len() > max {
        return Err(TableError::Limit {
            what,
            len: name.len(),
            max,
        });
    }
    Ok(())
}

/// Checks the columns and the column-to-part map; returns for each part its column indices.
fn check_layout(
    columns: &[TableColumn],
    column_parts: &[usize],
    part_count: usize,
) -> Result<Vec<Vec<usize>>, TableError> {
    if columns.is_empty() {
        return Err(TableError::InvalidColumns(
            "a table needs at least one column",
        ));
    }
    if part_count == 0 {
        return Err(TableError::InvalidColumns(
            "a table needs at least one part",
        ));
    }
    let mut names: Vec<&str> = Vec::with_capacity(columns.len());
    let mut by_part: Vec<Vec<usize>> = vec![Vec::new(); part_count];
    for (i, (c, p)) in columns.iter().zip(column_parts).enumerate() {
        if c.name.is_empty() {
            return Err(TableError::InvalidColumns("a column name is empty"));
        }
        names.push(c.name.as_str());
        by_part
            .get_mut(*p)
            .ok_or(TableError::InvalidColumns(
                "a column refers to a part that does not exist",
            ))?
            .push(i);
    }
    names.sort_unstable();
    if names.windows(2).any(|w| w.first() == w.get(1)) {
        return Err(TableError::InvalidColumns("two columns have the same name"));
    }
    if by_part.iter().any(Vec::is_empty) {
        return Err(TableError::InvalidColumns("a part holds no column"));
    }
    Ok(by_part)
}

/// Encodes a manifest (without the fixed header or the signature).
fn encode_manifest(m: &TableManifest) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&m.table_id);
    out.extend_from_slice(m.owner.signing().as_bytes());
    out.extend_from_slice(m.owner.encryption().as_bytes());
    put_str(&mut out, &m.content_type);
    out.extend_from_slice(&m.rows.to_be_bytes());
    out.extend_from_slice(&(m.columns.len() as u16).to_be_bytes());
    for (c, p) in m.columns.iter().zip(&m.column_parts) {
        put_str(&mut out, &c.name);
        put_str(&mut out, &c.type_label);
        out.extend_from_slice(&(*p as u16).to_be_bytes());
    }
    out.extend_from_slice(&(m.parts.len() as u16).to_be_bytes());
    for p in &m.parts {
        out.extend_from_slice(&p.sealed_len.to_be_bytes());
        out.extend_from_slice(&p.digest);
    }
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// `label || SHA-256(object header || manifest)`: what the owner signs (the label names the
/// version).
fn signed_message(version: u8, manifest: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(crate::encoding::MAGIC);
    h.update([version, Tag::SealedTable as u8]);
    h.update(manifest);
    let mut m = if version == TABLE_VERSION_1 {
        SIG_LABEL_V1.to_vec()
    } else {
        SIG_LABEL.to_vec()
    };
    m.extend_from_slice(&h.finalize());
    m
}

/// The digest of a part's column group: `SHA-256(label || content type || count || each
/// column's name and type label)`, lengths as `u16`, columns in table order.
fn column_group_digest<'c>(
    content_type: &str,
    columns: impl ExactSizeIterator<Item = &'c TableColumn>,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(GROUP_LABEL);
    let put = |h: &mut Sha256, s: &str| {
        h.update((s.len() as u16).to_be_bytes());
        h.update(s.as_bytes());
    };
    put(&mut h, content_type);
    h.update((columns.len() as u16).to_be_bytes());
    for c in columns {
        put(&mut h, &c.name);
        put(&mut h, &c.type_label);
    }
    h.finalize().into()
}

/// The context part `part` of a version-2 table names: the table id, the index, the digest of
/// its column group.
fn part_context(
    table_id: &[u8; ID_LEN],
    content_type: &str,
    columns: &[TableColumn],
    column_parts: &[usize],
    part: usize,
) -> Result<PartContext, TableError> {
    let group = column_group_digest(
        content_type,
        columns
            .iter()
            .zip(column_parts)
            .filter(|(_, p)| **p == part)
            .map(|(c, _)| c)
            .collect::<Vec<_>>()
            .into_iter(),
    );
    Ok(PartContext {
        table_id: *table_id,
        part: u16::try_from(part).map_err(|_| TableError::Limit {
            what: "parts",
            len: part,
            max: MAX_PARTS,
        })?,
        group,
    })
}

/// Seals a table for its column groups: one sealed stream per part, each under a fresh
/// content key for its recipients (and the owner), and a manifest signed by the owner that
/// binds every column name to its part and every part's digest. Returns the canonical bytes.
///
/// `columns` lists every column in table order; each column must be in exactly one of
/// `parts`. `rows` is recorded as given (the payload format is the caller's).
pub fn seal_table(
    owner: &Party,
    content_type: &str,
    rows: u64,
    columns: &[TableColumn],
    parts: &[TablePart<'_>],
) -> Result<Vec<u8>, TableError> {
    seal_table_with_rng(owner, content_type, rows, columns, parts, &mut OsRng)
}

/// [`seal_table`] with the given RNG.
pub fn seal_table_with_rng<G: RngCore + CryptoRng>(
    owner: &Party,
    content_type: &str,
    rows: u64,
    columns: &[TableColumn],
    parts: &[TablePart<'_>],
    rng: &mut G,
) -> Result<Vec<u8>, TableError> {
    let plan = TablePlan::new(owner, content_type, rows, columns, parts)?;
    let mut out = vec![0u8; plan.sealed_len()?];
    plan.seal_into_with_rng(owner, parts, &mut out, rng)?;
    Ok(out)
}

/// A checked sealing plan: the layout and the exact output length are known before any
/// plaintext is touched, so a caller can seal into a buffer it allocated itself (a binding
/// writing straight into its own bytes object). [`seal_table`] is the common case.
#[derive(Debug)]
pub struct TablePlan {
    /// The owner the plan was made for: its recipient sets hold this owner first, and only
    /// this owner's key seals with the plan ([`TableError::WrongOwner`] otherwise).
    owner: KeyId,
    content_type: String,
    rows: u64,
    columns: Vec<TableColumn>,
    column_parts: Vec<usize>,
    /// For each part: its recipient set (owner first), its sealed length and its payload
    /// length.
    parts: Vec<(Vec<PublicKeys>, usize, usize)>,
    manifest_len: usize,
    /// The format version to write ([`TABLE_VERSION`]; tests write version 1 too).
    version: u8,
}

impl TablePlan {
    /// Checks the layout and limits of a table to seal (nothing is encrypted yet).
    pub fn new(
        owner: &Party,
        content_type: &str,
        rows: u64,
        columns: &[TableColumn],
        parts: &[TablePart<'_>],
    ) -> Result<TablePlan, TableError> {
        Self::new_in(TABLE_VERSION, owner, content_type, rows, columns, parts)
    }

    /// A plan from the parts' payload lengths alone, for a caller that produces each payload
    /// piece by piece while it is sealed ([`TablePlan::sealer`]): the same checks as
    /// [`TablePlan::new`] and, for the same layout and lengths, the same plan.
    pub fn from_lengths(
        owner: &Party,
        content_type: &str,
        rows: u64,
        columns: &[TableColumn],
        parts: &[TablePartLen],
    ) -> Result<TablePlan, TableError> {
        let shapes: Vec<PartShape<'_>> = parts
            .iter()
            .map(|p| PartShape {
                columns: &p.columns,
                recipients: &p.recipients,
                len: p.payload_len,
            })
            .collect();
        Self::new_shaped(TABLE_VERSION, owner, content_type, rows, columns, &shapes)
    }

    /// [`TablePlan::new`] for a given format version (tests write version 1 to show it still
    /// opens).
    fn new_in(
        version: u8,
        owner: &Party,
        content_type: &str,
        rows: u64,
        columns: &[TableColumn],
        parts: &[TablePart<'_>],
    ) -> Result<TablePlan, TableError> {
        let shapes: Vec<PartShape<'_>> = parts
            .iter()
            .map(|p| PartShape {
                columns: &p.columns,
                recipients: &p.recipients,
                len: p.payload.len() as u64,
            })
            .collect();
        Self::new_shaped(version, owner, content_type, rows, columns, &shapes)
    }

    fn new_shaped(
        version: u8,
        owner: &Party,
        content_type: &str,
        rows: u64,
        columns: &[TableColumn],
        parts: &[PartShape<'_>],
    ) -> Result<TablePlan, TableError> {
        if columns.len() > MAX_COLUMNS {
            return Err(TableError::Limit {
                what: "columns",
                len: columns.len(),
                max: MAX_COLUMNS,
            });
        }
        if parts.len() > MAX_PARTS {
            return Err(TableError::Limit {
                what: "parts",
                len: parts.len(),
                max: MAX_PARTS,
            });
        }
        check_name(content_type, MAX_CONTENT_TYPE_LEN, "content type")?;
        for c in columns {
            check_name(&c.name, MAX_NAME_LEN, "column name")?;
            check_name(&c.type_label, MAX_TYPE_LEN, "type label")?;
        }
        // every column in exactly one part, every part's column known (names looked up in a
        // map: at the column limit a scan per name would be quadratic)
        let mut index: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(columns.len());
        for (i, c) in columns.iter().enumerate() {
            // the first column of a name, as a scan would find it (duplicates are refused below)
            index.entry(c.name.as_str()).or_insert(i);
        }
        let mut column_parts: Vec<Option<usize>> = vec![None; columns.len()];
        for (pi, p) in parts.iter().enumerate() {
            if p.columns.len() > MAX_COLUMNS {
                return Err(TableError::Limit {
                    what: "columns of a part",
                    len: p.columns.len(),
                    max: MAX_COLUMNS,
                });
            }
            for name in p.columns {
                let ci = *index.get(name.as_str()).ok_or(TableError::InvalidColumns(
                    "a part names a column the table does not have",
                ))?;
                let slot = column_parts
                    .get_mut(ci)
                    .ok_or(TableError::InvalidColumns("column index"))?;
                if slot.is_some() {
                    return Err(TableError::InvalidColumns(
                        "a column is in more than one part",
                    ));
                }
                *slot = Some(pi);
            }
        }
        let column_parts: Vec<usize> = column_parts
            .into_iter()
            .map(|p| p.ok_or(TableError::InvalidColumns("a column is in no part")))
            .collect::<Result<_, _>>()?;
        check_layout(columns, &column_parts, parts.len())?;
        let mut planned = Vec::with_capacity(parts.len());
        for p in parts {
            let too_long = || TableError::Limit {
                what: "part",
                len: usize::try_from(p.len).unwrap_or(usize::MAX),
                max: usize::try_from(MAX_PART_LEN).unwrap_or(usize::MAX),
            };
            if p.len > MAX_PART_LEN {
                return Err(too_long());
            }
            let payload_len = usize::try_from(p.len).map_err(|_| too_long())?;
            let set = recipient_set(owner, p.recipients)?;
            let len = if version == TABLE_VERSION_1 {
                sealed_len(set.len(), payload_len)
            } else {
                sealed_part_len(set.len(), payload_len)
            };
            let len = len.ok_or_else(too_long)?;
            planned.push((set, len, payload_len));
        }
        let manifest_len = ID_LEN
            + 64
            + 2
            + content_type.len()
            + 8
            + 2
            + columns
                .iter()
                .map(|c| 2 + c.name.len() + 2 + c.type_label.len() + 2)
                .sum::<usize>()
            + 2
            + parts.len() * (8 + 32);
        Ok(TablePlan {
            owner: owner.key_id(),
            content_type: content_type.to_owned(),
            rows,
            columns: columns.to_vec(),
            column_parts,
            parts: planned,
            manifest_len,
            version,
        })
    }

    /// The exact length of the sealed table.
    pub fn sealed_len(&self) -> Result<usize, TableError> {
        let mut n = 4usize + 4 + self.manifest_len + SIGNATURE_LEN;
        for (_, len, _) in &self.parts {
            n = n
                .checked_add(8)
                .and_then(|n| n.checked_add(*len))
                .ok_or(TableError::Limit {
                    what: "table",
                    len: usize::MAX,
                    max: usize::MAX,
                })?;
        }
        Ok(n)
    }

    /// Seals into `out`, which must be exactly [`TablePlan::sealed_len`] bytes; `parts` must
    /// be the ones the plan was made from (their payload lengths are checked). Keys and
    /// nonces come from the operating system's RNG.
    pub fn seal_into(
        &self,
        owner: &Party,
        parts: &[TablePart<'_>],
        out: &mut [u8],
    ) -> Result<(), TableError> {
        self.seal_into_with_rng(owner, parts, out, &mut OsRng)
    }

    /// [`TablePlan::seal_into`] with the given RNG: each part's payload pushed whole through a
    /// [`TableSealer`], the one sealing path for tables.
    pub fn seal_into_with_rng<G: RngCore + CryptoRng>(
        &self,
        owner: &Party,
        parts: &[TablePart<'_>],
        out: &mut [u8],
        rng: &mut G,
    ) -> Result<(), TableError> {
        self.check_owner(owner)?;
        if parts.len() != self.parts.len()
            || parts
                .iter()
                .zip(&self.parts)
                .any(|(p, (_, _, payload_len))| p.payload.len() != *payload_len)
        {
            return Err(TableError::InvalidColumns(
                "the output or the parts do not match the plan",
            ));
        }
        self.check_parts(owner, parts)?;
        let mut sealer = self.sealer_with_rng(owner, out, rng)?;
        for p in parts {
            sealer.push(p.payload)?;
            sealer.end_part()?;
        }
        sealer.finish()
    }

    /// The plan's owner (its key id): only this party's key seals with the plan.
    pub fn owner(&self) -> &KeyId {
        &self.owner
    }

    /// Refuses parts that name other recipients or other columns than the plan's (the plan
    /// seals what it holds, so a plan reused for another table of the same payload lengths
    /// would otherwise wrap a column for the plan's recipients, not the caller's; review of
    /// 6 Dec, R1). Recipients compare as sets (the owner is always one, order and repeats do
    /// not count), columns by name. Checked before anything is drawn or written.
    fn check_parts(&self, owner: &Party, parts: &[TablePart<'_>]) -> Result<(), TableError> {
        let mismatch = || TableError::InvalidColumns("the parts do not match the plan");
        let mut index: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::with_capacity(self.columns.len());
        for (c, p) in self.columns.iter().zip(&self.column_parts) {
            index.insert(c.name.as_str(), *p);
        }
        let mut counts = vec![0usize; self.parts.len()];
        for p in &self.column_parts {
            if let Some(n) = counts.get_mut(*p) {
                *n += 1;
            }
        }
        // every column named once in all: with the counts, part i names exactly its columns
        let mut seen: std::collections::HashSet<&str> =
            std::collections::HashSet::with_capacity(self.columns.len());
        for (i, (p, (set, _, _))) in parts.iter().zip(&self.parts).enumerate() {
            if p.columns.len() != counts.get(i).copied().unwrap_or(0)
                || p.columns
                    .iter()
                    .any(|name| index.get(name.as_str()) != Some(&i) || !seen.insert(name.as_str()))
            {
                return Err(mismatch());
            }
            let planned: std::collections::HashSet<KeyId> =
                set.iter().map(PublicKeys::key_id).collect();
            let given = recipient_set(owner, &p.recipients)?;
            if given.len() != set.len() || given.iter().any(|k| !planned.contains(&k.key_id())) {
                return Err(mismatch());
            }
        }
        Ok(())
    }

    /// Refuses a key other than the plan's owner's (before anything is drawn or written).
    fn check_owner(&self, owner: &Party) -> Result<(), TableError> {
        let found = owner.key_id();
        if found != self.owner {
            return Err(TableError::WrongOwner {
                expected: self.owner,
                found,
            });
        }
        Ok(())
    }

    /// Writes the header, the manifest (every part's length and digest in `infos`) and the
    /// owner's signature into `head`, once every part was sealed.
    fn write_head(
        &self,
        owner: &Party,
        table_id: [u8; ID_LEN],
        mut infos: Vec<PartInfo>,
        head: &mut [u8],
    ) -> Result<(), TableError> {
        for (c, p) in self.columns.iter().zip(&self.column_parts) {
            if let Some(info) = infos.get_mut(*p) {
                info.columns.push(c.name.clone());
            }
        }
        let manifest = TableManifest {
            table_id,
            owner: owner.public(),
            content_type: self.content_type.clone(),
            rows: self.rows,
            columns: self.columns.clone(),
            column_parts: self.column_parts.clone(),
            parts: infos,
        };
        let m = encode_manifest(&manifest);
        if m.len() != self.manifest_len {
            return Err(TableError::InvalidColumns("manifest length"));
        }
        let sig = owner.keys().sign(&signed_message(self.version, &m));
        let mut hdr = Vec::with_capacity(head.len());
        write_header(&mut hdr, self.version, Tag::SealedTable);
        hdr.extend_from_slice(&(m.len() as u32).to_be_bytes());
        hdr.extend_from_slice(&m);
        hdr.extend_from_slice(&sig);
        if hdr.len() != head.len() {
            return Err(TableError::InvalidColumns(
                "the output does not match the plan",
            ));
        }
        head.copy_from_slice(&hdr);
        Ok(())
    }
}

impl TablePlan {
    /// A sealer that writes the table into `out` (exactly [`TablePlan::sealed_len`] bytes)
    /// from payloads pushed piece by piece, part after part, so that no payload has to exist
    /// whole (a binding's serializer writes into it). Keys and nonces come from the operating
    /// system's RNG.
    pub fn sealer<'a>(
        &'a self,
        owner: &'a Party,
        out: &'a mut [u8],
    ) -> Result<TableSealer<'a, OsRng>, TableError> {
        self.sealer_with_rng(owner, out, OsRng)
    }

    /// [`TablePlan::sealer`] with the given RNG: for the same RNG and payloads, the bytes
    /// [`TablePlan::seal_into_with_rng`] writes.
    pub fn sealer_with_rng<'a, G: RngCore + CryptoRng>(
        &'a self,
        owner: &'a Party,
        out: &'a mut [u8],
        mut rng: G,
    ) -> Result<TableSealer<'a, G>, TableError> {
        self.check_owner(owner)?;
        if out.len() != self.sealed_len()? {
            return Err(TableError::InvalidColumns(
                "the output does not match the plan",
            ));
        }
        let mut table_id = [0u8; ID_LEN];
        rng.try_fill_bytes(&mut table_id)
            .map_err(|_| SealError::Rng)?;
        let body_start = 4 + 4 + self.manifest_len + SIGNATURE_LEN;
        Ok(TableSealer {
            plan: self,
            owner,
            rng,
            table_id,
            out,
            at: body_start,
            current: None,
            next: 0,
            infos: Vec::with_capacity(self.parts.len()),
            failed: false,
        })
    }
}

/// The part a [`TableSealer`] is sealing.
struct OpenPart {
    sealer: super::stream::StreamSealer,
    /// Where the sealed part ends in the output.
    end: usize,
    /// Plaintext bytes pushed so far.
    pushed: usize,
}

/// Seals a table from payloads pushed piece by piece ([`TablePlan::sealer`]): push each part's
/// payload in order with [`TableSealer::push`], end each part with [`TableSealer::end_part`],
/// then [`TableSealer::finish`] writes the signed manifest. A part's payload must have exactly
/// the length its plan gave; anything else, or a call out of order, fails, and after any error
/// every later call fails. The output holds only sealed bytes at every point (a part's last
/// piece of plaintext waits, zeroized on drop, inside the sealer).
///
/// ```
/// use causeway::party::Party;
/// use causeway::seal::table::{SealedTable, TableColumn, TablePartLen, TablePlan};
/// let bank = Party::generate()?;
/// let columns = [TableColumn::new("name", "utf8")];
/// let parts = [TablePartLen { columns: vec!["name".into()], recipients: vec![], payload_len: 10 }];
/// let plan = TablePlan::from_lengths(&bank, "text/plain", 2, &columns, &parts)?;
/// let mut out = vec![0u8; plan.sealed_len()?];
/// let mut sealer = plan.sealer(&bank, &mut out)?;
/// sealer.push(b"alice")?;
/// sealer.push(b"bobby")?;
/// sealer.end_part()?;
/// sealer.finish()?;
/// let opened = SealedTable::parse(&out)?.open(&bank, Some(&bank.key_id()))?;
/// assert_eq!(opened.parts[0].as_deref().map(|p| p.as_slice()), Some(&b"alicebobby"[..]));
/// # Ok::<(), causeway::Error>(())
/// ```
pub struct TableSealer<'a, G: RngCore + CryptoRng> {
    plan: &'a TablePlan,
    owner: &'a Party,
    rng: G,
    table_id: [u8; ID_LEN],
    out: &'a mut [u8],
    /// Where the next part's length field goes (or the current part's next sealed byte).
    at: usize,
    current: Option<OpenPart>,
    /// The index of the next part to start (or of the current one).
    next: usize,
    infos: Vec<PartInfo>,
    failed: bool,
}

impl<G: RngCore + CryptoRng> core::fmt::Debug for TableSealer<'_, G> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TableSealer")
            .field("part", &self.next)
            .field("at", &self.at)
            .finish_non_exhaustive()
    }
}

impl<G: RngCore + CryptoRng> TableSealer<'_, G> {
    fn mismatch() -> TableError {
        TableError::InvalidColumns("a part's payload does not match the plan")
    }

    /// Runs `f`, and fails every later call once it failed.
    fn step<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, TableError>,
    ) -> Result<T, TableError> {
        if self.failed {
            return Err(TableError::InvalidColumns(
                "the table sealer failed earlier",
            ));
        }
        let r = f(self);
        if r.is_err() {
            self.failed = true;
            self.current = None;
        }
        r
    }

    /// Starts the next part (its header draws from the RNG, in the order of
    /// [`TablePlan::seal_into_with_rng`]).
    fn start(&mut self) -> Result<(), TableError> {
        let i = self.next;
        let (set, len, _) = self
            .plan
            .parts
            .get(i)
            .ok_or(TableError::InvalidColumns("more parts than the plan has"))?;
        let len_field = self
            .out
            .get_mut(self.at..self.at + 8)
            .ok_or_else(Self::mismatch)?;
        len_field.copy_from_slice(&(*len as u64).to_be_bytes());
        self.at += 8;
        let context = match self.plan.version {
            TABLE_VERSION_1 => None,
            _ => Some(part_context(
                &self.table_id,
                &self.plan.content_type,
                &self.plan.columns,
                &self.plan.column_parts,
                i,
            )?),
        };
        // `set` has the owner first; the sealer adds it again only if missing.
        let others: Vec<PublicKeys> = set.iter().skip(1).copied().collect();
        let sealer = super::stream::StreamSealer::new_in(
            self.owner,
            &others,
            &mut self.rng,
            context.as_ref(),
        )?;
        self.current = Some(OpenPart {
            sealer,
            end: self.at + *len,
            pushed: 0,
        });
        Ok(())
    }

    /// Adds the next piece of the current part's payload (starting the next part if none is
    /// open); its sealed bytes go straight into the output.
    pub fn push(&mut self, data: &[u8]) -> Result<(), TableError> {
        self.step(|s| {
            if s.current.is_none() {
                s.start()?;
            }
            let (_, _, payload_len) = s.plan.parts.get(s.next).ok_or_else(Self::mismatch)?;
            let payload_len = *payload_len;
            let part = s.current.as_mut().ok_or_else(Self::mismatch)?;
            let pushed = part
                .pushed
                .checked_add(data.len())
                .filter(|n| *n <= payload_len)
                .ok_or_else(Self::mismatch)?;
            let dst = s.out.get_mut(s.at..part.end).ok_or_else(Self::mismatch)?;
            let room = dst.len();
            let mut cursor: &mut [u8] = dst;
            part.sealer.push_to(data, &mut cursor)?;
            let left = cursor.len();
            s.at += room - left;
            part.pushed = pushed;
            Ok(())
        })
    }

    /// Ends the current part (a part with an empty payload may be ended without a push): its
    /// payload must have had exactly the planned length.
    pub fn end_part(&mut self) -> Result<(), TableError> {
        self.step(|s| {
            if s.current.is_none() {
                s.start()?;
            }
            let (_, len, payload_len) = s.plan.parts.get(s.next).ok_or_else(Self::mismatch)?;
            let (len, payload_len) = (*len, *payload_len);
            let part = s.current.take().ok_or_else(Self::mismatch)?;
            if part.pushed != payload_len {
                return Err(Self::mismatch());
            }
            let dst = s.out.get_mut(s.at..part.end).ok_or_else(Self::mismatch)?;
            let mut cursor: &mut [u8] = dst;
            let (_, digest) = part.sealer.finish_to(&mut cursor)?;
            if !cursor.is_empty() {
                return Err(Self::mismatch());
            }
            s.at = part.end;
            s.infos.push(PartInfo {
                columns: Vec::new(),
                sealed_len: len as u64,
                digest,
            });
            s.next += 1;
            Ok(())
        })
    }

    /// Writes the header, the manifest and the owner's signature, once every part ended.
    pub fn finish(mut self) -> Result<(), TableError> {
        self.step(|s| {
            if s.current.is_some() || s.next != s.plan.parts.len() || s.at != s.out.len() {
                return Err(TableError::InvalidColumns(
                    "the table sealer was finished before every part ended",
                ));
            }
            let body_start = 4 + 4 + s.plan.manifest_len + SIGNATURE_LEN;
            let head = s.out.get_mut(..body_start).ok_or_else(Self::mismatch)?;
            let infos = core::mem::take(&mut s.infos);
            s.plan.write_head(s.owner, s.table_id, infos, head)
        })
    }
}

/// A sealed table parsed over its bytes: the manifest decoded and its owner signature
/// verified, every part located. Parts are checked against the manifest by
/// [`SealedTable::verify_parts`] (which [`SealedTable::open`] calls first).
#[derive(Debug)]
pub struct SealedTable<'a> {
    manifest: TableManifest,
    parts: Vec<&'a [u8]>,
    /// The format version read ([`TABLE_VERSION`] or [`TABLE_VERSION_1`]).
    version: u8,
    /// Version 2: the context each part must name (empty in version 1).
    contexts: Vec<PartContext>,
}

fn decode_manifest(b: &[u8]) -> Result<TableManifest, DecodeError> {
    let mut r = Reader::new(b);
    let table_id: [u8; ID_LEN] = r.array()?;
    let sig: [u8; 32] = r.array()?;
    let enc: [u8; 32] = r.array()?;
    let owner = PublicKeys::from_bytes(&sig, &enc).map_err(|_| DecodeError::Invalid {
        what: "owner public key",
    })?;
    let content_type = r.str_u16("content type", MAX_CONTENT_TYPE_LEN)?.to_owned();
    let rows = r.u64()?;
    let n = r.u16()? as usize;
    if n > MAX_COLUMNS {
        return Err(DecodeError::TooLong {
            what: "columns",
            len: n,
            max: MAX_COLUMNS,
        });
    }
    let mut columns = Vec::with_capacity(n);
    let mut column_parts = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.str_u16("column name", MAX_NAME_LEN)?.to_owned();
        let type_label = r.str_u16("type label", MAX_TYPE_LEN)?.to_owned();
        column_parts.push(r.u16()? as usize);
        columns.push(TableColumn { name, type_label });
    }
    let k = r.u16()? as usize;
    if k > MAX_PARTS {
        return Err(DecodeError::TooLong {
            what: "parts",
            len: k,
            max: MAX_PARTS,
        });
    }
    let mut parts = Vec::with_capacity(k);
    for _ in 0..k {
        let sealed_len = r.u64()?;
        let digest = r.array()?;
        parts.push(PartInfo {
            columns: Vec::new(),
            sealed_len,
            digest,
        });
    }
    r.finish()?;
    for (c, p) in columns.iter().zip(&column_parts) {
        if let Some(info) = parts.get_mut(*p) {
            info.columns.push(c.name.clone());
        }
    }
    Ok(TableManifest {
        table_id,
        owner,
        content_type,
        rows,
        columns,
        column_parts,
        parts,
    })
}

impl<'a> SealedTable<'a> {
    /// Parses a sealed table: the header, the manifest (bounded), the owner's signature over
    /// it (checked: [`TableError::Tampered`] if it fails), the layout (every column in one
    /// existing part, names unique, no empty part) and the parts' lengths (the bytes must end
    /// after the last part). Part contents are not read here.
    pub fn parse(bytes: &'a [u8]) -> Result<SealedTable<'a>, TableError> {
        let mut r = Reader::new(bytes);
        let version = read_header(&mut r, Tag::SealedTable, &[TABLE_VERSION_1, TABLE_VERSION])?;
        let m = r.bytes_u32("table manifest", MAX_MANIFEST_LEN)?;
        let sig: [u8; SIGNATURE_LEN] = r.array()?;
        let manifest = decode_manifest(m)?;
        manifest
            .owner
            .verify(&signed_message(version, m), &sig)
            .map_err(|_| TableError::Tampered)?;
        let by_part = check_layout(
            &manifest.columns,
            &manifest.column_parts,
            manifest.parts.len(),
        )?;
        // Version 2: the context each part must name, computed once (one pass over the columns).
        let mut contexts = Vec::new();
        if version != TABLE_VERSION_1 {
            contexts.reserve(by_part.len());
            for (i, cols) in by_part.iter().enumerate() {
                let group = column_group_digest(
                    &manifest.content_type,
                    cols.iter()
                        .filter_map(|c| manifest.columns.get(*c))
                        .collect::<Vec<_>>()
                        .into_iter(),
                );
                contexts.push(PartContext {
                    table_id: manifest.table_id,
                    part: u16::try_from(i).map_err(|_| TableError::Limit {
                        what: "parts",
                        len: i,
                        max: MAX_PARTS,
                    })?,
                    group,
                });
            }
        }
        let mut parts = Vec::with_capacity(manifest.parts.len());
        for info in &manifest.parts {
            let len = r.u64()?;
            if len != info.sealed_len {
                return Err(TableError::Tampered);
            }
            let len = usize::try_from(len).map_err(|_| DecodeError::Truncated)?;
            parts.push(r.take(len)?);
        }
        r.finish()?;
        Ok(SealedTable {
            manifest,
            parts,
            version,
            contexts,
        })
    }

    /// The format version of this table: [`TABLE_VERSION`], or [`TABLE_VERSION_1`], whose
    /// parts do not name their table (they open as ordinary sealed streams when cut out).
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The table context part `i` must name (version 2), `None` in version 1.
    fn context(&self, i: usize) -> Result<Option<PartContext>, TableError> {
        if self.version == TABLE_VERSION_1 {
            return Ok(None);
        }
        self.contexts
            .get(i)
            .copied()
            .map(Some)
            .ok_or(TableError::InvalidColumns("no such part"))
    }

    /// The manifest (its owner signature verified by [`SealedTable::parse`]).
    pub fn manifest(&self) -> &TableManifest {
        &self.manifest
    }

    /// Checks every part against the manifest: its SHA-256 digest (in constant time), and
    /// that it is a version-2 stream whose header the manifest's owner signed. Any mismatch
    /// is [`TableError::Tampered`].
    pub fn verify_parts(&self) -> Result<(), TableError> {
        for i in 0..self.parts.len() {
            self.verify_part(i)?;
        }
        Ok(())
    }

    fn part(&self, i: usize) -> Result<(&'a [u8], &PartInfo), TableError> {
        match (self.parts.get(i), self.manifest.parts.get(i)) {
            (Some(b), Some(info)) => Ok((b, info)),
            _ => Err(TableError::InvalidColumns("no such part")),
        }
    }

    /// Checks part `i` against the manifest (digest, owner-signed version-2 header; else
    /// [`TableError::Tampered`]); returns its recipients' key ids, owner first.
    pub fn verify_part(&self, i: usize) -> Result<Vec<KeyId>, TableError> {
        let (bytes, info) = self.part(i)?;
        let context = self.context(i)?;
        let (h, digest) = end_digest(bytes, context.as_ref()).map_err(|_| TableError::Tampered)?;
        if !h.signed
            || h.owner != self.manifest.owner.key_id()
            || !bool::from(digest.ct_eq(&info.digest))
        {
            return Err(TableError::Tampered);
        }
        Ok(h.recipients)
    }

    /// The key ids of the recipients of part `i` (owner first), from its signed header.
    pub fn part_recipients(&self, i: usize) -> Result<Vec<KeyId>, TableError> {
        let (bytes, _) = self.part(i)?;
        let context = self.context(i)?;
        Ok(inspect_part(bytes, context.as_ref())
            .map_err(|_| TableError::Tampered)?
            .recipients)
    }

    /// Whether `party` (current or retired keys) is a recipient of part `i`.
    pub fn can_read(&self, party: &Party, i: usize) -> Result<bool, TableError> {
        Ok(self
            .part_recipients(i)?
            .iter()
            .any(|k| party.find(k).is_some()))
    }

    /// The plaintext length of part `i` (from its sealed length).
    pub fn part_plaintext_len(&self, i: usize) -> Result<usize, TableError> {
        let (bytes, _) = self.part(i)?;
        let context = self.context(i)?;
        let h = inspect_part(bytes, context.as_ref()).map_err(|_| TableError::Tampered)?;
        plaintext_len(h.header_len, bytes.len()).ok_or(TableError::Tampered)
    }

    /// Opens part `i` for `party`, writing its plaintext to `out`; returns the bytes written.
    /// The stream checks its owner's signatures and every chunk, and its digest is compared
    /// with the manifest's at the end ([`TableError::Tampered`]). A party that is not a
    /// recipient gets [`OpenError::NotARecipient`]. As with streams, on a failure part of the
    /// plaintext may already have been written: discard `out` on any error
    /// ([`SealedTable::open`] does).
    pub fn open_part_to<W: Write>(
        &self,
        party: &Party,
        i: usize,
        out: W,
    ) -> Result<u64, TableError> {
        let (bytes, info) = self.part(i)?;
        let context = self.context(i)?;
        let options = OpenOptions {
            expect_owner: Some(self.manifest.owner.key_id()),
            known_epochs: None,
        };
        // The stream checks its header and trailer signatures (the owner's, as expected) and
        // every chunk; its digest is then compared with the manifest's. Output written before
        // a failure is the caller's to discard (see the method docs).
        let (opened, digest) =
            open_stream_digest(party, bytes, out, &mut |_| {}, &options, context.as_ref())
                .map_err(|e| match e {
                    // A part that names another table, part or column group (or none, in version
                    // 2): spliced or re-labelled.
                    OpenError::TablePart => TableError::Tampered,
                    OpenError::NotARecipient | OpenError::Io(_) => TableError::Open(e),
                    // Not the part the manifest names (changed bytes, another owner's part): the
                    // table was tampered with. A part that is the owner's own and still does not
                    // decrypt for a recipient keeps the stream's opaque error.
                    other => match self.verify_part(i) {
                        Ok(_) => TableError::Open(other),
                        Err(t) => t,
                    },
                })?;
        if !bool::from(digest.ct_eq(&info.digest)) {
            return Err(TableError::Tampered);
        }
        Ok(opened.plaintext_len)
    }

    /// Opens every part `party` can read. Every part is checked against the manifest: the
    /// unreadable ones first ([`SealedTable::verify_part`]), the readable ones as they are
    /// opened; nothing is returned unless all pass. With `expect_owner`, a table
    /// signed by anyone else is refused ([`OpenError::WrongOwner`]) before anything is
    /// opened. A part the party is a recipient of but cannot decrypt fails the whole call
    /// (`OpenError::Decrypt`).
    pub fn open(
        &self,
        party: &Party,
        expect_owner: Option<&KeyId>,
    ) -> Result<OpenedTable, TableError> {
        if let Some(expected) = expect_owner {
            let found = self.manifest.owner.key_id();
            if found != *expected {
                return Err(OpenError::WrongOwner {
                    expected: *expected,
                    found,
                }
                .into());
            }
        }
        // Every part the party cannot read is checked first (digest, signatures), so a
        // tampered table fails before anything is decrypted; the readable ones are checked
        // while they are opened, and nothing is returned unless all pass.
        let mut readable = Vec::with_capacity(self.parts.len());
        for i in 0..self.parts.len() {
            let r = self.can_read(party, i)?;
            if !r {
                self.verify_part(i)?;
            }
            readable.push(r);
        }
        let mut parts = Vec::with_capacity(self.parts.len());
        let mut unreadable = Vec::new();
        for (i, r) in readable.into_iter().enumerate() {
            if !r {
                unreadable.push(i);
                parts.push(None);
                continue;
            }
            let mut buf = Zeroizing::new(Vec::with_capacity(self.part_plaintext_len(i)?));
            self.open_part_to(party, i, &mut *buf)?;
            parts.push(Some(buf));
        }
        Ok(OpenedTable {
            manifest: self.manifest.clone(),
            parts,
            unreadable,
        })
    }
}

/// Whether `prefix` (at least 4 bytes) starts a sealed table.
pub fn is_table(prefix: &[u8]) -> bool {
    prefix.len() >= 4
        && prefix.starts_with(&crate::encoding::MAGIC)
        && prefix.get(3) == Some(&(Tag::SealedTable as u8))
}

#[cfg(test)]
mod tests;
