/*
 * boxlogin check [FILE | -]: a partner lookup for each email of a list, several at once
 * over kept connections, written in the list's order as they complete. Input and output
 * are streams: what is held is a window of WINDOW emails read ahead of the oldest one
 * not yet written, and the set of emails seen (8 bytes each, below).
 */
#include "cmd.h"
#include "output.h"
#include "../decode.h"
#include "../i18n.h"
#include "../jsonwrite.h"
#include "../text.h"
#include "../value.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The longest CSV record (a quoted cell may span lines) before it is a bad line. */
#define CSV_RECORD_MAX 65536
/* Emails read ahead of the oldest one not yet written: a slow lookup (or one waiting
 * for its retry) holds back the output, never the memory. */
#define WINDOW              256
#define DEFAULT_CONCURRENCY 4
#define RETRY_AFTER_S       1.0
/* The one call number of a check: a 401 or 403 cancels what is on its way. */
#define CHECK_SEQ 1UL
/* The widest a bad line is quoted. */
#define QUOTE_COLUMNS 80
/* The input is read this much at a time; a longer line grows the buffer. */
#define READ_CHUNK 65536
/* The progress line is redrawn at most this often (seconds). */
#define PROGRESS_EVERY 0.1

enum item_state {
    ITEM_SENT,      /* on its way */
    ITEM_RETRY,     /* failed once: sent again at due */
    ITEM_DONE,      /* its outcome is known */
    ITEM_CANCELLED, /* stopped on its way: not written */
};

/* One email of the window: what was sent and what came back (the key never kept). */
struct item {
    enum item_state state;
    char *email; /* trimmed, as typed: sent */
    char *key;   /* lower-cased: written */
    int attempts;
    double due;
    enum bl_kind kind; /* BL_OK: a session */
    char *message;     /* why not, one line, or NULL */
    uint64_t box_id;   /* 0: unknown */
    char *first_name, *last_name, *name;
    enum bl_flag active, vip, business, enabled, verified;
};

/*
 * The emails seen, as 64-bit hashes of their lower-cased form in an open-addressed
 * table filled up to 7/8: 8 bytes an email (about 12 on average, 18 at most with the
 * table's slack), never the email; a search stays within a few cache lines. Two
 * different emails share a hash with odds of about n^2 / 2^65: 3 in 10^10 for 100 000.
 */
struct seen {
    uint64_t *slot;
    size_t cap, n;
};

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

/* A line that is read, is not yet available (the input is a pipe or a terminal that has
 * not sent the rest yet: the lookups on their way go on meanwhile), or a failure. */
enum { READ_END = 0, READ_LINE = 1, READ_ERROR = -1, READ_NOT_YET = 2 };

struct check {
    struct cmd_ctx *ctx;
    int fd;    /* the list, read without stdio: never a read that blocks with lookups on
                  their way */
    int own;   /* fd was opened here */
    char *buf; /* what was read of the input and not yet taken as lines */
    size_t buf_cap, buf_pos, buf_len;
    int in_eof;
    unsigned long lines;      /* a regular file's lines that are not blank nor comments */
    unsigned long lines_used; /* of them, the lines read so far */
    unsigned long accepted;   /* emails taken from the input to be checked */
    unsigned long finished;   /* emails whose outcome is known (written or not yet) */
    unsigned long failed;     /* of them, a network or server error */
    char *line;
    size_t line_cap, line_len;
    unsigned long lineno;
    int started; /* the first line that is not blank nor a comment was read */
    int csv;     /* the input is CSV, its email in column */
    size_t column;
    int eof;
    struct seen seen;
    struct item win[WINDOW];
    size_t head, count;
    size_t slot_item[API_SLOTS]; /* which item of win each slot is sending */
    int halted;                  /* a 401 or 403: stop at once */
    struct bl_error halt;
    unsigned long checked, counts[4]; /* session, rejected, network, server */
    enum format format;
    struct jsonw w;
    struct output_layout layout;
    int progress;   /* stderr is a terminal */
    int stdout_tty; /* stdout is one too: the progress line is cleared before rows */
    double start, drawn;
    int drawn_once;
    int shown; /* the progress line is on the terminal now */
};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* FNV-1a, then a finaliser that spreads its bits; never 0 (the empty slot). */
static uint64_t
hash_email(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h != 0 ? h : 1;
}

