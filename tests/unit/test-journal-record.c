/* One record of the ingest journal (subscriber/agent/journal_record.c), every
 * field at and past its limit: what the writer writes, the reader reads
 * back whole, for every topic MQTT can deliver (0..65,535 bytes), every
 * reason, payloads of 0 bytes to 2 MiB, any generation, arrival time and
 * cause; a torn or damaged frame is no record; a frame that is intact but
 * whose fields do not add up is still a record, stored as a rejected
 * message, never the end of the journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "agent/journal_record.h"
#include "agent/store.h"
#include "tests/lib/tap.h"
#include "tests/lib/tmpdir.h"

#define FIXED 24  /* the body's fixed part: generation .. padding */

static uint8_t *record(const char *topic, const void *payload, size_t len, const struct raksha_problem *why,
		       uint64_t generation, int64_t received_ms, size_t *size)
{
	*size = journal_record_size(topic, len, why);
	uint8_t *b = *size > 0 ? malloc(*size) : NULL;
	if (b != NULL)
		journal_record_write(b, generation, topic, payload, len, why, received_ms);
	return b;
}

/* Whether journal_record_read() (the committer's, no hash) of @b reads
 * what journal_record_parse() read into @r, and a cut frame is none. */
static bool read_same(const uint8_t *b, size_t size, const struct journal_record *r)
{
	static struct journal_record q;
	return journal_record_read(b, size, &q) == size && journal_record_read(b, size - 1, &q) == 0 &&
	       journal_record_read(b, size, &q) == size && q.generation == r->generation &&
	       q.received_ms == r->received_ms && strcmp(q.topic, r->topic) == 0 && q.payload == r->payload &&
	       q.len == r->len && q.problem.cause == r->problem.cause &&
	       strcmp(q.problem.text, r->problem.text) == 0 && q.unreadable[0] == '\0';
}

/* Writes and reads back one record; true if every field is as written, by
 * both readers. */
static bool round_trip(const char *topic, size_t len, const struct raksha_problem *why, uint64_t generation,
		       int64_t received_ms)
{
	static struct journal_record r;
	uint8_t *payload = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		payload[i] = (uint8_t)(i * 7);
	size_t size;
	uint8_t *b = record(topic, payload, len, why, generation, received_ms, &size);
	bool same = b != NULL && journal_record_parse(b, size, &r) == size && r.unreadable[0] == '\0' &&
		    r.generation == generation && r.received_ms == received_ms && strcmp(r.topic, topic) == 0 &&
		    r.len == len && memcmp(r.payload, payload, len) == 0 && read_same(b, size, &r);
	if (same && why != NULL)
		same = r.problem.cause == why->cause && strcmp(r.problem.text, why->text) == 0;
	if (same && why == NULL)
		same = r.problem.cause == RAKSHA_CAUSE_NONE && r.problem.text[0] == '\0';
	free(b);
	free(payload);
	return same;
}

static char *topic_of(size_t n)
{
	char *t = malloc(n + 1);
	memset(t, 'a', n);
	for (size_t i = 0; i < n; i += 20)
		t[i] = '/';
	t[n] = '\0';
	return t;
}

static void limits(void)
{
	static const size_t topics[] = {0, 1, 255, 256, 257, 300, 4096, JOURNAL_TOPIC_MAX};
	static const size_t payloads[] = {0, 1, 4096, 2 << 20};
	bool all = true;
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		char *t = topic_of(topics[i]);
		for (size_t k = 0; k < sizeof(payloads) / sizeof(payloads[0]); k++)
			all = all && round_trip(t, payloads[k], NULL, 1, 1795926900000);
		free(t);
	}
	ok(all, "every topic of 0..65,535 bytes with payloads of 0, 1, 4 KiB and 2 MiB reads back whole");
	char *longest = topic_of(JOURNAL_TOPIC_MAX + 1);
	is_int((long long)journal_record_size(longest, 10, NULL), 0,
	       "a topic longer than MQTT carries (65,536 bytes) has no record");
	free(longest);
	struct raksha_problem why = {RAKSHA_CAUSE_BAD_TOPIC, ""};
	ok(round_trip("raksha/v1/x", 3, &why, 7, 0), "a rejection with an empty reason");
	memset(why.text, 'r', sizeof(why.text) - 1);
	why.text[sizeof(why.text) - 1] = '\0';
	ok(round_trip("raksha/v1/x", 3, &why, 7, 0), "a reason of %zu bytes, the longest there is", sizeof(why.text) - 1);
	all = true;
	for (int c = 1; c < RAKSHA_CAUSE_COUNT; c++) {
		struct raksha_problem p = {(enum raksha_cause)c, "because"};
		all = all && round_trip("raksha/v1/mp/bhopal/grp/report", 10, &p, 7, 0);
	}
	ok(all, "every cause");
	ok(round_trip("t", 1, NULL, 0, 0) && round_trip("t", 1, NULL, INT64_MAX, 0) &&
	   round_trip("t", 1, NULL, UINT64_MAX, 0), "generations 0, INT64_MAX, UINT64_MAX");
	ok(round_trip("t", 1, NULL, 1, INT64_MIN) && round_trip("t", 1, NULL, 1, -1) &&
	   round_trip("t", 1, NULL, 1, INT64_MAX), "arrival times INT64_MIN, -1, INT64_MAX");
}

