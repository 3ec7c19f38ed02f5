//! The exact answers an implementation under test is judged against, and the laws of the
//! usual mistakes, so that a wrong answer can be named.
//!
//! Outcomes are the K^m sequences in lexicographic order (the order the requests list them).

use crate::compare::ExactDescription;
use rug::{Float, Rational};

use crate::enclosure::Interval;
use crate::error::{InputError, Result};
use crate::law::functionals::win_rate;
use crate::law::{ExactLaw, LawTable, Route};
use crate::model::{Case, Reward, TieBreak};

/// Most outcomes a tested case may have (each request lists them all).
pub const MAX_OUTCOMES: u64 = 4096;

/// Precision of the enclosures of irrational expected values (far below any tolerance).
const PREC: u32 = 256;

/// An expected value: exact, or enclosed when it involves a logarithm.
#[derive(Debug, Clone)]
pub enum Expected {
    /// Known exactly.
    Exact(Rational),
    /// Known by a rigorous enclosure.
    Enclosed(Interval),
}

impl Expected {
    /// A rational inside the value's enclosure (the value itself when exact).
    pub fn point(&self) -> Rational {
        match self {
            Expected::Exact(x) => x.clone(),
            Expected::Enclosed(i) => {
                let lo = i.lo().to_rational().unwrap_or_default();
                let hi = i.hi().to_rational().unwrap_or_default();
                (lo + hi) / 2
            }
        }
    }

    /// `|v - value|` bounded above (exact when the value is).
    pub fn error_upper(&self, v: &Rational) -> Rational {
        match self {
            Expected::Exact(x) => Rational::from(v - x).abs(),
            Expected::Enclosed(i) => {
                let lo = i.lo().to_rational().unwrap_or_default();
                let hi = i.hi().to_rational().unwrap_or_default();
                (v - lo).abs().max((v - hi).abs())
            }
        }
    }

    /// The value as reports show it: exact, or the enclosure's ends with 17 digits.
    pub fn shown(&self) -> ExactDescription {
        match self {
            Expected::Exact(x) => ExactDescription::Rational(x.clone()),
            Expected::Enclosed(i) => {
                let (lo, hi) = i.decimal_ends(Some(17));
                ExactDescription::Enclosure { lo, hi }
            }
        }
    }
}

/// A named alternative the implementation might be computing instead.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// The alternative's name (`no-tie-split`, ...).
    pub name: &'static str,
    /// What code that computes it gets wrong, in a sentence.
    pub meaning: &'static str,
}

/// Everything known exactly about one case, by sequence.
pub struct Oracle {
    /// The case.
    pub case: Case,
    /// Every sequence, in order.
    pub sequences: Vec<Vec<u32>>,
    /// `p(y)` per outcome.
    pub p: Vec<Rational>,
    /// Exact reward keys (sum for additive, product of weights for log, the score).
    pub keys: Vec<Rational>,
    /// The reward of each outcome as the nearest f64 (what model code receives).
    pub reward_f64: Vec<f64>,
    /// The exact best-of-N law under uniform tie-breaking.
    pub law: Vec<Rational>,
}

/// The nearest f64 of an exact rational.
pub fn nearest_f64(x: &Rational) -> f64 {
    Float::with_val(53, x).to_f64()
}

impl Oracle {
    /// Everything exact about `case`.
    pub fn new(case: Case) -> Result<Oracle> {
        let count = case.source.sequence_count().unwrap_or(u64::MAX);
        if count > MAX_OUTCOMES {
            return Err(InputError::new(format!(
                "test-impl: K^m = {count} outcomes is more than the {MAX_OUTCOMES} a request lists"
            )));
        }
        let sequences = case.source.sequences()?;
        let (p, keys) = crate::law::reference::sequence_probs_and_keys::<Rational>(
            &case,
            &crate::law::reference::letter_probs::<Rational>(&case),
            &sequences,
        );
        let reward_f64 = keys
            .iter()
            .map(|k| match case.reward {
                Reward::Log(_) => Float::with_val(PREC, k).ln().to_f64(),
                _ => nearest_f64(k),
            })
            .collect();
        let uniform = Case {
            tie_break: TieBreak::Uniform,
            ..case.clone()
        };
        let law = Self::engine_law(&uniform)?;
        Ok(Oracle {
            case,
            sequences,
            p,
            keys,
            reward_f64,
            law,
        })
    }

