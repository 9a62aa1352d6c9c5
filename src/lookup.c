/* The table as a reference: look up, list and search. */
#include "lookup.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "status.h"
#include "token.h"

/* Parses a whole string as a number of the base; false if anything is left over. */
static bool whole_number(const char *s, int base, unsigned long long *v)
{
    char *end;
    if (*s == '\0' || *s == '-' || *s == '+' || isspace((unsigned char)*s)) /* strtoull would skip blanks */
        return false;
    errno = 0;
    *v = strtoull(s, &end, base);
    return errno == 0 && *end == '\0';
}

/*
 * A number as a table code, or, 32 bits with the top one set, as an HRESULT
 * (0x8007xxxx: asked for, any code of the table, 0x800703E3 too, though the
 * filter reads only the Winsock codes' in logs) or OpenSSL 3's packed system
 * error (0x8000xxxx, a Winsock code).
 */
static const struct wsa_error *by_number(unsigned long long v)
{
    if (v >> 16 == 0x8000 && (v & 0xFFFF) >= WSA_BASE)
        return table_by_code((long)(v & 0xFFFF));
    if (v >> 16 == 0x8007)
        return table_by_code((long)(v & 0xFFFF));
    return v <= 0xFFFF ? table_by_code((long)v) : NULL;
}

/* APR's code for a Winsock error (Subversion's E730054: APR_SYSERR + 10054), else NULL. */
static const struct wsa_error *by_apr(unsigned long long v)
{
    return v >= APR_SYSERR + WSA_BASE && v <= APR_SYSERR + 0xFFFF ? table_by_code((long)(v - APR_SYSERR)) : NULL;
}

/* A decimal number: by_apr, else by_number. */
static const struct wsa_error *by_decimal(unsigned long long v)
{
    const struct wsa_error *e = by_apr(v);
    return e ? e : by_number(v);
}

/* Hexadecimal without 0x: with a letter, or eight digits as logs print an HRESULT (hr=80072746) or OpenSSL's packed error. */
static bool bare_hex(const char *arg)
{
    return strpbrk(arg, "abcdefABCDEF") ||
           (strlen(arg) == 8 && (strncmp(arg, "8007", 4) == 0 || strncmp(arg, "8000", 4) == 0));
}

const struct wsa_error *lookup_parse(const char *arg)
{
    unsigned long long v;
    if ((arg[0] | 0x20) == 'e' && whole_number(arg + 1, 10, &v)) /* svn: E730054, not hexadecimal */
        return by_apr(v);
    if ((arg[0] == '0' && (arg[1] == 'x' || arg[1] == 'X')) && whole_number(arg + 2, 16, &v))
        return by_number(v);
    /* digits that name no code in decimal may in hexadecimal, as Err.exe reads them: 2746 is 0x2746 */
    const struct wsa_error *e;
    if (!bare_hex(arg) && whole_number(arg, 10, &v))
        return (e = by_decimal(v)) != NULL || !whole_number(arg, 16, &v) ? e : by_number(v);
    /* negated: a Winsock code (ffmpeg's AVERROR: "Error number -10054"), or an HRESULT as a signed int */
    if (arg[0] == '-' && whole_number(arg + 1, 10, &v))
        return v >= WSA_BASE && v <= 0xFFFF               ? table_by_code((long)v)
               : v >= 0x10000 && v <= 0x80000000ULL ? by_number(0x100000000ULL - v)
                                                         : NULL;
    if (bare_hex(arg) && whole_number(arg, 16, &v))
        return by_number(v);
    return table_by_name(arg, strlen(arg), true);
}

static void print_aliases(const struct wsa_error *e, struct sink *out)
{
    for (size_t i = 0; i < table_alias_count(); i++) {
        struct wsa_alias a = table_alias_at(i);
        if (a.error == e)
            sink_printf(out, "  also spelled %s\n", a.alias);
    }
}

static void print_entry(const struct wsa_error *e, struct sink *out)
{
    sink_printf(out, "%ld %s: %s\n", e->code, e->name, e->message);
    print_aliases(e, out);
    sink_printf(out, "  HRESULT 0x8007%04lX (%ld)\n", e->code, (long)(int32_t)(0x80070000UL | (unsigned long)e->code));
    if (e->posix[0])
        sink_printf(out, "  POSIX equivalent: %s\n", e->posix);
    if (e->text[0])
        sink_printf(out, "  Windows says: %s\n", e->text);
    sink_printf(out, "  %s\n", e->explanation);
}

