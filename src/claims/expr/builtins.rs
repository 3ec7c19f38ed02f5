//! The vocabulary of the claim language: one table. The type checker resolves names through
//! it, "did you mean" suggestions and helper-name checks read it, and the vocabulary table of
//! docs/claim-language.md is generated from it ([`vocabulary_markdown`]; a test keeps the doc
//! equal to it). The evaluators match [`Builtin`] exhaustively, so a builtin added here does
//! not compile until both (the exact/enclosure one and compare's float one) handle it.

/// The types of the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    /// An exact rational or an enclosure.
    Num,
    /// A distribution over the case's outcomes.
    Dist,
    /// A statement (three-valued).
    Bool,
    /// An outcome (the bound `y`).
    Outcome,
}

impl Type {
    /// The type in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Type::Num => "a number",
            Type::Dist => "a distribution",
            Type::Bool => "a statement (a relation)",
            Type::Outcome => "an outcome",
        }
    }
}

/// One parameter of a builtin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// An argument of this type, in the caller's scope.
    Of(Type),
    /// A body of this type with a fresh outcome bound over every outcome (`y` in `sum_y`,
    /// `z` in `sum_z`).
    Body(Type),
    /// A body of this type with a fresh integer bound over the range of the two arguments
    /// before it (`n` in `sum_n(1, N, E)`).
    IntBody(Type),
}

impl Param {
    /// Whether the parameter binds a variable.
    pub fn binds(self) -> bool {
        matches!(self, Param::Body(_) | Param::IntBody(_))
    }
}

/// Whether a builtin's values are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exactness {
    /// Always an exact rational.
    Exact,
    /// Exact where the value is rational (`log 1`, `exp 0`, a square root of a square),
    /// else an enclosure.
    ExactWhenRational,
    /// Exact for an exact integer argument, else an enclosure.
    ExactForIntegers,
    /// Exact for additive rewards, an enclosure for log rewards.
    ExactForAdditive,
    /// As exact as its arguments or body.
    AsArguments,
    /// An enclosure (exact only in degenerate cases, such as equal distributions).
    Enclosed,
    /// Three-valued: decided, or undecided at the precision cap.
    ThreeValued,
}

impl Exactness {
    /// For the vocabulary table.
    pub fn describe(self) -> &'static str {
        match self {
            Exactness::Exact => "exact",
            Exactness::ExactWhenRational => "exact when rational, else enclosed",
            Exactness::ExactForIntegers => "exact for an integer argument, else enclosed",
            Exactness::ExactForAdditive => "exact (additive) / enclosed (log)",
            Exactness::AsArguments => "as its arguments",
            Exactness::Enclosed => "enclosed",
            Exactness::ThreeValued => "three-valued",
        }
    }
}

/// What a builtin needs of the case beyond p, the reward and N (a hypothesis of any claim
/// that uses it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing more.
    Nothing,
    /// An alignment distribution q (`--q`, or a log reward's weights): hypothesis `q-given`.
    Q,
    /// A per-letter KL budget (`--delta`): hypothesis `delta-given`.
    Delta,
    /// A second, true reward (`--true-reward`): hypothesis `true-reward-given`.
    TrueReward,
    /// Positions of a sequence: the law is taken per sequence (K^m outcomes).
    Sequences,
}

/// Every builtin name of the language, each with one row of [`TABLE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each variant is documented by its row of TABLE
pub enum Builtin {
    N,
    M,
    K,
    EpsInf,
    P,
    Q,
    Bon,
    BonOf,
    Tilt,
    Phi,
    Log,
    Exp,
    Sqrt,
    Abs,
    Min,
    Max,
    If,
    Reward,
    Cdf,
    CdfBelow,
    SumY,
    MaxY,
    MinY,
    ExpectY,
    ForallY,
    ExistsY,
    Kl,
    Chi2,
    Renyi,
    Tv,
    Entropy,
    CrossEntropy,
    Winrate,
    WinrateStrict,
    Won,
    WonOf,
    BonOfDist,
    BonOfDistN,
    SoftBon,
    SoftBonN,
    DistY,
    Calibrated,
    Budget,
    Alpha,
    SumN,
    RewardTrue,
    CdfTrue,
    CdfBelowTrue,
    CalibratedTrue,
    BonTrue,
    BonTrueOf,
    WinrateTrue,
    Choose,
    Letter,
    Swap,
    Marginal,
    ProdN,
}

