#include "worker.h"
#include "api.h"
#include "i18n.h"
#include "jobs.h"
#include "log.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* libcurl drops connections idle for 118 s (CURLOPT_MAXAGE_CONN): warm up before that. */
#define REWARM_MS 100000.0

/* Warm-ups are never cancelled or answered: a number no job of the UI has. */
#define WARM_SEQ (API_CANCEL_ALL - 1)

struct job {
    const struct job_kind *kind; /* NULL: a warm-up */
    unsigned long seq;
    void *input;
    struct job *next;
};

struct worker {
    struct bl_config cfg;
    struct api *api;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct job *jobs, **jobs_tail;
    struct job_result *results, **results_tail;
    unsigned long last_seq;
    int quit;
    int event_fd;

    /* The job being run, and what the UI said of it meanwhile (under lock). */
    struct job *running;
    int running_cancelled; /* it must not send, store or answer anything more */
    int running_committed; /* its answer is on the way: too late to cancel */
    int running_opened;    /* its opening is posted: too late to cancel that */

    /* Keeping the connection warm (under lock). */
    int form_up;              /* the UI shows the login form */
    int warm_queued;          /* a warm-up is queued or running */
    int net_used;             /* a transfer has been made */
    struct timespec last_net; /* when the last transfer ended */
};

static void
job_free(struct job *j)
{
    if (j == NULL)
        return;
    if (j->kind != NULL && j->kind->free_input != NULL)
        j->kind->free_input(j->input);
    free(j);
}

int
worker_post(struct worker *w, struct job_result *r, enum worker_post how)
{
    uint64_t one = 1;
    ssize_t ignored;

    pthread_mutex_lock(&w->lock);
    if (how == WORKER_POST_UNLESS_CANCELLED && w->running_cancelled) {
        pthread_mutex_unlock(&w->lock);
        job_result_free(r);
        return -1;
    }
    if (how == WORKER_POST_OPENING) {
        w->running_opened = 1;
        w->running_committed = 0;
    }
    r->next = NULL;
    *w->results_tail = r;
    w->results_tail = &r->next;
    pthread_mutex_unlock(&w->lock);
    ignored = write(w->event_fd, &one, sizeof one);
    (void)ignored;
    return 0;
}

int
worker_commit(struct worker *w)
{
    int cancelled;

    pthread_mutex_lock(&w->lock);
    cancelled = w->running_cancelled;
    w->running_committed = !cancelled;
    pthread_mutex_unlock(&w->lock);
    return cancelled ? -1 : 0;
}

int
worker_cancelled(struct worker *w)
{
    int cancelled;

    pthread_mutex_lock(&w->lock);
    cancelled = w->running_cancelled;
    pthread_mutex_unlock(&w->lock);
    return cancelled;
}

void
worker_network_used(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->net_used = 1;
    clock_gettime(CLOCK_MONOTONIC, &w->last_net);
    pthread_mutex_unlock(&w->lock);
}

static void warm_if_stale(struct worker *w);

static void
run_job(struct worker *w, struct job *j)
{
    struct job_env env = {.worker = w, .api = w->api, .cfg = &w->cfg, .seq = j->seq};

    if (j->kind == NULL) {
        api_prewarm(w->api, j->seq, &w->cfg, 2);
        worker_network_used(w);
        return;
    }
    j->kind->run(&env, j->input);
}

