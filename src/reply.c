/* The reply to one message: its annotated text and its codes as JSON fields. */
#include "reply.h"

#include <string.h>

#include "json.h"
#include "jsonl.h"
#include "scan.h"
#include "token.h"

int reply_init(struct reply *r, struct matcher *m, bool prefilter)
{
    *r = (struct reply){.matcher = m, .prefilter = prefilter};
    return sink_init_memory(&r->text, 4096);
}

void reply_free(struct reply *r)
{
    sink_close(&r->text);
    notes_free(&r->notes);
}

static int finish(struct sink *out, const char *end)
{
    return sink_write(out, end, strlen(end)) < 0 ? -1 : sink_flush(out);
}

/* The distinct table rows among the notes, in order; returns how many. */
static size_t distinct(const struct notes *notes, const struct wsa_error **rows)
{
    size_t n = 0;
    for (size_t i = 0; i < notes->count; i++) {
        size_t j = 0;
        while (j < n && rows[j] != notes->item[i].error)
            j++;
        if (j == n)
            rows[n++] = notes->item[i].error;
    }
    return n;
}

/* "$!":{"wsaerr":{...}} for the notes, with the reason when one is given. */
static int write_fields(struct reply *r, const char *skipped, struct sink *out)
{
    const struct wsa_error *rows[TABLE_ROWS_MAX];
    size_t n = distinct(&r->notes, rows);
    sink_write(out, "\"$!\":{\"wsaerr\":{", 16);
    if (n > 0) {
        sink_printf(out, "\"count\":%zu,\"names\":\"", n);
        for (size_t i = 0; i < n; i++)
            sink_printf(out, "%s%s", i ? "," : "", rows[i]->name);
        sink_write(out, "\",\"errors\":[", 12);
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                sink_write(out, ",", 1);
            sink_write(out, "{", 1);
            jsonl_write_error(out, rows[i]);
            sink_write(out, "}", 1);
        }
        sink_write(out, "]", 1);
    }
    if (skipped) {
        r->skipped++;
        sink_printf(out, "%s\"skipped\":\"%s\",\"skipped_total\":%llu", n ? "," : "", skipped, r->skipped);
    }
    return sink_write(out, "}}", 2);
}

static bool adds_annotation(const struct notes *notes)
{
    for (size_t i = 0; i < notes->count; i++)
        if (notes->item[i].existing_len == 0)
            return true;
    return false;
}

int reply_message(struct reply *r, const char *s, size_t n, struct sink *out)
{
    r->notes.count = 0;
    if (r->prefilter && !token_candidate(s, s + n) && !memchr(s, '\033', n))
        return finish(out, "{}\n");
    line_memory_reset(&r->mem);
    annotate_find(r->matcher, s, n, 0, n, false, &r->mem, &r->notes);
    bool adds = adds_annotation(&r->notes);
    const char *skipped = r->notes.match_error ? "match-limit"
                          : adds && !json_utf8_valid(s, n) ? "invalid-utf8"
                                                           : NULL;
    if (r->notes.count == 0 && !skipped)
        return finish(out, "{}\n");
    sink_write(out, "{", 1);
    if (adds && !skipped) {
        r->text.len = 0;
        if (annotate_write_text(s, 0, n, &r->notes, 0, &r->mem, &r->text) < 0)
            return -1;
        sink_write(out, "\"msg\":", 6);
        json_write_string(out, r->text.buf, r->text.len);
        sink_write(out, ",", 1);
    }
    write_fields(r, skipped, out);
    return finish(out, "}\n");
}

int reply_skipped(struct reply *r, const char *reason, struct sink *out)
{
    r->notes.count = 0;
    sink_write(out, "{", 1);
    write_fields(r, reason, out);
    return finish(out, "}\n");
}
