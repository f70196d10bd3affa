/* The config parser, the precedence of sources, the credentials step and the setup
 * rewrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "secmem.h"

static int
parse(const char *text, struct config_file *f, struct bl_error *err)
{
    memset(f, 0, sizeof *f);
    return config_parse(text, strlen(text), "cfg", f, err);
}

static void
parse_fails(const char *text, const char *want)
{
    struct config_file f;
    struct bl_error err = {0};

    assert_int_equal(parse(text, &f, &err), -1);
    assert_int_equal(err.kind, BL_USAGE);
    if (strstr(err.message, want) == NULL)
        fail_msg("'%s' does not contain '%s'", err.message, want);
    config_file_free(&f);
    error_clear(&err);
}

static void
sections_comments_and_values(void **state)
{
    struct config_file f;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(
        parse("# comment\n\n  environment = prod  \nuser_code=396 # inline\r\n"
              "[test]\nbase_url = https://example.com/a#frag\ntimeout = 2.5\n"
              "[prod] # PROD\n\tprewarm = off\n",
              &f, &err),
        0);
    assert_string_equal(f.value[0][CONFIG_KEY_ENVIRONMENT], "prod");
    assert_string_equal(f.value[0][CONFIG_KEY_USER_CODE], "396");
    assert_int_equal(f.line[0][CONFIG_KEY_USER_CODE], 4);
    assert_string_equal(f.value[1 + ENV_TEST][CONFIG_KEY_BASE_URL],
                        "https://example.com/a#frag");
    assert_string_equal(f.value[1 + ENV_TEST][CONFIG_KEY_TIMEOUT], "2.5");
    assert_string_equal(f.value[1 + ENV_PROD][CONFIG_KEY_PREWARM], "off");
    /* Every line is kept as read, with what it means. */
    assert_int_equal(f.line_count, 9);
    assert_string_equal(f.lines[3].text, "user_code=396 # inline\r");
    assert_int_equal(f.lines[3].key, CONFIG_KEY_USER_CODE);
    assert_int_equal(f.lines[3].section, 0);
    assert_int_equal(f.lines[0].key, -1);
    assert_int_equal(f.lines[7].section, 1 + ENV_PROD);
    assert_int_equal(f.lines[7].key, -1);
    assert_int_equal(f.lines[8].key, CONFIG_KEY_PREWARM);
    config_file_free(&f);
}

static void
errors_name_the_line(void **state)
{
    (void)state;
    parse_fails("a = b\n", "cfg:1: unknown key 'a' (known: environment,");
    parse_fails("\n\nnovalue\n",
                "cfg:3: expected 'key = value', a [section] or a # comment");
    parse_fails("[stage]\n", "cfg:1: unknown section (expected [test] or [prod])");
    parse_fails("timeout = 0\n", "cfg:1: timeout: expected seconds from 0.1 to 600");
    parse_fails("timeout = 601\n", "timeout: expected seconds");
    parse_fails("timeout = 1.\n", "timeout: expected seconds");
    parse_fails("user_code = 12x\n",
                "cfg:1: user_code: expected a positive whole number");
    parse_fails("user_code = 0\n", "user_code: expected a positive whole number");
    parse_fails("user_code = 99999999999\n", "user_code: expected a positive");
    parse_fails("prewarm = maybe\n", "prewarm: expected true or false");
    parse_fails("environment = staging\n", "environment: expected test or prod");
    parse_fails("[prod]\nenvironment = prod\n", "cfg:2: environment must come before");
    parse_fails("cacert =\n", "cfg:1: no value for 'cacert'");
    parse_fails("app_key = has space\n", "app_key: expected printable characters");
    parse_fails("timeout = 1\ntimeout = 2\n",
                "cfg:2: timeout is set twice (first on line 1)");
}

