//! The Poseidon R1CS gadget, mirror of [`super::hash`]: same parameters, same outputs.
//!
//! Linear layers and constant additions are free in R1CS (linear combinations), so the gadget
//! follows the textbook form: each S-box on a variable costs three constraints
//! (`x2 = x*x`, `x4 = x2*x2`, `x5 = x4*x`), an S-box on a constant none. With circomlib's
//! parameters and the zero first state element that is `3 * (8 t - 1 + R_P)` constraints,
//! 240 for t = 3 (two inputs).

use ark_ff::{One, Zero};
use ark_r1cs_std::fields::fp::{AllocatedFp, FpVar};
use ark_r1cs_std::fields::FieldVar;
use ark_r1cs_std::R1CSVar;
use ark_relations::lc;
use ark_relations::r1cs::{
    ConstraintSystemRef, LinearCombination, OptimizationGoal, SynthesisError, Variable,
};

use super::{params, Params};
use crate::Fr;

fn sbox(x: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    let x2 = x.square()?;
    let x4 = x2.square()?;
    Ok(x4 * x)
}

/// Poseidon of 1 to [`super::MAX_INPUTS`] field variables (t = `inputs.len() + 1`); any other
/// count is refused with `SynthesisError::Unsatisfiable`.
///
/// No symbolic linear combinations (decisions 0129, 0130): when the constraint system only
/// assigns a witness (the prover holds the key's matrices already), the rounds run on values and
/// only the S-box witnesses are allocated; when it builds matrices, the linear layers run on
/// coefficient vectors and each S-box input reaches its constraints as one flat combination
/// (the same matrices as the textbook gadget form); with a [`ConstraintValues`] record or the
/// [`CountOnly`] mark installed, the constraints are recorded or counted there instead of
/// being added (decision 0132). Every path allocates the same witnesses in the same order and
/// accounts for the same constraints (tested against the gadget form, which the `Weight`
/// optimization goal still takes).
pub fn hash(inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let p = params(inputs.len()).map_err(|_| SynthesisError::Unsatisfiable)?;
    let cs = inputs.cs();
    // Outlining (the `Weight` goal) depends on how the symbolic combinations are shared, so
    // only the gadget form gives its matrices.
    if cs.optimization_goal() == OptimizationGoal::Weight || forced_symbolic() {
        return hash_symbolic(p, inputs);
    }
    if witness_only(&cs) {
        return hash_witness_only(p, inputs, &cs, Rows::Empty);
    }
    if ConstraintValues::installed(&cs) {
        return hash_witness_only(p, inputs, &cs, Rows::Record);
    }
    if CountOnly::installed(&cs) {
        return hash_witness_only(p, inputs, &cs, Rows::Count);
    }
    hash_flat(p, inputs, &cs)
}

/// Marks a setup-mode constraint system that is synthesised only for its counts (instance
/// and witness variables, constraints): the gadget then allocates its witnesses but adds no
/// constraints to the system, only counts them here ([`CountOnly::rows`]). Its matrices are
/// meaningless; a prover uses the counts to refuse a circuit that is not the one a key is
/// named for (decisions 0130, 0132).
#[derive(Debug, Default)]
pub struct CountOnly {
    rows: usize,
}

impl CountOnly {
    /// Marks `cs`; `false` (nothing marked) unless `cs` is a real system in setup mode.
    pub fn install(cs: &ConstraintSystemRef<Fr>) -> bool {
        if cs.is_none() || !cs.is_in_setup_mode() {
            return false;
        }
        let Some(inner) = cs.borrow() else {
            return false;
        };
        inner.cache_map.borrow_mut().insert(
            core::any::TypeId::of::<Self>(),
            Box::new(CountOnly::default()),
        );
        true
    }

    /// The constraints the gadget counted in `cs` without adding them (0 if not marked): the
    /// system's constraint count is its own `num_constraints` plus these.
    pub fn rows(cs: &ConstraintSystemRef<Fr>) -> usize {
        cs.borrow().map_or(0, |inner| {
            inner
                .cache_map
                .borrow()
                .get(&core::any::TypeId::of::<Self>())
                .and_then(|b| b.downcast_ref::<Self>())
                .map_or(0, |me| me.rows)
        })
    }

