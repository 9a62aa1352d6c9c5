/* PCRE2: compile once, JIT with interpreter fallback, limits reported as errors. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "matcher.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "before.h"
#include "scan.h"

_Static_assert(MATCH_NO_MEMORY == PCRE2_ERROR_NOMEMORY, "matcher.h's copy of PCRE2's code");

/* Limits per match call; hitting one is an error, never "no match". */
enum {
    MATCH_LIMIT = 10000000,
    DEPTH_LIMIT = 100000,
    HEAP_LIMIT_KIB = 65536,
    JIT_STACK_MIN = 32 * 1024,
    JIT_STACK_MAX = 1024 * 1024,
};

/*
 * An alternation's code, shared by a matcher and its clones. A token-first
 * one is compiled at its first run (compiled), so an input with no candidate
 * compiles none; the others at start, where a pattern that does not join is
 * named. Its JIT code, for whole subjects and for subjects cut short (PCRE2's
 * partial matching, its own JIT code), is made at the first run in each mode
 * (jit_ready): most inputs never make the partial code. Whichever thread runs
 * it first does each, under the lock.
 */
enum lazy { LATER, DONE, FAILED };
enum jit_mode { JIT_WHOLE, JIT_PARTIAL, JIT_MODES };
struct shared {
    pthread_mutex_t lock;
    /* enum lazy, each read with acquire order once it is not LATER */
    int compiled, jit[JIT_MODES];
    char *source; /* until compiled */
    size_t len;
    uint32_t options, captures;
    /* the code, and a copy of it for partial matching's JIT code: PCRE2 lets no thread run a
     * code while another JIT-compiles it, so each is JIT-compiled once, before it is run */
    pcre2_code *code, *partial;
    enum token_kind *kinds; /* by group number */
};

/* One alternation and what its groups mean. */
struct regex {
    struct shared *sh;
    pcre2_match_data *md;
    /* for each pattern in it: where its final callout stands, its first group (one more entry) */
    size_t *callout_at;
    uint32_t *first_group;
    size_t count;
    struct before_table *before; /* token-first: what its patterns allow just before a match */
};

/* How many texts starting at one place the matcher keeps the lengths of. */
enum { TEXT_LENS = 16 };

/*
 * Token-first recognizers (the built-in ones) run anchored at each place a
 * token can begin, split by the byte a match can begin with: at a place only
 * the alternation of those that can begin with its byte is tried, and only
 * where the two bytes before suit one of their leading lookbehinds (before.h).
 * Any others run over the whole subject.
 */
struct matcher {
    bool clone; /* shares the compiled code of another matcher, which must outlive it */
    struct regex *fast; /* one for each distinct set of token-first patterns */
    size_t nfast;
    int fast_by_byte[256]; /* index into fast, -1 where no pattern can begin */
    struct regex slow;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    size_t max_token; /* how far before the end of a cut subject a token may begin */
    /* for the callout during one run */
    const struct regex *r;
    size_t from;
    bool line_has_wsa;
    /* where (?C1) last found texts, and their lengths */
    size_t text_at, text_count, text_len[TEXT_LENS];
    struct match found;
};


/* Bytes that may stand between a token and its context: "\s", ':', '=', '#'. */
static bool lead(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || c == ':' || c == '=' || c == '#'; }

size_t matcher_lead_start(const char *s, size_t from, size_t tok)
{
    while (tok > from && lead(s[tok - 1]))
        tok--;
    return tok;
}

/* Fills kinds[group] from a compiled pattern's name table; returns how many token groups. */
static size_t token_groups(const pcre2_code *code, enum token_kind *kinds)
{
    uint32_t count = 0, entry = 0;
    PCRE2_SPTR table = NULL;
    size_t found = 0;
    pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++, table += entry) {
        enum token_kind k = token_kind_of_group((const char *)table + 2);
        if (k == TOKEN_NONE)
            continue;
        found++;
        if (kinds)
            kinds[(table[0] << 8) | table[1]] = k;
    }
    return found;
}

