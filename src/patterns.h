/* Pattern files: the built-in ones embedded at build time and the user's own. */
#ifndef WSAERR_PATTERNS_H
#define WSAERR_PATTERNS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/*
 * One recognizer: a line of a pattern file. A built-in one is token_first:
 * its match begins at its token, or where the run of blanks, ':', '=' and
 * '#' just before the token begins (the context before is looked behind at).
 * In any recognizer, a (?<code>) token is a whole number (no digit right before or after it). The matcher
 * tries it only where a token can begin, and ignores matches of another shape.
 */
struct pattern {
    const char *file;
    unsigned line;
    const char *text;
    size_t len;
    bool token_first;
};

struct pattern_set {
    struct pattern *items;
    size_t count, cap;
    char **owned; /* file texts read at start-up, freed with the set */
    size_t nowned;
};

struct builtin_pattern_file {
    const char *name;
    const char *text;
};

/* Generated at build time from the files in patterns/. */
extern const struct builtin_pattern_file builtin_pattern_files[];
extern const size_t builtin_pattern_file_count;

/* Adds the lines of one pattern file's text; 0, or -1 when out of memory. */
int patterns_add_text(struct pattern_set *set, const char *file, const char *text, size_t len);
int patterns_add_builtin(struct pattern_set *set);
/* Reads FILE ("-" is not allowed: stdin is the log); -1 with d set on error. */
int patterns_add_file(struct pattern_set *set, const char *path, struct diag *d);
void patterns_free(struct pattern_set *set);

#endif
