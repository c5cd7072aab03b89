/* GET /case/ID/poster: a printable A4 poster of the case, in the reporting
 * state's language and English side by side (desk_poster_words.h): for a
 * report "missing child", for a found child (a sighting without report) the
 * lighter "do you know this child?". The photo large (the case's first,
 * from /case/ID/photo/0), the name in both scripts (desk_poster_name.h),
 * age, height, clothing, where and when last seen or found, and the
 * number to call (desk_poster_phone.h). desk_style_poster.c lays it on one
 * A4 page when printed (the browser prints it or saves it as PDF). */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"
#include "desk/desk_poster_name.h"
#include "desk/desk_poster_phone.h"
#include "desk/desk_poster_words.h"

struct poster {
	struct desk_request *r;
	struct desk_html *h;
	const char *id, *lang;
	bool shown;
};

/* One fact: its label in both languages, its value; nothing when empty. */
static void fact(struct poster *p, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	desk_html_printf(p->h, "<dt>");
	desk_poster_label(p->h, p->lang, label);
	desk_html_printf(p->h, "</dt><dd>%s</dd>\n", value);
}

/* A fact whose value has words too (a gender, a height's unit): @local in
 * the poster's language beside @english, as the labels are. */
static void word_fact(struct poster *p, const char *label, const char *local, const char *english)
{
	if (english[0] == '\0')
		return;
	desk_html_printf(p->h, "<dt>");
	desk_poster_label(p->h, p->lang, label);
	desk_html_printf(p->h, "</dt><dd>");
	desk_poster_pair(p->h, p->lang, local, english);
	desk_html_printf(p->h, "</dd>\n");
}

static void photo(struct poster *p, const Raksha__V1__Child *c)
{
	bool servable = c != NULL && c->n_photos > 0 && (strcmp(c->photos[0]->media_type, "image/jpeg") == 0 ||
							  strcmp(c->photos[0]->media_type, "image/png") == 0);
	if (servable) {
		desk_html_printf(p->h, "<img class=\"poster-photo\" src=\"/case/%s/photo/0\" alt=\"\">\n", p->id);
		return;
	}
	desk_html_printf(p->h, "<p class=\"poster-photo none\">");
	desk_poster_label(p->h, p->lang, N_("No photo"));
	desk_html_printf(p->h, "</p>\n");
}

static void names(struct poster *p, const Raksha__V1__Child *c)
{
	struct desk_poster_names n;
	char err[200];
	if (desk_poster_names(c, &n, err, sizeof(err)) < 0)
		log_line(LOG_WARNING, "raksha-desk: poster of case %s: no transliteration: %s", p->id, err);
	if (n.name == NULL) {
		desk_html_printf(p->h, "<h1 class=\"poster-name\">");
		desk_poster_label(p->h, p->lang, N_("Name not known"));
		desk_html_printf(p->h, "</h1>\n");
		return;
	}
	desk_html_printf(p->h, "<h1 class=\"poster-name\">%s</h1>\n", n.name);
	if (n.other == NULL)
		return;
	desk_html_printf(p->h, "<p class=\"poster-other\">%s", n.other);
	if (n.made) {
		desk_html_printf(p->h, " <span class=\"made\">(");
		desk_poster_label(p->h, p->lang, N_("transliterated"));
		desk_html_printf(p->h, ")</span>");
	}
	desk_html_printf(p->h, "</p>\n");
}

static void child_facts(struct poster *p, const Raksha__V1__Child *c)
{
	char age[24], height[48] = "", height_en[16] = "";
	const char *gender = desk_page_gender_word(c->gender);
	desk_page_age(c, age, sizeof(age));
	if (c->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM) {
		snprintf(height, sizeof(height), desk_poster_text(p->lang, N_("%u cm")), c->height_cm);
		snprintf(height_en, sizeof(height_en), "%u cm", c->height_cm);
	}
	fact(p, N_("Age (years)"), age);
	word_fact(p, N_("Gender"), gender[0] ? desk_poster_text(p->lang, gender) : "", gender);
	word_fact(p, N_("Height"), height, height_en);
	fact(p, N_("Clothing"), c->clothing);
	fact(p, N_("Marks"), c->identifying_marks);
}

