"""bestofn in Python: exact best-of-N laws and verdicts, as Fractions.

    >>> from fractions import Fraction
    >>> import bestofn
    >>> case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=2, n=2)
    >>> case.law()[(0, 0)]
    Fraction(49, 625)
    >>> case.check("bon-memoryless").verdict
    'fails'
    >>> bool(case.check("kl(bon, p) <= log(N)"))
    True

Exact values are Fractions; a value involving a logarithm is an Enclosure (lo, hi) of
Fractions that contains it. A verdict that the enclosures could not decide is "undecided",
and bool() of it raises instead of guessing. Bad input raises CaseError (a ValueError) with
the sentence the command line prints. The computations run in Rust without the GIL.
"""

import difflib
import html
import re
from fractions import Fraction
from typing import Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _native
from ._native import CaseError

__all__ = [
    "Case",
    "Law",
    "Verdict",
    "Enclosure",
    "CaseError",
    "Counterexample",
    "SearchResult",
    "ExhaustResult",
    "Tally",
    "catalogue",
    "vocabulary",
    "search",
    "exhaust",
]

Number = Union[Fraction, int, str, float]


def _exact(x: Number, what: str, exact_floats: bool) -> str:
    """One number as exact text; floats only when asked (converted exactly)."""
    if isinstance(x, bool):
        raise CaseError(f"{what}: {x!r} is a bool, not a number")
    if isinstance(x, float):
        if not exact_floats:
            raise CaseError(
                f"{what}: {x!r} is a float; give Fractions or strings such as '1/5', "
                "or pass exact_floats=True to convert each float exactly"
            )
        x = Fraction(x)
    if isinstance(x, Fraction):
        return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, str):
        return x.strip()
    raise CaseError(f"{what}: {x!r} is not a number")


def _list(values, what: str, exact_floats: bool) -> str:
    if isinstance(values, str):
        return values
    return ",".join(_exact(v, f"{what}[{i}]", exact_floats) for i, v in enumerate(values))


class Enclosure(NamedTuple):
    """A rigorous enclosure lo <= value <= hi, both ends exact Fractions."""

    lo: Fraction
    hi: Fraction

    def __repr__(self) -> str:
        return f"Enclosure({float(self.lo):.12g} <= x <= {float(self.hi):.12g})"


def _fraction(hex_text: str) -> Fraction:
    """`"num/den"` in hexadecimal (any size) as a Fraction. The library sends lowest terms,
    so the gcd Fraction() would take (seconds on W1's 20,000-digit values) is skipped."""
    num, den = hex_text.split("/")
    out = object.__new__(Fraction)
    out._numerator, out._denominator = int(num, 16), int(den, 16)
    return out


def _evidence_value(raw: Tuple[str, ...]):
    kind = raw[0]
    if kind == "exact":
        return _fraction(raw[1])
    if kind == "enclosure":
        return Enclosure(_fraction(raw[1]), _fraction(raw[2]))
    if kind == "sequence":
        return tuple(int(x) for x in raw[1].split(",") if x)
    return raw[1]


class Verdict:
    """A claim decided on a case: `.verdict` ("holds", "fails", "undecided", ...),
    `.evidence` (a dict of Fractions, Enclosures, sequences or sentences), `.precision` (bits
    of the enclosures that decided, or None when exact)."""

    def __init__(self, raw: dict):
        self.claim: str = raw["claim"]
        self.statement: str = raw["statement"]
        self.source: str = raw["source"]
        self.verdict: str = raw["verdict"]
        self.evidence: Dict[str, object] = {k: _evidence_value(v) for k, v in raw["evidence"]}
        self.precision: Optional[int] = raw["prec"]
        self._line: str = raw["line"]

    @property
    def holds(self) -> bool:
        return self.verdict == "holds"

    def __bool__(self) -> bool:
        if self.verdict in ("holds", "fails"):
            return self.verdict == "holds"
        raise ValueError(
            f"{self.claim} is {self.verdict} on this case; bool() would be a guess ({self._line})"
        )

    def __repr__(self) -> str:
        return f"Verdict({self.claim}: {self.verdict}; {self._line})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.evidence.items()
        )
        return (
            f"<p><b>{html.escape(self.claim)}</b>: {html.escape(self.verdict)}</p>"
            f"<p><code>{html.escape(self.statement)}</code></p>"
            f"<table><tr><th>evidence</th><th>value</th></tr>{rows}</table>"
            + (f"<p>precision: {self.precision} bits</p>" if self.precision else "")
        )

    def _repr_markdown_(self) -> str:
        rows = "\n".join(f"| {k} | {v} |" for k, v in self.evidence.items())
        return f"**{self.claim}**: {self.verdict}\n\n{self.statement}\n\n| evidence | value |\n|---|---|\n{rows}\n"


