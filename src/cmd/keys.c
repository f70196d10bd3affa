/* boxlogin keys: the customer keys stored in the keyring, never the keys themselves. */
#include "cmd.h"
#include "output.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds a member from a string of digits (a keyring attribute): the integer if it is
 * one from 1 to max, else null. */
static void
add_digits(cJSON *obj, const char *name, const char *digits, unsigned long long max)
{
    size_t n = digits != NULL ? strlen(digits) : 0;
    unsigned long long value = 0;

    if (n == 0 || n > 19 || strspn(digits, "0123456789") != n ||
        (value = strtoull(digits, NULL, 10)) < 1 || value > max)
        cJSON_AddNullToObject(obj, name);
    else
        output_add_integer(obj, name, value);
}

static int
keys_exec(struct cmd_ctx *ctx, struct bl_error *err)
{
    const struct cli *cli = ctx->cli;
    struct keyring_item *items = NULL;
    size_t count = 0;
    const char *env;

    if (cmd_explicit_env(cli, &env, err) != 0)
        return -1;
    if (keyring_list(env, &items, &count, err) != 0) {
        /* TRANSLATORS: %s is why, from the keyring. */
        cmd_reword(err, _("cannot read the keyring: %s"), cmd_reason(err));
        keyring_items_free(items, count);
        return -1;
    }
    if (cli->json) {
        cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "keys");

        for (size_t i = 0; i < count; i++) {
            cJSON *o = cJSON_CreateObject();

            cJSON_AddStringToObject(o, "email", items[i].email);
            cJSON_AddStringToObject(o, "environment", items[i].environment);
            add_digits(o, "box_id", items[i].box_id, (1ULL << 53) - 1);
            add_digits(o, "user_code", items[i].user_code, 2147483647ULL);
            cJSON_AddStringToObject(o, "label", items[i].label);
            cJSON_AddItemToArray(arr, o);
        }
        output_json(root);
    } else if (count == 0) {
        cmd_say("%s", _("no customer keys are stored"));
    } else {
        /* The email is what a row is for: the other columns go before it is cut. */
        struct output_column cols[] = {
            /* TRANSLATORS: the column headings of the list of stored keys. */
            {C_("keys list", "EMAIL"), 0, 0, 0, 1},
            /* TRANSLATORS: the environment, test or prod, is in this column. */
            {C_("keys list", "ENV"), 0, 0, 2, 1},
            {C_("keys list", "BOX ID"), 0, 0, 3, 1},
            {C_("keys list", "USER CODE"), 0, 0, 1, 1},
        };
        const size_t ncols = sizeof cols / sizeof *cols;
        char **cells = calloc(count * ncols + 1, sizeof *cells);

        if (cells == NULL) {
            keyring_items_free(items, count);
            return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
        }
        /* Attributes anyone with the keyring could have written: shown inert. */
        for (size_t i = 0; i < count; i++) {
            char **c = cells + i * ncols;

            c[0] = text_one_line(items[i].email, 80);
            c[1] = text_one_line(items[i].environment, 20);
            c[2] = text_one_line(items[i].box_id, 20);
            c[3] = text_one_line(items[i].user_code, 20);
        }
        output_table(cols, ncols, (const char *const *)cells, count, output_columns());
        output_cells_free(cells, count * ncols);
    }
    keyring_items_free(items, count);
    return 0;
}

const struct cmd_entry cmd_entry_keys = {
    .name = "keys",
    .options = CMD_OPT_JSON,
    .operands = {0, 0, NULL},
    .exec = keys_exec,
};
