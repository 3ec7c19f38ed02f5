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
import re
from fractions import Fraction
from typing import Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _native
from ._native import CaseError

__all__ = ["Case", "Law", "Verdict", "Enclosure", "CaseError", "catalogue"]

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

    def _repr_markdown_(self) -> str:
        rows = "\n".join(f"| {k} | {v} |" for k, v in self.evidence.items())
        return f"**{self.claim}**: {self.verdict}\n\n{self.statement}\n\n| evidence | value |\n|---|---|\n{rows}\n"


class Law(Mapping):
    """The exact best-of-N law: outcome (a tuple of letters, or of counts per letter when the
    law is by type) -> Fraction. `.p` gives the reference probabilities, `.total` the sum."""

    def __init__(self, route: str, rows):
        self.route = route
        self._pi: Dict[tuple, Fraction] = {}
        self.p: Dict[tuple, Fraction] = {}
        for outcome, p, pi in rows:
            self._pi[tuple(outcome)] = _fraction(pi)
            self.p[tuple(outcome)] = _fraction(p)

    def __getitem__(self, outcome) -> Fraction:
        return self._pi[tuple(outcome)]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._pi)

    def __len__(self) -> int:
        return len(self._pi)

    @property
    def total(self) -> Fraction:
        return sum(self._pi.values(), Fraction(0))

    def __repr__(self) -> str:
        shown = ", ".join(f"{o}: {v}" for o, v in list(self._pi.items())[:8])
        more = "" if len(self) <= 8 else f", ... ({len(self)} outcomes)"
        return f"Law(by {self.route}: {shown}{more})"

    def _repr_html_(self) -> str:
        head = "sequence" if self.route == "sequence" else "counts per letter"
        rows = "".join(
            f"<tr><td>{o}</td><td>{self.p[o]}</td><td>{v}</td></tr>" for o, v in self._pi.items()
        )
        return f"<table><tr><th>{head}</th><th>p</th><th>π_N</th></tr>{rows}</table>"


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
        exact_floats: bool = False,
    ):
        if isinstance(reward, tuple):
            kind, values = reward
            reward = f"{kind}:{_list(values, 'reward', exact_floats)}"
        one = lambda v, w: None if v is None else _exact(v, w, exact_floats)  # noqa: E731
        p_text = _list(p, "p", exact_floats)
        if by is None:
            # By sequence (outcomes are tuples of letters) while the sequences are few.
            by = "sequence" if (p_text.count(",") + 1) ** int(m) <= 1 << 16 else "type"
        self._native = _native.NativeCase(
            p_text,
            reward,
            int(m),
            int(n),
            tie_break,
            by,
            None if q is None else _list(q, "q", exact_floats),
            one(alpha, "alpha"),
            one(beta, "beta"),
            one(delta, "delta"),
        )

    def law(self) -> Law:
        """The exact best-of-N law (by sequence, or by type where the case asks for it)."""
        return Law(*self._native.law())

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


def catalogue() -> List[Tuple[str, str, str]]:
    """The claim catalogue: (id, source, statement) per claim."""
    return list(_native.catalogue())
