//! Inversion in BN254's base field `Fq` by Pornin's optimized binary GCD (decision 0128).
//!
//! arkworks' `Fq::inverse` runs the textbook binary extended Euclid on 256-bit integers: one
//! or two multi-limb subtractions and shifts per bit of progress, ≈ 500 rounds of them. Pornin's
//! variant ("Optimized Binary GCD for Modular Inversion", eprint 2020/972, Algorithm 2) runs
//! the same binary GCD steps on 64-bit *approximations* of the two big values, 31 steps at a
//! time, records what the 31 steps did as a 2 × 2 matrix of small signed factors, and applies
//! that matrix to the big values once: a handful of 64 × 64-bit multiplications replace 31
//! rounds of multi-limb arithmetic. Written here from the paper's description.
//!
//! **The invariants.** With `y` the input's Montgomery limbs (`y = x·R mod p`, `R = 2^256`):
//! `a ≡ u·y·R⁻² (mod p)` and `b ≡ v·y·R⁻² (mod p)`, starting from `a = y, u = R² mod p` and
//! `b = p, v = 0`; `b` stays odd and `a, b ≥ 0`. A round turns `(a, b)` into
//! `((f₀a + g₀b)/2^31, (f₁a + g₁b)/2^31)` (exact divisions) and `(u, v)` into
//! `((f₀u + g₀v)/2^31, (f₁u + g₁v)/2^31) mod p` (divisions by 2^31 modulo `p`, Montgomery style:
//! add the multiple of `p` that clears the low 31 bits), which keeps both congruences. The
//! matrix has determinant ±2^31 and `gcd(a, b)` is odd, so the gcd is kept too. When `a`
//! reaches 0, `b = gcd(y, p) = 1`, so `1 ≡ v·y·R⁻²`, i.e. `v = R²·y⁻¹ = x⁻¹·R mod p`: the
//! Montgomery limbs of `x⁻¹`, reduced below `p`, hence arkworks' canonical limbs bit for bit.
//! Because every round divides by 2^31 on both sides, no final correction by a power of two is
//! needed (the `R⁻²` of the invariant is folded into `u`'s start value `R²`), and the loop may
//! stop after any number of rounds.
//!
//! **The approximations.** Let `n = max(len(a), len(b), 64)`. A round works on
//! `ā = (a mod 2^31) + 2^31·⌊a / 2^(n−33)⌋` (and `b̄` likewise): the 31 low bits are exact, so the
//! parity tested at each of the 31 steps is the true parity and the final division by 2^31 is
//! exact; the 33 top bits (taken at the same position for `a` and `b`) decide the comparisons
//! `a < b`. A comparison may be wrong when the top bits cannot tell `a` and `b` apart; then a
//! value comes out negative and is negated (with its matrix row). Pornin proves (in the
//! paper) that the approximate rounds still progress as the exact algorithm does: with `k − 1
//! = 31` exact low bits and `k + 1 = 33` top bits, `2·len(p) − 1` steps in total bring `a` to
//! 0 whatever the input. For BN254's 254-bit `p` that is 507 steps, so ⌈507 / 31⌉ = 17 rounds
//! ([`MAX_ROUNDS`]). When `n = 64` the approximations are the values themselves.
//!
//! **Variable time.** This is not constant time (nor is arkworks' inverse, nor the MSM that
//! calls it): the loop stops as soon as `a = 0` (≈ 12 rounds on random inputs, see the tests),
//! and the inner steps skip a run of zero bits in one shift. If 17 rounds ever left `a ≠ 0`
//! (which the bound above excludes), [`inverse`] would answer with arkworks' inverse instead:
//! the result stays exact either way.
//!
//! **Bounds of the arithmetic.** After `j` steps the factors satisfy `|f₀| + |g₀| ≤ 2^j` and
//! `|f₁| + |g₁| ≤ 2^j` (a subtraction adds the two rows, a halving doubles the other row), so
//! after 31 steps they fit an `i64` and `|f·a + g·b| < 2^31·2^254 = 2^285`: six limbs are never
//! needed, a signed fifth limb holds the top, and the quotient by 2^31 is again below 2^254
//! in magnitude (`a, b < 2^254` is kept). On the `u, v` side, `|f·u + g·v| < 2^31·p` and the
//! added multiple of `p` is below `2^31·p`, so the quotient lies in `(−p, 2p)` and one addition
//! or subtraction of `p` reduces it. Each limb product `f·xᵢ + g·yᵢ + m·pᵢ + carry` stays below
//! `2^97` in magnitude (`i128` arithmetic).
//!
//! Portable safe Rust (64-bit limbs, `u128`/`i128` products), the same on every target.

