"""Runs named checks, each a function that raises on failure and may return a note;
and the command to run wsaerr under."""
import os
import shlex
import subprocess
import sys

# Prefixed to each wsaerr command line (valgrind in scripts/test's memcheck pass).
WRAPPER = shlex.split(os.environ.get("WSAERR_WRAPPER", ""))


def run_checks(suite, checks):
    """Prints ok/FAILED a check and 'SUITE: N passed, N failed'; exits 1 if any failed."""
    passed = failed = 0
    for name, check in checks:
        try:
            note = check()
            print("ok     %s%s" % (name, " (%s)" % note if note else ""))
            passed += 1
        except (AssertionError, OSError, subprocess.SubprocessError, ValueError) as e:
            print("FAILED %s:\n  %s" % (name, e))
            failed += 1
    print("%s: %d passed, %d failed" % (suite, passed, failed))
    sys.exit(1 if failed else 0)


def peak_rss_kib(pid):
    """VmHWM of the running process: its own peak since exec, unlike the
    rusage of a child forked from this (much larger) Python process."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
