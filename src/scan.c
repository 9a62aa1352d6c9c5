/* The candidate scan: leads found 1, 16 or 32 places at a time, each confirmed by token.c. */
#include "scan.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "token.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

/* The reference: every place tried in turn (a text begins at a word, see token.h). */
static const char *next_scalar(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    for (; p < end; p++) {
        if (token_candidate_at(start, p, end, line_has_wsa))
            return p;
        if (token_text_may_begin(start, p) && token_text_starts_at(p, end))
            return p;
    }
    return NULL;
}

/* Confirms the leads of one block at p: m marks places a code or name may begin, w places a text may. */
static inline const char *confirm(const char *start, const char *p, const char *end, bool line_has_wsa, uint32_t m,
                                  uint32_t w)
{
    for (uint32_t bits = m | w; bits; bits &= bits - 1) {
        unsigned i = (unsigned)__builtin_ctz(bits);
        if (((m >> i) & 1U) && token_candidate_at(start, p + i, end, line_has_wsa))
            return p + i;
        if (((w >> i) & 1U) && token_text_starts_at(p + i, end))
            return p + i;
    }
    return NULL;
}

/* How far past a block the kernels read. */
enum { AFTER = 3 };

/*
 * Where a block of width places at p can be read, from one byte before it to
 * AFTER past it: the input itself or, at the line's start or the stretch's
 * end, pad (width + AFTER + 1 bytes) filled with a copy and zeros (a zero
 * opens no lead).
 */
static inline const char *block_source(size_t width, const char *start, const char *p, const char *end, char *pad)
{
    size_t left = (size_t)(end - p);
    if (p != start && left >= width + AFTER)
        return p;
    memset(pad, 0, width + AFTER + 1);
    pad[0] = p == start ? 0 : p[-1];
    memcpy(pad + 1, p, left < width + AFTER ? left : width + AFTER);
    return pad + 1;
}

#if defined(HAVE_X86) && defined(__GNUC__)
typedef signed char v16 __attribute__((vector_size(16)));


/*
 * The leads of one block, as byte masks (-1 where set), from the bytes one
 * before, at, and one and two after each place. m: "WSA", "0[xX]", "800",
 * "-21", "73<digit>" and, where a number begins, "10[01]", "110" (every code
 * from WSA_BASE up begins so) and "0[01]" (zeros before one); with
 * line_has_wsa, any number's first digit. w: an ASCII letter after none, or
 * a non-ASCII byte.
 */
static inline void leads_v16(v16 prev, v16 b0, v16 b1, v16 b2, bool line_has_wsa, v16 *m, v16 *w)
{
    v16 digit0 = (b0 >= '0') & (b0 <= '9'), digit2 = (b2 >= '0') & (b2 <= '9');
    v16 starts = ~((prev >= '0') & (prev <= '9')), b1_01 = (b1 == '0') | (b1 == '1');
    v16 code = (b0 == '1') & (((b1 == '0') & ((b2 == '0') | (b2 == '1'))) | ((b1 == '1') & (b2 == '0')));
    *m = ((b0 == 'W') & (b1 == 'S') & (b2 == 'A')) | ((b0 == '0') & ((b1 | 0x20) == 'x')) |
         ((b0 == '8') & (b1 == '0') & (b2 == '0')) | ((b0 == '-') & (b1 == '2') & (b2 == '1')) |
         ((b0 == '7') & (b1 == '3') & digit2) | (starts & (code | ((b0 == '0') & b1_01)));
    if (line_has_wsa)
        *m |= digit0 & starts;
    v16 letter0 = ((b0 | 0x20) >= 'a') & ((b0 | 0x20) <= 'z');
    *w = (letter0 & ~(((prev | 0x20) >= 'a') & ((prev | 0x20) <= 'z'))) | (b0 < 0);
}

