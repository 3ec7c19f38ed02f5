"""Sorts by probability instead of reward (a mix-up of two parallel arrays); otherwise exact."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, n = case.exact_p, case.n
    out = []
    for y in range(len(p)):
        below = sum(p[z] for z in range(len(p)) if p[z] < p[y])
        tied = sum(p[z] for z in range(len(p)) if p[z] == p[y])
        out.append(0 if tied == 0 else p[y] / tied * ((below + tied) ** n - below ** n))
    return out


serve(law=law)
