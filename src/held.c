/* Messages held with the offset in a block's output where they belong. */
#include "held.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void held_free(struct held *h)
{
    free(h->text);
    free(h->item);
    *h = (struct held){0};
}

void held_clear(struct held *h) { h->len = 0, h->count = 0, h->error = false; }

/* Room for n more bytes of text and one more message; false when out of memory. */
static bool room(struct held *h, size_t n)
{
    if (h->count == h->items) {
        size_t items = h->items ? 2 * h->items : 4;
        struct held_message *item = realloc(h->item, items * sizeof *item);
        if (!item)
            return false;
        h->item = item, h->items = items;
    }
    if (n > SIZE_MAX / 2 - h->len)
        return false;
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 256;
        while (cap < h->len + n)
            cap *= 2;
        char *text = realloc(h->text, cap);
        if (!text)
            return false;
        h->text = text, h->cap = cap;
    }
    return true;
}

void held_put(struct held *h, size_t at, const char *text, size_t n)
{
    if (!room(h, n)) {
        h->error = true;
        return;
    }
    memcpy(h->text + h->len, text, n);
    h->len += n;
    h->item[h->count++] = (struct held_message){.at = at, .end = h->len};
}

void held_write(const struct held *h, const char *out, size_t len, struct sink *sink, FILE *err)
{
    size_t pos = 0, start = 0;
    for (size_t i = 0; i < h->count; i++) {
        const struct held_message *m = &h->item[i];
        sink_write(sink, out + pos, m->at - pos);
        sink_flush(sink);
        fwrite(h->text + start, 1, m->end - start, err);
        pos = m->at, start = m->end;
    }
    sink_write(sink, out + pos, len - pos);
}
