/* The Winsock error table: lookup by code, name, HRESULT and Windows text. */
#ifndef WSAERR_TABLE_H
#define WSAERR_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct wsa_error {
    long code;
    const char *name;
    const char *posix;       /* "" when no errno has the same meaning; names that are one value
                                on Linux joined by '/' ("EWOULDBLOCK/EAGAIN") */
    const char *message;     /* short message, no final period */
    const char *text;        /* Windows' FormatMessage text, "" if unknown */
    const char *explanation;
    unsigned char name_len, message_len; /* strlen of name and message, for the annotations' writer */
};

struct wsa_alias {
    const char *alias;
    const struct wsa_error *error;
};

/* Winsock codes proper start here; lower table codes are shared with Win32. */
enum { WSA_BASE = 10000 };
/* More rows than the table has (table.c checks): for arrays with one entry per row. */
enum { TABLE_ROWS_MAX = 256 };

size_t table_count(void);
const struct wsa_error *table_at(size_t i);
size_t table_index(const struct wsa_error *e);
size_t table_alias_count(void);
struct wsa_alias table_alias_at(size_t i);

const struct wsa_error *table_by_code(long code);
/* Exact name or alias; icase compares ASCII letters case-insensitively. */
const struct wsa_error *table_by_name(const char *p, size_t n, bool icase);
/* An HRESULT built by HRESULT_FROM_WIN32 from a Winsock code (0x8007xxxx). */
const struct wsa_error *table_by_hresult(unsigned long hr);
/* Whether e's Windows texts name it only on a line that mentions Winsock (wsa-plain-texts.def). */
bool table_text_needs_wsa(const struct wsa_error *e);
/* Other texts Windows prints (translations, other wordings): how many, and one with its row. */
size_t table_other_text_count(void);
const char *table_other_text_at(size_t i, const struct wsa_error **e);
/* What the i-th other text is (wsa-texts.def): */
enum other_text_kind {
    OTHER_TEXT,         /* a text alone: a TEXT token */
    OTHER_CONTEXT_TEXT, /* names its code only in a pattern's context: a CTEXT token, where the scan stops */
    OTHER_LEAD_TEXT,    /* the same, the scan stopping at a lead before it, not at the text itself */
    OTHER_LEAD,         /* such a lead ("SocketError"): no row (table_other_text_at gives NULL) */
};
enum other_text_kind table_other_text_kind(size_t i);

#endif
