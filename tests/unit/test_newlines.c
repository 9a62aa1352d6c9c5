/* Newline counting: the vector loops count as one byte at a time does, at every start and length. */
#include "unit.h"

#include "newlines.h"

/* Every start and length in a buffer of newlines at random places, longer than the SSE2 loop's 255 rounds. */
static void test_counts_every_span(void **state)
{
    (void)state;
    static char buf[255 * 16 * 2 + 100];
    uint64_t rng = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < sizeof buf; i++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        buf[i] = rng % 5 == 0 ? '\n' : (char)('a' + rng % 26);
    }
    for (size_t start = 0; start < 70; start++)
        for (size_t n = 0; start + n <= sizeof buf; n += n < 200 ? 1 : 97) {
            size_t want = 0;
            for (size_t i = start; i < start + n; i++)
                want += buf[i] == '\n';
            assert_int_equal(newlines_count(buf + start, n), want);
        }
    memset(buf, '\n', sizeof buf);
    assert_int_equal(newlines_count(buf, sizeof buf), sizeof buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_every_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
