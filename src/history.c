#include "history.h"
#include "i18n.h"
#include "jsonscan.h"
#include "jsonwrite.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/*
 * What an append and history_read look at: the end of a file larger than this
 * is enough (HISTORY_TRIM_LINES lines of some 150 bytes are under 2 MB), and an
 * append cuts a larger file down to it.
 */
#define MAX_READ ((size_t)8 << 20)
/* Lines history_read looks at: a trim keeps the file near HISTORY_TRIM_LINES. */
#define MAX_READ_LINES (HISTORY_TRIM_LINES + HISTORY_TRIM_LINES / 10)
/* An append counts the lines only when the file grows past a multiple of this. */
#define COUNT_EVERY ((off_t)4096)
/* Appends that find the file replaced by a trim try again, at most this often. */
#define MAX_TRIES 100
/* history_read reads the file backward by this much at a time... */
#define READ_CHUNK ((size_t)64 << 10)
/* ...and takes a longer line (the longest it writes is some 300 bytes) for corrupt. */
#define LINE_MAX_READ ((size_t)64 << 10)

static const char *const action_names[] = {
    [HISTORY_LOGIN] = "login",
    [HISTORY_LOOKUP] = "lookup",
    [HISTORY_STORED] = "stored",
    [HISTORY_PROFILE] = "profile",
    [HISTORY_SHIPMENTS] = "shipments",
    [HISTORY_TRACK] = "track",
    [HISTORY_SET_PASSWORD] = "set-password",
    [HISTORY_SET_EMAIL] = "set-email",
    [HISTORY_SET_TYPE] = "set-type",
    [HISTORY_CHECK] = "check",
    [HISTORY_SET_DETAILS] = "set-details",
    [HISTORY_SET_ADDRESS] = "set-address",
};

static const char *const outcome_names[] = {
    "session",  "rejected", "network", "server",      "usage",   "cancelled",
    "internal", "applied",  "unknown", "not-applied", "nothing", "dry-run"};

const char *
history_action_name(enum history_action action)
{
    return action_names[action];
}

/* The history's word for an outcome: a session for any success, else the kind. */
static const char *
outcome_name(enum bl_kind kind)
{
    switch (kind) {
    case BL_OK:
        return "session";
    case BL_REJECTED:
    case BL_NETWORK:
    case BL_SERVER:
    case BL_USAGE:
    case BL_CANCELLED:
        return error_kind_name(kind);
    case BL_INTERNAL:
        break;
    }
    return "internal";
}

char *
history_path(void)
{
    const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char *path = NULL;

    if (state != NULL && state[0] == '/')
        return asprintf(&path, "%s/boxlogin/history", state) < 0 ? NULL : path;
    if (home == NULL || home[0] == '\0') {
        struct passwd *pw = getpwuid(getuid());

        home = pw != NULL ? pw->pw_dir : NULL;
    }
    if (home == NULL || asprintf(&path, "%s/.local/state/boxlogin/history", home) < 0)
        return NULL;
    return path;
}

/* "history PATH: what", with the path made safe to print; what is translated already. */
static int
refuse(struct bl_error *err, const char *path, const char *what)
{
    char *safe = text_sanitize(path, strlen(path));

    /* TRANSLATORS: the history file's (or its folder's) path, then what is wrong with
       it: one of the phrases below, which follow the path, or the system's reason. */
    error_set(err, BL_USAGE, _("history %s: %s"), safe != NULL ? safe : "", what);
    free(safe);
    return -1;
}

