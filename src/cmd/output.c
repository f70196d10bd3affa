#include "output.h"
#include "../i18n.h"
#include "../jsonscan.h"
#include "../secmem.h"
#include "../text.h"
#include "../value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* An ASCII stream's descriptor, and the start of a UTF-8 sequence the last write cut. */
struct ascii_sink {
    int fd;
    char held[4];
    size_t n_held;
};

/* Writes all of the n bytes at s to fd. Returns 0, or -1 with errno. */
static int
write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, s, n);

        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Writes what is held and the size bytes at buf in ASCII; last: nothing follows. */
static int
ascii_put(struct ascii_sink *a, const char *buf, size_t size, int last)
{
    /* The customer key (--show-key) passes here: the copies are wiped. */
    char in[1024 + sizeof a->held], out[sizeof in];
    int rc = 0;

    do {
        size_t take = size < 1024 ? size : 1024, n = a->n_held + take, used, o;

        memcpy(in, a->held, a->n_held);
        memcpy(in + a->n_held, buf, take);
        buf += take;
        size -= take;
        o = text_to_ascii(in, n, out, last && size == 0, &used);
        /* What is left is the start of a sequence: at most 3 bytes. */
        a->n_held = n - used;
        memcpy(a->held, in + used, a->n_held);
        rc = write_all(a->fd, out, o);
    } while (rc == 0 && size > 0);
    explicit_bzero(in, sizeof in);
    explicit_bzero(out, sizeof out);
    return rc;
}

static ssize_t
ascii_write(void *cookie, const char *buf, size_t size)
{
    return ascii_put(cookie, buf, size, 0) == 0 ? (ssize_t)size : -1;
}

static int
ascii_close(void *cookie)
{
    struct ascii_sink *a = cookie;
    int rc = a->n_held > 0 ? ascii_put(a, "", 0, 1) : 0;

    if (close(a->fd) != 0)
        rc = -1;
    return rc;
}

FILE *
output_ascii_stream(int fd)
{
    /* One sink each for stdout and stderr, for the process's life: stderr is never
     * closed, and nothing of it is left to free at exit. */
    static struct ascii_sink sinks[2];
    struct ascii_sink *a;

    if (fd != STDOUT_FILENO && fd != STDERR_FILENO)
        return NULL;
    a = &sinks[fd - STDOUT_FILENO];
    *a = (struct ascii_sink){.fd = fd};
    return fopencookie(
        a, "w", (cookie_io_functions_t){.write = ascii_write, .close = ascii_close});
}

void
output_add_string_or_null(cJSON *obj, const char *name, const char *value)
{
    if (value != NULL && *value != '\0')
        cJSON_AddStringToObject(obj, name, value);
    else
        cJSON_AddNullToObject(obj, name);
}

void
output_add_flag(cJSON *obj, const char *name, enum bl_flag f)
{
    if (f == FLAG_UNKNOWN)
        cJSON_AddNullToObject(obj, name);
    else
        cJSON_AddBoolToObject(obj, name, f == FLAG_YES);
}

void
output_add_integer(cJSON *obj, const char *name, unsigned long long value)
{
    char digits[24];

    snprintf(digits, sizeof digits, "%llu", value);
    cJSON_AddRawToObject(obj, name, digits);
}

void
output_json(cJSON *obj)
{
    char *text = cJSON_PrintUnformatted(obj);

    if (text != NULL)
        printf("%s\n", text);
    secmem_free(text);
    cJSON_Delete(obj);
}

int
output_json_text(char *json, struct bl_error *err)
{
    if (json == NULL)
        return error_set(err, BL_INTERNAL, _("out of memory"));
    fwrite(json, 1, strlen(json), stdout);
    putchar('\n');
    free(json);
    return 0;
}

int
output_json_end(struct jsonw *w, struct bl_error *err)
{
    int rc = jsonw_end_stream(w);

    putchar('\n');
    if (rc != 0 && !ferror(stdout))
        return error_set(err, BL_INTERNAL, _("out of memory"));
    return 0;
}

size_t
output_columns(void)
{
    struct winsize ws;
    const char *env = getenv("COLUMNS");
    uint64_t n;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 0)
        return ws.ws_col;
    if (env != NULL && value_id(env, "COLUMNS", &n, NULL) == 0 && n >= 20 && n < 10000)
        return (size_t)n;
    return 100000;
}

