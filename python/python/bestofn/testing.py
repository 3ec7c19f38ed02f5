"""Assertions for pytest: your own best-of-N code against the exact law.

    >>> import bestofn
    >>> from bestofn.testing import assert_law_close
    >>> case = bestofn.Case(p=["1/2", "1/2"], reward="additive:0,0", n=2)
    >>> assert_law_close([0.5, 0.5], case)
    >>> assert_law_close([0.25, 0.75], case)
    Traceback (most recent call last):
    ...
    bestofn.testing.LawMismatch: the law differs from the exact value on the case: bestofn law --p 1/2,1/2 --reward additive:0,0 --tie-break uniform --m 1 --n 2
      worst: pi(0): expected 1/2, got 0.25 (error 2.500e-1, 2.252e15 ulps)
      pi(1): expected 1/2, got 0.75 (error 2.500e-1, 2.252e15 ulps)
    diagnosis: matches the lex-max tie-break law on this case: your code breaks reward ties by outcome index (the largest outcome index wins)

The judgement is test-impl's, in the library (the same code, not a copy): the tolerances, the
f64 rule (where exact rewards collide in f64, matching the law of the f64 rewards your code
was given passes), and the diagnosis naming the known mistake your answer matches.
"""

from typing import Mapping, Optional, Sequence, Union

from . import Case, CaseError, _exact

__all__ = ["assert_law_close", "assert_scalar_close", "LawMismatch"]


class LawMismatch(AssertionError):
    """A failed comparison: the message, and `.details` (one line per wrong value),
    `.worst` (the line of largest error), `.diagnosis` ((name, meaning) per known mistake the
    answer matches on this case)."""

    def __init__(self, raw: dict):
        super().__init__(raw["message"])
        self.details = list(raw["details"])
        self.worst: Optional[str] = (
            None if raw["worst"] is None else self.details[raw["worst"]]
        )
        self.diagnosis = [tuple(d) for d in raw["diagnosis"]]


def _exact_text(x, where: str) -> str:
    """One value as exact text: numpy scalars as their Python value, a non-finite float as a
    failed assertion, the rest as `Case` converts numbers (floats exactly)."""
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        x = x.item()  # numpy scalars of any float or int dtype
    if isinstance(x, float) and (x != x or x in (float("inf"), float("-inf"))):
        raise AssertionError(f"{where}: {x} is not a finite number")
    return _exact(x, where, exact_floats=True)


def _law_values(law, case: Case):
    outcomes = case.outcomes
    if isinstance(law, Mapping):
        known = set(outcomes)
        extra = [o for o in law if tuple(o) not in known]
        if extra:
            raise CaseError(
                f"the law names {tuple(extra[0])}, not an outcome of the case "
                f"(outcomes are tuples of {case.m} letters 0..{case.k - 1})"
            )
        # An outcome left out has probability 0.
        by_outcome = {tuple(o): v for o, v in law.items()}
        return [_exact_text(by_outcome.get(o, 0), f"law[{o}]") for o in outcomes]
    if hasattr(law, "tolist"):
        law = law.tolist()  # numpy arrays
    values = list(law)
    return [_exact_text(v, f"law[{i}]") for i, v in enumerate(values)]


def assert_law_close(
    law: Union[Mapping, Sequence],
    case: Case,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
    exact: bool = False,
    exact_rewards: bool = False,
) -> None:
    """Asserts that `law` (a mapping outcome -> probability, or a sequence in the order of
    `case.outcomes`; floats, numpy values, Fractions) is the exact best-of-N law of `case`
    under uniform tie-breaking, within `rel_tol` or `abs_tol` per outcome (`exact=True`:
    equal as rationals). Raises LawMismatch naming the worst outcome, both values, the error
    in ulps and the mistake the law matches."""
    raw = case._native.assess_law(
        _law_values(law, case), float(rel_tol), float(abs_tol), bool(exact), bool(exact_rewards)
    )
    if not raw["passed"]:
        raise LawMismatch(raw)


def assert_scalar_close(
    value,
    case: Case,
    name: str = "kl",
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-12,
    exact: bool = False,
    exact_rewards: bool = False,
) -> None:
    """Asserts that `value` is the scalar `name` of `case`: "kl" (KL(pi_N || p)), "winrate",
    "winrate-strict", "expected-reward", or any numeric expression of the claim language
    ("tv(bon, p)"), within `rel_tol` or `abs_tol` (values with logarithms against their
    rigorous enclosures). Raises LawMismatch with the usual mistaken formula it matches."""
    raw = case._native.assess_scalar(
        name,
        _exact_text(value, name),
        float(rel_tol),
        float(abs_tol),
        bool(exact),
        bool(exact_rewards),
    )
    if not raw["passed"]:
        raise LawMismatch(raw)
