/* A line's text without its escape sequences, mapped back to its bytes. */
#include "visible.h"

#include <stdlib.h>
#include <string.h>

/* Longer than any color or erase sequence a program writes; past it, the bytes are text. */
enum { SEQUENCE_MAX = 64 };

/* The length of the OSC string at p (ESC ']' ... BEL or ESC '\\': a title, a hyperlink's target), or 0. */
static size_t osc_length(const char *p, size_t n, bool cut)
{
    size_t max = n < VISIBLE_STRING_MAX ? n : VISIBLE_STRING_MAX;
    for (size_t i = 2; i < max; i++)
        if (p[i] == '\a')
            return i + 1;
        else if (p[i] == '\033')
            return i + 1 < n && p[i + 1] == '\\' ? i + 2 : cut && i + 1 == n ? n : 0;
    return cut && n < VISIBLE_STRING_MAX ? n : 0; /* it may yet end within the longest */
}

size_t visible_escape_length(const char *p, size_t n, bool cut)
{
    size_t max = n < SEQUENCE_MAX ? n : SEQUENCE_MAX, i = 2;
    if (max < 2 || p[0] != '\033')
        return cut && n == 1 && p[0] == '\033' ? 1 : 0;
    if (p[1] == ']')
        return osc_length(p, n, cut);
    if (p[1] == '(' || p[1] == ')') /* a character set (tput sgr0 writes ESC ( B) */
        return n >= 3 ? 3 : cut ? n : 0;
    if (p[1] != '[')
        return 0;
    while (i < max && p[i] >= 0x30 && p[i] <= 0x3f)
        i++;
    if (i < max) /* color, erase in line, cursor to a column (a line redrawn), a mode (cursor shown) */
        return strchr("mKGhl", p[i]) && p[i] ? i + 1 : 0;
    return cut && i == n ? n : 0; /* the rest of it may follow */
}

static int grow(struct visible *v, size_t n)
{
    if (n + 1 <= v->cap)
        return 0;
    char *text = realloc(v->text, n + 1);
    if (!text)
        return -1;
    v->text = text;
    uint32_t *from = realloc(v->from, (n + 1) * sizeof *from);
    if (!from)
        return -1;
    v->from = from, v->cap = n + 1;
    return 0;
}

int visible_make(struct visible *v, const char *s, size_t n, bool cut)
{
    const char *esc = memchr(s, '\033', n);
    if (!esc || n >= UINT32_MAX)
        return 0;
    size_t i = (size_t)(esc - s), k = 0, skip = 0;
    while (i < n && (skip = visible_escape_length(s + i, n - i, cut)) == 0)
        i = (esc = memchr(s + i + 1, '\033', n - i - 1)) ? (size_t)(esc - s) : n;
    if (i == n)
        return 0;
    if (grow(v, n) < 0)
        return -1;
    for (i = 0; i < n;) {
        if (s[i] == '\033' && (skip = visible_escape_length(s + i, n - i, cut)) > 0) {
            i += skip;
            continue;
        }
        v->text[k] = s[i];
        v->from[k++] = (uint32_t)i++;
    }
    v->from[k] = (uint32_t)n;
    v->len = k;
    return 1;
}

size_t visible_index(const struct visible *v, size_t pos)
{
    size_t lo = 0, hi = v->len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->from[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void visible_free(struct visible *v)
{
    free(v->text);
    free(v->from);
    *v = (struct visible){0};
}
