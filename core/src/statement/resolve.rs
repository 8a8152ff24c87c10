//! The one resolve step both back-ends run, in the prover and in the verifier: the check of
//! a statement's terms and their resolution against the attestations.

use super::*;

/// Why the terms of a statement cannot be used (see [`check_terms`]).
pub(crate) enum TermsError {
    /// A malformed statement (maps to `InvalidStatement`).
    Invalid(&'static str),
    /// One record counted twice (maps to `CountedTwice`).
    CountedTwice(&'static str),
}

impl From<TermsError> for ProveError {
    fn from(e: TermsError) -> Self {
        match e {
            TermsError::Invalid(w) => ProveError::InvalidStatement(w),
            TermsError::CountedTwice(w) => ProveError::CountedTwice(w),
        }
    }
}

impl From<TermsError> for VerifyError {
    fn from(e: TermsError) -> Self {
        match e {
            TermsError::Invalid(w) => VerifyError::InvalidStatement(w),
            TermsError::CountedTwice(w) => VerifyError::CountedTwice(w),
        }
    }
}

/// The one check of a statement's terms that both back-ends run, in the prover and in the
/// verifier, before anything is proven or verified: the shape ([`Statement::check_shape`]),
/// and that no two terms of a statement over several attestations are one record counted
/// twice — the same attestation index, the same attestation (id), the same Poseidon record
/// root, the same Pedersen commitment of the field, or the same signed record id
/// ([`crate::attest::RecordId`]). A sum over two or more attestations also needs every term
/// to carry a record id (attestation format 2): a version-1 attestation cannot say whether it
/// is a renewal of another term, so it is refused in such sums (`docs/spec/attestations.md`).
/// The rows of a column statement ([`Statement::all`]) also share one issuer and one schema
/// (decision 0096). Sets, not pairwise comparisons: up to [`MAX_TERMS`] terms.
pub(crate) fn check_terms(st: &Statement, attestations: &[&Attestation]) -> Result<(), TermsError> {
    use std::collections::HashSet;
    st.check_shape(attestations.len())
        .map_err(TermsError::Invalid)?;
    if st.attestations.len() < 2 {
        return Ok(());
    }
    // sets, not pairwise comparisons: a sum or column statement covers up to `MAX_TERMS` rows
    let n = st.attestations.len();
    let mut indices: HashSet<u16> = HashSet::with_capacity(n);
    let mut ids: HashSet<[u8; 32]> = HashSet::with_capacity(n);
    let mut roots: HashSet<[u8; 32]> = HashSet::with_capacity(n);
    let mut commitments: HashSet<[u8; 32]> = HashSet::with_capacity(n);
    let mut record_ids: HashSet<[u8; 32]> = HashSet::with_capacity(n);
    let mut first: Option<&Attestation> = None;
    for i in &st.attestations {
        let a = attestations
            .get(usize::from(*i))
            .copied()
            .ok_or(TermsError::Invalid("attestation index out of range"))?;
        if !indices.insert(*i) {
            return Err(TermsError::CountedTwice("attestation index"));
        }
        if !ids.insert(a.id().0) {
            return Err(TermsError::CountedTwice("attestation"));
        }
        if !roots.insert(a.root().to_bytes()) {
            return Err(TermsError::CountedTwice("record root"));
        }
        if let Some(c) = a.numeric_field(&st.field) {
            if !commitments.insert(c.commitment.to_bytes()) {
                return Err(TermsError::CountedTwice("commitment"));
            }
        }
        if let Some(r) = a.record_id() {
            if !record_ids.insert(r.0) {
                return Err(TermsError::CountedTwice("record id"));
            }
        }
        match first {
            None => first = Some(a),
            Some(f) => {
                if st.all && (f.issuer() != a.issuer() || f.schema() != a.schema()) {
                    return Err(TermsError::Invalid(
                        "the rows of a column statement have one issuer and one schema",
                    ));
                }
            }
        }
    }
    if st.sum && record_ids.len() != n {
        return Err(TermsError::Invalid(
            "a sum over an attestation without a record id (attestation format 1)",
        ));
    }
    Ok(())
}

/// A statement's terms resolved against the attestations: the numeric kind every term shares,
/// the attestation index of each term and its attested Pedersen commitment, in statement order.
pub(crate) struct ResolvedTerms {
    /// The numeric kind (type and scale) of the field in every term.
    pub(crate) kind: NumericKind,
    /// The attestation index of each term.
    pub(crate) indices: Vec<usize>,
    /// The attested Pedersen commitment of the field in each term.
    pub(crate) components: Vec<RangeCommitment>,
}

/// The one resolve step of both back-ends (the Bulletproofs `target` and the Groth16 `plan`
/// ran it twice before): [`check_terms`], then every term's attestation and numeric field,
/// all of one kind. What each back-end does with the kind (dates in sums, the predicate at
/// the field's scale, its circuit) stays with the back-end, in its own order of checks.
pub(crate) fn resolve_terms(
    st: &Statement,
    attestations: &[&Attestation],
) -> Result<ResolvedTerms, TermsError> {
    check_terms(st, attestations)?;
    let bad = TermsError::Invalid;
    let mut kind = None;
    let mut indices = Vec::with_capacity(st.attestations.len());
    let mut components = Vec::with_capacity(st.attestations.len());
    for i in &st.attestations {
        let a = attestations
            .get(usize::from(*i))
            .ok_or(bad("attestation index out of range"))?;
        let nc = a
            .numeric_field(&st.field)
            .ok_or(bad("no numeric field of that name"))?;
        if kind.is_some_and(|k| k != nc.kind) {
            return Err(bad("summed fields have different types or scales"));
        }
        kind = Some(nc.kind);
        indices.push(usize::from(*i));
        components.push(nc.commitment);
    }
    let kind = kind.ok_or(bad("no attestation"))?;
    Ok(ResolvedTerms {
        kind,
        indices,
        components,
    })
}
