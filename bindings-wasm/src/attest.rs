//! Attestations, Groth16 key rings, presentations (Bulletproofs or Groth16) and their
//! verification.

#[cfg(feature = "prover")]
use crate::convert::bytes;
use crate::convert::{
    big_u64, bytes_array, obj, opt_str, record_from_json, record_to_js, string_array, u64_arg,
    value_to_js,
};
use crate::errors::{bad_arg, cw, JsResult};
use crate::party::{public_keys_arg, WParty};
use causeway::attest::{
    issue, issue_with_record_id, Attestation, AttestedRecord, RecordId, RevocationList,
    RevocationLists, Terms,
};
#[cfg(feature = "prover")]
use causeway::presentation::subject_keys;
use causeway::presentation::{Challenge, DiscloseField, Presentation, Verified};
use causeway::proof::Backend;
use causeway::snark::{Circuit, KeyRing, VerifyingKeyId};
use causeway::statement::Statement;
use causeway::wire::decode_any;
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// Most statements or disclosures one call takes (core caps them further).
const MAX_ITEMS: u32 = 256;

fn circuit_arg(text: &str) -> JsResult<Circuit> {
    text.parse::<Circuit>().map_err(cw)
}

fn key_id_arg(text: &str) -> JsResult<VerifyingKeyId> {
    VerifyingKeyId::from_text(text).map_err(cw)
}

/// Reports progress to an optional callback: `{phase, done, total}`. A callback that throws
/// does not stop the operation (its exception is ignored).
#[cfg(feature = "prover")]
pub(crate) fn progress(cb: Option<&js_sys::Function>, phase: &str, done: u32, total: u32) {
    if let Some(f) = cb {
        let _ = f.call1(
            &JsValue::NULL,
            &obj(&[
                ("phase", JsValue::from_str(phase)),
                ("done", JsValue::from(done)),
                ("total", JsValue::from(total)),
            ]),
        );
    }
}

/// Reports one of core's progress reports to `f` as `{phase, done, total, statement,
/// statements}`; an exception from `f` is ignored (it does not stop proving).
#[cfg(feature = "prover")]
fn report(f: &js_sys::Function, r: &causeway::proof::Progress) {
    let _ = f.call1(
        &JsValue::NULL,
        &obj(&[
            ("phase", JsValue::from_str(r.phase.as_str())),
            ("done", JsValue::from(r.done)),
            ("total", JsValue::from(r.total)),
            ("statement", JsValue::from(r.statement)),
            ("statements", JsValue::from(r.statements)),
        ]),
    );
}

/// An attestation's public description as a plain object.
fn attestation_to_js(a: &Attestation) -> JsValue {
    obj(&[
        ("id", JsValue::from_str(&a.id().to_string())),
        ("issuer", JsValue::from_str(&a.issuer().to_string())),
        ("subject", JsValue::from_str(&a.subject().to_string())),
        ("schema", JsValue::from_str(a.schema())),
        ("notBefore", big_u64(a.not_before())),
        ("notAfter", big_u64(a.not_after())),
        (
            "revocationHandle",
            JsValue::from_str(&a.revocation_handle().to_string()),
        ),
        ("recordId", opt_str(a.record_id().map(|r| r.to_string()))),
        ("version", JsValue::from(a.version())),
        (
            "numericFields",
            a.numeric()
                .iter()
                .map(|n| JsValue::from_str(&n.name))
                .collect::<Array>()
                .into(),
        ),
    ])
}

/// An attested record as its holder keeps it: the record, the issuer's attestation and the
/// openings (secret: they reveal the hidden values). Stays inside wasm memory; `toBytes()` is
/// the deliberate way out (the same file `causeway attest` writes).
#[wasm_bindgen(js_name = AttestedRecord)]
pub struct WAttestedRecord(pub(crate) AttestedRecord);

#[wasm_bindgen(js_class = AttestedRecord)]
impl WAttestedRecord {
    /// Decodes an attested record (binary, or its base64url text).
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(data: &[u8]) -> JsResult<WAttestedRecord> {
        decode_any::<AttestedRecord>(data)
            .map(WAttestedRecord)
            .map_err(cw)
    }

