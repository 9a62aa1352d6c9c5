#!/usr/bin/env python3
"""The docs match the options: every option --help shows is in the man page, the
bash completion and the README; every option src/options.c accepts is in --help;
the man page renders without warnings.

    docs_options.py WSAERR
"""
import os
import re
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def main():
    binary = sys.argv[1]
    helptext = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
    shown = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\w-])", helptext))
    accepted = set("--" + o for o in re.findall(r'\{"([a-z-]+)", (?:no|required|optional)_argument',
                                                read("src/options.c")))
    man = read("wsaerr.1").replace("\\-", "-")
    man = re.sub(r"\\f[BIRP]", "", man)
    docs = {"wsaerr.1": man, "completions/wsaerr.bash": read("completions/wsaerr.bash"),
            "README.md": read("README.md")}
    problems = []
    if len(shown) < 10:
        problems.append("--help shows only %d options: %s" % (len(shown), sorted(shown)))
    for opt in sorted(accepted - shown - {"--colour"}):
        problems.append("%s is accepted but not in --help" % opt)
    for opt in sorted(shown):
        for name, text in docs.items():
            if name == "README.md" and len(opt) == 2:
                continue  # the README uses long options
            if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text):
                problems.append("%s is in --help but not in %s" % (opt, name))
    r = subprocess.run(["man", "--warnings", "-l", "-E", "UTF-8", os.path.join(ROOT, "wsaerr.1")],
                       capture_output=True, text=True, env=dict(os.environ, MANWIDTH="80"))
    if r.returncode != 0 or r.stderr.strip():
        problems.append("man -l wsaerr.1: status %d: %s" % (r.returncode, r.stderr.strip()[:500]))
    # the completion runs: an option, a --color value (bash splits words at "="), code names
    # for every --lookup operand
    script = ('source "%s"; PATH="%s:$PATH"; try() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); '
              '_wsaerr 2>/dev/null; echo "${COMPREPLY[*]}"; }; try wsaerr --only; try wsaerr --color = ne; try wsaerr --lookup 10054 wsaeconnres; '
              'try wsaerr --lookup wsaeconnres' % (os.path.join(ROOT, "completions/wsaerr.bash"),
                                                   os.path.dirname(os.path.abspath(binary))))
    got = subprocess.run(["bash", "-c", script], capture_output=True, text=True).stdout.split("\n")
    if got[:4] != ["--only-annotated", "never", "WSAECONNRESET", "WSAECONNRESET"]:
        problems.append("bash completion gave %r" % got[:4])
    for p in problems:
        print(p)
    print("docs: %d options checked, %d problems" % (len(shown), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
