#!/usr/bin/env python3
"""wsaerr behind a real rsyslogd (Debian's rsyslog, mmexternal).

    rsyslog.py WSAERR               the checks (meson suite 'integration')
    rsyslog.py WSAERR --bench N [RUNS]
                                    messages/s through rsyslog without wsaerr,
                                    with --mmexternal and with =fulljson
                                    (median of RUNS runs of N messages, 5)

rsyslogd runs as this script's child (-n, own config, work directory and pid
file; imtcp on 127.0.0.1 and a free port, nothing from the system). Every
message carries seq=N; rsyslog writes each message's msg before wsaerr
(before.log) and msg plus $! after it (after.log), one JSON record a line.
Exit status 77 (skipped) only when there is no rsyslogd to run.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from checks import run_checks

RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
RESET = {"count": 1, "names": "WSAECONNRESET",
         "errors": [{"code": 10054, "name": "WSAECONNRESET", "message": "Connection reset by peer"}]}

CONFIG = """\
global(workDirectory="{d}" maxMessageSize="256k")
main_queue(queue.workerThreads="1")
module(load="imtcp")
module(load="mmexternal")
template(name="before" type="string" string="{{\\"msg\\":\\"%msg:::json%\\"}}\\n")
template(name="after" type="string" string="{{\\"msg\\":\\"%msg:::json%\\",\\"vars\\":\\"%$!:::json%\\"}}\\n")
input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="{d}/port" ruleset="in"
      maxFrameSize="300000")
ruleset(name="in") {{
  action(type="omfile" file="{d}/before.log" template="before")
  {mmexternal}
  action(type="omfile" file="{d}/after.log" template="after")
}}
action(type="omfile" file="{d}/internal.log")
"""


def test_config(mmexternal_args, escape=True):
    """The test's configuration, with wsaerr run by mmexternal with these arguments (None: not at all)."""
    def config(d, link):
        mm = ""
        if mmexternal_args:
            mm = 'action(type="mmexternal" binary="%s %s" interface.input="%s")' % (
                link, mmexternal_args, "fulljson" if "fulljson" in mmexternal_args else "msg")
        conf = CONFIG.format(d=d, mmexternal=mm)
        if not escape:
            conf = conf.replace('maxMessageSize="256k"',
                                'maxMessageSize="256k" parser.escapeControlCharactersOnReceive="off"')
        return conf
    return config


def example_config(d, link):
    """examples/rsyslog/wsaerr.conf as shipped, but for its paths, ports and binary."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "rsyslog", "wsaerr.conf")
    with open(path) as f:
        conf = f.read()
    for old, new in (("/var/log/fleet", d), ("/usr/local/bin/wsaerr", link),
                     ('input(type="imtcp" port="514"',
                      'input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%s/port"' % d),
                     ('input(type="imudp" port="514"', 'input(type="imudp" address="127.0.0.1" port="0"')):
        if old not in conf:
            raise AssertionError("the example no longer has %r" % old)
        conf = conf.replace(old, new)
    return 'global(workDirectory="%s")\n' % d + conf


def frame(payload, octet_count):
    """One syslog message over TCP: LF-terminated, or RFC 6587 octet counting."""
    msg = b"<13>Oct 11 22:14:15 host app:" + payload
    return b"%d %s" % (len(msg), msg) if octet_count else msg + b"\n"


class Rsyslog:
    """rsyslogd with one config, started and stopped by this process."""

    def __init__(self, binary, config):
        """config(work directory, wsaerr path without spaces) gives the configuration text."""
        self.dir = tempfile.mkdtemp(prefix="wsaerr-rsyslog-")
        # mmexternal splits binary= at the first space: a link in a path without one
        link = os.path.join(self.dir, "wsaerr")
        os.symlink(binary, link)
        conf = config(self.dir, link)
        self.conf = os.path.join(self.dir, "rsyslog.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.err = open(os.path.join(self.dir, "stderr"), "wb")
        self.proc = subprocess.Popen([RSYSLOGD, "-n", "-f", self.conf, "-i", os.path.join(self.dir, "pid")],
                                     stdout=self.err, stderr=self.err, cwd=self.dir)
        self.port = int(self.wait_for(lambda: self.read("port").strip() or None, 15, "the port file"))

    def read(self, name):
        try:
            with open(os.path.join(self.dir, name), "rb") as f:
                return f.read()
        except FileNotFoundError:
            return b""

    def wait_for(self, probe, seconds, what):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError("rsyslogd exited (%d) waiting for %s: %r" %
                                     (self.proc.returncode, what, self.read("stderr")[-2000:]))
            got = probe()
            if got:
                return got
            time.sleep(0.02)
        raise AssertionError("timed out after %d s waiting for %s" % (seconds, what))

    def send(self, payloads, octet_count=False):
        with socket.create_connection(("127.0.0.1", self.port)) as s:
            s.sendall(b"".join(frame(p, octet_count) for p in payloads))

    def wait_lines(self, name, n, seconds=60):
        """Waits until a log has n lines; returns the time then."""
        self.wait_for(lambda: self.read(name).count(b"\n") >= n, seconds, "%d lines in %s" % (n, name))
        return time.monotonic()

    def records(self, name, n, seconds=60):
        """The records of a log, once it has n."""
        self.wait_lines(name, n, seconds)
        time.sleep(0.2)  # anything beyond n would be a duplicate: let it arrive
        return [json.loads(line.decode("utf-8", "surrogateescape"))
                for line in self.read(name).split(b"\n") if line]

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.err.close()
        internal = self.read("internal.log").decode("utf-8", "replace")
        shutil.rmtree(self.dir)
        return rc, internal


def raw(s):
    """A record's text as the bytes rsyslog wrote."""
    return s.encode("utf-8", "surrogateescape")


