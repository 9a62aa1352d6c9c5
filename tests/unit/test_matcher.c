/* The matcher: JIT and interpreter agree, errors name file, line and offset, limits are errors. */
#include "unit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <time.h>

#include "matcher.h"

struct fixture {
    struct pattern_set set;
    struct matcher *jit, *interp;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct diag d = {{0}};
    if (!fx || patterns_add_builtin(&fx->set) < 0)
        return -1;
    fx->jit = matcher_new(&fx->set, true, &d);
    fx->interp = matcher_new(&fx->set, false, &d);
    if (!fx->jit || !fx->interp) {
        printf("matcher_new: %s\n", d.msg);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    matcher_free(fx->jit);
    matcher_free(fx->interp);
    patterns_free(&fx->set);
    free(fx);
    return 0;
}

enum { MAX_SPANS = 32 };

/* The next match of s from *off, as the annotator walks them (matcher_next's result, 0 at the end); *off moves past a match. */
static int next_span(struct matcher *m, const char *s, size_t len, size_t *off, struct match *mt)
{
    int rc = *off <= len ? matcher_next(m, s, len, *off, *off, false, false, mt) : 0;
    if (rc == 1)
        *off = mt->end > mt->start ? mt->end : mt->start + 1;
    return rc;
}

/* All matches of s from 0 to the end; returns the count. */
static size_t spans(struct matcher *m, const char *s, size_t len, struct match *out)
{
    size_t n = 0, off = 0, from = 0;
    struct match mt;
    int rc;
    while ((rc = next_span(m, s, len, &off, &mt)) != 0) {
        assert_int_equal(rc, 1);
        assert_true(n < MAX_SPANS);
        assert_true(mt.start >= from && mt.start <= mt.tok_start && mt.tok_start <= mt.tok_end &&
                    mt.tok_end <= mt.end && mt.end <= len);
        out[n++] = mt;
        from = off;
    }
    return n;
}

#define LINE(s) {s, sizeof(s) - 1}
static const struct {
    const char *s;
    size_t len;
} lines[] = {
    LINE("ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host"),
    LINE("OSError: [Errno 10048] error while attempting to bind on address ('0.0.0.0', 8000)"),
    LINE("ConnectionRefusedError(10061, 'No connection could be made')"),
    LINE("Error: Os { code: 10060, kind: TimedOut } (os error 10060)"),
    LINE("System.Net.Sockets.SocketException (10060): A connection attempt failed"),
    LINE("Socket Error # 10053"),
    LINE("connect() failed: WSAGetLastError() = 10061"),
    LINE("closesocket returned SOCKET_ERROR, WSAGetLastError: 10038"),
    LINE("recv failed with error 10054 (WSAECONNRESET)"),
    LINE("winsock error 10035 on socket 0x2750"),
    LINE("boost::system::system_error: system:10054"),
    LINE("Can't connect to MySQL server on 'db01' (10061)"),
    LINE("*9 WSARecv() failed (10054: An existing connection was forcibly closed by the remote host)"),
    LINE("Windows Update failed with 0x8007274C"),
    LINE("HRESULT: 0x80072746"),
    LINE("hr = 8007274c, status: 80072746"),
    LINE("The operation failed: -2147014842"),
    LINE("code = 0x274D while connecting"),
    LINE("(0x0000274D/10061) connect refused"),
    LINE("WSARecv returned WSA_IO_PENDING and then GetLastError() = 997"),
    LINE("NativeErrorCode=10060, ErrorCode: 10054"),
    LINE("Socket Error #10065, errno=10061, err: 0x2746, status 0x80072746"),
    LINE("2026-11-25T10:00:00.123Z DEBUG [pool] listening on 0.0.0.0:10050 (pid 10054)"),
    LINE("2026-11-25T10:00:05Z DEBUG [kv] WSAStartup ok, version 2.2, handle 10054"),
    LINE("request id 0x80070057 failed with E_INVALIDARG 0x80070057"),
    LINE("the value -2147483648 is INT_MIN"),
    LINE("error: expected 10054 bytes, got 10060"),
    LINE("MY_WSAECONNRESET_X and WSAEFOO and WSAECONNRESET."),
    LINE("nul\0byte error 10060\0end"),
    LINE("invalid \xff\xfe utf8 WSAETIMEDOUT \xc3("),
    LINE("GET /api/v1/items/10054 200 10060 bytes in 11001us"),
    LINE(""),
};

static void test_jit_and_interpreter_agree(void **state)
{
    struct fixture *fx = *state;
    struct match a[MAX_SPANS], b[MAX_SPANS];
    size_t total = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t na = spans(fx->jit, lines[i].s, lines[i].len, a);
        size_t nb = spans(fx->interp, lines[i].s, lines[i].len, b);
        if (na != nb)
            fail_msg("line %zu: %zu matches with JIT, %zu without", i, na, nb);
        for (size_t k = 0; k < na; k++) {
            if (a[k].start != b[k].start || a[k].end != b[k].end || a[k].tok_start != b[k].tok_start ||
                a[k].tok_end != b[k].tok_end || a[k].kind != b[k].kind)
                fail_msg("line %zu match %zu: JIT [%zu,%zu) tok [%zu,%zu) kind %d, interpreter [%zu,%zu) tok "
                         "[%zu,%zu) kind %d",
                         i, k, a[k].start, a[k].end, a[k].tok_start, a[k].tok_end, (int)a[k].kind, b[k].start,
                         b[k].end, b[k].tok_start, b[k].tok_end, (int)b[k].kind);
        }
        total += na;
    }
    assert_true(total >= 30); /* the lines do exercise the patterns */
}

