#include "cli.h"
#include "cmd/cmd.h"
#include "i18n.h"
#include "text.h"
#include "value.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_ENV = 256,
    OPT_BASE_URL,
    OPT_CONFIG,
    OPT_CACERT,
    OPT_TIMEOUT,
    OPT_USER_CODE,
    OPT_EMAIL,
    OPT_NO_KEYRING,
    OPT_NO_PREWARM,
    OPT_NO_HISTORY,
    OPT_LOG,
    OPT_PASSWORD_STDIN,
    OPT_JSON,
    OPT_SHOW_KEY,
    OPT_ALL,
    OPT_FROM,
    OPT_TO,
    OPT_LIMIT,
    OPT_READ_ONLY,
    OPT_YES,
    OPT_DRY_RUN,
    OPT_GENERATE,
    OPT_NEW_PASSWORD_STDIN,
    OPT_VIP,
    OPT_NO_VIP,
    OPT_BUSINESS,
    OPT_NO_BUSINESS,
    OPT_CSV,
    OPT_CONCURRENCY,
    OPT_FIRST_NAME,
    OPT_LAST_NAME,
    OPT_IDENTITY_NUMBER,
    OPT_TAX_NUMBER,
    OPT_BIRTH_DATE,
    OPT_GENDER,
    OPT_LINE1,
    OPT_NEIGHBORHOOD,
    OPT_LOCALITY,
    OPT_ZIP,
    OPT_COUNTRY,
    OPT_STATE,
    OPT_CITY,
    OPT_CITY_CODE,
    OPT_HOME,
    OPT_MOBILE,
    OPT_NO_HOME,
    OPT_NO_MOBILE,
};

