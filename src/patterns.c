/* Pattern files: one PCRE2 pattern a line, blank lines and # comments skipped. */
#include "patterns.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int push(struct pattern_set *set, struct pattern p)
{
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 64;
        struct pattern *items = realloc(set->items, cap * sizeof *items);
        if (!items)
            return -1;
        set->items = items;
        set->cap = cap;
    }
    set->items[set->count++] = p;
    return 0;
}

static int is_skipped(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i == n || p[i] == '#';
}

int patterns_add_text(struct pattern_set *set, const char *file, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark, as Windows editors write */
        p += 3;
    for (unsigned line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (!is_skipped(p, n) && push(set, (struct pattern){file, line, p, n, false}) < 0)
            return -1;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

int patterns_add_builtin(struct pattern_set *set)
{
    for (size_t i = 0; i < builtin_pattern_file_count; i++) {
        const struct builtin_pattern_file *f = &builtin_pattern_files[i];
        size_t first = set->count;
        if (patterns_add_text(set, f->name, f->text, strlen(f->text)) < 0)
            return -1;
        for (size_t k = first; k < set->count; k++)
            set->items[k].token_first = true;
    }
    return 0;
}

/* Reads a whole file ("-": standard input, as grep -f -) into a new buffer; NULL with errno set on failure. */
static char *slurp(const char *path, size_t *len)
{
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b)
                break;
            buf = b;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r == 0) {
            close(fd);
            *len = n;
            return buf;
        }
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0)
            n += (size_t)r;
    }
    int e = buf ? errno : ENOMEM;
    free(buf);
    close(fd);
    errno = e;
    return NULL;
}

int patterns_add_file(struct pattern_set *set, const char *path, struct diag *d)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (strcmp(path, "-") == 0)
        path = "(standard input)";
    char **owned = text ? realloc(set->owned, (set->nowned + 1) * sizeof *owned) : NULL;
    if (!owned) {
        diag_set(d, "%s: %s", path, strerror(text ? ENOMEM : errno));
        free(text);
        return -1;
    }
    set->owned = owned;
    set->owned[set->nowned++] = text;
    if (patterns_add_text(set, path, text, len) < 0) {
        diag_set(d, "%s: %s", path, strerror(ENOMEM));
        return -1;
    }
    return 0;
}

void patterns_free(struct pattern_set *set)
{
    for (size_t i = 0; i < set->nowned; i++)
        free(set->owned[i]);
    free(set->owned);
    free(set->items);
    *set = (struct pattern_set){0};
}
