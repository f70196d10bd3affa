/*
 * The worker thread: runs jobs off the UI thread, one at a time, in the order
 * they were queued, and hands each job's results to the UI through a queue and
 * a wake-up descriptor. It knows nothing of what a job does (src/jobs.c has the
 * kinds); it owns the queue, the cancel state of the running job and keeping
 * the API connection warm while the login form is up.
 *
 * Cancel semantics: a queued job that is cancelled is dropped unsent; a running
 * one is stopped at once and answers nothing more, unless it has passed its
 * point of no return (worker_commit), after which a cancel is "too late" and
 * its answer arrives. A job that opens an account may post its opening
 * (WORKER_POST_OPENING): from then on that opening cannot be cancelled, while
 * what the job goes on to fetch can again.
 */
#ifndef BOXLOGIN_WORKER_H
#define BOXLOGIN_WORKER_H

#include "config.h"
#include "error.h"

struct worker;
struct job_result; /* src/jobs.h */
struct api;

/* What a job's run function works with. */
struct job_env {
    struct worker *worker;
    struct api *api;
    struct bl_config *cfg; /* the worker's copy: a job may fill in the credentials */
    unsigned long seq;     /* the job's number: its calls and results carry it */
};

/* A kind of job: what runs on the worker thread, and how its input is freed. */
struct job_kind {
    const char *name; /* for the log */
    void (*run)(const struct job_env *env, void *input);
    void (*free_input)(void *input); /* wipes what is secret; input may be NULL */
};

/*
 * Starts the thread with its own copy of cfg (credentials may still be missing:
 * a first job can resolve them). Block the signals the UI handles before
 * calling: the thread inherits the mask. Returns NULL with err (kind internal).
 */
struct worker *worker_start(const struct bl_config *cfg, struct bl_error *err);

/* Cancels what runs, stops and joins the thread, frees everything (wiping secrets). */
void worker_stop(struct worker *w);

/* A file descriptor that becomes readable when results are waiting. */
int worker_fd(const struct worker *w);

/* A new job number: they grow from call to call, and 0 is never one. Thread-safe. */
unsigned long worker_seq(struct worker *w);

/*
 * Queues job seq of kind with input, which the worker owns from now on (freed
 * with kind->free_input after the run, or at once on failure). Returns 0, or
 * -1 with err when the job could not be queued.
 */
int worker_queue(struct worker *w, unsigned long seq, const struct job_kind *kind,
                 void *input, struct bl_error *err);

/*
 * Cancels job seq if it has not yet shown anything: a queued job is dropped
 * (never sent), a running one stopped at once, and neither answers, stores or
 * sends anything after this. Returns 1 then, or 0 when it is too late (the
 * answer is on its way to the UI and will arrive). Thread-safe.
 */
int worker_cancel(struct worker *w, unsigned long seq);

/* As worker_cancel, but too late as soon as the job has posted its opening. */
int worker_cancel_opening(struct worker *w, unsigned long seq);

/*
 * The login form is up (up = 1) or gone (0). While it is up the worker keeps
 * the connection to the API warm (unless prewarm is off): it opens it now if
 * it is cold or has been idle for long, so that the login costs one round trip.
 */
void worker_form_up(struct worker *w, int up);

/* The agent is typing into the form: warm the connection again if it went stale. */
void worker_typing(struct worker *w);

/* Takes the oldest waiting result, or NULL; the caller frees it with job_result_free. */
struct job_result *worker_take(struct worker *w);

/* For run functions, on the worker thread. */

/*
 * The point of no return of the running job: from here on its answer goes to
 * the UI and worker_cancel says "too late". Returns 0, or -1 when the job was
 * cancelled before (then it must send, store and answer nothing).
 */
int worker_commit(struct worker *w);

/* Whether the running job has been cancelled. */
int worker_cancelled(struct worker *w);

/* How worker_post queues a result. */
enum worker_post {
    WORKER_POST_ANYWAY,
    WORKER_POST_UNLESS_CANCELLED, /* dropped (and freed) when the job was cancelled */
    WORKER_POST_OPENING, /* the job's opening: from now on it cannot be cancelled,
                            while what the job goes on to fetch can again */
};

/* Queues r for the UI as how says, in one critical section with the check of a cancel;
 * returns 0, or -1 when r was dropped. */
int worker_post(struct worker *w, struct job_result *r, enum worker_post how);

/* A transfer has just ended: the connection is warm as of now. */
void worker_network_used(struct worker *w);

#endif
