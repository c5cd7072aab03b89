/* Rejected input, bounded: one unit's garbage on its own topic must not
 * fill the disk and stop every other unit's reports. Each row counts
 * against its sender's bound and the total (rejected_senders, kept by the
 * schema's triggers); a rejection past either is counted, not kept. */
#include <stdio.h>
#include <string.h>

#include <raksha/topic.h>

#include "agent/store_impl.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/minmax.h"

#define DROP_LOG_INTERVAL_MS 60000
#define PREFIX "raksha/v1/"

void store_rejected_bounds(struct store *s, int64_t per_sender, int64_t total)
{
	s->rejected_sender_max = per_sender;
	s->rejected_total_max = total;
}

/* Level @n (0-based) of @topic into @out (33 bytes) if it is a valid
 * segment. */
static bool segment(const char *topic, int n, char *out)
{
	for (int i = 0; i < n && topic != NULL; i++) {
		topic = strchr(topic, '/');
		if (topic != NULL)
			topic++;
	}
	if (topic == NULL)
		return false;
	size_t len = strcspn(topic, "/");
	if (len == 0 || len > 32)
		return false;
	memcpy(out, topic, len);
	out[len] = '\0';
	return raksha_segment_valid(out);
}

void store_sender(const char *topic, char *out)
{
	char state[33], region[33], agency[33];
	const char *rest = topic + strlen(PREFIX);
	if (strncmp(topic, PREFIX, strlen(PREFIX)) != 0 || !segment(rest, 0, state) ||
	    !segment(rest, 1, region) || !segment(rest, 2, agency)) {
		snprintf(out, STORE_SENDER_MAX, "-");
		return;
	}
	snprintf(out, STORE_SENDER_MAX, "%s/%s/%s", state, region, agency);
}

static void sender_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *topic = (const char *)sqlite3_value_text(argv[0]);
	char sender[STORE_SENDER_MAX];
	store_sender(topic != NULL ? topic : "", sender);
	sqlite3_result_text(ctx, sender, -1, SQLITE_TRANSIENT);
}

int store_sender_function(struct store *s)
{
	int rc = sqlite3_create_function(s->db, "raksha_sender", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					 sender_sql, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_errno(rc);
}

/* What rejected input costs now: in all, @sender's, and whether @sender
 * has a row of its own (or may have one). */
struct use {
	int64_t total, mine, senders;
	bool known;
};

static int use_of(struct store *s, const char *sender, struct use *u)
{
	sqlite3_stmt *st = s->st[ST_REJECTED_USE];
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*u = (struct use){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				  sqlite3_column_int64(st, 2), sqlite3_column_int(st, 3) > 0};
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 0 : store_errno(rc);
}

/* The sender @topic's rejection counts against, into @sender, and its use. */
static int sender_of(struct store *s, const char *topic, char *sender, struct use *u)
{
	store_sender(topic, sender);
	int r = use_of(s, sender, u);
	if (r < 0 || u->known || u->senders < REJECTED_SENDERS_MAX)
		return r;
	snprintf(sender, STORE_SENDER_MAX, "%s", REJECTED_OTHERS);
	return use_of(s, sender, u);
}

/* Said at most once a minute per kind, with how many since the last line. */
static void log_dropped(struct store *s, const char *sender, const char *topic,
			const struct raksha_problem *why, const struct use *u)
{
	enum store_drop_kind k = why->cause == RAKSHA_CAUSE_CLOCK ? STORE_DROP_CLOCK : STORE_DROP_INPUT;
	int64_t now = clock_mono_ms();
	s->drops_since_log[k]++;
	if (s->drop_logged_ms[k] != 0 && now - s->drop_logged_ms[k] < DROP_LOG_INTERVAL_MS)
		return;
	const char *what = k == STORE_DROP_CLOCK ?
		"a message refused for its time alone, which cannot now be taken later," : "rejected input";
	log_line(k == STORE_DROP_CLOCK ? LOG_ERR : LOG_WARNING,
		 "%s from %s (%s on %s) not kept: the sender has %lld of its %lld bytes, all senders %lld"
		 " of %lld; counted in rejected_senders (raksha-replay stats); %lld not kept since the last note",
		 what, sender, raksha_cause_name(why->cause), topic, (long long)u->mine,
		 (long long)s->rejected_sender_max, (long long)u->total, (long long)s->rejected_total_max,
		 (long long)s->drops_since_log[k]);
	s->drop_logged_ms[k] = now;
	s->drops_since_log[k] = 0;
}

static int count_dropped(struct store *s, const char *sender, const char *topic, const void *bytes,
			 size_t len, const struct raksha_problem *why, int64_t received_ms)
{
	sqlite3_stmt *st = s->st[ST_REJECTED_DROP];
	sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)len);
	sqlite3_bind_int(st, 3, why->cause == RAKSHA_CAUSE_CLOCK);
	sqlite3_bind_int64(st, 4, received_ms);
	sqlite3_bind_text(st, 5, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, raksha_cause_name(why->cause), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, why->text, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, bytes, (int)MIN(len, (size_t)REJECTED_DROPPED_KEEP), SQLITE_STATIC);
	return store_run(st);
}

int store_rejected(struct store *s, const char *topic, const void *bytes, size_t len,
		   const struct raksha_problem *why, int64_t received_ms)
{
	return store_refused(s, topic, NULL, bytes, len, why, received_ms);
}

int store_refused(struct store *s, const char *topic, const ProtobufCBinaryData *report_id, const void *bytes,
		  size_t len, const struct raksha_problem *why, int64_t received_ms)
{
	/* Refused for a clock alone, it is a message to take later: kept whole. */
	size_t keep = len;
	if (why->cause != RAKSHA_CAUSE_CLOCK)
		keep = MIN(len, (size_t)REJECTED_BYTES_MAX);
	char sender[STORE_SENDER_MAX];
	struct use u = {0};
	int r = sender_of(s, topic, sender, &u);
	if (r < 0)
		return r;
	int64_t cost = (int64_t)(keep + strlen(topic) + strlen(why->text)) + REJECTED_ROW_OVERHEAD;
	if (u.mine + cost > s->rejected_sender_max || u.total + cost > s->rejected_total_max) {
		r = count_dropped(s, sender, topic, bytes, len, why, received_ms);
		if (r == 0)
			log_dropped(s, sender, topic, why, &u);
		return r < 0 ? r : 1;
	}
	sqlite3_stmt *st = s->st[ST_REJECTED];
	sqlite3_bind_int64(st, 1, received_ms);
	sqlite3_bind_text(st, 2, topic, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, raksha_cause_name(why->cause), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, why->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)len);
	sqlite3_bind_blob(st, 6, bytes, (int)keep, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, sender, -1, SQLITE_STATIC);
	if (report_id != NULL)
		sqlite3_bind_blob(st, 8, report_id->data, (int)report_id->len, SQLITE_STATIC);
	return store_run(st);
}
