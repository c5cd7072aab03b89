/* Decoding what the agent stored, as it was judged when it arrived. */
#include "history/history.h"

/* Its arrival is its "now": a clock set back since (a PC's clock is
 * stepped, by hand or by NTP) must not refuse what was taken; and a
 * generous size, so that an agent's larger limit is no refusal here. */
static struct raksha_check_options as_received(int64_t received_ms)
{
	return (struct raksha_check_options){.max_size = HISTORY_SIZE_MAX, .now_ms = received_ms};
}

int history_decode(const void *bytes, size_t len, const char *topic, int64_t received_ms,
		   raksha_envelope **out)
{
	struct raksha_check_options opts = as_received(received_ms);
	return raksha_envelope_decode(bytes, len, topic, &opts, out, NULL);
}

int history_decode_in(struct raksha_envelope_arena *arena, const void *bytes, size_t len,
		      const char *topic, int64_t received_ms, raksha_envelope **out)
{
	struct raksha_check_options opts = as_received(received_ms);
	return raksha_envelope_decode_in(arena, bytes, len, topic, &opts, out, NULL);
}
