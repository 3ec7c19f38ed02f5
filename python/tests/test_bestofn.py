"""The Python package against values computed here by brute force in Fractions (every N-tuple
of draws, ties shared uniformly), the command line's verdicts, and its error sentences."""

import itertools
import json
import os
import subprocess
import threading
import time
from fractions import Fraction
from pathlib import Path

import pytest

import bestofn

ROOT = Path(__file__).resolve().parents[2]


def brute_force(p, key, m, n):
    """pi_N by sequence: every N-tuple of sequences, its probability, the best share."""
    seqs = list(itertools.product(range(len(p)), repeat=m))
    prob = {s: Fraction(1) for s in seqs}
    for s in seqs:
        for a in s:
            prob[s] *= p[a]
    law = {s: Fraction(0) for s in seqs}
    for draws in itertools.product(seqs, repeat=n):
        weight = Fraction(1)
        for d in draws:
            weight *= prob[d]
        best = max(key(d) for d in draws)
        winners = [d for d in draws if key(d) == best]
        for d in winners:
            law[d] += weight / len(winners)
    return law


def test_example_2_of_yang_et_al_to_the_digit():
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=2, n=2)
    law = case.law()
    assert law[(0, 0)] == Fraction(49, 625)
    w = {0: 6, 1: 1, 2: 2}
    expected = brute_force(
        [Fraction(1, 5), Fraction(3, 10), Fraction(1, 2)], lambda s: w[s[0]] * w[s[1]], 2, 2
    )
    assert dict(law) == expected
    assert law.total == 1


@pytest.mark.parametrize(
    "p,values,m,n",
    [
        ([Fraction(1, 2), Fraction(1, 2)], [0, 0], 1, 3),
        ([Fraction(1, 3), Fraction(1, 6), Fraction(1, 2)], [0, 1, 1], 1, 3),
        ([Fraction(2, 3), Fraction(1, 3)], [1, 0], 2, 2),
        ([Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)], [0, 2, 1], 2, 2),
    ],
)
def test_laws_against_the_brute_force(p, values, m, n):
    case = bestofn.Case(p=p, reward=("additive", values), m=m, n=n)
    assert dict(case.law()) == brute_force(p, lambda s: sum(values[a] for a in s), m, n)


def test_verdicts_carry_exact_values_and_enclosures():
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=2, n=2)
    memoryless = case.check("bon-memoryless")
    assert memoryless.verdict == "fails" and not memoryless.holds
    assert memoryless.evidence["pi(sequence)"] == Fraction(49, 625)
    kl = case.check("kl(bon, p) <= log(N)")
    assert bool(kl) and kl.precision == 64
    lo, hi = kl.evidence["log(N)"]
    ln2 = Fraction(69314718055994530941, 10**20)  # ln 2 = 0.69314718055994530941723...
    assert lo <= ln2 <= hi + Fraction(1, 10**20) and hi - lo < Fraction(1, 10**18)
    verdicts = {v.claim: v.verdict for v in case.check_catalogue()}
    assert len(verdicts) == len(bestofn.catalogue())


def test_verdicts_agree_with_the_command_line():
    # The suite passes the binary it built; by hand, cargo builds one.
    binary = os.environ.get("BESTOFN_BIN")
    command = [binary] if binary else ["cargo", "run", "--quiet", "--release", "--"]
    out = subprocess.run(
        command + ["check", "cases/example2.toml", "--json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    cli = {r["claim"]: r["verdict"] for r in json.loads(out.stdout)["results"]}
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=2, n=2)
    assert {v.claim: v.verdict for v in case.check_catalogue()} == cli


def test_bad_input_is_a_value_error_with_the_command_lines_sentence():
    with pytest.raises(bestofn.CaseError, match=r"sum to 5/6, not 1"):
        bestofn.Case(p=["1/2", "1/3"], reward="additive:0,1", n=2)
    with pytest.raises(ValueError, match="N"):
        bestofn.Case(p=["1/2", "1/2"], reward="additive:0,1", n=0)
    with pytest.raises(ValueError, match="exact_floats=True"):
        bestofn.Case(p=[0.5, 0.5], reward="additive:0,1", n=2)
    # Floats converted exactly when asked: 0.1 is not 1/10.
    with pytest.raises(ValueError, match="not 1"):
        bestofn.Case(p=[0.1, 0.9], reward="additive:0,1", n=2, exact_floats=True)
    ok = bestofn.Case(p=[0.25, 0.75], reward="additive:0,1", n=2, exact_floats=True)
    assert ok.law()[(0,)] == Fraction(1, 16)
    with pytest.raises(ValueError, match="unknown claim"):
        ok.check("no-such-claim")


def test_bool_of_an_undecided_verdict_refuses_to_guess():
    v = bestofn.Verdict(
        {"claim": "c", "statement": "s", "source": "", "verdict": "undecided",
         "evidence": [], "prec": 4096, "line": "enclosures overlap"}
    )
    with pytest.raises(ValueError, match="would be a guess"):
        bool(v)


def test_long_computations_release_the_gil():
    # W1 by type: while it runs in Rust, a Python thread keeps ticking.
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    t = threading.Thread(target=tick, daemon=True)
    t.start()
    start = time.monotonic()
    try:
        law = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=30, n=1000).law()
        elapsed = time.monotonic() - start
    finally:
        stop.set()
        t.join()
    assert law.route == "type" and len(law) == 496 and law.total == 1
    during = [x for x in ticks if start < x < start + elapsed]
    assert len(during) > elapsed / 0.01, (len(during), elapsed)


def test_the_protocol_adapter_comes_with_the_package():
    import bestofn_protocol

    assert callable(bestofn_protocol.serve)
    if os.environ.get("BESTOFN_INSTALLED_PACKAGE"):
        assert "site-packages" in bestofn_protocol.__file__


@pytest.mark.parametrize("page", ["docs/python.md", "README.md"])
def test_the_documented_examples_print_what_the_docs_show(page):
    import doctest

    failed, attempted = doctest.testfile(
        str(ROOT / page), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert attempted > 0 and failed == 0, page
