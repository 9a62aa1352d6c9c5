/* The sink: buffered writes that come out intact, write errors kept, a closed pipe a quiet end. */
#include "unit.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>

#include "sink.h"

static void test_dev_full_is_an_error(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    assert_true(fd >= 0);
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 16, false), 0);
    assert_int_equal(sink_write(&s, "hello", 5), 0); /* buffered: nothing written yet */
    assert_int_equal(s.error, 0);
    assert_int_equal(sink_close(&s), -1);
    assert_int_equal(s.error, ENOSPC);
    assert_false(s.broken);
    close(fd);
}

static void test_dev_full_fails_on_overflow(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    assert_true(fd >= 0);
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 16, false), 0);
    assert_int_equal(sink_write(&s, "0123456789", 10), 0);
    assert_int_equal(sink_write(&s, "0123456789", 10), -1); /* the buffer had to go out */
    assert_int_equal(s.error, ENOSPC);
    /* once failed, always failed, and the first errno stays */
    assert_int_equal(sink_write(&s, "x", 1), -1);
    assert_int_equal(sink_printf(&s, "%d", 1), -1);
    assert_int_equal(sink_flush(&s), -1);
    assert_int_equal(sink_end_line(&s), -1);
    assert_int_equal(s.error, ENOSPC);
    assert_int_equal(sink_close(&s), -1);
    close(fd);
}

static void test_dev_full_line_buffered(void **state)
{
    (void)state;
    int fd = open("/dev/full", O_WRONLY);
    assert_true(fd >= 0);
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 4096, true), 0);
    assert_int_equal(sink_write(&s, "line\n", 5), 0);
    assert_int_equal(sink_end_line(&s), -1);
    assert_int_equal(s.error, ENOSPC);
    assert_int_equal(sink_close(&s), -1);
    close(fd);
}

static void test_closed_pipe_is_quiet(void **state)
{
    (void)state;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    struct sink s;
    assert_int_equal(sink_init(&s, p[1], 16, false), 0);
    assert_int_equal(sink_write(&s, "abc", 3), 0);
    assert_int_equal(sink_flush(&s), -1);
    assert_true(s.broken);
    assert_int_equal(s.error, 0);
    assert_int_equal(sink_write(&s, "more", 4), -1);
    assert_int_equal(sink_close(&s), 0); /* not an error */
    assert_int_equal(s.error, 0);
    close(p[1]);

    /* a direct write bigger than the buffer, too */
    assert_int_equal(pipe(p), 0);
    close(p[0]);
    assert_int_equal(sink_init(&s, p[1], 16, false), 0);
    char big[100] = {0};
    assert_int_equal(sink_write(&s, big, sizeof big), -1);
    assert_true(s.broken);
    assert_int_equal(sink_close(&s), 0);
    close(p[1]);
    signal(SIGPIPE, old);
}

static void test_large_writes_intact(void **state)
{
    (void)state;
    enum { BIG = 300000 };
    char *big = malloc(BIG), *want = malloc(2 * BIG + 512);
    assert_non_null(big);
    assert_non_null(want);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (char)('a' + i % 26);
    int fd = unit_tmpfd();
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 100, false), 0);
    size_t n = 0;
    /* small, big (past the buffer), small, an exact fill, big again */
    assert_int_equal(sink_write(&s, "head:", 5), 0);
    memcpy(want + n, "head:", 5), n += 5;
    assert_int_equal(sink_write(&s, big, BIG), 0);
    memcpy(want + n, big, BIG), n += BIG;
    assert_int_equal(sink_write(&s, ":mid:", 5), 0);
    memcpy(want + n, ":mid:", 5), n += 5;
    assert_int_equal(sink_write(&s, big, 95), 0);
    memcpy(want + n, big, 95), n += 95;
    assert_int_equal(sink_write(&s, big + 7, 100), 0);
    memcpy(want + n, big + 7, 100), n += 100;
    assert_int_equal(sink_write(&s, big, BIG - 1), 0);
    memcpy(want + n, big, BIG - 1), n += BIG - 1;
    assert_int_equal(sink_write(&s, "", 0), 0);
    assert_int_equal(sink_write(&s, ":end", 4), 0);
    memcpy(want + n, ":end", 4), n += 4;
    assert_int_equal(sink_close(&s), 0);
    size_t got_len;
    char *got = unit_slurp(fd, &got_len);
    assert_int_equal(got_len, n);
    assert_memory_equal(got, want, n);
    free(got);
    free(big);
    free(want);
    close(fd);
}

/* What a slow reader of a pipe gets: it starts late, then reads a little at a time. */
struct slow_reader {
    size_t cap;
    int fd;
    char *got;
    size_t len;
};

static void *read_slowly(void *arg)
{
    struct slow_reader *r = arg;
    usleep(50000);
    ssize_t n;
    while ((n = read(r->fd, r->got + r->len, r->cap - r->len < 4096 ? r->cap - r->len : 4096)) > 0) {
        r->len += (size_t)n;
        usleep(200);
    }
    return NULL;
}

/*
 * Regression: a non-blocking output that is full (its reader slow) made
 * write(2) fail with EAGAIN, which ended the output as a write error; the
 * sink now waits for room.
 */
