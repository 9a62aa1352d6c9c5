/* JSON output: UTF-8 validation, escaping of every control byte, base64. */
#include "unit.h"

#include "json.h"
#include "sink.h"

/* Runs one writer over s[0, n) into a small sink (to cross its buffer) and returns the text. */
static char *written(int (*write)(struct sink *, const char *, size_t), const char *s, size_t n,
                     size_t *len)
{
    int fd = unit_tmpfd();
    struct sink out;
    assert_int_equal(sink_init(&out, fd, 7, false), 0);
    assert_int_equal(write(&out, s, n), 0);
    assert_int_equal(sink_close(&out), 0);
    char *got = unit_slurp(fd, len);
    close(fd);
    return got;
}

static int b64(struct sink *out, const char *s, size_t n) { return json_write_base64(out, s, n); }

#define assert_written(fn, in, want)                                       \
    do {                                                                   \
        size_t len_;                                                       \
        char *got_ = written(fn, in, sizeof in - 1, &len_);                \
        assert_bytes_equal(got_, len_, want, sizeof want - 1);             \
        free(got_);                                                        \
    } while (0)

#define valid(lit) json_utf8_valid(lit, sizeof lit - 1)

static void test_utf8_validation(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(valid("plain ascii"));
    assert_true(valid("Verbindung getrennt \xc3\xa4 \xe2\x82\xac \xf0\x9f\x98\x80"));
    assert_false(valid("\xff"));
    assert_false(valid("\xc3"));                   /* cut short */
    assert_false(valid("\xc0\xaf"));               /* overlong '/' */
    assert_false(valid("\xe0\x80\xaf"));           /* overlong */
    assert_false(valid("\xed\xa0\x80"));           /* surrogate */
    assert_false(valid("\xf4\x90\x80\x80"));       /* past U+10FFFF */
    assert_false(valid("ok \xe2\x82 then"));      /* bad continuation */
    assert_true(valid("nul \0 inside"));          /* NUL is valid UTF-8 */
}

static void test_string_escapes(void **state)
{
    (void)state;
    assert_written(json_write_string, "", "\"\"");
    assert_written(json_write_string, "WinError 10054", "\"WinError 10054\"");
    assert_written(json_write_string, "q\"b\\", "\"q\\\"b\\\\\"");
    assert_written(json_write_string, "a\tb\r\n", "\"a\\tb\\r\\n\"");
    assert_written(json_write_string, "\x1b[31mred\x1b[0m", "\"\\u001b[31mred\\u001b[0m\"");
    assert_written(json_write_string, "\x00\x01\x1f\x7f", "\"\\u0000\\u0001\\u001f\\u007f\"");
    assert_written(json_write_string, "\xc3\xa4", "\"\xc3\xa4\"");
}

/* Every byte below 0x20 and 0x7f comes out as an escape, never raw. */
static void test_no_control_byte_survives(void **state)
{
    (void)state;
    char in[33];
    for (int i = 0; i < 32; i++)
        in[i] = (char)i;
    in[32] = 0x7f;
    size_t len;
    char *got = written(json_write_string, in, sizeof in, &len);
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)got[i] >= 0x20 && (unsigned char)got[i] != 0x7f);
    free(got);
}

static void test_base64(void **state)
{
    (void)state;
    assert_written(b64, "", "\"\"");
    assert_written(b64, "f", "\"Zg==\"");
    assert_written(b64, "fo", "\"Zm8=\"");
    assert_written(b64, "foo", "\"Zm9v\"");
    assert_written(b64, "foobar", "\"Zm9vYmFy\"");
    assert_written(b64, "\xff\xfe\x00", "\"//4A\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_no_control_byte_survives),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
