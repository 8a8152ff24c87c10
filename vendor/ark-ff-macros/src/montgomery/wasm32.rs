//! Causeway patch (not upstream; see Causeway's docs/decisions/0103-wasm32-field-multiplication.md).
//!
//! wasm32 has no 64x64->128 multiply: the 64-bit-limb Montgomery code computes every limb
//! product as four 32x32->64 multiplies plus u128 additions emulated with i64 pairs. Here the
//! same Montgomery form (R = 2^(64N), the same `MODULUS`, the same stored limbs) is multiplied
//! as 2N 32-bit words with u64 accumulators (CIOS with the "no-carry" condition on the top
//! word), so every value is the one the 64-bit code computes. `mul_assign`, `square_in_place`
//! and `sum_of_products` use it on `target_arch = "wasm32"` only; every other target keeps the
//! upstream bodies. The functions are generated as hidden inherent functions on the config
//! type on every target, so native tests can compare them with the upstream code.
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The 32-bit word `i` of the modulus.
fn word(modulus_limbs: &[u64], i: usize) -> u64 {
    (modulus_limbs[i / 2] >> (32 * (i % 2))) & 0xffff_ffff
}

/// Whether the 32-bit no-carry CIOS applies: the top word of the modulus is below
/// (2^32 - 1) / 2 and some other word is not all ones (the condition upstream checks for
/// 64-bit limbs, on 32-bit words).
pub(super) fn can_use_u32(modulus_limbs: &[u64]) -> bool {
    let n = 2 * modulus_limbs.len();
    let top = word(modulus_limbs, n - 1);
    n >= 2 && top < (u32::MAX >> 1) as u64 && (0..n - 1).any(|i| word(modulus_limbs, i) != 0xffff_ffff)
}

/// -MODULUS^{-1} mod 2^32.
fn inv32(modulus_limbs: &[u64]) -> u64 {
    let q0 = word(modulus_limbs, 0) as u32;
    let mut inv = 1u32;
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(q0.wrapping_mul(inv)));
    }
    inv.wrapping_neg() as u64
}

