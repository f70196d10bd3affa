/* boxlogin history: this user's recent lookups, newest first, from the local file. */
#include "cmd.h"
#include "output.h"
#include "../history.h"
#include "../i18n.h"
#include "../jsonwrite.h"
#include "../text.h"
#include "../value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A history outcome as the agent reads it: the file keeps SPEC's English word (that of
 * --json), the table shows it in the agent's language; an unknown word as it is. */
static const char *
outcome_word(const char *stored)
{
    /* TRANSLATORS: the outcomes of a lookup in the history table, one or two words. */
    if (strcmp(stored, "session") == 0)
        return C_("history outcome", "session");
    if (strcmp(stored, "rejected") == 0)
        return C_("history outcome", "rejected");
    if (strcmp(stored, "network") == 0)
        return C_("history outcome", "network");
    if (strcmp(stored, "server") == 0)
        return C_("history outcome", "server");
    if (strcmp(stored, "usage") == 0)
        return C_("history outcome", "usage");
    if (strcmp(stored, "cancelled") == 0)
        return C_("history outcome", "cancelled");
    if (strcmp(stored, "internal") == 0)
        return C_("history outcome", "internal");
    /* TRANSLATORS: the outcomes of a change in the history table. */
    if (strcmp(stored, "applied") == 0)
        return C_("history outcome", "applied");
    if (strcmp(stored, "unknown") == 0)
        return C_("history outcome", "unknown");
    if (strcmp(stored, "not-applied") == 0)
        return C_("history outcome", "not applied");
    return stored;
}

static int
history_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    static const struct output_column cols[] = {
        /* TRANSLATORS: column titles of `boxlogin history`, in capitals: when the
           lookup was made. */
        {N_("TIME"), 0, 0, 0, 0},
        /* TRANSLATORS: the environment (test or prod). */
        {N_("ENV"), 0, 0, 2, 0},
        /* TRANSLATORS: what was looked up (login, lookup, profile...). */
        {N_("ACTION"), 0, 0, 0, 0},
        {N_("EMAIL"), 0, 1, 0, 0},
        {N_("BOX ID"), 1, 0, 1, 0},
        /* TRANSLATORS: how the lookup ended (session, rejected, network...). */
        {N_("OUTCOME"), 0, 0, 0, 0},
    };
    const size_t ncols = sizeof cols / sizeof *cols;
    struct history_entry *e = NULL;
    size_t n = 0, skipped = 0;
    uint64_t limit = 0;
    char *path = history_path();
    int rc = -1;

    if (cli->limit != NULL && value_id(cli->limit, "--limit", &limit, err) != 0)
        goto out;
    if (path == NULL) {
        error_set(err, BL_USAGE, _("no home directory: set HOME or XDG_STATE_HOME"));
        goto out;
    }
    if (history_read(path, (size_t)limit, &e, &n, &skipped, err) != 0)
        goto out;
    if (skipped > 0)
        cmd_say(P_("%zu line of the history could not be read",
                   "%zu lines of the history could not be read", skipped),
                skipped);
    if (cli->json) {
        struct jsonw w;

        jsonw_init_stream(&w, stdout);
        jsonw_open(&w, '[');
        for (size_t i = 0; i < n; i++)
            history_entry_write(&w, &e[i]);
        jsonw_close(&w, ']');
        rc = output_json_end(&w, err);
    } else if (cli->csv) {
        static const char *const header[] = {"time",   "environment", "action",
                                             "email",  "box_id",      "outcome",
                                             "fields", "new_email"};
        static const int text[] = {0, 1, 1, 1, 0, 1, 1, 1};

        output_csv_row(stdout, header, NULL, sizeof header / sizeof header[0]);
        for (size_t i = 0; i < n; i++) {
            char box[JSONW_U64_SIZE];
            const char *cells[] = {e[i].time,
                                   e[i].environment,
                                   e[i].action,
                                   e[i].email,
                                   e[i].box_id != 0 ? jsonw_u64(box, e[i].box_id) : NULL,
                                   e[i].outcome,
                                   NULL,
                                   NULL};

            output_csv_row(stdout, cells, text, sizeof cells / sizeof cells[0]);
        }
        rc = 0;
    } else if (n == 0) {
        cmd_say("%s", _("no lookups in the history yet"));
        rc = 0;
    } else {
        /* The cells point into the entries; only the box IDs are written here. */
        const char **cells = calloc(n * ncols + 1, sizeof *cells);
        char(*boxes)[24] = calloc(n + 1, sizeof *boxes);

        for (size_t r = 0; cells != NULL && boxes != NULL && r < n; r++) {
            const char **c = cells + r * ncols;

            snprintf(boxes[r], sizeof boxes[r], "%llu", (unsigned long long)e[r].box_id);
            c[0] = e[r].time;
            c[1] = e[r].environment;
            c[2] = e[r].action;
            c[3] = e[r].email;
            c[4] = e[r].box_id != 0 ? boxes[r] : text_dash();
            c[5] = outcome_word(e[r].outcome);
        }
        if (cells != NULL && boxes != NULL) {
            output_table(cols, ncols, cells, n, output_columns());
            rc = 0;
        } else {
            error_set(err, BL_INTERNAL, _("out of memory"));
        }
        free(cells);
        free(boxes);
    }
out:
    history_entries_free(e, n);
    free(path);
    return rc;
}

const struct cmd_entry cmd_entry_history = {
    .name = "history",
    .options = CMD_OPT_JSON | CMD_OPT_CSV | CMD_OPT_LIMIT,
    .operands = {0, 0, NULL},
    .exec = history_exec,
};
