/* Command-line parsing into struct config. */
#include "unit.h"

#include "options.h"
#include "status.h"

/* argv as main gets it: writable strings in an array that ends with NULL. */
struct args {
    int argc;
    char *argv[16];
    char store[16][64];
};

/*
 * Each call gets storage of its own that stays alive: getopt keeps a pointer
 * into the previous argv between calls (see test_second_parse_after_error).
 */
static struct args *make(const char *const *words)
{
    static struct args pool[128];
    static size_t used;
    assert_true(used < sizeof pool / sizeof pool[0]);
    struct args *a = &pool[used++];
    a->argv[a->argc] = strcpy(a->store[a->argc], "wsaerr");
    a->argc++;
    for (; *words; words++, a->argc++) {
        assert_true(a->argc < 15 && strlen(*words) < 64);
        a->argv[a->argc] = strcpy(a->store[a->argc], *words);
    }
    a->argv[a->argc] = NULL;
    return a;
}

static int parse(struct config *cfg, const char *const *words)
{
    struct args *a = make(words);
    return options_parse(a->argc, a->argv, cfg);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A usage error (a macro, so that a failure names the caller's line). */
#define REJECTS(...)                                                                                                   \
    do {                                                                                                               \
        struct config rejected;                                                                                        \
        assert_int_equal(parse(&rejected, WORDS(__VA_ARGS__)), STATUS_TROUBLE);                                       \
        options_free(&rejected);                                                                                       \
    } while (0)

static void check_operands(const struct config *cfg, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    assert_int_equal(cfg->noperands, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(cfg->operands[i], want[i]);
}

static void test_defaults(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, (const char *const[]){NULL}), 0);
    assert_int_equal(cfg.mode, MODE_FILTER);
    assert_true(cfg.use_jit);
    assert_true(cfg.prefilter);
    assert_false(cfg.strip);
    assert_false(cfg.line_buffered);
    assert_int_equal(cfg.buffer_size, 256 * 1024);
    assert_int_equal(cfg.noperands, 0);
    assert_int_equal(cfg.npattern_files, 0);
    options_free(&cfg);
}

static void test_lookup_keeps_negative_operand(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--lookup", "10054", "-2147014842", "0x2746")), 0);
    assert_int_equal(cfg.mode, MODE_LOOKUP);
    check_operands(&cfg, WORDS("10054", "-2147014842", "0x2746"));
    options_free(&cfg);

    /* --lookup=ARG, --search=WORD: that word first, then the operands */
    assert_int_equal(parse(&cfg, WORDS("0x2746", "--lookup=10054", "-2147014842")), 0);
    assert_int_equal(cfg.mode, MODE_LOOKUP);
    check_operands(&cfg, WORDS("10054", "0x2746", "-2147014842"));
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--search=reset", "peer")), 0);
    assert_int_equal(cfg.mode, MODE_SEARCH);
    check_operands(&cfg, WORDS("reset", "peer"));
    options_free(&cfg);

    /* operands before the option and after it, in their order */
    assert_int_equal(parse(&cfg, WORDS("-2147014843", "-l", "WSAECONNRESET", "-2147014842")), 0);
    assert_int_equal(cfg.mode, MODE_LOOKUP);
    check_operands(&cfg, WORDS("-2147014843", "WSAECONNRESET", "-2147014842"));
    options_free(&cfg);
}

/* Regression: "-j -5" ran 5 threads and "-p -123" read the file "123" (the dash hidden as for an operand). */
static void test_negative_option_arguments(void **state)
{
    (void)state;
    struct config cfg;
    REJECTS("-j", "-5");
    REJECTS("--threads", "-1025");
    /* nor a sign or blank that strtoul would take */
    REJECTS("-j", "+2");
    REJECTS("-j", " 2");
    assert_int_equal(parse(&cfg, WORDS("-p", "-123", "-5")), 0);
    assert_int_equal(cfg.npattern_files, 1);
    assert_string_equal(cfg.pattern_files[0], "-123");
    check_operands(&cfg, WORDS("-5"));
    options_free(&cfg);
    /* the last of a group takes the next element; the ones after stay operands */
    assert_int_equal(parse(&cfg, WORDS("-np", "-7", "-2147014842")), 0);
    assert_true(cfg.line_number);
    assert_string_equal(cfg.pattern_files[0], "-7");
    check_operands(&cfg, WORDS("-2147014842"));
    options_free(&cfg);
    /* "--" as an option's argument does not end the options */
    assert_int_equal(parse(&cfg, WORDS("--patterns", "--", "-5", "--strip")), 0);
    assert_string_equal(cfg.pattern_files[0], "--");
    assert_true(cfg.strip);
    check_operands(&cfg, WORDS("-5"));
    options_free(&cfg);
}

static void test_patterns_collected(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("-p", "a.pcre", "-p", "b.pcre")), 0);
    assert_int_equal(cfg.mode, MODE_FILTER);
    assert_int_equal(cfg.npattern_files, 2);
    assert_string_equal(cfg.pattern_files[0], "a.pcre");
    assert_string_equal(cfg.pattern_files[1], "b.pcre");
    assert_int_equal(cfg.noperands, 0);
    options_free(&cfg);

    assert_int_equal(parse(&cfg, WORDS("app.log", "--patterns=c.pcre", "-pd.pcre", "-", "other.log")), 0);
    assert_int_equal(cfg.npattern_files, 2);
    assert_string_equal(cfg.pattern_files[0], "c.pcre");
    assert_string_equal(cfg.pattern_files[1], "d.pcre");
    check_operands(&cfg, WORDS("app.log", "-", "other.log"));
    options_free(&cfg);
}

