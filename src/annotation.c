/* Writing and recognising the annotation text. */
#include "annotation.h"

#include <stdlib.h>
#include <string.h>

/* Appends s at w; returns the end. */
static char *put_n(char *w, const char *s, size_t n)
{
    memcpy(w, s, n);
    return w + n;
}

static char *put(char *w, const char *s) { return put_n(w, s, strlen(s)); }

/* Appends the decimal digits of v (a table code, not negative) at w; returns the end. */
static char *put_code(char *w, long v)
{
    char digits[24];
    size_t n = 0;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0 && n < sizeof digits);
    while (n > 0)
        *w++ = digits[--n];
    return w;
}

/* The length of the SGR sequence (ESC [ digits ; : m) at p, at most max bytes, or 0. */
static size_t sgr_length(const char *p, size_t n, size_t max)
{
    if (n < 3 || p[0] != '\033' || p[1] != '[')
        return 0;
    for (size_t i = 2; i < n && i < max; i++)
        if (p[i] == 'm')
            return i + 1;
        else if (!((p[i] >= '0' && p[i] <= '9') || p[i] == ';' || p[i] == ':'))
            return 0;
    return 0;
}

/* The end of the parameter at p (before its ';' or end). */
static const char *param_end(const char *p, const char *end)
{
    while (p < end && *p != ';')
        p++;
    return p;
}

/*
 * Follows the foreground color through the parameters [p, end) of one SGR
 * sequence: *fg, *len become the parameters that set it (length 0: the
 * default). 38 sets it, as 38;5;N, 38;2;R;G;B or 38:...; 48 and 58 (background
 * and underline) take the same arguments, which are no colors of their own.
 */
static void follow_fg(const char *p, const char *end, const char **fg, size_t *len)
{
    while (p <= end) {
        const char *q = param_end(p, end);
        size_t n = (size_t)(q - p);
        int v = n == 0 ? 0 : n <= 3 && memchr(p, ':', n) == NULL ? atoi(p) : -1;
        const char *last = q;
        if ((v == 38 || v == 48 || v == 58) && q < end) {
            const char *kind = q + 1, *k = param_end(kind, end);
            size_t more = k - kind == 1 && *kind == '5' ? 1 : k - kind == 1 && *kind == '2' ? 3 : 0;
            for (last = k; more > 0 && last < end; more--)
                last = param_end(last + 1, end);
        }
        if (v == 0 || v == 39)
            *len = 0;
        else if ((v >= 30 && v <= 37) || (v >= 90 && v <= 97) || v == 38 || (n > 3 && memcmp(p, "38:", 3) == 0))
            *fg = p, *len = (size_t)(last - p);
        p = last + 1;
    }
}

void annotation_follow_color(struct line_color *c, const char *s, size_t from, size_t to)
{
    const char *p = s + from, *end = s + to;
    while ((p = memchr(p, '\033', (size_t)(end - p))) != NULL) {
        size_t n = sgr_length(p, (size_t)(end - p), (size_t)(end - p)), len = c->len;
        const char *fg = NULL;
        if (n == 0) {
            p++;
            continue;
        }
        follow_fg(p + 2, p + n - 1, &fg, &len);
        if (fg && len > sizeof c->fg)
            len = 0; /* too long to be a color: the default */
        else if (fg)
            memcpy(c->fg, fg, len);
        c->len = len;
        p += n;
    }
}

void annotation_color_off(const struct line_color *c, char *off)
{
    const char *fg = c->len > 0 ? c->fg : "39";
    size_t len = c->len > 0 ? c->len : 2;
    memcpy(off, "\033[", 2);
    memcpy(off + 2, fg, len);
    memcpy(off + 2 + len, "m", 2);
}

size_t annotation_render(const struct wsa_error *e, enum token_kind kind, const char *off, char *buf)
{
    /* table names and messages are far below ANNOTATION_MAX (tests/unit/test_annotation.c checks) */
    char *w = put(buf, off ? ANNOTATION_COLOR_ON " [" : " [");
    if (kind != TOKEN_NAME)
        w = put_n(w, e->name, e->name_len);
    if (kind != TOKEN_NAME && kind != TOKEN_CODE)
        *w++ = ' ';
    if (kind != TOKEN_CODE)
        w = put_code(w, e->code);
    w = put(put(put_n(put(w, ": "), e->message, e->message_len), "]"), off ? off : "");
    *w = '\0';
    return (size_t)(w - buf);
}

void annotation_widen_color(const char *s, size_t from, size_t len, size_t *a, size_t *b)
{
    size_t on = sizeof ANNOTATION_COLOR_ON - 1, off;
    if (*a >= from + on && memcmp(s + *a - on, ANNOTATION_COLOR_ON, on) == 0 &&
        (off = sgr_length(s + *b, len - *b, ANNOTATION_OFF_MAX)) > 0) {
        *a -= on;
        *b += off;
    }
}

/* Length of the run of at most 6 decimal digits at p, its value in *v. */
static size_t digits(const char *p, size_t n, long *v)
{
    size_t i = 0;
    *v = 0;
    while (i < n && i < 6 && p[i] >= '0' && p[i] <= '9')
        *v = *v * 10 + (p[i++] - '0');
    return i > 0 && p[0] == '0' ? 0 : i; /* wsaerr never writes a leading zero */
}

static size_t name_chars(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && ((p[i] >= 'A' && p[i] <= 'Z') || p[i] == '_'))
        i++;
    return i;
}

/* Parses "NAME", "CODE" or "NAME CODE" at p; returns its length or 0. */
static size_t parse_head(const char *p, size_t n, const struct wsa_error **e)
{
    long v;
    size_t nd = digits(p, n, &v);
    if (nd > 0) {
        *e = table_by_code(v);
        return *e ? nd : 0;
    }
    size_t nn = name_chars(p, n);
    const struct wsa_error *by_name = nn ? table_by_name(p, nn, false) : NULL;
    if (!by_name)
        return 0;
    *e = by_name;
    if (nn + 1 < n && p[nn] == ' ') {
        size_t nd2 = digits(p + nn + 1, n - nn - 1, &v);
        if (nd2 == 0 || v != by_name->code)
            return 0;
        return nn + 1 + nd2;
    }
    return nn;
}

size_t annotation_parse(const char *p, size_t n, const struct wsa_error **e)
{
    if (n < 4 || p[0] != ' ' || p[1] != '[')
        return 0;
    size_t i = 2, h = parse_head(p + i, n - i, e);
    if (h == 0)
        return 0;
    i += h;
    size_t ml = strlen((*e)->message);
    if (n - i < ml + 3 || p[i] != ':' || p[i + 1] != ' ' || memcmp(p + i + 2, (*e)->message, ml) != 0 ||
        p[i + 2 + ml] != ']')
        return 0;
    return i + ml + 3;
}
