//! The local ledger (SQLite), receipts, checkpoints, proof bundles, Merkle proofs and anchor
//! receipts (offline), over `causeway::ledger` and `causeway::anchor`. Every ledger call runs
//! with the GIL released.

use crate::attest::{PyAttestation, MAX_LIST_ARGS};
use crate::convert::{bytes_arg, view_to_py, U64};
use crate::errors::{cw, guard};
use crate::party::{key_id_arg, PyParty, PyPublicKeys};
use crate::render;
use crate::seal::PySealed;
use causeway::anchor::{AnchorReceipt, ChainRef, VerifiedAnchor};
use causeway::ledger::bundle::{Established, ProofBundle, VerifiedBundle};
use causeway::ledger::checkpoint::{Checkpoint, SignedCheckpoint};
use causeway::ledger::proof::{verify_consistency_bytes, verify_inclusion_bytes};
use causeway::ledger::receipt::{unix_millis_now, Receipt};
use causeway::ledger::sqlite::{AuditReport, LocalLedger};
use causeway::ledger::{leaf_hash, RevocationStatus};
use causeway::party::PublicKeys;
use causeway::wire::decode_any;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::path::PathBuf;

/// Longest proof (hash count) accepted from Python for a raw Merkle proof.
const MAX_PROOF_HASHES: usize = 128;

fn closed() -> PyErr {
    PyValueError::new_err("the ledger is closed")
}

/// A signed ledger entry: what happened (sealed, granted, revoked, attested, revoked
/// attestation, anchored), by whom, when.
#[pyclass(name = "Receipt", module = "causeway", frozen)]
pub(crate) struct PyReceipt(pub(crate) Receipt);

