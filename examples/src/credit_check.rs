//! The credit-check storyline (step 7 of `causeway demo`).
//!
//! A credit bureau attests a customer's record (credit score, income, name); the bank issues a
//! challenge; the customer proves "credit score ≥ 700" and "income in [50 000, 120 000]"
//! without disclosing either; the bank verifies, requiring exactly those two statements from
//! the bureau; a replay against a new challenge and a proof of a false claim
//! (`credit_score >= 800`) are refused.
//!
//! ```
//! let check = causeway_examples::credit_check::run(causeway::attest::unix_now()?)?;
//! assert_eq!(check.verified.statements().len(), 2);
//! assert!(check.replay_refused && check.false_claim_refused);
//! # Ok::<(), causeway::Error>(())
//! ```

use causeway::attest::{issue, NoRevocations, Terms};
use causeway::error::{ProveError, VerifyError};
use causeway::party::Party;
use causeway::presentation::{
    Challenge, Policy, Presentation, PresentationBuilder, Requirement, Verified,
};
use causeway::record::{Record, Value};
use causeway::statement::Statement;

/// What the customer proves.
pub const STATEMENTS: [&str; 2] = ["credit_score >= 700", "annual_income in [50000, 120000]"];

/// The false claim that must not be provable (the score is below 800).
pub const FALSE_CLAIM: &str = "credit_score >= 800";

/// The outcome of [`run`].
#[derive(Clone, Debug)]
pub struct CreditCheck {
    /// What the bank established.
    pub verified: Verified,
    /// Size of the presentation's canonical bytes.
    pub presentation_len: usize,
    /// Whether replaying the presentation against a fresh challenge was refused.
    pub replay_refused: bool,
    /// Whether a presentation for a false claim ([`FALSE_CLAIM`]) could be built (it must not).
    pub false_claim_refused: bool,
}

/// The customer record of the storyline: credit score 742, income 85 000.00, a name.
pub fn customer_record() -> Result<Record, causeway::Error> {
    Ok(Record::new("credit-report/v1")?
        .with("credit_score", Value::Int(742))?
        .with("annual_income", Value::decimal("85000.00")?)?
        .with("name", Value::String("Alice Example".into()))?)
}

/// The storyline with fresh parties (keys from the OS) and [`customer_record`], at `now`
/// (Unix seconds).
pub fn run(now: u64) -> Result<CreditCheck, causeway::Error> {
    let bureau = Party::generate()?;
    let customer = Party::generate()?;
    run_with(&bureau, &customer, &customer_record()?, now)
}

/// [`run`] with the caller's parties and record (which must have an int `credit_score` and a
/// numeric `annual_income` that satisfy [`STATEMENTS`]).
pub fn run_with(
    bureau: &Party,
    customer: &Party,
    record: &Record,
    now: u64,
) -> Result<CreditCheck, causeway::Error> {
    // 1. The bureau attests the record for the customer: valid from yesterday, for a year.
    let terms = Terms::for_days(customer.key_id(), now.saturating_sub(86_400), 366);
    let held = issue(bureau.keys(), record, &terms)?;

    // 2. The bank issues a challenge; the customer proves the two statements, disclosing
    //    nothing.
    let challenge = Challenge::random()?;
    let mut builder = PresentationBuilder::new(&challenge).attested(held.clone());
    for s in STATEMENTS {
        builder = builder.prove(Statement::parse(s, 1)?);
    }
    let bytes = builder.build(customer)?.to_bytes();

    // 3. The bank decodes and verifies it against the bureau, and requires exactly what it
    //    asked for, from the bureau.
    let p = Presentation::from_bytes(&bytes)?;
    let trusted = [bureau.public()];
    let verified = p.verify(&trusted, &challenge, now, &NoRevocations)?;
    let mut policy = Policy::new();
    for s in STATEMENTS {
        policy = policy.require(Requirement::parse(s)?.from_issuers(&[bureau.key_id()]));
    }
    policy.check(&verified)?;

    // 4. A replay against another challenge is refused; a false claim cannot be proven.
    // Each refusal must be the specific one the storyline is about (any other error, say a
    // malformed presentation, would not show what the storyline claims).
    let replay_refused = matches!(
        p.verify(&trusted, &Challenge::random()?, now, &NoRevocations),
        Err(VerifyError::BadSignature)
    );
    let false_claim_refused = matches!(
        PresentationBuilder::new(&challenge)
            .attested(held)
            .prove(Statement::parse(FALSE_CLAIM, 1)?)
            .build(customer),
        Err(ProveError::Unsatisfied)
    );
    Ok(CreditCheck {
        verified,
        presentation_len: bytes.len(),
        replay_refused,
        false_claim_refused,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Moved from `causeway::presentation` (`credit_check_scenario`), assertions unchanged.
    #[test]
    fn credit_check_scenario() {
        let c = run(1_800_000_000).unwrap();
        assert!(c.replay_refused);
        assert!(c.false_claim_refused);
        assert_eq!(c.verified.statements().len(), 2);
        assert!(c.verified.disclosed().is_empty());
    }

    /// The storyline works for a customer who rotated keys after the attestation (the
    /// builder presents with the retired key that is the subject).
    #[test]
    fn a_rotated_customer_still_presents() {
        let bureau = Party::generate().unwrap();
        let mut customer = Party::generate().unwrap();
        let record = customer_record().unwrap();
        let now = 1_800_000_000;
        let terms = Terms::for_days(customer.key_id(), now - 86_400, 366);
        let held = issue(bureau.keys(), &record, &terms).unwrap();
        customer.rotate().unwrap();
        let challenge = Challenge::random().unwrap();
        let p = PresentationBuilder::new(&challenge)
            .attested(held)
            .prove(Statement::parse(STATEMENTS[0], 1).unwrap())
            .build(&customer)
            .unwrap();
        let v = p
            .verify(&[bureau.public()], &challenge, now, &NoRevocations)
            .unwrap();
        assert_eq!(v.subject(), p.holder().key_id());
        assert_ne!(v.subject(), customer.key_id());
    }
}