/* What may be a secret typed in the wrong place is never repeated. */
static void
errors_never_repeat_a_line(void **state)
{
    static const char *const texts[] = {
        "app_key: 1656d700707ad9a77f737e5df3db088a\n",
        "# ok\n1656d700707ad9a77f737e5df3db088a\n",
        "app_key 1656d700707ad9a77f737e5df3db088a = x\n",
        "[1656d700707ad9a77f737e5df3db088a]\n",
        "app_key = 1656d700707ad9a77f737e5df3db088a x\n",
        "user_code = 1656d700707ad9a77f737e5df3db088a\n",
        "app key = 1656d700707ad9a77f737e5df3db088a\n",
    };
    struct config_file f;
    struct bl_error err = {0};

    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        assert_int_equal(parse(texts[i], &f, &err), -1);
        if (strstr(err.message, "1656d7") != NULL || strncmp(err.message, "cfg:", 4) != 0)
            fail_msg("%zu: '%s'", i, err.message);
        config_file_free(&f);
        error_clear(&err);
    }
    /* A key with a space is not repeated either; a plain unknown word is. */
    parse_fails("app key = x\n", "cfg:1: expected 'key = value' with one of the keys");
    parse_fails("timout = 5\n", "cfg:1: unknown key 'timout'");
}

static void
hostile_text(void **state)
{
    struct config_file f;
    struct bl_error err = {0};
    char *big = malloc(10000);

    (void)state;
    assert_int_equal(
        config_parse("timeout = 1\0x", 13, "cfg", memset(&f, 0, sizeof f), &err), -1);
    assert_non_null(strstr(err.message, "NUL"));
    error_clear(&err);
    memset(big, 'a', 9999);
    big[9999] = '\0';
    parse_fails(big, "longer than 4096");
    free(big);
    parse_fails("co\x1b[2Jlour = 1\n",
                "cfg:1: expected 'key = value' with one of the keys");
}

static void
clear_env(void)
{
    unsetenv("BOXLOGIN_ENV");
    unsetenv("BOXLOGIN_BASE_URL");
    unsetenv("BOXLOGIN_USER_CODE");
    unsetenv("BOXLOGIN_APP_KEY");
}

static void
resolve(const char *text, const struct config_args *args, struct bl_config *cfg,
        struct bl_error *err, int want)
{
    struct config_file f;
    struct bl_error perr = {0};

    assert_int_equal(parse(text, &f, &perr), 0);
    memset(cfg, 0, sizeof *cfg);
    assert_int_equal(config_resolve(args, &f, cfg, err), want);
    config_file_free(&f);
}

static void
defaults(void **state)
{
    struct config_args args = {.prewarm = -1};
    struct bl_config cfg;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    resolve("", &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_TEST);
    assert_string_equal(cfg.base_url, "https://api-box-test.skypostal.com/wcf-services");
    assert_string_equal(config_call_path(&cfg, API_LOGIN, NULL), "service-customer.svc/customer/customer-login");
    assert_int_equal(cfg.timeout_ms, 20000);
    assert_int_equal(cfg.prewarm, 1);
    /* The credentials are the credentials step's. */
    assert_null(cfg.cred.app_key);
    config_free(&cfg);
}

static void
first_source_wins(void **state)
{
    struct config_args args = {.prewarm = -1};
    struct bl_config cfg;
    struct bl_error err = {0};
    const char *file = "environment = test\nbase_url = https://file.example\n"
                       "login_path = v2/login\n[prod]\ntimeout = 3\nprewarm = no\n";

    (void)state;
    clear_env();
    resolve(file, &args, &cfg, &err, 0);
    assert_string_equal(cfg.base_url, "https://file.example");
    assert_string_equal(config_call_path(&cfg, API_LOGIN, NULL), "v2/login");
    config_free(&cfg);

    setenv("BOXLOGIN_ENV", "PROD", 1);
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_PROD);
    assert_int_equal(cfg.timeout_ms, 3000);
    assert_int_equal(cfg.prewarm, 0);
    config_free(&cfg);

    setenv("BOXLOGIN_BASE_URL", "https://env.example", 1);
    resolve(file, &args, &cfg, &err, 0);
    assert_string_equal(cfg.base_url, "https://env.example");
    config_free(&cfg);

    args.env = "Test";
    args.base_url = "https://arg.example";
    args.timeout = "0.5";
    args.prewarm = 0;
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_TEST);
    assert_string_equal(cfg.base_url, "https://arg.example");
    assert_int_equal(cfg.timeout_ms, 500);
    assert_int_equal(cfg.prewarm, 0);
    config_free(&cfg);

    args.env = "staging";
    resolve(file, &args, &cfg, &err, -1);
    assert_string_equal(err.message, "--env: expected test or prod");
    config_free(&cfg);
    args.env = NULL;
    setenv("BOXLOGIN_ENV", "stage", 1);
    resolve(file, &args, &cfg, &err, -1);
    assert_string_equal(err.message, "BOXLOGIN_ENV: expected test or prod");
    config_free(&cfg);
    error_clear(&err);
    clear_env();
}

