/* Newline counting, 32 bytes at a time with AVX2 (chosen at run time), else 16 with SSE2. */
#include "newlines.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The newlines of p[0, *done), *done the most whole 32-byte blocks of n. */
__attribute__((target("avx2,popcnt"))) static size_t count_avx2(const char *p, size_t n, size_t *done)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    size_t count = 0, i = 0;
    for (; n - i >= 32; i += 32)
        count += (size_t)__builtin_popcount(
            (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(p + i)), nl)));
    *done = i;
    return count;
}
#endif

size_t newlines_count(const char *p, size_t n)
{
    size_t count = 0, i = 0;
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2"))
        count = count_avx2(p, n, &i);
#endif
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    while (n - i >= 16) {
        /* each matching byte adds 1 (cmpeq gives -1) to its lane; at most 255 rounds before the sum */
        __m128i lanes = _mm_setzero_si128();
        for (size_t round = 0; round < 255 && n - i >= 16; round++, i += 16)
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
        __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        count += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++)
        count += p[i] == '\n';
    return count;
}
