/* getopt_long, validation and the --help text. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "status.h"

enum {
    DEFAULT_BUFFER = 256 * 1024,
    OPT_LIST = 256,
    OPT_LINE_BUFFERED,
    OPT_NO_JIT,
    OPT_STRIP,
    OPT_COLOR,
    OPT_JSON,
    OPT_ONLY_ANNOTATED,
    OPT_SUMMARY,
    OPT_MMEXTERNAL,
    OPT_NO_FILENAME,
};

/* The leading ":" tells a missing argument (':') from an unknown option ('?'). */
#define OPTSTRING ":l::s::p:j:HnhV"

static const struct option long_options[] = {
    {"lookup", optional_argument, NULL, 'l'},
    {"list", no_argument, NULL, OPT_LIST},
    {"search", optional_argument, NULL, 's'},
    {"patterns", required_argument, NULL, 'p'},
    {"line-buffered", no_argument, NULL, OPT_LINE_BUFFERED},
    {"strip", no_argument, NULL, OPT_STRIP},
    {"color", optional_argument, NULL, OPT_COLOR},
    {"colour", optional_argument, NULL, OPT_COLOR},
    {"json", no_argument, NULL, OPT_JSON},
    {"only-annotated", no_argument, NULL, OPT_ONLY_ANNOTATED},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"with-filename", no_argument, NULL, 'H'},
    {"no-filename", no_argument, NULL, OPT_NO_FILENAME},
    {"line-number", no_argument, NULL, 'n'},
    {"mmexternal", optional_argument, NULL, OPT_MMEXTERNAL},
    {"no-jit", no_argument, NULL, OPT_NO_JIT},
    {"threads", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void options_help(FILE *out)
{
    fputs("Usage: wsaerr [OPTION]... [FILE]...\n"
          "Copy FILEs (or standard input; - is standard input) to standard output,\n"
          "annotating Windows socket (Winsock) error codes and names inline.\n"
          "\n"
          "Output:\n"
          "      --color[=WHEN]    color the annotations: auto (the default: only on a\n"
          "                        terminal; not with NO_COLOR or TERM=dumb), always, never\n"
          "      --only-annotated  print only the lines that have an annotation\n"
          "  -H, --with-filename   put each line after its file's name and ':' (the\n"
          "                        default with --only-annotated or -n and several FILEs)\n"
          "      --no-filename     never put the file's name before a line\n"
          "  -n, --line-number     put each line after its line number and ':'\n"
          "      --json            one JSON object per line: text, codes and their places\n"
          "      --summary         at the end, a count per code on standard error\n"
          "      --strip           remove every annotation in wsaerr's form, nothing else\n"
          "      --line-buffered   flush after every line (output is already flushed\n"
          "                        whenever the input has nothing more ready)\n"
          "\n"
          "Matching:\n"
          "  -p, --patterns FILE   also use the recognizers in FILE (repeatable; -:\n"
          "                        standard input, the input then from FILEs)\n"
          "      --no-jit          match with the PCRE2 interpreter instead of JIT\n"
          "  -j, --threads N       annotate with N threads, at most 8 (default, and 0:\n"
          "                        one per CPU); 1 reads every input in one thread\n"
          "\n"
          "rsyslog:\n"
          "      --mmexternal[=INPUT]\n"
          "                        serve rsyslog's mmexternal on standard input: one\n"
          "                        JSON reply per message (annotated msg, codes under\n"
          "                        $!wsaerr); INPUT is its interface.input, msg (the\n"
          "                        default) or fulljson\n"
          "\n"
          "Reference:\n"
          "  -l, --lookup ARG...   explain codes: 10054, -10054, 0x2746, 0x80072746,\n"
          "                        -2147014842, E730054 (svn), WSAECONNRESET or\n"
          "                        ECONNRESET (names in any case)\n"
          "      --list            the whole table as TSV: code, name, message\n"
          "  -s, --search WORD...  rows whose code, name or text contains every WORD\n"
          "                        (or that is its code in a form --lookup reads)\n"
          "\n"
          "  -h, --help            this help;  -V, --version  the version\n"
          "\n"
          "Exit status: 0 success (annotated or not); 1 a lookup or search found\n"
          "nothing, or with --only-annotated no line was annotated; 2 usage,\n"
          "pattern, input or output error.\n",
          out);
}

static void usage_error(const char *what, const char *arg)
{
    diag_say("%s%s%s", what, arg ? ": " : "", arg ? arg : "");
    fputs("Try 'wsaerr --help' for more information.\n", stderr);
}

/* -DIGITS: wsaerr has no digit options, so unless it is an option's argument it is an operand (a signed HRESULT). */
static bool negative_number(const char *s)
{
    if (s[0] != '-' || s[1] == '\0')
        return false;
    return strspn(s + 1, "0123456789") == strlen(s + 1);
}

static int set_mode(struct config *cfg, enum mode m)
{
    if (cfg->mode != MODE_FILTER && cfg->mode != m) {
        usage_error("--lookup, --list, --search and --mmexternal exclude each other", NULL);
        return -1;
    }
    cfg->mode = m;
    return 0;
}

/* --color[=WHEN]: bare --color is auto; the other words grep takes too. */
static int set_color(struct config *cfg, const char *when)
{
    static const struct {
        const char *name;
        enum color when;
    } names[] = {
        {"auto", COLOR_AUTO},     {"tty", COLOR_AUTO},    {"if-tty", COLOR_AUTO}, {"always", COLOR_ALWAYS},
        {"yes", COLOR_ALWAYS},    {"force", COLOR_ALWAYS}, {"never", COLOR_NEVER}, {"no", COLOR_NEVER},
        {"none", COLOR_NEVER},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!when || strcmp(when, names[i].name) == 0) {
            cfg->color_when = when ? names[i].when : COLOR_AUTO;
            return 0;
        }
    }
    usage_error("--color takes auto, always or never, not", when);
    return -1;
}

