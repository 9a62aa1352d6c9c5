#!/usr/bin/env python3
"""A line the input pauses in: what no later byte can change comes out at
once (a prompt, a progress meter), the rest when the line goes on, and the
whole output is the same as for the input in one piece, wherever the
pauses fall.

    paused_lines.py WSAERR
"""
import json
import os
import random
import select
import subprocess
import sys
import time

from checks import WRAPPER, run_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def drain(p, wait):
    """What p wrote within wait seconds of quiet."""
    got = b""
    while select.select([p.stdout], [], [], wait)[0]:
        data = os.read(p.stdout.fileno(), 1 << 16)
        if not data:
            break
        got += data
    return got


def paused(binary, args, chunks, wait=0.005, statuses=(0,)):
    """Feeds chunks with a pause after each; returns what came out after each pause, and the rest."""
    p = subprocess.Popen(WRAPPER + [binary] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    outs = []
    try:
        for c in chunks:
            p.stdin.write(c)
            outs.append(drain(p, wait))
    finally:
        p.stdin.close()
    outs.append(p.stdout.read())
    p.wait(timeout=60)
    if p.returncode not in statuses:
        raise AssertionError("exit status %d (args %r)" % (p.returncode, args))
    return outs


def whole(binary, args, data):
    run = subprocess.run(WRAPPER + [binary] + args, input=data, stdout=subprocess.PIPE)
    if run.returncode not in (0, 1):
        raise AssertionError("exit status %d (args %r)" % (run.returncode, args))
    return run.stdout


def corpus():
    """The examples and every line of the accuracy corpus: the forms wsaerr reads, and its look-alikes."""
    data = b""
    for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        if name.endswith(".log"):
            with open(os.path.join(ROOT, "examples", name), "rb") as f:
                data += f.read()
    with open(os.path.join(ROOT, "tests", "corpus", "lines.jsonl"), encoding="utf-8") as f:
        data += b"".join(json.loads(line)["line"].encode() + b"\n" for line in f)
    return data


def cut_anywhere(binary, args, data, seed, cuts):
    """The input cut at random bytes, a pause at each cut: the output must be the one-piece output."""
    rng = random.Random(seed)
    at = sorted(rng.sample(range(1, len(data)), cuts))
    chunks = [data[a:b] for a, b in zip([0] + at, at + [len(data)])]
    want = whole(binary, args, data)
    got = b"".join(paused(binary, args, chunks))
    if got != want:
        i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), min(len(got), len(want)))
        raise AssertionError("args %r: output differs from the one-piece output at byte %d: got %r, want %r"
                             % (args, i, got[i - 60:i + 60], want[i - 60:i + 60]))
    return "%d cuts, %d bytes" % (cuts, len(data))


TRICKY = [
    b"error 995 in WSARecv",
    b"WSAGetLastError() = 10054",
    b"recv: [WinError 10054] An existing connection was forcibly closed by the remote host.",
    b"SocketErrorCode: ConnectionReset",
    b"fatal: Failed to connect to github.com port 443 after 21090 ms: Timed out",
    b"svn: E730054: Error running context",
    b"hr=0x80072746 -2147014842",
    b"x WSAECONNRESET [10054: Connection reset by peer] again",
    b"Can't connect to MySQL server on 'db' (10061)",
    b"boost: system:10054",
    b"WSARecv() failed (10054: An existing connection was forcibly closed by the remote host) while reading",
    "dial: Удаленный хост принудительно разорвал существующее подключение.".encode(),
    b"ErrorCode: 995 from WSAIoctl",
    b"error: 10053 bytes short",
    b"10:00:00,123 ERROR 10054 myapp.worker",
    # found by a review: a line that starts with a blank or an escape (a crash), wsaerr's own output
    # fed back (the WSA inside an annotation cut short counted), a text that counts only with WSA
    # after a tab, an annotation further on that settles an earlier mention, a long quoted host
    b" hello",
    b"\033[36mhello\033[0m",
    b"OSError: [WinError 995 [WSA_OPERATION_ABORTED: Overlapped operation aborted]] aborted",
    b"The parameter is incorrect.\tcall: WSAIoctl",
    b"error 10054 then WSAECONNRESET [10054: Connection reset by peer]",
    b"Can't connect to MySQL server on 'mydb.c9akciq32abc.us-east-1.rds.amazonaws.com' (10060)",
    # colored tokens (matched on the line's visible text), a progress meter's brackets, a name's
    b"errno \033[33m100\033[1m54\033[0m and \033[31mAn existing connection was \033[1mforcibly closed by"
    b" the remote host.\033[0m",
    b"\r 33%|###| 1/3 [00:01<00:00]\r 66%|###| 2/3 [00:02<00:00] [WinError 10060]",
    b"x \033[36m [WSAECONNRESET: Connection reset by peer]\033[m then 10054 [1] [A]",
    # from a review: a name split by a color, a code's context before one, a text with one inside,
    # an annotation grep --color highlighted inside
    b"WSA\033[1mECONNRESET x; Error code: \033[1m10060\r",
    b"An existing connection was \033[1mforcibly\033[0m closed by the remote host.",
    # a WSA that went out during a pause still lets small codes and WSA-only texts count
    b"WSAIoctl: error 87; call WSAIoctl: The parameter is incorrect.",
    b"errno \033[01;31m\033[K10054\033[m\033[K [WSAECONNRESET \033[01;31m\033[K10054\033[m\033[K: Connection reset"
    b" by peer] errno 10054",
]


