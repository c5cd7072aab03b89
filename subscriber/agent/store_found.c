/* Found children as cases (docs/agent.md, "Found children"): a sighting
 * without report_id is a child nobody has reported yet, a case of its own
 * keyed by its sighting_id, kind 'found'; a link says which report it is.
 * And the other names of every case, kept in the case view for the
 * board's search. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agent/store_impl.h"
#include "history/history.h"

bool store_is_found(const raksha_envelope *env)
{
	return raksha_envelope_kind(env) == RAKSHA_KIND_SIGHTING && env->sighting->report_id.len == 0 &&
	       env->sighting->sighting_id.len == RAKSHA_UUID_LEN;
}

const ProtobufCBinaryData *store_case_id(const raksha_envelope *env)
{
	if (store_is_found(env))
		return &env->sighting->sighting_id;
	return raksha_envelope_report_id(env);
}

char *store_other_names(const Raksha__V1__Child *c)
{
	size_t len = 1;
	for (size_t i = 0; c != NULL && i < c->n_other_names; i++)
		len += strlen(c->other_names[i]) + 2;
	char *s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; c != NULL && i < c->n_other_names; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, c->other_names[i]);
	}
	return s;
}

/* raksha_other_names(envelope, received_at_ms): the other names of a stored
 * report or found child, "" for any other message. */
static void other_names_sql(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	raksha_envelope *env = NULL;
	(void)argc;
	const void *bytes = sqlite3_value_blob(argv[0]);
	if (bytes == NULL ||
	    history_decode(bytes, (size_t)sqlite3_value_bytes(argv[0]), NULL, sqlite3_value_int64(argv[1]),
			   &env) < 0) {
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
		return;
	}
	const Raksha__V1__Child *child = NULL;
	if (raksha_envelope_kind(env) == RAKSHA_KIND_REPORT)
		child = env->report->child;
	else if (store_is_found(env))
		child = env->sighting->child;
	char *names = store_other_names(child);
	raksha_envelope_free(env);
	if (names == NULL)
		sqlite3_result_error_nomem(ctx);
	else
		sqlite3_result_text(ctx, names, -1, free);
}

int store_found_function(struct store *s)
{
	int rc = sqlite3_create_function(s->db, "raksha_other_names", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					 NULL, other_names_sql, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_errno(rc);
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	sqlite3_bind_text(st, i, text != NULL ? text : "", -1, SQLITE_STATIC);
}

int store_found_view(struct store *s, const raksha_envelope *env, int64_t now)
{
	const Raksha__V1__Sighting *f = env->sighting;
	const Raksha__V1__Place *at = f->place;
	char *names = store_other_names(f->child);
	if (names == NULL)
		return -ENOMEM;
	sqlite3_stmt *st = s->st[ST_FOUND];
	sqlite3_bind_blob(st, 1, f->sighting_id.data, (int)f->sighting_id.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, env->sent_at_ms);
	sqlite3_bind_int(st, 3, RAKSHA__V1__PRIORITY__PRIORITY_HIGH);
	sqlite3_bind_int(st, 4, f->exercise);
	bind_text(st, 5, f->child ? f->child->name : "");
	sqlite3_bind_text(st, 6, names, -1, SQLITE_STATIC);
	bind_text(st, 7, env->origin->state);
	bind_text(st, 8, env->origin->region);
	bind_text(st, 9, env->origin->agency);
	bind_text(st, 10, env->origin->unit);
	bind_text(st, 11, at ? at->station_code : "");
	bind_text(st, 12, at ? at->train_number : "");
	bind_text(st, 13, at ? at->coach : "");
	sqlite3_bind_int64(st, 14, at ? at->time_ms : 0);
	bind_text(st, 15, at ? at->description : "");
	sqlite3_bind_int(st, 16, f->in_custody);
	sqlite3_bind_int64(st, 17, now);
	int r = store_run(st);
	free(names);
	return r;
}

int store_link_view(struct store *s, const raksha_envelope *env)
{
	const Raksha__V1__CaseLink *l = env->link;
	char by[STORE_SENDER_MAX];
	store_unit_name(env->origin, by);
	sqlite3_stmt *st = s->st[ST_LINK];
	sqlite3_bind_blob(st, 1, l->found_id.data, (int)l->found_id.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, l->report_id.data, (int)l->report_id.len, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, by, -1, SQLITE_TRANSIENT);
	bind_text(st, 4, env->origin->unit);
	sqlite3_bind_int64(st, 5, env->sent_at_ms);
	bind_text(st, 6, l->notes);
	int r = store_run(st);
	if (r < 0)
		return r;
	st = s->st[ST_LINK_MATCH];
	sqlite3_bind_blob(st, 1, l->found_id.data, (int)l->found_id.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, l->report_id.data, (int)l->report_id.len, SQLITE_STATIC);
	return store_run(st);
}
