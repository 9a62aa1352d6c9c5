#!/usr/bin/env python3
"""SIGTERM while streaming: wsaerr stops reading, writes out everything it had
read (annotated, a last incomplete line too) and exits with status 0.

    sigterm.py WSAERR

slow producer   lines written one at a time, each waited for until wsaerr has
                read it, then half a line; SIGTERM. The output is exactly what
                wsaerr makes of all those bytes.
busy            a fast producer keeps the pipe full and wsaerr busy; SIGTERM
                after the first output. The test keeps its own copy of the
                pipe's read end, so afterwards it can count the bytes wsaerr
                never read: the output is exactly what wsaerr makes of the
                bytes it did read, none lost and none added.
SIGINT          as the slow producer, with --summary: the summary too, then
                wsaerr ends as killed by SIGINT.
stalled reader  the output is not read, so wsaerr blocks in a write, and the
                producer, done, keeps the pipe open; SIGTERM, then the output
                is read: wsaerr must not go on to wait for input that never
                comes (it did, in poll(2) with threads, in read(2) with one).
"""
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

from checks import WRAPPER, run_checks

LINE = b"%06d recv failed: [WinError 10054] and WSAETIMEDOUT, port 10050\n"


def queued(fd):
    """Bytes in the pipe not yet read."""
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]


def reference(binary, data):
    return subprocess.run([binary], input=data, capture_output=True, check=True).stdout


def start(binary, args=()):
    """wsaerr reading a pipe whose read end this process keeps too."""
    r, w = os.pipe()
    p = subprocess.Popen(WRAPPER + [binary] + list(args), stdin=r, stdout=subprocess.PIPE)
    return p, r, w


def collect(p, out):
    """Reads p's output into the list out until it ends."""
    def run():
        while True:
            chunk = p.stdout.read1(1 << 16)
            if not chunk:
                return
            out.append(chunk)
    t = threading.Thread(target=run)
    t.start()
    return t


def wait_drained(fd, what):
    deadline = time.monotonic() + 30
    while queued(fd) > 0:
        if time.monotonic() > deadline:
            raise AssertionError("wsaerr did not read %s within 30 s" % what)
        time.sleep(0.005)


def slow_producer(binary):
    p, r, w = start(binary)
    out = []
    t = collect(p, out)
    sent = b""
    for i in range(20):
        sent += LINE % i
        os.write(w, LINE % i)
        wait_drained(r, "line %d" % i)
        time.sleep(0.01)
    os.write(w, b"half a line: (os error 10061)")
    sent += b"half a line: (os error 10061)"
    wait_drained(r, "the half line")
    time.sleep(0.2)  # wsaerr is now blocked in read(2)
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=60)
    t.join()
    os.close(w), os.close(r)
    return check(b"".join(out), reference(binary, sent), rc, "%d bytes sent" % len(sent))


def busy(binary):
    p, r, w = start(binary)
    out = []
    t = collect(p, out)
    stop = threading.Event()
    data = b"".join(LINE % i for i in range(200000))  # about 13 MiB, more than wsaerr reads before the signal
    sent = [0]

    def produce():
        os.set_blocking(w, False)
        while sent[0] < len(data) and not stop.is_set():
            try:
                sent[0] += os.write(w, data[sent[0]:sent[0] + 65536])
            except BlockingIOError:
                time.sleep(0.001)

    producer = threading.Thread(target=produce)
    producer.start()
    deadline = time.monotonic() + 30
    while sum(map(len, out)) < 256 * 1024 and time.monotonic() < deadline:
        time.sleep(0.001)
    p.send_signal(signal.SIGTERM)
    rc = p.wait(timeout=60)
    stop.set()
    producer.join()
    t.join()
    read = sent[0] - queued(r)
    os.close(w), os.close(r)
    if read >= len(data):
        raise AssertionError("wsaerr read all the input before SIGTERM: the test proves nothing")
    return check(b"".join(out), reference(binary, data[:read]), rc,
          "%d of %d bytes read before SIGTERM" % (read, len(data)))


def stalled_reader(binary, args):
    """Output first fills the pipe to 64 KiB short of full; then less than a
    pipe of input whose output (over 64 KiB) wsaerr holds until the input has
    nothing more: the write it then makes blocks."""
    one = len(reference(binary, LINE % 0))
    p, r, w = start(binary, args)
    out = []
    room = fcntl.fcntl(p.stdout.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ: as wsaerr widens it
    first = b"".join(LINE % i for i in range((room - 65536) // one))
    second = b"".join(LINE % i for i in range(60000 // len(LINE % 0)))
    for data in first, second:
        os.write(w, data)
        wait_drained(r, "its input")
        time.sleep(0.3)
    p.send_signal(signal.SIGTERM)
    t = collect(p, out)
    try:
        rc = p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        raise AssertionError("still running 60 s after SIGTERM (%s)" % " ".join(args))
    finally:
        t.join()
        os.close(w), os.close(r)
    return check(b"".join(out), reference(binary, first + second), rc, "%s, %d bytes in" % (
        " ".join(args), len(first + second)))


def sigint(binary):
    """Ctrl-C: as SIGTERM (everything read goes out, the summary too), then
    wsaerr ends as killed by SIGINT, so a shell stops the script it is in."""
    r, w = os.pipe()
    p = subprocess.Popen(WRAPPER + [binary, "--summary"], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sent = LINE % 1 + b"half a line: (os error 10061)"
    os.write(w, sent)
    wait_drained(r, "its input")
    time.sleep(0.2)  # wsaerr is now waiting for more input
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    os.close(w), os.close(r)
    if p.returncode != -signal.SIGINT:
        raise AssertionError("exit status %d after SIGINT, want death by SIGINT" % p.returncode)
    if b"WSAECONNREFUSED" not in err or b"WSAECONNRESET" not in err:
        raise AssertionError("no summary after SIGINT: %r" % err)
    check(out, reference(binary, sent), 0, "SIGINT")
    return "%d bytes out, summary on stderr, killed by SIGINT" % len(out)


def check(got, want, rc, detail):
    if rc != 0:
        raise AssertionError("exit status %d after SIGTERM (%s)" % (rc, detail))
    if got != want:
        i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
        raise AssertionError("output differs at byte %d: %d bytes, want %d (%s); got %r want %r" % (
            i, len(got), len(want), detail, got[i:i + 80], want[i:i + 80]))
    return "%s, %d bytes out" % (detail, len(got))


def main():
    binary = sys.argv[1]
    run_checks("sigterm", [("slow producer", lambda: slow_producer(binary)), ("busy", lambda: busy(binary)),
                           ("stalled reader", lambda: stalled_reader(binary, ["-j", "1"])),
                           ("stalled reader, threads", lambda: stalled_reader(binary, ["-j", "2"])),
                           ("SIGINT", lambda: sigint(binary))])

if __name__ == "__main__":
    main()
