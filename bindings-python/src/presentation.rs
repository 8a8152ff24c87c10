//! Challenges, presentations (both back-ends) and the verified result, over
//! `causeway::presentation`.

use crate::attest::{
    now_arg, public_keys_list, revocation_check, revocation_lists, statements_arg, PyAttestation,
    PyAttestedRecord, PyStatement,
};
use crate::convert::{bytes_arg, U16, U64};
use crate::errors::{cw, guard};
use crate::party::{PyParty, PyPublicKeys};
use crate::record::value_to_py;
use crate::render;
use crate::snark::{PyGroth16Export, PyKeyRing};
use causeway::presentation::{
    Challenge, DiscloseField, Policy, Presentation, PresentationBuilder, Requirement, Verified,
    MAX_ATTESTATIONS, MAX_DISCLOSURES,
};
use causeway::snark::statements::statement_circuits;
use causeway::snark::KeyRing;
use causeway::statement::Backend;
use causeway::wire::decode_any;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

/// A challenge from `bytes` (16 to 64) or hex text.
pub(crate) fn challenge_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Challenge> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Challenge::from_hex(&s.to_cow()?).map_err(|e| cw(py, e));
    }
    let b = bytes_arg(obj, "challenge", false)?;
    Challenge::from_bytes(b.as_slice()).map_err(|e| cw(py, e))
}

/// `"bulletproofs"` or `"groth16"`.
pub(crate) fn backend_arg(s: &str) -> PyResult<Backend> {
    match s {
        "bulletproofs" => Ok(Backend::Bulletproofs),
        "groth16" => Ok(Backend::Groth16),
        _ => Err(PyValueError::new_err(
            "backend must be \"bulletproofs\" or \"groth16\"",
        )),
    }
}

/// A fresh random challenge (32 bytes from the OS), for a verifier to send to a holder.
#[pyfunction]
pub(crate) fn new_challenge<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
    let c = Challenge::random().map_err(|e| cw(py, e))?;
    let hex = c.to_string();
    let b = hex::decode(hex).map_err(|_| PyValueError::new_err("challenge"))?;
    Ok(PyBytes::new(py, &b))
}

/// A holder's presentation: attestations, disclosed fields, proven statements, signed for the
/// verifier's challenge. Public (it holds no secret of the holder's).
#[pyclass(name = "Presentation", module = "causeway", frozen)]
pub(crate) struct PyPresentation(pub(crate) Presentation);

