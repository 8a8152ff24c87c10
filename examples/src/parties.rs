//! Step 1 of `causeway demo`: the cast. A bank, a partner and a regulator each generate a
//! party (an Ed25519 signing key and an X25519 encryption key, from the OS).
//!
//! ```
//! use causeway_examples::parties::Cast;
//! let cast = Cast::generate()?;
//! assert_eq!(cast.name(&cast.partner.key_id()), "Harbor Credit");
//! # Ok::<(), causeway::Error>(())
//! ```

use causeway::party::{KeyId, Party};
use causeway::seal::Sealed;

/// The data owner's name.
pub const BANK: &str = "Northwind Bank";
/// The partner's name.
pub const PARTNER: &str = "Harbor Credit";
/// The regulator's name.
pub const REGULATOR: &str = "Financial Regulator";

/// The three parties of the storyline.
pub struct Cast {
    /// The data owner (and, in step 8, the ledger's operator).
    pub bank: Party,
    /// A partner the bank shares with.
    pub partner: Party,
    /// The regulator.
    pub regulator: Party,
}

impl Cast {
    /// Three fresh parties, keys from the OS.
    pub fn generate() -> Result<Cast, causeway::Error> {
        Ok(Cast {
            bank: Party::generate()?,
            partner: Party::generate()?,
            regulator: Party::generate()?,
        })
    }

    /// The parties with their names, in the storyline's order.
    pub fn members(&self) -> [(&'static str, &Party); 3] {
        [
            (BANK, &self.bank),
            (PARTNER, &self.partner),
            (REGULATOR, &self.regulator),
        ]
    }

    /// The name of the party with key id `id` (`"unknown party"` for anyone else).
    pub fn name(&self, id: &KeyId) -> &'static str {
        if *id == self.bank.key_id() {
            BANK
        } else if *id == self.partner.key_id() {
            PARTNER
        } else if *id == self.regulator.key_id() {
            REGULATOR
        } else {
            "unknown party"
        }
    }

    /// The names of a sealed record's recipients, comma-separated.
    pub fn names(&self, sealed: &Sealed) -> String {
        sealed
            .recipients()
            .iter()
            .map(|id| self.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