/*
 * Clones of a fresh matcher run in several threads at once, as workers do on
 * a large file: each alternation is JIT-compiled by whichever thread runs it
 * first, under its lock, and every thread must find what the interpreter
 * finds. Timing decides whether two first runs meet; ThreadSanitizer or
 * helgrind see every race.
 */
enum { FIRST_RUNNERS = 4, FIRST_RUN_ROUNDS = 12 };

struct first_runner {
    struct matcher *m;
    pthread_barrier_t *start;
    const size_t *want; /* matches per line, from the interpreter */
    bool same;
};

/* As spans, counting, without cmocka's asserts (not for other threads): SIZE_MAX on an error. */
static size_t count_spans(struct matcher *m, const char *s, size_t len)
{
    size_t n = 0, off = 0;
    struct match mt;
    int rc;
    while ((rc = next_span(m, s, len, &off, &mt)) == 1)
        n++;
    return rc == 0 ? n : SIZE_MAX;
}

static void *first_runs(void *arg)
{
    struct first_runner *fr = arg;
    pthread_barrier_wait(fr->start);
    fr->same = true;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        fr->same &= count_spans(fr->m, lines[i].s, lines[i].len) == fr->want[i];
    return NULL;
}

static void test_clones_compile_on_first_run(void **state)
{
    struct fixture *fx = *state;
    size_t want[sizeof lines / sizeof lines[0]];
    struct match got[MAX_SPANS];
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        want[i] = spans(fx->interp, lines[i].s, lines[i].len, got);
    for (int round = 0; round < FIRST_RUN_ROUNDS; round++) {
        struct diag d = {{0}};
        struct matcher *fresh = matcher_new(&fx->set, true, &d);
        assert_non_null(fresh);
        pthread_barrier_t start;
        assert_int_equal(pthread_barrier_init(&start, NULL, FIRST_RUNNERS), 0);
        struct first_runner fr[FIRST_RUNNERS];
        pthread_t t[FIRST_RUNNERS];
        for (size_t i = 0; i < FIRST_RUNNERS; i++) {
            fr[i] = (struct first_runner){.m = matcher_clone(fresh), .start = &start, .want = want};
            assert_non_null(fr[i].m);
        }
        for (size_t i = 0; i < FIRST_RUNNERS; i++)
            assert_int_equal(pthread_create(&t[i], NULL, first_runs, &fr[i]), 0);
        for (size_t i = 0; i < FIRST_RUNNERS; i++) {
            assert_int_equal(pthread_join(t[i], NULL), 0);
            assert_true(fr[i].same);
            matcher_free(fr[i].m);
        }
        pthread_barrier_destroy(&start);
        matcher_free(fresh);
    }
}

