//! Batch verification (decision 0080): agrees with one-by-one verification on random mixes of
//! good and bad proofs, names every bad one, and cannot be fooled by proofs that cancel.

use super::*;
use crate::error::SnarkVerifyError as VE;
use ark_bn254::G1Projective;
use ark_ec::CurveGroup;
use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSystemRef, Variable};
use proptest::prelude::*;
use std::sync::OnceLock;

#[derive(Clone)]
struct Sq {
    xs: Vec<Option<Fr>>,
}

impl ConstraintSynthesizer<Fr> for Sq {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        for x in self.xs {
            let xi = cs.new_input_variable(|| x.ok_or(SynthesisError::AssignmentMissing))?;
            let wi = cs.new_witness_variable(|| x.ok_or(SynthesisError::AssignmentMissing))?;
            let s = cs.new_witness_variable(|| {
                x.map(|v| v * v).ok_or(SynthesisError::AssignmentMissing)
            })?;
            cs.enforce_constraint(lc!() + wi, lc!() + Variable::One, lc!() + xi)?;
            cs.enforce_constraint(lc!() + wi, lc!() + wi, lc!() + s)?;
        }
        Ok(())
    }
}

fn rng(seed: u64) -> ark_std::rand::rngs::StdRng {
    use ark_std::rand::SeedableRng;
    ark_std::rand::rngs::StdRng::seed_from_u64(seed)
}

const INPUTS: usize = 2;
const POOL: usize = 8;

struct Fixture {
    vk: VerifyingKey,
    good: Vec<(Proof, Vec<Fr>)>,
    other_vk_proof: (Proof, Vec<Fr>),
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut r = rng(42);
        let pk = setup_with_rng(
            Sq {
                xs: vec![None; INPUTS],
            },
            &mut r,
        )
        .unwrap();
        let other = setup_with_rng(
            Sq {
                xs: vec![None; INPUTS],
            },
            &mut r,
        )
        .unwrap();
        let good = (0..POOL as u64)
            .map(|i| {
                let xs = vec![Some(Fr::from(3 + i)), Some(Fr::from(100 + 7 * i))];
                prove_returning_inputs_with_rng(&pk, Sq { xs }, &mut r).unwrap()
            })
            .collect();
        let xs = vec![Some(Fr::from(3u64)), Some(Fr::from(100u64))];
        let other_vk_proof = prove_returning_inputs_with_rng(&other, Sq { xs }, &mut r).unwrap();
        Fixture {
            vk: pk.verifying_key().clone(),
            good,
            other_vk_proof,
        }
    })
}

fn proof_with(id: VerifyingKeyId, a: G1Affine, b: G2Affine, c: G1Affine) -> Proof {
    Proof::from_arkworks(id, ark_groth16::Proof { a, b, c }).unwrap()
}

/// One batch item made by a mutation of the pool's proof `i`.
fn item(kind: u8, i: usize, j: usize) -> (Proof, Vec<Fr>) {
    let f = fixture();
    let (p, x) = f.good[i % POOL].clone();
    let id = f.vk.id();
    let inner = p.as_arkworks().clone();
    match kind % 10 {
        // wrong input
        1 => {
            let mut x = x;
            x[1] += Fr::from(1u64);
            (p, x)
        }
        // a proof from another key (its own id)
        2 => f.other_vk_proof.clone(),
        // a proof from another key relabelled with this key's id
        3 => (
            Proof::from_arkworks(id, f.other_vk_proof.0.as_arkworks().clone()).unwrap(),
            f.other_vk_proof.1.clone(),
        ),
        // proof i with the inputs of proof j (swapped)
        4 => {
            let (_, xj) = f.good[j % POOL].clone();
            (p, xj)
        }
        // wrong number of inputs
        5 => (p, x[..1].to_vec()),
        // re-randomised: still valid
        6 => (rerandomize_with_rng(&f.vk, &p, &mut rng(j as u64)), x),
        // A and C swapped
        7 => (proof_with(id, inner.c, inner.b, inner.a), x),
        // -A, -B: the same pairing, a valid (malleated) proof
        8 => (proof_with(id, -inner.a, -inner.b, inner.c), x),
        // -A alone: invalid
        9 => (proof_with(id, -inner.a, inner.b, inner.c), x),
        _ => (p, x),
    }
}

