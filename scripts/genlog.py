#!/usr/bin/env python3
"""Make a synthetic application log for benchmarking wsaerr.

    scripts/genlog.py --mib 128 --density 0.001 [--seed 1] [--long] [--crlf] > app.log

The log looks like what a Windows service, its HTTP front end and its
monitoring agents write all day: timestamped INFO/DEBUG chatter that is full
of numbers wsaerr must leave alone (zabbix ports :10050/:10051, memcached
:11211, pids, sizes, durations and ids in 10000-11999, WSAStartup and
WSACleanup calls), and among it, at the given --density (fraction of lines),
lines that report a Winsock error in one of the forms real programs print:
Python's [WinError 10054], .NET's SocketException (10060), Rust's
(os error 10061), Indy's Socket Error # 10053, WSAGetLastError() = 10038,
curl's errno 10060, HRESULTs like 0x8007274C, bare names like WSAECONNRESET,
and more.

--long mixes in, now and then, one huge line (a minified JSON dump of 64 KiB
to 4 MiB); the first one is always the full 4 MiB, so even a small corpus
holds the worst case.

The output is exactly --mib MiB (the last line is cut short to fit) and is a
pure function of the arguments: the same arguments give the same bytes.
"""
import argparse
import math
import random
import sys
import time

MIB = 1 << 20
LONG_MIN, LONG_MAX = 64 << 10, 4 << 20
LONG_CHANCE = 1 / 15000  # per ordinary line, in --long mode

# (code, name, weight, the text Windows prints for it). The common ones are
# heavy; the rest keep the table lookups from seeing only a handful of rows.
CODES = [
    (10054, "WSAECONNRESET", 30, "An existing connection was forcibly closed by the remote host"),
    (10060, "WSAETIMEDOUT", 20, "A connection attempt failed because the connected party did not "
     "properly respond after a period of time, or established connection failed because "
     "connected host has failed to respond"),
    (10061, "WSAECONNREFUSED", 20, "No connection could be made because the target machine "
     "actively refused it"),
    (10053, "WSAECONNABORTED", 12, "An established connection was aborted by the software in "
     "your host machine"),
    (10048, "WSAEADDRINUSE", 6, "Only one usage of each socket address (protocol/network "
     "address/port) is normally permitted"),
    (10035, "WSAEWOULDBLOCK", 5, "A non-blocking socket operation could not be completed "
     "immediately"),
    (11001, "WSAHOST_NOT_FOUND", 5, "No such host is known"),
    (10065, "WSAEHOSTUNREACH", 3, "A socket operation was attempted to an unreachable host"),
    (10051, "WSAENETUNREACH", 3, "A socket operation was attempted to an unreachable network"),
    (10038, "WSAENOTSOCK", 3, "An operation was attempted on something that is not a socket"),
    (10049, "WSAEADDRNOTAVAIL", 2, "The requested address is not valid in its context"),
    (10013, "WSAEACCES", 2, "An attempt was made to access a socket in a way forbidden by its "
     "access permissions"),
    (10022, "WSAEINVAL", 2, "An invalid argument was supplied"),
    (10057, "WSAENOTCONN", 2, "A request to send or receive data was disallowed because the "
     "socket is not connected"),
    (10093, "WSANOTINITIALISED", 1, "Either the application has not called WSAStartup, or "
     "WSAStartup failed"),
    (10004, "WSAEINTR", 1, "A blocking operation was interrupted by a call to "
     "WSACancelBlockingCall"),
    (10050, "WSAENETDOWN", 1, "A socket operation encountered a dead network"),
    (11004, "WSANO_DATA", 1, "The requested name is valid, but no data of the requested type "
     "was found"),
    (10055, "WSAENOBUFS", 1, "An operation on a socket could not be performed because the "
     "system lacked sufficient buffer space or because a queue was full"),
    (10058, "WSAESHUTDOWN", 1, "A request to send or receive data was disallowed because the "
     "socket had already been shut down"),
]

