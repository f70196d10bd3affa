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
        {"ACTIVE?", "INACTIVE", "ACTIVE"},         {"VIP?", "NOT VIP", "VIP"},
        {"BUSINESS?", "PERSONAL", "BUSINESS"},     {"ENABLED?", "DISABLED", "ENABLED"},
        {"VERIFIED?", "NOT VERIFIED", "VERIFIED"},
    };
    const enum bl_flag v[SESSION_BADGES] = {s->active, s->vip, s->business, s->enabled,
                                            s->verified};

    for (int i = 0; i < SESSION_BADGES; i++) {
        out[i].value = v[i];
        out[i].word = words[i][v[i] + 1];
    }
}
