//! The laws of other selection rules (issue 23): worst-of-N, soft best-of-N, best-of-N of
//! another distribution, the oracle best-of-N of a true reward and `dist_y`, each against an
//! independent brute force over every N-tuple of draws (the definition executed literally,
//! sharing nothing with the evaluator's formulas over reward levels), on tiny cases with
//! ties, zero-probability letters and m = 2.

use bestofn::claims::expr::distribution;
use bestofn::claims::Context;
use bestofn::enclosure::PrecisionPolicy;
use bestofn::spec::CaseSpec;
use rug::ops::Pow;
use rug::Rational;

use crate::common::{assert_verdict, bestofn, q};

/// A tiny case as the test sees it: letters' p, per-letter proxy and true rewards (additive
/// values or log weights), m, N.
struct Tiny {
    p: Vec<Rational>,
    proxy: (bool, Vec<Rational>),
    truth: (bool, Vec<Rational>),
    m: u32,
    n: u32,
}

fn spec_text(log: bool, values: &[Rational]) -> String {
    let list: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    format!(
        "{}:{}",
        if log { "log" } else { "additive" },
        list.join(",")
    )
}

impl Tiny {
    fn new(p: &str, proxy: &str, truth: &str, m: u32, n: u32) -> Tiny {
        let parse = |r: &str| {
            let (kind, values) = r.split_once(':').expect("kind:values");
            (kind == "log", values.split(',').map(q).collect::<Vec<_>>())
        };
        Tiny {
            p: p.split(',').map(q).collect(),
            proxy: parse(proxy),
            truth: parse(truth),
            m,
            n,
        }
    }

    fn context(&self) -> Context {
        let p: Vec<String> = self.p.iter().map(|x| x.to_string()).collect();
        let spec = CaseSpec {
            p: Some(p.join(",")),
            reward: Some(spec_text(self.proxy.0, &self.proxy.1)),
            true_reward: Some(spec_text(self.truth.0, &self.truth.1)),
            m: Some(self.m),
            n: Some(u64::from(self.n)),
            ..Default::default()
        };
        Context::from_spec(&spec, PrecisionPolicy::default()).expect("a valid case")
    }

    /// Every sequence in lexicographic order.
    fn sequences(&self) -> Vec<Vec<u32>> {
        let k = self.p.len() as u32;
        let mut out = vec![Vec::new()];
        for _ in 0..self.m {
            out = out
                .into_iter()
                .flat_map(|s| {
                    (0..k).map(move |l| {
                        let mut t = s.clone();
                        t.push(l);
                        t
                    })
                })
                .collect();
        }
        out
    }

    fn prob(&self, s: &[u32]) -> Rational {
        s.iter().map(|&l| self.p[l as usize].clone()).product()
    }

    /// The exact key of a sequence, increasing in the reward: a sum, or a product of weights.
    fn key(reward: &(bool, Vec<Rational>), s: &[u32]) -> Rational {
        let values = s.iter().map(|&l| reward.1[l as usize].clone());
        if reward.0 {
            values.product()
        } else {
            values.sum()
        }
    }

    /// Sum over every N-tuple of sequence indices of `weight(tuple)` times, for each draw
    /// position i, `share(tuple, i)` added to the outcome drawn there.
    fn brute(
        &self,
        draw_prob: &[Rational],
        share: impl Fn(&[usize], usize) -> Rational,
    ) -> Vec<Rational> {
        let outcomes = draw_prob.len();
        let mut out = vec![Rational::new(); outcomes];
        let mut tuple = vec![0usize; self.n as usize];
        loop {
            let weight: Rational = tuple.iter().map(|&o| draw_prob[o].clone()).product();
            if weight != 0 {
                for i in 0..tuple.len() {
                    let s = share(&tuple, i);
                    if s != 0 {
                        out[tuple[i]] += Rational::from(&weight * &s);
                    }
                }
            }
            let mut pos = tuple.len();
            loop {
                if pos == 0 {
                    return out;
                }
                pos -= 1;
                tuple[pos] += 1;
                if tuple[pos] < outcomes {
                    break;
                }
                tuple[pos] = 0;
            }
        }
    }