/// One row of the vocabulary.
#[derive(Debug)]
pub struct Row {
    /// The builtin.
    pub builtin: Builtin,
    /// Its name in the language.
    pub name: &'static str,
    /// Its parameters (none: a bare name).
    pub params: &'static [Param],
    /// The names of its parameters, for the vocabulary table.
    pub param_names: &'static [&'static str],
    /// Its type.
    pub result: Type,
    /// Whether its value is exact.
    pub exactness: Exactness,
    /// What it needs of the case.
    pub needs: Needs,
    /// Its meaning, one line for the vocabulary table.
    pub doc: &'static str,
}

use Param::{Body, IntBody, Of};
use Type::{Bool, Dist, Num, Outcome};

macro_rules! row {
    ($b:ident, $name:literal, [$($p:expr),*], [$($pn:literal),*], $t:ident, $e:ident, $n:ident, $doc:literal) => {
        Row {
            builtin: Builtin::$b,
            name: $name,
            params: &[$($p),*],
            param_names: &[$($pn),*],
            result: $t,
            exactness: Exactness::$e,
            needs: Needs::$n,
            doc: $doc,
        }
    };
}

/// The vocabulary, in the order the docs list it. The only place a builtin's name is spelled.
pub const TABLE: &[Row] = &[
    row!(N, "N", [], [], Num, Exact, Nothing, "the case's number of draws N"),
    row!(M, "m", [], [], Num, Exact, Nothing, "the sequence length m"),
    row!(K, "K", [], [], Num, Exact, Nothing, "the alphabet size K"),
    row!(EpsInf, "eps_inf", [], [], Num, Exact, Nothing, "p of the top reward class"),
    row!(P, "p", [], [], Dist, Exact, Nothing, "the reference law p^m"),
    row!(Q, "q", [], [], Dist, Exact, Q, "the alignment distribution (`--q`, or the weights of a log reward), normalised, q^m"),
    row!(Bon, "bon", [], [], Dist, Exact, Nothing, "the best-of-N law at the case's N"),
    row!(BonOf, "bon", [Of(Num)], ["n"], Dist, Exact, Nothing, "the best-of-n law at another exact positive integer n (`bon(N+1)`)"),
    row!(Won, "won", [], [], Dist, Exact, Nothing, "worst-of-N: keep the draw of lowest reward (ties shared uniformly), at the case's N"),
    row!(WonOf, "won", [Of(Num)], ["n"], Dist, Exact, Nothing, "worst-of-n at another exact positive integer n"),
    row!(BonOfDist, "bon_of", [Of(Dist)], ["D"], Dist, AsArguments, Nothing, "best-of-N of draws from D instead of p (ties shared uniformly): `bon_of(tilt(1))`, `bon_of(bon)`"),
    row!(BonOfDistN, "bon_of", [Of(Num), Of(Dist)], ["n", "D"], Dist, AsArguments, Nothing, "best-of-n of draws from D, n an exact positive integer"),
    row!(SoftBon, "softbon", [Of(Num)], ["lambda"], Dist, ExactWhenRational, Nothing, "soft best-of-N at temperature lambda > 0: draw N from p, keep draw i with probability exp(r(Y_i)/lambda) / sum_j exp(r(Y_j)/lambda); exact for log rewards with 1/lambda an integer, enclosed otherwise"),
    row!(SoftBonN, "softbon", [Of(Num), Of(Num)], ["n", "lambda"], Dist, ExactWhenRational, Nothing, "soft best-of-n at temperature lambda"),
    row!(DistY, "dist_y", [Body(Num)], ["E"], Dist, AsArguments, Nothing, "the distribution proportional to E >= 0 (a negative value or a zero total is undefined)"),
    row!(BonTrue, "bon_true", [], [], Dist, Exact, TrueReward, "the oracle best-of-N: keep the draw of highest true reward (ties shared uniformly)"),
    row!(BonTrueOf, "bon_true", [Of(Num)], ["n"], Dist, Exact, TrueReward, "the oracle best-of-n at another exact positive integer n"),
    row!(Tilt, "tilt", [Of(Num)], ["a"], Dist, ExactForIntegers, Q, "T(q, p, a) = p q^a / sum p q^a (exact zeros where p is 0)"),
    row!(Phi, "phi", [], [], Dist, Enclosed, Delta, "the KL-constrained optimum phi_Delta at the per-letter budget `--delta` (Delta = m delta): the product of the per-letter tilt of p by the reward, alpha(delta) bracketed rigorously (Lemmas 1 and 4 of 2404.01730); p at delta = 0, p on the top class past ln 1/p(top)"),
    row!(Budget, "Delta", [], [], Num, Exact, Delta, "the KL budget Delta = m delta of phi"),
    row!(Alpha, "alpha", [], [], Num, Enclosed, Delta, "alpha(Delta), the tilt parameter of phi: the certified bracket phi is computed from (the budget must lie in (0, ln 1/p(top)))"),
    row!(Log, "log", [Of(Num)], ["x"], Num, ExactWhenRational, Nothing, "natural logarithm (`log 1 = 0`; an exact 0 or negative argument is an error)"),
    row!(Exp, "exp", [Of(Num)], ["x"], Num, ExactWhenRational, Nothing, "exponential (`exp 0 = 1`; exp of a sum of logarithms with integer coefficients is that exact rational: `exp(r(y))` of a log reward is its weight)"),
    row!(Sqrt, "sqrt", [Of(Num)], ["x"], Num, ExactWhenRational, Nothing, "square root (square roots of squares stay exact)"),
    row!(Choose, "choose", [Of(Num), Of(Num)], ["n", "k"], Num, Exact, Nothing, "the binomial coefficient C(n, k) of exact integers 0 <= k <= n <= 65536 (0 for k outside 0..n)"),
    row!(Abs, "abs", [Of(Num)], ["x"], Num, AsArguments, Nothing, "absolute value"),
    row!(Min, "min", [Of(Num), Of(Num)], ["a", "b"], Num, AsArguments, Nothing, "the smaller of a and b"),
    row!(Max, "max", [Of(Num), Of(Num)], ["a", "b"], Num, AsArguments, Nothing, "the larger of a and b"),
    row!(If, "if", [Of(Bool), Of(Num), Of(Num)], ["S", "a", "b"], Num, AsArguments, Nothing, "`a` where the statement S holds, else `b` (both enclosures' hull while S is undecided; equal branches need no S); `if(p(y) == 1, 0, ...)` guards a `log 0`"),
    row!(Reward, "r", [Of(Outcome)], ["y"], Num, ExactForAdditive, Nothing, "the reward of y (`log` of the product of weights for log rewards)"),
    row!(Cdf, "F", [Of(Outcome)], ["y"], Num, Exact, Nothing, "P_p(r <= r(y))"),
    row!(CdfBelow, "F_below", [Of(Outcome)], ["y"], Num, Exact, Nothing, "P_p(r < r(y))"),
    row!(Calibrated, "C", [Of(Outcome)], ["y"], Num, Exact, Nothing, "the calibrated reward P_p(r < r(y)) + P_p(r = r(y))/2 (InfAlign)"),
    row!(RewardTrue, "rt", [Of(Outcome)], ["y"], Num, ExactForAdditive, TrueReward, "the true reward of y"),
    row!(CdfTrue, "Ft", [Of(Outcome)], ["y"], Num, Exact, TrueReward, "P_p(rt <= rt(y))"),
    row!(CdfBelowTrue, "Ft_below", [Of(Outcome)], ["y"], Num, Exact, TrueReward, "P_p(rt < rt(y))"),
    row!(CalibratedTrue, "Ct", [Of(Outcome)], ["y"], Num, Exact, TrueReward, "the calibrated true reward P_p(rt < rt(y)) + P_p(rt = rt(y))/2"),
    row!(Letter, "letter", [Of(Outcome), Of(Num)], ["y", "i"], Num, Exact, Sequences, "`y[i]` (or `letter(y, i)`): the letter, 0 to K-1, at position i (1 to m) of the sequence y (an index out of range is undefined)"),
    row!(Swap, "swap", [Of(Outcome), Of(Num), Of(Num)], ["y", "i", "j"], Outcome, Exact, Sequences, "the sequence y with positions i and j exchanged: `bon(swap(y, 1, 2))` (exchangeability as a statement)"),
    row!(Marginal, "marginal", [Of(Dist), Of(Num), Of(Outcome)], ["D", "i", "y"], Num, AsArguments, Sequences, "P_D(Y_i = y[i]): the law of position i under D at the letter y has there"),
    row!(SumY, "sum_y", [Body(Num)], ["E"], Num, AsArguments, Nothing, "the sum of E over every outcome y"),
    row!(MaxY, "max_y", [Body(Num)], ["E"], Num, AsArguments, Nothing, "the largest E over every outcome y"),
    row!(MinY, "min_y", [Body(Num)], ["E"], Num, AsArguments, Nothing, "the smallest E over every outcome y"),
    row!(SumN, "sum_n", [Of(Num), Of(Num), IntBody(Num)], ["a", "b", "E"], Num, AsArguments, Nothing, "the sum of E over the integers n = a, a+1, ..., b (exact integers; empty when b < a)"),
    row!(ProdN, "prod_n", [Of(Num), Of(Num), IntBody(Num)], ["a", "b", "E"], Num, AsArguments, Nothing, "the product of E over the integers n = a, a+1, ..., b (1 when b < a): `prod_i(1, m, marginal(bon, i, y))`"),
    row!(ExpectY, "E_y", [Of(Dist), Body(Num)], ["D", "E"], Num, AsArguments, Nothing, "the expectation of E under y ~ D"),
    row!(ForallY, "forall_y", [Body(Bool)], ["S"], Bool, ThreeValued, Nothing, "S holds at every y of the support of p; the witness outcome and its values are evidence"),
    row!(ExistsY, "exists_y", [Body(Bool)], ["S"], Bool, ThreeValued, Nothing, "S holds at some y of the support of p; the witness outcome and its values are evidence"),
    row!(Kl, "kl", [Of(Dist), Of(Dist)], ["A", "B"], Num, Enclosed, Nothing, "KL(A || B), natural logs (A > 0 = B somewhere is an error: infinite)"),
    row!(Chi2, "chi2", [Of(Dist), Of(Dist)], ["A", "B"], Num, Exact, Nothing, "chi-square divergence sum A^2/B - 1"),
    row!(Renyi, "renyi", [Of(Num), Of(Dist), Of(Dist)], ["a", "A", "B"], Num, Enclosed, Nothing, "Renyi divergence of order a, log(sum A^a B^(1-a)) / (a - 1)"),
    row!(Tv, "tv", [Of(Dist), Of(Dist)], ["A", "B"], Num, Exact, Nothing, "total variation distance"),
    row!(Entropy, "entropy", [Of(Dist)], ["A"], Num, Enclosed, Nothing, "Shannon entropy, natural logs"),
    row!(CrossEntropy, "cross_entropy", [Of(Dist), Of(Dist)], ["A", "B"], Num, Enclosed, Nothing, "cross-entropy -sum A log B"),
    row!(Winrate, "winrate", [Of(Dist), Of(Dist)], ["A", "B"], Num, Exact, Nothing, "P(r(Y) > r(Z)) + 1/2 P(r(Y) = r(Z)), Y ~ A, Z ~ B"),
    row!(WinrateStrict, "winrate_strict", [Of(Dist), Of(Dist)], ["A", "B"], Num, Exact, Nothing, "P(r(Y) > r(Z)), Y ~ A, Z ~ B"),
    row!(WinrateTrue, "winrate_true", [Of(Dist), Of(Dist)], ["A", "B"], Num, Exact, TrueReward, "the win rate under the true reward, P(rt(Y) > rt(Z)) + 1/2 P(rt(Y) = rt(Z))"),
];

