//! Commitments to field values, on two curves.
//!
//! - [`RangeCommitment`]: a Pedersen commitment `v·B + r·B_blinding` over Ristretto with the
//!   generators of `bulletproofs::PedersenGens::default()`, so Bulletproofs range proofs and the
//!   Schnorr proofs of [`crate::statement`] work on it. Numeric fields (int, decimal, date) are
//!   committed as signed 64-bit integers (see [`numeric_value`]).
//! - [`FieldCommitment`]: a canonical BN254 scalar, either a Poseidon leaf of one field
//!   ([`field_leaf`]) or the Poseidon Merkle root of a record's leaves ([`record_tree`]), so
//!   Groth16 circuits over BN254 can open them.
//!
//! The exact encodings are specified in `docs/spec/commitments.md`.

use crate::error::{AttestError, DecodeError};
use crate::record::{Record, Value, MAX_FIELDS};
use causeway_circuits::field::{fr_from_be_bytes_canonical, fr_from_i64, fr_to_be_bytes};
use causeway_circuits::merkle::{MerklePath, PoseidonTree};
use causeway_circuits::Fr;
use core::fmt;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The native Poseidon hash (circomlib parameters), re-exported from `causeway-circuits`.
pub use causeway_circuits::poseidon;

/// Depth of a record's Poseidon Merkle tree: `2^8 = 256` leaves, the most fields a record has.
pub const TREE_DEPTH: usize = 8;

const _: () = assert!(MAX_FIELDS <= 1 << TREE_DEPTH);

/// The Pedersen generators of every [`RangeCommitment`]: `bulletproofs::PedersenGens::default()`
/// (`B` = the Ristretto basepoint, `B_blinding` = SHA3-512 hash-to-group of `B`).
pub fn pedersen_gens() -> &'static bulletproofs::PedersenGens {
    static GENS: std::sync::OnceLock<bulletproofs::PedersenGens> = std::sync::OnceLock::new();
    GENS.get_or_init(bulletproofs::PedersenGens::default)
}

/// A Pedersen commitment to a signed 64-bit value: `v·B + r·B_blinding` (compressed Ristretto).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RangeCommitment(CompressedRistretto);

impl fmt::Debug for RangeCommitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RangeCommitment({})", hex::encode(self.0.as_bytes()))
    }
}

impl RangeCommitment {
    /// Commits to `value` with `blinding`.
    pub fn commit(value: i64, blinding: &Scalar) -> Self {
        RangeCommitment(
            pedersen_gens()
                .commit(scalar_from_i64(value), *blinding)
                .compress(),
        )
    }

    /// Wraps a point.
    pub fn from_point(p: &RistrettoPoint) -> Self {
        RangeCommitment(p.compress())
    }

    /// Parses 32 bytes; refuses encodings that are not canonical Ristretto points.
    pub fn from_bytes(b: &[u8; 32]) -> Result<Self, DecodeError> {
        let c = CompressedRistretto(*b);
        c.decompress().ok_or(DecodeError::Invalid {
            what: "Ristretto point",
        })?;
        Ok(RangeCommitment(c))
    }

    /// The canonical 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The compressed point.
    pub fn as_compressed(&self) -> &CompressedRistretto {
        &self.0
    }

    /// The decompressed point. Every `RangeCommitment` was checked when it was built, so this
    /// only fails on a broken invariant, reported as a decode error.
    pub fn point(&self) -> Result<RistrettoPoint, DecodeError> {
        self.0.decompress().ok_or(DecodeError::Invalid {
            what: "Ristretto point",
        })
    }
}

/// The scalar of a signed 64-bit value (negative values map to `l − |v|`).
pub fn scalar_from_i64(v: i64) -> Scalar {
    let s = Scalar::from(v.unsigned_abs());
    if v < 0 {
        -s
    } else {
        s
    }
}