    fn engine_law(case: &Case) -> Result<Vec<Rational>> {
        let law = ExactLaw::compute(case, Route::Sequence)?;
        Ok(LawTable::from_exact(&law, case.k(), case.m()).pi)
    }

    /// The uniform-tie-break law for arbitrary ordered keys: `p/p(C) (F^N - F_below^N)`.
    pub fn law_from_keys<K: PartialOrd>(&self, keys: &[K]) -> Vec<Rational> {
        let n = self.case.n as u32;
        (0..self.p.len())
            .map(|y| {
                let (mut below, mut tied) = (Rational::new(), Rational::new());
                for z in 0..self.p.len() {
                    if keys[z] < keys[y] {
                        below += &self.p[z];
                    } else if keys[z] == keys[y] {
                        tied += &self.p[z];
                    }
                }
                if tied.cmp0().is_eq() {
                    return Rational::new();
                }
                let top = Rational::from(&below + &tied);
                let gain = pow(&top, n) - pow(&below, n);
                Rational::from(&self.p[y] / &tied) * gain
            })
            .collect()
    }

    /// `F(y)` and `F_below(y)` of each outcome under `keys`.
    fn cumulative(&self, keys: &[Rational]) -> Vec<(Rational, Rational)> {
        (0..self.p.len())
            .map(|y| {
                let (mut at, mut below) = (Rational::new(), Rational::new());
                for z in 0..self.p.len() {
                    if keys[z] <= keys[y] {
                        at += &self.p[z];
                    }
                    if keys[z] < keys[y] {
                        below += &self.p[z];
                    }
                }
                (at, below)
            })
            .collect()
    }

    /// The name of the fixed-order alternative (see [`Oracle::fits_a_fixed_order`]).
    pub const FIXED_ORDER: Alternative = Alternative {
        name: "ties broken in a fixed order that is not the outcome order",
        meaning: "your code breaks reward ties by the order some sort leaves tied outcomes in (numpy's default argsort is not stable), neither uniformly nor by outcome index",
    };

    /// Whether `got` is the law of *some* fixed tie-breaking order: within each reward class
    /// (of the exact rewards, or of the f64 rewards), an order of its members under which
    /// the j-th gets `(B + S_j)^N - (B + S_{j-1})^N`, B the mass below the class and S_j the
    /// mass of its first j members. The order is read off the answer (see below); `close` is
    /// the tolerance.
    pub fn fits_a_fixed_order(
        &self,
        got: &[Rational],
        close: &dyn Fn(&Rational, &Rational) -> bool,
    ) -> bool {
        let fits = |keys: &[Rational]| {
            let n = self.case.n as u32;
            let mut classes: Vec<&Rational> = keys.iter().collect();
            classes.sort();
            classes.dedup();
            classes.into_iter().all(|key| {
                let below: Rational = (0..keys.len())
                    .filter(|&z| keys[z] < *key)
                    .map(|z| &self.p[z])
                    .sum();
                // The j-th member's share over its p is the mean of N x^(N-1) over
                // [B + S_(j-1), B + S_j]: increasing along the order, so the answer itself
                // gives the order (members of probability 0 get 0 wherever they stand).
                let mut members: Vec<usize> = (0..keys.len())
                    .filter(|&z| keys[z] == *key && self.p[z].cmp0().is_gt())
                    .collect();
                members.sort_by(|&a, &b| {
                    let ra = Rational::from(&got[a] / &self.p[a]);
                    let rb = Rational::from(&got[b] / &self.p[b]);
                    ra.cmp(&rb)
                });
                let mut acc = below;
                for y in members {
                    let top = Rational::from(&acc + &self.p[y]);
                    if !close(&(pow(&top, n) - pow(&acc, n)), &got[y]) {
                        return false;
                    }
                    acc = top;
                }
                (0..keys.len())
                    .filter(|&z| keys[z] == *key && self.p[z].cmp0().is_eq())
                    .all(|z| close(&Rational::new(), &got[z]))
            })
        };
        fits(&self.keys) || fits(&self.f64_keys())
    }

