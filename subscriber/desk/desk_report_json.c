/* A report form's values to the JSON raksha-publish's --from reads, and
 * through the validator: the same words for a bad field on the desk as on
 * the command line, each field's beside it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/i18n.h"
#include "common/timeparse.h"
#include "desk/desk_action_fields.h"
#include "desk/desk_report.h"

#define IST_MS (19800 * 1000LL)       /* +05:30, all year */
#define FUTURE_SLACK_MS (10 * 60000LL)  /* a phone's clock a little ahead */
#define CHECK_ROUNDS 32

void desk_rf_ist(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)((ms + IST_MS) / 1000);
	struct tm tm;
	out[0] = '\0';
	if (ms > 0 && gmtime_r(&t, &tm) != NULL)
		strftime(out, size, "%Y-%m-%dT%H:%M", &tm);
}

int desk_rf_ist_parse(const char *s, int64_t *ms)
{
	char iso[40];
	int y, mo, d, h, mi, n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || (s[n] != '\0' && s[n] != ':'))
		return -EINVAL;
	snprintf(iso, sizeof(iso), "%.25s+05:30", s);
	return timeparse_ms(iso, ms);
}

/* The name of a path's segment and its index ("companions[1]": 1; -1
 * for none) into @name. */
static long segment(const char *seg, char *name, size_t size)
{
	snprintf(name, size, "%s", seg);
	char *open = strchr(name, '[');
	if (open == NULL)
		return -1;
	*open = '\0';
	return strtol(open + 1, NULL, 10);
}

/* The object at the parent of @path in @doc, made as needed when @make;
 * @leaf gets the last name. NULL if not there. */
static json_t *parent_of(json_t *doc, const char *path, bool make, char *leaf, size_t size)
{
	char buf[128], name[64];
	snprintf(buf, sizeof(buf), "%s", path);
	json_t *obj = doc;
	char *save, *seg = strtok_r(buf, ".", &save), *next;
	for (; obj != NULL && (next = strtok_r(NULL, ".", &save)) != NULL; seg = next) {
		long idx = segment(seg, name, sizeof(name));
		json_t *child = json_object_get(obj, name);
		if (child == NULL && make) {
			child = idx < 0 ? json_object() : json_array();
			json_object_set_new(obj, name, child);
		}
		while (idx >= 0 && make && json_is_array(child) && json_array_size(child) <= (size_t)idx)
			json_array_append_new(child, json_object());
		obj = idx < 0 ? child : json_array_get(child, (size_t)idx);
	}
	snprintf(leaf, size, "%s", seg);
	return json_is_object(obj) ? obj : NULL;
}

static json_t *lookup(json_t *doc, const char *path)
{
	char leaf[64];
	json_t *parent = parent_of(doc, path, false, leaf, sizeof(leaf));
	return parent ? json_object_get(parent, leaf) : NULL;
}

int desk_rf_field_of(const struct desk_rf_kind *k, const char *prefix, const char *path)
{
	size_t pl = prefix ? strlen(prefix) : 0;
	if (pl > 0 && strncmp(path, prefix, pl) == 0 && path[pl] == '.')
		path += pl + 1;
	size_t len = strcspn(path, ": ");
	int best = -1;
	for (int i = 0; k->fields[i].label != NULL; i++) {
		const char *fp = k->fields[i].path;
		size_t n = fp ? strlen(fp) : 0;
		if (n == 0)
			continue;
		bool within = n <= len && strncmp(path, fp, n) == 0 && strchr(":.[ ", path[n]) != NULL;
		bool parent = n > len && strncmp(path, fp, len) == 0 && strchr(".[", fp[len]) != NULL;
		if ((within && (best < 0 || n > strlen(k->fields[best].path))) || (parent && best < 0))
			best = i;
	}
	return best;
}

/* One value's JSON, NULL for none (empty). A number or time that is
 * none stays text, so that the validator names it in its own words. */
static json_t *value_json(const struct desk_rf_field *fl, const char *v)
{
	char *end;
	if (v == NULL || v[0] == '\0')
		return NULL;
	switch (fl->in) {
	case RF_NUM: {
		unsigned long long n = strtoull(v, &end, 10);
		return (*end == '\0' && v[0] >= '0' && v[0] <= '9' && n <= 0xffffffffULL)
			       ? json_integer((json_int_t)n) : json_string(v);
	}
	case RF_DEC: {
		double d = strtod(v, &end);
		return *end == '\0' ? json_real(d) : json_string(v);
	}
	case RF_CHECK:
		return strcmp(v, "yes") == 0 ? json_true() : NULL;
	default:
		return json_string(v);
	}
}

