//! Groth16 proof assembly on our own MSMs (`msm`): the four G1 MSMs (`h`, `l`, `a`, `b` in G1)
//! and the G2 MSM (`b` in G2) of ark-groth16 0.5's `create_proof_with_assignment`, with the same
//! formulas in the same order, so that for the same `r`, `s` and witness the proof is the same
//! group elements, hence the same bytes, as ark-groth16's (tested in `snark::tests`).
//!
//! ```text
//! A = α + Σ zᵢ·a_query[i] + r·δ
//! B = β + Σ zᵢ·b_g2_query[i] + s·δ          (and its G1 twin B₁ when r ≠ 0)
//! C = s·A + r·B₁ − r·s·δ + Σ wⱼ·l_query[j] + Σ hₖ·h_query[k]
//! ```
//!
//! Like ark-ec's MSM, the running time depends on the witness (zeros and small scalars are
//! cheaper): see docs/decisions/0081-variable-time-prover.md.
//!
//! A key may hold fixed-base tables over its query vectors ([`KeyTables`], decision 0098): the
//! MSMs then take them (same group elements, so the same proof bytes).

#[cfg(not(target_arch = "wasm32"))]
use super::msm::msm_g2_subgroup_bigint_with;
use super::msm::{msm_g1_bigint_with, msm_g2_bigint_with, G1Table, G2Table};
use crate::error::SnarkError;
use crate::proof::{Meter, ProvePhase};
use ark_bn254::{Bn254, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::CurveGroup;
use ark_ff::{BigInt, Zero};
use std::sync::{Arc, Mutex};

/// The memory budget, in bytes, suggested for [`super::ProvingKey::precompute`] (decision
/// 0098): 256 MiB on native targets, none on wasm32, whose builds hold no tables (a browser
/// tab's memory is scarce, and the module has a size target). It also caps the tables a key
/// builds on its own after [`AUTO_TABLES_AFTER_PROOFS`] proofs (decision 0123).
pub const DEFAULT_TABLE_BUDGET: usize = if cfg!(target_arch = "wasm32") {
    0
} else {
    256 << 20
};

/// One query vector's table, as [`PrecomputedTables`] reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTable {
    /// Which query: `"h"`, `"l"`, `"a"`, `"b_g1"` (G1) or `"b_g2"` (G2).
    pub query: &'static str,
    /// Bases in the table (for `a`, `b_g1`, `b_g2`: all but the first, which every proof adds
    /// once).
    pub points: usize,
    /// Window width in bits.
    pub window_bits: usize,
    /// Bytes the table takes.
    pub bytes: usize,
}

/// The fixed-base tables a proving key holds ([`super::ProvingKey::precompute`],
/// [`super::ProvingKey::precomputed`]): one entry per table, and their total size.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrecomputedTables {
    /// The tables, in the order the budget was spent (`h`, `b_g2`, `a`, `b_g1`, `l`).
    pub tables: Vec<QueryTable>,
    /// Total bytes of all tables.
    pub bytes: usize,
}

/// Fixed-base tables over one key's query vectors (`h`, `l` in full; `a`, `b_g1`, `b_g2`
/// without their first base, as the prover's MSMs take them). Each is tied to the bases it was
/// built from: a table whose bases differ from the ones an MSM is given is not used.
#[derive(Default)]
pub(crate) struct KeyTables {
    h: Option<G1Table>,
    l: Option<G1Table>,
    a: Option<G1Table>,
    b1: Option<G1Table>,
    b2: Option<G2Table>,
}

impl KeyTables {
    /// Spends `budget` bytes on tables in the order of their modelled gain: `h` (dense
    /// quotient scalars, the largest), then `b_g2` (G2 additions cost ≈ 3× G1's), `a`, `b_g1`
    /// and `l` (witness scalars: only their wide ones use the tables). Each takes the fastest
    /// window whose table fits what is left ([`G1Table::plan`]).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub(crate) fn build(pk: &ark_groth16::ProvingKey<Bn254>, budget: usize) -> Self {
        let mut left = budget;
        let g1 = |bases: &[G1Affine], left: &mut usize| {
            let t = G1Table::build(bases, *left, true);
            if let Some(t) = &t {
                *left = left.saturating_sub(t.bytes());
            }
            t
        };
        let h = g1(&pk.h_query, &mut left);
        let b2 = {
            let bases: &[G2Affine] = pk.b_g2_query.get(1..).unwrap_or(&[]);
            let t = G2Table::build(bases, left, true);
            if let Some(t) = &t {
                left = left.saturating_sub(t.bytes());
            }
            t
        };
        let a = g1(pk.a_query.get(1..).unwrap_or(&[]), &mut left);
        let b1 = g1(pk.b_g1_query.get(1..).unwrap_or(&[]), &mut left);
        let l = g1(&pk.l_query, &mut left);
        KeyTables { h, l, a, b1, b2 }
    }

    /// What these tables are, for the caller.
    pub(crate) fn report(&self) -> PrecomputedTables {
        let mut tables = Vec::new();
        if let Some(t) = &self.h {
            tables.push(entry("h", t.len(), t.window_bits(), t.bytes()));
        }
        if let Some(t) = &self.b2 {
            tables.push(entry("b_g2", t.len(), t.window_bits(), t.bytes()));
        }
        for (query, t) in [("a", &self.a), ("b_g1", &self.b1), ("l", &self.l)] {
            if let Some(t) = t {
                tables.push(entry(query, t.len(), t.window_bits(), t.bytes()));
            }
        }
        let bytes = tables.iter().map(|t| t.bytes).sum();
        PrecomputedTables { tables, bytes }
    }
}

