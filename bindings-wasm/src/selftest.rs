//! Test-only exports of the `self-test` build (bindings-wasm/pkg-test; never in the package):
//! the wasm32 field multiplication (vendor/ark-ff-macros, decision 0103) shown exact and
//! measured inside the module.

use crate::errors::{bad_arg, JsResult};
use ark_bn254::{Fq, Fq2, FqConfig, Fr, FrConfig, G1Projective};
use ark_ff::{Field, UniformRand};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use causeway::encoding::b64u_encode;
use causeway::presentation::Challenge;
use causeway::snark::membership::{prove_membership, Leaves, MemberSecret, ProvenMembership};
use causeway::snark::KeyRing;
use causeway::statement::Backend;
use causeway::testing::TestRng;
use wasm_bindgen::prelude::*;

/// Most iterations one `selfTestFieldOps` call runs.
const MAX_ITERS: u32 = 100_000_000;

/// Runs `iters` chained field operations `op` (`fq-mul`, `fq-square`, `fr-mul`, `fq2-mul`,
/// `g1-add`, `fq-inverse`: what the module uses; `fq-mul-u64`, `fq-square-u64`, `fr-mul-u64`,
/// `fq-sop2-u64`: arkworks' upstream 64-bit-limb bodies; `fq-mul-u32`, `fq-sop2-u32`: the
/// 32-bit-word ones called directly) from seeded random operands and returns the result's text,
/// so that the caller can time the call and compare results across variants.
#[wasm_bindgen(js_name = selfTestFieldOps)]
pub fn self_test_field_ops(op: &str, iters: u32) -> JsResult<String> {
    if iters > MAX_ITERS {
        return Err(bad_arg("decode.limit", "too many iterations"));
    }
    let mut rng = StdRng::seed_from_u64(13);
    let (mut x, y) = (Fq::rand(&mut rng), Fq::rand(&mut rng));
    let (mut r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
    let out = match op {
        "fq-mul" => {
            (0..iters).for_each(|_| x *= y);
            x.to_string()
        }
        "fq-mul-u32" => {
            (0..iters).for_each(|_| x = FqConfig::__causeway_mul_u32(&x, &y));
            x.to_string()
        }
        "fq-mul-u64" => {
            (0..iters).for_each(|_| FqConfig::__causeway_mul_u64(&mut x, &y));
            x.to_string()
        }
        "fq-square" => {
            (0..iters).for_each(|_| {
                x.square_in_place();
            });
            x.to_string()
        }
        "fq-inverse" => {
            // x ← 1/x + y: a chain of inversions (x never zero for this seed)
            (0..iters).for_each(|_| x = x.inverse().unwrap_or(y) + y);
            x.to_string()
        }
        "fq-square-u64" => {
            (0..iters).for_each(|_| FqConfig::__causeway_square_u64(&mut x));
            x.to_string()
        }
        "fq-sop2-u32" => {
            (0..iters).for_each(|_| x = FqConfig::__causeway_sop2_u32(&[x, y], &[y, x]));
            x.to_string()
        }
        "fq-sop2-u64" => {
            (0..iters).for_each(|_| x = FqConfig::__causeway_sop_u64(&[x, y], &[y, x]));
            x.to_string()
        }
        "fr-mul" => {
            (0..iters).for_each(|_| r *= s);
            r.to_string()
        }
        "fr-mul-u64" => {
            (0..iters).for_each(|_| FrConfig::__causeway_mul_u64(&mut r, &s));
            r.to_string()
        }
        "fq2-mul" => {
            let (mut a, b) = (Fq2::rand(&mut rng), Fq2::rand(&mut rng));
            (0..iters).for_each(|_| a *= b);
            a.to_string()
        }
        "g1-add" => {
            let (mut p, q) = (G1Projective::rand(&mut rng), G1Projective::rand(&mut rng));
            (0..iters).for_each(|_| p += q);
            p.to_string()
        }
        _ => return Err(bad_arg("decode.invalid", "unknown op")),
    };
    Ok(out)
}

/// The first golden membership proof of `tests/vectors/membership/proof.json`, made again here
/// exactly as `tests/tests/membership_vectors.rs` makes it natively (the same seeded RNG, a
/// seeded Groth16 setup and proof): `{verifyingKey, proofJson}` (the key as base64url). Equal
/// bytes show that setup and proving in wasm compute what native code computes.
#[wasm_bindgen(js_name = selfTestMembershipVector)]
pub fn self_test_membership_vector() -> JsResult<JsValue> {
    fn e<E>(_: E) -> JsValue {
        bad_arg("decode.invalid", "membership vector")
    }
    let mut rng = TestRng::labelled(b"membership-vectors", 0);
    let secrets: Vec<MemberSecret> = (0..3)
        .map(|_| MemberSecret::random_with_rng(&mut rng))
        .collect();
    let leaves = Leaves::new(secrets.iter().map(MemberSecret::leaf).collect()).map_err(e)?;
    let tree = leaves.tree(4).map_err(e)?;
    let challenge = Challenge::from_hex("00112233445566778899aabbccddeeff").map_err(e)?;
    let st = tree.statement(None);
    let pk = st
        .circuit()
        .setup_with_rng(&mut rng)
        .map_err(|_| bad_arg("decode.invalid", "setup"))?;
    let vk = pk.verifying_key().to_bytes();
    let mut ring = KeyRing::new();
    ring.insert(st.circuit(), pk);
    let witness = secrets
        .get(1)
        .ok_or_else(|| bad_arg("decode.invalid", "secrets"))
        .and_then(|s| tree.witness(s).map_err(e))?;
    let proof = prove_membership(Backend::Groth16, &ring, &st, &witness, &challenge, &mut rng)
        .map_err(|_| bad_arg("decode.invalid", "prove"))?;
    let text = ProvenMembership {
        statement: st,
        proof,
    }
    .to_json();
    let o = js_sys::Object::new();
    let set =
        |k: &str, v: &str| js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    set("verifyingKey", &b64u_encode(&vk)).map_err(|_| bad_arg("decode.invalid", "object"))?;
    set("proofJson", &text).map_err(|_| bad_arg("decode.invalid", "object"))?;
    Ok(o.into())
}