#[pymethods]
impl PyReceipt {
    /// A record-sealed receipt for a sealed record, signed by its owner.
    #[staticmethod]
    #[pyo3(signature = (sealed, *, owner, origin, time_ms = None))]
    fn sealed(
        py: Python<'_>,
        sealed: &Bound<'_, PyAny>,
        owner: PyRef<'_, PyParty>,
        origin: &str,
        time_ms: Option<U64>,
    ) -> PyResult<Self> {
        let s = sealed_arg(py, sealed)?;
        let keys = owner
            .0
            .find(&s.owner())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        Receipt::sealed_from(
            keys,
            origin,
            time_ms.map_or_else(unix_millis_now, |t| t.0),
            &s,
            None,
        )
        .map(PyReceipt)
        .map_err(|e| cw(py, e))
    }
    /// An access-granted receipt for the sealed record a grant returned.
    #[staticmethod]
    #[pyo3(signature = (granted, *, owner, grantee, origin, time_ms = None))]
    fn granted(
        py: Python<'_>,
        granted: &Bound<'_, PyAny>,
        owner: PyRef<'_, PyParty>,
        grantee: &Bound<'_, PyAny>,
        origin: &str,
        time_ms: Option<U64>,
    ) -> PyResult<Self> {
        let s = sealed_arg(py, granted)?;
        let g = key_id_arg(py, grantee, "grantee")?;
        let keys = owner
            .0
            .find(&s.owner())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        Receipt::granted_from(
            keys,
            origin,
            time_ms.map_or_else(unix_millis_now, |t| t.0),
            &s,
            g,
        )
        .map(PyReceipt)
        .map_err(|e| cw(py, e))
    }
    /// An access-revoked receipt for the re-sealed record a revocation returned.
    #[staticmethod]
    #[pyo3(signature = (resealed, *, owner, revoked, origin, time_ms = None))]
    fn revoked(
        py: Python<'_>,
        resealed: &Bound<'_, PyAny>,
        owner: PyRef<'_, PyParty>,
        revoked: &Bound<'_, PyAny>,
        origin: &str,
        time_ms: Option<U64>,
    ) -> PyResult<Self> {
        let s = sealed_arg(py, resealed)?;
        let r = key_id_arg(py, revoked, "revoked")?;
        let keys = owner
            .0
            .find(&s.owner())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        Receipt::revoked_from(
            keys,
            origin,
            time_ms.map_or_else(unix_millis_now, |t| t.0),
            &s,
            r,
        )
        .map(PyReceipt)
        .map_err(|e| cw(py, e))
    }
    /// An attestation-issued receipt, signed by the issuer (the key the attestation names).
    #[staticmethod]
    #[pyo3(signature = (attestation, *, issuer, origin, time_ms = None))]
    fn attestation_issued(
        py: Python<'_>,
        attestation: PyRef<'_, PyAttestation>,
        issuer: PyRef<'_, PyParty>,
        origin: &str,
        time_ms: Option<U64>,
    ) -> PyResult<Self> {
        let a = &attestation.0;
        let keys = issuer
            .0
            .find(&a.issuer())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        Receipt::attestation_issued_from(
            keys,
            origin,
            time_ms.map_or_else(unix_millis_now, |t| t.0),
            a,
        )
        .map(PyReceipt)
        .map_err(|e| cw(py, e))
    }
    /// An attestation-revoked receipt, signed by the issuer.
    #[staticmethod]
    #[pyo3(signature = (attestation, *, issuer, origin, time_ms = None))]
    fn attestation_revoked(
        py: Python<'_>,
        attestation: PyRef<'_, PyAttestation>,
        issuer: PyRef<'_, PyParty>,
        origin: &str,
        time_ms: Option<U64>,
    ) -> PyResult<Self> {
        let a = &attestation.0;
        let keys = issuer
            .0
            .find(&a.issuer())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        Receipt::attestation_revoked_from(
            keys,
            origin,
            time_ms.map_or_else(unix_millis_now, |t| t.0),
            a,
        )
        .map(PyReceipt)
        .map_err(|e| cw(py, e))
    }
    /// Parses a receipt (bytes or base64url) and verifies its signature.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        decode_any::<Receipt>(b.as_slice())
            .map(PyReceipt)
            .map_err(|e| cw(py, e))
    }
    /// The canonical bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.0.as_bytes())
    }
    /// The JSON view as a `dict`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        view_to_py(py, &self.0.to_json())
    }
    /// The event's name (`record-sealed`, `attestation-issued`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.event().kind_name()
    }
    /// The log origin.
    #[getter]
    fn origin(&self) -> String {
        self.0.origin().to_owned()
    }
    /// The time the signer gave (unix milliseconds).
    #[getter]
    fn time_ms(&self) -> u64 {
        self.0.time_ms()
    }
    /// The signer's public keys.
    #[getter]
    fn signer(&self) -> PyPublicKeys {
        PyPublicKeys(*self.0.signer())
    }
    /// The RFC 9162 leaf hash (hex).
    #[getter]
    fn leaf_hash(&self) -> String {
        hex::encode(self.0.leaf_hash())
    }
    fn __repr__(&self) -> String {
        format!(
            "Receipt(kind='{}', origin='{}', signer='{}', time_ms={})",
            self.0.event().kind_name(),
            self.0.origin(),
            self.0.signer().key_id(),
            self.0.time_ms()
        )
    }
}

fn sealed_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<causeway::seal::Sealed> {
    if let Ok(s) = obj.cast::<PySealed>() {
        return Ok(s.get().0.clone());
    }
    let b = bytes_arg(obj, "sealed", true)?;
    causeway::seal::Sealed::from_any(b.as_slice()).map_err(|e| cw(py, e))
}

fn receipts_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Receipt>> {
    if let Ok(r) = obj.cast::<PyReceipt>() {
        return Ok(vec![r.get().0.clone()]);
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let r = item
            .cast::<PyReceipt>()
            .map_err(|_| PyTypeError::new_err("append takes Receipt objects"))?;
        if out.len() == MAX_LIST_ARGS {
            return Err(PyValueError::new_err("too many receipts in one batch"));
        }
        out.push(r.get().0.clone());
    }
    Ok(out)
}