/* Every call's path: its default, else what the file sets, by call; the places share
 * one folder. */
static void
call_paths_by_call(void **state)
{
    static const struct {
        enum api_call call;
        const char *key, *path;
    } changes[] = {
        {API_PASSWORD, "password_path",
         "service-customer.svc/customer/customer-update-password"},
        {API_EMAIL, "email_path", "service-customer.svc/customer/customer-update-email"},
        {API_TYPE, "type_path", "service-customer.svc/customer/customer-update-type"},
        {API_DETAILS, "details_path",
         "service-customer.svc/customer/customer-update-personal-info"},
        {API_ADDRESS, "address_path",
         "service-customer.svc/customer/customer-update-address-info"},
        {API_COUNTRIES, "places_path",
         "service-geographic.svc/geographic/geographic-get-countries"},
        {API_STATES, "places_path",
         "service-geographic.svc/geographic/geographic-get-states"},
        {API_CITIES, "places_path",
         "service-geographic.svc/geographic/geographic-get-cities"},
    };
    struct config_args args = {.prewarm = -1};
    struct bl_config cfg, copy;
    struct bl_error err = {0};
    int set = -1;

    (void)state;
    clear_env();
    resolve("", &args, &cfg, &err, 0);
    for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
        assert_string_equal(config_call_path(&cfg, changes[i].call, &set), changes[i].path);
        assert_int_equal(set, 0);
        assert_true(config_call(changes[i].call)->write ==
                    (changes[i].call < API_COUNTRIES));
        assert_int_equal(config_call(changes[i].call)->cap, 1 << 20);
        assert_null(config_call(changes[i].call)->documented);
    }
    assert_string_equal(config_call_path(&cfg, API_PARTNER, &set),
                        "service-partner.svc/partner/customer-get-info");
    assert_string_equal(config_call(API_PARTNER)->documented,
                        "service-customer.svc/partner/customer-get-info");
    assert_int_equal(config_call(API_SHIPMENTS)->cap, 32 << 20);
    for (int c = 0; c < API_CALLS; c++)
        assert_int_equal(config_call(c)->write,
                         c >= API_PASSWORD && c <= API_ADDRESS);
    config_free(&cfg);

    resolve("password_path = a/pw\nemail_path = a/em\ntype_path = a/ty\n"
            "details_path = a/de\naddress_path = a/ad\n[test]\nplaces_path = geo/\n"
            "[prod]\nplaces_path = prod-geo\n",
            &args, &cfg, &err, 0);
    assert_string_equal(config_call_path(&cfg, API_PASSWORD, &set), "a/pw");
    assert_int_equal(set, 1);
    assert_string_equal(config_call_path(&cfg, API_EMAIL, NULL), "a/em");
    assert_string_equal(config_call_path(&cfg, API_TYPE, NULL), "a/ty");
    assert_string_equal(config_call_path(&cfg, API_DETAILS, NULL), "a/de");
    assert_string_equal(config_call_path(&cfg, API_ADDRESS, NULL), "a/ad");
    assert_string_equal(config_call_path(&cfg, API_COUNTRIES, &set),
                        "geo/geographic-get-countries");
    assert_int_equal(set, 1);
    assert_string_equal(config_call_path(&cfg, API_STATES, NULL), "geo/geographic-get-states");
    assert_string_equal(config_call_path(&cfg, API_CITIES, NULL), "geo/geographic-get-cities");
    /* Unset keys keep their defaults. */
    assert_string_equal(config_call_path(&cfg, API_PROFILE, &set),
                        "service-customer.svc/customer/customer-get-info");
    assert_int_equal(set, 0);
    assert_int_equal(config_copy(&copy, &cfg, &err), 0);
    assert_string_equal(config_call_path(&copy, API_CITIES, NULL), "geo/geographic-get-cities");
    assert_ptr_not_equal(copy.call_path[API_CITIES], cfg.call_path[API_CITIES]);
    config_free(&copy);
    config_free(&cfg);

    parse_fails("places = x\n", "cfg:1: unknown key 'places'");
    parse_fails("password_path =\n", "cfg:1: no value for 'password_path'");
    parse_fails("[prod]\naddress_path=\n", "cfg:2: no value for 'address_path'");
}

