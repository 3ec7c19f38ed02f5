"""Compares rewards after a float32 cast (a tensor default): near-ties collapse into ties."""
import struct

import _common  # noqa: F401
from bestofn_protocol import serve


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def law(case):
    p, n = case.outcome_p, case.n
    r = [f32(x) for x in case.rewards]
    out = []
    for y in range(len(p)):
        below = sum(p[z] for z in range(len(p)) if r[z] < r[y])
        tied = sum(p[z] for z in range(len(p)) if r[z] == r[y])
        out.append(0 if tied == 0 else p[y] / tied * ((below + tied) ** n - below ** n))
    return out


serve(law=law)
