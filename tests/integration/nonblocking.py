#!/usr/bin/env python3
"""Non-blocking pipes (O_NONBLOCK set by whoever made them, shared with
wsaerr): the whole output arrives and the exit status is 0, in one thread
(-j 1), with threads (-j 2), with --line-buffered and with --mmexternal.

    nonblocking.py WSAERR

slow writer     standard input a non-blocking pipe whose writer pauses
                between lines: a read finds nothing ready (EAGAIN) and must
                wait, not end with "Resource temporarily unavailable".
SIGTERM         the same pipe, the writer silent but open: SIGTERM still ends
                the wait, with what was read written out and status 0.
slow reader     standard output a non-blocking pipe read slowly: a write finds
                the pipe full (EAGAIN) and must wait, not end with "write error"
                and the output cut.
Each output is compared with what the same options make of the same input
read from a file into an ordinary pipe.
"""
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from checks import WRAPPER, run_checks

WAYS = [["-j", "1"], ["-j", "2"], ["--line-buffered"], ["--mmexternal"]]
LINE = b"%06d recv failed: [WinError 10054] reset, then WSAETIMEDOUT on port 10050\n"


def nonblocking(fd):
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)


def reference(binary, args, path):
    with open(path, "rb") as f:
        return subprocess.run([binary, *args], stdin=f, capture_output=True, check=True, timeout=120).stdout


def collect(stream, out):
    """Reads stream into the list out until it ends, in a thread."""
    def run():
        for chunk in iter(lambda: stream.read1(1 << 16), b""):
            out.append(chunk)
    t = threading.Thread(target=run)
    t.start()
    return t


def slow_writer(binary, args, d):
    lines = [LINE % i for i in range(4)]
    path = os.path.join(d, "slow.log")
    with open(path, "wb") as f:
        f.writelines(lines)
    r, w = os.pipe()
    nonblocking(r)
    p = subprocess.Popen(WRAPPER + [binary, *args], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r)
    try:
        for line in lines:
            os.write(w, line)
            time.sleep(0.15)
    except BrokenPipeError:
        pass  # wsaerr gave up early: the checks below say how
    finally:
        os.close(w)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and not err, "%s: exit status %d, stderr %r" % (args, p.returncode, err[:300])
    assert out == reference(binary, args, path), "%s: output differs (%d bytes): %r" % (args, len(out), out[:300])


def sigterm(binary, args, d):
    path = os.path.join(d, "one.log")
    with open(path, "wb") as f:
        f.write(LINE % 0)
    r, w = os.pipe()
    nonblocking(r)
    p = subprocess.Popen(WRAPPER + [binary, *args], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(r)
    out = []
    t = collect(p.stdout, out)
    try:
        os.write(w, LINE % 0)
        deadline = time.monotonic() + 30
        while not b"".join(out).endswith(b"\n") and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # waiting for more input now
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=10)
    finally:
        os.close(w)
        p.kill()
        p.wait()
    t.join()
    err = p.stderr.read()
    assert rc == 0 and not err, "%s: exit status %d, stderr %r" % (args, rc, err[:300])
    got = b"".join(out)
    assert got == reference(binary, args, path), "%s: output %r" % (args, got[:300])


def slow_reader(binary, args, path):
    r, w = os.pipe()
    nonblocking(w)
    with open(path, "rb") as f:
        p = subprocess.Popen(WRAPPER + [binary, *args], stdin=f, stdout=w, stderr=subprocess.PIPE)
    os.close(w)
    time.sleep(0.3)  # the pipe fills up
    got = []
    with os.fdopen(r, "rb", buffering=0) as out:
        for chunk in iter(lambda: out.read(1 << 16), b""):
            got.append(chunk)
            time.sleep(0.002)
    rc = p.wait(timeout=120)
    err = p.stderr.read()
    got = b"".join(got)
    assert rc == 0 and not err, "%s: exit status %d, stderr %r, %d bytes out" % (args, rc, err[:300], len(got))
    want = reference(binary, args, path)
    assert got == want, "%s: %d bytes out, want %d" % (args, len(got), len(want))
    return len(got)


def main():
    binary = sys.argv[1]
    d = tempfile.TemporaryDirectory()
    # over 1 MiB, so that -j 2 uses its threads on it; the output is more than a widened pipe holds
    big = os.path.join(d.name, "big.log")
    with open(big, "wb") as f:
        f.writelines(LINE % i for i in range(16000))
    checks = []
    for args in WAYS:
        name = " ".join(args)
        checks += [("slow writer, " + name, lambda a=args: slow_writer(binary, a, d.name)),
                   ("SIGTERM while waiting, " + name, lambda a=args: sigterm(binary, a, d.name)),
                   ("slow reader, " + name, lambda a=args: "%d bytes" % slow_reader(binary, a, big))]
    run_checks("nonblocking", checks)


if __name__ == "__main__":
    main()
