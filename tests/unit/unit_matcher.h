/* The built-in recognizers, compiled (with JIT) once per test group: unit_matcher. */
#ifndef WSAERR_UNIT_MATCHER_H
#define WSAERR_UNIT_MATCHER_H

#include "matcher.h"
#include "patterns.h"

static struct pattern_set unit_set;
static struct matcher *unit_matcher;

static int unit_matcher_setup(void **state)
{
    (void)state;
    struct diag d = {{0}};
    if (patterns_add_builtin(&unit_set) < 0)
        return -1;
    unit_matcher = matcher_new(&unit_set, true, &d);
    return unit_matcher ? 0 : -1;
}

static int unit_matcher_teardown(void **state)
{
    (void)state;
    matcher_free(unit_matcher);
    patterns_free(&unit_set);
    return 0;
}

#endif
