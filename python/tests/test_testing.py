"""bestofn.testing and bestofn.hypothesis: values against brute force, the bundled faulty
examples caught with their diagnoses, the strategy's bias, Ctrl-C."""

import _thread
import importlib.util
import itertools
import threading
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import bestofn
import bestofn_protocol
from bestofn.hypothesis import FAMILIES, cases
from bestofn.testing import LawMismatch, assert_law_close, assert_scalar_close

ROOT = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=300, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def brute_force(case):
    """pi_N per outcome of case.outcomes: every N-tuple of draws, ties shared uniformly."""
    outcomes, p, keys = case.outcomes, case.outcome_p, case.outcome_reward_key
    law = [Fraction(0)] * len(outcomes)
    for draws in itertools.product(range(len(outcomes)), repeat=case.n):
        weight = Fraction(1)
        for d in draws:
            weight *= p[d]
        best = max(keys[d] for d in draws)
        winners = [d for d in draws if keys[d] == best]
        for d in winners:
            law[d] += weight / len(winners)
    return law


@FAST
@given(cases(k=(2, 3), m=(1, 2), n=(1, 3)))
def test_drawn_cases_expose_the_exact_law_the_brute_force_gives(case):
    assert case.exact_law == brute_force(case)
    assert_law_close(case.exact_law, case, exact=True)
    assert sum(case.outcome_p) == 1 and case.p_f64 == [float(x) for x in case.p]
    for exact, f in zip(case.outcome_reward, case.outcome_reward_f64):
        if isinstance(exact, Fraction):
            assert f == float(exact)
        else:  # a log reward: the float is the nearest of a value inside the enclosure
            assert abs(float(exact.lo) - f) <= 1e-15 * max(1.0, abs(f))


def test_the_strategy_reaches_every_family_and_the_hard_cases():
    seen = Counter()

    @settings(max_examples=200, database=None, deadline=None)
    @given(cases())
    def record(case):
        r = case.outcome_reward_f64
        keys = case.outcome_reward_key
        seen["f64 collision"] += any(
            keys[i] != keys[j] and r[i] == r[j] for i in range(len(r)) for j in range(i)
        )
        seen["exact tie"] += len(set(keys)) < len(keys)
        seen["zero letter"] += 0 in case.p
        seen["N = 1"] += case.n == 1
        seen["N = 8"] += case.n == 8
        seen["m = 2"] += case.m == 2

    record()
    assert all(seen[k] > 0 for k in
               ["f64 collision", "exact tie", "zero letter", "N = 1", "N = 8", "m = 2"]), seen
    assert FAMILIES == 8


def law_function(example):
    """The `law` function of a bundled protocol example, loaded without serving."""
    captured = {}
    real = bestofn_protocol.serve
    bestofn_protocol.serve = lambda **kw: captured.update(kw)
    try:
        path = ROOT / "examples" / "impls" / f"{example}.py"
        spec = importlib.util.spec_from_file_location(example, path)
        module = importlib.util.module_from_spec(spec)
        import sys
        sys.path.insert(0, str(path.parent))
        spec.loader.exec_module(module)
    finally:
        bestofn_protocol.serve = real
    return captured.get("law") or captured.get("scalar")


@pytest.mark.parametrize(
    "example, mistake",
    [
        ("law_index_tiebreak", "lex-max tie-break law"),
        ("law_no_ties", "F^N - F_below^N per outcome"),
        ("law_below_plus_p", "(F_below + p)^N - F_below^N"),
        ("law_continuous", "continuous N F^(N-1) p"),
        ("law_sorted_p", "law of the order of p"),
        ("law_float32", "law of rewards rounded to float32"),
        ("law_unstable_sort", "tie"),
    ],
)
def test_the_assertion_catches_each_bundled_faulty_example_with_its_diagnosis(example, mistake):
    law = law_function(example)

    @settings(max_examples=500, database=None, deadline=None)
    @given(cases())
    def check(case):
        assert_law_close(law(case.as_protocol()), case)

    with pytest.raises(LawMismatch) as failure:
        check()
    names = [name for name, _ in failure.value.diagnosis]
    assert any(mistake in name for name in names), (names, str(failure.value))
    assert "worst: " in str(failure.value) and "ulps" in str(failure.value)


def test_correct_float_code_passes_and_the_correct_examples_pass():
    for example in ["correct_law", "law_f64"]:
        law = law_function(example)

        @FAST
        @given(cases())
        def check(case):
            assert_law_close(law(case.as_protocol()), case)

        check()


def test_the_kl_formula_is_named_with_the_continuous_rewards_sentence():
    case = bestofn.Case(p=["1/2", "1/2"], reward="additive:0,1", n=2)
    import math
    with pytest.raises(LawMismatch) as failure:
        assert_scalar_close(math.log(2) - 1 / 2, case, "kl")
    assert failure.value.diagnosis[0][0] == "log N - (N-1)/N"
    assert "continuous (atomless) rewards" in failure.value.diagnosis[0][1]
    exact = case.kl()
    # bon = (1/4, 3/4): KL = 1/4 log(1/2) + 3/4 log(3/2), enclosed at 128 bits.
    assert isinstance(exact, bestofn.Enclosure) and exact.hi - exact.lo < Fraction(1, 2**100)
    assert abs(float(exact.lo) - (0.25 * math.log(0.5) + 0.75 * math.log(1.5))) < 1e-15
    assert_scalar_close(float((exact.lo + exact.hi) / 2), case, "kl")


def test_functionals_by_name_are_the_claim_languages():
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=2, n=2)
    law = case.law()
    tv = sum(abs(law[o] - law.p[o]) for o in law) / 2
    assert case.tv() == tv == case.value("tv(bon, p)")
    assert case.chi2() == sum(law[o] ** 2 / law.p[o] for o in law) - 1
    assert case.choose(5, 2) == 10 and case.N() == 2
    assert case.winrate("bon", "bon") == Fraction(1, 2)
    with pytest.raises(TypeError, match="log takes log"):
        case.log()
    with pytest.raises(AttributeError):
        case.no_such_functional()


def test_law_extras_marginals_classes_pandas_and_files():
    case = bestofn.Case.from_file(ROOT / "cases" / "example2.toml")
    law = case.law()
    assert law[(0, 0)] == Fraction(49, 625)
    assert law.marginal(1) == {0: Fraction(209, 625), 1: Fraction(1641, 10000), 2: Fraction(1003, 2000)}
    assert [sorted(c) for c in law.classes[:2]] == [[(1, 1)], [(1, 2), (2, 1)]]
    assert "pi_N(y_1, y_2)" in str(law) and "<pre>" in law._repr_html_()
    frame = law.to_pandas()
    assert frame.loc[[(0, 0)], "pi"].iloc[0] == Fraction(49, 625) and len(frame) == 9
    with pytest.raises(bestofn.CaseError, match="nope.toml"):
        bestofn.Case.from_file(ROOT / "cases" / "nope.toml")
    verdict = case.check("bon-memoryless")
    assert "<b>bon-memoryless</b>: fails" in verdict._repr_html_()


def test_a_long_computation_stops_at_ctrl_c():
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=60, n=4000)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        case.law()
    assert time.monotonic() - start < 3
