//! Poseidon parameter generation with the Grain LFSR, as in the Poseidon authors' reference script
//! `generate_parameters_grain.sage` (field = 1 (GF(p)), S-box = 0 (x^alpha), n = 254 bits).
//! circomlib's constants were produced by that script; we regenerate them here instead of copying
//! circomlib's (GPL) files.

use ark_ff::{BigInt, BigInteger, Field, PrimeField, Zero};

use crate::Fr;

/// Bits of the field size used by the generator (BN254's r has 254 bits).
const FIELD_BITS: u32 = 254;
const STATE_BITS: u32 = 80;
const STATE_MASK: u128 = (1u128 << STATE_BITS) - 1;

/// The Grain LFSR in self-shrinking mode. Bit `i` of `state` is `bit_sequence[i]` of the script
/// (index 0 is the oldest bit).
struct Grain {
    state: u128,
}

impl Grain {
    fn new(t: usize, full_rounds: usize, partial_rounds: usize) -> Self {
        // Init sequence, most significant bit first within each field:
        // field (2) | sbox (4) | n (12) | t (12) | R_F (10) | R_P (10) | thirty 1 bits.
        let fields: [(u64, u32); 6] = [
            (1, 2),
            (0, 4),
            (u64::from(FIELD_BITS), 12),
            (t as u64, 12),
            (full_rounds as u64, 10),
            (partial_rounds as u64, 10),
        ];
        let mut bits: Vec<bool> = Vec::with_capacity(STATE_BITS as usize);
        for (value, width) in fields {
            for k in (0..width).rev() {
                bits.push((value >> k) & 1 == 1);
            }
        }
        bits.resize(STATE_BITS as usize, true);
        let state = bits
            .iter()
            .enumerate()
            .fold(0u128, |acc, (i, &b)| acc | (u128::from(b) << i));
        let mut grain = Self { state };
        for _ in 0..160 {
            grain.step();
        }
        grain
    }

    /// One LFSR step: the new bit is appended and the oldest dropped; returns the new bit.
    fn step(&mut self) -> bool {
        let s = self.state;
        let bit = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1;
        self.state = ((s >> 1) | (bit << (STATE_BITS - 1))) & STATE_MASK;
        bit == 1
    }

    /// One output bit of the self-shrinking generator.
    fn next_bit(&mut self) -> bool {
        let mut b = self.step();
        while !b {
            self.step();
            b = self.step();
        }
        self.step()
    }

    /// `n` output bits read as a big-endian integer (n = 254), as 4 little-endian limbs.
    fn random_bigint(&mut self) -> BigInt<4> {
        let mut limbs = [0u64; 4];
        for k in (0..FIELD_BITS).rev() {
            if self.next_bit() {
                if let Some(limb) = limbs.get_mut((k / 64) as usize) {
                    *limb |= 1u64 << (k % 64);
                }
            }
        }
        BigInt::new(limbs)
    }

    /// A round constant: rejection-sampled below r.
    fn round_constant(&mut self) -> Fr {
        loop {
            if let Some(x) = Fr::from_bigint(self.random_bigint()) {
                return x;
            }
        }
    }

    /// A field element for the MDS matrix: reduced modulo r (the script's `F(int)`).
    fn reduced(&mut self) -> Fr {
        let mut limbs = self.random_bigint();
        // n = 254 bits < 2r, so one conditional subtraction reduces.
        if limbs >= Fr::MODULUS {
            limbs.sub_with_borrow(&Fr::MODULUS);
        }
        Fr::from_bigint(limbs).unwrap_or_else(Fr::zero)
    }
}

/// Round constants and MDS matrix for one width.
pub(crate) struct Params {
    pub(crate) t: usize,
    pub(crate) full_rounds: usize,
    pub(crate) partial_rounds: usize,
    /// `(full_rounds + partial_rounds) * t` constants, round-major.
    pub(crate) constants: Vec<Fr>,
    /// `t * t`, row-major: `M[i][j] = 1 / (x_i + y_j)`; mixing is `new[i] = sum_j M[i][j] * s[j]`.
    pub(crate) mds: Vec<Fr>,
}

/// Generates the parameters for width `t` with the given round counts.
pub(crate) fn generate(t: usize, full_rounds: usize, partial_rounds: usize) -> Params {
    let mut grain = Grain::new(t, full_rounds, partial_rounds);
    let constants = (0..(full_rounds + partial_rounds) * t)
        .map(|_| grain.round_constant())
        .collect();
    let mds = loop {
        let list: Vec<Fr> = (0..2 * t).map(|_| grain.reduced()).collect();
        let distinct = list
            .iter()
            .enumerate()
            .all(|(i, a)| list.iter().skip(i + 1).all(|b| a != b));
        if !distinct {
            continue;
        }
        let (xs, ys) = list.split_at(t);
        let mut mds = Vec::with_capacity(t * t);
        let mut ok = true;
        for x in xs {
            for y in ys {
                match (*x + y).inverse() {
                    Some(v) => mds.push(v),
                    None => ok = false,
                }
            }
        }
        if ok {
            break mds;
        }
    };
    Params {
        t,
        full_rounds,
        partial_rounds,
        constants,
        mds,
    }
}
