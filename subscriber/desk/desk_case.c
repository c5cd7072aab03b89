/* GET /case/ID: every field of the case's latest report, its photos and
 * who acknowledged it; GET /case/ID/photo/N: a photo's own bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desk/desk_action.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"

struct case_page {
	struct desk_request *r;
	struct desk_html *h;
	bool found;
	char id[RAKSHA_UUID_TEXT_LEN + 1];
};

/* One line of the field list; nothing for an empty value. */
static void field(struct desk_html *h, const char *label, const char *value)
{
	if (value != NULL && *value)
		desk_html_printf(h, "<dt>%s</dt><dd>%s</dd>\n", label, value);
}

static void joined(struct desk_html *h, const char *label, char *const *v, size_t n)
{
	if (n == 0)
		return;
	desk_html_printf(h, "<dt>%s</dt><dd>", label);
	for (size_t i = 0; i < n; i++)
		desk_html_printf(h, "%s%s", i ? ", " : "", v[i]);
	desk_html_printf(h, "</dd>\n");
}

static void child_fields(struct desk_html *h, const Raksha__V1__Child *c)
{
	char age[24], height[16] = "";
	desk_page_age(c, age, sizeof(age));
	joined(h, "Also called", c->other_names, c->n_other_names);
	field(h, "Age", age);
	field(h, "Gender", desk_page_gender(c->gender));
	if (c->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM)
		snprintf(height, sizeof(height), "%u cm", c->height_cm);
	field(h, "Height", height);
	field(h, "Build", c->build);
	field(h, "Complexion", c->complexion);
	field(h, "Hair", c->hair);
	field(h, "Clothing", c->clothing);
	field(h, "Marks", c->identifying_marks);
	joined(h, "Speaks", c->languages, c->n_languages);
}

static void place_fields(struct desk_html *h, const Raksha__V1__Place *p)
{
	char when[32];
	if (p == NULL)
		return;
	desk_page_when(p->time_ms, when, sizeof(when));
	field(h, "Last seen at", when);
	field(h, "Station", p->station_code);
	field(h, "Train", p->train_number);
	field(h, "Coach", p->coach);
	field(h, "Where", p->description);
	field(h, "Police station", p->police_station);
	field(h, "District", p->district);
}

static void people_fields(struct desk_html *h, const Raksha__V1__Report *rep)
{
	if (rep->guardian != NULL) {
		field(h, "Guardian", rep->guardian->name);
		field(h, "Relation", rep->guardian->relation);
		field(h, "Guardian's phone", rep->guardian->phone);
	}
	field(h, "Home", rep->home_address);
	for (size_t i = 0; i < rep->n_companions; i++) {
		field(h, "Seen with", rep->companions[i]->name);
		field(h, "Looks", rep->companions[i]->description);
	}
	if (rep->case_ref != NULL) {
		field(h, "FIR", rep->case_ref->fir_number);
		field(h, "FIR police station", rep->case_ref->police_station);
	}
	field(h, "Notes", rep->notes);
}

static void origin_fields(struct desk_html *h, const raksha_envelope *env)
{
	const Raksha__V1__Origin *o = env->origin;
	if (o == NULL)
		return;
	field(h, "Reported by", o->unit);
	field(h, "Officer", o->officer_name);
	field(h, "Badge", o->officer_badge);
	field(h, "Officer's phone", o->officer_phone);
}

static void photos(struct case_page *p, const Raksha__V1__Child *c)
{
	for (size_t i = 0; i < c->n_photos; i++)
		desk_html_printf(p->h, "<figure><img src=\"/case/%s/photo/%zu\" alt=\"photo %zu of %s\">"
				 "<figcaption>%s</figcaption></figure>\n", p->id, i, i + 1, c->name,
				 c->photos[i]->caption);
}

static void ack_row(void *ctx, const struct desk_ack *a)
{
	struct case_page *p = ctx;
	char ago[32];
	desk_page_ago(a->at_ms, p->r->now_ms, ago, sizeof(ago));
	desk_html_printf(p->h, "<li>%s/%s %s: %s, %s</li>\n", a->region, a->agency, a->unit, a->state, ago);
}

static void summary(struct case_page *p, const struct desk_case *c)
{
	char ago[32];
	desk_page_ago(c->first_seen_ms, p->r->now_ms, ago, sizeof(ago));
	desk_html_printf(p->h, "<h1>%s</h1>\n<p class=\"marks\"><span class=\"prio p%d\">%s</span>"
			 "<span>%s</span><span class=\"acks\">acks %d</span>", c->name, c->priority,
			 desk_page_priority(c->priority), c->status, c->acks);
	if (c->escalation > 0)
		desk_html_printf(p->h, "<span class=\"esc\">escalated %d</span>", c->escalation);
	if (c->exercise)
		desk_html_printf(p->h, "<span class=\"drill\">DRILL</span>");
	desk_html_printf(p->h, "</p>\n<p>Reported %s by %s/%s.</p>\n", ago, c->region, c->agency);
}

static void show(void *ctx, const struct desk_case *c)
{
	struct case_page *p = ctx;
	p->found = true;
	desk_page_start(p->h, p->r, c->name);
	summary(p, c);
	desk_action_forms(p->h, p->r, p->id, c);
	if (c->report == NULL) {
		desk_html_printf(p->h, "<p class=\"error\">Its report no longer decodes.</p>\n");
		return;
	}
	const Raksha__V1__Report *rep = c->report->report;
	if (rep->child != NULL)
		photos(p, rep->child);
	desk_html_printf(p->h, "<dl>\n");
	if (rep->child != NULL)
		child_fields(p->h, rep->child);
	place_fields(p->h, rep->last_seen);
	people_fields(p->h, rep);
	origin_fields(p->h, c->report);
	desk_html_printf(p->h, "</dl>\n");
}

enum MHD_Result desk_page_case(struct desk_request *r, sqlite3 *db, const char *id)
{
	uint8_t uuid[RAKSHA_UUID_LEN];
	struct desk_html h = {0};
	struct case_page p = {r, &h, false, ""};
	if (raksha_uuid_parse(id, uuid) < 0)
		return desk_refuse(r, 404, "There is no such case.");
	raksha_uuid_format(uuid, p.id);
	int n = desk_db_case(db, uuid, show, &p);
	if (n < 0 || !p.found) {
		desk_html_free(&h);
		return desk_refuse(r, n < 0 ? 503 : 404, n < 0 ? "The agent's database cannot be read now."
							 : "There is no such case.");
	}
	desk_html_printf(&h, "<h2>Acknowledged by</h2>\n<ul class=\"acks\">\n");
	desk_db_acks(db, uuid, ack_row, &p);
	desk_html_printf(&h, "</ul>\n<p><a class=\"button\" href=\"/cases\">All open cases</a></p>\n");
	desk_page_end(&h);
	return desk_reply_html(r, 200, &h, NULL);
}
