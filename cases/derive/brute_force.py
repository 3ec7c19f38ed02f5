#!/usr/bin/env python3
"""Independent brute force of the best-of-N law, for deriving case files' expected values.

Python's Fraction, no shared code with bestofn: enumerate every N-tuple of draws of sequences,
pick the winner by the definition (highest reward; uniform share among tied draws, or the
lexicographically smallest/largest tied sequence), add the tuple's probability.

Usage: brute_force.py P REWARD M N TIE_BREAK [--toml]
  P       e.g. 1/5,3/10,1/2
  REWARD  additive:v1,..  | log:w1,..  (compared via products) | scores:FILE
  TIE_BREAK uniform | lex-min | lex-max
Prints one line per sequence 'y1,..,ym: pi' and the marginals, or with --toml the
[expected] section of a case file.
"""
import itertools
import sys
from fractions import Fraction


def usage_error(message):
    sys.stderr.write(f"brute_force.py: {message}\n(brute_force.py --help for the usage)\n")
    sys.exit(2)


def main():
    args = [a for a in sys.argv[1:] if a != "--toml"]
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip())
        return
    if len(args) != 5:
        usage_error(f"expected 5 arguments (P REWARD M N TIE_BREAK), got {len(args)}")
    try:
        p = [Fraction(x) for x in args[0].split(",")]
    except ValueError:
        usage_error(f"P: '{args[0]}' is not a comma list of rationals")
    if ":" not in args[1]:
        usage_error(f"REWARD: '{args[1]}' is not KIND:VALUES")
    kind, values = args[1].split(":", 1)
    if kind not in ("additive", "log", "scores"):
        usage_error(f"REWARD: unknown kind '{kind}' (additive, log or scores)")
    try:
        m, n = int(args[2]), int(args[3])
    except ValueError:
        usage_error("M and N must be whole numbers")
    tie = args[4]
    if tie not in ("uniform", "lex-min", "lex-max"):
        usage_error(f"TIE_BREAK: '{tie}' is not uniform, lex-min or lex-max")
    if sum(p) != 1 or any(x < 0 for x in p):
        usage_error(f"P: the entries must be non-negative and sum to 1 (they sum to {sum(p)})")
    k = len(p)
    seqs = list(itertools.product(range(k), repeat=m))
    if kind == "additive":
        v = [Fraction(x) for x in values.split(",")]
        key = {s: sum(v[y] for y in s) for s in seqs}
    elif kind == "log":
        w = [Fraction(x) for x in values.split(",")]
        key = {}
        for s in seqs:
            prod = Fraction(1)
            for y in s:
                prod *= w[y]
            key[s] = prod
    else:
        key = {}
        for line in open(values):
            line = line.split("#")[0].strip()
            if line:
                seq, score = line.split(":")
                key[tuple(int(t) for t in seq.replace(",", " ").split())] = Fraction(score.strip())
    prob = {}
    for s in seqs:
        q = Fraction(1)
        for y in s:
            q *= p[y]
        prob[s] = q
    pi = {s: Fraction(0) for s in seqs}
    for draws in itertools.product(seqs, repeat=n):
        weight = Fraction(1)
        for s in draws:
            weight *= prob[s]
        best = max(key[s] for s in draws)
        tied = [s for s in draws if key[s] == best]
        if tie == "uniform":
            for s in tied:
                pi[s] += weight / len(tied)
        elif tie == "lex-min":
            pi[min(tied)] += weight
        else:
            pi[max(tied)] += weight
    assert sum(pi.values()) == 1
    if "--toml" in sys.argv:
        print("[expected]")
        for s in seqs:
            print(f"[[expected.pi]]\nsequence = {list(s)}\nvalue = \"{pi[s]}\"")
        for j in range(m):
            for a in range(k):
                v = sum(x for t, x in pi.items() if t[j] == a)
                print(f"[[expected.marginal]]\nposition = {j+1}\nletter = {a}\nvalue = \"{v}\"")
        return
    for s in seqs:
        print(",".join(map(str, s)) + ": " + str(pi[s]))
    for j in range(m):
        print(f"marginal y_{j+1}: " + "  ".join(
            f"{a}: {sum(v for s, v in pi.items() if s[j] == a)}" for a in range(k)))


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # `brute_force.py ... | head`: the reader left; end quietly.
        sys.stderr.close()
