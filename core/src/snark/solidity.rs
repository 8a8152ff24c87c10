//! Solidity Groth16 verifiers for Causeway verifying keys, and the calldata that calls them.
//!
//! [`solidity_verifier`] writes a self-contained contract for one verifying key that checks a
//! proof with the BN254 precompiles (0x06 add, 0x07 scalar multiplication, 0x08 pairing):
//!
//! ```text
//! function verifyProof(uint256[8] calldata proof, uint256[] calldata input) external view returns (bool)
//! ```
//!
//! `proof` is `[A.x, A.y, B.x.c1, B.x.c0, B.y.c1, B.y.c0, C.x, C.y]` (the EVM's G2 order, the
//! imaginary part first); [`verify_calldata`] encodes it. The contract returns `false` (never
//! reverts) when the number of inputs is not the key's, when an input is `≥ r` (so `x` and
//! `x + r` are not both accepted), when a proof coordinate is `≥ q` or a point is not on the
//! curve or not in its subgroup (the precompiles refuse them), or when the pairing check fails.
//!
//! Gas: no more than snarkjs's generated verifier for the same number of public inputs
//! (measured side by side on anvil by `tests/tests/verifier_evm.rs`; figures in
//! `docs/benchmarks/anchor.md`). The generated code is straight-line assembly: constants are
//! inlined (with `−β`, `−γ`, `−δ` precomputed, so `A` is used as sent), the proof is copied
//! into the pairing input with one `calldatacopy`, `vk_x` is accumulated in place in the
//! pairing input, and precompile results are combined without branches.

use crate::snark::{Fr, Proof, VerifyingKey};
use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{BigInteger, PrimeField};
use sha3::{Digest, Keccak256};
use std::fmt::Write as _;

/// The function signature the generated verifiers expose.
pub const VERIFY_SIGNATURE: &str = "verifyProof(uint256[8],uint256[])";

fn fq_hex(x: &Fq) -> String {
    format!("0x{}", hex::encode(x.into_bigint().to_bytes_be()))
}

fn fq_word(x: &Fq) -> [u8; 32] {
    let mut w = [0u8; 32];
    let b = x.into_bigint().to_bytes_be();
    let n = b.len().min(32);
    if let (Some(dst), Some(src)) = (w.get_mut(32 - n..), b.get(b.len() - n..)) {
        dst.copy_from_slice(src);
    }
    w
}

fn fr_word(x: &Fr) -> [u8; 32] {
    let mut w = [0u8; 32];
    let b = x.into_bigint().to_bytes_be();
    let n = b.len().min(32);
    if let (Some(dst), Some(src)) = (w.get_mut(32 - n..), b.get(b.len() - n..)) {
        dst.copy_from_slice(src);
    }
    w
}

/// (x, y) of a G1 point; the identity is (0, 0), as the precompiles encode it.
fn g1_coords(p: &G1Affine) -> (Fq, Fq) {
    match p.xy() {
        Some((x, y)) => (x, y),
        None => (Fq::from(0u8), Fq::from(0u8)),
    }
}

/// (x, y) of a G2 point.
fn g2_coords(p: &G2Affine) -> (Fq2, Fq2) {
    match p.xy() {
        Some((x, y)) => (x, y),
        None => (
            Fq2::new(Fq::from(0u8), Fq::from(0u8)),
            Fq2::new(Fq::from(0u8), Fq::from(0u8)),
        ),
    }
}

fn g2_const(out: &mut String, name: &str, p: &G2Affine) {
    let (x, y) = g2_coords(p);
    let _ = writeln!(out, "    uint256 constant {name}_X1 = {};", fq_hex(&x.c1));
    let _ = writeln!(out, "    uint256 constant {name}_X0 = {};", fq_hex(&x.c0));
    let _ = writeln!(out, "    uint256 constant {name}_Y1 = {};", fq_hex(&y.c1));
    let _ = writeln!(out, "    uint256 constant {name}_Y0 = {};", fq_hex(&y.c0));
}

/// Writes `mstore(at + 32·k, NAME_X1/X0/Y1/Y0)` for a G2 constant.
fn g2_store(out: &mut String, at: usize, name: &str) {
    for (k, part) in ["X1", "X0", "Y1", "Y0"].iter().enumerate() {
        let _ = writeln!(out, "            mstore({:#x}, {name}_{part})", at + 32 * k);
    }
}

