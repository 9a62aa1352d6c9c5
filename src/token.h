/*
 * Tokens: the text a pattern's named group captures, and what it may mean.
 *
 * A pattern marks the token with a named group whose name gives its kind.
 * A token counts only when it resolves to a row of the table; the candidate
 * scan below is derived from these same rules, so a stretch of text where it
 * finds no candidate cannot hold a token that resolves, whatever the pattern.
 */
#ifndef WSAERR_TOKEN_H
#define WSAERR_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "ascii.h"
#include "table.h"

enum token_kind {
    TOKEN_NONE,
    TOKEN_CODE,    /* (?<code>10054)       decimal */
    TOKEN_HEX,     /* (?<hex>0x2746)       hexadecimal with 0x */
    TOKEN_HRESULT, /* (?<hresult>0x80072746) 8 hex digits, 0x optional */
    TOKEN_NEG,     /* (?<neg>-2147014842)  an HRESULT as signed decimal */
    TOKEN_NAME,    /* (?<name>WSAECONNRESET) a symbolic name or alias */
    TOKEN_TEXT,    /* (?<text>No such host is known) Windows' own text */
    TOKEN_APR,     /* (?<apr>730060)       APR's code: APR_SYSERR + the system error */
    TOKEN_OSSL,    /* (?<ossl>8000274C)    OpenSSL 3's packed system error: 0x80000000 + the code */
    TOKEN_CTEXT,   /* (?<ctext>Timed out)  a program's text that names a code only in its pattern's context */
};

/* APR_OS_START_SYSERR: Apache APR (and Subversion, "svn: E730060") add it to a system error */
enum { APR_SYSERR = 720000 };

/* The kind a group name denotes, TOKEN_NONE for any other name. */
enum token_kind token_kind_of_group(const char *name);
/* The token group names, as "(?<code>...) (?<hex>...) ..." for messages. */
const char *token_group_names(void);

/*
 * The table row a token denotes, or NULL. Codes below WSA_BASE are shared
 * with ordinary Win32 errors, so they count only where line_has_wsa says the
 * line itself mentions Winsock (contains "WSA"); so do their texts and the
 * texts too general to name a Winsock error alone (table_text_needs_wsa).
 */
const struct wsa_error *token_resolve(enum token_kind kind, const char *p, size_t n,
                                      bool line_has_wsa);

/*
 * Whether one of the table's Windows texts (without its final period), a
 * context text or a lead (wsa-texts.def) stands at p, ASCII case folded. A
 * TEXT token must begin at such a place, and not straight after an ASCII
 * letter; a CTEXT token's match too, at the token or its lead. token_init
 * must have run.
 */
bool token_text_starts_at(const char *p, const char *end);
/* Whether a text in ASCII letters may begin at p (start: the line's first byte): not straight after a letter. */
static inline bool token_text_may_begin(const char *start, const char *p)
{
    return p == start || !ascii_letter(p[-1]) || !ascii_letter(*p);
}
/* The lengths (final period left out) of the texts (not the context texts) standing at p, at most max of them; how many. */
size_t token_text_lengths(const char *p, const char *end, size_t *lens, size_t max);

/*
 * Whether p[0, end) is the start of a table text (a context text or lead
 * too) cut short by end, ASCII case folded: more input may make it whole.
 */
bool token_text_cut_at(const char *p, const char *end);

/* Makes the indexes the functions below use; they make them too, on first use, but not thread-safely. */
void token_init(void);

/*
 * Whether a token that resolves could begin (or, for HRESULTs, sit) at p: the
 * exact test behind the candidate scan (src/scan.c). start is the line's
 * first byte. A decimal code counts only as a whole number (not right after
 * or before a digit: 110054 and 100540 hold no 10054; the matcher holds
 * every pattern to that); with line_has_wsa, codes below WSA_BASE count too.
 * token_init must have run.
 */
bool token_candidate_at(const char *start, const char *p, const char *end, bool line_has_wsa);

/* The first TOKEN_HEAD bytes of each text the scan stops at (texts, context texts, leads), ORed with 0x20 (ASCII case folded); how many, at most max. */
enum { TOKEN_HEAD = 4 };
size_t token_text_heads(unsigned char (*heads)[TOKEN_HEAD], size_t max);


/* The length of the longest token that can resolve. */
size_t token_max_len(void);

#endif
