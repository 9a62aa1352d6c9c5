/*
 * A regular file annotated by worker threads: the main thread reads it in
 * blocks of whole lines, each worker runs filter_block on one block into
 * memory, and the main thread writes the blocks out in input order. The
 * output is what filter_fd would write; a line longer than a block is
 * streamed by the main thread itself, after the blocks before it are out.
 */
#ifndef WSAERR_PARALLEL_H
#define WSAERR_PARALLEL_H

#include "filter.h"

/* How many workers to use for fd: 0 when it should be read in one thread (not a regular file, small, ...). */
size_t parallel_workers(const struct config *cfg, int fd);

/*
 * As filter_fd(f, fd, name) with that many workers (from parallel_workers).
 * Returns -1, having read nothing, when the workers cannot be set up (out
 * of memory, no threads): then filter_fd is the way.
 */
int parallel_fd(struct filter *f, int fd, const char *name, size_t workers);

#endif