struct want_span {
    size_t start, end, tok_start, tok_end;
    enum token_kind kind;
};

static void check_spans(struct matcher *m, const char *s, size_t len, const struct want_span *want, size_t n)
{
    struct match got[MAX_SPANS];
    size_t ng = spans(m, s, len, got);
    if (ng != n)
        fail_msg("\"%s\": %zu matches, want %zu", s, ng, n);
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(got[k].start, want[k].start);
        assert_int_equal(got[k].end, want[k].end);
        assert_int_equal(got[k].tok_start, want[k].tok_start);
        assert_int_equal(got[k].tok_end, want[k].tok_end);
        assert_int_equal(got[k].kind, want[k].kind);
    }
}

static void test_known_spans(void **state)
{
    struct fixture *fx = *state;
    struct matcher *ms[] = {fx->jit, fx->interp};
    for (size_t i = 0; i < 2; i++) {
        struct matcher *m = ms[i];
        /* A built-in match begins at its token, or where the blanks, ':', '=' and '#' before it begin. */
        /* "[WinError 10054]" at 22, then Windows' text for it at 39 */
        check_spans(m, lines[0].s, lines[0].len,
                    (struct want_span[]){{32, 38, 32, 37, TOKEN_CODE}, {39, 100, 39, 100, TOKEN_TEXT}}, 2);
        check_spans(m, LIT("HRESULT: 0x80072746"), (struct want_span[]){{9, 19, 9, 19, TOKEN_HRESULT}}, 1);
        check_spans(m, LIT("The operation failed: -2147014842"),
                    (struct want_span[]){{22, 33, 22, 33, TOKEN_NEG}}, 1);
        check_spans(m, LIT("code = 0x274D while"), (struct want_span[]){{4, 13, 7, 13, TOKEN_HEX}}, 1);
        check_spans(m, LIT("send: WSAENOTCONN"), (struct want_span[]){{6, 17, 6, 17, TOKEN_NAME}}, 1);
        check_spans(m, LIT("hr = 8007274c"), (struct want_span[]){{2, 13, 5, 13, TOKEN_HRESULT}}, 1);
        check_spans(m, LIT("recv failed with error 10054 (WSAECONNRESET)"),
                    (struct want_span[]){{22, 28, 23, 28, TOKEN_CODE}, {30, 43, 30, 43, TOKEN_NAME}}, 2);
        /* words that only look like tokens */
        check_spans(m, LIT("listening on 0.0.0.0:10050 (pid 10054)"), NULL, 0);
        check_spans(m, LIT("MY_WSAECONNRESET_X WSAStartup 0x2746 80072746"), NULL, 0);
        check_spans(m, LIT("the value -2147483648 is INT_MIN"), NULL, 0);
    }
}

static void test_context_before_from(void **state)
{
    struct fixture *fx = *state;
    struct match mt;
    /* the lookbehind sees bytes before from */
    assert_int_equal(matcher_next(fx->jit, LIT("xWSAECONNRESET"), 1, 1, false, false, &mt), 0);
    assert_int_equal(matcher_next(fx->interp, LIT("xWSAECONNRESET"), 1, 1, false, false, &mt), 0);
    assert_int_equal(matcher_next(fx->jit, LIT(" WSAECONNRESET"), 1, 1, false, false, &mt), 1);
    assert_int_equal(mt.tok_start, 1);
    assert_int_equal(matcher_next(fx->interp, LIT(" WSAECONNRESET"), 1, 1, false, false, &mt), 1);
    assert_int_equal(mt.tok_start, 1);
    /* and nothing after len: the lookahead and the closing bracket are cut off */
    assert_int_equal(matcher_next(fx->jit, "[WinError 10054]", 15, 0, 0, false, false, &mt), 0);
    assert_int_equal(matcher_next(fx->interp, "[WinError 10054]", 15, 0, 0, false, false, &mt), 0);
    /* WSAECONNRESE matches the name pattern but names no row: not a match */
    assert_int_equal(matcher_next(fx->jit, "WSAECONNRESET", 12, 0, 0, false, false, &mt), 0);
    assert_int_equal(matcher_next(fx->interp, "WSAECONNRESET", 12, 0, 0, false, false, &mt), 0);
    assert_int_equal(matcher_next(fx->jit, "WSAECONNRESET", 13, 0, 0, false, false, &mt), 1);
    assert_int_equal(mt.tok_end, 13);
    assert_int_equal(mt.error->code, 10054);
}

