/* --json: one JSON object per input line (JSON Lines). */
#ifndef WSAERR_JSONL_H
#define WSAERR_JSONL_H

#include <stddef.h>

#include "annotate.h"
#include "sink.h"

/*
 * Writes the object for the line s[0, len), its newline (if any) included,
 * numbered line_number (1-based) in file, with the notes found in it:
 *
 *   {"file":{"text":"app.log"},"line_number":3,"line":{"text":"... 10054\n"},
 *    "annotations":[{"start":4,"end":9,"code":10054,"name":"WSAECONNRESET",
 *                    "message":"Connection reset by peer","existing":false}]}
 *
 * Text that is not valid UTF-8 is given as {"bytes":"<base64>"} instead of
 * {"text":...}. start/end are byte offsets of the token in the line; for an
 * annotation the line already carries ("existing": true) they span it.
 */
/* Writes a table row's members: "code":10054,"name":"WSAECONNRESET","message":"..." */
int jsonl_write_error(struct sink *out, const struct wsa_error *e);

int jsonl_write(struct sink *out, const char *file, unsigned long long line_number, const char *s,
                size_t len, const struct notes *notes);

#endif
