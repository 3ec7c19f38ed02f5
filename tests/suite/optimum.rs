//! The KL-constrained optimum (003, Lemmas 1, 2, 4): alpha(Delta) against closed forms and
//! against a brute-force sum over all m-letter sequences; the klrl claims holding on the
//! Figure 1 setting and failing exactly when a hypothesis is dropped.

use std::cmp::Ordering;

use bestofn::claims::{self, ClaimResult, Context, Value, Verdict};
use bestofn::enclosure::{Interval, PrecisionPolicy};
use bestofn::model::source::Memoryless;
use bestofn::model::Pmf;
use bestofn::tilt::optimum::{solve_alpha, AlphaBracket, AlphaSolution, RewardAtoms};
use bestofn::tilt::TiltParams;
use rug::Rational;

use crate::common::{case, q};

fn rationals(list: &str) -> Vec<Rational> {
    list.split(',').map(q).collect()
}

fn bracket(atoms: &RewardAtoms, budget: &Rational) -> AlphaBracket {
    match solve_alpha(atoms, budget, PrecisionPolicy::default(), 60) {
        AlphaSolution::Bracket(b) => b,
        other => panic!("expected a bracket, got {other:?}"),
    }
}

/// KL(T(q,p,alpha) || p) summed over every m-letter sequence, with `q^alpha` as
/// `exp(alpha ln q)`: shares nothing with the reward-class code but the interval type.
fn kl_by_sequences(
    p: &[Rational],
    qs: &[Rational],
    m: u32,
    alpha: &Rational,
    prec: u32,
) -> Interval {
    let pmf = Pmf::new(p.to_vec()).unwrap();
    let sequences = Memoryless::new(pmf, m).unwrap().sequences().unwrap();
    let a = Interval::from_rational(alpha, prec);
    let zero = Interval::from_rational(&Rational::new(), prec);
    let (mut z, mut weighted) = (zero.clone(), Vec::new());
    for s in &sequences {
        let (mut prob, mut ln_q) = (Rational::from(1), zero.clone());
        for &y in s {
            prob *= &p[y as usize];
            ln_q = ln_q.add(&Interval::ln_of(&qs[y as usize], prec).unwrap());
        }
        let w = Interval::from_rational(&prob, prec).mul(&a.mul(&ln_q).exp());
        z = z.add(&w);
        weighted.push((w, ln_q));
    }
    let ln_z = z.ln().unwrap();
    weighted.iter().fold(zero, |acc, (w, ln_q)| {
        let phi = w.div(&z).unwrap();
        acc.add(&phi.mul(&a.mul(ln_q).sub(&ln_z)))
    })
}

#[test]
fn two_letter_alpha_matches_the_closed_form() {
    // p = (1-a, a), r = (0, 1): t = T(alpha)(1) = a e^alpha / (1 - a + a e^alpha) and
    // KL = t ln(t/a) + (1-t) ln((1-t)/(1-a)). The closed form must straddle the budget at the
    // bracket's ends.
    for (p, budget) in [
        ("1/2,1/2", "0.1"),
        ("9/10,1/10", "1.5"),
        ("1/3,2/3", "1/1000"),
    ] {
        let atoms = RewardAtoms::new(
            rationals(p),
            rationals("0,1"),
            bestofn::tilt::optimum::Scale::Linear,
        );
        let budget = q(budget);
        let b = bracket(&atoms, &budget);
        let a = &rationals(p)[1];
        let prec = 256;
        let closed = |alpha: &Rational| {
            let e = Interval::from_rational(alpha, prec).exp();
            let ae = Interval::from_rational(a, prec).mul(&e);
            let t = ae
                .div(&Interval::from_rational(&(1 - a.clone()), prec).add(&ae))
                .unwrap();
            let one = Interval::from_rational(&Rational::from(1), prec);
            let s = one.sub(&t);
            t.mul(
                &t.div(&Interval::from_rational(a, prec))
                    .unwrap()
                    .ln()
                    .unwrap(),
            )
            .add(
                &s.mul(
                    &s.div(&Interval::from_rational(&(1 - a.clone()), prec))
                        .unwrap()
                        .ln()
                        .unwrap(),
                ),
            )
        };
        let target = Interval::from_rational(&budget, prec);
        if b.lo != 0 {
            assert_eq!(
                closed(&b.lo).certified_cmp(&target),
                Some(Ordering::Less),
                "{p}"
            );
        }
        assert_eq!(
            closed(&b.hi).certified_cmp(&target),
            Some(Ordering::Greater),
            "{p}"
        );
        assert!(Rational::from(&b.hi - &b.lo) < Rational::from((1, 1u64 << 50)));
    }
}