/* Adds h: 1 when it is new, 0 when it was there, -1 when out of memory. */
static int
seen_add(struct seen *s, uint64_t h)
{
    size_t i;

    if ((s->n + 1) * 8 > s->cap * 7) {
        size_t cap = s->cap == 0 ? 1024 : s->cap * 2;
        uint64_t *slot = calloc(cap, sizeof *slot);

        if (slot == NULL)
            return -1;
        for (size_t k = 0; k < s->cap; k++) {
            if (s->slot[k] == 0)
                continue;
            for (i = s->slot[k] & (cap - 1); slot[i] != 0; i = (i + 1) & (cap - 1))
                ;
            slot[i] = s->slot[k];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    for (i = h & (s->cap - 1); s->slot[i] != 0; i = (i + 1) & (s->cap - 1))
        if (s->slot[i] == h)
            return 0;
    s->slot[i] = h;
    s->n++;
    return 1;
}

/*
 * Cell want of the CSV record s (RFC 4180, quotes doubled inside quoted cells): 1 with
 * a malloc'd copy in *out; 0 when the record has fewer cells; -1 when a quoted cell is
 * still open at its end (the record goes on on the next line); -2 out of memory.
 */
static int
csv_cell(const char *s, size_t want, char **out)
{
    const char *p = s;

    for (size_t k = 0;; k++) {
        char *cell = NULL;
        size_t n = 0;

        if (k == want && (cell = malloc(strlen(p) + 1)) == NULL)
            return -2;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '\0') {
                    free(cell);
                    return -1;
                }
                if (*p == '"' && p[1] != '"')
                    break;
                if (*p == '"')
                    p++;
                if (cell != NULL)
                    cell[n++] = *p;
            }
            p++;
        }
        /* Text after a closing quote is kept: read liberally. */
        for (; *p != '\0' && *p != ','; p++)
            if (cell != NULL)
                cell[n++] = *p;
        if (cell != NULL) {
            cell[n] = '\0';
            *out = cell;
            return 1;
        }
        if (*p == '\0')
            return 0;
        p++;
    }
}

/* Whether the CSV record s has no quoted cell open at its end: quotes inside quoted
 * cells are doubled, so an odd count means it goes on on the next line. */
static int
csv_complete(const char *s)
{
    size_t quotes = 0;

    for (; *s != '\0'; s++)
        quotes += *s == '"';
    return quotes % 2 == 0;
}

/* Copies n bytes of p into c->line as the next line, without its end of line: 1, or -1
 * when out of memory (errno). */
static int
take_line(struct check *c, const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    if (n + 1 > c->line_cap) {
        char *grown = realloc(c->line, n + 1);

        if (grown == NULL)
            return -1;
        c->line = grown;
        c->line_cap = n + 1;
    }
    memcpy(c->line, p, n);
    c->line[n] = '\0';
    c->line_len = n;
    c->lineno++;
    return 1;
}

/*
 * Reads the next line into c->line without its end of line: READ_LINE, READ_END,
 * READ_ERROR (errno), or, unless wait, READ_NOT_YET when the input has not sent a whole
 * line yet: the fd is read only when poll says a read will not block.
 */