    /// The canonical bytes (a secret: the holder's file).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes().to_vec()
    }

    /// The attestation's public description.
    #[wasm_bindgen(getter)]
    pub fn attestation(&self) -> JsValue {
        attestation_to_js(self.0.attestation())
    }

    /// The attestation alone, canonical bytes (public).
    #[wasm_bindgen(js_name = attestationBytes)]
    pub fn attestation_bytes(&self) -> Vec<u8> {
        self.0.attestation().to_bytes()
    }

    /// The attested record `{schema, fields}` (its values are the holder's secrets).
    #[wasm_bindgen(getter)]
    pub fn record(&self) -> JsValue {
        record_to_js(self.0.record())
    }
}

/// Issues an attestation over `record_json` (`{schema, fields}`) for `subject` (`cwpub1…`
/// text), valid from `not_before` to `not_after` (unix seconds, `bigint`). `record_id_name`,
/// when given, names the record (`RecordId::named`); otherwise the id is derived.
#[wasm_bindgen(js_name = issueAttestation)]
pub fn issue_attestation(
    issuer: &WParty,
    record_json: &str,
    subject: &str,
    not_before: JsValue,
    not_after: JsValue,
    record_id_name: Option<String>,
) -> JsResult<WAttestedRecord> {
    let record = record_from_json(record_json)?;
    let subject = public_keys_arg(subject)?;
    let nb = u64_arg(&not_before, "notBefore")?;
    let na = u64_arg(&not_after, "notAfter")?;
    let terms = Terms::window(subject.key_id(), nb, Some(nb), Some(na), None).map_err(cw)?;
    let held = match record_id_name {
        Some(n) => {
            let id = RecordId::named(&n).map_err(cw)?;
            issue_with_record_id(issuer.0.keys(), &record, &terms, &id)
        }
        None => issue(issuer.0.keys(), &record, &terms),
    }
    .map_err(cw)?;
    Ok(WAttestedRecord(held))
}

/// Groth16 keys by circuit shape (`attribute`, `sum:K`, `membership:D[:nullifier]`). Every key
/// is checked against the key id the caller expects before it is kept.
#[wasm_bindgen(js_name = KeyRing)]
#[derive(Default)]
pub struct WKeyRing(pub(crate) KeyRing);

#[wasm_bindgen(js_class = KeyRing)]
impl WKeyRing {
    /// An empty key ring.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WKeyRing {
        WKeyRing(KeyRing::new())
    }

    /// Adds a proving key (its bytes, the `<id>.pk` file of `causeway setup`) for `circuit`;
    /// refused unless it is the key `expected_key_id` (`groth16vk1…`) names, and, when
    /// `expected_digest` (`groth16pk1…`) is given, unless its bytes have that digest.
    #[wasm_bindgen(js_name = addProvingKey)]
    pub fn add_proving_key(
        &mut self,
        circuit: &str,
        expected_key_id: &str,
        data: &[u8],
        expected_digest: Option<String>,
    ) -> JsResult<()> {
        let c = circuit_arg(circuit)?;
        let id = key_id_arg(expected_key_id)?;
        match expected_digest {
            Some(d) => {
                let d = causeway::snark::ProvingKeyDigest::from_text(&d).map_err(cw)?;
                self.0.insert_proving_bytes_pinned(c, id, d, data)
            }
            None => self.0.insert_proving_bytes(c, id, data),
        }
        .map_err(cw)
    }

    /// Adds a verifying key (its bytes, the `<id>.vk` file) for `circuit`, refused unless it
    /// is the key `expected_key_id` names.
    #[wasm_bindgen(js_name = addVerifyingKey)]
    pub fn add_verifying_key(
        &mut self,
        circuit: &str,
        expected_key_id: &str,
        data: &[u8],
    ) -> JsResult<()> {
        let c = circuit_arg(circuit)?;
        let id = key_id_arg(expected_key_id)?;
        self.0.insert_verifying_bytes(c, id, data).map_err(cw)
    }

    /// The shapes held with their key ids: `[{circuit, keyId, proving}]`.
    pub fn keys(&self) -> Array {
        self.0
            .keys()
            .into_iter()
            .map(|(c, id)| {
                obj(&[
                    ("circuit", JsValue::from_str(&c.to_string())),
                    ("keyId", JsValue::from_str(&id.to_text())),
                    (
                        "proving",
                        JsValue::from_bool(self.0.proving_key(&c).is_some()),
                    ),
                ])
            })
            .collect()
    }
}

