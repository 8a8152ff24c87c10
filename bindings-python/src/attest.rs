//! Attestations, the holder's copy, revocation lists and statements, over `causeway::attest`
//! and `causeway::statement`.

use crate::convert::{bytes_arg, U16, U64};
use crate::errors::{cw, guard};
use crate::party::{PyParty, PyPublicKeys};
use crate::record::PyRecord;
use causeway::attest::{
    issue, issue_rows, issue_with_record_id, unix_now, Attestation, AttestedRecord, RecordId,
    RevocationHandle, RevocationList, RevocationLists, Terms,
};
use causeway::party::PublicKeys;
use causeway::statement::{Bound as StatementBound, Predicate, Statement};
use causeway::wire::decode_any;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyInt, PyString};

/// Most items one list argument (issuers, handles, revocation lists) may hold before anything
/// is done with them; core caps what it stores itself.
pub(crate) const MAX_LIST_ARGS: usize = 1 << 20;

/// `now` as given, or the system clock (core's one "now").
pub(crate) fn now_arg(py: Python<'_>, now: Option<U64>) -> PyResult<u64> {
    match now {
        Some(t) => Ok(t.0),
        None => unix_now().map_err(|e| cw(py, e)),
    }
}

/// A list of `PublicKeys` (trusted issuers).
pub(crate) fn public_keys_list(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<PublicKeys>> {
    if obj.cast::<PyPublicKeys>().is_ok() || obj.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an iterable of PublicKeys (a list, even for one)"
        )));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let pk = item
            .cast::<PyPublicKeys>()
            .map_err(|_| PyTypeError::new_err(format!("{what} must be PublicKeys")))?;
        if out.len() == MAX_LIST_ARGS {
            return Err(PyValueError::new_err(format!("too many {what}")));
        }
        out.push(pk.get().0);
    }
    Ok(out)
}

/// The signed revocation lists of a `revocations=` argument.
pub(crate) fn revocation_lists(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<RevocationList>> {
    let mut out = Vec::new();
    let Some(obj) = obj else {
        return Ok(out);
    };
    if obj.cast::<PyRevocationList>().is_ok() {
        return Err(PyTypeError::new_err(
            "revocations must be an iterable of RevocationList (a list, even for one)",
        ));
    }
    for item in obj.try_iter()? {
        let item = item?;
        let l = item
            .cast::<PyRevocationList>()
            .map_err(|_| PyTypeError::new_err("revocations must be RevocationList objects"))?;
        if out.len() == MAX_LIST_ARGS {
            return Err(PyValueError::new_err("too many revocation lists"));
        }
        out.push(l.get().0.clone());
    }
    Ok(out)
}

/// The verifier's revocation policy over `lists`.
pub(crate) fn revocation_check(
    lists: &[RevocationList],
    now: u64,
    max_age: Option<u64>,
    require_every_issuer: bool,
) -> RevocationLists<'_> {
    let mut c = RevocationLists::new(lists, now);
    if let Some(a) = max_age {
        c = c.max_age(a);
    }
    if require_every_issuer {
        c = c.require_every_issuer();
    }
    c
}

/// An issuer's signed attestation over a record's commitments (public: no field values).
#[pyclass(name = "Attestation", module = "causeway", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyAttestation(pub(crate) Attestation);

