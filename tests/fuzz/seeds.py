#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a folder, made from the
test data already in the repository (nothing here is data of its own).

    seeds.py TARGET DIR        TARGET: filter, patterns or lookup

filter    golden inputs, examples/*.log and the labelled real lines of
          tests/corpus/lines.jsonl (in groups of 8), each behind the 4-byte
          header fuzz_filter.c reads, with buffer sizes from 64 to 4096; and
          tests/fuzz/regressions/filter-* as they are (inputs that once broke
          an invariant, so every run tries them first)
patterns  patterns/*.pcre and the pattern files of the golden cases
lookup    the arguments of the golden --lookup cases
"""
import glob
import json
import os
import shlex
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
# (buffer size, sink size byte, flags): small buffers first, so long-line pieces are seeded
HEADERS = [(64, 0, 0), (257, 3, 1), (1024, 255, 2), (1500, 16, 3), (4096, 1, 4), (2048, 7, 6)]


def files(*patterns):
    for p in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, p))):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    yield f.read()


def filter_seeds():
    logs = list(files("tests/golden/*/in", "tests/golden/*/*.log", "examples/*.log"))
    with open(os.path.join(ROOT, "tests/corpus/lines.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(l)["line"].encode() for l in f if l.strip()]
    logs += [b"\n".join(lines[i:i + 8]) + b"\n" for i in range(0, len(lines), 8)]
    yield from files("tests/fuzz/regressions/filter-*")
    for i, log in enumerate(logs):
        size, sink, flags = HEADERS[i % len(HEADERS)]
        header = bytes([(size - 64) >> 8, (size - 64) & 0xFF, sink, flags])
        # libFuzzer's inputs stay under 4 KiB by default: keep the first part of a big log
        yield header + log[:4000]


def pattern_seeds():
    return files("patterns/*.pcre", "tests/golden/*/*.pcre")


def lookup_seeds():
    for cmd in files("tests/golden/lookup-*/cmd"):
        words = shlex.split(cmd.decode())
        for w in words[words.index("--lookup") + 1:] if "--lookup" in words else []:
            yield w.encode()


TARGETS = {"filter": filter_seeds, "patterns": pattern_seeds, "lookup": lookup_seeds}


def write_seeds(target, out):
    os.makedirs(out, exist_ok=True)
    n = 0
    for n, data in enumerate(TARGETS[target](), 1):
        with open(os.path.join(out, "seed-%04d" % n), "wb") as f:
            f.write(data)
    return n


if __name__ == "__main__":
    print("%d seeds" % write_seeds(sys.argv[1], sys.argv[2]))