/// A single-party Groth16 setup for `circuit` in this process (whoever runs it is trusted):
/// `{circuit, keyId, digest, provingKey, verifyingKey}` (the keys as bytes).
#[cfg(feature = "prover")]
#[wasm_bindgen(js_name = setupCircuit)]
pub fn setup_circuit(circuit: &str) -> JsResult<JsValue> {
    let c = circuit_arg(circuit)?;
    let pk = c.setup().map_err(cw)?;
    Ok(obj(&[
        ("circuit", JsValue::from_str(&c.to_string())),
        ("keyId", JsValue::from_str(&pk.id().to_text())),
        ("digest", JsValue::from_str(&pk.digest().to_text())),
        ("provingKey", bytes(&pk.to_bytes())),
        ("verifyingKey", bytes(&pk.verifying_key().to_bytes())),
    ]))
}

/// 32 random bytes from the platform: a verifier's challenge.
#[wasm_bindgen(js_name = randomChallenge)]
pub fn random_challenge() -> JsResult<Vec<u8>> {
    Challenge::random()
        .map(|c| c.as_bytes().to_vec())
        .map_err(cw)
}

fn challenge_arg(b: &[u8]) -> JsResult<Challenge> {
    Challenge::from_bytes(b).map_err(cw)
}

/// The Groth16 circuit shapes a list of statements needs keys for (`["attribute", "sum:4"]`),
/// so that a caller fetches exactly those keys. `attestations` is how many attested records
/// the statements may refer to.
#[wasm_bindgen(js_name = statementCircuits)]
pub fn statement_circuits(statements: &Array, attestations: u16) -> JsResult<Array> {
    let st = parse_statements(statements, attestations)?;
    let shapes = causeway::snark::statements::statement_circuits(&st).map_err(cw)?;
    Ok(shapes
        .iter()
        .map(|c| JsValue::from_str(&c.to_string()))
        .collect())
}

fn parse_statements(statements: &Array, n: u16) -> JsResult<Vec<Statement>> {
    if statements.length() > MAX_ITEMS {
        return Err(bad_arg("prove.limit", "too many statements"));
    }
    string_array(statements, "statements")?
        .iter()
        .map(|s| Statement::parse(s, n).map_err(cw))
        .collect()
}

/// What a holder presents: attested records (the first is attestation 0), fields to
/// disclose, statements to prove, a back-end; `build` signs it for the verifier's challenge.
#[wasm_bindgen(js_name = PresentationRequest)]
#[derive(Default)]
pub struct WPresentationRequest {
    held: Vec<AttestedRecord>,
    disclose: Vec<DiscloseField>,
    statements: Vec<String>,
    groth16: bool,
}

#[wasm_bindgen(js_class = PresentationRequest)]
impl WPresentationRequest {
    /// An empty request (Bulletproofs back-end).
    #[wasm_bindgen(constructor)]
    pub fn new() -> WPresentationRequest {
        WPresentationRequest::default()
    }

    /// Adds an attested record (copied; the next one is the next attestation index).
    pub fn attested(&mut self, held: &WAttestedRecord) -> JsResult<()> {
        if self.held.len() >= causeway::presentation::MAX_ATTESTATIONS {
            return Err(bad_arg(
                "prove.limit",
                &format!(
                    "1 to {} attestations",
                    causeway::presentation::MAX_ATTESTATIONS
                ),
            ));
        }
        self.held.push(held.0.clone());
        Ok(())
    }

    /// Reveals a field: `NAME` (of attestation 0) or `INDEX:NAME`.
    pub fn disclose(&mut self, field: &str) -> JsResult<()> {
        if self.disclose.len() >= causeway::presentation::MAX_DISCLOSURES {
            return Err(bad_arg("prove.limit", "too many disclosures"));
        }
        self.disclose.push(DiscloseField::parse(field).map_err(cw)?);
        Ok(())
    }

    /// Proves a statement without revealing the field (`score >= 700`, `sum(amount) >= 10`).
    /// Parsed when the presentation is built (it may refer to attestations added later).
    pub fn prove(&mut self, statement: &str) -> JsResult<()> {
        if self.statements.len() >= causeway::presentation::MAX_STATEMENTS {
            return Err(bad_arg("prove.limit", "too many statements"));
        }
        self.statements.push(statement.to_owned());
        Ok(())
    }