#[test]
fn m_letter_root_is_the_per_letter_root_by_brute_force() {
    // Lemma 4 on the Figure 1 alphabet, summing over all 3^m sequences directly.
    let (p, qs) = (rationals("1/5,3/10,1/2"), rationals("2/3,1/9,2/9"));
    let letters = RewardAtoms::new(p.clone(), qs.clone(), bestofn::tilt::optimum::Scale::Log);
    let delta = q("0.11");
    let b = bracket(&letters, &delta);
    for m in 1..=4u32 {
        let total = Interval::from_rational(&Rational::from(&delta * m), 160);
        let lo = kl_by_sequences(&p, &qs, m, &b.lo, 160);
        let hi = kl_by_sequences(&p, &qs, m, &b.hi, 160);
        assert_eq!(
            lo.certified_cmp(&total),
            Some(Ordering::Less),
            "m = {m}: {lo}"
        );
        assert_eq!(
            hi.certified_cmp(&total),
            Some(Ordering::Greater),
            "m = {m}: {hi}"
        );
    }
}

#[test]
fn scaling_q_does_not_move_alpha() {
    // T(cq, p, alpha) = T(q, p, alpha): log weights 6,1,2 and the pmf 2/3,1/9,... differ.
    let p = rationals("1/5,3/10,1/2");
    let a = RewardAtoms::new(
        p.clone(),
        rationals("2/3,1/9,2/9"),
        bestofn::tilt::optimum::Scale::Log,
    );
    let b = RewardAtoms::new(p, rationals("6,1,2"), bestofn::tilt::optimum::Scale::Log);
    let budget = q("0.3");
    let (x, y) = (bracket(&a, &budget), bracket(&b, &budget));
    assert!(x.lo <= y.hi && y.lo <= x.hi, "brackets must overlap");
}

fn run(c: bestofn::model::Case, delta: &str, id: &str, dropped: Option<&str>) -> ClaimResult {
    let tilt = TiltParams {
        delta: Some(q(delta)),
        ..Default::default()
    };
    let ctx = Context::new(c, PrecisionPolicy::default()).with_tilt(tilt);
    claims::find_in_catalogue(id)
        .unwrap()
        .evaluate(&ctx, dropped)
        .unwrap()
}

fn enclosure(result: &ClaimResult, name: &str) -> Interval {
    match result.evidence.items.iter().find(|(n, _)| n == name) {
        Some((_, Value::Enclosure(i))) => i.clone(),
        other => panic!("{}: no enclosure '{name}': {other:?}", result.claim.id),
    }
}

fn exact(result: &ClaimResult, name: &str) -> Rational {
    match result.evidence.items.iter().find(|(n, _)| n == name) {
        Some((_, Value::Exact(x))) => x.clone(),
        other => panic!("{}: no exact '{name}': {other:?}", result.claim.id),
    }
}

fn figure1(m: u32, n: u64) -> bestofn::model::Case {
    case("1/5,3/10,1/2", "log:2/3,1/9,2/9", m, n, "uniform")
}