/// The name of the bound outcome.
pub const BOUND_OUTCOME: &str = "y";

impl Builtin {
    /// The builtin's row.
    pub fn row(self) -> &'static Row {
        TABLE
            .iter()
            .find(|r| r.builtin == self)
            .expect("every builtin has a row (tested)")
    }

    /// Its name in the language.
    pub fn name(self) -> &'static str {
        self.row().name
    }
}

/// The rows named `name` (`bon` has two: the law at N, and `bon(n)`). A binder may be spelled
/// with any variable: `sum_z` names the rows of `sum_y` (and `sum_n`), binding `z`.
pub fn rows_named(name: &str) -> impl Iterator<Item = &'static Row> + '_ {
    let prefix = binder_split(name).map(|(prefix, _)| prefix);
    let binder = move |r: &Row| r.binds() && binder_split(r.name).map(|(p, _)| p) == prefix;
    let as_binder = prefix.is_some() && TABLE.iter().any(binder);
    TABLE
        .iter()
        .filter(move |r| if as_binder { binder(r) } else { r.name == name })
}

/// `sum_z` as `("sum", "z")`: a prefix and a variable name (a lowercase letter, then letters
/// or digits).
fn binder_split(name: &str) -> Option<(&str, &str)> {
    let (prefix, var) = name.split_once('_')?;
    let mut chars = var.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric())).then_some((prefix, var))
}

