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

/* Prints text padded with spaces to width columns, and a space. */
static void
print_cell(const char *text, size_t width)
{
    size_t cols = text_columns(text);

    printf("%s%*s ", text, (int)(width > cols ? width - cols : 0), "");
}

/* The wider of n columns and the text's columns. */
static size_t
wider(size_t n, const char *text)
{
    size_t cols = text_columns(text);

    return cols > n ? cols : n;
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
        /* TRANSLATORS: the column headings of the list of stored keys. */
        const char *h_email = C_("keys list", "EMAIL");
        /* TRANSLATORS: the environment, test or prod, is in this column. */
        const char *h_env = C_("keys list", "ENV");
        const char *h_box = C_("keys list", "BOX ID");
        const char *h_code = C_("keys list", "USER CODE");
        /* The columns are as wide as in English at least, or as their heading. */
        size_t w_email = wider(40, h_email), w_env = wider(5, h_env),
               w_box = wider(12, h_box);

        print_cell(h_email, w_email);
        print_cell(h_env, w_env);
        print_cell(h_box, w_box);
        printf("%s\n", h_code);
        for (size_t i = 0; i < count; i++) {
            /* Attributes anyone with the keyring could have written: shown inert. */
            char *email = text_one_line(items[i].email, 80);
            char *envname = text_one_line(items[i].environment, 20);
            char *box = text_one_line(items[i].box_id, 20);
            char *code = text_one_line(items[i].user_code, 20);

            print_cell(email ? email : "?", w_email);
            print_cell(envname ? envname : "?", w_env);
            print_cell(box ? box : "?", w_box);
            printf("%s\n", code ? code : "?");
            free(email);
            free(envname);
            free(box);
            free(code);
        }
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
