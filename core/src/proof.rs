//! The bottom of the prove path: the two proof back-ends ([`Backend`]) and the verifier's
//! [`Challenge`] that every proof binds (DESIGN.md: a **proof** is evidence for a statement,
//! with two back-ends and one meaning).
//!
//! This module imports nothing from the rest of the crate, so that [`crate::error`] can name a
//! [`Backend`] in its variants and [`crate::statement`], [`crate::presentation`] and
//! [`crate::snark`] can share these types without importing each other (decision 0045). The
//! old paths `statement::Backend` and `presentation::Challenge` re-export them. The fallible
//! constructors of [`Challenge`] ([`Challenge::from_hex`], [`Challenge::from_bytes`],
//! [`Challenge::random`]) are written in [`crate::presentation`], next to the error types they
//! return.
//!
//! ```
//! use causeway::proof::{Backend, Challenge};
//!
//! let backend: Backend = "groth16".parse()?;
//! assert_eq!(backend, Backend::Groth16);
//! assert_eq!(backend.to_string(), "groth16");
//! let challenge = Challenge::from_hex("00112233445566778899aabbccddeeff")?;
//! assert_eq!(challenge.as_bytes().len(), 16);
//! # Ok::<(), causeway::error::DecodeError>(())
//! ```

use core::fmt;
use rand_core::{CryptoRng, RngCore};

/// Shortest challenge accepted (bytes).
pub const MIN_CHALLENGE_LEN: usize = 16;
/// Longest challenge accepted (bytes).
pub const MAX_CHALLENGE_LEN: usize = 64;

/// The proof system a statement is proven with: one statement, either way.
///
/// | statement | Bulletproofs | Groth16 |
/// |---|---|---|
/// | range, `≥`, `≤`, `>`, `<` on one field | aggregated range proof | `attribute` circuit |
/// | `=`, `≠` on one field | Schnorr proofs | `attribute` circuit |
/// | `sum ≥ t`, `sum > t` over k attestations | Pedersen sum + range proof | `sum:k` circuit |
/// | `sum ≤ t`, sum in a range, `sum = t`, `sum ≠ t` | yes | refused (`ProveError::Unsupported`) |
/// | membership in a Poseidon Merkle tree | refused | `membership:D[:nullifier]` circuit |
///
/// Bulletproofs need no setup and prove on the attestation's Pedersen commitments; Groth16
/// proves on its Poseidon root with keys from a trusted setup (`snark::KeyRing`):
/// 164-byte proofs that verify in about a millisecond and on an EVM chain.
///
/// Text form (`Display` / `FromStr`): `bulletproofs`, `groth16`, the same words as the CLI's
/// `--backend`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// Bulletproofs and sigma proofs over Ristretto (no trusted setup).
    Bulletproofs,
    /// Groth16 over BN254 (per-circuit trusted setup).
    Groth16,
}

impl Backend {
    /// Every back-end, in the order the CLI lists them.
    pub const ALL: [Backend; 2] = [Backend::Bulletproofs, Backend::Groth16];

    /// The text form (`bulletproofs`, `groth16`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Backend::Bulletproofs => "bulletproofs",
            Backend::Groth16 => "groth16",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The verifier's fresh random challenge (16 to 64 bytes). Issue a new one per presentation
/// or membership proof: every proof binds it, so a proof made for one challenge does not
/// verify under another (no replay).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Challenge(pub(crate) Vec<u8>);

impl fmt::Debug for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Challenge({})", hex::encode(&self.0))
    }
}

impl fmt::Display for Challenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl Challenge {
    /// 32 random bytes from `rng`.
    pub fn random_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> Self {
        let mut b = vec![0u8; 32];
        rng.fill_bytes(&mut b);
        Challenge(b)
    }
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// A stage of proving, as [`Progress`] reports it.
///
/// A Groth16 proof passes [`Witness`](Self::Witness), [`Quotient`](Self::Quotient), the five
/// MSMs ([`MsmH`](Self::MsmH) … [`MsmB2`](Self::MsmB2)) and [`Check`](Self::Check), in that
/// order (eight steps; with rayon's threads the quotient and the five MSMs run side by side,
/// and `MsmH` … `MsmB2` are reported together as they begin, decision 0123); a Bulletproofs
/// presentation passes [`Statement`](Self::Statement) once
/// per statement and then [`Range`](Self::Range); a presentation ends with [`Sign`](Self::Sign)
/// and [`Done`](Self::Done).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProvePhase {
    /// Bulletproofs: one statement's commitment sum and its sigma proof (`=`, `≠`).
    Statement,
    /// Bulletproofs: the one aggregated range proof over every range statement (nothing to
    /// prove when no statement is a range).
    Range,
    /// Groth16: synthesising the witness (under a key loaded from bytes, with the circuit's own
    /// rows, its Poseidon constraints recorded: decisions 0130, 0132, 0134).
    Witness,
    /// Groth16: the QAP quotient (FFTs) with the satisfaction check.
    Quotient,
    /// Groth16: the G1 MSM over the quotient (`h` query).
    MsmH,
    /// Groth16: the G1 MSM over the private witness (`l` query).
    MsmL,
    /// Groth16: the G1 MSM of `A`.
    MsmA,
    /// Groth16: the G1 MSM of `B` (only `C` uses it).
    MsmB1,
    /// Groth16: the G2 MSM of `B` (the costliest MSM).
    MsmB2,
    /// Groth16: the proof's self-check under the key's own verifying key (one pairing check).
    Check,
    /// The holder signs the presentation.
    Sign,
    /// Finished: `done == total`.
    Done,
}

