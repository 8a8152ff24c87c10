//! Groth16 statements over real attested records (core::attest): the trade-finance sum
//! threshold and an attribute predicate, holder and verifier built by `snark::attested`.

#[path = "support/issuer_company.rs"]
mod issuer_company;
use causeway::attest::issue;
use causeway::record::{Decimal, Record, Value};
use causeway::snark::{self, attested, Fr};
use causeway_circuits::statements::attribute::AttributeCircuit;
use causeway_circuits::statements::sum::SumCircuit;
use causeway_circuits::statements::Predicate;

fn order(amount_units: i64, id: i64) -> Record {
    Record::new("trade/order/v1")
        .unwrap()
        .with(
            "amount",
            Value::Decimal(Decimal::new(amount_units, 2).unwrap()),
        )
        .unwrap()
        .with("order_id", Value::Int(id))
        .unwrap()
}

#[test]
fn trade_finance_sum_threshold_and_attribute() {
    let (issuer, _company, terms) = issuer_company::parties();
    // Four verified orders: 2,500,000.00 in total (units at scale 2).
    let amounts = [90_000_000i64, 60_000_000, 55_000_000, 45_000_000];
    let held: Vec<_> = amounts
        .iter()
        .enumerate()
        .map(|(i, &a)| issue(&issuer, &order(a, i as i64), &terms).unwrap())
        .collect();
    let refs: Vec<_> = held.iter().collect();
    let challenge = Fr::from(0xbadc0ffeu64);
    let pk = snark::setup(SumCircuit::for_setup(4)).unwrap();
    let vk = pk.verifying_key();

    // Holder: sum(amount) >= 2,000,000.00.
    let (public, private) =
        attested::sum_statement(&refs, "amount", 200_000_000, challenge).unwrap();
    let proof = snark::prove(
        &pk,
        SumCircuit {
            public: public.clone(),
            private: Some(private),
        },
    )
    .unwrap();

    // Verifier: rebuilds the public input from the attestations it checked, the field and
    // threshold it asked for, the type tag (decimal, scale 2) and its challenge.
    let atts: Vec<_> = held.iter().map(|h| h.attestation()).collect();
    let tag = 2 | (2 << 8);
    let theirs = attested::sum_public(&atts, "amount", tag, 200_000_000, challenge).unwrap();
    assert_eq!(theirs, public);
    snark::verify(vk, &theirs.inputs(), &proof).unwrap();
    // Another threshold, challenge or field: refused.
    for p in [
        attested::sum_public(&atts, "amount", tag, 200_000_001, challenge).unwrap(),
        attested::sum_public(
            &atts,
            "amount",
            tag,
            200_000_000,
            challenge + Fr::from(1u64),
        )
        .unwrap(),
        attested::sum_public(&atts, "order_id", 1, 200_000_000, challenge).unwrap(),
        attested::sum_public(&atts, "amount", 2, 200_000_000, challenge).unwrap(),
    ] {
        assert!(snark::verify(vk, &p.inputs(), &proof).is_err());
    }
    // The same attestation twice is refused by the verifier's side.
    assert!(attested::sum_public(
        &[atts[0], atts[0], atts[1], atts[2]],
        "amount",
        tag,
        1,
        challenge
    )
    .is_err());
    // The holder cannot prove a threshold above the true total.
    let (public, private) =
        attested::sum_statement(&refs, "amount", 250_000_001, challenge).unwrap();
    assert!(snark::prove(
        &pk,
        SumCircuit {
            public,
            private: Some(private)
        }
    )
    .is_err());

    // Attribute predicate on one order: amount in [500,000.00, 1,000,000.00].
    let apk = snark::setup(AttributeCircuit::for_setup()).unwrap();
    let pred = Predicate::Range {
        lo: 50_000_000,
        hi: 100_000_000,
    };
    let (public, private) =
        attested::attribute_statement(&held[0], "amount", pred, challenge).unwrap();
    let proof = snark::prove(
        &apk,
        AttributeCircuit {
            public,
            private: Some(private),
        },
    )
    .unwrap();
    let theirs =
        attested::attribute_public(held[0].attestation(), "amount", tag, pred, challenge).unwrap();
    snark::verify(apk.verifying_key(), &theirs.inputs().unwrap(), &proof).unwrap();
    let other =
        attested::attribute_public(held[1].attestation(), "amount", tag, pred, challenge).unwrap();
    assert!(snark::verify(apk.verifying_key(), &other.inputs().unwrap(), &proof).is_err());
}