/* n spaces. */
static void
pad(size_t n)
{
    static const char spaces[] = "                                ";

    for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
        fwrite(spaces, 1, sizeof spaces - 1, stdout);
    fwrite(spaces, 1, n, stdout);
}

/* Prints cell, which takes used columns, in exactly width columns. */
static void
print_cell(const char *cell, size_t used, size_t width, int right, int last)
{
    char *cut = NULL;

    /* Cells hold text made inert already; only one too wide is cut (and made one line).
     */
    if (used > width) {
        cut = text_one_line(cell, width);
        used = cut != NULL ? text_columns(cut) : 0;
        cell = cut != NULL ? cut : "";
    }
    if (right)
        pad(width - used);
    fputs(cell, stdout);
    if (!right && !last)
        pad(width - used);
    free(cut);
}

/* Fits the columns, w[c] wide each to begin with, in width: see output_table. */
static void
fit(struct output_layout *l, size_t width)
{
    const struct output_column *cols = l->cols;
    size_t ncols = l->ncols, *w = l->w;
    int *hidden = l->hidden;

    l->shown = ncols;
    for (;;) {
        size_t widest = ncols, dropped = ncols, last = ncols, total = 0;

        for (size_t c = 0; c < ncols; c++)
            total += hidden[c] ? 0 : w[c] + 2;
        if (total - 2 <= width)
            break;
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c] && cols[c].cut && w[c] > 5 &&
                (widest == ncols || w[c] > w[widest]))
                widest = c;
        if (widest < ncols) {
            w[widest]--;
            continue;
        }
        /* As narrow as text goes: leave out the least needed column. */
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c] && cols[c].drop > 0 &&
                (dropped == ncols || cols[c].drop < cols[dropped].drop))
                dropped = c;
        if (dropped < ncols && l->shown > 1) {
            hidden[dropped] = 1;
            l->shown--;
            continue;
        }
        /* Long titles (a translation) or dates: cut whatever is widest. */
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c] && w[c] > 1 && (widest == ncols || w[c] > w[widest]))
                widest = c;
        if (widest < ncols) {
            w[widest]--;
            continue;
        }
        /* Every column one wide, and still too many of them. */
        for (size_t c = 0; c < ncols; c++)
            if (!hidden[c])
                last = c;
        if (l->shown == 1)
            break;
        hidden[last] = 1;
        l->shown--;
    }
}

/* The titles of l's columns, translated, in *title. */
static void
titles(const struct output_layout *l, const char *title[OUTPUT_MAX_COLUMNS])
{
    for (size_t c = 0; c < l->ncols; c++)
        title[c] = l->cols[c].translated ? l->cols[c].title : _(l->cols[c].title);
}

void
output_layout_fit(struct output_layout *l, const struct output_column *cols, size_t ncols,
                  const size_t *widths, size_t width)
{
    const char *title[OUTPUT_MAX_COLUMNS];

    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->ncols = ncols < OUTPUT_MAX_COLUMNS ? ncols : OUTPUT_MAX_COLUMNS;
    titles(l, title);
    for (size_t c = 0; c < l->ncols; c++) {
        size_t t = text_columns(title[c]);

        l->w[c] = widths[c] > t ? widths[c] : t;
    }
    fit(l, width);
}

void
output_layout_row(const struct output_layout *l, const char *const *cells)
{
    size_t left = l->shown;

    for (size_t c = 0; c < l->ncols; c++) {
        const char *cell = cells[c] != NULL ? cells[c] : "";

        if (l->hidden[c])
            continue;
        left--;
        print_cell(cell, text_columns(cell), l->w[c], l->cols[c].right, left == 0);
        fputs(left > 0 ? "  " : "\n", stdout);
    }
}

void
output_layout_header(const struct output_layout *l)
{
    const char *title[OUTPUT_MAX_COLUMNS];

    titles(l, title);
    output_layout_row(l, title);
}

