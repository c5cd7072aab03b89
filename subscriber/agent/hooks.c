/* The hook runner: one thread that starts queued commands through /bin/sh,
 * reaps them, and kills the ones that outstay the timeout. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/hooks.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/text.h"

extern char **environ;

/* After SIGTERM, a hook gets this long before SIGKILL. */
#define HOOK_KILL_GRACE_MS 2000
/* At shutdown, runs under way get at most this long. */
#define HOOK_STOP_GRACE_MS 5000

struct child {
	pid_t pid;                 /* 0: free slot */
	struct hook_run *run;
	int64_t started_ms, term_ms;
};

struct hooks {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct hook_run *queue[HOOKS_QUEUE_MAX];
	size_t head, len;
	bool stopping;
	int64_t timeout_ms;
	struct child running[HOOKS_PARALLEL];
	atomic_uint_fast64_t ran, failed;  /* since the last hooks_take_counts() */
};

/* Every run that ended or was given up counts; @failed: not as it should. */
static void count(struct hooks *h, bool failed)
{
	atomic_fetch_add(&h->ran, 1);
	if (failed)
		atomic_fetch_add(&h->failed, 1);
}

void hooks_take_counts(struct hooks *h, uint64_t *ran, uint64_t *failed)
{
	*ran = h ? atomic_exchange(&h->ran, 0) : 0;
	*failed = h ? atomic_exchange(&h->failed, 0) : 0;
}

struct hook_run *hooks_run_new(const char *name, const char *command)
{
	struct hook_run *r = calloc(1, sizeof(*r));
	if (r == NULL || (r->name = strdup(name)) == NULL || (r->command = strdup(command)) == NULL) {
		hooks_run_free(r);
		return NULL;
	}
	return r;
}

int hooks_run_setenv(struct hook_run *run, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return 0;
	if (run->n_env == HOOK_ENV_MAX)
		return -E2BIG;
	/* A hook that writes a name into its own log must not write a line
	 * break or a bidi override from outside with it. */
	size_t size = 4 * strlen(value) + 1;
	char *safe = malloc(size);
	if (safe == NULL)
		return -ENOMEM;
	text_escape(value, safe, size);
	int r = asprintf(&run->env[run->n_env], "%s=%s", name, safe);
	free(safe);
	if (r < 0)
		return -ENOMEM;
	run->n_env++;
	return 0;
}

void hooks_run_free(struct hook_run *run)
{
	if (run == NULL)
		return;
	for (int i = 0; i < run->n_env; i++)
		free(run->env[i]);
	free(run->name);
	free(run->command);
	free(run);
}

/* The agent's environment (PATH, HOME, ...) plus the run's RAKSHA_*. */
static char **child_environment(const struct hook_run *run)
{
	size_t n = 0;
	while (environ[n] != NULL)
		n++;
	char **envp = calloc(n + (size_t)run->n_env + 1, sizeof(char *));
	if (envp == NULL)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "RAKSHA_", 7) != 0)
			envp[k++] = environ[i];
	for (int i = 0; i < run->n_env; i++)
		envp[k++] = run->env[i];
	return envp;
}

/* What a hook gets: stdin from /dev/null, stdout into the agent's log (its
 * stderr), stderr, and nothing else. What we open is close-on-exec, but not
 * paho's sockets nor whatever a library opens: a hook holding the MQTT
 * socket would keep a SIGKILLed agent's connection open, and its Will
 * unsent, for as long as the hook runs. Returns 0 or a negative errno. */
static int file_actions(posix_spawn_file_actions_t *fa)
{
	int e = posix_spawn_file_actions_init(fa);
	if (e != 0)
		return -e;
	e = posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (e != 0)
		goto destroy;
	e = posix_spawn_file_actions_adddup2(fa, STDERR_FILENO, STDOUT_FILENO);
	if (e != 0)
		goto destroy;
	e = posix_spawn_file_actions_addclosefrom_np(fa, STDERR_FILENO + 1);
	if (e != 0)
		goto destroy;
	return 0;
destroy:
	posix_spawn_file_actions_destroy(fa);
	return -e;
}

/* Starts @run in a process group of its own (so a timeout kills what it
 * started too), with file_actions()'s descriptors, and every signal
 * unblocked (the agent's threads block SIGTERM and SIGHUP). A hook is never
 * started without its file actions: better a logged failure than a hook
 * that holds the agent's connection. */
static pid_t spawn(const struct hook_run *run)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	char **envp = NULL;
	char *argv[] = {"/bin/sh", "-c", run->command, NULL};
	pid_t pid = 0;
	int e = file_actions(&fa);
	if (e < 0)
		goto failed;
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &none);
	envp = child_environment(run);
	e = envp == NULL ? -ENOMEM : -posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, envp);
	free(envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (e == 0)
		return pid;
failed:
	log_line(LOG_ERR, "hook %s: cannot start '%s': %s", run->name, run->command, strerror(-e));
	return -1;
}

