"""A sampler that breaks reward ties by the outcome's index (the smallest outcome wins)."""
import random

import _common  # noqa: F401
from bestofn_protocol import serve


def sample(case, seed, count):
    rng = random.Random(seed)
    keys = case.exact_reward_keys
    outcomes = range(len(case.outcome_p))
    out = []
    for _ in range(count):
        draws = rng.choices(outcomes, weights=case.outcome_p, k=case.n)
        best = max(keys[d] for d in draws)
        out.append(min(d for d in draws if keys[d] == best))
    return out


serve(sample=sample)
