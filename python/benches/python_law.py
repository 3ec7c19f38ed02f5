"""W1 from Python: `Case.law()` against the library's own time for the same law table, in
the same process (issue 25's target: within 1.2x). Also times a Hypothesis run of 1,000 small
cases checked with `assert_law_close`.

    python3 python/benches/python_law.py [--repeat 5] [--examples 1000]

Prints one line per measurement and the ratio; exits 1 when the ratio is above 1.2.
"""

import argparse
import statistics
import sys
import time
from fractions import Fraction

import bestofn


def w1(repeat: int) -> float:
    case = bestofn.Case(p=["1/5", "3/10", "1/2"], reward="log:6,1,2", m=30, n=1000)
    case.law()  # warm: the first call pays for the Checker's parse
    library, python = [], []
    for _ in range(repeat):
        library.append(case._native.library_law_seconds())
        start = time.perf_counter()
        law = case.law()
        python.append(time.perf_counter() - start)
    assert law.total == Fraction(1), law.total
    lib, py = statistics.median(library), statistics.median(python)
    print(f"W1 (K = 3, m = 30, N = 1000, {len(law)} outcomes by {law.route}), median of {repeat}:")
    print(f"  library law table   {lib:.3f} s")
    print(f"  Case.law()          {py:.3f} s  ({py / lib:.2f}x the library)")
    return py / lib


def hypothesis_run(examples: int) -> None:
    import numpy as np
    from hypothesis import HealthCheck, given, settings

    from bestofn.hypothesis import cases
    from bestofn.testing import assert_law_close

    def best_of_n_law(p, rewards, n):
        # The fixed function of docs/python.md: ties share F(y)^N - F(y-)^N by p.
        p, rewards = np.asarray(p, dtype=float), np.asarray(rewards, dtype=float)
        law = np.zeros_like(p)
        for value in np.unique(rewards):
            tied = rewards == value
            mass = p[tied].sum()
            if mass > 0:
                at_most, below = p[rewards <= value].sum(), p[rewards < value].sum()
                law[tied] = (at_most**n - below**n) * p[tied] / mass
        return law

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def check(case):
        law = best_of_n_law(case.outcome_p_f64, case.outcome_reward_f64, case.n)
        assert_law_close(law, case)

    start = time.perf_counter()
    check()
    seconds = time.perf_counter() - start
    print(f"Hypothesis: {examples} cases with assert_law_close in {seconds:.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--examples", type=int, default=1000)
    args = ap.parse_args()
    ratio = w1(args.repeat)
    hypothesis_run(args.examples)
    return 0 if ratio <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
