/* The history of lookups: what a line holds, where it goes, what is refused, trimming,
 * reading back corrupt files, and concurrent appends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history.h"

static char dir[64];
static char path[128];

static int
setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/bl-history-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/state/boxlogin/history", dir);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *
contents(void)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;

    if (f != NULL)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

static void
append_ok(enum history_action a, const char *email, uint64_t box, enum bl_kind k)
{
    struct bl_error err = {0};

    if (history_append(path, ENV_TEST, a, email, box, k, &err) != 0)
        fail_msg("append failed: %s", err.message);
}

static void
append_refused(const char *want)
{
    struct bl_error err = {0};

    assert_int_equal(
        history_append(path, ENV_TEST, HISTORY_LOGIN, "a@b.c", 1, BL_OK, &err), -1);
    if (strstr(err.message, want) == NULL)
        fail_msg("'%s' does not say '%s'", err.message, want);
    error_clear(&err);
}

static void
a_line_has_exactly_the_fields_and_no_secret(void **state)
{
    struct stat st;

    (void)state;
    append_ok(HISTORY_LOGIN, "  John.Doe@Email.COM ", 9007199254740991ULL, BL_OK);
    append_ok(HISTORY_PROFILE, "x@y.z", 0, BL_REJECTED);
    const char *c = contents();
    char first[256];

    assert_non_null(strchr(c, '\n'));
    snprintf(first, sizeof first, "%.*s", (int)(strchr(c, '\n') - c), c);
    /* {"time":"YYYY-MM-DDTHH:MM:SSZ","environment":..., 6 members in this order */
    assert_int_equal(strncmp(first, "{\"time\":\"", 9), 0);
    assert_int_equal(first[9 + 19], 'Z');
    assert_non_null(strstr(first,
                           "\",\"environment\":\"test\",\"action\":\"login\","
                           "\"email\":\"john.doe@email.com\","
                           "\"box_id\":9007199254740991,\"outcome\":\"session\"}"));
    assert_non_null(strstr(c,
                           "\"action\":\"profile\",\"email\":\"x@y.z\",\"box_id\":null,"
                           "\"outcome\":\"rejected\"}\n"));
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    {
        char d[160];

        snprintf(d, sizeof d, "%s/state/boxlogin", dir);
        assert_int_equal(stat(d, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0700);
    }
}

static void
control_characters_in_an_email_are_made_inert(void **state)
{
    (void)state;
    append_ok(HISTORY_LOGIN, "Eve\033]0;pwned\a@X.COM\r\n", 5, BL_NETWORK);
    const char *c = contents();

    assert_null(strchr(c, '\033'));
    assert_null(strchr(c, '\r'));
    assert_int_equal(strchr(c, '\n') - c + 1, (long)strlen(c)); /* one line */
    assert_non_null(strstr(c, "\"outcome\":\"network\""));
}

static void
read_back_newest_first_with_a_limit(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};

    (void)state;
    append_ok(HISTORY_LOGIN, "one@x.y", 1, BL_OK);
    append_ok(HISTORY_SHIPMENTS, "two@x.y", 2, BL_SERVER);
    append_ok(HISTORY_TRACK, "three@x.y", 0, BL_CANCELLED);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 0);
    assert_string_equal(e[0].email, "three@x.y");
    assert_string_equal(e[0].action, "track");
    assert_int_equal(e[0].box_id, 0);
    assert_string_equal(e[2].email, "one@x.y");
    assert_string_equal(e[1].outcome, "server");
    history_entries_free(e, n);
    assert_int_equal(history_read(path, 2, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(e[1].email, "two@x.y");
    history_entries_free(e, n);
}

static void
a_missing_history_is_empty(void **state)
{
    struct history_entry *e;
    size_t n = 9, skipped = 9;
    struct bl_error err = {0};

    (void)state;
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 0);
    assert_int_equal(skipped, 0);
}

static void
corrupt_lines_are_skipped_and_counted(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    FILE *f;

    (void)state;
    append_ok(HISTORY_LOGIN, "good@x.y", 7, BL_OK);
    f = fopen(path, "a");
    fputs("{\"time\":\"2026-01-01T00:00:00Z\",\"environment\":\"test\",\"act",
          f); /* cut */
    fputs("\n\001\002\377\376binary\n", f);
    fputs("not json at all\n", f);
    fputs("{\"time\":\"t\",\"environment\":\"mars\",\"action\":\"login\",\"email\":\"e\","
          "\"box_id\":null,\"outcome\":\"session\"}\n",
          f);
    fputs("{\"time\":\"t\",\"environment\":\"test\",\"action\":\"login\",\"email\":\"e\","
          "\"box_id\":-4,\"outcome\":\"session\"}\n",
          f);
    fputs("[]\n\n", f);
    fclose(f);
    append_ok(HISTORY_LOOKUP, "later@x.y", 8, BL_OK);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(skipped, 6);
    assert_string_equal(e[0].email, "later@x.y");
    assert_string_equal(e[1].email, "good@x.y");
    history_entries_free(e, n);
}

