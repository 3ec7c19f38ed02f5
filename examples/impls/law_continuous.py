"""The continuous-reward density N F^(N-1) p used on a discrete reward."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, r, n = case.outcome_p, case.rewards, case.n
    return [n * sum(p[z] for z in range(len(p)) if r[z] <= r[y]) ** (n - 1) * p[y] for y in range(len(p))]


serve(law=law)
