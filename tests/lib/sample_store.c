#include <stdlib.h>

#include "tests/lib/sample_store.h"

int sample_store(struct store *s, struct sample *sm, int64_t at_ms)
{
	uint8_t *buf;
	size_t len;
	struct raksha_check_options o = {.now_ms = at_ms};
	if (sample_encode(sm, at_ms, &o, &buf, &len) < 0)
		return -100;
	int r = store_envelope(s, sm->topic, &sm->env, buf, len, at_ms);
	free(buf);
	return r;
}
