//! The canonical bytes of a presentation (`docs/spec/attestations.md`).

use super::*;

/// The one value codec ([`Value::encode`]), with a presentation's error type.
fn decode_value(r: &mut Reader<'_>) -> Result<Value, DecodeError> {
    Value::decode(r).map_err(|e| match e {
        RecordError::Decode(d) => d,
        _ => DecodeError::Invalid {
            what: "disclosed value",
        },
    })
}

impl Proofs {
    pub(super) fn version(&self) -> u8 {
        match self {
            Proofs::Bulletproofs(_) => PRESENTATION_VERSION,
            Proofs::Groth16(_) => PRESENTATION_VERSION_GROTH16,
        }
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Proofs::Bulletproofs(p) => p.encode(out),
            Proofs::Groth16(ps) => {
                out.extend_from_slice(&(ps.len() as u16).to_be_bytes());
                for p in ps {
                    out.extend_from_slice(&p.to_bytes());
                }
            }
        }
    }

    pub(super) fn decode(
        r: &mut Reader<'_>,
        version: u8,
        column: bool,
    ) -> Result<Self, DecodeError> {
        if version == PRESENTATION_VERSION_GROTH16 {
            let n = r.u16()? as usize;
            if n > MAX_STATEMENTS {
                return Err(DecodeError::TooLong {
                    what: "Groth16 proofs",
                    len: n,
                    max: MAX_STATEMENTS,
                });
            }
            let mut ps = Vec::with_capacity(n);
            for _ in 0..n {
                ps.push(Proof::from_bytes(&r.array::<PROOF_BYTES>()?)?);
            }
            Ok(Proofs::Groth16(ps))
        } else {
            Ok(Proofs::Bulletproofs(Box::new(StatementProofs::decode_for(
                r,
                MAX_STATEMENTS,
                column,
            )?)))
        }
    }
}

impl Presentation {
    pub(super) fn signed_message(&self, challenge: &Challenge) -> Vec<u8> {
        let mut m = PRESENTATION_NAMESPACE.to_vec();
        m.push(challenge.as_bytes().len() as u8);
        m.extend_from_slice(challenge.as_bytes());
        m.extend_from_slice(&self.body());
        m
    }

    pub(super) fn body(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        write_header(&mut out, self.proofs.version(), Tag::Presentation);
        out.extend_from_slice(&(self.attestations.len() as u16).to_be_bytes());
        for a in &self.attestations {
            put_bytes_u32(&mut out, &a.to_bytes());
        }
        out.extend_from_slice(self.holder.signing().as_bytes());
        out.extend_from_slice(self.holder.encryption().as_bytes());
        out.extend_from_slice(&(self.disclosures.len() as u16).to_be_bytes());
        for d in &self.disclosures {
            out.extend_from_slice(&d.attestation.to_be_bytes());
            put_bytes_u16(&mut out, d.name.as_bytes());
            d.value.encode(&mut out);
            out.extend_from_slice(d.salt.as_bytes());
            out.push(d.path.index as u8);
            for s in &d.path.siblings {
                out.extend_from_slice(&fr_to_be_bytes(s));
            }
            match &d.blinding {
                Some(b) => {
                    out.push(1);
                    out.extend_from_slice(b.as_bytes());
                }
                None => out.push(0),
            }
        }
        out.extend_from_slice(&(self.statements.len() as u16).to_be_bytes());
        for s in &self.statements {
            s.encode(&mut out);
        }
        self.proofs.encode(&mut out);
        out
    }

    /// The canonical bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.body();
        b.extend_from_slice(&self.signature);
        b
    }

    /// Strict decoding (caps before allocation, canonical points, scalars and field elements,
    /// no trailing bytes). Verification is separate: [`Presentation::verify`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_PRESENTATION_LEN {
            return Err(DecodeError::TooLong {
                what: "presentation",
                len: bytes.len(),
                max: MAX_PRESENTATION_LEN,
            });
        }
        let mut r = Reader::new(bytes);
        let version = read_header(
            &mut r,
            Tag::Presentation,
            &[PRESENTATION_VERSION, PRESENTATION_VERSION_GROTH16],
        )?;
        let n = r.u16()? as usize;
        if n == 0 || n > MAX_ATTESTATIONS {
            return Err(DecodeError::Invalid {
                what: "number of attestations",
            });
        }
        let mut attestations = Vec::with_capacity(n);
        for _ in 0..n {
            attestations.push(Attestation::from_bytes(
                r.bytes_u32("attestation", MAX_ATTESTATION_LEN)?,
            )?);
        }
        let sk = r.array::<32>()?;
        let ek = r.array::<32>()?;
        let holder = PublicKeys::from_bytes(&sk, &ek).map_err(|_| DecodeError::Invalid {
            what: "holder public keys",
        })?;
        let n = r.u16()? as usize;
        if n > MAX_DISCLOSURES {
            return Err(DecodeError::TooLong {
                what: "disclosures",
                len: n,
                max: MAX_DISCLOSURES,
            });
        }
        let mut disclosures: Vec<Disclosure> = Vec::with_capacity(n);
        for _ in 0..n {
            let attestation = r.u16()?;
            let name = r.str_u16("field name", MAX_NAME_LEN)?.to_owned();
            if disclosures
                .iter()
                .any(|d| d.attestation == attestation && d.name == name)
            {
                return Err(DecodeError::Invalid {
                    what: "duplicate disclosure",
                });
            }
            let value = decode_value(&mut r)?;
            let salt = FieldSalt::from_bytes(&r.array()?)?;
            let index = u64::from(r.u8()?);
            let mut siblings = Vec::with_capacity(TREE_DEPTH);
            for _ in 0..TREE_DEPTH {
                siblings.push(fr_from_be_bytes_canonical(&r.array()?).map_err(|_| {
                    DecodeError::Invalid {
                        what: "Merkle sibling (not canonical)",
                    }
                })?);
            }
            let blinding = match r.u8()? {
                0 => None,
                1 => Some(scalar_from_canonical(&r.array()?)?),
                _ => {
                    return Err(DecodeError::Invalid {
                        what: "blinding flag",
                    })
                }
            };
            disclosures.push(Disclosure {
                attestation,
                name,
                value,
                salt,
                path: MerklePath { index, siblings },
                blinding,
            });
        }
        let n = r.u16()? as usize;
        if n > MAX_STATEMENTS {
            return Err(DecodeError::TooLong {
                what: "statements",
                len: n,
                max: MAX_STATEMENTS,
            });
        }
        let mut statements = Vec::with_capacity(n);
        for _ in 0..n {
            statements.push(Statement::decode(&mut r)?);
        }
        let column = statements.iter().any(Statement::is_all);
        let proofs = Proofs::decode(&mut r, version, column)?;
        let signature = r.array::<64>()?;
        r.finish()?;
        Ok(Presentation {
            attestations,
            holder,
            disclosures,
            statements,
            proofs,
            signature,
        })
    }
}
