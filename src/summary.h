/* --summary: how often each code was found, and where first; printed at the end. */
#ifndef WSAERR_SUMMARY_H
#define WSAERR_SUMMARY_H

#include <stdio.h>

#include "table.h"

struct summary_row {
    unsigned long long count;      /* lines the code was found in */
    unsigned long long first_line; /* 1-based, in first_file */
    const char *first_file;
    size_t order; /* 0 for the first code found, 1 for the next... */
};

struct summary {
    struct summary_row *row; /* one per table row */
    size_t found; /* distinct codes found */
};

int summary_init(struct summary *s); /* -1 when out of memory */
void summary_free(struct summary *s);
void summary_add(struct summary *s, const struct wsa_error *e, const char *file, unsigned long long line);
/* Adds the counts of from, found after all of into's, to into; from is left empty. */
void summary_merge(struct summary *into, struct summary *from);
/*
 * Prints one row per code found, most frequent first (then by first
 * appearance): count, code, name, FILE:LINE of the first. With no code
 * found, one line that says so. Returns -1 when out could not be written.
 */
int summary_print(const struct summary *s, FILE *out);

#endif