static void test_jit_flag(void **state)
{
    struct fixture *fx = *state;
    uint32_t jit_available = 0;
    pcre2_config(PCRE2_CONFIG_JIT, &jit_available);
    assert_int_equal(matcher_uses_jit(fx->jit), jit_available != 0);
    assert_false(matcher_uses_jit(fx->interp));
}

/* Checks that the matcher finds text, after "WSA " and before ".", as the whole text token of its row (or of a row with the same text: 10102 and 10110). */
static void finds_text(struct fixture *fx, const char *text, const struct wsa_error *row)
{
    char line[512];
    size_t n = strlen(text);
    if (n > 0 && text[n - 1] == '.')
        n--;
    int len = snprintf(line, sizeof line, "WSA %.*s.", (int)n, text);
    assert_true(len > 0 && (size_t)len < sizeof line);
    struct matcher *ms[] = {fx->jit, fx->interp};
    for (size_t k = 0; k < 2; k++) {
        struct match mt;
        if (matcher_next(ms[k], line, (size_t)len, 0, 0, false, true, &mt) != 1 || mt.kind != TOKEN_TEXT ||
            mt.tok_start != 4 || mt.tok_end != 4 + n || (mt.error != row && strcmp(mt.error->text, row->text) != 0))
            fail_msg("%s: not found whole as %ld's text: %s", k ? "interpreter" : "JIT", row->code, line);
    }
}

/*
 * Every text of the table, however long (messages.pcre bounds its walk), is
 * found whole by the built-in recognizers; a context text only in its
 * context (curl's "Timed out" after "port 443: ", .NET's "ConnectionReset" after "SocketErrorCode: ").
 */
static void test_every_text_found(void **state)
{
    struct fixture *fx = *state;
    size_t n = 0, in_context = 0;
    for (size_t i = 0; i < table_count(); i++)
        if (table_at(i)->text[0])
            finds_text(fx, table_at(i)->text, table_at(i)), n++;
    for (size_t i = 0; i < table_other_text_count(); i++) {
        const struct wsa_error *row;
        const char *text = table_other_text_at(i, &row);
        enum other_text_kind kind = table_other_text_kind(i);
        if (kind == OTHER_TEXT) {
            finds_text(fx, text, row), n++;
            continue;
        }
        if (kind == OTHER_LEAD) {
            assert_null(row); /* a lead names nothing */
            continue;
        }
        char line[256];
        int len = snprintf(line, sizeof line, "WSA %s", text);
        struct match mt;
        assert_int_equal(matcher_next(fx->jit, line, (size_t)len, 0, 0, false, true, &mt), 0);
        /* the contexts of messages.pcre's context rules: curl's, .NET's */
        static const char *const contexts[] = {"Failed to connect to example.org port 443: %s.", "SocketErrorCode: %s."};
        bool found = false;
        for (size_t c = 0; c < sizeof contexts / sizeof contexts[0] && !found; c++) {
            len = snprintf(line, sizeof line, contexts[c], text);
            found = matcher_next(fx->jit, line, (size_t)len, 0, 0, false, false, &mt) == 1 &&
                    mt.kind == TOKEN_CTEXT && mt.tok_end - mt.tok_start == strlen(text) && mt.error == row;
        }
        if (!found)
            fail_msg("context text %s: found in none of its contexts", text);
        in_context++;
    }
    assert_true(n > 100);
    assert_true(in_context > 0);
}

/* matcher_new over one pattern file's text; returns the matcher, d filled on failure. */
static struct matcher *from_text(const char *text, bool jit, struct pattern_set *set, struct diag *d)
{
    *set = (struct pattern_set){0};
    memset(d, 0, sizeof *d);
    assert_int_equal(patterns_add_text(set, "user.pcre", text, strlen(text)), 0);
    return matcher_new(set, jit, d);
}

