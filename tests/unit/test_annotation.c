/* The annotation text: written byte for byte, and recognised again only when exact. */
#include "unit.h"

#include "annotation.h"

static const struct wsa_error *row(long code)
{
    const struct wsa_error *e = table_by_code(code);
    assert_non_null(e);
    return e;
}

static void check_render(long code, enum token_kind kind, const char *want)
{
    char buf[ANNOTATION_MAX];
    memset(buf, 0x55, sizeof buf);
    size_t n = annotation_render(row(code), kind, NULL, buf);
    assert_bytes_equal(buf, n, want, strlen(want));
}

static void test_render_each_kind(void **state)
{
    (void)state;
    check_render(10054, TOKEN_CODE, " [WSAECONNRESET: Connection reset by peer]");
    check_render(10054, TOKEN_NAME, " [10054: Connection reset by peer]");
    check_render(10054, TOKEN_HEX, " [WSAECONNRESET 10054: Connection reset by peer]");
    check_render(10054, TOKEN_HRESULT, " [WSAECONNRESET 10054: Connection reset by peer]");
    check_render(10054, TOKEN_NEG, " [WSAECONNRESET 10054: Connection reset by peer]");
    check_render(10054, TOKEN_TEXT, " [WSAECONNRESET 10054: Connection reset by peer]");
    check_render(997, TOKEN_CODE, " [WSA_IO_PENDING: Overlapped operations will complete later]");
    check_render(997, TOKEN_NAME, " [997: Overlapped operations will complete later]");
    check_render(6, TOKEN_HEX, " [WSA_INVALID_HANDLE 6: Specified event object handle is invalid]");
    check_render(11031, TOKEN_NAME, " [11031: Reserved policy QoS element type]");
    check_render(11001, TOKEN_TEXT, " [WSAHOST_NOT_FOUND 11001: Host not found]");
}

static const enum token_kind all_kinds[] = {TOKEN_CODE, TOKEN_HEX, TOKEN_HRESULT, TOKEN_NEG, TOKEN_NAME, TOKEN_TEXT};

static void test_round_trip_every_row_and_kind(void **state)
{
    (void)state;
    char buf[ANNOTATION_MAX + 16];
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *want = table_at(i);
        for (size_t k = 0; k < sizeof all_kinds / sizeof all_kinds[0]; k++) {
            size_t n = annotation_render(want, all_kinds[k], NULL, buf);
            assert_true(n > 6 && n < ANNOTATION_MAX);
            /* colored, with the longest end there is: the same text between the color codes */
            char colored[ANNOTATION_MAX], longest[ANNOTATION_OFF_MAX + 1];
            memset(longest, '1', ANNOTATION_OFF_MAX);
            memcpy(longest, "\033[", 2);
            memcpy(longest + ANNOTATION_OFF_MAX - 1, "m", 2);
            size_t on = strlen(ANNOTATION_COLOR_ON), off = strlen(longest);
            assert_int_equal(annotation_render(want, all_kinds[k], longest, colored), on + n + off);
            assert_true(on + n + off < ANNOTATION_MAX);
            assert_memory_equal(colored, ANNOTATION_COLOR_ON, on);
            assert_memory_equal(colored + on + n, longest, off);
            size_t a = on, b = on + n;
            annotation_widen_color(colored, 0, on + n + off, &a, &b);
            assert_int_equal(a, 0);
            assert_int_equal(b, on + n + off);
            n = annotation_render(want, all_kinds[k], NULL, buf);
            assert_memory_equal(colored + on, buf, n);
            assert_memory_equal(buf, " [", 2);
            assert_int_equal(buf[n - 1], ']');
            const struct wsa_error *got = NULL;
            assert_int_equal(annotation_parse(buf, n, &got), n);
            assert_ptr_equal(got, want);
            /* what follows the annotation does not matter */
            memcpy(buf + n, "] tail", 6);
            got = NULL;
            assert_int_equal(annotation_parse(buf, n + 6, &got), n);
            assert_ptr_equal(got, want);
        }
    }
}

