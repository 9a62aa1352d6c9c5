/* What a pattern's leading lookbehind allows just before its match, read from its text. */
#include "before.h"

#include <string.h>

#include "ascii.h"

/* The option letters a leading "(?i)" may hold ('x' would change how the rest reads: not taken). */
static const char options[] = "imnsJU";

static void set_all(uint8_t *set, bool on) { memset(set, on ? 0xFF : 0, 32); }

static void add(uint8_t *set, unsigned char c, bool caseless)
{
    set[c / 8] |= (uint8_t)(1U << (c % 8));
    if (caseless && ascii_letter((char)c))
        set[(c ^ 0x20) / 8] |= (uint8_t)(1U << ((c ^ 0x20) % 8));
}

/* Whether p[i] begins an escape that may take more than the byte after it: \Q quotes, \c takes any byte. */
static bool long_escape(const char *p, size_t n, size_t i)
{
    return p[i] == '\\' && (i + 1 >= n || p[i + 1] == 'Q' || p[i + 1] == 'c');
}

/* The length of the class "[...]" at p, escapes read over; 0 where it does not end or is not that plain (a POSIX name). */
static size_t class_end(const char *p, size_t n)
{
    size_t i = 1;
    if (i < n && p[i] == '^')
        i++;
    if (i < n && p[i] == ']')
        i++;
    for (; i < n && p[i] != ']'; i++) {
        if (long_escape(p, n, i) || (p[i] == '[' && i + 1 < n && p[i + 1] == ':'))
            return 0;
        i += p[i] == '\\';
    }
    return i < n ? i + 1 : 0;
}

/*
 * Whether every match of p begins with its first item: no '|' outside a
 * group, nothing that reads otherwise (\Q, comments, the x option).
 */
static bool one_alternative(const char *p, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        if (long_escape(p, n, i))
            return false;
        if (p[i] == '\\') {
            i++;
        } else if (p[i] == '[') {
            if ((len = class_end(p + i, n - i)) == 0)
                return false;
            i += len - 1;
        } else if (p[i] == '(') { /* a comment, or the x option anywhere, reads otherwise */
            for (size_t j = i + 2; i + 1 < n && p[i + 1] == '?' && j < n && p[j] && strchr("#^-imnsxJU", p[j]); j++)
                if (p[j] == '#' || p[j] == 'x')
                    return false;
            depth++;
        } else if (p[i] == ')') {
            depth--;
        } else if (p[i] == '|' && depth == 0) {
            return false;
        }
    }
    return depth == 0;
}

/* A plain class at p (no escapes, no nested '[', not "[]..."): its bytes into set; its length, or 0. */
static size_t plain_class(const char *p, size_t n, bool caseless, uint8_t *set)
{
    uint8_t in[32] = {0};
    size_t i = 1;
    bool negate = i < n && p[i] == '^';
    i += negate;
    if (i < n && p[i] == ']')
        return 0;
    for (; i < n && p[i] != ']'; i++) {
        unsigned char lo = (unsigned char)p[i], hi = lo;
        if (i + 2 < n && p[i + 1] == '-' && p[i + 2] != ']')
            hi = (unsigned char)p[i += 2];
        if (lo == '\\' || lo == '[' || hi == '\\' || hi == '[' || hi < lo)
            return 0;
        for (unsigned c = lo; c <= hi; c++)
            add(in, (unsigned char)c, caseless);
    }
    for (size_t k = 0; k < 32; k++)
        set[k] = negate ? (uint8_t)~in[k] : in[k];
    return i < n ? i + 1 : 0;
}

/*
 * One item of a lookbehind at p: a byte, an escaped one, a plain class, '.'
 * or \d \s \w (their opposites), or \b \B (*width 0). Sets set (*exact
 * false where it may allow more than the item does); its length, or 0.
 */
