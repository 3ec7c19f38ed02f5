//! Shrinking a counterexample: try simpler cases and keep any that still fails, until none
//! does. Simpler means, in this order of importance: fewer letters, shorter sequences, fewer
//! draws, uniform tie-breaking, fewer distinct reward values, smaller denominators and
//! numerators. Every accepted step makes that measure strictly smaller, so shrinking ends.

use rug::{Integer, Rational};

use crate::claims::{Claim, Verdict};
use crate::enclosure::PrecisionPolicy;
use crate::exact::parse_rational_list;
use crate::search::decide_spec;
use crate::spec::CaseSpec;

/// A case broken into the parts the shrinker edits.
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    p: Vec<Rational>,
    /// `(kind, per-letter values)` for additive/log rewards; `None` when the reward is log q
    /// (or a scores file, which is not shrunk).
    reward: Option<(String, Vec<Rational>)>,
    /// The true reward, as `reward` (shrunk alongside it: a dropped letter leaves both).
    true_reward: Option<(String, Vec<Rational>)>,
    q: Option<Vec<Rational>>,
    m: u32,
    n: u64,
    tie_break: String,
    alpha: Option<Rational>,
    beta: Option<Rational>,
    delta: Option<Rational>,
}

fn bits(x: &Rational) -> u64 {
    (x.numer().significant_bits() + x.denom().significant_bits()) as u64
}

impl Shape {
    fn of(spec: &CaseSpec) -> Option<Shape> {
        let p = parse_rational_list("p", spec.p.as_deref()?).ok()?;
        let per_letter = |r: &Option<String>| -> Option<Option<(String, Vec<Rational>)>> {
            match r {
                None => Some(None),
                Some(r) => {
                    let (kind, values) = r.split_once(':')?;
                    if kind != "additive" && kind != "log" {
                        return None;
                    }
                    Some(Some((
                        kind.to_string(),
                        parse_rational_list("reward", values).ok()?,
                    )))
                }
            }
        };
        let reward = per_letter(&spec.reward)?;
        let true_reward = per_letter(&spec.true_reward)?;
        let one = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| crate::exact::parse_rational(t).ok())
        };
        Some(Shape {
            p,
            reward,
            true_reward,
            q: spec
                .q
                .as_deref()
                .and_then(|q| parse_rational_list("q", q).ok()),
            m: spec.m.unwrap_or(1),
            n: spec.n?,
            tie_break: spec.tie_break.clone().unwrap_or_else(|| "uniform".into()),
            alpha: one(&spec.alpha),
            beta: one(&spec.beta),
            delta: one(&spec.delta),
        })
    }

    fn to_spec(&self, template: &CaseSpec) -> CaseSpec {
        let name = template.name.as_ref().map(|n| {
            if n.ends_with(", shrunk") {
                n.clone()
            } else {
                format!("{n}, shrunk")
            }
        });
        let list = |v: &[Rational]| {
            v.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        CaseSpec {
            p: Some(list(&self.p)),
            reward: self
                .reward
                .as_ref()
                .map(|(k, v)| format!("{k}:{}", list(v))),
            true_reward: self
                .true_reward
                .as_ref()
                .map(|(k, v)| format!("{k}:{}", list(v))),
            q: self.q.as_ref().map(|q| list(q)),
            m: Some(self.m),
            n: Some(self.n),
            tie_break: Some(self.tie_break.clone()),
            alpha: self.alpha.as_ref().map(Rational::to_string),
            beta: self.beta.as_ref().map(Rational::to_string),
            delta: self.delta.as_ref().map(Rational::to_string),
            name,
            ..template.clone()
        }
    }

    /// The measure every accepted step decreases (compared lexicographically).
    fn measure(&self) -> [u64; 7] {
        let distinct_of = |r: &Option<(String, Vec<Rational>)>| {
            r.as_ref().map_or(0, |(_, v)| {
                let mut v = v.clone();
                v.sort();
                v.dedup();
                v.len() as u64
            })
        };
        let distinct = distinct_of(&self.reward) + distinct_of(&self.true_reward);
        let number_bits = self
            .p
            .iter()
            .chain(self.q.iter().flatten())
            .map(bits)
            .sum::<u64>();
        let reward_bits = [&self.reward, &self.true_reward]
            .iter()
            .filter_map(|r| r.as_ref())
            .map(|(_, v)| v.iter().map(bits).sum::<u64>())
            .sum::<u64>();
        let tilt_bits = [&self.alpha, &self.beta, &self.delta]
            .iter()
            .filter_map(|x| x.as_ref().map(bits))
            .sum();
        [
            self.p.len() as u64,
            self.m as u64,
            self.n,
            (self.tie_break != "uniform") as u64,
            distinct,
            number_bits + reward_bits,
            tilt_bits,
        ]
    }

    /// Simpler neighbours, most aggressive first.
    fn candidates(&self) -> Vec<Shape> {
        let mut out = Vec::new();
        let k = self.p.len();
        // Fewer letters: drop one and renormalise what remains.
        if k > 2 {
            for j in 0..k {
                let mut s = self.clone();
                s.p = drop_and_renormalise(&self.p, j);
                s.q = self.q.as_ref().map(|q| drop_and_renormalise(q, j));
                let drop = |r: &Option<(String, Vec<Rational>)>| {
                    r.as_ref().map(|(kind, v)| {
                        let mut v = v.clone();
                        v.remove(j);
                        (kind.clone(), v)
                    })
                };
                s.reward = drop(&self.reward);
                s.true_reward = drop(&self.true_reward);
                out.push(s);
            }
        }
        for m in [1, self.m.saturating_sub(1)] {
            if m >= 1 && m < self.m {
                out.push(Shape { m, ..self.clone() });
            }
        }
        let mut ns = vec![1, 2, 3, self.n / 2, self.n.saturating_sub(1)];
        ns.dedup();
        for n in ns {
            if n >= 1 && n < self.n {
                out.push(Shape { n, ..self.clone() });
            }
        }
        if self.tie_break != "uniform" {
            out.push(Shape {
                tie_break: "uniform".into(),
                ..self.clone()
            });
        }
        if let Some((kind, v)) = &self.reward {
            for simpler in simpler_rewards(kind, v) {
                out.push(Shape {
                    reward: Some((kind.clone(), simpler)),
                    ..self.clone()
                });
            }
        }
        if let Some((kind, v)) = &self.true_reward {
            for simpler in simpler_rewards(kind, v) {
                out.push(Shape {
                    true_reward: Some((kind.clone(), simpler)),
                    ..self.clone()
                });
            }
        }
        // Smaller denominators for p and q.
        for den in 2..=16u32 {
            if let Some(p) = round_pmf(&self.p, den) {
                out.push(Shape { p, ..self.clone() });
            }
            if let Some(q) = self.q.as_ref().and_then(|q| round_pmf(q, den)) {
                out.push(Shape {
                    q: Some(q),
                    ..self.clone()
                });
            }
        }
        // Simpler exponents and budgets.
        for simple in simpler_numbers(self.alpha.as_ref()) {
            out.push(Shape {
                alpha: Some(simple),
                ..self.clone()
            });
        }
        for simple in simpler_numbers(self.beta.as_ref()) {
            out.push(Shape {
                beta: Some(simple),
                ..self.clone()
            });
        }
        for simple in simpler_numbers(self.delta.as_ref()) {
            if simple >= 0 {
                out.push(Shape {
                    delta: Some(simple),
                    ..self.clone()
                });
            }
        }
        out
    }
}

