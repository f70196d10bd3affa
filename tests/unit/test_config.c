/* The config parser, the precedence of sources, and the user_code rewrite. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
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
              "[prod]\n\tprewarm = off\n",
              &f, &err),
        0);
    assert_string_equal(f.value[0][KEY_ENVIRONMENT], "prod");
    assert_string_equal(f.value[0][KEY_USER_CODE], "396");
    assert_int_equal(f.line[0][KEY_USER_CODE], 4);
    assert_string_equal(f.value[1 + ENV_TEST][KEY_BASE_URL],
                        "https://example.com/a#frag");
    assert_string_equal(f.value[1 + ENV_TEST][KEY_TIMEOUT], "2.5");
    assert_string_equal(f.value[1 + ENV_PROD][KEY_PREWARM], "off");
    config_file_free(&f);
}

static void
errors_name_the_line(void **state)
{
    (void)state;
    parse_fails("a = b\n", "cfg:1: unknown key");
    parse_fails("\n\nnovalue\n", "cfg:3: expected 'key = value'");
    parse_fails("[stage]\n", "cfg:1: unknown section");
    parse_fails("timeout = 0\n", "cfg:1: bad timeout");
    parse_fails("timeout = 601\n", "bad timeout");
    parse_fails("timeout = 1.\n", "bad timeout");
    parse_fails("user_code = 12x\n", "bad user_code");
    parse_fails("user_code = 0\n", "bad user_code");
    parse_fails("user_code = 99999999999\n", "bad user_code");
    parse_fails("prewarm = maybe\n", "bad prewarm");
    parse_fails("environment = staging\n", "bad environment");
    parse_fails("[prod]\nenvironment = prod\n", "cfg:2: environment must come before");
    parse_fails("cacert =\n", "no value for");
    parse_fails("app_key = has space\n", "bad app_key");
    parse_fails("timeout = 1\ntimeout = 2\n",
                "cfg:2: timeout is set twice (first on line 1)");
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
                "cfg:1: unknown key 'colour' (known: environment,");
}

static void
resolve(const char *text, const struct config_args *args, struct bl_config *cfg,
        struct bl_error *err, int want)
{
    struct config_file f;
    struct bl_error perr = {0};

    assert_int_equal(parse(text, &f, &perr), 0);
    memset(cfg, 0, sizeof *cfg);
    assert_int_equal(config_resolve(args, &f, NULL, cfg, err), want);
    config_file_free(&f);
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
defaults_and_generic_test_credentials(void **state)
{
    struct config_args args = {.prewarm = -1};
    struct bl_config cfg;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    resolve("", &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_TEST);
    assert_string_equal(cfg.base_url, "https://api-box-test.skypostal.com/wcf-services");
    assert_string_equal(cfg.login_path, "service-customer.svc/customer/customer-login");
    assert_int_equal(cfg.timeout_ms, 20000);
    assert_int_equal(cfg.prewarm, 1);
    assert_int_equal(cfg.user_code, 396);
    assert_string_equal(cfg.app_key, "1656d700707ad9a77f737e5df3db088a");
    assert_non_null(strstr(cfg.note, "generic TEST credentials"));
    config_free(&cfg);
}

static void
prod_never_falls_back(void **state)
{
    struct config_args args = {.prewarm = -1, .env = "prod"};
    struct bl_config cfg;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    resolve("user_code = 396\n", &args, &cfg, &err, -1);
    assert_int_equal(err.kind, BL_USAGE);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    config_free(&cfg);
    error_clear(&err);
    args.env = NULL;
    resolve("environment = prod\n[prod]\nbase_url = https://p.example\n", &args, &cfg,
            &err, -1);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    config_free(&cfg);
    error_clear(&err);
}

static void
first_source_wins(void **state)
{
    struct config_args args = {.prewarm = -1};
    struct bl_config cfg;
    struct bl_error err = {0};
    const char *file = "environment = test\nuser_code = 10\napp_key = filekey\n"
                       "base_url = https://file.example\n[prod]\nuser_code = 20\n"
                       "app_key = prodkey\ntimeout = 3\nprewarm = no\n";

    (void)state;
    clear_env();
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.user_code, 10);
    assert_string_equal(cfg.app_key, "filekey");
    assert_string_equal(cfg.base_url, "https://file.example");
    assert_null(cfg.note);
    config_free(&cfg);

    setenv("BOXLOGIN_ENV", "prod", 1);
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_PROD);
    assert_int_equal(cfg.user_code, 20);
    assert_string_equal(cfg.app_key, "prodkey");
    assert_int_equal(cfg.timeout_ms, 3000);
    assert_int_equal(cfg.prewarm, 0);
    config_free(&cfg);

    setenv("BOXLOGIN_USER_CODE", "30", 1);
    setenv("BOXLOGIN_APP_KEY", "envkey", 1);
    setenv("BOXLOGIN_BASE_URL", "https://env.example", 1);
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.user_code, 30);
    assert_string_equal(cfg.app_key, "envkey");
    assert_string_equal(cfg.base_url, "https://env.example");
    config_free(&cfg);

    args.env = "test";
    args.user_code = "40";
    args.base_url = "https://arg.example";
    args.timeout = "0.5";
    args.prewarm = 0;
    resolve(file, &args, &cfg, &err, 0);
    assert_int_equal(cfg.env, ENV_TEST);
    assert_int_equal(cfg.user_code, 40);
    assert_string_equal(cfg.base_url, "https://arg.example");
    assert_int_equal(cfg.timeout_ms, 500);
    assert_int_equal(cfg.prewarm, 0);
    config_free(&cfg);
    clear_env();
}

static void
test_without_an_app_key_for_another_user_code(void **state)
{
    struct config_args args = {.prewarm = -1, .user_code = "55"};
    struct bl_config cfg;
    struct bl_error err = {0};

    (void)state;
    clear_env();
    resolve("", &args, &cfg, &err, -1);
    assert_non_null(strstr(err.message, "no app_key for user_code 55"));
    config_free(&cfg);
    error_clear(&err);
}

static int
fake_keyring(enum bl_env env, long user_code, char **app_key, long *found, char **why)
{
    if (env != ENV_PROD || (user_code != 0 && user_code != 77)) {
        *why = strdup("the keyring is locked");
        return -1;
    }
    *app_key = secmem_strdup("ringkey");
    *found = 77;
    return 0;
}

static void
keyring_sits_between_environment_and_file(void **state)
{
    struct config_args args = {.prewarm = -1, .env = "prod"};
    struct config_file f;
    struct bl_config cfg = {0};
    struct bl_error err = {0};

    (void)state;
    clear_env();
    assert_int_equal(parse("[prod]\napp_key = filekey\n", &f, &err), 0);
    assert_int_equal(config_resolve(&args, &f, fake_keyring, &cfg, &err), 0);
    assert_string_equal(cfg.app_key, "ringkey");
    assert_int_equal(cfg.user_code, 77);
    config_free(&cfg);
    /* Nothing from the keyring, for a reason worth telling: PROD's message carries it. */
    args.user_code = "55";
    config_file_free(&f);
    assert_int_equal(parse("", &f, &err), 0);
    assert_int_equal(config_resolve(&args, &f, fake_keyring, &cfg, &err), -1);
    assert_non_null(strstr(err.message, "PROD needs your own"));
    assert_non_null(strstr(err.message, "(the keyring is locked)"));
    config_free(&cfg);
    error_clear(&err);
    args.user_code = NULL;
    config_file_free(&f);
    assert_int_equal(parse("[prod]\napp_key = filekey\n", &f, &err), 0);
    args.no_keyring = 1;
    assert_int_equal(config_resolve(&args, &f, fake_keyring, &cfg, &err), -1);
    assert_non_null(strstr(err.message, "no user_code"));
    config_free(&cfg);
    error_clear(&err);
    config_file_free(&f);
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
save_user_code_keeps_the_rest(void **state)
{
    char dir[] = "/tmp/bl-cfg-XXXXXX", path[64], *written = NULL;
    struct bl_error err = {0};
    struct stat st;
    FILE *fp;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/sub/config", dir);
    assert_int_equal(config_save_user_code(path, ENV_PROD, 123, &written, &err), 0);
    assert_string_equal(written, path);
    free(written);
    assert_string_equal(slurp(path), "[prod]\nuser_code = 123\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    fp = fopen(path, "w");
    fputs("# mine\ntimeout = 5\n[test]\nuser_code = 1\nbase_url = https://x\n[prod]\n"
          "user_code=9\n",
          fp);
    fclose(fp);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 44, NULL, &err), 0);
    assert_string_equal(slurp(path), "# mine\ntimeout = 5\n[test]\nuser_code = 44\n"
                                     "base_url = https://x\n[prod]\nuser_code=9\n");
    assert_int_equal(config_save_user_code(path, ENV_PROD, 45, NULL, &err), 0);
    assert_string_equal(slurp(path), "# mine\ntimeout = 5\n[test]\nuser_code = 44\n"
                                     "base_url = https://x\n[prod]\nuser_code = 45\n");
    fp = fopen(path, "w");
    fputs("timeout = 5\n[prod]\ntimeout = 2\n", fp);
    fclose(fp);
    assert_int_equal(config_save_user_code(path, ENV_TEST, 7, NULL, &err), 0);
    assert_int_equal(config_save_user_code(path, ENV_PROD, 8, NULL, &err), 0);
    assert_string_equal(slurp(path), "timeout = 5\n[prod]\nuser_code = 8\ntimeout = 2\n\n"
                                     "[test]\nuser_code = 7\n");
    unlink(path);
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sections_comments_and_values),
        cmocka_unit_test(errors_name_the_line),
        cmocka_unit_test(hostile_text),
        cmocka_unit_test(defaults_and_generic_test_credentials),
        cmocka_unit_test(prod_never_falls_back),
        cmocka_unit_test(first_source_wins),
        cmocka_unit_test(test_without_an_app_key_for_another_user_code),
        cmocka_unit_test(keyring_sits_between_environment_and_file),
        cmocka_unit_test(save_user_code_keeps_the_rest),
    };
    secmem_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
