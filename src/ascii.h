/* ASCII byte classes as the recognizers mean them: no locale, a byte from 0x80 is none of them. */
#ifndef WSAERR_ASCII_H
#define WSAERR_ASCII_H

#include <stdbool.h>

static inline bool ascii_letter(char c) { return (unsigned char)((c | 0x20) - 'a') < 26; }
static inline bool ascii_digit(char c) { return (unsigned char)(c - '0') < 10; }
static inline bool ascii_alnum(char c) { return ascii_letter(c) || ascii_digit(c); }

#endif