    /// The draw at position i is kept with probability 1/|tied| when its key is the
    /// extreme (`best`: the largest) of the tuple's, else 0.
    fn extreme(&self, keys: &[Rational], best: bool) -> impl Fn(&[usize], usize) -> Rational + '_ {
        let keys = keys.to_vec();
        move |tuple: &[usize], i: usize| {
            let pick = tuple.iter().map(|&o| &keys[o]);
            let extreme = if best { pick.max() } else { pick.min() }.expect("N >= 1");
            if keys[tuple[i]] != *extreme {
                return Rational::new();
            }
            let tied = tuple.iter().filter(|&&o| keys[o] == *extreme).count();
            Rational::from((1, tied as u32))
        }
    }
}

fn exact_values(ctx: &Context, text: &str) -> Vec<Rational> {
    distribution(text, ctx, 128)
        .unwrap_or_else(|e| panic!("{text}: {}", e.message()))
        .into_iter()
        .map(|(_, v)| {
            v.exact_value()
                .unwrap_or_else(|| panic!("{text}: not exact"))
        })
        .collect()
}

/// Ties in the proxy, a zero-probability letter, a true reward ordering the letters
/// differently, m = 1 and 2, N = 1..3.
fn tiny_cases() -> Vec<Tiny> {
    let mut out = Vec::new();
    for (p, proxy, truth) in [
        ("1/2,1/3,1/6", "log:2,1,2", "additive:0,2,1"),
        ("1/4,0,3/4", "log:1,3,2", "log:5,1,1"),
        ("1/5,3/10,1/2", "log:6,1,2", "additive:1,1,0"),
        ("1/2,1/2", "log:1,1", "additive:0,1"),
    ] {
        for m in [1, 2] {
            for n in 1..=3 {
                if m == 2 && n == 3 {
                    continue; // 9^3 tuples: enough coverage without it
                }
                out.push(Tiny::new(p, proxy, truth, m, n));
            }
        }
    }
    out
}

#[test]
fn worst_of_n_bon_of_oracle_and_dist_y_match_the_brute_force() {
    for t in tiny_cases() {
        let ctx = t.context();
        let seqs = t.sequences();
        let probs: Vec<Rational> = seqs.iter().map(|s| t.prob(s)).collect();
        let proxy: Vec<Rational> = seqs.iter().map(|s| Tiny::key(&t.proxy, s)).collect();
        let truth: Vec<Rational> = seqs.iter().map(|s| Tiny::key(&t.truth, s)).collect();
        let at = |what: &str| format!("{what} on p = {:?}, m = {}, N = {}", t.p, t.m, t.n);

        let won = t.brute(&probs, t.extreme(&proxy, false));
        assert_eq!(exact_values(&ctx, "won"), won, "{}", at("won"));
        let bon = t.brute(&probs, t.extreme(&proxy, true));
        assert_eq!(exact_values(&ctx, "bon_of(p)"), bon, "{}", at("bon_of(p)"));
        assert_eq!(exact_values(&ctx, "bon"), bon, "{}", at("bon"));
        let oracle = t.brute(&probs, t.extreme(&truth, true));
        assert_eq!(exact_values(&ctx, "bon_true"), oracle, "{}", at("bon_true"));
        // Best-of-N of draws from the best-of-N law itself.
        let bon_of_bon = t.brute(&bon, t.extreme(&proxy, true));
        assert_eq!(
            exact_values(&ctx, "bon_of(bon)"),
            bon_of_bon,
            "{}",
            at("bon_of(bon)")
        );
        // Best-of-2 of draws from the worst-of-N law.
        let two = Tiny {
            n: 2,
            ..Tiny::new("1/2,1/2", "log:1,1", "log:1,1", 1, 2)
        };
        let two = Tiny {
            p: t.p.clone(),
            proxy: t.proxy.clone(),
            truth: t.truth.clone(),
            m: t.m,
            ..two
        };
        let bon2_of_won = two.brute(&won, two.extreme(&proxy, true));
        assert_eq!(
            exact_values(&ctx, "bon_of(2, won)"),
            bon2_of_won,
            "{}",
            at("bon_of(2, won)")
        );
        // dist_y: p times F, normalised.
        let f: Vec<Rational> = proxy
            .iter()
            .map(|k| {
                (0..seqs.len())
                    .filter(|&o| proxy[o] <= *k)
                    .map(|o| probs[o].clone())
                    .sum()
            })
            .collect();
        let weights: Vec<Rational> = probs
            .iter()
            .zip(&f)
            .map(|(a, b)| Rational::from(a * b))
            .collect();
        let total: Rational = weights.iter().sum();
        let want: Vec<Rational> = weights.iter().map(|w| Rational::from(w / &total)).collect();
        assert_eq!(
            exact_values(&ctx, "dist_y(p(y) * F(y))"),
            want,
            "{}",
            at("dist_y")
        );
    }
}

