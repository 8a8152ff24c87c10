use super::*;
use crate::error::SnarkVerifyError as VE;
use ark_bn254::{Fq, Fq2, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::{Field, One, UniformRand, Zero};
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSystemRef, LinearCombination, Variable};

/// `n` public inputs `x_i`, witnesses `w_i` with `w_i * w_i = y_i` (private) and `w_i * 1 = x_i`.
#[derive(Clone)]
struct Toy {
    xs: Vec<Option<Fr>>,
}

impl ConstraintSynthesizer<Fr> for Toy {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for x in self.xs {
            let xi = cs.new_input_variable(|| x.ok_or(SynthesisError::AssignmentMissing))?;
            let wi = cs.new_witness_variable(|| x.ok_or(SynthesisError::AssignmentMissing))?;
            let sq = cs.new_witness_variable(|| {
                x.map(|v| v * v).ok_or(SynthesisError::AssignmentMissing)
            })?;
            cs.enforce_constraint(lc!() + wi, lc!() + Variable::One, lc!() + xi)?;
            cs.enforce_constraint(lc!() + wi, lc!() + wi, LinearCombination::from(sq))?;
        }
        Ok(())
    }
}

fn toy(n: usize) -> Toy {
    Toy { xs: vec![None; n] }
}

fn rng() -> ark_std::rand::rngs::StdRng {
    seeded(0x6361_7573_6577_6179)
}

fn seeded(seed: u64) -> ark_std::rand::rngs::StdRng {
    use ark_std::rand::SeedableRng;
    ark_std::rand::rngs::StdRng::seed_from_u64(seed)
}

fn fixture(n: usize) -> (ProvingKey, Vec<Fr>, Proof) {
    fixture_seeded(n, 1)
}

fn fixture_seeded(n: usize, seed: u64) -> (ProvingKey, Vec<Fr>, Proof) {
    let mut r = seeded(seed);
    let pk = setup_with_rng(toy(n), &mut r).unwrap();
    let xs: Vec<Fr> = (0..n).map(|i| Fr::from(i as u64 + 7)).collect();
    let proof = prove_with_rng(
        &pk,
        Toy {
            xs: xs.iter().copied().map(Some).collect(),
        },
        &mut r,
    )
    .unwrap();
    (pk, xs, proof)
}

#[test]
fn prove_verify_round_trip_and_bytes() {
    let (pk, xs, proof) = fixture(3);
    let vk = pk.verifying_key();
    assert_eq!(vk.public_inputs(), 3);
    verify(vk, &xs, &proof).unwrap();
    assert_eq!(proof.to_bytes().len(), PROOF_BYTES);
    assert_eq!(proof.points_bytes().len(), 128);
    let again = Proof::from_bytes(&proof.to_bytes()).unwrap();
    verify(vk, &xs, &again).unwrap();
    let vk2 = VerifyingKey::from_bytes(&vk.to_bytes()).unwrap();
    assert_eq!(vk2.id(), vk.id());
    verify(&vk2, &xs, &proof).unwrap();
    let pk2 = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
    assert_eq!(pk2.id(), pk.id());
    let p2 = prove_with_rng(
        &pk2,
        Toy {
            xs: xs.iter().copied().map(Some).collect(),
        },
        &mut rng(),
    )
    .unwrap();
    verify(vk, &xs, &p2).unwrap();
    // wrong statement
    let mut ys = xs.clone();
    ys[1] += Fr::one();
    assert_eq!(verify(vk, &ys, &proof), Err(VE::Invalid));
}

#[test]
fn key_id_text() {
    let (pk, _, _) = fixture(1);
    let t = pk.id().to_text();
    assert!(t.starts_with("groth16vk1"), "{t}");
    assert_eq!(VerifyingKeyId::from_text(&t).unwrap(), pk.id());
    assert!(VerifyingKeyId::from_text(&t.replace("groth16vk1", "groth16vk2")).is_err());
}

#[test]
fn unsatisfied_witness_is_refused_not_proven() {
    let (pk, _, _) = fixture(1);
    struct Bad;
    impl ConstraintSynthesizer<Fr> for Bad {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let x = cs.new_input_variable(|| Ok(Fr::from(3u64)))?;
            let w = cs.new_witness_variable(|| Ok(Fr::from(4u64)))?;
            let sq = cs.new_witness_variable(|| Ok(Fr::from(16u64)))?;
            cs.enforce_constraint(lc!() + w, lc!() + Variable::One, lc!() + x)?;
            cs.enforce_constraint(lc!() + w, lc!() + w, lc!() + sq)?;
            Ok(())
        }
    }
    assert_eq!(
        prove_with_rng(&pk, Bad, &mut rng()).unwrap_err(),
        SnarkError::Unsatisfied
    );
    // A circuit of another shape is refused by the key.
    let err = prove_with_rng(
        &pk,
        Toy {
            xs: vec![Some(Fr::one()), Some(Fr::one())],
        },
        &mut rng(),
    )
    .unwrap_err();
    assert_eq!(err, SnarkError::KeyMismatch);
    assert_eq!(
        prove_with_rng(&pk, toy(1), &mut rng()).unwrap_err(),
        SnarkError::MissingWitness
    );
}

#[test]
fn wrong_key_is_refused() {
    let (pk, xs, proof) = fixture(2);
    let (other, _, _) = fixture_seeded(2, 2);
    assert_ne!(pk.id(), other.id());
    assert_eq!(
        verify(other.verifying_key(), &xs, &proof),
        Err(VE::WrongKey)
    );
    // Even with the same points, relabelled for the other key, the pairing check fails.
    let relabelled = Proof::from_points_bytes(other.id(), &proof.points_bytes()).unwrap();
    assert_eq!(
        verify(other.verifying_key(), &xs, &relabelled),
        Err(VE::Invalid)
    );
}

