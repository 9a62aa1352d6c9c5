/* One input through reader → candidate scan → annotator → sink. */
#include "filter.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "annotation.h"
#include "diag.h"
#include "jsonl.h"
#include "newlines.h"
#include "paused.h"
#include "status.h"
#include "scan.h"
#include "token.h"
#include "utf16.h"
#include "visible.h"

/* How far a match may reach back (context) or ahead (lookahead) across the
 * cut when a line longer than the buffer is processed in pieces. */
enum { PIECE_MARGIN = 4096 };

static size_t margin(const struct filter *f)
{
    /* an OSC string that began in the context is seen whole, where the buffer is 4 of them or more */
    size_t cap = f->reader.cap, m = cap / 8;
    if (m < VISIBLE_STRING_MAX && cap >= 4 * VISIBLE_STRING_MAX)
        m = VISIBLE_STRING_MAX;
    return m < PIECE_MARGIN ? m : PIECE_MARGIN;
}

int filter_init(struct filter *f, const struct config *cfg, struct matcher *m, struct sink *out,
                const volatile sig_atomic_t *stop)
{
    *f = (struct filter){.cfg = cfg, .matcher = m, .out = out, .stop = stop};
    /* strip looks at every " [", candidate or not */
    f->prefilter = cfg->prefilter && !cfg->strip;
    f->whole_lines = cfg->json || cfg->only_annotated;
    /* more than the longest token (a Windows text), with room for doubled spaces */
    f->text_hold = 2 * token_max_len() + 16;
    f->how = (cfg->strip ? WRITE_STRIP : 0) | (cfg->color ? WRITE_COLOR : 0);
    return reader_init(&f->reader, -1, cfg->buffer_size);
}

void filter_free(struct filter *f)
{
    free(f->deferred);
    reader_free(&f->reader);
    notes_free(&f->notes);
}

/* 1-based number of the line holding buf[pos]. */
static unsigned long long line_at(struct filter *f, size_t pos)
{
    f->lines += newlines_count(f->reader.buf + f->counted, pos - f->counted);
    f->counted = pos;
    return f->lines + 1;
}

/* Puts out a message (diag_vmessage's text, NULL when there was no memory for it) and frees it. */
static void say_text(struct filter *f, char *text, size_t n)
{
    if (f->messages) {
        if (text)
            held_put(f->messages, f->out->len, text, n);
        else
            f->messages->error = true;
    } else {
        static const char no_memory[] = "wsaerr: out of memory\n";
        sink_flush(f->out);
        fwrite(text ? text : no_memory, 1, text ? n : sizeof no_memory - 1, stderr);
    }
    free(text);
}

/*
 * A message about the input, as diag_say writes it (names escaped): on
 * stderr after the output before it, or held with its place in a worker's
 * output. Within a long line whose first pieces are out, it waits for the
 * line's end (the first such message of a line; the others would repeat it).
 */
static void say(struct filter *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct filter *f, const char *fmt, ...)
{
    size_t n;
    va_list ap;
    va_start(ap, fmt);
    char *text = diag_vmessage(&n, fmt, ap);
    va_end(ap);
    if (!f->line_begun) {
        say_text(f, text, n);
    } else if (!f->deferring) {
        f->deferred = text, f->deferred_len = n, f->deferring = true;
    } else {
        free(text);
    }
}

static void report_limit(struct filter *f, int rc, size_t pos)
{
    char msg[256];
    matcher_error(rc, msg, sizeof msg);
    say(f, "%s:%llu: %s; line passed through unannotated", f->name, line_at(f, pos), msg);
    f->reported_limit = true;
}

/* How many bytes at the end of s[from, len) may be the start of an annotation's opening. */
static size_t open_at_end(const char *s, size_t from, size_t len)
{
    static const char color_open[] = ANNOTATION_COLOR_ON " [";
    for (size_t k = sizeof color_open - 2; k > 0; k--)
        if (k <= len - from && memcmp(s + len - k, color_open, k) == 0)
            return k;
    return len > from && s[len - 1] == ' ' ? 1 : 0;
}

