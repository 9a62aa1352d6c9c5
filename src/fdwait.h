/* Waiting for file descriptors: a non-blocking one instead of failing with EAGAIN, and input until a stop. */
#ifndef WSAERR_FDWAIT_H
#define WSAERR_FDWAIT_H

#include <poll.h>
#include <stdbool.h>

/* Whether errno says the call would have blocked (EAGAIN, EWOULDBLOCK). */
bool fd_would_block(int err);
/*
 * Blocks until fd is ready for events (POLLIN, POLLOUT), or shut, in error
 * (the next read or write says which). Returns 0, or -1 with errno: EINTR
 * when a signal came meanwhile, as a blocking read or write would. A stop
 * does not end it: what was read is still written out.
 */
int fd_wait(int fd, short events);

/*
 * Makes the stop that fd_stop asks for end fd_wait_input at once, even one
 * that begins after it (a stop flag checked just before a wait can miss a
 * signal that comes between the check and the wait). -1 when it cannot.
 */
int fd_stop_init(void);
/* Asks for the stop: safe in a signal handler. */
void fd_stop(void);
/*
 * Polls the n entries of fds (n <= 3) until one is ready; -1 with errno EINTR
 * when a signal came or a stop was asked for (then at once, from now on),
 * another errno when poll fails.
 */
int fd_wait_input(struct pollfd *fds, nfds_t n);

#endif
