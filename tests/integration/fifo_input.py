#!/usr/bin/env python3
"""A named pipe (FIFO) as the input file, fed by a slow writer: each line
comes out annotated as soon as it is complete, of a half-written line what
its end cannot change comes out at once, and the whole output is right when
the writer closes.

    fifo_input.py WSAERR
"""
import os
import select
import subprocess
import sys
import tempfile
import time

from checks import WRAPPER, run_checks

LINE = b"%d connect: (os error 10061) after 10050 ms\n"
WANT = b"%d connect: (os error 10061 [WSAECONNREFUSED: Connection refused]) after 10050 ms\n"
HALF = 16  # "0 connect: (os e": the token is not there yet


def read_until_newline(fd, seconds):
    """What fd gives until a newline or until seconds pass with nothing new."""
    got = b""
    while not got.endswith(b"\n"):
        r, _, _ = select.select([fd], [], [], seconds)
        if not r:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        got += chunk
    return got


def run(binary):
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "in.fifo")
        os.mkfifo(fifo)
        p = subprocess.Popen(WRAPPER + [binary, fifo], stdout=subprocess.PIPE)
        out = p.stdout.fileno()
        w = os.open(fifo, os.O_WRONLY)  # waits until wsaerr opens it
        everything, worst = b"", 0.0
        try:
            for i in range(10):
                line = LINE % i
                os.write(w, line[:HALF])
                early = read_until_newline(out, 0.3)
                if not line[:HALF].startswith(early):
                    raise AssertionError("of half of line %d came out %r" % (i, early))
                time.sleep(0.05)
                os.write(w, line[HALF:])
                start = time.monotonic()
                got = early + read_until_newline(out, 5.0)
                if got != WANT % i:
                    raise AssertionError("line %d came out as %r" % (i, got))
                worst = max(worst, time.monotonic() - start)
                everything += got
        finally:
            os.close(w)
        rest = p.stdout.read()
        rc = p.wait(timeout=30)
    if rest or rc != 0:
        raise AssertionError("after the writer closed: %r more, exit status %d" % (rest, rc))
    if everything != b"".join(WANT % i for i in range(10)):
        raise AssertionError("whole output differs")
    return "each line out at most %.1f ms after its end" % (worst * 1000)


def main():
    run_checks("fifo_input", [("fifo with a slow writer", lambda: run(sys.argv[1]))])

if __name__ == "__main__":
    main()