static void torn_and_damaged(void)
{
	static struct journal_record r;
	struct raksha_problem why = {RAKSHA_CAUSE_UTF8, "bad byte"};
	size_t size;
	uint8_t *b = record("raksha/v1/mp/bhopal/grp/report", "payload bytes", 13, &why, 9, 5, &size);
	bool none = true;
	for (size_t n = 0; n < size; n++)
		none = none && journal_record_parse(b, n, &r) == 0;
	ok(none, "each of the %zu shorter prefixes of a record (a torn write) is no record", size);
	none = true;
	for (size_t i = 0; i < size; i++) {
		b[i] ^= 0x5a;
		none = none && journal_record_parse(b, size, &r) == 0;
		b[i] ^= 0x5a;
	}
	ok(none, "a damaged byte anywhere, in length, hash or body, makes it no record");
	is_int((long long)journal_record_parse(b, size, &r), (long long)size, "  and the record is whole again");
	free(b);
}

/* An intact frame (its hash checks) whose topic and reason lengths run past
 * its end: what no writer of this format writes, but a reader must not take
 * for the end of the journal. */
static uint8_t *unreadable_frame(uint64_t generation, size_t *size)
{
	static const uint8_t key[crypto_shorthash_KEYBYTES] = "raksha journal2";
	uint32_t body = FIXED + 10;
	uint8_t *b = calloc(1, JOURNAL_RECORD_HEAD + body);
	uint8_t *p = b + JOURNAL_RECORD_HEAD;
	uint16_t tl = 300, rl = 2;
	int64_t at = 1795926900000;
	memcpy(p, &generation, 8);
	memcpy(p + 8, &at, 8);
	memcpy(p + 16, &tl, 2);
	memcpy(p + 20, &rl, 2);
	memcpy(p + FIXED, "ten bytes!", 10);
	uint64_t h;
	crypto_shorthash((uint8_t *)&h, p, body, key);
	memcpy(b, &body, 4);
	memcpy(b + 4, &h, 8);
	*size = JOURNAL_RECORD_HEAD + body;
	return b;
}

static void unreadable(const char *dir)
{
	static struct journal_record r;
	size_t size;
	uint8_t *b = unreadable_frame(42, &size);
	is_int((long long)journal_record_parse(b, size, &r), (long long)size,
	       "an intact frame whose fields run past its end is a record, of its length");
	ok(r.generation == 42 && r.unreadable[0] != '\0' && r.len == FIXED + 10,
	   "  of its generation, unreadable (%s), the whole body its payload", r.unreadable);
	char path[128], err[256];
	snprintf(path, sizeof(path), "%s/agent.db", dir);
	struct store *s;
	raksha_envelope *env = NULL;
	bool fresh = true;  /* must become false */
	ok(store_open(path, DURABILITY_CRASH, &s, err, sizeof(err)) == 0 &&
	   sqlite3_exec(store_db(s), "BEGIN", NULL, NULL, NULL) == SQLITE_OK, "a database");
	is_int(journal_record_store(s, &r, &env, &fresh), 0, "  stores it");
	sqlite3_exec(store_db(s), "COMMIT", NULL, NULL, NULL);
	ok(!fresh && env == NULL, "  as no envelope");
	sqlite3_stmt *q;
	sqlite3_prepare_v2(store_db(s), "SELECT cause, reason, size FROM rejected", -1, &q, NULL);
	ok(sqlite3_step(q) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(q, 0), "undecodable") == 0 &&
	   strstr((const char *)sqlite3_column_text(q, 1), "journal record unreadable") != NULL &&
	   sqlite3_column_int(q, 2) == FIXED + 10, "  but as a rejected row: undecodable, why, its size");
	sqlite3_finalize(q);
	store_close(s);
	free(b);
}

int main(void)
{
	char dir[64];
	if (sodium_init() < 0 || tmpdir_make(dir, "journal-record") < 0)
		return 1;
	limits();
	torn_and_damaged();
	unreadable(dir);
	if (tmpdir_remove(dir) < 0)
		return 1;
	return tap_done();
}
