#include "session.h"
#include "i18n.h"
#include "secmem.h"

#include <stdlib.h>

void
session_free(struct bl_session *s)
{
    if (s == NULL)
        return;
    secmem_free(s->customer_key);
    free(s->email);
    free(s->first_name);
    free(s->last_name);
    free(s->name);
    free(s);
}

void
session_badges(const struct bl_session *s, struct session_badge out[SESSION_BADGES])
{
    static const char *const words[SESSION_BADGES][3] = {
        /* unknown, no, yes */
        /* TRANSLATORS: the customer's status badges, in capitals: the flag unknown (with
           a question mark), no, yes. Keep them short (at most 18 characters). */
        [SESSION_ACTIVE] = {N_("ACTIVE?"), N_("INACTIVE"), N_("ACTIVE")},
        [SESSION_VIP] = {N_("VIP?"), N_("NOT VIP"), N_("VIP")},
        [SESSION_BUSINESS] = {N_("BUSINESS?"), N_("PERSONAL"), N_("BUSINESS")},
        [SESSION_ENABLED] = {N_("ENABLED?"), N_("DISABLED"), N_("ENABLED")},
        [SESSION_VERIFIED] = {N_("VERIFIED?"), N_("NOT VERIFIED"), N_("VERIFIED")},
    };
    const enum bl_flag v[SESSION_BADGES] = {
        [SESSION_ACTIVE] = s->active,     [SESSION_VIP] = s->vip,
        [SESSION_BUSINESS] = s->business, [SESSION_ENABLED] = s->enabled,
        [SESSION_VERIFIED] = s->verified,
    };

    for (int i = 0; i < SESSION_BADGES; i++) {
        out[i].flag = (enum session_flag)i;
        out[i].value = v[i];
        out[i].word = _(words[i][v[i] + 1]);
    }
}
