/* fuzz-config: the programs' INI config files: raksha-agent's
 * (subscriber/config.c and subscriber/rules.c's [escalate.NAME] sections) and
 * raksha-publish's (publisher/config.c), both read through common/ini_file.c
 * and libinih. Every input is read by both, as a file (a memfd, through
 * /proc/self/fd/N, so nothing touches the disk).
 *
 * Oracles: no crash and no leak; every line either parser prints is
 * "PATH:LINE: ..." with LINE within the input's own lines (1..number of
 * lines), or "PATH: ..." for what is missing; the agent's loader returns the
 * number of problems it printed; a config the agent accepts has every
 * required key, valid topic segments and filters; the publisher's loader
 * returns 0 exactly when it printed nothing.
 *
 * Found and fixed (tests/fuzz/regressions/fuzz-config/): libinih as Debian
 * builds it reads at most 200 bytes a line and took the rest as another
 * line; common/ini_file.c now refuses such a line by its number. */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sysexits.h>
#include <unistd.h>

#include <raksha/topic.h>

#include "agent/config.h"
#include "publisher/config.h"

#include "tests/fuzz/fuzz.h"

static int fd = -1;
static char path[64];

/* The lines the input has, as a text editor counts them. */
static long input_lines(const uint8_t *data, size_t size)
{
	long n = 0;
	for (size_t i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size > 0 && data[size - 1] != '\n');
}

/* True if @data has a line longer than libinih's buffer takes in one read. */
/* Checks every line of @out (what a loader printed) and returns how many. */
static long check_messages(const char *who, const char *out, size_t len, long lines)
{
	long count = 0;
	size_t plen = strlen(path);
	for (const char *s = out; s < out + len; count++) {
		const char *end = memchr(s, '\n', (size_t)(out + len - s));
		FUZZ_CHECK(end != NULL, "%s: a message without its newline: %.*s", who, (int)(out + len - s), s);
		if (strncmp(s, "raksha-publish: ", 16) == 0) {  /* fail(): unreadable, out of memory */
			s = end + 1;
			continue;
		}
		FUZZ_CHECK(strncmp(s, path, plen) == 0 && s[plen] == ':',
			   "%s: a message that does not name the file: %.*s", who, (int)(end - s), s);
		const char *p = s + plen + 1;
		if (*p != ' ') {
			char *after;
			long line = strtol(p, &after, 10);
			FUZZ_CHECK(after != p && *after == ':', "%s: no line number: %.*s", who, (int)(end - s), s);
			FUZZ_CHECK(line >= 1 && (line <= lines || lines < 0),
				   "%s: line %ld named, the input has %ld lines: %.*s", who, line, lines,
				   (int)(end - s), s);
		}
		s = end + 1;
	}
	return count;
}

static void check_agent_config(const struct agent_config *c)
{
	FUZZ_CHECK(c->id && raksha_agent_id_valid(c->id), "accepted id '%s'", c->id ? c->id : "(none)");
	FUZZ_CHECK(c->state && raksha_segment_valid(c->state) && c->region && raksha_segment_valid(c->region) &&
		   c->agency && raksha_segment_valid(c->agency), "accepted an invalid or missing segment");
	FUZZ_CHECK(c->database != NULL && c->outbox != NULL, "accepted without a database or outbox");
	FUZZ_CHECK(c->n_urls >= 1 && c->n_urls <= AGENT_MAX_URLS, "accepted with %zu urls", c->n_urls);
	FUZZ_CHECK(c->n_filters >= 1 && c->n_filters <= AGENT_MAX_FILTERS, "accepted with %zu filters",
		   c->n_filters);
	for (size_t i = 0; i < c->n_filters; i++)
		FUZZ_CHECK(raksha_filter_validate(c->filters[i]) == 0, "accepted filter '%s'", c->filters[i]);
	FUZZ_CHECK(c->n_rules <= AGENT_MAX_RULES, "%zu rules", c->n_rules);
	FUZZ_CHECK(c->hook_timeout_ms >= 0 && c->prune_closed_after_ms >= 0 && c->prune_rejected_after_ms > 0,
		   "negative durations accepted");
	FUZZ_CHECK(c->rejected_per_sender >= 4096 && c->rejected_per_sender <= (1LL << 40) &&
		   c->rejected_total >= 4096 && c->rejected_total <= (1LL << 40), "rejected bounds %lld, %lld",
		   (long long)c->rejected_per_sender, (long long)c->rejected_total);
	FUZZ_CHECK(c->keepalive_s == 0 || (c->keepalive_s >= 5 && c->keepalive_s <= 3600), "keepalive %d",
		   c->keepalive_s);
}

/* Runs @load with stderr caught in memory (the sanitizers write to fd 2
 * itself, so a crash still shows). */
static char *caught;
static size_t caught_len;
static FILE *catch_begin(void)
{
	FILE *saved = stderr;
	FILE *mem = open_memstream(&caught, &caught_len);
	if (mem == NULL)
		abort();
	stderr = mem;
	return saved;
}

static void catch_end(FILE *saved)
{
	fclose(stderr);
	stderr = saved;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("fuzz-config", 0);
		FUZZ_CHECK(fd >= 0, "memfd_create: %s", strerror(errno));
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size, "writing the input");
	long lines = input_lines(data, size);

	/* raksha-agent */
	struct agent_config c;
	FILE *saved = catch_begin();
	int r = agent_config_load(path, &c);
	catch_end(saved);
	long printed = check_messages("agent", caught, caught_len, lines);
	if (r >= 0) {
		FUZZ_CHECK(r == printed, "agent: %d problems returned, %ld lines printed:\n%s", r, printed, caught);
		if (r == 0)
			check_agent_config(&c);
	}
	agent_config_free(&c);
	free(caught);

	/* raksha-publish */
	struct pub p;
	memset(&p, 0, sizeof(p));
	saved = catch_begin();
	r = config_load(&p, path);
	catch_end(saved);
	printed = check_messages("publisher", caught, caught_len, lines);
	FUZZ_CHECK(r == 0 || r == EX_CONFIG || r == EX_OSERR, "publisher: exit %d for a readable file", r);
	if (r != EX_OSERR)
		FUZZ_CHECK((r == 0) == (printed == 0), "publisher: exit %d with %ld lines printed:\n%s", r, printed,
			   caught);
	FUZZ_CHECK(p.owned.n <= sizeof(p.owned.v) / sizeof(p.owned.v[0]) && p.n_urls <= MAX_URLS,
		   "publisher: %zu strings, %zu urls", p.owned.n, p.n_urls);
	ini_strings_free(&p.owned);
	free(caught);
	return 0;
}
