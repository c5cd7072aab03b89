/* The period of the statistics (desk_stats.h): two IST dates of the
 * query, both days whole, the last one ending now if it is today. */
#define _DEFAULT_SOURCE /* timegm */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_page.h"
#include "desk/desk_stats.h"
#include "desk/desk_users.h"
#include "history/stats.h"

static void arg(const struct desk_request *r, const char *key, char *out, size_t size)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	snprintf(out, size, "%s", v != NULL && strlen(v) < size ? v : "");
}

/* 00:00 IST of @s, "YYYY-MM-DD" (a day that is, from 2000 on), into @ms. */
static bool parse_date(const char *s, int64_t *ms)
{
	static const char shape[] = "0000-00-00";
	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i] != '\0'; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	int y, m, d;
	if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 2000)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	time_t t = timegm(&tm);
	if (t == -1 || tm.tm_mday != d || tm.tm_mon != m - 1)  /* 2026-02-31 is no day */
		return false;
	*ms = (int64_t)t * 1000 - STATS_IST_MS;
	return true;
}

static int64_t today_ms(int64_t now_ms)
{
	return (now_ms + STATS_IST_MS) / STATS_DAY_MS * STATS_DAY_MS - STATS_IST_MS;
}

static void set(struct desk_stats_period *p, int64_t from_ms, int64_t last_day_ms, int64_t now_ms)
{
	int64_t end = last_day_ms + STATS_DAY_MS;
	p->from_ms = from_ms;
	p->to_ms = end < now_ms ? end : now_ms;
	stats_day_date(from_ms, p->from, sizeof(p->from));
	stats_day_date(last_day_ms, p->to, sizeof(p->to));
}

/* What is wrong with the period @from to @last (both 00:00 IST), or NULL. */
static const char *wrong(int64_t from, int64_t last, int64_t today)
{
	if (from > today)
		return N_("The first day is after today.");
	if (from > last)
		return N_("The first day is after the last day.");
	if ((last - from) / STATS_DAY_MS >= DESK_STATS_DAYS_MAX)
		return N_("A period is at most 366 days.");
	return NULL;
}

void desk_stats_period(const struct desk_request *r, int64_t now_ms, struct desk_stats_period *p)
{
	char from[32], to[32];
	int64_t today = today_ms(now_ms);
	int64_t dflt_from = today - (DESK_STATS_DAYS_DEFAULT - 1) * (int64_t)STATS_DAY_MS;
	int64_t from_ms = dflt_from, last_ms = today;
	*p = (struct desk_stats_period){0};
	arg(r, "from", from, sizeof(from));
	arg(r, "to", to, sizeof(to));
	if (from[0] != '\0' && !parse_date(from, &from_ms))
		p->from_error = N_("Write a date as YYYY-MM-DD, for example 2026-12-07.");
	if (to[0] != '\0' && !parse_date(to, &last_ms))
		p->to_error = N_("Write a date as YYYY-MM-DD, for example 2026-12-07.");
	const char *why = wrong(from_ms, last_ms, today);
	if (p->from_error != NULL || p->to_error != NULL || why != NULL) {
		from_ms = dflt_from;
		last_ms = today;
	}
	if (p->from_error == NULL && p->to_error == NULL)
		p->from_error = why;
	set(p, from_ms, last_ms, now_ms);
}

bool desk_stats_allowed(const struct desk_request *r)
{
	const struct desk_user *u = desk_page_user(r);
	return u != NULL && strcmp(u->role, "supervisor") == 0;
}

enum MHD_Result desk_stats_refuse(struct desk_request *r)
{
	log_line(LOG_WARNING, "raksha-desk: GET %s by %s from %s refused: not a supervisor", r->url,
		 r->session->user, r->addr);
	return desk_refuse(r, 403, _("The statistics are for supervisors only. Ask your supervisor if "
				     "you need them."));
}
