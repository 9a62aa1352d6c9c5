/*
 * The candidate scan: the first place in a stretch of text where a token
 * that resolves could begin. Each lead it finds is confirmed by the exact
 * tests of src/token.c (token_candidate_at, token_text_starts_at), so a
 * stretch it passes over holds no such token; the vector kernels only make
 * leads cheap to find, and every kernel gives the same answers.
 */
#ifndef WSAERR_SCAN_H
#define WSAERR_SCAN_H

#include <stdbool.h>

/*
 * The first place in [p, end) where a token that resolves could begin (or,
 * for HRESULTs, sit), or NULL when there is none. start is the line's first
 * byte (start <= p). Decimal codes count only as whole numbers (see
 * token_candidate_at); with line_has_wsa, codes below WSA_BASE count too.
 */
const char *token_next(const char *start, const char *p, const char *end, bool line_has_wsa);

/*
 * token_next(p, p, end, false) for a stretch of whole lines: NULL means no
 * token that resolves can be in it ("WSA", which lets small codes count, is
 * itself a candidate).
 */
const char *token_candidate(const char *p, const char *end);

enum scan_kernel {
    SCAN_AUTO,   /* the widest this CPU runs */
    SCAN_SCALAR, /* one place at a time: the reference */
    SCAN_SSE2,   /* 16 places at a time */
    SCAN_AVX2,   /* 32 places at a time, text leads sifted by their first two bytes */
};

/*
 * Chooses the kernel (and makes the indexes it needs); false, changing
 * nothing, when this CPU or build lacks it. Not thread-safe: tests call it,
 * before any thread scans, to compare the kernels. Without it the first
 * scan chooses SCAN_AUTO, once, whichever thread it is in.
 */
bool scan_use(enum scan_kernel k);

#endif
