/* The error table: its shape, and every row found again by code, name, HRESULT and text. */
#include "unit.h"

#include <ctype.h>

#include "table.h"
#include "token.h"

/* The row a Windows text names, through the one text lookup the program uses. */
/* On a line that says WSA, where every text counts (see table_text_needs_wsa). */
static const struct wsa_error *by_text(const char *p, size_t n) { return token_resolve(TOKEN_TEXT, p, n, true); }

/* The table as the headers define it, written out here so a lost or renumbered row shows. */
static const struct {
    long code;
    const char *name;
} expected_rows[] = {
    {6, "WSA_INVALID_HANDLE"},
    {8, "WSA_NOT_ENOUGH_MEMORY"},
    {87, "WSA_INVALID_PARAMETER"},
    {995, "WSA_OPERATION_ABORTED"},
    {996, "WSA_IO_INCOMPLETE"},
    {997, "WSA_IO_PENDING"},
    {10004, "WSAEINTR"},
    {10009, "WSAEBADF"},
    {10013, "WSAEACCES"},
    {10014, "WSAEFAULT"},
    {10022, "WSAEINVAL"},
    {10024, "WSAEMFILE"},
    {10035, "WSAEWOULDBLOCK"},
    {10036, "WSAEINPROGRESS"},
    {10037, "WSAEALREADY"},
    {10038, "WSAENOTSOCK"},
    {10039, "WSAEDESTADDRREQ"},
    {10040, "WSAEMSGSIZE"},
    {10041, "WSAEPROTOTYPE"},
    {10042, "WSAENOPROTOOPT"},
    {10043, "WSAEPROTONOSUPPORT"},
    {10044, "WSAESOCKTNOSUPPORT"},
    {10045, "WSAEOPNOTSUPP"},
    {10046, "WSAEPFNOSUPPORT"},
    {10047, "WSAEAFNOSUPPORT"},
    {10048, "WSAEADDRINUSE"},
    {10049, "WSAEADDRNOTAVAIL"},
    {10050, "WSAENETDOWN"},
    {10051, "WSAENETUNREACH"},
    {10052, "WSAENETRESET"},
    {10053, "WSAECONNABORTED"},
    {10054, "WSAECONNRESET"},
    {10055, "WSAENOBUFS"},
    {10056, "WSAEISCONN"},
    {10057, "WSAENOTCONN"},
    {10058, "WSAESHUTDOWN"},
    {10059, "WSAETOOMANYREFS"},
    {10060, "WSAETIMEDOUT"},
    {10061, "WSAECONNREFUSED"},
    {10062, "WSAELOOP"},
    {10063, "WSAENAMETOOLONG"},
    {10064, "WSAEHOSTDOWN"},
    {10065, "WSAEHOSTUNREACH"},
    {10066, "WSAENOTEMPTY"},
    {10067, "WSAEPROCLIM"},
    {10068, "WSAEUSERS"},
    {10069, "WSAEDQUOT"},
    {10070, "WSAESTALE"},
    {10071, "WSAEREMOTE"},
    {10091, "WSASYSNOTREADY"},
    {10092, "WSAVERNOTSUPPORTED"},
    {10093, "WSANOTINITIALISED"},
    {10101, "WSAEDISCON"},
    {10102, "WSAENOMORE"},
    {10103, "WSAECANCELLED"},
    {10104, "WSAEINVALIDPROCTABLE"},
    {10105, "WSAEINVALIDPROVIDER"},
    {10106, "WSAEPROVIDERFAILEDINIT"},
    {10107, "WSASYSCALLFAILURE"},
    {10108, "WSASERVICE_NOT_FOUND"},
    {10109, "WSATYPE_NOT_FOUND"},
    {10110, "WSA_E_NO_MORE"},
    {10111, "WSA_E_CANCELLED"},
    {10112, "WSAEREFUSED"},
    {11001, "WSAHOST_NOT_FOUND"},
    {11002, "WSATRY_AGAIN"},
    {11003, "WSANO_RECOVERY"},
    {11004, "WSANO_DATA"},
    {11005, "WSA_QOS_RECEIVERS"},
    {11006, "WSA_QOS_SENDERS"},
    {11007, "WSA_QOS_NO_SENDERS"},
    {11008, "WSA_QOS_NO_RECEIVERS"},
    {11009, "WSA_QOS_REQUEST_CONFIRMED"},
    {11010, "WSA_QOS_ADMISSION_FAILURE"},
    {11011, "WSA_QOS_POLICY_FAILURE"},
    {11012, "WSA_QOS_BAD_STYLE"},
    {11013, "WSA_QOS_BAD_OBJECT"},
    {11014, "WSA_QOS_TRAFFIC_CTRL_ERROR"},
    {11015, "WSA_QOS_GENERIC_ERROR"},
    {11016, "WSA_QOS_ESERVICETYPE"},
    {11017, "WSA_QOS_EFLOWSPEC"},
    {11018, "WSA_QOS_EPROVSPECBUF"},
    {11019, "WSA_QOS_EFILTERSTYLE"},
    {11020, "WSA_QOS_EFILTERTYPE"},
    {11021, "WSA_QOS_EFILTERCOUNT"},
    {11022, "WSA_QOS_EOBJLENGTH"},
    {11023, "WSA_QOS_EFLOWCOUNT"},
    {11024, "WSA_QOS_EUNKNOWNPSOBJ"},
    {11025, "WSA_QOS_EPOLICYOBJ"},
    {11026, "WSA_QOS_EFLOWDESC"},
    {11027, "WSA_QOS_EPSFLOWSPEC"},
    {11028, "WSA_QOS_EPSFILTERSPEC"},
    {11029, "WSA_QOS_ESDMODEOBJ"},
    {11030, "WSA_QOS_ESHAPERATEOBJ"},
    {11031, "WSA_QOS_RESERVED_PETYPE"},
};

