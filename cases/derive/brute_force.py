#!/usr/bin/env python3
"""Independent brute force of the best-of-N law, for deriving case files' expected values.

Python's Fraction, no shared code with bestofn: enumerate every N-tuple of draws of sequences,
pick the winner by the definition (highest reward; uniform share among tied draws, or the
lexicographically smallest/largest tied sequence), add the tuple's probability.

Usage: brute_force.py P REWARD M N TIE_BREAK [--toml]
  P       e.g. 1/5,3/10,1/2
  REWARD  additive:v1,..  | log:w1,..  (compared via products) | scores:FILE
  TIE_BREAK uniform | lex-min | lex-max
Prints one line per sequence 'y1,..,ym: pi' and the marginals, or with --toml the\n[expected] section of a case file.
"""
import itertools
import sys
from fractions import Fraction


def main():
    p = [Fraction(x) for x in sys.argv[1].split(",")]
    kind, values = sys.argv[2].split(":", 1)
    m, n, tie = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    assert sum(p) == 1
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
    main()
