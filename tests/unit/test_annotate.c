/* The annotator on whole lines: first mention once per code, existing annotations kept, --strip. */
#include "unit.h"
#include "unit_matcher.h"

#include "annotate.h"

/* One line through annotate_find and annotate_write_text; the output bytes (free them). */
static char *annotate(const char *s, size_t len, bool strip, size_t *out_len)
{
    int fd = unit_tmpfd();
    struct sink out;
    assert_int_equal(sink_init(&out, fd, 64, false), 0);
    struct line_memory mem;
    static struct notes notes;
    line_memory_reset(&mem);
    size_t last = annotate_find(strip ? NULL : unit_matcher, s, len, 0, len, false, &mem, &notes);
    assert_true(last <= len);
    assert_int_equal(notes.match_error, 0);
    assert_int_equal(annotate_write_text(s, 0, len, &notes, strip, &mem, &out), 0);
    assert_int_equal(sink_close(&out), 0);
    char *got = unit_slurp(fd, out_len);
    close(fd);
    return got;
}

static void check(const char *in, size_t in_len, const char *want, size_t want_len)
{
    size_t n;
    char *got = annotate(in, in_len, false, &n);
    assert_bytes_equal(got, n, want, want_len);
    free(got);
}

static void check_strip(const char *in, size_t in_len, const char *want, size_t want_len)
{
    size_t n;
    char *got = annotate(in, in_len, true, &n);
    assert_bytes_equal(got, n, want, want_len);
    free(got);
}

static void test_once_per_line_first_mention(void **state)
{
    (void)state;
    check(LIT("WSAECONNRESET (10054) error 10054 again 0x80072746 then [WinError 10061] and WSAECONNREFUSED"),
          LIT("WSAECONNRESET [10054: Connection reset by peer] (10054) error 10054 again 0x80072746 then "
              "[WinError 10061 [WSAECONNREFUSED: Connection refused]] and WSAECONNREFUSED"));
    check(LIT("HRESULT 0x80072746, i.e. -2147014842, i.e. WSAECONNRESET, i.e. error 10054"),
          LIT("HRESULT 0x80072746 [WSAECONNRESET 10054: Connection reset by peer], i.e. -2147014842, i.e. "
              "WSAECONNRESET, i.e. error 10054"));
    check(LIT("error 10054 error 10054 error 10054"),
          LIT("error 10054 [WSAECONNRESET: Connection reset by peer] error 10054 error 10054"));
}

static void test_each_form(void **state)
{
    (void)state;
    check(LIT("ConnectionResetError: [WinError 10054] An existing connection"),
          LIT("ConnectionResetError: [WinError 10054 [WSAECONNRESET: Connection reset by peer]] An existing "
              "connection"));
    check(LIT("send: WSAENOTCONN"), LIT("send: WSAENOTCONN [10057: Socket is not connected]"));
    check(LIT("Windows Update failed with 0x8007274C"),
          LIT("Windows Update failed with 0x8007274C [WSAETIMEDOUT 10060: Connection timed out]"));
    check(LIT("The operation failed: -2147014842"),
          LIT("The operation failed: -2147014842 [WSAECONNRESET 10054: Connection reset by peer]"));
    check(LIT("code = 0x274D while connecting"),
          LIT("code = 0x274D [WSAECONNREFUSED 10061: Connection refused] while connecting"));
    check(LIT("err WSAINVALIDPROVIDER"),
          LIT("err WSAINVALIDPROVIDER [10105: Invalid service provider version number]"));
    check(LIT("a WSAECONNRESET, b WSAETIMEDOUT, c WSAECONNRESET"),
          LIT("a WSAECONNRESET [10054: Connection reset by peer], b WSAETIMEDOUT [10060: Connection timed out], "
              "c WSAECONNRESET"));
}

static void test_negatives_unchanged(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "2026-11-25T10:00:00.123Z DEBUG [pool] listening on 0.0.0.0:10050 (pid 10054)",
        "2026-11-25T10:00:05Z DEBUG [kv] WSAStartup ok, version 2.2, handle 10054",
        "WSACleanup called; WSASend queued; WSAPoll ready; WSAEFOO; MY_WSAECONNRESET_X",
        "socket handle 0x2746 created",
        "request id 0x80070057 failed with E_INVALIDARG 0x80070057",
        "error: expected 10054 bytes, got 10060",
        "ConnectionResetError: [Errno 104] Connection reset by peer",
        "",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        check(lines[i], strlen(lines[i]), lines[i], strlen(lines[i]));
}