#[test]
fn soft_best_of_n_matches_the_brute_force_exactly_for_log_rewards() {
    for t in tiny_cases().into_iter().filter(|t| t.proxy.0) {
        let ctx = t.context();
        let seqs = t.sequences();
        let probs: Vec<Rational> = seqs.iter().map(|s| t.prob(s)).collect();
        let proxy: Vec<Rational> = seqs.iter().map(|s| Tiny::key(&t.proxy, s)).collect();
        // lambda = 1/k: draw i kept with probability w_i^k / sum_j w_j^k.
        for k in [1u32, 2, 3] {
            let soft = t.brute(&probs, |tuple, i| {
                let total: Rational = tuple
                    .iter()
                    .map(|&o| Rational::from((&proxy[o]).pow(k)))
                    .sum();
                Rational::from((&proxy[tuple[i]]).pow(k)) / total
            });
            let text = format!("softbon(1/{k})");
            assert_eq!(
                exact_values(&ctx, &text),
                soft,
                "{text} on p = {:?}, m = {}, N = {}",
                t.p,
                t.m,
                t.n
            );
        }
        let n2 = t.brute(&probs, |tuple, i| {
            let total: Rational = tuple.iter().map(|&o| proxy[o].clone()).sum();
            Rational::from(&proxy[tuple[i]] / &total)
        });
        let again = exact_values(&ctx, &format!("softbon({}, 1)", t.n));
        assert_eq!(again, n2);
    }
}

#[test]
fn soft_best_of_n_is_enclosed_where_its_weights_are_transcendental() {
    // Additive rewards: weights exp(r / lambda); the brute force in f64 lies inside the
    // enclosures (the enclosure is rigorous, the f64 sum is accurate to ~1e-15 here).
    let t = Tiny::new("1/2,1/3,1/6", "additive:0,1,1", "additive:0,1,2", 1, 3);
    let ctx = t.context();
    let seqs = t.sequences();
    let probs: Vec<f64> = seqs.iter().map(|s| t.prob(s).to_f64()).collect();
    let keys: Vec<f64> = seqs
        .iter()
        .map(|s| Tiny::key(&t.proxy, s).to_f64())
        .collect();
    for lambda in [0.5f64, 2.0] {
        let mut want = vec![0.0f64; seqs.len()];
        let n = seqs.len();
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    let tuple = [a, b, c];
                    let w: f64 = tuple.iter().map(|&o| probs[o]).product();
                    let total: f64 = tuple.iter().map(|&o| (keys[o] / lambda).exp()).sum();
                    for &o in &tuple {
                        want[o] += w * (keys[o] / lambda).exp() / total;
                    }
                }
            }
        }
        let text = format!("softbon({lambda})");
        let got = distribution(&text, &ctx, 128).expect("softbon evaluates");
        for ((_, v), w) in got.iter().zip(&want) {
            assert!(!v.is_exact(), "{text}: exp(1/lambda) is not rational");
            let e = v.enc(128);
            let (lo, hi) = (e.lo().to_f64(), e.hi().to_f64());
            assert!(
                lo - 1e-12 <= *w && *w <= hi + 1e-12,
                "{text}: {w} outside [{lo}, {hi}]"
            );
            assert!(hi - lo < 1e-30, "{text}: enclosure too wide");
        }
    }
}