/* Where a non-final piece s[from, len) must stop so no annotation (colored or not) is cut in two. */
static size_t before_cut_annotation(const char *s, size_t from, size_t len)
{
    enum { ON = sizeof ANNOTATION_COLOR_ON - 1, OFF = ANNOTATION_OFF_MAX };
    size_t end = len - open_at_end(s, from, len);
    size_t tail = end - from > ANNOTATION_MAX + OFF ? end - ANNOTATION_MAX - OFF : from;
    for (size_t i = end - 1; end > from && i > tail; i--) {
        if (s[i - 1] != ' ' || s[i] != '[')
            continue;
        end = i - 1;
        if (end >= from + ON && memcmp(s + end - ON, ANNOTATION_COLOR_ON, ON) == 0)
            end -= ON;
        break;
    }
    return end > from ? end : len;
}

/*
 * accept, or the start of the existing annotation it would cut in two (the
 * next piece finds that one again). before_cut_annotation can stop inside one:
 * an annotation's colour restore may be the bytes of ANNOTATION_COLOR_ON.
 */
static size_t before_existing(const struct notes *notes, size_t accept)
{
    for (size_t i = 0; i < notes->count; i++) {
        const struct note *n = &notes->item[i];
        if (n->existing_len > 0 && n->at < accept && accept < n->at + n->existing_len)
            return n->at;
    }
    return accept;
}

/*
 * accept, or where an OSC string (a title, a hyperlink) that s[from, len)'s
 * end cuts short begins, if that is later than from: the next piece reads
 * it whole (one longer than VISIBLE_STRING_MAX is text, in any piece).
 */
static size_t before_open_string(const char *s, size_t from, size_t len, size_t accept)
{
    size_t low = len - from > VISIBLE_STRING_MAX ? len - VISIBLE_STRING_MAX : from;
    for (size_t p = len; p-- > low;)
        if (s[p] == '\033' && p + 1 < len && s[p + 1] == ']') {
            if (visible_escape_length(s + p, len - p, false) == 0 && visible_escape_length(s + p, len - p, true) &&
                p > from && p < accept)
                return p;
            break;
        }
    return accept;
}

/* Counts for --summary the codes of the notes written out of s[from, to), s starting at buf[ctx]: once a line each. */
static void tally(struct filter *f, size_t ctx, size_t from, size_t to)
{
    if (!f->summary || f->notes.count == 0)
        return;
    unsigned long long at = line_at(f, ctx + from);
    for (size_t i = 0; i < f->notes.count; i++) {
        const struct note *n = &f->notes.item[i];
        /* an existing annotation at `to` is found again by the next piece */
        if (n->at >= from && (n->at < to || (n->at == to && n->existing_len == 0)) &&
            line_memory_count(&f->mem, n->error))
            summary_add(f->summary, n->error, f->name, at);
    }
}

/* Matches s[from, len) into f->notes; a limit is reported. Returns the end of the last match. */
static size_t find(struct filter *f, const char *s, size_t ctx, size_t from, size_t len, size_t accept,
                   bool partial)
{
    struct matcher *m = f->cfg->strip ? NULL : f->matcher;
    size_t last = annotate_find(m, s, len, from, accept, partial, &f->mem, &f->notes);
    if (f->notes.match_error)
        report_limit(f, f->notes.match_error, ctx + from);
    return last;
}

/* A prefix's text: into UTF-16 output byte 0xFF goes as U+00FF, not as the mark of an odd last byte. */
static void put_text(struct filter *f, const char *text, size_t n)
{
    const char *ff;
    while (f->out->utf16 && (ff = memchr(text, '\xff', n)) != NULL) {
        sink_write(f->out, text, (size_t)(ff - text));
        sink_write(f->out, "\xc3\xbf", 2);
        n -= (size_t)(ff - text) + 1, text = ff + 1;
    }
    sink_write(f->out, text, n);
}

/* One field of a line's prefix and its ':', colored as grep colors them (color: the field's SGR). */
static void put_field(struct filter *f, const char *text, size_t n, const char *color)
{
    if (f->cfg->color) {
        char on[8];
        sink_write(f->out, on, (size_t)snprintf(on, sizeof on, "\033[%sm", color));
        put_text(f, text, n);
        static const char colon[] = "\033[m\033[36m:\033[m";
        sink_write(f->out, colon, sizeof colon - 1);
    } else {
        put_text(f, text, n);
        sink_write(f->out, ":", 1);
    }
}