static uint32_t capture_count(const pcre2_code *code)
{
    uint32_t n = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &n);
    return n;
}

/* The bytes a match of c can begin with, from PCRE2's own study of it (all of them when it cannot tell). */
static void first_bytes(const pcre2_code *c, uint8_t bits[32])
{
    uint32_t type = 2, unit = 0;
    const uint8_t *map = NULL;
    pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODETYPE, &type);
    if (type == 0 && pcre2_pattern_info(c, PCRE2_INFO_FIRSTBITMAP, &map) == 0 && map) {
        memcpy(bits, map, 32);
    } else if (type == 1 && pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 && unit < 256) {
        /* PCRE2 does not say whether the unit is caseless: allow both cases */
        uint32_t other = (unit | 0x20U) >= 'a' && (unit | 0x20U) <= 'z' ? unit ^ 0x20U : unit;
        memset(bits, 0, 32);
        bits[unit / 8] |= (uint8_t)(1U << (unit % 8));
        bits[other / 8] |= (uint8_t)(1U << (other % 8));
    } else {
        memset(bits, 0xFF, 32);
    }
}

/* How a pattern stands in an alternation: "(?:p)(?C)", a callout after it. */
enum { WRAPPED_EXTRA = 8 };

/* Writes p as it stands in an alternation at w; returns the end. */
static char *put_wrapped(char *w, const struct pattern *p)
{
    memcpy(w, "(?:", 3);
    memcpy(w + 3, p->text, p->len);
    memcpy(w + 3 + p->len, ")(?C)", 5);
    return w + p->len + WRAPPED_EXTRA;
}

/* Whether p, as it stands in the alternation join() makes, compiles with the same captures. */
static bool joins(const struct pattern *p, uint32_t captures)
{
    int err;
    PCRE2_SIZE off;
    char *s = malloc(p->len + WRAPPED_EXTRA);
    if (!s)
        return true; /* out of memory: the join reports it */
    put_wrapped(s, p);
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)s, p->len + WRAPPED_EXTRA, 0, &err, &off, NULL);
    bool ok = c && capture_count(c) == captures;
    pcre2_code_free(c);
    free(s);
    return ok;
}

/*
 * Compiles one pattern alone to give its errors a file and line; sets its
 * capture count and (if first is not NULL) its first_bytes. Whether it joins
 * the others is seen in the alternation (compile_part).
 */
static int check_one(const struct pattern *p, uint32_t *captures, uint8_t *first, struct diag *d)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)p->text, p->len, 0, &err, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        diag_set(d, "%s:%u: offset %zu: %s", p->file, p->line, (size_t)off, (char *)msg);
        return -1;
    }
    size_t tokens = token_groups(c, NULL);
    *captures = capture_count(c);
    if (first)
        first_bytes(c, first);
    pcre2_code_free(c);
    if (tokens == 0) {
        diag_set(d, "%s:%u: no token group: name one of %s", p->file, p->line, token_group_names());
        return -1;
    }
    return 0;
}

/*
 * "(?:p1)(?C)|(?:p2)(?C)|…" of the patterns in[] marks, a callout after
 * each. Sets callout_at[k] to where the k-th joined pattern's callout ends
 * (PCRE2's pattern_position for it). NULL when out of memory.
 */
static char *join(const struct pattern_set *set, const bool *in, size_t *callout_at, size_t *len)
{
    size_t n = 1;
    for (size_t i = 0; i < set->count; i++)
        n += set->items[i].len + WRAPPED_EXTRA + 1; /* and a '|' */
    char *s = malloc(n), *w = s;
    for (size_t i = 0; s && i < set->count; i++) {
        if (!in[i])
            continue;
        if (w > s)
            *w++ = '|';
        w = put_wrapped(w, &set->items[i]);
        *callout_at++ = (size_t)(w - s);
    }
    *len = s ? (size_t)(w - s) : 0;
    return s;
}

/*
 * Runs make(sh, arg) under sh's lock the first time *state is asked for
 * (LATER), recording DONE or FAILED; no thread gets past it before that is
 * decided. The state, read with acquire order.
 */