/// What an audit checked.
#[pyclass(name = "AuditReport", module = "causeway", frozen)]
pub(crate) struct PyAuditReport(AuditReport);

#[pymethods]
impl PyAuditReport {
    /// Entries replayed (every receipt's signature verified).
    #[getter]
    fn entries(&self) -> u64 {
        self.0.entries
    }
    /// Stored subtree hashes compared.
    #[getter]
    fn nodes(&self) -> u64 {
        self.0.nodes
    }
    /// Checkpoints checked.
    #[getter]
    fn checkpoints(&self) -> u64 {
        self.0.checkpoints
    }
    /// Attestation revocations in the log.
    #[getter]
    fn revocations(&self) -> u64 {
        self.0.revocations
    }
    /// The root of the whole log (hex).
    #[getter]
    fn root(&self) -> String {
        hex::encode(self.0.root)
    }
    fn __repr__(&self) -> String {
        format!(
            "AuditReport(entries={}, nodes={}, checkpoints={}, revocations={}, root='{}')",
            self.0.entries,
            self.0.nodes,
            self.0.checkpoints,
            self.0.revocations,
            hex::encode(self.0.root)
        )
    }
    fn _repr_html_(&self) -> String {
        render::table(
            "Ledger audit: passed",
            &[
                ("entries replayed".into(), self.0.entries.to_string()),
                ("subtree hashes compared".into(), self.0.nodes.to_string()),
                ("checkpoints checked".into(), self.0.checkpoints.to_string()),
                ("revocations".into(), self.0.revocations.to_string()),
                ("root".into(), hex::encode(self.0.root)),
            ],
        )
    }
}

/// A tamper-evident, append-only log of receipts in one SQLite file. Use it as a context
/// manager (`with Ledger.open(path) as log:`); `close()` releases the file.
#[pyclass(name = "Ledger", module = "causeway")]
pub(crate) struct PyLedger(Option<LocalLedger>);

impl PyLedger {
    fn get(&self) -> PyResult<&LocalLedger> {
        self.0.as_ref().ok_or_else(closed)
    }
}

