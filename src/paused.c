/* What of a line the input paused in can go out now: see paused.h. */
#include "paused.h"

#include <stdbool.h>
#include <string.h>

#include "ascii.h"
#include "scan.h"
#include "token.h"

/* A byte of a token the end may have cut: a code, name, hexadecimal or negative number. */
static bool token_byte(char c) { return ascii_alnum(c) || c == '_' || c == '-'; }

/* Where the run of token bytes that ends at t[to] begins (not before from). */
static size_t before_token_bytes(const char *t, size_t from, size_t to)
{
    while (to > from && token_byte(t[to - 1]))
        to--;
    return to;
}

/* The first place in s[from, len) where a table text cut short by len may begin (a word's start), else len. */
static size_t before_cut_text(const char *s, size_t from, size_t len, size_t longest)
{
    for (size_t p = len - from > longest ? len - longest : from; p < len; p++)
        if (token_text_may_begin(s, s + p) && token_text_cut_at(s + p, s + len))
            return p;
    return len;
}

/*
 * Where t[from, len) (t starting at its line) must stop for a '[' that may
 * begin an annotation already there (" [" and a code's first digit or a
 * name's letter, or the end; not a progress meter's "[00:01<00:02]").
 */
static size_t before_bracket(const char *t, size_t from, size_t len)
{
    for (const char *c = t + from; (c = memchr(c, '[', (size_t)(t + len - c))) != NULL; c++) {
        bool may_annotate = c + 1 == t + len || (c[1] >= 'A' && c[1] <= 'Z') || (c[1] >= '1' && c[1] <= '9');
        if (c > t && c[-1] == ' ' && may_annotate)
            return (size_t)(c - t) - (c > t + from);
    }
    return len;
}

/*
 * paused_end in t[from, len), its line's visible text.
 * An escape sequence still in it is one cut short: the text ends there for
 * now (the rest may be invisible).
 */
static size_t end_in(struct matcher *m, const char *t, size_t from, size_t len, size_t text_hold)
{
    const char *c = memchr(t + from, '\033', len - from);
    if (c)
        len = (size_t)(c - t);
    /* a text the end may have cut, from its lead on; without a matcher, a token at the end too */
    size_t cut = before_cut_text(t, from, len, text_hold), to = len;
    if (cut < len || !m)
        to = matcher_lead_start(t, from, before_token_bytes(t, from, cut));
    else if (to > from && t[to - 1] == ' ') /* it may begin an annotation's " [" */
        to--;
    /* the first match, or one the end cuts short (the lead bytes before a token yet to come: "error: "),
     * as if the line said WSA: no other can begin, whatever follows (a prompt's ": " goes out, and a
     * progress bar's 6/10 or :08); without a matcher, the first token */
    struct match mt;
    int rc = m ? matcher_next(m, t, len, from, from, true, true, &mt) : 0;
    size_t held = rc < 0 ? from : rc > 0 ? mt.start : len;
    if (!m && (c = token_next(t, t + from, t + len, true)) != NULL)
        held = (size_t)(c - t);
    if (held < to)
        to = matcher_lead_start(t, from, held);
    return before_bracket(t, from, to);
}

size_t paused_end(struct matcher *m, struct visible *v, const char *s, size_t from, size_t len, size_t text_hold)
{
    int made = visible_make(v, s, len, false);
    if (made < 0)
        return from;
    if (!made)
        return end_in(m, s, from, len, text_hold);
    /* up to the last visible byte written: the escapes before the first byte held may be its */
    size_t first = visible_index(v, from), to = end_in(m, v->text, first, v->len, text_hold);
    return to > first ? visible_end(v, first, to) : from;
}