/* @when_label: "Last seen", "Found". */
static void place_facts(struct poster *p, const char *when_label, const Raksha__V1__Place *pl, int64_t or_ms)
{
	char when[48];
	i18n_date_time(pl != NULL && pl->time_ms > 0 ? pl->time_ms : or_ms, when, sizeof(when));
	fact(p, when_label, when);
	if (pl == NULL)
		return;
	fact(p, N_("Station"), pl->station_code);
	fact(p, N_("Train"), pl->train_number);
	fact(p, N_("Where"), pl->description);
	fact(p, N_("District"), pl->district);
}

static void call(struct poster *p, const char *label, const Raksha__V1__Origin *o)
{
	const char *phone = desk_poster_phone(p->r->desk->c, o);
	desk_html_printf(p->h, "<div class=\"poster-call\"><p>");
	desk_poster_label(p->h, p->lang, label);
	desk_html_printf(p->h, "</p>\n");
	if (phone != NULL)
		desk_html_printf(p->h, "<p class=\"phone\">%s</p>\n", phone);
	if (o != NULL)
		desk_html_printf(p->h, "<p class=\"unit\">%s (%s/%s/%s)</p>\n", o->unit, o->state, o->region, o->agency);
	desk_html_printf(p->h, "<p class=\"helpline\">");
	desk_poster_label(p->h, p->lang, N_("Childline, free, day and night: 1098"));
	desk_html_printf(p->h, "</p></div>\n");
}

/* A line under the heading that nobody may miss (a drill, a case closed). */
static void warning(struct poster *p, const char *what)
{
	desk_html_printf(p->h, "<p class=\"poster-warn\">");
	desk_poster_label(p->h, p->lang, what);
	desk_html_printf(p->h, "</p>\n");
}

static void heading(struct poster *p, const struct desk_case *c)
{
	desk_html_printf(p->h, "<p class=\"poster-head\">");
	desk_poster_label(p->h, p->lang, c->found ? N_("DO YOU KNOW THIS CHILD?") : N_("MISSING CHILD"));
	desk_html_printf(p->h, "</p>\n");
	if (c->exercise)
		warning(p, N_("DRILL: an exercise, not a real child"));
	/* A poster printed from an old case must not send people looking. */
	if (c->status != NULL && strcmp(c->status, "open") != 0)
		warning(p, N_("This case is no longer open: do not put this poster up."));
}

static void poster(void *ctx, const struct desk_case *c)
{
	struct poster *p = ctx;
	const raksha_envelope *env = c->report;
	p->shown = true;
	desk_page_start(p->h, p->r, _("Poster"));
	if (env == NULL || c->child == NULL || (c->found && env->sighting == NULL)) {
		desk_html_printf(p->h, "<p class=\"error\">%s</p>\n", _("This case's report no longer decodes."));
		return;
	}
	p->lang = desk_poster_language(env->origin != NULL ? env->origin->state : NULL);
	desk_html_printf(p->h, "<article class=\"poster %s\" lang=\"en\">\n", c->found ? "poster-found" : "poster-missing");
	heading(p, c);
	photo(p, c->child);
	names(p, c->child);
	desk_html_printf(p->h, "<dl class=\"poster-facts\">\n");
	child_facts(p, c->child);
	if (c->found)
		place_facts(p, N_("Found"), env->sighting->place, c->first_seen_ms);
	else
		place_facts(p, N_("Last seen"), env->report->last_seen, 0);
	desk_html_printf(p->h, "</dl>\n");
	call(p, c->found ? N_("If you know this child or the family, call") : N_("If you have seen this child, call"),
	     env->origin);
	desk_html_printf(p->h, "<p class=\"poster-ref\">%s</p>\n</article>\n", p->id);
}

enum MHD_Result desk_page_poster(struct desk_request *r, sqlite3 *db, const char *id)
{
	uint8_t uuid[RAKSHA_UUID_LEN];
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	struct desk_html h = {0};
	if (raksha_uuid_parse(id, uuid) < 0)
		return desk_refuse(r, 404, _("There is no such case."));
	raksha_uuid_format(uuid, text);
	struct poster p = {r, &h, text, "en", false};
	int n = desk_db_case(db, uuid, poster, &p);
	if (n < 0 || !p.shown) {
		desk_html_free(&h);
		return desk_refuse(r, n < 0 ? 503 : 404, n < 0 ? _("The agent's database cannot be read now.")
							 : _("There is no such case."));
	}
	desk_html_printf(&h, "<p class=\"poster-actions\">%s <a class=\"button\" href=\"/case/%s\">%s</a></p>\n",
			 _("Print it, or save it as PDF, from the browser's menu."), text, _("Back to the case"));
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}