/// The variable a binder's name binds (`sum_z`: `z`), if `name` names a binder.
pub fn bound_var(name: &str) -> Option<&str> {
    let (_, var) = binder_split(name)?;
    rows_named(name).any(Row::binds).then_some(var)
}

impl Row {
    /// Whether the builtin binds a variable in one of its arguments.
    pub fn binds(&self) -> bool {
        self.params.iter().any(|p| p.binds())
    }
}

/// Whether `name` is taken by the language (a builtin, a binder spelled with any variable, or
/// the default bound outcome).
pub fn is_reserved(name: &str) -> bool {
    name == BOUND_OUTCOME || rows_named(name).next().is_some()
}

/// The nearest name of the language to an unknown one (edit distance at most 2).
pub fn nearest(name: &str) -> Option<&'static str> {
    TABLE
        .iter()
        .map(|r| r.name)
        .chain([BOUND_OUTCOME])
        .map(|k| (crate::claims::edit_distance(name, k), k))
        .min()
        .filter(|(d, _)| *d <= 2)
        .map(|(_, k)| k)
}

/// The syntax rows of the vocabulary table (not builtins: numbers, operators, applying a
/// distribution, the bound outcome).
const SYNTAX_ROWS: &[(&str, &str, &str)] = &[
    ("`3`, `1/2`, `0.25`", "exact rationals", "exact"),
    ("`+ - * / ^`, unary `-`", "arithmetic; `^` with an integer exponent up to 65536 in size stays exact (a larger one is enclosed by repeated squaring), any other is `exp(b log a)` (an exact 0 to a positive power is 0)", "exact / enclosed"),
    ("`D(y)`", "the probability distribution D gives outcome y (`p(y)`, `bon(y)`, `bon(N+1)(y)`, `tilt(1/2)(y)`)", "as D"),
    ("`y`, `z`, ...", "a bound variable: every binder may name its own (`sum_z(...)`, `forall_w(...)`, `sum_k(1, N, ...)`), so binders nest (`sum_y(sum_z(p(y) * p(z)))`); an inner binder may not reuse an outer one's name", "-"),
    ("`<= < >= > == !=`, `and or not implies`", "relations and connectives", "three-valued"),
];

