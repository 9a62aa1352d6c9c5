/*
 * rsyslog's mmexternal protocol: rsyslog writes one message a line (the msg
 * property, or with fulljson the whole message as a JSON object) and waits
 * for exactly one reply line before it sends the next (see reply.h).
 */
#ifndef WSAERR_MMEXTERNAL_H
#define WSAERR_MMEXTERNAL_H

#include <signal.h>
#include <stddef.h>

#include "config.h"
#include "matcher.h"
#include "sink.h"

struct mmexternal {
    enum mm_input input;
    size_t buffer_size;                /* one read(2) at most */
    size_t max_message;                /* a longer line is answered "skipped":"too-long" */
    bool prefilter;
    const volatile sig_atomic_t *stop; /* set by a signal: answer what was read, then end */
};

/*
 * Answers every line of fd, in order, until end of input. Returns STATUS_OK,
 * or STATUS_TROUBLE for a read error, a failed reply or lack of memory (the
 * caller ends: rsyslog starts the program again). Prints nothing.
 */
int mmexternal_run(const struct mmexternal *mx, struct matcher *m, int fd, struct sink *out);

#endif
