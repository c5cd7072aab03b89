/* What raksha-replay prints for each selected message: a readable
 * timeline (text), one JSON object a line (json), or the envelopes'
 * bytes, each after its length as a protobuf varint (raw: what
 * writeDelimitedTo writes and parseDelimitedFrom reads). */
#ifndef RAKSHA_REPLAY_OUTPUT_H
#define RAKSHA_REPLAY_OUTPUT_H

#include <stdio.h>

#include <jansson.h>

#include "history/history.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_RAW };

/* Writes @row to @out in @f, its envelope decoded into @arena (NULL: with
 * malloc; the envelope before is gone). Returns 0, or -EIO (a write failed:
 * stdout closed, disk full) or -ENOMEM. */
int output_row(FILE *out, enum format f, const struct history_row *row,
	       struct raksha_envelope_arena *arena);

/* output_row() in FORMAT_JSON (replay/output_json.c). */
int output_json_row(FILE *out, const struct history_row *row, struct raksha_envelope_arena *arena);

/* history_decode(), into @arena unless it is NULL; *@env for
 * output_decoded_free() (replay/output.c). */
int output_decode(const struct history_row *row, struct raksha_envelope_arena *arena,
		  raksha_envelope **env);

/* Frees @env from output_decode() with the same @arena. */
void output_decoded_free(raksha_envelope *env, const struct raksha_envelope_arena *arena);

/* Prints the document @doc (presence, stats) to stdout, indented, its keys
 * in order, and frees it. Returns 0, or -ENOMEM (nothing printed). */
int output_json_doc(json_t *doc);

/* "2026-11-29T10:05:00.123+05:30" for @ms in the local time zone. */
void output_time(int64_t ms, char *buf, size_t size);

/* A span of @ms as "1h05m", "4m05s", "52s"; "-" if negative. Returns @buf,
 * or "-". */
const char *output_span(int64_t ms, char *buf, size_t size);

#endif