#[test]
fn optimal_tilt_holds_and_fails_only_without_its_hypotheses() {
    let r = run(figure1(10, 3), "0.11", "klrl-optimal-tilt", None);
    assert_eq!(r.verdict, Verdict::Holds, "{:?}", r.evidence);
    // The per-letter optimum against a float bisection done by hand: 0.7091380845456234.
    let lo = exact(&r, "alpha(delta) lower end");
    assert!(lo > q("0.70913808454") && lo < q("0.70913808455"), "{lo}");
    // Budget beyond log(1/p(top)) = log 5 per letter: not applicable, then refuted.
    match run(figure1(2, 3), "2", "klrl-optimal-tilt", None).verdict {
        Verdict::NotApplicable { hypothesis, .. } => assert_eq!(hypothesis, "budget-below-sup"),
        other => panic!("{other:?}"),
    }
    let r = run(
        figure1(2, 3),
        "2",
        "klrl-optimal-tilt",
        Some("budget-below-sup"),
    );
    assert_eq!(r.verdict, Verdict::Fails);
    assert_eq!(exact(&r, "p(top letter class)"), q("1/5"));
    // A per-sequence score: the optimum is not a product of its marginals.
    let scores = case(
        "1/3,2/3",
        "scores:cases/asymmetric-scores.txt",
        2,
        3,
        "uniform",
    );
    let r = run(
        scores,
        "1/10",
        "klrl-optimal-tilt",
        Some("symmetric-reward"),
    );
    assert_eq!(r.verdict, Verdict::Fails, "{:?}", r.evidence);
    // phi(0,0) = p(0,0) / Z with scores 0, 2, 1, 2 and p^2 = (1, 2, 2, 4)/9; its marginals'
    // product is P(y1 = 0) P(y2 = 0). Recompute both at the bracket's ends, by hand.
    let (alo, ahi) = (
        exact(&r, "alpha(Delta), m letters lower end"),
        exact(&r, "alpha(Delta), m letters upper end"),
    );
    let prec = 128;
    let by_hand = |alpha: &Rational| {
        let e = |s: u32| Interval::from_rational(&Rational::from(alpha * s), prec).exp();
        let w = |k: u32| Interval::from_rational(&Rational::from((k, 9)), prec);
        let (w00, w01, w10, w11) = (w(1), w(2).mul(&e(2)), w(2).mul(&e(1)), w(4).mul(&e(2)));
        let z = w00.add(&w01).add(&w10).add(&w11);
        let phi00 = w00.div(&z).unwrap();
        let first0 = w00.add(&w01).div(&z).unwrap();
        let second0 = w00.add(&w10).div(&z).unwrap();
        (phi00, first0.mul(&second0))
    };
    let (phi_lo, prod_lo) = by_hand(&alo);
    let (phi_hi, prod_hi) = by_hand(&ahi);
    let phi = enclosure(&r, "phi_Delta(y)");
    let prod = enclosure(&r, "product of phi_Delta's marginals at y");
    assert!(phi.certified_cmp(&phi_lo).is_none() || phi.certified_cmp(&phi_hi).is_none());
    assert!(prod.certified_cmp(&prod_lo).is_none() || prod.certified_cmp(&prod_hi).is_none());
    assert_eq!(phi_hi.certified_cmp(&prod_lo), Some(Ordering::Less));
}