    fn add(cs: &ConstraintSystemRef<Fr>, n: usize) {
        if let Some(inner) = cs.borrow() {
            if let Some(me) = inner
                .cache_map
                .borrow_mut()
                .get_mut(&core::any::TypeId::of::<Self>())
                .and_then(|b| b.downcast_mut::<Self>())
            {
                me.rows = me.rows.saturating_add(n);
            }
        }
    }

    fn installed(cs: &ConstraintSystemRef<Fr>) -> bool {
        cs.is_in_setup_mode()
            && cs.borrow().is_some_and(|inner| {
                inner
                    .cache_map
                    .borrow()
                    .contains_key(&core::any::TypeId::of::<Self>())
            })
    }
}

/// The values of the constraints the Poseidon gadget would add, for a prover that builds its
/// matrices from the caller's circuit for one proof (decisions 0130, 0132). Installed in a
/// constraint system that records matrices in prove mode ([`ConstraintValues::install`]), it
/// makes the gadget add **no** constraints to the system (no linear combinations, no rows to
/// build) and record here, per constraint, its index among all the circuit's constraints and
/// the values `(a·z, b·z, c·z)` its row would give: `(x, x, x²)`, `(x², x², x⁴)`, `(x⁴, x, x⁵)`
/// for each S-box. The system's matrices then hold every other row, in order; the circuit has
/// their rows and these. Outside this use the matrices are incomplete: they are never kept,
/// and never a key's.
#[derive(Debug, Default)]
pub struct ConstraintValues {
    /// `(row, a, b, c)` in row order; `row` counts every constraint of the circuit, those in
    /// the system and those recorded here.
    pub rows: Vec<(usize, Fr, Fr, Fr)>,
}

impl ConstraintValues {
    /// Installs an empty record in `cs`; `false` (nothing installed) unless `cs` is a real
    /// system building matrices in prove mode.
    pub fn install(cs: &ConstraintSystemRef<Fr>) -> bool {
        if cs.is_none() || cs.is_in_setup_mode() || !cs.should_construct_matrices() {
            return false;
        }
        let Some(inner) = cs.borrow() else {
            return false;
        };
        inner.cache_map.borrow_mut().insert(
            core::any::TypeId::of::<Self>(),
            Box::new(ConstraintValues::default()),
        );
        true
    }

    /// Removes and returns the record from `cs`.
    pub fn take(cs: &ConstraintSystemRef<Fr>) -> Option<Self> {
        let inner = cs.borrow()?;
        let boxed = inner
            .cache_map
            .borrow_mut()
            .remove(&core::any::TypeId::of::<Self>())?;
        boxed.downcast::<Self>().ok().map(|b| *b)
    }

    fn installed(cs: &ConstraintSystemRef<Fr>) -> bool {
        !cs.is_in_setup_mode()
            && cs.should_construct_matrices()
            && cs.borrow().is_some_and(|inner| {
                inner
                    .cache_map
                    .borrow()
                    .contains_key(&core::any::TypeId::of::<Self>())
            })
    }

    /// How many rows are recorded so far.
    fn len(cs: &ConstraintSystemRef<Fr>) -> usize {
        cs.borrow().map_or(0, |inner| {
            inner
                .cache_map
                .borrow()
                .get(&core::any::TypeId::of::<Self>())
                .and_then(|b| b.downcast_ref::<Self>())
                .map_or(0, |me| me.rows.len())
        })
    }

    fn append(cs: &ConstraintSystemRef<Fr>, rows: &mut Vec<(usize, Fr, Fr, Fr)>) {
        if let Some(inner) = cs.borrow() {
            if let Some(me) = inner
                .cache_map
                .borrow_mut()
                .get_mut(&core::any::TypeId::of::<Self>())
                .and_then(|b| b.downcast_mut::<Self>())
            {
                me.rows.append(rows);
            }
        }
    }
}

#[cfg(test)]
std::thread_local! {
    /// Test hook: when set, this thread's hashes take the gadget form in every mode (the
    /// reference the other paths are compared with).
    pub(crate) static FORCE_SYMBOLIC: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn forced_symbolic() -> bool {
    #[cfg(test)]
    return FORCE_SYMBOLIC.with(|f| f.get());
    #[cfg(not(test))]
    false
}

/// True when `cs` records no constraints, only the assignment (and is a real system).
pub(crate) fn witness_only(cs: &ConstraintSystemRef<Fr>) -> bool {
    !cs.is_none() && !cs.is_in_setup_mode() && !cs.should_construct_matrices()
}

/// What [`hash_witness_only`] does with each S-box's three constraints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// Adds them with empty linear combinations (witness-only mode, which keeps no rows).
    Empty,
    /// Records their values in [`ConstraintValues`] instead of adding them.
    Record,
    /// Counts them in [`CountOnly`] instead of adding them.
    Count,
}