#[pymethods]
impl PyAttestation {
    /// Decodes an attestation: canonical bytes, or its base64url text.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        guard(py, || {
            decode_any::<Attestation>(b.as_slice())
                .map(PyAttestation)
                .map_err(|e| cw(py, e))
        })
    }
    /// The canonical bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }
    /// The base64url text.
    fn to_text(&self) -> String {
        self.0.to_text()
    }
    /// The attestation id (64 hex digits).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_string()
    }
    /// The issuer's key id.
    #[getter]
    fn issuer(&self) -> String {
        self.0.issuer().to_string()
    }
    /// The subject's (holder's) key id.
    #[getter]
    fn subject(&self) -> String {
        self.0.subject().to_string()
    }
    /// The schema id.
    #[getter]
    fn schema(&self) -> String {
        self.0.schema().to_owned()
    }
    /// First second of validity (unix seconds).
    #[getter]
    fn not_before(&self) -> u64 {
        self.0.not_before()
    }
    /// Last second of validity (unix seconds).
    #[getter]
    fn not_after(&self) -> u64 {
        self.0.not_after()
    }
    /// The revocation handle (64 hex digits).
    #[getter]
    fn revocation_handle(&self) -> String {
        self.0.revocation_handle().to_string()
    }
    /// The signed record id (`None` for a version-1 attestation).
    #[getter]
    fn record_id(&self) -> Option<String> {
        self.0.record_id().map(|r| r.to_string())
    }
    /// The format version.
    #[getter]
    fn version(&self) -> u8 {
        self.0.version()
    }
    /// The names of the numeric fields (those with Pedersen commitments).
    #[getter]
    fn numeric_fields(&self) -> Vec<String> {
        self.0.numeric().iter().map(|n| n.name.clone()).collect()
    }
    /// Full verification: the issuer is among `issuers`, the signature verifies, `now`
    /// (default: the clock) is inside the window, no revocation list revokes it. Returns the
    /// issuer's key id; raises `VerificationError` otherwise.
    #[pyo3(signature = (*, issuers, now = None, revocations = None, revocations_max_age = None, require_revocation_lists = false))]
    fn verify(
        &self,
        py: Python<'_>,
        issuers: &Bound<'_, PyAny>,
        now: Option<U64>,
        revocations: Option<&Bound<'_, PyAny>>,
        revocations_max_age: Option<U64>,
        require_revocation_lists: bool,
    ) -> PyResult<String> {
        let issuers = public_keys_list(issuers, "issuers")?;
        let lists = revocation_lists(revocations)?;
        let now = now_arg(py, now)?;
        let a = &self.0;
        guard(py, || {
            let check = revocation_check(
                &lists,
                now,
                revocations_max_age.map(|x| x.0),
                require_revocation_lists,
            );
            a.verify(&issuers, now, &check)
                .map(|k| k.key_id().to_string())
                .map_err(|e| cw(py, e))
        })
    }
    fn __repr__(&self) -> String {
        format!(
            "Attestation(id='{}', issuer='{}', subject='{}', schema='{}')",
            self.0.id(),
            self.0.issuer(),
            self.0.subject(),
            self.0.schema()
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let py = slf.py();
        let f = slf.get_type().getattr("from_bytes")?;
        let args = pyo3::types::PyTuple::new(py, [PyBytes::new(py, &slf.get().0.to_bytes())])?;
        pyo3::types::PyTuple::new(py, [f, args.into_any()])
    }
}

/// The holder's copy: the record, the attestation and the openings (salts, blindings). The
/// openings are secret: its `repr` shows no value, it is not picklable, and its bytes come only
/// from `to_secret_bytes()`.
#[pyclass(name = "AttestedRecord", module = "causeway", frozen)]
pub(crate) struct PyAttestedRecord(pub(crate) AttestedRecord);

#[pymethods]
impl PyAttestedRecord {
    /// Decodes a holder file (canonical bytes or base64url text).
    #[staticmethod]
    fn from_secret_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        guard(py, || {
            decode_any::<AttestedRecord>(b.as_slice())
                .map(PyAttestedRecord)
                .map_err(|e| cw(py, e))
        })
    }
    /// The holder file's bytes: a secret (the openings of every commitment).
    fn to_secret_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }
    /// The attested record.
    #[getter]
    fn record(&self) -> PyRecord {
        PyRecord(self.0.record().clone())
    }
    /// The issuer's attestation.
    #[getter]
    fn attestation(&self) -> PyAttestation {
        PyAttestation(self.0.attestation().clone())
    }
    fn __repr__(&self) -> String {
        let a = self.0.attestation();
        format!(
            "AttestedRecord(attestation='{}', schema='{}', fields={})",
            a.id(),
            a.schema(),
            self.0.record().len()
        )
    }
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "an AttestedRecord holds secret openings and is not picklable: use to_secret_bytes() deliberately",
        ))
    }
}