static void finished(struct hooks *h, struct child *ch, int status)
{
	const struct hook_run *run = ch->run;
	count(h, ch->term_ms != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0);
	if (ch->term_ms != 0)
		;  /* already logged when it was killed */
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		log_line(LOG_WARNING, "hook %s: '%s' failed with exit status %d", run->name,
			 run->command, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_line(LOG_WARNING, "hook %s: '%s' died of signal %d", run->name, run->command,
			 WTERMSIG(status));
	hooks_run_free(ch->run);
	*ch = (struct child){0};
}

/* Reaps what ended and kills what outstayed the timeout, or the grace
 * period since @stop_at (0: not stopping). Returns how many still run. */
static int tend(struct hooks *h, int64_t stop_at)
{
	int alive = 0;
	int64_t now = clock_mono_ms();
	for (int i = 0; i < HOOKS_PARALLEL; i++) {
		struct child *ch = &h->running[i];
		int status;
		if (ch->pid == 0)
			continue;
		if (waitpid(ch->pid, &status, WNOHANG) == ch->pid) {
			finished(h, ch, status);
			continue;
		}
		alive++;
		bool overdue = now - ch->started_ms >= h->timeout_ms ||
			       (stop_at != 0 && now - stop_at >= HOOK_STOP_GRACE_MS);
		if (ch->term_ms == 0 && overdue) {
			log_line(LOG_WARNING, "hook %s: '%s' still running after %lld s; killed",
				 ch->run->name, ch->run->command,
				 (long long)((now - ch->started_ms) / 1000));
			kill(-ch->pid, SIGTERM);
			ch->term_ms = now;
		} else if (ch->term_ms != 0 && now - ch->term_ms >= HOOK_KILL_GRACE_MS) {
			kill(-ch->pid, SIGKILL);
		}
	}
	return alive;
}

static struct child *free_slot(struct hooks *h)
{
	for (int i = 0; i < HOOKS_PARALLEL; i++)
		if (h->running[i].pid == 0)
			return &h->running[i];
	return NULL;
}

bool hooks_busy(struct hooks *h)
{
	if (h == NULL)
		return false;
	bool busy = atomic_load(&h->ran) > 0 || atomic_load(&h->failed) > 0;
	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < HOOKS_PARALLEL; i++)
		busy = busy || h->running[i].pid != 0;
	busy = busy || h->len > 0;
	pthread_mutex_unlock(&h->lock);
	return busy;
}

/* Starts queued runs while there is room. Called with the lock held. */
static void start_queued(struct hooks *h)
{
	struct child *slot;
	while (h->len > 0 && !h->stopping && (slot = free_slot(h)) != NULL) {
		struct hook_run *run = h->queue[h->head];
		h->head = (h->head + 1) % HOOKS_QUEUE_MAX;
		h->len--;
		pid_t pid = spawn(run);
		if (pid < 0) {
			count(h, true);
			hooks_run_free(run);
			continue;
		}
		*slot = (struct child){.pid = pid, .run = run, .started_ms = clock_mono_ms()};
	}
}

static void *runner(void *arg)
{
	struct hooks *h = arg;
	int64_t stop_at = 0;
	/* Named for /proc/PID/task/TID/comm (test 51 counts its wake-ups). */
	pthread_setname_np(pthread_self(), "hooks");
	pthread_mutex_lock(&h->lock);
	for (;;) {
		start_queued(h);
		if (h->stopping && stop_at == 0)
			stop_at = clock_mono_ms();
		pthread_mutex_unlock(&h->lock);
		int alive = tend(h, stop_at);
		pthread_mutex_lock(&h->lock);
		if (h->stopping && alive == 0)
			break;
		/* Children are reaped by polling: every 50 ms while one runs.
		 * With none running nothing is due but a queued run or the stop,
		 * which both signal: an idle agent's runner does not wake. */
		struct timespec until = clock_deadline(50);
		if (alive == 0 && h->len == 0 && !h->stopping)
			pthread_cond_wait(&h->wake, &h->lock);
		else if (h->len == 0 || free_slot(h) == NULL)
			pthread_cond_timedwait(&h->wake, &h->lock, &until);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int hooks_start(int64_t timeout_ms, struct hooks **out)
{
	struct hooks *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return -ENOMEM;
	h->timeout_ms = timeout_ms;
	pthread_mutex_init(&h->lock, NULL);
	clock_cond_init(&h->wake);
	int e = pthread_create(&h->thread, NULL, runner, h);
	if (e != 0) {
		free(h);
		return -e;
	}
	*out = h;
	return 0;
}

int hooks_queue(struct hooks *h, struct hook_run *run)
{
	if (h == NULL) {
		hooks_run_free(run);
		return -ENOTCONN;
	}
	pthread_mutex_lock(&h->lock);
	bool full = h->len == HOOKS_QUEUE_MAX;
	if (!full) {
		h->queue[(h->head + h->len) % HOOKS_QUEUE_MAX] = run;
		h->len++;
		pthread_cond_signal(&h->wake);
	}
	pthread_mutex_unlock(&h->lock);
	if (full) {
		log_line(LOG_ERR, "hook %s: %d runs already waiting; '%s' dropped", run->name,
			 HOOKS_QUEUE_MAX, run->command);
		count(h, true);
		hooks_run_free(run);
		return -ENOBUFS;
	}
	return 0;
}

void hooks_stop(struct hooks *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = true;
	while (h->len > 0) {
		hooks_run_free(h->queue[h->head]);
		h->head = (h->head + 1) % HOOKS_QUEUE_MAX;
		h->len--;
	}
	pthread_cond_signal(&h->wake);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->wake);
	free(h);
}