#[pymethods]
impl PyLedger {
    /// Creates a new ledger at `path` for the log `origin` whose checkpoints `log_key` signs.
    #[staticmethod]
    #[pyo3(signature = (path, *, origin, log_key))]
    fn create(
        py: Python<'_>,
        path: PathBuf,
        origin: &str,
        log_key: PyRef<'_, PyPublicKeys>,
    ) -> PyResult<Self> {
        let k = log_key.0;
        guard(py, || {
            py.detach(|| LocalLedger::create(&path, origin, &k))
                .map(|l| PyLedger(Some(l)))
                .map_err(|e| cw(py, e))
        })
    }
    /// Opens an existing ledger.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        guard(py, || {
            py.detach(|| LocalLedger::open(&path))
                .map(|l| PyLedger(Some(l)))
                .map_err(|e| cw(py, e))
        })
    }
    /// Closes the ledger (further calls raise `ValueError`).
    fn close(&mut self) {
        self.0 = None;
    }
    fn __enter__(slf: PyRef<'_, Self>) -> PyResult<PyRef<'_, Self>> {
        slf.get()?;
        Ok(slf)
    }
    #[pyo3(signature = (*_args))]
    fn __exit__(&mut self, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.0 = None;
        false
    }
    /// The log's origin.
    #[getter]
    fn origin(&self) -> PyResult<String> {
        Ok(self.get()?.origin().to_owned())
    }
    /// The log key (checkpoints verify under it).
    #[getter]
    fn log_key(&self) -> PyResult<PyPublicKeys> {
        Ok(PyPublicKeys(*self.get()?.log_key()))
    }
    /// How many entries the log holds.
    fn size(&self, py: Python<'_>) -> PyResult<u64> {
        let l = self.get()?;
        guard(py, || py.detach(|| l.size()).map_err(|e| cw(py, e)))
    }
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        let n = self.size(py)?;
        usize::try_from(n).map_err(|_| PyValueError::new_err("ledger too large"))
    }
    /// The current root (hex).
    fn root(&self, py: Python<'_>) -> PyResult<String> {
        let l = self.get()?;
        guard(py, || {
            py.detach(|| l.root())
                .map(hex::encode)
                .map_err(|e| cw(py, e))
        })
    }
    /// Appends one receipt or a list of them (one durable transaction); returns the index of
    /// the first appended.
    fn append(&self, py: Python<'_>, receipts: &Bound<'_, PyAny>) -> PyResult<u64> {
        let rs = receipts_arg(receipts)?;
        let l = self.get()?;
        guard(py, || {
            py.detach(|| match rs.as_slice() {
                [one] => l.append(one),
                many => l.append_batch(many),
            })
            .map_err(|e| cw(py, e))
        })
    }
    /// The receipt at `index`.
    fn receipt(&self, py: Python<'_>, index: U64) -> PyResult<PyReceipt> {
        let index = index.0;
        let l = self.get()?;
        guard(py, || {
            py.detach(|| l.receipt(index))
                .map(PyReceipt)
                .map_err(|e| cw(py, e))
        })
    }
    /// Signs and stores a checkpoint of the current tree with the log key's secret (`log`
    /// must be the party whose keys the ledger was created with); returns the signed note.
    fn checkpoint(&self, py: Python<'_>, log: PyRef<'_, PyParty>) -> PyResult<String> {
        let l = self.get()?;
        let keys = log
            .0
            .find(&l.log_key().key_id())
            .ok_or_else(|| cw(py, causeway::error::LedgerError::WrongSigner))?;
        guard(py, || {
            py.detach(|| l.checkpoint(keys)).map_err(|e| cw(py, e))
        })
    }
    /// The newest stored checkpoint note, or `None`.
    fn latest_checkpoint(&self, py: Python<'_>) -> PyResult<Option<String>> {
        let l = self.get()?;
        guard(py, || {
            py.detach(|| l.latest_checkpoint()).map_err(|e| cw(py, e))
        })
    }
    /// A proof bundle (JSON text) that entry `index` is in the checkpoint of `size` (default:
    /// the newest).
    #[pyo3(signature = (index, *, size = None))]
    fn prove_inclusion(&self, py: Python<'_>, index: U64, size: Option<U64>) -> PyResult<String> {
        let (index, size) = (index.0, size.map(|x| x.0));
        let l = self.get()?;
        guard(py, || {
            py.detach(|| {
                ProofBundle::inclusion_from(l, index, size)
                    .map_err(causeway::Error::from)
                    .and_then(|b| b.to_json().map_err(causeway::Error::from))
            })
            .map_err(|e| cw(py, e))
        })
    }
    /// A proof bundle (JSON text) that the checkpoint of `old_size` is a prefix of the one of
    /// `size` (default: the newest).
    #[pyo3(signature = (old_size, *, size = None))]
    fn prove_consistency(
        &self,
        py: Python<'_>,
        old_size: U64,
        size: Option<U64>,
    ) -> PyResult<String> {
        let (old_size, size) = (old_size.0, size.map(|x| x.0));
        let l = self.get()?;
        guard(py, || {
            py.detach(|| {
                ProofBundle::consistency_from(l, old_size, size)
                    .map_err(causeway::Error::from)
                    .and_then(|b| b.to_json().map_err(causeway::Error::from))
            })
            .map_err(|e| cw(py, e))
        })
    }
    /// A proof bundle (JSON text) of an attestation's revocation status as of the checkpoint
    /// of `size` (default: the newest).
    #[pyo3(signature = (attestation, *, size = None))]
    fn prove_revocation(
        &self,
        py: Python<'_>,
        attestation: PyRef<'_, PyAttestation>,
        size: Option<U64>,
    ) -> PyResult<String> {
        let size = size.map(|x| x.0);
        let l = self.get()?;
        let a = &attestation.0;
        let t = [(a.revocation_handle(), a.issuer())];
        guard(py, || {
            py.detach(|| {
                ProofBundle::revocation_from(l, &t, size)
                    .map_err(causeway::Error::from)
                    .and_then(|b| b.to_json().map_err(causeway::Error::from))
            })
            .map_err(|e| cw(py, e))
        })
    }
    /// Replays the whole log (signatures, hashes, checkpoints, revocation chain) in
    /// `O(log n)` memory; returns an `AuditReport` or raises.
    #[pyo3(signature = (*, log_key = None))]
    fn audit(
        &self,
        py: Python<'_>,
        log_key: Option<PyRef<'_, PyPublicKeys>>,
    ) -> PyResult<PyAuditReport> {
        let l = self.get()?;
        let k: Option<PublicKeys> = log_key.map(|k| k.0);
        guard(py, || {
            py.detach(|| l.audit(k.as_ref()))
                .map(PyAuditReport)
                .map_err(|e| cw(py, e))
        })
    }
    fn __repr__(&self) -> String {
        match &self.0 {
            Some(l) => format!(
                "Ledger(origin='{}', path='{}')",
                l.origin(),
                l.path().display()
            ),
            None => "Ledger(closed)".into(),
        }
    }
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a Ledger is an open database and is not picklable: open its path in the other process",
        ))
    }
}

