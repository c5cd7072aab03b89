/* metrics.h's numbers in Prometheus' text exposition format 0.0.4: for
 * each metric a # HELP and a # TYPE line, then its samples; names
 * raksha_*; label values escaped (metrics_label_value()). A number not
 * known (the outbox unreadable, no message yet) is left out, its HELP and
 * TYPE kept, rather than written as a 0 that would read as a fact. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "common/text.h"
#include "metrics/metrics.h"

struct metric {
	const char *name, *type, *help;
};

static const struct metric STORED = {"raksha_messages_stored_total", "counter",
	"Messages the agent stored since its database was made (the highest messages.seq)."};
static const struct metric NEWEST = {"raksha_newest_message_age_seconds", "gauge",
	"Seconds since the newest stored message arrived."};
static const struct metric REJECTED_TOTAL = {"raksha_rejected_total", "counter",
	"Rejected messages kept since the database was made (the highest rejected.seq)."};
static const struct metric REJECTED = {"raksha_rejected", "gauge",
	"Rejected messages in the database now, by cause (pruned after prune_rejected_after)."};
static const struct metric NOT_KEPT = {"raksha_rejected_not_kept", "gauge",
	"Rejected messages not kept, over their sender's or the total bound (rejected_senders)."};
static const struct metric OPEN = {"raksha_cases_open", "gauge", "Open cases."};
static const struct metric UNACKED = {"raksha_cases_unacknowledged", "gauge",
	"Open cases no unit has acknowledged."};
static const struct metric ESCALATED = {"raksha_cases_escalated", "gauge",
	"Open cases escalated at least once."};
static const struct metric OUTBOX = {"raksha_outbox_depth", "gauge",
	"Envelopes waiting in the agent's outbox to be sent."};
static const struct metric CONNECTED = {"raksha_link_connected", "gauge",
	"1 if the agent's link to the broker is up, as its own presence says; 0 if not."};
static const struct metric CONNECTIONS = {"raksha_link_connections_total", "counter",
	"Times the agent's link came up: each start and each reconnection."};
static const struct metric RECONNECTIONS = {"raksha_link_reconnections_total", "counter",
	"Times the agent's link came back while it ran: a connection after its run's first."};
static const struct metric HOOKS_RUN = {"raksha_hooks_run_total", "counter", "Hook runs that ended."};
static const struct metric HOOKS_FAILED = {"raksha_hooks_failed_total", "counter",
	"Hook runs that failed: a non-zero exit, a signal, killed after the timeout, or not started."};

/* HELP text escapes backslash and line feed only. */
static void help_text(FILE *f, const char *text)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\\')
			fputs("\\\\", f);
		else if (*p == '\n')
			fputs("\\n", f);
		else
			fputc(*p, f);
	}
}

static void head(FILE *f, const struct metric *m)
{
	fprintf(f, "# HELP %s ", m->name);
	help_text(f, m->help);
	fprintf(f, "\n# TYPE %s %s\n", m->name, m->type);
}

static void number(FILE *f, const struct metric *m, int64_t value)
{
	head(f, m);
	fprintf(f, "%s %" PRId64 "\n", m->name, value);
}

/* A stretch of @value without line feeds, through text_escape(), its
 * backslashes (its own \xNN's and the value's) doubled, quotes escaped. */
static void label_part(FILE *f, const char *part, size_t len)
{
	char raw[4 * METRICS_LABEL_MAX], safe[16 * METRICS_LABEL_MAX];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(raw) - 1 ? len - done : sizeof(raw) - 1;
		memcpy(raw, part + done, n);
		raw[n] = '\0';
		text_escape(raw, safe, sizeof(safe));
		for (const char *p = safe; *p != '\0'; p++) {
			if (*p == '\\' || *p == '"')
				fputc('\\', f);
			fputc(*p, f);
		}
		done += n;
	}
}

void metrics_label_value(FILE *f, const char *value)
{
	for (;;) {
		size_t len = strcspn(value, "\n");
		label_part(f, value, len);
		if (value[len] == '\0')
			return;
		fputs("\\n", f);
		value += len + 1;
	}
}

static void rejected(FILE *f, const struct metrics *m)
{
	head(f, &REJECTED);
	for (size_t i = 0; i < m->n_causes; i++) {
		fprintf(f, "%s{cause=\"", REJECTED.name);
		metrics_label_value(f, m->causes[i].label);
		fprintf(f, "\"} %" PRId64 "\n", m->causes[i].n);
	}
}

static void ages_and_depths(FILE *f, const struct metrics *m, int64_t now_ms)
{
	head(f, &NEWEST);
	if (m->newest_ms > 0) {
		int64_t age = now_ms > m->newest_ms ? now_ms - m->newest_ms : 0;
		fprintf(f, "%s %" PRId64 ".%03" PRId64 "\n", NEWEST.name, age / 1000, age % 1000);
	}
	head(f, &OUTBOX);
	if (m->outbox >= 0)
		fprintf(f, "%s %" PRId64 "\n", OUTBOX.name, m->outbox);
}

int metrics_write(FILE *f, const struct metrics *m, int64_t now_ms)
{
	number(f, &STORED, m->stored_total);
	number(f, &REJECTED_TOTAL, m->rejected_total);
	rejected(f, m);
	number(f, &NOT_KEPT, m->not_kept);
	number(f, &OPEN, m->open);
	number(f, &UNACKED, m->unacked);
	number(f, &ESCALATED, m->escalated);
	ages_and_depths(f, m, now_ms);
	number(f, &CONNECTED, m->connected == 1);
	number(f, &CONNECTIONS, m->connections);
	number(f, &RECONNECTIONS, m->reconnections);
	number(f, &HOOKS_RUN, m->hooks_run);
	number(f, &HOOKS_FAILED, m->hooks_failed);
	return ferror(f) ? -EIO : 0;
}