/*
 * The file is read backward a chunk at a time: lines of every length across the
 * chunks' edges come back whole and in order, a line of 200 KB (longer than any
 * entry) is one corrupt line, and a last line without its newline still counts.
 */
static void
lines_across_chunks_read_back_whole(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    char email[96];
    FILE *f;

    (void)state;
    append_ok(HISTORY_LOGIN, "first@x.y", 1, BL_OK);
    f = fopen(path, "a");
    assert_non_null(f);
    for (int i = 0; i < 200000; i++)
        fputc('x', f);
    fputc('\n', f);
    fclose(f);
    for (int i = 0; i < 3000; i++) {
        snprintf(email, sizeof email, "%0*d@x.y", 1 + i % 61, i);
        append_ok(HISTORY_LOGIN, email, (uint64_t)i + 1, BL_OK);
    }
    f = fopen(path, "a");
    fputs("{\"time\":\"t\",\"environment\":\"test\",\"action\":\"login\","
          "\"email\":\"last@x.y\",\"box_id\":null,\"outcome\":\"session\"}",
          f);
    fclose(f);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(skipped, 1);
    assert_int_equal(n, 3002);
    assert_string_equal(e[0].email, "last@x.y");
    for (int i = 0; i < 3000; i++) {
        snprintf(email, sizeof email, "%0*d@x.y", 1 + i % 61, i);
        assert_string_equal(e[3000 - i].email, email);
        assert_int_equal(e[3000 - i].box_id, i + 1);
    }
    assert_string_equal(e[3001].email, "first@x.y");
    history_entries_free(e, n);
}

/*
 * SPEC: the file keeps at least the newest HISTORY_MAX_LINES lines; past
 * HISTORY_TRIM_LINES it is trimmed back to HISTORY_MAX_LINES, so that a trim is rare.
 */
static void
past_the_limit_the_oldest_lines_go(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    char email[32];
    struct stat before, after;

    (void)state;
    for (int i = 0; i < HISTORY_MAX_LINES + 1; i++) {
        snprintf(email, sizeof email, "n%d@x.y", i);
        append_ok(HISTORY_LOGIN, email, (uint64_t)i + 1, BL_OK);
    }
    /* Past 10 000 lines but not 11 000: nothing is dropped, nothing rewritten. */
    assert_int_equal(stat(path, &before), 0);
    append_ok(HISTORY_LOGIN, "one-more@x.y", 1, BL_OK);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, HISTORY_MAX_LINES + 2);
    assert_string_equal(e[n - 1].email, "n0@x.y");
    history_entries_free(e, n);
    for (int i = HISTORY_MAX_LINES + 1; i < HISTORY_TRIM_LINES + 100; i++) {
        snprintf(email, sizeof email, "n%d@x.y", i);
        append_ok(HISTORY_LOGIN, email, (uint64_t)i + 1, BL_OK);
    }
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_true(n >= HISTORY_MAX_LINES && n <= HISTORY_TRIM_LINES);
    assert_int_equal(skipped, 0);
    snprintf(email, sizeof email, "n%d@x.y", HISTORY_TRIM_LINES + 99);
    assert_string_equal(e[0].email, email);
    /* The oldest went, and only from the start: the rest is one unbroken run. */
    for (size_t i = 0; i + 1 < n; i++) {
        int a, b;

        if (strcmp(e[i + 1].email, "one-more@x.y") == 0 ||
            strcmp(e[i].email, "one-more@x.y") == 0)
            continue;
        assert_int_equal(sscanf(e[i].email, "n%d@", &a), 1);
        assert_int_equal(sscanf(e[i + 1].email, "n%d@", &b), 1);
        assert_int_equal(a, b + 1);
    }
    history_entries_free(e, n);
}

/* SPEC: a system failure is the outcome "internal", and the reader takes it back. */
static void
a_system_failure_is_internal(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};

    (void)state;
    append_ok(HISTORY_LOOKUP, "a@b.c", 0, BL_INTERNAL);
    assert_non_null(strstr(contents(), "\"outcome\":\"internal\"}\n"));
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(skipped, 0);
    assert_string_equal(e[0].outcome, "internal");
    history_entries_free(e, n);
}

/* A change's line adds fields (and new_email) after outcome: read like any other. */
static void
a_change_line_with_more_members_is_read(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    FILE *f;

    (void)state;
    append_ok(HISTORY_LOGIN, "a@b.c", 1, BL_OK);
    f = fopen(path, "a");
    assert_non_null(f);
    fputs("{\"time\":\"2026-01-01T00:00:00Z\",\"environment\":\"test\","
          "\"action\":\"set-email\",\"email\":\"a@b.c\",\"box_id\":1,"
          "\"outcome\":\"applied\",\"fields\":[\"email\"],\"new_email\":\"c@d.e\"}\n",
          f);
    fputs("{\"time\":\"2026-01-01T00:00:00Z\",\"environment\":\"test\","
          "\"action\":\"profile\",\"email\":\"a@b.c\",\"box_id\":1,"
          "\"outcome\":\"session\",\"fields\":[],\"new_email\":null}\n",
          f);
    fclose(f);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_true(n >= 2);
    assert_string_equal(e[0].action, "profile");
    assert_string_equal(e[n - 1].email, "a@b.c");
    history_entries_free(e, n);
}

