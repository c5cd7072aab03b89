/* raksha-replay stats: the agent's rejected input per sender as a table
 * and as JSON (history/stats_rejected.c reads it). */
#include <stdio.h>

#include <jansson.h>

#include "common/minmax.h"
#include "common/text.h"
#include "replay/output.h"
#include "replay/stats.h"

/* The first bytes of what was not kept, readable: printable ASCII as it
 * is, the rest as \xNN; at most @max bytes of it. */
static void shown(const struct sender_stats *r, size_t max, char *out, size_t size)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < MIN(r->first_len, max) && n + 5 < size; i++) {
		unsigned char c = r->first_bytes[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[n++] = (char)c;
		else
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
	}
	out[n] = '\0';
}

void stats_rejected_text(const struct stats *s)
{
	if (s->n_senders == 0)
		return;
	printf("\nREJECTED INPUT, since its last pruning (NOT KEPT: over rejected_per_sender or rejected_total)\n");
	printf("%-30s %7s %9s %9s %6s  %-29s  %s\n", "SENDER", "KEPT", "BYTES", "NOT KEPT", "CLOCK",
	       "FIRST NOT KEPT", "LAST NOT KEPT");
	for (size_t i = 0; i < s->n_senders; i++) {
		const struct sender_stats *r = &s->senders[i];
		char first[40] = "-", last[40] = "-", sender[256], topic[600], reason[600], bytes[300];
		if (r->dropped > 0) {
			output_time(r->first_ms, first, sizeof(first));
			output_time(r->last_ms, last, sizeof(last));
		}
		text_escape(r->sender, sender, sizeof(sender));
		printf("%-30s %7lld %9lld %9lld %6lld  %-29s  %s\n", sender, (long long)r->rows, (long long)r->bytes,
		       (long long)r->dropped, (long long)r->dropped_clock, first, last);
		if (r->dropped == 0)
			continue;
		text_escape(r->first_topic, topic, sizeof(topic));
		text_escape(r->first_reason, reason, sizeof(reason));
		shown(r, 48, bytes, sizeof(bytes));
		printf("  first not kept: %s on %s, %lld bytes: %s; begins \"%s\"\n", r->first_cause, topic,
		       (long long)r->first_size, reason, bytes);
	}
}

static json_t *hex(const struct sender_stats *r)
{
	char out[2 * sizeof(r->first_bytes) + 1];
	for (size_t i = 0; i < r->first_len; i++)
		snprintf(out + 2 * i, 3, "%02x", r->first_bytes[i]);
	out[2 * r->first_len] = '\0';
	return json_string(out);
}

json_t *stats_rejected_json(const struct stats *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_senders; i++) {
		const struct sender_stats *r = &s->senders[i];
		json_t *o = json_object(), *d = json_object();
		json_object_set_new(o, "sender", json_string(r->sender));
		json_object_set_new(o, "kept", json_integer(r->rows));
		json_object_set_new(o, "kept_bytes", json_integer(r->bytes));
		json_object_set_new(d, "count", json_integer(r->dropped));
		json_object_set_new(d, "bytes", json_integer(r->dropped_bytes));
		json_object_set_new(d, "clock", json_integer(r->dropped_clock));
		if (r->dropped > 0) {
			json_object_set_new(d, "first_ms", json_integer(r->first_ms));
			json_object_set_new(d, "last_ms", json_integer(r->last_ms));
			json_object_set_new(d, "first_topic", json_string(r->first_topic));
			json_object_set_new(d, "first_cause", json_string(r->first_cause));
			json_object_set_new(d, "first_reason", json_string(r->first_reason));
			json_object_set_new(d, "first_size", json_integer(r->first_size));
			json_object_set_new(d, "first_bytes_hex", hex(r));
		}
		json_object_set_new(o, "not_kept", d);
		json_array_append_new(a, o);
	}
	return a;
}
