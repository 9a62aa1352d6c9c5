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

/* C1 controls (U+0080..U+009F, one-character CSI U+009B among them) are escaped; U+00A0 on is not. */
static void test_c1_escapes(void **state)
{
    (void)state;
    assert_written(json_write_string, "x \xc2\x9b" "31m y\xc2\x85", "\"x \\u009b31m y\\u0085\"");
    assert_written(json_write_string, "\xc2\x80\xc2\x9f", "\"\\u0080\\u009f\"");
    assert_written(json_write_string, "\xc2\xa0\xc2\xbf\xc3\x80", "\"\xc2\xa0\xc2\xbf\xc3\x80\"");
}

/* Every C1 character written and read back gives the same bytes. */
static void test_c1_round_trip(void **state)
{
    (void)state;
    char in[2 * 32 + 1];
    for (int i = 0; i < 32; i++)
        in[2 * i] = (char)0xC2, in[2 * i + 1] = (char)(0x80 + i);
    in[64] = 'z';
    size_t len;
    char *got = written(json_write_string, in, sizeof in, &len);
    for (size_t i = 0; i < len; i++)
        assert_true((unsigned char)got[i] < 0x80);
    struct sink obj, back;
    assert_int_equal(sink_init_memory(&obj, 16), 0);
    assert_int_equal(sink_init_memory(&back, 16), 0);
    assert_int_equal(sink_write(&obj, "{\"s\":", 5), 0);
    assert_int_equal(sink_write(&obj, got, len), 0);
    assert_int_equal(sink_write(&obj, "}", 1), 0);
    assert_int_equal(json_read_member(obj.buf, obj.len, "s", &back), 1);
    assert_bytes_equal(back.buf, back.len, in, sizeof in);
    sink_close(&obj);
    sink_close(&back);
    free(got);
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

/* json_read_member over s[0, n): its result, and the decoded value in *got (a memory sink). */
static int member(const char *s, size_t n, const char *key, struct sink *got)
{
    got->len = 0;
    return json_read_member(s, n, key, got);
}

#define assert_member(lit, key, want)                                     \
    do {                                                                  \
        struct sink got_;                                                 \
        assert_int_equal(sink_init_memory(&got_, 1), 0);                  \
        assert_int_equal(member(lit, sizeof lit - 1, key, &got_), 1);     \
        assert_bytes_equal(got_.buf, got_.len, want, sizeof want - 1);    \
        sink_close(&got_);                                                \
    } while (0)

#define assert_member_rc(lit, key, rc)                                    \
    do {                                                                  \
        struct sink got_;                                                 \
        assert_int_equal(sink_init_memory(&got_, 1), 0);                  \
        assert_int_equal(member(lit, sizeof lit - 1, key, &got_), rc);    \
        sink_close(&got_);                                                \
    } while (0)

/* What rsyslog's fulljson looks like: spaces, \/ for '/', raw UTF-8 and raw invalid bytes. */
static void test_read_member_rsyslog_shape(void **state)
{
    (void)state;
    assert_member("{ \"msg\": \" a\\/b \\\"q\\\" \xc3\xa9\", \"rawmsg\": \"<13>x\", \"$!\": null }", "msg",
                  " a/b \"q\" \xc3\xa9");
    assert_member("{ \"msg\": \" bad \xff\xfe\" }", "msg", " bad \xff\xfe");
    assert_member("{\"rawmsg\":\"x\",\"msg\":\"second\"}", "msg", "second");
    assert_member("{\"msg\":\"\"}", "msg", "");
}

static void test_read_member_escapes(void **state)
{
    (void)state;
    assert_member("{\"msg\":\"\\b\\f\\n\\r\\t\\\\\"}", "msg", "\b\f\n\r\t\\");
    assert_member("{\"msg\":\"\\u0000\\u001b\\u00e9\\u20AC\"}", "msg", "\0\x1b\xc3\xa9\xe2\x82\xac");
    assert_member("{\"msg\":\"\\ud83d\\ude00\"}", "msg", "\xf0\x9f\x98\x80");
    assert_member("{\"m\\u0073g\":\"key escaped\"}", "msg", "key escaped");
}

/* Other members are passed over whole, nested ones included; only the top level counts. */
static void test_read_member_skips_values(void **state)
{
    (void)state;
    assert_member("{\"a\":1,\"b\":-2.5e3,\"c\":true,\"d\":null,\"e\":[1,\"]\",{\"msg\":\"no\"}],"
                  "\"f\":{\"msg\":\"no\",\"g\":{}},\"msg\":\"yes\"}",
                  "msg", "yes");
    assert_member_rc("{\"$!\":{\"msg\":\"nested only\"}}", "msg", 0);
    assert_member_rc("{}", "msg", 0);
    assert_member_rc(" { } ", "msg", 0);
    assert_member_rc("{\"msg\":42}", "msg", 0);
    assert_member_rc("{\"msg\":null,\"x\":\"y\"}", "msg", 0);
    assert_member_rc("{\"msgs\":\"longer key\"}", "msg", 0);
}

static void test_read_member_malformed(void **state)
{
    (void)state;
    assert_member_rc("", "msg", -1);
    assert_member_rc("plain text", "msg", -1);
    assert_member_rc("[\"msg\"]", "msg", -1);
    assert_member_rc("{\"msg\":\"unterminated", "msg", -1);
    assert_member_rc("{\"msg\":\"raw \n newline\"}", "msg", -1);
    assert_member_rc("{\"msg\":\"bad \\x escape\"}", "msg", -1);
    assert_member_rc("{\"msg\":\"\\u12\"}", "msg", -1);
    assert_member_rc("{\"msg\":\"lone \\udc00\"}", "msg", -1);
    assert_member_rc("{\"msg\":\"high only \\ud83d x\"}", "msg", -1);
    assert_member_rc("{\"a\" 1}", "msg", -1);
    assert_member_rc("{\"a\":}", "msg", -1);
    assert_member_rc("{\"a\":[1,2}", "msg", -1);
    assert_member_rc("{\"a\":1", "msg", -1);
    assert_member_rc("{\"a\":1 \"b\":2}", "msg", -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validation),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_c1_escapes),
        cmocka_unit_test(test_c1_round_trip),
        cmocka_unit_test(test_no_control_byte_survives),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_read_member_rsyslog_shape),
        cmocka_unit_test(test_read_member_escapes),
        cmocka_unit_test(test_read_member_skips_values),
        cmocka_unit_test(test_read_member_malformed),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
