/* The loop that streams one input through the matcher into the sink. */
#ifndef WSAERR_FILTER_H
#define WSAERR_FILTER_H

#include <signal.h>
#include <stdbool.h>

#include "annotate.h"
#include "config.h"
#include "held.h"
#include "matcher.h"
#include "reader.h"
#include "sink.h"
#include "summary.h"

struct filter {
    const struct config *cfg;
    struct matcher *matcher;
    struct sink *out;
    struct reader reader;
    struct notes notes;
    struct line_memory mem;
    const volatile sig_atomic_t *stop; /* set by a signal: finish what was read */
    bool prefilter;
    size_t text_hold;         /* bytes a cut piece leaves for the next, so a Windows text
                                 the cut would split (its start hidden from the text
                                 recognizer's gate) is matched whole next time */
    bool whole_lines;         /* --json, --only-annotated: lines are never cut into pieces */
    unsigned how;             /* WRITE_* flags for annotate_write_text */
    struct summary *summary;  /* --summary: where to count codes, else NULL */
    struct held *messages;    /* a worker's: where messages about lines are held with their
                                 place in its output, else NULL for stderr (after a flush) */
    unsigned long long annotated; /* lines with a note, over all inputs */
    /* per input */
    const char *name;
    unsigned long long lines; /* newlines in the input before buf + counted */
    size_t counted;
    bool reported_limit;
    bool line_begun;          /* pieces of the current (long) line are out */
    bool deferring;           /* a message waits for the line's end: deferred[0, deferred_len),
                                 NULL when there was no memory for it */
    char *deferred;
    size_t deferred_len;
    bool through_line; /* filter_through_line: stop after the first newline (not at the end) */
    bool at_input_start; /* filter_fd: the input's first bytes are yet to be looked at */
    bool cut_short;      /* the output ended before the input did: what was not read is not counted */
};

/*
 * As filter_fd from a reader already holding an input's first bytes and
 * reading on from in->fd to its end (src/parallel.c: a UTF-16 input is
 * annotated by one thread). in keeps its buffer.
 */
int filter_rest(struct filter *f, struct reader *in, const char *name);

/* Whether an input's last line, selected or prefixed, gets a newline when it has none (as grep's do). */
static inline bool filter_ends_last_line(const struct config *cfg)
{
    return (cfg->only_annotated || cfg->with_filename || cfg->line_number) && !cfg->json;
}

/* Start-up: allocates the input buffer; -1 when out of memory. */
int filter_init(struct filter *f, const struct config *cfg, struct matcher *m, struct sink *out,
                const volatile sig_atomic_t *stop);
void filter_free(struct filter *f);
/*
 * Streams fd (named name in messages) to the sink. Returns STATUS_OK, or
 * STATUS_TROUBLE after printing a one-line message for a read error or a
 * pattern limit; output failures are left in the sink for the caller.
 */
int filter_fd(struct filter *f, int fd, const char *name);

/*
 * As filter_fd over a block of whole lines in memory (the last may lack its
 * newline only at the input's end), with lines_before lines of the input
 * before it: what worker threads run (src/parallel.c). f's own input
 * buffer is left alone.
 */
int filter_block(struct filter *f, struct reader *in, const char *name, unsigned long long lines_before);

/*
 * As filter_fd from a reader already holding the start of a long line and
 * reading on from in->fd, but returning once that line has ended and the
 * lines complete in the buffer then are out: in keeps what is left, f->lines
 * counts the lines done. At the input's end it returns as filter_fd.
 */
int filter_through_line(struct filter *f, struct reader *in, const char *name, unsigned long long lines_before);

#endif
