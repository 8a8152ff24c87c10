//! The Bulletproofs back-end: one aggregated range proof for the range kinds and sigma
//! proofs for `=` and `≠`, on the attested Pedersen commitments.

use super::*;

/// Appends a labelled, length-prefixed message.
pub(crate) fn append(t: &mut Transcript, label: &'static [u8], msg: &[u8]) {
    t.append_message(label, msg);
}

fn challenge_scalar(t: &mut Transcript, label: &'static [u8]) -> Scalar {
    let mut b = [0u8; 64];
    t.challenge_bytes(label, &mut b);
    Scalar::from_bytes_mod_order_wide(&b)
}

/// What a statement is about, resolved against attestations.
pub(super) struct Target {
    kind: NumericKind,
    resolved: Resolved,
    pub(super) components: Vec<RangeCommitment>,
    sum: RistrettoPoint,
}

pub(super) fn target(st: &Statement, attestations: &[&Attestation]) -> Result<Target, TermsError> {
    let bad = TermsError::Invalid;
    let terms = resolve_terms(st, attestations)?;
    let kind = terms.kind;
    if st.sum && kind == NumericKind::Date {
        return Err(bad("dates cannot be summed"));
    }
    let resolved = st.predicate.resolve(kind).map_err(|e| bad(e.what()))?;
    // `RangeCommitment::point` cannot fail (checked when built): adding the points after the
    // shared step changes no result
    let mut sum = RistrettoPoint::identity();
    for c in &terms.components {
        sum += c.point().map_err(|_| bad("commitment"))?;
    }
    Ok(Target {
        kind,
        resolved,
        components: terms.components,
        sum,
    })
}

fn bind_statement(t: &mut Transcript, st: &Statement, tg: &Target) {
    let mut b = Vec::with_capacity(96);
    st.encode(&mut b);
    append(t, b"statement", &b);
    let mut r = vec![tg.kind.code(), tg.kind.scale()];
    match tg.resolved {
        Resolved::Range(lo, hi) => {
            r.push(1);
            for x in [lo, hi] {
                match x {
                    Some(v) => {
                        r.push(1);
                        r.extend_from_slice(&v.to_be_bytes());
                    }
                    None => r.push(0),
                }
            }
        }
        Resolved::Equal(c) => {
            r.push(2);
            r.extend_from_slice(&c.to_be_bytes());
        }
        Resolved::NotEqual(c) => {
            r.push(3);
            r.extend_from_slice(&c.to_be_bytes());
        }
    }
    append(t, b"resolved", &r);
    for c in &tg.components {
        append(t, b"commitment", &c.to_bytes());
    }
}

/// The proof of an `=` statement: `(R, s)`, 64 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EqualityProof {
    r: CompressedRistretto,
    s: Scalar,
}

/// The proof of a `≠` statement: `(R, z1, z2)`, 96 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InequalityProof {
    r: CompressedRistretto,
    z1: Scalar,
    z2: Scalar,
}

/// The proofs of a list of statements: one sigma proof per `=`/`≠` statement (in order) and
/// one aggregated range proof for all the range statements.
#[derive(Clone, Debug)]
pub struct StatementProofs {
    equalities: Vec<EqualityProof>,
    inequalities: Vec<InequalityProof>,
    range: Option<AggregateRangeProof>,
}

/// Largest aggregated range proof accepted.
pub const MAX_RANGE_PROOF_LEN: usize = 64 * 1024;

