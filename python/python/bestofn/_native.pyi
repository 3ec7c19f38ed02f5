# Type stubs of the native extension (python/src/lib.rs). Exact values cross as hexadecimal
# "numerator/denominator" strings; the package turns them into Fractions.
from typing import Callable, Dict, List, Optional, Sequence, Tuple

FAMILIES: int
MAX_OUTCOMES: int

class CaseError(ValueError): ...

class NativeLaw:
    @property
    def route(self) -> str: ...
    def rows(self) -> List[Tuple[Tuple[int, ...], str, str]]: ...
    @property
    def classes(self) -> List[List[int]]: ...
    def total(self) -> str: ...
    def text(self) -> str: ...

class NativeCase:
    def __init__(
        self,
        p: str,
        reward: Optional[str],
        m: int,
        n: int,
        tie_break: str,
        by: Optional[str] = None,
        q: Optional[str] = None,
        alpha: Optional[str] = None,
        beta: Optional[str] = None,
        delta: Optional[str] = None,
        true_reward: Optional[str] = None,
    ) -> None: ...
    @staticmethod
    def from_file(path: str) -> "NativeCase": ...
    @staticmethod
    def generated(seed: int, family: int, k: int, m: int, n: int) -> "NativeCase": ...
    def settings(self) -> Dict[str, object]: ...
    def law(self) -> "NativeLaw": ...
    def outcomes(self) -> Dict[str, list]: ...
    def protocol_case(self) -> str: ...
    def value(self, expression: str, prec: int) -> List[str]: ...
    def assess_law(
        self, values: Sequence[str], rel_tol: float, abs_tol: float, exact: bool, exact_rewards: bool
    ) -> Dict[str, object]: ...
    def assess_scalar(
        self, name: str, value: str, rel_tol: float, abs_tol: float, exact: bool, exact_rewards: bool
    ) -> Dict[str, object]: ...
    def check(self, claim: str) -> Dict[str, object]: ...
    def check_catalogue(self) -> List[Dict[str, object]]: ...
    def flags(self) -> str: ...

def catalogue() -> List[Tuple[str, str, str]]: ...
def vocabulary() -> List[Tuple[str, List[str], str, str]]: ...
def search(
    claim: str,
    k: Optional[Tuple[int, int]],
    m: Optional[Tuple[int, int]],
    n: Optional[Tuple[int, int]],
    trials: Optional[int],
    time: Optional[float],
    seed: int,
    jobs: Optional[int],
    shrink: bool,
    without_hypothesis: Optional[str],
    progress: Optional[Callable[[int, Optional[int], int], object]],
) -> Dict[str, object]: ...
def exhaust(
    claim: str,
    k: Optional[Tuple[int, int]],
    m: Optional[Tuple[int, int]],
    n: Optional[Tuple[int, int]],
    den: Optional[int],
    values: Optional[List[int]],
    alpha: Optional[str],
    beta: Optional[str],
    delta: Optional[str],
    jobs: Optional[int],
    without_hypothesis: Optional[str],
    progress: Optional[Callable[[int, Optional[int], int], object]],
) -> Dict[str, object]: ...
