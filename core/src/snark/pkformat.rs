//! Proving-key format version 2: uncompressed affine points, loaded without square roots
//! (`docs/spec/groth16.md`, decision 0079).
//!
//! Version 1 stores every point compressed, so loading it takes a square root per point (and a
//! subgroup check per G2 point): seconds for a sum:16 key. Version 2 stores `x` and `y`:
//!
//! - G1: BN254's G1 has cofactor 1, so a point on the curve is in the group; the whole check is
//!   `y² = x³ + 3` and both coordinates `< p`.
//! - G2: on the twist, then the subgroup check of Dai, Lin, Zhao and Zhou, "Fast subgroup
//!   membership testings for G1, G2 and GT on pairing-friendly curves" (ePrint 2022/348, §3 and
//!   §5.1, also used by gnark-crypto): for BN curves with parameter `x`,
//!   `P ∈ G2 ⇔ [x+1]P + ψ([x]P) + ψ²([x]P) = ψ³([2x]P)`, with ψ the untwist-Frobenius-twist
//!   endomorphism. One 63-bit scalar multiplication instead of the 127-bit one of arkworks'
//!   check (`[6x²]P = ψ(P)`, ePrint 2022/352 §4.3) or the 254-bit `[r]P = 0`.
//!
//! A key whose bytes match a pinned digest may skip the per-point curve and subgroup checks of
//! its query vectors ([`Checks::Pinned`]): the digest covers every byte decoded, and the encoding
//! is canonical, so the points are exactly those of the key that was checked when the digest was
//! made. Decision 0079 says which checks are skipped and why.

use super::{read_vk_body, write_vk_body, MAX_PROVING_KEY_POINTS};
use crate::encoding::Reader;
use crate::error::DecodeError;
use ark_bn254::{Bn254, Fq, Fq2, G1Affine, G2Affine, G2Projective};
use ark_ec::AffineRepr;
use ark_ff::{AdditiveGroup, BigInt, Field, MontFp, PrimeField};

/// Bytes of an uncompressed G1 point in version 2: `x | y`, each 32 bytes little-endian.
pub const G1_UNCOMPRESSED_BYTES: usize = 64;
/// Bytes of an uncompressed G2 point in version 2: `x.c0 | x.c1 | y.c0 | y.c1`, each 32 bytes
/// little-endian.
pub const G2_UNCOMPRESSED_BYTES: usize = 128;

/// The encodings of a proving key ([`super::ProvingKey::to_bytes_in`]). Both decode with
/// [`super::ProvingKey::from_bytes`]; the encoder writes [`ProvingKeyFormat::V2`] by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProvingKeyFormat {
    /// Version 1: compressed points (half the size; every load takes a square root per point).
    V1,
    /// Version 2: uncompressed affine points (twice the size; loads without square roots).
    V2,
}

impl ProvingKeyFormat {
    /// The format version byte of the encoding.
    pub fn version(self) -> u8 {
        match self {
            ProvingKeyFormat::V1 => 1,
            ProvingKeyFormat::V2 => 2,
        }
    }
}

/// Which per-point checks a decoder runs on a proving key's query vectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Checks {
    /// Every point on the curve and in the prime-order subgroup (a key from anywhere).
    Full,
    /// The bytes matched a pinned digest: coordinates are still canonical (`< p`, one encoding
    /// of infinity) but not checked for the curve or the subgroup.
    Pinned,
}

/// BN254's curve parameter `x` (the BN family's `u`; `p` and `r` are polynomials in it).
const BN_X: u64 = 4965661367192848881;

/// `(u+9)^((p-1)/3)`: ψ's coefficient for `x` (also the MSM's G2 GLV, `msm::glv::psi`).
pub(super) const PSI_X: Fq2 = Fq2::new(
    MontFp!("21575463638280843010398324269430826099269044274347216827212613867836435027261"),
    MontFp!("10307601595873709700152284273816112264069230130616436755625194854815875713954"),
);
/// `(u+9)^((p-1)/2)`: ψ's coefficient for `y` (also `msm::glv::psi`).
pub(super) const PSI_Y: Fq2 = Fq2::new(
    MontFp!("2821565182194536844548159561693502659359617185244120367078079554186484126554"),
    MontFp!("3505843767911556378687030309984248845540243509899259641013678093033130930403"),
);