impl StatementProofs {
    /// Canonical bytes: `count u16 | (R, s)… | count u16 | (R, z1, z2)… | range proof (u32 len,
    /// 0 = none)`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.equalities.len() as u16).to_be_bytes());
        for p in &self.equalities {
            out.extend_from_slice(p.r.as_bytes());
            out.extend_from_slice(p.s.as_bytes());
        }
        out.extend_from_slice(&(self.inequalities.len() as u16).to_be_bytes());
        for p in &self.inequalities {
            out.extend_from_slice(p.r.as_bytes());
            out.extend_from_slice(p.z1.as_bytes());
            out.extend_from_slice(p.z2.as_bytes());
        }
        match &self.range {
            Some(p) => crate::encoding::put_bytes_u32(out, &p.to_bytes()),
            None => out.extend_from_slice(&0u32.to_be_bytes()),
        }
    }

    /// Strict decoding (canonical scalars; at most `max` sigma proofs of each kind).
    pub fn decode(r: &mut Reader<'_>, max: usize) -> Result<Self, DecodeError> {
        let n = r.u16()? as usize;
        if n > max {
            return Err(DecodeError::TooLong {
                what: "equality proofs",
                len: n,
                max,
            });
        }
        let mut equalities = Vec::with_capacity(n);
        for _ in 0..n {
            let rr = CompressedRistretto(r.array()?);
            let s = scalar_from_canonical(&r.array()?)?;
            equalities.push(EqualityProof { r: rr, s });
        }
        let n = r.u16()? as usize;
        if n > max {
            return Err(DecodeError::TooLong {
                what: "inequality proofs",
                len: n,
                max,
            });
        }
        let mut inequalities = Vec::with_capacity(n);
        for _ in 0..n {
            let rr = CompressedRistretto(r.array()?);
            let z1 = scalar_from_canonical(&r.array()?)?;
            let z2 = scalar_from_canonical(&r.array()?)?;
            inequalities.push(InequalityProof { r: rr, z1, z2 });
        }
        let b = r.bytes_u32("range proof", MAX_RANGE_PROOF_LEN)?;
        let range = if b.is_empty() {
            None
        } else {
            Some(AggregateRangeProof::from_bytes(b)?)
        };
        Ok(StatementProofs {
            equalities,
            inequalities,
            range,
        })
    }
}

/// Proves `statements` about the holder's attested records on a transcript that already binds
/// the context (challenge, attestations, holder).
pub fn prove_statements<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    held: &[&AttestedRecord],
    statements: &[Statement],
    rng: &mut R,
) -> Result<StatementProofs, ProveError> {
    prove_statements_metered(
        transcript,
        held,
        statements,
        rng,
        &crate::proof::Meter::none(),
    )
}

/// [`prove_statements`] reporting to `meter`: [`crate::proof::ProvePhase::Statement`] per
/// statement, then [`crate::proof::ProvePhase::Range`] (always, also with no range claim).
pub(crate) fn prove_statements_metered<R: RngCore + CryptoRng>(
    transcript: &mut Transcript,
    held: &[&AttestedRecord],
    statements: &[Statement],
    rng: &mut R,
    meter: &crate::proof::Meter<'_>,
) -> Result<StatementProofs, ProveError> {
    let atts: Vec<&Attestation> = held.iter().map(|h| h.attestation()).collect();
    let g = pedersen_gens();
    append(
        transcript,
        b"statements",
        &(statements.len() as u64).to_be_bytes(),
    );
    let mut claims = Vec::new();
    let mut witnesses = Vec::new();
    let mut equalities = Vec::new();
    let mut inequalities = Vec::new();
    for (i, st) in statements.iter().enumerate() {
        meter.statement(u16::try_from(i).unwrap_or(u16::MAX));
        meter.step(crate::proof::ProvePhase::Statement);
        let tg = target(st, &atts)?;
        // the witness: the sum of the values and of the blindings
        let mut value: i128 = 0;
        let mut blinding = Zeroizing::new(Scalar::ZERO);
        for i in &st.attestations {
            let h = held
                .get(usize::from(*i))
                .ok_or(ProveError::InvalidStatement(
                    "attestation index out of range",
                ))?;
            let (_, o) = h
                .range_opening(&st.field)
                .ok_or(ProveError::InvalidStatement(
                    "no numeric field of that name",
                ))?;
            value += i128::from(o.value());
            *blinding += o.blinding();
        }
        let value = i64::try_from(value).map_err(|_| ProveError::OutOfWidth)?;
        if !tg.resolved.holds(value) {
            return Err(ProveError::Unsatisfied);
        }
        bind_statement(transcript, st, &tg);
        match tg.resolved {
            Resolved::Range(lo, hi) => {
                claims.push(RangeClaim {
                    commitment: RangeCommitment::from_point(&tg.sum),
                    lo,
                    hi,
                });
                witnesses.push(RangeWitness {
                    value,
                    blinding: *blinding,
                });
            }
            Resolved::Equal(_) => {
                // C − c·B = r·B_blinding (the holder checked v = c above)
                let k = Zeroizing::new(random_scalar(rng));
                let r_pt = (g.B_blinding * *k).compress();
                append(transcript, b"eq-R", r_pt.as_bytes());
                let e = challenge_scalar(transcript, b"eq-e");
                let s = *k + e * *blinding;
                equalities.push(EqualityProof { r: r_pt, s });
            }
            Resolved::NotEqual(c) => {
                let diff = Zeroizing::new(scalar_from_i64(value) - scalar_from_i64(c));
                let alpha = Zeroizing::new(diff.invert());
                let beta = Zeroizing::new(*alpha * *blinding);
                let d = tg.sum - g.B * scalar_from_i64(c);
                let k1 = Zeroizing::new(random_scalar(rng));
                let k2 = Zeroizing::new(random_scalar(rng));
                let r_pt = (d * *k1 - g.B_blinding * *k2).compress();
                append(transcript, b"ne-R", r_pt.as_bytes());
                let e = challenge_scalar(transcript, b"ne-e");
                inequalities.push(InequalityProof {
                    r: r_pt,
                    z1: *k1 + e * *alpha,
                    z2: *k2 + e * *beta,
                });
            }
        }
    }
    meter.statement(u16::try_from(statements.len()).unwrap_or(u16::MAX));
    meter.step(crate::proof::ProvePhase::Range);
    let range = if claims.is_empty() {
        None
    } else {
        Some(range::prove_with_rng(transcript, &claims, &witnesses, rng)?)
    };
    Ok(StatementProofs {
        equalities,
        inequalities,
        range,
    })
}