#[test]
fn soft_best_of_n_tends_to_best_of_n_and_to_p() {
    let case = ["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2", "--n", "4"];
    // lambda -> 0+: the soft law approaches best-of-N (exactly computed at each lambda).
    let mut last = Rational::from(1);
    for k in [1, 4, 16, 64] {
        let ctx = Context::from_spec(
            &CaseSpec {
                p: Some("1/5,3/10,1/2".into()),
                reward: Some("log:6,1,2".into()),
                n: Some(4),
                ..Default::default()
            },
            PrecisionPolicy::default(),
        )
        .expect("valid");
        let tv = bestofn::claims::expr::number(&format!("tv(softbon(1/{k}), bon)"), &ctx, 128)
            .expect("tv evaluates")
            .exact_value()
            .expect("exact for 1/lambda an integer");
        assert!(tv < last, "tv(softbon(1/{k}), bon) = {tv} did not decrease");
        last = tv;
    }
    assert!(last < Rational::from((1, 1_000_000)));
    assert_eq!(
        assert_verdict(&case, "tv(softbon(1/64), bon) < 1/10^6"),
        "holds"
    );
    // lambda -> infinity: the soft law approaches p.
    assert_eq!(
        assert_verdict(&case, "tv(softbon(10^6), p) < 1/10^5"),
        "holds"
    );
    assert_eq!(assert_verdict(&case, "tv(softbon(1), p) > 1/10"), "holds");
}

