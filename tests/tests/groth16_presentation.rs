//! One statement, either way: the same presentation statements proven with Bulletproofs and
//! with Groth16, the Groth16 refusals (other challenge, key, holder, tampered proof, missing
//! key, unsupported statement), and membership (Groth16 only). Keys are set up once per binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "support/issuer_company.rs"]
mod issuer_company;
use causeway::attest::{issue, AttestedRecord, NoRevocations};
use causeway::commit::FieldCommitment;
use causeway::error::{ProveError, VerifyError};
use causeway::party::SecretKeys;
use causeway::presentation::{hazmat, Challenge, Presentation};
use causeway::record::{Decimal, Record, Value};
use causeway::snark::{Circuit, KeyRing};
use causeway::statement::{
    prove_membership, verify_membership, Backend, MembershipStatement, MembershipWitness, Statement,
};
use causeway_circuits::merkle::PoseidonTree;
use std::sync::OnceLock;

const NOW: u64 = 1_800_000_000;

/// attribute, sum:4 and membership:4:nullifier keys, made once.
fn keys() -> &'static KeyRing {
    static KEYS: OnceLock<KeyRing> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut ring = KeyRing::new();
        for shape in [
            Circuit::Attribute,
            Circuit::Sum(4),
            Circuit::Membership {
                depth: 4,
                nullifier: true,
            },
        ] {
            ring.insert(shape, shape.setup().unwrap());
        }
        ring
    })
}

struct World {
    issuer: SecretKeys,
    company: SecretKeys,
    orders: Vec<AttestedRecord>,
}

/// Four attested orders (amounts 900,000.00 + 600,000.00 + 550,000.00 + 450,000.00 =
/// 2,500,000.00) with a date and an int field.
fn world() -> World {
    let (issuer, company, terms) = issuer_company::parties();
    let amounts = [90_000_000i64, 60_000_000, 55_000_000, 45_000_000];
    let orders = amounts
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let r = Record::new("trade/order/v1")
                .unwrap()
                .with("amount", Value::Decimal(Decimal::new(a, 2).unwrap()))
                .unwrap()
                .with("order_id", Value::Int(1000 + i as i64))
                .unwrap()
                .with("shipped", Value::date("2026-03-01").unwrap())
                .unwrap()
                .with("buyer", Value::String("Acme".into()))
                .unwrap();
            issue(&issuer, &r, &terms).unwrap()
        })
        .collect();
    World {
        issuer,
        company,
        orders,
    }
}

fn st(s: &str) -> Statement {
    Statement::parse(s, 4).unwrap()
}

