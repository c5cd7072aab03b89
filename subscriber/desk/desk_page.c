#include <stdio.h>
#include <string.h>

#include "common/age_text.h"
#include "common/i18n.h"
#include "desk/desk_lang.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_stats.h"

const struct desk_user *desk_page_user(const struct desk_request *r)
{
	if (r->session == NULL)
		return NULL;
	return desk_users_find(&r->desk->users, r->session->user);
}

void desk_page_start(struct desk_html *h, const struct desk_request *r, const char *title)
{
	desk_html_printf(h, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
			 i18n_current());
	desk_html_printf(h, _("%s - Raksha desk"), title);
	desk_html_printf(h, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n");
	const struct desk_user *u = desk_page_user(r);
	if (u != NULL)  /* live updates (desk_live.h) for an officer logged in */
		desk_html_printf(h, "<script src=\"/live.js\" defer></script>\n");
	desk_html_printf(h, "</head><body>\n<header><a class=\"brand\" href=\"/cases\">%s</a>", _("Raksha desk"));
	if (u != NULL)
		desk_html_printf(h, "<a class=\"units\" href=\"/presence\">%s</a>", _("Units"));
	if (u != NULL && desk_stats_allowed(r))  /* a supervisor's */
		desk_html_printf(h, "<a class=\"units\" id=\"stats-link\" href=\"/stats\">%s</a>", _("Statistics"));
	if (u != NULL)
		desk_html_printf(h, "<span class=\"who\">%s</span>"
				 "<form method=\"post\" action=\"/logout\">"
				 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
				 "<button type=\"submit\">%s</button></form>",
				 u->full_name[0] ? u->full_name : u->name, r->session->csrf, _("Log out"));
	if (u != NULL)
		desk_lang_chooser(h, r);
	desk_html_printf(h, "</header>\n<main>\n");
	if (u != NULL)
		desk_live_banner(r, h);
	if (u != NULL && r->session->notice[0] != '\0') {
		desk_html_printf(h, "<p class=\"notice\" id=\"notice\" role=\"status\">%s</p>\n", r->session->notice);
		r->session->notice[0] = '\0';  /* once */
	}
}

void desk_page_end(struct desk_html *h)
{
	desk_html_printf(h, "</main>\n</body></html>\n");
}

void desk_page_ago(int64_t ms, int64_t now_ms, char *out, size_t size)
{
	age_text_format(ms, now_ms, AGE_TEXT_LONG, out, size);
}

void desk_page_when(int64_t ms, char *out, size_t size)
{
	i18n_date_time(ms, out, size);
}

void desk_page_age(const Raksha__V1__Child *c, char *out, size_t size)
{
	out[0] = '\0';
	if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_YEARS)
		snprintf(out, size, "%u", c->age_years);
	else if (c->age_case == RAKSHA__V1__CHILD__AGE_AGE_RANGE && c->age_range)
		snprintf(out, size, "%u-%u", c->age_range->min_years, c->age_range->max_years);
}

const char *desk_page_gender_word(int gender)
{
	static const char *const names[] = {"", N_("female"), N_("male"), N_("transgender"), N_("other")};
	if (gender <= 0 || gender > 4)
		return "";
	return names[gender];
}

const char *desk_page_gender(int gender)
{
	const char *word = desk_page_gender_word(gender);
	return word[0] ? _(word) : "";
}

const char *desk_page_priority(int priority)
{
	static const char *const names[] = {N_("high"), N_("routine"), N_("elevated"), N_("high"), N_("urgent"),
					    N_("critical")};
	return _(priority >= 0 && priority <= 5 ? names[priority] : names[5]);
}
