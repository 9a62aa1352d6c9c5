/* Waiting for a non-blocking file descriptor (O_NONBLOCK set by whoever made it). */
#ifndef WSAERR_FDWAIT_H
#define WSAERR_FDWAIT_H

#include <stdbool.h>

/* Whether errno says the call would have blocked (EAGAIN, EWOULDBLOCK). */
bool fd_would_block(int err);
/*
 * Blocks until fd is ready for events (POLLIN, POLLOUT), or shut, in error
 * (the next read or write says which). Returns 0, or -1 with errno: EINTR
 * when a signal came meanwhile, as a blocking read or write would.
 */
int fd_wait(int fd, short events);

#endif