static json_t *list_json(const char *v)
{
	json_t *list = json_array();
	char *copy = strdup(v);
	char *save;
	if (copy == NULL) {
		json_decref(list);
		return NULL;
	}
	for (char *line = strtok_r(copy, "\r\n", &save); line != NULL && list; line = strtok_r(NULL, "\r\n", &save))
		if (line[strspn(line, " \t")] != '\0')
			json_array_append_new(list, json_string(line));
	free(copy);
	if (json_array_size(list) > 0)
		return list;
	json_decref(list);
	return NULL;
}

static const enum desk_field desk_rule_of[] = {
	[RF_STATION] = FIELD_STATION, [RF_TRAIN] = FIELD_TRAIN, [RF_COACH] = FIELD_COACH,
};

/* The desk's own rules (the action forms' too) and the times: 0 if @v is
 * good for field @i, else its error. */
static int desk_rule(struct desk_rf *f, int i, int64_t now_ms, json_t **out)
{
	const struct desk_rf_field *fl = &f->k->fields[i];
	const char *v = f->values[i];
	char err[320], when[64];
	int64_t ms;
	if (v == NULL || v[0] == '\0')
		return 0;
	if ((fl->in == RF_STATION || fl->in == RF_TRAIN || fl->in == RF_COACH) &&
	    desk_action_field_check(desk_rule_of[fl->in], v, err, sizeof(err)) < 0) {
		desk_rf_error(f, i, err);
		return -1;
	}
	if (fl->in != RF_TIME)
		return 0;
	if (desk_rf_ist_parse(v, &ms) < 0) {
		snprintf(err, sizeof(err), _("%s: '%s' is not a date and time"), fl->path, v);
		desk_rf_error(f, i, err);
		return -1;
	}
	if (ms > now_ms + FUTURE_SLACK_MS) {
		i18n_date_time(now_ms, when, sizeof(when));
		snprintf(err, sizeof(err), _("%s: must not be in the future (it is %s now)"), fl->path, when);
		desk_rf_error(f, i, err);
		return -1;
	}
	*out = json_integer(ms);
	return 0;
}

int desk_rf_to_json(struct desk_rf *f, int64_t now_ms, void **out)
{
	json_t *doc = json_object();
	char leaf[64];
	int bad = 0;
	if (doc == NULL)
		return -ENOMEM;
	if (f->k->kind == RAKSHA_KIND_REPORT)
		json_object_set_new(doc, "child", json_object());  /* its name is required */
	for (int i = 0; f->k->fields[i].label != NULL; i++) {
		const struct desk_rf_field *fl = &f->k->fields[i];
		json_t *j = NULL;
		if (fl->in == RF_LEGEND || strcmp(fl->path, "photo_caption") == 0)
			continue;
		if (desk_rule(f, i, now_ms, &j) < 0) {
			bad++;
			continue;
		}
		if (j == NULL)
			j = fl->in == RF_LIST && f->values[i] ? list_json(f->values[i]) : value_json(fl, f->values[i]);
		if (j == NULL && f->values[i] != NULL && f->values[i][0] != '\0' && fl->in != RF_CHECK) {
			desk_rf_error(f, i, _("not valid UTF-8 text"));
			bad++;
			continue;
		}
		if (j != NULL)
			json_object_set_new(parent_of(doc, fl->path, true, leaf, sizeof(leaf)), leaf, j);
	}
	*out = doc;
	return bad;
}

/* Field @i out of @doc, or (a required field left empty) a stand-in, so
 * that the validator's next round finds the next error. */
static void take_out(json_t *doc, const struct desk_rf_field *fl)
{
	char leaf[64];
	json_t *parent = parent_of(doc, fl->path, true, leaf, sizeof(leaf));
	if (json_object_get(parent, leaf) != NULL)
		json_object_del(parent, leaf);
	else if (fl->in == RF_ENUM)
		json_object_set_new(parent, leaf, json_string(fl->choices[0].value));
	else
		json_object_set_new(parent, leaf, json_string("-"));
}

