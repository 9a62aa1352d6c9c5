/*
 * Worker threads over a regular file: byte for byte the output of one
 * thread, with small blocks so every edge is crossed many times (lines cut
 * by a block's end, lines longer than a block, no final newline), in every
 * output mode, and --summary, --json line numbers and the annotated count
 * as one thread gives them.
 */
#include "unit.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "filter.h"
#include "parallel.h"
#include "scan.h"
#include "status.h"
#include "unit_matcher.h"

/* reader_grow, failing (at most grow_failures times) for buffers of grow_fails_from bytes or more. */
int __real_reader_grow(struct reader *r);
static size_t grow_fails_from = SIZE_MAX;
static int grow_failures;

int __wrap_reader_grow(struct reader *r)
{
    if (r->cap >= grow_fails_from && grow_failures > 0) {
        grow_failures--;
        return -1;
    }
    return __real_reader_grow(r);
}

/*
 * realloc, failing past 4 KiB in worker threads while workers_short_of_memory:
 * there a block's memory sink grows (from 2.5 KiB), a line's notes (a few
 * dozen) do not.
 */
void *__real_realloc(void *p, size_t n);
static bool workers_short_of_memory;
static pthread_t main_thread;

void *__wrap_realloc(void *p, size_t n)
{
    if (workers_short_of_memory && n > 4096 && !pthread_equal(pthread_self(), main_thread))
        return NULL;
    return __real_realloc(p, n);
}

/*
 * read(2) on two descriptors a test picks: on would_block_fd, failing with
 * EAGAIN every third time (a pipe another reader empties first); on
 * read_fails_fd, failing with EIO once read_budget bytes of it are read.
 */
ssize_t __real_read(int fd, void *buf, size_t n);
static int would_block_fd = -1, read_fails_fd = -1;
static unsigned would_block_reads;
static size_t read_budget;

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    if (fd == would_block_fd && ++would_block_reads % 3 == 0) {
        errno = EAGAIN;
        return -1;
    }
    if (fd != read_fails_fd)
        return __real_read(fd, buf, n);
    if (read_budget == 0) {
        errno = EIO;
        return -1;
    }
    ssize_t got = __real_read(fd, buf, n < read_budget ? n : read_budget);
    read_budget -= got > 0 ? (size_t)got : 0;
    return got;
}

/* What one run gives: output, status, standard error, --summary text, annotated lines. */
struct outcome {
    char *out, *err, *summary;
    size_t out_len, err_len, summary_len;
    int status;
    off_t offset; /* of the input file, afterwards */
    unsigned long long annotated;
};

/* A regular file (memfd) holding s[0, n), at offset 0. */
static int file_of(const char *s, size_t n)
{
    int fd = memfd_create("wsaerr-parallel", 0);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, s, n), (ssize_t)n);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

/* With workers, the input comes through a pipe from a child writing it in uneven pieces with pauses. */
static bool through_pipe;
static bool pipe_would_block; /* and its reads now and then find nothing (EAGAIN) */
static pid_t writer;

/* The read end of a pipe a child fills with s[0, n): pieces of 1 to 3000 bytes, now and then a pause. */
static int pipe_of(const char *s, size_t n)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    writer = fork();
    assert_true(writer >= 0);
    if (writer == 0) {
        close(fds[0]);
        srand((unsigned)n);
        for (size_t at = 0, k; at < n; at += k) {
            k = 1 + (size_t)rand() % 3000;
            k = k < n - at ? k : n - at;
            if (write(fds[1], s + at, k) != (ssize_t)k)
                _exit(1);
            if (rand() % 8 == 0)
                usleep(300);
        }
        _exit(0);
    }
    close(fds[1]);
    return fds[0];
}

