/* GET /stats.csv: the period's cases (those the statistics count: the
 * reports whose first version arrived in it, history/stats.h), one row a
 * case, for the state's own reports. RFC 4180 (CRLF, fields quoted when
 * they hold a comma, quote or line break, quotes doubled), UTF-8 with a
 * byte order mark so that a spreadsheet reads Devanagari as it is, and a
 * cell that a spreadsheet would take as a formula (= + - @ tab CR first)
 * written after a ' (OWASP's advice on CSV injection): a child's name
 * "=HYPERLINK(...)" stays text. Columns named as in docs/schema.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_stats.h"
#include "desk/desk_csv.h"
#include "history/history.h"
#include "history/stats.h"

static const char HEADER[] =
	"report_id,revision,exercise,status,priority,state,region,agency,unit,child.name,child.other_names,"
	"child.age,child.gender,child.height_cm,child.clothing,last_seen.time,last_seen.station_code,"
	"last_seen.train_number,last_seen.coach,last_seen.district,case_ref.fir_number,escalation_level,"
	"opened,first_ack,closed\r\n";

/* The latest revision of the case, as stored. */
static const char REPORT_SQL[] = "SELECT envelope, topic, received_at_ms FROM messages WHERE seq = ?1";

/* The columns of HEADER. */
enum { COLUMNS = 25, TEXT_MAX = 128 };

struct export {
	struct desk_csv csv;
	sqlite3_stmt *report;
	size_t rows;
};

/* "2026-12-07T13:45:12+05:30": an IST time a spreadsheet reads; "" for 0. */
static void iso_time(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000 + STATS_IST_MS / 1000);
	struct tm tm;
	out[0] = '\0';
	if (ms > 0 && gmtime_r(&t, &tm) != NULL)
		strftime(out, size, "%Y-%m-%dT%H:%M:%S+05:30", &tm);
}

/* The case's latest revision, decoded, or NULL. */
static raksha_envelope *latest(struct export *e, int64_t seq)
{
	raksha_envelope *env = NULL;
	sqlite3_stmt *q = e->report;
	sqlite3_bind_int64(q, 1, seq);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    history_decode(sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0),
			   (const char *)sqlite3_column_text(q, 1), sqlite3_column_int64(q, 2), &env) < 0)
		env = NULL;
	sqlite3_reset(q);
	if (env != NULL && env->report == NULL) {
		raksha_envelope_free(env);
		env = NULL;
	}
	return env;
}

/* The child's other names, "; " between them. */
static void joined(char *const *names, size_t n, char *out, size_t size)
{
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && at < size; i++)
		at += (size_t)snprintf(out + at, size - at, "%s%s", i ? "; " : "", names[i]);
}

/* The report's own columns (5, 8-20) into @v, with @text for numbers. */
static void report_columns(const raksha_envelope *env, const char **v, char (*text)[TEXT_MAX],
			   char *others, size_t others_size)
{
	const Raksha__V1__Report *rep = env->report;
	const Raksha__V1__Child *c = rep->child;
	const Raksha__V1__Place *p = rep->last_seen;
	snprintf(text[1], TEXT_MAX, "%u", rep->revision);
	v[1] = text[1];
	v[4] = desk_page_priority(rep->priority);
	v[8] = env->origin != NULL ? env->origin->unit : "";
	if (c != NULL) {
		v[9] = c->name;
		joined(c->other_names, c->n_other_names, others, others_size);
		v[10] = others;
		desk_page_age(c, text[11], TEXT_MAX);
		v[11] = text[11];
		v[12] = desk_page_gender(c->gender);
		if (c->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM)
			snprintf(text[13], TEXT_MAX, "%u", c->height_cm);
		v[13] = text[13];
		v[14] = c->clothing;
	}
	if (p != NULL) {
		iso_time(p->time_ms, text[15], TEXT_MAX);
		v[15] = text[15];
		v[16] = p->station_code;
		v[17] = p->train_number;
		v[18] = p->coach;
		v[19] = p->district;
	}
	v[20] = rep->case_ref != NULL ? rep->case_ref->fir_number : "";
}

