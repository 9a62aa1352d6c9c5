/*
 * JSON text on a sink: strings escaped byte for byte, base64 for bytes that
 * are not UTF-8; and a small reader for one string member of an object.
 */
#ifndef WSAERR_JSON_H
#define WSAERR_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink.h"

/* Whether s[0, n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
bool json_utf8_valid(const char *s, size_t n);

/*
 * The length of the well-formed UTF-8 character that begins s[0, n), its
 * code point in *cp; 0 when none begins there (n == 0 included).
 */
size_t json_utf8_char(const char *s, size_t n, uint32_t *cp);

/*
 * Writes s[0, n) (valid UTF-8) as a quoted JSON string. Every control
 * character (C0 U+0000..U+001F, U+007F and C1 U+0080..U+009F), the quote and
 * the backslash are escaped, so no terminal escape sequence from the input
 * (CSI is ESC [ or the single character U+009B) reaches the output raw.
 */
int json_write_string(struct sink *out, const char *s, size_t n);

/* Writes s[0, n) as a quoted base64 (RFC 4648, padded) string. */
int json_write_base64(struct sink *out, const void *s, size_t n);

/*
 * Finds the member key (compared after decoding) of the JSON object in
 * s[0, n) and, when its value is a string, appends the decoded bytes to out,
 * a memory sink. Bytes from 0x80 up pass as they are, valid UTF-8 or not, as
 * rsyslog writes them. Returns 1 at the first such member; 0 when the object has no string
 * member of that name; -1 when s is not a JSON object, a string in it is
 * malformed, or out fails. Values passed over are checked only for strings
 * and brackets.
 */
int json_read_member(const char *s, size_t n, const char *key, struct sink *out);

#endif