/* Leads 16 places at a time. */
static const char *next_sse2(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    for (; p < end; p += 16) {
        char pad[1 + 16 + AFTER];
        const char *q = block_source(16, start, p, end, pad);
#define LOAD(at) ((v16)_mm_loadu_si128((const __m128i *)(at)))
        v16 prev = LOAD(q - 1), b0 = LOAD(q), b1 = LOAD(q + 1), b2 = LOAD(q + 2), m, w;
#undef LOAD
        leads_v16(prev, b0, b1, b2, line_has_wsa, &m, &w);
        uint32_t mm = (uint32_t)_mm_movemask_epi8((__m128i)m), wm = (uint32_t)_mm_movemask_epi8((__m128i)w);
        const char *c = mm | wm ? confirm(start, p, end, line_has_wsa, mm, wm) : NULL;
        if (c)
            return c;
    }
    return NULL;
}

/*
 * The AVX2 kernel finds leads as the "Teddy" search of Hyperscan does: each
 * head (a lead's first bytes, ORed with 0x20) falls in one of 8 buckets; for
 * its k-th byte, a byte's low and high nibbles look up the buckets that allow
 * it there, and a place passes when some bucket allows all its bytes. Every
 * head passes, and a few other places, which the confirmations turn down.
 *
 * Code and name heads (the leads of leads_v16, "WSA" also in lower case)
 * have a bucket each, so they pass exactly. With line_has_wsa a number also
 * leads where it may be a code below WSA_BASE: by its first digit (after
 * zeros), from the table (small_firsts), a zero only before another or such
 * a digit (unless 0 is a code). Text heads are the
 * first TOKEN_HEAD bytes of each table text, in buckets by their first byte;
 * on a log's words about one word in 25 passes.
 */
/* A byte range [low, low + span] for in_range, each byte repeated 32 times: read from memory, not remade in the loop. */
struct range {
    uint8_t low[32], span[32];
};
static struct range digits, letters;

static void make_range(struct range *r, unsigned char low, unsigned char span)
{
    memset(r->low, low, sizeof r->low);
    memset(r->span, span, sizeof r->span);
}

enum { NUMBER_BUCKETS = 3, CODE_HEAD = 3 /* bytes of a code or name head */ };
struct heads {
    uint8_t nibbles[TOKEN_HEAD][2][16]; /* byte k: [k][0] by low nibble, [k][1] by high */
};
static struct heads code_heads, text_heads;
/* By a digit's low nibble: 0xFF where a code below WSA_BASE (zeros before it allowed) may begin */
static uint8_t small_firsts[16];
static bool zero_is_code; /* then a zero alone is a code */

/* Lets bucket take byte c (ORed with 0x20) as its heads' k-th. */
static void allow(struct heads *h, size_t k, unsigned char c, unsigned bucket)
{
    c |= 0x20;
    h->nibbles[k][0][c & 15] |= (uint8_t)(1U << bucket);
    h->nibbles[k][1][c >> 4] |= (uint8_t)(1U << bucket);
}