static int
read_line(struct check *c, int wait)
{
    for (;;) {
        char *nl = c->buf_len > c->buf_pos
                       ? memchr(c->buf + c->buf_pos, '\n', c->buf_len - c->buf_pos)
                       : NULL;
        ssize_t n;

        if (nl != NULL) {
            size_t at = c->buf_pos;

            c->buf_pos = (size_t)(nl - c->buf) + 1;
            return take_line(c, c->buf + at, c->buf_pos - at);
        }
        if (c->in_eof) {
            size_t at = c->buf_pos;

            if (at == c->buf_len)
                return READ_END;
            c->buf_pos = c->buf_len;
            return take_line(c, c->buf + at, c->buf_len - at);
        }
        if (!wait) {
            struct pollfd p = {.fd = c->fd, .events = POLLIN};

            if (poll(&p, 1, 0) == 0)
                return READ_NOT_YET;
        }
        if (c->buf_pos > 0) {
            memmove(c->buf, c->buf + c->buf_pos, c->buf_len - c->buf_pos);
            c->buf_len -= c->buf_pos;
            c->buf_pos = 0;
        }
        if (c->buf_cap - c->buf_len < READ_CHUNK / 2) {
            char *grown = realloc(c->buf, c->buf_cap + READ_CHUNK);

            if (grown == NULL)
                return READ_ERROR;
            c->buf = grown;
            c->buf_cap += READ_CHUNK;
        }
        n = read(c->fd, c->buf + c->buf_len, c->buf_cap - c->buf_len);
        if (n > 0)
            c->buf_len += (size_t)n;
        else if (n == 0)
            c->in_eof = 1;
        else if (errno == EAGAIN && wait) {
            /* Another program made the input non-blocking: wait for it here. */
            struct pollfd p = {.fd = c->fd, .events = POLLIN};

            if (poll(&p, 1, -1) < 0 && (errno != EINTR || cmd_signalled()))
                return READ_ERROR;
        } else if (errno == EAGAIN) {
            return READ_NOT_YET;
        } else if (errno != EINTR || cmd_signalled()) {
            return READ_ERROR;
        }
    }
}

/* Whether a line is skipped: blank, or a # comment. */
static int
skipped(const char *line)
{
    line += strspn(line, " \t\f\v");
    return *line == '\0' || *line == '#';
}

/* Whether the CSV record line is a header with an email cell (any case); *column is
 * where. */
static int
header_column(const char *line, size_t *column)
{
    char *cell = NULL;

    for (size_t k = 0; csv_cell(line, k, &cell) == 1; k++) {
        char *t = text_trimmed(cell);
        int is = t != NULL && strcasecmp(t, "email") == 0;

        free(t);
        free(cell);
        if (is) {
            *column = k;
            return 1;
        }
    }
    return 0;
}

static void progress_hide(struct check *c);

static void
bad_line(struct check *c, unsigned long lineno, const char *text)
{
    char *shown = text_one_line(text, QUOTE_COLUMNS);

    progress_hide(c);
    /* TRANSLATORS: a line of the input of `boxlogin check` that is skipped: its number,
       then the line as it was (cut). */
    cmd_say(_("line %lu: not an email: %s"), lineno, shown != NULL ? shown : "");
    free(shown);
}

/*
 * The next email to check, not seen before: 1 with *email (trimmed) and *key
 * (lower-cased) malloc'd, 0 at the end of the input, -1 with err (a read error, out of
 * memory, a signal), or, unless wait, READ_NOT_YET when the input has not sent its next
 * line yet. (A CSV record that spans lines is waited for once begun.)
 */
