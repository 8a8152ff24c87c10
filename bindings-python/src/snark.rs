//! Groth16: key rings (setup, key directories, keys from bytes), verifying keys, Solidity
//! verifier export and calldata, and membership proofs, over `causeway::snark`.

use crate::convert::{bytes_arg, U8};
use crate::errors::{cw, guard};
use crate::presentation::{backend_arg, challenge_arg};
use crate::render;
use causeway::commit::FieldCommitment;
use causeway::snark::membership::{
    prove_membership, verify_membership, Leaves, MemberSecret, ProvenMembership,
};
use causeway::snark::solidity::{solidity_verifier, verify_calldata};
use causeway::snark::{
    keyring, vk_to_snarkjs_json, Circuit, Groth16Export, KeyRing, KeyUse, ProvingKey, VerifyingKey,
    VerifyingKeyId,
};
use causeway::statement::MembershipStatement;
use causeway::wire::decode_any;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use std::path::PathBuf;

/// Most circuits one call may name.
const MAX_CIRCUITS: usize = 256;
/// Longest Solidity contract name accepted.
const MAX_CONTRACT_NAME: usize = 64;

fn circuit_arg(py: Python<'_>, s: &str) -> PyResult<Circuit> {
    let c: Circuit = s.parse().map_err(|e| cw(py, e))?;
    c.check().map_err(|e| cw(py, e))?;
    Ok(c)
}

fn circuits_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Vec<Circuit>> {
    if obj.cast::<PyString>().is_ok() {
        return Err(PyTypeError::new_err(
            "circuits must be a list of circuit names (a list, even for one)",
        ));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let s = item
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("a circuit is a str such as \"attribute\""))?;
        if out.len() == MAX_CIRCUITS {
            return Err(PyValueError::new_err("too many circuits"));
        }
        out.push(circuit_arg(py, &s.to_cow()?)?);
    }
    Ok(out)
}

/// `{circuit: digest}` pins for `KeyRing.load` (at most `MAX_CIRCUITS`).
fn pins_arg(
    py: Python<'_>,
    d: &Bound<'_, pyo3::types::PyDict>,
) -> PyResult<Vec<(Circuit, causeway::snark::ProvingKeyDigest)>> {
    if d.len() > MAX_CIRCUITS {
        return Err(PyValueError::new_err("too many pins"));
    }
    let mut out = Vec::with_capacity(d.len());
    for (k, v) in d.iter() {
        let k = k
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("a pin's circuit is a str such as \"sum:4\""))?;
        let v = v
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("a pin is a digest str \"groth16pk1…\""))?;
        let digest =
            causeway::snark::ProvingKeyDigest::from_text(&v.to_cow()?).map_err(|e| cw(py, e))?;
        out.push((circuit_arg(py, &k.to_cow()?)?, digest));
    }
    Ok(out)
}

fn key_use_arg(s: &str) -> PyResult<KeyUse> {
    match s {
        "prove" => Ok(KeyUse::Prove),
        "verify" => Ok(KeyUse::Verify),
        _ => Err(PyValueError::new_err("use must be \"prove\" or \"verify\"")),
    }
}

fn key_id_arg(py: Python<'_>, s: &str) -> PyResult<VerifyingKeyId> {
    VerifyingKeyId::from_text(s).map_err(|e| cw(py, e))
}

/// A proving key's tables report as a dict (see `KeyRing.precomputed`).
fn tables_dict(
    py: Python<'_>,
    t: &causeway::snark::PrecomputedTables,
) -> PyResult<Py<pyo3::types::PyDict>> {
    use pyo3::types::{PyDict, PyList};
    let tables = PyList::empty(py);
    for q in &t.tables {
        let d = PyDict::new(py);
        d.set_item("query", q.query)?;
        d.set_item("points", q.points)?;
        d.set_item("window_bits", q.window_bits)?;
        d.set_item("bytes", q.bytes)?;
        tables.append(d)?;
    }
    let out = PyDict::new(py);
    out.set_item("bytes", t.bytes)?;
    out.set_item("tables", tables)?;
    Ok(out.unbind())
}

