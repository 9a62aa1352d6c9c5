#!/usr/bin/env python3
"""A single 1 GiB line with no newline, a Winsock error in its middle, goes
through wsaerr in bounded memory and comes out whole, annotated once: fed
through a pipe, or (--file) from a regular file, the way worker threads
(src/parallel.c) take it; with --number, through `wsaerr -n`, which puts
"1:" before it and a newline after it (as grep does) and must hold no more
of it than without.

    long_line.py WSAERR [MIB] [--file] [--number]
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import threading

from checks import peak_rss_kib

RSS_LIMIT_KIB = 16 * 1024
MIDDLE = b" error 10054 "
ANNOTATED = b" error 10054 [WSAECONNRESET: Connection reset by peer] "


def write_line(out, half, block):
    for _ in range(half // len(block)):
        out.write(block)
    out.write(MIDDLE)
    for _ in range(half // len(block)):
        out.write(block)


def main():
    args = [a for a in sys.argv[1:] if a not in ("--file", "--number")]
    from_file = "--file" in sys.argv[1:]
    prefix, suffix, options = (b"1:", b"\n", ["-n"]) if "--number" in sys.argv[1:] else (b"", b"", [])
    binary, mib = args[0], int(args[1]) if len(args) > 1 else 1024
    half = mib * 1024 * 1024 // 2
    block = b"z" * (1 << 20)
    if from_file:
        tmp = tempfile.NamedTemporaryFile(prefix="wsaerr-long-line-", delete=False)
        with tmp:
            write_line(tmp, half, block)
        with open(tmp.name, "rb") as stdin:
            p = subprocess.Popen([binary, "-j", "2"] + options, stdin=stdin, stdout=subprocess.PIPE)
        os.unlink(tmp.name)  # wsaerr holds it open
        t = threading.Thread(target=lambda: None)
    else:
        p = subprocess.Popen([binary] + options, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        def feed():
            write_line(p.stdin, half, block)
            p.stdin.close()

        t = threading.Thread(target=feed)
    t.start()
    out_len, found, tail, digest, rss = 0, 0, b"", hashlib.sha256(), 0
    while True:
        chunk = p.stdout.read(1 << 20)
        if not chunk:
            break
        rss = max(rss, peak_rss_kib(p.pid))
        window = tail + chunk
        found += window.count(ANNOTATED) - tail.count(ANNOTATED)
        tail = window[-len(ANNOTATED):]
        out_len += len(chunk)
        digest.update(chunk)
    t.join()
    p.wait()
    want_len = len(prefix) + 2 * half + len(ANNOTATED) + len(suffix)
    expect = hashlib.sha256()
    expect.update(prefix)
    for _ in range(half // len(block)):
        expect.update(block)
    expect.update(ANNOTATED)
    for _ in range(half // len(block)):
        expect.update(block)
    expect.update(suffix)
    checks = [
        ("exit status 0", p.returncode == 0, p.returncode),
        ("output length", out_len == want_len, "%d want %d" % (out_len, want_len)),
        ("annotated exactly once", found == 1, found),
        ("output bytes exact", digest.digest() == expect.digest(), "sha256"),
        ("peak RSS <= %d KiB" % RSS_LIMIT_KIB, rss <= RSS_LIMIT_KIB, "%d KiB" % rss),
    ]
    failed = 0
    for name, ok, detail in checks:
        print("%s %s (%s)" % ("ok    " if ok else "FAILED", name, detail))
        failed += not ok
    print("long_line %d MiB%s%s: %d passed, %d failed" % (mib, " from a file" if from_file else "",
                                                           " with -n" if prefix else "", len(checks) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
