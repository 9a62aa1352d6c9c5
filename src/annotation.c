/* Writing and recognising the annotation text. */
#include "annotation.h"

#include <string.h>

/* Appends s at w; returns the end. */
static char *put(char *w, const char *s)
{
    size_t n = strlen(s);
    memcpy(w, s, n);
    return w + n;
}

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

size_t annotation_render(const struct wsa_error *e, enum token_kind kind, bool color, char *buf)
{
    /* table names and messages are far below ANNOTATION_MAX (tests/unit/test_annotation.c checks) */
    char *w = put(buf, color ? ANNOTATION_COLOR_ON " [" : " [");
    if (kind != TOKEN_NAME)
        w = put(w, e->name);
    if (kind != TOKEN_NAME && kind != TOKEN_CODE)
        *w++ = ' ';
    if (kind != TOKEN_CODE)
        w = put_code(w, e->code);
    w = put(put(put(w, ": "), e->message), color ? "]" ANNOTATION_COLOR_OFF : "]");
    *w = '\0';
    return (size_t)(w - buf);
}

void annotation_widen_color(const char *s, size_t from, size_t len, size_t *a, size_t *b)
{
    size_t on = sizeof ANNOTATION_COLOR_ON - 1, off = sizeof ANNOTATION_COLOR_OFF - 1;
    if (*a >= from + on && len - *b >= off && memcmp(s + *a - on, ANNOTATION_COLOR_ON, on) == 0 &&
        memcmp(s + *b, ANNOTATION_COLOR_OFF, off) == 0) {
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
