"""A correct sampler: N draws from p, keep one of the maximal-reward draws uniformly at random."""
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
        out.append(rng.choice([d for d in draws if keys[d] == best]))
    return out


serve(sample=sample)