def plain_wsaerr(binary, lines):
    """What `wsaerr` (the filter) makes of each line: the annotations to expect."""
    out = subprocess.run([binary], input=b"\n".join(lines) + b"\n", capture_output=True, check=True).stdout
    return out.split(b"\n")[:-1]


def vars_of(record):
    return json.loads(record["vars"]).get("wsaerr") if record["vars"] else None


def burst_message(i):
    """Message i of a burst: a code to annotate, a plain line, or one already annotated."""
    kind = i % 3
    text = [b" seq=%d recv failed: [WinError 10054] n=%d", b" seq=%d plain line n=%d",
            b" seq=%d WSAECONNRESET [10054: Connection reset by peer] n=%d"][kind] % (i, i)
    return text, kind


# Special messages: payload (after "app:"), then what rsyslog should hand on:
# the msg after wsaerr (None: as the filter annotates rsyslog's msg) and $!wsaerr.
LONG = b" seq=%d " + b"x" * 200000 + b" [WinError 10054]"
SPECIALS = [
    (b" seq=%d recv failed: [WinError 10054] gone",
     b" seq=%d recv failed: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] gone", RESET),
    (b" seq=%d plain line, no code", b" seq=%d plain line, no code", None),
    (b" seq=%d caf\xc3\xa9 WSAECONNREFUSED \"q\" \\ {\"x\":1}",
     b" seq=%d caf\xc3\xa9 WSAECONNREFUSED [10061: Connection refused] \"q\" \\ {\"x\":1}",
     {"count": 1, "names": "WSAECONNREFUSED",
      "errors": [{"code": 10061, "name": "WSAECONNREFUSED", "message": "Connection refused"}]}),
    (b" seq=%d ctl \x01\x1b[31m WSAECONNRESET", b" seq=%d ctl #001#033[31m WSAECONNRESET [10054: Connection reset by peer]", RESET),
    (b" seq=%d bad \xff\xfe bytes WSAECONNRESET", b" seq=%d bad \xff\xfe bytes WSAECONNRESET",
     dict(RESET, skipped="invalid-utf8", skipped_total=1)),
    (b" seq=%d WSAECONNRESET [10054: Connection reset by peer] already", None, RESET),
    (LONG, None, RESET),
    (b" seq=%d then 10060 and WSAETIMEDOUT, hr=0x80072746",
     b" seq=%d then 10060 and WSAETIMEDOUT [10060: Connection timed out], hr=0x80072746 [WSAECONNRESET 10054: "
     b"Connection reset by peer]",
     {"count": 2, "names": "WSAETIMEDOUT,WSAECONNRESET",
      "errors": [{"code": 10060, "name": "WSAETIMEDOUT", "message": "Connection timed out"},
                 {"code": 10054, "name": "WSAECONNRESET", "message": "Connection reset by peer"}]}),
]


