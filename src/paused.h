/* What of a line the input paused in can go out before the rest of it comes. */
#ifndef WSAERR_PAUSED_H
#define WSAERR_PAUSED_H

#include <stddef.h>

#include "matcher.h"
#include "visible.h"

/*
 * Where the bytes s[from, len) of a line cut short by a pause (s: the
 * line's start) must stop going out: before the first match, or the first
 * one the end may cut short, with its lead bytes (m run as on a line that
 * says WSA, so a small code waits; without m, before the first token), a
 * Windows text the end may have cut (text_hold: the longest), a last blank
 * and a '[' that may begin an annotation already there, and an escape
 * sequence cut short; all read on the line's visible text (v: scratch).
 * Returns from when nothing may go out yet (or there is no memory).
 */
size_t paused_end(struct matcher *m, struct visible *v, const char *s, size_t from, size_t len, size_t text_hold);

#endif
