//! Groth16 proofs out to the ecosystem (decision 0048): a proof with the public inputs it
//! verifies against, as snarkjs's `proof.json` / `public.json` (what `snarkjs groth16 verify`
//! reads, beside the `verification_key.json` of [`super::vk_to_snarkjs_json`]) and as the
//! arguments of the generated Solidity verifier (`verifyProof(uint256[8], uint256[])`, encoded by
//! `snark::solidity::verify_calldata`, also at `anchor::verifier`).
//!
//! Exports come from a Groth16 presentation (`presentation::Presentation::groth16_exports`, one
//! per statement) or a membership proof ([`super::membership::ProvenMembership::export`]). The
//! public inputs are recomputed from the presentation or proof and the verifier's challenge: an
//! outside verifier that checks only the Groth16 equation learns that *some* statement with
//! this hash holds; what the hash means (issuer, holder, field, bound, root) is what
//! `causeway verify` / `verify_membership` check, so say which checks the outside party does.
//!
//! ```
//! use causeway::proof::{Backend, Challenge};
//! use causeway::snark::membership::{prove_membership, Leaves, MemberSecret, ProvenMembership};
//! use causeway::snark::{Circuit, KeyRing};
//!
//! let me = MemberSecret::random()?;
//! let tree = Leaves::new(vec![me.leaf()])?.tree(1)?;
//! let circuit = Circuit::Membership { depth: 1, nullifier: false };
//! let mut keys = KeyRing::new();
//! keys.insert(circuit, circuit.setup()?);
//! let challenge = Challenge::random()?;
//! let statement = tree.statement(None);
//! let proof = prove_membership(Backend::Groth16, &keys, &statement, &tree.witness(&me)?, &challenge, &mut rand_core::OsRng)?;
//! // the verifier exports under its own statement (root, depth, context), not the JSON's claim
//! let export = ProvenMembership { statement, proof }.export(&statement, &challenge)?;
//! let vk = keys.verifying_key(&circuit).ok_or(causeway::error::ProveError::NoKey(circuit.to_string()))?;
//! export.check(vk)?; // what snarkjs and the Solidity verifier check
//! let proof_json = export.proof_json();   // snarkjs proof.json
//! let public_json = export.public_json(); // snarkjs public.json
//! let calldata = causeway::snark::solidity::verify_calldata(&export.proof, &export.public_inputs);
//! assert!(proof_json.contains("pi_a") && public_json.starts_with('['));
//! assert_eq!(calldata.len(), 4 + 32 * (8 + 2 + export.public_inputs.len()));
//! # Ok::<(), causeway::Error>(())
//! ```

use super::{Circuit, Fr, Proof, VerifyingKey, VerifyingKeyId};
use crate::error::SnarkVerifyError;

/// A Groth16 proof with the public inputs it verifies against (see the module docs).
#[derive(Clone, Debug)]
pub struct Groth16Export {
    /// The circuit the proof is for (its verifying key: the verifier's key for this circuit).
    pub circuit: Circuit,
    /// The proof (it names its verifying key's id).
    pub proof: Proof,
    /// The public inputs, in the circuit's order.
    pub public_inputs: Vec<Fr>,
}

impl Groth16Export {
    /// The id of the verifying key the proof was made for.
    pub fn key_id(&self) -> VerifyingKeyId {
        self.proof.key_id()
    }

    /// snarkjs `proof.json`.
    pub fn proof_json(&self) -> String {
        super::proof_to_snarkjs_json(&self.proof)
    }

    /// snarkjs `public.json` (decimal strings).
    pub fn public_json(&self) -> String {
        super::public_to_snarkjs_json(&self.public_inputs)
    }

    /// The public inputs as decimal strings (snarkjs, Solidity `uint256`).
    pub fn public_inputs_decimal(&self) -> Vec<String> {
        self.public_inputs
            .iter()
            .map(super::input_to_decimal)
            .collect()
    }

    /// The raw Groth16 check under `vk` (what `snarkjs groth16 verify` and the Solidity
    /// verifier check): no statement, holder or issuer is checked.
    pub fn check(&self, vk: &VerifyingKey) -> Result<(), SnarkVerifyError> {
        super::verify(vk, &self.public_inputs, &self.proof)
    }
}