static int once(struct shared *sh, int *state, bool (*make)(struct shared *, int), int arg)
{
    int s = __atomic_load_n(state, __ATOMIC_ACQUIRE);
    if (s == LATER) {
        pthread_mutex_lock(&sh->lock);
        if ((s = *state) == LATER) {
            s = make(sh, arg) ? DONE : FAILED;
            __atomic_store_n(state, s, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&sh->lock);
    }
    return s;
}

/* Compiles sh's alternation; false when it does not compile with the captures its patterns have. */
static bool compile_shared(struct shared *sh, int unused)
{
    (void)unused;
    int err;
    PCRE2_SIZE off;
    sh->code = pcre2_compile((PCRE2_SPTR)sh->source, sh->len, sh->options, &err, &off, NULL);
    if (!sh->code || capture_count(sh->code) != sh->captures || !(sh->kinds = calloc(sh->captures + 1, sizeof *sh->kinds))) {
        pcre2_code_free(sh->code);
        sh->code = NULL;
        return false;
    }
    token_groups(sh->code, sh->kinds);
    free(sh->source);
    sh->source = NULL;
    return true;
}

/* Whether r's alternation is compiled, compiling it first if that is still to do (see struct shared). */
static bool compiled(struct regex *r) { return once(r->sh, &r->sh->compiled, compile_shared, 0) == DONE; }

/* Joins the patterns in[] marks as one alternation into r, anchored for token-first ones (compiled at first run). */
static int compile_part(struct regex *r, const struct pattern_set *set, const bool *in, const uint32_t *captures,
                        bool anchored, bool use_jit, struct diag *d)
{
    size_t len;
    uint32_t expected = 0;
    r->callout_at = calloc(set->count, sizeof *r->callout_at);
    r->first_group = calloc(set->count + 1, sizeof *r->first_group);
    char *all = r->callout_at && r->first_group ? join(set, in, r->callout_at, &len) : NULL;
    if (!all || !(r->sh = calloc(1, sizeof *r->sh)) || pthread_mutex_init(&r->sh->lock, NULL) != 0) {
        free(all);
        free(r->sh);
        r->sh = NULL;
        diag_set(d, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < set->count; i++) {
        if (!in[i])
            continue;
        r->first_group[r->count++] = expected + 1;
        expected += captures[i];
        r->first_group[r->count] = expected + 1;
    }
    struct shared *sh = r->sh;
    sh->compiled = LATER, sh->source = all, sh->len = len, sh->captures = expected;
    /* JIT code cannot be anchored at match time: it is done here */
    sh->options = PCRE2_DUPNAMES | (anchored ? PCRE2_ANCHORED : 0U);
    sh->jit[JIT_WHOLE] = sh->jit[JIT_PARTIAL] = use_jit ? LATER : FAILED;
    if (anchored)
        return 0; /* only the built-in recognizers, tested to join */
    if (compiled(r))
        return 0;
    /* Each pattern compiled alone, so only a pattern that leaks into its
     * neighbours (an unclosed (?x) comment, say) can get here: name it. */
    for (size_t i = 0; i < set->count; i++)
        if (in[i] && !joins(&set->items[i], captures[i])) {
            diag_set(d, "%s:%u: pattern reaches out of its group when joined to the others "
                        "(a (?x) comment to its end? a (*...) start option?)",
                     set->items[i].file, set->items[i].line);
            return -1;
        }
    diag_set(d, "patterns cannot be joined into one alternation: keep each self-contained");
    return -1;
}

/* Token-first patterns by the first byte of their match: one alternation for each distinct set. */
static int compile_fast(struct matcher *m, const struct pattern_set *set, const uint8_t (*first)[32],
                        const uint32_t *captures, bool use_jit, struct diag *d)
{
    size_t n = set->count;
    bool *members = calloc(256 * n, sizeof *members); /* fast[k]'s patterns at members[k * n] */
    struct before *before = calloc(n, sizeof *before);
    m->fast = calloc(256, sizeof *m->fast);
    if (!members || !before || !m->fast) {
        free(members);
        free(before);
        diag_set(d, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        before_of(set->items[i].text, set->items[i].len, &before[i]);
    int rc = 0;
    for (unsigned b = 0; rc == 0 && b < 256; b++) {
        bool *in = members + m->nfast * n, any = false;
        for (size_t i = 0; i < n; i++)
            any |= in[i] = set->items[i].token_first && ((first[i][b / 8] >> (b % 8)) & 1U);
        size_t k = 0;
        while (k < m->nfast && memcmp(members + k * n, in, n * sizeof *in) != 0)
            k++;
        m->fast_by_byte[b] = any ? (int)k : -1;
        if (!any || k < m->nfast)
            continue;
        rc = compile_part(&m->fast[m->nfast++], set, in, captures, true, use_jit, d);
        if (rc == 0 && !(m->fast[k].before = calloc(1, sizeof *m->fast[k].before))) {
            diag_set(d, "out of memory");
            rc = -1;
        }
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (in[i])
                before_add(m->fast[k].before, &before[i]);
    }
    free(members);
    free(before);
    return rc;
}

/* Checks each pattern alone, then compiles the token-first and the other recognizers apart. */
static int compile_all(struct matcher *m, const struct pattern_set *set, bool use_jit, struct diag *d)
{
    uint8_t (*first)[32] = calloc(set->count, sizeof *first);
    uint32_t *captures = calloc(set->count, sizeof *captures);
    bool *slow = calloc(set->count, sizeof *slow), any_slow = false;
    int rc = first && captures && slow ? 0 : -1;
    if (rc < 0)
        diag_set(d, "out of memory");
    for (size_t i = 0; rc == 0 && i < set->count; i++) {
        slow[i] = !set->items[i].token_first;
        any_slow |= slow[i];
        rc = check_one(&set->items[i], &captures[i], slow[i] ? NULL : first[i], d);
    }
    if (rc == 0)
        rc = compile_fast(m, set, (const uint8_t(*)[32])first, captures, use_jit, d);
    if (rc == 0 && any_slow)
        rc = compile_part(&m->slow, set, slow, captures, false, use_jit, d);
    free(first);
    free(captures);
    free(slow);
    return rc;
}

/*
 * A token-first match begins at its token or at the lead bytes before it
 * (see struct pattern): the places token_next gives are all there is to try.
 */
static bool token_first_ok(const struct matcher *m, const pcre2_callout_block *cb, size_t tok)
{
    return cb->start_match == tok || cb->start_match == matcher_lead_start((const char *)cb->subject, m->from, tok);
}

/* (?C1) in a pattern: go on only where a table's Windows text may begin. */
enum { CALLOUT_TEXT_START = 1 };

/*
 * Whether a text token of n bytes at offset at may be a whole table text: a
 * quick no, before the index is searched, for each shorter try of a lazy
 * (?<text>...) after (?C1) found the texts there.
 */
static bool text_length_may_do(const struct matcher *m, const char *tok, size_t at, size_t n)
{
    if (at != m->text_at || m->text_count == TEXT_LENS)
        return true;
    for (size_t i = 0; i < m->text_count; i++) {
        size_t len = m->text_len[i];
        if (n == len || (n == len + 1 && tok[len] == '.') || (n == len + 3 && memcmp(tok + len, "\xe3\x80\x82", 3) == 0))
            return true;
    }
    return false;
}

/* The groups [*first, *end) of the pattern whose final callout stands at position, if found. */
static void pattern_groups(const struct regex *r, size_t position, uint32_t *first, uint32_t *end)
{
    size_t lo = 0, hi = r->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->callout_at[mid] == position) {
            *first = r->first_group[mid];
            *end = r->first_group[mid + 1];
            return;
        }
        if (r->callout_at[mid] < position)
            lo = mid + 1;
        else
            hi = mid;
    }
}

/*
 * Called by PCRE2 at (?C1) (see CALLOUT_TEXT_START) and when a recognizer has matched: accepts (0) only if its token
 * names a table row, else fails (1) so PCRE2 backtracks into the alternatives.
 */
static int check_token(pcre2_callout_block *cb, void *data)
{
    struct matcher *m = data;
    const PCRE2_SIZE *ov = cb->offset_vector;
    if (cb->callout_number == CALLOUT_TEXT_START) {
        const char *s = (const char *)cb->subject;
        m->text_at = cb->current_position;
        m->text_count = token_text_lengths(s + m->text_at, s + cb->subject_length, m->text_len, TEXT_LENS);
        return m->text_count > 0 ? 0 : 1;
    }
    const struct regex *r = m->r;
    uint32_t g = 1, end = cb->capture_top;
    pattern_groups(r, cb->pattern_position, &g, &end);
    for (; g < end && g < cb->capture_top; g++) {
        enum token_kind kind = r->sh->kinds[g];
        if (kind == TOKEN_NONE || ov[2 * g] == PCRE2_UNSET)
            continue;
        const char *tok = (const char *)cb->subject + ov[2 * g];
        /* a context text's match may begin at its lead, where the scan stopped (wsa-texts.def) */
        if (r != &m->slow && kind != TOKEN_CTEXT && !token_first_ok(m, cb, ov[2 * g]))
            return 1;
        /* a decimal code is a whole number: 110054 and 100540 hold no 10054 (see token_candidate_at) */
        if (kind == TOKEN_CODE && ((ov[2 * g] > 0 && ascii_digit(tok[-1])) ||
                                   (ov[2 * g + 1] < cb->subject_length && ascii_digit(tok[ov[2 * g + 1] - ov[2 * g]]))))
            return 1;
        /* a text in ASCII letters begins at a word (see patterns/messages.pcre, token_candidate) */
        if ((kind == TOKEN_TEXT || kind == TOKEN_CTEXT) && !token_text_may_begin((const char *)cb->subject, tok))
            return 1;
        if (kind == TOKEN_TEXT && !text_length_may_do(m, tok, ov[2 * g], ov[2 * g + 1] - ov[2 * g]))
            return 1;
        const struct wsa_error *e = token_resolve(kind, tok, ov[2 * g + 1] - ov[2 * g], m->line_has_wsa);
        if (!e)
            return 1;
        m->found = (struct match){.start = ov[0], .end = cb->current_position, .tok_start = ov[2 * g],
                                  .tok_end = ov[2 * g + 1], .kind = kind, .error = e};
        return 0;
    }
    return 1;
}

/* The k-th recognizer: the token-first alternations, then (k == nfast) the others. */
static struct regex *regex_at(struct matcher *m, size_t k) { return k < m->nfast ? &m->fast[k] : &m->slow; }

/* The per-run state of a matcher: match data, match context and JIT stack; false when out of memory. */
static bool make_run_state(struct matcher *m)
{
    for (size_t k = 0; k <= m->nfast; k++) {
        struct regex *r = regex_at(m, k);
        /* one pair, the whole match: the callout reads the tokens (a match then returns 0, not 1 + captures) */
        if (r->sh && !(r->md = pcre2_match_data_create(1, NULL)))
            return false;
    }
    m->mctx = pcre2_match_context_create(NULL);
    m->jit_stack = pcre2_jit_stack_create(JIT_STACK_MIN, JIT_STACK_MAX, NULL);
    if (!m->mctx || !m->jit_stack)
        return false;
    pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
    pcre2_set_callout(m->mctx, check_token, m);
    pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
    pcre2_set_depth_limit(m->mctx, DEPTH_LIMIT);
    pcre2_set_heap_limit(m->mctx, HEAP_LIMIT_KIB);
    return true;
}

/* JIT-compiles sh's code for mode (the partial code in a copy of it); false when the JIT cannot. */
static bool make_jit(struct shared *sh, int mode)
{
    if (mode == JIT_PARTIAL)
        sh->partial = pcre2_code_copy(sh->code);
    pcre2_code *code = mode == JIT_PARTIAL ? sh->partial : sh->code;
    uint32_t opt = mode == JIT_PARTIAL ? PCRE2_JIT_PARTIAL_HARD : PCRE2_JIT_COMPLETE;
    return code && pcre2_jit_compile(code, opt) == 0;
}

/*
 * Whether r runs JIT code in mode, JIT-compiling it first if that is still to
 * do (when the JIT cannot, the interpreter gives the same results); r must be
 * compiled. No thread matches r in a mode before its state is decided, so
 * none runs a code while it is JIT-compiled: the whole-subject code is
 * sh->code, the partial one a copy of it (PCRE2 writes into the code it
 * JIT-compiles), made when first needed, after sh->code's own JIT-compiling
 * is over (the interpreter reads sh->code when the copy cannot be made).
 */
static bool jit_ready(struct regex *r, enum jit_mode mode)
{
    if (mode == JIT_PARTIAL)
        jit_ready(r, JIT_WHOLE);
    return once(r->sh, &r->sh->jit[mode], make_jit, mode) == DONE;
}

struct matcher *matcher_new(const struct pattern_set *set, bool use_jit, struct diag *d)
{
    struct matcher *m = calloc(1, sizeof *m);
    if (!m) {
        diag_set(d, "out of memory");
        return NULL;
    }
    if (set->count == 0) {
        diag_set(d, "no patterns to match");
        goto fail;
    }
    if (compile_all(m, set, use_jit, d) < 0)
        goto fail;
    m->max_token = token_max_len();
    if (!make_run_state(m)) {
        diag_set(d, "out of memory");
        goto fail;
    }
    return m;
fail:
    matcher_free(m);
    return NULL;
}

struct matcher *matcher_clone(struct matcher *m)
{
    struct matcher *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *m;
    c->clone = true;
    c->fast = m->nfast ? malloc(m->nfast * sizeof *c->fast) : NULL;
    c->mctx = NULL, c->jit_stack = NULL, c->slow.md = NULL;
    if (c->fast)
        memcpy(c->fast, m->fast, m->nfast * sizeof *c->fast);
    for (size_t k = 0; c->fast && k < m->nfast; k++)
        c->fast[k].md = NULL;
    if ((m->nfast && !c->fast) || !make_run_state(c)) {
        matcher_free(c);
        return NULL;
    }
    return c;
}

void matcher_free(struct matcher *m)
{
    if (!m)
        return;
    for (size_t k = 0; k <= m->nfast && (m->fast || k == m->nfast); k++) {
        struct regex *r = regex_at(m, k);
        pcre2_match_data_free(r->md);
        if (m->clone)
            continue;
        if (r->sh) {
            pcre2_code_free(r->sh->code);
            pcre2_code_free(r->sh->partial);
            free(r->sh->kinds);
            free(r->sh->source);
            pthread_mutex_destroy(&r->sh->lock);
            free(r->sh);
        }
        free(r->callout_at);
        free(r->first_group);
        free(r->before);
    }
    free(m->fast);
    pcre2_jit_stack_free(m->jit_stack);
    pcre2_match_context_free(m->mctx);
    free(m);
}

bool matcher_uses_jit(struct matcher *m)
{
    for (size_t k = 0; k <= m->nfast; k++) {
        struct regex *r = regex_at(m, k);
        if (r->sh && (!compiled(r) || !jit_ready(r, JIT_WHOLE) || !jit_ready(r, JIT_PARTIAL)))
            return false;
    }
    return true;
}

/* One regex's leftmost result from `from` (only at `from` for an anchored token-first one): as matcher_next. */
static int run(struct matcher *m, struct regex *r, const char *s, size_t len, size_t from, bool partial,
               struct match *out)
{
    uint32_t opts = partial ? PCRE2_PARTIAL_HARD : 0;
    m->r = r;
    if (!compiled(r))
        return MATCH_NO_MEMORY; /* the built-in recognizers are tested to compile: only memory can lack */
    bool jit = jit_ready(r, partial ? JIT_PARTIAL : JIT_WHOLE);
    pcre2_code *code = partial && jit ? r->sh->partial : r->sh->code;
    int rc = jit ? pcre2_jit_match(code, (PCRE2_SPTR)s, len, from, opts, r->md, m->mctx)
                 : pcre2_match(code, (PCRE2_SPTR)s, len, from, opts | PCRE2_NO_JIT, r->md, m->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    if (rc == PCRE2_ERROR_PARTIAL) {
        *out = (struct match){.start = ov[0], .end = ov[1]};
        return MATCH_PARTIAL;
    }
    if (rc < 0)
        return rc;
    /* The callout that accepted this match recorded its token. */
    *out = m->found;
    out->start = ov[0];
    out->end = ov[1];
    return 1;
}

/* The token-first alternation that can begin with s[at], after the bytes before it; NULL for none. */
static struct regex *fast_at(const struct matcher *m, const char *s, size_t at)
{
    int k = m->fast_by_byte[(unsigned char)s[at]];
    return k >= 0 && before_allows(m->fast[k].before, s, at) ? &m->fast[k] : NULL;
}

/* The token-first recognizers that can begin with s[at] and after the bytes before it, anchored there. */
static int run_at(struct matcher *m, const char *s, size_t len, size_t at, bool partial, struct match *out)
{
    struct regex *r = fast_at(m, s, at);
    return r ? run(m, r, s, len, at, partial, out) : 0;
}

bool matcher_token_first(const struct matcher *m) { return !m->slow.sh; }

bool matcher_may_begin(const struct matcher *m, const char *s, size_t at)
{
    size_t p0 = matcher_lead_start(s, 0, at); /* as run_fast tries it */
    return m->slow.sh || fast_at(m, s, p0) || (p0 < at && fast_at(m, s, at));
}

/*
 * The token-first recognizers: tried where the lead bytes before each place
 * a token can begin start, then at the place itself. Where s is cut short
 * (partial), a token the cut hides could begin anywhere in the last
 * max_token bytes: all of those are tried.
 */
static int run_fast(struct matcher *m, const char *s, size_t len, size_t from, size_t quiet_to, bool partial,
                    struct match *out)
{
    size_t tail = len;
    if (partial)
        tail = len - from > m->max_token ? matcher_lead_start(s, from, len - m->max_token) : from;
    m->from = from;
    int rc = 0;
    /* past from, quiet_to is a place the caller's scan found: no need to confirm it again */
    const char *c = s + (quiet_to > from ? quiet_to : from);
    bool known = quiet_to > from;
    for (; rc == 0 && (known || (c = token_next(s, c, s + len, m->line_has_wsa))) && c < s + tail; c++, known = false) {
        size_t at = (size_t)(c - s), p0 = matcher_lead_start(s, from, at);
        rc = run_at(m, s, len, p0, partial, out);
        if (rc == 0 && p0 < at)
            rc = run_at(m, s, len, at, partial, out);
    }
    m->from = tail;
    for (size_t p = tail; rc == 0 && p < len; p++)
        rc = run_at(m, s, len, p, partial, out);
    return rc;
}

int matcher_next(struct matcher *m, const char *s, size_t len, size_t from, size_t quiet_to, bool partial,
                 bool line_has_wsa, struct match *out)
{
    m->line_has_wsa = line_has_wsa;
    int rc = 0;
    if (m->nfast > 0 && (rc = run_fast(m, s, len, from, quiet_to, partial, out)) < 0)
        return rc;
    if (!m->slow.sh)
        return rc;
    /* the earlier of the two; on a tie the built-in recognizers win */
    struct match t;
    int rt = run(m, &m->slow, s, len, from, partial, &t);
    if (rt < 0 || (rt > 0 && (rc == 0 || t.start < out->start))) {
        *out = t;
        return rt;
    }
    return rc;
}

void matcher_error(int rc, char *buf, size_t size)
{
    pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, size);
}