enum { ROWS = sizeof expected_rows / sizeof expected_rows[0] };

static void lower_copy(char *dst, const char *src)
{
    size_t i = 0;
    for (; src[i]; i++)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

static void test_counts(void **state)
{
    (void)state;
    assert_int_equal(ROWS, 95);
    assert_int_equal(table_count(), 95);
    assert_int_equal(table_alias_count(), 4);
    assert_null(table_at(95));
    assert_null(table_at((size_t)-1));
}

static void test_rows_match_headers(void **state)
{
    (void)state;
    for (size_t i = 0; i < ROWS; i++) {
        const struct wsa_error *e = table_at(i);
        assert_non_null(e);
        assert_int_equal(e->code, expected_rows[i].code);
        assert_string_equal(e->name, expected_rows[i].name);
        assert_int_equal(table_index(e), i);
    }
}

static void test_codes_strictly_ascending(void **state)
{
    (void)state;
    for (size_t i = 1; i < table_count(); i++)
        assert_true(table_at(i - 1)->code < table_at(i)->code);
}

static void test_spot_rows(void **state)
{
    (void)state;
    const struct wsa_error *e = table_by_code(10054);
    assert_non_null(e);
    assert_string_equal(e->name, "WSAECONNRESET");
    assert_string_equal(e->posix, "ECONNRESET");
    assert_string_equal(e->message, "Connection reset by peer");
    assert_string_equal(e->text, "An existing connection was forcibly closed by the remote host.");
    e = table_by_code(997);
    assert_non_null(e);
    assert_string_equal(e->name, "WSA_IO_PENDING");
    assert_string_equal(e->posix, "");
    assert_string_equal(e->message, "Overlapped operations will complete later");
    e = table_by_code(11001);
    assert_non_null(e);
    assert_string_equal(e->text, "No such host is known.");
}

static void test_round_trip_by_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        assert_ptr_equal(table_by_code(e->code), e);
    }
    static const long absent[] = {-1, 0, 1, 7, 86, 88, 994, 998, 9999, 10000, 10001, 10005, 10072,
                                  10090, 10094, 10100, 10113, 11000, 11032, 12029, 65535, 75590};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        assert_null(table_by_code(absent[i]));
}

static void test_round_trip_by_name(void **state)
{
    (void)state;
    char low[64];
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        size_t n = strlen(e->name);
        assert_true(n < sizeof low);
        assert_memory_equal(e->name, "WSA", 3);
        assert_ptr_equal(table_by_name(e->name, n, false), e);
        assert_ptr_equal(table_by_name(e->name, n, true), e);
        lower_copy(low, e->name);
        assert_ptr_equal(table_by_name(low, n, true), e);
        assert_null(table_by_name(low, n, false));
        /* a prefix or a longer word is not the name */
        assert_null(table_by_name(e->name, n - 1, false));
        char longer[72];
        snprintf(longer, sizeof longer, "%sX", e->name);
        assert_null(table_by_name(longer, n + 1, false));
    }
}

static void test_name_is_a_byte_span(void **state)
{
    (void)state;
    const char *s = "WSAECONNRESETxyz";
    const struct wsa_error *e = table_by_name(s, 13, false);
    assert_non_null(e);
    assert_int_equal(e->code, 10054);
    e = table_by_name("WsaEConnReset", 13, true);
    assert_non_null(e);
    assert_int_equal(e->code, 10054);
    assert_null(table_by_name("", 0, true));
    assert_null(table_by_name("WSA", 3, true));
    assert_null(table_by_name("WSAEFOO", 7, false));
}

static void test_round_trip_by_hresult(void **state)
{
    (void)state;
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        unsigned long hr = 0x80070000UL | (unsigned long)e->code;
        if (e->code >= 10000)
            assert_ptr_equal(table_by_hresult(hr), e);
        else
            assert_null(table_by_hresult(hr)); /* 0x80070057 is E_INVALIDARG, not Winsock */
    }
}

