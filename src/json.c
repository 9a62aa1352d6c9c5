/* JSON strings and base64 written straight into the sink, no intermediate copy; one member read back. */
#include "json.h"

#include <stdint.h>
#include <string.h>

size_t json_utf8_char(const char *str, size_t n, uint32_t *code_point)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = n > 0 ? s[0] : 0x80;
    size_t need;
    uint32_t cp, min;
    if (c < 0x80) {
        *code_point = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n <= need)
        return 0;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *code_point = cp;
    return need + 1;
}

bool json_utf8_valid(const char *s, size_t n)
{
    uint32_t cp;
    for (size_t i = 0, k; i < n; i += k)
        if ((k = (unsigned char)s[i] < 0x80 ? 1 : json_utf8_char(s + i, n - i, &cp)) == 0)
            return false;
    return true;
}

static bool plain(unsigned char c) { return c >= 0x20 && c != 0x7F && c != '"' && c != '\\'; }

/* Whether s[i] begins a C1 control character (U+0080..U+009F: 0xC2 0x80..0x9F in UTF-8). */
static bool c1_at(const unsigned char *s, size_t i, size_t n)
{
    return s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F;
}

int json_write_string(struct sink *out, const char *str, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    int rc = sink_write(out, "\"", 1);
    size_t i = 0;
    while (i < n && rc == 0) {
        size_t run = i;
        while (run < n && plain(s[run]) && !c1_at(s, run, n))
            run++;
        rc = sink_write(out, str + i, run - i);
        if (run == n || rc < 0)
            break;
        size_t width = c1_at(s, run, n) ? 2 : 1;
        unsigned char c = s[run + width - 1];
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t len = 6;
        switch (width == 1 ? c : 0) {
        case '"': esc[1] = '"', len = 2; break;
        case '\\': esc[1] = '\\', len = 2; break;
        case '\n': esc[1] = 'n', len = 2; break;
        case '\r': esc[1] = 'r', len = 2; break;
        case '\t': esc[1] = 't', len = 2; break;
        default: break;
        }
        rc = sink_write(out, esc, len);
        i = run + width;
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

/* The reader's position in the text. */
struct cursor {
    const char *p, *end;
};

static void skip_space(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static bool next_is(struct cursor *c, char ch)
{
    skip_space(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static int hex_digit(char h)
{
    if (h >= '0' && h <= '9')
        return h - '0';
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    return h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
}

/* Four hex digits at c->p into *v; false if they are not there. */
static bool read_hex4(struct cursor *c, uint32_t *v)
{
    if (c->end - c->p < 4)
        return false;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(*c->p++);
        if (d < 0)
            return false;
        *v = *v << 4 | (uint32_t)d;
    }
    return true;
}

/* Code point cp as UTF-8 into u; returns the byte count. */
static size_t utf8_encode(uint32_t cp, char u[4])
{
    static const unsigned char lead[] = {0, 0, 0xC0, 0xE0, 0xF0};
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    size_t len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (size_t i = len - 1; i > 0; i--, cp >>= 6)
        u[i] = (char)(0x80 | (cp & 0x3F));
    u[0] = (char)(lead[len] | cp);
    return len;
}

/* A \u escape (after the 'u'), a surrogate pair taken whole, as UTF-8 bytes into u; their count or 0. */
static size_t read_unicode(struct cursor *c, char u[4])
{
    uint32_t cp, lo;
    if (!read_hex4(c, &cp) || (cp >= 0xDC00 && cp <= 0xDFFF))
        return 0;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
            return 0;
        c->p += 2;
        if (!read_hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return utf8_encode(cp, u);
}

/* The string at c->p (its opening quote), decoded onto out, or only checked when out is NULL. */
static int read_string(struct cursor *c, struct sink *out)
{
    if (!next_is(c, '"'))
        return -1;
    for (;;) {
        const char *run = c->p;
        while (c->p < c->end && *c->p != '"' && *c->p != '\\' && (unsigned char)*c->p >= 0x20)
            c->p++;
        if (out && sink_write(out, run, (size_t)(c->p - run)) < 0)
            return -1;
        if (c->p == c->end || (unsigned char)*c->p < 0x20)
            return -1;
        if (*c->p++ == '"')
            return 0;
        if (c->p == c->end)
            return -1;
        char u[4];
        size_t len = 1;
        switch (*c->p++) {
        case '"': u[0] = '"'; break;
        case '\\': u[0] = '\\'; break;
        case '/': u[0] = '/'; break;
        case 'b': u[0] = '\b'; break;
        case 'f': u[0] = '\f'; break;
        case 'n': u[0] = '\n'; break;
        case 'r': u[0] = '\r'; break;
        case 't': u[0] = '\t'; break;
        case 'u': len = read_unicode(c, u); break;
        default: len = 0; break;
        }
        if (len == 0 || (out && sink_write(out, u, len) < 0))
            return -1;
    }
}

/* Passes over one value: a string, a nested object or array, or a bare number or literal. */
static int skip_value(struct cursor *c)
{
    size_t depth = 0;
    skip_space(c);
    do {
        if (c->p == c->end)
            return -1;
        char ch = *c->p;
        if (ch == '"') {
            if (read_string(c, NULL) < 0)
                return -1;
        } else if (ch == '{' || ch == '[') {
            depth++, c->p++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0)
                return -1;
            depth--, c->p++;
        } else if (depth > 0) {
            c->p++;
        } else {
            const char *start = c->p;
            while (c->p < c->end && !strchr(",}] \t\r\n", *c->p))
                c->p++;
            return c->p > start ? 0 : -1;
        }
    } while (depth > 0);
    return 0;
}

int json_read_member(const char *s, size_t n, const char *key, struct sink *out)
{
    struct cursor c = {s, s + n};
    size_t start = out->len, key_len = strlen(key);
    if (!next_is(&c, '{'))
        return -1;
    if (next_is(&c, '}'))
        return 0;
    do {
        if (read_string(&c, out) < 0)
            return -1;
        bool wanted = out->len - start == key_len && memcmp(out->buf + start, key, key_len) == 0;
        out->len = start;
        if (!next_is(&c, ':'))
            return -1;
        skip_space(&c);
        if (wanted && c.p < c.end && *c.p == '"')
            return read_string(&c, out) < 0 ? -1 : 1;
        if (skip_value(&c) < 0)
            return -1;
    } while (next_is(&c, ','));
    return next_is(&c, '}') ? 0 : -1;
}
