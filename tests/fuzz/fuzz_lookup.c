/*
 * libFuzzer target: the --lookup argument parser on any string (cut at its
 * first NUL, as argv would be). Besides "no crash, no sanitizer report": a
 * row found is found again by its name and by its decimal code, and
 * lookup_print of that argument succeeds.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lookup.h"
#include "status.h"

static void broken(const char *what, const char *arg)
{
    fprintf(stderr, "invariant broken: %s (argument \"%s\")\n", what, arg);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *arg = malloc(size + 1);
    if (!arg)
        abort();
    memcpy(arg, data, size);
    arg[size] = '\0';
    const struct wsa_error *e = lookup_parse(arg);
    if (e) {
        char code[32];
        snprintf(code, sizeof code, "%ld", e->code);
        if (lookup_parse(e->name) != e)
            broken("row not found again by its name", arg);
        if (lookup_parse(code) != e)
            broken("row not found again by its code", arg);
        struct sink out;
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || sink_init(&out, null, 256, false) < 0)
            abort();
        if (lookup_print(&arg, 1, &out) != STATUS_OK)
            broken("lookup_print fails on an argument lookup_parse takes", arg);
        sink_close(&out);
        close(null);
    }
    free(arg);
    return 0;
}