use ark_bn254::{Fq, FqConfig};
use ark_ff::{BigInt, Field, MontConfig};

/// Four little-endian 64-bit limbs.
type Limbs = [u64; 4];

/// BN254's base-field modulus `p` (254 bits, odd).
const P: Limbs = <FqConfig as MontConfig<4>>::MODULUS.0;

/// `R² mod p` with `R = 2^256`: the start value of `u` (see the module's invariants).
const R2: Limbs = <FqConfig as MontConfig<4>>::R2.0;

/// `−p⁻¹ mod 2^64`, by Newton's iteration: `x = p₀` is `p₀⁻¹` modulo 2^3 (every odd square is
/// 1 mod 8), and each step `x ← x·(2 − p₀·x)` doubles the correct bits (3, 6, …, 96 ≥ 64).
const NEG_P_INV: u64 = {
    let p0 = P[0];
    let mut x = p0;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(p0.wrapping_mul(x)));
        i += 1;
    }
    x.wrapping_neg()
};

/// Binary GCD steps per round: the exact low bits of the approximations (`k − 1` in the paper,
/// with `k = 32` so that an approximation fills one 64-bit word).
const STEPS: u32 = 31;

/// The low [`STEPS`] bits.
const LOW_MASK: u64 = (1 << STEPS) - 1;

/// Rounds that bring `a` to zero for every input: `⌈(2·254 − 1) / 31⌉` (see the module's doc).
pub(super) const MAX_ROUNDS: u32 = (2 * 254 - 1_u32).div_ceil(STEPS);

/// The inverse of `x` in `Fq`, `None` for zero: exactly arkworks' `x.inverse()` (the canonical
/// Montgomery limbs), by the optimized binary GCD of this module. Variable time.
pub(super) fn inverse(x: &Fq) -> Option<Fq> {
    let y = (x.0).0;
    if y == [0; 4] {
        return None;
    }
    match invert(&y) {
        Some((v, _)) => Some(Fq::new_unchecked(BigInt(v))),
        // Not reached (the rounds bound above); kept so the answer is right whatever happens.
        None => x.inverse(),
    }
}

/// `R²·y⁻¹ mod p` for non-zero `y < p` and the rounds it took, or `None` when [`MAX_ROUNDS`]
/// rounds left `a ≠ 0` (excluded by Pornin's bound; the tests check it never happens) or the
/// gcd is not 1 (limbs that are no reduced `Fq` value, such as `p` itself).
pub(super) fn invert(y: &Limbs) -> Option<(Limbs, u32)> {
    let (mut a, mut b) = (*y, P);
    let (mut u, mut v) = (R2, [0u64; 4]);
    let mut rounds = 0u32;
    while a != [0; 4] {
        if rounds == MAX_ROUNDS {
            return None;
        }
        rounds += 1;
        // `n = max(len(a), len(b), 64)`: the top 33 bits of both at the same position.
        let n = bit_len(&or(&a, &b)).max(64);
        let [f0, g0, f1, g1] = steps(approx(&a, n), approx(&b, n));
        let (na, neg_a) = combine_shift(&a, &b, f0, g0);
        let (nb, neg_b) = combine_shift(&a, &b, f1, g1);
        // A negative result (a wrong comparison on the approximations): negate it and its row.
        let (f0, g0) = if neg_a { (-f0, -g0) } else { (f0, g0) };
        let (f1, g1) = if neg_b { (-f1, -g1) } else { (f1, g1) };
        a = if neg_a { neg(&na) } else { na };
        b = if neg_b { neg(&nb) } else { nb };
        let nu = combine_mod(&u, &v, f0, g0);
        let nv = combine_mod(&u, &v, f1, g1);
        u = nu;
        v = nv;
    }
    // `b = gcd(y, p)`: 1 for every `0 < y < p` (limbs at or above `p` are no `Fq` value).
    (b == [1, 0, 0, 0]).then_some((v, rounds))
}