/// The rounds on values: the textbook permutation of [`super::hash_reference`], allocating
/// `x^2`, `x^4`, `x^5` for every S-box on a non-constant element in the gadget's order, with
/// its three constraints as `rows` says. The output is one linear combination of the last
/// round's `x^5` witnesses.
fn hash_witness_only(
    p: &Params,
    inputs: &[FpVar<Fr>],
    cs: &ConstraintSystemRef<Fr>,
    mode: Rows,
) -> Result<FpVar<Fr>, SynthesisError> {
    let t = p.t;
    let mut val: Vec<Fr> = Vec::with_capacity(t);
    let mut is_var: Vec<bool> = Vec::with_capacity(t);
    val.push(Fr::zero());
    is_var.push(false);
    // Setup mode (counting only) has no values; zeros stand in (a witness variable's value
    // is never read there).
    let counting = cs.is_in_setup_mode();
    for x in inputs {
        val.push(if counting { Fr::zero() } else { x.value()? });
        is_var.push(matches!(x, FpVar::Var(_)));
    }
    // The x^5 witness of each element's latest S-box.
    let mut fifth: Vec<Variable> = vec![Variable::Zero; t];
    let mut next: Vec<Fr> = vec![Fr::zero(); t];
    let half = p.full_rounds / 2;
    let mut rows: Vec<(usize, Fr, Fr, Fr)> = Vec::new();
    let mut counted = 0usize;
    // A recorded row's index among all the circuit's constraints: those in the system, those
    // recorded by earlier hashes and by this one (nothing else adds constraints meanwhile).
    let first_row = match mode {
        Rows::Record => cs
            .num_constraints()
            .checked_add(ConstraintValues::len(cs))
            .ok_or(SynthesisError::Unsatisfiable)?,
        Rows::Empty | Rows::Count => 0,
    };
    let mut alloc = |a: Fr, b: Fr, c: Fr| -> Result<Variable, SynthesisError> {
        let var = cs.new_witness_variable(|| Ok(c))?;
        match mode {
            Rows::Empty => cs.enforce_constraint(lc!(), lc!(), lc!())?,
            Rows::Record => rows.push((first_row + rows.len(), a, b, c)),
            Rows::Count => counted += 1,
        }
        Ok(var)
    };
    for (r, round_constants) in p.constants.chunks_exact(t).enumerate() {
        for (s, c) in val.iter_mut().zip(round_constants) {
            *s += c;
        }
        let boxed = if r < half || r >= half + p.partial_rounds {
            t
        } else {
            1
        };
        for ((s, &v), f) in val.iter_mut().zip(&is_var).zip(&mut fifth).take(boxed) {
            let x = *s;
            let x2 = x * x;
            let x4 = x2 * x2;
            let x5 = x4 * x;
            if v {
                alloc(x, x, x2)?;
                alloc(x2, x2, x4)?;
                *f = alloc(x4, x, x5)?;
            }
            *s = x5;
        }
        for (row, n) in p.mds.chunks_exact(t).zip(&mut next) {
            *n = row.iter().zip(&val).map(|(m, s)| *m * s).sum();
        }
        core::mem::swap(&mut val, &mut next);
        let any = is_var.iter().any(|&v| v);
        is_var.iter_mut().for_each(|v| *v = any);
    }
    match mode {
        Rows::Record => ConstraintValues::append(cs, &mut rows),
        Rows::Count => CountOnly::add(cs, counted),
        Rows::Empty => {}
    }
    let out = val.first().copied().ok_or(SynthesisError::Unsatisfiable)?;
    if !is_var.first().copied().unwrap_or(false) {
        return Ok(FpVar::Constant(out));
    }
    // Every element was a variable in the last (full) round, so the output is
    // `sum_j mds[0][j] * x5_j`.
    let row = p.mds.get(..t).ok_or(SynthesisError::Unsatisfiable)?;
    let mut lc = LinearCombination::zero();
    for (m, f) in row.iter().zip(&fifth) {
        lc += (*m, *f);
    }
    let var = cs.new_lc(lc)?;
    Ok(FpVar::Var(AllocatedFp::new(Some(out), var, cs.clone())))
}