HOSTS = ["db01", "db02.corp.local", "cache03", "api.internal", "zbx-proxy-1", "mq-broker",
         "auth.example.com", "10.20.3.17", "192.168.1.40", "files.example.org"]
THREADS = ["main", "worker-1", "worker-2", "worker-7", "http-nio-8080-exec-3",
           "pool-2-thread-11", "Timer-0", "asyncio_0", "ThreadPool#4", "scheduler"]


def error_line_makers(rng):
    """Functions that each return the message of one Winsock error line."""
    r = rng.randrange
    host = lambda: rng.choice(HOSTS)

    # Each maker takes (code, name, text) and returns the message part.
    return [
        lambda c, n, t: f"recv failed: ConnectionResetError: [WinError {c}] {t}",
        lambda c, n, t: f"OSError: [WinError {c}] {t} while connecting to {host()}:{r(1024, 65535)}",
        lambda c, n, t: f"socket.error: [Errno {c}] {t}",
        lambda c, n, t: f"Unhandled exception. System.Net.Sockets.SocketException ({c}): {t}",
        lambda c, n, t: f"HttpRequestException: {t} ({host()}:443) ---> "
                        f"System.Net.Sockets.SocketException ({c}): {t}",
        lambda c, n, t: f"Error: Os {{ code: {c}, kind: Other, message: \"{t}.\" }} (os error {c})",
        lambda c, n, t: f"failed to connect to {host()}:{r(1024, 65535)}: {t}. (os error {c})",
        lambda c, n, t: f"TIdTCPClient.Connect raised EIdSocketError: Socket Error # {c} {t}.",
        lambda c, n, t: f"connect() failed: WSAGetLastError() = {c}",
        lambda c, n, t: f"send() returned SOCKET_ERROR, WSAGetLastError returned {c}",
        lambda c, n, t: f"curl: (56) Recv failure: Connection was reset, errno {c}",
        lambda c, n, t: f"fatal: unable to access 'https://{host()}/repo.git/': Failed to "
                        f"connect to {host()} port 443: errno {c}",
        lambda c, n, t: f"recv failed with error {c} ({n})",
        lambda c, n, t: f"winsock error {c} on socket {r(100, 4000)}",
        lambda c, n, t: f"select() reported {n} on fd {r(3, 900)}, closing",
        lambda c, n, t: f"connection to {host()} lost: {n}",
        lambda c, n, t: f"Wsl/Service/CreateInstance/CreateVm/0x{0x80070000 | c:08x}",
        lambda c, n, t: f"COMException (0x{0x80070000 | c:08X}): {t}",
        lambda c, n, t: f"WinHttpSendRequest failed, hr = {(0x80070000 | c) - (1 << 32)}",
        lambda c, n, t: f"ioctlsocket failed, error code = 0x{c:04X}",
        lambda c, n, t: f"WSARecv() failed ({c}: {t}) while reading response header from "
                        f"upstream, client: 10.0.{r(0, 255)}.{r(1, 255)}, server: localhost",
        lambda c, n, t: f"Can't connect to MySQL server on '{host()}' ({c})",
        lambda c, n, t: f"asio: read_some: {t} [system:{c} at socket_ops.ipp:{r(100, 999)}]",
        lambda c, n, t: f"SocketException caught: NativeErrorCode={c}, HResult=-2147467259",
    ]


