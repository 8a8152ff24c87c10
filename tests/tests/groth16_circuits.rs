//! The Groth16 statements end to end through `core::snark`: pinned shapes (constraint count and
//! a hash of the matrices), prove/verify, public-input binding, nullifier reuse under
//! re-randomisation, and snarkjs exports of a real statement for `scripts/suites/40-snarkjs.sh`.

use causeway::snark::{self, circuit_shape, Fr};
use causeway_circuits::field::fr_from_i64;
use causeway_circuits::merkle::PoseidonTree;
use causeway_circuits::statements::attribute::{
    AttributeCircuit, AttributePrivate, AttributePublic,
};
use causeway_circuits::statements::membership::{
    identity_leaf, nullifier, MembershipCircuit, MembershipPrivate, MembershipPublic, Nullifier,
};
use causeway_circuits::statements::sum::{SumCircuit, SumPrivate, SumPublic, SumRecord};
use causeway_circuits::statements::{field_leaf, Predicate, SecretPath, RECORD_TREE_DEPTH};

fn rng() -> impl rand_core::RngCore + rand_core::CryptoRng {
    use ark_std::rand::SeedableRng;
    ark_std::rand::rngs::StdRng::seed_from_u64(4)
}

fn hex32(b: &[u8; 32]) -> String {
    hex::encode(b)
}

#[test]
fn record_tree_depth_matches_core() {
    assert_eq!(RECORD_TREE_DEPTH, causeway::commit::TREE_DEPTH);
}

/// Pinned: change only together with new key ids.
#[test]
fn shapes_are_pinned() {
    let cases: Vec<(&str, snark::CircuitShape)> = vec![
        (
            "attribute",
            circuit_shape(AttributeCircuit::for_setup()).unwrap(),
        ),
        (
            "membership-d2",
            circuit_shape(MembershipCircuit::for_setup(2, false)).unwrap(),
        ),
        (
            "membership-d20-null",
            circuit_shape(MembershipCircuit::for_setup(20, true)).unwrap(),
        ),
        ("sum-k4", circuit_shape(SumCircuit::for_setup(4)).unwrap()),
    ];
    let got: Vec<String> = cases
        .iter()
        .map(|(n, s)| {
            format!(
                "{n} {} {} {}",
                s.constraints,
                s.public_inputs,
                hex32(&s.matrix_hash)
            )
        })
        .collect();
    let want: Vec<&str> = PINNED
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, want, "\n{}", got.join("\n"));
    for (_, s) in &cases {
        assert_eq!(s.public_inputs, 1);
    }
}

/// Every public input appears in at least one constraint (else a proof would hold for any value).
#[test]
fn every_public_input_is_constrained() {
    use ark_relations::r1cs::{
        ConstraintSynthesizer, ConstraintSystem, OptimizationGoal, SynthesisMode,
    };
    fn check<C: ConstraintSynthesizer<Fr>>(name: &str, c: C) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        cs.set_mode(SynthesisMode::Setup);
        c.generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        for col in 1..m.num_instance_variables {
            let used = [&m.a, &m.b, &m.c]
                .iter()
                .any(|mat| mat.iter().any(|row| row.iter().any(|(_, j)| *j == col)));
            assert!(used, "{name}: public input {col} is unconstrained");
        }
    }
    check("attribute", AttributeCircuit::for_setup());
    check("membership", MembershipCircuit::for_setup(2, false));
    check(
        "membership-nullifier",
        MembershipCircuit::for_setup(2, true),
    );
    check("sum-k4", SumCircuit::for_setup(4));
}

const PINNED: &str = "
attribute 2781 1 ba8ac5f61d9e67c2f5fcce41782ac3cc735f523ddbb0ec132d5893ced1a00167
membership-d2 957 1 4d7632e17d1341efc7f197aa397d94b558fda43fd76276d2441df87c1ec29736
membership-d20-null 5614 1 ec34ca862defbb0d7429d13849fd5d0148ccec0c5b0be21a59ff6da3c92668b9
sum-k4 9683 1 fb9fa9d7fdbd154f5a187da472118c4d1186675bbffaa7c16ba57fa3a3eeab5c
";

