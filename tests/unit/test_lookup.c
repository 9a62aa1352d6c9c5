/* --lookup, --list and --search: arguments to rows, and the printed reference. */
#include "unit.h"

#include "lookup.h"
#include "status.h"

static long parsed(const char *arg)
{
    const struct wsa_error *e = lookup_parse(arg);
    return e ? e->code : -1;
}

static void test_parse_forms(void **state)
{
    (void)state;
    assert_int_equal(parsed("10054"), 10054);
    assert_int_equal(parsed("0x2746"), 10054);
    assert_int_equal(parsed("0X2746"), 10054);
    assert_int_equal(parsed("0x80072746"), 10054);
    assert_int_equal(parsed("-2147014842"), 10054);
    assert_int_equal(parsed("2147952454"), 10054); /* 0x80072746 as unsigned decimal */
    assert_int_equal(parsed("wsaeconnreset"), 10054);
    assert_int_equal(parsed("WSAECONNRESET"), 10054);
    assert_int_equal(parsed("WSAINVALIDPROVIDER"), 10105);
    assert_int_equal(parsed("wsa_qos_eunkownpsobj"), 11024);
    assert_int_equal(parsed("8007274C"), 10060);
    assert_int_equal(parsed("8007274c"), 10060);
    assert_int_equal(parsed("80072746"), 10054); /* all digits, as hr=80072746 in a log */
    assert_int_equal(parsed("8000274C"), 10060); /* OpenSSL 3: error:8000274C:system library */
    assert_int_equal(parsed("80002746"), 10054);
    assert_int_equal(parsed("0x8000274D"), 10061);
    assert_int_equal(parsed("997"), 997);
    assert_int_equal(parsed("0x3E5"), 997);
    assert_int_equal(parsed("6"), 6);
    assert_int_equal(parsed("11031"), 11031);
    assert_int_equal(parsed("E730054"), 10054); /* svn: E730054, APR's 720000 + the code */
    assert_int_equal(parsed("e730054"), 10054);
    assert_int_equal(parsed("730061"), 10061);
    assert_int_equal(parsed("-10054"), 10054); /* ffmpeg: "Error number -10054 occurred" */
    assert_int_equal(parsed("-11001"), 11001);
    /* asked for, an HRESULT of any code of the table (the filter reads only the Winsock codes') */
    assert_int_equal(parsed("0x80070057"), 87);
    assert_int_equal(parsed("80070057"), 87);
    assert_int_equal(parsed("-2147024809"), 87);
    assert_int_equal(parsed("0x800703E3"), 995);
}

