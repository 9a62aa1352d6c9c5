/* The Winsock error table, built from wsa-errors.def. */
#include "table.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct wsa_error errors[] = {
#define WSA_ERROR(code, name, posix, msg, text, expl) {code, #name, posix, msg, text, expl, sizeof #name - 1, sizeof msg - 1},
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
    enum other_text_kind kind;
} other_texts[] = {
#define WSA_TEXT(code, lang, text) {code, text, OTHER_TEXT},
#define WSA_CONTEXT_TEXT(code, program, text) {code, text, OTHER_CONTEXT_TEXT},
#define WSA_LEAD_TEXT(code, program, text) {code, text, OTHER_LEAD_TEXT},
#define WSA_LEAD(program, text) {0, text, OTHER_LEAD},
#include "wsa-texts.def"
#undef WSA_TEXT
#undef WSA_CONTEXT_TEXT
#undef WSA_LEAD_TEXT
#undef WSA_LEAD
};

static const long plain_texts[] = {
#define WSA_PLAIN_TEXT(code) code,
#include "wsa-plain-texts.def"
#undef WSA_PLAIN_TEXT
};

bool table_text_needs_wsa(const struct wsa_error *e)
{
    for (size_t i = 0; i < sizeof plain_texts / sizeof plain_texts[0]; i++)
        if (plain_texts[i] == e->code)
            return true;
    return false;
}

size_t table_other_text_count(void) { return sizeof other_texts / sizeof other_texts[0]; }

const char *table_other_text_at(size_t i, const struct wsa_error **e)
{
    *e = table_by_code(other_texts[i].code);
    return other_texts[i].text;
}

enum other_text_kind table_other_text_kind(size_t i) { return other_texts[i].kind; }

size_t table_count(void) { return COUNT; }

const struct wsa_error *table_at(size_t i) { return i < COUNT ? &errors[i] : NULL; }

size_t table_index(const struct wsa_error *e) { return (size_t)(e - errors); }

size_t table_alias_count(void) { return ALIASES; }

static const struct wsa_error *by_main_name(const char *name)
{
    for (size_t i = 0; i < COUNT; i++)
        if (strcmp(name, errors[i].name) == 0)
            return &errors[i];
    return NULL;
}

struct wsa_alias table_alias_at(size_t i)
{
    struct wsa_alias a = {NULL, NULL};
    if (i < ALIASES) {
        a.alias = alias_pairs[i][0];
        a.error = by_main_name(alias_pairs[i][1]);
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

/* Every name and alias with its row, found through name_slots: made once, by whichever thread looks first. */
static struct named {
    const char *name;
    size_t len;
    const struct wsa_error *error;
} names[COUNT + ALIASES];
static size_t name_max;
static pthread_once_t names_made = PTHREAD_ONCE_INIT;
/* names by hash (name_slot), open addressing: 1 + the index in names, 0 where empty; the table's rows come first */
enum { NAME_SLOTS = 512 };
_Static_assert(NAME_SLOTS > 2 * (COUNT + ALIASES), "slots to spare: every search ends");
static uint16_t name_slots[NAME_SLOTS];

/* FNV-1a of p[0, n), as a slot. */
static unsigned name_slot(const char *p, size_t n)
{
    uint32_t h = 2166136261U;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619U;
    return h % NAME_SLOTS;
}

static void make_names(void)
{
    for (size_t i = 0; i < COUNT + ALIASES; i++) {
        struct named *n = &names[i];
        if (i < COUNT)
            *n = (struct named){errors[i].name, strlen(errors[i].name), &errors[i]};
        else
            *n = (struct named){alias_pairs[i - COUNT][0], strlen(alias_pairs[i - COUNT][0]),
                                table_alias_at(i - COUNT).error};
        name_max = n->len > name_max ? n->len : name_max;
    }
    for (size_t i = 0; i < COUNT + ALIASES; i++) {
        unsigned s = name_slot(names[i].name, names[i].len);
        while (name_slots[s])
            s = (s + 1) % NAME_SLOTS;
        name_slots[s] = (uint16_t)(i + 1);
    }
}

const struct wsa_error *table_by_name(const char *p, size_t n, bool icase)
{
    char upper[64];
    pthread_once(&names_made, make_names);
    if (n == 0 || n > name_max || n > sizeof upper)
        return NULL;
    if (icase) { /* the names are upper case */
        for (size_t i = 0; i < n; i++)
            upper[i] = p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 'a' + 'A') : p[i];
        p = upper;
    }
    for (unsigned s = name_slot(p, n); name_slots[s]; s = (s + 1) % NAME_SLOTS) {
        const struct named *e = &names[name_slots[s] - 1];
        if (e->len == n && memcmp(e->name, p, n) == 0)
            return e->error;
    }
    return NULL;
}

const struct wsa_error *table_by_hresult(unsigned long hr)
{
    if (hr > 0xFFFFFFFFUL || (hr & 0xFFFF0000UL) != 0x80070000UL || (hr & 0xFFFFUL) < WSA_BASE)
        return NULL;
    return table_by_code((long)(hr & 0xFFFFUL));
}