#[test]
fn one_statement_either_way_and_groth16_refusals() {
    let w = world();
    let held: Vec<&AttestedRecord> = w.orders.iter().collect();
    let trusted = [w.issuer.public()];
    let challenge = Challenge::random().unwrap();
    let statements = [
        st("amount in [500000, 1000000]"),
        st("order_id@1 != 7"),
        st("order_id@2 == 1002"),
        st("shipped@3 < 2026-06-01"),
        st("sum(amount) >= 2000000"),
        st("sum(amount) > 2499999.99"),
    ];
    for backend in [Backend::Bulletproofs, Backend::Groth16] {
        let p = Presentation::create_with(
            &w.company,
            &held,
            &[(0, "buyer")],
            &statements,
            &challenge,
            backend,
            keys(),
        )
        .unwrap();
        assert_eq!(p.backend(), backend);
        // Both encodings round-trip and keep the back-end.
        let p = Presentation::from_bytes(&p.to_bytes()).unwrap();
        let p = Presentation::from_json(&p.to_json_string()).unwrap();
        let v = p
            .verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, keys())
            .unwrap();
        assert_eq!(v.backend(), backend);
        assert_eq!(v.statements(), &statements);
        assert_eq!(v.value(0, "buyer"), Some(&Value::String("Acme".into())));
        // Another verifier's challenge: refused.
        let other = Challenge::random().unwrap();
        assert!(p
            .verify_with_keys(&trusted, &other, NOW, &NoRevocations, keys())
            .is_err());
    }

    let g = Presentation::create_with(
        &w.company,
        &held,
        &[],
        &statements,
        &challenge,
        Backend::Groth16,
        keys(),
    )
    .unwrap();
    assert_eq!(g.groth16_key_ids().len(), statements.len());
    // Without keys, or with a ring that pins another key for sum:4: typed refusals.
    assert!(matches!(
        g.verify(&trusted, &challenge, NOW, &NoRevocations),
        Err(VerifyError::NoKey(_))
    ));
    let mut wrong = KeyRing::new();
    wrong.insert_verifying(
        Circuit::Attribute,
        keys().verifying_key(&Circuit::Attribute).unwrap().clone(),
    );
    wrong.insert_verifying(
        Circuit::Sum(4),
        keys().verifying_key(&Circuit::Attribute).unwrap().clone(),
    );
    assert!(matches!(
        g.verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, &wrong),
        Err(VerifyError::WrongKey { .. })
    ));

    // The holder edits the statements or swaps proofs and signs again: the proofs must fail.
    let parts = hazmat::parts(&g);
    let mut edits: Vec<hazmat::PresentationParts> = Vec::new();
    for (i, s) in [
        (0, st("amount in [500000, 999999.99]")),
        (1, st("order_id@1 != 8")),
        (2, st("order_id@2 == 1003")),
        (3, st("shipped@3 < 2026-05-31")),
        (4, st("sum(amount) >= 2000000.01")),
        (5, st("sum(amount) > 2500000")),
        (0, st("amount@1 in [500000, 1000000]")),
    ] {
        let mut p = parts.clone();
        p.statements[i] = s;
        edits.push(p);
    }
    // Swap the first two proofs (same attribute key: only the public input differs).
    let mut p = parts.clone();
    let (a, b) = p.proofs[2..].split_at_mut(164);
    a.swap_with_slice(&mut b[..164]);
    edits.push(p);
    // Flip one bit inside each proof's points.
    for i in 0..statements.len() {
        let mut p = parts.clone();
        p.proofs[2 + i * 164 + 36 + 40] ^= 1;
        edits.push(p);
    }
    // Reorder the attestations (the bound challenge hashes their ids in order).
    let mut p = parts.clone();
    p.attestations.swap(0, 1);
    edits.push(p);
    let mut refused = 0;
    for e in edits {
        // a flipped bit may already be refused when decoding the point
        if let Ok(p) = hazmat::sign(e, &w.company, &challenge) {
            assert!(p
                .verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, keys())
                .is_err());
        }
        refused += 1;
    }
    assert_eq!(refused, 7 + 1 + statements.len() + 1);

    // Another holder cannot reuse the proofs: the bound challenge hashes the holder.
    let mallory = SecretKeys::generate().unwrap();
    let stolen = hazmat::sign(hazmat::parts(&g), &mallory, &challenge).unwrap();
    assert!(stolen
        .verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, keys())
        .is_err());

    // False claims cannot be proven; unsupported statements are typed errors.
    let create = |s: &str, backend| {
        Presentation::create_with(
            &w.company,
            &held,
            &[],
            &[st(s)],
            &challenge,
            backend,
            keys(),
        )
    };
    assert_eq!(
        create("sum(amount) >= 2500000.01", Backend::Groth16).unwrap_err(),
        ProveError::Unsatisfied
    );
    assert_eq!(
        create("amount@3 >= 450000.01", Backend::Groth16).unwrap_err(),
        ProveError::Unsatisfied
    );
    assert!(matches!(
        create("sum(amount) <= 3000000", Backend::Groth16),
        Err(ProveError::Unsupported {
            backend: Backend::Groth16,
            ..
        })
    ));
    assert!(create("sum(amount) <= 3000000", Backend::Bulletproofs).is_ok());
    assert!(matches!(
        create("sum(amount@0,1) >= 1", Backend::Groth16),
        Err(ProveError::NoKey(s)) if s == "sum:2"
    ));
}