static int
next_email(struct check *c, int wait, char **email, char **key, struct bl_error *err)
{
    for (;;) {
        unsigned long first;
        char *text = NULL;
        int got = read_line(c, wait), r;

        if (got < 0) {
            int why = errno;

            if (cmd_cancelled(err) != 0)
                return -1;
            error_set(err, BL_USAGE,
                      /* TRANSLATORS: %s is the system's reason. */
                      _("cannot read the list of emails: %s"), strerror(why));
            return -1;
        }
        if (got == READ_NOT_YET)
            return READ_NOT_YET;
        if (got == 0)
            return 0;
        if (skipped(c->line))
            continue;
        c->lines_used++;
        if (!c->started) {
            c->started = 1;
            if ((c->csv = header_column(c->line, &c->column)))
                continue;
        }
        first = c->lineno;
        /* A NUL byte would cut the line short: what is read is not what was written. */
        if (strlen(c->line) != c->line_len) {
            bad_line(c, first, c->line);
            continue;
        }
        if (!c->csv) {
            text = strdup(c->line);
        } else {
            /* A quoted cell may hold line breaks: the record goes on, up to
             * CSV_RECORD_MAX bytes; one that does not end by then (a stray quote) or
             * whose cells do not parse is a bad line, and reading goes on after it. */
            char *record = strdup(c->line);
            int whole = 1;

            while (record != NULL && !csv_complete(record)) {
                size_t n = strlen(record);
                char *more;

                if (read_line(c, 1) != READ_LINE || strlen(c->line) != c->line_len ||
                    n + c->line_len + 2 > CSV_RECORD_MAX) {
                    whole = 0;
                    break;
                }
                c->lines_used += !skipped(c->line);
                if ((more = realloc(record, n + c->line_len + 2)) == NULL) {
                    free(record);
                    record = NULL;
                    break;
                }
                record = more;
                record[n] = '\n';
                memcpy(record + n + 1, c->line, c->line_len + 1);
            }
            int got_cell =
                record != NULL && whole ? csv_cell(record, c->column, &text) : -1;

            if (record != NULL && got_cell == -1) {
                bad_line(c, first, record);
                free(record);
                continue;
            }
            if (got_cell == 0)
                text = strdup("");
            free(record);
        }
        if (text == NULL)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        if (value_email(text, "check", email, key, NULL) != 0) {
            bad_line(c, first, text);
            free(text);
            continue;
        }
        free(text);
        if ((r = seen_add(&c->seen, hash_email(*key))) == 1) {
            c->accepted++;
            return 1;
        }
        free(*email);
        free(*key);
        if (r < 0)
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    }
}

static void
item_clear(struct item *it)
{
    free(it->email);
    free(it->key);
    free(it->message);
    free(it->first_name);
    free(it->last_name);
    free(it->name);
    memset(it, 0, sizeof *it);
}

static struct item *
item_at(struct check *c, size_t k)
{
    return &c->win[(c->head + k) % WINDOW];
}

/* The outcome's index in counts and its word (never translated: CSV and JSON). */
static int
outcome_index(enum bl_kind kind)
{
    switch (kind) {
    case BL_OK:
        return 0;
    case BL_REJECTED:
        return 1;
    case BL_NETWORK:
        return 2;
    default:
        return 3;
    }
}

static const char *const outcome_words[] = {"session", "rejected", "network", "server"};

static const char *
csv_flag(enum bl_flag f)
{
    return f == FLAG_YES ? "true" : f == FLAG_NO ? "false" : "";
}

static const char *
table_flag(enum bl_flag f)
{
    /* TRANSLATORS: the state of a flag in the table of `boxlogin check`: yes, no, and
       unknown (one or two characters). */
    return f == FLAG_YES  ? C_("check flag", "yes")
           : f == FLAG_NO ? C_("check flag", "no")
                          : C_("check flag", "?");
}

static void
json_flag(struct jsonw *w, const char *name, enum bl_flag f)
{
    jsonw_member_raw(w, name, f == FLAG_YES ? "true" : f == FLAG_NO ? "false" : "null");
}

static const char *
table_outcome(int i)
{
    /* TRANSLATORS: how a lookup of `boxlogin check` ended, one word: found, refused,
       no answer, the server failed. */
    switch (i) {
    case 0:
        return C_("check outcome", "session");
    case 1:
        return C_("check outcome", "rejected");
    case 2:
        return C_("check outcome", "network");
    default:
        return C_("check outcome", "server");
    }
}

static const struct output_column table_cols[] = {
    /* TRANSLATORS: column titles of `boxlogin check`, in capitals. */
    {N_("EMAIL"), 0, 1, 0, 0},   {N_("BOX ID"), 1, 0, 0, 0},
    {N_("NAME"), 0, 1, 5, 0},    {N_("ACTIVE"), 0, 0, 4, 0},
    {N_("VIP"), 0, 0, 1, 0},     {N_("BUSINESS"), 0, 0, 2, 0},
    {N_("ENABLED"), 0, 0, 3, 0}, {N_("OUTCOME"), 0, 0, 0, 0},
};
#define TABLE_COLUMNS (sizeof table_cols / sizeof table_cols[0])