static void test_flags(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--line-buffered", "--strip", "--no-jit", "in.log")), 0);
    assert_int_equal(cfg.mode, MODE_FILTER);
    assert_true(cfg.line_buffered);
    assert_true(cfg.strip);
    assert_false(cfg.use_jit);
    assert_true(cfg.prefilter);
    check_operands(&cfg, WORDS("in.log"));
    options_free(&cfg);

    assert_int_equal(parse(&cfg, WORDS("--strip")), 0);
    assert_true(cfg.strip);
    assert_false(cfg.line_buffered);
    assert_true(cfg.use_jit);
    options_free(&cfg);
}

static void test_modes(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--list")), 0);
    assert_int_equal(cfg.mode, MODE_LIST);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("-s", "refused", "connection")), 0);
    assert_int_equal(cfg.mode, MODE_SEARCH);
    check_operands(&cfg, WORDS("refused", "connection"));
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--help")), 0);
    assert_int_equal(cfg.mode, MODE_HELP);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("-V")), 0);
    assert_int_equal(cfg.mode, MODE_VERSION);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--lookup", "--lookup", "1")), 0);
    assert_int_equal(cfg.mode, MODE_LOOKUP);
    options_free(&cfg);
}

/* --color[=WHEN] and the auto decision: terminal, NO_COLOR, TERM=dumb; --json never colored. */
static void test_color(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("x.log")), 0);
    assert_int_equal(cfg.color_when, COLOR_AUTO);
    options_decide_color(&cfg, true, NULL, "xterm-256color");
    assert_true(cfg.color);
    options_decide_color(&cfg, false, NULL, "xterm");
    assert_false(cfg.color);
    options_decide_color(&cfg, true, "1", "xterm");
    assert_false(cfg.color);
    options_decide_color(&cfg, true, "", "xterm"); /* an empty NO_COLOR does not count */
    assert_true(cfg.color);
    options_decide_color(&cfg, true, NULL, "dumb");
    assert_false(cfg.color);
    options_free(&cfg);

    assert_int_equal(parse(&cfg, WORDS("--color=always")), 0);
    options_decide_color(&cfg, false, "1", "dumb");
    assert_true(cfg.color);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--colour=never")), 0);
    options_decide_color(&cfg, true, NULL, "xterm");
    assert_false(cfg.color);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--color")), 0); /* bare: auto, as in grep */
    assert_int_equal(cfg.color_when, COLOR_AUTO);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--json", "--color=always")), 0);
    options_decide_color(&cfg, true, NULL, "xterm");
    assert_false(cfg.color);
    options_free(&cfg);
    REJECTS("--color=sometimes");
    /* grep's other words for the three */
    static const char *const words[] = {"--color=yes", "--color=force", "--color=no", "--color=none",
                                        "--color=tty", "--color=if-tty"};
    static const enum color want[] = {COLOR_ALWAYS, COLOR_ALWAYS, COLOR_NEVER, COLOR_NEVER, COLOR_AUTO, COLOR_AUTO};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        assert_int_equal(parse(&cfg, (const char *const[]){words[i], NULL}), 0);
        assert_int_equal(cfg.color_when, want[i]);
        options_free(&cfg);
    }
    REJECTS("--color=YES");
}

static void test_output_modes(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--only-annotated", "--summary", "--json", "a.log")), 0);
    assert_true(cfg.only_annotated && cfg.summary && cfg.json);
    assert_int_equal(cfg.noperands, 1);
    options_free(&cfg);
    REJECTS("--json", "--strip");
}

