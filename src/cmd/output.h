/* What the commands print with: JSON on stdout, and tables and "Label  value" lines
 * that fit the terminal. */
#ifndef BOXLOGIN_CMD_OUTPUT_H
#define BOXLOGIN_CMD_OUTPUT_H

#include "../error.h"
#include "../jsonread.h"
#include "../jsonwrite.h"
#include "../session.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A stream that writes what it is given to the descriptor fd in ASCII (text_to_ascii):
 * for a locale that cannot encode the text, where a byte such as 9b or 9d of valid UTF-8
 * would reach an 8-bit terminal as a C1 control; fd is standard output or error, and
 * closing the stream closes fd. NULL when it cannot be made.
 */
FILE *output_ascii_stream(int fd);

/* Adds a string member, null when value is NULL or empty. */
void output_add_string_or_null(cJSON *obj, const char *name, const char *value);

/* Adds a flag member: true, false, or null when unknown. */
void output_add_flag(cJSON *obj, const char *name, enum bl_flag f);

/* Adds an integer member printed exactly: cJSON prints numbers through a double. */
void output_add_integer(cJSON *obj, const char *name, unsigned long long value);

/* Prints obj on one line of stdout and frees it. */
void output_json(cJSON *obj);

/* Prints a malloc'd JSON text and its line, and frees it; NULL is out of memory.
 * Returns 0, or -1 with err. */
int output_json_text(char *json, struct bl_error *err);

/* Ends a --json text written to stdout with jsonw_init_stream, and its line. A failed
 * write shows at exit (the output is checked then); here only out of memory. */
int output_json_end(struct jsonw *w, struct bl_error *err);

/* The columns output may use: the terminal's, else $COLUMNS, else no limit. */
size_t output_columns(void);

/* A table column: its title (marked with N_, translated where it is printed, unless
 * translated says it is already: a word with a context, C_), whether it is a number
 * (right-aligned) or free text that may be cut to fit, and in which order it goes when
 * even cut text does not fit (1 first; 0 never). */
struct output_column {
    const char *title;
    int right, cut, drop, translated;
};

/* The most columns a table has. */
#define OUTPUT_MAX_COLUMNS 16

/* Where a table's columns go once fitted to the width: how wide each is, which are left
 * out. Borrows cols. */
struct output_layout {
    const struct output_column *cols;
    size_t ncols, shown;
    size_t w[OUTPUT_MAX_COLUMNS];
    int hidden[OUTPUT_MAX_COLUMNS];
};

/* Fits ncols columns, as wide as widths[c] (or their titles) to begin with, in width as
 * output_table does: for a table printed a row at a time, before its rows are known. */
void output_layout_fit(struct output_layout *l, const struct output_column *cols,
                       size_t ncols, const size_t *widths, size_t width);

/* Prints the titles of l's columns, translated, as a row. */
void output_layout_header(const struct output_layout *l);

/* Prints one row of l->ncols cells (NULL: empty) in l's columns; a cell too wide is cut
 * with an ellipsis. */
void output_layout_row(const struct output_layout *l, const char *const *cells);

/*
 * Writes s (NULL: empty) as one RFC 4180 cell to out, then a comma, or CRLF when last.
 * A text cell that begins with =, +, -, @, a tab or a CR is written with a ' before it,
 * so that no spreadsheet reads it as a formula; numbers, booleans and dates as they are.
 */
void output_csv_cell(FILE *out, const char *s, int text, int last);

/* Writes a row of n cells with output_csv_cell; text[c] says cell c is text (NULL: all
 * are). */
void output_csv_row(FILE *out, const char *const *cells, const int *text, size_t n);

/*
 * Writes the flat JSON object json (len bytes) as one CSV row, its keys first as a
 * header row when header is set: strings as text cells, numbers as written, true and
 * false, null (and anything nested) as an empty cell. Returns 0, or -1 when it is not
 * a JSON object.
 */
int output_csv_json_row(FILE *out, const char *json, size_t len, int header);

/*
 * Prints a table of rows x ncols cells (cells[r * ncols + c]) in aligned columns
 * that fit width, whatever the language: the columns that may be cut shrink (the widest
 * first), then columns are left out in their drop order, then any column shrinks, the
 * widest first; what does not fit ends with an ellipsis. No line is wider than width
 * and nothing wraps.
 */
void output_table(const struct output_column *cols, size_t ncols,
                  const char *const *cells, size_t rows, size_t width);

/* Frees n cells and their array. */
void output_cells_free(char **cells, size_t n);

/* An amount with two decimals, or a dash when unknown; the caller frees it. */
char *output_amount(struct jsonread_number n);

/* A copy of s, or of a dash when s is NULL or empty; the caller frees it. */
char *output_or_dash(const char *s);

/* The columns the labels of "  Label   value" lines take at least. */
#define OUTPUT_LABEL_COLUMNS 16

/* One "  Label   value" line of the human output. */
struct output_field {
    const char *label, *value;
};

/*
 * The columns the labels of lines take: cols, or more when a (translated)
 * label needs it, so that every value still starts in the same column two spaces
 * after the widest label. Counted in terminal columns: "Envío" is 5, not 6 bytes.
 */
size_t output_label_columns(size_t cols, const struct output_field *lines, size_t n);

/*
 * A line "  Label   value" of the human output, the label padded to label_cols
 * columns (not bytes); value is made one line and inert.
 */
void output_field(const char *label, const char *value, size_t width, size_t label_cols);

/* output_field for each of n lines. */
void output_fields(const struct output_field *lines, size_t n, size_t width,
                   size_t label_cols);

#endif