static void check_error(const char *text, const char *want)
{
    struct pattern_set set;
    struct diag d;
    for (int jit = 0; jit < 2; jit++) {
        struct matcher *m = from_text(text, jit, &set, &d);
        assert_null(m);
        assert_string_equal(d.msg, want);
        patterns_free(&set);
    }
}

static void test_bad_pattern_diag(void **state)
{
    (void)state;
    check_error("# user patterns\n\nabc(?<code>\\d+\n", "user.pcre:3: offset 14: missing closing parenthesis");
    check_error("(?<code>\\d+)\r\n(?<hex>0x[z-a])\r\n", "user.pcre:2: offset 12: range out of order in character class");
    check_error("# c\n(?<code>1)\n  # indented comment\n\t\n(?<code>a{2,1})\n",
                "user.pcre:5: offset 13: numbers out of order in {} quantifier");
}

static void test_pattern_without_token_group(void **state)
{
    (void)state;
    check_error("(?<code>1)\n(?<foo>x)\n", "user.pcre:2: no token group: name one of (?<code>...) (?<hex>...) "
                                            "(?<hresult>...) (?<neg>...) (?<name>...) (?<text>...) (?<apr>...) (?<ossl>...) (?<ctext>...)");
    check_error("(x)\n", "user.pcre:1: no token group: name one of (?<code>...) (?<hex>...) "
                         "(?<hresult>...) (?<neg>...) (?<name>...) (?<text>...) (?<apr>...) (?<ossl>...) (?<ctext>...)");
    check_error("# only comments\n\n", "no patterns to match");
    check_error("(?x)(?<code>\\d+) # a comment swallows what is joined after it\n(?<name>WSA[A-Z]+)\n",
                "user.pcre:1: pattern reaches out of its group when joined to the others (a (?x) comment to its "
                "end? a (*...) start option?)");
    check_error("(?<code>1)\n(*UTF)x(?<code>\\d+)\n", "user.pcre:2: pattern reaches out of its group when joined to "
                                                     "the others (a (?x) comment to its end? a (*...) start option?)");
}

static void test_pattern_file_lines(void **state)
{
    (void)state;
    struct pattern_set set = {0};
    static const char text[] = "# comment\n"
                               "\n"
                               "   \t\n"
                               "  # indented comment\n"
                               "(?<code>\\d+)x\r\n"
                               "#\n"
                               "(?<name>WSA[A-Z]+)";
    assert_int_equal(patterns_add_text(&set, "user.pcre", text, sizeof text - 1), 0);
    assert_int_equal(set.count, 2);
    assert_string_equal(set.items[0].file, "user.pcre");
    assert_int_equal(set.items[0].line, 5);
    assert_int_equal(set.items[0].len, 13); /* without the CR */
    assert_memory_equal(set.items[0].text, "(?<code>\\d+)x", 13);
    assert_int_equal(set.items[1].line, 7); /* no final newline */
    assert_int_equal(set.items[1].len, 18);
    assert_memory_equal(set.items[1].text, "(?<name>WSA[A-Z]+)", 18);
    struct diag d = {{0}};
    struct matcher *m = matcher_new(&set, false, &d);
    assert_non_null(m);
    struct match mt;
    assert_int_equal(matcher_next(m, LIT("12345x"), 0, 0, false, false, &mt), 0); /* no such code */
    assert_int_equal(matcher_next(m, LIT("10054x"), 0, 0, false, false, &mt), 1);
    assert_int_equal(mt.end, 6);
    matcher_free(m);
    patterns_free(&set);
    assert_null(set.items);
    assert_int_equal(set.count, 0);
}

