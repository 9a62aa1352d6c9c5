#!/usr/bin/env python3
"""Idempotence and --strip on tokens glued together at random: lines made of
fragments ('-2147014842', 'errno 10061', 'abc', '.5' ...) with nothing or
anything between them. An annotation wsaerr inserts gives the next token a
left neighbour (']') it lacked, so a token refused on the first run for its
neighbour must not be taken on the second. For every line:

    wsaerr | wsaerr  ==  wsaerr        wsaerr | wsaerr --strip  ==  input

All lines go through three wsaerr runs in all, not one per line.

    glued_tokens.py WSAERR [LINES [SEED]]
"""
import random
import subprocess
import sys

from checks import WRAPPER, run_checks

FRAGMENTS = [
    "-2147014842", "os error 10060", "errno 10061", "[WinError 10054]", "0x80072746",
    "WSAECONNRESET", " ", "=", "abc", ".5",
    # more neighbours a token may meet
    "8007274c", "hr=", "error ", "10054", "0x2746", "E730060", "-", ":", "(", ")", "_", "x",
    "Connection refused", "An existing connection was forcibly closed by the remote host",
    "0x8007274D", "-2147014843", "2147014842", "-21470", "730054", "11001", "-10054", "WSAETIMEDOUT",
    "Connection timed out", "1", "0", "E", "WSA", "0x", "[", "]", "#", ".", ",", "'", "\u00e9",
    "\u8fde\u63a5", "Socket Error", "system:", "ECONNREFUSED", "GetLastError() = ", "error -", "failed (",
    "[Errno ", "ErrorCode=", "Error(",
]


def lines(count, seed):
    rnd = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rnd.choice(FRAGMENTS) for _ in range(rnd.randint(2, 6))]
        out.append("".join(parts).encode())
    return out


def wsaerr(binary, data, *args):
    return subprocess.run(WRAPPER + [binary, *args], input=data, stdout=subprocess.PIPE, check=True).stdout


def check(binary, count, seed):
    source = lines(count, seed)
    data = b"".join(line + b"\n" for line in source)
    once = wsaerr(binary, data)
    twice = wsaerr(binary, once)
    back = wsaerr(binary, once, "--strip")
    once_l, twice_l, back_l = once.split(b"\n"), twice.split(b"\n"), back.split(b"\n")
    if not len(once_l) == len(twice_l) == len(back_l) == len(source) + 1:
        raise AssertionError("line counts differ: %d in, %d/%d/%d out"
                             % (len(source), len(once_l) - 1, len(twice_l) - 1, len(back_l) - 1))
    bad = []
    for i, line in enumerate(source):
        if twice_l[i] != once_l[i]:
            bad.append("not idempotent: %r\n    once  %r\n    twice %r" % (line, once_l[i], twice_l[i]))
        if back_l[i] != line:
            bad.append("--strip differs: %r\n    once  %r\n    strip %r" % (line, once_l[i], back_l[i]))
    if bad:
        raise AssertionError("%d of %d lines (seed %d):\n  %s"
                             % (len(bad), count, seed, "\n  ".join(bad[:20])))
    return "%d lines, %d annotated" % (count, sum(1 for i, l in enumerate(source) if once_l[i] != l))


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    run_checks("glued-tokens", [("idempotent and strip", lambda: check(binary, count, seed))])


if __name__ == "__main__":
    main()
