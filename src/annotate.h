/* From one line (or piece of a very long line) to its notes, and notes to output bytes. */
#ifndef WSAERR_ANNOTATE_H
#define WSAERR_ANNOTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "annotation.h"
#include "matcher.h"
#include "sink.h"
#include "table.h"
#include "visible.h"

/* A token to annotate, or an annotation the input already carries. */
struct note {
    size_t tok_start, tok_end; /* the token (for an existing annotation: the annotation) */
    size_t at;                 /* where the annotation stands in the subject */
    size_t existing_len;       /* > 0: the input already has it, this long, at `at` */
    enum token_kind kind;
    const struct wsa_error *error;
};

/* What a line remembers while it is processed in pieces: codes already annotated, and counted. */
struct line_memory {
    uint64_t seen[2];
    uint64_t counted[2]; /* for --summary: a code counts once a line, however often it stands there */
    int has_wsa;     /* -1 unknown, else whether the line mentions WSA outside annotations */
    size_t quiet_to; /* past the subject's start: the caller's scan found its first candidate here (see matcher_next) */
    struct line_color color; /* with WRITE_COLOR: the line's color up to where its output got */
};

/* A line's notes: new ones at most one per table row, existing ones as many as the line holds. */
struct notes {
    struct note *item; /* grows as needed; notes_free frees it */
    size_t count, cap;
    int match_error;   /* a negative PCRE2 result (a limit was hit, or no memory for a note), else 0 */
    size_t partial_at; /* with partial: where a match cut off by the end began, else len */
    struct visible vis; /* the visible text of a subject with escape sequences (see visible.h) */
};

void line_memory_reset(struct line_memory *mem);
/* Whether e is yet to be counted on this line (for --summary); it is from now on. */
bool line_memory_count(struct line_memory *mem, const struct wsa_error *e);
void notes_free(struct notes *n);

/*
 * Finds the notes of s[from, len): annotations the text already carries, and
 * each distinct code's first mention among matches that start before
 * accept_end (with m NULL, only the existing annotations), unless an
 * annotation of that code stands before it on the line or right after it
 * (its own). Bytes before from are context only. With partial (s stops short
 * of the line's end), matching stops where a match might run on past len:
 * see partial_at; the caller then (and when accept_end < len) marks the
 * existing annotations it writes out (annotate_mark_existing). Returns the end of the last match taken (at
 * least from).
 */
size_t annotate_find(struct matcher *m, const char *s, size_t len, size_t from, size_t accept_end,
                     bool partial, struct line_memory *mem, struct notes *out);

/* Whether s[from, to) (s: the line's start) says "WSA" where a word begins, as annotate_find reads a line. */
bool annotate_mentions_wsa(const char *s, size_t from, size_t to);

/* Marks the codes of the existing annotations in notes that stand before to as annotated on this line. */
void annotate_mark_existing(const struct notes *notes, struct line_memory *mem, size_t to);

/* How annotate_write_text writes: flags (0 for plain annotated text). */
enum { WRITE_STRIP = 1, WRITE_COLOR = 2 };

/*
 * Writes s[from, to) with each new note's annotation after its token (in
 * color with WRITE_COLOR, ended in the line's color as mem follows it from
 * s[0]: bytes before from are context only); with WRITE_STRIP, existing
 * annotations are left out instead. Returns the sink status.
 */
int annotate_write_text(const char *s, size_t from, size_t to, const struct notes *notes, unsigned how,
                        struct line_memory *mem, struct sink *out);

#endif