/// Per-letter reward values with two values merged, or replaced by their ranks.
fn simpler_rewards(kind: &str, v: &[Rational]) -> Vec<Vec<Rational>> {
    let mut out = Vec::new();
    let mut distinct = v.to_vec();
    distinct.sort();
    distinct.dedup();
    for a in 0..distinct.len() {
        for b in a + 1..distinct.len() {
            out.push(
                v.iter()
                    .map(|x| {
                        if *x == distinct[b] {
                            distinct[a].clone()
                        } else {
                            x.clone()
                        }
                    })
                    .collect(),
            );
        }
    }
    let offset = if kind == "log" { 1 } else { 0 };
    out.push(
        v.iter()
            .map(|x| Rational::from(distinct.iter().position(|d| d == x).unwrap_or(0) + offset))
            .collect(),
    );
    out
}

fn drop_and_renormalise(p: &[Rational], j: usize) -> Vec<Rational> {
    let rest = Rational::from(1) - &p[j];
    p.iter()
        .enumerate()
        .filter(|&(i, _)| i != j)
        .map(|(_, x)| Rational::from(x / &rest))
        .collect()
}

/// `p` rounded to multiples of `1/den` with positive entries summing to 1, if that differs.
fn round_pmf(p: &[Rational], den: u32) -> Option<Vec<Rational>> {
    if (den as usize) < p.len() {
        return None;
    }
    let mut counts: Vec<i64> = p
        .iter()
        .map(|x| {
            let scaled = Rational::from(x * den);
            let (_, floor) = scaled.fract_floor(Integer::new());
            floor.to_i64().unwrap_or(i64::MAX).max(1)
        })
        .collect();
    // Hand the remainder to (or take the excess from) the largest entries.
    let mut total: i64 = counts.iter().sum();
    while total != den as i64 {
        let i = (0..counts.len()).max_by_key(|&i| counts[i]).unwrap();
        if total < den as i64 {
            counts[i] += 1;
            total += 1;
        } else if counts[i] > 1 {
            counts[i] -= 1;
            total -= 1;
        } else {
            return None;
        }
    }
    let rounded: Vec<Rational> = counts.iter().map(|&c| Rational::from((c, den))).collect();
    (rounded != p).then_some(rounded)
}