    /// The back-end: `"bulletproofs"` (default) or `"groth16"`.
    pub fn backend(&mut self, backend: &str) -> JsResult<()> {
        let b = backend.parse::<Backend>().map_err(cw)?;
        self.groth16 = b == Backend::Groth16;
        Ok(())
    }

    /// The Groth16 circuit shapes this request needs proving keys for (empty for
    /// Bulletproofs).
    pub fn circuits(&self) -> JsResult<Array> {
        if !self.groth16 {
            return Ok(Array::new());
        }
        let n = u16::try_from(self.held.len()).map_err(|_| bad_arg("prove.limit", "too many"))?;
        let st = self
            .statements
            .iter()
            .map(|s| Statement::parse(s, n).map_err(cw))
            .collect::<JsResult<Vec<_>>>()?;
        let shapes = causeway::snark::statements::statement_circuits(&st).map_err(cw)?;
        Ok(shapes
            .iter()
            .map(|c| JsValue::from_str(&c.to_string()))
            .collect())
    }

    /// Builds and signs the presentation as `holder` (the key, current or retired, that is the
    /// attestations' subject) for `challenge`; Groth16 needs the proving keys in `keys` (an
    /// empty ring for Bulletproofs).
    /// `on_progress` gets `{phase, done, total, statement, statements}` as each stage core
    /// reports begins (`causeway::proof::ProvePhase`: `witness`, `quotient`, `msm-h` …
    /// `check` per Groth16 statement, `statement` per Bulletproofs statement then `range`; then
    /// `sign` and `done` with `done == total`).
    /// Returns `{bytes, json}` (canonical bytes; the JSON `causeway present` writes).
    #[cfg(feature = "prover")]
    pub fn build(
        &self,
        holder: &WParty,
        challenge: &[u8],
        keys: &WKeyRing,
        on_progress: Option<js_sys::Function>,
    ) -> JsResult<JsValue> {
        self.build_with_rng(holder, challenge, keys, on_progress, &mut rand_core::OsRng)
    }

    /// [`build`](Self::build) with a deterministic RNG seeded by `seed` (a `bigint`), so that
    /// two builds (the threaded variant and the single-threaded one) can be shown to make the
    /// same bytes. Test suite only: built with the `self-test` feature, never into the package.
    #[cfg(all(feature = "prover", feature = "self-test"))]
    #[wasm_bindgen(js_name = selfTestBuildSeeded)]
    pub fn self_test_build_seeded(
        &self,
        holder: &WParty,
        challenge: &[u8],
        keys: &WKeyRing,
        seed: u64,
    ) -> JsResult<JsValue> {
        use ark_std::rand::SeedableRng;
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(seed);
        self.build_with_rng(holder, challenge, keys, None, &mut rng)
    }
}

#[cfg(feature = "prover")]
impl WPresentationRequest {
    fn build_with_rng<R: rand_core::RngCore + rand_core::CryptoRng>(
        &self,
        holder: &WParty,
        challenge: &[u8],
        keys: &WKeyRing,
        on_progress: Option<js_sys::Function>,
        rng: &mut R,
    ) -> JsResult<JsValue> {
        let challenge = challenge_arg(challenge)?;
        let n = u16::try_from(self.held.len()).map_err(|_| bad_arg("prove.limit", "too many"))?;
        let statements = self
            .statements
            .iter()
            .map(|s| Statement::parse(s, n).map_err(cw))
            .collect::<JsResult<Vec<_>>>()?;
        let ring = &keys.0;
        let sk = subject_keys(&holder.0, &self.held).map_err(cw)?;
        let held: Vec<&AttestedRecord> = self.held.iter().collect();
        let disclose: Vec<(u16, &str)> = self
            .disclose
            .iter()
            .map(|d| (d.attestation, d.name.as_str()))
            .collect();
        let backend = if self.groth16 {
            Backend::Groth16
        } else {
            Backend::Bulletproofs
        };
        let p = match on_progress.as_ref() {
            Some(f) => Presentation::create_with_progress_rng(
                sk,
                (&held, &disclose, &statements),
                &challenge,
                (backend, ring),
                rng,
                &|r: causeway::proof::Progress| report(f, &r),
            ),
            None => Presentation::create_with_backend_rng(
                sk,
                &held,
                &disclose,
                &statements,
                &challenge,
                (backend, ring),
                rng,
            ),
        }
        .map_err(cw)?;
        Ok(obj(&[
            ("bytes", bytes(&p.to_bytes())),
            ("json", JsValue::from_str(&p.to_json_string())),
        ]))
    }
}