/* The case's columns from the statistics' view of it (0, 2-3, 5-7, 21-24). */
static void case_columns(const struct stats_case *c, const char **v, char (*text)[TEXT_MAX])
{
	char *unit = text[5], *slash;
	uint8_t none[RAKSHA_UUID_LEN] = {0};
	raksha_uuid_format(c->report_id != NULL ? c->report_id : none, text[0]);
	v[0] = text[0];
	v[2] = c->drill ? "true" : "false";
	v[3] = c->status;
	snprintf(unit, TEXT_MAX, "%s", c->unit);  /* state/region/agency */
	v[5] = unit;
	for (int i = 6; i <= 7 && (slash = strchr(unit, '/')) != NULL; i++) {
		*slash = '\0';
		unit = slash + 1;
		v[i] = unit;
	}
	snprintf(text[21], TEXT_MAX, "%d", c->level);
	v[21] = text[21];
	iso_time(c->opened_ms, text[22], TEXT_MAX);
	iso_time(c->first_ack_ms, text[23], TEXT_MAX);
	iso_time(c->ended_ms, text[24], TEXT_MAX);
	for (int i = 22; i <= 24; i++)
		v[i] = text[i];
}

static int one_case(void *ctx, const struct stats_case *c)
{
	struct export *e = ctx;
	const char *v[COLUMNS] = {0};
	char text[COLUMNS][TEXT_MAX] = {{0}}, others[1024];
	raksha_envelope *env = latest(e, c->report_seq);
	case_columns(c, v, text);
	if (env != NULL)
		report_columns(env, v, text, others, sizeof(others));
	for (int i = 0; i < COLUMNS; i++)
		desk_csv_cell(&e->csv, v[i], i == COLUMNS - 1);
	raksha_envelope_free(env);
	e->rows++;
	return 0;
}

static enum MHD_Result reply(struct desk_request *r, const struct desk_stats_period *p, struct export *e)
{
	char disposition[128];
	struct MHD_Response *resp = MHD_create_response_from_buffer(e->csv.len, e->csv.buf, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"raksha-cases-%s-to-%s.csv\"", p->from,
		 p->to);
	desk_headers(resp, "text/csv; charset=utf-8; header=present", NULL);
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	enum MHD_Result ok = MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
	return ok;
}

enum MHD_Result desk_page_stats_csv(struct desk_request *r, sqlite3 *db)
{
	if (!desk_stats_allowed(r))
		return desk_stats_refuse(r);
	struct desk_stats_period p;
	struct history_filter all = {0};
	struct export e = {0};
	desk_stats_period(r, r->now_ms, &p);
	if (sqlite3_prepare_v2(db, REPORT_SQL, -1, &e.report, NULL) != SQLITE_OK)
		return desk_refuse(r, 503, _("The agent's database cannot be read now."));
	desk_csv_put(&e.csv, "\xef\xbb\xbf", 3);  /* UTF-8's byte order mark: for spreadsheets */
	desk_csv_put(&e.csv, HEADER, strlen(HEADER));
	int rc = stats_cases_each(db, &all, p.from_ms, p.to_ms, one_case, &e);
	sqlite3_finalize(e.report);
	enum MHD_Result ok;
	if (rc < 0 || e.csv.failed)
		ok = desk_refuse(r, 503, _("The agent's database cannot be read now."));
	else
		ok = reply(r, &p, &e);
	if (rc >= 0 && !e.csv.failed)
		log_line(LOG_INFO, "raksha-desk: %s exported %zu case(s) of %s to %s as CSV from %s",
			 r->session->user, e.rows, p.from, p.to, r->addr);
	free(e.csv.buf);
	return ok;
}