/* Runs the filter with matcher m over s with workers threads (0: filter_fd alone). */
static struct outcome run_with(struct matcher *m, const struct config *cfg, const char *s, size_t n, size_t workers)
{
    struct outcome o = {0};
    bool piped = through_pipe && workers > 0;
    int in = piped ? pipe_of(s, n) : file_of(s, n), out = unit_tmpfd(), err = unit_tmpfd();
    would_block_fd = piped && pipe_would_block ? in : -1;
    int saved_err = dup(STDERR_FILENO);
    struct sink sink;
    struct filter f;
    struct summary sum;
    assert_int_equal(sink_init(&sink, out, 100, false), 0);
    assert_int_equal(filter_init(&f, cfg, m, &sink, NULL), 0);
    assert_int_equal(summary_init(&sum), 0);
    f.summary = cfg->summary ? &sum : NULL;
    fflush(stderr);
    dup2(err, STDERR_FILENO);
    o.status = workers ? parallel_fd(&f, in, "log", workers) : filter_fd(&f, in, "log");
    fflush(stderr);
    dup2(saved_err, STDERR_FILENO);
    close(saved_err);
    assert_true(o.status >= 0);
    o.offset = lseek(in, 0, SEEK_CUR);
    if (piped) {
        /* a pipe has no offset: n less what is left unread (read now, so the writer can finish) */
        char rest[4096];
        ssize_t k;
        int st;
        would_block_fd = -1;
        o.offset = (off_t)n;
        while ((k = read(in, rest, sizeof rest)) > 0)
            o.offset -= k;
        assert_int_equal(waitpid(writer, &st, 0), writer);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    sink_close(&sink);
    o.annotated = f.annotated;
    filter_free(&f);
    o.out = unit_slurp(out, &o.out_len);
    o.err = unit_slurp(err, &o.err_len);
    FILE *text = tmpfile();
    assert_non_null(text);
    summary_print(&sum, text);
    rewind(text);
    o.summary = unit_slurp(fileno(text), &o.summary_len);
    fclose(text);
    summary_free(&sum);
    close(in);
    close(out);
    close(err);
    return o;
}

static struct outcome run(const struct config *cfg, const char *s, size_t n, size_t workers)
{
    return run_with(unit_matcher, cfg, s, n, workers);
}

static void free_outcome(struct outcome *o)
{
    free(o->out);
    free(o->err);
    free(o->summary);
}

static const char *const lines[] = {
    "2026-11-02 ERROR ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the "
    "remote host\n",
    "2026-11-02 INFO  [http] 10.0.1.2:10061 -> 10.0.2.1:443 keep-alive\n",
    "2026-11-02 DEBUG [kv] WSAStartup ok, version 2.2, handle 8123\n",
    "recv failed with error 10060 (WSAETIMEDOUT)\n",
    "plain line\n",
    "\n",
    "Windows Update failed with 0x80072746\r\n",
    "No connection could be made because the target machine actively refused it.\n",
    "A request to send or receive data was disallowed because the socket is not connected and (when sending on a "
    "datagram socket using a sendto call) no address was supplied\n",
    "[WinError 997] and [WinError 10035]\n",
};

/* A log of random lines, some far longer than a block; maybe without a final newline. */
static size_t make_log(char *buf, size_t cap, unsigned seed)
{
    size_t n = 0;
    srand(seed);
    while (n + 7000 < cap) {
        int r = rand() % 40;
        if (r == 0) { /* a long line: many codes, across several blocks */
            size_t len = 200 + (size_t)(rand() % 6000);
            for (size_t i = 0; i < len; i++)
                buf[n++] = i % 37 == 5 ? ' ' : (char)('a' + rand() % 26);
            memcpy(buf + n, " errno 10054 WSAEINTR\n", 22);
            n += 22;
        } else {
            const char *l = lines[(size_t)rand() % (sizeof lines / sizeof lines[0])];
            memcpy(buf + n, l, strlen(l));
            n += strlen(l);
        }
    }
    if (seed % 2) /* no final newline */
        n--;
    return n;
}

static void expect_same_with(struct matcher *m, const struct config *cfg, const char *log, size_t n)
{
    struct outcome one = run_with(m, cfg, log, n, 0);
    assert_int_equal(one.offset, (off_t)n);
    for (size_t workers = 2; workers <= 5; workers += 3) {
        struct outcome many = run_with(m, cfg, log, n, workers);
        assert_int_equal(many.offset, one.offset); /* the file offset ends where one thread leaves it */
        assert_int_equal(many.status, one.status);
        assert_int_equal(many.out_len, one.out_len);
        assert_memory_equal(many.out, one.out, one.out_len);
        assert_string_equal(many.err, one.err);
        assert_string_equal(many.summary, one.summary);
        assert_int_equal(many.annotated, one.annotated);
        free_outcome(&many);
    }
    free_outcome(&one);
}

static void expect_same_as_one_thread(const struct config *cfg, const char *log, size_t n)
{
    expect_same_with(unit_matcher, cfg, log, n);
}

/*
 * The first scan of a process, in several threads at once (as workers make
 * it on a large file): each must find what one thread finds. The kernel was
 * chosen by every thread that saw none yet, so one rebuilt the AVX2 kernel's
 * heads_table (cleared, then filled) under another's scan, which then missed
 * texts. Each round is a child process, whose first scan that is; must run
 * before this process scans at all. Timing decides whether a round hits it;
 * ThreadSanitizer reports it every time.
 */
enum { FIRST_SCANNERS = 6, FIRST_SCAN_ROUNDS = 100, SCAN_LINES = 64 };

static const char scan_line[] = "An existing connection was forcibly closed by the remote host\n";
static char scan_subject[SCAN_LINES * (sizeof scan_line - 1)];
static pthread_barrier_t scan_start;

/* How many candidates the scan finds in scan_subject: one per line. */
static size_t candidates(void)
{
    size_t n = 0;
    const char *end = scan_subject + sizeof scan_subject;
    for (const char *c = scan_subject; (c = token_candidate(c, end)) != NULL; c += sizeof scan_line - 1)
        n++;
    return n;
}

static void *first_scan(void *arg)
{
    bool *found = arg;
    pthread_barrier_wait(&scan_start);
    *found = true;
    for (int i = 0; i < 200; i++)
        *found &= candidates() == SCAN_LINES;
    return NULL;
}

/* One child's run: exit status 0 when every thread found the text. */
static int first_scans(void)
{
    pthread_t t[FIRST_SCANNERS];
    bool found[FIRST_SCANNERS];
    if (pthread_barrier_init(&scan_start, NULL, FIRST_SCANNERS) != 0)
        return 2;
    for (size_t i = 0; i < FIRST_SCANNERS; i++)
        if (pthread_create(&t[i], NULL, first_scan, &found[i]) != 0)
            return 2;
    int missed = 0;
    for (size_t i = 0; i < FIRST_SCANNERS; i++) {
        pthread_join(t[i], NULL);
        missed |= !found[i];
    }
    return missed;
}

static void test_first_scan_in_threads(void **state)
{
    (void)state;
    for (size_t i = 0; i < SCAN_LINES; i++)
        memcpy(scan_subject + i * (sizeof scan_line - 1), scan_line, sizeof scan_line - 1);
    for (int round = 0; round < FIRST_SCAN_ROUNDS; round++) {
        fflush(NULL);
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0)
            _exit(first_scans());
        int st;
        assert_int_equal(waitpid(child, &st, 0), child);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    assert_int_equal(candidates(), SCAN_LINES); /* what the children looked for */
}

static void test_every_mode(void **state)
{
    (void)state;
    static char log[120000];
    struct config modes[] = {
        {.prefilter = true},
        {.prefilter = true, .color = true},
        {.prefilter = true, .strip = true},
        {.prefilter = true, .summary = true},
        {.prefilter = true, .json = true},
        {.prefilter = true, .only_annotated = true},
        {.prefilter = true, .only_annotated = true, .json = true},
        {.prefilter = true, .line_number = true, .with_filename = true},
        {.prefilter = true, .only_annotated = true, .line_number = true, .color = true},
    };
    for (unsigned seed = 1; seed <= 4; seed++) {
        size_t n = make_log(log, sizeof log, seed);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++)
            /* from 1 KiB up one thread's output is exact for lines longer than its buffer too (see
             * tests/fuzz/fuzz_filter.c); the blocks are twice the buffer with 2 workers, the buffer with 5 */
            for (size_t buffer = 1024; buffer <= 4096; buffer *= 4) {
                struct config cfg = modes[m];
                cfg.mode = MODE_FILTER, cfg.use_jit = true, cfg.buffer_size = buffer;
                expect_same_as_one_thread(&cfg, log, n);
            }
    }
}

