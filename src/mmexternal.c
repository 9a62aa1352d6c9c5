/* The mmexternal loop: lines in, one reply each; long lines gathered up to a limit. */
#include "mmexternal.h"

#include <errno.h>
#include <string.h>

#include "json.h"
#include "reader.h"
#include "reply.h"
#include "status.h"

struct session {
    const struct mmexternal *mx;
    struct sink *out;
    struct reply reply;
    struct sink line; /* a line longer than the read buffer, gathered */
    struct sink msg;  /* fulljson: the decoded msg member */
    bool too_long;    /* the line being gathered passed max_message */
};

/* Keeps s[0, n) as part of a long line, or only notes that the line is too long. */
static int gather(struct session *ss, const char *s, size_t n)
{
    if (ss->too_long || n > ss->mx->max_message - ss->line.len) {
        ss->too_long = true;
        ss->line.len = 0;
        return 0;
    }
    return sink_write(&ss->line, s, n);
}

/* The reply to one whole line s[0, n). */
static int answer(struct session *ss, const char *s, size_t n)
{
    if (ss->too_long || n > ss->mx->max_message)
        return reply_skipped(&ss->reply, "too-long", ss->out);
    if (ss->mx->input == MM_MSG)
        return reply_message(&ss->reply, s, n, ss->out);
    ss->msg.len = 0;
    int found = json_read_member(s, n, "msg", &ss->msg);
    if (ss->msg.error)
        return -1;
    if (found < 0)
        return reply_skipped(&ss->reply, "bad-json", ss->out);
    return reply_message(&ss->reply, ss->msg.buf, found ? ss->msg.len : 0, ss->out);
}

/* The line ending with s[0, n), after what was gathered of it. */
static int end_line(struct session *ss, const char *s, size_t n)
{
    if (ss->line.len > 0 || ss->too_long) {
        if (gather(ss, s, n) < 0)
            return -1;
        s = ss->line.buf, n = ss->line.len;
    }
    int rc = answer(ss, s, n);
    ss->line.len = 0;
    ss->too_long = false;
    return rc;
}

/* Replies to every line of the reader until end of input or a stop. */
static int serve(struct session *ss, struct reader *r)
{
    size_t pos = 0;
    for (;;) {
        const char *nl = memchr(r->buf + pos, '\n', r->len - pos);
        if (nl || (r->eof && (pos < r->len || ss->line.len > 0 || ss->too_long))) {
            size_t end = nl ? (size_t)(nl - r->buf) : r->len;
            if (end_line(ss, r->buf + pos, end - pos) < 0)
                return ss->out->broken ? STATUS_OK : STATUS_TROUBLE;
            pos = nl ? end + 1 : end;
            continue;
        }
        if (r->eof || (ss->mx->stop && *ss->mx->stop))
            return STATUS_OK;
        reader_discard(r, pos);
        pos = 0;
        if (r->len == r->cap) {
            if (gather(ss, r->buf, r->len) < 0)
                return STATUS_TROUBLE;
            r->len = 0;
        }
        if (reader_fill(r, NULL, NULL) < 0 && errno != EINTR)
            return STATUS_TROUBLE;
    }
}

int mmexternal_run(const struct mmexternal *mx, struct matcher *m, int fd, struct sink *out)
{
    struct session ss = {.mx = mx, .out = out};
    struct reader r;
    int status = STATUS_TROUBLE;
    if (reader_init(&r, fd, mx->buffer_size) == 0 && reply_init(&ss.reply, m, mx->prefilter) == 0 &&
        sink_init_memory(&ss.line, 4096) == 0 && sink_init_memory(&ss.msg, 4096) == 0)
        status = serve(&ss, &r);
    sink_close(&ss.msg);
    sink_close(&ss.line);
    reply_free(&ss.reply);
    reader_free(&r);
    return status;
}
