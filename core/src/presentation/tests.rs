use super::*;

/// Issue 11 item 16: a verified presentation meets a policy only if it proves exactly the
/// required statement (or discloses a satisfying value) from an attestation that counts.
#[test]
fn policy_requires_exactly_what_was_asked() {
    use crate::attest::{issue_with_rng, Terms};
    use crate::test_util::TestRng;
    let mut rng = TestRng::new(21);
    let bureau = SecretKeys::generate_with_rng(&mut rng);
    let dealer = SecretKeys::generate_with_rng(&mut rng);
    let alice = SecretKeys::generate_with_rng(&mut rng);
    let terms = Terms {
        subject: alice.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let credit = crate::record::Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("income", Value::decimal("85000.00").unwrap())
        .unwrap()
        .with("born", Value::date("1990-05-17").unwrap())
        .unwrap();
    let car = crate::record::Record::new("car/v1")
        .unwrap()
        .with("score", Value::Int(900))
        .unwrap();
    let a = issue_with_rng(&bureau, &credit, &terms, &mut rng).unwrap();
    let b = issue_with_rng(&dealer, &car, &terms, &mut rng).unwrap();
    let c = Challenge::random_with_rng(&mut rng);
    let sts = [
        Statement::parse("score >= 700", 2).unwrap(),
        Statement::parse("score@1 in [800, 1000]", 2).unwrap(),
    ];
    let p = Presentation::create_with_rng(
        &alice,
        &[&a, &b],
        &[(0, "income"), (0, "born")],
        &sts,
        &c,
        &mut rng,
    )
    .unwrap();
    let trusted = [bureau.public(), dealer.public()];
    let v = p
        .verify(&trusted, &c, 1, &crate::attest::NoRevocations)
        .unwrap();
    let req = |t: &str| Requirement::parse(t).unwrap();
    let check = |r: Requirement| Policy::new().require(r).check(&v);
    for met in [
        "score >= 700",
        "score >= 700.00",
        "score in [800, 1000]",
        "income >= 50000",
        "income in [80000, 90000.5]",
        "born < 2008-11-21",
    ] {
        assert_eq!(check(req(met)), Ok(()), "{met}");
    }
    for unmet in [
        "score > 699",
        "score >= 750",
        "score >= 699",
        "sum(score) >= 700",
        "income >= 90000",
        "born > 2008-11-21",
        "born >= 1000",
        "limit >= 0",
    ] {
        assert_eq!(
            check(req(unmet)),
            Err(VerifyError::Unmet(unmet.to_owned())),
            "{unmet}"
        );
    }
    let bureau_id = bureau.public().key_id();
    let dealer_id = dealer.public().key_id();
    assert_eq!(
        check(req("score >= 700").from_issuers(&[bureau_id])),
        Ok(())
    );
    assert!(matches!(
        check(req("score >= 700").from_issuers(&[dealer_id])),
        Err(VerifyError::Unmet(m)) if m.contains("issuer")
    ));
    assert!(check(req("score in [800, 1000]").from_issuers(&[bureau_id])).is_err());
    assert_eq!(check(req("score >= 700").with_schema("credit/v1")), Ok(()));
    assert!(check(req("score >= 700").with_schema("car/v1")).is_err());
    // every requirement must hold; the first unmet one is named
    let both = Policy::new()
        .require(req("score >= 700"))
        .require(req("income <= 1000"));
    assert_eq!(
        both.check(&v),
        Err(VerifyError::Unmet("income <= 1000".into()))
    );
    assert_eq!(Policy::new().check(&v), Ok(()));
    assert!(Requirement::parse("score@1 >= 700").is_err());
}

/// Issue 10: the builder takes the holder's `Party` and presents with the key (current or
/// retired) that is the subject; the bare constructors with the current key refuse an
/// attestation issued before a rotation (what the CLI used to work around itself).
#[test]
fn builder_finds_the_subject_key() {
    use crate::attest::{issue_with_rng, NoRevocations, Terms};
    use crate::test_util::TestRng;
    let mut rng = TestRng::new(33);
    let bureau = Party::generate_with_rng(&mut rng);
    let mut alice = Party::generate_with_rng(&mut rng);
    let stranger = Party::generate_with_rng(&mut rng);
    let rec = crate::record::Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("name", Value::String("Alice".into()))
        .unwrap();
    let old = issue_with_rng(
        bureau.keys(),
        &rec,
        &Terms::for_days(alice.key_id(), 0, 1),
        &mut rng,
    )
    .unwrap();
    alice.rotate_with_rng(&mut rng);
    let new = issue_with_rng(
        bureau.keys(),
        &rec,
        &Terms::for_days(alice.key_id(), 0, 1),
        &mut rng,
    )
    .unwrap();
    let c = Challenge::random_with_rng(&mut rng);
    let score = Statement::parse("score >= 700", 1).unwrap();
    for held in [&old, &new] {
        let b = PresentationBuilder::new(&c)
            .attested(held.clone())
            .disclose(DiscloseField::parse("name").unwrap())
            .prove(score.clone());
        assert_eq!(b.attestation_count(), 1);
        let p = b.build_with_rng(&alice, &mut rng).unwrap();
        let v = p
            .verify(&[bureau.public()], &c, 10, &NoRevocations)
            .unwrap();
        assert_eq!(v.subject(), held.attestation().subject());
        assert_eq!(v.statements(), std::slice::from_ref(&score));
        assert_eq!(v.value(0, "name"), Some(&Value::String("Alice".into())));
        // the same presentation from the old constructor with the subject key
        let keys = subject_keys(&alice, std::slice::from_ref(held)).unwrap();
        assert!(Presentation::create(keys, &[held], &[(0, "name")], &[], &c).is_ok());
    }
    // the current key is not the subject of the old attestation
    assert_eq!(
        Presentation::create(alice.keys(), &[&old], &[], &[], &c).err(),
        Some(ProveError::NotSubject)
    );
    // nobody else's keys, and no mix of subjects (one signature binds one holder)
    let err = |b: PresentationBuilder, who: &Party| b.build(who).err();
    let one = PresentationBuilder::new(&c).attested(old.clone());
    assert_eq!(err(one, &stranger), Some(ProveError::NotSubject));
    let mixed = PresentationBuilder::new(&c)
        .attested(old.clone())
        .attested(new.clone());
    assert_eq!(err(mixed, &alice), Some(ProveError::NotSubject));
    assert!(matches!(
        err(PresentationBuilder::new(&c), &alice),
        Some(ProveError::Limit(_))
    ));
    // a disclosure of a missing field, a statement index out of range: refused
    let b = PresentationBuilder::new(&c)
        .attested(new.clone())
        .disclose(DiscloseField::new(0, "income"));
    assert_eq!(err(b, &alice), Some(ProveError::MissingField));
    let b = PresentationBuilder::new(&c)
        .attested(new.clone())
        .disclose(DiscloseField::new(1, "name"));
    assert!(err(b, &alice).is_some());
    // Groth16 without keys: NoKey, not a Bulletproofs proof
    let b = PresentationBuilder::new(&c)
        .attested(new)
        .prove(score)
        .backend(Backend::Groth16);
    assert!(matches!(err(b, &alice), Some(ProveError::NoKey(_))));
}

/// Issue 10: one parser for the disclosure syntax `NAME` / `INDEX:NAME`.
#[test]
fn disclosure_syntax() {
    for (text, index, name) in [
        ("name", 0, "name"),
        (" name ", 0, "name"),
        ("0:name", 0, "name"),
        ("3:annual_income", 3, "annual_income"),
        (" 12 : a.b-c ", 12, "a.b-c"),
        ("65535:x", 65535, "x"),
    ] {
        let d = DiscloseField::parse(text).unwrap();
        assert_eq!(d, DiscloseField::new(index, name), "{text}");
        assert_eq!(d.to_string().parse::<DiscloseField>().unwrap(), d);
    }
    for bad in [
        "",
        ":",
        "1:",
        ":name",
        "x:name",
        "-1:name",
        "65536:name",
        "1:2:name",
        "1:na me",
        "1name:",
        "9abc",
    ] {
        assert!(DiscloseField::parse(bad).is_err(), "{bad:?}");
    }
    let long = "a".repeat(65);
    assert!(DiscloseField::parse(&long).is_err());
}

/// Issue 11 item 15: a disclosure's Merkle path says nothing about the record's shape.
/// Before, fields sat at slots 0..n with zero padding: a small record's paths ended in the
/// roots of empty subtrees and the leaf index was the field's rank.
#[test]
fn disclosure_paths_hide_the_record_shape() {
    use crate::attest::{hazmat as ahz, issue_with_rng, Terms};
    use crate::test_util::TestRng;
    let mut zeros = vec![causeway_circuits::Fr::from(0u64)];
    for h in 0..TREE_DEPTH {
        let z = zeros[h];
        zeros.push(crate::commit::poseidon::hash2(z, z));
    }
    let mut rng = TestRng::new(31);
    let issuer = SecretKeys::generate_with_rng(&mut rng);
    let holder = SecretKeys::generate_with_rng(&mut rng);
    let terms = Terms {
        subject: holder.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let c = Challenge::random_with_rng(&mut rng);
    for n in [1usize, 2, 5, 130, 256] {
        let mut rec = crate::record::Record::new("shape/v1").unwrap();
        for i in 0..n {
            rec.insert(&format!("f{i:03}"), Value::Int(i as i64))
                .unwrap();
        }
        let new = issue_with_rng(&issuer, &rec, &terms, &mut rng).unwrap();
        let old = ahz::issue_format1_with_rng(&issuer, &rec, &terms, &mut rng).unwrap();
        let held = AttestedRecord::from_bytes(&new.to_bytes()).unwrap();
        for (h, hides) in [(&held, true), (&old, false)] {
            let p = Presentation::create_with_rng(&holder, &[h], &[(0, "f000")], &[], &c, &mut rng)
                .unwrap();
            p.verify(&[issuer.public()], &c, 1, &crate::attest::NoRevocations)
                .unwrap();
            let d = &hazmat::parts(&p).disclosures[0];
            let empty = d
                .path
                .siblings
                .iter()
                .enumerate()
                .any(|(h, s)| *s == zeros[h]);
            if hides {
                assert!(!empty, "{n} fields: a sibling is an empty subtree");
            } else {
                assert_eq!(d.path.index, 0);
                // field 0's path crosses an empty subtree unless slots 128.. are used
                assert_eq!(empty, n <= 128, "{n} fields, format 1");
            }
        }
    }
    // the first field sits at a slot that varies with the layout, not at 0
    assert!(indices_vary(&mut rng, &issuer, &holder, &terms));
}

fn indices_vary(
    rng: &mut crate::test_util::TestRng,
    issuer: &SecretKeys,
    holder: &SecretKeys,
    terms: &crate::attest::Terms,
) -> bool {
    let rec = crate::record::Record::new("shape/v1")
        .unwrap()
        .with("a", Value::Int(1))
        .unwrap();
    let c = Challenge::random_with_rng(rng);
    let idx: std::collections::BTreeSet<u64> = (0..8)
        .map(|_| {
            let h = crate::attest::issue_with_rng(issuer, &rec, terms, rng).unwrap();
            let p =
                Presentation::create_with_rng(holder, &[&h], &[(0, "a")], &[], &c, rng).unwrap();
            hazmat::parts(&p).disclosures[0].path.index
        })
        .collect();
    idx.len() > 1
}

/// Decision 0055: the typed JSON views render one JSON (serde, `Display`, `to_json_string`),
/// their fields say what the bytes say, and a summary edited to differ from the bytes (a
/// changed disclosed value, statement or holder) is refused by `from_json`.
#[test]
fn json_views_are_one_rendering_and_bound_to_the_bytes() {
    use crate::attest::{issue_with_rng, NoRevocations, Terms};
    use crate::test_util::TestRng;
    let mut rng = TestRng::new(55);
    let bureau = SecretKeys::generate_with_rng(&mut rng);
    let alice = SecretKeys::generate_with_rng(&mut rng);
    let terms = Terms {
        subject: alice.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let rec = crate::record::Record::new("credit/v1")
        .unwrap()
        .with("score", Value::Int(742))
        .unwrap()
        .with("name", Value::String("Alice".into()))
        .unwrap();
    let held = issue_with_rng(&bureau, &rec, &terms, &mut rng).unwrap();
    let c = Challenge::random_with_rng(&mut rng);
    let st = Statement::parse("score >= 700", 1).unwrap();
    let p = Presentation::create_with_rng(&alice, &[&held], &[(0, "name")], &[st], &c, &mut rng)
        .unwrap();
    let view = p.to_json();
    let text = p.to_json_string();
    assert_eq!(view.to_string(), text);
    assert_eq!(serde_json::to_string(&view).unwrap(), text);
    assert_eq!(view.version, PRESENTATION_VERSION);
    assert_eq!(view.backend, Backend::Bulletproofs);
    assert_eq!(view.holder.key_id(), alice.public().key_id());
    assert_eq!(view.attestations[0].id, held.attestation().id());
    assert_eq!(view.attestations[0].root, held.attestation().root());
    assert_eq!(view.disclosed[0].value, Value::String("Alice".into()));
    assert_eq!(view.statements[0].to_string(), "score >= 700");
    assert_eq!(view.bytes, p.to_bytes());
    assert_eq!(
        Presentation::from_json(&text).unwrap().to_bytes(),
        p.to_bytes()
    );
    for (from, to) in [
        ("\"Alice\"", "\"Mallory\""),
        ("score >= 700", "score >= 800"),
        ("\"bulletproofs\"", "\"groth16\""),
    ] {
        assert!(text.contains(from), "{from}");
        let edited = text.replace(from, to);
        assert!(Presentation::from_json(&edited).is_err(), "{to}");
    }
    let v = p.verify(&[bureau.public()], &c, 1, &NoRevocations).unwrap();
    let vj = v.to_json();
    assert_eq!(vj.to_string(), v.to_json_string());
    assert_eq!(serde_json::to_string(&vj).unwrap(), v.to_json_string());
    assert_eq!(vj.subject, alice.public().key_id());
    assert_eq!(vj.disclosed, v.disclosed());
    assert_eq!(vj.statements, v.statements());
}

/// Issue 13 (decision 0088): `create_with_progress_rng` reports every stage in order, with a
/// fixed total and `done` counting up to it, and makes the same bytes as the call without an
/// observer; a failing call never reports `Done`.
#[test]
fn progress_reports_every_stage_in_order_and_changes_no_byte() {
    use crate::attest::{issue_with_rng, Terms};
    use crate::proof::{Progress, ProvePhase};
    use crate::snark::Circuit;
    use crate::test_util::TestRng;
    use std::cell::RefCell;
    let mut rng = TestRng::new(88);
    let bank = SecretKeys::generate_with_rng(&mut rng);
    let alice = SecretKeys::generate_with_rng(&mut rng);
    let terms = Terms {
        subject: alice.public().key_id(),
        not_before: 0,
        not_after: u64::MAX,
    };
    let record = crate::record::Record::new("customer/v1")
        .unwrap()
        .with("age", Value::Int(34))
        .unwrap()
        .with("income", Value::Int(85_000))
        .unwrap()
        .with("name", Value::String("Alice".into()))
        .unwrap();
    let held = issue_with_rng(&bank, &record, &terms, &mut rng).unwrap();
    let c = Challenge::random_with_rng(&mut rng);
    let sts = [
        Statement::parse("age >= 18", 1).unwrap(),
        Statement::parse("income != 0", 1).unwrap(),
    ];
    let mut keys = KeyRing::new();
    keys.insert(
        Circuit::Attribute,
        Circuit::Attribute.setup_with_rng(&mut rng).unwrap(),
    );
    let disclose = [(0u16, "name")];
    for backend in [Backend::Bulletproofs, Backend::Groth16] {
        let seen: RefCell<Vec<Progress>> = RefCell::new(Vec::new());
        let with = Presentation::create_with_progress_rng(
            &alice,
            (&[&held], &disclose, &sts),
            &c,
            (backend, &keys),
            &mut TestRng::new(7),
            &|p| seen.borrow_mut().push(p),
        )
        .unwrap();
        let without = Presentation::create_with_backend_rng(
            &alice,
            &[&held],
            &disclose,
            &sts,
            &c,
            (backend, &keys),
            &mut TestRng::new(7),
        )
        .unwrap();
        assert_eq!(with.to_bytes(), without.to_bytes(), "{backend}");
        with.verify_with_keys(
            &[bank.public()],
            &c,
            1,
            &crate::attest::NoRevocations,
            &keys,
        )
        .unwrap();
        // the expected sequence: (phase, statement)
        let mut expected: Vec<(ProvePhase, u16)> = Vec::new();
        match backend {
            Backend::Groth16 => {
                for i in 0..2 {
                    expected.extend(ProvePhase::GROTH16.iter().map(|p| (*p, i)));
                }
            }
            _ => {
                expected.extend([(ProvePhase::Statement, 0), (ProvePhase::Statement, 1)]);
                expected.push((ProvePhase::Range, 2));
            }
        }
        expected.extend([(ProvePhase::Sign, 2), (ProvePhase::Done, 2)]);
        let seen = seen.into_inner();
        let got: Vec<(ProvePhase, u16)> = seen.iter().map(|p| (p.phase, p.statement)).collect();
        assert_eq!(got, expected, "{backend}");
        let total = u32::try_from(expected.len() - 1).unwrap();
        for (i, p) in seen.iter().enumerate() {
            assert_eq!(p.done, u32::try_from(i).unwrap(), "{backend} {i}");
            assert_eq!(p.total, total, "{backend}");
            assert_eq!(p.statements, 2);
        }
        assert_eq!(seen.last().unwrap().done, total);
        // no observer at all: the plain call reports nothing and makes the same bytes (above);
        // a statement that does not hold fails without reporting Done
        let seen: RefCell<Vec<Progress>> = RefCell::new(Vec::new());
        let bad = [
            Statement::parse("age >= 18", 1).unwrap(),
            Statement::parse("age >= 40", 1).unwrap(),
        ];
        let e = Presentation::create_with_progress_rng(
            &alice,
            (&[&held], &[], &bad),
            &c,
            (backend, &keys),
            &mut TestRng::new(7),
            &|p| seen.borrow_mut().push(p),
        )
        .unwrap_err();
        assert_eq!(e, ProveError::Unsatisfied, "{backend}");
        let seen = seen.into_inner();
        assert!(seen
            .iter()
            .all(|p| p.phase != ProvePhase::Done && p.phase != ProvePhase::Sign));
        if backend == Backend::Groth16 {
            // the first statement was proven (eight stages), the second refused before its own
            assert_eq!(seen.len(), 8, "{seen:?}");
            assert!(seen.iter().all(|p| p.statement == 0));
        } else {
            assert_eq!(seen.len(), 2, "{seen:?}");
            assert_eq!(seen[1].statement, 1);
        }
    }
}

/// The text forms of the phases are distinct and stable (the bindings report them).
#[test]
fn progress_phase_names() {
    use crate::proof::ProvePhase;
    let names: Vec<&str> = ProvePhase::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(
        names,
        [
            "statement",
            "range",
            "witness",
            "quotient",
            "msm-h",
            "msm-l",
            "msm-a",
            "msm-b1",
            "msm-b2",
            "check",
            "sign",
            "done"
        ]
    );
}
