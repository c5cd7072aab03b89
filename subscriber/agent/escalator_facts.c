/* What matching compares of a case (cases.match_facts): its names with
 * their keys, age, gender, station, train and time, written once when the
 * escalator looks at the case's latest report or found child, so that a
 * found child is compared with thousands of reports without decoding or
 * keying any of them again. One line of fields separated by U+001F, a
 * character no string of the schema may hold (docs/schema.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "agent/escalator_impl.h"
#include "history/history.h"

#define SEP '\x1f'
#define FACTS_VERSION "f1"

/* Appends @s and a separator; false if @out is full. */
static bool put(char *out, size_t size, size_t *n, const char *s)
{
	int w = snprintf(out + *n, size - *n, "%s%c", s, SEP);
	if (w < 0 || (size_t)w >= size - *n)
		return false;
	*n += (size_t)w;
	return true;
}

int escalator_facts_format(const struct match_person *p, char *out, size_t size)
{
	char head[160];
	size_t n = 0;
	snprintf(head, sizeof(head), "%s%c%d%c%d%c%d%c%lld", FACTS_VERSION, SEP, p->age_min, SEP, p->age_max, SEP,
		 p->gender, SEP, (long long)p->time_ms);
	bool fits = put(out, size, &n, head) && put(out, size, &n, p->station) && put(out, size, &n, p->train);
	for (size_t i = 0; fits && i < p->n_names; i++)
		fits = put(out, size, &n, p->names[i]) && put(out, size, &n, p->keys[i]);
	return fits ? 0 : -ENOBUFS;
}

/* The next field of *@s into @out (@size bytes, cut to fit), moving *@s
 * past its separator; false if there is none. */
static bool field(const char **s, char *out, size_t size)
{
	const char *end = strchr(*s, SEP);
	if (end == NULL)
		return false;
	size_t len = (size_t)(end - *s);
	if (len >= size)
		len = size - 1;
	memcpy(out, *s, len);
	out[len] = '\0';
	*s = end + 1;
	return true;
}

static bool number(const char **s, long long *v)
{
	char text[32], *end;
	if (!field(s, text, sizeof(text)))
		return false;
	*v = strtoll(text, &end, 10);
	return end != text && *end == '\0';
}

int escalator_facts_parse(const char *s, struct match_person *p)
{
	char version[8];
	long long age_min, age_max, gender, time_ms;
	memset(p, 0, sizeof(*p));
	if (s == NULL || !field(&s, version, sizeof(version)) || strcmp(version, FACTS_VERSION) != 0 ||
	    !number(&s, &age_min) || !number(&s, &age_max) || !number(&s, &gender) || !number(&s, &time_ms) ||
	    !field(&s, p->station, sizeof(p->station)) || !field(&s, p->train, sizeof(p->train)))
		return -EINVAL;
	p->age_min = (int)age_min;
	p->age_max = (int)age_max;
	p->gender = (int)gender;
	p->time_ms = time_ms;
	while (p->n_names < MATCH_NAMES && *s != '\0') {
		if (!field(&s, p->names[p->n_names], MATCH_NAME_BYTES) ||
		    !field(&s, p->keys[p->n_names], MATCH_KEY_BYTES))
			return -EINVAL;
		p->n_names++;
	}
	return 0;
}

int escalator_facts_of_envelope(struct escalator *e, const raksha_envelope *env, struct match_person *p)
{
	char err[200];
	const Raksha__V1__Child *child = NULL;
	const Raksha__V1__Place *place = NULL;
	if (raksha_envelope_kind(env) == RAKSHA_KIND_REPORT) {
		child = env->report->child;
		place = env->report->last_seen;
	} else if (store_is_found(env)) {
		child = env->sighting->child;
		place = env->sighting->place;
	} else {
		return -EINVAL;
	}
	if (escalator_keyer(e) == NULL)
		return -ENOSYS;  /* said once, by escalator_keyer() */
	int r = match_person_from_child(e->keyer, child, place, p, err, sizeof(err));
	if (r < 0)
		log_line(LOG_WARNING, "matching: a name cannot be keyed: %s", err);
	return r;
}

int escalator_facts_of_seq(struct escalator *e, int64_t seq, struct match_person *p)
{
	sqlite3_stmt *st = store_cached(e->store, "SELECT envelope, received_at_ms FROM messages WHERE seq = ?1");
	if (st == NULL)
		return -EIO;
	sqlite3_bind_int64(st, 1, seq);
	raksha_envelope *env = NULL;
	int r = -ENOENT;
	if (sqlite3_step(st) == SQLITE_ROW)
		r = history_decode(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), NULL,
				   sqlite3_column_int64(st, 1), &env);
	store_cached_done(e->store, st);
	if (r == 0)
		r = escalator_facts_of_envelope(e, env, p);
	raksha_envelope_free(env);
	return r;
}
