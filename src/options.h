/* Command-line options into a struct config. */
#ifndef WSAERR_OPTIONS_H
#define WSAERR_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"

/*
 * Parses argv into cfg (which points into argv). Returns 0, or STATUS_TROUBLE
 * after printing a one-line usage error. Free with options_free.
 */
int options_parse(int argc, char **argv, struct config *cfg);
/*
 * Sets cfg->color from --color and the surroundings: with auto, color only
 * when stdout is a terminal, NO_COLOR is unset or empty, and TERM is not
 * "dumb". JSON output is never colored.
 */
void options_decide_color(struct config *cfg, bool terminal, const char *no_color, const char *term);
void options_free(struct config *cfg);
void options_help(FILE *out);

#endif
