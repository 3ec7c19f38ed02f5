"""A correct randomised selector: a uniformly random draw among those with the maximal reward,
seeded by the request (test with --randomised)."""
import random

import _common  # noqa: F401
from bestofn_protocol import serve


def select(case, draws):
    keys = case.exact_reward_keys
    best = max(keys[d] for d in draws)
    return random.Random(case.seed).choice([i for i, d in enumerate(draws) if keys[d] == best])


serve(select=select)