def cut_twice(binary, line, seed, pairs):
    """line again and again, each time with pauses after two random bytes: the one-piece output."""
    line += b"\n"
    rng = random.Random(seed)
    chunks = []
    for _ in range(pairs):
        a, b = sorted(rng.sample(range(1, len(line)), 2))
        chunks += [line[:a], line[a:b], line[b:]]
    want = whole(binary, [], line * pairs)
    got = b"".join(paused(binary, [], chunks, wait=0.002))
    if got != want:
        raise AssertionError("%r: paused output %r, want %r" % (line, got[:400], want[:400]))
    return "%d pairs of cuts" % pairs


def utf16_cut(binary):
    """UTF-16 cut by a pause anywhere (in its byte order mark, in a code unit) is read as in one piece."""
    data = "\ufeffrecv: error 10054 \u9519\n".encode("utf-16-le")
    want = "\ufeffrecv: error 10054 [WSAECONNRESET: Connection reset by peer] \u9519\n".encode("utf-16-le")
    for args in ([], ["-j", "1"]):
        for k in range(1, len(data)):
            got = b"".join(paused(binary, args, [data[:k], data[k:]], wait=0.05))
            if got != want:
                raise AssertionError("args %r, cut after %d: %r, want %r" % (args, k, got, want))


def cut_everywhere(binary, line, args=()):
    """line again and again, each time with a pause after a different byte: the one-piece output."""
    line += b"\n"
    chunks = [c for k in range(1, len(line)) for c in (line[:k], line[k:])]
    want = whole(binary, list(args), line * (len(line) - 1))
    got = b"".join(paused(binary, list(args), chunks, wait=0.002))
    if got != want:
        raise AssertionError("%r: paused output %r, want %r" % (line, got[:400], want[:400]))
    return "%d cuts" % (len(line) - 1)


