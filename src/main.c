/* wsaerr: options in, one mode run, the result mapped to an exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fdwait.h"
#include "filter.h"
#include "lookup.h"
#include "matcher.h"
#include "mmexternal.h"
#include "options.h"
#include "parallel.h"
#include "patterns.h"
#include "sink.h"
#include "status.h"

#ifndef WSAERR_VERSION
#define WSAERR_VERSION "unknown"
#endif

enum { OUTPUT_BUFFER = 256 * 1024, OUTPUT_PIPE = 1024 * 1024, MM_MAX_MESSAGE = 16 * 1024 * 1024 };

static volatile sig_atomic_t stop_requested, interrupted;

static void on_stop(int sig)
{
    interrupted |= sig == SIGINT;
    stop_requested = 1;
    fd_stop();
}

/*
 * A standard descriptor the caller closed (wsaerr <&-) is held by a
 * descriptor that reads and writes nothing (O_PATH: EBADF, as a closed one
 * gives), so that no pipe or file wsaerr opens later takes its number: the
 * stop pipe as standard input was read forever.
 */
static void hold_closed_standard_fds(void)
{
    for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_PATH) < 0)
            return; /* the lowest free number is fd: nothing to hold it with */
}

/*
 * SIGPIPE becomes EPIPE (a quiet end); SIGTERM finishes what was read, even
 * while waiting for input; so does a first SIGINT (Ctrl-C in `tail -f |
 * wsaerr --summary` still gives the summary), after which wsaerr ends as
 * killed by it (see main); a second one kills at once. A SIGINT ignored from
 * the start (a background job of a script) stays ignored.
 */
