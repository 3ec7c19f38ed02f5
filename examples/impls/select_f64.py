"""A correct selector as real code writes it: the first draw with the maximal reward, compared
in the f64 rewards it is given (as a reward model hands them over). Rewards closer than f64
resolution are ties to it; bestofn judges it against the law of those f64 rewards there."""
import _common  # noqa: F401
from bestofn_protocol import serve


def select(case, draws):
    rewards = [case.rewards[d] for d in draws]
    return rewards.index(max(rewards))


serve(select=select)
