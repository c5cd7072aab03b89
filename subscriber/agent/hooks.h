/* Hooks: commands the agent runs on events (on_report, on_sighting,
 * on_update, on_ack, on_escalation, and escalation rules' exec), with the
 * event in RAKSHA_*
 * environment variables. They run beside the agent, never in its way: at
 * most HOOKS_PARALLEL at once, each killed (its whole process group) after
 * the configured timeout; a failure is logged and nothing else happens. */
#ifndef RAKSHA_AGENT_HOOKS_H
#define RAKSHA_AGENT_HOOKS_H

#include <stdbool.h>
#include <stdint.h>

#define HOOKS_PARALLEL 4
#define HOOKS_QUEUE_MAX 256   /* waiting runs; more are dropped, and logged */
#define HOOK_ENV_MAX 32

struct hooks;

/* One run: @name says what it is for the log ("on_report", "escalate.sp").
 * @env holds "NAME=value" strings. */
struct hook_run {
	char *name;
	char *command;
	char *env[HOOK_ENV_MAX + 1];
	int n_env;
};

/* Starts the runner thread. Returns 0, or a negative errno. */
int hooks_start(int64_t timeout_ms, struct hooks **out);

/* Queues @run (taking it over: freed by the runner, or here on failure).
 * Thread-safe. Returns 0, or -ENOBUFS (the queue is full; the run is
 * dropped and logged) or -ENOMEM. NULL @h: the run is freed, -ENOTCONN. */
int hooks_queue(struct hooks *h, struct hook_run *run);

/* The runs that ended (or were given up: not started, dropped) since the
 * last call, and how many of them failed (a non-zero exit, a signal,
 * killed after the timeout, not started, dropped): the escalator adds
 * them to the database's meta (hooks_run, hooks_failed) for the metrics.
 * Thread-safe; NULL @h: 0 and 0. */
void hooks_take_counts(struct hooks *h, uint64_t *ran, uint64_t *failed);

/* True while a run is queued or running, or counts wait for
 * hooks_take_counts(): the escalator keeps its once-a-second step for them.
 * Thread-safe; NULL @h: false. */
bool hooks_busy(struct hooks *h);

/* Lets the runs under way finish (within the timeout), drops the queue,
 * and stops the thread. NULL is a no-op. */
void hooks_stop(struct hooks *h);

/* A new, empty run; NULL for out of memory. */
struct hook_run *hooks_run_new(const char *name, const char *command);

/* Adds NAME=value to @run's environment (@value NULL or "" adds nothing;
 * control characters were refused at decode, so values are safe to pass).
 * Returns 0, or -ENOMEM / -E2BIG. */
int hooks_run_setenv(struct hook_run *run, const char *name, const char *value);

void hooks_run_free(struct hook_run *run);

#endif
