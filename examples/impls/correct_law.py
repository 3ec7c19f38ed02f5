"""A correct best-of-N law: exact ties (compared on exact keys), shared within a reward class.

pi(y) = p(y) / p(C(y)) * (F(y)^N - F_below(y)^N), all in exact fractions.
"""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, keys, n = case.exact_p, case.exact_reward_keys, case.n
    out = []
    for y in range(len(p)):
        below = sum(p[z] for z in range(len(p)) if keys[z] < keys[y])
        tied = sum(p[z] for z in range(len(p)) if keys[z] == keys[y])
        out.append(0 if tied == 0 else p[y] / tied * ((below + tied) ** n - below ** n))
    return out


serve(law=law)
