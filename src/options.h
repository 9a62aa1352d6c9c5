/* Command-line options into a struct config. */
#ifndef WSAERR_OPTIONS_H
#define WSAERR_OPTIONS_H

#include <stdio.h>

#include "config.h"

/*
 * Parses argv into cfg (which points into argv). Returns 0, or STATUS_TROUBLE
 * after printing a one-line usage error. Free with options_free.
 */
int options_parse(int argc, char **argv, struct config *cfg);
void options_free(struct config *cfg);
void options_help(FILE *out);

#endif