#[test]
fn membership_is_groth16_only_with_a_nullifier() {
    let secret = FieldCommitment::from_fr(&causeway::snark::Fr::from(0x5ec7e7u64));
    let mut leaves: Vec<causeway::snark::Fr> = (1..10u64).map(causeway::snark::Fr::from).collect();
    leaves[6] = causeway::statement::identity_leaf(&secret)
        .unwrap()
        .to_fr()
        .unwrap();
    let tree = PoseidonTree::new(&leaves, 4).unwrap();
    let st = MembershipStatement {
        root: FieldCommitment::from_fr(&tree.root()),
        depth: 4,
        nullifier_context: Some(FieldCommitment::from_fr(&causeway::snark::Fr::from(42u64))),
    };
    let witness = MembershipWitness::new(&secret, &tree.path(6).unwrap()).unwrap();
    let challenge = Challenge::random().unwrap();
    let mut rng = rand_core::OsRng;
    assert!(matches!(
        prove_membership(
            Backend::Bulletproofs,
            keys(),
            &st,
            &witness,
            &challenge,
            &mut rng
        ),
        Err(ProveError::Unsupported {
            backend: Backend::Bulletproofs,
            ..
        })
    ));
    let p = prove_membership(
        Backend::Groth16,
        keys(),
        &st,
        &witness,
        &challenge,
        &mut rng,
    )
    .unwrap();
    let n = verify_membership(keys(), &st, &p, &challenge).unwrap();
    assert_eq!(n, p.nullifier);
    // the same member, again: the same nullifier (the verifier refuses the second)
    let p2 = prove_membership(
        Backend::Groth16,
        keys(),
        &st,
        &witness,
        &challenge,
        &mut rng,
    )
    .unwrap();
    assert_eq!(p2.nullifier, n);
    // another challenge, root or nullifier: refused
    assert!(verify_membership(keys(), &st, &p, &Challenge::random().unwrap()).is_err());
    let mut other = st;
    other.root = FieldCommitment::from_fr(&causeway::snark::Fr::from(1u64));
    assert!(verify_membership(keys(), &other, &p, &challenge).is_err());
    let mut forged = p.clone();
    forged.nullifier = Some(FieldCommitment::from_fr(&causeway::snark::Fr::from(7u64)));
    assert!(verify_membership(keys(), &st, &forged, &challenge).is_err());
    // a non-member cannot prove
    let outsider = FieldCommitment::from_fr(&causeway::snark::Fr::from(0xbadu64));
    let w2 = MembershipWitness::new(&outsider, &tree.path(6).unwrap()).unwrap();
    assert_eq!(
        prove_membership(Backend::Groth16, keys(), &st, &w2, &challenge, &mut rng).unwrap_err(),
        ProveError::Unsatisfied
    );
}

#[test]
fn every_bit_flip_of_the_groth16_proofs_is_refused() {
    let w = world();
    let held: Vec<&AttestedRecord> = w.orders.iter().collect();
    let trusted = [w.issuer.public()];
    let challenge = Challenge::random().unwrap();
    let statements = [st("amount@2 >= 550000"), st("sum(amount) >= 2500000")];
    let g = Presentation::create_with(
        &w.company,
        &held,
        &[],
        &statements,
        &challenge,
        Backend::Groth16,
        keys(),
    )
    .unwrap();
    let bytes = g.to_bytes();
    // Anyone but the holder: every single-byte change of the presentation is refused.
    let mut refused = 0;
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x80 >> (i % 8);
        let ok = Presentation::from_bytes(&b).is_ok_and(|p| {
            p.verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, keys())
                .is_ok()
        });
        assert!(!ok, "byte {i}");
        refused += 1;
    }
    // The holder re-signing: every bit of the proofs (key ids and points) flipped is refused
    // by decoding (not a canonical point, another key) or by the pairing check.
    let parts = hazmat::parts(&g);
    let mut by_pairing = 0;
    for proof in 0..statements.len() {
        for byte in 4..164 {
            for bit in 0..8 {
                let mut p = parts.clone();
                p.proofs[2 + proof * 164 + byte] ^= 1 << bit;
                if let Ok(p) = hazmat::sign(p, &w.company, &challenge) {
                    let r = p.verify_with_keys(&trusted, &challenge, NOW, &NoRevocations, keys());
                    assert!(r.is_err(), "proof {proof} byte {byte} bit {bit}");
                    if r == Err(VerifyError::Proof) {
                        by_pairing += 1;
                    }
                }
                refused += 1;
            }
        }
    }
    assert!(refused >= 1000 + bytes.len());
    // Some flips give valid points: those reach the pairing check and fail there.
    assert!(by_pairing > 0);
}