/// One state element of [`hash_flat`]: `k + Σ c[i]·basis[i]`, its value where known, and
/// whether the gadget would hold it as a variable (not a constant).
#[derive(Clone)]
struct Flat {
    k: Fr,
    c: Vec<Fr>,
    v: Option<Fr>,
    var: bool,
}

/// The rounds with every linear layer applied to coefficient vectors, so that each S-box input
/// reaches its three constraints as one flat linear combination: the same constraints, in the
/// same order, over the same variables as the gadget form after arkworks inlines its symbolic
/// linear combinations (so the same matrices: tested against [`hash_symbolic`] and pinned by
/// the circuits' shape hashes), without the symbolic combinations themselves. The state is a
/// combination of a basis of variables: the inputs, then each S-box's `x⁵`; a full round
/// restarts it from its `t` outputs.
fn hash_flat(
    p: &Params,
    inputs: &[FpVar<Fr>],
    cs: &ConstraintSystemRef<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let t = p.t;
    let mut basis: Vec<Variable> = Vec::new();
    let mut state: Vec<Flat> = Vec::with_capacity(t);
    state.push(Flat {
        k: Fr::zero(),
        c: Vec::new(),
        v: Some(Fr::zero()),
        var: false,
    });
    for x in inputs {
        state.push(match x {
            FpVar::Constant(k) => Flat {
                k: *k,
                c: Vec::new(),
                v: Some(*k),
                var: false,
            },
            FpVar::Var(a) => {
                basis.push(a.variable);
                Flat {
                    k: Fr::zero(),
                    c: Vec::new(),
                    v: a.value().ok(),
                    var: true,
                }
            }
        });
    }
    // Inputs' coefficient vectors: unit vectors over the basis.
    for (i, el) in state.iter_mut().filter(|e| e.var).enumerate() {
        el.c = vec![Fr::zero(); basis.len()];
        if let Some(c) = el.c.get_mut(i) {
            *c = Fr::one();
        }
    }
    let flat_lc = |el: &Flat, basis: &[Variable]| -> LinearCombination<Fr> {
        let mut lc = LinearCombination::zero();
        if !el.k.is_zero() {
            lc += (el.k, Variable::One);
        }
        for (c, v) in el.c.iter().zip(basis) {
            if !c.is_zero() {
                lc += (*c, *v);
            }
        }
        lc
    };
    let witness =
        |v: Option<Fr>| cs.new_witness_variable(|| v.ok_or(SynthesisError::AssignmentMissing));
    let half = p.full_rounds / 2;
    for (r, round_constants) in p.constants.chunks_exact(t).enumerate() {
        for (el, c) in state.iter_mut().zip(round_constants) {
            el.k += c;
            el.v = el.v.map(|v| v + c);
        }
        let full = r < half || r >= half + p.partial_rounds;
        let boxed = if full { t } else { 1 };
        let mut fresh: Vec<(usize, Variable)> = Vec::with_capacity(boxed);
        for (j, el) in state.iter_mut().enumerate().take(boxed) {
            let x = el.v;
            let x2 = x.map(|x| x * x);
            let x4 = x2.map(|x2| x2 * x2);
            let x5 = x4.zip(x).map(|(x4, x)| x4 * x);
            if !el.var {
                el.k = super::pow5(el.k);
                el.v = x5;
                continue;
            }
            let lc_x = flat_lc(el, &basis);
            let w2 = witness(x2)?;
            cs.enforce_constraint(lc_x.clone(), lc_x.clone(), lc!() + w2)?;
            let w4 = witness(x4)?;
            cs.enforce_constraint(lc!() + w2, lc!() + w2, lc!() + w4)?;
            let w5 = witness(x5)?;
            cs.enforce_constraint(lc!() + w4, lc_x, lc!() + w5)?;
            el.v = x5;
            fresh.push((j, w5));
        }
        if full && state.iter().all(|e| e.var) {
            // Every element is its own x⁵: restart the basis from them.
            basis.clear();
            for (j, el) in state.iter_mut().enumerate() {
                el.k = Fr::zero();
                el.c.clear();
                el.c.resize(t, Fr::zero());
                if let Some(c) = el.c.get_mut(j) {
                    *c = Fr::one();
                }
            }
            basis.extend(fresh.iter().map(|f| f.1));
        } else {
            for (j, w5) in fresh {
                basis.push(w5);
                for (i, el) in state.iter_mut().enumerate() {
                    el.c.resize(basis.len(), Fr::zero());
                    if i == j {
                        el.k = Fr::zero();
                        el.c.iter_mut().for_each(|c| *c = Fr::zero());
                        if let Some(c) = el.c.last_mut() {
                            *c = Fr::one();
                        }
                    }
                }
            }
        }
        // The linear layer on coefficient vectors (and values).
        let b = basis.len();
        let any = state.iter().any(|e| e.var);
        let mut next = Vec::with_capacity(t);
        for row in p.mds.chunks_exact(t) {
            let mut el = Flat {
                k: Fr::zero(),
                c: vec![Fr::zero(); if any { b } else { 0 }],
                v: Some(Fr::zero()),
                var: any,
            };
            for (m, s) in row.iter().zip(&state) {
                el.k += *m * s.k;
                el.v = el.v.zip(s.v).map(|(acc, v)| acc + *m * v);
                for (acc, c) in el.c.iter_mut().zip(&s.c) {
                    if !c.is_zero() {
                        *acc += *m * c;
                    }
                }
            }
            next.push(el);
        }
        state = next;
    }
    let out = state
        .into_iter()
        .next()
        .ok_or(SynthesisError::Unsatisfiable)?;
    if !out.var {
        return Ok(FpVar::Constant(out.k));
    }
    let var = cs.new_lc(flat_lc(&out, &basis))?;
    Ok(FpVar::Var(AllocatedFp::new(out.v, var, cs.clone())))
}

