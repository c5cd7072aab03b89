#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/text.h"
#include "history/display.h"
#include "history/history.h"
#include "replay/output.h"

int output_json_doc(json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (text == NULL)
		return -ENOMEM;
	puts(text);
	free(text);
	return 0;
}

const char *output_span(int64_t ms, char *buf, size_t size)
{
	if (ms < 0)
		return "-";
	int64_t sec = ms / 1000;
	if (sec >= 3600)
		snprintf(buf, size, "%lldh%02lldm", (long long)(sec / 3600), (long long)(sec % 3600 / 60));
	else if (sec >= 60)
		snprintf(buf, size, "%lldm%02llds", (long long)(sec / 60), (long long)(sec % 60));
	else
		snprintf(buf, size, "%llds", (long long)sec);
	return buf;
}

static int raw(FILE *out, const struct history_row *row)
{
	uint8_t varint[10];
	size_t n = 0;
	for (uint64_t v = row->len; ; v >>= 7) {
		varint[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	return fwrite(varint, 1, n, out) == n && fwrite(row->bytes, 1, row->len, out) == row->len ? 0 : -EIO;
}

static int text(FILE *out, const struct history_row *row, struct raksha_envelope_arena *arena)
{
	char when[40], line[1400], topic[1024], reason[1024];
	output_time(row->received_ms, when, sizeof(when));
	when[19] = '\0';  /* seconds are enough to read */
	when[10] = ' ';
	/* A topic or a reason from outside, made safe to show (common/text.h). */
	text_escape(row->topic, topic, sizeof(topic));
	if (row->kind == NULL) {
		text_escape(row->reason, reason, sizeof(reason));
		fprintf(out, "%s  %sREJECTED %s on %s: %s\n", when, row->exercise ? "DRILL " : "", row->cause,
			topic, reason);
		return ferror(out) ? -EIO : 0;
	}
	raksha_envelope *env = NULL;
	if (output_decode(row, arena, &env) == 0)
		display_line(env, row->exercise, line, sizeof(line));
	else
		snprintf(line, sizeof(line), "%s on %s (no longer passes the checks)", row->kind, topic);
	output_decoded_free(env, arena);
	fprintf(out, "%s  %s\n", when, line);
	return ferror(out) ? -EIO : 0;
}

int output_decode(const struct history_row *row, struct raksha_envelope_arena *arena,
		  raksha_envelope **env)
{
	if (arena == NULL)
		return history_decode(row->bytes, row->len, row->topic, row->received_ms, env);
	return history_decode_in(arena, row->bytes, row->len, row->topic, row->received_ms, env);
}

void output_decoded_free(raksha_envelope *env, const struct raksha_envelope_arena *arena)
{
	if (arena == NULL)
		raksha_envelope_free(env);
}

int output_row(FILE *out, enum format f, const struct history_row *row,
	       struct raksha_envelope_arena *arena)
{
	switch (f) {
	case FORMAT_RAW: return raw(out, row);
	case FORMAT_JSON: return output_json_row(out, row, arena);
	default: return text(out, row, arena);
	}
}
