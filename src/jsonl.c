/* The --json object of one line, written straight to the sink. */
#include "jsonl.h"

#include <string.h>

#include "json.h"

/* {"text":"..."} for UTF-8, {"bytes":"<base64>"} otherwise. */
static int text_or_bytes(struct sink *out, const char *s, size_t n)
{
    if (json_utf8_valid(s, n))
        return sink_write(out, "{\"text\":", 8) < 0 || json_write_string(out, s, n) < 0 ? -1
                                                                                         : sink_write(out, "}", 1);
    return sink_write(out, "{\"bytes\":", 9) < 0 || json_write_base64(out, s, n) < 0 ? -1
                                                                                     : sink_write(out, "}", 1);
}

int jsonl_write_error(struct sink *out, const struct wsa_error *e)
{
    if (sink_printf(out, "\"code\":%ld,\"name\":", e->code) < 0 ||
        json_write_string(out, e->name, strlen(e->name)) < 0 || sink_write(out, ",\"message\":", 11) < 0)
        return -1;
    return json_write_string(out, e->message, strlen(e->message));
}

static int annotation(struct sink *out, const struct note *n)
{
    if (sink_printf(out, "{\"start\":%zu,\"end\":%zu,", n->tok_start, n->tok_end) < 0 ||
        jsonl_write_error(out, n->error) < 0)
        return -1;
    return sink_printf(out, ",\"existing\":%s}", n->existing_len > 0 ? "true" : "false");
}

int jsonl_write(struct sink *out, const char *file, unsigned long long line_number, const char *s,
                size_t len, const struct notes *notes)
{
    if (sink_write(out, "{\"file\":", 8) < 0 || text_or_bytes(out, file, strlen(file)) < 0 ||
        sink_printf(out, ",\"line_number\":%llu,\"line\":", line_number) < 0 ||
        text_or_bytes(out, s, len) < 0 || sink_write(out, ",\"annotations\":[", 16) < 0)
        return -1;
    for (size_t i = 0; i < notes->count; i++)
        if ((i > 0 && sink_write(out, ",", 1) < 0) || annotation(out, &notes->item[i]) < 0)
            return -1;
    return sink_write(out, "]}\n", 3);
}
