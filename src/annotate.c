/* Notes for a line: existing annotations first, then the first mention of each code. */
#include "annotate.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "annotation.h"
#include "visible.h"

_Static_assert(sizeof(((struct line_memory *)0)->seen) * 8 >= 128, "seen set holds 128 rows");

void line_memory_reset(struct line_memory *mem)
{
    mem->seen[0] = mem->seen[1] = 0;
    mem->counted[0] = mem->counted[1] = 0;
    mem->has_wsa = -1;
    mem->quiet_to = 0;
    mem->color.len = 0;
}

/* Whether e is in a set of table rows. */
static bool in_set(const uint64_t set[2], const struct wsa_error *e)
{
    size_t i = table_index(e);
    return (set[i / 64] >> (i % 64)) & 1U;
}

static void add_to_set(uint64_t set[2], const struct wsa_error *e)
{
    size_t i = table_index(e);
    set[i / 64] |= UINT64_C(1) << (i % 64);
}

static bool seen(const struct line_memory *mem, const struct wsa_error *e) { return in_set(mem->seen, e); }

static void mark(struct line_memory *mem, const struct wsa_error *e) { add_to_set(mem->seen, e); }

bool line_memory_count(struct line_memory *mem, const struct wsa_error *e)
{
    if (in_set(mem->counted, e))
        return false;
    add_to_set(mem->counted, e);
    return true;
}

void notes_free(struct notes *n)
{
    free(n->item);
    visible_free(&n->vis);
    *n = (struct notes){0};
}

/* Appends a note; out of memory, it is reported as a limit (the line passes through unannotated). */
static void add(struct notes *out, struct note n)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 32;
        struct note *item = cap <= SIZE_MAX / sizeof *item ? realloc(out->item, cap * sizeof *item) : NULL;
        if (!item) {
            out->match_error = MATCH_NO_MEMORY;
            return;
        }
        out->item = item, out->cap = cap;
    }
    out->item[out->count++] = n;
}

/* The first needle (n bytes) in [p, end), looked for by its byte k, the rarest in logs. */
static const char *find(const char *p, const char *end, const char *needle, size_t n, size_t k)
{
    if ((size_t)(end - p) < n)
        return NULL;
    const char *q = p + k, *last = end - (n - k); /* needle[k] stands in [p + k, last] */
    for (; q <= last && (q = memchr(q, needle[k], (size_t)(last - q) + 1)) != NULL; q++)
        if (memcmp(q - k, needle, n) == 0)
            return q - k;
    return NULL;
}

/* Where the matcher reads: the subject itself, or its visible text (escape sequences taken out). */
struct view {
    const char *t;
    size_t len;
    const struct visible *vis; /* NULL: t is the subject */
};

/* The subject's byte for the view's byte i (i <= len). */
static size_t at_of(const struct view *v, size_t i) { return v->vis ? v->vis->from[i] : i; }

/* The subject's span end for the view's span [i, j). */
static size_t end_of(const struct view *v, size_t i, size_t j) { return v->vis ? visible_end(v->vis, i, j) : j; }

/* The view's first byte at or after the subject's byte pos. */
static size_t view_index(const struct view *v, size_t pos) { return v->vis ? visible_index(v->vis, pos) : pos; }

/*
 * Existing annotations in s[from, len), kept in order, read on the view (an
 * annotation grep --color highlighted inside is one too); each note holds
 * the subject's bytes, with its colors around it.
 */
static void find_existing(const struct view *v, const char *s, size_t len, size_t from, struct notes *out)
{
    const char *t = v->t, *p = t + view_index(v, from), *end = t + v->len;
    size_t taken = from; /* not into the one before: on a cyan line its color restore is ANNOTATION_COLOR_ON */
    while ((p = find(p, end, " [", 2, 1)) != NULL) {
        const struct wsa_error *e;
        size_t n = annotation_parse(p, (size_t)(end - p), &e);
        if (n == 0) {
            p += 2;
            continue;
        }
        size_t i = (size_t)(p - t), at = at_of(v, i), stop = end_of(v, i, i + n);
        annotation_widen_color(s, taken, len, &at, &stop);
        add(out, (struct note){at, stop, at, stop - at, TOKEN_NONE, e});
        taken = stop;
        p = t + view_index(v, stop);
    }
}

/* The existing annotation that [a, b) overlaps, or NULL. */
static const struct note *overlap(const struct notes *out, size_t existing, size_t a, size_t b)
{
    for (size_t i = 0; i < existing; i++)
        if (a < out->item[i].at + out->item[i].existing_len && out->item[i].at < b)
            return &out->item[i];
    return NULL;
}


/*
 * Whether the view from its byte from mentions Winsock outside the existing
 * annotations (notes 0..existing-1): "WSA" where a word begins (WSAStartup,
 * WSAECONNRESET; not AWSAccessKeyId or NEWSAPI).
 */
static bool mentions_wsa(const struct view *v, size_t from, const struct notes *out, size_t existing)
{
    const char *s = v->t, *p = s + from, *end = s + v->len;
    while ((p = find(p, end, "WSA", 3, 0)) != NULL) {
        size_t i = (size_t)(p - s);
        if ((p == s || !ascii_alnum(p[-1])) && !overlap(out, existing, at_of(v, i), end_of(v, i, i + 3)))
            return true;
        p += 3;
    }
    return false;
}

bool annotate_mentions_wsa(const char *s, size_t from, size_t to)
{
    static const struct notes none;
    return mentions_wsa(&(struct view){s, to, NULL}, from, &none, 0);
}

/* The first byte at or after p in s[p, to) that is no color or erase sequence's (grep --color's). */
static size_t past_escapes(const char *s, size_t p, size_t to)
{
    size_t n;
    while (p < to && (n = visible_escape_length(s + p, to - p, false)) > 0)
        p += n;
    return p;
}