#[cfg(feature = "prover")]
#[wasm_bindgen(js_class = PresentationRequest)]
impl WPresentationRequest {
    /// Groth16: proves statement `index` alone (for parallel proving, e.g. one statement per
    /// Worker) as `holder` for `challenge`: the proof's bytes (`causeway::snark::Proof`).
    /// `on_progress` hears its eight stages and `done`. Assemble with `assemble`.
    #[wasm_bindgen(js_name = proveStatement)]
    pub fn prove_statement(
        &self,
        holder: &WParty,
        challenge: &[u8],
        keys: &WKeyRing,
        index: u32,
        on_progress: Option<js_sys::Function>,
    ) -> JsResult<Vec<u8>> {
        let challenge = challenge_arg(challenge)?;
        let statements = self.parsed_statements()?;
        let sk = subject_keys(&holder.0, &self.held).map_err(cw)?;
        let held: Vec<&AttestedRecord> = self.held.iter().collect();
        let index = usize::try_from(index).map_err(|_| bad_arg("prove.limit", "index"))?;
        let hk = sk.public().key_id();
        let on = on_progress
            .as_ref()
            .map(|f| move |r: causeway::proof::Progress| report(f, &r));
        let p = causeway::snark::statements::prove_statement(
            &held,
            &statements,
            index,
            (&keys.0, &challenge, &hk),
            &mut rand_core::OsRng,
            on.as_ref().map(|f| f as &dyn Fn(causeway::proof::Progress)),
        )
        .map_err(cw)?;
        Ok(p.to_bytes().to_vec())
    }

    /// Groth16: assembles the presentation from `proofs` (bytes, one per statement in order,
    /// from `proveStatement`), each checked against the keys in `keys` before the holder
    /// signs. Returns `{bytes, json}` like `build`.
    pub fn assemble(
        &self,
        holder: &WParty,
        challenge: &[u8],
        keys: &WKeyRing,
        proofs: &Array,
    ) -> JsResult<JsValue> {
        let challenge = challenge_arg(challenge)?;
        let statements = self.parsed_statements()?;
        if proofs.length() as usize > causeway::presentation::MAX_STATEMENTS {
            return Err(bad_arg("prove.limit", "too many proofs"));
        }
        let proofs = bytes_array(proofs, "proofs")?
            .iter()
            .map(|b| causeway::snark::Proof::from_bytes(b).map_err(cw))
            .collect::<JsResult<Vec<_>>>()?;
        let sk = subject_keys(&holder.0, &self.held).map_err(cw)?;
        let held: Vec<&AttestedRecord> = self.held.iter().collect();
        let disclose: Vec<(u16, &str)> = self
            .disclose
            .iter()
            .map(|d| (d.attestation, d.name.as_str()))
            .collect();
        let p = Presentation::assemble_groth16(
            sk,
            (&held, &disclose, &statements),
            &challenge,
            &keys.0,
            proofs,
        )
        .map_err(cw)?;
        Ok(obj(&[
            ("bytes", bytes(&p.to_bytes())),
            ("json", JsValue::from_str(&p.to_json_string())),
        ]))
    }
}

impl WPresentationRequest {
    #[cfg(feature = "prover")]
    fn parsed_statements(&self) -> JsResult<Vec<Statement>> {
        let n = u16::try_from(self.held.len()).map_err(|_| bad_arg("prove.limit", "too many"))?;
        self.statements
            .iter()
            .map(|s| Statement::parse(s, n).map_err(cw))
            .collect()
    }
}

