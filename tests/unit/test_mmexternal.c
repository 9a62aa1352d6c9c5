/* The mmexternal loop: one reply per line, in order, whatever the line's length or framing. */
#include "unit.h"
#include "unit_matcher.h"

#include "mmexternal.h"
#include "status.h"

/* Runs the loop over in[0, n) read buffer bytes at a time; returns the replies (free them). */
static char *serve(enum mm_input input, size_t buffer, size_t max, const char *in, size_t n, size_t *len)
{
    int in_fd = unit_tmpfd(), out_fd = unit_tmpfd();
    assert_int_equal(pwrite(in_fd, in, n, 0), (ssize_t)n);
    struct sink out;
    assert_int_equal(sink_init(&out, out_fd, 64, false), 0);
    struct mmexternal mx = {.input = input, .buffer_size = buffer, .max_message = max, .prefilter = true};
    assert_int_equal(mmexternal_run(&mx, unit_matcher, in_fd, &out), STATUS_OK);
    assert_int_equal(sink_close(&out), 0);
    char *got = unit_slurp(out_fd, len);
    close(in_fd);
    close(out_fd);
    return got;
}

#define RESET_FIELDS                                                                          \
    "\"$!\":{\"wsaerr\":{\"count\":1,\"names\":\"WSAECONNRESET\",\"errors\":[{\"code\":10054," \
    "\"name\":\"WSAECONNRESET\",\"message\":\"Connection reset by peer\"}]}}"

#define assert_served(input, buffer, max, in, want)                          \
    do {                                                                     \
        size_t len_;                                                         \
        char *got_ = serve(input, buffer, max, in, sizeof in - 1, &len_);   \
        assert_bytes_equal(got_, len_, want, sizeof want - 1);               \
        free(got_);                                                          \
    } while (0)

static void test_one_reply_per_line(void **state)
{
    (void)state;
    assert_served(MM_MSG, 4096, 1 << 20, "", "");
    assert_served(MM_MSG, 4096, 1 << 20, "\n\nplain\n", "{}\n{}\n{}\n");
    assert_served(MM_MSG, 4096, 1 << 20, "WSAECONNRESET\nplain\n",
                  "{\"msg\":\"WSAECONNRESET [10054: Connection reset by peer]\"," RESET_FIELDS "}\n{}\n");
    /* a last line without its newline is answered too */
    assert_served(MM_MSG, 4096, 1 << 20, "plain\nWSAECONNRESET",
                  "{}\n{\"msg\":\"WSAECONNRESET [10054: Connection reset by peer]\"," RESET_FIELDS "}\n");
}

/* Lines longer than the read buffer are gathered whole; longer than the limit, answered "too-long". */
static void test_long_lines(void **state)
{
    (void)state;
    enum { BUF = 64, MAX = 1000 };
    char in[4000];
    size_t n = 0;
    memset(in, 'x', 900);
    memcpy(in + 890, " WSAECONNRESET\n", 15); /* 905 bytes: over BUF, under MAX */
    n = 905;
    memset(in + n, 'y', 1500);                 /* over MAX */
    n += 1500;
    in[n++] = '\n';
    memcpy(in + n, "WSAECONNRESET\n", 14);     /* the next line is whole again */
    n += 14;
    size_t len;
    char *got = serve(MM_MSG, BUF, MAX, in, n, &len);
    char want[4000];
    int w = snprintf(want, sizeof want,
                     "{\"msg\":\"%.890s WSAECONNRESET [10054: Connection reset by peer]\"," RESET_FIELDS "}\n"
                     "{\"$!\":{\"wsaerr\":{\"skipped\":\"too-long\",\"skipped_total\":1}}}\n"
                     "{\"msg\":\"WSAECONNRESET [10054: Connection reset by peer]\"," RESET_FIELDS "}\n",
                     in);
    assert_bytes_equal(got, len, want, (size_t)w);
    free(got);
    /* the same line within the limit but read in one buffer */
    got = serve(MM_MSG, 8192, MAX, in, 905, &len);
    assert_bytes_equal(got, len, want, strchr(want, '\n') + 1 - want);
    free(got);
}

static void test_fulljson(void **state)
{
    (void)state;
    assert_served(MM_FULLJSON, 4096, 1 << 20,
                  "{ \"msg\": \" a\\/b WSAECONNRESET\\nnext\", \"$!\": null }\n"
                  "{ \"msg\": \" plain\" }\n"
                  "{ \"rawmsg\": \"WSAECONNRESET\" }\n"
                  "not json WSAECONNRESET\n"
                  "{ \"msg\": \"WSAECONNRESET\" }\n",
                  "{\"msg\":\" a/b WSAECONNRESET [10054: Connection reset by peer]\\nnext\"," RESET_FIELDS "}\n"
                  "{}\n"
                  "{}\n"
                  "{\"$!\":{\"wsaerr\":{\"skipped\":\"bad-json\",\"skipped_total\":1}}}\n"
                  "{\"msg\":\"WSAECONNRESET [10054: Connection reset by peer]\"," RESET_FIELDS "}\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_reply_per_line),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_fulljson),
    };
    return cmocka_run_group_tests_name("mmexternal", tests, unit_matcher_setup, unit_matcher_teardown);
}
