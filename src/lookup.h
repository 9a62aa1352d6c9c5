/* --lookup, --list and --search: the table as a reference. */
#ifndef WSAERR_LOOKUP_H
#define WSAERR_LOOKUP_H

#include <stddef.h>

#include "sink.h"
#include "table.h"

/*
 * The row an argument names: decimal code, 0x hex code, HRESULT in hex or
 * signed decimal, or a name or alias in any case. NULL when none.
 */
const struct wsa_error *lookup_parse(const char *arg);

/* Each argument in full; unknown ones reported on stderr. Returns an exit status. */
int lookup_print(char *const *args, size_t n, struct sink *out);
/* The whole table as TSV: code, name, message; aliases as rows of their own. */
int lookup_list(struct sink *out);
/* Rows whose name, message, texts or explanation contain every word. */
int lookup_search(char *const *words, size_t n, struct sink *out);

#endif