/* The annotated output of one thread, run through --strip by many, gives the input back. */
static void test_strip_round_trip(void **state)
{
    (void)state;
    static char log[120000];
    size_t n = make_log(log, sizeof log, 7);
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .buffer_size = 1024};
    struct outcome annotated = run(&cfg, log, n, 0);
    cfg.strip = true;
    struct outcome stripped = run(&cfg, annotated.out, annotated.out_len, 3);
    assert_int_equal(stripped.out_len, n);
    assert_memory_equal(stripped.out, log, n);
    free_outcome(&annotated);
    free_outcome(&stripped);
}

static void test_empty_and_tiny(void **state)
{
    (void)state;
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .buffer_size = 1024};
    expect_same_as_one_thread(&cfg, "", 0);
    expect_same_as_one_thread(&cfg, "x", 1);
    expect_same_as_one_thread(&cfg, "[WinError 10054]", 16);
    expect_same_as_one_thread(&cfg, "\n\n\n", 3);
}

/*
 * Messages from workers come out in input order, as one thread prints them:
 * lines hitting the match limit (about 20 ms each) at the end of one block
 * and at the start of the next, so the next block's worker reaches its line
 * first. Lines of 64 bytes: a block (2 x 1024 with two workers) is 32 whole lines.
 */
static void test_messages_in_input_order(void **state)
{
    (void)state;
    enum { LINE = 64, BLOCK_LINES = 2 * 1024 / LINE, BLOCKS = 4 };
    static char log[BLOCKS * BLOCK_LINES * LINE + 1];
    for (int i = 0; i < BLOCKS * BLOCK_LINES; i++) {
        int at = i % BLOCK_LINES, block = i / BLOCK_LINES;
        bool limit = block % 2 ? at == 0 : at >= BLOCK_LINES - 3;
        snprintf(log + i * LINE, LINE + 1, "%-63s\n",
                 limit ? "WSA aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-b error 10061" : "plain line");
    }
    struct pattern_set set = {0};
    struct diag d = {{0}};
    assert_int_equal(patterns_add_builtin(&set), 0);
    assert_int_equal(patterns_add_text(&set, "user.pcre", "(?<code>(a+)+)b\n", 16), 0);
    struct matcher *m = matcher_new(&set, true, &d);
    assert_non_null(m);
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .buffer_size = 1024};
    expect_same_with(m, &cfg, log, sizeof log - 1);
    matcher_free(m);
    patterns_free(&set);
}