/// A uniformly random scalar.
pub(crate) fn random_scalar<R: RngCore + CryptoRng>(rng: &mut R) -> Scalar {
    let mut wide = Zeroizing::new([0u8; 64]);
    rng.fill_bytes(&mut wide[..]);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// Parses a canonical scalar (refuses values `≥ l`).
pub(crate) fn scalar_from_canonical(b: &[u8; 32]) -> Result<Scalar, DecodeError> {
    Option::from(Scalar::from_canonical_bytes(*b)).ok_or(DecodeError::Invalid {
        what: "non-canonical scalar",
    })
}

/// The opening of a [`RangeCommitment`]: the value and the blinding. Secret: zeroized on drop,
/// redacted in `Debug`, no `PartialEq`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RangeOpening {
    value: i64,
    blinding: Scalar,
}

impl fmt::Debug for RangeOpening {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RangeOpening(<redacted>)")
    }
}

impl RangeOpening {
    /// An opening from its parts.
    pub fn new(value: i64, blinding: Scalar) -> Self {
        RangeOpening { value, blinding }
    }

    /// A fresh opening of `value` with a blinding from the operating system's RNG.
    pub fn random(value: i64) -> Self {
        Self::random_with_rng(value, &mut rand_core::OsRng)
    }

    /// A fresh opening of `value` with a blinding from `rng`.
    pub fn random_with_rng<R: RngCore + CryptoRng>(value: i64, rng: &mut R) -> Self {
        RangeOpening {
            value,
            blinding: random_scalar(rng),
        }
    }

    /// The committed value.
    pub fn value(&self) -> i64 {
        self.value
    }

    /// The blinding.
    pub fn blinding(&self) -> &Scalar {
        &self.blinding
    }

    /// The commitment `value·B + blinding·B_blinding`.
    pub fn commitment(&self) -> RangeCommitment {
        RangeCommitment::commit(self.value, &self.blinding)
    }

    /// Whether this opens `c` (constant time in the secret parts).
    pub fn opens(&self, c: &RangeCommitment) -> bool {
        use subtle::ConstantTimeEq as _;
        bool::from(self.commitment().0.as_bytes().ct_eq(c.0.as_bytes()))
    }
}

/// How a numeric field maps to a signed 64-bit integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumericKind {
    /// An integer, as is.
    Int,
    /// A decimal, as its units at this scale (`12.50` at scale 2 is `1250`).
    Decimal(u8),
    /// A date, as days since 1970-01-01.
    Date,
}

impl NumericKind {
    /// The one-byte code used in encodings (`1` int, `2` decimal, `3` date).
    pub fn code(&self) -> u8 {
        self.value_type().code()
    }

    /// The [`ValueType`](crate::record::ValueType) of this kind's values (its code is the
    /// kind's code).
    pub fn value_type(&self) -> crate::record::ValueType {
        use crate::record::ValueType;
        match self {
            NumericKind::Int => ValueType::Int,
            NumericKind::Decimal(_) => ValueType::Decimal,
            NumericKind::Date => ValueType::Date,
        }
    }

    /// The type tag this kind's leaves hash: `code | scale << 8` (see [`type_tag`]).
    pub fn type_tag(&self) -> u64 {
        u64::from(self.code()) | (u64::from(self.scale()) << 8)
    }

    /// The scale (0 for ints and dates).
    pub fn scale(&self) -> u8 {
        match self {
            NumericKind::Decimal(s) => *s,
            _ => 0,
        }
    }

    /// Rebuilds a kind from its code and scale; refuses unknown codes and stray scales.
    pub fn from_parts(code: u8, scale: u8) -> Result<Self, DecodeError> {
        use crate::record::ValueType;
        let bad = DecodeError::Invalid {
            what: "numeric kind",
        };
        match (ValueType::from_code(code).map_err(|_| bad.clone())?, scale) {
            (ValueType::Int, 0) => Ok(NumericKind::Int),
            (ValueType::Decimal, s) if s <= crate::record::MAX_DECIMAL_SCALE => {
                Ok(NumericKind::Decimal(s))
            }
            (ValueType::Date, 0) => Ok(NumericKind::Date),
            _ => Err(bad),
        }
    }

