//! snarkjs's JSON formats for Groth16 on BN254 (`bn128`), so a partner can check our proofs with
//! `snarkjs groth16 verify vk.json public.json proof.json`.
//!
//! Points are arrays of decimal strings in projective form with `z = 1`: G1 `[x, y, "1"]`, G2
//! `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]` — snarkjs's (ffjavascript's) `F2.toObject` lists
//! the coefficient of `1` before the coefficient of `u`; the reversed `(c1, c0)` order is only
//! the EVM precompile's (the interop suite checks this order against snarkjs itself).
//!
//! Import is strict: coordinates are canonical decimals below the base-field modulus, `z` must be
//! exactly `1` (`[0, 1, 0]`, the point at infinity, is refused), points must be on the curve and
//! in the subgroup, public signals must be below `r`, and every count is capped before
//! allocation. `vk_alphabeta_12` is not written (snarkjs recomputes nothing from it when
//! verifying) and is ignored on import.

use super::{
    input_from_decimal, input_to_decimal, parse_decimal_u256, Fr, Proof, VerifyingKey,
    MAX_PUBLIC_INPUTS,
};
use crate::error::DecodeError;
use ark_bn254::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{PrimeField, Zero};
use serde_json::{json, Value};

/// Largest JSON document accepted by the importers (bytes).
pub const MAX_JSON_BYTES: usize = 1 << 20;

fn fq_dec(x: &Fq) -> String {
    x.into_bigint().to_string()
}

fn g1_json(p: &G1Affine) -> Value {
    match p.xy() {
        Some((x, y)) => json!([fq_dec(&x), fq_dec(&y), "1"]),
        None => json!(["0", "1", "0"]),
    }
}

fn g2_json(p: &G2Affine) -> Value {
    match p.xy() {
        Some((x, y)) => json!([
            [fq_dec(&x.c0), fq_dec(&x.c1)],
            [fq_dec(&y.c0), fq_dec(&y.c1)],
            ["1", "0"]
        ]),
        None => json!([["0", "0"], ["1", "0"], ["0", "0"]]),
    }
}

fn bad(what: &'static str) -> DecodeError {
    DecodeError::Invalid { what }
}

fn parse_json(s: &str) -> Result<Value, DecodeError> {
    if s.len() > MAX_JSON_BYTES {
        return Err(DecodeError::TooLong {
            what: "snarkjs JSON",
            len: s.len(),
            max: MAX_JSON_BYTES,
        });
    }
    serde_json::from_str(s).map_err(|e| DecodeError::json(&e))
}

fn fq_from(v: &Value) -> Result<Fq, DecodeError> {
    let s = v.as_str().ok_or(bad("coordinate is not a string"))?;
    let b = parse_decimal_u256(s, "coordinate")?;
    Fq::from_bigint(b).ok_or(bad("coordinate not below the base-field modulus"))
}

fn arr<'a>(v: &'a Value, n: usize, what: &'static str) -> Result<&'a [Value], DecodeError> {
    match v.as_array() {
        Some(a) if a.len() == n => Ok(a),
        _ => Err(bad(what)),
    }
}

fn get<'a>(v: &'a Value, key: &str, what: &'static str) -> Result<&'a Value, DecodeError> {
    v.get(key).ok_or(bad(what))
}

fn g1_from(v: &Value) -> Result<G1Affine, DecodeError> {
    let a = arr(v, 3, "G1 point")?;
    let (x, y, z) = match a {
        [x, y, z] => (fq_from(x)?, fq_from(y)?, fq_from(z)?),
        _ => return Err(bad("G1 point")),
    };
    if z != Fq::from(1u64) {
        return Err(bad(
            "G1 point is not affine (z != 1) or is the point at infinity",
        ));
    }
    let p = G1Affine::new_unchecked(x, y);
    if !(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()) {
        return Err(bad("G1 point not on the curve"));
    }
    Ok(p)
}

fn fq2_from(v: &Value) -> Result<Fq2, DecodeError> {
    match arr(v, 2, "G2 coordinate")? {
        [c0, c1] => Ok(Fq2::new(fq_from(c0)?, fq_from(c1)?)),
        _ => Err(bad("G2 coordinate")),
    }
}

fn g2_from(v: &Value) -> Result<G2Affine, DecodeError> {
    let (x, y, z) = match arr(v, 3, "G2 point")? {
        [x, y, z] => (fq2_from(x)?, fq2_from(y)?, fq2_from(z)?),
        _ => return Err(bad("G2 point")),
    };
    if z.c0 != Fq::from(1u64) || !z.c1.is_zero() {
        return Err(bad(
            "G2 point is not affine (z != 1) or is the point at infinity",
        ));
    }
    let p = G2Affine::new_unchecked(x, y);
    if !(p.is_on_curve() && p.is_in_correct_subgroup_assuming_on_curve()) {
        return Err(bad("G2 point not on the curve or not in the subgroup"));
    }
    Ok(p)
}