/// Unrolled 32-bit-word CIOS of `x * y` into `dst` (all three `F`), then one conditional
/// subtraction of the modulus.
fn mul_u32_body(modulus_limbs: &[u64], x: TokenStream, y: TokenStream) -> TokenStream {
    let n = 2 * modulus_limbs.len();
    let inv = inv32(modulus_limbs);
    let a: Vec<_> = (0..n).map(|i| format_ident!("a{}", i)).collect();
    let b: Vec<_> = (0..n).map(|i| format_ident!("b{}", i)).collect();
    let t: Vec<_> = (0..n).map(|i| format_ident!("t{}", i)).collect();
    let mut body = quote! {
        const MASK: u64 = 0xffff_ffff;
        let x = &((#x).0).0;
        let y = &((#y).0).0;
    };
    for i in 0..n {
        let (ai, bi, ti, limb, shift) = (&a[i], &b[i], &t[i], i / 2, 32 * (i % 2));
        body.extend(quote! {
            let #ai = (x[#limb] >> #shift) & MASK;
            let #bi = (y[#limb] >> #shift) & MASK;
            let mut #ti = 0u64;
        });
    }
    for i in 0..n {
        let bi = &b[i];
        let (a0, t0) = (&a[0], &t[0]);
        let q0 = word(modulus_limbs, 0);
        body.extend(quote! {
            let uv = #t0 + #a0 * #bi;
            let mut ca = uv >> 32;
            let lo = uv & MASK;
            let m = lo.wrapping_mul(#inv) & MASK;
            let mut cc = (lo + m * #q0) >> 32;
        });
        for j in 1..n {
            let (aj, tj, tp) = (&a[j], &t[j], &t[j - 1]);
            let qj = word(modulus_limbs, j);
            body.extend(quote! {
                let uv = #tj + #aj * #bi + ca;
                ca = uv >> 32;
                let uv = (uv & MASK) + m * #qj + cc;
                cc = uv >> 32;
                #tp = uv & MASK;
            });
        }
        let tl = &t[n - 1];
        body.extend(quote! { #tl = cc + ca; });
    }
    let limbs: Vec<_> = (0..n / 2)
        .map(|k| {
            let (lo, hi) = (&t[2 * k], &t[2 * k + 1]);
            quote!(#lo | (#hi << 32))
        })
        .collect();
    body.extend(quote! {
        let mut r = F::new_unchecked(BigInt([ #( #limbs ),* ]));
        __subtract_modulus(&mut r);
        r
    });
    body
}

/// Unrolled 32-bit-word version of upstream's two-product `sum_of_products` (Algorithm 2 of
/// zkcrypto/bls12_381#84 with one reduction per word), for moduli with two spare bits.
fn sop2_u32_body(modulus_limbs: &[u64]) -> TokenStream {
    let n = 2 * modulus_limbs.len();
    let inv = inv32(modulus_limbs);
    let mut body = quote! {
        const MASK: u64 = 0xffff_ffff;
        let w = |f: &F, i: usize| ((f.0).0[i / 2] >> (32 * (i % 2))) & MASK;
    };
    let r: Vec<_> = (0..n).map(|i| format_ident!("r{}", i)).collect();
    let p: Vec<_> = (0..n).map(|i| format_ident!("p{}", i)).collect();
    let s: Vec<_> = (0..n).map(|i| format_ident!("s{}", i)).collect();
    for i in 0..n {
        let (ri, pi, si) = (&r[i], &p[i], &s[i]);
        body.extend(quote! {
            let mut #ri = 0u64;
            let #pi = w(&b[0], #i);
            let #si = w(&b[1], #i);
        });
    }
    for j in 0..n {
        body.extend(quote! {
            let mut carry_a = 0u64;
            let mut carry_b = 0u64;
        });
        for (src, ws) in [(quote!(a[0]), &p), (quote!(a[1]), &s)] {
            body.extend(quote! {
                let aj = w(&#src, #j);
                let mut c = 0u64;
            });
            for k in 0..n {
                let (rk, wk) = (&r[k], &ws[k]);
                body.extend(quote! {
                    let uv = #rk + aj * #wk + c;
                    #rk = uv & MASK;
                    c = uv >> 32;
                });
            }
            body.extend(quote! {
                let sum = carry_a + carry_b + c;
                carry_a = sum & MASK;
                carry_b = sum >> 32;
            });
        }
        let (r0, q0) = (&r[0], word(modulus_limbs, 0));
        body.extend(quote! {
            let k = #r0.wrapping_mul(#inv) & MASK;
            let mut c2 = (#r0 + k * #q0) >> 32;
        });
        for i in 1..n {
            let (ri, rp, qi) = (&r[i], &r[i - 1], word(modulus_limbs, i));
            body.extend(quote! {
                let uv = #ri + k * #qi + c2;
                #rp = uv & MASK;
                c2 = uv >> 32;
            });
        }
        let rl = &r[n - 1];
        body.extend(quote! { #rl = (carry_a + carry_b + c2) & MASK; });
    }
    let limbs: Vec<_> = (0..n / 2)
        .map(|k| {
            let (lo, hi) = (&r[2 * k], &r[2 * k + 1]);
            quote!(#lo | (#hi << 32))
        })
        .collect();
    body.extend(quote! {
        let mut res = F::new_unchecked(BigInt([ #( #limbs ),* ]));
        __subtract_modulus(&mut res);
        res
    });
    body
}

/// The generated items: hidden inherent functions of `config_name` (upstream's bodies as
/// `__causeway_*_u64`, for comparisons, and the 32-bit-word ones), plus the bodies of
/// `mul_assign`, `square_in_place` and `sum_of_products` that pick them on wasm32.
pub(super) struct Wasm32 {
    pub items: TokenStream,
    pub mul_assign: TokenStream,
    pub square_in_place: TokenStream,
    pub sum_of_products: TokenStream,
}

pub(super) fn wasm32_impl(
    config_name: &proc_macro2::Ident,
    modulus_limbs: &[u64],
    modulus_bits: usize,
    upstream_mul: &TokenStream,
    upstream_square: &TokenStream,
    upstream_sop: &TokenStream,
) -> Wasm32 {
    let limbs = modulus_limbs.len();
    let (mul64, square64, sop64) = (upstream_mul, upstream_square, upstream_sop);
    let use_u32 = can_use_u32(modulus_limbs);
    // two spare bits: upstream's fused two-product path applies (it does for 64-bit limbs
    // under the same condition, the bit size is what matters)
    let use_sop2 = use_u32 && modulus_bits < 64 * limbs - 1;
    let u32_fns = if use_u32 {
        let mul = mul_u32_body(modulus_limbs, quote!(a), quote!(b));
        let sop2 = if use_sop2 {
            let body = sop2_u32_body(modulus_limbs);
            quote! {
                /// Causeway patch: `a[0] * b[0] + a[1] * b[1]` over 32-bit words (hidden).
                #[doc(hidden)]
                #[inline]
                pub fn __causeway_sop2_u32(a: &[F; 2], b: &[F; 2]) -> F {
                    #body
                }
            }
        } else {
            quote!()
        };
        quote! {
            /// Causeway patch: Montgomery multiplication over 32-bit words (hidden).
            #[doc(hidden)]
            #[inline]
            pub fn __causeway_mul_u32(a: &F, b: &F) -> F {
                #mul
            }
            #sop2
        }
    } else {
        quote!()
    };
    let items = quote! {
        impl #config_name {
            /// Causeway patch: upstream's `mul_assign` body (hidden; for comparisons).
            #[doc(hidden)]
            #[inline]
            pub fn __causeway_mul_u64(a: &mut F, b: &F) {
                #mul64
            }
            /// Causeway patch: upstream's `square_in_place` body (hidden; for comparisons).
            #[doc(hidden)]
            #[inline]
            pub fn __causeway_square_u64(a: &mut F) {
                #square64
            }
            /// Causeway patch: upstream's `sum_of_products` body (hidden; for comparisons).
            #[doc(hidden)]
            #[inline]
            pub fn __causeway_sop_u64<const M: usize>(a: &[F; M], b: &[F; M]) -> F {
                #sop64
            }
            #u32_fns
        }
    };
    let (mul_assign, square_in_place, sum_of_products) = if use_u32 {
        let sop = if use_sop2 {
            quote! {
                if M == 2 {
                    if let (Ok(a2), Ok(b2)) = (<&[F; 2]>::try_from(&a[..]), <&[F; 2]>::try_from(&b[..])) {
                        return Self::__causeway_sop2_u32(a2, b2);
                    }
                }
                a.iter().zip(b).map(|(x, y)| Self::__causeway_mul_u32(x, y)).sum()
            }
        } else {
            quote!(a.iter().zip(b).map(|(x, y)| Self::__causeway_mul_u32(x, y)).sum())
        };
        (
            quote!(*a = Self::__causeway_mul_u32(a, b);),
            quote!(*a = Self::__causeway_mul_u32(a, a);),
            sop,
        )
    } else {
        (
            quote!(Self::__causeway_mul_u64(a, b);),
            quote!(Self::__causeway_square_u64(a);),
            quote!(Self::__causeway_sop_u64(a, b)),
        )
    };
    Wasm32 {
        items,
        mul_assign,
        square_in_place,
        sum_of_products,
    }
}
