"""Reports the literature's KL(pi_N || p) = log N - (N-1)/N, exact only without ties."""
import math

import _common  # noqa: F401
from bestofn_protocol import serve

serve(scalar=lambda case, name: math.log(case.n) - (case.n - 1) / case.n)