/* A short write (the disk full) is cut back: no torn line is left to swallow the next. */
static void
a_short_write_is_cut_back(void **state)
{
    struct rlimit small, saved;
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    struct stat st;
    off_t size;

    (void)state;
    append_ok(HISTORY_LOGIN, "a@b.c", 1, BL_OK);
    assert_int_equal(stat(path, &st), 0);
    size = st.st_size;
    small.rlim_cur = (rlim_t)size + 30;
    small.rlim_max = RLIM_INFINITY;
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &saved);
    setrlimit(RLIMIT_FSIZE, &small);
    append_refused("history");
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, size);
    append_ok(HISTORY_LOOKUP, "next@b.c", 2, BL_OK);
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(skipped, 0);
    assert_string_equal(e[0].email, "next@b.c");
    history_entries_free(e, n);
}

static void
two_processes_appending_at_once_lose_and_mix_nothing(void **state)
{
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};
    pid_t kids[2];
    int seen[2][1000] = {{0}};

    (void)state;
    append_ok(HISTORY_LOGIN, "first@x.y", 1, BL_OK); /* the directory exists */
    for (int k = 0; k < 2; k++) {
        if ((kids[k] = fork()) == 0) {
            char email[32];

            for (int i = 0; i < 1000; i++) {
                snprintf(email, sizeof email, "p%d-%d@x.y", k, i);
                if (history_append(path, ENV_PROD, HISTORY_LOOKUP, email, 42, BL_OK,
                                   &err))
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status;

        waitpid(kids[k], &status, 0);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), 0);
    assert_int_equal(skipped, 0);
    assert_int_equal(n, 2001);
    for (size_t i = 0; i + 1 < n; i++) {
        int k, j;

        assert_int_equal(sscanf(e[i].email, "p%d-%d@", &k, &j), 2);
        seen[k][j]++;
    }
    for (int k = 0; k < 2; k++)
        for (int j = 0; j < 1000; j++)
            assert_int_equal(seen[k][j], 1);
    history_entries_free(e, n);
}

static void
files_that_are_not_ours_alone_are_refused(void **state)
{
    char target[160];
    struct history_entry *e;
    size_t n, skipped;
    struct bl_error err = {0};

    (void)state;
    append_ok(HISTORY_LOGIN, "a@b.c", 1, BL_OK);
    chmod(path, 0666);
    append_refused("other users can read it");
    chmod(path, 0620);
    append_refused("other users can write to it");
    unlink(path);

    snprintf(target, sizeof target, "%s/elsewhere", dir);
    close(open(target, O_CREAT | O_WRONLY, 0600));
    assert_int_equal(symlink(target, path), 0);
    append_refused("symbolic link");
    unlink(path);

    assert_int_equal(mkdir(path, 0700), 0);
    append_refused(strerror(EISDIR));
    rmdir(path);

    assert_int_equal(mkfifo(path, 0600), 0);
    append_refused("not a regular file");
    assert_int_equal(history_read(path, 0, &e, &n, &skipped, &err), -1);
    error_clear(&err);
    unlink(path);

    if (geteuid() == 0) {
        append_ok(HISTORY_LOGIN, "a@b.c", 1, BL_OK);
        assert_int_equal(chown(path, 65534, 65534), 0);
        append_refused("belongs to another user");
    }
}

static void
a_file_that_cannot_grow_is_an_error_not_a_crash(void **state)
{
    struct rlimit small = {.rlim_cur = 150, .rlim_max = RLIM_INFINITY}, saved;

    (void)state;
    append_ok(HISTORY_LOGIN, "a@b.c", 1, BL_OK);
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &saved);
    setrlimit(RLIMIT_FSIZE, &small);
    append_refused("history");
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, SIG_DFL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_line_has_exactly_the_fields_and_no_secret,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(control_characters_in_an_email_are_made_inert,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(read_back_newest_first_with_a_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_missing_history_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(corrupt_lines_are_skipped_and_counted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(lines_across_chunks_read_back_whole, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(past_the_limit_the_oldest_lines_go, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_system_failure_is_internal, setup, teardown),
        cmocka_unit_test_setup_teardown(a_change_line_with_more_members_is_read, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_short_write_is_cut_back, setup, teardown),
        cmocka_unit_test_setup_teardown(
            two_processes_appending_at_once_lose_and_mix_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(files_that_are_not_ours_alone_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_file_that_cannot_grow_is_an_error_not_a_crash,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