/// Groth16 keys by circuit shape: proving keys for a prover, verifying keys for a verifier.
/// Holds no secret (a proving key is public), but is large: it pickles through `save`/`load`
/// only.
#[pyclass(name = "KeyRing", module = "causeway")]
#[derive(Default)]
pub(crate) struct PyKeyRing(pub(crate) KeyRing);

impl PyKeyRing {
    /// The ring's proving key for `circuit`, `KeyError` if it has none.
    fn proving(&self, py: Python<'_>, circuit: &str) -> PyResult<&ProvingKey> {
        let c = circuit_arg(py, circuit)?;
        self.0
            .proving_key(&c)
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(circuit.to_owned()))
    }
}

#[pymethods]
impl PyKeyRing {
    /// An empty ring.
    #[new]
    fn new() -> Self {
        PyKeyRing::default()
    }

    /// A single-party trusted setup (its operator must be trusted: a multi-party ceremony is
    /// the way out) for each circuit (`"attribute"`, `"sum:K"`, `"membership:D"`,
    /// `"membership:D:nullifier"`), with the GIL released. `progress(done, total, circuit)` is
    /// called before each circuit and once at the end.
    #[staticmethod]
    #[pyo3(signature = (circuits, *, progress = None))]
    fn setup(
        py: Python<'_>,
        circuits: &Bound<'_, PyAny>,
        progress: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let circuits = circuits_arg(py, circuits)?;
        let total = circuits.len();
        let mut ring = KeyRing::new();
        for (i, c) in circuits.iter().enumerate() {
            if let Some(p) = progress {
                p.call1((i, total, c.to_string()))?;
            }
            let pk = guard(py, || py.detach(|| c.setup()).map_err(|e| cw(py, e)))?;
            ring.insert(*c, pk);
        }
        if let Some(p) = progress {
            p.call1((total, total, ""))?;
        }
        Ok(PyKeyRing(ring))
    }

