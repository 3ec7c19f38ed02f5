"""Breaks reward ties by the outcome's index (the smallest outcome wins), not by the draw."""
import _common  # noqa: F401
from bestofn_protocol import serve


def select(case, draws):
    keys = case.exact_reward_keys
    best = max(keys[d] for d in draws)
    return min((d, i) for i, d in enumerate(draws) if keys[d] == best)[1]


serve(select=select)