/// Writes a Groth16 presentation's sum-threshold proof, its verifying key and the public input
/// the verifier recomputes in snarkjs's JSON format for `scripts/suites/40-snarkjs.sh`
/// (`presentation-sum4-*.json`), with the public input for another challenge as the false
/// statement snarkjs must refuse.
#[test]
fn exports_a_presentation_proof_for_snarkjs() {
    use causeway::snark;
    let w = world();
    let held: Vec<&AttestedRecord> = w.orders.iter().collect();
    let challenge = Challenge::random().unwrap();
    let g = Presentation::create_with(
        &w.company,
        &held,
        &[],
        &[st("sum(amount) >= 2000000")],
        &challenge,
        Backend::Groth16,
        keys(),
    )
    .unwrap();
    let g = Presentation::from_bytes(&g.to_bytes()).unwrap();
    let vk = keys().verifying_key(&Circuit::Sum(4)).unwrap();
    let publics = g.groth16_public_inputs(&challenge).unwrap();
    assert_eq!(publics.len(), 1);
    assert_eq!(publics[0].0, Circuit::Sum(4));
    let inputs = &publics[0].1;
    let proof = &g.groth16_proofs()[0];
    snark::verify(vk, inputs, proof).unwrap();
    let other = g
        .groth16_public_inputs(&Challenge::random().unwrap())
        .unwrap();
    assert!(snark::verify(vk, &other[0].1, proof).is_err());

    let d = causeway_tests::crate_dir().join("../target/interop/groth16");
    std::fs::create_dir_all(&d).unwrap();
    let w = |name: &str, text: String| std::fs::write(d.join(name), text).unwrap();
    w("presentation-sum4-vk.json", snark::vk_to_snarkjs_json(vk));
    w(
        "presentation-sum4-proof.json",
        snark::proof_to_snarkjs_json(proof),
    );
    w(
        "presentation-sum4-public.json",
        snark::public_to_snarkjs_json(inputs),
    );
    w(
        "presentation-sum4-public-wrong.json",
        snark::public_to_snarkjs_json(&other[0].1),
    );
}

/// issue 11 item 7: membership without a nullifier proves knowledge of the secret behind a leaf.
/// Whoever holds only the public leaves file (each leaf and its path) cannot prove membership;
/// the member, with its secret, can.
#[test]
fn membership_without_nullifier_needs_the_members_secret() {
    let depth = 2u8;
    let shape = Circuit::Membership {
        depth,
        nullifier: false,
    };
    let mut ring = KeyRing::new();
    ring.insert(shape, shape.setup().unwrap());
    let secret = FieldCommitment::from_fr(&causeway::snark::Fr::from(0x5ec7e7u64));
    let mut leaves: Vec<causeway::snark::Fr> = (1..4u64)
        .map(|i| {
            causeway::statement::identity_leaf(&FieldCommitment::from_fr(
                &causeway::snark::Fr::from(i),
            ))
            .unwrap()
            .to_fr()
            .unwrap()
        })
        .collect();
    leaves.insert(
        1,
        causeway::statement::identity_leaf(&secret)
            .unwrap()
            .to_fr()
            .unwrap(),
    );
    let tree = PoseidonTree::new(&leaves, usize::from(depth)).unwrap();
    let st = MembershipStatement {
        root: FieldCommitment::from_fr(&tree.root()),
        depth,
        nullifier_context: None,
    };
    let challenge = Challenge::random().unwrap();
    let mut rng = rand_core::OsRng;
    // The leaves file is all an outsider has: every leaf, with its path, is refused.
    for (i, leaf) in leaves.iter().enumerate() {
        let w = MembershipWitness::new(
            &FieldCommitment::from_fr(leaf),
            &tree.path(i as u64).unwrap(),
        )
        .unwrap();
        assert_eq!(
            prove_membership(Backend::Groth16, &ring, &st, &w, &challenge, &mut rng).unwrap_err(),
            ProveError::Unsatisfied,
            "leaf {i} alone proved membership"
        );
    }
    // The member proves, and the proof verifies only for this challenge.
    let w = MembershipWitness::new(&secret, &tree.path(1).unwrap()).unwrap();
    let p = prove_membership(Backend::Groth16, &ring, &st, &w, &challenge, &mut rng).unwrap();
    assert_eq!(verify_membership(&ring, &st, &p, &challenge).unwrap(), None);
    assert!(verify_membership(&ring, &st, &p, &Challenge::random().unwrap()).is_err());
}

