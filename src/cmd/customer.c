#include "customer.h"
#include "../i18n.h"
#include "../keyring.h"
#include "../secmem.h"
#include "../value.h"

#include <stdlib.h>
#include <string.h>

void
customer_clear(struct customer *a)
{
    free(a->email);
    free(a->email_key);
    secmem_free(a->customer_key);
    memset(a, 0, sizeof *a);
}

/* Logs in (as boxlogin login does) and takes the new key for a. */
static int
log_in_for(const struct cli *cli, struct cmd_run *run, struct customer *a,
           struct bl_error *err)
{
    struct bl_session *s = NULL;
    int stored;

    if (cmd_log_in(cli, run, a->email, a->email_key, &s, &stored, err) != 0)
        return -1;
    secmem_free(a->customer_key);
    a->customer_key = s->customer_key;
    s->customer_key = NULL;
    a->box_id = s->box_id;
    a->from_keyring = 0;
    session_free(s);
    return 0;
}

int
customer_open(const struct cli *cli, struct cmd_run *run, const char *what,
              struct customer *a, struct bl_error *err)
{
    struct bl_error why = {0};
    int found = 0;

    if (value_email(cli->operand, what, &a->email, &a->email_key, err) != 0)
        return -1;
    if (!run->cfg.no_keyring)
        found = keyring_lookup_customer_key(a->email_key, run->cfg.env, &a->customer_key,
                                            &a->box_id, &why);
    if (found == 1) {
        a->from_keyring = 1;
        return 0;
    }
    if (cmd_has_password_source(cli)) {
        error_clear(&why);
        return log_in_for(cli, run, a, err);
    }
    if (why.message != NULL)
        error_set(err, BL_USAGE,
                  /* TRANSLATORS: the email, the environment (TEST or PROD), the email
                     again (keep the command as it is), then why the keyring had none. */
                  _("No stored key for %s (%s): run `boxlogin login --email %s` (%s)"),
                  a->email_key, config_env_badge(run->cfg.env), a->email_key,
                  why.message);
    else
        error_set(err, BL_USAGE,
                  /* TRANSLATORS: the email, the environment (TEST or PROD), the email
                     again (keep the command as it is). */
                  _("No stored key for %s (%s): run `boxlogin login --email %s`"),
                  a->email_key, config_env_badge(run->cfg.env), a->email_key);
    error_clear(&why);
    return -1;
}

int
customer_call(const struct cli *cli, struct cmd_run *run, struct customer *a,
              struct api_request rq, customer_decode_fn decode, void **out,
              struct bl_error *err)
{
    for (;;) {
        struct api_reply reply;
        int rc = -1;

        rq.box_id = a->box_id;
        rq.customer_key = a->customer_key;
        rq.email = NULL;
        if (cmd_cancelled(err) != 0)
            return -1;
        api_send(run->api, 1, &run->cfg, &rq, 1, &reply);
        if (reply.err.kind != BL_OK)
            error_move(err, &reply.err);
        else
            rc = decode(&reply, a, rq.awb, out, err);
        api_reply_clear(&reply);
        if (rc == 0 || err->kind != BL_REJECTED || !a->from_keyring ||
            rq.call == API_SHIPMENT || !cmd_has_password_source(cli))
            return rc;
        error_clear(err);
        if (log_in_for(cli, run, a, err) != 0)
            return -1;
    }
}
