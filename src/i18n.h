/*
 * Translations: gettext with the text domain "boxlogin".
 *
 * _() marks a user-facing string and returns it in the agent's language; N_() marks a
 * string that is translated later, where it is shown (tables of labels, key hints);
 * P_() picks the plural form for n; C_() gives a short word a context. The debug log,
 * --json output, config keys, the keyring schema and the history file stay English and
 * are never marked.
 */
#ifndef BOXLOGIN_I18N_H
#define BOXLOGIN_I18N_H

#define _(s)        i18n_text(s)
#define N_(s)       (s)
#define P_(s, p, n) i18n_plural((s), (p), (n))
/* A short word whose meaning needs a context to translate ("State" of an address). */
#define C_(ctx, s) i18n_context(ctx "\004" s, s)

/*
 * Chooses the language once, after setlocale(LC_ALL, ""). With translate 0 (--json), or
 * in a locale whose character set is not UTF-8 (LANG=C), every string stays English.
 * Catalogs come from a "locale" folder beside the binary when there is one (the build
 * tree: build/locale/es/LC_MESSAGES/boxlogin.mo), else from the installed localedir.
 */
void i18n_init(int translate);

const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_plural(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));
const char *i18n_context(const char *ctx_msgid, const char *msgid)
    __attribute__((format_arg(2)));

#endif
