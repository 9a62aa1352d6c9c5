/* Blocks of a regular file or a pipe annotated by worker threads and written in input order. */
#include "parallel.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fdwait.h"
#include "newlines.h"
#include "status.h"

/*
 * Jobs in flight: one a worker, and SPARE_JOBS more (one being read, one
 * done and waiting its turn to be written). Their blocks, of at most
 * BLOCK_BUFFERS input buffers each, hold at most IN_FLIGHT_BUFFERS in all,
 * so memory stays flat however many workers run. More than MAX_WORKERS would
 * wait on the main thread, which reads and writes every byte.
 */
enum { MAX_WORKERS = 8, SPARE_JOBS = 2, BLOCK_BUFFERS = 2, IN_FLIGHT_BUFFERS = 8 };

enum job_state { JOB_FREE, JOB_READY, JOB_RUNNING, JOB_DONE };

struct job {
    struct reader in;     /* whole lines; the last may lack its newline at the input's end */
    struct sink out;      /* in memory */
    struct held msg;      /* messages for stderr, each printed at its place in out */
    struct summary sum;   /* with --summary */
    unsigned long long lines_before, seq;
    int status;
    enum job_state state;
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* any job's state, or quit */
    int done_fd;            /* an eventfd a worker bumps after each block, for a main thread in poll; or -1 */
    struct job *jobs;
    size_t njobs;
    bool quit, summary;
    const char *name;
};

struct worker {
    pthread_t thread;
    struct pool *pool;
    struct matcher *matcher;
    struct filter f;
    bool running;
};

size_t parallel_workers(const struct config *cfg, int fd)
{
    struct stat st;
    size_t n = cfg->threads;
    if (n == 0) {
        cpu_set_t cpus;
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        n = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? (size_t)CPU_COUNT(&cpus) : online > 0 ? (size_t)online : 1;
    }
    n = n < MAX_WORKERS ? n : MAX_WORKERS;
    if (n < 2 || cfg->line_buffered || fstat(fd, &st) < 0)
        return 0;
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
        return n; /* a pipe: blocks as big as what is ready (see fill) */
    if (!S_ISREG(st.st_mode))
        return 0;
    off_t at = lseek(fd, 0, SEEK_CUR);
    /* fewer than two blocks to go: threads would only cost their start */
    return at >= 0 && st.st_size - at >= (off_t)(2 * BLOCK_BUFFERS * cfg->buffer_size) ? n : 0;
}

/* The size of a block, with jobs of them in flight: halved until they fit (a buffer or a power-of-two part of one). */
static size_t block_size(const struct config *cfg, size_t jobs)
{
    size_t block = BLOCK_BUFFERS * cfg->buffer_size;
    while (block > 1 && block * jobs > IN_FLIGHT_BUFFERS * cfg->buffer_size)
        block /= 2;
    return block;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    struct pool *p = w->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        struct job *j = NULL;
        for (size_t i = 0; i < p->njobs; i++)
            if (p->jobs[i].state == JOB_READY && (!j || p->jobs[i].seq < j->seq))
                j = &p->jobs[i];
        if (!j) {
            if (p->quit)
                break;
            pthread_cond_wait(&p->changed, &p->lock);
            continue;
        }
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->lock);
        w->f.out = &j->out, w->f.messages = &j->msg;
        w->f.summary = p->summary ? &j->sum : NULL;
        j->status = filter_block(&w->f, &j->in, p->name, j->lines_before);
        pthread_mutex_lock(&p->lock);
        j->state = JOB_DONE;
        pthread_cond_broadcast(&p->changed);
        if (p->done_fd >= 0 && write(p->done_fd, &(uint64_t){1}, sizeof(uint64_t)) < 0) {
            /* the counter cannot overflow in practice; nothing to do */
        }
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The main thread's side of one run over fd. */
struct run {
    struct filter *f;
    struct pool *pool;
    int fd;
    struct reader carry; /* the unfinished line after the last block */
    size_t block;
    bool stream; /* a pipe or socket: a block ends where the input has nothing more ready */
    unsigned long long lines, next_seq, written_seq;
    bool eof, short_of_memory; /* a worker was, for a block's output: nothing after it goes out */
    int read_error;            /* said once the blocks read before it are out */
    bool short_of_input_memory; /* the same, for a block that could not grow */
    int status;
    bool at_input_start; /* the first block is yet to be read: its first bytes may say UTF-16 */
    /* the workers, started at the first full block (see next_block): started of them run */
    struct worker *w;
    size_t workers, started;
};