#[test]
fn input_count_boundaries() {
    let (pk, xs, proof) = fixture(2);
    let vk = pk.verifying_key();
    assert_eq!(
        verify(vk, &xs[..1], &proof),
        Err(VE::InputCount {
            expected: 2,
            found: 1
        })
    );
    let mut more = xs.clone();
    more.push(Fr::zero());
    assert_eq!(
        verify(vk, &more, &proof),
        Err(VE::InputCount {
            expected: 2,
            found: 3
        })
    );
    assert_eq!(
        verify(vk, &[], &proof),
        Err(VE::InputCount {
            expected: 2,
            found: 0
        })
    );
    // Zero-input circuits work too (only the constant one).
    let mut r = rng();
    let pk0 = setup_with_rng(toy(0), &mut r).unwrap();
    let p0 = prove_with_rng(&pk0, Toy { xs: vec![] }, &mut r).unwrap();
    verify(pk0.verifying_key(), &[], &p0).unwrap();
    assert!(matches!(
        verify(pk0.verifying_key(), &[Fr::zero()], &p0),
        Err(VE::InputCount { .. })
    ));
}

fn modulus_be() -> [u8; 32] {
    let v = Fr::MODULUS.to_bytes_be();
    let mut out = [0u8; 32];
    out.copy_from_slice(&v);
    out
}

fn add_be(a: &[u8; 32], b: u64) -> [u8; 32] {
    let mut out = *a;
    let mut carry = b as u128;
    for byte in out.iter_mut().rev() {
        let s = *byte as u128 + (carry & 0xff);
        carry >>= 8;
        *byte = s as u8;
        carry += s >> 8;
    }
    out
}

#[test]
fn inputs_at_and_above_the_modulus() {
    let mut r = rng();
    let pk = setup_with_rng(toy(1), &mut r).unwrap();
    let vk = pk.verifying_key();
    let r_minus_1 = -Fr::one();
    let proof = prove_with_rng(
        &pk,
        Toy {
            xs: vec![Some(r_minus_1)],
        },
        &mut r,
    )
    .unwrap();
    let m = modulus_be();
    // r - 1 as bytes is accepted and verifies.
    let mut rm1 = m;
    rm1[31] -= 1;
    assert_eq!(rm1, input_to_be_bytes(&r_minus_1));
    verify_be_bytes(vk, &[rm1], &proof).unwrap();
    verify_decimal(vk, &[&input_to_decimal(&r_minus_1)], &proof).unwrap();
    // r itself, r + (r - 1) = x + r, 2^256 - 1: refused, never reduced.
    assert_eq!(
        verify_be_bytes(vk, &[m], &proof),
        Err(VE::InputNotInField { index: 0 })
    );
    let x = Fr::from(5u64);
    let p5 = prove_with_rng(&pk, Toy { xs: vec![Some(x)] }, &mut r).unwrap();
    verify_be_bytes(vk, &[input_to_be_bytes(&x)], &p5).unwrap();
    assert_eq!(
        verify_be_bytes(vk, &[add_be(&m, 5)], &p5),
        Err(VE::InputNotInField { index: 0 })
    );
    assert_eq!(
        verify_be_bytes(vk, &[[0xff; 32]], &p5),
        Err(VE::InputNotInField { index: 0 })
    );
    let m_dec = Fr::MODULUS.to_string();
    let x_plus_r = (
        Fr::MODULUS
            .to_string()
            .parse::<ark_ff::BigInt<4>>()
            .unwrap(),
        5u64,
    );
    let mut big = x_plus_r.0;
    big.add_with_carry(&ark_ff::BigInt::from(x_plus_r.1));
    assert_eq!(
        verify_decimal(vk, &[&big.to_string()], &p5),
        Err(VE::InputNotInField { index: 0 })
    );
    assert_eq!(
        verify_decimal(vk, &[&m_dec], &p5),
        Err(VE::InputNotInField { index: 0 })
    );
    for bad in ["", "+5", "05", "5 ", "0x5", "-5", "5_0", "1e3"] {
        assert!(input_from_decimal(bad).is_err(), "{bad:?}");
    }
    assert_eq!(input_from_decimal("0").unwrap(), Fr::zero());
}

#[test]
fn rerandomised_proof_verifies_but_differs() {
    let (pk, xs, proof) = fixture(2);
    let vk = pk.verifying_key();
    let again = rerandomize_with_rng(vk, &proof, &mut rng());
    verify(vk, &xs, &again).unwrap();
    assert_ne!(again.to_bytes(), proof.to_bytes());
    assert_eq!(again.key_id(), proof.key_id());
}

/// A point on the G2 curve outside the prime-order subgroup.
fn g2_outside_subgroup() -> G2Affine {
    let mut r = rng();
    loop {
        let x = Fq2::rand(&mut r);
        if let Some(p) = G2Affine::get_point_from_x_unchecked(x, false) {
            if !p.is_in_correct_subgroup_assuming_on_curve() {
                return p;
            }
        }
    }
}

fn raw_g2(p: &G2Affine) -> Vec<u8> {
    let mut v = Vec::new();
    p.serialize_with_mode(&mut v, Compress::Yes).unwrap();
    v
}