static void test_hresult_literals(void **state)
{
    (void)state;
    const struct wsa_error *e = table_by_hresult(0x80072746UL);
    assert_non_null(e);
    assert_int_equal(e->code, 10054);
    e = table_by_hresult(0x8007274CUL);
    assert_non_null(e);
    assert_int_equal(e->code, 10060);
    assert_null(table_by_hresult(0x80070057UL));
    assert_null(table_by_hresult(0x80072EFDUL));
    assert_null(table_by_hresult(0x80072710UL)); /* 10000 */
    assert_null(table_by_hresult(0x00002746UL));
    assert_null(table_by_hresult(0x80012746UL));
    assert_null(table_by_hresult(0xC0072746UL));
    assert_null(table_by_hresult(0));
}

/* Rows whose Windows text repeats an earlier row's: the text finds the earlier row. */
static long text_owner(long code)
{
    switch (code) {
    case 10110:
        return 10102;
    case 10111:
        return 10103;
    default:
        return code;
    }
}

static void test_round_trip_by_text(void **state)
{
    (void)state;
    char buf[512];
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        size_t n = strlen(e->text);
        assert_true(n > 0 && n < sizeof buf);
        const struct wsa_error *want = table_by_code(text_owner(e->code));
        assert_non_null(want);
        assert_ptr_equal(by_text(e->text, n), want);
        lower_copy(buf, e->text);
        assert_ptr_equal(by_text(buf, n), want);
        assert_int_equal(buf[n - 1], '.');
        assert_ptr_equal(by_text(buf, n - 1), want);
        assert_ptr_equal(by_text(e->text, n - 1), want);
        /* shorter by one more byte is some other text, or none */
        const struct wsa_error *cut = by_text(e->text, n - 2);
        assert_true(cut != want);
    }
}

static void test_text_literals(void **state)
{
    (void)state;
    const struct wsa_error *e = by_text(LIT("no such host is known"));
    assert_non_null(e);
    assert_int_equal(e->code, 11001);
    e = by_text(LIT("AN EXISTING CONNECTION WAS FORCIBLY CLOSED BY THE REMOTE HOST."));
    assert_non_null(e);
    assert_int_equal(e->code, 10054);
    assert_null(by_text(LIT("No such host is known..")));
    assert_null(by_text(LIT(" No such host is known.")));
    assert_null(by_text(LIT("")));
    assert_null(by_text(LIT(".")));
}

static void test_aliases(void **state)
{
    (void)state;
    static const struct {
        const char *alias;
        long code;
    } want[] = {
        {"WSAINVALIDPROCTABLE", 10104},
        {"WSAINVALIDPROVIDER", 10105},
        {"WSAPROVIDERFAILEDINIT", 10106},
        {"WSA_QOS_EUNKOWNPSOBJ", 11024},
    };
    assert_int_equal(table_alias_count(), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct wsa_alias a = table_alias_at(i);
        assert_string_equal(a.alias, want[i].alias);
        assert_non_null(a.error);
        assert_int_equal(a.error->code, want[i].code);
        const struct wsa_error *e = table_by_name(want[i].alias, strlen(want[i].alias), false);
        assert_non_null(e);
        assert_int_equal(e->code, want[i].code);
        char low[64];
        lower_copy(low, want[i].alias);
        e = table_by_name(low, strlen(low), true);
        assert_non_null(e);
        assert_int_equal(e->code, want[i].code);
        assert_null(table_by_name(low, strlen(low), false));
    }
    struct wsa_alias none = table_alias_at(4);
    assert_null(none.alias);
    assert_null(none.error);
}

static void test_messages_and_explanations(void **state)
{
    (void)state;
    for (size_t i = 0; i < table_count(); i++) {
        const struct wsa_error *e = table_at(i);
        size_t n = strlen(e->message);
        assert_true(n > 0);
        if (e->message[n - 1] == '.')
            fail_msg("message of %s ends with a period: \"%s\"", e->name, e->message);
        assert_true(strlen(e->explanation) > 0);
        assert_non_null(e->posix);
        assert_true(e->code > 0 && e->code <= 0xFFFF);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_rows_match_headers),
        cmocka_unit_test(test_codes_strictly_ascending),
        cmocka_unit_test(test_spot_rows),
        cmocka_unit_test(test_round_trip_by_code),
        cmocka_unit_test(test_round_trip_by_name),
        cmocka_unit_test(test_name_is_a_byte_span),
        cmocka_unit_test(test_round_trip_by_hresult),
        cmocka_unit_test(test_hresult_literals),
        cmocka_unit_test(test_round_trip_by_text),
        cmocka_unit_test(test_text_literals),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_messages_and_explanations),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