fn entry(query: &'static str, points: usize, window_bits: usize, bytes: usize) -> QueryTable {
    QueryTable {
        query,
        points,
        window_bits,
        bytes,
    }
}

/// Proofs a key makes in one process before it builds its tables on its own (native builds;
/// decision 0123): ski rental. A build costs about as much as this many times the time the
/// tables then save per proof (build ≈ 6–8 proofs, saving ≈ 13–23 % of a proof, measured on
/// attribute and membership), so building after this many proofs at most doubles what the
/// best choice in hindsight costs, and a one-shot caller (a CLI `present`, a handful of
/// proofs) never pays for a build.
pub const AUTO_TABLES_AFTER_PROOFS: u32 = 32;

/// The memory cap of a table build that a key starts on its own, as a multiple of the bytes
/// of its own query points (decision 0123; never more than [`DEFAULT_TABLE_BUDGET`]). Full
/// tables take ≈ 20× the points (1,440 B per 72-byte G1 base, 2,992 B per 136-byte G2 base).
pub const AUTO_TABLES_KEY_MULTIPLE: usize = 16;

/// The budget of an automatic table build for `pk`: [`AUTO_TABLES_KEY_MULTIPLE`] times its
/// query points' bytes, at most [`DEFAULT_TABLE_BUDGET`] (0 on wasm32).
pub(crate) fn auto_table_budget(pk: &ark_groth16::ProvingKey<Bn254>) -> usize {
    let g1 = core::mem::size_of::<G1Affine>();
    let g2 = core::mem::size_of::<G2Affine>();
    let points = (pk.a_query.len() + pk.b_g1_query.len() + pk.h_query.len() + pk.l_query.len())
        .saturating_mul(g1)
        .saturating_add(pk.b_g2_query.len().saturating_mul(g2));
    points
        .saturating_mul(AUTO_TABLES_KEY_MULTIPLE)
        .min(DEFAULT_TABLE_BUDGET)
}

/// A proving key's table slot, shared by its clones: the tables, if any, and the count of
/// proofs toward an automatic build (decision 0123).
#[derive(Default)]
pub(crate) struct TableState {
    slot: Mutex<Option<Arc<KeyTables>>>,
    auto: Mutex<Auto>,
}

/// Where a key stands toward building its tables on its own.
#[derive(Default)]
struct Auto {
    /// Good proofs made with the key so far (clones included).
    proofs: u32,
    /// Set once the tables were built automatically, or the caller chose
    /// ([`TableState::precompute`], [`TableState::set_auto`]): no automatic build after that.
    settled: bool,
}

/// [`TableState`] as a key holds it.
pub(crate) type TableCache = Arc<TableState>;

impl TableState {
    /// The tables held now, if any.
    pub(crate) fn current(&self) -> Option<Arc<KeyTables>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether the key may build its tables on its own (`on`), from now on; either way the
    /// tables it holds stay.
    pub(crate) fn set_auto(&self, on: bool) {
        let mut auto = self.auto.lock().unwrap_or_else(|e| e.into_inner());
        auto.settled = !on;
    }

    /// Counts one good proof made with the key; from the [`AUTO_TABLES_AFTER_PROOFS`]th on,
    /// once, unless the caller chose otherwise, builds tables within [`auto_table_budget`] (native builds
    /// only: wasm32 holds no tables). Returns what was built then, `None` otherwise.
    pub(crate) fn after_proof(
        &self,
        pk: &ark_groth16::ProvingKey<Bn254>,
    ) -> Option<PrecomputedTables> {
        {
            let mut auto = self.auto.lock().unwrap_or_else(|e| e.into_inner());
            auto.proofs = auto.proofs.saturating_add(1);
            if auto.settled
                || auto.proofs < AUTO_TABLES_AFTER_PROOFS
                || cfg!(target_arch = "wasm32")
            {
                return None;
            }
            // One build, by the thread whose proof got here first.
            auto.settled = true;
        }
        Some(self.build(pk, auto_table_budget(pk)))
    }

    /// Builds tables within `budget` bytes (0: none) and puts them in place of the key's
    /// earlier ones. The caller chose: the key builds none on its own after this.
    pub(crate) fn precompute(
        &self,
        pk: &ark_groth16::ProvingKey<Bn254>,
        budget: usize,
    ) -> PrecomputedTables {
        self.set_auto(false);
        self.build(pk, budget)
    }