/// Builds a presentation as `holder` from its attested records for the verifier's
/// `challenge`: fields to `disclose` (`"name"` or `"1:income"`) and statements to `prove`
/// (`Statement` or text), with `backend` `"bulletproofs"` or `"groth16"` (which needs a
/// `KeyRing` holding proving keys for the statements' circuits).
#[pyfunction]
#[pyo3(signature = (*, holder, attested, challenge, disclose = None, prove = None, backend = "bulletproofs", keys = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn present(
    py: Python<'_>,
    holder: PyRef<'_, PyParty>,
    attested: &Bound<'_, PyAny>,
    challenge: &Bound<'_, PyAny>,
    disclose: Option<&Bound<'_, PyAny>>,
    prove: Option<&Bound<'_, PyAny>>,
    backend: &str,
    keys: Option<PyRef<'_, PyKeyRing>>,
) -> PyResult<PyPresentation> {
    let backend = backend_arg(backend)?;
    let challenge = challenge_arg(py, challenge)?;
    if attested.cast::<PyAttestedRecord>().is_ok() {
        return Err(PyTypeError::new_err(
            "attested must be a list of AttestedRecord (a list, even for one)",
        ));
    }
    let mut held = Vec::new();
    for item in attested.try_iter()? {
        let item = item?;
        let h = item
            .cast::<PyAttestedRecord>()
            .map_err(|_| PyTypeError::new_err("attested must hold AttestedRecord objects"))?;
        if held.len() == MAX_ATTESTATIONS {
            return Err(cw(
                py,
                causeway::error::DecodeError::TooLong {
                    what: "attestations",
                    len: held.len() + 1,
                    max: MAX_ATTESTATIONS,
                },
            ));
        }
        held.push(h.get().0.clone());
    }
    let n = u16::try_from(held.len()).map_err(|_| PyValueError::new_err("too many"))?;
    let statements = statements_arg(py, prove, n)?;
    let mut fields = Vec::new();
    if let Some(d) = disclose {
        if d.cast::<PyString>().is_ok() {
            return Err(PyTypeError::new_err(
                "disclose must be a list of field names (a list, even for one)",
            ));
        }
        for item in d.try_iter()? {
            let item = item?;
            let s = item
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("disclose must hold str"))?;
            if fields.len() == MAX_DISCLOSURES {
                return Err(cw(
                    py,
                    causeway::error::DecodeError::TooLong {
                        what: "disclosures",
                        len: fields.len() + 1,
                        max: MAX_DISCLOSURES,
                    },
                ));
            }
            fields.push(DiscloseField::parse(&s.to_cow()?).map_err(|e| cw(py, e))?);
        }
    }
    let ring = match (&keys, backend) {
        (Some(k), Backend::Groth16) => k.0.clone(),
        _ => KeyRing::new(),
    };
    let party = &holder.0;
    guard(py, || {
        py.detach(|| {
            let mut b = PresentationBuilder::new(&challenge)
                .backend(backend)
                .keys(ring);
            for h in held {
                b = b.attested(h);
            }
            for f in fields {
                b = b.disclose(f);
            }
            for s in statements {
                b = b.prove(s);
            }
            b.build(party)
        })
        .map(PyPresentation)
        .map_err(|e| cw(py, e))
    })
}

fn policy_arg(
    py: Python<'_>,
    require: Option<&Bound<'_, PyAny>>,
    require_schema: Option<&str>,
) -> PyResult<Policy> {
    let mut policy = Policy::new();
    let Some(r) = require else {
        return Ok(policy);
    };
    if r.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "require must be a list of statements (a list, even for one)",
        ));
    }
    let mut n = 0usize;
    for item in r.try_iter()? {
        let item = item?;
        n += 1;
        if n > causeway::presentation::MAX_STATEMENTS {
            return Err(PyValueError::new_err("too many requirements"));
        }
        let mut req = if let Ok(s) = item.cast::<PyStatement>() {
            Requirement::new(s.get().0.clone())
        } else if let Ok(s) = item.cast::<PyString>() {
            Requirement::parse(&s.to_cow()?).map_err(|e| cw(py, e))?
        } else {
            return Err(PyTypeError::new_err(
                "a requirement must be a Statement or a str",
            ));
        };
        if let Some(schema) = require_schema {
            req = req.with_schema(schema);
        }
        policy = policy.require(req);
    }
    Ok(policy)
}