def noise_line_makers(rng):
    """Functions that each return the message of one ordinary line.

    They are deliberately full of numbers that look like Winsock codes
    (10000-11999) in places where they are not: ports, ids, sizes, times.
    """
    r = rng.randrange
    host = lambda: rng.choice(HOSTS)
    wsa_id = lambda: r(10000, 12000)

    return [
        lambda: f"GET /api/v2/orders/{wsa_id()} 200 {r(200, 90000)}B {r(1, 900)}ms "
                f"client=10.{r(0, 255)}.{r(0, 255)}.{r(1, 255)}:{r(1024, 65535)}",
        lambda: f"POST /api/v2/items/{wsa_id()}/stock 204 0B {r(1, 400)}ms",
        lambda: f"zabbix_agentd [{r(1000, 12000)}]: active checks sent to "
                f"zbx-proxy-{r(1, 9)}:10051, {r(1, 300)} items",
        lambda: f"zabbix_agentd listening on 0.0.0.0:10050 (pid {r(10000, 12000)})",
        lambda: f"memcached get session:{wsa_id()} from {host()}:11211 "
                f"hit={r(0, 2)} {r(20, 9000)}us",
        lambda: f"memcached pool {host()}:11211 size={r(1, 64)} evictions={wsa_id()}",
        lambda: "WSAStartup(MAKEWORD(2,2)) succeeded: wVersion=2.2 szDescription=\"WinSock 2.0\"",
        lambda: f"WSACleanup() called by pid {r(1000, 12000)} after {r(1, 90000)} ms",
        lambda: f"network stack ready (WSAStartup ok, {r(1, 16)} adapters)",
        lambda: f"gc: heap {r(10000, 12000)}K -> {r(4000, 10000)}K, pause {r(1, 40)}.{r(0, 10)}ms",
        lambda: f"processed batch {wsa_id()}: {r(1, 5000)} records, {r(10000, 12000)} bytes "
                f"in {r(10000, 12000)} us",
        lambda: f"retrying in {rng.choice((10000, 10500, 11000, 11500))} ms "
                f"(attempt {r(1, 6)}/5)",
        lambda: f"build 10.0.{r(17763, 22631)}.{r(1000, 4000)} runtime 4.8.{r(3000, 9999)}",
        lambda: f"socket {r(100, 4000)} bound to 127.0.0.1:{wsa_id()}",
        lambda: f"user id={wsa_id()} logged in from 192.168.{r(0, 255)}.{r(1, 255)}, "
                f"session ttl 10800 s",
        lambda: f"pool stats: active={r(0, 50)} idle={r(0, 50)} waiting=0 max=100 "
                f"acquired={r(10000, 900000)}",
        lambda: f"request_id=req-{rng.getrandbits(64):016x} upstream={host()}:{r(8000, 12000)} "
                f"status=200 bytes_sent={r(100, 99999)} request_time=0.{r(1, 999):03d}",
        lambda: f"wrote {r(1000, 12000)} bytes to C:\\ProgramData\\svc\\cache\\{wsa_id()}.bin",
        lambda: f"{{\"event\":\"cache_refresh\",\"entries\":{wsa_id()},\"took_ms\":{r(1, 2000)},"
                f"\"pid\":{r(1000, 12000)},\"errors\":0}}",
        lambda: f"scheduler: job {wsa_id()} finished in {r(10000, 12000)} ms, next run in 10800 s",
        lambda: f"health: {r(10000, 12000)} requests served, 0 failed, p99 {r(1, 300)} ms",
        lambda: "   at System.Net.Sockets.NetworkStream.Read(Byte[] buffer, Int32 offset, Int32 count)",
        lambda: f"tls handshake with {host()}:443 done in {r(1, 300)} ms (TLSv1.3)",
        lambda: "heartbeat",
    ]


class Clock:
    """Monotonic fake wall clock that formats ISO-8601 timestamps cheaply."""

    def __init__(self, rng):
        self.rng = rng
        self.ms = 1_764_000_000_000  # a fixed day in late 2025, in ms since the epoch
        self.sec = None
        self.prefix = ""

    def tick(self):
        self.ms += self.rng.randrange(0, 25)
        sec, ms = divmod(self.ms, 1000)
        if sec != self.sec:  # strftime only once per simulated second
            self.sec = sec
            self.prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
        return f"{self.prefix}.{ms:03d}Z"