fn check_header(v: &Value) -> Result<(), DecodeError> {
    if get(v, "protocol", "missing protocol")?.as_str() != Some("groth16") {
        return Err(bad("protocol is not groth16"));
    }
    if get(v, "curve", "missing curve")?.as_str() != Some("bn128") {
        return Err(bad("curve is not bn128"));
    }
    Ok(())
}

/// A verifying key as snarkjs `verification_key.json`.
pub fn vk_to_snarkjs_json(vk: &VerifyingKey) -> String {
    let k = vk.as_arkworks();
    let ic: Vec<Value> = k.gamma_abc_g1.iter().map(g1_json).collect();
    let v = json!({
        "protocol": "groth16",
        "curve": "bn128",
        "nPublic": vk.public_inputs(),
        "vk_alpha_1": g1_json(&k.alpha_g1),
        "vk_beta_2": g2_json(&k.beta_g2),
        "vk_gamma_2": g2_json(&k.gamma_g2),
        "vk_delta_2": g2_json(&k.delta_g2),
        "IC": ic,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Imports a snarkjs `verification_key.json` (strict; `nPublic` must equal `IC.length - 1`).
pub fn vk_from_snarkjs_json(s: &str) -> Result<VerifyingKey, DecodeError> {
    let v = parse_json(s)?;
    check_header(&v)?;
    let n = get(&v, "nPublic", "missing nPublic")?
        .as_u64()
        .ok_or(bad("nPublic"))?;
    let ic = get(&v, "IC", "missing IC")?.as_array().ok_or(bad("IC"))?;
    if ic.len() > MAX_PUBLIC_INPUTS + 1 {
        return Err(DecodeError::TooLong {
            what: "IC",
            len: ic.len(),
            max: MAX_PUBLIC_INPUTS + 1,
        });
    }
    if ic.is_empty() || n != (ic.len() - 1) as u64 {
        return Err(bad("nPublic does not match IC"));
    }
    let gamma_abc_g1 = ic.iter().map(g1_from).collect::<Result<Vec<_>, _>>()?;
    let vk = ark_groth16::VerifyingKey {
        alpha_g1: g1_from(get(&v, "vk_alpha_1", "missing vk_alpha_1")?)?,
        beta_g2: g2_from(get(&v, "vk_beta_2", "missing vk_beta_2")?)?,
        gamma_g2: g2_from(get(&v, "vk_gamma_2", "missing vk_gamma_2")?)?,
        delta_g2: g2_from(get(&v, "vk_delta_2", "missing vk_delta_2")?)?,
        gamma_abc_g1,
    };
    VerifyingKey::from_arkworks(vk)
}

/// A proof as snarkjs `proof.json` (the key id is not part of snarkjs's format).
pub fn proof_to_snarkjs_json(proof: &Proof) -> String {
    let p = proof.as_arkworks();
    let v = json!({
        "pi_a": g1_json(&p.a),
        "pi_b": g2_json(&p.b),
        "pi_c": g1_json(&p.c),
        "protocol": "groth16",
        "curve": "bn128",
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Imports a snarkjs `proof.json` as a proof for `vk` (the caller names the key, since snarkjs's
/// format does not carry one).
pub fn proof_from_snarkjs_json(s: &str, vk: &VerifyingKey) -> Result<Proof, DecodeError> {
    let v = parse_json(s)?;
    check_header(&v)?;
    let p = ark_groth16::Proof {
        a: g1_from(get(&v, "pi_a", "missing pi_a")?)?,
        b: g2_from(get(&v, "pi_b", "missing pi_b")?)?,
        c: g1_from(get(&v, "pi_c", "missing pi_c")?)?,
    };
    Proof::from_arkworks(vk.id(), p)
}

/// Public inputs as snarkjs `public.json` (an array of decimal strings).
pub fn public_to_snarkjs_json(inputs: &[Fr]) -> String {
    let v: Vec<String> = inputs.iter().map(input_to_decimal).collect();
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Imports snarkjs `public.json`; every signal must be a canonical decimal below `r`.
pub fn public_from_snarkjs_json(s: &str) -> Result<Vec<Fr>, DecodeError> {
    let v = parse_json(s)?;
    let a = v.as_array().ok_or(bad("public signals"))?;
    if a.len() > MAX_PUBLIC_INPUTS {
        return Err(DecodeError::TooLong {
            what: "public signals",
            len: a.len(),
            max: MAX_PUBLIC_INPUTS,
        });
    }
    a.iter()
        .map(|x| input_from_decimal(x.as_str().ok_or(bad("public signal"))?))
        .collect()
}