/// What a verified proof bundle established.
#[pyclass(name = "VerifiedBundle", module = "causeway", frozen)]
pub(crate) struct PyVerifiedBundle(VerifiedBundle);

fn established_rows(e: &Established) -> Vec<(String, String)> {
    match e {
        Established::Inclusion { index, receipt } => vec![
            ("proves".into(), "inclusion".into()),
            ("index".into(), index.to_string()),
            ("receipt".into(), receipt.event().kind_name().into()),
            ("signed by".into(), receipt.signer().key_id().to_string()),
        ],
        Established::Consistency {
            old_size,
            old_root,
            old_checkpoint_signed,
        } => vec![
            ("proves".into(), "consistency".into()),
            ("old size".into(), old_size.to_string()),
            ("old root".into(), hex::encode(old_root)),
            (
                "old checkpoint signed".into(),
                old_checkpoint_signed.to_string(),
            ),
        ],
        Established::Revocation {
            revocation_handle,
            issuer,
            status,
        } => {
            let mut r = vec![
                ("proves".into(), "revocation status".into()),
                ("revocation handle".into(), revocation_handle.to_string()),
                ("issuer".into(), issuer.to_string()),
            ];
            match status {
                RevocationStatus::Revoked { index, time_ms } => {
                    r.push(("revoked".into(), "yes".into()));
                    r.push(("at index".into(), index.to_string()));
                    r.push(("time (ms)".into(), time_ms.to_string()));
                }
                RevocationStatus::NotRevoked { as_of_size } => {
                    r.push(("revoked".into(), "no".into()));
                    r.push(("as of size".into(), as_of_size.to_string()));
                }
                _ => r.push(("revoked".into(), "(unknown status)".into())),
            }
            r
        }
        _ => vec![("proves".into(), "(unknown)".into())],
    }
}

