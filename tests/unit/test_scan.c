/* The candidate scan: every vector kernel gives the reference's answers, at every offset. */
#include "unit.h"

#include "scan.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static size_t pick(size_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (size_t)(rng % n);
}

/* Pieces of what real lines hold around tokens, and of the tokens themselves. */
static const char *const pieces[] = {
    "WSA", "WSAECONNRESET", "WSAStartup", "10054", "11001", "10100", "110", "100", "0x2746", "0X80072746",
    "8007274C", "-2147014842", "-21", "730060", "73", "997", "87", "0", "00", "9", "6", "5", " ", ":", "\n", "[", "(", "e",
    "An existing connection was forcibly closed by the remote host", "an existing", "The ", "No such host is known",
    "No such", "INFO", "items", "the ", "in ", "x", "\xe8\xbf\x9c\xe7\xa8\x8b\xe4\xb8\xbb\xe6\x9c\xba",
    "\xe8\xbf\x9c", "\xff", "\x80", "Z",
};

/* The first candidate from p under kernel k, as an offset from s, or -1. */
static long next_with(enum scan_kernel k, const char *s, size_t p, size_t n, bool wsa)
{
    assert_true(scan_use(k));
    const char *c = token_next(s, s + p, s + n, wsa);
    return c ? (long)(c - s) : -1;
}

/*
 * Rounds of random subjects: fewer where everything runs slower (valgrind,
 * see scripts/test; the unoptimised ASan build, where the kernels' vector
 * intrinsics are calls: 4000 rounds took 59 s of the 60 allowed).
 */
static int rounds_for(int rounds)
{
    const char *scale = getenv("WSAERR_TIME_SCALE");
    int s = scale ? atoi(scale) : 1;
#if defined(__SANITIZE_ADDRESS__) && !defined(__OPTIMIZE__)
    s = s > 4 ? s : 4;
#endif
    return s > 1 ? rounds / s : rounds;
}

static size_t compare_kernel(enum scan_kernel k, int rounds)
{
    char s[200];
    size_t compared = 0;
    for (int round = 0; round < rounds; round++) {
        size_t n = 0, want = 1 + pick(150);
        while (n < want) {
            const char *piece = pieces[pick(sizeof pieces / sizeof pieces[0])];
            size_t len = strlen(piece);
            if (n + len > sizeof s)
                break;
            memcpy(s + n, piece, len);
            n += len;
        }
        for (int wsa = 0; wsa < 2; wsa++) {
            /* the reference from every place, in one pass: from p up to a candidate c, it is c */
            long want[sizeof s + 1];
            for (size_t p = 0; p <= n;) {
                long c = next_with(SCAN_SCALAR, s, p, n, wsa);
                for (size_t upto = c < 0 ? n : (size_t)c; p <= upto; p++)
                    want[p] = c;
            }
            for (size_t p = 0; p <= n; p++) {
                long got = next_with(k, s, p, n, wsa);
                if (want[p] != got) {
                    unit_print_escaped("subject", s, n);
                    fail_msg("kernel %d from %zu (wsa %d): %ld, reference %ld", (int)k, p, wsa, got, want[p]);
                }
                compared++;
            }
        }
    }
    return compared;
}

/* Kernel k gives the reference's answers on random subjects (skipped where this CPU lacks it). */
static void agrees(enum scan_kernel k)
{
    if (!scan_use(k))
        skip();
    int rounds = rounds_for(4000);
    assert_true(compare_kernel(k, rounds) >= 2 * (size_t)rounds);
}

static void test_sse2_agrees(void **state)
{
    (void)state;
    agrees(SCAN_SSE2);
}

static void test_avx2_agrees(void **state)
{
    (void)state;
    agrees(SCAN_AVX2);
}

/* A lead in the padded tail and one right at a block's edge are found by every kernel. */
static void test_block_edges(void **state)
{
    (void)state;
    char s[100];
    for (enum scan_kernel k = SCAN_SCALAR; k <= SCAN_AVX2; k++) {
        if (!scan_use(k))
            continue;
        for (size_t at = 0; at + 5 <= sizeof s; at++) {
            memset(s, 'q', sizeof s);
            memcpy(s + at, "10054", 5);
            assert_int_equal(next_with(k, s, 0, at + 5, false), (long)at);
            assert_int_equal(next_with(k, s, 0, sizeof s, false), (long)at);
            /* the token cut by the stretch's end is still a lead where a code prefix stands */
            assert_int_equal(next_with(k, s, 0, at + 3, false), -1);
        }
    }
}

/* A decimal code counts where a number begins: at its first zero, never after a digit. */
static void test_number_start(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        long at;
    } cases[] = {
        {"error 10054 x", 6}, {"error 0010054 x", 6}, {"error 710054 x", -1}, {"error 7010054 x", -1},
        {"v1.10054", 3},      {"port:10061", 5},      {"x0010061", 1},        {"10061", 0},
    };
    for (enum scan_kernel k = SCAN_SCALAR; k <= SCAN_AVX2; k++) {
        if (!scan_use(k))
            continue;
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            if (next_with(k, cases[i].s, 0, strlen(cases[i].s), false) != cases[i].at)
                fail_msg("kernel %d: \"%s\": %ld, want %ld", (int)k, cases[i].s,
                         next_with(k, cases[i].s, 0, strlen(cases[i].s), false), cases[i].at);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sse2_agrees),
        cmocka_unit_test(test_avx2_agrees),
        cmocka_unit_test(test_block_edges),
        cmocka_unit_test(test_number_start),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    scan_use(SCAN_AUTO);
    return rc;
}
