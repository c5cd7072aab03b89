/* Remote replay's request, as JSON (docs/replay.md), and its topics:
 *   raksha/replay/{archive}/request/{correlation}    the request
 *   raksha/replay/{archive}/response/{correlation}   the answer (ReplayFrame)
 * outside the raksha/v1 region tree, so that only those allowed to ask
 * (broker ACL) reach the archive. */
#ifndef RAKSHA_AGENT_REPLAY_REQUEST_H
#define RAKSHA_AGENT_REPLAY_REQUEST_H

#include <stddef.h>

#include "history/history.h"

#define REPLAY_TOPIC_ROOT "raksha/replay"

/* Writes @f as the request's JSON into *@out (malloc'd). 0 or -ENOMEM. */
int replay_request_encode(const struct history_filter *f, char **out);

/* Reads a request into @f (to free with history_filter_free()). On failure
 * @err names the key or byte. Returns 0 or -EINVAL. */
int replay_request_decode(const void *json, size_t len, struct history_filter *f, char *err,
			  size_t errlen);

#endif
