"""bestofn.search and bestofn.exhaust: the command line's search and grid in-process, their
counterexamples re-checkable from the object alone, stoppable, with clear errors."""

import json
import math
import os
import subprocess
import time
from fractions import Fraction
from pathlib import Path

import pytest

import bestofn

ROOT = Path(__file__).resolve().parents[2]


def cli(*args):
    binary = os.environ.get("BESTOFN_BIN")
    command = [binary] if binary else ["cargo", "run", "--quiet", "--release", "--"]
    return subprocess.run(
        command + list(args), cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_search_finds_what_the_command_line_finds():
    found = bestofn.search("bon-kl-formula-exact", k=(2, 4), trials=20000, jobs=2)
    out = cli("search", "--claim", "bon-kl-formula-exact", "--k", "2..4",
              "--trials", "20000", "--json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert found.cases == data["cases"]
    tally = data["tallies"][0]
    assert (found.tally.holds, found.tally.fails) == (tally["holds"], tally["fails"])
    cx = found.counterexample
    assert not found and cx is not None
    assert json.loads(cx.json)["case"] == data["counterexamples"][0]["case"]
    assert cx.index == data["counterexamples"][0]["found_by"]["case_index"]


def test_a_counterexample_carries_its_evidence_and_replays():
    cx = bestofn.search("bon-kl-formula-exact", k=(2, 4), trials=20000).counterexample
    # Shrunk to p = (1/2, 1/2), a constant reward, N = 2: best-of-2 is p itself, so the KL is
    # exactly 0 while the formula gives log 2 - 1/2 > 0.19.
    assert cx.case.p == [Fraction(1, 2), Fraction(1, 2)] and cx.case.n == 2
    assert cx.verdict.verdict == "fails"
    assert cx.verdict.evidence["kl(bon, p)"] == 0
    lo, hi = cx.verdict.evidence["log(N) - (N - 1) / N"]
    assert Fraction(19, 100) < lo <= hi < Fraction(1, 5)
    # Decided again from the case alone, in Python and by the command line.
    assert cx.case.check("bon-kl-formula-exact").verdict == "fails"
    assert cx.replay.startswith("bestofn check --p 1/2,1/2 ")
    replay = cli(*cx.replay.split()[1:])
    assert replay.returncode == 1 and "FAILS" in replay.stdout.upper(), replay.stdout
    assert cx.original_verdict.verdict == "fails"
    html = cx._repr_html_()
    assert cx.replay in html and "kl(bon, p)" in html


def test_a_saved_counterexample_rechecks(tmp_path):
    found = bestofn.search("kl(bon, p) < log(N) - (N-1)/N", k=(2, 3), trials=4000)
    cx = found.counterexample
    assert "--assert 'assert-1: kl(bon, p) < log(N) - (N-1)/N'" in cx.replay
    cx.save(tmp_path)
    out = cli("recheck", str(tmp_path / "counterexample.json"))
    assert out.returncode == 0, out.stdout + out.stderr
    out = cli("check", str(tmp_path / "counterexample.toml"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert cx._repr_markdown_().startswith("# Counterexample to `assert-1`")


def test_a_theorem_survives_and_the_seed_decides_the_cases():
    one = bestofn.search("bon-winrate-le", k=(2, 3), n=(1, 8), trials=3000, seed=7, jobs=1)
    two = bestofn.search("bon-winrate-le", k=(2, 3), n=(1, 8), trials=3000, seed=7, jobs=2)
    assert one and one.counterexample is None
    assert one.cases == 3000 and one.tally == two.tally
    assert one.tally.holds + one.tally.not_applicable == 3000
    first = bestofn.search("bon-kl-formula-exact", trials=5000, seed=3, jobs=1)
    again = bestofn.search("bon-kl-formula-exact", trials=5000, seed=3, jobs=2)
    assert first.counterexample.index == again.counterexample.index
    assert first.counterexample.json == again.counterexample.json


def fubini(k):
    """Weak orders of k letters (ordered Bell numbers), by their recurrence."""
    a = [1]
    for n in range(1, k + 1):
        a.append(sum(math.comb(n, i) * a[n - i] for i in range(1, n + 1)))
    return a[k]


def test_exhaust_certifies_every_case_of_its_grid():
    grid = bestofn.exhaust("bon-winrate-le", k=(2, 3), n=(1, 4), den=6)
    # Every pmf in sixths (C(5, K-1) of them) x every weak order of the letters x 4 values of N.
    expected = sum(math.comb(5, k - 1) * fubini(k) for k in (2, 3)) * 4
    assert grid.cases == expected == 580
    assert grid.certified and grid.tally.holds == expected and grid.counterexample is None
    assert "multiples of 1/6" in grid.grid


def test_exhaust_stops_at_the_first_counterexample_in_grid_order():
    grid = bestofn.exhaust("bon-kl-formula-exact")
    out = cli("exhaust", "--claim", "bon-kl-formula-exact", "--json")
    data = json.loads(out.stdout)
    assert not grid.certified and data["certified"] is False
    cx = grid.counterexample
    assert cx.index == data["counterexample"]["found_by"]["case_index"] == 1
    assert cx.case.n == 2 and cx.case.p == [Fraction(1, 12), Fraction(11, 12)]


def test_bad_requests_are_case_errors_with_a_sentence():
    cases = [
        (dict(k=(1, 3)), "k: alphabet sizes must lie in 2..64"),
        (dict(n=(3, 1)), "n: 3..1 is empty"),
        (dict(trials=0), "trials: need at least 1"),
        (dict(jobs=0), "jobs: need at least 1"),
        (dict(time=-1.0), "time: must be a positive number"),
        (dict(trials=10, time=1.0), "give trials or time"),
        (dict(k="x"), "k: 'x' is not a number"),
        (dict(without_hypothesis="no-such"), "no-such"),
    ]
    for kwargs, message in cases:
        with pytest.raises(bestofn.CaseError, match=message):
            bestofn.search("bon-winrate-le", **kwargs)
    with pytest.raises(bestofn.CaseError, match="did you mean 'bon-kl-formula-exact'"):
        bestofn.search("bon-kl-formla-exact")
    with pytest.raises(bestofn.CaseError, match="expression"):
        bestofn.search("kl(bon, p) <= log(", trials=10)
    with pytest.raises(bestofn.CaseError, match="den: must lie in 2..1000"):
        bestofn.exhaust("bon-winrate-le", den=1)
    with pytest.raises(bestofn.CaseError, match="exhaust: K at most 6"):
        bestofn.exhaust("bon-winrate-le", k=(2, 7))


def test_an_interrupted_search_stops_its_worker():
    seen = []

    def progress(done, total, found):
        seen.append((done, total, found))
        if done >= 2048:
            raise KeyboardInterrupt

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        bestofn.search("bon-winrate-le", trials=10_000_000, jobs=1, progress=progress)
    assert time.monotonic() - start < 5
    assert seen and seen[0][1] == 10_000_000 and all(f == 0 for _, _, f in seen)
    # The worker sees the stop at its next batch of 512 cases and ends: the process then
    # uses no CPU (a search left running would use a whole core).
    time.sleep(0.3)
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(0.5)
    used = (time.process_time() - cpu) / (time.monotonic() - wall)
    assert used < 0.3, f"the search kept running: {used:.0%} of a core"
