/* What each token kind may resolve to, and the candidate scan derived from it. */
#include "token.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"

enum { TEXT_KEY = 8 };
_Static_assert((int)TOKEN_HEAD <= (int)TEXT_KEY, "a text in the index is at least TEXT_KEY bytes long");

static const struct {
    const char *group;
    enum token_kind kind;
} group_kinds[] = {
    {"code", TOKEN_CODE}, {"hex", TOKEN_HEX},   {"hresult", TOKEN_HRESULT},
    {"neg", TOKEN_NEG},   {"name", TOKEN_NAME}, {"text", TOKEN_TEXT}, {"apr", TOKEN_APR},
    {"ossl", TOKEN_OSSL}, {"ctext", TOKEN_CTEXT},
};

const char *token_group_names(void)
{
    static char list[160];
    if (!list[0])
        for (size_t i = 0; i < sizeof group_kinds / sizeof group_kinds[0]; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s(?<%s>...)", i ? " " : "",
                     group_kinds[i].group);
    return list;
}

enum token_kind token_kind_of_group(const char *name)
{
    for (size_t i = 0; i < sizeof group_kinds / sizeof group_kinds[0]; i++)
        if (strcmp(name, group_kinds[i].group) == 0)
            return group_kinds[i].kind;
    return TOKEN_NONE;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses exactly n digits of the given base (n <= 10); false if any is not one. */
static bool parse_digits(const char *p, size_t n, int base, unsigned long *out)
{
    unsigned long v = 0;
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        int d = hex_value((unsigned char)p[i]);
        if (d < 0 || d >= base)
            return false;
        v = v * (unsigned long)base + (unsigned long)d;
    }
    *out = v;
    return true;
}

static const struct wsa_error *text_row(const char *p, size_t n, bool context);
static void ensure_made(void);

