/* PCRE2 matching of the combined recognizers over byte spans. */
#ifndef WSAERR_MATCHER_H
#define WSAERR_MATCHER_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "patterns.h"
#include "token.h"

struct matcher;

enum { MATCH_PARTIAL = 2 };
/* PCRE2's "no more memory" (PCRE2_ERROR_NOMEMORY), for callers that run out themselves: matcher_error names it. */
enum { MATCH_NO_MEMORY = -48 };

/* One match: the whole match, the token group inside it and the row it names. */
struct match {
    size_t start, end;
    size_t tok_start, tok_end;
    enum token_kind kind;
    const struct wsa_error *error;
};

/*
 * Compiles every pattern alone, checks each has a token group and joins them
 * into alternations. The built-in (token-first) ones are compiled at their
 * first run, so an input with no candidate compiles none; the others at once,
 * where a pattern that does not join is named. Each is JIT-compiled at its
 * first run unless use_jit is false (or JIT is not available: then the
 * interpreter gives the same results). NULL with d set.
 */
struct matcher *matcher_new(const struct pattern_set *set, bool use_jit, struct diag *d);
/*
 * A matcher for another thread: it shares m's compiled recognizers (m must
 * outlive it; each is compiled by the first thread to run it) and has its
 * own match state. NULL when out of memory. Not while another thread runs m.
 */
struct matcher *matcher_clone(struct matcher *m);
void matcher_free(struct matcher *m);
/* Whether every recognizer runs JIT-compiled (compiling, and JIT-compiling, those not run yet: see matcher_new). */
bool matcher_uses_jit(struct matcher *m);

/*
 * The leftmost match in s[0, len) starting at or after from (bytes before from
 * are context for lookbehind) whose token names a table row (line_has_wsa as
 * for token_resolve): a match whose token does not is backtracked into, so
 * another recognizer can match there instead. Returns 1 with *out set, 0 for none, or a
 * negative PCRE2 error code (a limit was hit): see matcher_error. With partial
 * (s is cut short of the line's end), a match that might go on past len
 * returns MATCH_PARTIAL with out->start where it began. Token-first
 * recognizers (see struct pattern) are tried only where token_next says a
 * token can begin, so their work grows with the candidates, not the bytes;
 * when quiet_to is past from, the caller's scan (token_next, line_has_wsa
 * false) found none before quiet_to and one at it.
 */
int matcher_next(struct matcher *m, const char *s, size_t len, size_t from, size_t quiet_to, bool partial,
                 bool line_has_wsa, struct match *out);
/*
 * Whether matcher_next(from 0) may try a recognizer for the candidate at
 * s[at] (token_next's): false when no token-first recognizer can begin there
 * or at the lead bytes before it, by their first byte and the two bytes
 * before them (before.h), and no other recognizer exists. A line whose
 * candidates all give false, none of them "WSA" (which lets more count),
 * gets no match.
 */
bool matcher_may_begin(const struct matcher *m, const char *s, size_t at);

/*
 * Where a token-first match of the token at s[tok] may begin: at the start
 * of the lead bytes before it ("\s", ':', '=', '#'), not before from.
 */
size_t matcher_lead_start(const char *s, size_t from, size_t tok);

/* Whether every recognizer of m is token first (no --patterns of the user's: those may begin anywhere). */
bool matcher_token_first(const struct matcher *m);
/* PCRE2's message for a negative result of matcher_next. */
void matcher_error(int rc, char *buf, size_t size);

#endif