#[test]
fn malformed_proofs_and_keys_are_refused() {
    let (pk, xs, proof) = fixture(2);
    let vk = pk.verifying_key();
    let good = proof.to_bytes();
    let mut refused = 0usize;
    let mut check = |b: &[u8]| {
        let res = Proof::from_bytes(b)
            .map_err(VE::Decode)
            .and_then(|p| verify(vk, &xs, &p));
        assert!(res.is_err(), "accepted a malformed proof");
        refused += 1;
    };
    // Truncated and extended.
    for n in 0..good.len() {
        check(&good[..n]);
    }
    let mut ext = good.to_vec();
    ext.push(0);
    check(&ext);
    // Every single-bit flip (header, key id, each point's coordinates and flags).
    for i in 0..good.len() * 8 {
        let mut b = good;
        b[i / 8] ^= 1 << (i % 8);
        check(&b);
    }
    // Points at infinity in each slot.
    let inf1 = {
        let mut v = Vec::new();
        G1Affine::zero().serialize_compressed(&mut v).unwrap();
        v
    };
    let inf2 = raw_g2(&G2Affine::zero());
    for (off, inf) in [(36, &inf1), (68, &inf2), (132, &inf1)] {
        let mut b = good;
        b[off..off + inf.len()].copy_from_slice(inf);
        assert!(matches!(
            Proof::from_bytes(&b),
            Err(DecodeError::Invalid { .. })
        ));
        check(&b);
    }
    // Off-curve and non-canonical x (>= p) in A; wrong-subgroup B.
    let p_le = {
        let mut v = Fq::MODULUS.to_bytes_le();
        v.resize(32, 0);
        v
    };
    for k in 0..64u8 {
        let mut b = good;
        b[36..68].copy_from_slice(&p_le);
        b[36] = b[36].wrapping_add(k);
        check(&b);
        let mut b = good;
        b[36] = b[36].wrapping_add(k + 1);
        check(&b);
    }
    for _ in 0..16 {
        let q = g2_outside_subgroup();
        let mut b = good;
        b[68..132].copy_from_slice(&raw_g2(&q));
        assert!(matches!(
            Proof::from_bytes(&b),
            Err(DecodeError::Invalid { .. })
        ));
        check(&b);
    }
    // Wrong header / tag / version.
    for (i, v) in [(0usize, b'X'), (2, 2), (3, Tag::Groth16VerifyingKey as u8)] {
        let mut b = good;
        b[i] = v;
        check(&b);
    }
    // Verifying keys: truncations, bit flips, wrong-subgroup gamma.
    let vkb = vk.to_bytes();
    let mut vk_refused = 0usize;
    for n in 0..vkb.len() {
        assert!(VerifyingKey::from_bytes(&vkb[..n]).is_err());
        vk_refused += 1;
    }
    // Flags and coordinates' low bytes of every point, the header and the count (each accepted
    // variant costs a pairing in an unoptimised test build, so not every bit of every byte).
    let mut bytes: Vec<usize> = (0..4).collect();
    let mut at = 4;
    for size in [32usize, 64, 64, 64] {
        bytes.extend([at, at + size / 2 - 1, at + size - 1]);
        at += size;
    }
    bytes.extend([at, at + 1]);
    at += 2;
    while at < vkb.len() {
        bytes.extend([at, at + 31]);
        at += 32;
    }
    for i in bytes
        .iter()
        .flat_map(|&byte| (0..8).map(move |bit| byte * 8 + bit))
    {
        let mut b = vkb.clone();
        b[i / 8] ^= 1 << (i % 8);
        match VerifyingKey::from_bytes(&b) {
            Err(_) => vk_refused += 1,
            // A flipped sign bit gives another valid key: it must have another id, so our proof
            // is refused for it.
            Ok(k) => {
                assert_ne!(k.id(), vk.id());
                assert_eq!(verify(&k, &xs, &proof), Err(VE::WrongKey));
                vk_refused += 1;
            }
        }
    }
    let mut b = vkb.clone();
    b[4 + 32 + 64..4 + 32 + 128].copy_from_slice(&raw_g2(&g2_outside_subgroup()));
    assert!(VerifyingKey::from_bytes(&b).is_err());
    let mut b = vkb.clone();
    b[4 + 32 + 64..4 + 32 + 128].copy_from_slice(&inf2);
    assert!(VerifyingKey::from_bytes(&b).is_err());
    // A huge IC count is refused before allocation.
    let mut b = vkb.clone();
    let at = 4 + 32 + 3 * 64;
    b[at..at + 2].copy_from_slice(&u16::MAX.to_be_bytes());
    assert!(matches!(
        VerifyingKey::from_bytes(&b),
        Err(DecodeError::TooLong { .. })
    ));
    assert!(refused + vk_refused >= 1000, "{refused} + {vk_refused}");
}

#[test]
fn proving_key_decoding_is_bounded() {
    let (pk, _, _) = fixture(1);
    // Both format versions (version 2, uncompressed, is what `to_bytes` writes since decision
    // 0079: beta and delta G1 take 128 bytes there, 64 in version 1).
    for (format, beta_delta) in [(ProvingKeyFormat::V1, 64), (ProvingKeyFormat::V2, 128)] {
        let b = pk.to_bytes_in(format);
        for n in (0..b.len()).step_by(7) {
            assert!(ProvingKey::from_bytes(&b[..n]).is_err());
        }
        // Claim 2^32 - 1 points in the a-query: refused without allocating.
        let vk_len = pk.verifying_key().to_bytes().len() - 4;
        let at = 4 + vk_len + beta_delta;
        let mut bad = b.clone();
        bad[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(
            ProvingKey::from_bytes(&bad),
            Err(DecodeError::TooLong { .. })
        ));
    }
}

