"""A correct deterministic selector: the first draw with the maximal reward (exact keys).
Draws are i.i.d., so keeping the first maximal draw gives the uniform-tie-break law."""
import _common  # noqa: F401
from bestofn_protocol import serve


def select(case, draws):
    keys = case.exact_reward_keys
    best = max(keys[d] for d in draws)
    return next(i for i, d in enumerate(draws) if keys[d] == best)


serve(select=select)
