//! RFC 6962/9162 Merkle proofs: the transparency-dev vectors, and exhaustive checks of every
//! tree size up to 64 against a naive reference implementation.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use causeway::ledger::merkle::{empty_root, leaf_hash, node_hash, Hash};
use causeway::ledger::proof::{
    consistency_proof, inclusion_proof, subtree_hash, verify_consistency, verify_consistency_bytes,
    verify_inclusion, verify_inclusion_bytes, LeafSlice,
};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn vector_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            vector_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

fn b64(v: &Value) -> Vec<u8> {
    STANDARD.decode(v.as_str().unwrap()).unwrap()
}

fn proof(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::Null => Vec::new(),
        Value::Array(a) => a.iter().map(b64).collect(),
        _ => panic!("bad proof"),
    }
}

#[test]
fn transparency_dev_vectors() {
    let root = causeway_tests::crate_dir().join("vectors/rfc6962");
    let mut files = Vec::new();
    vector_files(&root, &mut files);
    files.sort();
    let (mut valid, mut invalid, mut inclusion, mut consistency) = (0, 0, 0, 0);
    for f in &files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let want_err = v["wantErr"].as_bool().unwrap();
        let res = if v.get("leafIdx").is_some() {
            inclusion += 1;
            verify_inclusion_bytes(
                v["leafIdx"].as_u64().unwrap(),
                v["treeSize"].as_u64().unwrap(),
                &b64(&v["leafHash"]),
                &proof(&v["proof"]),
                &b64(&v["root"]),
            )
        } else {
            consistency += 1;
            verify_consistency_bytes(
                v["size1"].as_u64().unwrap(),
                v["size2"].as_u64().unwrap(),
                &proof(&v["proof"]),
                &b64(&v["root1"]),
                &b64(&v["root2"]),
            )
        };
        assert_eq!(
            res.is_err(),
            want_err,
            "{}: {} -> {res:?}",
            f.display(),
            v["desc"]
        );
        if want_err {
            invalid += 1;
        } else {
            valid += 1;
        }
    }
    assert_eq!(files.len(), 196);
    assert_eq!(valid, 12);
    assert_eq!(invalid, 184);
    assert!(inclusion > 0 && consistency > 0);
}

// ---- naive reference, written straight from RFC 9162 §2.1 (recursive, on leaf slices) ----

fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => empty_root(),
        1 => d[0],
        n => {
            let k = k_of(n);
            node_hash(&mth(&d[..k]), &mth(&d[k..]))
        }
    }
}

fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n == 1 {
        return Vec::new();
    }
    let k = k_of(n);
    if m < k {
        let mut p = path(m, &d[..k]);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = path(m - k, &d[k..]);
        p.push(mth(&d[..k]));
        p
    }
}

fn subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { Vec::new() } else { vec![mth(d)] };
    }
    let k = k_of(n);
    if m <= k {
        let mut p = subproof(m, &d[..k], b);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = subproof(m - k, &d[k..], false);
        p.push(mth(&d[..k]));
        p
    }
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n as u32).map(|i| leaf_hash(&i.to_be_bytes())).collect()
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut h = *h;
    h[bit / 8 % 32] ^= 1 << (bit % 8);
    h
}

#[test]
fn exhaustive_inclusion_up_to_64() {
    let all = leaves(64);
    for n in 1..=64usize {
        let d = &all[..n];
        let root = mth(d);
        assert_eq!(subtree_hash(&mut LeafSlice(d), 0, n as u64).unwrap(), root);
        for m in 0..n {
            let p = inclusion_proof(&mut LeafSlice(d), m as u64, n as u64).unwrap();
            assert_eq!(p, path(m, d), "n={n} m={m}");
            verify_inclusion(m as u64, n as u64, &d[m], &p, &root).unwrap();
            // Every mutation fails: each flipped proof hash, a wrong leaf, a wrong index, a
            // wrong root, a dropped or an extra hash, a size that excludes the leaf.
            for i in 0..p.len() {
                let mut q = p.clone();
                q[i] = flip(&q[i], i * 7 + m);
                assert!(verify_inclusion(m as u64, n as u64, &d[m], &q, &root).is_err());
            }
            let other = (m + 1) % n;
            if other != m {
                assert!(verify_inclusion(m as u64, n as u64, &d[other], &p, &root).is_err());
                assert!(verify_inclusion(other as u64, n as u64, &d[m], &p, &root).is_err());
            }
            assert!(verify_inclusion(m as u64, n as u64, &d[m], &p, &flip(&root, m)).is_err());
            if !p.is_empty() {
                assert!(verify_inclusion(m as u64, n as u64, &d[m], &p[1..], &root).is_err());
            }
            let mut longer = p.clone();
            longer.push(root);
            assert!(verify_inclusion(m as u64, n as u64, &d[m], &longer, &root).is_err());
            assert!(verify_inclusion(m as u64, m as u64, &d[m], &p, &root).is_err());
        }
        assert!(inclusion_proof(&mut LeafSlice(d), n as u64, n as u64).is_err());
    }
}