static void make_heads(void)
{
    /* a code or name head's bytes: each a set of bytes, NULL for any; the
     * first NUMBER_BUCKETS lead only where a number begins (see leads_avx2):
     * codes from WSA_BASE up begin 10[01] or 110, after zeros 0[01][01] */
    static const char *const codes[][CODE_HEAD] = {
        {"1", "0", "01"}, {"1", "1", "0"}, {"0", "01", "01"}, {"W", "S", "A"},
        {"0", "xX", NULL}, {"8", "0", "0"}, {"-", "2", "1"}, {"7", "3", "0123456789"},
    };
    _Static_assert(sizeof codes / sizeof codes[0] <= 8, "a bucket for each code head");
    memset(&code_heads, 0, sizeof code_heads);
    for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; i++)
        for (size_t k = 0; k < CODE_HEAD; k++)
            for (unsigned c = 0; c < 256; c++)
                if (!codes[i][k] || (c && strchr(codes[i][k], (int)c)))
                    allow(&code_heads, k, (unsigned char)c, i);
    make_range(&digits, '0', 9);
    make_range(&letters, 'a', 25);
    memset(small_firsts, 0, sizeof small_firsts);
    small_firsts[0] = 0xFF;
    zero_is_code = false;
    for (size_t i = 0; i < table_count(); i++) {
        long code = table_at(i)->code;
        zero_is_code |= code == 0;
        for (; code >= 10 && code < WSA_BASE; code /= 10)
            ;
        if (code < 10)
            small_firsts[code] = 0xFF;
    }
    unsigned char heads[512][TOKEN_HEAD], firsts[256] = {0}, bucket[256] = {0};
    size_t n = token_text_heads(heads, 512), distinct = 0;
    memset(&text_heads, 0, sizeof text_heads);
    /* heads of texts in other scripts (a first byte from 0x80) share bucket 7, which no ASCII byte
     * passes at their first place, so their UTF-8 bytes add no passes on ASCII words */
    for (size_t i = 0; i < n; i++)
        if (!firsts[heads[i][0]]++)
            bucket[heads[i][0]] = heads[i][0] >= 0x80 ? 7 : (unsigned char)(distinct++ % 8);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < TOKEN_HEAD; k++)
            allow(&text_heads, k, heads[i][k], bucket[heads[i][0]]);
}

#define BROADCAST(table) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(table)))

/* For each place, the buckets of h that allow its first n bytes (b[k], ORed with 0x20: nibbles lo[k], hi[k]). */
__attribute__((target("avx2"))) static inline __m256i teddy(const struct heads *h, int n, const __m256i lo[4],
                                                            const __m256i hi[4])
{
    __m256i all = _mm256_set1_epi8(-1);
    for (int k = 0; k < n; k++)
        all = _mm256_and_si256(all, _mm256_and_si256(_mm256_shuffle_epi8(BROADCAST(h->nibbles[k][0]), lo[k]),
                                                     _mm256_shuffle_epi8(BROADCAST(h->nibbles[k][1]), hi[k])));
    return all;
}

/* Bit i set where byte i of b has one of the bits of set. */
__attribute__((target("avx2"))) static inline uint32_t any_of(__m256i b, int set)
{
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_and_si256(b, _mm256_set1_epi8((char)set)),
                                                            _mm256_setzero_si256()));
}

/* Bit i set where byte i of b is in r. */
__attribute__((target("avx2"))) static inline uint32_t in_range(__m256i b, const struct range *r)
{
    __m256i off = _mm256_sub_epi8(b, _mm256_loadu_si256((const __m256i *)r->low));
    __m256i span = _mm256_loadu_si256((const __m256i *)r->span);
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(off, span), off));
}