def json_records(rng, count):
    """A pool of minified JSON objects from which long lines are assembled."""
    r = rng.randrange
    out = []
    for _ in range(count):
        out.append(
            f"{{\"id\":{r(10000, 12000)},\"host\":\"{rng.choice(HOSTS)}\","
            f"\"port\":{rng.choice((10050, 10051, 11211, 443, 8080))},"
            f"\"bytes\":{r(10000, 12000)},\"ms\":{r(0, 900)}.{r(0, 100)},"
            f"\"init\":\"WSAStartup\",\"ok\":true}}")
    return out


def long_line(rng, pool, length, err_makers):
    """A minified JSON array of exactly `length` bytes.

    Half of them carry a Winsock error inside one record, at a random place.
    """
    parts = rng.choices(pool, k=length // 90 + 2)
    if rng.random() < 0.5:
        code, name, _, text = rng.choice(CODES)
        msg = rng.choice(err_makers)(code, name, text).replace("\\", "\\\\").replace('"', '\\"')
        parts[rng.randrange(len(parts))] = f"{{\"last_error\":\"{msg}\"}}"
    body = "[" + ",".join(parts)
    return body[:length - 1] + "]"


def generate(out, size, density, seed, long_lines, crlf):
    rng = random.Random(seed)
    clock = Clock(rng)
    errs = error_line_makers(rng)
    noise = noise_line_makers(rng)
    codes = [c[:2] + c[3:] for c in CODES]
    cum = [sum(c[2] for c in CODES[:i + 1]) for i in range(len(CODES))]
    pool = json_records(rng, 512) if long_lines else None
    first_long = True
    eol = "\r\n" if crlf else "\n"

    written, chunk, chunk_len = 0, [], 0
    while written < size:
        if long_lines and (rng.random() < LONG_CHANCE):
            # Log-uniform length, so most are modest and a few are huge.
            n = LONG_MAX if first_long else int(
                math.exp(rng.uniform(math.log(LONG_MIN), math.log(LONG_MAX))))
            first_long = False
            head = f"{clock.tick()} DEBUG [{rng.choice(THREADS)}] state dump: "
            line = head + long_line(rng, pool, n - len(head) - len(eol), errs) + eol
        elif rng.random() < density:
            code, name, text = rng.choices(codes, cum_weights=cum)[0]
            level = "ERROR" if rng.random() < 0.8 else "WARN "
            line = f"{clock.tick()} {level} [{rng.choice(THREADS)}] " \
                   + rng.choice(errs)(code, name, text) + eol
        else:
            level = "INFO " if rng.random() < 0.6 else "DEBUG"
            line = f"{clock.tick()} {level} [{rng.choice(THREADS)}] " + rng.choice(noise)() + eol

        data = line.encode()
        room = size - written
        if len(data) > room:  # cut the last line to fit, still ending in a newline
            data = data[:room - 1] + b"\n" if room > 1 else b"\n"
        chunk.append(data)
        chunk_len += len(data)
        written += len(data)
        if chunk_len >= MIB:
            out.write(b"".join(chunk))
            chunk, chunk_len = [], 0
    out.write(b"".join(chunk))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mib", type=float, required=True, help="output size in MiB")
    ap.add_argument("--density", type=float, required=True,
                    help="fraction of lines that report a Winsock error (0..1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--long", action="store_true", help="add occasional 64 KiB..4 MiB lines")
    ap.add_argument("--crlf", action="store_true", help="end lines with CR LF")
    a = ap.parse_args()
    if a.mib <= 0 or not 0 <= a.density <= 1:
        ap.error("--mib must be > 0 and --density within 0..1")
    try:
        generate(sys.stdout.buffer, int(a.mib * MIB), a.density, a.seed, a.long, a.crlf)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # e.g. `genlog.py ... | head`: the reader has seen enough
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":
    main()