static void
write_start(struct check *c)
{
    static const size_t widths[TABLE_COLUMNS] = {30, 9, 24, 3, 3, 3, 3, 8};
    static const char *const header[] = {"email",   "box_id", "first_name", "last_name",
                                         "active",  "vip",    "business",   "enabled",
                                         "outcome", "message"};

    switch (c->format) {
    case FORMAT_JSON:
        jsonw_init_stream(&c->w, stdout);
        jsonw_open(&c->w, '{');
        jsonw_member_string(&c->w, "environment", config_env_name(c->ctx->run.cfg.env));
        jsonw_key(&c->w, "results");
        jsonw_open(&c->w, '[');
        jsonw_flush(&c->w);
        break;
    case FORMAT_CSV:
        output_csv_row(stdout, header, NULL, sizeof header / sizeof header[0]);
        break;
    case FORMAT_TABLE:
        output_layout_fit(&c->layout, table_cols, TABLE_COLUMNS, widths,
                          output_columns());
        output_layout_header(&c->layout);
        break;
    }
    fflush(stdout);
}

/* Writes item it, whose outcome is known, counts it and notes it in the history: rows
 * and history lines come in input order alike. */
static void
write_row(struct check *c, const struct item *it)
{
    int o = outcome_index(it->kind);
    char box[JSONW_U64_SIZE],
        *box_text = it->box_id != 0 ? jsonw_u64(box, it->box_id) : NULL;

    cmd_remember(&c->ctx->run, HISTORY_CHECK, it->key, it->box_id, it->kind);
    c->checked++;
    c->counts[o]++;
    if (c->format == FORMAT_JSON) {
        struct jsonw *w = &c->w;

        jsonw_open(w, '{');
        jsonw_member_string(w, "email", it->key);
        jsonw_member_raw(w, "box_id", box_text != NULL ? box_text : "null");
        jsonw_member_string(w, "first_name", it->first_name);
        jsonw_member_string(w, "last_name", it->last_name);
        jsonw_member_string(w, "name", it->name);
        json_flag(w, "active", it->active);
        json_flag(w, "vip", it->vip);
        json_flag(w, "business", it->business);
        json_flag(w, "enabled", it->enabled);
        json_flag(w, "verified", it->verified);
        jsonw_member_string(w, "outcome", outcome_words[o]);
        jsonw_member_string(w, "message", it->message);
        jsonw_close(w, '}');
    } else if (c->format == FORMAT_CSV) {
        const char *cells[] = {it->key,
                               box_text,
                               it->first_name,
                               it->last_name,
                               csv_flag(it->active),
                               csv_flag(it->vip),
                               csv_flag(it->business),
                               csv_flag(it->enabled),
                               outcome_words[o],
                               it->message};
        static const int text[] = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1};

        output_csv_row(stdout, cells, text, sizeof cells / sizeof cells[0]);
    } else {
        const char *cells[TABLE_COLUMNS] = {
            it->key,
            box_text != NULL ? box_text : text_dash(),
            it->name != NULL ? it->name : text_dash(),
            it->kind == BL_OK ? table_flag(it->active) : "",
            it->kind == BL_OK ? table_flag(it->vip) : "",
            it->kind == BL_OK ? table_flag(it->business) : "",
            it->kind == BL_OK ? table_flag(it->enabled) : "",
            table_outcome(o),
        };

        output_layout_row(&c->layout, cells);
    }
}

/* Writes the items at the head of the window whose outcome is known, in input order. */
static void
write_ready(struct check *c)
{
    int wrote = 0;

    while (c->count > 0 && item_at(c, 0)->state == ITEM_DONE) {
        /* Rows on the same terminal as the progress line start on a clean line. */
        if (!wrote && c->stdout_tty)
            progress_hide(c);
        write_row(c, item_at(c, 0));
        item_clear(item_at(c, 0));
        c->head = (c->head + 1) % WINDOW;
        c->count--;
        wrote = 1;
    }
    if (wrote) {
        if (c->format == FORMAT_JSON)
            jsonw_flush(&c->w);
        fflush(stdout);
    }
}

/* After a stop: what is known, in input order, and nothing else. */
static void
write_rest(struct check *c)
{
    for (size_t k = 0; k < c->count; k++)
        if (item_at(c, k)->state == ITEM_DONE)
            write_row(c, item_at(c, k));
    for (size_t k = 0; k < c->count; k++)
        item_clear(item_at(c, k));
    c->count = 0;
}

