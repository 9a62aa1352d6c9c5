/* mmexternal replies: {} for nothing, msg only when it changes, codes under $!wsaerr, reasons counted. */
#include "unit.h"
#include "unit_matcher.h"

#include "reply.h"

/* The reply line for s[0, n) from r, written through a small sink to a file (free it). */
static char *reply_to(struct reply *r, const char *s, size_t n, size_t *len)
{
    int fd = unit_tmpfd();
    struct sink out;
    assert_int_equal(sink_init(&out, fd, 16, false), 0);
    assert_int_equal(reply_message(r, s, n, &out), 0);
    assert_int_equal(out.len, 0); /* flushed: rsyslog waits for the whole line */
    assert_int_equal(sink_close(&out), 0);
    char *got = unit_slurp(fd, len);
    close(fd);
    return got;
}

#define ECONNRESET_FIELDS                                                                     \
    "\"$!\":{\"wsaerr\":{\"count\":1,\"names\":\"WSAECONNRESET\",\"errors\":[{\"code\":10054," \
    "\"name\":\"WSAECONNRESET\",\"message\":\"Connection reset by peer\"}]}}"

#define assert_reply(r, in, want)                                      \
    do {                                                               \
        size_t len_;                                                   \
        char *got_ = reply_to(r, in, sizeof in - 1, &len_);            \
        assert_bytes_equal(got_, len_, want, sizeof want - 1);         \
        free(got_);                                                    \
    } while (0)

static void test_nothing_to_say(void **state)
{
    (void)state;
    struct reply r;
    assert_int_equal(reply_init(&r, unit_matcher, true), 0);
    assert_reply(&r, "", "{}\n");
    assert_reply(&r, " plain line", "{}\n");
    assert_reply(&r, " port 10054 of a web server", "{}\n");
    reply_free(&r);
}

static void test_annotated(void **state)
{
    (void)state;
    struct reply r;
    assert_int_equal(reply_init(&r, unit_matcher, true), 0);
    assert_reply(&r, " recv: [WinError 10054] gone",
                 "{\"msg\":\" recv: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] gone\","
                 ECONNRESET_FIELDS "}\n");
    /* each code once, in order of first mention; names joined for templates and Loki */
    assert_reply(&r, "WSAETIMEDOUT then WSAECONNRESET then WSAETIMEDOUT",
                 "{\"msg\":\"WSAETIMEDOUT [10060: Connection timed out] then WSAECONNRESET [10054: Connection "
                 "reset by peer] then WSAETIMEDOUT\",\"$!\":{\"wsaerr\":{\"count\":2,\"names\":"
                 "\"WSAETIMEDOUT,WSAECONNRESET\",\"errors\":[{\"code\":10060,\"name\":\"WSAETIMEDOUT\","
                 "\"message\":\"Connection timed out\"},{\"code\":10054,\"name\":\"WSAECONNRESET\","
                 "\"message\":\"Connection reset by peer\"}]}}}\n");
    /* control bytes and quotes are escaped, never raw in the reply line */
    assert_reply(&r, "a\"b\\c\x01\x1b\t WSAECONNRESET",
                 "{\"msg\":\"a\\\"b\\\\c\\u0001\\u001b\\t WSAECONNRESET [10054: Connection reset by peer]\","
                 ECONNRESET_FIELDS "}\n");
    /* C1 controls too: U+009B is a one-character CSI */
    assert_reply(&r, "\xc2\x9b" "31mred\xc2\x85 WSAECONNRESET",
                 "{\"msg\":\"\\u009b31mred\\u0085 WSAECONNRESET [10054: Connection reset by peer]\","
                 ECONNRESET_FIELDS "}\n");
    reply_free(&r);
}

/* An annotated message is left as it is (no msg), its codes still listed: a second pass changes nothing. */
static void test_idempotent(void **state)
{
    (void)state;
    struct reply r;
    assert_int_equal(reply_init(&r, unit_matcher, true), 0);
    assert_reply(&r, " recv: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] gone",
                 "{" ECONNRESET_FIELDS "}\n");
    assert_reply(&r, "WSAECONNRESET [10054: Connection reset by peer] and 10054 [WSAECONNRESET: Connection reset by peer]",
                 "{" ECONNRESET_FIELDS "}\n");
    reply_free(&r);
}

/* Bytes that are not UTF-8 cannot go back in JSON unchanged: msg stays, codes and the reason are given. */
static void test_invalid_utf8_and_skipped(void **state)
{
    (void)state;
    struct reply r;
    assert_int_equal(reply_init(&r, unit_matcher, true), 0);
    assert_reply(&r, "\xff WSAECONNRESET",
                 "{\"$!\":{\"wsaerr\":{\"count\":1,\"names\":\"WSAECONNRESET\",\"errors\":[{\"code\":10054,"
                 "\"name\":\"WSAECONNRESET\",\"message\":\"Connection reset by peer\"}],"
                 "\"skipped\":\"invalid-utf8\",\"skipped_total\":1}}}\n");
    assert_reply(&r, "\xff no code", "{}\n");
    /* an existing annotation needs no rewrite, so invalid bytes are no reason to skip */
    assert_reply(&r, "\xff WSAECONNRESET [10054: Connection reset by peer]", "{" ECONNRESET_FIELDS "}\n");
    int fd = unit_tmpfd();
    struct sink out;
    assert_int_equal(sink_init(&out, fd, 16, false), 0);
    assert_int_equal(reply_skipped(&r, "too-long", &out), 0);
    assert_int_equal(sink_close(&out), 0);
    size_t len;
    char *got = unit_slurp(fd, &len);
    static const char want[] = "{\"$!\":{\"wsaerr\":{\"skipped\":\"too-long\",\"skipped_total\":2}}}\n";
    assert_bytes_equal(got, len, want, sizeof want - 1);
    free(got);
    close(fd);
    reply_free(&r);
}

/* The candidate prefilter is a shortcut only: the same replies without it. */
static void test_prefilter_same(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "", "plain", "recv: [WinError 10054] gone", "WSAECONNRESET [10054: Connection reset by peer]",
        "hr=0x80072746", "No such host is known.", "error 11001 in WSA call",
    };
    struct reply with, without;
    assert_int_equal(reply_init(&with, unit_matcher, true), 0);
    assert_int_equal(reply_init(&without, unit_matcher, false), 0);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        size_t a_len, b_len;
        char *a = reply_to(&with, lines[i], strlen(lines[i]), &a_len);
        char *b = reply_to(&without, lines[i], strlen(lines[i]), &b_len);
        assert_bytes_equal(a, a_len, b, b_len);
        free(a);
        free(b);
    }
    reply_free(&with);
    reply_free(&without);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_to_say),
        cmocka_unit_test(test_annotated),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_invalid_utf8_and_skipped),
        cmocka_unit_test(test_prefilter_same),
    };
    return cmocka_run_group_tests_name("reply", tests, unit_matcher_setup, unit_matcher_teardown);
}
