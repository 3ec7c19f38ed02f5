"""Correct scalars from the correct law: KL(pi_N || p) and the win rate with ties half."""
import math

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


def scalar(case, name):
    pi, p, keys = law(case), case.exact_p, case.exact_reward_keys
    if name == "kl":
        return sum(float(a) * math.log(a / b) for a, b in zip(pi, p) if a > 0)
    if name == "winrate":
        return sum(
            pi[y] * p[z] * (1 if keys[y] > keys[z] else 0 if keys[y] < keys[z] else 0.5)
            for y in range(len(p))
            for z in range(len(p))
        )
    if name == "chi2(bon, p)":  # an expression of the claim language, answered exactly
        return sum(a * a / b for a, b in zip(pi, p) if b > 0) - 1
    raise ValueError(f"unknown scalar {name}")


serve(scalar=scalar)