static int
write_end(struct check *c, struct bl_error *err)
{
    if (c->format == FORMAT_JSON) {
        char n[JSONW_U64_SIZE];

        jsonw_close(&c->w, ']');
        jsonw_member_raw(&c->w, "checked", jsonw_u64(n, c->checked));
        jsonw_key(&c->w, "counts");
        jsonw_open(&c->w, '{');
        for (int i = 0; i < 4; i++)
            jsonw_member_raw(&c->w, outcome_words[i], jsonw_u64(n, c->counts[i]));
        jsonw_close(&c->w, '}');
        jsonw_close(&c->w, '}');
        return output_json_end(&c->w, err);
    }
    fflush(stdout);
    return 0;
}

/* Takes the progress line off the terminal, before another line is written there. */
static void
progress_hide(struct check *c)
{
    if (!c->shown)
        return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    c->shown = 0;
}

/* The progress line on stderr (a terminal only), at most once every PROGRESS_EVERY s:
 * the emails whose outcome is known (never those on their way) of all there are (known
 * for a regular file), the rate, the errors, the time left. final: take it off. */
static void
progress(struct check *c, int final)
{
    double now = now_s(), elapsed = now - c->start, rate;
    char errors[64];

    if (!c->progress)
        return;
    if (final) {
        progress_hide(c);
        return;
    }
    if (c->drawn_once && now - c->drawn < PROGRESS_EVERY)
        return;
    c->drawn = now;
    c->drawn_once = 1;
    rate = elapsed > 0 ? (double)c->finished / elapsed : 0.0;
    /* TRANSLATORS: in the progress line of `boxlogin check`: how many emails failed
       (no answer, or a server error). */
    snprintf(errors, sizeof errors, P_("%lu error", "%lu errors", c->failed), c->failed);
    fputs("\r\033[K", stderr);
    if (c->lines > 0) {
        /* The lines still to read, less those already known not to be emails. */
        unsigned long total =
            c->eof
                ? c->accepted
                : c->accepted + (c->lines > c->lines_used ? c->lines - c->lines_used : 0);
        char left[64] = "";

        /* Not from the first few answers, which carry the connections' set-up. */
        if (c->finished >= 5 && elapsed >= 1.0)
            /* TRANSLATORS: the time left of `boxlogin check`, in seconds. */
            snprintf(left, sizeof left, _(", about %.0f s left"),
                     (double)(total - c->finished) / rate);
        /* TRANSLATORS: the progress line of `boxlogin check`: emails checked of all the
           emails of the file, per second, the errors ("3 errors"), then the time left
           (or nothing). */
        fprintf(stderr, _("%lu/%lu checked, %.1f/s, %s%s"), c->finished, total, rate,
                errors, left);
    } else {
        /* TRANSLATORS: the progress line of `boxlogin check` reading a pipe (how many
           emails there are is not known): emails checked, per second, the errors ("3
           errors"). */
        fprintf(stderr, _("%lu checked, %.1f/s, %s"), c->finished, rate, errors);
    }
    fflush(stderr);
    c->shown = 1;
}

/* A slot is free: an email whose retry is due, else the next of the input. The input is
 * waited for only when nothing is on its way nor waiting for its retry. */
