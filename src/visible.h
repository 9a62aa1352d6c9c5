/*
 * A line's text as a terminal shows it: its color (SGR, ESC [ ... m),
 * erase-line (ESC [ ... K), column (ESC [ ... G) and mode (ESC [ ? ... h/l)
 * sequences, character set choices (ESC ( B) and OSC strings (titles,
 * hyperlink targets) taken out, with where each byte left came from. The
 * recognizers read this text, so a code or a Windows text a program or grep
 * --color highlighted (ESC[31mAn existing connection..., errno
 * ESC[33m10054) is found as on a plain line, and nothing is annotated inside
 * a hyperlink's target; the annotations go into the line's own bytes.
 * Cursor movements stay, as bytes that are no word.
 */
#ifndef WSAERR_VISIBLE_H
#define WSAERR_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest OSC string taken out; past it, its bytes are text. */
enum { VISIBLE_STRING_MAX = 512 };

struct visible {
    char *text;     /* the bytes left */
    uint32_t *from; /* text[i] is the subject's byte from[i]; from[len] is the subject's length */
    size_t len, cap;
};

/*
 * The length of the sequence or string at p (n bytes) that the visible text
 * leaves out, or 0. With cut
 * (the text stops short of the line's end), one that the end cuts short
 * counts too: the rest of it may follow.
 */
size_t visible_escape_length(const char *p, size_t n, bool cut);

/*
 * Makes v the visible text of s[0, n) (cut: as for visible_escape_length): 1
 * when s holds such a sequence, 0 (v unchanged) when it holds none or is too
 * long to map (4 GiB), -1 out of memory.
 */
int visible_make(struct visible *v, const char *s, size_t n, bool cut);

/* The first byte of v's text at or after the subject's byte pos (v->len when none). */
size_t visible_index(const struct visible *v, size_t pos);

/* Where the subject's span for v's text [i, j) ends: just after its last byte (j > i), else at i's byte. */
static inline size_t visible_end(const struct visible *v, size_t i, size_t j)
{
    return j > i ? (size_t)v->from[j - 1] + 1 : v->from[i];
}

void visible_free(struct visible *v);

#endif