/* One round: the doc parsed as the schema says, then checked. */
static int round_of(struct desk_rf *f, json_t *doc, desk_rf_check_fn check, void *ctx, ProtobufCMessage **msg,
		    struct raksha_problem *pr, const char **prefix)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	if (text == NULL)
		return -ENOMEM;
	*prefix = NULL;
	int r = raksha_message_from_json(f->k->desc, text, strlen(text), msg, pr);
	free(text);
	if (r < 0)
		return r;
	*prefix = raksha_kind_name(f->k->kind);
	return check(ctx, *msg, pr);
}

int desk_rf_validate(struct desk_rf *f, void *doc_v, desk_rf_check_fn check, void *ctx, ProtobufCMessage **body)
{
	json_t *doc = doc_v;
	int bad = 0;
	*body = NULL;
	for (int i = 0; i < DESK_RF_FIELDS; i++)
		bad += f->errors[i] != NULL;
	for (int round = 0; round < CHECK_ROUNDS; round++) {
		ProtobufCMessage *msg = NULL;
		struct raksha_problem pr = {0};
		const char *prefix = NULL;
		int r = round_of(f, doc, check, ctx, &msg, &pr, &prefix);
		if (r == 0 && bad == 0) {
			*body = msg;
			return 0;
		}
		if (msg != NULL)
			protobuf_c_message_free_unpacked(msg, NULL);
		if (r == 0)
			return bad;
		int i = desk_rf_field_of(f->k, prefix, pr.text);
		if (i < 0 || f->errors[i] != NULL) {
			snprintf(f->top, sizeof(f->top), "%s", pr.text[0] ? pr.text : strerror(-r));
			return bad + 1;
		}
		desk_rf_error(f, i, pr.text);
		bad++;
		take_out(doc, &f->k->fields[i]);
	}
	return bad;
}

static void fill_one(struct desk_rf *f, int i, json_t *j)
{
	char buf[64];
	if (json_is_string(j)) {
		desk_rf_set(f, i, json_string_value(j));
	} else if (json_is_integer(j) && f->k->fields[i].in == RF_TIME) {
		desk_rf_ist((int64_t)json_integer_value(j), buf, sizeof(buf));
		desk_rf_set(f, i, buf);
	} else if (json_is_integer(j)) {
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
		desk_rf_set(f, i, buf);
	} else if (json_is_real(j)) {
		snprintf(buf, sizeof(buf), "%.15g", json_real_value(j));
		desk_rf_set(f, i, buf);
	} else if (json_is_true(j)) {
		desk_rf_set(f, i, "yes");
	}
}

static void fill_list(struct desk_rf *f, int i, json_t *list)
{
	size_t n = 0, k;
	json_t *e;
	json_array_foreach(list, k, e) {
		n += strlen(json_string_value(e) ? json_string_value(e) : "") + 1;
	}
	char *joined = calloc(1, n + 1);
	if (joined == NULL)
		return;
	json_array_foreach(list, k, e) {
		strcat(joined, json_string_value(e) ? json_string_value(e) : "");
		strcat(joined, "\n");
	}
	desk_rf_set(f, i, joined);
	free(joined);
}

void desk_rf_fill(struct desk_rf *f, const char *text)
{
	json_t *doc = json_loads(text, 0, NULL);
	for (int i = 0; doc != NULL && f->k->fields[i].label != NULL; i++) {
		const struct desk_rf_field *fl = &f->k->fields[i];
		json_t *j = fl->in == RF_LEGEND ? NULL : lookup(doc, fl->path);
		if (fl->in == RF_LIST && json_is_array(j))
			fill_list(f, i, j);
		else if (j != NULL)
			fill_one(f, i, j);
	}
	json_decref(doc);
}

void desk_rf_set(struct desk_rf *f, int i, const char *value)
{
	free(f->values[i]);
	f->values[i] = value ? strdup(value) : NULL;
}

void desk_rf_error(struct desk_rf *f, int i, const char *text)
{
	free(f->errors[i]);
	f->errors[i] = strdup(text);
}

void desk_rf_free(struct desk_rf *f)
{
	for (int i = 0; i < DESK_RF_FIELDS; i++) {
		free(f->values[i]);
		free(f->errors[i]);
	}
}