#[test]
fn snarkjs_json_round_trip() {
    let (pk, xs, proof) = fixture(2);
    let vk = pk.verifying_key();
    let vj = vk_to_snarkjs_json(vk);
    let vk2 = vk_from_snarkjs_json(&vj).unwrap();
    assert_eq!(vk2.id(), vk.id());
    let pj = proof_to_snarkjs_json(&proof);
    let p2 = proof_from_snarkjs_json(&pj, &vk2).unwrap();
    let ins = public_from_snarkjs_json(&public_to_snarkjs_json(&xs)).unwrap();
    verify(&vk2, &ins, &p2).unwrap();
    // x + r in public.json is refused.
    let big = {
        let mut m = Fr::MODULUS;
        m.add_with_carry(&ark_ff::BigInt::from(7u64));
        m.to_string()
    };
    assert!(public_from_snarkjs_json(&format!("[\"{big}\"]")).is_err());
    // Infinity, z != 1, swapped G2 coefficients, wrong protocol/curve are refused.
    let v: serde_json::Value = serde_json::from_str(&pj).unwrap();
    let mut inf = v.clone();
    inf["pi_a"] = serde_json::json!(["0", "1", "0"]);
    assert!(proof_from_snarkjs_json(&inf.to_string(), vk).is_err());
    let mut z2 = v.clone();
    z2["pi_c"][2] = serde_json::json!("2");
    assert!(proof_from_snarkjs_json(&z2.to_string(), vk).is_err());
    let mut sw = v.clone();
    let x = sw["pi_b"][0].clone();
    sw["pi_b"][0] = serde_json::json!([x[1], x[0]]);
    assert!(proof_from_snarkjs_json(&sw.to_string(), vk).is_err());
    let mut pr = v.clone();
    pr["protocol"] = serde_json::json!("plonk");
    assert!(proof_from_snarkjs_json(&pr.to_string(), vk).is_err());
    let mut vv: serde_json::Value = serde_json::from_str(&vj).unwrap();
    vv["nPublic"] = serde_json::json!(3);
    assert!(vk_from_snarkjs_json(&vv.to_string()).is_err());
}

#[test]
fn shape_is_stable_and_sensitive() {
    let a = circuit_shape(toy(2)).unwrap();
    let b = circuit_shape(toy(2)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.constraints, 4);
    assert_eq!(a.public_inputs, 2);
    assert_eq!(a.witnesses, 4);
    assert_ne!(circuit_shape(toy(3)).unwrap().matrix_hash, a.matrix_hash);
    // Unused group helpers keep the imports honest.
    let _ = (G2Projective::generator().into_affine(), Fq::ONE);
}

/// `vk_x = IC_0 + Σ x_i IC_i`, as the verifier computes it.
fn vk_x(vk: &ark_groth16::VerifyingKey<Bn254>, xs: &[Fr]) -> G1Affine {
    let mut acc = vk.gamma_abc_g1[0].into_group();
    for (x, p) in xs.iter().zip(vk.gamma_abc_g1.iter().skip(1)) {
        acc += *p * x;
    }
    acc.into_affine()
}

/// The raw Groth16 pairing check (arkworks, no key checks, identity points allowed: what the
/// Solidity verifier and snarkjs do): shows that a forged proof would pass.
fn raw_pairing_check(
    vk: &ark_groth16::VerifyingKey<Bn254>,
    xs: &[Fr],
    a: G1Affine,
    b: G2Affine,
    c: G1Affine,
) -> bool {
    let pvk = ark_groth16::prepare_verifying_key(vk);
    Groth16::<Bn254>::verify_proof(&pvk, &ark_groth16::Proof { a, b, c }, xs).unwrap()
}