/// [`STEPS`] steps of the binary GCD on the approximations `xa`, `xb` (`xb` odd), as the matrix
/// `[f₀, g₀, f₁, g₁]` with `2^31·xa' = f₀·xa + g₀·xb` and `2^31·xb' = f₁·xa + g₁·xb`. A step: if
/// `xa` is odd, swap when `xa < xb` and subtract `xb` from `xa`; then halve `xa`. A run of
/// zero bits of `xa` is halved in one shift, never past the 31st step (only the low `31 − j`
/// bits are exact after `j` steps). `|f₀| + |g₀|, |f₁| + |g₁| ≤ 2^31` (see the module's doc).
#[inline(always)]
fn steps(mut xa: u64, mut xb: u64) -> [i64; 4] {
    let (mut f0, mut g0, mut f1, mut g1) = (1i64, 0i64, 0i64, 1i64);
    let mut left = STEPS;
    loop {
        // `xa = 0` has 64 trailing zeros: the remaining steps are halvings of zero.
        let z = xa.trailing_zeros().min(left);
        xa >>= z;
        f1 <<= z;
        g1 <<= z;
        left -= z;
        if left == 0 {
            return [f0, g0, f1, g1];
        }
        // `xa` is odd here (and `xb` always is). Swap when `xa < xb`, by selects rather than a
        // branch (taken about half the time, at random).
        let swap = xa < xb;
        let (hi, lo) = if swap { (xb, xa) } else { (xa, xb) };
        let (fa, fb) = if swap { (f1, f0) } else { (f0, f1) };
        let (ga, gb) = if swap { (g1, g0) } else { (g0, g1) };
        xa = hi - lo;
        xb = lo;
        f0 = fa - fb;
        f1 = fb;
        g0 = ga - gb;
        g1 = gb;
    }
}

/// The approximation `(x mod 2^31) + 2^31·⌊x / 2^(n−33)⌋` of `x < 2^n`, `64 ≤ n ≤ 256`
/// (`x` itself when `n = 64`).
#[inline(always)]
fn approx(x: &Limbs, n: u32) -> u64 {
    let [x0, ..] = *x;
    (x0 & LOW_MASK) | (window(x, n - 33) << STEPS)
}

/// `⌊x / 2^s⌋ mod 2^64` (`s < 256`).
#[inline(always)]
fn window(x: &Limbs, s: u32) -> u64 {
    let word = (s / 64) as usize;
    let off = s % 64;
    let lo = x.get(word).copied().unwrap_or(0) >> off;
    let hi = match (off, x.get(word + 1)) {
        (0, _) | (_, None) => 0,
        (_, Some(&h)) => h << (64 - off),
    };
    lo | hi
}

/// Limb-wise `x | y` (its bit length is the larger of the two).
#[inline(always)]
fn or(x: &Limbs, y: &Limbs) -> Limbs {
    let [x0, x1, x2, x3] = *x;
    let [y0, y1, y2, y3] = *y;
    [x0 | y0, x1 | y1, x2 | y2, x3 | y3]
}

/// The bit length of `x` (0 for zero).
#[inline(always)]
fn bit_len(x: &Limbs) -> u32 {
    let mut len = 0;
    for (i, &l) in x.iter().enumerate() {
        if l != 0 {
            len = 64 * i as u32 + (64 - l.leading_zeros());
        }
    }
    len
}