static bool has_0x(const char *p, size_t n) { return n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'); }

/* Bit set for each code in the table, and the row it names (see ensure_made). */
static uint8_t code_bits[65536 / 8], code_row[65536];
_Static_assert(TABLE_ROWS_MAX <= 256, "a row fits code_row");

/* Whether v is a table code that counts (below WSA_BASE only with line_has_wsa). */
static bool is_code(unsigned long v, bool line_has_wsa)
{
    return v <= 0xFFFFUL && (v >= WSA_BASE || line_has_wsa) && ((code_bits[v / 8] >> (v % 8)) & 1U);
}

static const struct wsa_error *by_code(unsigned long v, bool line_has_wsa)
{
    return is_code(v, line_has_wsa) ? table_at(code_row[v]) : NULL;
}

void token_init(void) { ensure_made(); }

const struct wsa_error *token_resolve(enum token_kind kind, const char *p, size_t n,
                                      bool line_has_wsa)
{
    unsigned long v;
    const struct wsa_error *e;
    ensure_made();
    switch (kind) {
    case TOKEN_CODE:
        return parse_digits(p, n, 10, &v) ? by_code(v, line_has_wsa) : NULL;
    case TOKEN_HEX:
        return has_0x(p, n) && parse_digits(p + 2, n - 2, 16, &v) ? by_code(v, line_has_wsa) : NULL;
    case TOKEN_HRESULT:
        if (has_0x(p, n))
            p += 2, n -= 2;
        return n == 8 && parse_digits(p, n, 16, &v) ? table_by_hresult(v) : NULL;
    case TOKEN_NEG:
        if (n < 2 || p[0] != '-' || !parse_digits(p + 1, n - 1, 10, &v) || v > 0x80000000UL)
            return NULL;
        return table_by_hresult(0x100000000UL - v);
    case TOKEN_NAME:
        return table_by_name(p, n, false);
    case TOKEN_TEXT:
        e = text_row(p, n, false);
        return e && (line_has_wsa || !table_text_needs_wsa(e)) ? e : NULL;
    case TOKEN_CTEXT:
        return text_row(p, n, true);
    case TOKEN_APR: /* APR_OS_START_SYSERR: only Winsock codes proper */
        return n == 6 && parse_digits(p, n, 10, &v) && v >= APR_SYSERR + WSA_BASE ? by_code(v - APR_SYSERR, false)
                                                                                 : NULL;
    case TOKEN_OSSL: /* only Winsock codes proper: below them, the C runtime's errno */
        return n == 8 && memcmp(p, "8000", 4) == 0 && parse_digits(p + 4, 4, 16, &v) ? by_code(v, false) : NULL;
    case TOKEN_NONE:
        break;
    }
    return NULL;
}

/* Length of the run of hex digits at p, at most max. */
static size_t hex_run(const char *p, const char *end, size_t max)
{
    size_t n = 0;
    while (p + n < end && n < max && hex_value((unsigned char)p[n]) >= 0)
        n++;
    return n;
}


/* Whether the number at p, its whole run of digits, names a row (see by_code); where end cuts the run, whether its first digits may. */
static bool name_may_begin(const char *p, const char *end);

static bool decimal_at(const char *p, const char *end, bool line_has_wsa)
{
    unsigned long v = 0;
    size_t i = 0;
    for (; p + i < end && ascii_digit(p[i]); i++)
        if ((v = v * 10 + (unsigned long)(p[i] - '0')) > 0xFFFFUL)
            return false;
    if (p + i < end)
        return is_code(v, line_has_wsa);
    /* cut by end: some first digits must name a row */
    for (v = 0; p < end; p++)
        if (is_code(v = v * 10 + (unsigned long)(*p - '0'), line_has_wsa))
            return true;
    return false;
}

bool token_candidate_at(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    unsigned long v;
    size_t left = (size_t)(end - p), n;
    bool number = p == start || !ascii_digit(p[-1]); /* a decimal code is a whole number */
    switch (*p) {
    case 'W': /* "WSA" lets small codes count; on a line known to have it, only a name may begin here */
        return left >= 3 && p[1] == 'S' && p[2] == 'A' && (!line_has_wsa || name_may_begin(p, end));
    case '0':
        if (left >= 3 && (p[1] == 'x' || p[1] == 'X')) {
            /* the token may stop before the run does: try each prefix */
            n = hex_run(p + 2, end, 10);
            for (size_t k = 1; k <= n; k++)
                if (parse_digits(p + 2, k, 16, &v) && (is_code(v, line_has_wsa) || table_by_hresult(v) != NULL))
                    return true;
            return false;
        }
        return number && decimal_at(p, end, line_has_wsa);
    case '8': /* 8007xxxx: an HRESULT; 8000xxxx: OpenSSL's packed system error */
        return (left >= 8 && memcmp(p, "800", 3) == 0 && (p[3] == '7' || p[3] == '0') && hex_run(p + 4, end, 4) == 4 &&
                parse_digits(p + 4, 4, 16, &v) && is_code(v, false)) ||
               (number && decimal_at(p, end, line_has_wsa));
    case '-':
        return left >= 6 && memcmp(p + 1, "21470", 5) == 0;
    case '7':
        return (left >= 6 && p[1] == '3' && parse_digits(p, 6, 10, &v) && v >= APR_SYSERR + WSA_BASE &&
                is_code(v - APR_SYSERR, false)) ||
               (number && decimal_at(p, end, line_has_wsa));
    default:
        return number && ascii_digit(*p) && decimal_at(p, end, line_has_wsa);
    }
}

static uint64_t load8(const char *s)
{
    uint64_t k;
    memcpy(&k, s, sizeof k);
    return k;
}

/* The first TEXT_KEY bytes of s, ASCII letters folded to lower case (|0x20 folds both sides alike), s[0] the most significant. */
static uint64_t text_key(const char *s)
{
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(load8(s) | 0x2020202020202020U);
#else
    uint64_t k = 0;
    for (int i = 0; i < TEXT_KEY; i++)
        k = (k << 8) | ((unsigned char)s[i] | 0x20U);
    return k;
#endif
}

/* A table text by its key, its length without a final period precomputed. */
struct text_entry {
    uint64_t key;
    size_t len;
    const char *text;
    const struct wsa_error *error;
    bool in_context; /* a CTEXT token's, not a TEXT token's (table_other_text_kind) */
    bool scanned;    /* where the scan stops: not a text found through a lead (OTHER_LEAD_TEXT) */
};

static int cmp_entry(const void *a, const void *b)
{
    uint64_t x = ((const struct text_entry *)a)->key, y = ((const struct text_entry *)b)->key;
    return x < y ? -1 : x > y;
}

/* Bit set for the hash of the first TEXT_KEY case-folded bytes of each text. */
static uint8_t key_hashes[65536 / 8];

/* The i-th of the table's names, then of its aliases. */
static const char *name_at(size_t i)
{
    return i < table_count() ? table_at(i)->name : table_alias_at(i - table_count()).alias;
}

static unsigned hash16(uint64_t k) { return (unsigned)((k * 0x9E3779B97F4A7C15U) >> 48); }

static unsigned key_hash(const char *s) { return hash16(load8(s) | 0x2020202020202020U); }

static bool has_bit(const uint8_t *bits, unsigned i) { return (bits[i / 8] >> (i % 8)) & 1U; }

static void set_bit(uint8_t *bits, unsigned i) { bits[i / 8] |= (uint8_t)(1U << (i % 8)); }

/* The first name_key bytes of every table name and alias, by hash; name_mask keeps those bytes of 8. */
static uint8_t name_hashes[65536 / 8];
static size_t name_key;
static uint64_t name_mask;

static unsigned name_hash(const char *s) { return hash16(load8(s) & name_mask); }

/* Whether a table name or alias may begin at p: a quick no (for WSAStartup) where its first bytes begin none. */
static bool name_may_begin(const char *p, const char *end)
{
    return end - p < 8 || has_bit(name_hashes, name_hash(p));
}

/* Makes name_hashes, keyed on as many first bytes (up to 8) as the shortest name has. */
static void make_name_hashes(void)
{
    size_t n = table_count() + table_alias_count();
    unsigned char mask[8] = {0};
    name_key = sizeof mask;
    for (size_t i = 0; i < n; i++)
        name_key = strlen(name_at(i)) < name_key ? strlen(name_at(i)) : name_key;
    memset(mask, 0xFF, name_key);
    memcpy(&name_mask, mask, sizeof mask);
    for (size_t i = 0; i < n; i++) {
        char name[8] = {0};
        memcpy(name, name_at(i), name_key);
        set_bit(name_hashes, name_hash(name));
    }
}

/* Every table text sorted by key. */
static struct text_entry text_entries[256];
static size_t text_count;

/* The index of text_entries by key, open addressing: a slot holds 1 + the index of the first entry with a key, 0 if empty. */
enum { KEY_SLOTS = 1024 };
_Static_assert(KEY_SLOTS > 2 * sizeof text_entries / sizeof text_entries[0], "slots to spare: every search ends");
static uint16_t key_slots[KEY_SLOTS];

static unsigned key_slot(uint64_t key) { return hash16(key) % KEY_SLOTS; }

static void make_key_slots(void)
{
    for (size_t i = 0; i < text_count; i++) {
        if (i > 0 && text_entries[i].key == text_entries[i - 1].key)
            continue;
        unsigned s = key_slot(text_entries[i].key);
        while (key_slots[s])
            s = (s + 1) % KEY_SLOTS;
        key_slots[s] = (uint16_t)(i + 1);
    }
}

/* Makes code_bits, code_row, text_entries and key_hashes, once, before any use. */
static void ensure_made(void)
{
    static bool made;
    if (made)
        return;
    for (size_t i = 0; i < table_count(); i++) {
        code_bits[table_at(i)->code / 8] |= (uint8_t)(1U << (table_at(i)->code % 8));
        code_row[table_at(i)->code] = (uint8_t)i;
    }
    for (size_t i = 0; i < table_count() + table_other_text_count() && text_count < 256; i++) {
        const struct wsa_error *e = i < table_count() ? table_at(i) : NULL;
        const char *text = e ? e->text : table_other_text_at(i - table_count(), &e);
        enum other_text_kind kind = i < table_count() ? OTHER_TEXT : table_other_text_kind(i - table_count());
        bool in_context = kind == OTHER_CONTEXT_TEXT || kind == OTHER_LEAD_TEXT;
        size_t len = strlen(text);
        if (len > 0 && text[len - 1] == '.')
            len--;
        if (len >= TEXT_KEY) {
            text_entries[text_count++] =
                (struct text_entry){text_key(text), len, text, e, in_context, kind != OTHER_LEAD_TEXT};
            set_bit(key_hashes, key_hash(text));
        }
    }
    qsort(text_entries, text_count, sizeof text_entries[0], cmp_entry);
    make_key_slots();
    make_name_hashes();
    made = true;
}

static bool same_folded(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) /* eight at a time: |0x20 on each byte of a word */
        if ((load8(a + i) | 0x2020202020202020U) != (load8(b + i) | 0x2020202020202020U))
            return false;
    for (; i < n; i++)
        if (((unsigned char)a[i] | 0x20U) != ((unsigned char)b[i] | 0x20U))
            return false;
    return true;
}