/// Verifies [`prove_statements`]' proofs on a transcript that binds the same context.
pub fn verify_statements(
    transcript: &mut Transcript,
    attestations: &[&Attestation],
    statements: &[Statement],
    proofs: &StatementProofs,
) -> Result<(), VerifyError> {
    let g = pedersen_gens();
    append(
        transcript,
        b"statements",
        &(statements.len() as u64).to_be_bytes(),
    );
    let mut claims = Vec::new();
    let mut eqs = proofs.equalities.iter();
    let mut nes = proofs.inequalities.iter();
    for st in statements {
        let tg = target(st, attestations)?;
        bind_statement(transcript, st, &tg);
        match tg.resolved {
            Resolved::Range(lo, hi) => claims.push(RangeClaim {
                commitment: RangeCommitment::from_point(&tg.sum),
                lo,
                hi,
            }),
            Resolved::Equal(c) => {
                let p = eqs.next().ok_or(VerifyError::Proof)?;
                append(transcript, b"eq-R", p.r.as_bytes());
                let e = challenge_scalar(transcript, b"eq-e");
                let r_pt = p.r.decompress().ok_or(VerifyError::Proof)?;
                let d = tg.sum - g.B * scalar_from_i64(c);
                if g.B_blinding * p.s != r_pt + d * e {
                    return Err(VerifyError::Proof);
                }
            }
            Resolved::NotEqual(c) => {
                let p = nes.next().ok_or(VerifyError::Proof)?;
                append(transcript, b"ne-R", p.r.as_bytes());
                let e = challenge_scalar(transcript, b"ne-e");
                let r_pt = p.r.decompress().ok_or(VerifyError::Proof)?;
                let d = tg.sum - g.B * scalar_from_i64(c);
                if d * p.z1 - g.B_blinding * p.z2 != r_pt + g.B * e {
                    return Err(VerifyError::Proof);
                }
            }
        }
    }
    if eqs.next().is_some() || nes.next().is_some() {
        return Err(VerifyError::Proof);
    }
    match (&proofs.range, claims.is_empty()) {
        (None, true) => Ok(()),
        (Some(p), false) => range::verify(transcript, &claims, p).map_err(|_| VerifyError::Proof),
        _ => Err(VerifyError::Proof),
    }
}