/// issue 11 item 3: keys with `δ = ±γ`, `β = ±γ` or `δ = ±g2` let anyone forge a proof of any
/// statement from the key alone; each is refused however it arrives.
#[test]
fn weak_verifying_keys_admit_forgeries_and_are_refused() {
    let (pk, xs, _) = fixture(2);
    let good = pk.verifying_key().as_arkworks().clone();
    // A false statement: inputs no witness satisfies (any inputs work for a forgery).
    let lie = vec![Fr::from(1234u64), Fr::from(5678u64)];
    let g2 = G2Affine::generator();
    type Forgery = Option<(G1Affine, G2Affine, G1Affine)>;
    let mut cases: Vec<(&str, ark_groth16::VerifyingKey<Bn254>, Forgery)> = Vec::new();
    // snarkjs before phase 2: gamma = delta = the G2 generator.
    let mut k = good.clone();
    k.gamma_g2 = g2;
    k.delta_g2 = g2;
    let f = (
        k.alpha_g1,
        k.beta_g2,
        (-vk_x(&k, &lie).into_group()).into_affine(),
    );
    cases.push(("snarkjs gamma = delta = g2", k, Some(f)));
    let mut k = good.clone();
    k.delta_g2 = k.gamma_g2;
    let f = (
        k.alpha_g1,
        k.beta_g2,
        (-vk_x(&k, &lie).into_group()).into_affine(),
    );
    cases.push(("delta = gamma", k, Some(f)));
    let mut k = good.clone();
    k.delta_g2 = -k.gamma_g2;
    let f = (k.alpha_g1, k.beta_g2, vk_x(&k, &lie));
    cases.push(("delta = -gamma", k, Some(f)));
    let mut k = good.clone();
    k.beta_g2 = k.gamma_g2;
    let a = (k.alpha_g1.into_group() + vk_x(&k, &lie)).into_affine();
    cases.push((
        "beta = gamma",
        k.clone(),
        Some((a, k.gamma_g2, G1Affine::zero())),
    ));
    let mut k = good.clone();
    k.beta_g2 = -k.gamma_g2;
    let a = (vk_x(&k, &lie).into_group() - k.alpha_g1).into_affine();
    cases.push((
        "beta = -gamma",
        k.clone(),
        Some((a, k.gamma_g2, G1Affine::zero())),
    ));
    let mut k = good.clone();
    k.delta_g2 = g2;
    cases.push(("delta = g2", k, None));
    let mut k = good.clone();
    k.delta_g2 = -g2;
    cases.push(("delta = -g2", k, None));

    let good_json: serde_json::Value =
        serde_json::from_str(&vk_to_snarkjs_json(pk.verifying_key())).unwrap();
    for (name, k, forgery) in cases {
        if let Some((a, b, c)) = forgery {
            assert!(
                raw_pairing_check(&k, &lie, a, b, c),
                "{name}: the forgery passes raw"
            );
        }
        let weak = |r: Result<VerifyingKey, DecodeError>| {
            matches!(r, Err(DecodeError::WeakVerifyingKey { .. }))
        };
        assert!(
            weak(VerifyingKey::from_arkworks(k.clone())),
            "{name}: from_arkworks"
        );
        // Canonical bytes (what key directories hold).
        let mut bytes = Vec::new();
        encoding::write_header(&mut bytes, VERSION, Tag::Groth16VerifyingKey);
        write_vk_body(&mut bytes, &k);
        assert!(weak(VerifyingKey::from_bytes(&bytes)), "{name}: from_bytes");
        // snarkjs verification_key.json.
        let mut j = good_json.clone();
        let g2j = |p: &G2Affine| {
            let (x, y) = p.xy().unwrap();
            serde_json::json!([
                [x.c0.to_string(), x.c1.to_string()],
                [y.c0.to_string(), y.c1.to_string()],
                ["1", "0"]
            ])
        };
        j["vk_beta_2"] = g2j(&k.beta_g2);
        j["vk_gamma_2"] = g2j(&k.gamma_g2);
        j["vk_delta_2"] = g2j(&k.delta_g2);
        assert!(
            weak(vk_from_snarkjs_json(&j.to_string())),
            "{name}: snarkjs JSON"
        );
        // A proving key carrying it, as an arkworks key and as bytes.
        let mut apk = pk.as_arkworks().clone();
        apk.vk = k.clone();
        assert!(matches!(
            ProvingKey::from_arkworks(apk.clone()),
            Err(DecodeError::WeakVerifyingKey { .. })
        ));
        let honest = ProvingKey::from_arkworks(pk.as_arkworks().clone()).unwrap();
        let mut pbytes = honest.to_bytes();
        let vk_len = bytes.len() - 4;
        pbytes[4..4 + vk_len].copy_from_slice(&bytes[4..]);
        assert!(
            matches!(
                ProvingKey::from_bytes(&pbytes),
                Err(DecodeError::WeakVerifyingKey { .. })
            ),
            "{name}: proving key bytes"
        );
    }
    // The honest key still loads; gamma = g2 alone (every snarkjs key) is allowed.
    VerifyingKey::from_arkworks(good.clone()).unwrap();
    let mut k = good;
    k.gamma_g2 = g2;
    VerifyingKey::from_arkworks(k).unwrap();
    verify(pk.verifying_key(), &xs, &fixture(2).2).unwrap();
}

/// `kind_tag` is the one type table's `NumericKind::type_tag` (decision 0037), with the values
/// the statement hashes always used (1, 2 | scale << 8, 3).
#[test]
fn kind_tag_is_the_type_tables() {
    use crate::commit::NumericKind;
    use crate::snark::statements::kind_tag;
    assert_eq!(kind_tag(NumericKind::Int), 1);
    assert_eq!(kind_tag(NumericKind::Date), 3);
    for s in [0u8, 2, 6, 18] {
        assert_eq!(kind_tag(NumericKind::Decimal(s)), 2 | (u64::from(s) << 8));
        assert_eq!(
            kind_tag(NumericKind::Decimal(s)),
            NumericKind::Decimal(s).type_tag()
        );
    }
}

/// A proving key whose query vectors were altered keeps its key id (the id hashes only the
/// verifying key) but not its digest; every proof it makes fails the self-check in `prove`, so
/// none is released (review finding: a malicious key leaking witness bits through proofs that
/// fail only for some witnesses).
#[test]
fn tampered_proving_key_keeps_its_id_but_no_proof_is_released() {
    let mut r = seeded(21);
    let pk = setup_with_rng(toy(2), &mut r).unwrap();
    let xs = || Toy {
        xs: vec![Some(Fr::from(3u64)), Some(Fr::from(5u64))],
    };
    // the honest key proves, and its proofs verify under its own verifying key
    let (p, inputs) = prove_returning_inputs_with_rng(&pk, xs(), &mut r).unwrap();
    verify(pk.verifying_key(), &inputs, &p).unwrap();
    let g1 = G1Affine::generator();
    let g2 = G2Affine::generator();
    type Tamper = fn(&mut ark_groth16::ProvingKey<Bn254>, G1Affine, G2Affine);
    let tampers: [(&str, Tamper); 4] = [
        ("l_query", |k, g, _| {
            k.l_query[0] = (k.l_query[0] + g).into_affine()
        }),
        ("a_query", |k, g, _| {
            k.a_query[0] = (k.a_query[0] + g).into_affine()
        }),
        ("b_g1_query", |k, g, _| {
            k.b_g1_query[0] = (k.b_g1_query[0] + g).into_affine()
        }),
        ("b_g2_query", |k, _, g| {
            k.b_g2_query[0] = (k.b_g2_query[0] + g).into_affine()
        }),
    ];
    for (what, tamper) in tampers {
        let mut raw = pk.as_arkworks().clone();
        tamper(&mut raw, g1, g2);
        let bad =
            ProvingKey::from_bytes(&ProvingKey::from_arkworks(raw).unwrap().to_bytes()).unwrap();
        assert_eq!(
            bad.id(),
            pk.id(),
            "{what}: the id does not cover the queries"
        );
        assert_ne!(bad.digest(), pk.digest(), "{what}: the digest does");
        assert_eq!(
            ProvingKey::digest_of_bytes(&bad.to_bytes()),
            bad.digest(),
            "{what}"
        );
        for prove in [
            |k: &ProvingKey, c: Toy, r: &mut ark_std::rand::rngs::StdRng| {
                prove_with_rng(k, c, r).map(|_| ())
            },
            |k: &ProvingKey, c: Toy, r: &mut ark_std::rand::rngs::StdRng| {
                prove_returning_inputs_with_rng(k, c, r).map(|_| ())
            },
        ] {
            let e = prove(&bad, xs(), &mut r).unwrap_err();
            assert_eq!(e, SnarkError::ProofSelfCheck, "{what}");
            assert_eq!(crate::Error::from(e).code(), "snark.proof_self_check");
        }
    }
    // the digest text round-trips and is checksummed
    let d = pk.digest();
    assert!(d.to_text().starts_with(PK_DIGEST_PREFIX));
    assert_eq!(ProvingKeyDigest::from_text(&d.to_text()).unwrap(), d);
    assert!(ProvingKeyDigest::from_text(&pk.id().to_text()).is_err());
}

