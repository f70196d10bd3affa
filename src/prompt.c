#include "prompt.h"
#include "secmem.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

int
prompt_read_line(int fd, const char *what, char **out, size_t *len, struct bl_error *err)
{
    char *buf = secmem_malloc(PROMPT_MAX_SECRET + 1);
    size_t n = 0;

    if (buf == NULL)
        return error_set(err, BL_NOMEM, "out of memory");
    /* One byte at a time, so nothing after the line is consumed. */
    for (;;) {
        ssize_t r = read(fd, buf + n, 1);

        if (r < 0 && errno == EINTR) {
            secmem_free(buf);
            return error_set(err, BL_CANCELLED, "Cancelled");
        }
        if (r <= 0 || buf[n] == '\n')
            break;
        /* C strings end at a NUL: "ab\0cd" would be sent as "ab", "\0" as nothing. */
        if (buf[n] == '\0') {
            secmem_free(buf);
            return error_set(err, BL_USAGE, "password contains a NUL byte");
        }
        if (++n > PROMPT_MAX_SECRET) {
            secmem_free(buf);
            return error_set(err, BL_USAGE, "%s longer than %d bytes", what,
                             PROMPT_MAX_SECRET);
        }
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (n == 0) {
        secmem_free(buf);
        return error_set(err, BL_USAGE, "empty %s", what);
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

/* How else the value can be given. */
static const char *
other_way(const char *what)
{
    return strcmp(what, "password") == 0 ? "use --password-stdin"
                                         : "give it on standard input";
}

int
prompt_secret(const char *prompt, const char *what, char **out, size_t *len,
              struct bl_error *err)
{
    struct termios saved, quiet;
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY), rc;

    if (fd < 0)
        return error_set(err, BL_USAGE, "no terminal to ask for the %s: %s", what,
                         other_way(what));
    if (tcgetattr(fd, &saved) != 0) {
        close(fd);
        return error_set(err, BL_USAGE, "cannot turn off echo to ask for the %s: %s",
                         what, other_way(what));
    }
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    say(fd, prompt);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    rc = prompt_read_line(fd, what, out, len, err);
    tcsetattr(fd, TCSAFLUSH, &saved);
    say(fd, "\n");
    close(fd);
    return rc;
}
