/* UTF-16 read as UTF-8 and written back: any bytes come back as they were, however they are cut. */
#include "unit.h"

#include "utf16.h"

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static size_t next_random(size_t n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (size_t)(rng % n);
}

/* in[0, n) through utf16_decode or utf16_encode in pieces of at most piece bytes, as a reader or sink gets them. */
static size_t in_pieces(size_t (*codec)(enum utf16, const char *, size_t, bool, char *, size_t, size_t *),
                        enum utf16 enc, const char *in, size_t n, size_t piece, char *out)
{
    char pending[64];
    size_t have = 0, k = 0, at = 0;
    for (;;) {
        size_t take = n - at < piece ? n - at : piece;
        memcpy(pending + have, in + at, take);
        at += take, have += take;
        size_t used;
        k += codec(enc, pending, have, at == n, out + k, 4 * have + 8, &used);
        memmove(pending, pending + used, have - used);
        have -= used;
        if (at == n) {
            assert_int_equal(have, 0);
            return k;
        }
        assert_true(have < 4);
    }
}

/* Random bytes (lone surrogates, pairs, odd lengths) in both byte orders: decoded and encoded back, unchanged. */
static void test_any_bytes_come_back(void **state)
{
    (void)state;
    static const unsigned char units[][2] = {{0x41, 0}, {0x0A, 0}, {0xE9, 0}, {0x2F, 0x95}, {0x3D, 0xD8},
                                             {0x00, 0xDC}, {0xFF, 0xFE}, {0xFF, 0xFF}, {0x00, 0xD8}, {0xFF, 0xDF}};
    for (int round = 0; round < 2000; round++) {
        char in[64], utf8[256], back[256];
        size_t n = 0, want = next_random(30);
        while (n + 2 <= want) {
            const unsigned char *u = units[next_random(sizeof units / sizeof units[0])];
            in[n++] = (char)u[next_random(2) ? 0 : 1], in[n++] = (char)u[1];
        }
        if (next_random(3) == 0)
            in[n++] = (char)next_random(256); /* an odd last byte */
        enum utf16 enc = round % 2 ? UTF16_BE : UTF16_LE;
        size_t m = in_pieces(utf16_decode, enc, in, n, 1 + next_random(7), utf8);
        size_t k = in_pieces(utf16_encode, enc, utf8, m, 1 + next_random(7), back);
        assert_int_equal(k, n);
        assert_memory_equal(back, in, n);
    }
}

static void test_text_and_bom(void **state)
{
    (void)state;
    static const char le[] = "\xff\xfe" "e\0r\0r\0 \0" "\x19\x95" "\x3d\xd8\x00\xde" "\n\0";
    char out[64], back[64];
    size_t used;
    assert_int_equal(utf16_detect(le, sizeof le - 1), UTF16_LE);
    assert_int_equal(utf16_detect("\xfe\xff\0a", 4), UTF16_BE);
    assert_int_equal(utf16_detect("ab", 2), UTF16_NONE);
    size_t m = utf16_decode(UTF16_LE, le, sizeof le - 1, true, out, sizeof out, &used);
    assert_int_equal(used, sizeof le - 1);
    assert_int_equal(m, 3 + 4 + 3 + 4 + 1);
    assert_memory_equal(out, "\xef\xbb\xbf" "err " "\xe9\x94\x99" "\xf0\x9f\x98\x80" "\n", m);
    /* bytes that are no UTF-8 (a file name in a prefix) go out as Latin-1 */
    assert_int_equal(utf16_encode(UTF16_LE, "a\xe9:", 3, true, back, sizeof back, &used), 6);
    assert_memory_equal(back, "a\0\xe9\0:\0", 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_any_bytes_come_back),
        cmocka_unit_test(test_text_and_bom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