static void test_nonblocking_pipe_waits(void **state)
{
    (void)state;
    enum { BIG = 300000 }; /* several times what the pipe holds */
    int fds[2];
    assert_int_equal(pipe2(fds, 0), 0);
    /* only the writer's end: the reader thread blocks until the end */
    assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
    struct slow_reader r = {.cap = BIG + 64, .fd = fds[0], .got = malloc(BIG + 64)};
    char *big = malloc(BIG);
    assert_non_null(r.got);
    assert_non_null(big);
    for (size_t i = 0; i < BIG; i++)
        big[i] = (char)('a' + i % 26);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, read_slowly, &r), 0);
    struct sink s;
    assert_int_equal(sink_init(&s, fds[1], 100, false), 0);
    for (size_t at = 0, k = 60; at < BIG; at += k) { /* through the buffer, and past it */
        k = k == 60 ? 2940 : 60;
        k = k < BIG - at ? k : BIG - at;
        assert_int_equal(sink_write(&s, big + at, k), 0);
    }
    assert_int_equal(sink_close(&s), 0);
    assert_int_equal(s.error, 0);
    close(fds[1]);
    pthread_join(t, NULL);
    assert_int_equal(r.len, BIG);
    assert_memory_equal(r.got, big, BIG);
    free(big);
    free(r.got);
    close(fds[0]);
}

static void test_buffering_and_line_flush(void **state)
{
    (void)state;
    size_t n;
    char *got;
    int fd = unit_tmpfd();
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 64, false), 0);
    assert_int_equal(sink_write(&s, "abc\n", 4), 0);
    assert_int_equal(sink_end_line(&s), 0);
    got = unit_slurp(fd, &n);
    assert_int_equal(n, 0); /* block buffered: still held */
    free(got);
    assert_int_equal(sink_flush(&s), 0);
    got = unit_slurp(fd, &n);
    assert_bytes_equal(got, n, "abc\n", 4);
    free(got);
    assert_int_equal(sink_close(&s), 0);
    close(fd);

    fd = unit_tmpfd();
    assert_int_equal(sink_init(&s, fd, 64, true), 0);
    assert_int_equal(sink_write(&s, "abc\n", 4), 0);
    assert_int_equal(sink_end_line(&s), 0);
    got = unit_slurp(fd, &n);
    assert_bytes_equal(got, n, "abc\n", 4); /* line buffered: out at the end of the line */
    free(got);
    assert_int_equal(sink_close(&s), 0);
    close(fd);
}

static void test_printf(void **state)
{
    (void)state;
    int fd = unit_tmpfd();
    struct sink s;
    assert_int_equal(sink_init(&s, fd, 8, false), 0);
    assert_int_equal(sink_printf(&s, "%ld %s: %s\n", 10054L, "WSAECONNRESET", "Connection reset by peer"), 0);
    char long_arg[5000];
    memset(long_arg, 'z', sizeof long_arg - 1);
    long_arg[sizeof long_arg - 1] = '\0';
    assert_int_equal(sink_printf(&s, "<%s>", long_arg), 0); /* cut to 4095 bytes */
    assert_int_equal(sink_close(&s), 0);
    size_t n;
    char *got = unit_slurp(fd, &n);
    const char *first = "10054 WSAECONNRESET: Connection reset by peer\n";
    size_t fl = strlen(first);
    assert_int_equal(n, fl + 4095);
    assert_memory_equal(got, first, fl);
    assert_int_equal(got[fl], '<');
    for (size_t i = fl + 1; i < n; i++)
        assert_int_equal(got[i], 'z');
    free(got);
    close(fd);
}

/* A memory sink grows from one byte to hold everything, through every writer; flush keeps it. */
static void test_memory_sink_grows(void **state)
{
    (void)state;
    struct sink s;
    assert_int_equal(sink_init_memory(&s, 0), 0);
    char want[70000];
    size_t n = 0;
    for (int i = 0; n + 16 < sizeof want; i++) {
        char piece[16];
        int len = snprintf(piece, sizeof piece, "%d,", i);
        memcpy(want + n, piece, (size_t)len);
        n += (size_t)len;
        if (i % 2)
            assert_int_equal(sink_write(&s, piece, (size_t)len), 0);
        else
            assert_int_equal(sink_printf(&s, "%d,", i), 0);
    }
    assert_int_equal(sink_flush(&s), 0);
    assert_int_equal(sink_end_line(&s), 0);
    assert_bytes_equal(s.buf, s.len, want, n);
    assert_true(s.cap >= n);
    s.len = 0; /* reuse: the buffer stays */
    assert_int_equal(sink_write(&s, LIT("again")), 0);
    assert_bytes_equal(s.buf, s.len, "again", 5);
    assert_int_equal(sink_close(&s), 0);
    assert_null(s.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dev_full_is_an_error),
        cmocka_unit_test(test_dev_full_fails_on_overflow),
        cmocka_unit_test(test_dev_full_line_buffered),
        cmocka_unit_test(test_closed_pipe_is_quiet),
        cmocka_unit_test(test_large_writes_intact),
        cmocka_unit_test(test_nonblocking_pipe_waits),
        cmocka_unit_test(test_buffering_and_line_flush),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_memory_sink_grows),
    };
    return cmocka_run_group_tests_name("sink", tests, NULL, NULL);
}
