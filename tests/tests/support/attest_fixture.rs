//! Shared fixtures for the attest_* tests.
#![allow(dead_code)]

use causeway::attest::{issue, AttestedRecord, Terms};
use causeway::party::SecretKeys;
use causeway::presentation::{Challenge, Presentation};
use causeway::record::Record;
use causeway::statement::Statement;

pub const NOW: u64 = 1_800_000_000;

pub struct World {
    pub issuer: SecretKeys,
    pub issuer2: SecretKeys,
    pub holder: SecretKeys,
    pub holder2: SecretKeys,
}

impl World {
    pub fn new() -> Self {
        World {
            issuer: SecretKeys::generate().unwrap(),
            issuer2: SecretKeys::generate().unwrap(),
            holder: SecretKeys::generate().unwrap(),
            holder2: SecretKeys::generate().unwrap(),
        }
    }

    pub fn terms(&self) -> Terms {
        Terms {
            subject: self.holder.public().key_id(),
            not_before: NOW - 1000,
            not_after: NOW + 1000,
        }
    }

    /// `causeway::testing::credit_record` (it was a copy here).
    pub fn record() -> Record {
        causeway::testing::credit_record()
    }

    pub fn held(&self) -> AttestedRecord {
        issue(&self.issuer, &Self::record(), &self.terms()).unwrap()
    }

    pub fn held_with(&self, record: &Record) -> AttestedRecord {
        issue(&self.issuer, record, &self.terms()).unwrap()
    }

    pub fn present(
        &self,
        held: &[&AttestedRecord],
        disclose: &[(u16, &str)],
        statements: &[&str],
        challenge: &Challenge,
    ) -> Presentation {
        let n = held.len() as u16;
        let sts: Vec<Statement> = statements
            .iter()
            .map(|s| Statement::parse(s, n).unwrap())
            .collect();
        Presentation::create(&self.holder, held, disclose, &sts, challenge).unwrap()
    }
}

pub fn challenge() -> Challenge {
    Challenge::random().unwrap()
}
