#include "session.h"
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
        [SESSION_ACTIVE] = {"ACTIVE?", "INACTIVE", "ACTIVE"},
        [SESSION_VIP] = {"VIP?", "NOT VIP", "VIP"},
        [SESSION_BUSINESS] = {"BUSINESS?", "PERSONAL", "BUSINESS"},
        [SESSION_ENABLED] = {"ENABLED?", "DISABLED", "ENABLED"},
        [SESSION_VERIFIED] = {"VERIFIED?", "NOT VERIFIED", "VERIFIED"},
    };
    const enum bl_flag v[SESSION_BADGES] = {
        [SESSION_ACTIVE] = s->active,     [SESSION_VIP] = s->vip,
        [SESSION_BUSINESS] = s->business, [SESSION_ENABLED] = s->enabled,
        [SESSION_VERIFIED] = s->verified,
    };

    for (int i = 0; i < SESSION_BADGES; i++) {
        out[i].flag = (enum session_flag)i;
        out[i].value = v[i];
        out[i].word = words[i][v[i] + 1];
    }
}
