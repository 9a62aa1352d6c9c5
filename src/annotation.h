/*
 * The annotation wsaerr inserts after a token, in one place so that writing
 * it, recognising it again (idempotence) and removing it (--strip) agree:
 *
 *   after a decimal code   10054 [WSAECONNRESET: Connection reset by peer]
 *   after a name           WSAECONNRESET [10054: Connection reset by peer]
 *   after anything else    0x2746 [WSAECONNRESET 10054: Connection reset by peer]
 *
 * With --color the same text is wrapped in ANNOTATION_COLOR_ON/OFF; the
 * wrapped form is recognised again too.
 */
#ifndef WSAERR_ANNOTATION_H
#define WSAERR_ANNOTATION_H

#include <stddef.h>

#include "table.h"
#include "token.h"

#include <stdbool.h>

enum { ANNOTATION_MAX = 512 };

#define ANNOTATION_COLOR_ON "\033[36m"
#define ANNOTATION_COLOR_OFF "\033[0m"

/*
 * Writes the annotation for a token of this kind into buf (ANNOTATION_MAX
 * bytes), colored or not; returns its length.
 */
size_t annotation_render(const struct wsa_error *e, enum token_kind kind, bool color, char *buf);

/*
 * Widens the annotation s[*a, *b) to take in the color codes around it when
 * both stand there, within s[from, len).
 */
void annotation_widen_color(const char *s, size_t from, size_t len, size_t *a, size_t *b);

/* The length of a well-formed annotation starting at p (with its leading space), or 0. */
size_t annotation_parse(const char *p, size_t n, const struct wsa_error **e);

#endif
