/* The input side: one buffer, large reads, readiness check before blocking. */
#include "reader.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdwait.h"

/* UTF-16 input: its bytes not yet decoded, and decoded bytes not yet in the buffer. */
struct reader_utf16 {
    enum utf16 enc;
    bool raw_eof;
    char *raw;
    size_t raw_len, raw_cap, cooked_len, cooked_at;
    char cooked[96 * 1024];
};

int reader_init(struct reader *r, int fd, size_t cap)
{
    *r = (struct reader){.fd = fd, .cap = cap};
    r->buf = malloc(cap);
    return r->buf ? 0 : -1;
}

void reader_free(struct reader *r)
{
    free(r->buf);
    reader_utf16(r, UTF16_NONE);
    r->buf = NULL;
}

int reader_grow(struct reader *r) { return r->cap <= SIZE_MAX / 2 ? reader_resize(r, r->cap * 2) : -1; }

int reader_resize(struct reader *r, size_t cap)
{
    char *b = cap >= r->len ? realloc(r->buf, cap) : NULL;
    if (!b)
        return -1;
    r->buf = b;
    r->cap = cap;
    return 0;
}

void reader_discard(struct reader *r, size_t keep)
{
    if (keep == 0)
        return;
    memmove(r->buf, r->buf + keep, r->len - keep);
    r->len -= keep;
}

bool reader_ready(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n;
    while ((n = poll(&p, 1, 0)) < 0 && errno == EINTR)
        ;
    return n != 0;
}

/* Reads once into p (n bytes) as reader_fill does: bytes read, 0 at the end, -1 with errno. */
static ssize_t read_input(struct reader *r, char *p, size_t n, bool (*idle)(void *), void *ctx)
{
    struct pollfd in = {.fd = r->fd, .events = POLLIN};
    if (!reader_ready(r->fd)) {
        if (idle && !idle(ctx)) {
            errno = EINTR;
            return -1;
        }
        /* not in read: a stop asked for after idle looked would not end a blocked read */
        if (fd_wait_input(&in, 1) < 0)
            return -1;
    }
    ssize_t got;
    /* a non-blocking input taken by another reader meanwhile: wait again, as a blocking read does */
    while ((got = read(r->fd, p, n)) < 0 && fd_would_block(errno))
        if (fd_wait_input(&in, 1) < 0)
            return -1;
    return got;
}

/* reader_fill for UTF-16 input: decoded bytes first, then decoded input, then a read. */
static ssize_t fill_utf16(struct reader *r, bool (*idle)(void *), void *ctx)
{
    struct reader_utf16 *u = r->utf16;
    for (;;) {
        if (u->cooked_at < u->cooked_len) {
            size_t n = u->cooked_len - u->cooked_at < r->cap - r->len ? u->cooked_len - u->cooked_at : r->cap - r->len;
            memcpy(r->buf + r->len, u->cooked + u->cooked_at, n);
            r->len += n, u->cooked_at += n;
            return (ssize_t)n;
        }
        size_t used;
        u->cooked_len = utf16_decode(u->enc, u->raw, u->raw_len, u->raw_eof, u->cooked, sizeof u->cooked, &used);
        u->cooked_at = 0;
        memmove(u->raw, u->raw + used, u->raw_len - used);
        u->raw_len -= used;
        if (u->cooked_len > 0)
            continue;
        if (u->raw_eof) {
            r->eof = true;
            return 0;
        }
        ssize_t n = read_input(r, u->raw + u->raw_len, u->raw_cap - u->raw_len, idle, ctx);
        if (n < 0)
            return -1;
        u->raw_len += (size_t)n;
        u->raw_eof = n == 0;
    }
}

ssize_t reader_fill(struct reader *r, bool (*idle)(void *), void *ctx)
{
    if (r->eof || r->len == r->cap)
        return 0;
    if (r->utf16)
        return fill_utf16(r, idle, ctx);
    ssize_t n = read_input(r, r->buf + r->len, r->cap - r->len, idle, ctx);
    if (n > 0)
        r->len += (size_t)n;
    else if (n == 0)
        r->eof = true;
    return n;
}

int reader_utf16(struct reader *r, enum utf16 enc)
{
    enum { RAW = 64 * 1024 };
    if (r->utf16) {
        free(r->utf16->raw);
        free(r->utf16);
        r->utf16 = NULL;
    }
    if (enc == UTF16_NONE)
        return 0;
    struct reader_utf16 *u = malloc(sizeof *u);
    char *raw = malloc(r->len > RAW ? r->len : RAW);
    if (!u || !raw) {
        free(u);
        free(raw);
        return -1;
    }
    /* what was read is the input's first bytes, to be decoded, but for the byte order mark */
    size_t bom = r->len >= 2 ? 2 : 0;
    *u = (struct reader_utf16){.enc = enc, .raw_eof = r->eof, .raw = raw, .raw_len = r->len - bom,
                               .raw_cap = r->len > RAW ? r->len : RAW};
    memcpy(raw, r->buf + bom, r->len - bom);
    r->utf16 = u, r->len = 0, r->eof = false;
    return 0;
}
