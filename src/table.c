/* The Winsock error table, built from wsa-errors.def. */
#include "table.h"

#include <string.h>

static const struct wsa_error errors[] = {
#define WSA_ERROR(code, name, posix, msg, text, expl) {code, #name, posix, msg, text, expl},
#define WSA_ALIAS(alias, name)
#include "wsa-errors.def"
#undef WSA_ERROR
#undef WSA_ALIAS
};

#define COUNT (sizeof errors / sizeof errors[0])
_Static_assert(COUNT <= TABLE_ROWS_MAX, "TABLE_ROWS_MAX in table.h must grow with the table");

/* Aliases name their target by its symbol; resolved to a row at first use. */
static const char *const alias_pairs[][2] = {
#define WSA_ERROR(code, name, posix, msg, text, expl)
#define WSA_ALIAS(alias, name) {#alias, #name},
#include "wsa-errors.def"
#undef WSA_ERROR
#undef WSA_ALIAS
};

#define ALIASES (sizeof alias_pairs / sizeof alias_pairs[0])

static const struct {
    long code;
    const char *text;
} other_texts[] = {
#define WSA_TEXT(code, lang, text) {code, text},
#include "wsa-texts.def"
#undef WSA_TEXT
};

size_t table_other_text_count(void) { return sizeof other_texts / sizeof other_texts[0]; }

const char *table_other_text_at(size_t i, const struct wsa_error **e)
{
    *e = table_by_code(other_texts[i].code);
    return other_texts[i].text;
}

size_t table_count(void) { return COUNT; }

const struct wsa_error *table_at(size_t i) { return i < COUNT ? &errors[i] : NULL; }

size_t table_index(const struct wsa_error *e) { return (size_t)(e - errors); }

size_t table_alias_count(void) { return ALIASES; }

/* Whether p[0, n) is name (a NUL-terminated upper-case symbol); most rows differ in the first bytes. */
static bool same_name(const char *p, size_t n, const char *name, bool icase)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char a = (unsigned char)p[i], b = (unsigned char)name[i];
        if (icase && a >= 'a' && a <= 'z')
            a = (unsigned char)(a - 'a' + 'A');
        if (a != b || b == '\0')
            return false;
    }
    return name[n] == '\0';
}

static const struct wsa_error *by_main_name(const char *p, size_t n, bool icase)
{
    for (size_t i = 0; i < COUNT; i++)
        if (same_name(p, n, errors[i].name, icase))
            return &errors[i];
    return NULL;
}

struct wsa_alias table_alias_at(size_t i)
{
    struct wsa_alias a = {NULL, NULL};
    if (i < ALIASES) {
        a.alias = alias_pairs[i][0];
        a.error = by_main_name(alias_pairs[i][1], strlen(alias_pairs[i][1]), false);
    }
    return a;
}

const struct wsa_error *table_by_code(long code)
{
    size_t lo = 0, hi = COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (errors[mid].code == code)
            return &errors[mid];
        if (errors[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const struct wsa_error *table_by_name(const char *p, size_t n, bool icase)
{
    const struct wsa_error *e = by_main_name(p, n, icase);
    for (size_t i = 0; !e && i < ALIASES; i++)
        if (same_name(p, n, alias_pairs[i][0], icase))
            e = table_alias_at(i).error;
    return e;
}

const struct wsa_error *table_by_hresult(unsigned long hr)
{
    if (hr > 0xFFFFFFFFUL || (hr & 0xFFFF0000UL) != 0x80070000UL || (hr & 0xFFFFUL) < WSA_BASE)
        return NULL;
    return table_by_code((long)(hr & 0xFFFFUL));
}