#[pymethods]
impl PyVerifiedBundle {
    /// `"inclusion"`, `"consistency"` or `"revocation"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match &self.0.established {
            Established::Inclusion { .. } => "inclusion",
            Established::Consistency { .. } => "consistency",
            Established::Revocation { .. } => "revocation",
            _ => "unknown",
        }
    }
    /// The log's origin.
    #[getter]
    fn origin(&self) -> String {
        self.0.origin.clone()
    }
    /// Where the origin came from: `"caller"`, `"trusted-checkpoint"` or `"bundle"` (trust on
    /// first use: pin `origin=` to know which log it is).
    #[getter]
    fn origin_source(&self) -> &'static str {
        self.0.origin_source.as_str()
    }
    /// The verified checkpoint's tree size.
    #[getter]
    fn tree_size(&self) -> u64 {
        self.0.checkpoint.size
    }
    /// The verified checkpoint's root (hex).
    #[getter]
    fn root(&self) -> String {
        hex::encode(self.0.checkpoint.root)
    }
    /// The entry's index (inclusion) or the revocation's index (revoked); else `None`.
    #[getter]
    fn index(&self) -> Option<u64> {
        match &self.0.established {
            Established::Inclusion { index, .. } => Some(*index),
            Established::Revocation {
                status: RevocationStatus::Revoked { index, .. },
                ..
            } => Some(*index),
            _ => None,
        }
    }
    /// The included receipt (inclusion bundles), else `None`.
    #[getter]
    fn receipt(&self) -> Option<PyReceipt> {
        match &self.0.established {
            Established::Inclusion { receipt, .. } => Some(PyReceipt(receipt.clone())),
            _ => None,
        }
    }
    /// The older tree size (consistency bundles), else `None`.
    #[getter]
    fn old_size(&self) -> Option<u64> {
        match &self.0.established {
            Established::Consistency { old_size, .. } => Some(*old_size),
            _ => None,
        }
    }
    /// Whether the older checkpoint is signed (consistency), else `None`.
    #[getter]
    fn old_checkpoint_signed(&self) -> Option<bool> {
        match &self.0.established {
            Established::Consistency {
                old_checkpoint_signed,
                ..
            } => Some(*old_checkpoint_signed),
            _ => None,
        }
    }
    /// Whether the attestation is revoked (revocation bundles), else `None`.
    #[getter]
    fn revoked(&self) -> Option<bool> {
        match &self.0.established {
            Established::Revocation { status, .. } => {
                Some(matches!(status, RevocationStatus::Revoked { .. }))
            }
            _ => None,
        }
    }
    fn __repr__(&self) -> String {
        let rows = established_rows(&self.0.established);
        let body: Vec<String> = rows
            .iter()
            .skip(1)
            .map(|(k, v)| format!("{}={v}", k.replace(' ', "_")))
            .collect();
        format!(
            "VerifiedBundle(kind='{}', origin='{}', tree_size={}, {})",
            self.kind(),
            self.0.origin,
            self.0.checkpoint.size,
            body.join(", ")
        )
    }
    fn _repr_html_(&self) -> String {
        let mut rows = vec![
            ("verified".to_owned(), "yes".to_owned()),
            (
                "log".to_owned(),
                format!(
                    "{} (origin from {})",
                    self.0.origin,
                    self.0.origin_source.as_str()
                ),
            ),
            ("tree size".to_owned(), self.0.checkpoint.size.to_string()),
            ("root".to_owned(), hex::encode(self.0.checkpoint.root)),
        ];
        rows.extend(established_rows(&self.0.established));
        render::table("Ledger proof bundle", &rows)
    }
}

/// Verifies a proof bundle (JSON text) under `log_key` for the log `origin` (pin it: without
/// it the bundle names its own origin, reported as `origin_source == "bundle"`), consistent
/// with `trusted_checkpoint` (a signed note) if given.
#[pyfunction]
#[pyo3(signature = (bundle, *, log_key, origin = None, trusted_checkpoint = None))]
pub(crate) fn verify_bundle(
    py: Python<'_>,
    bundle: &Bound<'_, PyAny>,
    log_key: PyRef<'_, PyPublicKeys>,
    origin: Option<&str>,
    trusted_checkpoint: Option<&str>,
) -> PyResult<PyVerifiedBundle> {
    let b = bytes_arg(bundle, "bundle", true)?;
    let bytes = b.as_slice();
    let k = log_key.0;
    let trusted = match trusted_checkpoint {
        Some(t) => Some(SignedCheckpoint::parse(t).map_err(|e| cw(py, e))?),
        None => None,
    };
    guard(py, || {
        py.detach(|| {
            let pb = ProofBundle::from_slice(bytes)?;
            pb.verify(&k, origin, trusted.as_ref())
                .map_err(causeway::Error::from)
        })
        .map(PyVerifiedBundle)
        .map_err(|e| cw(py, e))
    })
}

