/* UTF-16 to UTF-8 and back, losing nothing. */
#include "utf16.h"

enum utf16 utf16_detect(const char *buf, size_t n)
{
    if (n >= 2 && buf[0] == '\xff' && buf[1] == '\xfe')
        return UTF16_LE;
    if (n >= 2 && buf[0] == '\xfe' && buf[1] == '\xff')
        return UTF16_BE;
    return UTF16_NONE;
}

static unsigned unit_at(enum utf16 enc, const char *p)
{
    unsigned a = (unsigned char)p[0], b = (unsigned char)p[1];
    return enc == UTF16_BE ? a << 8 | b : b << 8 | a;
}

static void put_unit(enum utf16 enc, unsigned u, char *out)
{
    out[enc == UTF16_BE ? 0 : 1] = (char)(u >> 8);
    out[enc == UTF16_BE ? 1 : 0] = (char)(u & 0xFF);
}

/* c (at most 0x10FFFF, a surrogate too) as UTF-8 into out; its length. */
static size_t put_utf8(unsigned long c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | c >> 6), out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | c >> 12), out[1] = (char)(0x80 | (c >> 6 & 0x3F)), out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | c >> 18), out[1] = (char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (char)(0x80 | (c >> 6 & 0x3F)), out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t utf16_decode(enum utf16 enc, const char *in, size_t n, bool last, char *out, size_t room, size_t *used)
{
    size_t i = 0, k = 0;
    while (i + 2 <= n && room - k >= 4) {
        unsigned long c = unit_at(enc, in + i);
        size_t take = 2;
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 4 > n && !last)
                break; /* its low half may follow */
            unsigned lo = i + 4 <= n ? unit_at(enc, in + i + 2) : 0;
            if (lo >= 0xDC00 && lo <= 0xDFFF)
                c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00), take = 4;
        }
        k += put_utf8(c, out + k);
        i += take;
    }
    if (last && i + 1 == n && room - k >= 2) {
        out[k++] = UTF16_RAW;
        out[k++] = in[i++];
    }
    *used = i;
    return k;
}

/* The length of the UTF-8 sequence a lead byte begins (1 for ASCII or a byte that leads none). */
static size_t sequence_length(unsigned char b)
{
    return b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
}

size_t utf16_encode(enum utf16 enc, const char *in, size_t n, bool last, char *out, size_t room, size_t *used)
{
    size_t i = 0, k = 0;
    while (i < n && room - k >= 4) {
        unsigned char b = (unsigned char)in[i];
        if (in[i] == UTF16_RAW) { /* an odd last byte: itself */
            if (i + 2 > n && !last)
                break;
            if (i + 1 < n) {
                out[k++] = in[i + 1];
                i += 2;
                continue;
            }
        }
        size_t len = sequence_length(b), j = 1;
        if (i + len > n && !last)
            break; /* the rest of it may follow */
        while (j < len && i + j < n && ((unsigned char)in[i + j] & 0xC0) == 0x80)
            j++;
        unsigned long c = b;
        if (len > 1 && j == len) {
            c = b & (0x7F >> len);
            for (size_t m = 1; m < len; m++)
                c = c << 6 | ((unsigned char)in[i + m] & 0x3F);
        } else {
            j = 1; /* not UTF-8: the byte as Latin-1 */
        }
        if (c >= 0x10000) {
            put_unit(enc, (unsigned)(0xD800 + ((c - 0x10000) >> 10)), out + k);
            put_unit(enc, (unsigned)(0xDC00 + ((c - 0x10000) & 0x3FF)), out + k + 2);
            k += 4;
        } else {
            put_unit(enc, (unsigned)c, out + k);
            k += 2;
        }
        i += j;
    }
    *used = i;
    return k;
}
