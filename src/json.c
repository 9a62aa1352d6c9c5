/* JSON strings and base64 written straight into the sink, no intermediate copy. */
#include "json.h"

#include <stdint.h>

bool json_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + n;
    while (s < end) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        size_t need;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07, min = 0x10000;
        else
            return false;
        if ((size_t)(end - s) <= need)
            return false;
        for (size_t i = 1; i <= need; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += need + 1;
    }
    return true;
}

static bool plain(unsigned char c) { return c >= 0x20 && c != 0x7F && c != '"' && c != '\\'; }

int json_write_string(struct sink *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    int rc = sink_write(out, "\"", 1);
    size_t i = 0;
    while (i < n && rc == 0) {
        size_t run = i;
        while (run < n && plain((unsigned char)s[run]))
            run++;
        rc = sink_write(out, s + i, run - i);
        if (run == n || rc < 0)
            break;
        unsigned char c = (unsigned char)s[run];
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t len = 6;
        switch (c) {
        case '"': esc[1] = '"', len = 2; break;
        case '\\': esc[1] = '\\', len = 2; break;
        case '\n': esc[1] = 'n', len = 2; break;
        case '\r': esc[1] = 'r', len = 2; break;
        case '\t': esc[1] = 't', len = 2; break;
        default: break;
        }
        rc = sink_write(out, esc, len);
        i = run + 1;
    }
    return rc < 0 ? rc : sink_write(out, "\"", 1);
}

int json_write_base64(struct sink *out, const void *data, size_t n)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char chunk[4 * 256];
    size_t used = 0;
    int rc = sink_write(out, "\"", 1);
    for (size_t i = 0; i < n && rc == 0; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        size_t have = n - i < 3 ? n - i : 3;
        if (have > 1)
            v |= (uint32_t)p[i + 1] << 8;
        if (have > 2)
            v |= p[i + 2];
        chunk[used++] = digits[v >> 18 & 63];
        chunk[used++] = digits[v >> 12 & 63];
        chunk[used++] = have > 1 ? digits[v >> 6 & 63] : '=';
        chunk[used++] = have > 2 ? digits[v & 63] : '=';
        if (used == sizeof chunk) {
            rc = sink_write(out, chunk, used);
            used = 0;
        }
    }
    if (rc == 0 && used > 0)
        rc = sink_write(out, chunk, used);
    return rc < 0 ? rc : sink_write(out, "\"", 1);
}
