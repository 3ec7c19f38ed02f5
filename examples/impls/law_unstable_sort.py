"""An analytic best-of-N law built on a sort, as reward-overoptimisation code writes it: order
the outcomes by reward, hand the j-th the mass F_j^N - F_{j-1}^N. numpy's default argsort is
not stable, so tied outcomes come out in an order that is neither index nor reverse index, and
each gets a different share where they should share equally. A fixed shuffle before a stable
sort stands in for the unstable one, so that the example behaves the same on every machine."""
import numpy as np

import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p = np.asarray(case.outcome_p, dtype=np.float64)
    r = np.asarray(case.rewards, dtype=np.float64)
    perm = np.random.default_rng(len(r)).permutation(len(r))
    order = perm[np.argsort(r[perm], kind="stable")]
    cdf = np.cumsum(p[order])
    pi = np.empty_like(p)
    pi[order] = cdf ** case.n - (cdf - p[order]) ** case.n
    return pi  # a numpy array: the adapter converts it


serve(law=law)
