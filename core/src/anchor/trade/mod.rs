//! Trade finance paid on chain (`contracts/src/TradeFinance.sol`, decision 0077): a funder
//! escrows ether for an exporter; the exporter is paid when a Groth16 proof of the sum circuit
//! shows that its attested export orders add up to at least the agreed threshold.
//!
//! This module is plain Rust (no node needed): the deal's challenge as the contract derives it
//! ([`deal_challenge`]), the proof's public input ([`deal_public_input`], the sum statement's
//! one Poseidon hash), the exporter's proof ([`prove_deal`]), its calldata words, and the
//! generator of the Poseidon contract the financing contract recomputes that hash with
//! ([`poseidon_solidity`]). The client that deploys, opens deals, claims and refunds on a node
//! is `evm` (feature `evm`). Spec: `docs/spec/trade-finance.md`.

#[cfg(feature = "evm")]
pub mod evm;

use crate::attest::{Attestation, AttestedRecord};
use crate::error::{ProveError, SnarkError};
use crate::snark::{attested, Fr, Proof, ProvingKey};
use ark_ff::{BigInteger, PrimeField};
use causeway_circuits::statements::sum::{SumCircuit, SumPublic};
use rand_core::{CryptoRng, RngCore};
use sha3::{Digest, Keccak256};
use std::fmt::Write as _;

/// The label whose Keccak-256 is the contract's `CHALLENGE_DOMAIN`.
pub const CHALLENGE_LABEL: &[u8] = b"causeway/trade-finance/v1";
/// The most records one deployment's proofs may cover: the statement hash of `k` records is
/// one Poseidon call of `k + 5` inputs only up to `k = 11` (`docs/spec/groth16.md`).
pub const MAX_DEAL_RECORDS: usize = 11;
/// The largest contract runtime code a chain accepts (EIP-170).
pub const MAX_RUNTIME_CODE: usize = 24_576;

/// Poseidon inputs of the statement hash for `k` records (`domain | k`, the roots, the field
/// name, its type tag, the threshold and the challenge).
pub fn poseidon_inputs(k: usize) -> usize {
    k + 5
}

/// The challenge a deal's proof is bound to, as `TradeFinance.challengeOf(id)` computes it:
/// `keccak256(abi.encode(keccak256(CHALLENGE_LABEL), chain_id, contract, deal_id)) mod r`.
pub fn deal_challenge(chain_id: u64, contract: &[u8; 20], deal_id: u64) -> Fr {
    let mut b = [0u8; 128];
    let domain = Keccak256::digest(CHALLENGE_LABEL);
    if let Some(w) = b.get_mut(..32) {
        w.copy_from_slice(&domain);
    }
    if let Some(w) = b.get_mut(56..64) {
        w.copy_from_slice(&chain_id.to_be_bytes());
    }
    if let Some(w) = b.get_mut(76..96) {
        w.copy_from_slice(contract);
    }
    if let Some(w) = b.get_mut(120..128) {
        w.copy_from_slice(&deal_id.to_be_bytes());
    }
    Fr::from_be_bytes_mod_order(&Keccak256::digest(b))
}

/// What a deal asks: the summed field, its type tag and the threshold (in the field's units,
/// e.g. cents for a decimal with scale 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealTerms {
    /// The summed field's name (e.g. `amount`).
    pub field: String,
    /// The field's type tag (`NumericKind::type_tag`).
    pub type_tag: u64,
    /// The threshold, `1 ..= i64::MAX`.
    pub threshold: u64,
}

impl DealTerms {
    /// The field name as the element the contract stores (`H(NAME_LABEL, name)`).
    pub fn field_element(&self) -> Fr {
        attested::field_name(&self.field)
    }
}

fn threshold_i64(t: u64) -> Result<i64, SnarkError> {
    i64::try_from(t)
        .ok()
        .filter(|t| *t > 0)
        .ok_or(SnarkError::Unsatisfied)
}

