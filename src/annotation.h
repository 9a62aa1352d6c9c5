/*
 * The annotation wsaerr inserts after a token, in one place so that writing
 * it, recognising it again (idempotence) and removing it (--strip) agree:
 *
 *   after a decimal code   10054 [WSAECONNRESET: Connection reset by peer]
 *   after a name           WSAECONNRESET [10054: Connection reset by peer]
 *   after anything else    0x2746 [WSAECONNRESET 10054: Connection reset by peer]
 */
#ifndef WSAERR_ANNOTATION_H
#define WSAERR_ANNOTATION_H

#include <stddef.h>

#include "table.h"
#include "token.h"

enum { ANNOTATION_MAX = 512 };

/* Writes the annotation for a token of this kind into buf (ANNOTATION_MAX bytes); returns its length. */
size_t annotation_render(const struct wsa_error *e, enum token_kind kind, char *buf);

/* The length of a well-formed annotation starting at p (with its leading space), or 0. */
size_t annotation_parse(const char *p, size_t n, const struct wsa_error **e);

#endif
