#include "i18n.h"
#include "text.h"

#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "boxlogin"

static int active;

/* The folder "locale" beside the running binary, when there is one: the build tree. */
static int
beside_binary(char *dir, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", dir, size - 1);
    struct stat st;
    char *slash;

    if (n <= 0 || (size_t)n >= size - 1)
        return 0;
    dir[n] = '\0';
    slash = strrchr(dir, '/');
    if (slash == NULL)
        return 0;
    if (snprintf(slash, size - (size_t)(slash - dir), "/locale") >=
        (int)(size - (size_t)(slash - dir)))
        return 0;
    /* A folder, not the locale(1) program that /usr/bin holds. */
    return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

void
i18n_init(int translate)
{
    char dir[PATH_MAX];

    active = 0;
    if (!translate || !text_locale_utf8())
        return;
    if (bindtextdomain(DOMAIN, beside_binary(dir, sizeof dir) ? dir : LOCALEDIR) ==
            NULL ||
        bind_textdomain_codeset(DOMAIN, "UTF-8") == NULL)
        return;
    active = 1;
}

const char *
i18n_text(const char *msgid)
{
    return active && msgid[0] != '\0' ? dgettext(DOMAIN, msgid) : msgid;
}

const char *
i18n_plural(const char *msgid, const char *plural, unsigned long n)
{
    if (active)
        return dngettext(DOMAIN, msgid, plural, n);
    return n == 1 ? msgid : plural;
}

const char *
i18n_context(const char *ctx_msgid, const char *msgid)
{
    const char *t;

    if (!active)
        return msgid;
    t = dgettext(DOMAIN, ctx_msgid);
    return t == ctx_msgid ? msgid : t;
}