def check_run(binary, mmargs, burst, extra=()):
    """Specials, extra (payload, msg, vars) cases and a burst through one rsyslogd; returns msgs/s of the burst."""
    # without escaping on receive rsyslog hands control bytes on raw: expect what the filter makes of them
    cases = [(p % i, w % i if w and not (extra and re.search(rb"[\x00-\x1f]", p)) else None, v)
             for i, (p, w, v) in enumerate(SPECIALS)]
    cases += [(p % (len(cases) + j), w % (len(cases) + j), v) for j, (p, w, v) in enumerate(extra)]
    first = len(cases)
    for i in range(first, first + burst):
        text, kind = burst_message(i)
        cases.append((text, None, None if kind == 1 else RESET))
    rs = Rsyslog(binary, test_config(mmargs, escape=not extra))
    try:
        special = [c[0] for c in cases[:first]]
        rs.send(special, octet_count=bool(extra))
        rs.records("after.log", first)
        start = time.monotonic()
        rs.send([c[0] for c in cases[first:]], octet_count=bool(extra))
        rate = burst / (rs.wait_lines("after.log", len(cases)) - start)
        after = rs.records("after.log", len(cases))
        before = rs.records("before.log", len(cases))
    finally:
        rc, internal = rs.stop()
    problems = []
    if rc != 0:
        problems.append("rsyslogd exit status %d" % rc)
    for line in internal.splitlines():
        if "mmexternal" in line or "program '" in line:
            problems.append("rsyslogd said: " + line)
    if len(after) != len(cases) or len(before) != len(cases):
        problems.append("%d messages sent, %d before wsaerr, %d after" % (len(cases), len(before), len(after)))
    seqs = [int(m.group(1)) if m else -1 for m in (re.search(r"seq=(\d+)", r["msg"]) for r in after)]
    if seqs != list(range(len(cases))):
        problems.append("order or count differs: first bad position %s" %
                        next((i for i, s in enumerate(seqs) if s != i), len(seqs)))
    one_line = [i for i, r in enumerate(before) if "\n" not in r["msg"]]
    filtered = dict(zip(one_line, plain_wsaerr(binary, [raw(before[i]["msg"]) for i in one_line])))
    for i, (case, b, a) in enumerate(zip(cases, before, after)):
        payload, want_msg, want_vars = case
        if want_msg is None:
            want_msg = filtered[i]
        if raw(a["msg"]) != want_msg:
            problems.append("seq=%d: msg %r, want %r" % (i, raw(a["msg"])[:160], want_msg[:160]))
        if vars_of(a) != want_vars:
            problems.append("seq=%d: $!wsaerr %r, want %r" % (i, vars_of(a), want_vars))
        if len(problems) > 10:
            break
    if problems:
        raise AssertionError("\n  ".join(problems))
    return rate


# fulljson carries a line break inside a message (octet-counted frames, escaping off).
MULTILINE = [(b" seq=%d line one WSAECONNRESET\nline two WSAECONNRESET",
              b" seq=%d line one WSAECONNRESET [10054: Connection reset by peer]\nline two WSAECONNRESET",
              RESET)]


def check_example(binary):
    """The example configuration receives, annotates and writes text and JSON as its README says."""
    rs = Rsyslog(binary, example_config)
    try:
        rs.send([b" seq=0 recv failed: [WinError 10054] gone", b" seq=1 plain"])
        hosts = rs.records("fleet.json", 2)
        text = rs.read("host.log")
        resets = rs.read("connection-resets.log")
    finally:
        rs.stop()
    want_text = (b"host app: seq=0 recv failed: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] gone\n",
                 b"host app: seq=1 plain\n")
    problems = []
    if [h["wsaerr"] for h in hosts] != [RESET, {"count": 0}]:
        problems.append("fleet.json wsaerr fields: %r" % [h["wsaerr"] for h in hosts])
    if [h["message"] for h in hosts] != [w.decode()[len("host app:"):-1] for w in want_text]:
        problems.append("fleet.json messages: %r" % [h["message"] for h in hosts])
    if [line.split(b" ", 1)[1] + b"\n" for line in text.splitlines()] != list(want_text):
        problems.append("host.log: %r" % text)
    if resets.count(b"\n") != 1 or b"seq=0" not in resets:
        problems.append("connection-resets.log: %r" % resets)
    if problems:
        raise AssertionError("\n  ".join(problems))


def bench(binary, n, runs):
    """Messages/s through rsyslog, with and without wsaerr: the median of runs."""
    for label, mmargs in (("rsyslog alone", None), ("wsaerr --mmexternal", "--mmexternal"),
                          ("wsaerr --mmexternal=fulljson", "--mmexternal=fulljson")):
        rates = []
        for _ in range(runs):
            rs = Rsyslog(binary, test_config(mmargs))
            try:
                start = time.monotonic()
                rs.send([burst_message(i)[0] for i in range(n)])
                rates.append(n / (rs.wait_lines("after.log", n, seconds=600) - start))
            finally:
                rs.stop()
        rates.sort()
        print("%-30s %d x %d messages: median %8.0f messages/s (min %.0f, max %.0f)" %
              (label, runs, n, rates[len(rates) // 2], rates[0], rates[-1]))


def main():
    binary = os.path.abspath(sys.argv[1])
    if not os.access(RSYSLOGD, os.X_OK):
        print("SKIP: no rsyslogd at %s (scripts/test installs Debian's rsyslog)" % RSYSLOGD)
        sys.exit(77)
    if len(sys.argv) > 3 and sys.argv[2] == "--bench":
        bench(binary, int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 5)
        return
    checks = [
        ("interface.input=msg: specials and a burst of 5000",
         lambda: "burst %.0f messages/s" % check_run(binary, "--mmexternal", 5000)),
        ("interface.input=fulljson: specials, a multi-line message, a burst of 2000",
         lambda: "burst %.0f messages/s" % check_run(binary, "--mmexternal=fulljson", 2000, MULTILINE)),
        ("examples/rsyslog/wsaerr.conf: text, JSON and a filter on $!wsaerr!names",
         lambda: check_example(binary)),
    ]
    run_checks("rsyslog", checks)


if __name__ == "__main__":
    main()