/// The gadget form: every round through the field gadgets (symbolic linear combinations). The
/// specification [`hash_flat`] and [`hash_witness_only`] are tested against, and the form taken
/// under the `Weight` optimization goal.
fn hash_symbolic(p: &Params, inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let mut state: Vec<FpVar<Fr>> = Vec::with_capacity(p.t);
    state.push(FpVar::zero());
    state.extend(inputs.iter().cloned());
    let half = p.full_rounds / 2;
    for (r, round_constants) in p.constants.chunks_exact(p.t).enumerate() {
        for (s, c) in state.iter_mut().zip(round_constants) {
            *s += *c;
        }
        if r < half || r >= half + p.partial_rounds {
            for s in state.iter_mut() {
                *s = sbox(s)?;
            }
        } else if let Some(s0) = state.first_mut() {
            *s0 = sbox(s0)?;
        }
        state = p
            .mds
            .chunks_exact(p.t)
            .map(|row| {
                row.iter()
                    .zip(&state)
                    .fold(FpVar::zero(), |acc, (m, s)| acc + s * *m)
            })
            .collect();
    }
    state
        .into_iter()
        .next()
        .ok_or(SynthesisError::Unsatisfiable)
}

/// Poseidon of two variables (t = 3, 240 constraints): the Merkle node hash.
pub fn hash2(a: &FpVar<Fr>, b: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    hash(&[a.clone(), b.clone()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poseidon;
    use ark_r1cs_std::prelude::*;
    use ark_relations::r1cs::{ConstraintSystem, SynthesisMode};
    use ark_std::rand::{rngs::StdRng, SeedableRng};
    use ark_std::UniformRand;
    use proptest::prelude::*;

    fn synthesize(inputs: &[Fr]) -> (Fr, usize, bool) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let vars: Vec<FpVar<Fr>> = inputs
            .iter()
            .map(|x| FpVar::new_witness(cs.clone(), || Ok(*x)).unwrap())
            .collect();
        let out = hash(&vars).unwrap();
        (
            out.value().unwrap(),
            cs.num_constraints(),
            cs.is_satisfied().unwrap(),
        )
    }

    #[test]
    fn t3_costs_240_constraints_and_matches_circomlib() {
        let (out, n, ok) = synthesize(&[Fr::from(1u64), Fr::from(2u64)]);
        assert_eq!(n, 240);
        assert!(ok);
        assert_eq!(
            hex::encode(crate::field::fr_to_be_bytes(&out)),
            "115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"
        );
    }

    #[test]
    fn constraint_counts_per_width_are_pinned() {
        // 3 * (8 t - 1 + R_P): every S-box on a variable, none on the constant first element of
        // the first round.
        for n in 1..=poseidon::MAX_INPUTS {
            let t = n + 1;
            let rp = poseidon::PARTIAL_ROUNDS[n - 1];
            let (_, count, ok) = synthesize(&vec![Fr::from(3u64); n]);
            assert_eq!(count, 3 * (8 * t - 1 + rp), "t={t}");
            assert!(ok);
        }
        assert_eq!(synthesize(&[Fr::from(0u64); 4]).1, 3 * (8 * 5 - 1 + 60));
    }

    #[test]
    fn constants_cost_nothing_and_counts_are_refused() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let out = hash(&[
            FpVar::constant(Fr::from(1u64)),
            FpVar::constant(Fr::from(2u64)),
        ])
        .unwrap();
        assert_eq!(cs.num_constraints(), 0);
        assert_eq!(
            out.value().unwrap(),
            poseidon::hash2(Fr::from(1u64), Fr::from(2u64))
        );
        assert!(hash(&[]).is_err());
        assert!(hash(&vec![FpVar::zero(); 17]).is_err());
    }

    #[test]
    fn wrong_output_is_unsatisfiable() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let a = FpVar::new_witness(cs.clone(), || Ok(Fr::from(1u64))).unwrap();
        let b = FpVar::new_witness(cs.clone(), || Ok(Fr::from(2u64))).unwrap();
        let claimed = FpVar::new_input(cs.clone(), || {
            Ok(poseidon::hash2(Fr::from(1u64), Fr::from(2u64)) + Fr::from(1u64))
        })
        .unwrap();
        hash2(&a, &b).unwrap().enforce_equal(&claimed).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }

    /// One input of a test hash: a witness, a constant, or the sum of two witnesses (a
    /// symbolic linear combination), or the same witness as input `i`.
    #[derive(Clone, Copy)]
    enum In {
        Witness(Fr),
        Constant(Fr),
        Sum(Fr, Fr),
        Repeat(usize),
        /// A public input variable.
        Instance(Fr),
        /// The output of another hash of two witnesses (the statement hash's chaining value,
        /// a Merkle node).
        Chained(Fr, Fr),
    }

    /// What one synthesis of a test hash leaves: the output's value and constness, the
    /// assignments, the constraint count and (when built) the matrices.
    #[derive(Debug, PartialEq)]
    struct Outcome {
        out: Option<Fr>,
        constant: bool,
        instance: Vec<Fr>,
        witness: Vec<Fr>,
        constraints: usize,
        matrices: Option<ark_relations::r1cs::ConstraintMatrices<Fr>>,
    }

    /// Synthesises the hash of `inputs` in `mode`, through the gadget form (`symbolic`) or the
    /// path `hash` picks for the mode; its output is constrained equal to a public input holding
    /// the native hash.
    fn synth(inputs: &[In], mode: SynthesisMode, symbolic: bool) -> Outcome {
        let cs = ConstraintSystem::<Fr>::new_ref();
        cs.set_optimization_goal(ark_relations::r1cs::OptimizationGoal::Constraints);
        cs.set_mode(mode);
        let setup = matches!(mode, SynthesisMode::Setup);
        let w = |x: Fr| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
        let mut vars: Vec<FpVar<Fr>> = Vec::new();
        let mut values: Vec<Fr> = Vec::new();
        for i in inputs {
            let (v, x) = match *i {
                In::Witness(x) => (w(x), x),
                In::Constant(x) => (FpVar::constant(x), x),
                In::Sum(a, b) => (w(a) + w(b), a + b),
                In::Repeat(j) => (vars[j].clone(), values[j]),
                In::Instance(x) => (FpVar::new_input(cs.clone(), || Ok(x)).unwrap(), x),
                In::Chained(a, b) => (
                    if symbolic {
                        hash_symbolic(params(2).unwrap(), &[w(a), w(b)]).unwrap()
                    } else {
                        hash(&[w(a), w(b)]).unwrap()
                    },
                    poseidon::hash2(a, b),
                ),
            };
            vars.push(v);
            values.push(x);
        }
        let out = if symbolic {
            hash_symbolic(params(vars.len()).unwrap(), &vars).unwrap()
        } else {
            hash(&vars).unwrap()
        };
        let expect = poseidon::hash(&values).unwrap();
        let public = FpVar::new_input(cs.clone(), || Ok(expect)).unwrap();
        out.enforce_equal(&public).unwrap();
        // Read before `finalize`, which drops inlined symbolic combinations.
        let value = if setup {
            None
        } else {
            Some(out.value().unwrap())
        };
        cs.finalize();
        if mode
            == (SynthesisMode::Prove {
                construct_matrices: true,
            })
        {
            assert!(cs.is_satisfied().unwrap());
        }
        let matrices = cs.to_matrices();
        let b = cs.borrow().unwrap();
        Outcome {
            out: value,
            constant: out.is_constant(),
            instance: b.instance_assignment.clone(),
            witness: b.witness_assignment.clone(),
            constraints: b.num_constraints,
            matrices,
        }
    }

    /// Every path `hash` takes (flat linear combinations in setup and with matrices, values
    /// only without) gives the gadget form's matrices, assignment and output.
    fn assert_paths_agree(inputs: &[In], what: &str) {
        for mode in [
            SynthesisMode::Setup,
            SynthesisMode::Prove {
                construct_matrices: true,
            },
        ] {
            let symbolic = synth(inputs, mode, true);
            assert!(symbolic == synth(inputs, mode, false), "{what}: {mode:?}");
        }
        let reference = synth(
            inputs,
            SynthesisMode::Prove {
                construct_matrices: true,
            },
            true,
        );
        let values = synth(
            inputs,
            SynthesisMode::Prove {
                construct_matrices: false,
            },
            false,
        );
        assert_eq!(reference.out, values.out, "{what}");
        assert_eq!(reference.constant, values.constant, "{what}");
        assert_eq!(reference.instance, values.instance, "{what}");
        assert!(reference.witness == values.witness, "{what}: witness");
        assert_eq!(reference.constraints, values.constraints, "{what}");
    }

    #[test]
    fn every_path_gives_the_gadgets_matrices_and_assignment_for_every_width_and_mix() {
        let mut rng = StdRng::seed_from_u64(7);
        let mut r = || Fr::rand(&mut rng);
        for n in 1..=poseidon::MAX_INPUTS {
            // All witnesses; a constant first input (the statement hash's chaining value); every
            // other input constant; all constants (nothing allocated); symbolic and repeated
            // inputs.
            // Per pattern, the kind of input `i`: its first character, then the rest
            // cyclically. w witness, c constant, s symbolic sum, r the previous input again,
            // i a public input, h another hash's output.
            let patterns = ["w", "cw", "cww", "c", "swr", "hiws", "hr"];
            for (k, pattern) in patterns.iter().enumerate() {
                let kinds: Vec<char> = pattern.chars().collect();
                let inputs: Vec<In> = (0..n)
                    .map(|i| {
                        let kind = if i == 0 || kinds.len() == 1 {
                            kinds[0]
                        } else {
                            kinds[1 + (i - 1) % (kinds.len() - 1)]
                        };
                        match kind {
                            'c' => In::Constant(r()),
                            's' => In::Sum(r(), r()),
                            'r' if i > 0 => In::Repeat(i - 1),
                            'i' => In::Instance(r()),
                            'h' => In::Chained(r(), r()),
                            _ => In::Witness(r()),
                        }
                    })
                    .collect();
                assert_paths_agree(&inputs, &format!("n={n} pattern {k}"));
            }
        }
        // Edge values: zero, one, -1.
        let edge = [Fr::from(0u64), Fr::from(1u64), -Fr::from(1u64)];
        let inputs: Vec<In> = edge.iter().map(|&x| In::Witness(x)).collect();
        assert_paths_agree(&inputs, "edge values");
        let inputs: Vec<In> = edge
            .iter()
            .map(|&x| In::Constant(x))
            .chain([In::Witness(Fr::from(0u64))])
            .collect();
        assert_paths_agree(&inputs, "edge constants");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn gadget_agrees_with_native(n in 1..=poseidon::MAX_INPUTS, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let (out, _, ok) = synthesize(&inputs);
            prop_assert!(ok);
            prop_assert_eq!(out, poseidon::hash(&inputs).unwrap());
        }
    }
}
