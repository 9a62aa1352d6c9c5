/* The bytes a pattern's leading lookbehind allows before its match: read right, and never too few. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "unit.h"

#include <pcre2.h>

#include "before.h"
#include "patterns.h"

/* The table for pattern p alone. */
static struct before_table *table_of(const char *p, size_t n)
{
    struct before b;
    struct before_table *t = calloc(1, sizeof *t);
    assert_non_null(t);
    before_of(p, n, &b);
    before_add(t, &b);
    return t;
}

/* Whether pattern p lets a match begin right after the two bytes two[0], two[1]. */
static bool allows(const char *p, const char *two)
{
    struct before_table *t = table_of(p, strlen(p));
    char s[3] = {two[0], two[1], 'x'};
    bool yes = before_allows(t, s, 2);
    free(t);
    return yes;
}

static void test_reads_plain_lookbehinds(void **state)
{
    (void)state;
    assert_true(allows("(?<=[r)])\\s*(?<code>\\d+)", "(r"));
    assert_true(allows("(?<=[r)])\\s*(?<code>\\d+)", "x)"));
    assert_false(allows("(?<=[r)])\\s*(?<code>\\d+)", "r:"));
    assert_true(allows("(?<=\\bsystem:)(?<code>\\d+)", "m:"));
    assert_false(allows("(?<=\\bsystem:)(?<code>\\d+)", "7:"));
    assert_true(allows("(?<=\\bE)(?<apr>73\\d+)", " E")); /* \b stands for no byte */
    assert_true(allows("(?<=\\[WinError |\\[Errno )(?<code>\\d+)", "o "));
    assert_false(allows("(?<=\\[WinError |\\[Errno )(?<code>\\d+)", "x "));
    assert_true(allows("(?i)(?<=[A-Za-z.])x", "1a"));
    assert_true(allows("(?i)(?<=e)x", "1E"));
    assert_false(allows("(?<=e)x", "1E"));
    assert_false(allows("(?<![0-9])-(?<neg>\\d+)", "a7"));
    assert_true(allows("(?<![0-9])-(?<neg>\\d+)", "7a"));
    assert_true(allows("(?<=a|bc)x", "zc")); /* one alternative is shorter: any byte two places before */
    assert_false(allows("(?<=a|bc)x", "zd"));
    assert_true(allows("(?<=[^a-c])x", "zd"));
    assert_true(allows("(?i)(?<=[A-Za-z.])(?<=\\berrno|\\berror)x", "nO")); /* each lookbehind must hold */
    assert_false(allows("(?i)(?<=[A-Za-z.])(?<=\\berrno|\\berror)x", "xT"));
    assert_false(allows("(?i)(?<=[A-Za-z.])(?<=\\berrno|\\berror)x", "n-"));
    assert_true(allows("(?<=[r)])(?<=a{2}r)x", "xr")); /* the ones before one not plain still count */
    assert_false(allows("(?<=[r)])(?<=a{2}r)x", "x:"));
    assert_false(allows("(?<=[^a-c])x", "zb"));
}

/* Where the text is not that plain, every byte is allowed. */
static void test_anything_else_allows_all(void **state)
{
    (void)state;
    static const char *const others[] = {
        "(?<=a)x|y",     "(?<=a)?x",       "(?<=(a))x",     "(?<=a{2})x",  "(?x)(?<=a)x", "(?<=a)(?x) x",
        "(?<=\\x61)x",   "(?<=\\ca)x",     "(?<=[]a])x",    "(?<=[\\w])x", "(?<!ab)x",    "(?<![ab]|c)x",
        "(?<!\\d)x",     "(?<!\\bq)x",     "(?:a)(?<=a)x",  "x(?<=a)",     "\\Q(?<=a)\\E", "(?<=a)[|]|x",
        "(?#c)(?<=a)x",  "(?<=a)x(?#|)",   "(?i:(?<=a))x",  "(*UTF)(?<=a)x",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++)
        if (!allows(others[i], "\x01\x02"))
            fail_msg("%s: some byte turned down", others[i]);
    assert_false(allows("(?<=a)[|]x", "\x01\x02")); /* a '|' in a class is no alternative */
}

/*
 * The property the matcher relies on: wherever a built-in pattern alone
 * (callouts ignored) matches, its table allows the bytes before.
 */
static void test_never_turns_down_a_match(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "10054", "995", "0x2746", "0x80072746", "8007274C", "-2147014842", "730060", "E", "WSAECONNRESET", ":", ": ",
        " ", "=", "#", "(", ")", "[", "]", "'", ".", ",", "-", "system", "error", "Error", "errno", "code", "hr",
        "WinError ", "[Errno ", "os error ", "SocketException (", "Socket Error", "GetLastError", "()", "returned",
        "failed", "ECONNRESET", "ERROR", "ErrorCode", "socket. ", "Win32Exception (", "gaierror(", "unable to recv [",
        "Os { code: ", "error -", "x", "\x1b[31m", "No such host is known", "1",
    };
    struct pattern_set set = {0};
    assert_int_equal(patterns_add_builtin(&set), 0);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    size_t matched = 0;
    for (size_t i = 0; i < set.count; i++) {
        int err;
        PCRE2_SIZE off;
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)set.items[i].text, set.items[i].len, 0, &err, &off, NULL);
        assert_non_null(c);
        struct before_table *t = table_of(set.items[i].text, set.items[i].len);
        for (int round = 0; round < 3000; round++) {
            char s[160];
            size_t n = 0;
            for (int k = 0; k < 6; k++) {
                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                const char *piece = pieces[rng % (sizeof pieces / sizeof pieces[0])];
                memcpy(s + n, piece, strlen(piece));
                n += strlen(piece);
            }
            for (size_t at = 0; at < n; at++)
                if (pcre2_match(c, (PCRE2_SPTR)s, n, at, PCRE2_ANCHORED, md, NULL) >= 0) {
                    matched++;
                    if (!before_allows(t, s, at))
                        fail_msg("%.*s turned down a match at %zu of %.*s", (int)set.items[i].len, set.items[i].text,
                                 at, (int)n, s);
                }
        }
        free(t);
        pcre2_code_free(c);
    }
    assert_true(matched > 1000);
    pcre2_match_data_free(md);
    patterns_free(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_plain_lookbehinds),
        cmocka_unit_test(test_anything_else_allows_all),
        cmocka_unit_test(test_never_turns_down_a_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
