/* Held messages: each printed where it belongs in a block's output, whatever its length. */
#include "unit.h"

#include "held.h"

static void add(struct held *h, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(struct held *h, size_t at, const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    vsnprintf(text, (size_t)n + 1, fmt, again);
    held_put(h, at, text, (size_t)n);
    free(text);
    va_end(again);
    va_end(ap);
}

/* held_write of out[0, len) into one file for both streams (2>&1); returns what it holds. */
static char *written(const struct held *h, const char *out, size_t len, size_t *got)
{
    int fd = unit_tmpfd();
    FILE *err = fdopen(dup(fd), "w");
    assert_non_null(err);
    setvbuf(err, NULL, _IONBF, 0); /* as stderr */
    struct sink sink;
    assert_int_equal(sink_init(&sink, fd, 4, false), 0);
    held_write(h, out, len, &sink, err);
    assert_int_equal(sink_close(&sink), 0);
    fclose(err);
    char *s = unit_slurp(fd, got);
    close(fd);
    return s;
}

static void test_each_at_its_place(void **state)
{
    (void)state;
    static const char out[] = "line 1\nline 2\nline 3\n";
    static const char want[] = "A:1\nline 1\nB:2\nC:2\nline 2\nline 3\nD:4\n";
    struct held h = {0};
    add(&h, 0, "A:%d\n", 1);
    add(&h, 7, "B:%d\n", 2);
    add(&h, 7, "C:%d\n", 2);
    add(&h, 21, "D:%d\n", 4);
    size_t n;
    char *got = written(&h, out, sizeof out - 1, &n);
    assert_bytes_equal(got, n, want, sizeof want - 1);
    free(got);
    held_clear(&h); /* nothing held: the output alone */
    got = written(&h, out, sizeof out - 1, &n);
    assert_bytes_equal(got, n, out, sizeof out - 1);
    free(got);
    held_free(&h);
}

/* A message longer than any fixed buffer (a file's name may be 4 KiB) is kept whole. */
static void test_long_message(void **state)
{
    (void)state;
    static char name[10000], want[20 * sizeof name + 1000];
    memset(name, 'n', sizeof name - 1);
    struct held h = {0};
    size_t w = (size_t)sprintf(want, "ab");
    for (int i = 0; i < 20; i++) {
        add(&h, 2, "wsaerr: %s:%d\n", name, i);
        w += (size_t)sprintf(want + w, "wsaerr: %s:%d\n", name, i);
    }
    w += (size_t)sprintf(want + w, "\n");
    assert_false(h.error);
    size_t n;
    char *got = written(&h, "ab\n", 3, &n);
    assert_int_equal(n, w);
    assert_memory_equal(got, want, w);
    free(got);
    held_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_at_its_place),
        cmocka_unit_test(test_long_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