/// Issues an attestation over `record` for `subject` (a `PublicKeys`), signed by `issuer`.
/// The window defaults to now for 365 days; `record_id` names the record (for renewals and
/// sums across issuers). Returns the holder's copy.
#[pyfunction]
#[pyo3(signature = (record, *, issuer, subject, not_before = None, not_after = None, valid_days = None, record_id = None, now = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn attest(
    py: Python<'_>,
    record: PyRef<'_, PyRecord>,
    issuer: PyRef<'_, PyParty>,
    subject: PyRef<'_, PyPublicKeys>,
    not_before: Option<U64>,
    not_after: Option<U64>,
    valid_days: Option<U64>,
    record_id: Option<&str>,
    now: Option<U64>,
) -> PyResult<PyAttestedRecord> {
    let now = now_arg(py, now)?;
    let terms = Terms::window(
        subject.0.key_id(),
        now,
        not_before.map(|x| x.0),
        not_after.map(|x| x.0),
        valid_days.map(|x| x.0),
    )
    .map_err(|e| cw(py, e))?;
    let rid = match record_id {
        Some(n) => Some(RecordId::named(n).map_err(|e| cw(py, e))?),
        None => None,
    };
    let keys = issuer.0.keys();
    let rec = &record.0;
    guard(py, || {
        py.detach(|| match &rid {
            Some(id) => issue_with_record_id(keys, rec, &terms, id),
            None => issue(keys, rec, &terms),
        })
        .map(PyAttestedRecord)
        .map_err(|e| cw(py, e))
    })
}

/// Attests the rows of a table in one call: one attestation per `Record` (all of one schema),
/// all for `subject` under one window (default: now for 365 days), each row its own random
/// record id. Runs with the GIL released. Returns the holders' copies, in row order.
#[pyfunction]
#[pyo3(signature = (records, *, issuer, subject, not_before = None, not_after = None, valid_days = None, now = None))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn attest_rows(
    py: Python<'_>,
    records: &Bound<'_, PyAny>,
    issuer: PyRef<'_, PyParty>,
    subject: PyRef<'_, PyPublicKeys>,
    not_before: Option<U64>,
    not_after: Option<U64>,
    valid_days: Option<U64>,
    now: Option<U64>,
) -> PyResult<Vec<PyAttestedRecord>> {
    if records.cast::<PyRecord>().is_ok() || records.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "records must be a list of Record (a list, even for one)",
        ));
    }
    let mut rows = Vec::new();
    for item in records.try_iter()? {
        let item = item?;
        let r = item
            .cast::<PyRecord>()
            .map_err(|_| PyTypeError::new_err("records must hold Record objects"))?;
        if rows.len() == causeway::attest::MAX_ROWS {
            return Err(cw(
                py,
                causeway::error::AttestError::Rows("more than 4096 rows"),
            ));
        }
        rows.push(r.borrow().0.clone());
    }
    let now = now_arg(py, now)?;
    let terms = Terms::window(
        subject.0.key_id(),
        now,
        not_before.map(|x| x.0),
        not_after.map(|x| x.0),
        valid_days.map(|x| x.0),
    )
    .map_err(|e| cw(py, e))?;
    let keys = issuer.0.keys();
    guard(py, || {
        py.detach(|| issue_rows(keys, &rows, &terms))
            .map(|v| v.into_iter().map(PyAttestedRecord).collect())
            .map_err(|e| cw(py, e))
    })
}

/// An issuer's signed list of revoked attestation handles.
#[pyclass(name = "RevocationList", module = "causeway", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyRevocationList(pub(crate) RevocationList);

fn handle_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<RevocationHandle> {
    if let Ok(a) = obj.cast::<PyAttestation>() {
        return Ok(a.get().0.revocation_handle());
    }
    if let Ok(a) = obj.cast::<PyAttestedRecord>() {
        return Ok(a.get().0.attestation().revocation_handle());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        let s = s.to_cow()?;
        let mut b = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut b).map_err(|_| {
            cw(
                py,
                causeway::error::DecodeError::Invalid {
                    what: "revocation handle (64 hex digits)",
                },
            )
        })?;
        return Ok(RevocationHandle(b));
    }
    Err(PyTypeError::new_err(
        "a revoked item must be an Attestation, an AttestedRecord or a handle (64 hex digits)",
    ))
}

