/* raksha-replay presence: who is offline now and since when, then who is
 * online, from the agents' presence in the database (history/presence_list.h). */
#include <stdio.h>
#include <sysexits.h>

#include <jansson.h>

#include "common/clock.h"
#include "common/log.h"
#include "common/text.h"
#include "history/presence_list.h"
#include "replay/replay.h"

static size_t offline_count(const struct presence_list *l)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += !l->agents[i].online;
	return n;
}

static void print_text(const struct presence_list *l, int64_t at_ms)
{
	char at[40], since[40], span[24], unit[256], id[256];
	output_time(at_ms, at, sizeof(at));
	printf("Raksha presence at %s (arrival of each agent's status at this agent)\n",
	       at);
	printf("%zu of %zu agent(s) offline\n\n", offline_count(l), l->n);
	if (l->n == 0)
		return;
	printf("%-8s %-40s %-30s %-29s %8s\n", "STATE", "AGENT", "UNIT", "SINCE", "FOR");
	for (size_t i = 0; i < l->n; i++) {
		const struct presence_agent *a = &l->agents[i];
		output_time(a->since_ms, since, sizeof(since));
		text_escape(a->unit, unit, sizeof(unit));  /* names from topics, made safe */
		text_escape(a->id, id, sizeof(id));
		printf("%-8s %-40s %-30s %-29s %8s\n", a->online ? "online" : "OFFLINE", id, unit,
		       since, output_span(at_ms - a->since_ms, span, sizeof(span)));
	}
}

static json_t *agent_json(const struct presence_agent *a)
{
	json_t *j = json_object();
	json_object_set_new(j, "agent", json_string(a->id));
	json_object_set_new(j, "unit", json_string(a->unit));
	json_object_set_new(j, "online", json_boolean(a->online));
	json_object_set_new(j, "since_ms", json_integer(a->since_ms));
	json_object_set_new(j, "last_status_ms", json_integer(a->last_ms));
	json_object_set_new(j, "started_at_ms", json_integer(a->started_at_ms));
	json_object_set_new(j, "changes", json_integer(a->changes));
	return j;
}

static int print_json(const struct presence_list *l, int64_t at_ms)
{
	json_t *o = json_object(), *agents = json_array();
	json_object_set_new(o, "at_ms", json_integer(at_ms));
	json_object_set_new(o, "offline", json_integer((json_int_t)offline_count(l)));
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(agents, agent_json(&l->agents[i]));
	json_object_set_new(o, "agents", agents);
	return output_json_doc(o);
}

int replay_presence(const struct args *a)
{
	sqlite3 *db;
	int r = replay_open_db(a, &db);
	if (r != 0)
		return r;
	struct presence_list l = {0};
	int64_t at_ms = a->filter.until_ms ? a->filter.until_ms : clock_wall_ms();
	if (presence_list_update(db, &a->filter, &l) < 0) {
		log_line(LOG_ERR, "raksha-replay: cannot read %s", a->db);
		r = EX_DATAERR;
		goto out;
	}
	presence_list_sort(&l);
	if (a->format == FORMAT_JSON && print_json(&l, at_ms) < 0)
		r = EX_OSERR;
	else if (a->format != FORMAT_JSON)
		print_text(&l, at_ms);
	if (r == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		log_line(LOG_ERR, "raksha-replay: cannot write the output");
		r = EX_IOERR;
	}
out:
	presence_list_free(&l);
	sqlite3_close(db);
	return r;
}
