#!/usr/bin/env python3
"""Scores wsaerr against the labelled corpus of real log lines.

    score.py WSAERR [CORPUS.jsonl] [--verbose]

A positive line is right when exactly its expected codes are annotated (each
once, nothing else); a negative line is right when it comes out untouched.
Fails below 97% positive / 99% negative. Prints the figures and each miss.
"""
import json
import os
import re
import shlex
import subprocess
import sys

# A command to run wsaerr under (valgrind in scripts/test), from the environment.
WRAPPER = shlex.split(os.environ.get("WSAERR_WRAPPER", ""))

POSITIVE_MIN, NEGATIVE_MIN = 0.97, 0.99
HERE = os.path.dirname(os.path.abspath(__file__))
# The three annotation forms wsaerr writes: [NAME: msg], [CODE: msg], [NAME CODE: msg]
ANNOTATION = re.compile(rb" \[(?:(WSA[A-Z_]+) )?(?:(WSA[A-Z_]+)|(\d+)): [^\]]*\]")


def table(binary):
    names = {}
    for row in subprocess.run(WRAPPER + [binary, "--list"], check=True, capture_output=True).stdout.splitlines():
        code, name, _ = row.split(b"\t")
        names[name] = int(code)
    return names


def codes_in(output, names):
    found = []
    for m in ANNOTATION.finditer(output):
        found.append(int(m.group(3)) if m.group(3) else names[m.group(1) or m.group(2)])
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    binary = args[0]
    corpus = args[1] if len(args) > 1 else os.path.join(HERE, "lines.jsonl")
    rows = [json.loads(l) for l in open(corpus, encoding="utf-8")]
    names = table(binary)
    data = b"".join(r["line"].encode("utf-8") + b"\n" for r in rows)
    p = subprocess.run(WRAPPER + [binary], input=data, capture_output=True, check=True)
    out = p.stdout.split(b"\n")[:-1]
    assert len(out) == len(rows), "line count changed: %d -> %d" % (len(rows), len(out))
    pos_ok = neg_ok = pos = neg = 0
    formats = set()
    for r, got in zip(rows, out):
        want = sorted(set(r["codes"]))
        found = codes_in(got, names)
        if want:
            pos += 1
            formats.add(r["format"])
            ok = sorted(found) == want
            pos_ok += ok
        else:
            neg += 1
            ok = got == r["line"].encode("utf-8")
            neg_ok += ok
        if not ok or verbose:
            print("%s %-24s want %-14s got %-14s %s" % ("ok  " if ok else "MISS", r["format"], want, found,
                                                      got.decode("utf-8", "replace")[:220]))
    pr, nr = pos_ok / pos, neg_ok / neg
    print("corpus: %d lines; positive %d/%d = %.1f%% (min %.0f%%) in %d formats; negative %d/%d = %.1f%% (min %.0f%%)"
          % (len(rows), pos_ok, pos, 100 * pr, 100 * POSITIVE_MIN, len(formats), neg_ok, neg, 100 * nr,
             100 * NEGATIVE_MIN))
    failed = (pr < POSITIVE_MIN) + (nr < NEGATIVE_MIN)
    print("score: %d passed, %d failed" % (2 - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
