use super::*;
use crate::field::fr_to_be_bytes;
use ark_ff::{BigInteger, PrimeField, UniformRand};
use ark_std::rand::{rngs::StdRng, SeedableRng};
use light_poseidon::{Poseidon, PoseidonHasher};
use proptest::prelude::*;

fn hex_of(x: &Fr) -> String {
    hex::encode(fr_to_be_bytes(x))
}

fn fr(n: u64) -> Fr {
    Fr::from(n)
}

#[test]
fn circomlib_known_answers() {
    // Published circomlib / circomlibjs outputs.
    assert_eq!(
        hex_of(&hash(&[fr(1), fr(2)]).unwrap()),
        "115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"
    );
    assert_eq!(
        hex_of(&hash2(fr(1), fr(2))),
        "115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"
    );
    assert_eq!(
        hex_of(&hash_reference(&[fr(1), fr(2)]).unwrap()),
        "115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"
    );
}

#[test]
fn parameters_equal_light_poseidon() {
    for t in 2..=13u8 {
        let lp = light_poseidon::parameters::bn254_x5::get_poseidon_parameters::<Fr>(t).unwrap();
        let ours = params(usize::from(t) - 1).unwrap();
        assert_eq!(lp.full_rounds, ours.full_rounds, "t={t}");
        assert_eq!(lp.partial_rounds, ours.partial_rounds, "t={t}");
        assert_eq!(lp.ark, ours.constants, "round constants t={t}");
        let lp_mds: Vec<Fr> = lp.mds.iter().flatten().copied().collect();
        assert_eq!(lp_mds, ours.mds, "mds t={t}");
    }
}

#[test]
fn equals_light_poseidon_on_random_inputs() {
    let mut rng = StdRng::seed_from_u64(7);
    for n in 1..=12usize {
        let mut peer = Poseidon::<Fr>::new_circom(n).unwrap();
        for _ in 0..8 {
            let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            assert_eq!(hash(&inputs).unwrap(), peer.hash(&inputs).unwrap(), "n={n}");
        }
    }
}

#[test]
fn every_width_uses_the_optimized_form() {
    assert_eq!(optimized::optimized_widths(), vec![true; MAX_INPUTS]);
}

#[test]
fn width_generic_permutation_equals_fixed_width() {
    // Every width, both forms, against each other and the textbook permutation; a changed
    // input changes the output in both.
    let mut rng = StdRng::seed_from_u64(11);
    for n in 1..=MAX_INPUTS {
        let mut inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
        let flat = optimized::hash_flat(&inputs).unwrap();
        assert_eq!(flat, hash(&inputs).unwrap(), "n={n}");
        assert_eq!(flat, hash_reference(&inputs).unwrap(), "n={n}");
        inputs[n - 1] += Fr::from(1u64);
        let changed = optimized::hash_flat(&inputs).unwrap();
        assert_ne!(changed, flat, "n={n}");
        assert_eq!(changed, hash_reference(&inputs).unwrap(), "n={n}");
    }
    assert_eq!(
        optimized::hash_flat(&[]),
        Err(PoseidonError::InputCount { got: 0 })
    );
    assert_eq!(
        optimized::hash_flat(&[Fr::zero(); MAX_INPUTS + 1]),
        Err(PoseidonError::InputCount {
            got: MAX_INPUTS + 1
        })
    );
}

#[test]
fn input_counts() {
    assert_eq!(hash(&[]), Err(PoseidonError::InputCount { got: 0 }));
    assert_eq!(
        hash(&[Fr::zero(); 17]),
        Err(PoseidonError::InputCount { got: 17 })
    );
    assert_eq!(
        hash_reference(&[]),
        Err(PoseidonError::InputCount { got: 0 })
    );
    for n in 1..=MAX_INPUTS {
        assert!(hash(&vec![Fr::zero(); n]).is_ok());
    }
}

#[test]
fn widths_differ() {
    // Same leading inputs, different widths: different parameters, different outputs.
    let a = hash(&[fr(1)]).unwrap();
    let b = hash(&[fr(1), fr(0)]).unwrap();
    assert_ne!(a, b);
    assert_eq!(Fr::MODULUS_BIT_SIZE, 254);
    assert_eq!(Fr::MODULUS.to_bytes_be().len(), 32);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn optimized_equals_reference(n in 1..=MAX_INPUTS, seed in any::<u64>(), edge in 0u8..4) {
        let mut rng = StdRng::seed_from_u64(seed);
        let inputs: Vec<Fr> = (0..n)
            .map(|i| match (edge, i % 3) {
                (1, _) => Fr::zero(),
                (2, 0) => -Fr::from(1u64),
                (3, 1) => Fr::from(1u64),
                _ => Fr::rand(&mut rng),
            })
            .collect();
        prop_assert_eq!(hash(&inputs).unwrap(), hash_reference(&inputs).unwrap());
        // The width-generic permutation (what the `small-code` build runs for most widths).
        prop_assert_eq!(optimized::hash_flat(&inputs).unwrap(), hash_reference(&inputs).unwrap());
        if n == 2 {
            prop_assert_eq!(hash2(inputs[0], inputs[1]), hash_reference(&inputs).unwrap());
        }
    }
}