/// ψ on Jacobian coordinates: `(x, y) ↦ (x^p · PSI_X, y^p · PSI_Y)`; with `x = X/Z²`,
/// `y = Y/Z³` that is `(X^p · PSI_X, Y^p · PSI_Y, Z^p)` (the Frobenius on Fq2 is conjugation).
fn psi(p: &G2Projective) -> G2Projective {
    let mut r = *p;
    r.x.frobenius_map_in_place(1);
    r.y.frobenius_map_in_place(1);
    r.z.frobenius_map_in_place(1);
    r.x *= PSI_X;
    r.y *= PSI_Y;
    r
}

/// Whether a point already known to be on the twist is in G2 (the order-`r` subgroup), by
/// `[x+1]P + ψ([x]P) + ψ²([x]P) = ψ³([2x]P)` (ePrint 2022/348). Agrees with `[r]P = 0`
/// (tested on random points, cofactor-cleared points and points of small order).
pub fn g2_in_subgroup_assuming_on_curve(p: &G2Affine) -> bool {
    if p.is_zero() {
        return true;
    }
    let xp: G2Projective = p.mul_bigint([BN_X]);
    let psi_xp = psi(&xp);
    let lhs = xp + p + psi_xp + psi(&psi_xp);
    let rhs = psi(&psi(&psi(&xp.double())));
    lhs == rhs
}

// ---------------------------------------------------------------------------------------------
// Encoding

fn put_fq(out: &mut Vec<u8>, v: &Fq) {
    for limb in v.into_bigint().0 {
        out.extend_from_slice(&limb.to_le_bytes());
    }
}

/// Version 2 G1 point: `x | y` little-endian, the point at infinity as 64 zero bytes (`(0, 0)`
/// is not on the curve, so no point has that encoding).
pub(crate) fn put_g1_uncompressed(out: &mut Vec<u8>, p: &G1Affine) {
    match p.xy() {
        Some((x, y)) => {
            put_fq(out, &x);
            put_fq(out, &y);
        }
        None => out.extend_from_slice(&[0u8; G1_UNCOMPRESSED_BYTES]),
    }
}

/// Version 2 G2 point: `x.c0 | x.c1 | y.c0 | y.c1`, infinity as 128 zero bytes.
pub(crate) fn put_g2_uncompressed(out: &mut Vec<u8>, p: &G2Affine) {
    match p.xy() {
        Some((x, y)) => {
            put_fq(out, &x.c0);
            put_fq(out, &x.c1);
            put_fq(out, &y.c0);
            put_fq(out, &y.c1);
        }
        None => out.extend_from_slice(&[0u8; G2_UNCOMPRESSED_BYTES]),
    }
}

fn put_vec<P>(out: &mut Vec<u8>, v: &[P], put: fn(&mut Vec<u8>, &P)) {
    let n = u32::try_from(v.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&n.to_be_bytes());
    for p in v.iter().take(n as usize) {
        put(out, p);
    }
}

/// The body of a version 2 proving key (after the header).
pub(crate) fn write_v2_body(out: &mut Vec<u8>, pk: &ark_groth16::ProvingKey<Bn254>) {
    write_vk_body(out, &pk.vk);
    put_g1_uncompressed(out, &pk.beta_g1);
    put_g1_uncompressed(out, &pk.delta_g1);
    put_vec(out, &pk.a_query, put_g1_uncompressed);
    put_vec(out, &pk.b_g1_query, put_g1_uncompressed);
    put_vec(out, &pk.b_g2_query, put_g2_uncompressed);
    put_vec(out, &pk.h_query, put_g1_uncompressed);
    put_vec(out, &pk.l_query, put_g1_uncompressed);
}

