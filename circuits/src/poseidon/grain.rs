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

/// New bits per block: the next bit depends on state bits 0 to 62 only, so the next
/// `80 - 62 = 18` bits are all functions of the current state (and 18 is even: the
/// self-shrinking pairs never straddle two blocks).
const BLOCK: u32 = 18;

/// The register before the discarded bits: field (2) | sbox (4) | n (12) | t (12) | R_F (10) |
/// R_P (10) | thirty 1 bits, most significant bit first within each field, bit 0 the first.
fn initial_state(t: usize, full_rounds: usize, partial_rounds: usize) -> u128 {
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
    bits.iter()
        .enumerate()
        .fold(0u128, |acc, (i, &b)| acc | (u128::from(b) << i))
}

/// The Grain LFSR in self-shrinking mode. Bit `i` of `state` is `bit_sequence[i]` of the script
/// (index 0 is the oldest bit). The register advances 18 bits at a time and the shrunk output
/// is buffered (decision 0131: the same bits as one step at a time, about 6x faster).
struct Grain {
    state: u128,
    /// Shrunk output bits not yet read, oldest in bit 0.
    out: u64,
    /// How many bits of `out` are valid.
    out_len: u32,
}

impl Grain {
    fn new(t: usize, full_rounds: usize, partial_rounds: usize) -> Self {
        let mut grain = Self {
            state: initial_state(t, full_rounds, partial_rounds),
            out: 0,
            out_len: 0,
        };
        // The script discards the first 160 bits (an even number: pairs stay aligned).
        let mut discard = 160;
        while discard > 0 {
            let n = discard.min(BLOCK);
            grain.block(n);
            discard -= n;
        }
        grain
    }

    /// Advances the register by `n` bits (at most [`BLOCK`]) and returns them, oldest in bit 0.
    #[inline(always)]
    fn block(&mut self, n: u32) -> u64 {
        let s = self.state;
        let fresh = (s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s;
        let fresh = fresh & ((1u128 << n) - 1);
        self.state = ((s >> n) | (fresh << (STATE_BITS - n))) & STATE_MASK;
        fresh as u64
    }

    /// The next `n` output bits of the self-shrinking generator (`n` at most 32), the first
    /// one out as the most significant bit. Of each pair of register bits the generator
    /// outputs the second if the first is 1, nothing otherwise.
    #[inline(always)]
    fn bits(&mut self, n: u32) -> u64 {
        debug_assert!((1..=32).contains(&n));
        while self.out_len < n {
            let raw = self.block(BLOCK);
            // Branch-free: nine pairs, each appending its second bit when its first is set
            // (`out_len` stays below 32 + 9).
            for k in 0..BLOCK / 2 {
                let first = (raw >> (2 * k)) & 1;
                let second = (raw >> (2 * k + 1)) & 1;
                self.out |= (second & first) << self.out_len;
                self.out_len += first as u32;
            }
        }
        let chunk = self.out & ((1u64 << n) - 1);
        self.out >>= n;
        self.out_len -= n;
        chunk.reverse_bits() >> (64 - n)
    }

    /// `n` output bits read as a big-endian integer (n = 254), as 4 little-endian limbs.
    fn random_bigint(&mut self) -> BigInt<4> {
        let mut limbs = [0u64; 4];
        // Bits 253 down to 0, in chunks of at most 32 placed from the top.
        let mut top = FIELD_BITS;
        while top > 0 {
            let n = top.min(32);
            let chunk = self.bits(n);
            top -= n;
            let (limb, shift) = ((top / 64) as usize, top % 64);
            if let Some(l) = limbs.get_mut(limb) {
                *l |= chunk << shift;
            }
            if shift + n > 64 {
                if let Some(l) = limbs.get_mut(limb + 1) {
                    *l |= chunk >> (64 - shift);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The script's generator one register step and one output bit at a time (what `Grain`
    /// ran before decision 0131): the reference the block form is checked against.
    struct OneBit {
        state: u128,
    }

    impl OneBit {
        fn step(&mut self) -> u64 {
            let s = self.state;
            let bit = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1;
            self.state = ((s >> 1) | (bit << (STATE_BITS - 1))) & STATE_MASK;
            bit as u64
        }

        fn next_bit(&mut self) -> u64 {
            loop {
                let first = self.step();
                let second = self.step();
                if first == 1 {
                    return second;
                }
            }
        }
    }

    #[test]
    fn blocks_give_the_one_bit_generator_s_output() {
        for t in 2..=17usize {
            let partial = super::super::PARTIAL_ROUNDS[t - 2];
            let mut fast = Grain::new(t, 8, partial);
            let mut slow = OneBit {
                state: initial_state(t, 8, partial),
            };
            for _ in 0..160 {
                slow.step();
            }
            assert_eq!(fast.state, slow.state, "t={t}: after the discard");
            // Bits read in uneven chunks, across many blocks.
            for i in 0..2000u32 {
                let n = 1 + i % 32;
                let got = fast.bits(n);
                let want = (0..n).fold(0u64, |acc, _| (acc << 1) | slow.next_bit());
                assert_eq!(got, want, "t={t}, read {i} of {n} bits");
            }
        }
    }
}
