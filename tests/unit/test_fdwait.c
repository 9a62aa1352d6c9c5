/* Waiting on a descriptor: until it is ready, or a signal or a stop comes. */
#include "unit.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include "fdwait.h"
#include "reader.h"

static void nonblocking_pipe(int fds[2])
{
    assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
}

static void *write_later(void *arg)
{
    usleep(30000);
    assert_int_equal(write(*(int *)arg, "x", 1), 1);
    return NULL;
}

static void test_would_block(void **state)
{
    (void)state;
    assert_true(fd_would_block(EAGAIN));
    assert_true(fd_would_block(EWOULDBLOCK));
    assert_false(fd_would_block(EINTR));
    assert_false(fd_would_block(EPIPE));
}

/* An empty pipe: read says EAGAIN; fd_wait returns once the writer has written, and the read then gets it. */
static void test_waits_for_input(void **state)
{
    (void)state;
    int fds[2];
    char c;
    nonblocking_pipe(fds);
    assert_int_equal(read(fds[0], &c, 1), -1);
    assert_true(fd_would_block(errno));
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_later, &fds[1]), 0);
    assert_int_equal(fd_wait(fds[0], POLLIN), 0);
    assert_int_equal(read(fds[0], &c, 1), 1);
    pthread_join(t, NULL);
    assert_int_equal(fd_wait(fds[1], POLLOUT), 0); /* room at once */
    close(fds[0]);
    assert_int_equal(fd_wait(fds[1], POLLOUT), 0); /* the reader gone: the write will say EPIPE */
    close(fds[1]);
}

static void on_alarm(int sig) { (void)sig; }

/* A signal ends the wait with EINTR, as it ends a blocking read (SIGTERM stops wsaerr that way). */
static void test_signal_interrupts(void **state)
{
    (void)state;
    int fds[2];
    nonblocking_pipe(fds);
    struct sigaction sa = {.sa_handler = on_alarm}, old;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    /* again every 30 ms: one that came before the wait began would leave it waiting for good */
    struct itimerval soon = {.it_value = {.tv_usec = 30000}, .it_interval = {.tv_usec = 30000}}, off = {0};
    assert_int_equal(setitimer(ITIMER_REAL, &soon, NULL), 0);
    assert_int_equal(fd_wait(fds[0], POLLIN), -1);
    assert_int_equal(errno, EINTR);
    assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
    sigaction(SIGALRM, &old, NULL);
    close(fds[0]);
    close(fds[1]);
}

/* The idle callback in which the stop comes: after reader_fill's own look, before it waits. */
static bool stop_now(void *ctx)
{
    (void)ctx;
    fd_stop();
    return true;
}

/*
 * A stop asked for between the last look at the stop flag and the wait for
 * input (a SIGTERM at that moment) ends the wait (was a bug: the read
 * blocked until more input came, which on a quiet `tail -f` is never). Run
 * last: a stop is for good. If the wait blocked, the alarm ends the test.
 */
static void test_stop_just_before_waiting(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0); /* blocking, the writer open and silent */
    struct reader r;
    assert_int_equal(reader_init(&r, fds[0], 4096), 0);
    assert_int_equal(fd_stop_init(), 0);
    signal(SIGALRM, SIG_DFL);
    alarm(5);
    assert_int_equal(reader_fill(&r, stop_now, NULL), -1);
    assert_int_equal(errno, EINTR);
    /* from now on at once, with or without an idle callback */
    assert_int_equal(reader_fill(&r, NULL, NULL), -1);
    assert_int_equal(errno, EINTR);
    struct pollfd in = {.fd = fds[0], .events = POLLIN};
    assert_int_equal(fd_wait_input(&in, 1), -1);
    assert_int_equal(errno, EINTR);
    /* input that is there is still read; output still waits for room (what was read goes out) */
    assert_int_equal(write(fds[1], "x", 1), 1);
    assert_int_equal(reader_fill(&r, NULL, NULL), 1);
    assert_int_equal(fd_wait(fds[1], POLLOUT), 0);
    alarm(0);
    reader_free(&r);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_would_block),
        cmocka_unit_test(test_waits_for_input),
        cmocka_unit_test(test_signal_interrupts),
        cmocka_unit_test(test_stop_just_before_waiting), /* last: a stop is for good */
    };
    return cmocka_run_group_tests_name("fdwait", tests, NULL, NULL);
}