    /// The type name (`int`, `decimal`, `date`).
    pub fn type_name(&self) -> &'static str {
        self.value_type().name()
    }

    /// Renders an integer of this kind as a [`Value`] (`None` if a date is out of range).
    pub fn to_value(&self, v: i64) -> Option<Value> {
        match self {
            NumericKind::Int => Some(Value::Int(v)),
            NumericKind::Decimal(s) => crate::record::Decimal::new(v, *s).ok().map(Value::Decimal),
            NumericKind::Date => i32::try_from(v)
                .ok()
                .and_then(|d| crate::record::Date::from_days(d).ok())
                .map(Value::Date),
        }
    }
}

/// The signed 64-bit integer a numeric field is committed as, with its kind; `None` for
/// strings, bytes and booleans.
pub fn numeric_value(value: &Value) -> Option<(NumericKind, i64)> {
    match value {
        Value::Int(i) => Some((NumericKind::Int, *i)),
        Value::Decimal(d) => Some((NumericKind::Decimal(d.scale()), d.units())),
        Value::Date(d) => Some((NumericKind::Date, i64::from(d.days()))),
        _ => None,
    }
}

/// A canonical BN254 scalar (big-endian bytes, `< r`): a Poseidon leaf or root.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldCommitment([u8; 32]);

impl fmt::Debug for FieldCommitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldCommitment({})", hex::encode(self.0))
    }
}

impl FieldCommitment {
    /// Wraps a field element.
    pub fn from_fr(x: &Fr) -> Self {
        FieldCommitment(fr_to_be_bytes(x))
    }

    /// Parses 32 big-endian bytes; refuses values `≥ r` (never reduces).
    pub fn from_bytes(b: &[u8; 32]) -> Result<Self, DecodeError> {
        fr_from_be_bytes_canonical(b).map_err(|_| DecodeError::Invalid {
            what: "BN254 field element (not canonical)",
        })?;
        Ok(FieldCommitment(*b))
    }

    /// The canonical big-endian bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The field element.
    pub fn to_fr(&self) -> Result<Fr, DecodeError> {
        fr_from_be_bytes_canonical(&self.0).map_err(|_| DecodeError::Invalid {
            what: "BN254 field element (not canonical)",
        })
    }
}

/// A field's random salt: a BN254 scalar below `2^253`. Secret: zeroized on drop, redacted.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct FieldSalt([u8; 32]);

impl fmt::Debug for FieldSalt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FieldSalt(<redacted>)")
    }
}

impl FieldSalt {
    /// A fresh salt from `rng`: 253 random bits (always below `r`, so canonical).
    pub fn random_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        b[0] &= 0x1f;
        FieldSalt(b)
    }

    /// Parses a salt; refuses non-canonical field elements.
    pub fn from_bytes(b: &[u8; 32]) -> Result<Self, DecodeError> {
        fr_from_be_bytes_canonical(b).map_err(|_| DecodeError::Invalid {
            what: "salt (not a canonical BN254 element)",
        })?;
        Ok(FieldSalt(*b))
    }

    /// The salt's bytes. Handle with care.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn to_fr(&self) -> Result<Fr, AttestError> {
        fr_from_be_bytes_canonical(&self.0).map_err(|_| AttestError::Hash)
    }
}

/// SHA-256 of `label || len(data) as u32 BE || data` with the top three bits cleared: a
/// 253-bit integer, always a canonical BN254 element.
pub fn hash_to_field(label: &[u8], data: &[u8]) -> Fr {
    let mut h = Sha256::new();
    h.update(label);
    h.update((data.len() as u32).to_be_bytes());
    h.update(data);
    let mut d: [u8; 32] = h.finalize().into();
    d[0] &= 0x1f;
    // 253 bits < r: canonical by construction.
    fr_from_be_bytes_canonical(&d).unwrap_or_else(|_| Fr::from(0u64))
}