/*
 * Writes out a finished block: its output with its messages, and counts. A block its
 * worker was short of memory for is the last: what the worker made of it
 * goes out (a prefix of its output), the blocks after it would leave a hole.
 */
static void write_block(struct run *r, struct job *j)
{
    struct pool *p = r->pool;
    /* once the output is gone, later blocks count for --summary no more than they are written */
    if (r->short_of_memory || r->f->out->broken || r->f->out->error)
        return;
    held_write(&j->msg, j->out.buf, j->out.len, r->f->out, stderr);
    if (p->summary)
        summary_merge(r->f->summary, &j->sum);
    if (j->status != STATUS_OK)
        r->status = STATUS_TROUBLE;
    if (j->out.error || j->msg.error) {
        sink_flush(r->f->out); /* after the output it made */
        diag_say("%s: out of memory", p->name);
        r->status = STATUS_TROUBLE, r->eof = true, r->short_of_memory = true;
    }
}

/* Writes the finished blocks that are next in input order; call with the lock held. */
static void write_done(struct run *r)
{
    struct pool *p = r->pool;
    for (bool more = true; more;) {
        more = false;
        for (size_t i = 0; i < p->njobs; i++) {
            struct job *j = &p->jobs[i];
            if (j->state != JOB_DONE || j->seq != r->written_seq)
                continue;
            pthread_mutex_unlock(&p->lock);
            write_block(r, j);
            j->out.len = 0, j->out.error = 0;
            held_clear(&j->msg);
            pthread_mutex_lock(&p->lock);
            j->state = JOB_FREE;
            r->written_seq++;
            more = true;
        }
    }
}

/*
 * Grows b to hold n bytes: only after a long line in --json or
 * --only-annotated, where it grew to hold that line. -1 (input ended,
 * reported) when out of memory.
 */
static int hold(struct run *r, struct reader *b, size_t n)
{
    while (b->cap < n)
        if (reader_grow(b) < 0) {
            r->short_of_input_memory = true; /* said once the blocks before are out */
            r->status = STATUS_TROUBLE, r->eof = true;
            return -1;
        }
    return 0;
}

