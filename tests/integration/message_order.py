#!/usr/bin/env python3
"""Messages about lines come out where they belong: with standard output and
standard error on one pipe (2>&1), the message about line N stands right
after the output of line N-1 and before the output of line N, with one
thread and with worker threads, from a FILE operand and from a pipe.
Lines that hit PCRE2's match limit (a --patterns pattern that backtracks)
stand at known places: first, last (no newline), in the middle of blocks,
side by side. Also a read error (a directory) comes after the output before it.

    message_order.py WSAERR
"""
import os
import re
import subprocess
import sys
import tempfile

from checks import WRAPPER, run_checks

BACKTRACKS = b"(?:(?:a|aa)+)+b(?<code>10054)\n"
LIMIT_LINE = b"a" * 40 + b" x 10054"
MESSAGE = re.compile(rb"^wsaerr: [^\n]*:(\d+): [^\n]*\n", re.M)


def make_log(path, lines):
    """About 3 MiB (more than two blocks, so a FILE gets threads), match-limit lines where bad holds."""
    bad = {k for k in (1, 2, 777, 778, 779, 20000, 20001, 31337, 40000, lines) if k <= lines}
    with open(path, "wb") as f:
        for i in range(1, lines + 1):
            if i in bad:
                f.write(LIMIT_LINE)
            elif i % 50 == 0:
                f.write(b"%d recv failed: [WinError 10054] An existing connection was forcibly closed" % i)
            else:
                f.write(b"%d INFO [http] GET /items/%d 200 in 12 ms, keep-alive, nothing to see here" % (i, i))
            if i < lines:
                f.write(b"\n")
    return bad


def outcome(binary, args, log, piped, merged):
    """(status, stdout, stderr) over log, as operand or through a pipe; stderr joins stdout when merged."""
    with open(log, "rb") as f:
        data = f.read() if piped else None
    p = subprocess.run(WRAPPER + [binary, *args, "-" if piped else log], input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT if merged else subprocess.PIPE, timeout=600)
    return p.returncode, p.stdout, p.stderr


def interleaved(out, err):
    """The output with each message put before the line it names: what 2>&1 must show."""
    at = {}
    for m in MESSAGE.finditer(err):
        at.setdefault(int(m.group(1)), []).append(m.group(0))
    lines = out.split(b"\n")
    return b"\n".join(b"".join(at.get(n, [])) + line for n, line in enumerate(lines, 1))


def run(binary):
    with tempfile.TemporaryDirectory() as d:
        log, pat = os.path.join(d, "log"), os.path.join(d, "backtracks.pcre")
        with open(pat, "wb") as f:
            f.write(BACKTRACKS)
        bad = make_log(log, 2000 if WRAPPER else 45000)

        def limit_messages():
            for j in ("1", "2"):
                for piped in (False, True):
                    note = f"-j {j} {'pipe' if piped else 'FILE'}"
                    rc, out, err = outcome(binary, ["-j", j, "-p", pat], log, piped, merged=False)
                    assert rc == 2, f"{note}: exit {rc}"
                    named = sorted(int(m.group(1)) for m in MESSAGE.finditer(err))
                    assert named == sorted(bad), f"{note}: messages about lines {named}, want {sorted(bad)}"
                    _, both, _ = outcome(binary, ["-j", j, "-p", pat], log, piped, merged=True)
                    want = interleaved(out, err)
                    if both != want:
                        k = next(i for i in range(min(len(both), len(want))) if both[i] != want[i])
                        raise AssertionError(f"{note}: at byte {k} of 2>&1: {both[k - 80:k + 80]!r},"
                                             f" want {want[k - 80:k + 80]!r}")
            return f"{len(bad)} messages, -j 1/2, FILE and pipe"

        def read_error():
            # the first FILE's output is still buffered when the directory fails to read
            for j in ("1", "2"):
                p = subprocess.run(WRAPPER + [binary, "-j", j, pat, d], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=600)
                assert p.returncode == 2, f"-j {j}: exit {p.returncode}"
                want = BACKTRACKS + f"wsaerr: {d}: Is a directory\n".encode()
                assert p.stdout == want, f"-j {j}: 2>&1 gave {p.stdout!r}, want {want!r}"
            return None

        def long_line():
            # longer than the buffer: the limit is hit in a later piece, once the line's start
            # is out, so the message waits for the line's end instead of splitting it
            longlog = os.path.join(d, "long")
            with open(longlog, "wb") as f:
                f.write(b"ok\n" + b"b " * 400000 + LIMIT_LINE + b"\nok\n")
            for j in ("1", "2"):
                for piped in (False, True):
                    note = f"-j {j} {'pipe' if piped else 'FILE'}"
                    _, both, _ = outcome(binary, ["-j", j, "-p", pat], longlog, piped, merged=True)
                    lines = both.split(b"\n")
                    assert len(lines) == 5 and MESSAGE.match(lines[2] + b"\n"), f"{note}: lines {[l[:60] for l in lines]}"
                    assert lines[1] == b"b " * 400000 + LIMIT_LINE and lines[2].endswith(b":2: match limit exceeded;"
                                                                                           b" line passed through unannotated"), note
            return "message after the 800 KB line, -j 1/2, FILE and pipe"

        run_checks("message-order", [
            ("match limit messages between their lines", limit_messages),
            ("a message about a long line after it", long_line),
            ("read error after the output before it", read_error),
        ])


if __name__ == "__main__":
    run(sys.argv[1])