static void test_truncated_at_every_length(void **state)
{
    (void)state;
    char buf[ANNOTATION_MAX];
    for (size_t i = 0; i < table_count(); i++) {
        for (size_t k = 0; k < sizeof all_kinds / sizeof all_kinds[0]; k++) {
            size_t n = annotation_render(table_at(i), all_kinds[k], NULL, buf);
            for (size_t cut = 0; cut < n; cut++) {
                const struct wsa_error *got = NULL;
                if (annotation_parse(buf, cut, &got) != 0)
                    fail_msg("\"%.*s\" cut to %zu bytes parses", (int)n, buf, cut);
            }
        }
    }
}

static void test_rejects_near_misses(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[WSAECONNRESET: Connection reset by peer]",      /* no leading space */
        "  [WSAECONNRESET: Connection reset by peer]",    /* two spaces */
        " (WSAECONNRESET: Connection reset by peer)",     /* other brackets */
        " [WSAECONNRESET: Connection reset by peer",      /* missing bracket */
        " [WSAECONNRESET: Connection reset by peer)",     /* wrong bracket */
        " [WSAECONNRESET: Connection reset by peers]",    /* wrong message */
        " [WSAECONNRESET: Connection reset by pee]",      /* message cut */
        " [WSAECONNRESET: connection reset by peer]",     /* message case */
        " [WSAECONNRESET: Connection refused]",           /* another row's message */
        " [10054: Connection refused]",                   /* another row's message */
        " [WSAECONNRESET 10061: Connection reset by peer]", /* code and name disagree */
        " [WSAECONNREFUSED 10054: Connection reset by peer]",
        " [WSAECONNREFUSED 10054: Connection refused]",
        " [WSAECONNRESET 100540: Connection reset by peer]",
        " [WSAECONNRESET  10054: Connection reset by peer]",
        " [WSAECONNRESET:Connection reset by peer]",      /* no space after colon */
        " [WSAECONNRESET : Connection reset by peer]",
        " [10054 : Connection reset by peer]",
        " [wsaeconnreset: Connection reset by peer]",     /* name case */
        " [WSAEFOO: Connection reset by peer]",           /* no such name */
        " [12345: Connection reset by peer]",             /* no such code */
        " [0x2746: Connection reset by peer]",
        " [: Connection reset by peer]",
        " []",
        " [",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const struct wsa_error *got = NULL;
        if (annotation_parse(bad[i], strlen(bad[i]), &got) != 0)
            fail_msg("near miss accepted: \"%s\"", bad[i]);
    }
}

static void test_accepts_other_spellings(void **state)
{
    (void)state;
    /* any of the three forms after any token, and an alias as the name */
    const struct wsa_error *got = NULL;
    assert_int_equal(annotation_parse(LIT(" [WSAINVALIDPROVIDER: Invalid service provider version number]"), &got),
                     62);
    assert_non_null(got);
    assert_int_equal(got->code, 10105);
    got = NULL;
    assert_int_equal(annotation_parse(LIT(" [10102: No more results] x"), &got), 25);
    assert_non_null(got);
    assert_int_equal(got->code, 10102);
    got = NULL;
    assert_int_equal(annotation_parse(LIT(" [10110: No more results]"), &got), 25);
    assert_non_null(got);
    assert_int_equal(got->code, 10110);
}

/*
 * Regression (was a bug): annotation_parse (src/annotation.c, digits/parse_head) accepts a code
 * with leading zeros, " [010054: Connection reset by peer]" and
 * " [WSAECONNRESET 010054: ...]", which annotation_render never writes; so
 * --strip removes such text from a log although wsaerr did not add it.
 * Expected 0, actual 35 (and 49): the full length.
 */
