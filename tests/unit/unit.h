/* Helpers shared by the unit tests: cmocka includes and output captured in a temporary file. */
#ifndef WSAERR_UNIT_H
#define WSAERR_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An unlinked temporary file to write into and read back. */
static inline int unit_tmpfd(void)
{
    char path[] = "/tmp/wsaerr-unit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    return fd;
}

/* The whole content of fd (from offset 0), NUL-terminated for convenience; free it. */
static inline char *unit_slurp(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (;;) {
        if (n == cap) {
            buf = realloc(buf, (cap *= 2) + 1);
            assert_non_null(buf);
        }
        ssize_t r = pread(fd, buf + n, cap - n, (off_t)n);
        assert_true(r >= 0);
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Compares bytes, printing both sides (escaped) when they differ. */
#define assert_bytes_equal(got, got_len, want, want_len) \
    unit_bytes_equal((got), (got_len), (want), (want_len), __FILE__, __LINE__)

static inline void unit_print_escaped(const char *what, const char *p, size_t n)
{
    printf("%s (%zu bytes): \"", what, n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\n')
            printf("\\n");
        else if (c == '\r')
            printf("\\r");
        else if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    printf("\"\n");
}

static inline void unit_bytes_equal(const char *got, size_t got_len, const char *want, size_t want_len,
                                    const char *file, int line)
{
    if (got_len == want_len && memcmp(got, want, got_len) == 0)
        return;
    printf("%s:%d: bytes differ\n", file, line);
    unit_print_escaped("  got ", got, got_len);
    unit_print_escaped("  want", want, want_len);
    fail_msg("output differs from the expected bytes");
}

/* A string literal and its length (it may hold NUL bytes). */
#define LIT(s) (s), (sizeof(s) - 1)

#endif