/* -H, --no-filename, -n; file names by default as grep gives them: lines picked out of several files. */
static void test_line_prefixes(void **state)
{
    (void)state;
    const struct {
        const char *const *words;
        bool with_filename, line_number;
    } cases[] = {
        {WORDS("a.log", "b.log"), false, false},
        {WORDS("--only-annotated", "a.log"), false, false},
        {WORDS("--only-annotated", "a.log", "b.log"), true, false},
        {WORDS("--only-annotated", "--no-filename", "a.log", "b.log"), false, false},
        {WORDS("--no-filename", "-H", "a.log"), true, false},
        {WORDS("-H", "--no-filename", "--only-annotated", "a.log", "b.log"), false, false},
        {WORDS("-Hn"), true, true},
        {WORDS("--line-number", "--with-filename", "-"), true, true},
        {WORDS("--json", "--only-annotated", "a.log", "b.log"), false, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config cfg;
        assert_int_equal(parse(&cfg, cases[i].words), 0);
        if (cfg.with_filename != cases[i].with_filename || cfg.line_number != cases[i].line_number)
            fail_msg("case %zu: -H %d -n %d", i, cfg.with_filename, cfg.line_number);
        options_free(&cfg);
    }
    struct config cfg;
    REJECTS("--json", "-n");
    REJECTS("--json", "-H", "a.log");
    assert_int_equal(parse(&cfg, WORDS("--json", "--no-filename", "a.log")), 0);
    options_free(&cfg);
}

static void test_mmexternal(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--mmexternal")), 0);
    assert_int_equal(cfg.mode, MODE_MMEXTERNAL);
    assert_int_equal(cfg.mm_input, MM_MSG);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--mmexternal=msg")), 0);
    assert_int_equal(cfg.mm_input, MM_MSG);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--no-jit", "--mmexternal=fulljson")), 0);
    assert_int_equal(cfg.mode, MODE_MMEXTERNAL);
    assert_int_equal(cfg.mm_input, MM_FULLJSON);
    assert_false(cfg.use_jit);
    options_free(&cfg);
    /* rsyslog's INTERFACE.md names "json", which mmexternal rejects; rawmsg has headers in front */
    REJECTS("--mmexternal=json");
    REJECTS("--mmexternal=rawmsg");
    REJECTS("--mmexternal", "file.log");
    /* the output options make no sense in replies (and --summary writes to stderr) */
    REJECTS("--mmexternal", "--strip");
    REJECTS("--mmexternal", "--json");
    REJECTS("--only-annotated", "--mmexternal");
    REJECTS("--mmexternal", "--summary");
    REJECTS("--mmexternal", "--list");
}

/* What a parse that fails says on stderr, with argv[0] a path; must be want and the "Try" line. */
static void check_message(const char *const *words, const char *want)
{
    struct args *a = make(words);
    a->argv[0] = strcpy(a->store[0], "/opt/tools/wsaerr");
    int fd = unit_tmpfd(), saved = dup(STDERR_FILENO);
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    struct config cfg;
    int status = options_parse(a->argc, a->argv, &cfg);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    options_free(&cfg);
    size_t len;
    char *got = unit_slurp(fd, &len);
    close(fd);
    char expect[256];
    snprintf(expect, sizeof expect, "wsaerr: %s\nTry 'wsaerr --help' for more information.\n", want);
    assert_int_equal(status, STATUS_TROUBLE);
    assert_string_equal(got, expect);
    free(got);
}

/* -p -: the patterns from standard input, so the input cannot come from there too. */
static void test_patterns_from_stdin(void **state)
{
    (void)state;
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("-p", "-", "a.log")), 0);
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("--lookup", "-p", "-", "10054")), 0); /* no input read */
    options_free(&cfg);
    check_message(WORDS("-p", "-"), "-p - reads the patterns from standard input, so the input must come from FILEs");
    check_message(WORDS("-p", "-", "a.log", "-"),
                  "-p - reads the patterns from standard input, so the input must come from FILEs");
    check_message(WORDS("--mmexternal", "-p", "-"),
                  "-p - reads the patterns from standard input, so the input must come from FILEs");
}

