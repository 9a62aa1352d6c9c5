#!/usr/bin/env python3
"""Cross-checks `wsaerr --list` against mingw-w64's winerror.h and winsock2.h.

    table_headers.py WSAERR [INCLUDE_DIR]

Every Winsock name the headers define (WSAE*, WSA_*, WSA<name> error codes
from WSABASEERR on, and the WSA_* names that equal Win32 ERROR_* codes) must
be listed with the same value, and the list must hold nothing else.
"""
import os
import re
import subprocess
import sys

from checks import WRAPPER

DEFINE = re.compile(r"^\s*#\s*define\s+(\w+)\s+(.+?)\s*(?:/\*.*)?$")


def read_defines(path):
    out = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            m = DEFINE.match(line)
            if m:
                out.setdefault(m.group(1), m.group(2))
    return out


def value(defs, expr, depth=0):
    """Evaluates the small macro expressions these headers use."""
    expr = expr.strip()
    while expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1].strip()
    expr = re.sub(r"(\d+)[lLuU]+\b", r"\1", expr)
    expr = re.sub(r"__MSABI_LONG\((\w+)\)", r"\1", expr)
    m = re.fullmatch(r"(\w+)\s*\+\s*(\d+)", expr)
    if m:
        return value(defs, m.group(1), depth + 1) + int(m.group(2))
    if re.fullmatch(r"\d+", expr):
        return int(expr)
    if re.fullmatch(r"\w+", expr) and expr in defs and depth < 10:
        return value(defs, defs[expr], depth + 1)
    raise ValueError(expr)


def header_table(inc):
    werr = read_defines(os.path.join(inc, "winerror.h"))
    wsock = read_defines(os.path.join(inc, "winsock2.h"))
    table = {}
    for name, expr in werr.items():
        if name.startswith("WSA") and name != "WSABASEERR":
            v = value(werr, expr)
            if v >= 10000:
                table[name] = v
    for name, expr in wsock.items():
        target = expr.strip("() ")
        if name.startswith("WSA_") and target.startswith("ERROR_"):
            table[name] = value(werr, target)
    return table


def main():
    binary = sys.argv[1]
    inc = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/mingw-w64/include"
    if not os.path.exists(os.path.join(inc, "winerror.h")):
        print("FAILED: %s/winerror.h missing (install mingw-w64-common)" % inc)
        sys.exit(1)
    want = header_table(inc)
    listed = subprocess.run(WRAPPER + [binary, "--list"], check=True, capture_output=True, text=True).stdout
    got = {}
    for row in listed.splitlines():
        code, name, _message = row.split("\t")
        got[name] = int(code)
    # The seed's spellings without E are real names programs print; the headers lack them.
    seed_only = {"WSAINVALIDPROCTABLE": 10104, "WSAINVALIDPROVIDER": 10105, "WSAPROVIDERFAILEDINIT": 10106}
    failed = 0
    for name, code in sorted(want.items(), key=lambda kv: (kv[1], kv[0])):
        if got.get(name) != code:
            print("FAILED: header %s = %d, wsaerr lists %s" % (name, code, got.get(name)))
            failed += 1
    for name, code in sorted(got.items()):
        if name not in want and seed_only.get(name) != code:
            print("FAILED: wsaerr lists %s = %d, not in the headers" % (name, code))
            failed += 1
    codes = sorted(set(want.values()))
    print("headers: %d names, %d distinct codes (%d from 10000 on); wsaerr lists %d names"
          % (len(want), len(codes), sum(c >= 10000 for c in codes), len(got)))
    print("table_headers: %d passed, %d failed" % (max(len(want) - failed, 0), failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