static void test_pattern_files(void **state)
{
    (void)state;
    char path[] = "/tmp/wsaerr-unit-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "# mine\nmy error (?<code>1\\d{4})\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    struct pattern_set set = {0};
    struct diag d = {{0}};
    assert_int_equal(patterns_add_file(&set, path, &d), 0);
    unlink(path);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.items[0].file, path);
    assert_int_equal(set.items[0].line, 2);
    assert_int_equal(set.items[0].len, 24);
    assert_memory_equal(set.items[0].text, "my error (?<code>1\\d{4})", 24);
    assert_int_equal(patterns_add_file(&set, "/nonexistent/dir/x.pcre", &d), -1);
    assert_string_equal(d.msg, "/nonexistent/dir/x.pcre: No such file or directory");
    assert_int_equal(set.count, 1);
    patterns_free(&set);

    /* the built-in files: five of them, all compiling with a token group */
    assert_int_equal(builtin_pattern_file_count, 5);
    assert_string_equal(builtin_pattern_files[0].name, "decimal.pcre");
    assert_string_equal(builtin_pattern_files[3].name, "messages.pcre");
    assert_string_equal(builtin_pattern_files[4].name, "names.pcre");
    assert_int_equal(patterns_add_builtin(&set), 0);
    assert_true(set.count >= 17);
    patterns_free(&set);
}

/*
 * decimal.pcre's rules that turn down a quantity ("error 10054 bytes", "failed: 10060 ms") each
 * hold the list of units (PCRE2 shares no subpattern across the joined patterns): the same list.
 */
static void test_unit_lists_agree(void **state)
{
    (void)state;
    const char *text = builtin_pattern_files[0].text, *first = strstr(text, "ms|msecs?|");
    assert_non_null(first);
    size_t len = strcspn(first, ")"), lists = 0;
    for (const char *p = first; (p = strstr(p, "ms|msecs?|")) != NULL; p += len, lists++)
        if (strcspn(p, ")") != len || memcmp(p, first, len) != 0)
            fail_msg("decimal.pcre: a unit list differs from the first: %.*s", (int)strcspn(p, ")"), p);
    assert_true(lists >= 4);
}

/* Whether name (n bytes) is one of the table's POSIX names (a column may hold "A/B"). */
static bool table_has_posix(const char *name, size_t n)
{
    for (size_t i = 0; i < table_count(); i++)
        for (const char *p = table_at(i)->posix; *p;) {
            size_t len = strcspn(p, "/");
            if (len == n && memcmp(p, name, n) == 0)
                return true;
            p += len + (p[len] == '/');
        }
    return false;
}

/*
 * The errno-name rules of decimal.pcre list the table's POSIX names in their
 * lookbehinds ("\\bEACCES|\\bEADDRINUSE|...", and before a parenthesis
 * "\\bEACCES \\(|\\bEACCES\\(|..."): each list the same names, as often as
 * it has forms, so a row's name added or changed shows here.
 */
static void check_errno_names(const char *at, size_t forms)
{
    size_t listed = 0;
    for (const char *p = at; strncmp(p, "\\b", 2) == 0; listed++) {
        size_t n = strspn(p + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), alt = strcspn(p + 2, "|)") + 2;
        if (!table_has_posix(p + 2, n))
            fail_msg("decimal.pcre lists %.*s, no POSIX name of the table", (int)n, p + 2);
        p += alt + (p[alt] == '|');
    }
    /* and every name of the table is listed, in each form */
    size_t names = 0;
    for (size_t i = 0; i < table_count(); i++)
        for (const char *p = table_at(i)->posix; *p;) {
            size_t len = strcspn(p, "/"), seen = 0;
            char want[40];
            snprintf(want, sizeof want, "\\b%.*s", (int)len, p);
            for (const char *q = at; (q = strstr(q, want)) != NULL && q < at + strcspn(at, "\n"); q++)
                seen += strchr("| \\)", q[strlen(want)]) != NULL;
            if (seen != forms)
                fail_msg("decimal.pcre's errno rule lists %.*s %zu times, not %zu", (int)len, p, seen, forms);
            names++;
            p += len + (p[len] == '/');
        }
    assert_true(listed > 40 * forms);
    assert_true(names * forms >= listed); /* a name may stand in several rows (EINVAL) */
}

