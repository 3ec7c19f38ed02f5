//! Judging a float run against the exact side: errors (exact differences, or enclosures raised
//! until known to 2^-20 relative), ties lost and invented, 0/infinity/NaN, wrong verdicts.

use super::*;

impl ExactSide {
    pub(super) fn judge(&self, run: &FloatRun, statements: &FloatStatements) -> ArithComparison {
        let prec = run.arith.precision();
        let cap = self.policy.cap;
        let mut nonfinite = Vec::new();
        let mut quantities = Vec::new();
        let mut measure = |name: &'static str,
                           positive: bool,
                           entries: Vec<(String, &FloatOut, ExactValue)>|
         -> Vec<Option<EntryError>> {
            let total = entries.len();
            let mut errors = Vec::with_capacity(total);
            for (entry, out, exact) in &entries {
                let degenerate = match &out.value {
                    FloatValue::Finite(_) => {
                        (out.value.is_zero() && positive && exact.is_positive())
                            .then_some(Degenerate::Zero)
                    }
                    FloatValue::NaN => Some(Degenerate::NaN),
                    FloatValue::PosInf | FloatValue::NegInf => Some(Degenerate::Infinite),
                };
                if let Some(kind) = degenerate {
                    nonfinite.push(Nonfinite {
                        quantity: name,
                        entry: entry.clone(),
                        float: out.text.clone(),
                        kind,
                        exact: exact.describe(),
                    });
                }
                errors.push(
                    out.value
                        .finite()
                        .map(|v| entry_error(entry.clone(), v, exact, prec, cap)),
                );
            }
            let finite: Vec<&EntryError> = errors.iter().flatten().collect();
            let largest = |pick: fn(&EntryError) -> Option<&Amount>| {
                finite
                    .iter()
                    .filter(|e| pick(e).is_some())
                    .max_by(|a, b| {
                        pick(a)
                            .map(Amount::upper)
                            .partial_cmp(&pick(b).map(Amount::upper))
                            .expect("error bounds are not NaN")
                    })
                    .map(|e| (*e).clone())
            };
            quantities.push(QuantityErrors {
                name,
                entries: total,
                finite_entries: finite.len(),
                max_abs: largest(|e| Some(&e.abs)),
                max_rel: largest(|e| e.rel.as_ref()),
            });
            errors
        };

        let count = self.sequences.len();
        measure(
            "reward",
            false,
            (0..count)
                .map(|o| (self.label(o), &run.reward[o], self.reward_value(o)))
                .collect(),
        );
        let pi_errors = measure(
            "pi",
            true,
            (0..count)
                .map(|o| {
                    (
                        self.label(o),
                        &run.pi[o],
                        ExactValue::Rational(self.law.pi(o)),
                    )
                })
                .collect(),
        );
        let law = &self.law;
        let n = self.case.n;
        let eps_inf = top_reward_mass(law);
        // One exact context for the quantities decided by the claim language: its law and
        // outcomes are computed once, whatever precisions the error enclosures ask for.
        let ctx = Context::new(self.case.clone(), self.policy);
        for (i, (name, label, text)) in FLOAT_QUANTITIES.iter().enumerate() {
            let exact = match *name {
                "kl" => ExactValue::Enclosed(Box::new(|p| kl(law, p))),
                "kl_formula" => ExactValue::Enclosed(Box::new(move |p| kl_formula(n, p))),
                "win_rate" => ExactValue::Rational(win_rate(law).ties_half),
                "log_inv_eps" => {
                    let inverse = Rational::from(eps_inf.recip_ref());
                    ExactValue::Enclosed(Box::new(move |p| {
                        Interval::ln_of(&inverse, p).expect("eps > 0")
                    }))
                }
                _ => {
                    // The same expression, decided exactly.
                    let (ctx, text) = (&ctx, *text);
                    ExactValue::Enclosed(Box::new(move |p| {
                        claims::expr::number(text, ctx, p)
                            .map(|v| v.enc(p))
                            .expect("the exact side evaluates what the float side does")
                    }))
                }
            };
            measure(
                name,
                true,
                vec![(label.to_string(), &statements.quantities[i], exact)],
            );
        }
        if let (Some(t), Some(tilt_run)) = (&self.tilt_inputs, &run.tilt) {
            let p = self.case.source.pmf.probs();
            let mut tilts: Vec<(&'static str, &Vec<FloatOut>, Vec<Rational>)> =
                vec![("tilt", &tilt_run.alpha, vec![t.alpha.clone()])];
            if let (Some(beta), Some(composed), Some(summed)) =
                (&t.beta, &tilt_run.composed, &tilt_run.summed)
            {
                tilts.push((
                    "tilt_composed",
                    composed,
                    vec![t.alpha.clone(), beta.clone()],
                ));
                tilts.push(("tilt_summed", summed, vec![Rational::from(&t.alpha + beta)]));
            }
            for (name, outs, exponents) in tilts {
                // One enclosure of the whole distribution per precision, shared by its letters
                // (each letter's error asks for the same precisions).
                let by_prec: Rc<RefCell<HashMap<u32, Vec<Interval>>>> = Rc::default();
                let entries = (0..outs.len())
                    .map(|y| {
                        let (q, exponents, by_prec) = (&t.q, exponents.clone(), by_prec.clone());
                        let value = ExactValue::Enclosed(Box::new(move |prec| {
                            by_prec.borrow_mut().entry(prec).or_insert_with(|| {
                                let start = p.iter().map(|x| Interval::from_rational(x, prec));
                                exponents.iter().fold(start.collect(), |dist, a| {
                                    tilt_enclosure(&dist, q, a, prec)
                                })
                            })[y]
                                .clone()
                        }));
                        (format!("letter {y}"), &outs[y], value)
                    })
                    .collect();
                measure(name, true, entries);
            }
        }

        let (lost_ties, split_members) = self.lost_ties(run);
        let (invented_ties, merged_members) = self.invented_ties(run);
        let pi_change = |members: &[usize]| {
            members
                .iter()
                .filter_map(|&o| pi_errors[o].clone())
                .max_by(|a, b| a.abs.upper().partial_cmp(&b.abs.upper()).expect("not NaN"))
        };
        let lost_tie_pi_change = pi_change(&split_members);
        let invented_tie_pi_change = pi_change(&merged_members);
        let verdicts = self
            .certified
            .iter()
            .filter_map(|c| {
                let f = statements.verdicts.iter().find(|v| v.claim == c.claim.id)?;
                Some(VerdictComparison {
                    claim: c.claim.id.clone(),
                    certified: c.verdict.clone(),
                    certified_evidence: c.evidence.clone(),
                    float_holds: f.holds,
                    float_detail: f.detail.clone(),
                })
            })
            .collect();
        ArithComparison {
            arith: run.arith,
            quantities,
            lost_ties,
            invented_ties,
            nonfinite,
            verdicts,
            lost_tie_pi_change,
            invented_tie_pi_change,
        }
    }

    /// Exact reward classes that the float rewards split; also every outcome of such classes.
    fn lost_ties(&self, run: &FloatRun) -> (Vec<TieFailure>, Vec<usize>) {
        let mut by_level: Vec<Vec<usize>> = Vec::new();
        for (o, &l) in self.level.iter().enumerate() {
            if by_level.len() <= l {
                by_level.resize(l + 1, Vec::new());
            }
            by_level[l].push(o);
        }
        let mut failures = Vec::new();
        let mut split_members = Vec::new();
        for members in by_level.iter().filter(|m| m.len() > 1) {
            let mut values: Vec<&FloatValue> =
                members.iter().map(|&o| &run.reward[o].value).collect();
            values.sort_by(|a, b| a.total_cmp(b));
            values.dedup_by(|a, b| a.float_eq(b));
            if values.len() < 2 {
                continue;
            }
            let a = members[0];
            let b = *members
                .iter()
                .find(|&&o| !run.reward[o].value.float_eq(&run.reward[a].value))
                .expect("two float values");
            failures.push(TieFailure {
                outcomes: [self.sequences[a].clone(), self.sequences[b].clone()],
                exact_rewards: [self.describe_reward(a), self.describe_reward(b)],
                float_rewards: [run.reward[a].text.clone(), run.reward[b].text.clone()],
                members: members.len(),
                parts: values.len(),
            });
            split_members.extend(members);
        }
        (failures, split_members)
    }

    /// Float reward classes that merge different exact rewards; also every outcome of them.
    fn invented_ties(&self, run: &FloatRun) -> (Vec<TieFailure>, Vec<usize>) {
        let mut order: Vec<usize> = (0..self.sequences.len()).collect();
        order.sort_by(|&a, &b| run.reward[a].value.total_cmp(&run.reward[b].value));
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for o in order {
            match groups.last_mut() {
                Some(g) if run.reward[g[0]].value.float_eq(&run.reward[o].value) => g.push(o),
                _ => groups.push(vec![o]),
            }
        }
        let mut failures = Vec::new();
        let mut merged_members = Vec::new();
        for mut members in groups.into_iter().filter(|g| g.len() > 1) {
            members.sort_unstable();
            let mut levels: HashMap<usize, usize> = HashMap::new();
            for &o in &members {
                levels.entry(self.level[o]).or_insert(o);
            }
            if levels.len() < 2 {
                continue;
            }
            let a = members[0];
            let b = *members
                .iter()
                .find(|&&o| self.level[o] != self.level[a])
                .expect("two levels");
            failures.push(TieFailure {
                outcomes: [self.sequences[a].clone(), self.sequences[b].clone()],
                exact_rewards: [self.describe_reward(a), self.describe_reward(b)],
                float_rewards: [run.reward[a].text.clone(), run.reward[b].text.clone()],
                members: members.len(),
                parts: levels.len(),
            });
            merged_members.extend(members);
        }
        (failures, merged_members)
    }
}

/// `|v - x|` and `|v - x| / |x|`: exact for a rational `x`, else enclosed at a precision raised
/// until the error is known to 2^-20 relative (or the cap).
fn entry_error(entry: String, v: &Rational, x: &ExactValue, prec: u32, cap: u32) -> EntryError {
    match x {
        ExactValue::Rational(x) => {
            let abs = Rational::from(v - x).abs();
            let rel = (x.cmp0().is_ne()).then(|| Amount::Exact(Rational::from(&abs / x).abs()));
            EntryError {
                entry,
                abs: Amount::Exact(abs),
                rel,
            }
        }
        ExactValue::Enclosed(f) => {
            let mut work = (2 * prec + 64).max(128).min(cap.max(128));
            loop {
                let exact = f(work);
                let abs = Interval::from_rational(v, work).sub(&exact).abs();
                let tolerance = Float::with_val(work, abs.lo() >> ERROR_RELATIVE_WIDTH_BITS);
                let known = !abs.lo().is_zero() && abs.width() <= tolerance;
                if known || work >= cap {
                    let magnitude = exact.abs();
                    let rel = (!magnitude.contains_zero())
                        .then(|| abs.div(&magnitude).expect("nonzero"))
                        .map(Amount::Enclosed);
                    return EntryError {
                        entry,
                        abs: Amount::Enclosed(abs),
                        rel,
                    };
                }
                work = (work * 2).min(cap);
            }
        }
    }
}
