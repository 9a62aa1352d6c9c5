#!/usr/bin/env python3
"""Runs one libFuzzer target for a while from its seed corpus and reports
what it did; fails on any crash, sanitizer report, broken invariant, hang
or memory blow-up (libFuzzer exits non-zero on each).

    run.py FUZZER TARGET [SECONDS] [CORPUS]

SECONDS defaults to $WSAERR_FUZZ_SECONDS or 20. libFuzzer's random seed is
$WSAERR_FUZZ_SEED or 1, so the suite's short runs try the same inputs each
time; 0 asks for a new seed each run (for longer runs). CORPUS, when given, is a
folder kept between runs (new inputs are added to it); otherwise a temporary
one is used. A crashing input is written next to the build as
fuzz-TARGET-crash-* and printed in base64 by libFuzzer.
"""
import os
import re
import subprocess
import sys
import tempfile

import seeds

STATUS = re.compile(rb"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)", re.M)


def main():
    fuzzer, target = os.path.abspath(sys.argv[1]), sys.argv[2]
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else int(os.environ.get("WSAERR_FUZZ_SECONDS", "20"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = sys.argv[4] if len(sys.argv) > 4 else os.path.join(tmp, "corpus")
        os.makedirs(corpus, exist_ok=True)
        seed_dir = os.path.join(tmp, "seeds")
        nseeds = seeds.write_seeds(target, seed_dir)
        prefix = os.path.join(os.path.dirname(fuzzer), "fuzz-%s-" % target)
        seed = int(os.environ.get("WSAERR_FUZZ_SEED", "1"))
        cmd = [fuzzer, "-seed=%d" % seed, "-max_total_time=%d" % seconds, "-timeout=10", "-rss_limit_mb=2048",
               "-print_final_stats=1", "-artifact_prefix=" + prefix, corpus, seed_dir]
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                   UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    log = p.stdout
    last = STATUS.findall(log)
    execs = re.search(rb"stat::number_of_executed_units: (\d+)", log)
    rate = re.search(rb"stat::average_exec_per_sec:\s+(\d+)", log)
    if last:
        n, cov, ft, corp, size = last[-1]
        print("fuzz %s: %s execs in %d s (%s/s), cov: %s ft: %s, corpus %s inputs (%s), %d seeds" % (
            target, (execs.group(1) if execs else n).decode(), seconds, rate.group(1).decode() if rate else "?",
            cov.decode(), ft.decode(), corp.decode(), size.decode(), nseeds))
    if p.returncode != 0 or not last:
        sys.stdout.write(log[-6000:].decode(errors="replace"))
        print("fuzz %s: FAILED (libFuzzer exit %d)" % (target, p.returncode))
        sys.exit(1)
    print("fuzz %s: 1 passed, 0 failed" % target)


if __name__ == "__main__":
    main()