static int
check_next(void *ctx, size_t slot, struct api_request *rq)
{
    struct check *c = ctx;
    struct bl_error err = {0};
    struct item *it = NULL;
    double now = now_s();
    int waiting = 0, busy = 0;

    progress(c, 0);
    if (c->halted || cmd_cancelled(&err) != 0) {
        error_clear(&err);
        return -1;
    }
    for (size_t k = 0; k < c->count && it == NULL; k++) {
        struct item *r = item_at(c, k);

        if (r->state == ITEM_RETRY && r->due <= now)
            it = r;
        else if (r->state == ITEM_RETRY)
            waiting = 1;
        else if (r->state == ITEM_SENT)
            busy = 1;
    }
    if (it == NULL && !c->eof && c->count < WINDOW) {
        char *email = NULL, *key = NULL;
        int got = next_email(c, !waiting && !busy, &email, &key, &err);

        if (got == READ_NOT_YET)
            return 0;
        if (got <= 0) {
            c->eof = 1;
            if (got < 0) {
                c->halted = 1;
                error_move(&c->halt, &err);
                api_cancel(c->ctx->run.api, CHECK_SEQ);
                return -1;
            }
        } else {
            it = item_at(c, c->count++);
            memset(it, 0, sizeof *it);
            it->email = email;
            it->key = key;
            it->active = it->vip = it->business = it->enabled = it->verified =
                FLAG_UNKNOWN;
        }
    }
    if (it == NULL)
        return waiting || !c->eof ? 0 : -1;
    it->state = ITEM_SENT;
    it->attempts++;
    c->slot_item[slot] = (size_t)(it - c->win);
    rq->call = API_PARTNER;
    rq->email = it->email;
    return 1;
}

/* Keeps what the row shows of a session; the session (and its key) is freed after. */
static int
take_session(struct item *it, const struct bl_session *s)
{
    it->box_id = s->box_id;
    it->active = s->active;
    it->vip = s->vip;
    it->business = s->business;
    it->enabled = s->enabled;
    it->verified = s->verified;
    if ((s->first_name != NULL && (it->first_name = strdup(s->first_name)) == NULL) ||
        (s->last_name != NULL && (it->last_name = strdup(s->last_name)) == NULL) ||
        (s->name != NULL && (it->name = strdup(s->name)) == NULL))
        return -1;
    return 0;
}

static void
check_done(void *ctx, size_t slot, struct api_reply *reply)
{
    struct check *c = ctx;
    struct item *it = &c->win[c->slot_item[slot]];
    const struct cmd_run *run = &c->ctx->run;
    struct bl_session *s = NULL;
    struct bl_error err = {0};

    if (reply->err.kind == BL_CANCELLED) {
        it->state = ITEM_CANCELLED;
        return;
    }
    if (reply->err.kind != BL_OK)
        error_move(&err, &reply->err);
    else
        decode_partner_reply(reply->status, reply->body, reply->len, it->email,
                             run->cfg.cred.user_code, &s, &err);
    /* These credentials will look no one up: the rest would be refused alike. */
    if (reply->err.kind == BL_OK && (reply->status == 401 || reply->status == 403) &&
        !c->halted) {
        c->halted = 1;
        error_set(&c->halt, err.kind, "%s", cmd_reason(&err));
        api_cancel(run->api, CHECK_SEQ);
    }
    if ((err.kind == BL_NETWORK || err.kind == BL_SERVER) && it->attempts < 2 &&
        !c->halted) {
        it->state = ITEM_RETRY;
        it->due = now_s() + RETRY_AFTER_S;
        error_clear(&err);
        return;
    }
    it->state = ITEM_DONE;
    c->finished++;
    c->failed += err.kind == BL_NETWORK || err.kind == BL_SERVER;
    it->kind = err.kind == BL_OK && s == NULL ? BL_INTERNAL : err.kind;
    if (s != NULL && take_session(it, s) != 0)
        error_set(&err, BL_INTERNAL, "%s", _("out of memory"));
    if (err.kind != BL_OK) {
        it->kind = err.kind;
        it->message = text_one_line(cmd_reason(&err), CMD_MESSAGE_COLUMNS);
    }
    session_free(s);
    error_clear(&err);
    write_ready(c);
    progress(c, 0);
}

static const char *
check_check(const struct cli *cli)
{
    char *end;
    unsigned long n;

    if (cli->concurrency == NULL)
        return NULL;
    errno = 0;
    n = strtoul(cli->concurrency, &end, 10);
    if (cli->concurrency[0] < '0' || cli->concurrency[0] > '9' || *end != '\0' ||
        errno != 0 || n < 1 || n > API_SLOTS)
        /* TRANSLATORS: keep the option as it is; %d is the most it takes (16). */
        return _("--concurrency takes a number from 1 to 16");
    return NULL;
}

