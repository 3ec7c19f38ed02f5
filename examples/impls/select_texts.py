"""A selector of texts, as generation code is written (TRL's best-of-n sampler scores candidate
strings and keeps the best): each candidate is a text, scored by a reward model that maps a
text to a float. Here the "reward model" reads the case's rewards off each text."""
import _common  # noqa: F401
from bestofn_protocol import serve


def select_text(case, texts):
    score = dict(zip(case.texts, case.rewards))  # the reward model: text -> float reward
    return max(texts, key=lambda t: score[t])  # the first best text


serve(select_text=select_text)
