/*
 * The annotation wsaerr inserts after a token, in one place so that writing
 * it, recognising it again (idempotence) and removing it (--strip) agree:
 *
 *   after a decimal code   10054 [WSAECONNRESET: Connection reset by peer]
 *   after a name           WSAECONNRESET [10054: Connection reset by peer]
 *   after anything else    0x2746 [WSAECONNRESET 10054: Connection reset by peer]
 *
 * With --color the same text is wrapped in ANNOTATION_COLOR_ON and a
 * sequence that gives the line its own foreground color back (see
 * annotation_color_off); the wrapped form is recognised again too.
 */
#ifndef WSAERR_ANNOTATION_H
#define WSAERR_ANNOTATION_H

#include <stddef.h>

#include "table.h"
#include "token.h"

enum { ANNOTATION_MAX = 512 };

#define ANNOTATION_COLOR_ON "\033[36m"
/* The longest sequence that ends a colored annotation: ESC [ parameters m. */
enum { ANNOTATION_OFF_MAX = 32 };

/* The foreground color a line's own SGR sequences have set so far: the parameters that set it (len 0: the default). */
struct line_color {
    size_t len;
    char fg[ANNOTATION_OFF_MAX - 3];
};

/*
 * Follows the SGR sequences that begin in s[from, to) and end there too into
 * c, the color of the line up to s[from]. Following a sequence again after
 * the ones that came after it changes nothing, so a caller may start again
 * a little before where it stopped.
 */
void annotation_follow_color(struct line_color *c, const char *s, size_t from, size_t to);

/*
 * The sequence that ends a colored annotation: it sets the foreground color c
 * (of the line up to the annotation) holds, "\033[39m", the default, when
 * none, so a line in red goes on in red after a cyan annotation. Writes it,
 * NUL-terminated, into off (ANNOTATION_OFF_MAX + 1 bytes).
 */
void annotation_color_off(const struct line_color *c, char *off);

/*
 * Writes the annotation for a token of this kind into buf (ANNOTATION_MAX
 * bytes); with off (see annotation_color_off) colored and ended by it, with
 * NULL plain. Returns its length.
 */
size_t annotation_render(const struct wsa_error *e, enum token_kind kind, const char *off, char *buf);

/*
 * Widens the annotation s[*a, *b) to take in the color codes around it when
 * both stand there, within s[from, len): ANNOTATION_COLOR_ON before it, and
 * after it any SGR sequence of at most ANNOTATION_OFF_MAX bytes.
 */
void annotation_widen_color(const char *s, size_t from, size_t len, size_t *a, size_t *b);

/* The length of a well-formed annotation starting at p (with its leading space), or 0. */
size_t annotation_parse(const char *p, size_t n, const struct wsa_error **e);

#endif