static void test_small_codes_need_wsa(void **state)
{
    (void)state;
    check(LIT("GetLastError() = 997 on ReadFile"), LIT("GetLastError() = 997 on ReadFile"));
    check(LIT("ERROR 87: bad parameter [WinError 87]"), LIT("ERROR 87: bad parameter [WinError 87]"));
    check(LIT("WSASend failed, GetLastError() = 997"),
          LIT("WSASend failed, GetLastError() = 997 [WSA_IO_PENDING: Overlapped operations will complete later]"));
    check(LIT("GetLastError() = 997 after WSARecv"),
          LIT("GetLastError() = 997 [WSA_IO_PENDING: Overlapped operations will complete later] after WSARecv"));
    check(LIT("WSARecv returned WSA_IO_PENDING and then GetLastError() = 997"),
          LIT("WSARecv returned WSA_IO_PENDING [997: Overlapped operations will complete later] and then "
              "GetLastError() = 997"));
    check(LIT("WSAWaitForMultipleEvents: error = 0x3E5"),
          LIT("WSAWaitForMultipleEvents: error = 0x3E5 [WSA_IO_PENDING 997: Overlapped operations will complete "
              "later]"));
}

static void test_bytes_kept(void **state)
{
    (void)state;
    check(LIT("nul\0byte error 10060\0end\r"),
          LIT("nul\0byte error 10060 [WSAETIMEDOUT: Connection timed out]\0end\r"));
    check(LIT("invalid \xff\xfe utf8 WSAETIMEDOUT \xc3("),
          LIT("invalid \xff\xfe utf8 WSAETIMEDOUT [10060: Connection timed out] \xc3("));
}

static const char *const samples[] = {
    "WSAECONNRESET (10054) error 10054 again 0x80072746 then [WinError 10061] and WSAECONNREFUSED",
    "ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host",
    "recv failed with error 10054 (WSAECONNRESET)",
    "Windows Update failed with 0x8007274C",
    "The operation failed: -2147014842",
    "(0x0000274D/10061) connect refused",
    "WSARecv returned WSA_IO_PENDING and then GetLastError() = 997",
    "NativeErrorCode=10060, ErrorCode: 10054, Socket Error #10065, err: 0x2746",
    "send: WSAENOTCONN",
    "plain text [not an annotation] 12345",
};

static void test_running_again_changes_nothing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        size_t n1, n2;
        char *once = annotate(samples[i], strlen(samples[i]), false, &n1);
        char *twice = annotate(once, n1, false, &n2);
        assert_bytes_equal(twice, n2, once, n1);
        free(once);
        free(twice);
    }
}

static void test_existing_annotations_recognised(void **state)
{
    (void)state;
    /* an annotation already there counts as this code's annotation: no second one */
    check(LIT("error 10054 [WSAECONNRESET: Connection reset by peer] and WSAECONNRESET"),
          LIT("error 10054 [WSAECONNRESET: Connection reset by peer] and WSAECONNRESET"));
    /* a token inside an annotation is not a token */
    check(LIT("x [WSAECONNRESET 10054: Connection reset by peer] then WSAETIMEDOUT"),
          LIT("x [WSAECONNRESET 10054: Connection reset by peer] then WSAETIMEDOUT [10060: Connection timed out]"));
    /* a near miss is text like any other */
    check(LIT("error 10054 [WSAECONNRESET: Connection reset]"),
          LIT("error 10054 [WSAECONNRESET: Connection reset by peer] [WSAECONNRESET: Connection reset]"));
}

static void test_notes(void **state)
{
    (void)state;
    static struct notes notes;
    struct line_memory mem;
    const char *s = "x [10061: Connection refused] error 10054 WSAECONNRESET";
    line_memory_reset(&mem);
    size_t last = annotate_find(unit_matcher, s, strlen(s), 0, strlen(s), false, &mem, &notes);
    assert_int_equal(notes.count, 2);
    /* the existing annotation */
    assert_int_equal(notes.item[0].at, 1);
    assert_int_equal(notes.item[0].existing_len, 28);
    assert_int_equal(notes.item[0].error->code, 10061);
    /* the new one, after "10054" */
    assert_int_equal(notes.item[1].tok_start, 36);
    assert_int_equal(notes.item[1].tok_end, 41);
    assert_int_equal(notes.item[1].at, 41);
    assert_int_equal(notes.item[1].existing_len, 0);
    assert_int_equal(notes.item[1].kind, TOKEN_CODE);
    assert_int_equal(notes.item[1].error->code, 10054);
    assert_int_equal(last, strlen(s)); /* the name matched too, though already seen */

    /* without a matcher: only what is already there */
    line_memory_reset(&mem);
    annotate_find(NULL, s, strlen(s), 0, strlen(s), false, &mem, &notes);
    assert_int_equal(notes.count, 1);
    assert_int_equal(notes.item[0].existing_len, 28);
}