    fn build(&self, pk: &ark_groth16::ProvingKey<Bn254>, budget: usize) -> PrecomputedTables {
        // Drop the old tables first so the old and new never need memory at once.
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
        // wasm32 builds hold no tables: a browser tab's memory is scarce, and the table code
        // would cost the shipped module its size target (decision 0098, amended).
        #[cfg(target_arch = "wasm32")]
        {
            let _ = (pk, budget);
            PrecomputedTables::default()
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.build_in_place(pk, budget)
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn build_in_place(
        &self,
        pk: &ark_groth16::ProvingKey<Bn254>,
        budget: usize,
    ) -> PrecomputedTables {
        let tables = KeyTables::build(pk, budget);
        let report = tables.report();
        let tables = (!report.tables.is_empty()).then(|| Arc::new(tables));
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = tables;
        report
    }
}

fn g1_msm(
    table: Option<&G1Table>,
    bases: &[G1Affine],
    scalars: &[BigInt<4>],
    parallel: bool,
) -> Result<G1Projective, SnarkError> {
    // wasm32 builds hold no tables (see `TableState::precompute`): keep their code out.
    #[cfg(target_arch = "wasm32")]
    let table: Option<&G1Table> = {
        let _ = table;
        None
    };
    match table {
        Some(t) => t.msm_bigint(bases, scalars, parallel),
        None => msm_g1_bigint_with(bases, scalars, parallel),
    }
}

fn g2_msm(
    table: Option<&G2Table>,
    bases: &[G2Affine],
    scalars: &[BigInt<4>],
    parallel: bool,
) -> Result<G2Projective, SnarkError> {
    // wasm32 builds hold no tables (see `TableState::precompute`): keep their code out.
    #[cfg(target_arch = "wasm32")]
    let table: Option<&G2Table> = {
        let _ = table;
        None
    };
    match table {
        Some(t) => t.msm_bigint(bases, scalars, parallel),
        // GLV with ψ (decision 0114) needs every base in G2's order-r subgroup. These are the
        // proving key's `b_g2_query`: a key made by `setup` has them there, a key decoded by
        // `ProvingKey::from_bytes` (or passed through `check_points`) had every G2 point
        // subgroup-checked, and a key decoded under a pinned digest (decisions 0079, 0111) is
        // one of those byte for byte. A key that breaks this anyway (a wrong pin, or
        // `ProvingKey::from_arkworks` on bad points) almost surely shows in the sum: a sum
        // outside G2 is recomputed without ψ, which gives exactly arkworks' B, and the
        // self-check in `prove` then decides as before; a sum inside G2 is the sum over the
        // bases' G2 parts, a B that verifies (tests `snark::msm::tests_g2glv::*outside_g2*`).
        // One fast subgroup check per proof.
        // wasm32 keeps the plain path: the ψ path's code does not fit the shipped module's
        // 500 kB gzip limit (decision 0093), and one thread gains little from it.
        #[cfg(target_arch = "wasm32")]
        None => msm_g2_bigint_with(bases, scalars, parallel),
        #[cfg(not(target_arch = "wasm32"))]
        None => {
            let b = msm_g2_subgroup_bigint_with(bases, scalars, parallel)?;
            if super::g2_in_subgroup_assuming_on_curve(&b.into_affine()) {
                Ok(b)
            } else {
                msm_g2_bigint_with(bases, scalars, parallel)
            }
        }
    }
}

/// The proof for the full assignment `full` (`full[0]` is the constant one, then the
/// `num_inputs − 1` public inputs, then the witnesses) and the QAP quotient coefficients `h`,
/// with blinding scalars `r` and `s`. `parallel == false` runs every MSM on one thread.
///
/// Refuses (with [`SnarkError::KeyMismatch`]) an assignment or quotient whose length does not
/// fit the key; never indexes out of range. `meter` hears each MSM begin (`MsmH`, `MsmL`,
/// `MsmA`, `MsmB1`, `MsmB2`, in that order; `MsmB1` also when `r = 0` skips it).
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_proof(
    pk: &ark_groth16::ProvingKey<Bn254>,
    r: Fr,
    s: Fr,
    h: &[Fr],
    full: &[Fr],
    num_inputs: usize,
    parallel: bool,
    meter: &Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError> {
    create_proof_with_tables(pk, None, r, s, h, full, num_inputs, parallel, meter)
}

/// [`create_proof`] with the key's fixed-base tables (`None`: plain MSMs). A table not built
/// for the query it is offered for is not used (the result is the same either way).
#[cfg(test)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_proof_with_tables(
    pk: &ark_groth16::ProvingKey<Bn254>,
    tables: Option<&KeyTables>,
    r: Fr,
    s: Fr,
    h: &[Fr],
    full: &[Fr],
    num_inputs: usize,
    parallel: bool,
    meter: &Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError> {
    create_proof_from_quotient(
        pk,
        tables,
        r,
        s,
        || Ok(h),
        full,
        num_inputs,
        parallel,
        meter,
    )
}

/// The smallest `h` query (domain − 1) whose proof runs the quotient and the MSMs side by side:
/// 2^13 − 1. Below it (attribute, 2^12) an interleaved A/B at load 6 measured the side-by-side
/// proof ≈ 15 % slower than the stages in order, with ≈ 7 % more CPU time, while membership
/// (2^13) and sum:4 (2^14) gained 3–4 % (decision 0123).
pub(crate) const SIDE_BY_SIDE_MIN_H: usize = (1 << 13) - 1;

/// [`create_proof_with_tables`] with the quotient `h` computed by `quotient` (the QAP, which
/// also checks that the assignment satisfies the key's matrices; its error is returned as is).
///
/// With `parallel` (and the `parallel` feature), for a key whose domain is at least 2^13
/// ([`SIDE_BY_SIDE_MIN_H`]), the quotient and the five MSMs run side by side
/// on rayon: the G2 MSM of `B`, and the G1 MSMs of `A`, `B` and `l`, need only the assignment,
/// and the `h` MSM starts as soon as the quotient is done, so the serial parts of each (the
/// scalar partition of every MSM, the small FFTs, the last window jobs of an MSM) overlap with
/// the others' work instead of leaving a core idle. `meter` then hears `MsmH` … `MsmB2` together
/// when they begin (after `Quotient`, which the caller reports); without `parallel` they run one
/// after the other, each reported as it begins. The proof is the same group elements either way
/// (the same sums, added in the same formulas), hence the same bytes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn create_proof_from_quotient<H, Q>(
    pk: &ark_groth16::ProvingKey<Bn254>,
    tables: Option<&KeyTables>,
    r: Fr,
    s: Fr,
    quotient: Q,
    full: &[Fr],
    num_inputs: usize,
    parallel: bool,
    meter: &Meter<'_>,
) -> Result<ark_groth16::Proof<Bn254>, SnarkError>
where
    H: AsRef<[Fr]>,
    Q: FnOnce() -> Result<H, SnarkError> + Send,
{
    let t = tables.unwrap_or(&NO_TABLES);
    let vars = pk.a_query.len();
    if full.len() != vars
        || pk.b_g1_query.len() != vars
        || pk.b_g2_query.len() != vars
        || num_inputs == 0
        || num_inputs > vars
        || vars - num_inputs != pk.l_query.len()
    {
        return Err(SnarkError::KeyMismatch);
    }
    let (Some(a0), Some(b0), Some(b20)) = (
        pk.a_query.first(),
        pk.b_g1_query.first(),
        pk.b_g2_query.first(),
    ) else {
        return Err(SnarkError::KeyMismatch);
    };
    let z = to_bigints(full, parallel);
    let aux = z.get(num_inputs..).unwrap_or(&[]);
    let rest = z.get(1..).unwrap_or(&[]);
    let a_q = pk.a_query.get(1..).unwrap_or(&[]);
    let b_q = pk.b_g1_query.get(1..).unwrap_or(&[]);
    let b2_q = pk.b_g2_query.get(1..).unwrap_or(&[]);

    // The quotient's scalars in integer form (refused if shorter than the key's `h` query).
    let h_scalars = || -> Result<Vec<BigInt<4>>, SnarkError> {
        let h = quotient()?;
        let h = h.as_ref().get(..pk.h_query.len());
        Ok(to_bigints(h.ok_or(SnarkError::KeyMismatch)?, parallel))
    };
    let msm_h = |h_big: Vec<BigInt<4>>| g1_msm(t.h.as_ref(), &pk.h_query, &h_big, parallel);
    let msm_l = || g1_msm(t.l.as_ref(), &pk.l_query, aux, parallel);
    let msm_a = || g1_msm(t.a.as_ref(), a_q, rest, parallel);
    // B in G1: only C needs it, and only when r ≠ 0.
    let msm_b1 = || {
        if r.is_zero() {
            Ok(G1Projective::zero())
        } else {
            g1_msm(t.b1.as_ref(), b_q, rest, parallel)
        }
    };
    let msm_b2 = || g2_msm(t.b2.as_ref(), b2_q, rest, parallel);

    let side_by_side =
        parallel && cfg!(feature = "parallel") && pk.h_query.len() >= SIDE_BY_SIDE_MIN_H;
    let (h_acc, l_acc, a_acc, b1_acc, b2_acc) = if side_by_side {
        for phase in [
            ProvePhase::MsmH,
            ProvePhase::MsmL,
            ProvePhase::MsmA,
            ProvePhase::MsmB1,
            ProvePhase::MsmB2,
        ] {
            meter.step(phase);
        }
        // The G2 MSM first (the largest, with the largest serial partition); the others are
        // taken by whichever thread is free.
        let (b2, ((h, l), (a, b1))) = super::qap::join(msm_b2, || {
            super::qap::join(
                || super::qap::join(|| msm_h(h_scalars()?), msm_l),
                || super::qap::join(msm_a, msm_b1),
            )
        });
        // The quotient's error (an unsatisfied assignment) first, as the serial order gives.
        let h = h?;
        (h, l?, a?, b1?, b2?)
    } else {
        let h_big = h_scalars()?;
        meter.step(ProvePhase::MsmH);
        let h = msm_h(h_big)?;
        meter.step(ProvePhase::MsmL);
        let l = msm_l()?;
        meter.step(ProvePhase::MsmA);
        let a = msm_a()?;
        meter.step(ProvePhase::MsmB1);
        let b1 = msm_b1()?;
        meter.step(ProvePhase::MsmB2);
        let b2 = msm_b2()?;
        (h, l, a, b1, b2)
    };

    // A.
    let mut g_a: G1Projective = pk.delta_g1 * r;
    g_a += a0;
    g_a += a_acc;
    g_a += pk.vk.alpha_g1;
    let s_g_a = g_a * s;

    // B in G1.
    let g1_b = if !r.is_zero() {
        let mut b: G1Projective = pk.delta_g1 * s;
        b += b0;
        b += b1_acc;
        b += pk.beta_g1;
        b
    } else {
        G1Projective::zero()
    };

    // B in G2.
    let mut g2_b = pk.vk.delta_g2 * s;
    g2_b += b20;
    g2_b += b2_acc;
    g2_b += pk.vk.beta_g2;
    let r_g1_b = g1_b * r;
    let r_s_delta_g1 = pk.delta_g1 * (r * s);

    let mut g_c = s_g_a;
    g_c += r_g1_b;
    g_c -= r_s_delta_g1;
    g_c += l_acc;
    g_c += h_acc;

    let proof: ark_groth16::Proof<Bn254> = ark_groth16::Proof {
        a: g_a.into_affine(),
        b: g2_b.into_affine(),
        c: g_c.into_affine(),
    };
    // A proof point at infinity is never released (the decoder refuses it anyway).
    if proof.a.infinity || proof.b.infinity || proof.c.infinity {
        return Err(SnarkError::ProofSelfCheck);
    }
    Ok(proof)
}

static NO_TABLES: KeyTables = KeyTables {
    h: None,
    l: None,
    a: None,
    b1: None,
    b2: None,
};

/// The MSMs' scalars in integer form, small values recognised without a Montgomery reduction
/// (`msm::to_bigints`).
fn to_bigints(v: &[Fr], parallel: bool) -> Vec<BigInt<4>> {
    super::msm::to_bigints(v, parallel)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::super::*;
    use super::create_proof;
    use ark_ff::{AdditiveGroup, Field, UniformRand, Zero};
    use ark_relations::lc;
    use ark_relations::r1cs::{ConstraintSystemRef, Variable};
    use ark_std::rand::SeedableRng;

    /// Public `x`, witnesses `wᵢ` (a mix of zeros, ones, bytes and full-width values) with
    /// `wᵢ · wᵢ = sqᵢ + shift` and `Σ wᵢ · 1 = x`. `shift` changes the matrices, not the counts.
    #[derive(Clone)]
    struct Mix {
        ws: Vec<Fr>,
        shift: u64,
        cheat: bool,
    }

    impl ConstraintSynthesizer<Fr> for Mix {
        fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
            let total: Fr = self.ws.iter().sum();
            let x = cs.new_input_variable(|| Ok(total))?;
            let mut sum = lc!();
            for (i, w) in self.ws.iter().enumerate() {
                let wv = cs.new_witness_variable(|| Ok(*w))?;
                let mut sq = *w * w - Fr::from(self.shift);
                if self.cheat && i == 0 {
                    sq += Fr::ONE;
                }
                let sv = cs.new_witness_variable(|| Ok(sq))?;
                cs.enforce_constraint(
                    lc!() + wv,
                    lc!() + wv,
                    lc!() + sv + (Fr::from(self.shift), Variable::One),
                )?;
                sum = sum + wv;
            }
            cs.enforce_constraint(sum, lc!() + Variable::One, lc!() + x)?;
            Ok(())
        }
    }

    fn witness(n: usize, seed: u64) -> Vec<Fr> {
        let mut r = ark_std::rand::rngs::StdRng::seed_from_u64(seed);
        (0..n)
            .map(|i| match i % 5 {
                0 => Fr::ZERO,
                1 => Fr::ONE,
                2 => Fr::from((i % 256) as u64),
                3 => -Fr::ONE,
                _ => Fr::rand(&mut r),
            })
            .collect()
    }

    fn mix(n: usize, seed: u64) -> Mix {
        Mix {
            ws: witness(n, seed),
            shift: 0,
            cheat: false,
        }
    }

    fn matrices_and_assignment(c: Mix) -> (ConstraintMatrices<Fr>, Vec<Fr>) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(OptimizationGoal::Constraints);
        c.generate_constraints(cs.clone()).unwrap();
        cs.finalize();
        let m = cs.to_matrices().unwrap();
        let b = cs.borrow().unwrap();
        let full = [
            b.instance_assignment.as_slice(),
            b.witness_assignment.as_slice(),
        ]
        .concat();
        (m, full)
    }

