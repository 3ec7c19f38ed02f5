"""A Hypothesis strategy over best-of-N cases, biased where best-of-N code breaks.

    >>> from hypothesis import given, settings
    >>> from bestofn.hypothesis import cases
    >>> from bestofn.testing import assert_law_close
    >>> @settings(max_examples=50, database=None)
    ... @given(cases())
    ... def test_exact_law(case):
    ...     assert_law_close(case.exact_law, case, exact=True)
    >>> test_exact_law()

Each case is one test-impl generates (the library's generator, not a copy): exact ties within
and across types, near-ties below float32 and f64 resolution, a zero-probability letter, p
unsorted against the reward, then the search generators' cases, with N from 1 up. Hypothesis
draws K, m, N and the family itself, so a failing case shrinks towards small K, m and N and
the plainest family. A case exposes `p` and `p_f64`, `outcomes`, `outcome_p`,
`outcome_reward` and `outcome_reward_f64`, `n`, `m`, `k` and `exact_law`.
"""

from typing import Tuple

from hypothesis import strategies as st

from . import Case, _native

__all__ = ["cases", "FAMILIES"]

FAMILIES = int(_native.FAMILIES)
# Shrinking moves towards the first family: the search generators' plain cases first, the
# special families after.
_FAMILY_ORDER = [4, 3, 2, 5, 0, 1, 6, 7]
assert sorted(_FAMILY_ORDER) == list(range(FAMILIES)), "a family without a place in the order"


def cases(
    k: Tuple[int, int] = (2, 4),
    m: Tuple[int, int] = (1, 2),
    n: Tuple[int, int] = (1, 8),
) -> st.SearchStrategy[Case]:
    """Cases with K, m and N in the given inclusive ranges (K^m at most the outcomes a
    case of test-impl lists)."""
    for name, (lo, hi) in (("k", k), ("m", m), ("n", n)):
        if not 1 <= lo <= hi:
            raise ValueError(f"{name}: the range ({lo}, {hi}) must satisfy 1 <= lo <= hi")
    if k[1] ** m[1] > _native.MAX_OUTCOMES:
        raise ValueError(
            f"K^m = {k[1]}^{m[1]} outcomes is more than the {_native.MAX_OUTCOMES} a case lists"
        )

    @st.composite
    def draw_case(draw):
        kk = draw(st.integers(k[0], k[1]))
        mm = draw(st.integers(m[0], m[1]))
        nn = draw(st.integers(n[0], n[1]))
        family = draw(st.sampled_from(_FAMILY_ORDER))
        seed = draw(st.integers(0, 2**32 - 1))
        return Case._of(_native.NativeCase.generated(seed, family, kk, mm, nn))

    return draw_case()
