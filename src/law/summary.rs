//! A law summarised without printing every digit: sizes, the exact total, the top outcome.

use rug::Rational;

use crate::law::{ExactLaw, LawTable, Outcome, Route};

/// Read access shared by the lazily evaluated [`ExactLaw`] and the materialised [`LawTable`].
pub trait LawView {
    /// Sequences or types.
    fn route(&self) -> Route;
    /// The outcomes.
    fn outcomes(&self) -> &[Outcome];
    /// The reward classes, lowest first.
    fn classes(&self) -> &[Vec<usize>];
    /// `p` of outcome `o`.
    fn p(&self, o: usize) -> Rational;
    /// `pi_N` of outcome `o`.
    fn pi(&self, o: usize) -> Rational;
    /// Whether `sum pi = 1` exactly.
    fn total_is_one(&self) -> bool;
}

impl LawView for ExactLaw {
    fn route(&self) -> Route {
        self.route()
    }
    fn outcomes(&self) -> &[Outcome] {
        self.outcomes()
    }
    fn classes(&self) -> &[Vec<usize>] {
        self.classes()
    }
    fn p(&self, o: usize) -> Rational {
        ExactLaw::p(self, o)
    }
    fn pi(&self, o: usize) -> Rational {
        ExactLaw::pi(self, o)
    }
    fn total_is_one(&self) -> bool {
        ExactLaw::total_is_one(self)
    }
}

impl LawView for LawTable {
    fn route(&self) -> Route {
        self.route
    }
    fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }
    fn classes(&self) -> &[Vec<usize>] {
        &self.classes
    }
    fn p(&self, o: usize) -> Rational {
        self.p[o].clone()
    }
    fn pi(&self, o: usize) -> Rational {
        self.pi[o].clone()
    }
    fn total_is_one(&self) -> bool {
        self.total() == 1
    }
}

/// What `law --summary` reports.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Sequences or types.
    pub route: Route,
    /// How many outcomes.
    pub outcome_count: usize,
    /// How many reward classes.
    pub class_count: usize,
    /// Whether the law sums to exactly 1.
    pub total_is_one: bool,
    /// Outcomes of the highest reward class with positive probability.
    pub top_class: Vec<Outcome>,
    /// The first of them, with its exact `p` and `pi`.
    pub top: Outcome,
    /// Its `p`.
    pub top_p: Rational,
    /// Its `pi_N`.
    pub top_pi: Rational,
}

impl Summary {
    /// The summary of a law.
    pub fn of(law: &impl LawView) -> Summary {
        let top_class_index = (0..law.classes().len())
            .rev()
            .find(|&k| law.classes()[k].iter().any(|&o| law.p(o).cmp0().is_gt()))
            .expect("a pmf has positive mass somewhere");
        let members: Vec<usize> = law.classes()[top_class_index]
            .iter()
            .copied()
            .filter(|&o| law.p(o).cmp0().is_gt())
            .collect();
        let first = members[0];
        Summary {
            route: law.route(),
            outcome_count: law.outcomes().len(),
            class_count: law.classes().len(),
            total_is_one: law.total_is_one(),
            top_class: members.iter().map(|&o| law.outcomes()[o].clone()).collect(),
            top: law.outcomes()[first].clone(),
            top_p: law.p(first),
            top_pi: law.pi(first),
        }
    }
}