/* -H and -n: the file's name and the line's number before the line at buf[start]. */
static void put_prefix(struct filter *f, size_t start)
{
    if (f->cfg->with_filename)
        put_field(f, f->name, strlen(f->name), "35");
    if (f->cfg->line_number) {
        char number[24];
        put_field(f, number, (size_t)snprintf(number, sizeof number, "%llu", line_at(f, start)), "32");
    }
}

/*
 * Annotates buf[from, len), with buf[ctx, from) as context for lookbehind.
 * A final piece ends its line; any other is cut by the buffer's end, and
 * stops where a match might run on past it. Returns how far output got.
 * nl (0 or 1, a final piece only): the line's newline at buf[len] goes out
 * with its last bytes.
 */
static size_t piece(struct filter *f, size_t ctx, size_t from, size_t len, bool final, size_t nl)
{
    const char *s = f->reader.buf + ctx;
    if (!f->line_begun)
        put_prefix(f, from);
    from -= ctx, len -= ctx;
    size_t accept = final ? len : before_cut_annotation(s, from, len);
    if (!final && accept - from > 2 * f->text_hold) /* not into an annotation either */
        accept = before_cut_annotation(s, from, accept - f->text_hold);
    /* A piece of a long line always goes to PCRE2: a match may begin before a
     * candidate cut by the buffer's end, and a small code counts after an
     * earlier piece's WSA. */
    /* (past from, bulk found the line's first candidate at quiet_to: the matcher starts there) */
    if (final && f->prefilter && f->mem.has_wsa != 1 && f->mem.quiet_to <= from && !memchr(s, '\033', len)) {
        const char *c = token_next(s, s + from, s + len, false);
        if (!c) {
            sink_write(f->out, s + from, accept - from + nl);
            return ctx + accept;
        }
        f->mem.quiet_to = (size_t)(c - s);
    }
    size_t last = find(f, s, ctx, from, len, accept, !final);
    if (!final && f->notes.partial_at < accept)
        accept = f->notes.partial_at;
    if (!final)
        accept = before_open_string(s, from, len, before_existing(&f->notes, accept));
    if (!final && accept <= from) {
        /* A possible match as long as the buffer: give up on it, keep the margin. */
        accept = len - margin(f);
        last = find(f, s, ctx, from, len, accept, false);
        size_t whole = before_existing(&f->notes, accept);
        accept = whole > from ? whole : accept;
    }
    size_t to = last > accept ? last : accept;
    if (!final)
        annotate_mark_existing(&f->notes, &f->mem, to);
    tally(f, ctx, from, to);
    annotate_write_text(s, from, to + nl, &f->notes, f->how, &f->mem, f->out);
    return ctx + to;
}

/*
 * Input paused inside a line (a prompt, a progress meter, a writer between
 * two writes): writes the line's bytes that cannot become part of an
 * annotation or decide one (src/paused.c), so that its reader sees them
 * now, as with cat. Nothing it writes holds a match, so the codes the line
 * has are left to its whole text; a WSA in it is remembered for the rest.
 * Not with --patterns: a user's pattern may begin anywhere. Returns how far
 * output got.
 */
static size_t idle_piece(struct filter *f, size_t ctx, size_t from, size_t len)
{
    if (f->matcher && !matcher_token_first(f->matcher))
        return from;
    const char *s = f->reader.buf + ctx;
    size_t to = paused_end(f->matcher, &f->notes.vis, s, from - ctx, len - ctx, f->text_hold) + ctx;
    if (to <= from)
        return from;
    if (!f->line_begun)
        put_prefix(f, from);
    f->line_begun = true;
    sink_write(f->out, f->reader.buf + from, to - from);
    /* a WSA in what went out counts for the rest of the line, as it would have in one piece */
    if (f->mem.has_wsa != 1 && annotate_mentions_wsa(s, from - ctx, to - ctx))
        f->mem.has_wsa = 1;
    return to;
}