    #[test]
    fn same_proof_bytes_as_ark_groth16_for_the_same_r_and_s() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(1);
        for (n, seed) in [(1usize, 2u64), (5, 3), (200, 4), (700, 5)] {
            let pk = setup_with_rng(mix(n, seed), &mut rng).unwrap();
            let (m, full) = matrices_and_assignment(mix(n, seed + 100));
            for (r, s) in [
                (Fr::rand(&mut rng), Fr::rand(&mut rng)),
                (Fr::ZERO, Fr::rand(&mut rng)),
                (Fr::ONE, -Fr::ONE),
            ] {
                assert_same_as_ark(&pk, &m, &full, (r, s), n);
                if !r.is_zero() {
                    let proof = Proof {
                        key_id: pk.id(),
                        inner: prove_with_matrices(
                            &pk,
                            &m,
                            &full,
                            r,
                            s,
                            true,
                            &crate::proof::Meter::none(),
                        )
                        .unwrap(),
                    };
                    verify(pk.verifying_key(), &full[1..2], &proof).unwrap();
                }
            }
        }
    }

    fn ark_proof(
        pk: &ProvingKey,
        m: &ConstraintMatrices<Fr>,
        full: &[Fr],
        r: Fr,
        s: Fr,
    ) -> ark_groth16::Proof<Bn254> {
        ark_groth16::Groth16::<Bn254, qap::CheckedReduction>::create_proof_with_reduction_and_matrices(
            &pk.inner,
            r,
            s,
            m,
            m.num_instance_variables,
            m.num_constraints,
            full,
        )
        .unwrap()
    }

    /// Our proof, parallel and not, is ark-groth16's for the same `r` and `s`, to the byte.
    fn assert_same_as_ark(
        pk: &ProvingKey,
        m: &ConstraintMatrices<Fr>,
        full: &[Fr],
        (r, s): (Fr, Fr),
        n: usize,
    ) {
        let theirs = ark_proof(pk, m, full, r, s);
        for parallel in [true, false] {
            let ours =
                prove_with_matrices(pk, m, full, r, s, parallel, &crate::proof::Meter::none())
                    .unwrap();
            assert_eq!(ours, theirs, "n={n} parallel={parallel}");
            let mut a = Vec::new();
            let mut b = Vec::new();
            ours.serialize_compressed(&mut a).unwrap();
            theirs.serialize_compressed(&mut b).unwrap();
            assert_eq!(a, b);
        }
    }

    /// A domain of 2^13: the prover runs the quotient and the MSMs side by side (decision
    /// 0123); still ark-groth16's proof to the byte, with and without tables, and an
    /// unsatisfied assignment is refused as such (not as whatever an MSM says).
    #[test]
    fn same_proof_bytes_as_ark_groth16_side_by_side() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(120);
        let n = 4200;
        let pk = setup_with_rng(mix(n, 121), &mut rng).unwrap();
        assert!(pk.inner.h_query.len() >= super::SIDE_BY_SIDE_MIN_H);
        let (m, full) = matrices_and_assignment(mix(n, 122));
        for (r, s) in [
            (Fr::rand(&mut rng), Fr::rand(&mut rng)),
            (Fr::ZERO, Fr::ONE),
        ] {
            assert_same_as_ark(&pk, &m, &full, (r, s), n);
        }
        assert!(!pk.precompute(DEFAULT_TABLE_BUDGET).tables.is_empty());
        assert_same_as_ark(&pk, &m, &full, (Fr::rand(&mut rng), Fr::rand(&mut rng)), n);
        let mut bad = full.clone();
        bad[5] += Fr::ONE;
        let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        assert_eq!(
            prove_with_matrices(&pk, &m, &bad, r, s, true, &crate::proof::Meter::none())
                .unwrap_err(),
            SnarkError::Unsatisfied
        );
    }

    #[test]
    fn same_proof_bytes_as_ark_groth16_with_precomputed_tables() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(60);
        for (n, seed) in [(1usize, 61u64), (40, 62), (700, 63)] {
            let pk = setup_with_rng(mix(n, seed), &mut rng).unwrap();
            let report = pk.precompute(usize::MAX);
            if n == 700 {
                let names: Vec<_> = report.tables.iter().map(|t| t.query).collect();
                assert_eq!(names, ["h", "b_g2", "a", "b_g1", "l"]);
            }
            assert!(report.tables.iter().any(|t| t.query == "h"), "n={n}");
            assert_eq!(
                report.bytes,
                report.tables.iter().map(|t| t.bytes).sum::<usize>()
            );
            // Shared by clones.
            assert_eq!(pk.clone().precomputed(), report);
            let (m, full) = matrices_and_assignment(mix(n, seed + 100));
            for (r, s) in [
                (Fr::rand(&mut rng), Fr::rand(&mut rng)),
                (Fr::ZERO, Fr::rand(&mut rng)),
                (Fr::ONE, -Fr::ONE),
            ] {
                assert_same_as_ark(&pk, &m, &full, (r, s), n);
            }
        }
    }

    #[test]
    fn tables_of_another_key_are_not_used() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(70);
        // Two keys for the same circuit (same shapes, other points).
        let pk1 = setup_with_rng(mix(300, 71), &mut rng).unwrap();
        let pk2 = setup_with_rng(mix(300, 71), &mut rng).unwrap();
        assert!(!pk1.precompute(usize::MAX).tables.is_empty());
        let t1 = pk1.tables.current().unwrap();
        let (m, full) = matrices_and_assignment(mix(300, 72));
        let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let h = {
            use ark_groth16::r1cs_to_qap::R1CSToQAP;
            qap::CheckedReduction::witness_map_from_matrices::<
                Fr,
                ark_poly::GeneralEvaluationDomain<Fr>,
            >(&m, m.num_instance_variables, m.num_constraints, &full)
            .unwrap()
        };
        // pk1's tables offered with pk2's queries: the proof is pk2's, exactly.
        let ours = super::create_proof_with_tables(
            &pk2.inner,
            Some(&t1),
            r,
            s,
            &h,
            &full,
            m.num_instance_variables,
            true,
            &crate::proof::Meter::none(),
        )
        .unwrap();
        assert_eq!(ours, ark_proof(&pk2, &m, &full, r, s));
        assert_ne!(ours, ark_proof(&pk1, &m, &full, r, s));
        // And with their own key, the same tables give pk1's proof.
        let own = super::create_proof_with_tables(
            &pk1.inner,
            Some(&t1),
            r,
            s,
            &h,
            &full,
            m.num_instance_variables,
            false,
            &crate::proof::Meter::none(),
        )
        .unwrap();
        assert_eq!(own, ark_proof(&pk1, &m, &full, r, s));
    }

    #[test]
    fn tables_are_built_only_when_asked_and_a_budget_of_zero_drops_them() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(80);
        let pk = setup_with_rng(mix(64, 81), &mut rng).unwrap();
        let clone = pk.clone();
        assert!(pk.precomputed().tables.is_empty());
        // Proofs build no tables on their own (a build costs several proofs' time).
        for seed in 82..84 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&clone, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        assert!(pk.precomputed().tables.is_empty());
        // Asked (through a clone), within the suggested budget; later proofs use them.
        let built = clone.precompute(DEFAULT_TABLE_BUDGET);
        assert!(!built.tables.is_empty());
        assert!(built.bytes <= DEFAULT_TABLE_BUDGET);
        assert_eq!(pk.precomputed(), built);
        for seed in 84..87 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&pk, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        // A key decoded from bytes starts without tables.
        let loaded = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        assert!(loaded.precomputed().tables.is_empty());
        // Budget 0: no tables, and none are built again on their own.
        assert_eq!(pk.precompute(0), PrecomputedTables::default());
        assert!(clone.precomputed().tables.is_empty());
        let (p, inputs) = prove_returning_inputs_with_rng(&pk, mix(64, 88), &mut rng).unwrap();
        verify(pk.verifying_key(), &inputs, &p).unwrap();
        assert!(pk.precomputed().tables.is_empty());
        // A budget too small for any table builds none.
        assert!(pk.precompute(1000).tables.is_empty());
    }

    /// Decision 0123: a key builds its tables on its own on its
    /// `AUTO_TABLES_AFTER_PROOFS`th good proof (clones count together), within its automatic
    /// budget; the proofs before and after verify, and with tables they are ark-groth16's bytes.
    #[test]
    fn a_key_builds_its_tables_on_its_own_after_enough_proofs() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(100);
        let pk = setup_with_rng(mix(300, 101), &mut rng).unwrap();
        let clone = pk.clone();
        let budget = super::auto_table_budget(&pk.inner);
        assert!(budget > 0 && budget <= DEFAULT_TABLE_BUDGET);
        for i in 1..AUTO_TABLES_AFTER_PROOFS {
            let key = if i % 2 == 0 { &pk } else { &clone };
            let (p, inputs) =
                prove_returning_inputs_with_rng(key, mix(300, 102 + u64::from(i)), &mut rng)
                    .unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
            assert!(pk.precomputed().tables.is_empty(), "proof {i}");
        }
        // A failed proof does not count.
        let other = Mix {
            ws: witness(300, 99),
            shift: 5,
            cheat: false,
        };
        assert!(prove_with_rng(&pk, other, &mut rng).is_err());
        assert!(pk.precomputed().tables.is_empty());
        let (p, inputs) = prove_returning_inputs_with_rng(&pk, mix(300, 98), &mut rng).unwrap();
        verify(pk.verifying_key(), &inputs, &p).unwrap();
        let built = clone.precomputed();
        assert!(!built.tables.is_empty());
        assert!(built.bytes <= budget, "{} > {budget}", built.bytes);
        // With them: still ark-groth16's proof to the byte, and ordinary proofs verify.
        let (m, full) = matrices_and_assignment(mix(300, 97));
        assert_same_as_ark(
            &pk,
            &m,
            &full,
            (Fr::rand(&mut rng), Fr::rand(&mut rng)),
            300,
        );
        for seed in 90..92 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&pk, mix(300, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        // Built once: dropping them (the caller's choice) keeps them dropped.
        assert_eq!(pk.precompute(0), PrecomputedTables::default());
        for seed in 0..AUTO_TABLES_AFTER_PROOFS + 1 {
            prove_with_rng(&pk, mix(300, u64::from(seed) + 200), &mut rng).unwrap();
        }
        assert!(pk.precomputed().tables.is_empty());
    }

    /// A caller who says no (`set_auto_tables(false)`), or chose a budget, gets no automatic
    /// build; a key decoded from bytes counts its own proofs from zero.
    #[test]
    fn no_automatic_tables_when_the_caller_chose() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(110);
        let pk = setup_with_rng(mix(64, 111), &mut rng).unwrap();
        let off = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        off.set_auto_tables(false);
        let chose = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        assert!(chose.precompute(1000).tables.is_empty());
        let fresh = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        for i in 0..AUTO_TABLES_AFTER_PROOFS + 1 {
            for key in [&off, &chose, &pk] {
                prove_with_rng(key, mix(64, 112 + u64::from(i)), &mut rng).unwrap();
            }
        }
        assert!(off.precomputed().tables.is_empty());
        assert!(chose.precomputed().tables.is_empty());
        // `pk` went past the count: built; `fresh` (its own count, nothing proven) did not.
        assert!(!pk.precomputed().tables.is_empty());
        assert!(fresh.precomputed().tables.is_empty());
        // Turned back on, `off` builds on its next proof (its count went past).
        off.set_auto_tables(true);
        prove_with_rng(&off, mix(64, 150), &mut rng).unwrap();
        assert!(!off.precomputed().tables.is_empty());
    }

    #[test]
    fn a_key_whose_proof_failed_its_self_check_builds_no_tables() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(90);
        let setup_key = setup_with_rng(mix(16, 91), &mut rng).unwrap();
        let pk = ProvingKey::from_bytes(&setup_key.to_bytes()).unwrap();
        let other = Mix {
            ws: witness(16, 92),
            shift: 5,
            cheat: false,
        };
        for _ in 0..2 {
            assert_eq!(
                prove_with_rng(&pk, other.clone(), &mut rng).unwrap_err(),
                SnarkError::ProofSelfCheck
            );
        }
        assert!(pk.precomputed().tables.is_empty());
    }

    #[test]
    fn matrices_are_kept_after_the_first_good_proof_and_shared_by_clones() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(7);
        let pk = setup_with_rng(mix(64, 8), &mut rng).unwrap();
        // Since the L3 fix (decision 0082, amended) setup keeps its own matrices at once: they
        // are the ones a proof would build.
        let (m, _) = matrices_and_assignment(mix(64, 10));
        assert_eq!(**pk.matrices.get().unwrap(), m);
        let (p1, in1) = prove_returning_inputs_with_rng(&pk, mix(64, 9), &mut rng).unwrap();
        let kept = pk.matrices.get().cloned().unwrap();
        assert_eq!(*kept, m);
        // A key decoded from bytes and named for no circuit keeps no caller's matrices.
        let loaded = ProvingKey::from_bytes(&pk.to_bytes()).unwrap();
        for seed in 15..17 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&loaded, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        assert!(loaded.matrices.get().is_none());
        let clone = pk.clone();
        assert!(clone.matrices.get().is_some());
        // Later proofs (new witnesses, through the clone too) use the kept matrices and verify.
        for seed in 11..14 {
            let (p, inputs) =
                prove_returning_inputs_with_rng(&clone, mix(64, seed), &mut rng).unwrap();
            verify(pk.verifying_key(), &inputs, &p).unwrap();
        }
        verify(pk.verifying_key(), &in1, &p1).unwrap();
        // The same witness proven twice: two different valid proofs (fresh r, s each time).
        let (a, ia) = prove_returning_inputs_with_rng(&pk, mix(64, 20), &mut rng).unwrap();
        let (b, ib) = prove_returning_inputs_with_rng(&pk, mix(64, 20), &mut rng).unwrap();
        assert_eq!(ia, ib);
        assert_ne!(a.to_bytes(), b.to_bytes());
        verify(pk.verifying_key(), &ia, &a).unwrap();
        verify(pk.verifying_key(), &ib, &b).unwrap();
    }

    #[test]
    fn another_circuit_after_the_cache_is_filled_is_refused_without_poisoning() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(30);
        let pk = setup_with_rng(mix(16, 31), &mut rng).unwrap();
        prove_with_rng(&pk, mix(16, 32), &mut rng).unwrap();
        assert!(pk.matrices.get().is_some());
        // Same counts, other matrices (shift): its witness does not satisfy the key's circuit.
        let other = Mix {
            ws: witness(16, 33),
            shift: 5,
            cheat: false,
        };
        assert_eq!(
            prove_with_rng(&pk, other, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        // A cheating witness of the right circuit: refused, no proof.
        let cheat = Mix {
            ws: witness(16, 34),
            shift: 0,
            cheat: true,
        };
        assert_eq!(
            prove_with_rng(&pk, cheat, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        // Other counts: refused as a key mismatch.
        assert_eq!(
            prove_with_rng(&pk, mix(17, 35), &mut rng).unwrap_err(),
            SnarkError::KeyMismatch
        );
        // None of this poisoned the key: the honest circuit still proves.
        let (p, inputs) = prove_returning_inputs_with_rng(&pk, mix(16, 36), &mut rng).unwrap();
        verify(pk.verifying_key(), &inputs, &p).unwrap();
    }

    #[test]
    fn a_wrong_first_circuit_fills_no_cache() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(40);
        let setup_key = setup_with_rng(mix(16, 41), &mut rng).unwrap();
        // A key without matrices (decoded, named for no circuit; since the L3 fix setup's own
        // keys start with theirs).
        let pk = ProvingKey::from_bytes(&setup_key.to_bytes()).unwrap();
        // Same counts, other matrices, as the very first proof: its own matrices are satisfied,
        // the proof fails the self-check (as before this change), and they are not kept.
        let other = Mix {
            ws: witness(16, 42),
            shift: 5,
            cheat: false,
        };
        assert_eq!(
            prove_with_rng(&pk, other.clone(), &mut rng).unwrap_err(),
            SnarkError::ProofSelfCheck
        );
        assert!(pk.matrices.get().is_none());
        // The setup's key checks it against its own matrices: refused, and not poisoned.
        assert_eq!(
            prove_with_rng(&setup_key, other, &mut rng).unwrap_err(),
            SnarkError::Unsatisfied
        );
        prove_with_rng(&setup_key, mix(16, 43), &mut rng).unwrap();
    }

    #[test]
    fn lengths_that_do_not_fit_the_key_are_refused() {
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(50);
        let pk = setup_with_rng(mix(8, 51), &mut rng).unwrap();
        let (_, full) = matrices_and_assignment(mix(8, 52));
        let h = vec![Fr::ONE; pk.inner.h_query.len() + 1];
        let (r, s) = (Fr::ONE, Fr::ONE);
        let ni = pk.inner.vk.gamma_abc_g1.len();
        assert!(create_proof(
            &pk.inner,
            r,
            s,
            &h,
            &full,
            ni,
            true,
            &crate::proof::Meter::none()
        )
        .is_ok());
        for (full, h, ni) in [
            (&full[..full.len() - 1], &h[..], ni),
            (&full[..], &h[..h.len() - 2], ni),
            (&full[..], &h[..], 0),
            (&full[..], &h[..], ni + 1),
            (&full[..], &h[..], full.len() + 1),
            (&[][..], &h[..], ni),
        ] {
            assert_eq!(
                create_proof(
                    &pk.inner,
                    r,
                    s,
                    h,
                    full,
                    ni,
                    true,
                    &crate::proof::Meter::none()
                )
                .unwrap_err(),
                SnarkError::KeyMismatch
            );
        }
    }

    /// A key whose `b_g2_query` holds twist points outside G2 (a wrong pin, or
    /// `ProvingKey::from_arkworks` on bad points): the G2 MSM's ψ path (decision 0114) would
    /// give another B, so the prover recomputes it without ψ and makes exactly ark-groth16's
    /// proof; `prove` then refuses it by its self-check, as before. Never a wrong proof.
    #[test]
    fn keys_with_bases_outside_g2_prove_as_ark_groth16() {
        use ark_ec::AffineRepr;
        use ark_ff::{BigInteger, PrimeField};
        let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(30);
        let n = 40;
        let pk0 = setup_with_rng(mix(n, 31), &mut rng).unwrap();
        let (m, full) = matrices_and_assignment(mix(n, 32));
        let mut raw = pk0.inner.clone();
        let mut forged = 0;
        for (i, w) in full.iter().enumerate() {
            if w.into_bigint().num_bits() > 128 && !raw.b_g2_query[i].is_zero() {
                let p = loop {
                    let x = ark_bn254::Fq2::new(
                        ark_bn254::Fq::rand(&mut rng),
                        ark_bn254::Fq::rand(&mut rng),
                    );
                    if let Some(p) = G2Affine::get_point_from_x_unchecked(x, i % 2 == 0) {
                        if !g2_in_subgroup_assuming_on_curve(&p) {
                            break p;
                        }
                    }
                };
                raw.b_g2_query[i] = p;
                forged += 1;
            }
        }
        assert!(forged >= 4, "{forged} wide witnesses");
        let pk = ProvingKey::from_arkworks(raw).unwrap();
        assert!(!pk.points_checked());
        for (r, s) in [
            (Fr::rand(&mut rng), Fr::rand(&mut rng)),
            (Fr::ZERO, Fr::ONE),
        ] {
            let theirs = ark_groth16::Groth16::<Bn254, qap::CheckedReduction>::create_proof_with_reduction_and_matrices(
                &pk.inner,
                r,
                s,
                &m,
                m.num_instance_variables,
                m.num_constraints,
                &full,
            )
            .unwrap();
            for parallel in [true, false] {
                let ours = prove_with_matrices(
                    &pk,
                    &m,
                    &full,
                    r,
                    s,
                    parallel,
                    &crate::proof::Meter::none(),
                )
                .unwrap();
                assert_eq!(ours, theirs, "parallel={parallel}");
            }
        }
        assert_eq!(
            prove_with_rng(&pk, mix(n, 32), &mut rng).unwrap_err(),
            SnarkError::ProofSelfCheck
        );
    }
}
