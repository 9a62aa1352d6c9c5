/* A one-line error message that a module hands back to main to print. */
#ifndef WSAERR_DIAG_H
#define WSAERR_DIAG_H

#include <stdarg.h>
#include <stdio.h>

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

#endif