/* --mmexternal[=INPUT]: the names rsyslog's mmexternal accepts for interface.input that wsaerr reads. */
static int set_mm_input(struct config *cfg, const char *input)
{
    if (!input || strcmp(input, "msg") == 0)
        cfg->mm_input = MM_MSG;
    else if (strcmp(input, "fulljson") == 0)
        cfg->mm_input = MM_FULLJSON;
    else {
        usage_error("--mmexternal INPUT must be msg or fulljson", input);
        return -1;
    }
    return set_mode(cfg, MODE_MMEXTERNAL);
}

/* -j N: a count of threads, 0 for one per CPU (as rg -j 0). */
static int set_threads(struct config *cfg, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] < '0' || arg[0] > '9' || n > 1024) { /* no sign, no blank */
        usage_error("--threads takes a number from 0 (one per CPU) to 1024 (at most 8 threads run), not", arg);
        return -1;
    }
    cfg->threads = (size_t)n;
    return 0;
}

/* Appends word to the n words of *list; -1 when out of memory. */
static int append(char ***list, size_t *n, char *word)
{
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *list = grown;
    grown[(*n)++] = word;
    return 0;
}

/* --lookup=ARG, --search=WORD, -l10054: the word joined to the option is an operand, before the others. */
static int join_word(struct config *cfg, char *word)
{
    if (!word)
        return 0;
    if (!*word) {
        usage_error("--lookup= and --search= take a word after the '='", NULL);
        return -1;
    }
    return append(&cfg->joined, &cfg->njoined, word);
}

/* Handles one option; -1 after a usage error. */
static int apply(struct config *cfg, int c)
{
    switch (c) {
    case 'l':
    case 's':
        return set_mode(cfg, c == 'l' ? MODE_LOOKUP : MODE_SEARCH) < 0 ? -1 : join_word(cfg, optarg);
    case OPT_LIST:
        return set_mode(cfg, MODE_LIST);
    case 'p':
        return append(&cfg->pattern_files, &cfg->npattern_files, optarg);
    case OPT_MMEXTERNAL:
        return set_mm_input(cfg, optarg);
    case OPT_LINE_BUFFERED:
        cfg->line_buffered = true;
        return 0;
    case OPT_STRIP:
        cfg->strip = true;
        return 0;
    case OPT_NO_JIT:
        cfg->use_jit = false;
        return 0;
    case 'j':
        return set_threads(cfg, optarg);
    case OPT_COLOR:
        return set_color(cfg, optarg);
    case OPT_JSON:
        cfg->json = true;
        return 0;
    case OPT_ONLY_ANNOTATED:
        cfg->only_annotated = true;
        return 0;
    case OPT_SUMMARY:
        cfg->summary = true;
        return 0;
    case 'H':
    case OPT_NO_FILENAME:
        cfg->filename_when = c == 'H' ? NAMES_ALWAYS : NAMES_NEVER;
        return 0;
    case 'n':
        cfg->line_number = true;
        return 0;
    case 'h':
        cfg->mode = MODE_HELP;
        return 0;
    case 'V':
        cfg->mode = MODE_VERSION;
        return 0;
    default:
        return -1;
    }
}

