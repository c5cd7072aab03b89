#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/text.h"
#include "history/display.h"

/* Appends to @buf at *@n, never past @size. */
__attribute__((format(printf, 4, 5)))
static void put(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	if (*n >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	*n += w > 0 ? (size_t)w : 0;
}

static void clock_text(int64_t ms, char out[16])
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0 || localtime_r(&t, &tm) == NULL)
		snprintf(out, 16, "?");
	else
		strftime(out, 16, "%H:%M", &tm);
}

static void place(const Raksha__V1__Place *p, char *buf, size_t size, size_t *n)
{
	char at[16];
	if (p == NULL)
		return;
	clock_text(p->time_ms, at);
	put(buf, size, n, "%s%s%s%s%s%s%s", *p->station_code ? " " : "", p->station_code,
	    *p->train_number ? " " : "", p->train_number, *p->coach ? " coach " : "", p->coach,
	    p->time_ms ? " " : "");
	if (p->time_ms)
		put(buf, size, n, "%s", at);
}

static void case_id(ProtobufCBinaryData id, char *buf, size_t size, size_t *n)
{
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	if (id.len != RAKSHA_UUID_LEN)
		return;
	raksha_uuid_format(id.data, text);
	put(buf, size, n, "  id %s", text);
}

static void child(const Raksha__V1__Child *c, char *buf, size_t size, size_t *n)
{
	static const char *const g[] = {"", "F", "M", "TG", "O"};
	put(buf, size, n, "%s", *c->name ? c->name : "(name unknown)");
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
		put(buf, size, n, ", %u", c->age_years);
	else if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range)
		put(buf, size, n, ", %u-%u", c->age_range->min_years, c->age_range->max_years);
	if (c->gender > 0 && c->gender < 5)
		put(buf, size, n, ", %s", g[c->gender]);
}

/* "seen: Seema, 9, F; not in custody; at ET 12627 coach S4 10:40 "platform 2"  id ..." */
static void sighting(const Raksha__V1__Sighting *s, char *buf, size_t size, size_t *n)
{
	put(buf, size, n, "%s", s->report_id.len ? "seen" : "found child, no report");
	if (s->child != NULL) {
		put(buf, size, n, ": ");
		child(s->child, buf, size, n);
	}
	put(buf, size, n, "; %s", s->in_custody ? "in custody" : "not in custody");
	if (s->place != NULL) {
		put(buf, size, n, "; at");
		place(s->place, buf, size, n);
		if (*s->place->description)
			put(buf, size, n, " \"%s\"", s->place->description);
	}
	case_id(s->report_id, buf, size, n);
}

/* The line of @env as it reads, before it is made safe to show. */
static void compose(const raksha_envelope *env, bool drill, char *buf, size_t size)
{
	static const char *const updates[] = {"?", "found", "rescued", "reunited", "closed",
					      "cancelled", "reopened"};
	static const char *const acks[] = {"received", "received", "acting", "done"};
	const Raksha__V1__Origin *o = env->origin;
	size_t n = 0;
	buf[0] = '\0';
	enum raksha_kind kind = raksha_envelope_kind(env);
	char upper[16];
	snprintf(upper, sizeof(upper), "%s", raksha_kind_name(kind));
	for (char *c = upper; *c; c++)
		*c = (char)(*c - 'a' + 'A');
	/* First, so that nobody reads a drill as a real case, or the reverse. */
	put(buf, size, &n, "%s%s %s/%s/%s  ", drill ? "DRILL " : "", upper, o->state, o->region, o->agency);
	switch (kind) {
	case RAKSHA_KIND_REPORT:
		child(env->report->child, buf, size, &n);
		put(buf, size, &n, "%s", env->report->last_seen ? ", last seen" : "");
		place(env->report->last_seen, buf, size, &n);
		if (env->report->revision > 1)
			put(buf, size, &n, "  (revision %u)", env->report->revision);
		case_id(env->report->report_id, buf, size, &n);
		break;
	case RAKSHA_KIND_SIGHTING:
		sighting(env->sighting, buf, size, &n);
		break;
	case RAKSHA_KIND_UPDATE:
		put(buf, size, &n, "%s", updates[(unsigned)env->update->status <= 6 ? env->update->status : 0]);
		case_id(env->update->report_id, buf, size, &n);
		break;
	case RAKSHA_KIND_ACK:
		put(buf, size, &n, "%s%s%s%s", acks[(unsigned)env->ack->state <= 3 ? env->ack->state : 0],
		    *o->unit ? " (" : "", o->unit, *o->unit ? ")" : "");
		case_id(env->ack->report_id, buf, size, &n);
		break;
	case RAKSHA_KIND_ESCALATION:
		put(buf, size, &n, "level %u: %s", env->escalation->level, env->escalation->reason);
		case_id(env->escalation->report_id, buf, size, &n);
		break;
	default:
		put(buf, size, &n, "%s %s", env->agent->agent_id, env->agent->online ? "online" : "offline");
		break;
	}
}

bool display_drill(const raksha_envelope *env, bool case_drill)
{
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT:
		return env->report->exercise;
	case RAKSHA_KIND_SIGHTING:
		return env->sighting->exercise || case_drill;
	case RAKSHA_KIND_ESCALATION:
		return env->escalation->exercise || case_drill;
	case RAKSHA_KIND_AGENT:
		return false;
	default:
		return case_drill;
	}
}

void display_line(const raksha_envelope *env, bool case_drill, char *buf, size_t size)
{
	char raw[2048];
	compose(env, display_drill(env, case_drill), raw, sizeof(raw));
	/* A name or a place with a line break or a bidi override would forge
	 * a line of its own, or reorder this one, wherever it is shown. */
	text_escape(raw, buf, size);
}