    /// Whether a fixed order can differ from uniform tie-breaking here: some reward class has
    /// two members of positive probability, and N >= 2.
    pub fn has_tie_classes(&self) -> bool {
        self.case.n >= 2
            && (0..self.p.len()).any(|y| {
                (y + 1..self.p.len()).any(|z| {
                    self.keys[y] == self.keys[z]
                        && self.p[y].cmp0().is_gt()
                        && self.p[z].cmp0().is_gt()
                })
            })
    }

    /// What a program given its rewards as f64 can see: when some outcomes' exact rewards
    /// differ but are equal in f64, the best-of-N law of the f64 rewards (uniform ties) and a
    /// sentence naming the first such pair. `None` when f64 keeps every exact distinction
    /// (then the exact law is the only right answer).
    pub fn f64_view(&self) -> Option<(Vec<Rational>, String)> {
        let f64_keys = self.f64_keys();
        let count = self.p.len();
        let (y, z) = (0..count)
            .flat_map(|y| (y + 1..count).map(move |z| (y, z)))
            .find(|&(y, z)| f64_keys[y] == f64_keys[z] && self.keys[y] != self.keys[z])?;
        let label = |o: usize| {
            let s: Vec<String> = self.sequences[o].iter().map(u32::to_string).collect();
            format!("({})", s.join(","))
        };
        let what = match self.case.reward {
            Reward::Log(_) => "the logarithms of",
            _ => "",
        };
        let note = format!(
            "outcomes {} and {} have different exact rewards ({what} {} and {}) that are equal as f64 ({}): a program given f64 rewards cannot tell them apart",
            label(y),
            label(z),
            crate::exact::decimal::brief(&self.keys[y]),
            crate::exact::decimal::brief(&self.keys[z]),
            self.reward_f64[y]
        )
        .replace("( ", "(");
        let law = self.law_from_keys(&f64_keys);
        Some((law, note))
    }

    /// The rewards as float code sees them: the f64 of each outcome's reward, exactly.
    fn f64_keys(&self) -> Vec<Rational> {
        self.reward_f64
            .iter()
            .map(|&r| Rational::from_f64(r).unwrap_or_default())
            .collect()
    }

    /// The laws of the usual mistakes, each with its name and meaning: once on the exact
    /// rewards, once on the rewards as f64 (what float code compares), so that float code
    /// with a tie-break mistake is still recognised on near-ties below f64 resolution.
    pub fn alternative_laws(&self) -> Result<Vec<(Alternative, Vec<Rational>)>> {
        let mut out = self.mistakes(&self.keys.clone(), false);
        out.push((
            Alternative {
                name: "law of the rewards compared in f64",
                meaning: "your code decides reward ties in floating point, so rewards closer than f64 resolution tie",
            },
            self.law_from_keys(&self.f64_keys()),
        ));
        out.extend(self.mistakes(&self.f64_keys(), true));
        out.push((
            Alternative {
                name: "law of the order of p",
                meaning: "your code sorts by probability instead of by reward (two parallel arrays mixed up)",
            },
            self.law_from_keys(&self.p),
        ));
        let f32_keys: Vec<Rational> = self
            .reward_f64
            .iter()
            .map(|&r| Rational::from_f64(f64::from(r as f32)).unwrap_or_default())
            .collect();
        out.push((
            Alternative {
                name: "law of rewards rounded to float32",
                meaning:
                    "your code compares rewards after a float32 cast, so near-ties become ties",
            },
            self.law_from_keys(&f32_keys),
        ));
        Ok(out)
    }