/* Whether some long option's name begins with the n bytes of name. */
static bool long_prefix(const char *name, size_t n)
{
    for (const struct option *o = long_options; o->name; o++)
        if (strncmp(o->name, name, n) == 0)
            return true;
    return false;
}

/* Whether c is what getopt returns for some long option. */
static bool long_value(int c)
{
    for (const struct option *o = long_options; o->name; o++)
        if (o->val == c)
            return true;
    return false;
}

/*
 * What getopt found wrong (c is ':' or '?'), said as wsaerr's own usage error
 * (getopt's messages, silenced, start with the path of the binary). A long
 * option's element is argv[optind - 1]; a short one is optopt.
 */
static void getopt_error(int c, char *const *argv)
{
    const char *elem = argv[optind - 1];
    bool long_opt = strncmp(elem, "--", 2) == 0;
    char short_opt[3] = {'-', (char)optopt, '\0'};
    if (c == ':')
        usage_error("option requires an argument", long_opt ? elem : short_opt);
    else if (optopt == 0)
        usage_error(long_prefix(elem + 2, strcspn(elem + 2, "=")) ? "ambiguous option" : "unrecognized option",
                    elem);
    else if (long_value(optopt))
        usage_error("option takes no argument", elem);
    else
        usage_error("invalid option", short_opt);
}

/* Whether one of the n words is "-" (standard input). */
static bool has_dash(char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(words[i], "-") == 0)
            return true;
    return false;
}

/* Rejects what cannot be honoured together (rather than ignore a part); -1 after a usage error. */
static int check_combination(const struct config *cfg)
{
    bool input_stdin = cfg->mode == MODE_MMEXTERNAL ||
                       (cfg->mode == MODE_FILTER &&
                        (cfg->noperands == 0 || has_dash(cfg->operands, cfg->noperands)));
    bool prefix = cfg->filename_when == NAMES_ALWAYS || cfg->line_number;
    bool output = cfg->strip || cfg->json || cfg->only_annotated || cfg->summary || prefix;
    bool reference = cfg->mode == MODE_LOOKUP || cfg->mode == MODE_LIST || cfg->mode == MODE_SEARCH;
    const char *what = NULL, *arg = NULL;
    if (cfg->json && cfg->strip)
        what = "--json and --strip exclude each other";
    else if (input_stdin && has_dash(cfg->pattern_files, cfg->npattern_files))
        what = "-p - reads the patterns from standard input, so the input must come from FILEs";
    else if (cfg->json && prefix)
        what = "--json gives each line's file and number itself: no -H or -n";
    else if (cfg->mode == MODE_MMEXTERNAL && (cfg->noperands > 0 || output))
        what = "--mmexternal reads standard input only and writes replies only: no FILE, "
               "--strip, --json, --only-annotated, --summary, -H or -n";
    else if (reference && output)
        what = "--lookup, --list and --search print table rows only: no --strip, --json, "
               "--only-annotated, --summary, -H or -n";
    else if (cfg->mode == MODE_LIST && cfg->noperands > 0)
        what = "--list takes no operand", arg = cfg->operands[0];
    if (what)
        usage_error(what, arg);
    return what ? -1 : 0;
}

/* Whether p is one of the n pointers in list. */
static bool holds(char *const *list, size_t n, const char *p)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == p)
            return true;
    return false;
}