/// Verifies an RFC 9162 inclusion proof: `leaf_hash` is at `index` in the tree of `size`
/// leaves with `root` (all hashes 32 bytes). Raises `VerificationError` if not.
#[pyfunction]
#[pyo3(signature = (*, leaf_hash, index, size, proof, root))]
pub(crate) fn verify_inclusion(
    py: Python<'_>,
    leaf_hash: &Bound<'_, PyAny>,
    index: U64,
    size: U64,
    proof: &Bound<'_, PyAny>,
    root: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let (index, size) = (index.0, size.0);
    let leaf = bytes_arg(leaf_hash, "leaf_hash", false)?;
    let root = bytes_arg(root, "root", false)?;
    let p = hashes_arg(proof)?;
    verify_inclusion_bytes(index, size, leaf.as_slice(), &p, root.as_slice()).map_err(|e| cw(py, e))
}

/// Verifies an RFC 9162 consistency proof from (`size1`, `root1`) to (`size2`, `root2`).
/// Raises `VerificationError` if it fails.
#[pyfunction]
#[pyo3(signature = (*, size1, size2, proof, root1, root2))]
pub(crate) fn verify_consistency(
    py: Python<'_>,
    size1: U64,
    size2: U64,
    proof: &Bound<'_, PyAny>,
    root1: &Bound<'_, PyAny>,
    root2: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let (size1, size2) = (size1.0, size2.0);
    let r1 = bytes_arg(root1, "root1", false)?;
    let r2 = bytes_arg(root2, "root2", false)?;
    let p = hashes_arg(proof)?;
    verify_consistency_bytes(size1, size2, &p, r1.as_slice(), r2.as_slice()).map_err(|e| cw(py, e))
}

/// The RFC 9162 leaf hash of `data` (32 bytes).
#[pyfunction]
pub(crate) fn merkle_leaf_hash<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    let b = bytes_arg(data, "data", false)?;
    Ok(PyBytes::new(py, &leaf_hash(b.as_slice())))
}

fn hashes_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    if obj.is_none() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        if out.len() == MAX_PROOF_HASHES {
            return Err(PyValueError::new_err(format!(
                "a proof of more than {MAX_PROOF_HASHES} hashes"
            )));
        }
        out.push(bytes_arg(&item, "proof hash", false)?.as_slice().to_vec());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Anchor receipts

/// What an anchor receipt established: the entry is in the ledger no later than the anchoring
/// block.
#[pyclass(name = "VerifiedAnchor", module = "causeway", frozen)]
pub(crate) struct PyVerifiedAnchor(VerifiedAnchor);