/* Whether arg is one of the '/'-separated names of posix ("EWOULDBLOCK/EAGAIN"), any case. */
static bool posix_has(const char *posix, const char *arg)
{
    size_t n = strlen(arg);
    for (const char *p = posix; *p;) {
        size_t len = strcspn(p, "/");
        if (len == n && n > 0 && strncasecmp(p, arg, n) == 0)
            return true;
        p += len + (p[len] == '/');
    }
    return false;
}

/* The next row after from (0 for the first) whose POSIX equivalent is arg (ECONNRESET), or NULL. */
static const struct wsa_error *by_posix(const char *arg, size_t *from)
{
    while (*from < table_count()) {
        const struct wsa_error *e = table_at((*from)++);
        if (posix_has(e->posix, arg))
            return e;
    }
    return NULL;
}

/* Bytes a code or name is pasted with: blanks, brackets, quotes, a list's commas, a sentence's end. */
static bool pasted_with(char c) { return isspace((unsigned char)c) || (c && strchr("()[]{}<>'\"`,;:.", c)); }

/*
 * arg as --lookup reads it: without the bytes it was pasted with, the last
 * word of several ("[WinError 10054]", "os error 10060"), and a C literal's
 * suffix ("0x80072746L"). arg itself, or a copy in *copy (free it); NULL when
 * out of memory.
 */
static const char *trimmed(const char *arg, char **copy)
{
    size_t n = strlen(arg), from = 0;
    *copy = NULL;
    while (n > 0 && pasted_with(arg[n - 1]))
        n--;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)arg[i]) || i == 0)
            from = i;
    while (from < n && pasted_with(arg[from]))
        from++;
    if (n - from > 3 && arg[from] == '0' && (arg[from + 1] | 0x20) == 'x')
        while (n - from > 3 && strchr("uUlL", arg[n - 1]))
            n--;
    if (from == 0 && arg[n] == '\0')
        return arg;
    return *copy = strndup(arg + from, n - from);
}

int lookup_print(char *const *args, size_t n, struct sink *out)
{
    int status = STATUS_OK;
    if (n == 0) {
        fprintf(stderr, "wsaerr: --lookup needs a code or name (try: wsaerr --lookup 10054)\n");
        return STATUS_TROUBLE;
    }
    bool printed = false;
    for (size_t i = 0; i < n; i++) {
        size_t row = 0;
        char *copy;
        const char *arg = trimmed(args[i], &copy);
        if (!arg) {
            sink_flush(out);
            diag_say("out of memory");
            return STATUS_TROUBLE;
        }
        const struct wsa_error *e = lookup_parse(arg);
        bool by_name = e == NULL; /* a POSIX name: each row that has it */
        if (by_name)
            e = by_posix(arg, &row);
        if (!e) {
            sink_flush(out);
            diag_say("not a Winsock error code or name: %s", args[i]);
            status = STATUS_NONE;
        }
        for (; e; e = by_name ? by_posix(arg, &row) : NULL) {
            if (printed)
                sink_write(out, "\n", 1);
            print_entry(e, out);
            printed = true;
        }
        free(copy);
    }
    return status;
}

int lookup_list(struct sink *out)
{
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        sink_printf(out, "%ld\t%s\t%s\n", e->code, e->name, e->message);
    }
    for (size_t i = 0; i < table_alias_count(); i++) {
        struct wsa_alias a = table_alias_at(i);
        sink_printf(out, "%ld\t%s\t%s\n", a.error->code, a.alias, a.error->message);
    }
    return STATUS_OK;
}

/* Whether e's row holds word (any case), or word is a form of e's code that --lookup reads (0x2746, 0x80072746). */
static bool row_has(const struct wsa_error *e, const char *word)
{
    if (lookup_parse(word) == e)
        return true;
    char code[24];
    snprintf(code, sizeof code, "%ld", e->code);
    const char *fields[] = {code, e->name, e->message, e->text, e->explanation, e->posix};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcasestr(fields[i], word))
            return true;
    for (size_t i = 0; i < table_alias_count(); i++) {
        struct wsa_alias a = table_alias_at(i);
        if (a.error == e && strcasestr(a.alias, word))
            return true;
    }
    return false;
}

int lookup_search(char *const *words, size_t n, struct sink *out)
{
    if (n == 0) {
        fprintf(stderr, "wsaerr: --search needs a word (try: wsaerr --search refused)\n");
        return STATUS_TROUBLE;
    }
    int status = STATUS_NONE;
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        size_t w = 0;
        while (w < n && row_has(e, words[w]))
            w++;
        if (w == n) {
            sink_printf(out, "%ld\t%s\t%s\n", e->code, e->name, e->message);
            status = STATUS_OK;
        }
    }
    if (status == STATUS_NONE)
        fprintf(stderr, "wsaerr: no Winsock error mentions all of those words\n");
    return status;
}