#[test]
fn exhaustive_consistency_up_to_64() {
    let all = leaves(64);
    for n in 1..=64usize {
        let d = &all[..n];
        let root2 = mth(d);
        for m in 1..=n {
            let root1 = mth(&d[..m]);
            let p = consistency_proof(&mut LeafSlice(d), m as u64, n as u64).unwrap();
            assert_eq!(p, subproof(m, d, true), "m={m} n={n}");
            verify_consistency(m as u64, n as u64, &p, &root1, &root2).unwrap();
            for i in 0..p.len() {
                let mut q = p.clone();
                q[i] = flip(&q[i], i * 5 + m);
                assert!(verify_consistency(m as u64, n as u64, &q, &root1, &root2).is_err());
            }
            assert!(verify_consistency(m as u64, n as u64, &p, &flip(&root1, 3), &root2).is_err());
            assert!(verify_consistency(m as u64, n as u64, &p, &root1, &flip(&root2, 3)).is_err());
            if m < n {
                // A different old tree (its last leaf changed) is not consistent.
                let mut forked = d[..m].to_vec();
                forked[m - 1] = leaf_hash(b"fork");
                assert!(verify_consistency(m as u64, n as u64, &p, &mth(&forked), &root2).is_err());
                assert!(verify_consistency(m as u64, n as u64, &p[1..], &root1, &root2).is_err());
                let mut longer = p.clone();
                longer.push(root2);
                assert!(verify_consistency(m as u64, n as u64, &longer, &root1, &root2).is_err());
                // Sizes reversed never verify.
                assert!(verify_consistency(n as u64, m as u64, &p, &root2, &root1).is_err());
                // The proof for (m, n) does not prove (m', n) for any other real old tree m'.
                for m2 in [m - 1, m + 1] {
                    if m2 >= 1 && m2 < n && subproof(m2, d, true) != p {
                        let r = mth(&d[..m2]);
                        assert!(verify_consistency(m2 as u64, n as u64, &p, &r, &root2).is_err());
                    }
                }
            } else {
                assert!(p.is_empty());
            }
        }
        assert!(consistency_proof(&mut LeafSlice(d), 0, n as u64).is_err());
        assert!(consistency_proof(&mut LeafSlice(d), n as u64 + 1, n as u64).is_err());
    }
}

#[test]
fn domain_separation() {
    // The leaf/node prefixes: data equal to an interior node's preimage (with or without the
    // 0x01 prefix) hashes, as a leaf, to something other than that node, so a verifier that
    // hashes the leaf data itself never accepts a node as a leaf (CVE-2017-12842's shape).
    let d = leaves(4);
    let root = mth(&d);
    let left = node_hash(&d[0], &d[1]);
    let right = node_hash(&d[2], &d[3]);
    let mut preimage = Vec::new();
    preimage.extend_from_slice(&left);
    preimage.extend_from_slice(&right);
    let mut prefixed = vec![0x01];
    prefixed.extend_from_slice(&preimage);
    for data in [&preimage[..], &prefixed[..], &left[..]] {
        let lh = leaf_hash(data);
        assert_ne!(lh, root);
        assert_ne!(lh, left);
        // Claimed as the whole tree, or as the left half of a 2-leaf tree with `right` as
        // sibling: neither verifies against the real root.
        assert!(verify_inclusion(0, 1, &lh, &[], &root).is_err());
        assert!(verify_inclusion(0, 2, &lh, &[right], &root).is_err());
        assert!(verify_inclusion(1, 2, &lh, &[left], &root).is_err());
    }
    // The tree whose *leaves* carry the node hashes as data has a different root.
    assert_ne!(mth(&[leaf_hash(&left), leaf_hash(&right)]), root);
    // Without the 0x01 prefix the node hash would be the plain hash of the concatenation.
    use sha2::{Digest, Sha256};
    let plain: [u8; 32] = Sha256::digest(&preimage).into();
    assert_ne!(plain, root);
}
