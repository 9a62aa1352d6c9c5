/* Counting newlines fast: line numbers for messages, --summary and --json. */
#ifndef WSAERR_NEWLINES_H
#define WSAERR_NEWLINES_H

#include <stddef.h>

/* How many '\n' bytes p[0, n) holds. */
size_t newlines_count(const char *p, size_t n);

#endif