/* A whole line buf[start, end) with its newline (if any) in --json or --only-annotated (after its -H/-n prefix). */
static void whole_line(struct filter *f, size_t start, size_t end)
{
    const char *s = f->reader.buf + start;
    size_t len = end - start, text = len - (len > 0 && s[len - 1] == '\n');
    f->notes.count = 0;
    if (!f->prefilter || token_candidate(s, s + text) || memchr(s, '\033', text))
        find(f, s, start, 0, text, text, false);
    tally(f, start, 0, text);
    f->annotated += f->notes.count > 0;
    if (f->cfg->only_annotated && f->notes.count == 0)
        return;
    if (f->cfg->json) {
        jsonl_write(f->out, f->name, line_at(f, start), s, len, &f->notes);
    } else {
        put_prefix(f, start);
        annotate_write_text(s, 0, len, &f->notes, f->how, &f->mem, f->out);
    }
    sink_end_line(f->out);
}

/* The last piece of the line ending at buf[end] (a newline, or the input's end). */
static void line(struct filter *f, size_t ctx, size_t start, size_t end)
{
    bool newline = end < f->reader.len;
    if (f->whole_lines) {
        whole_line(f, start, end + newline);
    } else {
        piece(f, ctx, start, end, true, newline);
        if (newline)
            sink_end_line(f->out);
    }
    line_memory_reset(&f->mem);
    f->line_begun = false;
    if (f->deferring) /* a message from the line's later pieces: right after it */
        say_text(f, f->deferred, f->deferred_len);
    f->deferred = NULL, f->deferring = false;
}

/*
 * Whether the line [ls, le), its first candidate at c, gets no note: the
 * input is UTF-16, or no recognizer may begin at any of its candidates
 * (matcher_may_begin) and only notes of new annotations count (not with
 * --summary or whole lines, which count existing ones too).
 */
static bool quiet_line(struct filter *f, const char *ls, const char *le, const char *c)
{
    if (!f->matcher || f->whole_lines || f->summary)
        return false;
    for (; c; c = token_next(ls, c + 1, le, false))
        if ((le - c >= 3 && memcmp(c, "WSA", 3) == 0) || matcher_may_begin(f->matcher, ls, (size_t)(c - ls)))
            return false;
    return true;
}

/*
 * Whether the line [ls, le), holding an escape sequence, gets no note: as
 * quiet_line, on its visible text (see visible.h). Else *first is where its
 * first candidate stands, or 0.
 */
static bool quiet_escaped_line(struct filter *f, const char *ls, const char *le, size_t *first)
{
    struct visible *v = &f->notes.vis;
    *first = 0;
    if (visible_make(v, ls, (size_t)(le - ls), false) <= 0) /* none after all (or no memory): as it stands */
        return quiet_line(f, ls, le, token_candidate(ls, le));
    const char *c = token_candidate(v->text, v->text + v->len);
    /* with --summary or whole lines an annotation counts, read on the line's own bytes */
    if (!c && (f->summary || f->whole_lines) && token_candidate(ls, le))
        return false;
    if (!c || quiet_line(f, v->text, v->text + v->len, c))
        return true;
    *first = v->from[c - v->text];
    return false;
}

/*
 * Complete lines buf[a, b), b just after a newline: the lines between
 * candidate lines, and quiet ones, go out as one raw span (or, with
 * only_annotated, not at all). A line with an escape sequence is looked at
 * by its visible text.
 */
static void bulk(struct filter *f, size_t a, size_t b)
{
    const char *buf = f->reader.buf, *q = buf + a, *end = buf + b, *c = NULL, *esc = NULL;
    size_t emitted = a;
    bool raw = !f->cfg->only_annotated;
    while (q < end) {
        if (c < q && !(c = token_candidate(q, end)))
            c = end;
        if (esc < q && !(esc = memchr(q, '\033', (size_t)(end - q))))
            esc = end;
        const char *hit = c < esc ? c : esc;
        if (hit == end)
            break;
        const char *ls = memrchr(q, '\n', (size_t)(hit - q));
        const char *le = memchr(hit, '\n', (size_t)(end - hit));
        ls = ls ? ls + 1 : q;
        size_t first = c < le ? (size_t)(c - ls) : 0;
        if (esc < le ? quiet_escaped_line(f, ls, le, &first) : quiet_line(f, ls, le, c)) {
            q = le + 1;
            continue;
        }
        if (raw)
            sink_write(f->out, buf + emitted, (size_t)(ls - buf) - emitted);
        f->mem.quiet_to = first;
        line(f, (size_t)(ls - buf), (size_t)(ls - buf), (size_t)(le - buf));
        emitted = (size_t)(le - buf) + 1;
        q = le + 1;
    }
    if (raw)
        sink_write(f->out, buf + emitted, b - emitted);
}

