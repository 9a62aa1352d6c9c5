/* Buffered output: every write checked, EPIPE remembered as "reader gone". */
#include "sink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdwait.h"

int sink_init(struct sink *s, int fd, size_t cap, bool line_buffered)
{
    *s = (struct sink){.fd = fd, .cap = cap, .line_buffered = line_buffered};
    s->buf = malloc(cap);
    return s->buf ? 0 : -1;
}

void widen_pipe(int fd, size_t size)
{
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && fcntl(fd, F_GETPIPE_SZ) < (int)size)
        fcntl(fd, F_SETPIPE_SZ, (int)size);
}

int sink_init_memory(struct sink *s, size_t cap) { return sink_init(s, -1, cap ? cap : 1, false); }

static bool failed(const struct sink *s) { return s->error != 0 || s->broken; }

/* write(2) until all of p is out; records EPIPE or the error. */
static int write_all(struct sink *s, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            /* a non-blocking output that is full: wait for room, as a blocking write does */
            if (fd_would_block(errno) && (fd_wait(s->fd, POLLOUT) == 0 || errno == EINTR))
                continue;
            if (errno == EPIPE)
                s->broken = true;
            else
                s->error = errno;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* A memory sink grows to hold n more bytes; out of memory is ENOMEM. */
static int grow(struct sink *s, size_t n)
{
    char *buf = NULL;
    size_t cap = s->cap;
    if (n <= SIZE_MAX - s->len) {
        while (cap < s->len + n)
            cap = cap > SIZE_MAX / 2 ? s->len + n : cap * 2;
        buf = realloc(s->buf, cap);
    }
    if (!buf) {
        s->error = ENOMEM;
        return -1;
    }
    s->buf = buf;
    s->cap = cap;
    return 0;
}

int sink_flush(struct sink *s)
{
    if (failed(s))
        return -1;
    if (s->fd < 0)
        return 0;
    size_t n = s->len;
    s->len = 0;
    return write_all(s, s->buf, n);
}

static int write_bytes(struct sink *s, const void *p, size_t n);

/* The bytes pending and p[0, n) as UTF-16; the start of a sequence cut short stays pending (all of it when last). */
static int write_utf16(struct sink *s, const char *p, size_t n, bool last)
{
    enum { CHUNK = 4096 };
    char in[CHUNK + sizeof s->pending], out[2 * sizeof in + 4];
    do {
        size_t take = n < CHUNK ? n : CHUNK, m = s->pending_len + take, used;
        memcpy(in, s->pending, s->pending_len);
        memcpy(in + s->pending_len, p, take);
        p += take, n -= take;
        size_t k = utf16_encode(s->utf16, in, m, last && n == 0, out, sizeof out, &used);
        s->pending_len = m - used; /* fewer than 4: out has room for all the rest */
        memcpy(s->pending, in + used, s->pending_len);
        if (write_bytes(s, out, k) < 0)
            return -1;
    } while (n > 0);
    return 0;
}

int sink_utf16(struct sink *s, enum utf16 enc)
{
    int rc = s->utf16 && s->pending_len > 0 && !failed(s) ? write_utf16(s, "", 0, true) : 0;
    s->utf16 = enc, s->pending_len = 0;
    return rc;
}

int sink_write(struct sink *s, const void *p, size_t n)
{
    if (failed(s))
        return -1;
    if (n > 0)
        s->mid_line = ((const char *)p)[n - 1] != '\n';
    return s->utf16 ? write_utf16(s, p, n, false) : write_bytes(s, p, n);
}

/* Appends bytes as they are. */
static int write_bytes(struct sink *s, const void *p, size_t n)
{
    if (s->fd < 0 && n > s->cap - s->len && grow(s, n) < 0)
        return -1;
    if (n <= s->cap - s->len) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
        return 0;
    }
    if (sink_flush(s) < 0)
        return -1;
    if (n >= s->cap)
        return write_all(s, p, n);
    memcpy(s->buf, p, n);
    s->len = n;
    return 0;
}

int sink_printf(struct sink *s, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    return sink_write(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

int sink_end_line(struct sink *s) { return s->line_buffered ? sink_flush(s) : (failed(s) ? -1 : 0); }

int sink_close(struct sink *s)
{
    if (!failed(s))
        sink_flush(s);
    free(s->buf);
    s->buf = NULL;
    return s->error ? -1 : 0;
}
