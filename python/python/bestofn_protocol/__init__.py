"""Speak bestofn's test-impl protocol from Python, with the standard library only.

bestofn test-impl starts your program and sends one JSON request per line on stdin; your
program answers each with one JSON line on stdout. This module does the reading, the writing
and the bookkeeping, so that wrapping a function takes three lines:

    from bestofn_protocol import serve
    def my_best_of_n(p, rewards, n): ...          # your code: a probability per outcome
    serve(law=lambda case: my_best_of_n(case.outcome_p, case.rewards, case.n))

Each handler receives a Case (below) and returns:
  law(case)            -> a probability per outcome, in case.outcomes order (floats, or exact
                          strings such as "49/625")
  scalar(case, name)   -> one number for the quantity `name` ("kl", "winrate", ...)
  select_text(case, texts) -> the text your code keeps among the candidates' texts
  select(case, draws)  -> the position (0-based) of the draw your code keeps, where `draws`
                          are outcome indices in draw order; their rewards are
                          [case.rewards[d] for d in draws]; a randomised selector seeds its
                          generator with case.seed (test it with --randomised)
  sample(case, seed, count) -> `count` selected outcome indices, drawn by your own sampler
                          seeded with `seed`

The protocol is documented in docs/test-impl.md.
"""

import json
import sys
import traceback
from fractions import Fraction
from functools import cached_property


class Case:
    """One case, as floats (what model code sees) and as exact values (for checking)."""

    def __init__(self, data):
        self.data = data
        self.k = data["k"]
        self.m = data["m"]
        self.n = data["n"]
        self.tie_break = data["tie_break"]
        self.outcomes = [tuple(o) for o in data["outcomes"]]
        # Per outcome (K^m entries), as model code sees them; the protocol's `p` is per letter.
        self.outcome_p = data["outcome_p_f64"]
        self.p = self.outcome_p  # the older name of outcome_p
        self.rewards = data["outcome_reward_f64"]
        self.letter_p = data["p_f64"]
        # Each outcome as a text ("w0 w2": one word per letter), for selectors of texts.
        self.texts = [" ".join(f"w{a}" for a in o) for o in self.outcomes]

    @cached_property
    def exact_p(self):
        return [Fraction(x) for x in self.data["outcome_p"]]

    @cached_property
    def exact_reward_keys(self):
        """Exact keys increasing with the reward: the sum (additive) or the product of the
        weights (log rewards), as Fractions. Equal keys are exact ties."""
        return [Fraction(x) for x in self.data["outcome_reward_key"]]


def _encode(value):
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if hasattr(value, "tolist"):  # numpy arrays and scalars of any dtype
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _position(case, draws, select, select_text):
    if select_text is None:
        return int(select(case, draws))
    # A selector of texts gets the candidates' texts and returns the text it keeps (or its
    # position); a text repeated among the draws is the same outcome, so its first position
    # stands for all of them.
    texts = [case.texts[d] for d in draws]
    kept = select_text(case, texts)
    return texts.index(kept) if isinstance(kept, str) else int(kept)


def serve(law=None, scalar=None, select=None, sample=None, select_text=None):
    """Answers requests until stdin closes. Exceptions become error responses.

    select_text(case, texts) -> the kept text: a selector of candidate strings (the case's
    outcomes as texts, case.texts), as generation code that scores strings is written."""
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        request = json.loads(line)
        rid = request.get("id")
        response = None
        try:
            case = Case(request["case"])
            case.seed = request.get("seed")
            kind = request["kind"]
            if kind == "law" and law:
                response = {"id": rid, "law": _encode(list(law(case)))}
            elif kind == "scalar" and scalar:
                response = {"id": rid, "value": _encode(scalar(case, request["name"]))}
            elif kind == "select" and (select or select_text):
                response = {"id": rid, "index": _position(case, request["draws"], select, select_text)}
            elif kind == "select_batch" and (select or select_text):
                # Many tuples of draws in one request: one JSON parse for all of them.
                indices = [_position(case, d, select, select_text) for d in request["draws"]]
                response = {"id": rid, "indices": indices}
            elif kind == "sample" and sample:
                response = {"id": rid, "samples": [int(s) for s in sample(case, request["seed"], request["count"])]}
            else:
                response = {"id": rid, "error": f"this program does not answer '{kind}' requests"}
            text = json.dumps(response)
        except Exception as e:  # report, do not die: bestofn names the request
            where = traceback.extract_tb(e.__traceback__)[-1]
            text = json.dumps({"id": rid, "error": f"{type(e).__name__}: {e} (at {where.filename}:{where.lineno})"})
        out.write(text + "\n")
        out.flush()