/// Label for field names.
pub const NAME_LABEL: &[u8] = b"causeway/field-name/v1";
/// Label for string values.
pub const STRING_LABEL: &[u8] = b"causeway/field-string/v1";
/// Label for bytes values.
pub const BYTES_LABEL: &[u8] = b"causeway/field-bytes/v1";

/// The type tag of a value in a leaf: `kind | scale << 8` (kind 1 int, 2 decimal, 3 date,
/// 4 string, 5 bytes, 6 bool).
/// The code is [`ValueType::code`](crate::record::ValueType::code), the one type table.
pub fn type_tag(value: &Value) -> u64 {
    let scale = match value {
        Value::Decimal(d) => d.scale(),
        _ => 0,
    };
    u64::from(value.value_type().code()) | (u64::from(scale) << 8)
}

/// The field element a value is encoded as in its leaf.
pub fn value_to_field(value: &Value) -> Fr {
    match value {
        Value::String(s) => hash_to_field(STRING_LABEL, s.as_bytes()),
        Value::Bytes(b) => hash_to_field(BYTES_LABEL, b),
        Value::Bool(b) => Fr::from(u64::from(*b)),
        other => match numeric_value(other) {
            Some((_, v)) => fr_from_i64(v),
            None => Fr::from(0u64),
        },
    }
}

/// A field's Poseidon leaf:
/// `Poseidon(hash_to_field(NAME_LABEL, name), type_tag, value_to_field(value), salt)`.
pub fn field_leaf(
    name: &str,
    value: &Value,
    salt: &FieldSalt,
) -> Result<FieldCommitment, AttestError> {
    let inputs = [
        hash_to_field(NAME_LABEL, name.as_bytes()),
        Fr::from(type_tag(value)),
        value_to_field(value),
        salt.to_fr()?,
    ];
    let h = poseidon::hash(&inputs).map_err(|_| AttestError::Hash)?;
    Ok(FieldCommitment::from_fr(&h))
}

/// A record's Poseidon Merkle tree: leaves in canonical field (name) order, depth
/// [`TREE_DEPTH`], empty leaves zero. `salts` has one salt per field, in the same order.
pub fn record_tree(record: &Record, salts: &[FieldSalt]) -> Result<PoseidonTree, AttestError> {
    if salts.len() != record.len() {
        return Err(AttestError::OpeningMismatch);
    }
    let leaves = record
        .fields()
        .zip(salts)
        .map(|((name, value), salt)| {
            field_leaf(name, value, salt).and_then(|c| c.to_fr().map_err(AttestError::from))
        })
        .collect::<Result<Vec<Fr>, AttestError>>()?;
    PoseidonTree::new(&leaves, TREE_DEPTH).map_err(|_| AttestError::Hash)
}

/// Label of the slot order of a [`TreeLayout`].
const LAYOUT_ORDER_LABEL: &[u8] = b"causeway/record-tree-order/v1";
/// Label of the padding leaves of a [`TreeLayout`].
const LAYOUT_PAD_LABEL: &[u8] = b"causeway/record-tree-pad/v1";

/// The secret layout of a record's Poseidon tree since attested-record format 2 (issue 11
/// item 15): a 32-byte seed, drawn by the issuer and kept by the holder, that places the
/// fields at pseudo-random slots of the 256 and fills every other slot with a padding leaf
/// `Poseidon(H(pad label, seed), slot)`. Every leaf then looks like a Poseidon output, so a
/// disclosure's leaf index and Merkle siblings say nothing about how many fields the record
/// has or where the disclosed name sorts among them. The verifier needs nothing of it: a path
/// is checked the same way whatever the layout, and the circuits (depth 8) are unchanged.
/// Zeroized on drop; redacted `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TreeLayout([u8; 32]);

