/*
 * One rsyslog mmexternal reply: the JSON line that answers one message.
 *
 *   nothing to say            {}
 *   codes, some not yet       {"msg":"<annotated>","$!":{"wsaerr":{...}}}
 *   annotated
 *   codes, all annotated      {"$!":{"wsaerr":{...}}}   (msg unchanged)
 *   already
 *
 * where {...} is "count":N,"names":"NAME,NAME","errors":[{"code":C,
 * "name":"NAME","message":"TEXT"},...], each code once, in order of first
 * mention. A message left unannotated for a reason also gets
 * "skipped":"REASON" and "skipped_total":N (all such messages so far).
 */
#ifndef WSAERR_REPLY_H
#define WSAERR_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "annotate.h"
#include "matcher.h"
#include "sink.h"

struct reply {
    struct matcher *matcher;
    bool prefilter;             /* skip text that cannot hold a token */
    struct notes notes;
    struct line_memory mem;
    struct sink text;           /* the annotated message, before escaping */
    unsigned long long skipped; /* replies with a "skipped" reason so far */
};

/* Start-up; -1 when out of memory. */
int reply_init(struct reply *r, struct matcher *m, bool prefilter);
void reply_free(struct reply *r);

/*
 * Writes and flushes the reply for message text s[0, n). The message is
 * rewritten only when it is valid UTF-8 (else "skipped":"invalid-utf8") and
 * no pattern limit was hit ("skipped":"match-limit"). Returns the sink status.
 */
int reply_message(struct reply *r, const char *s, size_t n, struct sink *out);

/* Writes and flushes the reply for a message that was not examined, e.g. "too-long". */
int reply_skipped(struct reply *r, const char *reason, struct sink *out);

#endif
