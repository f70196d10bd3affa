/* Error values: what went wrong, in words a support agent understands. */
#ifndef BOXLOGIN_ERROR_H
#define BOXLOGIN_ERROR_H

/* The outcome kinds of SPEC "Exit status"; BL_OK is a session. */
enum bl_kind {
    BL_OK = 0,
    BL_REJECTED,
    BL_USAGE,
    BL_NETWORK,
    BL_SERVER,
    BL_CANCELLED,
    BL_INTERNAL, /* a system failure (memory, threads, pipes, libcurl set-up): "internal",
                    exit status 71 (EX_OSERR) */
};

/* A failure. Strings are owned by the struct and freed by error_clear. */
struct bl_error {
    enum bl_kind kind;
    long http_status;         /* 0 when no HTTP answer was received */
    char *message;            /* one line, never NULL once set */
    char *server_description; /* error_description from the server, or NULL */
    char *server_location;    /* error_location from the server, or NULL */
};

/* Sets kind and a printf-formatted message on err (freeing what it held); returns -1. */
int error_set(struct bl_error *err, enum bl_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Frees what err holds and resets it to BL_OK. */
void error_clear(struct bl_error *err);

/* Moves src into dst (dst's old content is freed); src is left cleared. */
void error_move(struct bl_error *dst, struct bl_error *src);

/* The stable word for a kind, as in the --json error object ("rejected", ...). */
const char *error_kind_name(enum bl_kind kind);

/* What a kind means, as a support agent would say it ("Login rejected", "Network
 * problem"). */
const char *error_title(enum bl_kind kind);

/* The same for a lookup by email, which logs nobody in: its refusal is no rejected login.
 */
const char *error_lookup_title(enum bl_kind kind);

/* The exit status SPEC gives for a kind (0, 1, 2, 3, 4, 130; 71 a system failure). */
/* The title of a failure to open an account with its stored key (no login was made);
 * static, translated. */
const char *error_stored_title(enum bl_kind kind);

int error_exit_status(enum bl_kind kind);

#endif