/*
 * The argv elements getopt takes as option arguments ("-5" in "-j -5"),
 * found by a silent parse of a copy of argv: digits are never options, so a
 * negative number there takes nothing from the elements after it. Returns
 * how many were put into args.
 */
static size_t option_arguments(int argc, char **argv, char **copy, char **args)
{
    size_t n = 0;
    memcpy(copy, argv, (size_t)argc * sizeof *copy);
    optind = 0;
    while (getopt_long(argc, copy, OPTSTRING, long_options, NULL) != -1)
        if (optarg && holds(argv, (size_t)argc, optarg))
            args[n++] = optarg;
    return n;
}

/*
 * Hides the dash of every negative number that is an operand ("--lookup
 * -2147014842"), so getopt sees an operand; option arguments keep theirs.
 * Returns how many were hidden into hidden; -1 when out of memory.
 */
static long hide_negative_operands(int argc, char **argv, char **hidden)
{
    char **scratch = calloc(2 * ((size_t)argc + 1), sizeof *scratch);
    if (!scratch)
        return -1;
    char **args = scratch + argc + 1;
    size_t nargs = option_arguments(argc, argv, scratch, args), nhidden = 0;
    for (int i = 1; i < argc; i++) {
        bool taken = holds(args, nargs, argv[i]);
        if (!taken && strcmp(argv[i], "--") == 0)
            break;
        if (!taken && negative_number(argv[i]))
            hidden[nhidden++] = ++argv[i];
    }
    free(scratch);
    return (long)nhidden;
}

int options_parse(int argc, char **argv, struct config *cfg)
{
    *cfg = (struct config){.mode = MODE_FILTER, .use_jit = true, .prefilter = true,
                           .buffer_size = DEFAULT_BUFFER};
    opterr = 0; /* its messages name argv[0]; getopt_error says them as wsaerr */
    /* getopt sees "-2147014842" without its dash, so as an operand; put back after. */
    char **hidden = calloc((size_t)argc + 1, sizeof *hidden);
    long nhidden = hidden ? hide_negative_operands(argc, argv, hidden) : -1;
    if (nhidden < 0) {
        free(hidden);
        return STATUS_TROUBLE;
    }
    int c, status = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read option group */
    while (status == 0 && (c = getopt_long(argc, argv, OPTSTRING, long_options, NULL)) != -1) {
        if (c == ':' || c == '?') {
            getopt_error(c, argv);
            status = STATUS_TROUBLE;
        } else if (apply(cfg, c) < 0) {
            status = STATUS_TROUBLE;
        }
    }
    for (int i = 1; i < argc; i++)
        if (holds(hidden, (size_t)nhidden, argv[i]))
            argv[i]--;
    free(hidden);
    cfg->operands = argv + optind;
    cfg->noperands = (size_t)(argc - optind);
    if (status == 0 && cfg->njoined > 0) {
        char **all = malloc((cfg->njoined + cfg->noperands) * sizeof *all);
        if (!all)
            return STATUS_TROUBLE;
        memcpy(all, cfg->joined, cfg->njoined * sizeof *all);
        memcpy(all + cfg->njoined, cfg->operands, cfg->noperands * sizeof *all);
        free(cfg->joined);
        cfg->joined = cfg->operands = all;
        cfg->noperands += cfg->njoined;
    }
    if (status == 0 && check_combination(cfg) < 0)
        status = STATUS_TROUBLE;
    /* as grep: lines picked out of several files, or numbered in each, say which file */
    cfg->with_filename = cfg->filename_when == NAMES_ALWAYS ||
                         (cfg->filename_when == NAMES_AUTO && (cfg->only_annotated || cfg->line_number) && !cfg->json &&
                          cfg->noperands > 1);
    return status;
}

void options_decide_color(struct config *cfg, bool terminal, const char *no_color, const char *term)
{
    bool wanted = terminal && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
    cfg->color = !cfg->json && (cfg->color_when == COLOR_ALWAYS || (cfg->color_when == COLOR_AUTO && wanted));
}

void options_free(struct config *cfg)
{
    free(cfg->pattern_files);
    free(cfg->joined);
    cfg->pattern_files = NULL, cfg->joined = NULL;
}
