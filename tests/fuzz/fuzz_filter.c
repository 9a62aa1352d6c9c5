/*
 * libFuzzer target: the filter loop (filter_fd over memfds, as wsaerr runs it)
 * on any bytes, with the buffer size, sink size and variant taken from the
 * input. Invariants checked besides "no crash, no sanitizer report":
 *   - the output has as many newlines as the input;
 *   - JIT and interpreter, prefilter on and off, and each candidate scan
 *     kernel (src/scan.h) give the same output;
 * and where every line fits the buffer, or the buffer is large enough that a
 * token, its annotation, an OSC string and the piece margin fit in it (the
 * real one is 256 KiB):
 *   - stripping the output gives the input stripped (the input itself when it
 *     carries no annotation);
 *   - annotating the output again changes nothing;
 * and for the first line cut short at a place taken from the input (a pause
 * there), what paused_end lets out at once is the start of its output.
 * Input layout: 2 bytes buffer size, 1 byte sink size, 1 byte flags (line
 * buffered, prefilter off in the variant, colored annotations, scalar
 * rather than SSE2 scan in the variant), then the log.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter.h"
#include "paused.h"
#include "scan.h"
#include "status.h"

enum { HEADER = 4, BUFFER_MIN = 64, BUFFER_MAX = 4096, BUFFER_STRICT = 4 * VISIBLE_STRING_MAX };

static struct pattern_set set;
static struct matcher *jit, *interp;

/* One output: its bytes and filter_fd's status. */
struct result {
    char *bytes;
    size_t len;
    int status;
};

/* A memfd holding n bytes of p, positioned at 0. */
static int memfd_with(const char *p, size_t n)
{
    int fd = memfd_create("fuzz-in", 0);
    if (fd < 0 || (n > 0 && write(fd, p, n) != (ssize_t)n) || lseek(fd, 0, SEEK_SET) != 0)
        abort();
    return fd;
}

/* All that was written to fd, read back from 0. */
static char *contents(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        abort();
    *len = (size_t)st.st_size;
    char *buf = malloc(*len + 1);
    if (!buf || pread(fd, buf, *len, 0) != (ssize_t)*len)
        abort();
    return buf;
}

/* in through filter_fd with this configuration and sink size. */
static struct result run(const struct config *cfg, size_t sink_cap, const char *in, size_t len)
{
    struct matcher *m = cfg->use_jit ? jit : interp;
    int infd = memfd_with(in, len), outfd = memfd_create("fuzz-out", 0);
    struct sink out;
    struct filter f;
    if (outfd < 0 || sink_init(&out, outfd, sink_cap, cfg->line_buffered) < 0 ||
        filter_init(&f, cfg, m, &out, NULL) < 0)
        abort();
    struct result r = {.status = filter_fd(&f, infd, "fuzz")};
    filter_free(&f);
    if (sink_close(&out) != 0)
        abort();
    r.bytes = contents(outfd, &r.len);
    close(infd);
    close(outfd);
    return r;
}

static size_t newlines(const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

static size_t longest_line(const char *p, size_t n)
{
    size_t longest = 0, start = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || p[i] == '\n') {
            longest = i - start > longest ? i - start : longest;
            start = i + 1;
        }
    return longest;
}

/* Bytes on stderr with control and non-ASCII bytes escaped, so a failure can be read. */
static void show(const char *what, const char *p, size_t n)
{
    fprintf(stderr, "  %s (%zu bytes): \"", what, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
            fprintf(stderr, "\\x%02x", c);
        else
            fputc(c, stderr);
    }
    fputs("\"\n", stderr);
}

/* Stops the run with both sides shown when an invariant breaks. */
static void expect_same(const char *what, const struct result *got, const char *want, size_t want_len,
                        size_t buffer)
{
    if (got->len == want_len && memcmp(got->bytes, want, want_len) == 0)
        return;
    fprintf(stderr, "invariant broken: %s (buffer %zu)\n", what, buffer);
    show("got ", got->bytes, got->len);
    show("want", want, want_len);
    abort();
}

/* The first line (if it fits the buffer) cut after cut bytes: what may go out during a pause there starts its output. */
static void expect_paused_prefix(const char *in, size_t len, const struct result *once, size_t cut, size_t buffer)
{
    const char *nl = memchr(in, '\n', len);
    size_t line = nl ? (size_t)(nl - in) : len;
    if (line == 0 || line >= buffer || utf16_detect(in, len) != UTF16_NONE) /* (UTF-16: read decoded) */
        return;
    cut = 1 + cut % line;
    static struct visible v;
    size_t to = paused_end(jit, &v, in, 0, cut, 2 * token_max_len() + 16);
    if (to > cut || to > once->len || memcmp(once->bytes, in, to) != 0) {
        fprintf(stderr, "invariant broken: a pause after %zu bytes lets out %zu that do not start the output\n", cut, to);
        show("line", in, line);
        show("output", once->bytes, once->len < line + 200 ? once->len : line + 200);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    struct diag d = {{0}};
    if (patterns_add_builtin(&set) < 0 || !(jit = matcher_new(&set, true, &d)) ||
        !(interp = matcher_new(&set, false, &d))) {
        fprintf(stderr, "fuzz_filter: %s\n", d.msg);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HEADER)
        return 0;
    size_t buffer = BUFFER_MIN + (size_t)((data[0] << 8) | data[1]) % (BUFFER_MAX - BUFFER_MIN + 1);
    size_t sink_cap = 1 + data[2] * 16u;
    uint8_t flags = data[3];
    const char *in = (const char *)data + HEADER;
    size_t len = size - HEADER;
    struct config cfg = {.mode = MODE_FILTER,
                         .use_jit = true,
                         .prefilter = true,
                         .line_buffered = flags & 1,
                         .color = flags & 4,
                         .buffer_size = buffer};

    struct result once = run(&cfg, sink_cap, in, len);
    if (newlines(once.bytes, once.len) != newlines(in, len)) {
        fprintf(stderr, "invariant broken: line count (buffer %zu)\n", buffer);
        abort();
    }
    struct config other = cfg;
    other.use_jit = false;
    other.prefilter = !(flags & 2);
    scan_use(flags & 8 ? SCAN_SCALAR : SCAN_SSE2);
    struct result alt = run(&other, sink_cap, in, len);
    scan_use(SCAN_AUTO);
    if (once.status == STATUS_OK && alt.status == STATUS_OK)
        expect_same("interpreter / prefilter variant = JIT", &alt, once.bytes, once.len, buffer);

    if (!cfg.strip && once.status == STATUS_OK)
        expect_paused_prefix(in, len, &once, (size_t)data[1] + data[2], buffer);
    if (buffer >= BUFFER_STRICT || longest_line(once.bytes, once.len) < buffer) {
        struct result twice = run(&cfg, sink_cap, once.bytes, once.len);
        if (once.status == STATUS_OK)
            expect_same("annotating twice = once", &twice, once.bytes, once.len, buffer);
        struct config strip = cfg;
        strip.strip = true;
        struct result stripped_out = run(&strip, sink_cap, once.bytes, once.len);
        struct result stripped_in = run(&strip, sink_cap, in, len);
        expect_same("strip(annotate(x)) = strip(x)", &stripped_out, stripped_in.bytes, stripped_in.len, buffer);
        free(twice.bytes);
        free(stripped_out.bytes);
        free(stripped_in.bytes);
    }
    free(once.bytes);
    free(alt.bytes);
    return 0;
}
