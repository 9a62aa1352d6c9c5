/*
 * Buffered output with checked writes; a closed pipe ends output quietly, a
 * full non-blocking one is waited for.
 * A memory sink (fd -1) grows instead of writing: text built there (an
 * annotated message for a JSON reply) comes out through the same writers.
 */
#ifndef WSAERR_SINK_H
#define WSAERR_SINK_H

#include <stdbool.h>
#include <stddef.h>

#include "utf16.h"

struct sink {
    int fd;
    char *buf;
    size_t cap, len;
    bool line_buffered;
    int error;  /* errno of the first failed write, 0 if none */
    bool broken; /* the reader went away (EPIPE): not an error */
    bool mid_line; /* the last byte written was not a newline */
    enum utf16 utf16;   /* written as UTF-16 (see sink_utf16), or UTF16_NONE */
    char pending[4];    /* the start of a UTF-8 sequence the last write cut short */
    size_t pending_len;
};

int sink_init(struct sink *s, int fd, size_t cap, bool line_buffered);
/* A memory sink starting at cap bytes: buf[0, len) holds what was written; -1 when out of memory. */
int sink_init_memory(struct sink *s, size_t cap);
/*
 * When fd is a pipe, asks the kernel to let it hold size bytes (Linux allows
 * up to /proc/sys/fs/pipe-max-size, 1 MiB by default): a large write wakes
 * the reader once rather than every 64 KiB, and a writer into an input pipe
 * can run ahead. Nothing changes if it cannot.
 */
void widen_pipe(int fd, size_t size);
/* Appends bytes; returns 0, or -1 once output has failed or the pipe is closed. */
int sink_write(struct sink *s, const void *p, size_t n);
/*
 * From now on writes the UTF-8 it is given (as utf16_decode writes it) as
 * UTF-16 (enc), until enc is UTF16_NONE: then what a last write cut short
 * goes out too. Same result convention.
 */
int sink_utf16(struct sink *s, enum utf16 enc);
/* Formatted text (at most 4 KiB a call); same result convention. */
int sink_printf(struct sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes out what is buffered (a memory sink keeps it); same result convention. */
int sink_flush(struct sink *s);
/* End of a line: flushes in --line-buffered mode. */
int sink_end_line(struct sink *s);
/* Flushes, frees the buffer; returns 0 or -1 (error set) for a real failure. */
int sink_close(struct sink *s);

#endif