/// A Solidity verifier contract (named `contract_name`) for `vk`. Compile it with solc
/// 0.8.x (Causeway pins 0.8.37, EVM `shanghai`: `contracts/build.mjs --file`).
///
/// The check is `e(A, B) · e(α, −β) · e(vk_x, −γ) · e(C, −δ) = 1` with `vk_x = IC₀ + Σ xᵢ·ICᵢ₊₁`,
/// the negated G2 constants computed here, so the proof is copied into the pairing input as it
/// arrives (one `calldatacopy`, no negation). The pairing input is laid out from memory offset
/// 0 as `A B | C −δ | α −β | vk_x −γ`; `vk_x` is accumulated in place, with the scalar
/// multiplication's input and output in the `−γ` slot until the constants are written. The
/// assembly never returns to Solidity, so it owns all of memory. Proof coordinates `≥ q` and
/// points off the curve or outside the subgroup make a precompile fail (EIP-196/197).
pub fn solidity_verifier(vk: &VerifyingKey, contract_name: &str) -> String {
    let ark = vk.as_arkworks();
    let n = ark.gamma_abc_g1.len().saturating_sub(1);
    let name: String = contract_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Groth16Verifier{name}")
    } else {
        name
    };
    let neg_beta: G2Affine = (-ark.beta_g2.into_group()).into_affine();
    let neg_gamma: G2Affine = (-ark.gamma_g2.into_group()).into_affine();
    let neg_delta: G2Affine = (-ark.delta_g2.into_group()).into_affine();
    let mut s = String::with_capacity(8192 + 400 * n);
    let _ = writeln!(s, "// SPDX-License-Identifier: MIT OR Apache-2.0");
    let _ = writeln!(
        s,
        "// Generated by `causeway verifier export`; do not edit."
    );
    let _ = writeln!(s, "pragma solidity ^0.8.20;");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "/// @title Groth16 (BN254) verifier for verifying key {}",
        vk.id()
    );
    let _ = writeln!(
        s,
        "/// @notice {n} public input(s). `verifyProof` returns false (never reverts) for a wrong"
    );
    let _ = writeln!(s, "/// input count, an input >= r, a coordinate >= q, a point off the curve or a failed pairing.");
    let _ = writeln!(s, "/// @dev e(A, B) * e(alpha, -beta) * e(vk_x, -gamma) * e(C, -delta) == 1; pairing input at memory 0:");
    let _ = writeln!(
        s,
        "/// A B (0x00) | C -delta (0xc0) | alpha -beta (0x180) | vk_x -gamma (0x240)."
    );
    let _ = writeln!(s, "contract {name} {{");
    let _ = writeln!(s, "    uint256 constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;");
    let _ = writeln!(s, "    uint256 public constant PUBLIC_INPUTS = {n};");
    let (ax, ay) = g1_coords(&ark.alpha_g1);
    let _ = writeln!(s, "    uint256 constant ALPHA_X = {};", fq_hex(&ax));
    let _ = writeln!(s, "    uint256 constant ALPHA_Y = {};", fq_hex(&ay));
    g2_const(&mut s, "NEG_BETA", &neg_beta);
    g2_const(&mut s, "NEG_GAMMA", &neg_gamma);
    g2_const(&mut s, "NEG_DELTA", &neg_delta);
    for (i, p) in ark.gamma_abc_g1.iter().enumerate() {
        let (x, y) = g1_coords(p);
        let _ = writeln!(s, "    uint256 constant IC{i}_X = {};", fq_hex(&x));
        let _ = writeln!(s, "    uint256 constant IC{i}_Y = {};", fq_hex(&y));
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "    /// @notice Verifies `proof` = [A.x, A.y, B.x1, B.x0, B.y1, B.y0, C.x, C.y] for `input`.");
    let _ = writeln!(s, "    function verifyProof(uint256[8] calldata proof, uint256[] calldata input) external view returns (bool) {{");
    let _ = writeln!(s, "        assembly {{");
    let _ = writeln!(
        s,
        "            if iszero(eq(input.length, {n})) {{ mstore(0, 0) return(0, 0x20) }}"
    );
    let _ = writeln!(s, "            let ok := 1");
    let _ = writeln!(
        s,
        "            // vk_x = IC0 + sum(input[i] * IC[i+1]), at 0x240"
    );
    let _ = writeln!(s, "            mstore(0x240, IC0_X)");
    let _ = writeln!(s, "            mstore(0x260, IC0_Y)");
    for i in 0..n {
        let _ = writeln!(s, "            {{");
        let _ = writeln!(
            s,
            "                let x := calldataload(add(input.offset, {:#x}))",
            32 * i
        );
        let _ = writeln!(s, "                ok := and(ok, lt(x, R))");
        let _ = writeln!(s, "                mstore(0x280, IC{}_X)", i + 1);
        let _ = writeln!(s, "                mstore(0x2a0, IC{}_Y)", i + 1);
        let _ = writeln!(s, "                mstore(0x2c0, x)");
        let _ = writeln!(
            s,
            "                ok := and(ok, staticcall(gas(), 0x07, 0x280, 0x60, 0x280, 0x40))"
        );
        let _ = writeln!(
            s,
            "                ok := and(ok, staticcall(gas(), 0x06, 0x240, 0x80, 0x240, 0x40))"
        );
        let _ = writeln!(s, "            }}");
    }
    let _ = writeln!(s, "            calldatacopy(0, proof, 0x100)");
    g2_store(&mut s, 0x100, "NEG_DELTA");
    let _ = writeln!(s, "            mstore(0x180, ALPHA_X)");
    let _ = writeln!(s, "            mstore(0x1a0, ALPHA_Y)");
    g2_store(&mut s, 0x1c0, "NEG_BETA");
    g2_store(&mut s, 0x280, "NEG_GAMMA");
    let _ = writeln!(
        s,
        "            ok := and(ok, staticcall(gas(), 0x08, 0, 0x300, 0, 0x20))"
    );
    let _ = writeln!(s, "            mstore(0, and(ok, eq(mload(0), 1)))");
    let _ = writeln!(s, "            return(0, 0x20)");
    let _ = writeln!(s, "        }}");
    let _ = writeln!(s, "    }}");
    let _ = writeln!(s, "}}");
    s
}

