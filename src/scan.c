/* The candidate scan: leads found 1, 16 or 32 places at a time, each confirmed by token.c. */
#include "scan.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "token.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

static bool ascii_letter(unsigned char c) { return (unsigned char)((c | 0x20U) - 'a') < 26; }

/* The reference: every place tried in turn (a text begins at a word, see token.h). */
static const char *next_scalar(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    for (; p < end; p++) {
        if (token_candidate_at(start, p, end, line_has_wsa))
            return p;
        if ((p == start || !ascii_letter((unsigned char)p[-1]) || !ascii_letter((unsigned char)*p)) &&
            token_text_starts_at(p, end))
            return p;
    }
    return NULL;
}

/*
 * Confirms the leads of one block at p: m marks places a code or name may
 * begin, w places a text may. A number found by its first non-zero digit
 * is backed up over the zeros before it, not before from.
 */
static inline const char *confirm(const char *start, const char *from, const char *p, const char *end,
                                  bool line_has_wsa, uint32_t m, uint32_t w)
{
    for (uint32_t bits = m | w; bits; bits &= bits - 1) {
        unsigned i = (unsigned)__builtin_ctz(bits);
        if (((m >> i) & 1U) && token_candidate_at(start, p + i, end, line_has_wsa))
            return token_zeros_before(start, from, p + i, end, line_has_wsa);
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
typedef signed char v32 __attribute__((vector_size(32)));

/*
 * The leads of one block, as byte masks (-1 where set), from the bytes one
 * before, at, and one and two after each place. m: "WSA", "10[01]" or "110"
 * (every code from WSA_BASE up begins so), "0[xX]", "800", "-21",
 * "73<digit>" and, with line_has_wsa, any number's first digit. w: an ASCII
 * letter after none, or a non-ASCII byte.
 */
#define DEFINE_LEADS(V, TARGET)                                                                                    \
    TARGET static inline void leads_##V(V prev, V b0, V b1, V b2, bool line_has_wsa, V *m, V *w)                   \
    {                                                                                                              \
        V digit0 = (b0 >= '0') & (b0 <= '9'), digit2 = (b2 >= '0') & (b2 <= '9');                                  \
        V code = (b0 == '1') & (((b1 == '0') & ((b2 == '0') | (b2 == '1'))) | ((b1 == '1') & (b2 == '0')));        \
        *m = ((b0 == 'W') & (b1 == 'S') & (b2 == 'A')) | code | ((b0 == '0') & ((b1 | 0x20) == 'x')) |             \
             ((b0 == '8') & (b1 == '0') & (b2 == '0')) | ((b0 == '-') & (b1 == '2') & (b2 == '1')) |               \
             ((b0 == '7') & (b1 == '3') & digit2);                                                                 \
        if (line_has_wsa)                                                                                          \
            *m |= digit0 & ~((prev >= '0') & (prev <= '9'));                                                       \
        V letter0 = ((b0 | 0x20) >= 'a') & ((b0 | 0x20) <= 'z');                                                   \
        *w = (letter0 & ~(((prev | 0x20) >= 'a') & ((prev | 0x20) <= 'z'))) | (b0 < 0);                            \
    }

DEFINE_LEADS(v16, )
DEFINE_LEADS(v32, __attribute__((target("avx2"))))

/* Leads 16 places at a time. */
static const char *next_sse2(const char *start, const char *p, const char *end, bool line_has_wsa)
{
    const char *from = p;
    for (; p < end; p += 16) {
        char pad[1 + 16 + AFTER];
        const char *q = block_source(16, start, p, end, pad);
#define LOAD(at) ((v16)_mm_loadu_si128((const __m128i *)(at)))
        v16 prev = LOAD(q - 1), b0 = LOAD(q), b1 = LOAD(q + 1), b2 = LOAD(q + 2), m, w;
#undef LOAD
        leads_v16(prev, b0, b1, b2, line_has_wsa, &m, &w);
        uint32_t mm = (uint32_t)_mm_movemask_epi8((__m128i)m), wm = (uint32_t)_mm_movemask_epi8((__m128i)w);
        const char *c = mm | wm ? confirm(start, from, p, end, line_has_wsa, mm, wm) : NULL;
        if (c)
            return c;
    }
    return NULL;
}

/*
 * Text leads sifted by their first TOKEN_HEAD bytes (ORed with 0x20), as in
 * the "Teddy" search of Hyperscan: each text's head falls in one of 8
 * buckets (texts with one first byte share one); for its k-th byte, a byte's
 * low and high nibbles look up the buckets that allow it there, and a place
 * passes when some bucket allows all its bytes. A superset of the heads, so
 * no text is missed; on a log's words it passes about one word in 25.
 */
static uint8_t heads_table[2 * TOKEN_HEAD][16]; /* byte k: [2k] by low nibble, [2k + 1] by high */

static void make_heads_table(void)
{
    unsigned char heads[512][TOKEN_HEAD], firsts[256] = {0}, bucket[256] = {0};
    size_t n = token_text_heads(heads, 512), distinct = 0;
    memset(heads_table, 0, sizeof heads_table);
    for (size_t i = 0; i < n; i++)
        if (!firsts[heads[i][0]]++)
            bucket[heads[i][0]] = (unsigned char)(distinct++ % 8);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < TOKEN_HEAD; k++) {
            heads_table[2 * k][heads[i][k] & 15] |= (uint8_t)(1U << bucket[heads[i][0]]);
            heads_table[2 * k + 1][heads[i][k] >> 4] |= (uint8_t)(1U << bucket[heads[i][0]]);
        }
}

/* The buckets of heads_table that allow byte b (ORed with 0x20) as a head's k-th. */
__attribute__((target("avx2"))) static inline __m256i head_buckets(v32 b, size_t k)
{
    __m256i f = (__m256i)(b | 0x20), nibble = _mm256_set1_epi8(0x0F);
    __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)heads_table[2 * k]));
    __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)heads_table[2 * k + 1]));
    return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(f, nibble)),
                            _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(f, 4), nibble)));
}