/* Complete lines buf[a, b) one at a time. */
static void each_line(struct filter *f, size_t a, size_t b)
{
    const char *buf = f->reader.buf;
    while (a < b) {
        size_t e = (size_t)((const char *)memchr(buf + a, '\n', b - a) - buf);
        line(f, a, a, e);
        a = e + 1;
    }
}

/* Complete lines buf[pos, b); the first continues a long line from ctx. */
static void lines(struct filter *f, size_t ctx, size_t pos, size_t b)
{
    if (ctx < pos) {
        size_t e = (size_t)((const char *)memchr(f->reader.buf + pos, '\n', b - pos) - f->reader.buf);
        line(f, ctx, pos, e);
        pos = e + 1;
    }
    /* --json needs an object for every line, -H and -n a prefix; line-buffered output a flush per line */
    bool every_line = (f->cfg->json || f->cfg->with_filename || f->cfg->line_number) && !f->cfg->only_annotated;
    if (f->prefilter && !f->out->line_buffered && !every_line)
        bulk(f, pos, b);
    else
        each_line(f, pos, b);
}

/*
 * An input's first bytes (at least 2, or all there are) are in the buffer:
 * one that starts with a UTF-16 byte order mark (a PowerShell 5 redirect)
 * is read as UTF-8 from here on and written back as UTF-16, the mark first
 * (but --json, which is UTF-8 and has no mark). False when out of memory.
 */
static bool input_start(struct filter *f)
{
    enum utf16 enc = utf16_detect(f->reader.buf, f->reader.len);
    if (enc == UTF16_NONE)
        return true;
    if (reader_utf16(&f->reader, enc) < 0) {
        say(f, "%s: out of memory", f->name);
        return false;
    }
    if (!f->cfg->json) { /* the byte order mark first, before any prefix; not in a line's text */
        sink_utf16(f->out, enc);
        sink_write(f->out, "\xef\xbb\xbf", 3);
        f->out->mid_line = false; /* no line of its own */
    }
    return true;
}

/* Where stream() is in f->reader.buf: the line's context start and the output position. */
struct stream_at {
    struct filter *f;
    size_t ctx, pos;
};

/*
 * Before blocking in read: writes what it can of a line the input stopped
 * in (not for whole lines: --json, --only-annotated), and flushes. False
 * when a signal came meanwhile (while a write to a slow reader blocked), or
 * when the output is gone: no more input is waited for (`tail -f log |
 * wsaerr | head -1` ends with head).
 */
static bool flush_output(void *arg)
{
    struct stream_at *at = arg;
    struct filter *f = at->f;
    if (at->pos < f->reader.len && !f->whole_lines && !f->at_input_start)
        at->pos = idle_piece(f, at->ctx, at->pos, f->reader.len);
    sink_flush(f->out);
    return !(f->stop && *f->stop) && !f->out->broken && !f->out->error;
}

/* Drops buf[0, keep), keeping the line count. */
static void discard(struct filter *f, size_t keep)
{
    line_at(f, keep);
    reader_discard(&f->reader, keep);
    f->counted -= keep;
}

