#!/usr/bin/env python3
"""Worker threads (-j) give what one thread gives: the same standard output,
--summary on standard error and exit status, in every output mode, for a
FILE operand, for several, for standard input redirected from a file (whose
offset must end where one thread leaves it) and for a pipe.
A UTF-16 file is annotated by one thread, the same whatever -j says.
Also: a pipe as standard output is widened to 1 MiB (F_SETPIPE_SZ), and
peak memory does not grow with -j (under 16 MiB, the project's promise).

    threads.py WSAERR
"""
import fcntl
import os
import subprocess
import sys
import tempfile

from checks import WRAPPER, peak_rss_kib, run_checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENLOG = os.path.join(ROOT, "scripts", "genlog.py")
MODES = [[], ["--color=always"], ["--strip"], ["--summary"], ["--json"], ["--only-annotated"],
         ["--only-annotated", "--json"]]


def genlog(path, *args):
    with open(path, "wb") as out:
        subprocess.run([sys.executable, GENLOG, *args], stdout=out, check=True)


def outcome(binary, args, stdin=None):
    p = subprocess.run(WRAPPER + [binary, *args], stdin=stdin, capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def peak_rss(binary, args, path):
    """Peak resident memory of wsaerr ARGS < path, in KiB: VmHWM sampled as its output is read."""
    with open(path, "rb") as f:
        p = subprocess.Popen([binary, *args], stdin=f, stdout=subprocess.PIPE)
    peak = 0
    while p.stdout.read(1 << 16):
        peak = max(peak, peak_rss_kib(p.pid))
    assert p.wait(timeout=600) == 0, f"{args}: exit {p.returncode}"
    return peak


def same(binary, args, note):
    one = outcome(binary, ["-j", "1", *args])
    for j in ("2", "5"):
        many = outcome(binary, ["-j", j, *args])
        assert many[0] == one[0], f"{note} -j {j}: exit {many[0]}, one thread {one[0]}"
        assert many[1] == one[1], f"{note} -j {j}: standard output differs from one thread's"
        assert many[2] == one[2], f"{note} -j {j}: standard error {many[2][:200]!r}, one thread {one[2][:200]!r}"
    return one


def run(binary):
    with tempfile.TemporaryDirectory() as d:
        dense, long_lines, small = (os.path.join(d, n) for n in ("dense.log", "long.log", "small.log"))
        genlog(dense, "--mib", "3", "--density", "0.2", "--seed", "4")
        genlog(long_lines, "--mib", "6", "--density", "0.02", "--long", "--seed", "5", "--crlf")
        genlog(small, "--mib", "0.1", "--density", "0.2", "--seed", "6")
        with open(dense, "ab") as f:
            f.write(b"last line without a newline: [WinError 10054]")

        def every_mode():
            # under valgrind (scripts/test), fewer runs: it is memory errors that are looked for there
            modes = MODES if not WRAPPER else [[], ["--summary"], ["--only-annotated", "--json"]]
            inputs = ([dense], [long_lines], [small, dense, long_lines]) if not WRAPPER else ([small, dense, long_lines],)
            for mode in modes:
                for files in inputs:
                    rc, out, _ = same(binary, [*mode, *files], f"{mode} {[os.path.basename(x) for x in files]}")
                    assert rc == 0 and out, f"{mode}: exit {rc}, {len(out)} bytes"
            return f"{len(modes)} modes x {len(inputs)} inputs, -j 1/2/5"

        def stdin_offset():
            # { wsaerr; cat; } < file: wsaerr leaves the offset at the end, as one thread does
            for j in ("1", "2"):
                with open(dense, "rb", buffering=0) as f:
                    f.seek(1000)
                    rc, out, _ = outcome(binary, ["-j", j], stdin=f)
                    assert rc == 0, f"-j {j}: exit {rc}"
                    assert os.lseek(f.fileno(), 0, os.SEEK_CUR) == os.path.getsize(dense), f"-j {j}: offset not at the end"
                    if j == "1":
                        want = out
                    assert out == want, "-j 2 from offset 1000 differs from one thread"
            return None

        def annotated_at_all():
            rc, out, _ = outcome(binary, ["-j", "2", dense])
            with open(dense, "rb") as f:
                raw = f.read()
            assert len(out) > len(raw) and b"[WSAECONNRESET" in out, "nothing annotated"
            p = subprocess.run(WRAPPER + [binary, "-j", "2", "--strip"], input=out, capture_output=True, timeout=600)
            assert p.stdout == raw, "--strip of the output is not the input"
            return None

        def pipe_widened():
            # F_GETPIPE_SZ (1032): the pipe wsaerr wrote into now holds 1 MiB, where the system allows it
            with open("/proc/sys/fs/pipe-max-size") as f:
                allowed = int(f.read())
            r, w = os.pipe()
            with open(small, "rb") as f:
                p = subprocess.Popen(WRAPPER + [binary], stdin=f, stdout=w)
            os.close(w)
            while os.read(r, 1 << 16):
                pass
            assert p.wait(timeout=600) == 0, "wsaerr failed"
            size = fcntl.fcntl(r, 1032)
            os.close(r)
            want = min(allowed, 1 << 20)
            assert size >= want, f"pipe holds {size} bytes, not {want}"
            return f"{size} bytes"

        def through_pipe():
            # zcat log.gz | wsaerr: a pipe gets the threads too, blocks ending where input runs dry
            with open(long_lines, "rb") as f:
                data = f.read()
            modes = [[], ["--json"]] if WRAPPER else [[], ["--summary"], ["--json"], ["--strip"]]
            for mode in modes:
                got = {}
                for j in ("1", "2"):
                    p = subprocess.run(WRAPPER + [binary, "-j", j, *mode], input=data, capture_output=True, timeout=600)
                    got[j] = (p.returncode, p.stdout, p.stderr)
                assert got["2"] == got["1"], f"{mode}: -j 2 through a pipe differs from -j 1"
            return f"{len(modes)} modes"

        def flat_memory():
            # 24 MiB: more blocks than all the jobs of 16 threads (2 each of 512 KiB used to be in flight)
            big = os.path.join(d, "big.log")
            with open(dense, "rb") as f, open(big, "wb") as out:
                chunk = f.read()
                for _ in range(8):
                    out.write(chunk + b"\n")
            notes = []
            for mode in ([], ["--json"]):
                rss = {j: peak_rss(binary, ["-j", j, *mode], big) for j in ("1", "2", "8", "16")}
                notes.append(" ".join(f"-j {j} {kib / 1024:.1f}" for j, kib in rss.items()))
                grown = max(rss["8"], rss["16"]) - rss["2"]
                assert grown < 6144, f"{mode}: peak RSS {rss} KiB: {grown} KiB more with more threads"
                # a sanitizer build has shadow memory of its own
                assert rss["1"] > 8192 or max(rss.values()) < 16384, f"{mode}: peak RSS {rss} KiB, over 16 MiB"
            return "MiB " + "; --json ".join(notes)

        def utf16_annotated():
            # a UTF-16 file (BOM) of many blocks: read by one thread as UTF-8, annotated as that, written back
            # in UTF-16, the same whatever -j says
            u16 = os.path.join(d, "u16.log")
            with open(dense, "rb") as f:
                text = f.read().decode("ascii")
            # code units whose bytes read "WSAECONNRESET" in one byte per unit: no token in UTF-16
            text = "\ufeff" + text.replace("WSAE", "\u5357\u4541\u4f43\u4e4e\u4552\u4553T", 50)
            with open(u16, "wb") as out:
                out.write(text.encode("utf-16-le"))
            with open(u16, "rb") as f:
                raw = f.read()
            rc, out, err = same(binary, [u16], "UTF-16")
            want = subprocess.run(WRAPPER + [binary], input=text.encode(), stdout=subprocess.PIPE).stdout
            assert rc == 0 and out.decode("utf-16-le") == want.decode(), f"UTF-16: exit {rc}, not as its UTF-8"
            assert out != raw and not err, f"UTF-16: standard error {err[:300]!r}"
            marked = os.path.join(d, "u16-annotated.log")
            with open(marked, "wb") as f:
                f.write(out)
            rc, back, _ = same(binary, ["--strip", marked], "UTF-16 --strip")
            assert rc == 0 and back == raw, "UTF-16 --strip: not the input back"
            # ASCII bytes that read as wsaerr's own annotation in UTF-8: code units of no annotation in UTF-16
            note = " [WSAECONNRESET 10054: Connection reset by peer]  ".encode("ascii")
            with open(marked, "wb") as f:
                f.write(raw + note + "\r\n".encode("utf-16-le") + raw[2:])
            with open(marked, "rb") as f:
                raw_marked = f.read()
            rc, out, err = same(binary, ["--summary", "--strip", marked], "UTF-16 --summary --strip")
            assert out == raw_marked and rc == 0, f"UTF-16 --strip: exit {rc}, output {'unchanged' if out == raw_marked else 'changed'}"
            # the next input is read as bytes again (the mode is per input)
            rc, out, _ = same(binary, [u16, dense], "UTF-16 then UTF-8")
            assert out.endswith(subprocess.run(WRAPPER + [binary, dense], stdout=subprocess.PIPE).stdout), \
                "UTF-16 then UTF-8: the second not as alone"
            return f"{len(raw) >> 20} MiB"

        run_checks("threads", [
            ("through a pipe", through_pipe),
            ("output pipe widened", pipe_widened),
            ("every mode, FILE operands", every_mode),
            ("standard input from a file: offset", stdin_offset),
            ("annotated, and --strip gives the input back", annotated_at_all),
            ("UTF-16 annotated, by one thread", utf16_annotated),
        ] + ([] if WRAPPER else [("peak memory flat in -j", flat_memory)]))


if __name__ == "__main__":
    run(sys.argv[1])