/*
 * A line too long to hold (--json, --only-annotated) ends the input, as in
 * one thread: the main thread gave up on it, then read it again from the
 * start, without end (or, once memory was found, wrote it where one thread
 * had stopped). Here growing a buffer past 8 KiB fails, a few times at most.
 */
static void test_line_too_long_to_hold(void **state)
{
    (void)state;
    static char log[40000];
    size_t n = 0;
    while (n < 5000)
        n += (size_t)sprintf(log + n, "recv failed with error 10060 (WSAETIMEDOUT)\n");
    memset(log + n, 'x', 20000);
    n += 20000;
    while (n < sizeof log - 100)
        n += (size_t)sprintf(log + n, "[WinError 10054] reset\n");
    struct config modes[] = {{.json = true}, {.only_annotated = true}};
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        struct config cfg = modes[m];
        cfg.mode = MODE_FILTER, cfg.use_jit = true, cfg.prefilter = true, cfg.buffer_size = 1024;
        grow_fails_from = 8192, grow_failures = 3;
        struct outcome one = run(&cfg, log, n, 0), many[2];
        for (size_t w = 0; w < 2; w++) {
            grow_failures = 3;
            many[w] = run(&cfg, log, n, 2 + 3 * w);
        }
        grow_fails_from = SIZE_MAX;
        assert_int_equal(one.status, STATUS_TROUBLE);
        assert_string_equal(one.err, "wsaerr: log:115: line too long to hold in memory\n");
        for (size_t w = 0; w < 2; w++) {
            assert_int_equal(many[w].offset, one.offset);
            assert_int_equal(many[w].status, one.status);
            assert_string_equal(many[w].err, one.err);
            assert_int_equal(many[w].out_len, one.out_len);
            assert_memory_equal(many[w].out, one.out, one.out_len);
            free_outcome(&many[w]);
        }
        free_outcome(&one);
    }
}

/*
 * A worker short of memory for a block's output: the part it made goes out,
 * with one message, and nothing after it (the blocks after it used to be
 * written on, each with its message, leaving holes in the output).
 */
static void test_worker_out_of_memory(void **state)
{
    (void)state;
    static char log[40000];
    size_t n = 0;
    while (n < sizeof log - 100)
        n += (size_t)sprintf(log + n, "recv failed with error 10060 (WSAETIMEDOUT) %zu\n", n);
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .json = true, .buffer_size = 1024};
    struct outcome whole = run(&cfg, log, n, 0);
    main_thread = pthread_self();
    for (size_t workers = 2; workers <= 5; workers += 3) {
        workers_short_of_memory = true;
        struct outcome cut = run(&cfg, log, n, workers);
        workers_short_of_memory = false;
        assert_int_equal(cut.status, STATUS_TROUBLE);
        assert_string_equal(cut.err, "wsaerr: log: out of memory\n");
        assert_true(cut.out_len < whole.out_len);
        assert_memory_equal(cut.out, whole.out, cut.out_len);
        free_outcome(&cut);
    }
    free_outcome(&whole);
}