/* Regression: getopt's own messages began with argv[0] ("/opt/tools/wsaerr: invalid option -- 'q'"). */
static void test_getopt_messages(void **state)
{
    (void)state;
    check_message(WORDS("-q"), "invalid option: -q");
    check_message(WORDS("-Hqx"), "invalid option: -q");
    /* a word glued to -l or -s is its first word, as with --lookup= (it was "invalid option: -1") */
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("-l10054", "0x2746")), 0);
    assert_int_equal(cfg.mode, MODE_LOOKUP);
    check_operands(&cfg, WORDS("10054", "0x2746"));
    options_free(&cfg);
    assert_int_equal(parse(&cfg, WORDS("x", "-sreset")), 0);
    assert_int_equal(cfg.mode, MODE_SEARCH);
    check_operands(&cfg, WORDS("reset", "x"));
    options_free(&cfg);
    check_message(WORDS("-nl10054"), "--lookup, --list and --search print table rows only: no --strip, --json, "
                                     "--only-annotated, --summary, -H or -n");
    check_message(WORDS("--lookup="), "--lookup= and --search= take a word after the '='");
    check_message(WORDS("file.log", "--frobnicate=1"), "unrecognized option: --frobnicate=1");
    check_message(WORDS("--li"), "ambiguous option: --li"); /* --list, --line-buffered */
    check_message(WORDS("--list=x"), "option takes no argument: --list=x");
    check_message(WORDS("-nj"), "option requires an argument: -j");
    check_message(WORDS("x", "--thread"), "option requires an argument: --thread");
}

/* Regression: the reference modes ignored the output options, and --list its operands, exiting 0. */
static void test_reference_combinations(void **state)
{
    (void)state;
    check_message(WORDS("--list", "foo"), "--list takes no operand: foo");
    static const char *const output[] = {"--json", "--summary", "--only-annotated", "--strip", "-H", "-n"};
    static const char *const modes[][2] = {{"--list", NULL}, {"--lookup", "10054"}, {"--search", "x"}};
    for (size_t i = 0; i < sizeof output / sizeof *output; i++)
        for (size_t m = 0; m < sizeof modes / sizeof *modes; m++)
            check_message((const char *const[]){output[i], modes[m][0], modes[m][1], NULL},
                          "--lookup, --list and --search print table rows only: no --strip, --json, "
                          "--only-annotated, --summary, -H or -n");
    /* what they do not print through stays allowed */
    struct config cfg;
    assert_int_equal(parse(&cfg, WORDS("--color=always", "--line-buffered", "-j", "2", "--lookup", "10054")), 0);
    options_free(&cfg);
}

static void test_errors(void **state)
{
    (void)state;
    struct config cfg;
    REJECTS("--lookup", "--list");
    REJECTS("--list", "--search", "x");
    REJECTS("-s", "x", "-l");
    REJECTS("--bogus");
    REJECTS("-z");
    REJECTS("file", "-p");
    /* a negative number is an operand, never an unknown option */
    assert_int_equal(parse(&cfg, WORDS("-5")), 0);
    check_operands(&cfg, WORDS("-5"));
    options_free(&cfg);
    /* "--" ends the options */
    assert_int_equal(parse(&cfg, WORDS("--", "--strip", "-x")), 0);
    assert_false(cfg.strip);
    check_operands(&cfg, WORDS("--strip", "-x"));
    options_free(&cfg);
}

/*
 * Regression (was a bug): options_parse (src/options.c) restarts getopt_long with optind = 1, but
 * glibc only resets its internal state (the position inside a cluster of short
 * options) when optind is 0. After a parse that stopped on an error inside a
 * cluster ("-zl": 'z' unknown, 'l' not yet read), the next options_parse in
 * the same process resumes inside the old argv: parsing "file.log" then gives
 * mode MODE_LOOKUP (from the stale 'l') instead of MODE_FILTER with operand
 * "file.log". Harmless for main (one parse per process), but it bites any
 * caller that parses twice: unit tests, a fuzz harness.
 */
static void test_second_parse_after_error(void **state)
{
    (void)state;

    struct config cfg;
    REJECTS("-zl");
    assert_int_equal(parse(&cfg, WORDS("file.log")), 0);
    assert_int_equal(cfg.mode, MODE_FILTER);
    check_operands(&cfg, WORDS("file.log"));
    options_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_lookup_keeps_negative_operand),
        cmocka_unit_test(test_negative_option_arguments),
        cmocka_unit_test(test_patterns_collected),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_modes),
        cmocka_unit_test(test_color),
        cmocka_unit_test(test_output_modes),
        cmocka_unit_test(test_line_prefixes),
        cmocka_unit_test(test_patterns_from_stdin),
        cmocka_unit_test(test_mmexternal),
        cmocka_unit_test(test_getopt_messages),
        cmocka_unit_test(test_reference_combinations),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_second_parse_after_error),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