/* As next_sse2, 32 places at a time, with w sifted by heads_table. */
__attribute__((target("avx2"))) static const char *next_avx2(const char *start, const char *p, const char *end,
                                                               bool line_has_wsa)
{
    _Static_assert(TOKEN_HEAD == 4 && AFTER == 3, "the heads are read at the block's bytes 0 to 3");
    const char *from = p;
    for (; p < end; p += 32) {
        char pad[1 + 32 + AFTER];
        const char *q = block_source(32, start, p, end, pad);
#define LOAD(at) ((v32)_mm256_loadu_si256((const __m256i *)(at)))
        v32 prev = LOAD(q - 1), b0 = LOAD(q), b1 = LOAD(q + 1), b2 = LOAD(q + 2), b3 = LOAD(q + 3), m, w;
#undef LOAD
        __m256i buckets = _mm256_and_si256(_mm256_and_si256(head_buckets(b0, 0), head_buckets(b1, 1)),
                                           _mm256_and_si256(head_buckets(b2, 2), head_buckets(b3, 3)));
        leads_v32(prev, b0, b1, b2, line_has_wsa, &m, &w);
        w &= ~(v32)_mm256_cmpeq_epi8(buckets, _mm256_setzero_si256());
        uint32_t mm = (uint32_t)_mm256_movemask_epi8((__m256i)m), wm = (uint32_t)_mm256_movemask_epi8((__m256i)w);
        const char *c = mm | wm ? confirm(start, from, p, end, line_has_wsa, mm, wm) : NULL;
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
        next = next_scalar;
        return true;
    case SCAN_SSE2:
#if defined(HAVE_X86) && defined(__GNUC__)
        next = next_sse2;
        return true;
#else
        return false;
#endif
    case SCAN_AVX2:
#if defined(HAVE_X86) && defined(__GNUC__)
        __builtin_cpu_init();
        if (!__builtin_cpu_supports("avx2"))
            return false;
        make_heads_table();
        next = next_avx2;
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
     * half made (and making it again under a scan). */
    pthread_once(&chosen, choose);
    return next(start, p, end, line_has_wsa);
}

const char *token_candidate(const char *p, const char *end) { return token_next(p, p, end, false); }
