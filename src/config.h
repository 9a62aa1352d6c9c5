/* Everything the options decide, in one read-only struct passed down. */
#ifndef WSAERR_CONFIG_H
#define WSAERR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* -H, --no-filename, or neither. */
enum names { NAMES_AUTO, NAMES_ALWAYS, NAMES_NEVER };

enum mode { MODE_FILTER, MODE_MMEXTERNAL, MODE_LOOKUP, MODE_LIST, MODE_SEARCH, MODE_HELP, MODE_VERSION };

/* What rsyslog's mmexternal sends a line (its interface.input). */
enum mm_input { MM_MSG, MM_FULLJSON };

struct config {
    enum mode mode;
    char **operands; /* FILEs, or lookup / search words */
    size_t noperands;
    char **joined;   /* --lookup=ARG, -lARG: the words given with the option, put before the
                        operands (operands then points into an array of its own) */
    size_t njoined;
    char **pattern_files;
    size_t npattern_files;
    bool line_buffered;
    bool use_jit;
    bool strip;
    enum color color_when;
    bool color;          /* decided from color_when, stdout and NO_COLOR */
    bool json;           /* one JSON object per line instead of the text */
    bool only_annotated; /* only lines with an annotation; grep's exit status */
    bool summary;        /* counts per code on standard error at the end */
    enum names filename_when;
    bool with_filename;  /* decided from filename_when: each line written after its file's
                            name and ':' (-H, or --only-annotated over several files) */
    bool line_number;    /* each line written after its number and ':' (-n) */
    bool prefilter; /* skip text that cannot hold a token (off only in tests) */
    size_t buffer_size;
    size_t threads; /* -j: workers for a regular file; 0 for one per CPU */
    enum mm_input mm_input;
};

#endif