static void test_rejects_leading_zero(void **state)
{
    (void)state;

    const struct wsa_error *got = NULL;
    assert_int_equal(annotation_parse(LIT(" [010054: Connection reset by peer]"), &got), 0);
    assert_int_equal(annotation_parse(LIT(" [WSAECONNRESET 010054: Connection reset by peer]"), &got), 0);
}

/* The end of a colored annotation after the line s: the foreground color s's own SGR sequences left. */
static void check_off(const char *s, const char *want)
{
    char off[ANNOTATION_OFF_MAX + 1];
    memset(off, 0x55, sizeof off);
    struct line_color c = {0};
    annotation_follow_color(&c, s, 0, strlen(s));
    annotation_color_off(&c, off);
    if (strcmp(off, want) != 0)
        fail_msg("after \"%s\": \"%s\", want \"%s\"", s, off + 1, want + 1);
    /* followed in two parts, the second starting again anywhere in the first up to its last escape: the same */
    for (size_t cut = 0; cut <= strlen(s); cut++) {
        const char *esc = memrchr(s, '\033', cut);
        for (size_t again = 0; again <= (esc ? (size_t)(esc - s) : cut); again++) {
            c = (struct line_color){0};
            annotation_follow_color(&c, s, 0, cut);
            annotation_follow_color(&c, s, again, strlen(s));
            annotation_color_off(&c, off);
            if (strcmp(off, want) != 0)
                fail_msg("after \"%s\" cut at %zu, again from %zu: \"%s\"", s, cut, again, off + 1);
        }
    }
}

static void test_color_off_gives_the_line_its_color_back(void **state)
{
    (void)state;
    check_off("no color at all", "\033[39m");
    check_off("\033[31mred line", "\033[31m");
    check_off("\033[1;91mbold bright red", "\033[91m");
    check_off("\033[31mred\033[0m then plain", "\033[39m");
    check_off("\033[31mred\033[m then plain", "\033[39m");
    check_off("\033[31mred\033[39m then default", "\033[39m");
    check_off("\033[31mred \033[1mstill red, bold", "\033[31m");
    check_off("\033[38;5;208morange", "\033[38;5;208m");
    check_off("\033[38;2;10;20;30mtrue color", "\033[38;2;10;20;30m");
    check_off("\033[38:2::10:20:30mcolon form", "\033[38:2::10:20:30m");
    /* a background or underline color's arguments are no foreground */
    check_off("\033[48;5;31mblue background", "\033[39m");
    check_off("\033[32m\033[48;2;31;32;33mgreen on grey", "\033[32m");
    check_off("\033[32;58;5;31mgreen", "\033[32m");
    /* written with a leading zero, as terminals read them too (was a bug: 31 taken for red, 038 alone) */
    check_off("\033[048;5;31mblue background", "\033[39m");
    check_off("\033[038;5;208morange", "\033[038;5;208m");
    /* other escapes, and ones not ended, change nothing */
    check_off("\033[33m\033[2K\033[1Gyellow", "\033[33m");
    check_off("\033[33myellow \033[31", "\033[33m");
    check_off("\033[33myellow \033]0;title\007", "\033[33m");
    /* a previous run's colored annotation ends in the line's color: nothing changes */
    check_off("\033[35mx 10054" ANNOTATION_COLOR_ON " [WSAECONNRESET: Connection reset by peer]\033[35m y", "\033[35m");
    /* too long to be a color: the default */
    check_off("\033[38;2;1111111111;2222222222;3333333333mx", "\033[39m");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_each_kind),
        cmocka_unit_test(test_round_trip_every_row_and_kind),
        cmocka_unit_test(test_truncated_at_every_length),
        cmocka_unit_test(test_rejects_near_misses),
        cmocka_unit_test(test_accepts_other_spellings),
        cmocka_unit_test(test_rejects_leading_zero),
        cmocka_unit_test(test_color_off_gives_the_line_its_color_back),
    };
    return cmocka_run_group_tests_name("annotation", tests, NULL, NULL);
}
