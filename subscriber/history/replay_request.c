#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "history/replay_request.h"

int replay_request_encode(const struct history_filter *f, char **out)
{
	json_t *o = json_object(), *topics = json_array(), *kinds = json_array();
	for (size_t i = 0; i < f->n_topics; i++)
		json_array_append_new(topics, json_string(f->topics[i]));
	for (int k = RAKSHA_KIND_REPORT; k <= RAKSHA_KIND_LINK; k++)
		if (f->kinds & (1u << k))
			json_array_append_new(kinds, json_string(raksha_kind_name((enum raksha_kind)k)));
	json_object_set_new(o, "topics", topics);
	json_object_set_new(o, "kinds", kinds);
	if (f->since_ms)
		json_object_set_new(o, "since_ms", json_integer(f->since_ms));
	if (f->until_ms)
		json_object_set_new(o, "until_ms", json_integer(f->until_ms));
	if (f->has_report) {
		char id[RAKSHA_UUID_TEXT_LEN + 1];
		raksha_uuid_format(f->report_id, id);
		json_object_set_new(o, "report", json_string(id));
	}
	if (f->rejected)
		json_object_set_new(o, "rejected", json_true());
	if (f->limit)
		json_object_set_new(o, "limit", json_integer(f->limit));
	*out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return *out ? 0 : -ENOMEM;
}

/* Says why the request is refused. Returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int strings(json_t *v, const char *key, struct history_filter *f, char *err, size_t errlen)
{
	size_t i;
	json_t *s;
	if (!json_is_array(v))
		return bad(err, errlen, "%s: not an array of strings", key);
	json_array_foreach(v, i, s) {
		const char *text = json_string_value(s);
		if (text == NULL)
			return bad(err, errlen, "%s: not an array of strings", key);
		if (strcmp(key, "kinds") == 0) {
			if (history_kind_bit(text) == 0)
				return bad(err, errlen, "kinds: '%s' is not a kind", text);
			f->kinds |= history_kind_bit(text);
		} else if (raksha_filter_validate(text) < 0) {
			return bad(err, errlen, "topics: '%s' is not an MQTT topic filter", text);
		} else if (f->n_topics == HISTORY_MAX_TOPICS) {
			return bad(err, errlen, "topics: more than %s", "16");
		} else if ((f->topics[f->n_topics++] = strdup(text)) == NULL) {
			return -ENOMEM;
		}
	}
	return 0;
}

static int number(json_t *v, const char *key, int64_t *dst, char *err, size_t errlen)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return bad(err, errlen, "%s: not a whole number of 0 or more", key);
	*dst = json_integer_value(v);
	return 0;
}

static int member(const char *key, json_t *v, struct history_filter *f, char *err, size_t errlen)
{
	if (strcmp(key, "topics") == 0 || strcmp(key, "kinds") == 0)
		return strings(v, key, f, err, errlen);
	if (strcmp(key, "since_ms") == 0)
		return number(v, key, &f->since_ms, err, errlen);
	if (strcmp(key, "until_ms") == 0)
		return number(v, key, &f->until_ms, err, errlen);
	if (strcmp(key, "limit") == 0)
		return number(v, key, &f->limit, err, errlen);
	if (strcmp(key, "rejected") == 0) {
		if (!json_is_boolean(v))
			return bad(err, errlen, "%s: not true or false", key);
		f->rejected = json_is_true(v);
		return 0;
	}
	if (strcmp(key, "report") == 0) {
		if (!json_is_string(v) || raksha_uuid_parse(json_string_value(v), f->report_id) < 0)
			return bad(err, errlen, "%s: not a UUID", key);
		f->has_report = true;
		return 0;
	}
	return bad(err, errlen, "unknown key '%s'", key);
}

int replay_request_decode(const void *json, size_t len, struct history_filter *f, char *err,
			  size_t errlen)
{
	json_error_t e;
	memset(f, 0, sizeof(*f));
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL || !json_is_object(o)) {
		if (o == NULL)
			snprintf(err, errlen, "not JSON: %s at byte %d", e.text, e.position);
		else
			snprintf(err, errlen, "not a JSON object");
		json_decref(o);
		return -EINVAL;
	}
	const char *key;
	json_t *v;
	int r = 0;
	json_object_foreach(o, key, v) {
		if ((r = member(key, v, f, err, errlen)) < 0)
			break;
	}
	json_decref(o);
	if (r == 0 && f->rejected && (f->kinds || f->has_report))
		r = bad(err, errlen, "%s", "rejected: takes no kinds or report");
	if (r < 0)
		history_filter_free(f);
	return r;
}