static void *
worker_main(void *arg)
{
    struct worker *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        struct job *j;

        while (w->jobs == NULL && !w->quit)
            pthread_cond_wait(&w->wake, &w->lock);
        if (w->quit)
            break;
        j = w->jobs;
        w->jobs = j->next;
        if (w->jobs == NULL)
            w->jobs_tail = &w->jobs;
        w->running = j;
        w->running_cancelled = w->running_committed = w->running_opened = 0;
        pthread_mutex_unlock(&w->lock);
        run_job(w, j);
        pthread_mutex_lock(&w->lock);
        if (j->kind == NULL)
            w->warm_queued = 0;
        w->running = NULL;
        job_free(j);
        /* A form that came up while a job ran (the credentials step, a keyring that
         * took its time) gets its warm-up now. */
        warm_if_stale(w);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct worker *
worker_start(const struct bl_config *cfg, struct bl_error *err)
{
    struct worker *w = calloc(1, sizeof *w);

    if (w == NULL) {
        error_set(err, BL_INTERNAL, _("out of memory"));
        return NULL;
    }
    w->event_fd = -1;
    w->jobs_tail = &w->jobs;
    w->results_tail = &w->results;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (config_copy(&w->cfg, cfg, err) != 0) {
        error_set(err, BL_INTERNAL, _("out of memory"));
    } else if ((w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
        error_set(err, BL_INTERNAL, _("cannot create the worker's wake-up descriptor"));
    } else if ((w->api = api_new(err)) != NULL &&
               pthread_create(&w->thread, NULL, worker_main, w) == 0) {
        return w;
    } else if (w->api != NULL) {
        error_set(err, BL_INTERNAL, _("cannot start the worker thread"));
    }
    api_free(w->api);
    if (w->event_fd >= 0)
        close(w->event_fd);
    config_free(&w->cfg);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
    return NULL;
}

void
worker_stop(struct worker *w)
{
    struct job_result *r;

    if (w == NULL)
        return;
    pthread_mutex_lock(&w->lock);
    w->quit = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    api_cancel(w->api, API_CANCEL_ALL);
    pthread_join(w->thread, NULL);
    while (w->jobs != NULL) {
        struct job *j = w->jobs;

        w->jobs = j->next;
        job_free(j);
    }
    while ((r = worker_take(w)) != NULL)
        job_result_free(r);
    api_free(w->api);
    close(w->event_fd);
    config_free(&w->cfg);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

int
worker_fd(const struct worker *w)
{
    return w->event_fd;
}

unsigned long
worker_seq(struct worker *w)
{
    unsigned long seq;

    pthread_mutex_lock(&w->lock);
    seq = ++w->last_seq;
    pthread_mutex_unlock(&w->lock);
    return seq;
}

/* Appends a job; the caller holds the lock. */
static void
queue_locked(struct worker *w, struct job *j)
{
    *w->jobs_tail = j;
    w->jobs_tail = &j->next;
    pthread_cond_signal(&w->wake);
}

int
worker_queue(struct worker *w, unsigned long seq, const struct job_kind *kind,
             void *input, struct bl_error *err)
{
    struct job *j = calloc(1, sizeof *j);

    if (j == NULL) {
        if (kind->free_input != NULL)
            kind->free_input(input);
        return error_set(err, BL_INTERNAL, _("out of memory"));
    }
    j->kind = kind;
    j->seq = seq;
    j->input = input;
    log_msg("job %lu: %s queued", seq, kind->name);
    pthread_mutex_lock(&w->lock);
    queue_locked(w, j);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

/*
 * Queues a warm-up when the form is up and the connection is cold or stale,
 * unless one is already on its way or a transfer is running. The caller holds
 * the lock.
 */
static void
warm_if_stale(struct worker *w)
{
    struct job *j;

    if (!w->cfg.prewarm || !w->form_up || w->warm_queued || w->jobs != NULL ||
        w->running != NULL || (w->net_used && log_ms_since(&w->last_net) < REWARM_MS))
        return;
    /* A warm-up that cannot be queued costs the login a round trip, nothing more. */
    if ((j = calloc(1, sizeof *j)) == NULL)
        return;
    j->seq = WARM_SEQ;
    w->warm_queued = 1;
    queue_locked(w, j);
}

void
worker_form_up(struct worker *w, int up)
{
    pthread_mutex_lock(&w->lock);
    w->form_up = up;
    warm_if_stale(w);
    pthread_mutex_unlock(&w->lock);
}

void
worker_typing(struct worker *w)
{
    pthread_mutex_lock(&w->lock);
    warm_if_stale(w);
    pthread_mutex_unlock(&w->lock);
}

static int
cancel_job(struct worker *w, unsigned long seq, int opening_only)
{
    int cancelled = 0;

    if (seq == 0 || seq == WARM_SEQ)
        return 0;
    pthread_mutex_lock(&w->lock);
    for (struct job **pp = &w->jobs; *pp != NULL; pp = &(*pp)->next) {
        struct job *j = *pp;

        if (j->seq == seq) {
            *pp = j->next;
            if (*pp == NULL)
                w->jobs_tail = pp;
            job_free(j);
            cancelled = 1;
            break;
        }
    }
    if (!cancelled && w->running != NULL && w->running->seq == seq &&
        !w->running_committed && !(opening_only && w->running_opened)) {
        w->running_cancelled = 1;
        api_cancel(w->api, seq);
        cancelled = 1;
    }
    pthread_mutex_unlock(&w->lock);
    return cancelled;
}

int
worker_cancel(struct worker *w, unsigned long seq)
{
    return cancel_job(w, seq, 0);
}

int
worker_cancel_opening(struct worker *w, unsigned long seq)
{
    return cancel_job(w, seq, 1);
}

struct job_result *
worker_take(struct worker *w)
{
    struct job_result *r;
    uint64_t count;
    ssize_t ignored;

    pthread_mutex_lock(&w->lock);
    r = w->results;
    if (r != NULL) {
        w->results = r->next;
        if (w->results == NULL)
            w->results_tail = &w->results;
        r->next = NULL;
    }
    if (w->results == NULL)
        ignored = read(w->event_fd, &count, sizeof count);
    pthread_mutex_unlock(&w->lock);
    (void)ignored;
    return r;
}