static const struct option options[] = {
    {"env", required_argument, NULL, OPT_ENV},
    {"base-url", required_argument, NULL, OPT_BASE_URL},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"user-code", required_argument, NULL, OPT_USER_CODE},
    {"email", required_argument, NULL, OPT_EMAIL},
    {"no-keyring", no_argument, NULL, OPT_NO_KEYRING},
    {"no-prewarm", no_argument, NULL, OPT_NO_PREWARM},
    {"no-history", no_argument, NULL, OPT_NO_HISTORY},
    {"log", required_argument, NULL, OPT_LOG},
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {"json", no_argument, NULL, OPT_JSON},
    {"show-key", no_argument, NULL, OPT_SHOW_KEY},
    {"all", no_argument, NULL, OPT_ALL},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"read-only", no_argument, NULL, OPT_READ_ONLY},
    {"yes", no_argument, NULL, OPT_YES},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"generate", no_argument, NULL, OPT_GENERATE},
    {"new-password-stdin", no_argument, NULL, OPT_NEW_PASSWORD_STDIN},
    {"vip", no_argument, NULL, OPT_VIP},
    {"no-vip", no_argument, NULL, OPT_NO_VIP},
    {"business", no_argument, NULL, OPT_BUSINESS},
    {"no-business", no_argument, NULL, OPT_NO_BUSINESS},
    {"csv", no_argument, NULL, OPT_CSV},
    {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
    {"first-name", required_argument, NULL, OPT_FIRST_NAME},
    {"last-name", required_argument, NULL, OPT_LAST_NAME},
    {"identity-number", required_argument, NULL, OPT_IDENTITY_NUMBER},
    {"tax-number", required_argument, NULL, OPT_TAX_NUMBER},
    {"birth-date", required_argument, NULL, OPT_BIRTH_DATE},
    {"gender", required_argument, NULL, OPT_GENDER},
    {"line1", required_argument, NULL, OPT_LINE1},
    {"neighborhood", required_argument, NULL, OPT_NEIGHBORHOOD},
    {"locality", required_argument, NULL, OPT_LOCALITY},
    {"zip", required_argument, NULL, OPT_ZIP},
    {"country", required_argument, NULL, OPT_COUNTRY},
    {"state", required_argument, NULL, OPT_STATE},
    {"city", required_argument, NULL, OPT_CITY},
    {"city-code", required_argument, NULL, OPT_CITY_CODE},
    {"home", required_argument, NULL, OPT_HOME},
    {"mobile", required_argument, NULL, OPT_MOBILE},
    {"no-home", no_argument, NULL, OPT_NO_HOME},
    {"no-mobile", no_argument, NULL, OPT_NO_MOBILE},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int usage_error(struct bl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A usage error: the message, and where to read more. Returns -1. */
static int
usage_error(struct bl_error *err, const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = text_vformat(fmt, ap);
    va_end(ap);
    if (msg == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    /* TRANSLATORS: %s is what is wrong with the command line; keep "boxlogin --help"
       as it is. */
    error_set(err, BL_USAGE, _("%s (see boxlogin --help)"), msg);
    free(msg);
    return -1;
}

/* Whether the n bytes at name abbreviate (or are) the long option full. */
static int
abbreviates(const char *name, size_t n, const char *full)
{
    return n > 0 && n <= strlen(full) && strncmp(name, full, n) == 0;
}

/* Whether the n bytes at name abbreviate a long option that takes the next argument. */
static int
takes_next_argument(const char *name, size_t n)
{
    for (const struct option *o = options; o->name != NULL; o++)
        if (o->has_arg == required_argument && abbreviates(name, n, o->name))
            return 1;
    return 0;
}

/* What is wrong with a long option. */
enum long_option_problem {
    MISSING_VALUE,
    TAKES_NO_VALUE,
    UNKNOWN_OPTION,
};

/* Reports a long option as given, without the value an '=' may attach to it. */
static int
long_option_error(struct bl_error *err, enum long_option_problem problem, const char *arg)
{
    char *safe = text_sanitize(arg, strcspn(arg, "="));
    const char *name = safe != NULL ? safe : "";

    switch (problem) {
    case MISSING_VALUE:
        /* TRANSLATORS: %s is an option as given, like --timeout. */
        usage_error(err, _("missing value for %s"), name);
        break;
    case TAKES_NO_VALUE:
        /* TRANSLATORS: %s is an option as given, like --json. */
        usage_error(err, _("%s takes no value"), name);
        break;
    case UNKNOWN_OPTION:
        /* TRANSLATORS: %s is an option as given, like --colour. */
        usage_error(err, _("unknown option %s"), name);
        break;
    }
    free(safe);
    return -1;
}

/*
 * Wipes, in argv itself, every value that may be a password or an app key: that of any
 * abbreviation of --password or --app-key (attached, or the next argument), of
 * --password-stdin=VALUE, and whatever is attached to an unknown short option. It then
 * no longer shows in /proc/PID/cmdline, nor in any message. Returns -1 with a usage
 * error, naming the option and never the value, for the first two kinds.
 */
static int
wipe_secret_arguments(int argc, char **argv, struct bl_error *err)
{
    const char *refused = NULL;

    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char *a = argv[i], *eq = strchr(a, '='), *value = eq != NULL ? eq + 1 : NULL;
        size_t n;

        if (a[0] != '-' || a[1] == '\0')
            continue;
        if (a[1] != '-') {
            /* A cluster of short options: -h and -V are the only ones. */
            char *p = a + 1 + strspn(a + 1, "hV");

            if (*p != '\0' && p[1] != '\0')
                explicit_bzero(p + 1, strlen(p + 1));
            continue;
        }
        n = (eq != NULL ? (size_t)(eq - a) : strlen(a)) - 2;
        if (abbreviates(a + 2, n, "password") || abbreviates(a + 2, n, "app-key")) {
            if (refused == NULL)
                refused = abbreviates(a + 2, n, "password")
                              ? _("a password is never taken as an argument: use "
                                  "--password-stdin or type it at the prompt")
                              /* TRANSLATORS: keep BOXLOGIN_APP_KEY and 'boxlogin
                                 setup' as they are. */
                              : _("the app key is never taken as an argument: use "
                                  "BOXLOGIN_APP_KEY, the config file or 'boxlogin "
                                  "setup'");
            if (value == NULL && i + 1 < argc && argv[i + 1][0] != '-')
                value = argv[++i];
        } else if (value != NULL && abbreviates(a + 2, n, "password-stdin")) {
            if (refused == NULL)
                refused = _("--password-stdin takes no value: the password is the "
                            "first line of standard input");
        } else if (value == NULL && n == strlen("new-password") &&
                   strncmp(a + 2, "new-password", n) == 0 && i + 1 < argc &&
                   argv[i + 1][0] != '-') {
            /* "--new-password SECRET": the secret is wiped, and refused as a password. */
            if (refused == NULL)
                refused = _("a password is never taken as an argument: use "
                            "--password-stdin or type it at the prompt");
            value = argv[++i];
        } else if (value != NULL && n > 1 &&
                   abbreviates(a + 2, n, "new-password-stdin")) {
            if (refused == NULL)
                /* TRANSLATORS: keep the option as it is. */
                refused = _("--new-password-stdin takes no value: the new password is "
                            "the first line of standard input");
        } else {
            /* The next argument is this option's value, not options: "--timeout -35". */
            if (value == NULL && takes_next_argument(a + 2, n))
                i++;
            continue;
        }
        if (value != NULL)
            explicit_bzero(value, strlen(value));
    }
    return refused != NULL ? usage_error(err, "%s", refused) : 0;
}

int
cli_wants_json(int argc, char *const *argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strncmp(argv[i], "--j", 3) == 0 &&
            abbreviates(argv[i] + 2, strcspn(argv[i] + 2, "="), "json"))
            return 1;
    return 0;
}

/* The options of c that only some commands take, a bit each. */
static unsigned
given_options(const struct cli *c)
{
    return (c->password_stdin ? CMD_OPT_PASSWORD_STDIN : 0) |
           (c->json ? CMD_OPT_JSON : 0) | (c->show_key ? CMD_OPT_SHOW_KEY : 0) |
           (c->all ? CMD_OPT_ALL : 0) |
           (c->from != NULL || c->to != NULL ? CMD_OPT_WINDOW : 0) |
           (c->limit != NULL ? CMD_OPT_LIMIT : 0) |
           (c->yes || c->dry_run ? CMD_OPT_CHANGE : 0) |
           (c->generate || c->new_password_stdin ? CMD_OPT_NEW_PASSWORD : 0) |
           (c->vip >= 0 || c->business >= 0 ? CMD_OPT_TYPE : 0) |
           (c->csv ? CMD_OPT_CSV : 0) |
           (c->concurrency != NULL ? CMD_OPT_CONCURRENCY : 0) |
           (c->first_name != NULL || c->last_name != NULL || c->identity_number != NULL ||
                    c->tax_number != NULL || c->birth_date != NULL || c->gender != NULL
                ? CMD_OPT_DETAILS
                : 0) |
           (c->line1 != NULL || c->neighborhood != NULL || c->locality != NULL ||
                    c->zip != NULL || c->country != NULL || c->state != NULL ||
                    c->city != NULL || c->city_code != NULL || c->home != NULL ||
                    c->mobile != NULL || c->no_home || c->no_mobile
                ? CMD_OPT_ADDRESS
                : 0);
}

/* What the command (or the UI) makes of the options and operands it was given. */
static int
check_command_line(const struct cli *c, struct bl_error *err)
{
    const struct cmd_entry *e = c->entry;
    const char *cmd = e != NULL ? e->name : "", *wrong;
    int ui = e == NULL;
    unsigned refused = given_options(c) & ~(e != NULL ? e->options : 0u);
    int given = (c->operand != NULL) + (c->operand2 != NULL);

    /* Each message twice: the command's name in one, the UI in the other. */
    if (refused & CMD_OPT_PASSWORD_STDIN)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command names
                                   as they are. */
                                _("--password-stdin goes with login, profile, shipments "
                                  "or track, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command names
                                   as they are; %s is a command, like keys. */
                                _("--password-stdin goes with login, profile, shipments "
                                  "or track, not %s"),
                                cmd);
    if (refused & CMD_OPT_SHOW_KEY)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command names
                                   as they are. */
                                _("--show-key goes with login or lookup, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command names
                                   as they are; %s is a command, like keys. */
                                _("--show-key goes with login or lookup, not %s"), cmd);
    if (refused & CMD_OPT_JSON)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option as it is. */
                                _("--json does not go with the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option as it is; %s is a
                                   command, like setup. */
                                _("--json does not go with %s"), cmd);
    if (refused & CMD_OPT_ALL)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command name as
                                   they are. */
                                _("--all goes with forget, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command name as
                                   they are; %s is a command, like keys. */
                                _("--all goes with forget, not %s"), cmd);
    if (refused & CMD_OPT_WINDOW)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the options and the command name as
                                   they are. */
                                _("--from and --to go with shipments, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the options and the command name as
                                   they are; %s is a command, like keys. */
                                _("--from and --to go with shipments, not %s"), cmd);
    if (refused & CMD_OPT_LIMIT)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command name as
                                   they are. */
                                _("--limit goes with history, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command name as
                                   they are; %s is a command, like keys. */
                                _("--limit goes with history, not %s"), cmd);
    if (refused & CMD_OPT_CHANGE)
        /* TRANSLATORS: keep the options as they are. */
        return usage_error(err, "%s",
                           _("--yes and --dry-run go with the set-* commands"));
    if (refused & CMD_OPT_NEW_PASSWORD)
        /* TRANSLATORS: keep the options and the command name as they are. */
        return usage_error(err, "%s",
                           _("--generate and --new-password-stdin go with set-password"));
    if (refused & CMD_OPT_TYPE)
        /* TRANSLATORS: keep the options and the command name as they are. */
        return usage_error(err, "%s",
                           _("--vip, --no-vip, --business and --no-business go with "
                             "set-type"));
    if (refused & CMD_OPT_CSV)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command names as
                                   they are. */
                                _("--csv goes with check, shipments or history, not the "
                                  "UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command names as
                                   they are; %s is a command, like keys. */
                                _("--csv goes with check, shipments or history, not %s"),
                                cmd);
    if (refused & CMD_OPT_CONCURRENCY)
        return ui ? usage_error(err, "%s",
                                /* TRANSLATORS: keep the option and the command name as
                                   they are. */
                                _("--concurrency goes with check, not the UI"))
                  : usage_error(err,
                                /* TRANSLATORS: keep the option and the command name as
                                   they are; %s is a command, like keys. */
                                _("--concurrency goes with check, not %s"), cmd);
    if (refused & CMD_OPT_DETAILS)
        /* TRANSLATORS: keep the options and the command name as they are. */
        return usage_error(
            err, "%s",
            _("--first-name, --last-name, --identity-number, --tax-number, "
              "--birth-date and --gender go with set-details"));
    if (refused & CMD_OPT_ADDRESS)
        /* TRANSLATORS: keep the options and the command name as they are. */
        return usage_error(err, "%s",
                           _("--line1, --neighborhood, --locality, --zip, --country, "
                             "--state, --city, --city-code, --home, --mobile, --no-home "
                             "and --no-mobile go with set-address"));
    if (c->csv && c->json)
        /* TRANSLATORS: keep the options as they are. */
        return usage_error(err, "%s", _("--csv and --json do not go together"));
    if (e != NULL && e->check != NULL && (wrong = e->check(c)) != NULL)
        return usage_error(err, "%s", wrong);
    if (given > (e != NULL ? e->operands.upper : 0))
        return usage_error(err, "%s", _("unexpected argument after the command"));
    if (e != NULL && given < e->operands.lower) {
        if (e->operands.missing != NULL)
            return usage_error(err, "%s", _(e->operands.missing));
        /* TRANSLATORS: keep the placeholder EMAIL as it is; %s is a command, like
           profile. */
        return usage_error(err, _("this command takes the customer's EMAIL: %s"), cmd);
    }
    if (c->email != NULL && value_email(c->email, "--email", NULL, NULL, err) != 0)
        return -1;
    return 0;
}

int
cli_parse(int argc, char **argv, struct cli *c, struct bl_error *err)
{
    int opt, first = 1;

    memset(c, 0, sizeof *c);
    c->args.prewarm = -1;
    c->vip = c->business = -1;
    if (wipe_secret_arguments(argc, argv, err) != 0)
        return -1;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":hV", options, NULL)) != -1) {
        switch (opt) {
        case OPT_ENV:
            c->args.env = optarg;
            break;
        case OPT_BASE_URL:
            c->args.base_url = optarg;
            break;
        case OPT_CONFIG:
            c->args.config_path = optarg;
            break;
        case OPT_CACERT:
            c->args.cacert = optarg;
            break;
        case OPT_TIMEOUT:
            c->args.timeout = optarg;
            break;
        case OPT_USER_CODE:
            c->args.user_code = optarg;
            break;
        case OPT_EMAIL:
            c->email = optarg;
            break;
        case OPT_NO_KEYRING:
            c->args.no_keyring = 1;
            break;
        case OPT_NO_PREWARM:
            c->args.prewarm = 0;
            break;
        case OPT_NO_HISTORY:
            c->args.no_history = 1;
            break;
        case OPT_LOG:
            c->log_path = optarg;
            break;
        case OPT_PASSWORD_STDIN:
            c->password_stdin = 1;
            break;
        case OPT_JSON:
            c->json = 1;
            break;
        case OPT_SHOW_KEY:
            c->show_key = 1;
            break;
        case OPT_ALL:
            c->all = 1;
            break;
        case OPT_FROM:
            c->from = optarg;
            break;
        case OPT_TO:
            c->to = optarg;
            break;
        case OPT_LIMIT:
            c->limit = optarg;
            break;
        case OPT_READ_ONLY:
            c->args.read_only = 1;
            break;
        case OPT_YES:
            c->yes = 1;
            break;
        case OPT_DRY_RUN:
            c->dry_run = 1;
            break;
        case OPT_GENERATE:
            c->generate = 1;
            break;
        case OPT_NEW_PASSWORD_STDIN:
            c->new_password_stdin = 1;
            break;
        case OPT_VIP:
        case OPT_NO_VIP:
            if (c->vip >= 0 && c->vip != (opt == OPT_VIP))
                return usage_error(err, "%s", _("--vip and --no-vip go one at a time"));
            c->vip = opt == OPT_VIP;
            break;
        case OPT_BUSINESS:
        case OPT_NO_BUSINESS:
            if (c->business >= 0 && c->business != (opt == OPT_BUSINESS))
                return usage_error(err, "%s",
                                   _("--business and --no-business go one at a time"));
            c->business = opt == OPT_BUSINESS;
            break;
        case OPT_CSV:
            c->csv = 1;
            break;
        case OPT_CONCURRENCY:
            c->concurrency = optarg;
            break;
        case OPT_FIRST_NAME:
            c->first_name = optarg;
            break;
        case OPT_LAST_NAME:
            c->last_name = optarg;
            break;
        case OPT_IDENTITY_NUMBER:
            c->identity_number = optarg;
            break;
        case OPT_TAX_NUMBER:
            c->tax_number = optarg;
            break;
        case OPT_BIRTH_DATE:
            c->birth_date = optarg;
            break;
        case OPT_GENDER:
            c->gender = optarg;
            break;
        case OPT_LINE1:
            c->line1 = optarg;
            break;
        case OPT_NEIGHBORHOOD:
            c->neighborhood = optarg;
            break;
        case OPT_LOCALITY:
            c->locality = optarg;
            break;
        case OPT_ZIP:
            c->zip = optarg;
            break;
        case OPT_COUNTRY:
            c->country = optarg;
            break;
        case OPT_STATE:
            c->state = optarg;
            break;
        case OPT_CITY:
            c->city = optarg;
            break;
        case OPT_CITY_CODE:
            c->city_code = optarg;
            break;
        case OPT_HOME:
            c->home = optarg;
            break;
        case OPT_MOBILE:
            c->mobile = optarg;
            break;
        case OPT_NO_HOME:
            c->no_home = 1;
            break;
        case OPT_NO_MOBILE:
            c->no_mobile = 1;
            break;
        case 'h':
            c->help = 1;
            break;
        case 'V':
            c->version = 1;
            break;
        case ':':
            return long_option_error(err, MISSING_VALUE, argv[optind - 1]);
        default:
            /*
             * optopt: the letter of an unknown short option, the code (>= 256) of a
             * long one given a value it does not take, or 0 for an unknown long one.
             */
            if (optopt > ' ' && optopt < 0x7f) {
                char letter[3] = {'-', (char)optopt, '\0'};

                /* TRANSLATORS: %s is a short option as given, like -x. */
                return usage_error(err, _("unknown option %s"), letter);
            }
            if (optopt >= 256)
                return long_option_error(err, TAKES_NO_VALUE, argv[optind - 1]);
            if (optopt != 0)
                return usage_error(err, "%s", _("unknown option"));
            return long_option_error(err, UNKNOWN_OPTION, argv[optind - 1]);
        }
    }
    for (; optind < argc; optind++) {
        const char *a = argv[optind];

        if (first) {
            /* Not repeated: a password typed in the wrong place would be. */
            if ((c->entry = cmd_find(a)) == NULL)
                return usage_error(err, "%s",
                                   /* TRANSLATORS: keep the command names as they are. */
                                   _("unknown command (the commands are login, profile, "
                                     "shipments, track, lookup, check, history, "
                                     "set-password, set-email, set-type, set-details, "
                                     "set-address, places, keys, forget and setup)"));
            first = 0;
        } else if (c->operand == NULL) {
            c->operand = a;
        } else if (c->operand2 == NULL) {
            c->operand2 = a;
        } else {
            return usage_error(err, "%s", _("unexpected argument after the command"));
        }
    }
    if (c->help || c->version)
        return 0;
    return check_command_line(c, err);
}