/// An attested-record fixture: the field `index` holds `value`.
fn record(value: i64, index: usize, seed: u64) -> (Fr, Fr, Fr, Fr, SecretPath) {
    let name = Fr::from(0xabcd_u64);
    let tag = Fr::from(1u64);
    let salt = Fr::from(seed * 7919 + 1);
    let mut leaves: Vec<Fr> = (0..6u64).map(|i| Fr::from(seed * 100 + i + 1)).collect();
    leaves[index] = field_leaf(name, tag, fr_from_i64(value), salt);
    let tree = PoseidonTree::new(&leaves, RECORD_TREE_DEPTH).unwrap();
    (
        tree.root(),
        name,
        tag,
        salt,
        SecretPath::from(&tree.path(index as u64).unwrap()),
    )
}

#[test]
fn attribute_predicate_end_to_end() {
    let mut r = rng();
    let pk = snark::setup_with_rng(AttributeCircuit::for_setup(), &mut r).unwrap();
    let vk = pk.verifying_key();
    let (root, name, type_tag, salt, path) = record(742, 3, 1);
    let public = AttributePublic {
        root,
        name,
        type_tag,
        predicate: Predicate::AtLeast(700),
        challenge: Fr::from(0xc4a1u64),
    };
    let private = AttributePrivate {
        value: 742,
        salt,
        path,
    };
    let proof = snark::prove_with_rng(
        &pk,
        AttributeCircuit {
            public: public.clone(),
            private: Some(private.clone()),
        },
        &mut r,
    )
    .unwrap();
    snark::verify(vk, &public.inputs().unwrap(), &proof).unwrap();
    // Another challenge, bound, field or root: refused.
    for other in [
        AttributePublic {
            challenge: Fr::from(1u64),
            ..public.clone()
        },
        AttributePublic {
            predicate: Predicate::AtLeast(701),
            ..public.clone()
        },
        AttributePublic {
            predicate: Predicate::Range {
                lo: 700,
                hi: i64::MAX,
            },
            ..public.clone()
        },
        AttributePublic {
            type_tag: Fr::from(2u64),
            ..public.clone()
        },
        AttributePublic {
            root: root + Fr::from(1u64),
            ..public.clone()
        },
    ] {
        if other.predicate
            == (Predicate::Range {
                lo: 700,
                hi: i64::MAX,
            })
        {
            // Same normalized predicate as AtLeast(700): the same statement, accepted.
            snark::verify(vk, &other.inputs().unwrap(), &proof).unwrap();
            continue;
        }
        assert!(snark::verify(vk, &other.inputs().unwrap(), &proof).is_err());
    }
    // A false statement cannot be proven.
    let false_stmt = AttributePublic {
        predicate: Predicate::AtLeast(743),
        ..public.clone()
    };
    assert_eq!(
        snark::prove_with_rng(
            &pk,
            AttributeCircuit {
                public: false_stmt,
                private: Some(private)
            },
            &mut r
        )
        .unwrap_err(),
        causeway::error::SnarkError::Unsatisfied
    );
}

