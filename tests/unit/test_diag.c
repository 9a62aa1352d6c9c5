/* Messages naming what the user gave: no byte a terminal could act on gets through raw. */
#include "unit.h"

#include "diag.h"
#include "sink.h"

#define assert_escaped(in, want)                                           \
    do {                                                                   \
        char out_[4 * sizeof in];                                          \
        size_t len_ = diag_escape(in, sizeof in - 1, out_);                \
        assert_bytes_equal(out_, len_, want, sizeof want - 1);             \
    } while (0)

static void test_escape(void **state)
{
    (void)state;
    assert_escaped("", "");
    assert_escaped("logs/a b.log", "logs/a b.log");
    assert_escaped("C:\\logs\\x1b", "C:\\logs\\x1b"); /* a backslash stays */
    assert_escaped("ctl\x1b[31mname", "ctl\\x1b[31mname");
    assert_escaped("\t\n\r\x7f", "\\x09\\x0a\\x0d\\x7f");
    assert_escaped("\x00z", "\\x00z");
    /* C1 as UTF-8 (U+009B is a one-character CSI); U+00A0 on is printable */
    assert_escaped("\xc2\x9b" "31m \xc2\x85 \xc2\xa0 \xc3\xa9 \xe8\xbf\x9e", "\\xc2\\x9b31m \\xc2\\x85 \xc2\xa0 \xc3\xa9 \xe8\xbf\x9e");
    /* bytes outside UTF-8: a raw 0x9b is CSI to an 8-bit terminal */
    assert_escaped("caf\xe9 \x9b" "2J \xc3", "caf\\xe9 \\x9b2J \\xc3");
    assert_escaped("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* a surrogate */
}

/* Every byte value alone: either printable ASCII or an escape, never a control. */
static void test_escape_every_byte(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char in = (char)c, out[4];
        size_t len = diag_escape(&in, 1, out);
        if (c >= 0x20 && c < 0x7f)
            assert_true(len == 1 && out[0] == in);
        else
            assert_true(len == 4 && out[0] == '\\' && out[1] == 'x');
    }
}

static char *message(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *message(size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = diag_vmessage(len, fmt, ap);
    va_end(ap);
    return text;
}

/* A message (as a worker holds it) with a name longer than any fixed buffer. */
static void test_say_long_name(void **state)
{
    (void)state;
    size_t n = 6000;
    char *name = malloc(n + 1);
    assert_non_null(name);
    for (size_t i = 0; i < n; i++)
        name[i] = i % 1000 == 999 ? '\x1b' : 'a';
    name[n] = '\0';
    size_t len;
    char *msg = message(&len, "%s:%d: %s", name, 7, "gone");
    assert_non_null(msg);
    size_t want_len = 8 + (n - 6) + 6 * 4 + 8 + 1;
    assert_int_equal(len, want_len);
    assert_memory_equal(msg, "wsaerr: aaa", 11);
    assert_memory_equal(msg + 8 + 999, "\\x1baaa", 7);
    assert_memory_equal(msg + want_len - 13, "\\x1b:7: gone\n", 13);
    assert_null(memchr(msg, '\x1b', len));
    free(msg);
    free(name);
}

static void test_fprint(void **state)
{
    (void)state;
    int fd = unit_tmpfd();
    FILE *out = fdopen(fd, "w+");
    assert_non_null(out);
    assert_int_equal(diag_fprint(out, "%s:%llu", "a\x1b]0;t\x07", 12ULL), 0);
    fflush(out);
    size_t len;
    char *got = unit_slurp(fd, &len);
    assert_bytes_equal(got, len, "a\\x1b]0;t\\x07:12", 16);
    free(got);
    fclose(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_escape_every_byte),
        cmocka_unit_test(test_say_long_name),
        cmocka_unit_test(test_fprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