    /// Loads the keys for `circuits` from a key directory (its `keys.json` manifest pins each
    /// key id; altered files are refused). `use` is `"prove"` or `"verify"`. Every point of a
    /// proving key is checked, unless `pins` (`{circuit: "groth16pk1…"}`, digests you keep
    /// apart from the directory) pins each loaded circuit's key (a key pinned for another
    /// circuit is refused), or `trust_manifest=True` says you control the directory and its
    /// `keys.json` (a manifest that came with the keys can vouch for a malformed key).
    #[staticmethod]
    #[pyo3(signature = (path, *, circuits, r#use = "verify", pins = None, trust_manifest = false))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        circuits: &Bound<'_, PyAny>,
        r#use: &str,
        pins: Option<&Bound<'_, pyo3::types::PyDict>>,
        trust_manifest: bool,
    ) -> PyResult<Self> {
        let circuits = circuits_arg(py, circuits)?;
        let u = key_use_arg(r#use)?;
        let pins = pins.map(|d| pins_arg(py, d)).transpose()?;
        if pins.is_some() && trust_manifest {
            return Err(PyValueError::new_err(
                "pins and trust_manifest=True exclude each other",
            ));
        }
        guard(py, || {
            py.detach(|| match &pins {
                Some(p) => KeyRing::load_dir_pinned(&path, &circuits, u, p),
                None if trust_manifest => KeyRing::load_dir_trusted_manifest(&path, &circuits, u),
                None => KeyRing::load_dir(&path, &circuits, u),
            })
            .map(PyKeyRing)
            .map_err(|e| cw(py, e))
        })
    }

    /// Writes the keys as content-addressed files with their manifest into `path`.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let r = &self.0;
        guard(py, || {
            py.detach(|| r.save_dir(&path)).map_err(|e| cw(py, e))
        })
    }

    /// Adds a proving key from its bytes (binary or base64url). With `key_id`
    /// (`groth16vk1…`), a key with another id is refused.
    #[pyo3(signature = (circuit, data, *, key_id = None))]
    fn add_proving_key(
        &mut self,
        py: Python<'_>,
        circuit: &str,
        data: &Bound<'_, PyAny>,
        key_id: Option<&str>,
    ) -> PyResult<()> {
        let c = circuit_arg(py, circuit)?;
        let b = bytes_arg(data, "data", true)?;
        let bytes = b.as_slice();
        let pk = guard(py, || {
            py.detach(|| decode_any::<ProvingKey>(bytes))
                .map_err(|e| cw(py, e))
        })?;
        if let Some(k) = key_id {
            let want = key_id_arg(py, k)?;
            let raw = pk.to_bytes();
            let mut tmp = KeyRing::new();
            tmp.insert_proving_bytes(c, want, &raw)
                .map_err(|e| cw(py, e))?;
        }
        self.0.insert(c, pk);
        Ok(())
    }

    /// Adds a verifying key (a `VerifyingKey`, or its bytes, base64url or snarkjs JSON). With
    /// `key_id`, a key with another id is refused.
    #[pyo3(signature = (circuit, key, *, key_id = None))]
    fn add_verifying_key(
        &mut self,
        py: Python<'_>,
        circuit: &str,
        key: &Bound<'_, PyAny>,
        key_id: Option<&str>,
    ) -> PyResult<()> {
        let c = circuit_arg(py, circuit)?;
        let vk = match key.cast::<PyVerifyingKey>() {
            Ok(v) => v.get().0.clone(),
            Err(_) => {
                let b = bytes_arg(key, "key", true)?;
                decode_any::<VerifyingKey>(b.as_slice()).map_err(|e| cw(py, e))?
            }
        };
        if let Some(k) = key_id {
            let want = key_id_arg(py, k)?;
            let mut tmp = KeyRing::new();
            tmp.insert_verifying_bytes(c, want, &vk.to_bytes())
                .map_err(|e| cw(py, e))?;
        }
        self.0.insert_verifying(c, vk);
        Ok(())
    }

    /// The verifying key for a circuit (`KeyError` if the ring has none).
    fn verifying_key(&self, py: Python<'_>, circuit: &str) -> PyResult<PyVerifyingKey> {
        let c = circuit_arg(py, circuit)?;
        self.0
            .verifying_key(&c)
            .map(|v| PyVerifyingKey(v.clone()))
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(circuit.to_owned()))
    }

    /// The proving key's bytes for a circuit (`KeyError` if the ring has none).
    fn proving_key_bytes<'py>(
        &self,
        py: Python<'py>,
        circuit: &str,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let c = circuit_arg(py, circuit)?;
        let pk = self
            .0
            .proving_key(&c)
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(circuit.to_owned()))?;
        let b = py.detach(|| pk.to_bytes());
        Ok(PyBytes::new(py, &b))
    }

    /// Builds fixed-base tables over the circuit's proving key (its query points), within
    /// `budget` bytes (default 256 MiB), with the GIL released: later proofs under the key are
    /// faster (the same proofs). A build takes the time of several proofs; worth it before
    /// proving many times. `budget=0` drops the tables. After this call the key no longer
    /// builds tables on its own. Returns what was built (as `precomputed`). `KeyError` if the
    /// ring holds no proving key for the circuit.
    #[pyo3(signature = (circuit, budget = None))]
    fn precompute(
        &self,
        py: Python<'_>,
        circuit: &str,
        budget: Option<u64>,
    ) -> PyResult<Py<pyo3::types::PyDict>> {
        let pk = self.proving(py, circuit)?;
        let budget = match budget {
            None => causeway::snark::DEFAULT_TABLE_BUDGET,
            Some(b) => usize::try_from(b)
                .map_err(|_| PyValueError::new_err("budget does not fit this platform"))?,
        };
        let built = py.detach(|| pk.precompute(budget));
        tables_dict(py, &built)
    }

    /// The fixed-base tables the circuit's proving key holds now: `{"bytes": total, "tables":
    /// [{"query": "h" | "l" | "a" | "b_g1" | "b_g2", "points": n, "window_bits": c, "bytes":
    /// b}, ...]}` (no tables: `bytes` 0 and an empty list). `KeyError` if the ring holds no
    /// proving key for the circuit.
    fn precomputed(&self, py: Python<'_>, circuit: &str) -> PyResult<Py<pyo3::types::PyDict>> {
        let pk = self.proving(py, circuit)?;
        tables_dict(py, &pk.precomputed())
    }

    /// Whether the circuit's proving key may build its tables on its own (by default it does,
    /// after 32 good proofs in this process, within 16 times its points' bytes and at most
    /// 256 MiB). `False` for a process short of memory; tables already built stay until
    /// `precompute(circuit, budget=0)`. `KeyError` if the ring holds no proving key for the
    /// circuit.
    fn set_auto_tables(&self, py: Python<'_>, circuit: &str, on: bool) -> PyResult<()> {
        self.proving(py, circuit)?.set_auto_tables(on);
        Ok(())
    }

    /// `[(circuit, key id)]`, the verifying keys held.
    fn keys(&self) -> Vec<(String, String)> {
        self.0
            .keys()
            .into_iter()
            .map(|(c, id)| (c.to_string(), id.to_text()))
            .collect()
    }

    /// Whether the ring holds a proving key for the circuit.
    fn can_prove(&self, py: Python<'_>, circuit: &str) -> PyResult<bool> {
        let c = circuit_arg(py, circuit)?;
        Ok(self.0.proving_key(&c).is_some())
    }

    fn __len__(&self) -> usize {
        self.0.keys().len()
    }

    fn __repr__(&self) -> String {
        let ks: Vec<String> = self
            .0
            .keys()
            .into_iter()
            .map(|(c, _)| {
                let role = if self.0.proving_key(&c).is_some() {
                    "prove"
                } else {
                    "verify"
                };
                format!("'{c}' ({role})")
            })
            .collect();
        format!("KeyRing([{}])", ks.join(", "))
    }

    fn _repr_html_(&self) -> String {
        let rows: Vec<(String, String)> = self
            .0
            .keys()
            .into_iter()
            .map(|(c, id)| (c.to_string(), id.to_text()))
            .collect();
        render::table("Groth16 key ring", &rows)
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a KeyRing is not picklable: save(path) it and load it in the other process",
        ))
    }
}

