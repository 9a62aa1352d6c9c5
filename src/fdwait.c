/* Waiting for file descriptors: poll(2), with a pipe that a stop makes readable. */
#include "fdwait.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool fd_would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

int fd_wait(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, -1) < 0 ? -1 : 0;
}

/* The stop pipe: fd_stop writes a byte that nobody reads, so it stays readable. */
static int stop_pipe[2] = {-1, -1};

int fd_stop_init(void)
{
    return stop_pipe[0] >= 0 || pipe2(stop_pipe, O_NONBLOCK | O_CLOEXEC) == 0 ? 0 : -1;
}

void fd_stop(void)
{
    int saved = errno;
    if (stop_pipe[1] >= 0 && write(stop_pipe[1], "", 1) < 0) {
        /* full: a byte is there already */
    }
    errno = saved;
}

int fd_wait_input(struct pollfd *fds, nfds_t n)
{
    struct pollfd all[4];
    if (n > 3) {
        errno = EINVAL;
        return -1;
    }
    memcpy(all, fds, n * sizeof *fds);
    all[n] = (struct pollfd){.fd = stop_pipe[0], .events = POLLIN}; /* a negative fd is left out */
    if (poll(all, n + 1, -1) < 0)
        return -1;
    memcpy(fds, all, n * sizeof *fds);
    if (all[n].revents) {
        errno = EINTR;
        return -1;
    }
    return 0;
}