/// The length of a version 2 encoding of `pk`.
pub(crate) fn v2_len(pk: &ark_groth16::ProvingKey<Bn254>) -> usize {
    let g1s = pk.a_query.len() + pk.b_g1_query.len() + pk.h_query.len() + pk.l_query.len() + 2;
    4 + 32
        + 3 * 64
        + 2
        + 32 * pk.vk.gamma_abc_g1.len()
        + 5 * 4
        + G1_UNCOMPRESSED_BYTES * g1s
        + G2_UNCOMPRESSED_BYTES * pk.b_g2_query.len()
}

// ---------------------------------------------------------------------------------------------
// Decoding

const BAD_POINT: DecodeError = DecodeError::Invalid {
    what: "curve point",
};

/// A coordinate from 32 little-endian bytes; refuses values `≥ p` (one encoding per value).
fn fq(b: &[u8]) -> Result<Fq, DecodeError> {
    if b.len() != 32 {
        return Err(DecodeError::Truncated);
    }
    let mut limbs = [0u64; 4];
    for (l, c) in limbs.iter_mut().zip(b.chunks_exact(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        *l = u64::from_le_bytes(w);
    }
    Fq::from_bigint(BigInt::new(limbs)).ok_or(DecodeError::Invalid {
        what: "curve point (coordinate not below the field modulus)",
    })
}

fn decode_g1(b: &[u8], checks: Checks, allow_identity: bool) -> Result<G1Affine, DecodeError> {
    if b.len() != G1_UNCOMPRESSED_BYTES {
        return Err(DecodeError::Truncated);
    }
    if b.iter().all(|&x| x == 0) {
        return if allow_identity {
            Ok(G1Affine::zero())
        } else {
            Err(DecodeError::Invalid {
                what: "point at infinity",
            })
        };
    }
    let (x, y) = b.split_at(32);
    let p = G1Affine::new_unchecked(fq(x)?, fq(y)?);
    // Cofactor 1: on the curve is in G1.
    if checks == Checks::Full && !p.is_on_curve() {
        return Err(BAD_POINT);
    }
    Ok(p)
}

fn decode_g2(b: &[u8], checks: Checks, allow_identity: bool) -> Result<G2Affine, DecodeError> {
    if b.len() != G2_UNCOMPRESSED_BYTES {
        return Err(DecodeError::Truncated);
    }
    if b.iter().all(|&x| x == 0) {
        return if allow_identity {
            Ok(G2Affine::zero())
        } else {
            Err(DecodeError::Invalid {
                what: "point at infinity",
            })
        };
    }
    let (x0, rest) = b.split_at(32);
    let (x1, rest) = rest.split_at(32);
    let (y0, y1) = rest.split_at(32);
    let p = G2Affine::new_unchecked(Fq2::new(fq(x0)?, fq(x1)?), Fq2::new(fq(y0)?, fq(y1)?));
    if checks == Checks::Full {
        if !p.is_on_curve() {
            return Err(BAD_POINT);
        }
        if !g2_in_subgroup_assuming_on_curve(&p) {
            return Err(DecodeError::Invalid {
                what: "curve point (not in the prime-order subgroup)",
            });
        }
    }
    Ok(p)
}

/// Decodes a run of points (infinity allowed), in parallel where `parallel` is on, straight
/// into the key's vector; the error is the first bad point's, as decoding in order would give.
fn decode_run<P: Send + Default>(
    raw: &[u8],
    size: usize,
    checks: Checks,
    one: fn(&[u8], Checks, bool) -> Result<P, DecodeError>,
) -> Result<Vec<P>, DecodeError> {
    #[cfg(feature = "parallel")]
    {
        use core::sync::atomic::{AtomicBool, Ordering};
        use rayon::prelude::*;
        let bad = AtomicBool::new(false);
        let mut out = Vec::new();
        // At least 1,024 points per task keeps rayon's overhead out of the per-point cost.
        raw.par_chunks(size)
            .with_min_len(1024)
            .map(|p| {
                one(p, checks, true).unwrap_or_else(|_| {
                    bad.store(true, Ordering::Relaxed);
                    P::default()
                })
            })
            .collect_into_vec(&mut out);
        if !bad.load(Ordering::Relaxed) {
            return Ok(out);
        }
        // A bad key: find its first bad point in order (a rare path).
    }
    raw.chunks(size).map(|p| one(p, checks, true)).collect()
}

/// Takes a vector's `u32` count and its bytes, checking the count against
/// [`MAX_PROVING_KEY_POINTS`] and the remaining input before anything is allocated.
fn take_run<'a>(r: &mut Reader<'a>, size: usize) -> Result<(usize, &'a [u8]), DecodeError> {
    let n = r.u32()? as usize;
    if n > MAX_PROVING_KEY_POINTS {
        return Err(DecodeError::TooLong {
            what: "proving key vector",
            len: n,
            max: MAX_PROVING_KEY_POINTS,
        });
    }
    let len = n.checked_mul(size).ok_or(DecodeError::Truncated)?;
    if r.remaining() < len {
        return Err(DecodeError::Truncated);
    }
    Ok((n, r.take(len)?))
}