/// A Groth16 verifying key, identified by the hash of its bytes (`groth16vk1…`).
#[pyclass(name = "VerifyingKey", module = "causeway", frozen, eq)]
#[derive(PartialEq)]
pub(crate) struct PyVerifyingKey(pub(crate) VerifyingKey);

#[pymethods]
impl PyVerifyingKey {
    /// Decodes a verifying key: canonical bytes, base64url text, or snarkjs
    /// `verification_key.json`.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let b = bytes_arg(data, "data", true)?;
        guard(py, || {
            decode_any::<VerifyingKey>(b.as_slice())
                .map(PyVerifyingKey)
                .map_err(|e| cw(py, e))
        })
    }
    /// The canonical bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.0.to_bytes())
    }
    /// snarkjs `verification_key.json`.
    fn to_snarkjs_json(&self) -> String {
        vk_to_snarkjs_json(&self.0)
    }
    /// The key id (`groth16vk1…`).
    #[getter]
    fn id(&self) -> String {
        self.0.id().to_text()
    }
    /// How many public inputs the circuit has.
    #[getter]
    fn public_inputs(&self) -> usize {
        self.0.public_inputs()
    }
    /// The Solidity source of a verifier contract for this key (`verifyProof(uint[8],
    /// uint[N])`), named `contract_name`.
    #[pyo3(signature = (*, contract_name = "CausewayVerifier"))]
    fn solidity(&self, contract_name: &str) -> PyResult<String> {
        if contract_name.is_empty()
            || contract_name.len() > MAX_CONTRACT_NAME
            || !contract_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            || contract_name.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(PyValueError::new_err(
                "contract_name must be a Solidity identifier (letters, digits, _; at most 64)",
            ));
        }
        Ok(solidity_verifier(&self.0, contract_name))
    }
    fn __repr__(&self) -> String {
        format!(
            "VerifyingKey(id='{}', public_inputs={})",
            self.0.id().to_text(),
            self.0.public_inputs()
        )
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, pyo3::types::PyTuple>> {
        let py = slf.py();
        let f = slf.get_type().getattr("from_bytes")?;
        let args = pyo3::types::PyTuple::new(py, [PyBytes::new(py, &slf.get().0.to_bytes())])?;
        pyo3::types::PyTuple::new(py, [f, args.into_any()])
    }
}

/// One Groth16 proof with its public inputs, ready for snarkjs or the exported Solidity
/// verifier.
#[pyclass(name = "Groth16Export", module = "causeway", frozen)]
pub(crate) struct PyGroth16Export(pub(crate) Groth16Export);

