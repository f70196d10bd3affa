#include "redact.h"
#include "jsonread.h"
#include "log.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Logs the proxy libcurl took from the environment (its note after "Uses proxy env
 * variable ": NAME == 'URL') as host and port, never with the credentials in the URL.
 */
static void
log_proxy(const char *note, size_t len)
{
    const char *eq = memmem(note, len, " == '", 5), *end = note + len;
    char *url = NULL, *scheme = NULL, *host = NULL, *port = NULL;
    CURLU *u = curl_url();

    while (end > note && end[-1] != '\'')
        end--;
    if (u != NULL && eq != NULL && end > eq + 5 &&
        (url = strndup(eq + 5, (size_t)(end - 1 - (eq + 5)))) != NULL &&
        curl_url_set(u, CURLUPART_URL, url,
                     CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        log_msg("proxy %s:%s (%s, from %.*s)", host, port, scheme, (int)(eq - note),
                note);
    else
        log_msg("proxy from the environment (not shown: unreadable)");
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    if (url != NULL)
        explicit_bzero(url, strlen(url));
    free(url);
}

/* The length of the name of a header line that carries credentials, or 0. */
static size_t
credential_header(const char *line, size_t len)
{
    static const char *const names[] = {
        "Authorization:", "Proxy-Authorization:", "Cookie:", "Set-Cookie:"};

    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (len >= strlen(names[i]) && strncasecmp(line, names[i], strlen(names[i])) == 0)
            return strlen(names[i]);
    return 0;
}

int
redact_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    static const char proxy_note[] = "Uses proxy env variable ";
    const char *what = type == CURLINFO_TEXT         ? "*"
                       : type == CURLINFO_HEADER_IN  ? "<"
                       : type == CURLINFO_HEADER_OUT ? ">"
                                                     : NULL;

    (void)h, (void)userdata;
    if (what == NULL)
        return 0;
    while (size > 0) {
        const char *nl = memchr(data, '\n', size);
        size_t n = nl != NULL ? (size_t)(nl - data) : size;
        size_t len = n > 0 && data[n - 1] == '\r' ? n - 1 : n, name;

        if (type == CURLINFO_TEXT && len >= sizeof proxy_note - 1 &&
            memcmp(data, proxy_note, sizeof proxy_note - 1) == 0)
            log_proxy(data + sizeof proxy_note - 1, len - (sizeof proxy_note - 1));
        else if (type != CURLINFO_TEXT && (name = credential_header(data, len)) != 0)
            log_msg("curl %s %.*s [withheld]", what, (int)name, data);
        else if (len > 0)
            log_msg("curl %s %.*s", what, (int)len, data);
        data += nl != NULL ? n + 1 : n;
        size -= nl != NULL ? n + 1 : n;
    }
    return 0;
}

char *
redact_url(const char *url)
{
    CURLU *u = curl_url();
    char *bare = NULL, *copy;

    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK)
        curl_url_get(u, CURLUPART_URL, &bare, 0);
    curl_url_cleanup(u);
    copy = strdup(bare != NULL ? bare : "(URL not shown)");
    curl_free(bare);
    return copy;
}

/* Whether a member's name is one a secret goes by. */
static int
is_secret_name(const char *name)
{
    static const char *const secret_names[] = {
        "customer_key", "app_key", "customer_password", "customer_new_password"};

    for (size_t i = 0; name != NULL && i < sizeof secret_names / sizeof *secret_names;
         i++)
        if (strcasecmp(name, secret_names[i]) == 0)
            return 1;
    return 0;
}

/*
 * Replaces the value of every member named like a secret, at every depth and however
 * often it appears, in place. Walks the tree with a stack as deep as cJSON nests.
 * Returns -1 when one could not be replaced (out of memory, or deeper than cJSON parses).
 */
static int
withhold_secrets(cJSON *root)
{
    cJSON *parents[CJSON_NESTING_LIMIT + 1], *resume[CJSON_NESTING_LIMIT + 1];
    cJSON *parent = root, *c = root != NULL ? root->child : NULL;
    size_t depth = 0;

    while (c != NULL || depth > 0) {
        if (c == NULL) {
            depth--;
            parent = parents[depth];
            c = resume[depth];
        } else if (is_secret_name(c->string)) {
            cJSON *mark = cJSON_CreateString("[withheld]");

            if (mark == NULL)
                return -1;
            mark->string = c->string;
            c->string = NULL;
            cJSON_ReplaceItemViaPointer(parent, c, mark);
            c = mark->next;
        } else if (c->child != NULL) {
            if (depth == CJSON_NESTING_LIMIT + 1)
                return -1;
            parents[depth] = parent;
            resume[depth] = c->next;
            depth++;
            parent = c;
            c = c->child;
        } else {
            c = c->next;
        }
    }
    return 0;
}

#define LOG_REPLY_MAX (64 << 10)

void
redact_log_reply(long status, const char *body, size_t len)
{
    cJSON *root;
    char *text = NULL;

    /* The log shows 2000 characters of a reply: a long list is not worth reading twice.
     */
    if (len > LOG_REPLY_MAX) {
        log_msg("reply: HTTP %ld, %zu bytes (not logged: over %d KiB)", status, len,
                LOG_REPLY_MAX >> 10);
        return;
    }
    root = jsonread_parse(body != NULL ? body : "", len, NULL);
    if (root == NULL)
        log_msg("reply: HTTP %ld, %zu bytes, not JSON", status, len);
    else if (withhold_secrets(root) != 0 || (text = cJSON_PrintUnformatted(root)) == NULL)
        log_msg("reply: HTTP %ld, %zu bytes (not logged: out of memory)", status, len);
    else
        log_msg("reply: HTTP %ld, %zu bytes: %.2000s", status, len, text);
    cJSON_free(text);
    cJSON_Delete(root);
}