/// The vocabulary table of docs/claim-language.md, generated from [`TABLE`].
pub fn vocabulary_markdown() -> String {
    let mut out = String::from("| name | meaning | exact or enclosed |\n|---|---|---|\n");
    let (first, rest) = SYNTAX_ROWS.split_at(1);
    for (name, meaning, exact) in first {
        out.push_str(&format!("| {name} | {meaning} | {exact} |\n"));
    }
    for r in TABLE {
        let call = if r.params.is_empty() {
            r.name.to_string()
        } else {
            format!("{}({})", r.name, r.param_names.join(", "))
        };
        let needs = match r.needs {
            Needs::Nothing => "",
            Needs::Q => "; needs q (hypothesis `q-given`)",
            Needs::Delta => "; needs `--delta` (hypothesis `delta-given`)",
            Needs::TrueReward => "; needs `--true-reward` (hypothesis `true-reward-given`)",
            Needs::Sequences => "; the law is then taken per sequence (at most 65536 of them)",
        };
        // A pipe inside a cell would end it.
        out.push_str(&format!(
            "| `{call}` | {}{needs} | {} |\n",
            r.doc.replace('|', "\\|"),
            r.exactness.describe()
        ));
    }
    for (name, meaning, exact) in rest {
        out.push_str(&format!("| {name} | {meaning} | {exact} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_exactly_one_row_and_params_match_their_names() {
        for r in TABLE {
            assert_eq!(TABLE.iter().filter(|o| o.builtin == r.builtin).count(), 1);
            assert_eq!(r.params.len(), r.param_names.len(), "{}", r.name);
            assert_eq!(r.builtin.row().name, r.name);
        }
        // Two rows share a name (or a binder's prefix) only when their arities differ (the
        // checker picks by them).
        for r in TABLE {
            for o in rows_named(r.name) {
                assert!(o.builtin == r.builtin || o.params.len() != r.params.len());
            }
        }
    }

    #[test]
    fn binders_take_any_variable_and_other_names_stay_exact() {
        let names = |n: &str| rows_named(n).map(|r| r.builtin).collect::<Vec<_>>();
        assert_eq!(names("sum_z"), [Builtin::SumY, Builtin::SumN]);
        assert_eq!(names("sum_y"), names("sum_k"));
        assert_eq!(names("forall_w2"), [Builtin::ForallY]);
        assert_eq!(names("F_below"), [Builtin::CdfBelow]);
        assert_eq!(names("bon_of"), [Builtin::BonOfDist, Builtin::BonOfDistN]);
        assert_eq!(bound_var("E_z"), Some("z"));
        assert_eq!(bound_var("F_below"), None);
        assert_eq!(bound_var("sum_Z"), None);
        assert!(is_reserved("max_u") && !is_reserved("u"));
    }
}