def shown_at_once(binary, args, first, rest, want_first, want_all):
    """first, a pause, rest: want_first must be out during the pause (want_all None: the one-piece output)."""
    if want_all is None:
        want_all = whole(binary, args, first + rest)
    p = subprocess.Popen(WRAPPER + [binary] + args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    try:
        p.stdin.write(first)
        early, deadline = b"", time.monotonic() + 20  # (slow to start under valgrind)
        while len(early) < len(want_first) and time.monotonic() < deadline:
            early += drain(p, 0.1)
        early += drain(p, 0.3)  # and nothing more
        p.stdin.write(rest)
    finally:
        p.stdin.close()
    outs = [early, p.stdout.read()]
    p.wait(timeout=60)
    if p.returncode not in (0, 1):
        raise AssertionError("exit status %d (args %r)" % (p.returncode, args))
    if outs[0] != want_first:
        raise AssertionError("args %r: during the pause after %r came %r, want %r" % (args, first, outs[0], want_first))
    if b"".join(outs) != want_all:
        raise AssertionError("args %r: in all %r, want %r" % (args, b"".join(outs), want_all))


def main():
    binary = sys.argv[1]
    reset = b" [WSAECONNRESET: Connection reset by peer]"
    cases = [
        # a prompt: out at once but for a last blank an annotation's " [" might take (no recognizer
        # begins at "Password: "; "error: " waits for the code that may follow)
        ("a prompt", [], b"Password: ", b"x\n", b"Password:", b"Password: x\n"),
        ("a prompt, -j 1", ["-j", "1"], b"Password: ", b"x\n", b"Password:", b"Password: x\n"),
        ("a prompt, -n", ["-n"], b"Password: ", b"x\n", b"1:Password:", b"1:Password: x\n"),
        ("a code's lead", [], b"recv error: ", b"10054\n", b"recv error", b"recv error: 10054" + reset + b"\n"),
        ("a progress meter", [], b"copied 45%\rcopied 60%\r", b"done\n", b"copied 45%\rcopied 60%\r",
         b"copied 45%\rcopied 60%\rdone\n"),
        # a '[' that cannot begin an annotation (tqdm's times) does not hold the line
        ("a progress bar", [], b"\r 33%|###| 1/3 [00:01<00:02]", b"\n", b"\r 33%|###| 1/3 [00:01<00:02]",
         b"\r 33%|###| 1/3 [00:01<00:02]\n"),
        # a colored code: held from its lead on, the escapes before it too
        ("a colored code cut short", [], b"errno \033[33m100", b"54\033[0m\n", b"errno",
         b"errno \033[33m10054" + reset + b"\033[0m\n"),
        # held: a code cut short, a code's context, a Windows text cut short, a name cut short
        ("a code cut short", [], b"recv: [WinError 100", b"54] reset\n", b"recv:",
         b"recv: [WinError 10054" + reset + b"] reset\n"),
        ("a code's context", [], b"WSAGetLastError() = ", b"10054\n", b"WSAGetLastError()",
         b"WSAGetLastError() = 10054" + reset + b"\n"),
        ("a text cut short", [], b"wsarecv: An existing connection was forc", b"ibly closed by the remote host.\n",
         b"wsarecv", b"wsarecv: An existing connection was forcibly closed by the remote host"
         b" [WSAECONNRESET 10054: Connection reset by peer].\n"),
        ("a name cut short", [], b"recv failed: WSAECONN", b"RESET\n", b"recv failed",
         b"recv failed: WSAECONNRESET [10054: Connection reset by peer]\n"),
        # a small code counts once WSA comes later on its line: it waits for the line
        ("a small code before WSA", [], b"error 995 in ", b"WSARecv\n", b"error",
         b"error 995 [WSA_OPERATION_ABORTED: Overlapped operation aborted] in WSARecv\n"),
        # an annotation already there, cut short: not annotated twice
        ("an annotation cut short", [], b"a WSAECONNRESET [10054: Conn", b"ection reset by peer] b\n", b"a",
         b"a WSAECONNRESET [10054: Connection reset by peer] b\n"),
        # whole lines only: nothing before the newline
        ("--only-annotated", ["--only-annotated"], b"Password: ", b"x\n", b"", b""),
        ("--json", ["--json"], b"Password: ", b"x\n", b"", None),
    ]
    checks = [(name, (lambda a=args, f=first, r=rest, wf=wf, wa=wa: shown_at_once(binary, a, f, r, wf, wa)))
              for name, args, first, rest, wf, wa in cases]
    for line in TRICKY:
        checks.append(("cut everywhere: %r" % line[:40], lambda l=line: cut_everywhere(binary, l)))
    # found by a review: --strip of a colored annotation cut by a pause left its color behind
    colored = b"done.\033[36m [WSAECONNRESET: Connection reset by peer]\033[39m ok"
    checks.append(("cut everywhere, --strip: %r" % colored[:40], lambda: cut_everywhere(binary, colored, ["--strip"])))
    for seed, line in enumerate(TRICKY[-6:]):
        checks.append(("cut twice: %r" % line[:40], lambda l=line, s=seed: cut_twice(binary, l, s, 60)))
    checks.append(("UTF-16 cut anywhere", lambda: utf16_cut(binary)))
    data = corpus()
    for seed, args in enumerate([[], ["-j", "1"], ["-n"], ["--color=always"], ["--summary"]]):
        checks.append(("cut anywhere %s" % " ".join(args),
                       lambda a=args, s=seed: cut_anywhere(binary, a, data, s, 300)))
    annotated = whole(binary, [], data)
    checks.append(("cut anywhere --strip", lambda: cut_anywhere(binary, ["--strip"], annotated, 9, 300)))
    checks.append(("cut anywhere, annotated input", lambda: cut_anywhere(binary, [], annotated, 10, 300)))
    run_checks("paused-lines", checks)


if __name__ == "__main__":
    main()
