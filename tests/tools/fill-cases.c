/* fill-cases DIR N [REGION]: queues N fresh, valid reports in the outbox
 * DIR, each a case of its own (new message_id and new report_id), from
 * mp/REGION/grp (default bhopal), and prints one line per report:
 * "MESSAGE_ID REPORT_ID", both as 32 lower-case hex digits, the way
 * sqlite3's lower(hex(...)) shows them. The fault suites keep these lines as
 * the ledger of what was sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "tests/lib/sample.h"

static void hex(const uint8_t id[16], char out[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: fill-cases DIR N [REGION]\n");
		return EX_USAGE;
	}
	char *region = argc == 4 ? argv[3] : "bhopal";
	struct raksha_outbox *ob;
	if (raksha_outbox_open(argv[1], &ob) < 0) {
		perror(argv[1]);
		return EX_CANTCREAT;
	}
	for (int i = 0, n = atoi(argv[2]); i < n; i++) {
		struct sample s;
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		if (raksha_uuid7(s.report_id) < 0)
			return EX_SOFTWARE;
		raksha_envelope_stamp(env, s.message_id);
		s.place.time_ms = env->sent_at_ms;
		s.origin.region = region;
		struct raksha_topic t = {.state = "mp", .agency = "grp", .kind = RAKSHA_KIND_REPORT};
		snprintf(t.region, sizeof(t.region), "%s", region);
		if (raksha_topic_format(&t, s.topic, sizeof(s.topic)) < 0) {
			fprintf(stderr, "fill-cases: bad region '%s'\n", region);
			return EX_USAGE;
		}
		uint8_t *buf;
		size_t len;
		struct raksha_problem p;
		if (raksha_envelope_encode(env, s.topic, NULL, &buf, &len, &p) < 0) {
			fprintf(stderr, "fill-cases: %s\n", p.text);
			return EX_SOFTWARE;
		}
		if (raksha_outbox_put(ob, s.topic, buf, len, s.message_id) < 0)
			return EX_IOERR;
		free(buf);
		char m[33], r[33];
		hex(s.message_id, m);
		hex(s.report_id, r);
		printf("%s %s\n", m, r);
	}
	raksha_outbox_close(ob);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}
