/* The loop that streams one input through the matcher into the sink. */
#ifndef WSAERR_FILTER_H
#define WSAERR_FILTER_H

#include <signal.h>
#include <stdbool.h>

#include "annotate.h"
#include "config.h"
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
    unsigned long long annotated; /* lines with a note, over all inputs */
    /* per input */
    const char *name;
    unsigned long long lines; /* newlines in the input before buf + counted */
    size_t counted;
    bool reported_limit;
};

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

#endif