/* A stand-in keyring: PROD holds "ringkey" for user code 77; TEST is locked. */
static int keyring_calls;

static int
fake_keyring(enum bl_env env, long user_code, char **app_key, long *found,
             struct bl_error *err)
{
    keyring_calls++;
    if (env == ENV_TEST)
        return error_set(err, BL_USAGE, "the keyring is locked");
    if (user_code != 0 && user_code != 77)
        return 0;
    *app_key = secmem_strdup("ringkey");
    *found = 77;
    return 1;
}

/* Parses text, gathers the sources for args and runs the credentials step. */
static int
credentials(const char *text, const struct config_args *args, struct bl_credentials *c,
            struct bl_error *err)
{
    struct config_file f;
    struct config_sources src = {0};
    enum bl_env env;
    int rc;

    assert_int_equal(parse(text, &f, err), 0);
    f.path = strdup("cfg");
    f.exists = 1;
    rc = config_env(args, &f, &env, err);
    if (rc == 0)
        rc = config_gather_sources(args, &f, env, &src, err);
    if (rc == 0)
        rc = config_credentials(&src, fake_keyring, c, err);
    config_sources_free(&src);
    config_file_free(&f);
    return rc;
}

static void
each_source_and_its_precedence(void **state)
{
    struct config_args args = {.prewarm = -1, .env = "prod"};
    struct bl_credentials c;
    struct bl_error err = {0};
    const char *file = "[prod]\nuser_code = 10\napp_key = filekey\n";

    (void)state;
    clear_env();
    /* The keyring comes before the file, user code and all. */
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_KEYRING);
    assert_string_equal(c.app_key, "ringkey");
    assert_int_equal(c.user_code, 77);
    assert_null(c.note);
    config_credentials_free(&c);

    /* The file, when the keyring has none for the user code known. */
    args.user_code = "10";
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_FILE);
    assert_string_equal(c.app_key, "filekey");
    assert_int_equal(c.user_code, 10);
    config_credentials_free(&c);

    /* The environment before the keyring; --user-code before BOXLOGIN_USER_CODE. */
    setenv("BOXLOGIN_APP_KEY", "envkey", 1);
    setenv("BOXLOGIN_USER_CODE", "30", 1);
    keyring_calls = 0;
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_ENVIRONMENT);
    assert_string_equal(c.app_key, "envkey");
    assert_int_equal(c.user_code, 10);
    assert_int_equal(keyring_calls, 0);
    config_credentials_free(&c);
    args.user_code = NULL;
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.user_code, 30);
    config_credentials_free(&c);

    /* An app key from the environment takes its user code from the file if need be. */
    unsetenv("BOXLOGIN_USER_CODE");
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_ENVIRONMENT);
    assert_int_equal(c.user_code, 10);
    config_credentials_free(&c);

    /* --no-keyring skips it. */
    unsetenv("BOXLOGIN_APP_KEY");
    args.no_keyring = 1;
    keyring_calls = 0;
    assert_int_equal(credentials(file, &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_FILE);
    assert_int_equal(keyring_calls, 0);
    config_credentials_free(&c);
    clear_env();
}

