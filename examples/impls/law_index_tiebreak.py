"""A common mistake: sort outcomes by reward and break ties by the outcome's index, so among
tied outcomes the later one always wins (each outcome gets F^N - F_prev^N of its own)."""
import _common  # noqa: F401
from bestofn_protocol import serve


def law(case):
    p, n = case.outcome_p, case.n
    order = sorted(range(len(p)), key=lambda y: (case.rewards[y], y))
    out = [0.0] * len(p)
    below = 0.0
    for y in order:
        out[y] = (below + p[y]) ** n - below ** n
        below += p[y]
    return out


serve(law=law)
