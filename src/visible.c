/* A line's text without its escape sequences, mapped back to its bytes. */
#include "visible.h"

#include <stdlib.h>
#include <string.h>

/* Longer than any color or cursor sequence a program writes; past it, the bytes are text. */
enum { CSI_MAX = 64 };

/* The length of the CSI sequence at p (ESC '[', parameter bytes, intermediate bytes, a final byte), or 0. */
static size_t csi_length(const char *p, size_t n)
{
    if (n > CSI_MAX)
        n = CSI_MAX;
    if (n < 3 || p[0] != '\033' || p[1] != '[')
        return 0;
    size_t i = 2;
    while (i < n && p[i] >= 0x30 && p[i] <= 0x3f)
        i++;
    while (i < n && p[i] >= 0x20 && p[i] <= 0x2f)
        i++;
    return i < n && p[i] >= 0x40 && p[i] <= 0x7e ? i + 1 : 0;
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

int visible_make(struct visible *v, const char *s, size_t n)
{
    const char *esc = memchr(s, '\033', n);
    if (!esc || n >= UINT32_MAX)
        return 0;
    size_t i = (size_t)(esc - s), k = 0, skip = 0;
    while (i < n && (skip = csi_length(s + i, n - i)) == 0)
        i = (esc = memchr(s + i + 1, '\033', n - i - 1)) ? (size_t)(esc - s) : n;
    if (i == n)
        return 0;
    if (grow(v, n) < 0)
        return -1;
    for (i = 0; i < n;) {
        if (s[i] == '\033' && (skip = csi_length(s + i, n - i)) > 0) {
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
