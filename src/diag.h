/*
 * Messages for the user: a one-line error a module hands back to main to
 * print, and the printing of text that holds names the user gave (files,
 * option values) with every byte a terminal could act on shown as \xNN.
 */
#ifndef WSAERR_DIAG_H
#define WSAERR_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "sink.h"

struct diag {
    char msg[768];
};

static inline void diag_set(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void diag_set(struct diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

/*
 * Writes s[0, n) into out (room for 4 * n bytes) as it may reach a terminal:
 * control characters (C0, DEL, and C1 U+0080..U+009F as UTF-8) and bytes
 * that are not part of well-formed UTF-8 become \xNN, one per byte; all else
 * (backslashes too) is copied. Returns the length written.
 */
size_t diag_escape(const char *s, size_t n, char *out);

/* Writes "wsaerr: ", the formatted message escaped as by diag_escape, and a newline on stderr. */
void diag_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* diag_say's text for the formatted message, in a new buffer of *len bytes; NULL when out of memory. */
char *diag_vmessage(size_t *len, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Writes the formatted text escaped as by diag_escape on out; -1 when out fails. */
int diag_fprint(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
