"""(F_below(y) + p(y))^N - F_below(y)^N: right without ties, wrong within a tied class."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, r, n = case.outcome_p, case.rewards, case.n
    out = []
    for y in range(len(p)):
        below = sum(p[z] for z in range(len(p)) if r[z] < r[y])
        out.append((below + p[y]) ** n - below ** n)
    return out


serve(law=law)
