//! Shared fixtures for the attest_* tests.
#![allow(dead_code)]

use causeway::attest::{issue, AttestedRecord, Terms};
use causeway::party::SecretKeys;
use causeway::presentation::{Challenge, Presentation};
use causeway::record::{Record, Value};
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

    pub fn record() -> Record {
        Record::new("credit/v1")
            .unwrap()
            .with("score", Value::Int(742))
            .unwrap()
            .with("limit", Value::Int(5000))
            .unwrap()
            .with("income", Value::decimal("85000.00").unwrap())
            .unwrap()
            .with("dob", Value::date("1990-05-17").unwrap())
            .unwrap()
            .with("name", Value::String("Alice Example".into()))
            .unwrap()
            .with("verified", Value::Bool(true))
            .unwrap()
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
