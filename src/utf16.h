/*
 * UTF-16 input (a PowerShell 5 `>` redirect, Windows' "Unicode" logs) read
 * as UTF-8 and written back as UTF-16, byte for byte: what is not valid
 * UTF-16 comes through too. A lone surrogate is carried as its 3-byte
 * (WTF-8) form, and an odd last byte as UTF16_RAW and the byte, which
 * UTF-8 never holds.
 */
#ifndef WSAERR_UTF16_H
#define WSAERR_UTF16_H

#include <stdbool.h>
#include <stddef.h>

enum utf16 { UTF16_NONE, UTF16_LE, UTF16_BE };

/* The byte that carries an odd last byte of the input (never in UTF-8). */
#define UTF16_RAW '\xff'

/* The encoding a byte order mark at the start of buf[0, n) says: UTF16_LE (FF FE), UTF16_BE (FE FF) or none. */
enum utf16 utf16_detect(const char *buf, size_t n);

/*
 * Decodes in[0, n) into out (room bytes): whole code units and pairs only,
 * unless last (the input ends there). Returns the bytes written; *used is
 * the input bytes taken. At most 3 bytes come out for 2 in.
 */
size_t utf16_decode(enum utf16 enc, const char *in, size_t n, bool last, char *out, size_t room, size_t *used);

/*
 * Encodes in[0, n), UTF-8 as utf16_decode writes it (other bytes as
 * Latin-1), into out (room bytes, at least 4): whole sequences only, unless
 * last. Returns the bytes written; *used is the input bytes taken. At most
 * 2 bytes come out for 1 in.
 */
size_t utf16_encode(enum utf16 enc, const char *in, size_t n, bool last, char *out, size_t room, size_t *used);

#endif
