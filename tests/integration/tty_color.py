#!/usr/bin/env python3
"""Color as a person sees it: wsaerr runs in a real terminal (a tmux pane) and the pane is
captured with its colors. --color=auto colors on the terminal, not through a pipe, not with
NO_COLOR; --color=always keeps the colors through `less -R`.

    tty_color.py WSAERR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

CYAN = "\x1b[36m"  # tmux reports the pane's colors in its own spelling; cyan stays 36


def pane(socket, command, want, timeout=10.0):
    """Runs command in a fresh tmux pane; returns the pane (with escapes) once it shows want."""
    subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "200", "-y", "20",
                    command], check=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            got = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-e"],
                                 capture_output=True, text=True).stdout
            if want in got or time.monotonic() > deadline:
                return got
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def main():
    if not shutil.which("tmux"):
        print("SKIP: tmux is not installed (scripts/test installs it)")
        return 77
    binary = os.path.abspath(sys.argv[1])
    socket = "wsaerr-test-%d" % os.getpid()
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "app.log")
        with open(log, "w") as f:
            f.write("recv failed: [WinError 10054] reset\nport 10054 open\n")
        env = "env -u NO_COLOR TERM=xterm-256color"
        cases = [
            ("on a terminal, auto colors", "%s %s %s; sleep 30" % (env, binary, log), True),
            ("through a pipe, auto does not", "%s %s %s | cat; sleep 30" % (env, binary, log), False),
            ("NO_COLOR turns auto off", "%s NO_COLOR=1 %s %s; sleep 30" % (env, binary, log), False),
            ("always colors through less -R", "%s %s --color=always %s | less -R" % (env, binary, log), True),
        ]
        failed = 0
        for i, (what, command, colored) in enumerate(cases):
            got = pane("%s-%d" % (socket, i), command, "port 10054 open")  # a server per case
            shows = "[WSAECONNRESET: Connection reset by peer]" in got and "port 10054 open" in got
            has_color = CYAN + " [WSAECONNRESET" in got
            ok = shows and has_color == colored
            failed += not ok
            print("%s  %s" % ("ok    " if ok else "FAILED", what))
            if not ok:
                print("  pane: %r" % got[:400])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