fn simpler_numbers(x: Option<&Rational>) -> Vec<Rational> {
    let Some(x) = x else {
        return Vec::new();
    };
    let mut out = vec![Rational::new(), Rational::from(1), Rational::from(-1)];
    for den in [1u32, 2, 10, 100] {
        let (_, rounded) = Rational::from(x * den).fract_round(Integer::new());
        out.push(Rational::from((rounded, den)));
    }
    out.retain(|c| c != x && bits(c) < bits(x));
    out.dedup();
    out
}

/// The result of shrinking: the smallest failing spec found and how many steps it took.
#[derive(Debug, Clone)]
pub struct Shrunk {
    /// The smallest failing spec found.
    pub spec: CaseSpec,
    /// Accepted simplification steps.
    pub steps: u32,
    /// Claim evaluations spent.
    pub evaluations: u32,
}

/// Most claim evaluations one shrink may spend.
pub const MAX_EVALUATIONS: u32 = 3000;

/// Shrinks a failing spec while `claim` keeps failing on it.
pub fn shrink(
    spec: &CaseSpec,
    claim: &std::sync::Arc<Claim>,
    dropped: Option<&str>,
    policy: PrecisionPolicy,
) -> Shrunk {
    shrink_while(spec, MAX_EVALUATIONS, &mut |candidate| {
        decide_spec(candidate, claim, dropped, policy).is_ok_and(|r| r.verdict == Verdict::Fails)
    })
}

/// Shrinks `spec` while `still_fails` holds, spending at most `budget` evaluations (the
/// predicate may be costly: `test-impl` asks another program).
pub fn shrink_while(
    spec: &CaseSpec,
    budget: u32,
    still_fails: &mut dyn FnMut(&CaseSpec) -> bool,
) -> Shrunk {
    let Some(mut current) = Shape::of(spec) else {
        return Shrunk {
            spec: spec.clone(),
            steps: 0,
            evaluations: 0,
        };
    };
    let (mut steps, mut evaluations) = (0, 0);
    'outer: loop {
        let measure = current.measure();
        for candidate in current.candidates() {
            if candidate.measure() >= measure {
                continue;
            }
            if evaluations >= budget {
                break 'outer;
            }
            evaluations += 1;
            let candidate_spec = candidate.to_spec(spec);
            if still_fails(&candidate_spec) {
                current = candidate;
                steps += 1;
                continue 'outer;
            }
        }
        break;
    }
    Shrunk {
        spec: if steps == 0 {
            spec.clone()
        } else {
            current.to_spec(spec)
        },
        steps,
        evaluations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_a_pmf() {
        let p: Vec<Rational> = ["1/7", "2/7", "4/7"]
            .iter()
            .map(|s| crate::exact::parse_rational(s).unwrap())
            .collect();
        let r = round_pmf(&p, 4).unwrap();
        assert_eq!(r.iter().sum::<Rational>(), 1);
        assert!(r.iter().all(|x| x.cmp0().is_gt()));
        assert_eq!(round_pmf(&p, 7), None, "already on the grid");
    }

    #[test]
    fn shrinks_the_kl_formula_to_a_two_letter_case() {
        let spec = CaseSpec {
            p: Some("1/7,2/7,3/14,5/14".into()),
            reward: Some("additive:0,3,1,2".into()),
            m: Some(2),
            n: Some(13),
            tie_break: Some("uniform".into()),
            ..Default::default()
        };
        let claim = crate::claims::ClaimSet::catalogue()
            .find("bon-kl-formula-exact")
            .unwrap();
        let out = shrink(&spec, &claim, None, PrecisionPolicy::default());
        let shape = Shape::of(&out.spec).unwrap();
        assert_eq!(shape.p.len(), 2);
        assert_eq!(shape.m, 1);
        assert_eq!(shape.n, 2);
        // Still a counterexample.
        let r = decide_spec(&out.spec, &claim, None, PrecisionPolicy::default()).unwrap();
        assert_eq!(r.verdict, Verdict::Fails);
    }
}
