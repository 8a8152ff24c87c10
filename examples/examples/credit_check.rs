//! A bank checks a customer's attested credit score and income without seeing them (the
//! storyline of step 7 of `causeway demo`; the Python and web examples mirror it).
//!
//! Run with `cargo run -p causeway-examples --example credit_check`.

use causeway_examples::credit_check;

fn main() -> Result<(), causeway::Error> {
    let now = causeway::attest::unix_now()?;
    let check = credit_check::run(now)?;
    println!(
        "the customer presented {} statement(s) in {} bytes, disclosing {} field(s)",
        check.verified.statements().len(),
        check.presentation_len,
        check.verified.disclosed().len()
    );
    for st in check.verified.statements() {
        println!("the bank verified: {st}");
    }
    assert!(check.replay_refused, "a replayed presentation verified");
    println!("refused: the same presentation replayed against a new challenge");
    assert!(check.false_claim_refused, "a false claim was provable");
    println!("refused: a proof of \"{}\"", credit_check::FALSE_CLAIM);
    Ok(())
}