impl fmt::Debug for TreeLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TreeLayout(<redacted>)")
    }
}

impl TreeLayout {
    /// A fresh layout from `rng`.
    pub fn random_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        TreeLayout(b)
    }
    /// A layout from its seed.
    pub fn from_bytes(seed: &[u8; 32]) -> Self {
        TreeLayout(*seed)
    }
    /// The seed (secret).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 256 slots in the layout's order: slot `j` ranked by `SHA-256(order label || seed ||
    /// j u16)`; the field at canonical position `i` goes to the `i`-th slot of this order.
    pub fn slots(&self) -> Vec<u64> {
        let mut keyed: Vec<([u8; 32], u64)> = (0..1u64 << TREE_DEPTH)
            .map(|j| {
                let mut h = Sha256::new();
                h.update(LAYOUT_ORDER_LABEL);
                h.update(self.0);
                h.update((j as u16).to_be_bytes());
                (h.finalize().into(), j)
            })
            .collect();
        keyed.sort_unstable();
        keyed.into_iter().map(|(_, j)| j).collect()
    }

    /// The padding leaf of `slot`.
    pub fn padding(&self, slot: u64) -> Fr {
        let k = hash_to_field(LAYOUT_PAD_LABEL, &self.0);
        poseidon::hash2(k, Fr::from(slot))
    }
}

/// A record's Poseidon tree under `layout` (see [`TreeLayout`]), or the format-1 layout of
/// [`record_tree`] (canonical positions, zero padding) when `layout` is `None`; with the slot of
/// each field, in canonical field order.
pub fn record_tree_with_layout(
    record: &Record,
    salts: &[FieldSalt],
    layout: Option<&TreeLayout>,
) -> Result<(PoseidonTree, Vec<u64>), AttestError> {
    let Some(layout) = layout else {
        let tree = record_tree(record, salts)?;
        return Ok((tree, (0..record.len() as u64).collect()));
    };
    if salts.len() != record.len() {
        return Err(AttestError::OpeningMismatch);
    }
    let order = layout.slots();
    let mut leaves: Vec<Option<Fr>> = vec![None; 1 << TREE_DEPTH];
    let mut positions = Vec::with_capacity(record.len());
    for (((name, value), salt), slot) in record.fields().zip(salts).zip(&order) {
        let leaf = field_leaf(name, value, salt)?.to_fr()?;
        let cell = leaves.get_mut(*slot as usize).ok_or(AttestError::Hash)?;
        *cell = Some(leaf);
        positions.push(*slot);
    }
    if positions.len() != record.len() {
        return Err(AttestError::Record(crate::error::RecordError::Limit(
            "too many fields",
        )));
    }
    // `layout.padding(j)`, with the layout's padding key hashed once
    let pad_key = hash_to_field(LAYOUT_PAD_LABEL, &layout.0);
    let leaves: Vec<Fr> = leaves
        .into_iter()
        .enumerate()
        .map(|(j, l)| l.unwrap_or_else(|| poseidon::hash2(pad_key, Fr::from(j as u64))))
        .collect();
    let tree = PoseidonTree::new(&leaves, TREE_DEPTH).map_err(|_| AttestError::Hash)?;
    Ok((tree, positions))
}

