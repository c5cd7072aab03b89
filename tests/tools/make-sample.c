/* make-sample KIND FILE [--fresh]: writes a valid sample envelope of KIND
 * (report, sighting, update, ack, escalation, agent) to FILE and prints its
 * topic. --fresh gives it a new message_id and the real time, as a new
 * publication would have. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "tests/lib/sample.h"

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--fresh") != 0)) {
		fprintf(stderr, "usage: make-sample KIND FILE [--fresh]\n");
		return EX_USAGE;
	}
	enum raksha_kind kind = raksha_kind_from_name(argv[1]);
	if (kind == RAKSHA_KIND_NONE) {
		fprintf(stderr, "make-sample: unknown kind '%s'\n", argv[1]);
		return EX_USAGE;
	}
	struct sample s;
	raksha_envelope *env = sample_make(&s, kind);
	struct raksha_check_options opts = {.now_ms = SAMPLE_NOW_MS};
	if (argc == 4) {
		raksha_envelope_stamp(env, s.message_id);
		s.place.time_ms = env->sent_at_ms - 3600 * 1000;
		s.agent.started_at_ms = env->sent_at_ms - 60 * 1000;
		opts.now_ms = 0;
	}
	uint8_t *buf;
	size_t len;
	struct raksha_problem p;
	if (raksha_envelope_encode(env, s.topic, &opts, &buf, &len, &p) < 0) {
		fprintf(stderr, "make-sample: %s\n", p.text);
		return EX_SOFTWARE;
	}
	FILE *f = fopen(argv[2], "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[2]);
		return EX_CANTCREAT;
	}
	free(buf);
	printf("%s\n", s.topic);
	return EX_OK;
}