class Law(Mapping):
    """The exact best-of-N law: outcome (a tuple of letters, or of counts per letter when the
    law is by type) -> Fraction. `.p` gives the reference probabilities, `.total` the sum,
    `.classes` the outcomes of each reward class (lowest reward first), `.marginal(i)` the
    law of position i (by sequence)."""

    def __init__(self, native: "_native.NativeLaw"):
        self._native = native
        self.route: str = native.route
        self._pi: Dict[tuple, Fraction] = {}
        self.p: Dict[tuple, Fraction] = {}
        for outcome, p, pi in native.rows():
            self._pi[outcome] = _fraction(pi)
            self.p[outcome] = _fraction(p)
        order = list(self._pi)
        self.classes: List[List[tuple]] = [[order[i] for i in c] for c in native.classes]
        self._total: Optional[Fraction] = None

    def __getitem__(self, outcome) -> Fraction:
        return self._pi[tuple(outcome)]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._pi)

    def __len__(self) -> int:
        return len(self._pi)

    @property
    def total(self) -> Fraction:
        if self._total is None:
            # Summed in Rust over a common denominator: Fraction additions would take a gcd
            # of N-digit numbers per outcome.
            self._total = _fraction(self._native.total())
        return self._total

    def marginal(self, position: int) -> Dict[int, Fraction]:
        """The law of the letter at `position` (1 to m) under best-of-N: letter -> Fraction."""
        if self.route != "sequence":
            raise ValueError("marginals need the law by sequence: Case(..., by='sequence')")
        m = len(next(iter(self._pi)))
        if not 1 <= position <= m:
            raise ValueError(f"position {position} is outside 1..{m}")
        out: Dict[int, Fraction] = {}
        for outcome, v in self._pi.items():
            letter = outcome[position - 1]
            out[letter] = out.get(letter, Fraction(0)) + v
        return dict(sorted(out.items()))

    def to_pandas(self):
        """A pandas DataFrame indexed by outcome, with the exact `p` and `pi` (Fractions)
        and their nearest floats (`p_f64`, `pi_f64`). Needs pandas."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError("Law.to_pandas() needs pandas (pip install pandas)") from e
        outcomes = list(self._pi)
        frame = pandas.DataFrame(
            {
                "p": [self.p[o] for o in outcomes],
                "pi": [self._pi[o] for o in outcomes],
                "p_f64": [float(self.p[o]) for o in outcomes],
                "pi_f64": [float(self._pi[o]) for o in outcomes],
            },
            index=pandas.Index(outcomes, name=self.route, tupleize_cols=False),
        )
        return frame

    def __str__(self) -> str:
        return self._native.text()

    def __repr__(self) -> str:
        shown = ", ".join(f"{o}: {v}" for o, v in list(self._pi.items())[:8])
        more = "" if len(self) <= 8 else f", ... ({len(self)} outcomes)"
        return f"Law(by {self.route}: {shown}{more})"

    def _repr_html_(self) -> str:
        # The table as `bestofn law` prints it.
        return f"<pre>{html.escape(str(self))}</pre>"


_DEFAULT_DISTRIBUTIONS = {"A": "bon", "B": "p"}


def _argument(x) -> str:
    """One argument of a functional as claim-language text."""
    if isinstance(x, bool):
        raise TypeError(f"{x!r} is a bool, not an argument")
    if isinstance(x, Fraction):
        return f"({x.numerator}/{x.denominator})" if x.denominator != 1 else str(x.numerator)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, str):
        return x
    raise TypeError(f"{x!r}: give a Fraction, an int or claim-language text such as 'bon'")


_VOCABULARY_DOCS: Dict[str, List[Tuple[List[str], str]]] = {}
_NUMERIC: Dict[str, List[List[str]]] = {}


def _numeric_builtins() -> Dict[str, List[List[str]]]:
    """Numeric builtins of the claim language: name -> the parameter lists of its forms."""
    if not _NUMERIC:
        for name, params, result, doc in _native.vocabulary():
            _VOCABULARY_DOCS.setdefault(name, []).append((list(params), doc))
            if result == "Num" and not any(q in ("y", "E", "S") for q in params):
                _NUMERIC.setdefault(name, []).append(list(params))
    return _NUMERIC


def vocabulary() -> List[Tuple[str, List[str], str, str]]:
    """The claim language's builtins: (name, parameters, result type, meaning) per form."""
    return [(n, list(p), r, d) for n, p, r, d in _native.vocabulary()]