/*
 * Whether the token ending at s[tok_end] already has its annotation: the next
 * existing one (notes next..existing-1) is of its code and stands right after
 * it, or after a text's final period (a text cut before it, when the line
 * went on with a letter or digit, takes it in), color sequences aside (grep
 * --color ends its match with them).
 */
static bool has_own(const char *s, size_t tok_end, const struct notes *out, size_t next, size_t existing,
                    const struct wsa_error *e)
{
    if (next == existing || out->item[next].error != e)
        return false;
    size_t at = out->item[next].at, p = past_escapes(s, tok_end, at);
    if (p < at && s[p] == '.')
        p = past_escapes(s, p + 1, at);
    return p == at;
}

/* Keeps notes ordered by position: new ones are appended after the existing. */
static void sort_notes(struct notes *out)
{
    for (size_t i = 1; i < out->count; i++) {
        struct note n = out->item[i];
        size_t j = i;
        for (; j > 0 && out->item[j - 1].at > n.at; j--)
            out->item[j] = out->item[j - 1];
        out->item[j] = n;
    }
}

size_t annotate_find(struct matcher *m, const char *s, size_t len, size_t from, size_t accept_end,
                     bool partial, struct line_memory *mem, struct notes *out)
{
    out->count = 0;
    out->match_error = 0;
    out->partial_at = len;
    struct view v = {s, len, NULL};
    int made = visible_make(&out->vis, s, len, partial);
    if (made < 0)
        out->match_error = MATCH_NO_MEMORY; /* reported; the line is read as it stands */
    if (made > 0)
        v = (struct view){out->vis.text, out->vis.len, &out->vis};
    find_existing(&v, s, len, from, out);
    size_t existing = out->count, last = from, marked = 0;
    bool whole = !partial && accept_end >= len; /* all of it goes out: its annotations count from here on */
    if (!m) {
        if (whole)
            annotate_mark_existing(out, mem, len);
        return last;
    }
    size_t off = view_index(&v, from), quiet_to = view_index(&v, mem->quiet_to);
    /* Remembered for the rest of the line: a later piece may hold the small code. Each
     * "WSA" is a candidate to the caller's scan, so none stands before quiet_to. */
    if (mem->has_wsa != 1)
        mem->has_wsa = mentions_wsa(&v, quiet_to > off ? quiet_to : off, out, existing);
    struct match mt;
    int rc;
    while (off < v.len && (rc = matcher_next(m, v.t, v.len, off, mem->has_wsa == 1 ? off : quiet_to, partial,
                                             mem->has_wsa == 1, &mt)) != 0) {
        if (rc < 0) {
            out->match_error = rc;
            break;
        }
        size_t start = at_of(&v, mt.start), tok_start = at_of(&v, mt.tok_start),
               tok_end = end_of(&v, mt.tok_start, mt.tok_end);
        if (start >= accept_end)
            break;
        /* Cut by the end, or its annotation may stand just past accept_end: next piece. */
        if (rc == MATCH_PARTIAL || (partial && tok_end >= accept_end)) {
            out->partial_at = start;
            break;
        }
        /* the annotations before the token count from here on */
        for (; marked < existing && out->item[marked].at < tok_start; marked++)
            mark(mem, out->item[marked].error);
        const struct note *ex = overlap(out, existing, tok_start, tok_end);
        const struct wsa_error *e = ex || has_own(s, tok_end, out, marked, existing, mt.error) ? NULL : mt.error;
        if (e && !seen(mem, e)) {
            mark(mem, e);
            add(out, (struct note){tok_start, tok_end, tok_end, 0, mt.kind, e});
        }
        off = mt.end > mt.start ? mt.end : mt.start + 1;
        if (ex && at_of(&v, off) < ex->at + ex->existing_len)
            off = view_index(&v, ex->at + ex->existing_len);
        size_t end = end_of(&v, mt.start, mt.end);
        if (end > last)
            last = end;
    }
    if (whole)
        annotate_mark_existing(out, mem, len);
    if (out->count > existing)
        sort_notes(out);
    return last;
}

void annotate_mark_existing(const struct notes *notes, struct line_memory *mem, size_t to)
{
    for (size_t i = 0; i < notes->count; i++)
        if (notes->item[i].existing_len > 0 && notes->item[i].at < to)
            mark(mem, notes->item[i].error);
}

int annotate_write_text(const char *s, size_t from, size_t to, const struct notes *notes, unsigned how,
                        struct line_memory *mem, struct sink *out)
{
    bool strip = how & WRITE_STRIP, color = !strip && (how & WRITE_COLOR);
    char buf[ANNOTATION_MAX], off[ANNOTATION_OFF_MAX + 1];
    /* from s[0], not from: a sequence cut by the previous piece's end is whole in this one's context */
    size_t pos = from, followed = 0;
    for (size_t i = 0; i < notes->count; i++) {
        const struct note *n = &notes->item[i];
        if (n->at < pos || n->at > to || (n->existing_len > 0 && !strip))
            continue;
        if (sink_write(out, s + pos, n->at - pos) < 0)
            return -1;
        pos = n->at;
        if (n->existing_len > 0) {
            pos += n->existing_len;
        } else if (!strip) {
            if (color) {
                annotation_follow_color(&mem->color, s, followed, n->at);
                annotation_color_off(&mem->color, off);
                followed = n->at;
            }
            if (sink_write(out, buf, annotation_render(n->error, n->kind, color ? off : NULL, buf)) < 0)
                return -1;
        }
    }
    if (color)
        annotation_follow_color(&mem->color, s, followed, to);
    return pos < to ? sink_write(out, s + pos, to - pos) : 0;
}