/// Checks a Merkle path of depth [`TREE_DEPTH`] from `leaf` to `root`.
pub fn path_reaches(path: &MerklePath, leaf: &FieldCommitment, root: &FieldCommitment) -> bool {
    if path.siblings.len() != TREE_DEPTH || path.index >= (1u64 << TREE_DEPTH) {
        return false;
    }
    match leaf.to_fr() {
        Ok(l) => FieldCommitment::from_fr(&path.root_for(l)) == *root,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Value;

    fn rng() -> impl RngCore + CryptoRng {
        crate::test_util::TestRng::new(7)
    }

    #[test]
    fn commitment_round_trip_and_homomorphism() {
        let r = Scalar::from(7u64);
        let c = RangeCommitment::commit(-5, &r);
        assert_eq!(RangeCommitment::from_bytes(&c.to_bytes()).unwrap(), c);
        // -5 + 5 = 0: C(-5, r) + 5·B = C(0, r)
        let sum = c.point().unwrap() + RistrettoPoint::mul_base(&Scalar::from(5u64));
        assert_eq!(
            RangeCommitment::from_point(&sum),
            RangeCommitment::commit(0, &r)
        );
    }

    #[test]
    fn pedersen_opens_and_binds() {
        let mut r = rng();
        for v in [0i64, 1, -1, i64::MAX, i64::MIN, 700] {
            let o = RangeOpening::random_with_rng(v, &mut r);
            let c = o.commitment();
            assert!(o.opens(&c));
            assert!(!RangeOpening::new(v.wrapping_add(1), *o.blinding()).opens(&c));
            assert_eq!(RangeCommitment::from_bytes(&c.to_bytes()).unwrap(), c);
        }
        assert_eq!(
            format!("{:?}", RangeOpening::new(5, Scalar::ONE)),
            "RangeOpening(<redacted>)"
        );
    }

    #[test]
    fn non_canonical_points_refused() {
        // 2^255 - 1 is not a canonical Ristretto encoding.
        assert!(RangeCommitment::from_bytes(&[0xff; 32]).is_err());
        let mut b = [0u8; 32];
        b[0] = 1; // odd: not canonical (negative)
        assert!(RangeCommitment::from_bytes(&b).is_err());
    }

    #[test]
    fn leaves_bind_name_type_value_salt() {
        let mut r = rng();
        let s = FieldSalt::random_with_rng(&mut r);
        let s2 = FieldSalt::random_with_rng(&mut r);
        let base = field_leaf("score", &Value::Int(700), &s).unwrap();
        assert_eq!(base, field_leaf("score", &Value::Int(700), &s).unwrap());
        assert_ne!(base, field_leaf("score", &Value::Int(701), &s).unwrap());
        assert_ne!(base, field_leaf("scores", &Value::Int(700), &s).unwrap());
        assert_ne!(base, field_leaf("score", &Value::Int(700), &s2).unwrap());
        // same integer, another type: another leaf
        assert_ne!(
            base,
            field_leaf("score", &Value::decimal("7.00").unwrap(), &s).unwrap()
        );
        assert_ne!(
            field_leaf("x", &Value::decimal("7.0").unwrap(), &s).unwrap(),
            field_leaf("x", &Value::decimal("0.70").unwrap(), &s).unwrap()
        );
        assert_ne!(
            field_leaf("x", &Value::String("a".into()), &s).unwrap(),
            field_leaf("x", &Value::Bytes(b"a".to_vec()), &s).unwrap()
        );
        assert!(FieldCommitment::from_bytes(&[0xff; 32]).is_err());
        assert!(FieldSalt::from_bytes(&[0xff; 32]).is_err());
    }

    #[test]
    fn tree_paths() {
        let mut r = rng();
        let rec = Record::new("t/v1")
            .unwrap()
            .with("a", Value::Int(1))
            .unwrap()
            .with("b", Value::String("x".into()))
            .unwrap();
        let salts: Vec<_> = (0..2).map(|_| FieldSalt::random_with_rng(&mut r)).collect();
        let tree = record_tree(&rec, &salts).unwrap();
        let root = FieldCommitment::from_fr(&tree.root());
        let leaf_b = field_leaf("b", &Value::String("x".into()), &salts[1]).unwrap();
        let p = tree.path(1).unwrap();
        assert!(path_reaches(&p, &leaf_b, &root));
        let p0 = tree.path(0).unwrap();
        assert!(!path_reaches(&p0, &leaf_b, &root));
    }
}