/* As next_sse2, 32 places at a time, the leads found by teddy. */
__attribute__((target("avx2"))) static const char *next_avx2(const char *start, const char *p, const char *end,
                                                               bool line_has_wsa)
{
    _Static_assert(TOKEN_HEAD == 4 && AFTER == 3, "the heads are read at the block's bytes 0 to 3");
    for (; p < end; p += 32) {
        /* the byte before the block is read apart: a block at the line's start needs no pad */
        char pad[1 + 32 + AFTER];
        const char *q = (size_t)(end - p) >= 32 + AFTER ? p : block_source(32, start, p, end, pad);
        unsigned char before = p == start ? 0 : (unsigned char)p[-1];
        __m256i lo[4], hi[4], nibble = _mm256_set1_epi8(0x0F), b0 = _mm256_loadu_si256((const __m256i *)q);
        for (int k = 0; k < 4; k++) {
            __m256i f = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(q + k)), _mm256_set1_epi8(0x20));
            lo[k] = _mm256_and_si256(f, nibble);
            hi[k] = _mm256_and_si256(_mm256_srli_epi16(f, 4), nibble);
        }
        __m256i codes = teddy(&code_heads, CODE_HEAD, lo, hi), texts = teddy(&text_heads, TOKEN_HEAD, lo, hi);
        /* most blocks hold no head at all: then (but for a small code) no lead either */
        __m256i heads = _mm256_or_si256(codes, texts);
        if (!line_has_wsa && _mm256_testz_si256(heads, heads))
            continue;
        /* digits and letters at each place, then (shifted by one) before it */
        uint32_t digit = in_range(b0, &digits), letter = in_range(_mm256_or_si256(b0, _mm256_set1_epi8(0x20)), &letters);
        uint32_t digit_before = digit << 1 | (uint32_t)ascii_digit((char)before);
        uint32_t letter_before = letter << 1 | (uint32_t)ascii_letter((char)before);
        /* where a number begins: a decimal code's head, or with line_has_wsa a smaller code's first digit */
        uint32_t number = any_of(codes, (1 << NUMBER_BUCKETS) - 1);
        if (line_has_wsa) {
            uint32_t small = digit & any_of(_mm256_shuffle_epi8(BROADCAST(small_firsts), lo[0]), 0xFF);
            uint32_t zero = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b0, _mm256_set1_epi8('0')));
            unsigned char after = (unsigned char)q[32]; /* the byte after the block: a digit that may go on? */
            uint32_t small_after = small >> 1 | (uint32_t)(ascii_digit((char)after) && small_firsts[after & 15]) << 31;
            number |= zero_is_code ? small : small & (~zero | small_after);
        }
        uint32_t mm = (number & ~digit_before) | any_of(codes, 0xFF & ~((1 << NUMBER_BUCKETS) - 1));
        /* a text begins where a letter follows none */
        uint32_t wm = any_of(texts, 0xFF) & ~(letter & letter_before);
        const char *c = mm | wm ? confirm(start, p, end, line_has_wsa, mm, wm) : NULL;
        if (c)
            return c;
    }
    return NULL;
}
#endif

static const char *(*next)(const char *, const char *, const char *, bool);

bool scan_use(enum scan_kernel k)
{
    token_init();
    switch (k) {
    case SCAN_AUTO:
        return scan_use(SCAN_AVX2) || scan_use(SCAN_SSE2) || scan_use(SCAN_SCALAR);
    case SCAN_SCALAR:
        __atomic_store_n(&next, next_scalar, __ATOMIC_RELEASE); /* after its heads (see token_next) */
        return true;
    case SCAN_SSE2:
#if defined(HAVE_X86) && defined(__GNUC__)
        __atomic_store_n(&next, next_sse2, __ATOMIC_RELEASE); /* after its heads (see token_next) */
        return true;
#else
        return false;
#endif
    case SCAN_AVX2:
#if defined(HAVE_X86) && defined(__GNUC__)
        __builtin_cpu_init();
        if (!__builtin_cpu_supports("avx2"))
            return false;
        make_heads();
        __atomic_store_n(&next, next_avx2, __ATOMIC_RELEASE); /* after its heads (see token_next) */
        return true;
#else
        return false;
#endif
    }
    return false;
}

static pthread_once_t chosen = PTHREAD_ONCE_INIT;

static void choose(void)
{
    if (!next)
        scan_use(SCAN_AUTO);
}

const char *token_next(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    /* The first scan may come from several worker threads at once (src/parallel.c):
     * one chooses and builds heads_table, the others wait instead of reading it
     * half made (and making it again under a scan). Once chosen, a kernel is
     * read with acquire order, its heads stored before it with release. */
    const char *(*k)(const char *, const char *, const char *, bool) = __atomic_load_n(&next, __ATOMIC_ACQUIRE);
    if (!k) {
        pthread_once(&chosen, choose);
        k = next;
    }
    return k(start, p, end, line_has_wsa);
}

const char *token_candidate(const char *p, const char *end) { return token_next(p, p, end, false); }
