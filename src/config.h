/* Everything the options decide, in one read-only struct passed down. */
#ifndef WSAERR_CONFIG_H
#define WSAERR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum mode { MODE_FILTER, MODE_LOOKUP, MODE_LIST, MODE_SEARCH, MODE_HELP, MODE_VERSION };

struct config {
    enum mode mode;
    char **operands; /* FILEs, or lookup / search words */
    size_t noperands;
    const char **pattern_files;
    size_t npattern_files;
    bool line_buffered;
    bool use_jit;
    bool strip;
    bool prefilter; /* skip text that cannot hold a token (off only in tests) */
    size_t buffer_size;
};

#endif