fn verified_to_js(v: &Verified) -> JsValue {
    let atts: Array = v
        .attestations()
        .iter()
        .map(|a| {
            obj(&[
                ("id", JsValue::from_str(&a.id.to_string())),
                ("issuer", JsValue::from_str(&a.issuer.to_string())),
                ("schema", JsValue::from_str(&a.schema)),
                ("notBefore", big_u64(a.not_before)),
                ("notAfter", big_u64(a.not_after)),
                ("recordId", opt_str(a.record_id.map(|r| r.to_string()))),
            ])
        })
        .collect();
    let disclosed: Array = v
        .disclosed()
        .iter()
        .map(|d| {
            let tv = value_to_js(&d.value);
            obj(&[
                ("attestation", JsValue::from(d.attestation)),
                ("field", JsValue::from_str(&d.name)),
                (
                    "type",
                    js_sys::Reflect::get(&tv, &"type".into()).unwrap_or(JsValue::NULL),
                ),
                (
                    "value",
                    js_sys::Reflect::get(&tv, &"value".into()).unwrap_or(JsValue::NULL),
                ),
            ])
        })
        .collect();
    let statements: Array = v
        .statements()
        .iter()
        .map(|s| JsValue::from_str(&s.to_string()))
        .collect();
    obj(&[
        ("backend", JsValue::from_str(&v.backend().to_string())),
        ("subject", JsValue::from_str(&v.subject().to_string())),
        ("attestations", atts.into()),
        ("disclosed", disclosed.into()),
        ("statements", statements.into()),
    ])
}

/// Verifies a presentation (its bytes, or its JSON as UTF-8) against `issuers` (`cwpub1…`
/// texts) and the verifier's `challenge` at `now` (unix seconds, `bigint`): every attestation
/// signed by a trusted issuer, valid and not revoked by any of `revocation_lists` (signed lists,
/// bytes), the holder's signature, the disclosures and every proof (Groth16 against the
/// verifying keys in `keys`; an empty ring otherwise). Returns what it established: `{backend, subject, attestations,
/// disclosed, statements}`.
#[wasm_bindgen(js_name = verifyPresentation)]
pub fn verify_presentation(
    presentation: &[u8],
    issuers: &Array,
    challenge: &[u8],
    now: JsValue,
    keys: &WKeyRing,
    revocation_lists: Option<Array>,
) -> JsResult<JsValue> {
    let p = decode_any::<Presentation>(presentation).map_err(cw)?;
    let issuers = string_array(issuers, "issuers")?
        .iter()
        .map(|t| public_keys_arg(t))
        .collect::<JsResult<Vec<_>>>()?;
    let challenge = challenge_arg(challenge)?;
    let now = u64_arg(&now, "now")?;
    let lists = match revocation_lists {
        Some(a) => bytes_array(&a, "revocation lists")?
            .iter()
            .map(|b| decode_any::<RevocationList>(b).map_err(cw))
            .collect::<JsResult<Vec<_>>>()?,
        None => Vec::new(),
    };
    let ring = &keys.0;
    let v = if lists.is_empty() {
        p.verify_with_keys(
            &issuers,
            &challenge,
            now,
            &causeway::attest::NoRevocations,
            ring,
        )
    } else {
        p.verify_with_keys(
            &issuers,
            &challenge,
            now,
            &RevocationLists::new(&lists, now),
            ring,
        )
    }
    .map_err(cw)?;
    Ok(verified_to_js(&v))
}

/// What a presentation claims, before verification: `{backend, holder, statements,
/// attestations, groth16KeyIds}` (nothing here is established until `verifyPresentation`).
#[wasm_bindgen(js_name = inspectPresentation)]
pub fn inspect_presentation(presentation: &[u8]) -> JsResult<JsValue> {
    let p = decode_any::<Presentation>(presentation).map_err(cw)?;
    Ok(obj(&[
        ("backend", JsValue::from_str(&p.backend().to_string())),
        ("holder", JsValue::from_str(&p.holder().to_text())),
        (
            "statements",
            p.statements()
                .iter()
                .map(|s| JsValue::from_str(&s.to_string()))
                .collect::<Array>()
                .into(),
        ),
        (
            "attestations",
            p.attestations()
                .iter()
                .map(attestation_to_js)
                .collect::<Array>()
                .into(),
        ),
        (
            "groth16KeyIds",
            p.groth16_key_ids()
                .iter()
                .map(|k| JsValue::from_str(&k.to_text()))
                .collect::<Array>()
                .into(),
        ),
        ("json", JsValue::from_str(&p.to_json_string())),
    ]))
}