/* The loop of filter_fd, over f->reader and what it may already hold. */
static int stream(struct filter *f)
{
    struct reader *r = &f->reader;
    int status = STATUS_OK, read_error = 0; /* said after the output of what was read */
    struct stream_at at = {.f = f};
    size_t scanned = 0; /* newline-free up to */
    for (;;) {
        if (f->stop && *f->stop)
            r->eof = true;
        ssize_t n = reader_fill(r, flush_output, &at);
        /* the output gone (a write or the flush before reading): what was read since is not counted */
        if (f->out->broken || f->out->error) {
            f->cut_short = !r->eof || at.pos < r->len;
            break;
        }
        if (n < 0 && errno == EINTR && !(f->stop && *f->stop))
            continue;
        if (n < 0) {
            if (errno != EINTR) {
                read_error = errno;
                status = STATUS_TROUBLE;
            }
            r->eof = true;
        }
        /* at the latest before a line is written and dropped from the buffer (a first read of "\n") */
        if (f->at_input_start && (r->len >= 2 || r->eof || memchr(r->buf, '\n', r->len))) {
            f->at_input_start = false;
            if (!input_start(f)) {
                status = STATUS_TROUBLE;
                break;
            }
            if (r->utf16)
                continue; /* its bytes are read again, as UTF-8 */
        }
        const char *nl = memrchr(r->buf + scanned, '\n', r->len - scanned);
        if (nl) {
            size_t b = (size_t)(nl - r->buf) + 1;
            lines(f, at.ctx, at.pos, b);
            at.ctx = at.pos = b;
            if (f->through_line && !r->eof) {
                discard(f, at.ctx);
                break;
            }
        }
        scanned = r->len;
        if (r->eof) {
            if (at.pos < r->len)
                line(f, at.ctx, at.pos, r->len);
            break;
        }
        if (at.ctx > 0) {
            discard(f, at.ctx);
            at.pos -= at.ctx, scanned -= at.ctx, at.ctx = 0;
        } else if (r->len == r->cap && f->whole_lines) {
            if (reader_grow(r) < 0) {
                say(f, "%s:%llu: line too long to hold in memory", f->name, line_at(f, 0));
                status = STATUS_TROUBLE;
                r->eof = true; /* the input ends here: filter_through_line's caller must not read on */
                break;
            }
        } else if (r->len == r->cap) {
            /* A line longer than the buffer: annotate what is safe, keep context. */
            size_t mg = margin(f);
            at.pos = piece(f, at.ctx, at.pos, r->len, false, 0);
            f->line_begun = true;
            at.ctx = at.pos > mg ? at.pos - mg : 0;
        }
    }
    if (read_error)
        say(f, "%s: %s", f->name, strerror(read_error));
    if (f->reported_limit)
        status = STATUS_TROUBLE;
    return status;
}

/* Per-input state for input name, with lines_before lines before it. */
static void begin(struct filter *f, const char *name, unsigned long long lines_before)
{
    f->name = name, f->lines = lines_before, f->counted = 0, f->reported_limit = false;
    line_memory_reset(&f->mem);
}

/* Runs stream over in (swapped into f for the time): f's own buffer is left alone. */
static int stream_reader(struct filter *f, struct reader *in, const char *name, unsigned long long lines_before,
                         bool through_line)
{
    struct reader own = f->reader;
    f->reader = *in;
    begin(f, name, lines_before);
    f->through_line = through_line;
    int status = stream(f);
    f->through_line = false;
    *in = f->reader;
    f->reader = own;
    return status;
}

/* The end of an input read as UTF-16: back to bytes as they are. */
static void input_end(struct filter *f, struct reader *r)
{
    if (!r->utf16)
        return;
    if (filter_ends_last_line(f->cfg) && f->out->mid_line) /* in UTF-16 too */
        sink_write(f->out, "\n", 1);
    sink_utf16(f->out, UTF16_NONE);
    reader_utf16(r, UTF16_NONE);
}

int filter_fd(struct filter *f, int fd, const char *name)
{
    f->reader.fd = fd, f->reader.len = 0, f->reader.eof = false;
    begin(f, name, 0);
    f->at_input_start = true;
    int status = stream(f);
    input_end(f, &f->reader);
    return status;
}

int filter_rest(struct filter *f, struct reader *in, const char *name)
{
    struct reader own = f->reader;
    f->reader = *in;
    begin(f, name, 0);
    f->at_input_start = true;
    int status = stream(f);
    input_end(f, &f->reader);
    *in = f->reader;
    f->reader = own;
    return status;
}

int filter_block(struct filter *f, struct reader *in, const char *name, unsigned long long lines_before)
{
    in->eof = true;
    return stream_reader(f, in, name, lines_before, false);
}

int filter_through_line(struct filter *f, struct reader *in, const char *name, unsigned long long lines_before)
{
    return stream_reader(f, in, name, lines_before, true);
}
