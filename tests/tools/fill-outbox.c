/* fill-outbox DIR N: queues N fresh, valid reports (new message ids) in the
 * outbox DIR, as N publishers that could not reach the broker would have. */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "tests/lib/sample.h"

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: fill-outbox DIR N\n");
		return EX_USAGE;
	}
	struct raksha_outbox *ob;
	if (raksha_outbox_open(argv[1], &ob) < 0) {
		perror(argv[1]);
		return EX_CANTCREAT;
	}
	for (int i = 0, n = atoi(argv[2]); i < n; i++) {
		struct sample s;
		raksha_envelope *env = sample_make(&s, RAKSHA_KIND_REPORT);
		raksha_envelope_stamp(env, s.message_id);
		s.place.time_ms = env->sent_at_ms;
		uint8_t *buf;
		size_t len;
		if (raksha_envelope_encode(env, s.topic, NULL, &buf, &len, NULL) < 0 ||
		    raksha_outbox_put(ob, s.topic, buf, len, s.message_id) < 0)
			return EX_SOFTWARE;
		free(buf);
	}
	raksha_outbox_close(ob);
	return EX_OK;
}
