/* fuzz-journal-record: the ingest journal's records
 * (subscriber/agent/journal_record.c), what recovery reads back from a file
 * a crash or a power cut left. Two inputs in one:
 *  - the whole input as journal bytes: every frame the reader takes is
 *    within the input and at least a head long; a readable one has a topic
 *    and a reason that fit in it and a payload inside the input; an
 *    unreadable one says why and gives its whole body as the payload;
 *  - the input split into a topic (byte 0: its length, times 256), a reason
 *    (byte 1: its length) and a payload (the rest): what the writer writes
 *    the reader reads back field for field, for every topic MQTT carries
 *    and every payload; a shorter prefix is no record.
 * Found and fixed with it: topics of 256 bytes and more were written but not
 * read back, and recovery took such a record for the end of the journal. */
#include <string.h>

#include "agent/journal_record.h"
#include "common/minmax.h"
#include "tests/fuzz/fuzz.h"

static struct journal_record r;

static void read_any(const uint8_t *data, size_t size)
{
	for (size_t at = 0; at < size;) {
		size_t n = journal_record_parse(data + at, size - at, &r);
		if (n == 0)
			return;
		FUZZ_CHECK(n >= JOURNAL_RECORD_HEAD && n <= size - at, "a frame of %zu bytes at %zu of %zu", n, at, size);
		FUZZ_CHECK(r.payload >= data + at && r.payload + r.len <= data + at + n, "a payload outside its frame");
		if (r.unreadable[0] == '\0')
			FUZZ_CHECK(strlen(r.topic) <= JOURNAL_TOPIC_MAX && strlen(r.problem.text) < sizeof(r.problem.text),
				   "a readable record's topic or reason does not fit");
		at += n;
	}
}

static void write_and_read(const uint8_t *data, size_t size)
{
	static char topic[JOURNAL_TOPIC_MAX + 1];
	static uint8_t rec[1 << 17];
	if (size < 2)
		return;
	size_t tl = MIN((size_t)data[0] * 256, size - 2);
	size_t rl = MIN((size_t)data[1], MIN(size - 2 - tl, sizeof(r.problem.text) - 1));
	memset(topic, 't', tl);
	topic[tl] = '\0';
	struct raksha_problem why = {RAKSHA_CAUSE_BAD_TOPIC, ""};
	memcpy(why.text, data + 2 + tl, rl);
	why.text[rl] = '\0';
	/* A reason with a NUL byte is shorter than rl: the writer writes strlen. */
	const uint8_t *payload = data + 2 + tl + rl;
	size_t len = size - 2 - tl - rl;
	size_t n = journal_record_size(topic, len, &why);
	FUZZ_CHECK(n > 0 && n <= sizeof(rec), "no record for a %zu-byte topic and %zu-byte payload", tl, len);
	journal_record_write(rec, 3, topic, payload, len, &why, -5);
	FUZZ_CHECK(journal_record_parse(rec, n, &r) == n, "the writer's record is not read back");
	FUZZ_CHECK(r.unreadable[0] == '\0' && r.generation == 3 && r.received_ms == -5 && strcmp(r.topic, topic) == 0 &&
		   strcmp(r.problem.text, why.text) == 0 && r.problem.cause == why.cause && r.len == len &&
		   memcmp(r.payload, payload, len) == 0, "a field changed between writer and reader");
	FUZZ_CHECK(journal_record_parse(rec, n - 1, &r) == 0, "a torn record was read");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_any(data, size);
	write_and_read(data, size);
	return 0;
}
