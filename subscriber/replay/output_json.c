/* raksha-replay --format json: one object a line, written directly into
 * the stdio buffer. The line is the one a jansson tree of the same keys
 * dumped with JSON_COMPACT | JSON_PRESERVE_ORDER used to give (15-replay
 * compares it with a golden file that code made); a string that is not
 * plain ASCII goes through jansson itself, so its escapes stay jansson's. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "history/display.h"
#include "history/history.h"
#include "replay/output.h"

static bool plain(const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
		if (*c < 0x20 || *c > 0x7e || *c == '"' || *c == '\\')
			return false;
	}
	return true;
}

/* ,"@key":"@s" (@first: without the comma). jansson left out a key whose
 * value it could not make: NULL, or not UTF-8. */
static void put_string(FILE *out, const char *key, const char *s, bool first)
{
	if (s == NULL)
		return;
	if (plain(s)) {
		fprintf(out, "%s\"%s\":\"%s\"", first ? "" : ",", key, s);
		return;
	}
	json_t *j = json_string(s);
	char *text = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	if (text != NULL)
		fprintf(out, "%s\"%s\":%s", first ? "" : ",", key, text);
	free(text);
	json_decref(j);
}

/* {"seq":…,"topic":…,"received_at":…,"message_id":…,"kind":…,"exercise":…,
 * (rejected: "cause", "reason" and "size" instead, and "exercise" only if
 * true), without the closing brace; @drill says whether it is about one. */
static void head(FILE *out, const struct history_row *row, bool drill)
{
	char when[40], id[RAKSHA_UUID_TEXT_LEN + 1];
	output_time(row->received_ms, when, sizeof(when));
	fprintf(out, "{\"seq\":%" PRId64, row->seq);
	put_string(out, "topic", row->topic, false);
	put_string(out, "received_at", when, false);
	fprintf(out, ",\"received_at_ms\":%" PRId64, row->received_ms);
	if (row->kind == NULL) {
		put_string(out, "cause", row->cause, false);
		put_string(out, "reason", row->reason, false);
		fprintf(out, ",\"size\":%" PRId64, row->size);
		/* Only a refused change in a drill's timeline is known to be one. */
		if (row->exercise)
			fputs(",\"exercise\":true", out);
		return;
	}
	if (row->message_id != NULL) {
		raksha_uuid_format(row->message_id, id);
		put_string(out, "message_id", id, false);
	}
	put_string(out, "kind", row->kind, false);
	/* The envelope of an ack or an update does not say; its case does. */
	fputs(drill ? ",\"exercise\":true" : ",\"exercise\":false", out);
}

/* The envelope of @row as compact JSON in *@text, for free(), and whether
 * it is about a drill in *@drill (display_drill()). Returns 0, or the
 * errors of raksha_envelope_decode() (it no longer passes the checks) and
 * raksha_message_to_json(). */
static int envelope_json(const struct history_row *row, struct raksha_envelope_arena *arena,
			 char **text, bool *drill)
{
	raksha_envelope *env = NULL;
	*drill = row->exercise;
	int r = output_decode(row, arena, &env);
	if (r < 0)
		return r;
	*drill = display_drill(env, row->exercise);
	r = raksha_message_to_json(&env->base, RAKSHA_JSON_COMPACT, text);
	output_decoded_free(env, arena);
	return r;
}

/* The line before the envelope: 223 bytes at most but the topic and the
 * kind (a longer topic or kind takes head()'s way). */
#define ROW_HEAD_MAX 512

/* @s, @n bytes, at *@at, which moves on. */
static void append(char **at, const char *s, size_t n)
{
	memcpy(*at, s, n);
	*at += n;
}

/* A string literal, without its NUL. */
#define APPEND_TEXT(at, literal) append(at, literal, sizeof(literal) - 1)

/* "%" PRId64 of @v at *@at. */
static void append_int(char **at, int64_t v)
{
	char text[24];
	char *p = text + sizeof(text);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;  /* -INT64_MIN does not fit */
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	append(at, p, (size_t)(text + sizeof(text) - p));
}

/* The usual row, a stored message on a plain topic, written as one piece
 * before its envelope, by hand: printf's parsing of a format of eight
 * conversions was a tenth of a row's time (docs/benchmarks.md). The bytes
 * are head()'s. */
static bool message_row(FILE *out, const struct history_row *row, bool drill, const char *envelope)
{
	char line[ROW_HEAD_MAX], when[40], id[RAKSHA_UUID_TEXT_LEN + 1];
	if (row->kind == NULL || row->message_id == NULL || row->topic == NULL)
		return false;
	size_t topic_len = strlen(row->topic), kind_len = strlen(row->kind);
	if (topic_len + kind_len > ROW_HEAD_MAX - 256 || !plain(row->topic) || !plain(row->kind))
		return false;
	output_time(row->received_ms, when, sizeof(when));
	raksha_uuid_format(row->message_id, id);
	char *at = line;
	APPEND_TEXT(&at, "{\"seq\":");
	append_int(&at, row->seq);
	APPEND_TEXT(&at, ",\"topic\":\"");
	append(&at, row->topic, topic_len);
	APPEND_TEXT(&at, "\",\"received_at\":\"");
	append(&at, when, strlen(when));
	APPEND_TEXT(&at, "\",\"received_at_ms\":");
	append_int(&at, row->received_ms);
	APPEND_TEXT(&at, ",\"message_id\":\"");
	append(&at, id, RAKSHA_UUID_TEXT_LEN);
	APPEND_TEXT(&at, "\",\"kind\":\"");
	append(&at, row->kind, kind_len);
	if (drill)
		APPEND_TEXT(&at, "\",\"exercise\":true,\"envelope\":");
	else
		APPEND_TEXT(&at, "\",\"exercise\":false,\"envelope\":");
	fwrite(line, 1, (size_t)(at - line), out);
	fputs(envelope != NULL ? envelope : "null", out);
	fputs("}\n", out);
	return true;
}

int output_json_row(FILE *out, const struct history_row *row, struct raksha_envelope_arena *arena)
{
	char *envelope = NULL;
	bool drill = false;
	int r = 0;
	if (row->kind != NULL)
		r = envelope_json(row, arena, &envelope, &drill);
	if (!message_row(out, row, drill, envelope)) {
		head(out, row, drill);
		/* The envelope's JSON goes in as is, not parsed again. */
		if (envelope != NULL)
			fprintf(out, ",\"envelope\":%s}\n", envelope);
		else if (row->kind != NULL)
			fputs(",\"envelope\":null}\n", out);
		else
			fputs("}\n", out);
	}
	free(envelope);
	if (ferror(out))
		return -EIO;
	if (r < 0 && r != -ENOMEM)
		return 0;  /* an envelope that no longer decodes is shown as null */
	return r;
}