void
output_table(const struct output_column *cols, size_t ncols, const char *const *cells,
             size_t rows, size_t width)
{
    size_t w[OUTPUT_MAX_COLUMNS] = {0};
    struct output_layout l;

    /* Widths are columns on the terminal, not bytes: a translated title may be accented
     * ("ENVÍO") or longer than its cells. */
    for (size_t c = 0; c < ncols && c < OUTPUT_MAX_COLUMNS; c++) {
        for (size_t r = 0; r < rows; r++) {
            size_t n =
                text_columns(cells[r * ncols + c] != NULL ? cells[r * ncols + c] : "");

            if (n > w[c])
                w[c] = n > 60 ? 60 : n;
        }
    }
    output_layout_fit(&l, cols, ncols, w, width);
    output_layout_header(&l);
    for (size_t r = 0; r < rows; r++)
        output_layout_row(&l, cells + r * ncols);
}

/* Writes s as one RFC 4180 cell, without what ends it (see output_csv_cell). */
static void
csv_text(FILE *out, const char *s, int text)
{
    size_t n = s != NULL ? strlen(s) : 0;

    if (s == NULL)
        s = "";
    if (strpbrk(s, ",\"\r\n") != NULL ||
        (text && n > 0 && strchr("=+-@\t\r", s[0]) != NULL)) {
        fputc('"', out);
        if (text && n > 0 && strchr("=+-@\t\r", s[0]) != NULL)
            fputc('\'', out);
        for (; *s != '\0'; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    } else {
        fputs(s, out);
    }
}

void
output_csv_cell(FILE *out, const char *s, int text, int last)
{
    csv_text(out, s, text);
    fputs(last ? "\r\n" : ",", out);
}

/* Writes the members of the object s is in, keys (header) or values, as a CSV row. */
static int
csv_members(FILE *out, struct jsonscan *s, int header)
{
    const char *key;
    int more, first = 1;

    while ((more = jsonscan_member(s, &key)) == 1) {
        const unsigned char *at;
        struct json_value v;

        if (!first)
            fputc(',', out);
        first = 0;
        if (header) {
            csv_text(out, key, 1);
            if (jsonscan_skip(s) != 0)
                return -1;
            continue;
        }
        for (at = s->p; at < s->end && strchr(" \t\r\n", *at) != NULL; at++)
            ;
        if (jsonscan_value(s, &v) != 0)
            return -1;
        if (v.type == JSON_STRING)
            csv_text(out, v.string, 1);
        else if (v.type == JSON_NUMBER)
            fwrite(at, 1, (size_t)(s->p - at), out);
        else if (v.type == JSON_TRUE || v.type == JSON_FALSE)
            fputs(v.type == JSON_TRUE ? "true" : "false", out);
    }
    fputs("\r\n", out);
    return more;
}

int
output_csv_json_row(FILE *out, const char *json, size_t len, int header)
{
    struct jsonscan s;
    int rc;

    jsonscan_init(&s, json, len);
    rc = jsonscan_enter(&s, JSON_OBJECT) == 0 && csv_members(out, &s, header) == 0 ? 0
                                                                                   : -1;
    jsonscan_free(&s);
    return rc;
}

void
output_csv_row(FILE *out, const char *const *cells, const int *text, size_t n)
{
    for (size_t c = 0; c < n; c++)
        output_csv_cell(out, cells[c], text == NULL || text[c], c + 1 == n);
}

void
output_cells_free(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

char *
output_amount(struct jsonread_number n)
{
    char *s = NULL;

    if (!n.known)
        return strdup(text_dash());
    return asprintf(&s, "%.2f", n.value) < 0 ? NULL : s;
}

char *
output_or_dash(const char *s)
{
    return strdup(s != NULL && s[0] != '\0' ? s : text_dash());
}

size_t
output_label_columns(size_t cols, const struct output_field *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t w = text_columns(lines[i].label) + 2;

        if (w > cols)
            cols = w;
    }
    return cols;
}

void
output_field(const char *label, const char *value, size_t width, size_t label_cols)
{
    size_t used = text_columns(label);
    char *shown = text_one_line(value != NULL && value[0] != '\0' ? value : text_dash(),
                                width > label_cols + 6 ? width - label_cols - 2 : 4);

    printf("  %s%*s%s\n", label, used < label_cols ? (int)(label_cols - used) : 0, "",
           shown != NULL ? shown : text_dash());
    free(shown);
}

void
output_fields(const struct output_field *lines, size_t n, size_t width, size_t label_cols)
{
    for (size_t i = 0; i < n; i++)
        output_field(lines[i].label, lines[i].value, width, label_cols);
}