const SHAPE: DecodeError = DecodeError::Invalid {
    what: "proving key shape",
};

/// Reads the body of a version 2 proving key (after the header). All five counts are read and
/// checked against each other and the input's length before any query point is decoded.
pub(crate) fn read_v2_body(
    r: &mut Reader<'_>,
    checks: Checks,
) -> Result<ark_groth16::ProvingKey<Bn254>, DecodeError> {
    let vk = read_vk_body(r)?;
    let beta_g1 = decode_g1(r.take(G1_UNCOMPRESSED_BYTES)?, Checks::Full, false)?;
    let delta_g1 = decode_g1(r.take(G1_UNCOMPRESSED_BYTES)?, Checks::Full, false)?;
    let (na, a) = take_run(r, G1_UNCOMPRESSED_BYTES)?;
    let (nb1, b1) = take_run(r, G1_UNCOMPRESSED_BYTES)?;
    let (nb2, b2) = take_run(r, G2_UNCOMPRESSED_BYTES)?;
    let (_, h) = take_run(r, G1_UNCOMPRESSED_BYTES)?;
    let (nl, l) = take_run(r, G1_UNCOMPRESSED_BYTES)?;
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingData);
    }
    if nb1 != na || nb2 != na || Some(na) != vk.gamma_abc_g1.len().checked_add(nl) {
        return Err(SHAPE);
    }
    Ok(ark_groth16::ProvingKey {
        vk,
        beta_g1,
        delta_g1,
        a_query: decode_run(a, G1_UNCOMPRESSED_BYTES, checks, decode_g1)?,
        b_g1_query: decode_run(b1, G1_UNCOMPRESSED_BYTES, checks, decode_g1)?,
        b_g2_query: decode_run(b2, G2_UNCOMPRESSED_BYTES, checks, decode_g2)?,
        h_query: decode_run(h, G1_UNCOMPRESSED_BYTES, checks, decode_g1)?,
        l_query: decode_run(l, G1_UNCOMPRESSED_BYTES, checks, decode_g1)?,
    })
}

/// The G2 subgroup check as arkworks' [`ark_ec::short_weierstrass::SWCurveConfig`] defines it
/// (for tests comparing the two).
#[cfg(test)]
pub(crate) fn g2_in_subgroup_arkworks(p: &G2Affine) -> bool {
    use ark_ec::short_weierstrass::SWCurveConfig;
    ark_bn254::g2::Config::is_in_correct_subgroup_assuming_on_curve(p)
}

/// `[r]P = 0`: the definition of G2 membership, slow (for tests).
#[cfg(test)]
pub(crate) fn g2_in_subgroup_naive(p: &G2Affine) -> bool {
    use ark_ec::CurveGroup;
    p.mul_bigint(ark_bn254::Fr::MODULUS).into_affine().is_zero()
}