impl ProvePhase {
    /// Every phase, in the order a proof passes them.
    pub const ALL: [ProvePhase; 12] = [
        ProvePhase::Statement,
        ProvePhase::Range,
        ProvePhase::Witness,
        ProvePhase::Quotient,
        ProvePhase::MsmH,
        ProvePhase::MsmL,
        ProvePhase::MsmA,
        ProvePhase::MsmB1,
        ProvePhase::MsmB2,
        ProvePhase::Check,
        ProvePhase::Sign,
        ProvePhase::Done,
    ];

    /// The phases of one Groth16 proof, in order.
    pub const GROTH16: [ProvePhase; 8] = [
        ProvePhase::Witness,
        ProvePhase::Quotient,
        ProvePhase::MsmH,
        ProvePhase::MsmL,
        ProvePhase::MsmA,
        ProvePhase::MsmB1,
        ProvePhase::MsmB2,
        ProvePhase::Check,
    ];

    /// The text form the bindings report (`statement`, `range`, `witness`, `quotient`,
    /// `msm-h`, `msm-l`, `msm-a`, `msm-b1`, `msm-b2`, `check`, `sign`, `done`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ProvePhase::Statement => "statement",
            ProvePhase::Range => "range",
            ProvePhase::Witness => "witness",
            ProvePhase::Quotient => "quotient",
            ProvePhase::MsmH => "msm-h",
            ProvePhase::MsmL => "msm-l",
            ProvePhase::MsmA => "msm-a",
            ProvePhase::MsmB1 => "msm-b1",
            ProvePhase::MsmB2 => "msm-b2",
            ProvePhase::Check => "check",
            ProvePhase::Sign => "sign",
            ProvePhase::Done => "done",
        }
    }
}

impl fmt::Display for ProvePhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One progress report of a long proving call: `phase` begins now, `done` of `total` steps
/// have finished (every step counts one, whatever it costs: steps, not time). `total` is fixed
/// for the whole call and `done` never decreases; the last report is [`ProvePhase::Done`] with
/// `done == total`. `statement` is the index of the statement being proven (of `statements`;
/// equal to `statements` after the last one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Progress {
    /// The stage that begins.
    pub phase: ProvePhase,
    /// The statement being proven (0-based).
    pub statement: u16,
    /// How many statements the call proves.
    pub statements: u16,
    /// Steps finished.
    pub done: u32,
    /// Steps in the whole call.
    pub total: u32,
}

/// Counts the steps of one proving call and reports them to an observer. Unused (`None`), it
/// costs a branch per step.
pub(crate) struct Meter<'a> {
    on: Option<&'a dyn Fn(Progress)>,
    statement: core::cell::Cell<u16>,
    statements: u16,
    done: core::cell::Cell<u32>,
    total: u32,
}

impl<'a> Meter<'a> {
    /// A meter that reports nothing.
    pub(crate) fn none() -> Meter<'static> {
        Meter {
            on: None,
            statement: core::cell::Cell::new(0),
            statements: 0,
            done: core::cell::Cell::new(0),
            total: 0,
        }
    }

    /// A meter for `statements` statements and `total` steps.
    pub(crate) fn new(on: &'a dyn Fn(Progress), statements: u16, total: u32) -> Meter<'a> {
        Meter {
            on: Some(on),
            statement: core::cell::Cell::new(0),
            statements,
            done: core::cell::Cell::new(0),
            total,
        }
    }

    /// Statement `i` begins.
    pub(crate) fn statement(&self, i: u16) {
        self.statement.set(i);
    }

    /// `phase` begins: reports it, then counts it as a step.
    pub(crate) fn step(&self, phase: ProvePhase) {
        if let Some(on) = self.on {
            on(Progress {
                phase,
                statement: self.statement.get(),
                statements: self.statements,
                done: self.done.get(),
                total: self.total,
            });
            self.done.set(self.done.get().saturating_add(1));
        }
    }

    /// The call finished: reports [`ProvePhase::Done`] with every step counted.
    pub(crate) fn finish(&self) {
        if let Some(on) = self.on {
            on(Progress {
                phase: ProvePhase::Done,
                statement: self.statements,
                statements: self.statements,
                done: self.done.get(),
                total: self.total,
            });
        }
    }
}
