/*
 * Messages about lines that a worker holds with the output of its block:
 * each remembers the offset in that output where it belongs, so the main
 * thread can write the two interleaved as one thread writes them.
 */
#ifndef WSAERR_HELD_H
#define WSAERR_HELD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sink.h"

struct held_message {
    size_t at;  /* after this many bytes of the block's output */
    size_t end; /* its text ends at text[end] (it starts where the one before ends) */
};

struct held {
    char *text;
    size_t len, cap;
    struct held_message *item;
    size_t count, items;
    bool error; /* a message did not fit in memory */
};

void held_free(struct held *h);
/* Forgets the messages, keeping the memory. */
void held_clear(struct held *h);
/* Holds the message text[0, n) (of any length), which belongs after at bytes of output. */
void held_put(struct held *h, size_t at, const char *text, size_t n);
/*
 * Writes out[0, len) to the sink with each message printed to err where it
 * belongs: the sink is flushed before each, so a reader of both streams
 * (2>&1) sees it right after the output before it.
 */
void held_write(const struct held *h, const char *out, size_t len, struct sink *sink, FILE *err);

#endif
