/* raksha-replay stats: the statistics as a table and as JSON. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/text.h"
#include "replay/output.h"
#include "replay/stats.h"

static bool active(const struct case_stats *k)
{
	return k->reports > 0 || k->acks_given > 0;
}

static void unit_row(const char *name, struct case_stats *k)
{
	char b[4][24];
	printf("%-30s %7lld %5lld %7s %7s %7lld %6lld %7s %7s %4lld %4lld %4lld\n", name,
	       (long long)k->reports, (long long)k->open,
	       output_span(stats_samples_percentile(&k->first_ack, 50), b[0], 24),
	       output_span(stats_samples_percentile(&k->first_ack, 90), b[1], 24), (long long)k->unacked,
	       (long long)k->acks_given, output_span(stats_samples_percentile(&k->gave_ack, 50), b[2], 24),
	       output_span(stats_samples_percentile(&k->gave_ack, 90), b[3], 24), (long long)k->escalated[0],
	       (long long)k->escalated[1], (long long)k->escalated[2]);
}

/* The table of real cases (@drill false) or of drills, under @title, of
 * the units with something in it. */
static void unit_table(struct stats *s, bool drill, const char *title)
{
	if (title != NULL)
		printf("\n%s\n", title);
	printf("%-30s %7s %5s %7s %7s %7s %6s %7s %7s %4s %4s %4s\n", "UNIT", "REPORTS", "OPEN",
	       "ACK p50", "ACK p90", "UNACKED", "ACKS", "GAVE50", "GAVE90", "E1", "E2", "E3+");
	for (size_t i = 0; i < s->n_units; i++) {
		struct case_stats *k = drill ? &s->units[i].drill : &s->units[i].real;
		if (active(k))
			unit_row(s->units[i].name, k);
	}
}

/* Each unit's agents together (the desk's "Units online"). */
static void units_online_text(const struct stats *s)
{
	if (s->n_units_online == 0)
		return;
	printf("\n%-30s %7s\n", "UNIT (ITS AGENTS TOGETHER)", "ONLINE");
	for (size_t i = 0; i < s->n_units_online; i++) {
		const struct unit_online *u = &s->units_online[i];
		char unit[256];
		text_escape(u->unit, unit, sizeof(unit));
		printf("%-30s %6.1f%%\n", unit, 100.0 * (double)u->online_ms / (double)u->known_ms);
	}
}

static json_t *units_online_json(const struct stats *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n_units_online; i++) {
		const struct unit_online *u = &s->units_online[i];
		json_t *j = json_object();
		json_object_set_new(j, "unit", json_string(u->unit));
		json_object_set_new(j, "online_share", json_real((double)u->online_ms / (double)u->known_ms));
		json_array_append_new(a, j);
	}
	return a;
}

void stats_print_text(struct stats *s)
{
	char from[40], to[40];
	output_time(s->to_ms, to, sizeof(to));
	if (s->from_ms > 0)
		output_time(s->from_ms, from, sizeof(from));
	printf("Raksha audit, %s to %s (arrival at this agent)\n\n", s->from_ms ? from : "the beginning", to);
	stats_sort_units(s);
	unit_table(s, false, NULL);
	bool drills = false;
	for (size_t i = 0; i < s->n_units; i++)
		drills |= active(&s->units[i].drill);
	if (drills)
		unit_table(s, true, "DRILLS (exercise), counted apart from the cases above:");
	printf("\n%-40s %-30s %7s\n", "AGENT", "UNIT", "ONLINE");
	for (size_t i = 0; i < s->n_agents; i++) {
		struct agent_stats *a = &s->agents[i];
		char unit[256];
		text_escape(a->unit, unit, sizeof(unit));  /* the unit's name, as it sent it */
		if (a->known_ms > 0)
			printf("%-40s %-30s %6.1f%%\n", a->id, unit,
			       100.0 * (double)a->online_ms / (double)a->known_ms);
	}
	units_online_text(s);
	stats_days_text(s);
	stats_rejected_text(s);
}

static json_t *percentiles(struct samples *s)
{
	json_t *o = json_object();
	int64_t p50 = stats_samples_percentile(s, 50), p90 = stats_samples_percentile(s, 90);
	json_object_set_new(o, "median_ms", p50 < 0 ? json_null() : json_integer(p50));
	json_object_set_new(o, "p90_ms", p90 < 0 ? json_null() : json_integer(p90));
	json_object_set_new(o, "count", json_integer((json_int_t)s->n));
	return o;
}

/* @k's figures, into @o. */
static void case_json(json_t *o, struct case_stats *k)
{
	json_t *esc = json_object();
	json_object_set_new(o, "reports", json_integer(k->reports));
	json_object_set_new(o, "open", json_integer(k->open));
	json_object_set_new(o, "unacknowledged", json_integer(k->unacked));
	json_object_set_new(o, "first_ack", percentiles(&k->first_ack));
	json_object_set_new(o, "acks_given", json_integer(k->acks_given));
	json_object_set_new(o, "ack_given", percentiles(&k->gave_ack));
	json_object_set_new(esc, "1", json_integer(k->escalated[0]));
	json_object_set_new(esc, "2", json_integer(k->escalated[1]));
	json_object_set_new(esc, "3+", json_integer(k->escalated[2]));
	json_object_set_new(o, "escalated", esc);
}

/* The real cases' figures, and the drills' apart under "drills". */
static json_t *unit_json(struct unit_stats *u)
{
	json_t *o = json_object(), *drills = json_object();
	json_object_set_new(o, "unit", json_string(u->name));
	case_json(o, &u->real);
	case_json(drills, &u->drill);
	json_object_set_new(o, "drills", drills);
	return o;
}

int stats_print_json(struct stats *s)
{
	json_t *o = json_object(), *units = json_array(), *agents = json_array();
	json_object_set_new(o, "from_ms", json_integer(s->from_ms));
	json_object_set_new(o, "to_ms", json_integer(s->to_ms));
	stats_sort_units(s);
	for (size_t i = 0; i < s->n_units; i++)
		json_array_append_new(units, unit_json(&s->units[i]));
	for (size_t i = 0; i < s->n_agents; i++) {
		struct agent_stats *a = &s->agents[i];
		json_t *j = json_object();
		json_object_set_new(j, "agent", json_string(a->id));
		json_object_set_new(j, "unit", json_string(a->unit));
		json_object_set_new(j, "online_share", a->known_ms > 0
			? json_real((double)a->online_ms / (double)a->known_ms) : json_null());
		json_array_append_new(agents, j);
	}
	json_object_set_new(o, "units", units);
	json_object_set_new(o, "agents", agents);
	json_object_set_new(o, "units_online", units_online_json(s));
	json_object_set_new(o, "days", stats_days_json(s));
	json_object_set_new(o, "rejected", stats_rejected_json(s));
	return output_json_doc(o);
}