/* A quick no for most places no text starts at; the index must be made. */
static bool text_may_start(const char *p, const char *end)
{
    return end - p >= TEXT_KEY && has_bit(key_hashes, key_hash(p));
}

/* The first index entry with p's key, or NULL; *stop just after the last (entries with one key are adjacent). */
static const struct text_entry *first_with_key(const char *p, const char *end, const struct text_entry **stop)
{
    if (!text_may_start(p, end))
        return NULL;
    uint64_t key = text_key(p);
    for (unsigned s = key_slot(key); key_slots[s]; s = (s + 1) % KEY_SLOTS) {
        const struct text_entry *e = text_entries + key_slots[s] - 1;
        if (e->key != key)
            continue;
        for (*stop = e + 1; *stop < text_entries + text_count && (*stop)->key == key; (*stop)++)
            ;
        return e;
    }
    return NULL;
}

/*
 * The lengths of the texts standing at p, at most max of them; how many.
 * scan: every entry the scan stops at (texts, context texts and leads), else
 * only the texts a TEXT token may be.
 */
static size_t lengths(const char *p, const char *end, size_t *lens, size_t max, bool scan)
{
    ensure_made();
    size_t n = 0;
    const struct text_entry *stop, *e = first_with_key(p, end, &stop);
    for (; e && e < stop && n < max; e++)
        if ((scan ? e->scanned : !e->in_context && e->error) && (size_t)(end - p) >= e->len &&
            same_folded(p + TEXT_KEY, e->text + TEXT_KEY, e->len - TEXT_KEY))
            lens[n++] = e->len;
    return n;
}

