"""The no-ties formula applied per outcome: pi(y) = F(y)^N - F_below(y)^N, which counts a
tied class's whole mass once for every outcome in it."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, r, n = case.outcome_p, case.rewards, case.n
    return [
        sum(p[z] for z in range(len(p)) if r[z] <= r[y]) ** n
        - sum(p[z] for z in range(len(p)) if r[z] < r[y]) ** n
        for y in range(len(p))
    ]


serve(law=law)