#[pymethods]
impl PyRevocationList {
    /// Signs a list revoking `revoked` (attestations, holder copies, or handles in hex) as of
    /// `issued_at` (default: now). The issuer signs with the key the attestations name
    /// (current or retired).
    #[staticmethod]
    #[pyo3(signature = (*, issuer, revoked, issued_at = None))]
    fn issue(
        py: Python<'_>,
        issuer: PyRef<'_, PyParty>,
        revoked: &Bound<'_, PyAny>,
        issued_at: Option<U64>,
    ) -> PyResult<Self> {
        let mut handles = Vec::new();
        let mut issuer_id = None;
        for item in revoked.try_iter()? {
            let item = item?;
            if handles.len() == MAX_LIST_ARGS {
                return Err(PyValueError::new_err("too many revoked handles"));
            }
            let named = if let Ok(a) = item.cast::<PyAttestation>() {
                Some(a.get().0.issuer())
            } else if let Ok(a) = item.cast::<PyAttestedRecord>() {
                Some(a.get().0.attestation().issuer())
            } else {
                None
            };
            if let Some(id) = named {
                // One list is signed by one issuer key (as the CLI requires): refuse mixing.
                if *issuer_id.get_or_insert(id) != id {
                    return Err(PyValueError::new_err(
                        "the revoked attestations have different issuers: make one list per issuer key",
                    ));
                }
            }
            handles.push(handle_arg(py, &item)?);
        }
        let keys = match issuer_id {
            Some(id) => issuer
                .0
                .find(&id)
                .ok_or_else(|| cw(py, causeway::error::VerifyError::UntrustedIssuer))?,
            None => issuer.0.keys(),
        };
        let at = now_arg(py, issued_at)?;
        guard(py, || {
            RevocationList::new(keys, at, handles)
                .map(PyRevocationList)
                .map_err(|e| cw(py, e))
        })
    }
    /// Decodes a list (canonical bytes or base64url text).
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        guard(py, || {
            decode_any::<RevocationList>(b.as_slice())
                .map(PyRevocationList)
                .map_err(|e| cw(py, e))
        })
    }
    /// The canonical bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }
    /// Verifies the issuer's signature (`VerificationError` if it fails).
    fn verify(&self, py: Python<'_>, issuer: PyRef<'_, PyPublicKeys>) -> PyResult<()> {
        self.0.verify(&issuer.0).map_err(|e| cw(py, e))
    }
    /// The issuer's key id.
    #[getter]
    fn issuer(&self) -> String {
        self.0.issuer().to_string()
    }
    /// When the issuer signed it (unix seconds).
    #[getter]
    fn issued_at(&self) -> u64 {
        self.0.issued_at()
    }
    /// The revoked handles (hex), sorted.
    #[getter]
    fn handles(&self) -> Vec<String> {
        self.0.handles().iter().map(|h| h.to_string()).collect()
    }
    /// Whether the list names this attestation (or handle). Checks no signature: use
    /// `Attestation.verify(revocations=[...])` to decide.
    fn __contains__(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<bool> {
        let h = handle_arg(py, item)?;
        Ok(self.0.handles().binary_search(&h).is_ok())
    }
    fn __len__(&self) -> usize {
        self.0.handles().len()
    }
    fn __repr__(&self) -> String {
        format!(
            "RevocationList(issuer='{}', issued_at={}, revoked={})",
            self.0.issuer(),
            self.0.issued_at(),
            self.0.handles().len()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Statements

/// A bound from Python: `int`, `decimal.Decimal`, `datetime.date` or their text.
fn bound_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<StatementBound> {
    if obj.cast::<PyBool>().is_ok() {
        return Err(PyTypeError::new_err(
            "a bound must be an int, Decimal, date or str, not bool",
        ));
    }
    let text = if obj.cast::<PyInt>().is_ok() || obj.cast::<PyString>().is_ok() {
        obj.str()?.to_cow()?.into_owned()
    } else {
        let decimal = py.import("decimal")?.getattr("Decimal")?;
        let date = py.import("datetime")?.getattr("date")?;
        let datetime = py.import("datetime")?.getattr("datetime")?;
        if obj.is_instance(&datetime)? {
            return Err(PyTypeError::new_err(
                "a date bound must be a datetime.date, not a datetime",
            ));
        }
        if obj.is_instance(&decimal)? {
            obj.str()?.to_cow()?.into_owned()
        } else if obj.is_instance(&date)? {
            obj.call_method0("isoformat")?.str()?.to_cow()?.into_owned()
        } else {
            return Err(PyTypeError::new_err(
                "a bound must be an int, Decimal, date or str",
            ));
        }
    };
    if text.len() > 64 {
        return Err(cw(
            py,
            causeway::error::DecodeError::Invalid {
                what: "numeric bound",
            },
        ));
    }
    text.parse::<StatementBound>().map_err(|e| cw(py, e))
}

/// A statement about attested fields: `"credit_score >= 700"`, `"income in [50000, 120000]"`,
/// `"born < 2008-11-21"`, `"sum(amount) >= 2000000"`, or a builder.
#[pyclass(name = "Statement", module = "causeway", frozen, eq)]
#[derive(PartialEq, Clone)]
pub(crate) struct PyStatement(pub(crate) Statement);

fn on(st: Statement, attestation: u16) -> Statement {
    if attestation == 0 {
        st
    } else {
        st.on(attestation)
    }
}

#[pymethods]
impl PyStatement {
    /// Parses the statement text; `attestations` is how many attested records the
    /// presentation holds (a plain `sum(f)` sums all of them).
    #[staticmethod]
    #[pyo3(signature = (text, *, attestations = None))]
    fn parse(py: Python<'_>, text: &str, attestations: Option<U16>) -> PyResult<Self> {
        Statement::parse(text, attestations.map_or(1, |x| x.0))
            .map(PyStatement)
            .map_err(|e| cw(py, e))
    }
    /// `field >= bound`.
    #[staticmethod]
    #[pyo3(signature = (field, bound, *, attestation = None))]
    fn at_least(
        py: Python<'_>,
        field: &str,
        bound: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::at_least(field, bound_arg(py, bound)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `field <= bound`.
    #[staticmethod]
    #[pyo3(signature = (field, bound, *, attestation = None))]
    fn at_most(
        py: Python<'_>,
        field: &str,
        bound: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::at_most(field, bound_arg(py, bound)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `field > bound`.
    #[staticmethod]
    #[pyo3(signature = (field, bound, *, attestation = None))]
    fn above(
        py: Python<'_>,
        field: &str,
        bound: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::above(field, bound_arg(py, bound)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `field < bound`.
    #[staticmethod]
    #[pyo3(signature = (field, bound, *, attestation = None))]
    fn below(
        py: Python<'_>,
        field: &str,
        bound: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::below(field, bound_arg(py, bound)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `lo <= field <= hi`.
    #[staticmethod]
    #[pyo3(signature = (field, lo, hi, *, attestation = None))]
    fn between(
        py: Python<'_>,
        field: &str,
        lo: &Bound<'_, PyAny>,
        hi: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::between(field, bound_arg(py, lo)?, bound_arg(py, hi)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `field == value`.
    #[staticmethod]
    #[pyo3(signature = (field, value, *, attestation = None))]
    fn equals(
        py: Python<'_>,
        field: &str,
        value: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::equals(field, bound_arg(py, value)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `field != value`.
    #[staticmethod]
    #[pyo3(signature = (field, value, *, attestation = None))]
    fn not_equals(
        py: Python<'_>,
        field: &str,
        value: &Bound<'_, PyAny>,
        attestation: Option<U16>,
    ) -> PyResult<Self> {
        Ok(PyStatement(on(
            Statement::not_equals(field, bound_arg(py, value)?),
            attestation.map_or(0, |x| x.0),
        )))
    }
    /// `sum(field) >= at_least` over the attested records `attestations` (indices).
    #[staticmethod]
    #[pyo3(signature = (field, *, attestations, at_least))]
    fn sum(
        py: Python<'_>,
        field: &str,
        attestations: Vec<U16>,
        at_least: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        if attestations.len() > causeway::presentation::MAX_ATTESTATIONS {
            return Err(PyValueError::new_err("too many attestations in a sum"));
        }
        let attestations: Vec<u16> = attestations.iter().map(|x| x.0).collect();
        Ok(PyStatement(Statement::sum(
            field,
            &attestations,
            Predicate::AtLeast(bound_arg(py, at_least)?),
        )))
    }
    /// A column statement: `field` of **every** attested record `attestations` (indices) lies
    /// in `[at_least, at_most]` (or on one side when only one bound is given). Proven with one
    /// aggregated Bulletproofs range proof.
    #[staticmethod]
    #[pyo3(signature = (field, *, attestations, at_least = None, at_most = None))]
    fn all(
        py: Python<'_>,
        field: &str,
        attestations: Vec<U16>,
        at_least: Option<&Bound<'_, PyAny>>,
        at_most: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        if attestations.len() > causeway::presentation::MAX_ATTESTATIONS {
            return Err(PyValueError::new_err(
                "too many attestations in a column statement",
            ));
        }
        let attestations: Vec<u16> = attestations.iter().map(|x| x.0).collect();
        let predicate = match (at_least, at_most) {
            (Some(a), Some(b)) => Predicate::Between(bound_arg(py, a)?, bound_arg(py, b)?),
            (Some(a), None) => Predicate::AtLeast(bound_arg(py, a)?),
            (None, Some(b)) => Predicate::AtMost(bound_arg(py, b)?),
            (None, None) => {
                return Err(PyTypeError::new_err(
                    "a column statement needs at_least, at_most or both",
                ))
            }
        };
        Ok(PyStatement(Statement::all(field, &attestations, predicate)))
    }
    /// The field the statement is about.
    #[getter]
    fn field(&self) -> String {
        self.0.field().to_owned()
    }
    /// The attested records it is about (indices in the presentation).
    #[getter]
    fn attestations(&self) -> Vec<u16> {
        self.0.attestations().to_vec()
    }
    /// Whether it is a sum over several records.
    #[getter]
    fn is_sum(&self) -> bool {
        self.0.is_sum()
    }
    /// Whether it is a column statement (every one of several records).
    #[getter]
    fn is_all(&self) -> bool {
        self.0.is_all()
    }
    fn __str__(&self) -> String {
        self.0.to_string()
    }
    fn __repr__(&self) -> String {
        format!("Statement('{}')", self.0)
    }
    fn __hash__(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.0.to_string().hash(&mut h);
        h.finish()
    }
}

/// Statements from `Statement` objects or text.
pub(crate) fn statements_arg(
    py: Python<'_>,
    obj: Option<&Bound<'_, PyAny>>,
    n_attestations: u16,
) -> PyResult<Vec<Statement>> {
    let mut out = Vec::new();
    let Some(obj) = obj else {
        return Ok(out);
    };
    if obj.cast::<PyString>().is_ok() || obj.cast::<PyStatement>().is_ok() {
        return Err(PyTypeError::new_err(
            "prove must be a list of statements (a list, even for one)",
        ));
    }
    for item in obj.try_iter()? {
        let item = item?;
        if out.len() == causeway::presentation::MAX_STATEMENTS {
            return Err(cw(
                py,
                causeway::error::DecodeError::TooLong {
                    what: "statements",
                    len: out.len() + 1,
                    max: causeway::presentation::MAX_STATEMENTS,
                },
            ));
        }
        if let Ok(s) = item.cast::<PyStatement>() {
            out.push(s.get().0.clone());
        } else if let Ok(s) = item.cast::<PyString>() {
            out.push(Statement::parse(&s.to_cow()?, n_attestations).map_err(|e| cw(py, e))?);
        } else {
            return Err(PyTypeError::new_err(
                "a statement must be a Statement or a str",
            ));
        }
    }
    Ok(out)
}