#[pymethods]
impl PyGroth16Export {
    /// The circuit.
    #[getter]
    fn circuit(&self) -> String {
        self.0.circuit.to_string()
    }
    /// The id of the verifying key the proof names.
    #[getter]
    fn key_id(&self) -> String {
        self.0.key_id().to_text()
    }
    /// The public inputs as decimal strings.
    #[getter]
    fn public_inputs(&self) -> Vec<String> {
        self.0.public_inputs_decimal()
    }
    /// snarkjs `proof.json`.
    fn proof_json(&self) -> String {
        self.0.proof_json()
    }
    /// snarkjs `public.json`.
    fn public_json(&self) -> String {
        self.0.public_json()
    }
    /// The calldata of `verifyProof(proof, inputs)` for the exported Solidity verifier.
    fn calldata<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &verify_calldata(&self.0.proof, &self.0.public_inputs))
    }
    /// The raw pairing check under `vk` (what the Solidity verifier checks): no issuer,
    /// holder or revocation. Raises `VerificationError` if it fails.
    fn check(&self, py: Python<'_>, vk: PyRef<'_, PyVerifyingKey>) -> PyResult<()> {
        let e = &self.0;
        let k = &vk.0;
        guard(py, || py.detach(|| e.check(k)).map_err(|e| cw(py, e)))
    }
    fn __repr__(&self) -> String {
        format!(
            "Groth16Export(circuit='{}', key_id='{}', public_inputs={})",
            self.0.circuit,
            self.0.key_id().to_text(),
            self.0.public_inputs.len()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Membership

fn field_hex(py: Python<'_>, what: &'static str, s: &str) -> PyResult<FieldCommitment> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut b)
        .map_err(|_| cw(py, causeway::error::DecodeError::Invalid { what }))?;
    FieldCommitment::from_bytes(&b).map_err(|e| cw(py, e))
}

fn leaves_arg(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Leaves> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Leaves::parse(&s.to_cow()?).map_err(|e| cw(py, e));
    }
    let mut v = Vec::new();
    for item in obj.try_iter()? {
        let item = item?;
        let s = item
            .cast::<PyString>()
            .map_err(|_| PyTypeError::new_err("leaves must be hex strings (64 digits)"))?;
        if v.len() == crate::attest::MAX_LIST_ARGS {
            return Err(PyValueError::new_err("too many leaves"));
        }
        v.push(field_hex(py, "leaf (64 hex digits)", &s.to_cow()?)?);
    }
    Leaves::new(v).map_err(|e| cw(py, e))
}

/// A member's identity secret (a BN254 field element); its leaf `Poseidon(secret)` goes in
/// the public member list. Secret: `repr` shows only the leaf; not picklable.
#[pyclass(name = "MemberSecret", module = "causeway", frozen)]
pub(crate) struct PyMemberSecret(MemberSecret);

#[pymethods]
impl PyMemberSecret {
    /// A fresh secret from the OS RNG.
    #[staticmethod]
    fn generate(py: Python<'_>) -> PyResult<Self> {
        MemberSecret::random()
            .map(PyMemberSecret)
            .map_err(|e| cw(py, e))
    }
    /// Parses the secret's text (64 hex digits).
    #[staticmethod]
    fn from_secret_text(py: Python<'_>, text: &str) -> PyResult<Self> {
        MemberSecret::from_text_bytes(text.as_bytes())
            .map(PyMemberSecret)
            .map_err(|e| cw(py, e))
    }
    /// The secret's text (64 hex digits): a secret.
    fn to_secret_text(&self) -> String {
        self.0.to_hex().to_string()
    }
    /// The leaf (64 hex digits) the member list holds for this member.
    #[getter]
    fn leaf(&self) -> String {
        hex::encode(self.0.leaf().to_bytes())
    }
    fn __repr__(&self) -> String {
        format!(
            "MemberSecret(leaf='{}')",
            hex::encode(self.0.leaf().to_bytes())
        )
    }
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a MemberSecret is secret and not picklable: use to_secret_text() deliberately",
        ))
    }
}