/// Review finding (M1 of the post-merge review): the self-check's refusal is itself a signal.
/// With `l_query[0]` altered, a witness whose first value is zero still proves and a non-zero
/// one is refused, so a caller who sees whether proofs come out would learn that value's
/// zeroness proof after proof. Once a key has failed its self-check it (and every clone of it)
/// refuses to prove anything, before any synthesis: at most one such bit per loaded key.
#[test]
fn a_key_that_failed_its_self_check_proves_nothing_more() {
    let mut r = seeded(22);
    let pk = setup_with_rng(toy(2), &mut r).unwrap();
    let mut raw = pk.as_arkworks().clone();
    raw.l_query[0] = (raw.l_query[0] + G1Affine::generator()).into_affine();
    let bad = ProvingKey::from_arkworks(raw).unwrap();
    let with = |x0: u64| Toy {
        xs: vec![Some(Fr::from(x0)), Some(Fr::from(5u64))],
    };
    // The channel: a fresh copy of the tampered key proves when the touched value is zero.
    let fresh = ProvingKey::from_bytes(&bad.to_bytes()).unwrap();
    let (p, inputs) = prove_returning_inputs_with_rng(&fresh, with(0), &mut r).unwrap();
    verify(fresh.verifying_key(), &inputs, &p).unwrap();
    // A non-zero value is refused; from then on the key and its clones refuse everything.
    let clone = bad.clone();
    assert_eq!(
        prove_with_rng(&bad, with(3), &mut r).unwrap_err(),
        SnarkError::ProofSelfCheck
    );
    for k in [&bad, &clone] {
        assert_eq!(
            prove_with_rng(k, with(0), &mut r).unwrap_err(),
            SnarkError::ProofSelfCheck
        );
        assert_eq!(
            prove_returning_inputs_with_rng(k, with(0), &mut r).unwrap_err(),
            SnarkError::ProofSelfCheck
        );
    }
    // An honest key is never poisoned.
    for x0 in [3, 0, 7] {
        prove_with_rng(&pk, with(x0), &mut r).unwrap();
    }
}

/// A circuit's matrices and assignment, as the prover would build them.
fn record<C: ConstraintSynthesizer<Fr>>(c: C) -> (ConstraintMatrices<Fr>, Vec<Fr>, Vec<Fr>) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    cs.set_mode(SynthesisMode::Prove {
        construct_matrices: true,
    });
    c.generate_constraints(cs.clone()).unwrap();
    cs.finalize();
    let m = cs.to_matrices().unwrap();
    let b = cs.borrow().unwrap();
    (
        m,
        b.instance_assignment.clone(),
        b.witness_assignment.clone(),
    )
}

/// Replays given matrices with a given assignment: any circuit, changed at will.
struct Replay {
    m: ConstraintMatrices<Fr>,
    instance: Vec<Fr>,
    witness: Vec<Fr>,
}

impl ConstraintSynthesizer<Fr> for Replay {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for v in self.instance.iter().skip(1) {
            cs.new_input_variable(|| Ok(*v))?;
        }
        for v in &self.witness {
            cs.new_witness_variable(|| Ok(*v))?;
        }
        let n = self.m.num_instance_variables;
        let var = |i: usize| match i {
            0 => Variable::One,
            i if i < n => Variable::Instance(i),
            i => Variable::Witness(i - n),
        };
        let lc = |row: &Vec<(Fr, usize)>| {
            let mut l = LinearCombination::zero();
            for (c, i) in row {
                l += (*c, var(*i));
            }
            l
        };
        for j in 0..self.m.num_constraints {
            cs.enforce_constraint(lc(&self.m.a[j]), lc(&self.m.b[j]), lc(&self.m.c[j]))?;
        }
        Ok(())
    }
}

/// The poisoning circuit of post-merge review L3: `first`'s own matrices with one extra term in
/// C on a variable that is zero in `first`'s assignment but not in `second`'s. It proves and
/// passes the self-check (the extra term is multiplied by zero), yet `second`'s assignment does
/// not satisfy its matrices.
fn poisoned<C: ConstraintSynthesizer<Fr>>(first: C, second: C) -> Replay {
    let (mut m, instance, witness) = record(first);
    let (_, i2, w2) = record(second);
    let n = m.num_instance_variables;
    let z1: Vec<Fr> = instance.iter().chain(&witness).copied().collect();
    let z2: Vec<Fr> = i2.iter().chain(&w2).copied().collect();
    let col = (n..z1.len())
        .find(|&i| z1[i].is_zero() && !z2[i].is_zero())
        .expect("a witness variable that is zero only in the first assignment");
    m.c[0].push((Fr::one(), col));
    Replay {
        m,
        instance,
        witness,
    }
}