static size_t item(const char *p, size_t n, bool caseless, uint8_t *set, int *width, bool *exact)
{
    *width = 1, *exact = true;
    set_all(set, false);
    if (p[0] == '[')
        return plain_class(p, n, caseless, set);
    if (p[0] == '.' || (p[0] == '\\' && n > 1 && p[1] && strchr("dDsSwW", p[1]))) {
        set_all(set, true);
        *exact = false;
        return p[0] == '.' ? 1 : 2;
    }
    if (p[0] == '\\' && n > 1 && (p[1] == 'b' || p[1] == 'B')) {
        *width = 0;
        return 2;
    }
    if (p[0] == '\\' && n > 1 && !ascii_alnum(p[1])) {
        add(set, (unsigned char)p[1], caseless);
        return 2;
    }
    if (p[0] == '\\' || strchr("^$|()?*+{", p[0]))
        return 0;
    add(set, (unsigned char)p[0], caseless);
    return 1;
}

/*
 * Reads the lookbehind "(?<=a|b...)" or "(?<!c)" at p into out: for each
 * distance, the union over its alternatives of the byte that stands there
 * (all where an alternative is shorter). A negative one is read only as one
 * exact byte. Its length, or 0 where it is not that plain.
 */
static size_t lookbehind(const char *p, size_t n, bool caseless, struct before *out)
{
    if (n < 4 || memcmp(p, "(?<", 3) != 0 || (p[3] != '=' && p[3] != '!'))
        return 0;
    bool negative = p[3] == '!', exact = true;
    uint8_t last[BEFORE_BYTES][32]; /* the alternative's last bytes, nearest first */
    int bytes = 0, zero_width = 0, alternatives = 1;
    memset(out, 0, sizeof *out);
    for (size_t i = 4; i < n; i++) {
        if (p[i] == '|' || p[i] == ')') {
            for (int d = 0; d < BEFORE_BYTES; d++)
                for (size_t k = 0; k < 32; k++)
                    out->allowed[d][k] |= d < bytes ? last[d][k] : 0xFF;
            if (p[i] == ')') {
                bool quantified = i + 1 < n && strchr("?*+{", p[i + 1]);
                if (quantified || (negative && (alternatives > 1 || bytes != 1 || zero_width || !exact)))
                    return 0;
                for (size_t k = 0; negative && k < 32; k++)
                    out->allowed[0][k] = (uint8_t)~out->allowed[0][k];
                return i + 1;
            }
            bytes = 0, alternatives++;
            continue;
        }
        uint8_t set[32];
        int width;
        bool item_exact;
        size_t len = item(p + i, n - i, caseless, set, &width, &item_exact);
        if (len == 0 || (i + len < n && strchr("?*+{", p[i + len])))
            return 0;
        exact &= item_exact, zero_width += width == 0, i += len - 1;
        if (width == 0)
            continue;
        memmove(last[1], last[0], sizeof last - sizeof last[0]);
        memcpy(last[0], set, sizeof set);
        bytes++;
    }
    return 0;
}

void before_of(const char *p, size_t n, struct before *out)
{
    struct before b;
    bool caseless = false;
    size_t i = 0;
    memset(out, 0xFF, sizeof *out);
    if (!one_alternative(p, n))
        return;
    while (i + 2 < n && p[i] == '(' && p[i + 1] == '?' && p[i + 2] != '<') { /* leading options: "(?i)" */
        size_t j = i + 2;
        for (; j < n && p[j] && strchr(options, p[j]); j++)
            caseless |= p[j] == 'i';
        if (j == i + 2 || j >= n || p[j] != ')')
            return;
        i = j + 1;
    }
    for (size_t len; (len = lookbehind(p + i, n - i, caseless, &b)) > 0; i += len) /* each must hold */
        for (int d = 0; d < BEFORE_BYTES; d++)
            for (size_t k = 0; k < 32; k++)
                out->allowed[d][k] &= b.allowed[d][k];
}

static bool has(const uint8_t *set, unsigned char c) { return (set[c / 8] >> (c % 8)) & 1U; }

void before_add(struct before_table *t, const struct before *b)
{
    _Static_assert(BEFORE_BYTES == 2, "the table pairs the two bytes before a match");
    for (unsigned c = 0; c < 256; c++)
        if (has(b->allowed[0], (unsigned char)c))
            for (size_t k = 0; k < 32; k++)
                t->second[c][k] |= b->allowed[1][k];
}

bool before_allows(const struct before_table *t, const char *s, size_t at)
{
    return at < 2 || has(t->second[(unsigned char)s[at - 1]], (unsigned char)s[at - 2]);
}