/*
 * The same through a pipe whose writer pauses after its first lines (more
 * than a block, so the workers start: see next_block): the main thread,
 * waiting for more, writes the first blocks and finds a worker was short of
 * memory. It must stop reading there, as from a file; it read on to the
 * input's end (which `tail -f` never reaches), the output long gone.
 */
static void test_worker_out_of_memory_through_a_pipe(void **state)
{
    (void)state;
    static char log[40000];
    size_t n = 0, first = 0;
    while (n < sizeof log - 100) {
        n += (size_t)sprintf(log + n, "recv failed with error 10060 (WSAETIMEDOUT) %zu\n", n);
        first = n < 3000 ? n : first; /* whole lines, a full block (2 KiB) and more, each over 2.5 KiB of --json */
    }
    int fds[2], st, left = -1;
    assert_int_equal(pipe(fds), 0); /* 64 KiB: the writer never waits for the reader */
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        bool ok = write(fds[1], log, first) == (ssize_t)first;
        usleep(300000);
        _exit(ok && write(fds[1], log + first, n - first) == (ssize_t)(n - first) ? 0 : 1);
    }
    close(fds[1]);
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .json = true, .buffer_size = 1024};
    int out = unit_tmpfd(), err = unit_tmpfd(), saved_err = dup(STDERR_FILENO);
    struct sink sink;
    struct filter f;
    assert_int_equal(sink_init(&sink, out, 100, false), 0);
    assert_int_equal(filter_init(&f, &cfg, unit_matcher, &sink, NULL), 0);
    main_thread = pthread_self();
    workers_short_of_memory = true;
    fflush(stderr);
    dup2(err, STDERR_FILENO);
    int status = parallel_fd(&f, fds[0], "log", 2);
    fflush(stderr);
    dup2(saved_err, STDERR_FILENO);
    close(saved_err);
    workers_short_of_memory = false;
    assert_int_equal(waitpid(child, &st, 0), child);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(ioctl(fds[0], FIONREAD, &left), 0);
    sink_close(&sink);
    filter_free(&f);
    size_t elen;
    char *e = unit_slurp(err, &elen);
    assert_int_equal(status, STATUS_TROUBLE);
    assert_string_equal(e, "wsaerr: log: out of memory\n");
    /* the rest, written after the pause, was not read (nor, when the worker failed
     * before the main thread got to it, the end of what came before the pause) */
    assert_true(left >= (int)(n - first));
    free(e);
    close(fds[0]), close(out), close(err);
}

/*
 * A read error ends the input: with standard error on the output (2>&1), its
 * message comes after the output of everything read before it, with workers
 * as with one thread (the threads printed it when reading, ahead of the
 * blocks still being annotated; one thread ahead of its buffered output).
 */
static void test_read_error_after_output(void **state)
{
    (void)state;
    static char log[40000];
    static const char msg[] = "wsaerr: log: Input/output error\n";
    size_t n = make_log(log, sizeof log, 2), want_len = 0;
    char *want = NULL;
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .buffer_size = 1024};
    for (size_t workers = 0; workers <= 5; workers += workers ? 3 : 2) {
        int in = file_of(log, n), out = unit_tmpfd(), saved_err = dup(STDERR_FILENO);
        struct sink sink;
        struct filter f;
        assert_int_equal(sink_init(&sink, out, 4096, false), 0);
        assert_int_equal(filter_init(&f, &cfg, unit_matcher, &sink, NULL), 0);
        fflush(stderr);
        dup2(out, STDERR_FILENO);
        read_fails_fd = in, read_budget = 30000;
        int status = workers ? parallel_fd(&f, in, "log", workers) : filter_fd(&f, in, "log");
        read_fails_fd = -1;
        sink_close(&sink); /* what was left in the buffer would come after the message */
        fflush(stderr);
        dup2(saved_err, STDERR_FILENO);
        close(saved_err);
        filter_free(&f);
        size_t len;
        char *got = unit_slurp(out, &len);
        assert_int_equal(status, STATUS_TROUBLE);
        assert_true(len > 30000);
        assert_memory_equal(got + len - (sizeof msg - 1), msg, sizeof msg - 1);
        if (!want) {
            want = got, want_len = len;
        } else {
            assert_int_equal(len, want_len);
            assert_memory_equal(got, want, len);
            free(got);
        }
        close(in), close(out);
    }
    free(want);
}