#[pymethods]
impl PyVerifiedAnchor {
    /// The entry's index.
    #[getter]
    fn index(&self) -> u64 {
        self.0.index
    }
    /// The chain id.
    #[getter]
    fn chain_id(&self) -> u64 {
        self.0.record.chain.chain_id
    }
    /// The registry contract (`0x…`).
    #[getter]
    fn contract(&self) -> String {
        format!("0x{}", hex::encode(self.0.record.chain.contract))
    }
    /// The anchoring block's number.
    #[getter]
    fn block_number(&self) -> u64 {
        self.0.record.block_number
    }
    /// The anchored tree size.
    #[getter]
    fn anchored_size(&self) -> u64 {
        self.0.record.size
    }
    /// The value the registry holds (hex).
    #[getter]
    fn anchored_value(&self) -> String {
        hex::encode(self.0.record.root)
    }
    /// The anchoring transaction (hex).
    #[getter]
    fn tx_hash(&self) -> String {
        format!("0x{}", hex::encode(self.0.record.tx_hash))
    }
    /// The origin.
    #[getter]
    fn origin(&self) -> String {
        self.0.record.origin.clone()
    }
    fn __repr__(&self) -> String {
        format!(
            "VerifiedAnchor(index={}, origin='{}', anchored_size={}, chain_id={}, block_number={})",
            self.0.index,
            self.0.record.origin,
            self.0.record.size,
            self.0.record.chain.chain_id,
            self.0.record.block_number
        )
    }
    fn _repr_html_(&self) -> String {
        render::table(
            "Anchor receipt (verified offline)",
            &[
                ("entry index".into(), self.0.index.to_string()),
                ("log".into(), self.0.record.origin.clone()),
                ("anchored size".into(), self.0.record.size.to_string()),
                ("anchored value".into(), hex::encode(self.0.record.root)),
                ("chain".into(), self.0.record.chain.to_string()),
                ("block".into(), self.0.record.block_number.to_string()),
                (
                    "transaction".into(),
                    format!("0x{}", hex::encode(self.0.record.tx_hash)),
                ),
            ],
        )
    }
}

fn contract_arg(py: Python<'_>, s: &str) -> PyResult<[u8; 20]> {
    let s = s.trim();
    let s = s.strip_prefix("0x").unwrap_or(s);
    let mut b = [0u8; 20];
    hex::decode_to_slice(s, &mut b).map_err(|_| {
        cw(
            py,
            causeway::error::DecodeError::Invalid {
                what: "contract address (0x and 40 hex digits)",
            },
        )
    })?;
    Ok(b)
}

/// Verifies an anchor receipt (bytes or base64url) offline: signed by `log_key`, the entry in
/// the checkpoint, consistent with the anchored checkpoint `anchored_checkpoint` (the signed
/// note you trust for the log `origin`), anchored on `chain_id` at `contract`. Whether the
/// anchor is really on chain needs an RPC check, which this package does not include (see
/// the package README).
#[pyfunction]
#[pyo3(signature = (receipt, *, log_key, origin, anchored_checkpoint, chain_id, contract))]
pub(crate) fn verify_anchor_receipt(
    py: Python<'_>,
    receipt: &Bound<'_, PyAny>,
    log_key: PyRef<'_, PyPublicKeys>,
    origin: &str,
    anchored_checkpoint: &str,
    chain_id: U64,
    contract: &str,
) -> PyResult<PyVerifiedAnchor> {
    let chain_id = chain_id.0;
    let b = bytes_arg(receipt, "receipt", true)?;
    let bytes = b.as_slice();
    let k = log_key.0;
    let chain = ChainRef {
        chain_id,
        contract: contract_arg(py, contract)?,
    };
    guard(py, || {
        py.detach(|| {
            let r = decode_any::<AnchorReceipt>(bytes)?;
            let anchored = Checkpoint::open(anchored_checkpoint, origin, &k)?;
            r.verify_offline(&k, &anchored, &chain)
                .map_err(causeway::Error::from)
        })
        .map(PyVerifiedAnchor)
        .map_err(|e| cw(py, e))
    })
}

/// Reads a checkpoint note and verifies it under `log_key` for `origin`: `dict` of origin,
/// size, root (hex) and extension lines.
#[pyfunction]
#[pyo3(signature = (note, *, log_key, origin))]
pub(crate) fn open_checkpoint<'py>(
    py: Python<'py>,
    note: &str,
    log_key: PyRef<'py, PyPublicKeys>,
    origin: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let c = Checkpoint::open(note, origin, &log_key.0).map_err(|e| cw(py, e))?;
    let d = PyDict::new(py);
    d.set_item("origin", &c.origin)?;
    d.set_item("size", c.size)?;
    d.set_item("root", hex::encode(c.root))?;
    d.set_item("extensions", c.extensions.clone())?;
    Ok(d)
}