/// The 8 words of a proof in the order the generated verifier takes them.
pub fn proof_words(proof: &Proof) -> [[u8; 32]; 8] {
    let p = proof.as_arkworks();
    let (ax, ay) = g1_coords(&p.a);
    let (bx, by) = g2_coords(&p.b);
    let (cx, cy) = g1_coords(&p.c);
    [
        fq_word(&ax),
        fq_word(&ay),
        fq_word(&bx.c1),
        fq_word(&bx.c0),
        fq_word(&by.c1),
        fq_word(&by.c0),
        fq_word(&cx),
        fq_word(&cy),
    ]
}

fn u64_word(v: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    if let Some(tail) = w.get_mut(24..) {
        tail.copy_from_slice(&v.to_be_bytes());
    }
    w
}

/// The ABI function selector of `signature` (e.g. `"verifyProof(uint256[8],uint256[])"`): the
/// first 4 bytes of its Keccak-256.
pub fn selector(signature: &str) -> [u8; 4] {
    let h = Keccak256::digest(signature.as_bytes());
    let mut sel = [0u8; 4];
    sel.copy_from_slice(h.get(..4).unwrap_or(&[0; 4]));
    sel
}

/// The function selector of `verifyProof(uint256[8],uint256[])`.
pub fn verify_selector() -> [u8; 4] {
    selector(VERIFY_SIGNATURE)
}

/// Calldata for `verifyProof(proof, inputs)` from raw 32-byte words (for tests of malformed
/// proofs and out-of-range inputs; [`verify_calldata`] for real ones).
pub fn verify_calldata_words(proof: &[[u8; 32]; 8], inputs: &[[u8; 32]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * (10 + inputs.len()));
    out.extend_from_slice(&verify_selector());
    for w in proof {
        out.extend_from_slice(w);
    }
    out.extend_from_slice(&u64_word(32 * 9));
    out.extend_from_slice(&u64_word(inputs.len() as u64));
    for i in inputs {
        out.extend_from_slice(i);
    }
    out
}

/// Calldata for the generated verifier's `verifyProof(proof, inputs)`.
pub fn verify_calldata(proof: &Proof, inputs: &[Fr]) -> Vec<u8> {
    let words: Vec<[u8; 32]> = inputs.iter().map(fr_word).collect();
    verify_calldata_words(&proof_words(proof), &words)
}