#[test]
fn closeness_identity_and_bound() {
    let r = run(figure1(10, 3), "0.11", "klrl-closeness", None);
    assert_eq!(r.verdict, Verdict::Holds, "{:?}", r.evidence);
    // The identity: KL(psi || phi) = KL(psi || p) - Delta + alpha eps, with the functionals
    // from the evidence and Delta exact.
    let recombined = enclosure(&r, "KL(pi_N || p^m)")
        .sub(&Interval::from_rational(&q("1.1"), 64))
        .add(&enclosure(&r, "alpha eps"));
    let direct = enclosure(&r, "KL(pi_N || phi_Delta) (from phi's entries)");
    assert!(
        direct.certified_cmp(&recombined).is_none(),
        "{direct} vs {recombined}"
    );
    // m = 1, N = 3: pi_3 = (61/125, 27/1000, 97/200) by brute force (the figure1-tilts case).
    // With delta = 0.5, KL(pi_3 || p) <= 0.5; recompute KL(pi_3 || phi) by hand at both ends.
    let r = run(figure1(1, 3), "0.5", "klrl-closeness", None);
    assert_eq!(r.verdict, Verdict::Holds, "{:?}", r.evidence);
    let (alo, ahi) = (
        exact(&r, "alpha(Delta) lower end"),
        exact(&r, "alpha(Delta) upper end"),
    );
    let prec = 128;
    let psi = rationals("61/125,27/1000,97/200");
    let (p, qs) = (rationals("1/5,3/10,1/2"), rationals("2/3,1/9,2/9"));
    let kl_psi_phi = |alpha: &Rational| {
        let w: Vec<Interval> = p
            .iter()
            .zip(&qs)
            .map(|(py, qy)| {
                Interval::from_rational(py, prec).mul(
                    &Interval::ln_of(qy, prec)
                        .unwrap()
                        .mul(&Interval::from_rational(alpha, prec))
                        .exp(),
                )
            })
            .collect();
        let z = w[0].add(&w[1]).add(&w[2]);
        psi.iter().zip(&w).fold(
            Interval::from_rational(&Rational::new(), prec),
            |acc, (s, wy)| {
                let phi = wy.div(&z).unwrap();
                let s = Interval::from_rational(s, prec);
                acc.add(&s.mul(&s.div(&phi).unwrap().ln().unwrap()))
            },
        )
    };
    let direct = enclosure(&r, "KL(pi_N || phi_Delta) (from phi's entries)");
    let (at_lo, at_hi) = (kl_psi_phi(&alo), kl_psi_phi(&ahi));
    assert!(direct.certified_cmp(&at_lo).is_none() || direct.certified_cmp(&at_hi).is_none());
    // Spending more than the budget: not applicable, and refuted once the hypothesis is dropped.
    match run(figure1(1, 8), "1/100", "klrl-closeness", None).verdict {
        Verdict::NotApplicable { hypothesis, .. } => assert_eq!(hypothesis, "psi-within-budget"),
        other => panic!("{other:?}"),
    }
    let r = run(
        figure1(1, 8),
        "1/100",
        "klrl-closeness",
        Some("psi-within-budget"),
    );
    assert_eq!(r.verdict, Verdict::Fails);
    // The excess of the failed bound is KL(pi_8 || p) - Delta, by the identity.
    let excess = enclosure(&r, "KL(pi_N || phi_Delta) (from phi's entries)")
        .sub(&enclosure(&r, "alpha eps"));
    let expected = enclosure(&r, "KL(pi_N || p^m)").sub(&Interval::from_rational(&q("0.01"), 64));
    assert!(
        excess.certified_cmp(&expected).is_none(),
        "{excess} vs {expected}"
    );
}

#[test]
fn zero_budget_is_exact() {
    let r = run(figure1(2, 1), "0", "klrl-closeness", None);
    assert_eq!(r.verdict, Verdict::Holds);
    let r = run(figure1(2, 4), "0", "klrl-optimal-tilt", None);
    assert_eq!(r.verdict, Verdict::Holds);
    // N = 4 spends KL > 0 = Delta: the bound fails without its hypothesis.
    let r = run(
        figure1(2, 4),
        "0",
        "klrl-closeness",
        Some("psi-within-budget"),
    );
    assert_eq!(r.verdict, Verdict::Fails, "{:?}", r.evidence);
}

#[test]
fn a_root_at_a_rational_exponent_is_bracketed_by_its_neighbours() {
    // p uniform, q = (2/9, 5/9, 2/9), N = 2: pi_2(top) = 1 - (2/3)^2 = 5/9, and the tilt at
    // alpha = 1 gives the top letter (1/3)(5/9) / ((1/3)(9/9)) = 5/9 too: pi_2 = T(q, p, 1), so
    // Delta = KL(pi_2 || p) is reached exactly at alpha = 1, where no enclosure can separate.
    let c = case("1/3,1/3,1/3", "log:2/9,5/9,2/9", 1, 2, "uniform");
    let ctx = Context::new(c, PrecisionPolicy::default());
    let result = bestofn::claims::find_in_catalogue("asym-small-k-bound")
        .unwrap()
        .evaluate(&ctx, None)
        .unwrap();
    assert_eq!(result.verdict, Verdict::Holds);
    let value = |name: &str| {
        result
            .evidence
            .items
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let (Value::Exact(lo), Value::Exact(hi)) = (
        value("alpha(Delta) lower end"),
        value("alpha(Delta) upper end"),
    ) else {
        panic!("exact ends")
    };
    assert!(lo < 1 && 1 < hi && Rational::from(&hi - &lo) < Rational::from((1, 1u64 << 50)));
    let Value::Enclosure(kl) = value("KL(pi_N || phi_Delta)") else {
        panic!("an enclosure")
    };
    assert!(kl.contains(&Rational::new()) && kl.width() < 1e-15, "{kl}");
}