/* Waits until every block handed out is written. */
static void drain(struct run *r)
{
    struct pool *p = r->pool;
    pthread_mutex_lock(&p->lock);
    while (r->written_seq != r->next_seq) {
        write_done(r);
        if (r->written_seq != r->next_seq)
            pthread_cond_wait(&p->changed, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
}

/*
 * While a pipe has nothing ready: writes each block as it is done and
 * flushes, until input comes (or a signal, or the end).
 */
static void wait_for_input(struct run *r)
{
    struct pool *p = r->pool;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        write_done(r);
        bool all_out = r->written_seq == r->next_seq;
        pthread_mutex_unlock(&p->lock);
        sink_flush(r->f->out);
        /* the output gone: no more input is waited for, what comes is not counted */
        if (r->f->out->broken || r->f->out->error) {
            r->f->cut_short = true;
            r->eof = true;
            return;
        }
        /* after the writes: a signal while one was blocked (a slow reader) does not interrupt poll */
        if ((r->f->stop && *r->f->stop) || r->eof)
            return;
        struct pollfd fds[2] = {{.fd = r->fd, .events = POLLIN}, {.fd = p->done_fd, .events = POLLIN}};
        if (fd_wait_input(fds, all_out ? 1 : 2) < 0 && errno != EINTR)
            return; /* cannot wait: let read block */
        uint64_t done;
        if (fds[1].revents && read(p->done_fd, &done, sizeof done) < 0) {
            /* nonblocking, and someone else took it: fine */
        }
        if (fds[0].revents)
            return;
    }
}

/*
 * Reads into j after the carried bytes until its buffer is full or the input
 * ends; from a pipe, also until nothing more is ready while j holds a whole
 * line. Before waiting for a pipe, every earlier block is written and the
 * output flushed, as one thread does (tail -f shows each line at once).
 */
static void fill(struct run *r, struct job *j)
{
    struct reader *in = &j->in;
    if (hold(r, in, r->carry.len) < 0) {
        in->len = 0, in->eof = true;
        return;
    }
    memcpy(in->buf, r->carry.buf, r->carry.len);
    in->len = r->carry.len, in->eof = false;
    r->carry.len = 0;
    size_t looked = 0; /* in->buf[0, looked) holds no newline */
    while (in->len < in->cap && !in->eof) {
        /* a stop, or a block written while waiting was short of memory: the input ends here */
        if ((r->f->stop && *r->f->stop) || r->eof) {
            in->eof = true;
            break;
        }
        if (r->stream && !reader_ready(r->fd)) {
            /* (a line the input paused in: the main thread streams it, writing at once what it can;
             * not before the two bytes that may say UTF-16) */
            if (memchr(in->buf + looked, '\n', in->len - looked) ||
                (in->len > (r->at_input_start ? 1U : 0U) && !r->f->whole_lines))
                break;
            looked = in->len;
            wait_for_input(r);
            continue;
        }
        ssize_t n = read(r->fd, in->buf + in->len, in->cap - in->len);
        if (n > 0) {
            in->len += (size_t)n;
        } else if (n == 0) {
            in->eof = true;
        } else if (fd_would_block(errno)) {
            wait_for_input(r); /* ready, yet another reader of the pipe took it first */
        } else if (errno != EINTR) {
            r->read_error = errno;
            r->status = STATUS_TROUBLE;
            in->eof = true;
        }
    }
    r->eof = in->eof;
}

/* A block with no newline: its line goes out through the main thread once every block before it is out. */
static void long_line(struct run *r, struct job *j)
{
    struct pool *p = r->pool;
    drain(r);
    if (filter_through_line(r->f, &j->in, p->name, r->lines) != STATUS_OK)
        r->status = STATUS_TROUBLE;
    r->lines = r->f->lines;
    r->eof = j->in.eof;
    if (!r->eof && !hold(r, &r->carry, j->in.len)) {
        memcpy(r->carry.buf, j->in.buf, j->in.len);
        r->carry.len = j->in.len;
    }
    /* back to a block: a line that needed more (in --json) is out */
    j->in.len = 0;
    if (j->in.cap > r->block)
        reader_resize(&j->in, r->block);
}

/*
 * Starts the workers; false when none could be started (the main thread
 * then annotates every block itself). Their matchers share the compiled
 * code; each alternation is compiled by the first thread to run it.
 */
static bool start_workers(struct run *r)
{
    for (; r->started < r->workers; r->started++) {
        struct worker *k = &r->w[r->started];
        k->pool = r->pool;
        if (!(k->matcher = matcher_clone(r->f->matcher)) ||
            filter_init(&k->f, r->f->cfg, k->matcher, NULL, NULL) != 0 ||
            !(k->running = pthread_create(&k->thread, NULL, work, k) == 0)) {
            r->started++; /* its matcher and filter are freed with the others */
            break;
        }
    }
    r->workers = r->started;
    for (size_t i = 0; i < r->started; i++)
        if (r->w[i].running)
            return true;
    return false;
}

/* The main thread annotates block j itself, after every block handed out before it. */
static void run_inline(struct run *r, struct job *j)
{
    drain(r);
    if (filter_block(r->f, &j->in, r->pool->name, j->lines_before) != STATUS_OK)
        r->status = STATUS_TROUBLE;
    j->in.len = 0;
}

/*
 * Reads the next block into the free job j and hands it to the workers (or
 * runs its long line). The workers start with the first full block: until
 * the input comes faster than it is annotated, the main thread annotates
 * each block itself, as one thread does. So `echo x | wsaerr` starts no
 * thread and compiles no more PCRE2 code than it uses, and `tail -f`
 * pays no compiling of it all (matcher_clone) in the middle of a line.
 */
static void next_block(struct run *r, struct job *j)
{
    fill(r, j);
    if (r->at_input_start) {
        r->at_input_start = false;
        if (utf16_detect(j->in.buf, j->in.len) != UTF16_NONE) { /* one thread reads it to its end */
            j->in.fd = r->fd;
            if (filter_rest(r->f, &j->in, r->pool->name) != STATUS_OK)
                r->status = STATUS_TROUBLE;
            r->eof = true;
            j->in.len = 0;
            return;
        }
    }
    bool full = j->in.len == j->in.cap;
    const char *nl = memrchr(j->in.buf, '\n', j->in.len);
    if (!nl && !r->eof) {
        long_line(r, j);
        return;
    }
    size_t cut = r->eof ? j->in.len : (size_t)(nl - j->in.buf) + 1;
    if (hold(r, &r->carry, j->in.len - cut) < 0)
        return;
    r->carry.len = j->in.len - cut;
    memcpy(r->carry.buf, j->in.buf + cut, r->carry.len);
    j->in.len = cut;
    if (cut == 0)
        return;
    j->lines_before = r->lines;
    r->lines += newlines_count(j->in.buf, cut);
    if (r->started == 0 && (!full || !start_workers(r))) {
        run_inline(r, j);
        return;
    }
    pthread_mutex_lock(&r->pool->lock);
    j->seq = r->next_seq++;
    j->state = JOB_READY;
    pthread_cond_broadcast(&r->pool->changed);
    pthread_mutex_unlock(&r->pool->lock);
}

static void drive(struct run *r)
{
    struct pool *p = r->pool;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        write_done(r);
        if (r->f->out->broken || r->f->out->error) {
            r->f->cut_short |= !r->eof || r->written_seq != r->next_seq;
            r->eof = true;
        }
        if (r->eof && r->written_seq == r->next_seq)
            break;
        struct job *j = NULL;
        for (size_t i = 0; !r->eof && !j && i < p->njobs; i++)
            if (p->jobs[i].state == JOB_FREE)
                j = &p->jobs[i];
        if (!j) {
            pthread_cond_wait(&p->changed, &p->lock);
            continue;
        }
        pthread_mutex_unlock(&p->lock);
        next_block(r, j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
}

static void free_jobs(struct pool *p)
{
    for (size_t i = 0; p->jobs && i < p->njobs; i++) {
        reader_free(&p->jobs[i].in);
        free(p->jobs[i].out.buf);
        held_free(&p->jobs[i].msg);
        summary_free(&p->jobs[i].sum);
    }
    free(p->jobs);
}

/* Stops and frees the workers started so far. */
static void stop_workers(struct pool *p, struct worker *w, size_t n)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    for (size_t i = 0; i < n; i++) {
        if (w[i].running)
            pthread_join(w[i].thread, NULL);
        filter_free(&w[i].f);
        matcher_free(w[i].matcher);
    }
}

/* The jobs, with blocks of that size; false when out of memory. */
static bool make_jobs(struct pool *p, int fd, size_t block)
{
    p->jobs = calloc(p->njobs, sizeof *p->jobs);
    for (size_t i = 0; p->jobs && i < p->njobs; i++) {
        struct job *j = &p->jobs[i];
        if (reader_init(&j->in, fd, block) < 0 || sink_init_memory(&j->out, block + block / 4) < 0 ||
            (p->summary && summary_init(&j->sum) < 0))
            return false;
    }
    return p->jobs != NULL;
}

int parallel_fd(struct filter *f, int fd, const char *name, size_t workers)
{
    const struct config *cfg = f->cfg;
    struct pool p = {.summary = f->summary != NULL, .name = name, .done_fd = -1, .njobs = workers + SPARE_JOBS};
    struct worker w[MAX_WORKERS] = {0};
    struct stat st;
    struct run r = {.f = f, .pool = &p, .fd = fd, .block = block_size(cfg, p.njobs), .status = STATUS_OK,
                    .stream = fstat(fd, &st) == 0 && !S_ISREG(st.st_mode), .at_input_start = true, .w = w,
                    .workers = workers};
    bool ok = workers <= MAX_WORKERS && pthread_mutex_init(&p.lock, NULL) == 0;
    if (ok && pthread_cond_init(&p.changed, NULL) != 0) {
        pthread_mutex_destroy(&p.lock);
        ok = false;
    }
    if (!ok)
        return -1;
    ok = make_jobs(&p, fd, r.block) && reader_init(&r.carry, fd, r.block) == 0 &&
         (!r.stream || (p.done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) >= 0);
    if (ok && r.stream)
        widen_pipe(fd, 2 * BLOCK_BUFFERS * cfg->buffer_size); /* the writer can run two full blocks ahead */
    if (ok) {
        /* line numbers of messages and of --json count from the input's start */
        f->name = name, f->lines = 0;
        drive(&r);
    }
    if (r.read_error || r.short_of_input_memory) {
        sink_flush(f->out);
        diag_say("%s: %s", name, r.read_error ? strerror(r.read_error) : "out of memory");
    }
    stop_workers(&p, w, r.started);
    for (size_t i = 0; i < r.started; i++)
        f->annotated += w[i].f.annotated;
    free_jobs(&p);
    reader_free(&r.carry);
    if (p.done_fd >= 0)
        close(p.done_fd);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.lock);
    return ok ? r.status : -1;
}
