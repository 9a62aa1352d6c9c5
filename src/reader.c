/* The input side: one buffer, large reads, readiness check before blocking. */
#include "reader.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdwait.h"

int reader_init(struct reader *r, int fd, size_t cap)
{
    *r = (struct reader){.fd = fd, .cap = cap};
    r->buf = malloc(cap);
    return r->buf ? 0 : -1;
}

void reader_free(struct reader *r)
{
    free(r->buf);
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

ssize_t reader_fill(struct reader *r, bool (*idle)(void *), void *ctx)
{
    if (r->eof || r->len == r->cap)
        return 0;
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
    ssize_t n;
    /* a non-blocking input taken by another reader meanwhile: wait again, as a blocking read does */
    while ((n = read(r->fd, r->buf + r->len, r->cap - r->len)) < 0 && fd_would_block(errno))
        if (fd_wait_input(&in, 1) < 0)
            return -1;
    if (n > 0)
        r->len += (size_t)n;
    else if (n == 0)
        r->eof = true;
    return n;
}