static void test_accept_end_and_memory(void **state)
{
    (void)state;
    static struct notes notes;
    struct line_memory mem;
    const char *s = "error 10054 and error 10061 and WSAECONNRESET";
    size_t len = strlen(s);
    line_memory_reset(&mem);
    /* only matches starting before 8 are taken; the end of the last one comes back */
    size_t last = annotate_find(unit_matcher, s, len, 0, 8, false, &mem, &notes);
    assert_int_equal(last, 11);
    assert_int_equal(notes.count, 1);
    assert_int_equal(notes.item[0].error->code, 10054);
    /* the next piece of the same line remembers 10054 */
    last = annotate_find(unit_matcher, s, len, last, len, false, &mem, &notes);
    assert_int_equal(last, len);
    assert_int_equal(notes.count, 1);
    assert_int_equal(notes.item[0].error->code, 10061);
}

static void test_strip_removes_exactly_annotations(void **state)
{
    (void)state;
    check_strip(LIT("a 10054 [WSAECONNRESET: Connection reset by peer] b [not an annotation] c [10054: wrong] d "
                    "WSAETIMEDOUT [10060: Connection timed out]"),
                LIT("a 10054 b [not an annotation] c [10054: wrong] d WSAETIMEDOUT"));
    check_strip(LIT("x [WSAECONNRESET 10054: Connection reset by peer] [10061: Connection refused]y"),
                LIT("xy"));
    check_strip(LIT("nothing to strip, 10054 WSAECONNRESET"), LIT("nothing to strip, 10054 WSAECONNRESET"));
    /* strip undoes annotate on every sample */
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        size_t n1, n2;
        char *once = annotate(samples[i], strlen(samples[i]), false, &n1);
        char *back = annotate(once, n1, true, &n2);
        assert_bytes_equal(back, n2, samples[i], strlen(samples[i]));
        free(once);
        free(back);
    }
}

/*
 * Regression (was a bug): idempotence breaks for a small code on a line whose only "WSA" is in
 * wsaerr's own annotation. src/annotate.c resolve() decides "the line mentions
 * WSA" over the whole subject, existing annotations
 * included. First pass over "[WinError 10054] then [WinError 997]" annotates
 * 10054 only (997 needs WSA on the line); the second pass sees the "WSA" of
 * " [WSAECONNRESET: ...]" and now annotates 997 too:
 *   expected "[WinError 10054 [WSAECONNRESET: Connection reset by peer]] then [WinError 997]"
 *   actual   "... then [WinError 997 [WSA_IO_PENDING: Overlapped operations will complete later]]"
 * The same happens in the program (wsaerr | wsaerr), and the candidate scan
 * (token_candidate) also takes the annotation's "WSA" as a reason to look.
 */
static void test_idempotent_small_code_after_annotation(void **state)
{
    (void)state;

    size_t n1, n2;
    const char *s = "[WinError 10054] then [WinError 997]";
    char *once = annotate(s, strlen(s), false, &n1);
    const char *want = "[WinError 10054 [WSAECONNRESET: Connection reset by peer]] then [WinError 997]";
    assert_bytes_equal(once, n1, want, strlen(want));
    char *twice = annotate(once, n1, false, &n2);
    assert_bytes_equal(twice, n2, once, n1);
    free(once);
    free(twice);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_once_per_line_first_mention),
        cmocka_unit_test(test_each_form),
        cmocka_unit_test(test_negatives_unchanged),
        cmocka_unit_test(test_small_codes_need_wsa),
        cmocka_unit_test(test_bytes_kept),
        cmocka_unit_test(test_running_again_changes_nothing),
        cmocka_unit_test(test_existing_annotations_recognised),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_accept_end_and_memory),
        cmocka_unit_test(test_strip_removes_exactly_annotations),
        cmocka_unit_test(test_idempotent_small_code_after_annotation),
    };
    return cmocka_run_group_tests_name("annotate", tests, unit_matcher_setup, unit_matcher_teardown);
}