#[pymethods]
impl PyPresentation {
    /// Decodes a presentation: canonical bytes, base64url, or its JSON.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        let bytes = b.as_slice();
        guard(py, || {
            py.detach(|| decode_any::<Presentation>(bytes))
                .map(PyPresentation)
                .map_err(|e| cw(py, e))
        })
    }
    /// The canonical bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }
    /// The JSON view (what `causeway present` writes).
    fn to_json(&self) -> String {
        self.0.to_json_string()
    }
    /// `"bulletproofs"` or `"groth16"`.
    #[getter]
    fn backend(&self) -> String {
        self.0.backend().to_string()
    }
    /// The holder's public keys.
    #[getter]
    fn holder(&self) -> PyPublicKeys {
        PyPublicKeys(*self.0.holder())
    }
    /// The statements the holder claims to prove (verify to know).
    #[getter]
    fn statements(&self) -> Vec<PyStatement> {
        self.0
            .statements()
            .iter()
            .map(|s| PyStatement(s.clone()))
            .collect()
    }
    /// The attestations it carries.
    #[getter]
    fn attestations(&self) -> Vec<PyAttestation> {
        self.0
            .attestations()
            .iter()
            .map(|a| PyAttestation(a.clone()))
            .collect()
    }
    /// The Groth16 proofs with their public inputs as the verifier recomputes them for
    /// `challenge`: snarkjs JSON and EVM calldata for the exported Solidity verifier. Empty for
    /// Bulletproofs. Says nothing about issuers, validity or revocation: `verify` for that.
    fn groth16_exports(
        &self,
        py: Python<'_>,
        challenge: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyGroth16Export>> {
        let c = challenge_arg(py, challenge)?;
        let ex = self.0.groth16_exports(&c).map_err(|e| cw(py, e))?;
        Ok(ex.into_iter().map(PyGroth16Export).collect())
    }
    /// Verifies as the verifier: `issuers` trusted, your `challenge`, at `now` (default: the
    /// clock), against signed revocation lists; a Groth16 presentation needs your `keys`
    /// (verifying keys). `require` lists statements the presentation must prove (a policy).
    /// Returns a `VerifiedPresentation`; raises `VerificationError` (or another Causeway
    /// error) otherwise.
    #[pyo3(signature = (*, issuers, challenge, now = None, revocations = None, revocations_max_age = None, require_revocation_lists = false, keys = None, require = None, require_schema = None, backend = None))]
    #[allow(clippy::too_many_arguments)]
    fn verify(
        &self,
        py: Python<'_>,
        issuers: &Bound<'_, PyAny>,
        challenge: &Bound<'_, PyAny>,
        now: Option<U64>,
        revocations: Option<&Bound<'_, PyAny>>,
        revocations_max_age: Option<U64>,
        require_revocation_lists: bool,
        keys: Option<PyRef<'_, PyKeyRing>>,
        require: Option<&Bound<'_, PyAny>>,
        require_schema: Option<&str>,
        backend: Option<&str>,
    ) -> PyResult<PyVerified> {
        let issuers = public_keys_list(issuers, "issuers")?;
        let challenge = challenge_arg(py, challenge)?;
        let now = now_arg(py, now)?;
        let lists = revocation_lists(revocations)?;
        let policy = policy_arg(py, require, require_schema)?;
        if let Some(b) = backend {
            let want = backend_arg(b)?;
            if want != self.0.backend() {
                return Err(cw(
                    py,
                    causeway::error::VerifyError::Unmet(format!("back-end {want}")),
                ));
            }
        }
        let empty = KeyRing::new();
        let ring: &KeyRing = match &keys {
            Some(k) => &k.0,
            None => &empty,
        };
        let p = &self.0;
        let v = guard(py, || {
            py.detach(|| {
                if p.backend() == Backend::Groth16 {
                    statement_circuits(p.statements()).map_err(|_| {
                        causeway::error::VerifyError::InvalidStatement("statements")
                    })?;
                }
                let check = revocation_check(
                    &lists,
                    now,
                    revocations_max_age.map(|x| x.0),
                    require_revocation_lists,
                );
                let v = p.verify_with_keys(&issuers, &challenge, now, &check, ring)?;
                policy.check(&v)?;
                Ok::<_, causeway::error::VerifyError>(v)
            })
            .map_err(|e| cw(py, e))
        })?;
        let requirements = policy
            .requirements()
            .iter()
            .map(|r| r.to_string())
            .collect();
        Ok(PyVerified {
            v,
            requirements,
            now,
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "Presentation(backend='{}', holder='{}', attestations={}, statements={})",
            self.0.backend(),
            self.0.holder().key_id(),
            self.0.attestations().len(),
            self.0.statements().len()
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let py = slf.py();
        let f = slf.get_type().getattr("from_bytes")?;
        let args = pyo3::types::PyTuple::new(py, [PyBytes::new(py, &slf.get().0.to_bytes())])?;
        pyo3::types::PyTuple::new(py, [f, args.into_any()])
    }
}

/// What a verified presentation established: the back-end, the holder (subject), the
/// attestations, the disclosed values and the statements proven.
#[pyclass(name = "VerifiedPresentation", module = "causeway", frozen)]
pub(crate) struct PyVerified {
    v: Verified,
    requirements: Vec<String>,
    now: u64,
}

#[pymethods]
impl PyVerified {
    /// `"bulletproofs"` or `"groth16"`.
    #[getter]
    fn backend(&self) -> String {
        self.v.backend().to_string()
    }
    /// The holder's key id (subject of every attestation).
    #[getter]
    fn subject(&self) -> String {
        self.v.subject().to_string()
    }
    /// The verification time used (unix seconds).
    #[getter]
    fn now(&self) -> u64 {
        self.now
    }
    /// The statements proven, as text.
    #[getter]
    fn statements(&self) -> Vec<String> {
        self.v.statements().iter().map(|s| s.to_string()).collect()
    }
    /// The requirements checked (met).
    #[getter]
    fn requirements(&self) -> Vec<String> {
        self.requirements.clone()
    }
    /// The attestations, each a `dict` (id, issuer, schema, not_before, not_after, record_id).
    #[getter]
    fn attestations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let l = PyList::empty(py);
        for a in self.v.attestations() {
            let d = PyDict::new(py);
            d.set_item("id", a.id.to_string())?;
            d.set_item("issuer", a.issuer.to_string())?;
            d.set_item("schema", &a.schema)?;
            d.set_item("not_before", a.not_before)?;
            d.set_item("not_after", a.not_after)?;
            d.set_item("record_id", a.record_id.map(|r| r.to_string()))?;
            l.append(d)?;
        }
        Ok(l)
    }
    /// The disclosed fields as `{name: value}` (of attestation 0; see `disclosed_fields` for
    /// all).
    #[getter]
    fn disclosed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for f in self.v.disclosed().iter().filter(|f| f.attestation == 0) {
            d.set_item(&f.name, value_to_py(py, &f.value)?)?;
        }
        Ok(d)
    }
    /// Every disclosed field as `(attestation, name, value)`.
    #[getter]
    fn disclosed_fields<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(u16, String, Bound<'py, PyAny>)>> {
        self.v
            .disclosed()
            .iter()
            .map(|f| Ok((f.attestation, f.name.clone(), value_to_py(py, &f.value)?)))
            .collect()
    }
    /// A disclosed value (`KeyError` if it was not disclosed).
    #[pyo3(signature = (name, *, attestation = None))]
    fn value<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        attestation: Option<U16>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self.v.value(attestation.map_or(0, |x| x.0), name) {
            Some(v) => value_to_py(py, v),
            None => Err(pyo3::exceptions::PyKeyError::new_err(name.to_owned())),
        }
    }
    /// The JSON view (what `causeway verify --json` prints).
    fn to_json(&self) -> String {
        self.v.to_json_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "VerifiedPresentation(backend='{}', subject='{}', attestations={}, disclosed={:?}, statements={:?})",
            self.v.backend(),
            self.v.subject(),
            self.v.attestations().len(),
            self.v
                .disclosed()
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>(),
            self.v
                .statements()
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )
    }
    fn _repr_html_(&self) -> String {
        let mut rows = vec![
            ("verified".to_owned(), format!("yes ({})", self.v.backend())),
            ("holder".to_owned(), self.v.subject().to_string()),
            ("at".to_owned(), format!("{} (unix seconds)", self.now)),
        ];
        for (i, a) in self.v.attestations().iter().enumerate() {
            rows.push((
                format!("attestation {i}"),
                format!(
                    "{} by {} ({}), valid {} .. {}",
                    a.id, a.issuer, a.schema, a.not_before, a.not_after
                ),
            ));
        }
        for f in self.v.disclosed() {
            rows.push((
                format!("disclosed {}@{}", f.name, f.attestation),
                f.value.to_string(),
            ));
        }
        for s in self.v.statements() {
            rows.push(("proven".to_owned(), s.to_string()));
        }
        for r in &self.requirements {
            rows.push(("required (met)".to_owned(), r.clone()));
        }
        render::table("Verified presentation", &rows)
    }
}