/// The sum statement's public input for `roots` under `terms` and `challenge` (what
/// `TradeFinance.publicInput` computes on chain).
pub fn deal_public_input(
    roots: &[[u8; 32]],
    terms: &DealTerms,
    challenge: Fr,
) -> Result<Fr, SnarkError> {
    if roots.is_empty() || roots.len() > MAX_DEAL_RECORDS {
        return Err(SnarkError::TooManyInputs {
            count: roots.len(),
            max: MAX_DEAL_RECORDS,
        });
    }
    let roots = roots
        .iter()
        .map(crate::snark::input_from_be_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(SnarkError::Decode)?;
    let public = SumPublic {
        roots,
        name: terms.field_element(),
        type_tag: Fr::from(terms.type_tag),
        threshold: threshold_i64(terms.threshold)?,
        challenge,
    };
    if !public.distinct_roots() {
        return Err(SnarkError::Unsatisfied);
    }
    public
        .inputs()
        .first()
        .copied()
        .ok_or(SnarkError::Synthesis)
}

/// The record roots of `attestations` as the contract takes them (big-endian words).
pub fn deal_roots(attestations: &[&Attestation]) -> Vec<[u8; 32]> {
    attestations.iter().map(|a| a.root().to_bytes()).collect()
}

/// The exporter's proof for a deal: the sum of `terms.field` over `held` (in this order) is at
/// least `terms.threshold`, bound to `challenge` ([`deal_challenge`]). Refuses a sum below the
/// threshold, a field of another type than `terms.type_tag`, or repeated records.
pub fn prove_deal<R: RngCore + CryptoRng>(
    pk: &ProvingKey,
    held: &[&AttestedRecord],
    terms: &DealTerms,
    challenge: Fr,
    rng: &mut R,
) -> Result<Proof, ProveError> {
    if held.is_empty() || held.len() > MAX_DEAL_RECORDS {
        return Err(ProveError::Limit("records per deal"));
    }
    let threshold =
        threshold_i64(terms.threshold).map_err(|_| ProveError::InvalidStatement("threshold"))?;
    let (public, private) = attested::sum_statement(held, &terms.field, threshold, challenge)
        .map_err(|e| match e {
            SnarkError::Unsatisfied => ProveError::Unsatisfied,
            other => ProveError::Snark(other),
        })?;
    if public.type_tag != Fr::from(terms.type_tag) {
        return Err(ProveError::InvalidStatement(
            "the records' field type differs from the deal's",
        ));
    }
    let total: i128 = private.records.iter().map(|r| i128::from(r.value)).sum();
    if total < i128::from(threshold) {
        return Err(ProveError::Unsatisfied);
    }
    crate::snark::prove_with_rng(
        pk,
        SumCircuit {
            public,
            private: Some(private),
        },
        rng,
    )
    .map_err(|e| match e {
        SnarkError::Unsatisfied => ProveError::Unsatisfied,
        other => ProveError::Snark(other),
    })
}

fn fr_hex(x: &Fr) -> String {
    format!("0x{}", hex::encode(x.into_bigint().to_bytes_be()))
}

fn fr_bytes(x: &Fr) -> Vec<u8> {
    x.into_bigint().to_bytes_be()
}

/// The Solidity source of the Poseidon contract for `n_inputs` inputs (circomlib parameters,
/// the same as `causeway_circuits::poseidon::hash`), named `Poseidon<n_inputs>`:
///
/// ```text
/// function hash(uint256[] calldata inputs) external pure returns (uint256)
/// ```
///
/// reverting `InputCount()` for another number of inputs and `InputNotInField()` for an input
/// `≥ r`. The round constants are one `bytes` constant copied to memory once, those of the
/// partial rounds folded into one scalar per round; the full rounds before, the partial rounds
/// and the full rounds after are three loops, each with the MDS matrix inlined (products summed
/// four at a time before one reduction). Refuses widths above 8 (7 inputs), whose code would
/// not fit a contract (EIP-170).
pub fn poseidon_solidity(n_inputs: usize) -> Result<String, SnarkError> {
    let p = causeway_circuits::poseidon::parameters(n_inputs).map_err(|_| {
        SnarkError::TooManyInputs {
            count: n_inputs,
            max: causeway_circuits::poseidon::MAX_INPUTS,
        }
    })?;
    let t = p.t;
    let half = p.full_rounds / 2;
    let rp = p.partial_rounds;
    // Partial-round constants folded (Poseidon paper, appendix B): only the first element
    // goes through the S-box, so the constants of the others are pushed through the matrix
    // into the next round's; a partial round then adds one scalar.
    let rounds_c: Vec<&[Fr]> = p.constants.chunks_exact(t).collect();
    let mut data: Vec<Fr> = Vec::with_capacity(p.full_rounds * t + rp);
    for c in rounds_c.iter().take(half) {
        data.extend_from_slice(c);
    }
    let mut carry = vec![Fr::from(0u64); t];
    for c in rounds_c.iter().skip(half).take(rp) {
        let c2: Vec<Fr> = c.iter().zip(&carry).map(|(a, b)| *a + b).collect();
        data.push(c2.first().copied().unwrap_or_default());
        carry = p
            .mds
            .chunks_exact(t)
            .map(|row| row.iter().zip(&c2).skip(1).map(|(m, x)| *m * x).sum::<Fr>())
            .collect();
    }
    let mut second: Vec<Vec<Fr>> = rounds_c
        .iter()
        .skip(half + rp)
        .map(|c| c.to_vec())
        .collect();
    if let Some(first) = second.first_mut() {
        for (x, c) in first.iter_mut().zip(&carry) {
            *x += c;
        }
    }
    for c in &second {
        data.extend_from_slice(c);
    }
    // the folded constants + three inlined copies of the matrix (about 37 bytes a term) +
    // ~1.5 KB of code
    let estimate = 32 * data.len() + 3 * 37 * t * t + 1536;
    if estimate > MAX_RUNTIME_CODE || t > 8 {
        return Err(SnarkError::TooManyInputs {
            count: n_inputs,
            max: 7,
        });
    }
    let name = format!("Poseidon{n_inputs}");
    let mut s = String::with_capacity(2 * 32 * data.len() + 16384);
    let _ = writeln!(s, "// SPDX-License-Identifier: MIT OR Apache-2.0");
    let _ = writeln!(
        s,
        "// Generated by causeway::anchor::trade::poseidon_solidity({n_inputs}); do not edit."
    );
    let _ = writeln!(s, "pragma solidity 0.8.37;");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "/// @title Poseidon over BN254 with circomlib's parameters: {n_inputs} inputs (t = {t}, {} full and {rp} partial rounds)",
        p.full_rounds
    );
    let _ = writeln!(s, "/// @notice hash(inputs) = circomlib Poseidon({n_inputs}) = causeway_circuits::poseidon::hash.");
    let _ = writeln!(s, "contract {name} {{");
    let _ = writeln!(s, "    /// @notice The number of inputs.");
    let _ = writeln!(s, "    uint256 public constant INPUTS = {n_inputs};");
    let _ = writeln!(s, "    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;");
    let _ = writeln!(s, "    /// @notice Another number of inputs than INPUTS.");
    let _ = writeln!(s, "    error InputCount();");
    let _ = writeln!(s, "    /// @notice An input >= r (never reduced).");
    let _ = writeln!(s, "    error InputNotInField();");
    let _ = writeln!(
        s,
        "    /// @dev Round constants: {half} full rounds x {t} words, {rp} partial rounds x 1 word (folded), {half} full rounds x {t} words."
    );
    let mut hexdata = String::with_capacity(64 * data.len());
    for c in &data {
        let b = fr_bytes(c);
        let mut w = [0u8; 32];
        if let Some(dst) = w.get_mut(32usize.saturating_sub(b.len())..) {
            if dst.len() == b.len() {
                dst.copy_from_slice(&b);
            }
        }
        hexdata.push_str(&hex::encode(w));
    }
    let _ = writeln!(s, "    bytes internal constant C = hex\"{hexdata}\";");
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "    /// @notice The Poseidon hash of `inputs` (exactly INPUTS elements, each < r)."
    );
    let _ = writeln!(
        s,
        "    function hash(uint256[] calldata inputs) external pure returns (uint256) {{"
    );
    let _ = writeln!(
        s,
        "        if (inputs.length != INPUTS) revert InputCount();"
    );
    let _ = writeln!(s, "        for (uint256 i = 0; i < INPUTS; ++i) {{");
    let _ = writeln!(
        s,
        "            if (inputs[i] >= P) revert InputNotInField();"
    );
    let _ = writeln!(s, "        }}");
    let _ = writeln!(s, "        bytes memory c = C;");
    let _ = writeln!(s, "        assembly {{");
    let _ = writeln!(
        s,
        "            // c is the first allocation (at 0x80), so the constants sit at fixed offsets; the"
    );
    let _ = writeln!(
        s,
        "            // mix writes the new state to 0x00..{:#x}, over words already consumed.",
        32 * t
    );
    let _ = writeln!(s, "            if iszero(eq(c, 0x80)) {{ revert(0, 0) }}");
    let _ = writeln!(s, "            let q := P");
    let _ = writeln!(s, "            let s0 := 0");
    for j in 1..t {
        let _ = writeln!(
            s,
            "            let s{j} := calldataload(add(inputs.offset, {:#x}))",
            32 * (j - 1)
        );
    }
    let step = 32 * t;
    let first_end = 0xa0 + half * step;
    let partial_end = first_end + 32 * rp;
    let end = partial_end + half * step;
    let sbox = |s: &mut String, j: usize| {
        let _ = writeln!(
            s,
            "                {{ let x := mulmod(s{j}, s{j}, q) x := mulmod(x, x, q) s{j} := mulmod(x, s{j}, q) }}"
        );
    };
    let mix = |s: &mut String| {
        for i in 0..t {
            let row = p.mds.get(i * t..(i + 1) * t).unwrap_or(&[]);
            let terms: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(j, m)| format!("mulmod(s{j}, {}, q)", fr_hex(m)))
                .collect();
            let chunks: Vec<String> = terms
                .chunks(4)
                .map(|c| {
                    let mut e = c.first().cloned().unwrap_or_default();
                    for x in c.iter().skip(1) {
                        e = format!("add({e}, {x})");
                    }
                    e
                })
                .collect();
            let mut expr = match chunks.as_slice() {
                [one] => format!("mod({one}, q)"),
                [a, b, ..] => format!("addmod({a}, {b}, q)"),
                [] => "0".to_owned(),
            };
            for c in chunks.iter().skip(2) {
                expr = format!("addmod({expr}, {c}, q)");
            }
            let _ = writeln!(s, "                mstore({:#x}, {expr})", 32 * i);
        }
        for j in 0..t {
            let _ = writeln!(s, "                s{j} := mload({:#x})", 32 * j);
        }
    };
    let full = |s: &mut String| {
        for j in 0..t {
            let _ = writeln!(
                s,
                "                s{j} := add(s{j}, mload(add(cp, {:#x})))",
                32 * j
            );
        }
        let _ = writeln!(s, "                cp := add(cp, {step:#x})");
        for j in 0..t {
            sbox(s, j);
        }
        mix(s);
    };
    let _ = writeln!(s, "            let cp := 0xa0");
    let _ = writeln!(s, "            // {half} full rounds");
    let _ = writeln!(s, "            for {{ }} lt(cp, {first_end:#x}) {{ }} {{");
    full(&mut s);
    let _ = writeln!(s, "            }}");
    let _ = writeln!(
        s,
        "            // {rp} partial rounds (one folded constant each)"
    );
    let _ = writeln!(
        s,
        "            for {{ }} lt(cp, {partial_end:#x}) {{ cp := add(cp, 0x20) }} {{"
    );
    let _ = writeln!(s, "                s0 := add(s0, mload(cp))");
    sbox(&mut s, 0);
    mix(&mut s);
    let _ = writeln!(s, "            }}");
    let _ = writeln!(s, "            // {half} full rounds");
    let _ = writeln!(s, "            for {{ }} lt(cp, {end:#x}) {{ }} {{");
    full(&mut s);
    let _ = writeln!(s, "            }}");
    let _ = writeln!(s, "            mstore(0, s0)");
    let _ = writeln!(s, "            return(0, 0x20)");
    let _ = writeln!(s, "        }}");
    let _ = writeln!(s, "    }}");
    let _ = writeln!(s, "}}");
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_in_poseidon_is_generated() {
        // The folder cargo gives the running test, not only the one it was compiled in: CI
        // reuses test binaries built in an earlier clone at another path (decision 0109).
        let path = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")))
            .join("../contracts/src/Poseidon7.sol");
        let fresh = poseidon_solidity(7).unwrap();
        if std::env::var_os("CAUSEWAY_BLESS").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        assert_eq!(fresh, std::fs::read_to_string(&path).unwrap());
    }

    #[test]
    fn poseidon_widths_that_do_not_fit_are_refused() {
        assert!(poseidon_solidity(8).is_err());
        assert!(poseidon_solidity(0).is_err());
        assert!(poseidon_solidity(17).is_err());
        assert!(poseidon_solidity(2).is_ok());
    }

    #[test]
    fn challenge_binds_chain_contract_and_deal() {
        let a = [7u8; 20];
        let c = deal_challenge(31337, &a, 1);
        assert_ne!(c, deal_challenge(31338, &a, 1));
        assert_ne!(c, deal_challenge(31337, &[8u8; 20], 1));
        assert_ne!(c, deal_challenge(31337, &a, 2));
        assert_eq!(c, deal_challenge(31337, &a, 1));
    }

    #[test]
    fn public_input_refuses_repeats_and_bad_terms() {
        let terms = DealTerms {
            field: "amount".into(),
            type_tag: 0x0202,
            threshold: 100,
        };
        let r1 = [1u8; 32];
        let mut r2 = [0u8; 32];
        r2[31] = 2;
        let mut ok1 = [0u8; 32];
        ok1[31] = 1;
        let c = Fr::from(5u64);
        assert!(deal_public_input(&[ok1, r2], &terms, c).is_ok());
        assert!(deal_public_input(&[ok1, ok1], &terms, c).is_err());
        // not canonical (≥ r)
        assert!(deal_public_input(&[[0xff; 32], r2], &terms, c).is_err());
        let _ = r1;
        let zero = DealTerms {
            threshold: 0,
            ..terms.clone()
        };
        assert!(deal_public_input(&[ok1, r2], &zero, c).is_err());
        let big = DealTerms {
            threshold: u64::MAX,
            ..terms
        };
        assert!(deal_public_input(&[ok1, r2], &big, c).is_err());
        assert!(deal_public_input(&[], &zero, c).is_err());
    }
}