#[test]
fn bad_temperatures_and_oversized_soft_laws_are_refused_in_one_line() {
    let case = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    for lambda in ["0", "-1", "0 - 1/2"] {
        assert_eq!(
            assert_verdict(&case, &format!("tv(softbon({lambda}), p) >= 0")),
            "undefined",
            "softbon({lambda})"
        );
    }
    // 65536 letters of distinct rewards and N = 8: C(65543, 65535) compositions, refused.
    let k = 64;
    let p = vec![format!("1/{k}"); k].join(",");
    let r: Vec<String> = (0..k).map(|i| i.to_string()).collect();
    let reward = format!("additive:{}", r.join(","));
    let out = bestofn(&[
        "check",
        "--p",
        &p,
        "--reward",
        &reward,
        "--n",
        "8",
        "--assert",
        "tv(softbon(1), p) >= 0",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("compositions of 8 draws over 64 reward levels"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // A true reward of the wrong length.
    let out = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--true-reward",
        "additive:0,1,2",
        "--n",
        "2",
        "--assert",
        "sum_y(rt(y)) >= 0",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("true-reward: 3 values given but the pmf has K = 2 letters"),
        "{err}"
    );
    // Reading rt without a true reward: not applicable, naming the hypothesis.
    let out = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        "--assert",
        "sum_y(rt(y)) >= 0",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not-applicable  hypothesis true-reward-given not met"),
        "{text}"
    );
}

#[test]
fn binders_nest_with_their_own_names_and_refuse_a_reused_one() {
    let case = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "2",
    ];
    // Pairs of outcomes: the win rate as a double sum over (y, z).
    assert_eq!(
        assert_verdict(
            &case,
            "winrate(bon, p) == sum_y(sum_z(bon(y) * p(z) * if(r(y) > r(z), 1, if(r(y) == r(z), 1/2, 0))))"
        ),
        "holds"
    );
    // The integer binder: the binomial form of the law (Amini et al., 2407.06057), exact
    // when rewards are distinct (m = 1 here), false on ties (m = 2: sequences of one type tie).
    let amini = "forall_y(bon(y) == sum_k(1, N, choose(N, k) * F_below(y)^(N-k) * p(y)^k))";
    let distinct = ["--p", "1/5,3/10,1/2", "--reward", "log:6,1,2", "--n", "4"];
    assert_eq!(assert_verdict(&distinct, amini), "holds");
    assert_eq!(assert_verdict(&case, amini), "fails");
    assert_eq!(
        assert_verdict(&case, "sum_k(1, N, k) == N * (N + 1) / 2"),
        "holds"
    );
    assert_eq!(assert_verdict(&case, "sum_k(3, 1, k) == 0"), "holds");
    // Nested quantifiers: the witness names both variables.
    let out = bestofn(&[
        "check",
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,1",
        "--n",
        "2",
        "--assert",
        "forall_y(forall_z(r(y) <= r(z)))",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("witness y (a sequence of its type) = (1)"),
        "{text}"
    );
    assert!(
        text.contains("witness z (a sequence of its type) = (0)"),
        "{text}"
    );
    // A reused name, a builtin as a variable: one line each, exit 2.
    for (expr, says) in [
        (
            "sum_y(sum_y(p(y))) == 1",
            "'y' is already bound by an enclosing binder",
        ),
        (
            "sum_p(1) == 1",
            "'p' is a name of the language and cannot be a bound variable",
        ),
        ("sum_z(p(y)) == 1", "'y' is used outside a binder"),
    ] {
        let out = bestofn(&[
            "check",
            "--p",
            "1/2,1/2",
            "--reward",
            "additive:0,1",
            "--n",
            "2",
            "--assert",
            expr,
        ]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{expr}: {err}");
        assert!(err.contains(says), "{expr}: {err}");
    }
}

#[test]
fn calibrated_reward_budget_and_alpha() {
    let case = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "3",
    ];
    // InfAlign: E_p C = 1/2 exactly, and the win rate of any law against p is E C.
    assert_eq!(assert_verdict(&case, "E_y(p, C(y)) == 1/2"), "holds");
    assert_eq!(
        assert_verdict(&case, "winrate(bon, p) == E_y(bon, C(y))"),
        "holds"
    );
    assert_eq!(
        assert_verdict(&case, "winrate(won, p) == E_y(won, C(y))"),
        "holds"
    );
    // Delta = m delta exactly; alpha(Delta) spends it: KL(phi || p) = Delta.
    let fig = [
        "--p",
        "1/5,3/10,1/2",
        "--q",
        "2/3,1/9,2/9",
        "--m",
        "2",
        "--n",
        "3",
        "--delta",
        "11/100",
    ];
    assert_eq!(assert_verdict(&fig, "Delta == 11/50"), "holds");
    assert_eq!(
        assert_verdict(&fig, "abs(kl(phi, p) - Delta) < 1/10^15 and alpha > 0"),
        "holds"
    );
    assert_eq!(
        assert_verdict(&fig, "abs(kl(tilt(alpha), p) - Delta) < 1/10^12"),
        "holds"
    );
    let without = ["--p", "1/2,1/2", "--reward", "additive:0,1", "--n", "2"];
    assert!(assert_verdict(&without, "Delta >= 0").starts_with("not-applicable"));
}

/// Search and exhaust draw a true reward for statements that read one: the reward-hacking
/// direction (the proxy's best-of-N lowers the true reward) is found, shrunk to two letters
/// and N = 2, and the printed replay reproduces it; the oracle's win-rate bound holds on a grid
/// that pairs every proxy with every per-letter true reward.
#[test]
fn search_and_exhaust_reach_statements_of_a_true_reward() {
    let claim = "E_y(bon, rt(y)) >= E_y(p, rt(y))";
    let out = bestofn(&[
        "search", "--assert", claim, "--k", "2..4", "--n", "1..6", "--trials", "2000", "--seed",
        "1", "--json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("search --json");
    let text = json.to_string();
    assert!(
        text.contains("\"true_reward\""),
        "the case names its true reward: {text}"
    );
    let replay = String::from_utf8_lossy(
        &bestofn(&[
            "search", "--assert", claim, "--k", "2..4", "--n", "1..6", "--trials", "2000",
            "--seed", "1",
        ])
        .stdout,
    )
    .lines()
    .find_map(|line| {
        line.split_once(": bestofn ")
            .map(|(_, cmd)| cmd.to_string())
    })
    .expect("a counterexample line with its replay command");
    assert!(
        replay.contains("--p 1/2,1/2") && replay.contains("--n 2"),
        "{replay}"
    );
    assert!(replay.contains("--true-reward"), "{replay}");
    // Hand check of the shrunk case: p = 1/2,1/2, proxy 0,1, true 1,0, N = 2: bon puts 3/4 on
    // the letter of true reward 0, so E_bon rt = 1/4 < 1/2 = E_p rt.
    assert_eq!(
        assert_verdict(
            &[
                "--p",
                "1/2,1/2",
                "--reward",
                "additive:0,1",
                "--true-reward",
                "additive:1,0",
                "--m",
                "1",
                "--n",
                "2"
            ],
            &format!("{claim} and E_y(bon, rt(y)) == 1/4").replace(">=", "<")
        ),
        "holds"
    );
    let grid = bestofn(&[
        "exhaust",
        "--assert",
        "winrate_true(bon_true, p) <= N / (N + 1)",
        "--k",
        "2..3",
        "--n",
        "1..3",
        "--den",
        "4",
        "--json",
    ]);
    let grid: serde_json::Value = serde_json::from_slice(&grid.stdout).expect("exhaust --json");
    assert_eq!(grid["counts"]["fails"], 0, "{grid}");
    assert!(grid["counts"]["holds"].as_u64().unwrap() > 0, "{grid}");
}

#[test]
fn exp_of_a_log_reward_is_its_weight_exactly_and_one_soft_draw_is_p() {
    let case = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "log:6,1,2",
        "--m",
        "2",
        "--n",
        "3",
    ];
    // exp(r(y)) is the product of the weights of y's letters: rational, so decided exactly.
    for statement in [
        "forall_y(exp(r(y)) * exp(-r(y)) == 1)",
        "max_y(exp(r(y))) == 36",
        "min_y(exp(r(y))) == 1",
        "exp(log(2)*3 - log(4)) == 2",
        "sum_y(p(y) * exp(r(y))) == (6/5 + 3/10 + 1)^2",
    ] {
        assert_eq!(assert_verdict(&case, statement), "holds", "{statement}");
    }
    // exp of a half logarithm is irrational: it stays an enclosure (an identity undecided).
    assert_eq!(assert_verdict(&case, "exp(log(2)/2)^2 == 2"), "undecided");
    // One draw is kept whatever the weights: softbon(1, lambda) is p exactly, also where
    // the weights are enclosures (additive rewards).
    let additive = [
        "--p",
        "1/5,3/10,1/2",
        "--reward",
        "additive:0,1,3",
        "--m",
        "2",
        "--n",
        "1",
    ];
    assert_eq!(assert_verdict(&additive, "tv(softbon(1), p) == 0"), "holds");
    assert_eq!(
        assert_verdict(&additive, "tv(softbon(1, 1/3), p) == 0"),
        "holds"
    );
    assert_eq!(
        assert_verdict(&additive, "tv(softbon(2, 1), p) > 0"),
        "holds"
    );
}

/// `y[i]`, `swap`, `marginal` and `prod_i` against the brute-force law per sequence: the
/// marginal of each position summed from the brute law, the swapped sequence's value read
/// from it, products of marginals multiplied out here.
#[test]
fn positions_agree_with_the_brute_force_law_per_sequence() {
    for (p, proxy, m, n) in [
        ("1/5,3/10,1/2", "log:6,1,2", 2, 2),
        ("1/2,1/4,1/4", "additive:0,1,1", 2, 3),
        ("1/3,2/3", "additive:0,1", 3, 2),
    ] {
        let t = Tiny::new(p, proxy, "additive:0,0,0", m, n);
        let t = Tiny {
            truth: (false, vec![Rational::new(); t.p.len()]),
            ..t
        };
        let seqs = t.sequences();
        let probs: Vec<Rational> = seqs.iter().map(|s| t.prob(s)).collect();
        let keys: Vec<Rational> = seqs.iter().map(|s| Tiny::key(&t.proxy, s)).collect();
        let law = t.brute(&probs, t.extreme(&keys, true));
        let flags = [
            "--p",
            p,
            "--reward",
            proxy,
            "--m",
            &m.to_string(),
            "--n",
            &n.to_string(),
        ]
        .map(str::to_string);
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        for (o, s) in seqs.iter().enumerate() {
            // The sequence as a statement: y is s exactly when every position matches.
            let is_s: Vec<String> = s
                .iter()
                .enumerate()
                .map(|(i, l)| format!("y[{}] == {l}", i + 1))
                .collect();
            let is_s = is_s.join(" and ");
            let marginals: Vec<Rational> = (0..m as usize)
                .map(|i| {
                    seqs.iter()
                        .zip(&law)
                        .filter(|(z, _)| z[i] == s[i])
                        .map(|(_, v)| v.clone())
                        .sum()
                })
                .collect();
            let product: Rational = marginals.iter().cloned().product();
            let mut swapped = s.clone();
            swapped.swap(0, m as usize - 1);
            let at_swapped = &law[seqs.iter().position(|z| *z == swapped).unwrap()];
            for statement in [
                format!(
                    "sum_y(if({is_s}, marginal(bon, 1, y), 0)) == {}",
                    marginals[0]
                ),
                format!("sum_y(if({is_s}, prod_i(1, m, marginal(bon, i, y)), 0)) == {product}"),
                format!("sum_y(if({is_s}, bon(swap(y, 1, m)), 0)) == {at_swapped}"),
                format!("sum_y(if({is_s}, bon(y), 0)) == {}", law[o]),
            ] {
                assert_eq!(assert_verdict(&flags, &statement), "holds", "{statement}");
            }
        }
    }
    // A lexicographic tie-break is not exchangeable (cases/lex-min-not-exchangeable.toml:
    // pi(0,1) = 5/16, pi(1,0) = 3/16), and the law per sequence reads it.
    let lex = [
        "--p",
        "1/2,1/2",
        "--reward",
        "additive:0,0",
        "--m",
        "2",
        "--n",
        "2",
        "--tie-break",
        "lex-min",
    ];
    assert_eq!(
        assert_verdict(
            &lex,
            "sum_y(if(y[1] == 0 and y[2] == 1, bon(y) - bon(swap(y, 1, 2)), 0)) == 1/8"
        ),
        "holds"
    );
    // Out of range, not an integer, or position 0: undefined on the case (exit 2).
    for bad in [
        "forall_y(y[3] >= 0)",
        "forall_y(y[0] >= 0)",
        "forall_y(y[1/2] >= 0)",
        "marginal(bon, 3, y) >= 0",
    ] {
        let statement = if bad.starts_with("forall") {
            bad.to_string()
        } else {
            format!("forall_y({bad})")
        };
        let out = bestofn(&[&["check"][..], &lex[..], &["--assert", &statement]].concat());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{statement}: {stdout}");
        assert!(
            stdout.contains("a position must be an exact integer from 1 to m = 2"),
            "{statement}: {stdout}"
        );
    }
}

#[test]
fn positions_parse_print_and_type_check() {
    use bestofn::claims::expr::Expression;
    for (text, printed) in [
        ("forall_y(y[1] == y[2])", "forall_y(y[1] == y[2])"),
        ("forall_y(letter(y, 1+1) >= 0)", "forall_y(y[1 + 1] >= 0)"),
        (
            "forall_y(bon(swap(y,1,2)) == bon(y))",
            "forall_y(bon(swap(y, 1, 2)) == bon(y))",
        ),
        (
            "sum_y(prod_i(1, m, marginal(p, i, y))) == 1",
            "sum_y(prod_i(1, m, marginal(p, i, y))) == 1",
        ),
    ] {
        let e = Expression::new(text).unwrap();
        // The one printer (evidence labels, expanded helpers) writes letter(y, i) as y[i].
        assert_eq!(&*e.label(e.root()), printed);
        assert!(e.needs_sequences, "{text}");
        let again = Expression::new(printed).unwrap();
        assert_eq!(&*again.label(again.root()), printed);
    }
    assert!(!Expression::new("kl(bon, p) >= 0").unwrap().needs_sequences);
    for (text, says) in [
        ("p[1] >= 0", "argument 1 of letter (y) must be an outcome"),
        ("forall_y(y[1 >= 0)", "expected ']'"),
        ("forall_y(swap(y, 1) == 0)", "swap"),
    ] {
        let err = Expression::new(text).unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
}
