/*
 * What a pattern needs just before its match: the bytes its leading
 * lookbehind allows there, read from the pattern's text, so the matcher can
 * skip PCRE2 where a built-in recognizer cannot begin (a port after an IP
 * address: "…137:10061"). Only the plain lookbehinds a pattern begins with
 * are read (each must hold); for any other pattern every byte is allowed, so
 * the answer is always a necessary condition, never a guess.
 */
#ifndef WSAERR_BEFORE_H
#define WSAERR_BEFORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many bytes before a match are looked at. */
enum { BEFORE_BYTES = 2 };

/* One pattern's: allowed[d], a bit for each byte that may stand d + 1 places before its match. */
struct before {
    uint8_t allowed[BEFORE_BYTES][32];
};

/* An alternation's: second[c], a bit for each byte that may stand before c when c stands just before a match. */
struct before_table {
    uint8_t second[256][32];
};

/* What pattern text p[0, n) allows before its match (all bytes where it cannot tell). */
void before_of(const char *p, size_t n, struct before *out);
/* Lets t (zeroed: it allows nothing) also allow what b does, for an alternation that holds b's pattern. */
void before_add(struct before_table *t, const struct before *b);
/* Whether a match may begin at s[at] (the bytes before at, as many as there are, are the subject's). */
bool before_allows(const struct before_table *t, const char *s, size_t at);

#endif
