/* Messages with names the user gave in them, shown so that no terminal escape gets through. */
#include "diag.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

size_t diag_escape(const char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t k = c >= 0x80 ? json_utf8_char(s + i, n - i, &cp) : 1;
        if (k > 0 && ((c >= 0x20 && c != 0x7F && c < 0x80) || cp >= 0xA0)) {
            memcpy(out + w, s + i, k);
            w += k, i += k;
        } else {
            out[w++] = '\\', out[w++] = 'x', out[w++] = hex[c >> 4], out[w++] = hex[c & 15];
            i++;
        }
    }
    return w;
}

/* What a message becomes: its bytes, in a caller's buffer or a new one. */
struct shown {
    char small[1024];
    char *text; /* small, or allocated */
    size_t len;
};

/*
 * prefix, the formatted text escaped, then suffix, into sh. With no memory
 * for a long text, what fits in sh->small is shown.
 */
static void show(struct shown *sh, const char *prefix, const char *suffix, const char *fmt, va_list ap)
{
    char raw[200];
    va_list again;
    va_copy(again, ap);
    int got = vsnprintf(raw, sizeof raw, fmt, ap);
    size_t n = got < 0 ? 0 : (size_t)got, pre = strlen(prefix), post = strlen(suffix);
    char *text = n < sizeof raw ? raw : malloc(n + 1);
    if (text != raw && text)
        vsnprintf(text, n + 1, fmt, again);
    va_end(again);
    if (!text)
        text = raw, n = sizeof raw - 1;
    size_t cap = pre + 4 * n + post;
    sh->text = cap <= sizeof sh->small ? sh->small : malloc(cap);
    if (!sh->text) {
        sh->text = sh->small;
        n = (sizeof sh->small - pre - post) / 4;
    }
    memcpy(sh->text, prefix, pre);
    sh->len = pre + diag_escape(text, n, sh->text + pre);
    memcpy(sh->text + sh->len, suffix, post);
    sh->len += post;
    if (text != raw)
        free(text);
}

static void shown_free(struct shown *sh)
{
    if (sh->text != sh->small)
        free(sh->text);
}

void diag_say(const char *fmt, ...)
{
    struct shown sh;
    va_list ap;
    va_start(ap, fmt);
    show(&sh, "wsaerr: ", "\n", fmt, ap);
    va_end(ap);
    fwrite(sh.text, 1, sh.len, stderr); /* one write: stderr is unbuffered */
    shown_free(&sh);
}

char *diag_vmessage(size_t *len, const char *fmt, va_list ap)
{
    struct shown sh;
    show(&sh, "wsaerr: ", "\n", fmt, ap);
    char *text = malloc(sh.len);
    if (text)
        memcpy(text, sh.text, sh.len);
    *len = sh.len;
    shown_free(&sh);
    return text;
}

int diag_fprint(FILE *out, const char *fmt, ...)
{
    struct shown sh;
    va_list ap;
    va_start(ap, fmt);
    show(&sh, "", "", fmt, ap);
    va_end(ap);
    int rc = fwrite(sh.text, 1, sh.len, out) == sh.len ? 0 : -1;
    shown_free(&sh);
    return rc;
}