/// Post-merge review L3 (decision 0082, amended): a circuit that differs from the key's only where
/// the first witness is zero proves and passes the self-check. It used to leave its matrices in
/// the key's cache, so every later honest proof under that loaded key was refused. Now a
/// caller's circuit never fills the cache: keys from setup keep the setup's own matrices, a key
/// named for a circuit (`KeyRing`, `for_circuit`) keeps ours only after its self-check fallback,
/// other keys cache nothing (decision 0134: loaded keys prove one-shot).
#[test]
fn a_poisoning_circuit_does_not_deny_later_honest_proofs() {
    let mut r = seeded(41);
    let with = |x0: u64| Toy {
        xs: vec![Some(Fr::from(x0)), Some(Fr::from(5u64))],
    };
    let pk = setup_with_rng(toy(2), &mut r).unwrap();
    let loaded = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
    for k in [&loaded, &pk] {
        // The attack proves (and its proof verifies: no false proof, as before) ...
        let (p, inputs) =
            prove_returning_inputs_with_rng(k, poisoned(with(0), with(3)), &mut r).unwrap();
        verify(k.verifying_key(), &inputs, &p).unwrap();
        // ... and leaves nothing behind: honest proofs with the touched value non-zero prove.
        for x0 in [3, 7, 0] {
            let (p, inputs) = prove_returning_inputs_with_rng(k, with(x0), &mut r).unwrap();
            verify(k.verifying_key(), &inputs, &p).unwrap();
        }
        // The attack repeated after honest proofs changes nothing either.
        prove_with_rng(k, poisoned(with(0), with(3)), &mut r).unwrap();
        prove_with_rng(k, with(9), &mut r).unwrap();
    }
    // A loaded key named for no circuit keeps no caller's matrices; setup keeps its own.
    assert!(loaded.matrices.get().is_none());
    assert!(pk.matrices.get().is_some(), "setup keeps its own matrices");
}

/// The same attack on a statement circuit's key loaded into a `KeyRing` (named for its
/// circuit): the cache is filled from our own `membership:1` code, never from the attack.
#[test]
fn a_poisoning_circuit_cannot_fill_a_key_rings_matrix_cache() {
    use causeway_circuits::statements::membership::{
        identity_leaf, MembershipCircuit, MembershipPrivate, MembershipPublic,
    };
    use causeway_circuits::statements::SecretPath;
    let mut r = seeded(42);
    let c = Circuit::Membership {
        depth: 1,
        nullifier: false,
    };
    let setup_key = c.setup_with_rng(&mut r).unwrap();
    let member = |index: u64| {
        let secret = Fr::from(11u64 + index);
        let path = SecretPath {
            index,
            siblings: vec![Fr::from(99u64)],
        };
        let root = path.to_path().root_for(identity_leaf(secret));
        MembershipCircuit {
            depth: 1,
            public: MembershipPublic {
                root,
                nullifier: None,
                challenge: Fr::from(7u64),
            },
            private: Some(MembershipPrivate { secret, path }),
        }
    };
    let mut ring = KeyRing::new();
    ring.insert_proving_bytes(c, setup_key.id(), &setup_key.to_bytes())
        .unwrap();
    let k = ring.proving_key(&c).unwrap();
    assert_eq!(k.circuit(), Some(c));
    assert!(
        k.matrices.get().is_none(),
        "a loaded key starts without matrices"
    );
    // The attack proves one-shot on its own rows, which give the key's circuit's values for
    // this assignment (they differ only by a zero term), so its proof passes the self-check ...
    let (p, inputs) =
        prove_returning_inputs_with_rng(k, poisoned(member(0), member(1)), &mut r).unwrap();
    verify(k.verifying_key(), &inputs, &p).unwrap();
    // ... but leaves nothing behind: honest proofs for both leaves prove and verify ...
    for index in [1, 0, 1] {
        let (p, inputs) = prove_returning_inputs_with_rng(k, member(index), &mut r).unwrap();
        verify(k.verifying_key(), &inputs, &p).unwrap();
    }
    // ... and the cache stays empty: every proof of a loaded key is one-shot (decision 0134),
    // and nothing from a caller's circuit is ever kept.
    assert!(k.matrices.get().is_none());
    // Our reference matrices (what the self-check fallback would keep) are the setup's own.
    let reference = c.reference_matrices().unwrap();
    let from_setup = setup_key.matrices.get().unwrap();
    assert_eq!(
        (&reference.a, &reference.b, &reference.c),
        (&from_setup.a, &from_setup.b, &from_setup.c)
    );
    // A key filed under another circuit is refused, and its cache stays empty.
    let mut wrong = KeyRing::new();
    wrong.insert(
        Circuit::Attribute,
        ProvingKey::from_bytes(&setup_key.to_bytes()).unwrap(),
    );
    let k = wrong.proving_key(&Circuit::Attribute).unwrap();
    assert_eq!(
        prove_with_rng(k, member(1), &mut r).unwrap_err(),
        SnarkError::KeyMismatch
    );
    assert!(k.matrices.get().is_none());
}