    /// The tie-break and formula mistakes under the given reward keys.
    fn mistakes(&self, keys: &[Rational], in_f64: bool) -> Vec<(Alternative, Vec<Rational>)> {
        let n = self.case.n as u32;
        let cumulative = self.cumulative(keys);
        let name = |exact: &'static str, float: &'static str| if in_f64 { float } else { exact };
        let lex_min: Vec<(Rational, std::cmp::Reverse<usize>)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), std::cmp::Reverse(i)))
            .collect();
        let lex_max: Vec<(Rational, usize)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i))
            .collect();
        vec![
            (
                Alternative {
                    name: name("lex-min tie-break law", "lex-min tie-break law on f64 rewards"),
                    meaning: "your code breaks reward ties by outcome identity (the smallest outcome index wins)",
                },
                self.law_from_keys(&lex_min),
            ),
            (
                Alternative {
                    name: name("lex-max tie-break law", "lex-max tie-break law on f64 rewards"),
                    meaning: "your code breaks reward ties by outcome index (the largest outcome index wins)",
                },
                self.law_from_keys(&lex_max),
            ),
            (
                Alternative {
                    name: name("F^N - F_below^N per outcome", "F^N - F_below^N per outcome on f64 rewards"),
                    meaning: "your code applies the no-ties formula to each outcome, giving every member of a tied class the whole class's share",
                },
                cumulative
                    .iter()
                    .map(|(at, below)| pow(at, n) - pow(below, n))
                    .collect(),
            ),
            (
                Alternative {
                    name: name("(F_below + p)^N - F_below^N", "(F_below + p)^N - F_below^N on f64 rewards"),
                    meaning: "your code treats each outcome as if it alone sat above F_below, ignoring the others it ties with",
                },
                cumulative
                    .iter()
                    .zip(&self.p)
                    .map(|((_, below), p)| pow(&Rational::from(below + p), n) - pow(below, n))
                    .collect(),
            ),
            (
                Alternative {
                    name: name("continuous N F^(N-1) p", "continuous N F^(N-1) p on f64 rewards"),
                    meaning: "your code uses the continuous-reward density on a discrete reward",
                },
                cumulative
                    .iter()
                    .zip(&self.p)
                    .map(|((at, _), p)| pow(at, n - 1) * Rational::from(n) * p)
                    .collect(),
            ),
        ]
    }

    /// The exact or enclosed value of a named scalar.
    pub fn scalar(&self, name: &str) -> Result<Expected> {
        let law = ExactLaw::compute(
            &Case {
                tie_break: TieBreak::Uniform,
                ..self.case.clone()
            },
            Route::Sequence,
        )?;
        match name {
            "kl" => Ok(Expected::Enclosed(crate::claims::support::kl(&law, PREC))),
            "winrate" => Ok(Expected::Exact(win_rate(&law).ties_half)),
            "winrate-strict" => Ok(Expected::Exact(win_rate(&law).strict)),
            "expected-reward" => match self.case.reward {
                Reward::Log(_) => {
                    let mut sum = Interval::from_rational(&Rational::new(), PREC);
                    for (pi, key) in self.law.iter().zip(&self.keys) {
                        let ln = Interval::ln_of(key, PREC).expect("log keys are positive");
                        sum = sum.add(&Interval::from_rational(pi, PREC).mul(&ln));
                    }
                    Ok(Expected::Enclosed(sum))
                }
                _ => Ok(Expected::Exact(
                    self.law
                        .iter()
                        .zip(&self.keys)
                        .map(|(a, b)| Rational::from(a * b))
                        .sum(),
                )),
            },
            // Anything else is an expression of the claim language.
            text => {
                let ctx = crate::claims::Context::new(
                    self.case.clone(),
                    crate::enclosure::PrecisionPolicy::default(),
                );
                let value = crate::claims::expr::number(text, &ctx, PREC)?;
                Ok(match value.exact_value() {
                    Some(x) => Expected::Exact(x),
                    None => Expected::Enclosed(value.enc(PREC)),
                })
            }
        }
    }

    /// The values of the usual mistaken formulas for a scalar.
    pub fn scalar_alternatives(&self, name: &str) -> Vec<(Alternative, Expected)> {
        let n = self.case.n;
        match name {
            "kl" => vec![(
                Alternative {
                    name: "log N - (N-1)/N",
                    meaning: "your code reports the formula for KL(pi_N || p), which is exact only for continuous (atomless) rewards and an upper bound on discrete ones, ties or not",
                },
                Expected::Enclosed(crate::claims::support::kl_formula(n, PREC)),
            )],
            "winrate" | "winrate-strict" => vec![(
                Alternative {
                    name: "N/(N+1)",
                    meaning: "your code reports the win rate N/(N+1), which is exact only for continuous (atomless) rewards",
                },
                Expected::Exact(Rational::from((n, n + 1))),
            )],
            _ => Vec::new(),
        }
    }
}

fn pow(x: &Rational, n: u32) -> Rational {
    use rug::ops::Pow;
    Rational::from(x.pow(n))
}