size_t token_text_lengths(const char *p, const char *end, size_t *lens, size_t max)
{
    return lengths(p, end, lens, max, false);
}

bool token_text_starts_at(const char *p, const char *end)
{
    size_t len; /* the quick no first: most places the scan asks about are no text's */
    return text_may_start(p, end) && lengths(p, end, &len, 1, true) > 0;
}

bool token_text_cut_at(const char *p, const char *end)
{
    size_t n = (size_t)(end - p);
    ensure_made();
    for (size_t i = 0; i < text_count; i++) /* (a final period or "。" may follow a whole text) */
        if (text_entries[i].len + 3 > n && same_folded(p, text_entries[i].text, n < text_entries[i].len ? n : text_entries[i].len))
            return true;
    return false;
}

size_t token_text_heads(unsigned char (*heads)[TOKEN_HEAD], size_t max)
{
    size_t n = 0;
    ensure_made();
    for (size_t i = 0; i < text_count && n < max; i++) {
        if (!text_entries[i].scanned)
            continue;
        for (size_t k = 0; k < TOKEN_HEAD; k++)
            heads[n][k] = (unsigned char)text_entries[i].text[k] | 0x20U;
        n++;
    }
    return n;
}

/* The row whose text (a final period optional) is exactly p[0, n), any ASCII case: a context text's or another's. */
static const struct wsa_error *text_row(const char *p, size_t n, bool in_context)
{
    const struct text_entry *stop, *e = first_with_key(p, p + n, &stop);
    for (; e && e < stop; e++)
        if (e->error && e->in_context == in_context && (n == e->len || (n == e->len + 1 && p[n - 1] == '.') ||
             (n == e->len + 3 && memcmp(p + e->len, "\xe3\x80\x82", 3) == 0)) && /* 。 */
            same_folded(p + TEXT_KEY, e->text + TEXT_KEY, e->len - TEXT_KEY))
            return e->error;
    return NULL;
}

size_t token_max_len(void)
{
    size_t max = 2 + 10; /* 0x and ten hex digits: the longest numeric token */
    ensure_made();
    for (size_t i = 0; i < text_count; i++)
        if (text_entries[i].len + 3 > max) /* a final "。" */
            max = text_entries[i].len + 3;
    for (size_t i = 0; i < table_count() + table_alias_count(); i++) {
        if (strlen(name_at(i)) > max)
            max = strlen(name_at(i));
    }
    return max;
}