/* The lines of a regular file from offset on that are neither blank nor comments: how
 * many emails there are, as far as can be known before reading them. */
static unsigned long
count_lines(int fd, off_t offset)
{
    char chunk[READ_CHUNK];
    unsigned long n = 0;
    int state = 0; /* 0: only blanks so far on this line, 1: a line to read, 2: skipped */
    ssize_t got;

    while ((got = pread(fd, chunk, sizeof chunk, offset)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            char ch = chunk[i];

            if (ch == '\n') {
                n += state == 1;
                state = 0;
            } else if (state == 0 && ch == '#') {
                state = 2;
            } else if (state == 0 && strchr(" \t\f\v\r", ch) == NULL) {
                state = 1;
            }
        }
        offset += got;
    }
    return n + (state == 1);
}

/* Opens the list: FILE, or standard input for - or none. Returns 0, or -1 with err. */
static int
open_input(struct check *c, const char *path, struct bl_error *err)
{
    struct stat st;

    if (path == NULL || strcmp(path, "-") == 0) {
        c->fd = STDIN_FILENO;
    } else if ((c->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        char *shown = text_one_line(path, QUOTE_COLUMNS);

        /* TRANSLATORS: the file of emails, then the system's reason. */
        error_set(err, BL_USAGE, _("cannot read %s: %s"), shown != NULL ? shown : "",
                  strerror(errno));
        free(shown);
        return -1;
    } else {
        c->own = 1;
    }
    /* The count is only for the progress line. */
    if (c->progress && fstat(c->fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t at = lseek(c->fd, 0, SEEK_CUR);

        c->lines = count_lines(c->fd, at > 0 ? at : 0);
    }
    return 0;
}

static int
check_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    struct check *c = calloc(1, sizeof *c);
    size_t slots = cli->concurrency != NULL ? strtoul(cli->concurrency, NULL, 10)
                                            : DEFAULT_CONCURRENCY;
    int stopped, rc = -1;

    if (c == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    c->ctx = ctx;
    c->format = cli->json ? FORMAT_JSON : cli->csv ? FORMAT_CSV : FORMAT_TABLE;
    c->progress = isatty(STDERR_FILENO);
    c->stdout_tty = isatty(STDOUT_FILENO);
    c->fd = -1;
    c->start = now_s();
    if (open_input(c, cli->operand, err) != 0)
        goto out;
    write_start(c);
    stopped = api_stream(ctx->run.api, CHECK_SEQ, &ctx->run.cfg, slots, check_next,
                         check_done, c, err);
    if (stopped < 0)
        goto out;
    progress(c, 1);
    if (stopped)
        write_rest(c);
    else
        write_ready(c);
    if (write_end(c, err) != 0)
        goto out;
    rc = 0;
    if (c->halted) {
        ctx->status = cmd_fail(0, &c->halt);
    } else if (cmd_cancelled(err) != 0) {
        /* Also when the signal came as the input ended (Ctrl-C in `cat list |
         * boxlogin check` ends cat too): what is written is whole, the status says
         * the run was stopped. */
        ctx->status = cmd_fail(0, err);
        error_clear(err);
    } else {
        ctx->status = c->counts[3] > 0   ? error_exit_status(BL_SERVER)
                      : c->counts[2] > 0 ? error_exit_status(BL_NETWORK)
                      : c->counts[1] > 0 ? error_exit_status(BL_REJECTED)
                                         : 0;
    }
out:
    for (size_t k = 0; k < c->count; k++)
        item_clear(item_at(c, k));
    if (c->own)
        close(c->fd);
    free(c->buf);
    free(c->line);
    free(c->seen.slot);
    error_clear(&c->halt);
    free(c);
    return rc;
}

const struct cmd_entry cmd_entry_check = {
    .name = "check",
    .options = CMD_OPT_JSON | CMD_OPT_CSV | CMD_OPT_CONCURRENCY,
    .flags = CMD_API | CMD_CANCELLABLE,
    /* TRANSLATORS: not shown: check reads standard input without a FILE. */
    .operands = {0, 1, NULL},
    .check = check_check,
    .exec = check_exec,
};
