"""A correct best-of-N law in floats: ties decided on the f64 rewards it is given, shared within
a reward class, pi(y) = p(y) / p(C(y)) * (F(y)^N - F_below(y)^N) in f64 arithmetic."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, r, n = case.outcome_p, case.rewards, case.n
    out = []
    for y in range(len(p)):
        below = sum(p[z] for z in range(len(p)) if r[z] < r[y])
        tied = sum(p[z] for z in range(len(p)) if r[z] == r[y])
        out.append(0.0 if tied == 0 else p[y] / tied * ((below + tied) ** n - below ** n))
    return out


serve(law=law)
