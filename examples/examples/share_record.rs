//! Share a customer record with a partner, grant a regulator, revoke the partner.
//!
//! Run with `cargo run -p causeway-examples --example share_record`.

use causeway::party::Party;
use causeway::record::{Record, Value};
use causeway::seal::Sealed;

fn main() -> Result<(), causeway::Error> {
    let bank = Party::generate()?;
    let partner = Party::generate()?;
    let regulator = Party::generate()?;

    let record = Record::new("kyc/customer/v1")?
        .with("credit_score", Value::Int(712))?
        .with("annual_income", Value::decimal("86500.00")?)?
        .with("born", Value::date("1988-06-14")?)?;

    // Seal for the partner (the bank, as owner, is always a recipient too).
    let sealed = Sealed::seal_record(&bank, &[partner.public()], &record)?;
    println!("sealed {} at epoch {}", sealed.record_id(), sealed.epoch());
    println!("as JWE: {} bytes of JSON", sealed.to_jwe_json().len());
    assert_eq!(sealed.open_record(&partner)?, record);

    // Grant the regulator: the content is not re-encrypted, one more key is wrapped.
    let sealed = sealed.grant(&bank, &regulator.public())?;
    assert_eq!(sealed.open_record(&regulator)?, record);

    // Revoke the partner: fresh content key, same record id, epoch + 1.
    let sealed = sealed.revoke(&bank, &partner.key_id())?;
    assert!(sealed.open(&partner).is_err());
    println!(
        "revoked the partner; record {} now at epoch {} for {} recipients",
        sealed.record_id(),
        sealed.epoch(),
        sealed.recipients().len()
    );
    Ok(())
}
