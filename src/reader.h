/* Large read(2) calls into one buffer, with a signal when no more input is ready. */
#ifndef WSAERR_READER_H
#define WSAERR_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "utf16.h"

struct reader {
    int fd;
    char *buf;
    size_t cap;
    size_t len; /* bytes held in buf[0, len) */
    bool eof;
    struct reader_utf16 *utf16; /* UTF-16 input read as UTF-8 (see reader_utf16), else NULL */
};

int reader_init(struct reader *r, int fd, size_t cap);
void reader_free(struct reader *r);
/* Doubles the buffer (for a line that must be held whole); -1 when out of memory. */
/* Reallocates the buffer to cap bytes (at least len); -1, changing nothing, when it cannot. */
int reader_resize(struct reader *r, size_t cap);
int reader_grow(struct reader *r);
/* Drops buf[0, keep) and moves the rest to the front. */
void reader_discard(struct reader *r, size_t keep);
/* True when a read of fd would not block (or poll cannot tell). */
bool reader_ready(int fd);
/*
 * Reads once into the free space. When the input has nothing ready, calls
 * idle(ctx) before blocking (to flush output); if it returns false (a stop
 * was asked for meanwhile), returns -1 with errno EINTR instead of reading.
 * A non-blocking input is waited for as a blocking one (a signal: EINTR).
 * Returns bytes read, 0 at end of input or when the buffer is full, -1 with
 * errno on error.
 */
ssize_t reader_fill(struct reader *r, bool (*idle)(void *), void *ctx);

/*
 * From now on reads the input as UTF-16 (enc: see utf16.h), as UTF-8: what
 * buf holds is taken as its first bytes, its byte order mark left out
 * (UTF16_NONE: as bytes again, what was not read yet dropped). -1 when out
 * of memory.
 */
int reader_utf16(struct reader *r, enum utf16 enc);

#endif
