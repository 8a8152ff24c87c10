//! Writes a Groth16 verifying key, public inputs and proof in snarkjs's JSON format into
//! `target/interop/groth16/` for `scripts/suites/40-snarkjs.sh`, which checks them with
//! `snarkjs groth16 verify` (a peer no one here wrote). Also checks that our importer reads
//! back what it wrote and that a tampered copy (written beside it) does not verify here.

use ark_relations::lc;
use ark_relations::r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError, Variable};
use causeway::snark::{self, Fr};
use std::path::PathBuf;

/// Public `out`, `a`, `b`; private `x`: `x * x = a`, `x * a = out - b` (a small cubic).
#[derive(Clone)]
struct Cubic {
    x: Option<Fr>,
    b: Option<Fr>,
}

impl ConstraintSynthesizer<Fr> for Cubic {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let x = self.x.ok_or(SynthesisError::AssignmentMissing);
        let a_val = x.map(|x| x * x);
        let out_val =
            x.and_then(|x| Ok(x * x * x + self.b.ok_or(SynthesisError::AssignmentMissing)?));
        let out = cs.new_input_variable(|| out_val)?;
        let a = cs.new_input_variable(|| a_val)?;
        let b = cs.new_input_variable(|| self.b.ok_or(SynthesisError::AssignmentMissing))?;
        let xv = cs.new_witness_variable(|| x)?;
        cs.enforce_constraint(lc!() + xv, lc!() + xv, lc!() + a)?;
        cs.enforce_constraint(lc!() + xv, lc!() + a, lc!() + out - b)?;
        let _ = Variable::One;
        Ok(())
    }
}

fn out_dir() -> PathBuf {
    let d = causeway_tests::crate_dir().join("../target/interop/groth16");
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn export_for_snarkjs() {
    let pk = snark::setup(Cubic { x: None, b: None }).unwrap();
    let vk = pk.verifying_key();
    let x = Fr::from(3u64);
    let b = -Fr::from(5u64); // r - 5: a large public input
    let (proof, inputs) = snark::prove_returning_inputs_with_rng(
        &pk,
        Cubic {
            x: Some(x),
            b: Some(b),
        },
        &mut rand_core::OsRng,
    )
    .unwrap();
    assert_eq!(inputs, vec![x * x * x + b, x * x, b]);
    snark::verify(vk, &inputs, &proof).unwrap();

    let vk_json = snark::vk_to_snarkjs_json(vk);
    let proof_json = snark::proof_to_snarkjs_json(&proof);
    let public_json = snark::public_to_snarkjs_json(&inputs);

    // Our importer reads back what we wrote.
    let vk2 = snark::vk_from_snarkjs_json(&vk_json).unwrap();
    assert_eq!(vk2.id(), vk.id());
    let p2 = snark::proof_from_snarkjs_json(&proof_json, &vk2).unwrap();
    let i2 = snark::public_from_snarkjs_json(&public_json).unwrap();
    snark::verify(&vk2, &i2, &p2).unwrap();

    let d = out_dir();
    std::fs::write(d.join("vk.json"), &vk_json).unwrap();
    std::fs::write(d.join("proof.json"), &proof_json).unwrap();
    std::fs::write(d.join("public.json"), &public_json).unwrap();
    // A false statement for the same proof: snarkjs must refuse it too.
    let mut wrong = inputs.clone();
    wrong[2] += Fr::from(1u64);
    snark::verify(vk, &wrong, &proof).unwrap_err();
    std::fs::write(
        d.join("public-wrong.json"),
        snark::public_to_snarkjs_json(&wrong),
    )
    .unwrap();
}
