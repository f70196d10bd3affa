#include "prompt.h"
#include "i18n.h"
#include "secmem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Whether what is the password (else it is a config key, like user_code). */
static int
is_password(const char *what)
{
    return strcmp(what, "password") == 0;
}

int
prompt_read_line(int fd, const char *what, char **out, size_t *len, struct bl_error *err)
{
    char *buf = secmem_malloc(PROMPT_MAX_SECRET + 1);
    size_t n = 0;

    if (buf == NULL)
        return error_set(err, BL_INTERNAL, "%s", _("out of memory"));
    /* One byte at a time, so nothing after the line is consumed. */
    for (;;) {
        ssize_t r = read(fd, buf + n, 1);

        if (r < 0 && errno == EINTR) {
            secmem_free(buf);
            return error_set(err, BL_CANCELLED, "%s", _("Cancelled"));
        }
        if (r <= 0 || buf[n] == '\n')
            break;
        /* C strings end at a NUL: "ab\0cd" would be sent as "ab", "\0" as nothing. */
        if (buf[n] == '\0') {
            secmem_free(buf);
            return error_set(err, BL_USAGE, "%s", _("password contains a NUL byte"));
        }
        if (++n > PROMPT_MAX_SECRET) {
            secmem_free(buf);
            if (is_password(what))
                return error_set(err, BL_USAGE,
                                 P_("password longer than %d byte",
                                    "password longer than %d bytes", PROMPT_MAX_SECRET),
                                 PROMPT_MAX_SECRET);
            /* TRANSLATORS: %s is a config key (user_code, app_key), kept as it is. */
            return error_set(err, BL_USAGE,
                             P_("%s longer than %d byte", "%s longer than %d bytes",
                                PROMPT_MAX_SECRET),
                             what, PROMPT_MAX_SECRET);
        }
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (n == 0) {
        secmem_free(buf);
        if (is_password(what))
            return error_set(err, BL_USAGE, "%s", _("empty password"));
        /* TRANSLATORS: %s is a config key (user_code, app_key), kept as it is. */
        return error_set(err, BL_USAGE, _("empty %s"), what);
    }
    *out = buf;
    *len = n;
    return 0;
}

/* Best effort: a prompt that cannot be shown does not stop the read. */
static void
say(int fd, const char *s)
{
    if (write(fd, s, strlen(s)) < 0)
        return;
}

int
prompt_secret(const char *prompt, const char *what, char **out, size_t *len,
              struct bl_error *err)
{
    struct termios saved, quiet;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY), rc;

    if (fd < 0 && is_password(what))
        return error_set(err, BL_USAGE, "%s",
                         _("no terminal to ask for the password: use --password-stdin"));
    if (fd < 0)
        /* TRANSLATORS: %s is a config key (user_code, app_key), kept as it is. */
        return error_set(err, BL_USAGE,
                         _("no terminal to ask for the %s: give it on standard input"),
                         what);
    if (tcgetattr(fd, &saved) != 0) {
        close(fd);
        if (is_password(what))
            return error_set(
                err, BL_USAGE, "%s",
                _("cannot turn off echo to ask for the password: use --password-stdin"));
        /* TRANSLATORS: %s is a config key (user_code, app_key), kept as it is. */
        return error_set(
            err, BL_USAGE,
            _("cannot turn off echo to ask for the %s: give it on standard input"), what);
    }
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    /* Echo goes off before the prompt shows: what is typed as soon as it shows is
     * neither echoed nor thrown away (only what was typed before it is). The answer
     * typed ahead of the next prompt is kept. */
    tcsetattr(fd, TCSAFLUSH, &quiet);
    say(fd, prompt);
    rc = prompt_read_line(fd, what, out, len, err);
    tcsetattr(fd, TCSADRAIN, &saved);
    say(fd, "\n");
    close(fd);
    return rc;
}