static void test_parse_nothing(void **state)
{
    (void)state;
    static const char *const none[] = {
        "12345", "0x80075000", "", "WSAFOO", "10000", "0x", "-", "-0", "0x80072EFD", "-2147024810", "-5", "-995",
        "-9999", "-65536", "80075000", "80000006", "0x80004005", "10054x", "WSAECONNRESETX", "2147483648",
        "99999999999999999999999", "-2147483649", " 10054", "10054 ", /* blanks: lookup_print trims them */
        "E720995", "E730000", "e730000", "0xB23C6", "E785536", "ECONNRESET", /* APR: Winsock codes proper, in decimal; POSIX: lookup_print */
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        if (parsed(none[i]) != -1)
            fail_msg("lookup_parse(\"%s\") = %ld", none[i], parsed(none[i]));
}

/* Runs a printer into a temporary file; returns its output (free it) and status. */
static char *capture(int (*run)(char *const *, size_t, struct sink *), char *const *args, size_t n, int *status,
                     size_t *len)
{
    int fd = unit_tmpfd();
    struct sink out;
    assert_int_equal(sink_init(&out, fd, 128, false), 0);
    *status = run ? run(args, n, &out) : lookup_list(&out);
    assert_int_equal(sink_close(&out), 0);
    char *got = unit_slurp(fd, len);
    close(fd);
    return got;
}

static void test_print(void **state)
{
    (void)state;
    char *args[] = {"-2147014842", "WSAEFOO", "wsainvalidprovider"};
    int status;
    size_t n;
    char *got = capture(lookup_print, args, 3, &status, &n);
    assert_int_equal(status, STATUS_NONE);
    const char *want =
        "10054 WSAECONNRESET: Connection reset by peer\n"
        "  HRESULT 0x80072746 (-2147014842)\n"
        "  POSIX equivalent: ECONNRESET\n"
        "  Windows says: An existing connection was forcibly closed by the remote host.\n"
        "  The remote side reset the connection, for example because the peer program crashed, was killed or "
        "closed its socket abruptly. On UDP sockets it can instead report an ICMP port unreachable caused by an "
        "earlier send.\n"
        "\n"
        "10105 WSAEINVALIDPROVIDER: Invalid service provider version number\n"
        "  also spelled WSAINVALIDPROVIDER\n"
        "  HRESULT 0x80072779 (-2147014791)\n"
        "  Windows says: The requested service provider is invalid.\n"
        "  A service provider is invalid, for example because it reports a version other than the one Winsock 2 "
        "expects. Usually a broken or outdated layered or namespace provider is to blame.\n";
    assert_bytes_equal(got, n, want, strlen(want));
    free(got);

    char *ok[] = {"997"};
    got = capture(lookup_print, ok, 1, &status, &n);
    assert_int_equal(status, STATUS_OK);
    want = "997 WSA_IO_PENDING: Overlapped operations will complete later\n"
           "  HRESULT 0x800703E5 (-2147023899)\n"
           "  Windows says: Overlapped I/O operation is in progress.\n"
           "  Not a real failure: the overlapped request was queued and its outcome will be delivered later. "
           "Completion arrives through the event, the completion routine or the I/O completion port.\n";
    assert_bytes_equal(got, n, want, strlen(want));
    free(got);

    /* a POSIX name: every row that has it as its equivalent, each as another argument's (no blank line first) */
    char *posix[] = {"nosuch", "einval"};
    got = capture(lookup_print, posix, 2, &status, &n);
    assert_int_equal(status, STATUS_NONE);
    const char *head = "87 WSA_INVALID_PARAMETER: One or more parameters are invalid\n";
    assert_true(n > strlen(head) && memcmp(got, head, strlen(head)) == 0);
    assert_non_null(strstr(got, "\n\n10022 WSAEINVAL: Invalid argument\n"));
    free(got);

    /* names that are one value on Linux: either finds the row, no part of one does */
    char *linux_names[] = {"EAGAIN", "ewouldblock", "ENOTSUP"};
    got = capture(lookup_print, linux_names, 3, &status, &n);
    assert_int_equal(status, STATUS_OK);
    assert_non_null(strstr(got, "10035 WSAEWOULDBLOCK: Resource temporarily unavailable\n"));
    assert_non_null(strstr(got, "\n\n10035 WSAEWOULDBLOCK:"));
    assert_non_null(strstr(got, "\n\n10045 WSAEOPNOTSUPP:"));
    assert_non_null(strstr(got, "  POSIX equivalent: EWOULDBLOCK/EAGAIN\n"));
    free(got);
    char *parts[] = {"EWOULD", "EAGAIN/", "EWOULDBLOCK/EAGAIN"};
    for (size_t i = 0; i < 3; i++) {
        got = capture(lookup_print, &parts[i], 1, &status, &n);
        assert_int_equal(status, STATUS_NONE);
        free(got);
    }

    got = capture(lookup_print, NULL, 0, &status, &n);
    assert_int_equal(status, STATUS_TROUBLE);
    assert_int_equal(n, 0);
    free(got);
}

static void test_list(void **state)
{
    (void)state;
    int status;
    size_t n;
    char *got = capture(NULL, NULL, 0, &status, &n);
    assert_int_equal(status, STATUS_OK);
    size_t lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += got[i] == '\n';
    assert_int_equal(lines, 95 + 4);
    const char *first = "6\tWSA_INVALID_HANDLE\tSpecified event object handle is invalid\n";
    assert_memory_equal(got, first, strlen(first));
    const char *tail = "11031\tWSA_QOS_RESERVED_PETYPE\tReserved policy QoS element type\n"
                       "10104\tWSAINVALIDPROCTABLE\tInvalid procedure table from service provider\n"
                       "10105\tWSAINVALIDPROVIDER\tInvalid service provider version number\n"
                       "10106\tWSAPROVIDERFAILEDINIT\tUnable to initialize a service provider\n"
                       "11024\tWSA_QOS_EUNKOWNPSOBJ\tUnrecognized QoS object\n";
    assert_true(n >= strlen(tail));
    assert_bytes_equal(got + n - strlen(tail), strlen(tail), tail, strlen(tail));
    free(got);
}

static void test_search(void **state)
{
    (void)state;
    int status;
    size_t n;
    char *words[] = {"REFUSED", "connection"};
    char *got = capture(lookup_search, words, 2, &status, &n);
    assert_int_equal(status, STATUS_OK);
    /* WSAESHUTDOWN's explanation: "... that way are refused. Open a new connection ..." */
    const char *want = "10058\tWSAESHUTDOWN\tCannot send after socket shutdown\n"
                       "10061\tWSAECONNREFUSED\tConnection refused\n";
    assert_bytes_equal(got, n, want, strlen(want));
    free(got);

    char *alias[] = {"unkownps"};
    got = capture(lookup_search, alias, 1, &status, &n);
    assert_int_equal(status, STATUS_OK);
    want = "11024\tWSA_QOS_EUNKNOWNPSOBJ\tUnrecognized QoS object\n";
    assert_bytes_equal(got, n, want, strlen(want));
    free(got);

    char *none[] = {"refused", "xyzzy"};
    got = capture(lookup_search, none, 2, &status, &n);
    assert_int_equal(status, STATUS_NONE);
    assert_int_equal(n, 0);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_nothing),
        cmocka_unit_test(test_print),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_search),
    };
    return cmocka_run_group_tests_name("lookup", tests, NULL, NULL);
}