class Case:
    """A case: the per-letter reference pmf p, the reward, m, N, the tie-break, and the tilt
    parameters q, alpha, beta, delta where a claim needs them. `by` is "sequence" (outcomes
    are tuples of letters; the default while K^m <= 65536) or "type" (tuples of counts).

    Numbers may be Fractions, ints or exact strings ("1/5", "0.2"); floats only with
    exact_floats=True (each converted exactly). The reward is a spec string
    ("additive:0,1", "log:6,1,2") or a pair (kind, values).
    """

    def __init__(
        self,
        p: Union[str, Sequence[Number]],
        reward: Union[str, Tuple[str, Sequence[Number]], None] = None,
        m: int = 1,
        n: int = 1,
        tie_break: str = "uniform",
        q: Union[str, Sequence[Number], None] = None,
        alpha: Optional[Number] = None,
        beta: Optional[Number] = None,
        delta: Optional[Number] = None,
        by: Optional[str] = None,
        true_reward: Union[str, Tuple[str, Sequence[Number]], None] = None,
        exact_floats: bool = False,
    ):
        def spec(r):
            if isinstance(r, tuple):
                kind, values = r
                return f"{kind}:{_list(values, 'reward', exact_floats)}"
            return r

        one = lambda v, w: None if v is None else _exact(v, w, exact_floats)  # noqa: E731
        self._native = _native.NativeCase(
            _list(p, "p", exact_floats),
            spec(reward),
            int(m),
            int(n),
            tie_break,
            by,
            None if q is None else _list(q, "q", exact_floats),
            one(alpha, "alpha"),
            one(beta, "beta"),
            one(delta, "delta"),
            spec(true_reward),
        )
        self._view: Optional[dict] = None

    @classmethod
    def _of(cls, native) -> "Case":
        case = cls.__new__(cls)
        case._native = native
        case._view = None
        return case

    @classmethod
    def from_file(cls, path) -> "Case":
        """The case of a TOML case file (its settings; `bestofn check FILE` checks its
        expectations and claims)."""
        return cls._of(_native.NativeCase.from_file(str(path)))

    # The case's settings, as given.
    @property
    def settings(self) -> Dict[str, object]:
        """The settings as exact text (`p`, `reward`, `m`, `n`, `tie_break`, ...)."""
        return dict(self._native.settings())

    @property
    def m(self) -> int:
        return int(self._native.settings()["m"])

    @property
    def n(self) -> int:
        return int(self._native.settings()["n"])

    @property
    def tie_break(self) -> str:
        return str(self._native.settings()["tie_break"])

    @property
    def reward(self) -> Optional[str]:
        return self._native.settings()["reward"]

    # What code under test is given (by sequence, lexicographic order).
    def _outcome_view(self) -> dict:
        if self._view is None:
            raw = self._native.outcomes()
            view = {
                "outcomes": [tuple(o) for o in raw["outcomes"]],
                "p": [_fraction(x) for x in raw["p"]],
                "p_f64": list(raw["p_f64"]),
                "outcome_p": [_fraction(x) for x in raw["outcome_p"]],
                "outcome_p_f64": list(raw["outcome_p_f64"]),
                "outcome_reward_key": [_fraction(x) for x in raw["reward_key"]],
                "outcome_reward": [_evidence_value(tuple(r)) for r in raw["reward"]],
                "outcome_reward_f64": list(raw["reward_f64"]),
                "law": [_fraction(x) for x in raw["law"]],
            }
            self._view = view
        return self._view

    @property
    def k(self) -> int:
        """The alphabet size K."""
        return len(self.p)

    @property
    def p(self) -> List[Fraction]:
        """The reference probability of each letter, exact."""
        return self._outcome_view()["p"]

    @property
    def p_f64(self) -> List[float]:
        """The reference probability of each letter as the nearest float."""
        return self._outcome_view()["p_f64"]

    @property
    def outcomes(self) -> List[tuple]:
        """Every sequence of m letters, in lexicographic order (the order of the laws that
        `bestofn.testing` compares)."""
        return self._outcome_view()["outcomes"]

    @property
    def outcome_p(self) -> List[Fraction]:
        """p^m of each outcome, exact."""
        return self._outcome_view()["outcome_p"]

    @property
    def outcome_p_f64(self) -> List[float]:
        return self._outcome_view()["outcome_p_f64"]

    @property
    def outcome_reward(self) -> list:
        """The reward of each outcome: a Fraction (additive and score rewards), or an
        Enclosure of log of the product of weights (log rewards)."""
        return self._outcome_view()["outcome_reward"]

    @property
    def outcome_reward_key(self) -> List[Fraction]:
        """The exact key rewards are compared by: the sum (additive), the product of
        weights (log rewards: log is increasing), the score."""
        return self._outcome_view()["outcome_reward_key"]

    @property
    def outcome_reward_f64(self) -> List[float]:
        """The reward of each outcome as the nearest float: what model code receives."""
        return self._outcome_view()["outcome_reward_f64"]

    @property
    def exact_law(self) -> List[Fraction]:
        """The exact best-of-N law under uniform tie-breaking, per outcome of `outcomes`."""
        return self._outcome_view()["law"]

    def as_protocol(self):
        """The case as `bestofn_protocol` hands it to a program's functions (the same data
        `bestofn test-impl` sends), to call code written for the protocol in-process."""
        import json

        import bestofn_protocol

        return bestofn_protocol.Case(json.loads(self._native.protocol_case()))

    def value(self, expression: str, prec: int = 128):
        """A numeric expression of the claim language on this case ("kl(bon, p)",
        "E_y(bon, r(y))"): a Fraction where exact, else an Enclosure at `prec` bits."""
        return _evidence_value(tuple(self._native.value(expression, int(prec))))

    def __getattr__(self, name: str):
        # Every numeric functional of the claim language by name: case.kl() is
        # kl(bon, p), case.renyi(2) is renyi(2, bon, p), case.choose(5, 2) is choose(5, 2).
        rows = _numeric_builtins().get(name)
        if name.startswith("_") or rows is None:
            raise AttributeError(f"'Case' has no attribute '{name}'")

        def functional(*args, prec: int = 128):
            given = [_argument(a) for a in args]
            for params in sorted(rows, key=len):
                missing = params[len(given):]
                if len(params) >= len(given) and all(q in _DEFAULT_DISTRIBUTIONS for q in missing):
                    given += [_DEFAULT_DISTRIBUTIONS[q] for q in missing]
                    text = f"{name}({', '.join(given)})" if params else name
                    return self.value(text, prec)
            forms = " or ".join(f"{name}({', '.join(p)})" for p in rows)
            raise TypeError(f"case.{name} takes {forms}; got {len(given)} arguments")

        functional.__name__ = name
        functional.__doc__ = "; ".join(doc for _, doc in _VOCABULARY_DOCS.get(name, []))
        return functional

    def law(self) -> Law:
        """The exact best-of-N law (by sequence, or by type where the case asks for it)."""
        return Law(self._native.law())

    def check(self, claim: str) -> Verdict:
        """Decides a catalogue claim by id, or a statement of the claim language
        ("kl(bon, p) <= log(N)")."""
        if re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)+", claim.strip()):
            ids = [c[0] for c in catalogue()]
            if claim.strip() not in ids:
                near = difflib.get_close_matches(claim.strip(), ids, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                raise CaseError(
                    f"unknown claim '{claim.strip()}'{hint} (bestofn.catalogue() lists them)"
                )
        return Verdict(self._native.check(claim))

    def check_catalogue(self) -> List[Verdict]:
        """Every catalogue claim, in catalogue order."""
        return [Verdict(r) for r in self._native.check_catalogue()]

    def __repr__(self) -> str:
        return f"Case({self._native.flags()})"

    def _repr_markdown_(self) -> str:
        return f"`bestofn law {self._native.flags()}`"


def catalogue() -> List[Tuple[str, str, str]]:
    """The claim catalogue: (id, source, statement) per claim."""
    return list(_native.catalogue())


class Tally(NamedTuple):
    """Verdict counts over a search or a grid. `undecided` includes `undefined` (a log of an
    exact 0 on the case); `not_applicable_because` is the first case's missing hypothesis."""

    holds: int
    fails: int
    undecided: int
    undefined: int
    not_applicable: int
    measured: int
    not_applicable_because: Optional[str]


class Counterexample:
    """A case on which a claim fails, re-checkable from this object alone.

    `.case` is the minimal (shrunk) case and `.verdict` the claim decided on it with its
    evidence; `.original` and `.original_verdict` are the case as found; `.replay` is the
    command that decides it again in a fresh process; `.json`, `.markdown` and `.toml` are
    the texts of counterexample.json (for `bestofn recheck`), .md and .toml (a case file).
    """

    def __init__(self, raw: dict):
        self.index: int = raw["index"]
        self.case: Case = Case._of(raw["case"])
        self.original: Case = Case._of(raw["original"])
        self.verdict: Verdict = Verdict(raw["verdict"])
        self.original_verdict: Verdict = Verdict(raw["original_verdict"])
        self.replay: str = raw["replay"]
        self.json: str = raw["json"]
        self.markdown: str = raw["markdown"]
        self.toml: str = raw["toml"]

    def save(self, directory) -> None:
        """Writes counterexample.json, .md and .toml into `directory` (made if needed), as
        `bestofn search --report DIR` does."""
        import os

        os.makedirs(directory, exist_ok=True)
        for ext in ("json", "md", "toml"):
            text = {"json": self.json, "md": self.markdown, "toml": self.toml}[ext]
            with open(os.path.join(directory, f"counterexample.{ext}"), "w") as out:
                out.write(text)

    def __repr__(self) -> str:
        return f"Counterexample({self.verdict.claim} fails on {self.case!r}; replay: {self.replay})"

    def _repr_markdown_(self) -> str:
        return self.markdown

    def _repr_html_(self) -> str:
        return (
            f"<p>Counterexample to <b>{html.escape(self.verdict.claim)}</b> "
            f"(case {self.index})</p>"
            f"<pre>{html.escape(self.toml)}</pre>"
            + self.verdict._repr_html_()
            + f"<p>Replay: <code>{html.escape(self.replay)}</code></p>"
        )


def _tally(raw: dict) -> Tally:
    return Tally(**raw)


class SearchResult:
    """What `bestofn.search` found: `.cases` decided in `.seconds`, the `.tally` of verdicts,
    and `.counterexample` (shrunk), or None. `bool()` is True when none was found."""

    def __init__(self, raw: dict, seed: int):
        self.claim: str = raw["claim"]
        self.cases: int = raw["cases"]
        self.seconds: float = raw["seconds"]
        self.seed = seed
        self.tally: Tally = _tally(raw["tally"])
        cx = raw["counterexample"]
        self.counterexample: Optional[Counterexample] = Counterexample(cx) if cx else None
        self.text: str = raw["text"]

    def __bool__(self) -> bool:
        return self.counterexample is None

    def __repr__(self) -> str:
        found = repr(self.counterexample) if self.counterexample else "no counterexample"
        return f"SearchResult({self.claim}: {self.cases} cases, seed {self.seed}; {found})"

    def _repr_markdown_(self) -> str:
        out = f"```\n{self.text}```\n"
        return out + ("\n" + self.counterexample.markdown if self.counterexample else "")


class ExhaustResult:
    """What `bestofn.exhaust` found on its grid: `.cases` (all of `.grid` unless a
    counterexample stopped it), `.tally`, `.counterexample` (the first in grid order) or None.
    `.certified` is True when the claim held on every case of the grid, nothing undecided."""

    def __init__(self, raw: dict):
        self.claim: str = raw["claim"]
        self.grid: str = raw["grid"]
        self.cases: int = raw["cases"]
        self.seconds: float = raw["seconds"]
        self.tally: Tally = _tally(raw["tally"])
        cx = raw["counterexample"]
        self.counterexample: Optional[Counterexample] = Counterexample(cx) if cx else None
        self.text: str = raw["text"]
        self.certified: bool = raw["certified"]

    def __repr__(self) -> str:
        if self.counterexample:
            return f"ExhaustResult({self.claim}: {self.counterexample!r})"
        return f"ExhaustResult({self.claim}: {self.tally.holds} of {self.cases} cases hold; grid {self.grid})"

    def _repr_markdown_(self) -> str:
        out = f"```\n{self.text}```\n"
        return out + ("\n" + self.counterexample.markdown if self.counterexample else "")


def _span(value, what: str):
    """An inclusive range as (lo, hi): an int, a (lo, hi) pair or a range(); None: default."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CaseError(f"{what}: {value!r} is a bool, not a number or range")
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, range) and value.step == 1 and len(value) > 0:
        return (value.start, value.stop - 1)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        if min(value) < 0:
            raise CaseError(f"{what}: {tuple(value)} has a negative end")
        return (value[0], value[1])
    raise CaseError(f"{what}: {value!r} is not a number, a (lo, hi) pair or a range")


def _whole(value, what: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CaseError(f"{what}: {value!r} is not a whole number")
    return value


def _progress(progress):
    """progress=True: a one-line counter on stderr; a callable gets (done, total, found)."""
    if progress is True:
        import sys

        def show(done, total, found):
            of = f"/{total}" if total else ""
            sys.stderr.write(f"\r{done}{of} cases, {found} counterexamples")
            sys.stderr.flush()

        return show
    return progress or None


def _end_progress(progress) -> None:
    if progress is True:
        import sys

        sys.stderr.write("\n")


def search(
    claim: str,
    *,
    k=None,
    m=None,
    n=None,
    trials: Optional[int] = None,
    time: Optional[float] = None,
    seed: int = 1,
    jobs: Optional[int] = None,
    shrink: bool = True,
    without_hypothesis: Optional[str] = None,
    progress=None,
) -> SearchResult:
    """Searches for a counterexample to `claim` (a catalogue id, or a statement of the claim
    language such as "kl(bon, p) <= log(N)") over generated cases, as `bestofn search` does.

    k, m, n: the space (an int, a (lo, hi) pair or a range; default K in 2..32, m in 1..2,
    N in 1..16). trials (default 100000) or time in seconds. The same seed gives the same
    cases and the same first counterexample, whatever `jobs`. The counterexample found is
    shrunk unless shrink=False. Ctrl-C stops the search; progress=True shows a counter.
    """
    raw = _native.search(
        claim,
        _span(k, "k"),
        _span(m, "m"),
        _span(n, "n"),
        _whole(trials, "trials"),
        time,
        _whole(seed, "seed"),
        _whole(jobs, "jobs"),
        bool(shrink),
        without_hypothesis,
        _progress(progress),
    )
    _end_progress(progress)
    return SearchResult(raw, seed)


def exhaust(
    claim: str,
    *,
    k=None,
    m=None,
    n=None,
    den: Optional[int] = None,
    values: Optional[Sequence[int]] = None,
    alpha: Optional[Number] = None,
    beta: Optional[Number] = None,
    delta: Optional[Number] = None,
    jobs: Optional[int] = None,
    without_hypothesis: Optional[str] = None,
    progress=None,
) -> ExhaustResult:
    """Decides `claim` on every case of a finite grid, as `bestofn exhaust` does: every pmf
    on K letters in steps of 1/den (default 12), every ranking of the letters with ties when
    m = 1 (per-letter `values`, default 0..3, when m >= 2), N in `n`; default K in 2..3, m = 1,
    N in 1..8. The result is a certified "holds on all C cases" or the first counterexample.
    """
    exact = lambda x, what: None if x is None else _exact(x, what, False)
    raw = _native.exhaust(
        claim,
        _span(k, "k"),
        _span(m, "m"),
        _span(n, "n"),
        _whole(den, "den"),
        None if values is None else [int(v) for v in values],
        exact(alpha, "alpha"),
        exact(beta, "beta"),
        exact(delta, "delta"),
        _whole(jobs, "jobs"),
        without_hypothesis,
        _progress(progress),
    )
    _end_progress(progress)
    return ExhaustResult(raw)
