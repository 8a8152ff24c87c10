//! Three parties generate their keys (step 1 of `causeway demo`).
//!
//! Run with `cargo run -p causeway-examples --example parties`.

use causeway_examples::parties::Cast;

fn main() -> Result<(), causeway::Error> {
    let cast = Cast::generate()?;
    for (name, party) in cast.members() {
        println!(
            "{name:<20} key id {}  public key {}",
            party.key_id(),
            party.public().to_text()
        );
    }
    Ok(())
}
