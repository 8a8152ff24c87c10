//! Test fixtures: a record tree of depth 8 with a numeric field at some index.

use super::{field_leaf, SecretPath, RECORD_TREE_DEPTH};
use crate::field::fr_from_i64;
use crate::merkle::PoseidonTree;
use crate::Fr;

/// `(root, name, type_tag, salt, path)` of a record whose field `index` holds `value`.
pub(crate) fn record(value: i64, index: usize) -> (Fr, Fr, Fr, Fr, SecretPath) {
    let name = Fr::from(0x6e61_6d65u64 + index as u64);
    let tag = Fr::from(1u64);
    let salt = Fr::from(0x5a17u64 * (index as u64 + 1) + value.unsigned_abs());
    let mut leaves: Vec<Fr> = (0..5u64).map(|i| Fr::from(1000 + i)).collect();
    leaves[index] = field_leaf(name, tag, fr_from_i64(value), salt);
    let tree = PoseidonTree::new(&leaves, RECORD_TREE_DEPTH).unwrap();
    let path = tree.path(index as u64).unwrap();
    (tree.root(), name, tag, salt, SecretPath::from(&path))
}