/// Decision 0130: a key's first proof in a process (a one-shot CLI or browser proof) builds only
/// the caller's circuit's non-Poseidon rows and takes the Poseidon rows' recorded values. It
/// makes the same proof, byte for byte, as a key that holds its matrices; an unsatisfied
/// witness is refused without poisoning the key; and a named key checks the caller's counts.
#[test]
fn a_first_proof_without_poseidon_rows_is_the_same_proof() {
    use causeway_circuits::statements::membership::{
        identity_leaf, MembershipCircuit, MembershipPrivate, MembershipPublic, Nullifier,
    };
    use causeway_circuits::statements::SecretPath;
    let c = Circuit::Membership {
        depth: 3,
        nullifier: true,
    };
    let setup_key = c.setup_with_rng(&mut seeded(5)).unwrap();
    let member = |secret: u64, claimed_root: Option<Fr>| {
        let secret = Fr::from(secret);
        let path = SecretPath {
            index: 5,
            siblings: vec![Fr::from(1u64), Fr::from(2u64), Fr::from(3u64)],
        };
        let root = path.to_path().root_for(identity_leaf(secret));
        let context = Fr::from(77u64);
        MembershipCircuit {
            depth: 3,
            public: MembershipPublic {
                root: claimed_root.unwrap_or(root),
                nullifier: Some(Nullifier {
                    context,
                    value: causeway_circuits::statements::membership::nullifier(secret, context),
                }),
                challenge: Fr::from(9u64),
            },
            private: Some(MembershipPrivate { secret, path }),
        }
    };
    // The counts a named key checks are the reference matrices'.
    for shape in [
        c,
        Circuit::Attribute,
        Circuit::Sum(2),
        Circuit::Membership {
            depth: 1,
            nullifier: false,
        },
    ] {
        let m = shape.reference_matrices().unwrap();
        assert_eq!(
            shape.counts().unwrap(),
            (
                m.num_instance_variables,
                m.num_witness_variables,
                m.num_constraints
            ),
            "{shape}"
        );
    }
    // Kept matrices (setup) against a loaded, named key's first proof: the same bytes.
    let kept = prove_with_rng(&setup_key, member(12, None), &mut seeded(6)).unwrap();
    let mut ring = KeyRing::new();
    ring.insert_proving_bytes(c, setup_key.id(), &setup_key.to_bytes())
        .unwrap();
    let k = ring.proving_key(&c).unwrap();
    // An unsatisfied witness first: refused, nothing poisoned.
    assert_eq!(
        prove_with_rng(k, member(12, Some(Fr::from(4u64))), &mut seeded(6)).unwrap_err(),
        SnarkError::Unsatisfied
    );
    let one_shot = prove_with_rng(k, member(12, None), &mut seeded(6)).unwrap();
    assert_eq!(kept.to_bytes(), one_shot.to_bytes());
    assert!(k.matrices.get().is_none(), "a one-shot proof keeps nothing");
    // The second proof is one-shot too (decision 0134): the same proof, nothing kept.
    for _ in 0..2 {
        let again = prove_with_rng(k, member(12, None), &mut seeded(6)).unwrap();
        assert_eq!(kept.to_bytes(), again.to_bytes());
    }
    assert!(k.matrices.get().is_none(), "one-shot proofs keep nothing");
    // A key named for no circuit proves one-shot every time, the same proof.
    let bare = ProvingKey::from_bytes(&setup_key.to_bytes()).unwrap();
    for _ in 0..2 {
        let p = prove_with_rng(&bare, member(12, None), &mut seeded(6)).unwrap();
        assert_eq!(kept.to_bytes(), p.to_bytes());
    }
    assert!(bare.matrices.get().is_none());
    // A fresh named key whose first proof is of another circuit: refused by its counts.
    let mut other = KeyRing::new();
    other
        .insert_proving_bytes(c, setup_key.id(), &setup_key.to_bytes())
        .unwrap();
    let k = other.proving_key(&c).unwrap();
    // (depth 2: a valid circuit of its own, with the leaf at index 1 of 4)
    let mut wrong = member(12, None);
    wrong.depth = 2;
    let path = &mut wrong.private.as_mut().unwrap().path;
    path.index = 1;
    path.siblings.pop();
    wrong.public.root = path.to_path().root_for(identity_leaf(Fr::from(12u64)));
    assert_eq!(
        prove_with_rng(k, wrong, &mut seeded(6)).unwrap_err(),
        SnarkError::KeyMismatch
    );
    prove_with_rng(k, member(12, None), &mut seeded(6)).unwrap();

    // Review of 0130: a circuit with the key's counts whose rows differ (one constraint with
    // `A` and `B` swapped: the same relation, other polynomials) fails the one-shot proof's
    // self-check under an honest key. The key is not blamed: the proof is made again on our
    // reference matrices, which the assignment satisfies, and it is released.
    let (mut m, instance, witness) = record(member(12, None));
    let row = (0..m.num_constraints)
        .find(|&j| m.a[j] != m.b[j] && !m.a[j].is_empty() && !m.b[j].is_empty())
        .unwrap();
    let (a, b) = (m.a[row].clone(), m.b[row].clone());
    m.a[row] = b;
    m.b[row] = a;
    let swapped = Replay {
        m,
        instance,
        witness,
    };
    let mut fresh = KeyRing::new();
    fresh
        .insert_proving_bytes(c, setup_key.id(), &setup_key.to_bytes())
        .unwrap();
    let k = fresh.proving_key(&c).unwrap();
    let (p, inputs) = prove_returning_inputs_with_rng(k, swapped, &mut seeded(6)).unwrap();
    verify(k.verifying_key(), &inputs, &p).unwrap();
    assert_eq!(
        p.to_bytes(),
        kept.to_bytes(),
        "the key's own circuit's proof"
    );
    // The fallback kept our reference matrices (never the caller's swapped rows).
    let kept_m = k.matrices.get().expect("our reference matrices, kept");
    let reference = c.reference_matrices().unwrap();
    assert_eq!(
        (&kept_m.a, &kept_m.b, &kept_m.c),
        (&reference.a, &reference.b, &reference.c)
    );
    prove_with_rng(k, member(12, None), &mut seeded(6)).unwrap();
}
