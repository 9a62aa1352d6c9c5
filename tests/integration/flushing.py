#!/usr/bin/env python3
"""Adaptive flushing: with no flag, each line fed slowly through a pipe comes
out at once (as in `tail -f log | wsaerr | less`); a fast stream is still
written in large blocks; --line-buffered writes once per line.

    flushing.py WSAERR
"""
import os
import select
import subprocess
import sys
import tempfile
import time

from checks import WRAPPER, run_checks

LINE = b"recv failed: [WinError 10054] reset %d\n"
WANT = b"recv failed: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] reset %d\n"


def slow_feed(binary, args):
    """Writes a line, waits for its annotated copy; returns the worst wait in seconds."""
    p = subprocess.Popen(WRAPPER + [binary] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    worst = 0.0
    try:
        for i in range(20):
            start = time.monotonic()
            p.stdin.write(LINE % i)
            got = b""
            while not got.endswith(b"\n"):
                r, _, _ = select.select([p.stdout], [], [], 2.0)
                if not r:
                    raise AssertionError("line %d held back for 2 s (args %r)" % (i, args))
                got += os.read(p.stdout.fileno(), 4096)
            if got != WANT % i:
                raise AssertionError("line %d came out as %r" % (i, got))
            worst = max(worst, time.monotonic() - start)
    finally:
        p.stdin.close()
        p.wait(timeout=10)
    if p.returncode != 0:
        raise AssertionError("exit status %d" % p.returncode)
    return worst


def write_calls(binary, args, data):
    """How many write(2) calls wsaerr makes for data read from a regular file."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.log")
        with open(src, "wb") as f:
            f.write(data)
        trace = os.path.join(d, "trace")
        # LeakSanitizer cannot run under ptrace; the leak check is done elsewhere.
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        subprocess.run(["strace", "-f", "-e", "trace=write", "-o", trace] + WRAPPER + [binary] + args + [src],
                       check=True, stdout=subprocess.DEVNULL, env=env)
        with open(trace) as f:
            return sum(1 for line in f if " write(1," in line)


def worst(binary, args):
    return "%.1f ms worst" % (slow_feed(binary, args) * 1000)


def main():
    binary = sys.argv[1]
    checks = []
    checks.append(("no flag: each slow line arrives at once", lambda: worst(binary, [])))
    checks.append(("--line-buffered: each slow line arrives at once", lambda: worst(binary, ["--line-buffered"])))
    data = b"".join(LINE % i for i in range(100000))  # about 4 MiB

    def blocks():
        n = write_calls(binary, [], data)
        if n > 64:
            raise AssertionError("%d writes for 4 MiB from a file: not written in large blocks" % n)
        return "%d writes" % n

    def per_line():
        n = write_calls(binary, ["--line-buffered"], data[: 1000 * len(LINE % 0)])
        if n < 900:
            raise AssertionError("--line-buffered made only %d writes for ~1000 lines" % n)
        return "%d writes" % n

    checks.append(("fast stream written in large blocks", blocks))
    checks.append(("--line-buffered writes per line", per_line))
    run_checks("flushing", checks)


if __name__ == "__main__":
    main()