/*
 * A pipe (what `zcat log.gz | wsaerr` reads): a block ends where nothing
 * more is ready, so blocks are of every size; the output is still one
 * thread's, in every mode.
 */
static void test_through_a_pipe(void **state)
{
    (void)state;
    static char log[120000];
    struct config modes[] = {
        {.prefilter = true},
        {.prefilter = true, .summary = true},
        {.prefilter = true, .only_annotated = true, .json = true},
    };
    through_pipe = true;
    for (unsigned seed = 1; seed <= 2; seed++) {
        size_t n = make_log(log, sizeof log, seed);
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            struct config cfg = modes[m];
            cfg.mode = MODE_FILTER, cfg.use_jit = true, cfg.buffer_size = 1024;
            expect_same_as_one_thread(&cfg, log, n);
        }
    }
    through_pipe = false;
}

/*
 * Regression: a read of the pipe that found nothing after all (EAGAIN: a
 * non-blocking pipe another reader emptied first) ended the input there, with
 * "Resource temporarily unavailable"; the main thread now waits for input.
 */
static void test_pipe_read_would_block(void **state)
{
    (void)state;
    static char log[60000];
    struct config cfg = {.mode = MODE_FILTER, .use_jit = true, .prefilter = true, .buffer_size = 1024};
    size_t n = make_log(log, sizeof log, 3);
    through_pipe = pipe_would_block = true;
    expect_same_as_one_thread(&cfg, log, n);
    assert_true(would_block_reads >= 3);
}

/* After test_pipe_read_would_block, passed or not: files again, reads as they come. */
static int reads_as_they_come(void **state)
{
    (void)state;
    through_pipe = pipe_would_block = false;
    would_block_fd = -1;
    return 0;
}

/* Which inputs get workers: regular files with at least two blocks to go, and pipes. */
static void test_which_inputs(void **state)
{
    (void)state;
    struct config cfg = {.mode = MODE_FILTER, .buffer_size = 64, .threads = 3};
    char big[1000];
    memset(big, 'x', sizeof big);
    int file = file_of(big, sizeof big), small = file_of(big, 200), pipe_fds[2];
    assert_int_equal(pipe(pipe_fds), 0);
    assert_int_equal(parallel_workers(&cfg, file), 3);
    assert_int_equal(parallel_workers(&cfg, small), 0);
    assert_int_equal(parallel_workers(&cfg, pipe_fds[0]), 3);
    int null = open("/dev/null", O_RDONLY); /* a device (a terminal, say): one thread */
    assert_int_equal(parallel_workers(&cfg, null), 0);
    close(null);
    assert_int_equal(lseek(file, 900, SEEK_SET), 900); /* what is left counts */
    assert_int_equal(parallel_workers(&cfg, file), 0);
    lseek(file, 0, SEEK_SET);
    cfg.line_buffered = true;
    assert_int_equal(parallel_workers(&cfg, file), 0);
    cfg.line_buffered = false, cfg.threads = 1;
    assert_int_equal(parallel_workers(&cfg, file), 0);
    close(file), close(small), close(pipe_fds[0]), close(pipe_fds[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_scan_in_threads), /* first: before this process scans */
        cmocka_unit_test(test_every_mode),
        cmocka_unit_test(test_through_a_pipe),
        cmocka_unit_test_teardown(test_pipe_read_would_block, reads_as_they_come),
        cmocka_unit_test(test_strip_round_trip),
        cmocka_unit_test(test_empty_and_tiny),
        cmocka_unit_test(test_messages_in_input_order),
        cmocka_unit_test(test_line_too_long_to_hold),
        cmocka_unit_test(test_worker_out_of_memory),
        cmocka_unit_test(test_worker_out_of_memory_through_a_pipe),
        cmocka_unit_test(test_read_error_after_output),
        cmocka_unit_test(test_which_inputs),
    };
    return cmocka_run_group_tests(tests, unit_matcher_setup, unit_matcher_teardown);
}