static void
bad_values_are_refused_where_they_are_read(void **state)
{
    struct config_args args = {.prewarm = -1, .user_code = "-3"};
    struct bl_credentials c;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    assert_int_equal(credentials("", &args, &c, &err), -1);
    assert_string_equal(err.message, "--user-code: expected a positive whole number");
    args.user_code = NULL;
    setenv("BOXLOGIN_USER_CODE", "12 ", 1);
    assert_int_equal(credentials("", &args, &c, &err), -1);
    assert_string_equal(err.message,
                        "BOXLOGIN_USER_CODE: expected a positive whole number");
    unsetenv("BOXLOGIN_USER_CODE");
    setenv("BOXLOGIN_APP_KEY", "has space", 1);
    assert_int_equal(credentials("", &args, &c, &err), -1);
    assert_string_equal(err.message,
                        "BOXLOGIN_APP_KEY: expected printable characters without spaces");
    error_clear(&err);
    clear_env();
}

static void
test_falls_back_with_a_note_prod_never(void **state)
{
    struct config_args args = {.prewarm = -1};
    struct bl_credentials c;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    /* TEST: the keyring is locked, so the note says why the generic pair is used. */
    assert_int_equal(credentials("", &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_GENERIC);
    assert_int_equal(c.user_code, 396);
    assert_string_equal(c.app_key, "1656d700707ad9a77f737e5df3db088a");
    assert_non_null(strstr(c.note, "generic TEST credentials"));
    assert_non_null(strstr(c.note, "(the keyring is locked)"));
    config_credentials_free(&c);

    args.no_keyring = 1;
    assert_int_equal(credentials("user_code = 396\n", &args, &c, &err), 0);
    assert_int_equal(c.source, CRED_GENERIC);
    assert_null(strstr(c.note, "locked"));
    config_credentials_free(&c);

    /* PROD: never, whatever user code is known. */
    args.env = "prod";
    assert_int_equal(credentials("user_code = 396\n", &args, &c, &err), -1);
    assert_int_equal(err.kind, BL_USAGE);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    assert_null(c.app_key);
    args.env = NULL;
    assert_int_equal(
        credentials("environment = prod\n[test]\napp_key = testkey\n", &args, &c, &err),
        -1);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    error_clear(&err);
}

static void
a_user_code_without_an_app_key(void **state)
{
    struct config_args args = {.prewarm = -1, .env = "test", .user_code = "55"};
    struct bl_credentials c;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    /* Not the generic pair: its app key would not go with user code 55. */
    assert_int_equal(credentials("", &args, &c, &err), -1);
    assert_non_null(strstr(err.message, "no app_key for user_code 55"));
    /* An open keyring that simply holds none adds no reason. */
    args.env = "prod";
    assert_int_equal(credentials("", &args, &c, &err), -1);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    assert_null(strstr(err.message, "("));
    error_clear(&err);
}

static int
locked_keyring(enum bl_env env, long user_code, char **app_key, long *found,
               struct bl_error *err)
{
    (void)env, (void)user_code, (void)app_key, (void)found;
    return error_set(err, BL_USAGE, "the keyring is locked");
}

static void
prod_locked_message_and_app_key_without_user_code(void **state)
{
    struct config_sources src = {.env = ENV_PROD};
    struct bl_credentials c;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(config_credentials(&src, locked_keyring, &c, &err), -1);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    assert_non_null(strstr(err.message, "(the keyring is locked)"));
    src.file_app_key = secmem_strdup("filekey");
    src.file_path = strdup("/home/a/.config/boxlogin/config");
    assert_int_equal(config_credentials(&src, locked_keyring, &c, &err), -1);
    assert_string_equal(
        err.message, "an app_key was found (in /home/a/.config/boxlogin/config) but no "
                     "user_code: set user_code in the config file or BOXLOGIN_USER_CODE");
    config_sources_free(&src);
    error_clear(&err);
}

static void
sources_copy_is_deep(void **state)
{
    struct config_sources a = {.env = ENV_PROD, .arg_user_code = 5}, b = {0};
    struct bl_error err = {0};

    (void)state;
    a.env_app_key = secmem_strdup("k1");
    a.file_app_key = secmem_strdup("k2");
    assert_int_equal(config_sources_copy(&b, &a, &err), 0);
    config_sources_free(&a);
    assert_string_equal(b.env_app_key, "k1");
    assert_string_equal(b.file_app_key, "k2");
    assert_int_equal(b.arg_user_code, 5);
    assert_null(b.file_path);
    config_sources_free(&b);
}

/* Error kinds: one for out of memory, with its own exit status. */
static void
out_of_memory_is_one_kind(void **state)
{
    (void)state;
    assert_string_equal(error_kind_name(BL_INTERNAL), "internal");
    assert_string_equal(error_title(BL_INTERNAL), "System problem");
    assert_int_equal(error_exit_status(BL_INTERNAL), 71);
    assert_int_equal(error_exit_status(BL_USAGE), 2);
}

static char *
slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    static char buf[4096];
    size_t n;

    assert_non_null(fp);
    n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void
spit(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    assert_int_equal(chmod(path, mode), 0);
}

static char dir[] = "/tmp/bl-cfg-XXXXXX";

static int
make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/bl-cfg-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int
remove_dir(void **state)
{
    char cmd[64];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
save_user_code_keeps_the_rest(void **state)
{
    char path[64], *written = NULL;
    struct bl_error err = {0};
    struct stat st;

    (void)state;
    snprintf(path, sizeof path, "%s/sub/config", dir);
    assert_int_equal(config_save_user_code(path, ENV_PROD, 123, &written, &err), 0);
    assert_string_equal(written, path);
    free(written);
    assert_string_equal(slurp(path), "[prod]\nuser_code = 123\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    spit(path,
         "# mine\ntimeout = 5\nuser_code = 3\n[test]\nuser_code = 1\nbase_url = "
         "https://x\n"
         "[prod]  # the real one\n# user_code = 9 (a comment)\nuser_code=9  # old\n",
         0600);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 44, NULL, &err), 0);
    assert_string_equal(slurp(path),
                        "# mine\ntimeout = 5\nuser_code = 3\n[test]\nuser_code = 44\n"
                        "base_url = https://x\n[prod]  # the real one\n"
                        "# user_code = 9 (a comment)\nuser_code=9  # old\n");
    assert_int_equal(config_save_user_code(path, ENV_PROD, 45, NULL, &err), 0);
    assert_string_equal(slurp(path),
                        "# mine\ntimeout = 5\nuser_code = 3\n[test]\nuser_code = 44\n"
                        "base_url = https://x\n[prod]  # the real one\n"
                        "# user_code = 9 (a comment)\nuser_code = 45\n");
    /* A section without user_code gets it under its first header; a missing one is added.
     */
    spit(path, "timeout = 5\n[prod]\ntimeout = 2\n[test]\n[prod]\nprewarm = no", 0600);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 7, NULL, &err), 0);
    assert_int_equal(config_save_user_code(path, ENV_PROD, 8, NULL, &err), 0);
    assert_string_equal(slurp(path), "timeout = 5\n[prod]\nuser_code = 8\ntimeout = 2\n"
                                     "[test]\nuser_code = 7\n[prod]\nprewarm = no\n");
    spit(path, "timeout = 5\n", 0600);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 7, NULL, &err), 0);
    assert_string_equal(slurp(path), "timeout = 5\n\n[test]\nuser_code = 7\n");
}