/* The user's own, and nobody else may change what is in it. */
static int
check_owner_and_mode(const char *path, const struct stat *st, int is_dir,
                     struct bl_error *err)
{
    if (st->st_uid != geteuid())
        return refuse(err, path, _("belongs to another user; not writing to it"));
    if (is_dir && (st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return refuse(err, path,
                      _("other users can write to this directory; run chmod 700 on it"));
    if (!is_dir && (st->st_mode & 044) != 0)
        return refuse(err, path, _("other users can read it; run chmod 600 on it"));
    if (!is_dir && (st->st_mode & 077) != 0)
        return refuse(err, path, _("other users can write to it; run chmod 600 on it"));
    return 0;
}

/* Creates the directories above path that are missing (mode 0700) and checks the last.
 */
static int
make_directory(const char *path, struct bl_error *err)
{
    char *dir = strdup(path), *slash;
    struct stat st;
    int rc = 0;

    if (dir == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p != '\0'; p++) {
            if (*p == '/') {
                *p = '\0';
                mkdir(dir, 0700);
                *p = '/';
            }
        }
        if ((mkdir(dir, 0700) != 0 && errno != EEXIST) || lstat(dir, &st) != 0)
            rc = refuse(err, dir, strerror(errno));
        else if (!S_ISDIR(st.st_mode))
            rc = refuse(err, dir, _("is not a directory"));
        else
            rc = check_owner_and_mode(dir, &st, 1, err);
    }
    free(dir);
    return rc;
}

/* Opens the history for appending (and reading, for a trim), refusing anything but the
 * user's own private file.
 */
static int
open_for_append(const char *path, struct bl_error *err)
{
    struct stat st;
    int fd =
        open(path,
             O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
             0600);

    if (fd < 0) {
        if (errno == ELOOP)
            return refuse(err, path, _("is a symbolic link; not writing through it"));
        if (errno == ENXIO)
            return refuse(err, path, _("is not a regular file"));
        return refuse(err, path, strerror(errno));
    }
    if (fstat(fd, &st) != 0) {
        refuse(err, path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        refuse(err, path, _("is not a regular file"));
    } else if (check_owner_and_mode(path, &st, 0, err) == 0) {
        return fd;
    }
    close(fd);
    return -1;
}

/* Whether fd is still the file at path (a trim may have replaced it meanwhile). */
static int
still_current(int fd, const char *path)
{
    struct stat a, b;

    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

/* Reads n bytes at off into buf; 0, or -1 when the file ended or failed before. */
static int
read_at(int fd, char *buf, size_t n, off_t off)
{
    while (n > 0) {
        ssize_t r = pread(fd, buf, n, off);

        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
        off += r;
    }
    return 0;
}

/*
 * Where the lines to keep start in the file fd of size bytes, which ends with a
 * newline: 0 to keep it all, which it does while it holds at most
 * HISTORY_TRIM_LINES lines in at most MAX_READ bytes; else the start of the newest
 * HISTORY_MAX_LINES lines within its last MAX_READ bytes. Reads backward from the
 * end, MAX_READ bytes at most; -1 when reading fails.
 */
static off_t
keep_from(int fd, off_t size)
{
    off_t floor = size > (off_t)MAX_READ ? size - (off_t)MAX_READ : 0, pos = size - 1;
    off_t start = -1, first = -1;
    size_t lines = 0;
    char *buf = malloc(READ_CHUNK);

    if (buf == NULL)
        return -1;
    /* pos: how much is left to look at before the last newline. */
    while (pos > floor && lines <= HISTORY_TRIM_LINES) {
        size_t n =
            (size_t)(pos - floor) < READ_CHUNK ? (size_t)(pos - floor) : READ_CHUNK;

        if (read_at(fd, buf, n, pos - (off_t)n) != 0) {
            free(buf);
            return -1;
        }
        for (size_t i = n; i-- > 0 && lines <= HISTORY_TRIM_LINES;) {
            if (buf[i] != '\n')
                continue;
            lines++;
            first = pos - (off_t)n + (off_t)i + 1;
            if (lines == HISTORY_MAX_LINES)
                start = first;
        }
        pos -= (off_t)n;
    }
    free(buf);
    if (lines > HISTORY_TRIM_LINES)
        return start;
    if (floor == 0)
        return 0;
    /* Too big for its lines: the whole lines of its end, the first one cut there. */
    return start >= 0 ? start : first >= 0 ? first : size;
}

/* Copies bytes [from, to) of in to out; 0, or -1. */
static int
copy_range(int in, int out, off_t from, off_t to)
{
    char *buf = malloc(READ_CHUNK);
    int rc = buf != NULL ? 0 : -1;

    while (rc == 0 && from < to) {
        size_t n = (size_t)(to - from) < READ_CHUNK ? (size_t)(to - from) : READ_CHUNK;

        if (read_at(in, buf, n, from) != 0 || write(out, buf, n) != (ssize_t)n)
            rc = -1;
        from += (off_t)n;
    }
    free(buf);
    return rc;
}

/*
 * Trims the file fd (open at path, of size bytes, ending with a newline; the
 * caller holds its exclusive lock) when keep_from says so: what is kept goes to a
 * new file that replaces it atomically. Appenders wait for the lock and then see
 * that the file was replaced, and append to the new one, so no line is lost. A
 * trim that fails leaves the file as it was.
 */
static void
trim(int fd, const char *path, off_t size)
{
    off_t from = keep_from(fd, size);
    char *tmp = NULL;
    int out;

    if (from <= 0 || asprintf(&tmp, "%s.XXXXXX", path) < 0)
        return;
    if ((out = mkstemp(tmp)) >= 0) {
        if (copy_range(fd, out, from, size) != 0 || fsync(out) != 0 ||
            rename(tmp, path) != 0)
            unlink(tmp);
        close(out);
    }
    free(tmp);
}

static void
write_entry(struct jsonw *w, const char *time, const char *environment,
            const char *action, const char *email, uint64_t box_id, const char *outcome,
            const char *fields, const char *new_email)
{
    char box[JSONW_U64_SIZE];

    /* Written from the integer: through a double, a large ID would not survive. */
    jsonw_u64(box, box_id);
    jsonw_open(w, '{');
    jsonw_member_string(w, "time", time);
    jsonw_member_string(w, "environment", environment);
    jsonw_member_string(w, "action", action);
    jsonw_member_string(w, "email", email);
    jsonw_member_raw(w, "box_id", box_id != 0 ? box : "null");
    jsonw_member_string(w, "outcome", outcome);
    if (fields != NULL) {
        /* The names never hold ';': they are the profile JSON's. */
        jsonw_key(w, "fields");
        jsonw_open(w, '[');
        for (const char *f = fields; *f != '\0';) {
            size_t n = strcspn(f, ";");
            char name[64];

            snprintf(name, sizeof name, "%.*s", (int)n, f);
            jsonw_string(w, name);
            f += n + (f[n] == ';');
        }
        jsonw_close(w, ']');
    }
    if (new_email != NULL)
        jsonw_member_string(w, "new_email", new_email);
    jsonw_close(w, '}');
}

void
history_entry_write(struct jsonw *w, const struct history_entry *e)
{
    write_entry(w, e->time, e->environment, e->action, e->email, e->box_id, e->outcome,
                e->fields, e->new_email);
}

/* One history line, with its newline. */
static char *
format_line(enum bl_env env, enum history_action action, const char *email,
            uint64_t box_id, enum bl_kind outcome, const struct history_change *c)
{
    char when[32], *key = text_email_key(email != NULL ? email : "");
    char *safe = key != NULL ? text_sanitize(key, strlen(key)) : NULL;
    struct timespec ts;
    struct tm tm;
    struct jsonw w;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    jsonw_init(&w, 256);
    char *fields = NULL, *new_key = NULL, *new_safe = NULL, *line = NULL;

    if (c != NULL) {
        size_t len = 1;

        for (size_t i = 0; i < c->n_fields; i++)
            len += strlen(c->fields[i]) + 1;
        if ((fields = calloc(1, len)) == NULL)
            goto out;
        for (size_t i = 0, at = 0; i < c->n_fields; i++)
            at += (size_t)snprintf(fields + at, len - at, "%s%s", i > 0 ? ";" : "",
                                   c->fields[i]);
        if (c->new_email != NULL &&
            ((new_key = text_email_key(c->new_email)) == NULL ||
             (new_safe = text_sanitize(new_key, strlen(new_key))) == NULL))
            goto out;
    }
    write_entry(&w, when, config_env_name(env), action_names[action],
                safe != NULL ? safe : "", box_id,
                c != NULL ? c->outcome : outcome_name(outcome), fields, new_safe);
    jsonw_newline(&w);
    line = jsonw_finish(&w);
out:
    if (line == NULL)
        free(jsonw_finish(&w));
    free(fields);
    free(new_key);
    free(new_safe);
    free(safe);
    free(key);
    return line;
}

/*
 * Opens the history and takes its exclusive lock, on the file that is at path
 * once the lock is held (a trim may have replaced the one opened): the fd, or
 * -1 with err set.
 */
static int
open_locked(const char *path, struct bl_error *err)
{
    for (int tries = 0; tries < MAX_TRIES; tries++) {
        int fd = open_for_append(path, err);

        if (fd < 0)
            return -1;
        if (flock(fd, LOCK_EX) == 0 && still_current(fd, path))
            return fd;
        close(fd);
    }
    return refuse(err, path, _("keeps being replaced; not written"));
}

/*
 * Appends line (n bytes, one whole line) to fd, which ends at size and which the
 * caller holds the exclusive lock on; 0, or -1 with errno set (0 for a short write).
 * After a file that does not end with a newline (a line torn by a crash), it
 * starts a line of its own; a write cut short (the disk full) is cut back to
 * where the file ended, so that no torn line is left to swallow the next one.
 */
static int
append_line(int fd, off_t size, const char *line, size_t n)
{
    char last = '\n';
    int torn = size > 0 && read_at(fd, &last, 1, size - 1) == 0 && last != '\n';
    ssize_t w;

    if (torn && write(fd, "\n", 1) != 1)
        return -1;
    w = write(fd, line, n);
    if (w == (ssize_t)n)
        return 0;
    {
        int saved = w < 0 ? errno : 0;

        /* Whatever part went in goes again: the file ends where it did. */
        if (ftruncate(fd, size) != 0)
            saved = errno;
        errno = saved;
    }
    return -1;
}

/* Appends line (freed here) to the history at path. */
static int
append(const char *path, char *line, struct bl_error *err)
{
    struct stat st;
    off_t end;
    size_t n;
    int fd = -1, rc = -1;

    if (line == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    n = strlen(line);
    if (make_directory(path, err) != 0 || (fd = open_locked(path, err)) < 0)
        goto out;
    /* One appender at a time: the file's end is known, and a short write can be undone.
     */
    if (fstat(fd, &st) != 0) {
        refuse(err, path, strerror(errno));
        goto out;
    }
    errno = 0;
    if (append_line(fd, st.st_size, line, n) != 0) {
        refuse(err, path, errno != 0 ? strerror(errno) : _("the disk is full"));
        goto out;
    }
    rc = 0;
    /* Counting the lines reads the file: only when it grows past a multiple of
       COUNT_EVERY bytes (or is too big anyway), so that an append stays cheap. */
    end = fstat(fd, &st) == 0 ? st.st_size : 0;
    if (end > (off_t)MAX_READ || (end - (off_t)n) / COUNT_EVERY != end / COUNT_EVERY)
        trim(fd, path, end);
out:
    if (fd >= 0)
        close(fd); /* and with it the lock */
    free(line);
    return rc;
}

int
history_append(const char *path, enum bl_env env, enum history_action action,
               const char *email, uint64_t box_id, enum bl_kind outcome,
               struct bl_error *err)
{
    return append(path, format_line(env, action, email, box_id, outcome, NULL), err);
}

int
history_append_change(const char *path, enum bl_env env, enum history_action action,
                      const char *email, uint64_t box_id, const struct history_change *c,
                      struct bl_error *err)
{
    return append(path, format_line(env, action, email, box_id, BL_OK, c), err);
}

/* The word of words that s is (a static string), or NULL. */
static const char *
word_of(const char *s, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, words[i]) == 0)
            return words[i];
    return NULL;
}

static void
entry_clear(struct history_entry *e)
{
    free(e->time);
    free(e->email);
    free(e->fields);
    free(e->new_email);
    memset(e, 0, sizeof *e);
}

/* Reads a change line's array of field names into *out, joined by ';' (names that are
 * not plain words are left out). Returns 0, or -1 when it is no JSON. */
static int
read_fields(struct jsonscan *s, char **out)
{
    char buf[256] = "";
    struct json_value v;
    int rc;

    if (jsonscan_enter(s, JSON_ARRAY) != 0)
        return -1;
    while ((rc = jsonscan_element(s)) == 1) {
        size_t at = strlen(buf);

        if (jsonscan_value(s, &v) != 0)
            return -1;
        if (v.type != JSON_STRING || v.string[0] == '\0' ||
            v.string[strspn(v.string, "abcdefghijklmnopqrstuvwxyz0123456789_")] != '\0' ||
            at + strlen(v.string) + 2 > sizeof buf)
            continue;
        snprintf(buf + at, sizeof buf - at, "%s%s", at > 0 ? ";" : "", v.string);
    }
    if (rc != 0)
        return -1;
    if (buf[0] != '\0')
        *out = strdup(buf);
    return 0;
}

/*
 * Decodes one line into e; returns 0, or -1 when it is no history entry. Read
 * with src/jsonscan.c (cJSON's grammar, without building a tree for each of the
 * 10 000 lines): one object and nothing after it, the first member of each name
 * counting; time, environment, action, email and outcome strings (sanitised),
 * box_id an integer ID or null.
 */
static int
parse_line(struct jsonscan *s, const char *line, size_t len, struct history_entry *e)
{
    static const char *const envs[] = {"test", "prod"};
    static const char *const names[] = {"time",  "environment", "action",
                                        "email", "outcome",     "box_id"};
    struct json_value box = {JSON_MISSING, 0.0, NULL}, v;
    unsigned seen = 0;
    const char *key;
    int ok, rc = -1;

    memset(e, 0, sizeof *e);
    jsonscan_reset(s, line, len);
    ok = jsonscan_enter(s, JSON_OBJECT) == 0;
    while (ok && (rc = jsonscan_member(s, &key)) == 1) {
        size_t m = 0;

        if (strcmp(key, "fields") == 0 && e->fields == NULL &&
            jsonscan_peek(s) == JSON_ARRAY) {
            ok = read_fields(s, &e->fields) == 0;
            continue;
        }
        if (strcmp(key, "new_email") == 0 && e->new_email == NULL &&
            jsonscan_peek(s) == JSON_STRING) {
            ok = jsonscan_value(s, &v) == 0;
            if (ok)
                e->new_email = text_sanitize(v.string, strlen(v.string));
            continue;
        }
        while (m < 6 && strcmp(key, names[m]) != 0)
            m++;
        if (m == 6 || (seen & 1u << m) != 0) {
            ok = jsonscan_skip(s) == 0;
            continue;
        }
        seen |= 1u << m;
        ok = jsonscan_value(s, &v) == 0;
        if (!ok)
            break;
        if (m == 5) {
            box = v;
            continue;
        }
        if (v.type != JSON_STRING)
            continue;
        /* The three words are SPEC's, kept as the program's own strings. */
        if (m == 0)
            e->time = text_sanitize(v.string, strlen(v.string));
        else if (m == 1)
            e->environment = word_of(v.string, envs, 2);
        else if (m == 2)
            e->action = word_of(v.string, action_names,
                                sizeof action_names / sizeof action_names[0]);
        else if (m == 3)
            e->email = text_sanitize(v.string, strlen(v.string));
        else
            e->outcome = word_of(v.string, outcome_names,
                                 sizeof outcome_names / sizeof outcome_names[0]);
    }
    ok = ok && rc == 0 && jsonscan_left(s) == 0 && e->time != NULL && e->email != NULL &&
         e->environment != NULL && e->action != NULL && e->outcome != NULL;
    if (ok && box.type == JSON_NUMBER) {
        double d = box.number;

        ok = isfinite(d) && d >= 1.0 && d < 9007199254740992.0 && d == floor(d);
        e->box_id = ok ? (uint64_t)d : 0;
    } else if (ok) {
        ok = box.type == JSON_NULL;
    }
    if (!ok)
        entry_clear(e);
    return ok ? 0 : -1;
}

/*
 * The lines of a file from the last back, through a buffer of a chunk or two: the
 * history is read newest first without holding the whole file (10 000 lines,
 * 1.5 MB, would be that many fresh pages).
 */
struct lines_back {
    int fd;
    off_t pos;   /* the file offset of buf[0] */
    off_t floor; /* where reading stops: the last MAX_READ bytes are enough */
    char *buf;
    size_t cap, end; /* buf[0 .. end) is not handed out yet */
    int dropping;    /* inside a line longer than LINE_MAX_READ, dropped */
};

/* Reads the chunk before buf[0] in front of what buf holds; 0, or -1 with errno set (0
 * when the file shrank). */
static int
read_back(struct lines_back *b)
{
    size_t n = (size_t)(b->pos - b->floor) < READ_CHUNK ? (size_t)(b->pos - b->floor)
                                                        : READ_CHUNK;
    size_t got = 0;

    if (b->end + n > b->cap) {
        char *grown = realloc(b->buf, b->end + n);

        if (grown == NULL) {
            errno = ENOMEM;
            return -1;
        }
        b->buf = grown;
        b->cap = b->end + n;
    }
    memmove(b->buf + n, b->buf, b->end);
    /* cppcheck takes st_size for 0 after fstat, and so n: */
    /* cppcheck-suppress knownConditionTrueFalse */
    while (got < n) {
        ssize_t r = pread(b->fd, b->buf + got, n - got, b->pos - (off_t)n + (off_t)got);

        if (r <= 0) {
            if (r == 0)
                errno = 0; /* the file shrank under the shared lock */
            return -1;
        }
        got += (size_t)r;
    }
    b->pos -= (off_t)n;
    b->end += n;
    return 0;
}

/*
 * The line before the last one handed out (without its newline; empty lines are
 * passed over): 1 with *line and *len, valid until the next call; 2 for a line too
 * long to be an entry; 0 at the start of the file, or at the cut when only its end
 * is read (the line cut there is not whole); -1 when reading fails (errno: ENOMEM,
 * the read's, or 0 when the file shrank).
 */
static int
line_back(struct lines_back *b, const char **line, size_t *len)
{
    for (;;) {
        const char *nl = b->end > 0 ? memrchr(b->buf, '\n', b->end) : NULL;
        size_t start;
        int dropped;

        if (nl == NULL && b->pos > b->floor) {
            if (b->end > LINE_MAX_READ) {
                b->dropping = 1;
                b->end = 0;
            }
            if (read_back(b) != 0)
                return -1;
            continue;
        }
        if (nl == NULL && (b->floor > 0 || (b->end == 0 && !b->dropping)))
            return 0;
        start = nl != NULL ? (size_t)(nl - b->buf) + 1 : 0;
        *line = b->buf + start;
        *len = b->end - start;
        b->end = nl != NULL ? start - 1 : 0;
        dropped = b->dropping;
        b->dropping = 0;
        if (dropped)
            return 2;
        if (*len > 0)
            return 1;
    }
}

int
history_read(const char *path, size_t limit, struct history_entry **entries,
             size_t *count, size_t *skipped, struct bl_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    size_t cap = 0, n = 0, len, looked = 0;
    struct history_entry *out = NULL;
    struct lines_back b = {0};
    struct jsonscan scan;
    struct stat st;
    const char *line;
    int rc = 0, got;

    *entries = NULL;
    *count = *skipped = 0;
    if (fd < 0)
        return errno == ENOENT ? 0 : refuse(err, path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return refuse(err, path, _("is not a regular file"));
    }
    flock(fd, LOCK_SH);
    b.fd = fd;
    b.pos = st.st_size;
    b.floor = (size_t)st.st_size > MAX_READ ? st.st_size - (off_t)MAX_READ : 0;
    jsonscan_init(&scan, "", 0);
    /* Newest first: from the last line back. */
    while ((limit == 0 || n < limit) && looked++ < MAX_READ_LINES &&
           (got = line_back(&b, &line, &len)) != 0) {
        struct history_entry e;

        if (got < 0) {
            rc = errno == 0 ? refuse(err, path, _("changed while it was being read"))
                 : errno == ENOMEM ? error_set(err, BL_INTERNAL, "%s", _("out of memory"))
                                   : refuse(err, path, strerror(errno));
            break;
        }
        if (got == 2 || parse_line(&scan, line, len, &e) != 0) {
            (*skipped)++;
            continue;
        }
        if (n == cap) {
            struct history_entry *grown;

            cap = cap == 0 ? 64 : cap * 2;
            if ((grown = realloc(out, cap * sizeof *out)) == NULL) {
                entry_clear(&e);
                rc = error_set(err, BL_INTERNAL, "%s", _("out of memory"));
                break;
            }
            out = grown;
        }
        out[n++] = e;
    }
    jsonscan_free(&scan);
    free(b.buf);
    close(fd);
    if (rc != 0) {
        history_entries_free(out, n);
        return rc;
    }
    *entries = out;
    *count = n;
    return 0;
}

void
history_entries_free(struct history_entry *entries, size_t count)
{
    for (size_t i = 0; i < count; i++)
        entry_clear(&entries[i]);
    free(entries);
}

int
history_record_change(enum bl_env env, enum history_action action, const char *email,
                      uint64_t box_id, const struct history_change *c,
                      struct bl_error *err)
{
    char *path = history_path();
    int rc;

    if (path == NULL)
        return error_set(err, BL_USAGE, "%s", _("no home directory for the history"));
    rc = history_append_change(path, env, action, email, box_id, c, err);
    free(path);
    return rc;
}

int
history_record(enum bl_env env, enum history_action action, const char *email,
               uint64_t box_id, enum bl_kind outcome, struct bl_error *err)
{
    char *path = history_path();
    int rc;

    if (path == NULL)
        return error_set(err, BL_USAGE, "%s", _("no home directory for the history"));
    rc = history_append(path, env, action, email, box_id, outcome, err);
    free(path);
    return rc;
}
