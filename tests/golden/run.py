#!/usr/bin/env python3
"""Runs the golden cases: each folder under tests/golden/ is one case.

    run.py WSAERR [CASE...]

A case folder holds:
  cmd   one shell command line; `wsaerr` in it runs the binary under test
  in    standard input (optional; /dev/null when absent)
  out   expected standard output, byte for byte
  rc    expected exit status of the command line
  err   expected standard error (optional; not checked when absent)
The command runs in the case folder under bash with pipefail, so a case can
name its own files (`wsaerr a.log missing.log`) and pipelines (`wsaerr | head -1`).
Set GOLDEN_UPDATE=1 to rewrite out/rc/err from the current binary (then review the diff).
Set WSAERR_WRAPPER (e.g. "valgrind -q --error-exitcode=99") to run every
`wsaerr` of the cases under that command.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path, default=None):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return default


def wrapped(binary, folder):
    """The folder to put first in PATH so that `wsaerr` runs binary, under
    $WSAERR_WRAPPER when that is set (a script named wsaerr in folder)."""
    wrapper = os.environ.get("WSAERR_WRAPPER")
    if not wrapper:
        return os.path.dirname(binary)
    # the real binary is found by PATH too, so its messages still say "wsaerr:"
    os.chmod(folder, 0o755)  # cases may run wsaerr as another user (setpriv)
    real = os.path.join(folder, "real")
    os.mkdir(real)
    # a copy, not a link: the case run as nobody may not reach a checkout in a root-only directory
    shutil.copy2(binary, os.path.join(real, "wsaerr"))
    script = os.path.join(folder, "wsaerr")
    with open(script, "w") as f:
        f.write('#!/bin/sh\nPATH=%s:$PATH exec %s wsaerr "$@"\n' % (shlex.quote(real), wrapper))
    os.chmod(script, 0o755)
    return folder


def run_case(bindir, case):
    d = os.path.join(HERE, case)
    cmd = read(os.path.join(d, "cmd")).decode().strip()
    stdin_path = os.path.join(d, "in")
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"], LC_ALL="C")
    with open(stdin_path if os.path.exists(stdin_path) else os.devnull, "rb") as stdin:
        p = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=d, stdin=stdin,
                           capture_output=True, env=env, timeout=120)
    got = {"out": p.stdout, "rc": b"%d\n" % p.returncode, "err": p.stderr}
    if os.environ.get("GOLDEN_UPDATE"):
        for k in ("out", "rc"):
            with open(os.path.join(d, k), "wb") as f:
                f.write(got[k])
        if p.stderr or os.path.exists(os.path.join(d, "err")):
            with open(os.path.join(d, "err"), "wb") as f:
                f.write(p.stderr)
    problems = []
    for k in ("out", "rc", "err"):
        want = read(os.path.join(d, k))
        if want is None and k == "err":
            continue
        if want != got[k]:
            problems.append("%s differs:\n  want %r\n  got  %r" % (k, (want or b"")[:600], got[k][:600]))
    return problems


def main():
    binary = os.path.abspath(sys.argv[1])
    wrapdir = tempfile.TemporaryDirectory()
    bindir = wrapped(binary, wrapdir.name)
    cases = sys.argv[2:] or sorted(c for c in os.listdir(HERE) if os.path.isdir(os.path.join(HERE, c)))
    failed = 0
    for case in cases:
        problems = run_case(bindir, case)
        print(("ok     " if not problems else "FAILED ") + case)
        for p in problems:
            print("  " + p)
        failed += bool(problems)
    print("golden: %d passed, %d failed" % (len(cases) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
