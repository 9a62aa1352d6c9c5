/* The visible text of a line: which escape sequences are taken out, and the map back to the line's bytes. */
#include "unit.h"

#include "visible.h"

/* The visible text of s, as a string (freed by the caller's visible), asserting it was made or not. */
static const char *visible_of(struct visible *v, const char *s, int want_made)
{
    int made = visible_make(v, s, strlen(s), false);
    assert_int_equal(made, want_made);
    return made ? v->text : NULL;
}

static void test_what_is_taken_out(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want; /* want NULL: nothing taken out */
    } cases[] = {
        {"plain text 10054", NULL},
        {"\033[31merrno 10054\033[0m", "errno 10054"},
        {"\033[1;38;5;196mWSAECONNRESET\033[m", "WSAECONNRESET"},
        {"\033[38:2:255:0:0mred\033[39m", "red"},
        {"\033[2K\033[Kprogress", "progress"},              /* erase line */
        {"\033[2K\033[1Dprogress", "\033[1Dprogress"},       /* a cursor movement stays */
        {"\033[0G\033[?25lshown\033[?25h", "shown"},          /* a column, modes */
        {"\033[1mx\033(B\033[mWSAEINTR", "xWSAEINTR"},       /* tput sgr0 */
        {"\033]8;;https://x/WSAEINTR\033\\link\033]8;;\033\\", "link"}, /* a hyperlink's target */
        {"\033]0;errno 10054\atitle", "title"},            /* a window title */
        {"\033]0;never ended", NULL},
        {"\033[ [10054: x]", NULL},                          /* not a color: the bracket is text */
        {"a bare ESC\033WSAEINTR", NULL},                   /* no '[': not a CSI sequence */
        {"cut short: \033[31", NULL},                        /* no final byte */
        {"bad byte: \033[3\001m", NULL},                     /* a control byte inside */
        {"x\033[31mA\033[0m\033[1mB\033[0my", "xABy"},
    };
    struct visible v = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = visible_of(&v, cases[i].in, cases[i].want != NULL);
        if (cases[i].want) {
            assert_int_equal(v.len, strlen(cases[i].want));
            assert_memory_equal(got, cases[i].want, v.len);
        }
    }
    /* longer than any sequence a program writes: text */
    char longer[80] = "\033[";
    memset(longer + 2, '1', 70);
    strcpy(longer + 72, "mtext");
    visible_of(&v, longer, 0);
    visible_free(&v);
}

/* With cut (a piece of a long line), a sequence the end cuts short is taken out too: the rest may follow. */
static void test_cut_short(void **state)
{
    (void)state;
    struct visible v = {0};
    assert_int_equal(visible_make(&v, "errno \033[0", 9, true), 1);
    assert_int_equal(v.len, 6);
    assert_memory_equal(v.text, "errno ", 6);
    assert_int_equal(visible_make(&v, "errno \033", 7, true), 1);
    assert_int_equal(v.len, 6);
    assert_int_equal(visible_make(&v, "errno \033[0", 9, false), 0);
    assert_int_equal(visible_escape_length("\033[38;5", 6, true), 6);
    assert_int_equal(visible_escape_length("\033[38;5", 6, false), 0);
    visible_free(&v);
}

/* Each byte left maps to its own place; spans end just after their last byte; indexes find the next byte left. */
static void test_map_back(void **state)
{
    (void)state;
    static const char s[] = "ab\033[31mcd\033[0m\033[1me";
    struct visible v = {0};
    visible_of(&v, s, 1);
    assert_int_equal(v.len, 5);
    for (size_t i = 0; i < v.len; i++)
        assert_int_equal(s[v.from[i]], v.text[i]);
    assert_int_equal(v.from[v.len], sizeof s - 1);
    assert_int_equal(visible_end(&v, 2, 4), 9); /* "cd": before the ESC[0m after it */
    assert_int_equal(visible_end(&v, 3, 3), 8);
    assert_int_equal(visible_index(&v, 0), 0);
    assert_int_equal(visible_index(&v, 2), 2); /* inside ESC[31m: the 'c' after it */
    assert_int_equal(visible_index(&v, 5), 2);
    assert_int_equal(visible_index(&v, 9), 4);
    assert_int_equal(visible_index(&v, sizeof s - 1), 5);
    visible_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_what_is_taken_out),
        cmocka_unit_test(test_map_back),
        cmocka_unit_test(test_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