fn check_agrees(batch: &[(Proof, Vec<Fr>)], seed: u64) {
    let f = fixture();
    let refs: Vec<(&Proof, &[Fr])> = batch.iter().map(|(p, x)| (p, x.as_slice())).collect();
    let expected: Vec<BatchFailure> = batch
        .iter()
        .enumerate()
        .filter_map(|(index, (p, x))| {
            verify(&f.vk, x, p)
                .err()
                .map(|error| BatchFailure { index, error })
        })
        .collect();
    let got = f.vk.verify_batch_with_rng(&refs, &mut rng(seed));
    if expected.is_empty() {
        assert_eq!(got, Ok(()));
    } else {
        assert_eq!(
            got,
            Err(VE::BatchRejected {
                total: batch.len(),
                failures: expected
            })
        );
    }
    // And with OS randomness.
    assert_eq!(got.is_ok(), f.vk.verify_batch(&refs).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn batch_agrees_with_one_by_one(
        spec in prop::collection::vec((0u8..20, 0usize..POOL, 0usize..POOL), 1..24),
        seed in any::<u64>(),
    ) {
        // Kinds 10..19 are good proofs: about half the items are good.
        let batch: Vec<_> = spec.iter().map(|&(k, i, j)| {
            let j = if j == i { (j + 1) % POOL } else { j };
            item(if k >= 10 { 0 } else { k }, i, j)
        }).collect();
        check_agrees(&batch, seed);
    }
}

#[test]
fn every_mutation_alone_and_among_good_proofs() {
    for kind in 0..10u8 {
        let mut batch: Vec<_> = (0..6).map(|i| item(0, i, 0)).collect();
        batch.insert(3, item(kind, 2, 5));
        check_agrees(&batch, u64::from(kind));
        check_agrees(&batch[3..4], 99);
    }
    // All bad.
    let batch: Vec<_> = (0..9)
        .map(|i| item(1 + (i % 5) as u8 * 2, i as usize, 1))
        .collect();
    check_agrees(&batch, 5);
}

#[test]
fn a_batch_of_64_good_proofs_verifies_and_one_bad_is_named() {
    let f = fixture();
    let mut batch: Vec<_> = (0..64).map(|i| item(0, i, 0)).collect();
    check_agrees(&batch, 1);
    batch[37] = item(1, 37, 0);
    let refs: Vec<(&Proof, &[Fr])> = batch.iter().map(|(p, x)| (p, x.as_slice())).collect();
    match f.vk.verify_batch(&refs) {
        Err(VE::BatchRejected { total, failures }) => {
            assert_eq!(total, 64);
            assert_eq!(
                failures,
                vec![BatchFailure {
                    index: 37,
                    error: VE::Invalid
                }]
            );
        }
        other => panic!("{other:?}"),
    }
    let e = crate::Error::from(f.vk.verify_batch(&refs).unwrap_err());
    assert_eq!(
        (e.code(), e.kind()),
        ("snark.batch_rejected", crate::error::ErrorKind::Denied)
    );
    assert!(e.to_string().contains("indices 37"), "{e}");
}

/// Two bad proofs whose errors cancel in an unweighted sum (`C + D` and `C − D`): with random
/// weights the batch still refuses both.
#[test]
fn proofs_that_cancel_without_random_weights_are_refused() {
    let f = fixture();
    let (p, x) = f.good[0].clone();
    let inner = p.as_arkworks();
    let d = (G1Projective::from(G1Affine::generator()) * Fr::from(12345u64)).into_affine();
    let plus = proof_with(f.vk.id(), inner.a, inner.b, (inner.c + d).into_affine());
    let minus = proof_with(f.vk.id(), inner.a, inner.b, (inner.c - d).into_affine());
    let batch = vec![(plus, x.clone()), (minus, x.clone())];
    for seed in 0..4 {
        check_agrees(&batch, seed);
    }
    // The same trick on A across two copies of one statement.
    let plus = proof_with(f.vk.id(), (inner.a + d).into_affine(), inner.b, inner.c);
    let minus = proof_with(f.vk.id(), (inner.a - d).into_affine(), inner.b, inner.c);
    check_agrees(&[(plus, x.clone()), (minus, x.clone()), (p, x)], 7);
}

#[test]
fn identity_points_cannot_enter_a_batch() {
    let f = fixture();
    let (p, _) = f.good[0].clone();
    let inner = p.as_arkworks().clone();
    let id = f.vk.id();
    for (a, b, c) in [
        (G1Affine::zero(), inner.b, inner.c),
        (inner.a, G2Affine::zero(), inner.c),
        (inner.a, inner.b, G1Affine::zero()),
    ] {
        assert!(Proof::from_arkworks(id, ark_groth16::Proof { a, b, c }).is_err());
        let mut bytes = p.to_bytes().to_vec();
        let mut pts = Vec::new();
        ark_groth16::Proof::<Bn254> { a, b, c }
            .serialize_compressed(&mut pts)
            .unwrap();
        bytes[36..].copy_from_slice(&pts);
        assert!(Proof::from_bytes(&bytes).is_err());
    }
}

#[test]
fn empty_and_oversized_batches() {
    let f = fixture();
    assert_eq!(f.vk.verify_batch(&[]), Ok(()));
    let (p, x) = &f.good[0];
    let refs: Vec<(&Proof, &[Fr])> = vec![(p, x.as_slice()); MAX_BATCH_PROOFS + 1];
    assert_eq!(
        f.vk.verify_batch(&refs),
        Err(VE::BatchTooLarge {
            len: MAX_BATCH_PROOFS + 1,
            max: MAX_BATCH_PROOFS
        })
    );
    assert_eq!(
        f.vk.verify_batch(&refs[..3]),
        Ok(()),
        "the same proof three times is three valid items (proofs are not identities)"
    );
}
