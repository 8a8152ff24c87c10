//! Share a customer record with a partner, grant a regulator, revoke the partner, and see a
//! changed bit refused (steps 2–6 of `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example share_record`.

use causeway_examples::parties::Cast;
use causeway_examples::{share_record, StepError};

fn main() -> Result<(), StepError> {
    let cast = Cast::generate()?;
    let record = share_record::customer_record()?;

    // Seal for the partner (the bank, as owner, is always a recipient too).
    let v0 = share_record::seal(&cast, &record)?;
    println!(
        "sealed {} at epoch {} for {}",
        v0.record_id(),
        v0.epoch(),
        cast.names(&v0)
    );
    println!("as JWE: {} bytes of JSON", v0.to_jwe_json().len());
    let opened = share_record::open(&cast, &record, &v0)?;
    println!("the regulator is refused: {}", opened.regulator_refused);

    // Grant the regulator: the content is not re-encrypted, one more key is wrapped.
    let v0g = share_record::grant(&cast, &record, &v0)?;
    println!("granted; recipients: {}", cast.names(&v0g));

    // Revoke the partner: fresh content key, same record id, epoch + 1.
    let v1 = share_record::revoke(&cast, &record, &v0g)?;
    println!(
        "revoked the partner; record {} now at epoch {} for {}; the partner is refused: {}",
        v1.sealed.record_id(),
        v1.sealed.epoch(),
        cast.names(&v1.sealed),
        v1.partner_refused
    );

    // One flipped bit: nothing is released.
    println!(
        "one flipped bit: {}",
        share_record::tamper(&cast, &v1.sealed)?
    );
    Ok(())
}