static void test_errno_rule_names_the_table(void **state)
{
    (void)state;
    const char *text = builtin_pattern_files[0].text;
    assert_string_equal(builtin_pattern_files[0].name, "decimal.pcre");
    const char *plain = strstr(text, "(?<=[A-Z])(?<=\\bE"), *paren = strstr(text, "(?<=[A-Z] \\(|[A-Z]\\()(?<=\\bE");
    assert_non_null(plain);
    assert_non_null(paren);
    check_errno_names(plain + strlen("(?<=[A-Z])(?<="), 1);
    check_errno_names(paren + strlen("(?<=[A-Z] \\(|[A-Z]\\()(?<="), 2);
}

static void test_user_token_kinds(void **state)
{
    (void)state;
    struct pattern_set set;
    struct diag d;
    struct matcher *m = from_text("(?<text>No such host is known\\.?)\n(?<other>x)(?<neg>-\\d+)\n", true, &set, &d);
    assert_non_null(m);
    struct match mt;
    assert_int_equal(matcher_next(m, LIT("dns: No such host is known. x-2147014842"), 0, 0, false, false, &mt), 1);
    assert_int_equal(mt.kind, TOKEN_TEXT);
    assert_int_equal(mt.tok_start, 5);
    assert_int_equal(mt.tok_end, 27);
    /* a group that is no token kind is skipped when finding the token */
    assert_int_equal(matcher_next(m, LIT("dns: No such host is known. x-2147014842"), 27, 27, false, false, &mt), 1);
    assert_int_equal(mt.kind, TOKEN_NEG);
    assert_int_equal(mt.start, 28);
    assert_int_equal(mt.tok_start, 29);
    assert_int_equal(mt.tok_end, 40);
    matcher_free(m);
    patterns_free(&set);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Time bounds are for a native run; WSAERR_TIME_SCALE stretches them (scripts/test sets it under valgrind). */
static double time_scale(void)
{
    const char *s = getenv("WSAERR_TIME_SCALE");
    double v = s ? atof(s) : 1.0;
    return v > 1.0 ? v : 1.0;
}

static void test_catastrophic_pattern_is_an_error(void **state)
{
    (void)state;
    /* 40 digits, then a b the match cannot reach: PCRE2's "needs a b" shortcut does not apply */
    char subject[43];
    memset(subject, '1', 40);
    memcpy(subject + 40, "-b", 3);
    for (int jit = 0; jit < 2; jit++) {
        struct pattern_set set;
        struct diag d;
        struct matcher *m = from_text("(?<code>(\\d+)+)b\n", jit, &set, &d);
        assert_non_null(m);
        struct match mt;
        double t0 = seconds();
        int rc = matcher_next(m, subject, 42, 0, 0, false, false, &mt);
        double took = seconds() - t0;
        assert_true(rc < 0);
        assert_true(took < 5.0 * time_scale());
        char msg[256];
        matcher_error(rc, msg, sizeof msg);
        assert_true(strstr(msg, "limit") != NULL);
        printf("%s: rc %d (%s) in %.3f s\n", jit ? "JIT" : "interpreter", rc, msg, took);
        /* the same pattern still matches where it can */
        assert_int_equal(matcher_next(m, LIT("10054b"), 0, 0, false, false, &mt), 1);
        assert_int_equal(mt.tok_end, 5);
        assert_int_equal(mt.end, 6);
        assert_int_equal(mt.error->code, 10054);
        matcher_free(m);
        patterns_free(&set);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jit_and_interpreter_agree),
        cmocka_unit_test(test_clones_compile_on_first_run),
        cmocka_unit_test(test_known_spans),
        cmocka_unit_test(test_context_before_from),
        cmocka_unit_test(test_jit_flag),
        cmocka_unit_test(test_every_text_found),
        cmocka_unit_test(test_bad_pattern_diag),
        cmocka_unit_test(test_pattern_without_token_group),
        cmocka_unit_test(test_pattern_file_lines),
        cmocka_unit_test(test_pattern_files),
        cmocka_unit_test(test_errno_rule_names_the_table),
        cmocka_unit_test(test_unit_lists_agree),
        cmocka_unit_test(test_user_token_kinds),
        cmocka_unit_test(test_catastrophic_pattern_is_an_error),
    };
    return cmocka_run_group_tests_name("matcher", tests, setup, teardown);
}