#[test]
fn membership_with_nullifier_and_rerandomisation() {
    let mut r = rng();
    let depth = 4;
    let pk = snark::setup_with_rng(MembershipCircuit::for_setup(depth, true), &mut r).unwrap();
    let vk = pk.verifying_key();
    let secrets: Vec<Fr> = (1..=5u64).map(|i| Fr::from(i * 7_777_777)).collect();
    let leaves: Vec<Fr> = secrets.iter().map(|s| identity_leaf(*s)).collect();
    let tree = PoseidonTree::new(&leaves, depth).unwrap();
    let ctx = Fr::from(2026u64);
    let public = MembershipPublic {
        root: tree.root(),
        nullifier: Some(Nullifier {
            context: ctx,
            value: nullifier(secrets[3], ctx),
        }),
        challenge: Fr::from(11u64),
    };
    let private = MembershipPrivate {
        secret: secrets[3],
        path: SecretPath::from(&tree.path(3).unwrap()),
    };
    let proof = snark::prove_with_rng(
        &pk,
        MembershipCircuit {
            depth,
            public: public.clone(),
            private: Some(private),
        },
        &mut r,
    )
    .unwrap();
    let inputs = public.inputs(depth);
    snark::verify(vk, &inputs, &proof).unwrap();

    // A verifier dedups by nullifier, never by proof bytes: a re-randomised proof verifies, has
    // other bytes, and is still recognised as a reuse.
    let mut seen = std::collections::HashSet::new();
    let accept = |p: &snark::Proof,
                  public: &MembershipPublic,
                  seen: &mut std::collections::HashSet<[u8; 32]>| {
        snark::verify(vk, &public.inputs(depth), p).ok()?;
        let n = public.nullifier?;
        seen.insert(causeway_circuits::field::fr_to_be_bytes(&n.value))
            .then_some(())
    };
    assert!(accept(&proof, &public, &mut seen).is_some());
    let again = snark::rerandomize_with_rng(vk, &proof, &mut r);
    assert_ne!(again.to_bytes(), proof.to_bytes());
    snark::verify(vk, &inputs, &again).unwrap();
    assert!(
        accept(&again, &public, &mut seen).is_none(),
        "re-randomised proof treated as new"
    );

    // Write a real statement's proof for snarkjs.
    let d = causeway_tests::crate_dir().join("../target/interop/groth16");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("membership-vk.json"), snark::vk_to_snarkjs_json(vk)).unwrap();
    std::fs::write(
        d.join("membership-proof.json"),
        snark::proof_to_snarkjs_json(&proof),
    )
    .unwrap();
    std::fs::write(
        d.join("membership-public.json"),
        snark::public_to_snarkjs_json(&inputs),
    )
    .unwrap();
    let wrong = MembershipPublic {
        challenge: Fr::from(12u64),
        ..public
    };
    std::fs::write(
        d.join("membership-public-wrong.json"),
        snark::public_to_snarkjs_json(&wrong.inputs(depth)),
    )
    .unwrap();
}

#[test]
fn sum_threshold_k4_end_to_end() {
    let mut r = rng();
    let pk = snark::setup_with_rng(SumCircuit::for_setup(4), &mut r).unwrap();
    let vk = pk.verifying_key();
    let values = [400_000i64, 250_000, 300_000, 175_000];
    let mut roots = Vec::new();
    let mut records = Vec::new();
    let mut nt = (Fr::from(0u64), Fr::from(0u64));
    for (i, &v) in values.iter().enumerate() {
        let (root, name, tag, salt, path) = record(v, i % 3, i as u64 + 10);
        nt = (name, tag);
        roots.push(root);
        records.push(SumRecord {
            value: v,
            salt,
            path,
        });
    }
    let public = SumPublic {
        roots,
        name: nt.0,
        type_tag: nt.1,
        threshold: 1_000_000,
        challenge: Fr::from(77u64),
    };
    assert!(public.distinct_roots());
    let private = SumPrivate { records };
    let proof = snark::prove_with_rng(
        &pk,
        SumCircuit {
            public: public.clone(),
            private: Some(private.clone()),
        },
        &mut r,
    )
    .unwrap();
    snark::verify(vk, &public.inputs(), &proof).unwrap();
    let higher = SumPublic {
        threshold: 1_125_001,
        ..public.clone()
    };
    assert!(snark::verify(vk, &higher.inputs(), &proof).is_err());
    assert!(snark::prove_with_rng(
        &pk,
        SumCircuit {
            public: higher,
            private: Some(private)
        },
        &mut r
    )
    .is_err());
}
