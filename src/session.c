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

const char *
session_badge_word(enum session_flag flag, enum bl_flag value)
{
    static const char *const words[SESSION_BADGES][3] = {
        /* unknown, no, yes */
        [SESSION_ACTIVE] =
            {
                /* TRANSLATORS: status badge, upper case, keep short: the server did not
                 * say whether the account is active. */
                N_("ACTIVE?"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("INACTIVE"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("ACTIVE"),
            },
        [SESSION_VIP] =
            {
                /* TRANSLATORS: status badge, upper case, keep short: the server did not
                 * say whether the customer is a VIP. */
                N_("VIP?"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("NOT VIP"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("VIP"),
            },
        [SESSION_BUSINESS] =
            {
                /* TRANSLATORS: status badge, upper case, keep short: the server did not
                 * say whether the account is a business or a personal one. */
                N_("BUSINESS?"),
                /* TRANSLATORS: status badge, upper case, keep short: a personal account,
                 * not a business one. */
                N_("PERSONAL"),
                /* TRANSLATORS: status badge, upper case, keep short: a business account.
                 */
                N_("BUSINESS"),
            },
        [SESSION_ENABLED] =
            {
                /* TRANSLATORS: status badge, upper case, keep short: the server did not
                 * say whether the account is enabled. */
                N_("ENABLED?"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("DISABLED"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("ENABLED"),
            },
        [SESSION_VERIFIED] =
            {
                /* TRANSLATORS: status badge, upper case, keep short: the server did not
                 * say whether the account is verified. */
                N_("VERIFIED?"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("NOT VERIFIED"),
                /* TRANSLATORS: status badge, upper case, keep short. */
                N_("VERIFIED"),
            },
    };
    int v = value == FLAG_YES ? 2 : value == FLAG_NO ? 1 : 0;

    if ((unsigned)flag >= SESSION_BADGES)
        return "?";
    return _(words[flag][v]);
}

void
session_badges(const struct bl_session *s, struct session_badge out[SESSION_BADGES])
{
    const enum bl_flag v[SESSION_BADGES] = {
        [SESSION_ACTIVE] = s->active,     [SESSION_VIP] = s->vip,
        [SESSION_BUSINESS] = s->business, [SESSION_ENABLED] = s->enabled,
        [SESSION_VERIFIED] = s->verified,
    };

    for (int i = 0; i < SESSION_BADGES; i++) {
        out[i].flag = (enum session_flag)i;
        out[i].value = v[i];
        out[i].word = session_badge_word((enum session_flag)i, v[i]);
    }
}