static void setup_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop}, old;
    fd_stop_init(); /* failing (no file descriptor left), a stop just before a wait for input waits for it */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    if (sigaction(SIGINT, NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
        sa.sa_flags = SA_RESETHAND;
        sigaction(SIGINT, &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
}

static struct matcher *load_matcher(const struct config *cfg, struct pattern_set *set)
{
    struct diag d = {{0}};
    if (patterns_add_builtin(set) < 0) {
        fprintf(stderr, "wsaerr: out of memory\n");
        return NULL;
    }
    for (size_t i = 0; i < cfg->npattern_files; i++) {
        if (patterns_add_file(set, cfg->pattern_files[i], &d) < 0) {
            diag_say("%s", d.msg);
            return NULL;
        }
    }
    struct matcher *m = matcher_new(set, cfg->use_jit, &d);
    if (!m)
        diag_say("%s", d.msg);
    return m;
}

/* Whether input fd is the regular file the output goes to: read back as it grows, it would never end (cat, grep). */
static bool is_the_output(int fd, int out_fd)
{
    struct stat in, out;
    return fstat(fd, &in) == 0 && fstat(out_fd, &out) == 0 && S_ISREG(in.st_mode) && S_ISREG(out.st_mode) &&
           in.st_dev == out.st_dev && in.st_ino == out.st_ino;
}

/* Streams each FILE in turn; an unreadable one is reported and skipped. */
static int run_filter(const struct config *cfg, struct matcher *m, struct sink *out)
{
    static char *const stdin_only[] = {"-"};
    char *const *files = cfg->noperands ? cfg->operands : stdin_only;
    size_t n = cfg->noperands ? cfg->noperands : 1;
    struct filter f;
    struct summary sum;
    if (filter_init(&f, cfg, m, out, &stop_requested) < 0 || summary_init(&sum) < 0) {
        fprintf(stderr, "wsaerr: out of memory\n");
        return STATUS_TROUBLE;
    }
    f.summary = cfg->summary ? &sum : NULL;
    widen_pipe(out->fd, OUTPUT_PIPE);
    int status = STATUS_OK;
    size_t i = 0;
    for (; i < n && !out->broken && !out->error && !stop_requested; i++) {
        bool is_stdin = strcmp(files[i], "-") == 0;
        int fd = is_stdin ? STDIN_FILENO : open(files[i], O_RDONLY);
        const char *name = is_stdin ? "(standard input)" : files[i];
        const char *problem = fd < 0                       ? strerror(errno)
                              : is_the_output(fd, out->fd) ? "input file is also the output"
                                                           : NULL;
        if (problem) {
            sink_flush(out);
            diag_say("%s: %s", fd < 0 ? files[i] : name, problem);
            status = STATUS_TROUBLE;
            if (fd >= 0 && !is_stdin)
                close(fd);
            continue;
        }
        size_t workers = parallel_workers(cfg, fd);
        int rc = workers ? parallel_fd(&f, fd, name, workers) : -1;
        if ((rc < 0 ? filter_fd(&f, fd, name) : rc) != STATUS_OK)
            status = STATUS_TROUBLE;
        /* a selected or prefixed last line with no newline gets one, as grep's do: not glued to the next
         * input's lines nor to the shell's prompt (plain output keeps every byte as it came) */
        if (filter_ends_last_line(cfg) && out->mid_line)
            sink_write(out, "\n", 1);
        if (!is_stdin)
            close(fd);
    }
    filter_free(&f);
    if (cfg->summary) {
        sink_flush(out);
        if (summary_print(&sum, stderr) < 0)
            status = STATUS_TROUBLE; /* nowhere left to say so */
        else if (stop_requested || f.cut_short || i < n)
            diag_say("summary: counts only up to where %s", stop_requested ? "wsaerr was stopped" : "the output ended");
    }
    summary_free(&sum);
    if (status == STATUS_OK && cfg->only_annotated && f.annotated == 0)
        status = STATUS_NONE;
    return status;
}

/* rsyslog reads stderr through the reply pipe: in that mode nothing may reach it. */
static void silence_stderr(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0 && fd != STDERR_FILENO) {
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
}

static int run_mmexternal(const struct config *cfg, struct matcher *m, struct sink *out)
{
    struct mmexternal mx = {.input = cfg->mm_input, .buffer_size = cfg->buffer_size,
                            .max_message = MM_MAX_MESSAGE, .prefilter = cfg->prefilter,
                            .stop = &stop_requested};
    return mmexternal_run(&mx, m, STDIN_FILENO, out);
}

static int run(const struct config *cfg, struct sink *out)
{
    switch (cfg->mode) {
    case MODE_HELP:
        options_help(stdout);
        return STATUS_OK;
    case MODE_VERSION:
        printf("wsaerr %s\n", WSAERR_VERSION);
        return STATUS_OK;
    case MODE_LOOKUP:
        return lookup_print(cfg->operands, cfg->noperands, out);
    case MODE_LIST:
        return lookup_list(out);
    case MODE_SEARCH:
        return lookup_search(cfg->operands, cfg->noperands, out);
    case MODE_FILTER:
    case MODE_MMEXTERNAL:
        break;
    }
    struct pattern_set set = {0};
    struct matcher *m = load_matcher(cfg, &set);
    int status = !m                             ? STATUS_TROUBLE
                 : cfg->mode == MODE_MMEXTERNAL ? run_mmexternal(cfg, m, out)
                                                : run_filter(cfg, m, out);
    matcher_free(m);
    patterns_free(&set);
    return status;
}

int main(int argc, char **argv)
{
    struct config cfg;
    hold_closed_standard_fds();
    int status = options_parse(argc, argv, &cfg);
    if (status != 0) {
        options_free(&cfg);
        return status;
    }
    setup_signals();
    options_decide_color(&cfg, isatty(STDOUT_FILENO), getenv("NO_COLOR"), getenv("TERM"));
    if (cfg.mode == MODE_MMEXTERNAL)
        silence_stderr();
    struct sink out;
    if (sink_init(&out, STDOUT_FILENO, OUTPUT_BUFFER, cfg.line_buffered) < 0) {
        fputs("wsaerr: out of memory\n", stderr);
        return STATUS_TROUBLE;
    }
    status = run(&cfg, &out);
    int closed = sink_close(&out);
    int err = closed < 0 ? out.error : (fflush(stdout) != 0 && errno != EPIPE) ? errno : 0;
    if (err) {
        fprintf(stderr, "wsaerr: write error: %s\n", strerror(err));
        status = STATUS_TROUBLE;
    }
    options_free(&cfg);
    if (interrupted) { /* what was read is out: now end as SIGINT ends a program, so a shell stops its script */
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    return status;
}