/// `(f·x + g·y) / 2^31` for `x, y < 2^254` and `|f| + |g| ≤ 2^31`, an exact division: its
/// magnitude (below 2^254) and whether it is negative.
#[inline(always)]
fn combine_shift(x: &Limbs, y: &Limbs, f: i64, g: i64) -> (Limbs, bool) {
    let (t, top) = combine(x, y, f, g, 0);
    (shift(&t, top), top < 0)
}

/// `(f·x + g·y + m·p)` as four low limbs and a signed top limb (two's complement over five
/// limbs), for `x, y < 2^256`, `|f|, |g| ≤ 2^31`, `m < 2^31`: each limb's `i128` sum stays
/// below 2^97 in magnitude.
#[inline(always)]
fn combine(x: &Limbs, y: &Limbs, f: i64, g: i64, m: u64) -> (Limbs, i64) {
    let mut t = [0u64; 4];
    let mut carry = 0i128;
    for (((ti, &xi), &yi), &pi) in t.iter_mut().zip(x).zip(y).zip(&P) {
        let s = i128::from(f) * i128::from(xi)
            + i128::from(g) * i128::from(yi)
            + i128::from(m) * i128::from(pi)
            + carry;
        *ti = s as u64;
        carry = s >> 64;
    }
    (t, carry as i64)
}

/// The low four limbs of `(t + top·2^256) >> 31` (arithmetic shift): the value itself in two's
/// complement when its magnitude is below 2^255.
#[inline(always)]
fn shift(t: &Limbs, top: i64) -> Limbs {
    let [t0, t1, t2, t3] = *t;
    let top = top as u64;
    [
        (t0 >> STEPS) | (t1 << (64 - STEPS)),
        (t1 >> STEPS) | (t2 << (64 - STEPS)),
        (t2 >> STEPS) | (t3 << (64 - STEPS)),
        (t3 >> STEPS) | (top << (64 - STEPS)),
    ]
}

/// `−x` in two's complement over four limbs (the magnitude of a negative value below 2^255).
#[inline(always)]
fn neg(x: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for (o, &xi) in out.iter_mut().zip(x) {
        let (d, b1) = 0u64.overflowing_sub(xi);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *o = d;
        borrow = b1 | b2;
    }
    out
}

/// `(f·u + g·v) / 2^31 mod p`, reduced below `p`, for `u, v < p` and `|f| + |g| ≤ 2^31`:
/// Montgomery's division by 2^31. `m = −t·p⁻¹ mod 2^31` (`t = f·u + g·v`, whose low limb is
/// computed modulo 2^64 first) makes `t + m·p` a multiple of 2^31; the quotient lies in
/// `(−p, 2p)` (module doc) and one addition or subtraction of `p` brings it into `[0, p)`.
#[inline(always)]
fn combine_mod(u: &Limbs, v: &Limbs, f: i64, g: i64) -> Limbs {
    let ([u0, ..], [v0, ..]) = (*u, *v);
    let t0 = (f as u64)
        .wrapping_mul(u0)
        .wrapping_add((g as u64).wrapping_mul(v0));
    let m = t0.wrapping_mul(NEG_P_INV) & LOW_MASK;
    let (t, top) = combine(u, v, f, g, m);
    let r = shift(&t, top);
    if top < 0 {
        add_p(&r)
    } else {
        sub_p_if_ge(&r)
    }
}

/// `x + p` modulo 2^256 (for `x` the two's complement of a value in `(−p, 0)`: the result is
/// that value plus `p`, in `(0, p)`).
#[inline(always)]
fn add_p(x: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut carry = false;
    for ((o, &xi), &pi) in out.iter_mut().zip(x).zip(&P) {
        let (s, c1) = xi.overflowing_add(pi);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *o = s;
        carry = c1 | c2;
    }
    out
}

/// `x − p` when `x ≥ p`, else `x` (for `x < 2p`: the result is below `p`).
#[inline(always)]
fn sub_p_if_ge(x: &Limbs) -> Limbs {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for ((o, &xi), &pi) in out.iter_mut().zip(x).zip(&P) {
        let (d, b1) = xi.overflowing_sub(pi);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *o = d;
        borrow = b1 | b2;
    }
    if borrow {
        *x
    } else {
        out
    }
}
