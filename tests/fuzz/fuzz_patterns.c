/*
 * libFuzzer target: a user pattern file (--patterns FILE) through
 * patterns_add_file and matcher_new, then matched against its own text.
 * Besides "no crash, no sanitizer report": a rejected file says why; JIT and
 * interpreter accept the same files and find the same spans and rows; every
 * match lies inside the subject and names a table row.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "matcher.h"
#include "patterns.h"

enum { MAX_MATCHES = 64 };

static void broken(const char *what)
{
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
}

/* The matcher for the file at path, or NULL with a message in d. */
static struct matcher *load(struct pattern_set *set, const char *path, bool use_jit, struct diag *d)
{
    d->msg[0] = '\0';
    if (patterns_add_file(set, path, d) < 0)
        return NULL;
    return matcher_new(set, use_jit, d);
}

/* Walks both matchers over s as the annotator does; they must agree. */
static void compare(struct matcher *a, struct matcher *b, const char *s, size_t len, bool wsa, bool partial)
{
    size_t from = 0;
    for (int k = 0; k < MAX_MATCHES && from < len; k++) {
        struct match ma, mb;
        int ra = matcher_next(a, s, len, from, 0, partial, wsa, &ma);
        int rb = matcher_next(b, s, len, from, 0, partial, wsa, &mb);
        if (ra < 0 || rb < 0 || ra == 0 || rb == 0) {
            if (ra >= 0 && rb >= 0 && ra != rb)
                broken("JIT and interpreter disagree on whether there is a match");
            return;
        }
        if (ra != rb || ma.start != mb.start || ma.end != mb.end)
            broken("JIT and interpreter give different spans");
        if (ma.start > ma.end || ma.end > len)
            broken("match outside the subject");
        if (ra == MATCH_PARTIAL)
            return;
        if (!ma.error || ma.error != mb.error || ma.tok_start != mb.tok_start || ma.tok_end != mb.tok_end ||
            ma.tok_end > len || ma.tok_start > ma.tok_end)
            broken("JIT and interpreter give different tokens, or a token without a row");
        from = ma.end > ma.start ? ma.end : ma.start + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-patterns", 0);
    if (fd < 0 || (size > 0 && write(fd, data, size) != (ssize_t)size))
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    struct pattern_set sj = {0}, si = {0};
    struct diag dj, di;
    struct matcher *mj = load(&sj, path, true, &dj);
    struct matcher *mi = load(&si, path, false, &di);
    close(fd);
    if (!mj != !mi)
        broken("JIT and interpreter builds accept different pattern files");
    if ((!mj && dj.msg[0] == '\0') || (!mi && di.msg[0] == '\0'))
        broken("a rejected pattern file without a message");
    if (mj) {
        const char *s = (const char *)data;
        compare(mj, mi, s, size, false, false);
        compare(mj, mi, s, size, true, true);
    }
    matcher_free(mj);
    matcher_free(mi);
    patterns_free(&sj);
    patterns_free(&si);
    return 0;
}