/// Issue 10: `Presentation::groth16_exports` and `ProvenMembership::export` give, per proof,
/// the snarkjs files and the Solidity calldata; each verifies under the verifier's key and is
/// refused with one public input changed. The files go to `target/interop/groth16` for
/// `scripts/suites/40-snarkjs.sh` (real `snarkjs groth16 verify`).
#[test]
fn groth16_exports_for_snarkjs_and_solidity() {
    use causeway::snark::{
        self,
        membership::{Leaves, MemberSecret, ProvenMembership},
        Fr, Groth16Export,
    };
    let d = causeway_tests::crate_dir().join("../target/interop/groth16");
    std::fs::create_dir_all(&d).unwrap();
    let write = |name: &str, e: &Groth16Export| {
        let vk = keys().verifying_key(&e.circuit).unwrap();
        e.check(vk).unwrap();
        let mut wrong = e.clone();
        wrong.public_inputs[0] += Fr::from(1u64);
        assert!(wrong.check(vk).is_err(), "{name}: changed input accepted");
        let calldata = causeway::anchor::verifier::verify_calldata(&e.proof, &e.public_inputs);
        assert_eq!(calldata.len(), 4 + 32 * (8 + 2 + e.public_inputs.len()));
        let w = |suffix: &str, text: String| {
            std::fs::write(d.join(format!("{name}-{suffix}")), text).unwrap()
        };
        w("vk.json", snark::vk_to_snarkjs_json(vk));
        w("proof.json", e.proof_json());
        w("public.json", e.public_json());
        w("public-wrong.json", wrong.public_json());
    };

    // a presentation: one export per statement, bound to the challenge
    let w = world();
    let held: Vec<&AttestedRecord> = w.orders.iter().collect();
    let challenge = Challenge::random().unwrap();
    let g = Presentation::create_with(
        &w.company,
        &held,
        &[],
        &[st("sum(amount) >= 2000000"), st("amount@0 >= 500000")],
        &challenge,
        Backend::Groth16,
        keys(),
    )
    .unwrap();
    let g = Presentation::from_json(&g.to_json().to_string()).unwrap();
    let exports = g.groth16_exports(&challenge).unwrap();
    assert_eq!(
        exports.iter().map(|e| e.circuit).collect::<Vec<_>>(),
        vec![Circuit::Sum(4), Circuit::Attribute]
    );
    for e in g.groth16_exports(&Challenge::random().unwrap()).unwrap() {
        assert!(e.check(keys().verifying_key(&e.circuit).unwrap()).is_err());
    }
    write("export-presentation-sum4", &exports[0]);
    write("export-presentation-attribute", &exports[1]);
    // a Bulletproofs presentation has nothing to export
    let b = Presentation::create_with(
        &w.company,
        &held,
        &[],
        &[st("amount@0 >= 500000")],
        &challenge,
        Backend::Bulletproofs,
        &KeyRing::new(),
    )
    .unwrap();
    assert!(b.groth16_exports(&challenge).unwrap().is_empty());

    // a membership proof with a nullifier, through its JSON
    let me = MemberSecret::random().unwrap();
    let mut leaves: Vec<FieldCommitment> = (1..9u64)
        .map(|i| FieldCommitment::from_fr(&Fr::from(i)))
        .collect();
    leaves.insert(3, me.leaf());
    let tree = Leaves::new(leaves).unwrap().tree(4).unwrap();
    let statement = tree.statement(Some(FieldCommitment::from_fr(&Fr::from(2026u64))));
    let proof = prove_membership(
        Backend::Groth16,
        keys(),
        &statement,
        &tree.witness(&me).unwrap(),
        &challenge,
        &mut rand_core::OsRng,
    )
    .unwrap();
    let m = ProvenMembership::from_json(&ProvenMembership { statement, proof }.to_json()).unwrap();
    // exported under the verifier's own statement (decision 0063), not the JSON's claim
    write(
        "export-membership4n",
        &m.export(&statement, &challenge).unwrap(),
    );
}