/// The Poseidon Merkle root (64 hex digits) of a member list of `depth` (1..=32).
#[pyfunction]
#[pyo3(signature = (leaves, *, depth))]
pub(crate) fn membership_root(
    py: Python<'_>,
    leaves: &Bound<'_, PyAny>,
    depth: U8,
) -> PyResult<String> {
    let depth = depth.0;
    let l = leaves_arg(py, leaves)?;
    let r = guard(py, || py.detach(|| l.root(depth)).map_err(|e| cw(py, e)))?;
    Ok(hex::encode(r.to_bytes()))
}

/// Proves with Groth16 that `secret`'s leaf is in the list `leaves` (tree of `depth`),
/// without saying which, for the verifier's `challenge`; with `nullifier_context` (64 hex
/// digits) it also reveals the member's nullifier for that context. `keys` holds the proving
/// key for `membership:D[:nullifier]`. Returns the proof's JSON.
#[pyfunction]
#[pyo3(signature = (*, secret, leaves, depth, challenge, keys, nullifier_context = None, backend = "groth16"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn prove_membership_py(
    py: Python<'_>,
    secret: PyRef<'_, PyMemberSecret>,
    leaves: &Bound<'_, PyAny>,
    depth: U8,
    challenge: &Bound<'_, PyAny>,
    keys: PyRef<'_, PyKeyRing>,
    nullifier_context: Option<&str>,
    backend: &str,
) -> PyResult<String> {
    let depth = depth.0;
    let backend = backend_arg(backend)?;
    let l = leaves_arg(py, leaves)?;
    let challenge = challenge_arg(py, challenge)?;
    let ctx = match nullifier_context {
        Some(c) => Some(field_hex(py, "nullifier context (64 hex digits)", c)?),
        None => None,
    };
    let s = &secret.0;
    let ring = &keys.0;
    guard(py, || {
        py.detach(|| {
            let tree = l.tree(depth)?;
            let st = tree.statement(ctx);
            let witness = tree.witness(s)?;
            let proof = prove_membership(
                backend,
                ring,
                &st,
                &witness,
                &challenge,
                &mut rand_core::OsRng,
            )?;
            Ok::<_, causeway::Error>(
                ProvenMembership {
                    statement: st,
                    proof,
                }
                .to_json(),
            )
        })
        .map_err(|e| cw(py, e))
    })
}

/// Verifies a membership proof (JSON) against **your** root, depth, nullifier context and
/// challenge with your verifying key in `keys`. Returns the nullifier (hex) or `None`;
/// raises `VerificationError` if it does not verify.
#[pyfunction]
#[pyo3(signature = (proof, *, root, depth, challenge, keys, nullifier_context = None))]
pub(crate) fn verify_membership_py(
    py: Python<'_>,
    proof: &Bound<'_, PyAny>,
    root: &str,
    depth: U8,
    challenge: &Bound<'_, PyAny>,
    keys: PyRef<'_, PyKeyRing>,
    nullifier_context: Option<&str>,
) -> PyResult<Option<String>> {
    let depth = depth.0;
    let b = bytes_arg(proof, "proof", true)?;
    let text = std::str::from_utf8(b.as_slice()).map_err(|_| {
        cw(
            py,
            causeway::error::DecodeError::InvalidUtf8 {
                what: "membership proof",
            },
        )
    })?;
    let st = MembershipStatement {
        root: field_hex(py, "root (64 hex digits)", root)?,
        depth,
        nullifier_context: match nullifier_context {
            Some(c) => Some(field_hex(py, "nullifier context (64 hex digits)", c)?),
            None => None,
        },
    };
    let challenge = challenge_arg(py, challenge)?;
    let ring = &keys.0;
    guard(py, || {
        py.detach(|| {
            let received = ProvenMembership::from_json(text)?;
            let n = verify_membership(ring, &st, &received.proof, &challenge)?;
            Ok::<_, causeway::Error>(n.map(|x| hex::encode(x.to_bytes())))
        })
        .map_err(|e| cw(py, e))
    })
}

/// The manifest text of a key directory (`keys.json`) lists circuit → key id: read it.
#[pyfunction]
pub(crate) fn read_key_manifest(py: Python<'_>, path: PathBuf) -> PyResult<Vec<(String, String)>> {
    let m = keyring::read_manifest(&path).map_err(|e| cw(py, e))?;
    Ok(m.into_iter()
        .map(|(c, id)| (c.to_string(), id.to_text()))
        .collect())
}