static void
save_refuses_what_it_cannot_read(void **state)
{
    char path[64], fifo[64];
    struct bl_error err = {0};
    struct stat st;

    (void)state;
    snprintf(path, sizeof path, "%s/config", dir);
    /* Broken: the rewrite goes through the same parser, and nothing is written. */
    spit(path, "app_key: 1656d700707ad9a77f737e5df3db088a\n", 0600);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 7, NULL, &err), -1);
    assert_null(strstr(err.message, "1656d7"));
    assert_string_equal(slurp(path), "app_key: 1656d700707ad9a77f737e5df3db088a\n");
    /* Writable by others. */
    spit(path, "timeout = 5\n", 0620);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 7, NULL, &err), -1);
    assert_non_null(strstr(err.message, "writable by other users"));
    assert_string_equal(slurp(path), "timeout = 5\n");
    /* A FIFO: refused at once, and still a FIFO. */
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(config_save_user_code(fifo, ENV_TEST, 7, NULL, &err), -1);
    assert_non_null(strstr(err.message, "not a regular file"));
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    error_clear(&err);
}

static void
save_writes_through_a_symbolic_link(void **state)
{
    char real[64], link[64], dangling[64];
    struct bl_error err = {0};
    struct stat st;

    (void)state;
    snprintf(real, sizeof real, "%s/real", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(dangling, sizeof dangling, "%s/dangling", dir);
    spit(real, "timeout = 5\n", 0600);
    assert_int_equal(symlink(real, link), 0);
    assert_int_equal(config_save_user_code(link, ENV_PROD, 9, NULL, &err), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(slurp(real), "timeout = 5\n\n[prod]\nuser_code = 9\n");
    /* A link to nothing is refused rather than replaced by a file. */
    assert_int_equal(symlink("/nonexistent/boxlogin", dangling), 0);
    assert_int_equal(config_save_user_code(dangling, ENV_PROD, 9, NULL, &err), -1);
    assert_non_null(strstr(err.message, "symbolic link"));
    assert_int_equal(lstat(dangling, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    error_clear(&err);
}

static void
reading_refuses_unsafe_files(void **state)
{
    char path[64];
    struct config_file f = {0};
    struct bl_error err = {0};

    (void)state;
    snprintf(path, sizeof path, "%s/read", dir);
    spit(path, "base_url = https://elsewhere.example\n", 0602);
    assert_int_equal(config_read_file(path, 0, &f, &err), -1);
    assert_non_null(strstr(err.message, "writable by other users"));
    config_file_free(&f);
    spit(path, "app_key = abc\n", 0640);
    assert_int_equal(config_read_file(path, 0, &f, &err), -1);
    assert_non_null(strstr(err.message, "chmod 600"));
    config_file_free(&f);
    spit(path, "app_key = abc\n", 0600);
    assert_int_equal(config_read_file(path, 0, &f, &err), 0);
    assert_string_equal(f.value[0][CONFIG_KEY_APP_KEY], "abc");
    config_file_free(&f);
    /* A missing explicit file is an error, except for setup, which creates it. */
    snprintf(path, sizeof path, "%s/none", dir);
    assert_int_equal(config_read_file(path, 0, &f, &err), -1);
    assert_int_equal(config_read_file(path, 1, &f, &err), 0);
    assert_int_equal(f.exists, 0);
    config_file_free(&f);
    error_clear(&err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_comments_and_values),
        cmocka_unit_test(errors_name_the_line),
        cmocka_unit_test(errors_never_repeat_a_line),
        cmocka_unit_test(hostile_text),
        cmocka_unit_test(defaults),
        cmocka_unit_test(first_source_wins),
        cmocka_unit_test(call_paths_by_call),
        cmocka_unit_test(each_source_and_its_precedence),
        cmocka_unit_test(bad_values_are_refused_where_they_are_read),
        cmocka_unit_test(test_falls_back_with_a_note_prod_never),
        cmocka_unit_test(a_user_code_without_an_app_key),
        cmocka_unit_test(prod_locked_message_and_app_key_without_user_code),
        cmocka_unit_test(sources_copy_is_deep),
        cmocka_unit_test(out_of_memory_is_one_kind),
        cmocka_unit_test_setup_teardown(save_user_code_keeps_the_rest, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(save_refuses_what_it_cannot_read, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(save_writes_through_a_symbolic_link, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(reading_refuses_unsafe_files, make_dir,
                                        remove_dir),
    };
    secmem_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
