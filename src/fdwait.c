/* Waiting for a non-blocking file descriptor instead of failing with EAGAIN. */
#include "fdwait.h"

#include <errno.h>
#include <poll.h>

bool fd_would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

int fd_wait(int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    return poll(&p, 1, -1) < 0 ? -1 : 0;
}
