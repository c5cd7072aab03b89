/* The case page's timeline: the report and each revision, sightings,
 * acks, escalations, status updates, links, and the changes of the case
 * the agent refused, newest first (the latest is what an officer needs on
 * a phone; the report itself is in full above), each with its time, the
 * unit and officer of its envelope's origin, and drills marked; a
 * revision with what it changed (desk_timeline_diff.c). */
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_case.h"
#include "desk/desk_db_timeline.h"
#include "desk/desk_page.h"
#include "desk/desk_timeline_diff.h"

struct timeline {
	struct desk_html *h;
	sqlite3 *db;
	const uint8_t *id;
	int shown;
};

static void place(struct desk_html *h, const Raksha__V1__Place *p)
{
	if (p == NULL)
		return;
	desk_html_printf(h, " ");
	desk_html_printf(h, _("at %s %s %s %s"), p->station_code, p->train_number, p->coach, p->description);
}

static void report(struct desk_html *h, const Raksha__V1__Report *r)
{
	char status[64];
	desk_case_word(&raksha__v1__case_status__descriptor, r->status, strlen("CASE_STATUS_"), status,
		       sizeof(status));
	if (r->revision > 1)
		desk_html_printf(h, _("revision %d: %s, %s"), (int)r->revision, desk_page_priority(r->priority), status);
	else
		desk_html_printf(h, _("report, revision %d: %s, %s"), (int)r->revision,
				 desk_page_priority(r->priority), status);
}

static void sighting(struct desk_html *h, const Raksha__V1__Sighting *s)
{
	desk_html_printf(h, "%s", s->report_id.len ? _("seen") : _("found, no report yet"));
	place(h, s->place);
	if (s->in_custody)
		desk_html_printf(h, _(", in custody of the sender"));
	if (*s->notes)
		desk_html_printf(h, "; %s", s->notes);
}

static void update(struct desk_html *h, const Raksha__V1__StatusUpdate *u)
{
	char status[64];
	desk_case_word(&raksha__v1__update_status__descriptor, u->status, strlen("UPDATE_STATUS_"), status,
		       sizeof(status));
	desk_html_printf(h, "%s", status);
	place(h, u->place);
	if (*u->handed_over_to)
		desk_html_printf(h, _(", handed over to %s"), u->handed_over_to);
	if (*u->notes)
		desk_html_printf(h, "; %s", u->notes);
}

static void ack(struct desk_html *h, const Raksha__V1__Ack *a)
{
	char state[64];
	desk_case_word(&raksha__v1__ack_state__descriptor, a->state, strlen("ACK_STATE_"), state, sizeof(state));
	desk_html_printf(h, "%s", state);
	if (*a->notes)
		desk_html_printf(h, "; %s", a->notes);
}

static void link_body(struct desk_html *h, const Raksha__V1__CaseLink *l)
{
	char found[RAKSHA_UUID_TEXT_LEN + 1] = "?", report[RAKSHA_UUID_TEXT_LEN + 1] = "?";
	if (l->found_id.len == RAKSHA_UUID_LEN)
		raksha_uuid_format(l->found_id.data, found);
	if (l->report_id.len == RAKSHA_UUID_LEN)
		raksha_uuid_format(l->report_id.data, report);
	desk_html_printf(h, "%s <a href=\"/case/%s\">%s</a> %s <a href=\"/case/%s\">%s</a>",
			 _("linked: found child"), found, found, _("is report"), report, report);
	if (*l->notes)
		desk_html_printf(h, "; %s", l->notes);
}

static bool drill(const raksha_envelope *env)
{
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT: return env->report->exercise;
	case RAKSHA_KIND_SIGHTING: return env->sighting->exercise;
	case RAKSHA_KIND_ESCALATION: return env->escalation->exercise;
	default: return false;
	}
}

static void body(struct desk_html *h, const raksha_envelope *env)
{
	switch (raksha_envelope_kind(env)) {
	case RAKSHA_KIND_REPORT: report(h, env->report); break;
	case RAKSHA_KIND_SIGHTING: sighting(h, env->sighting); break;
	case RAKSHA_KIND_UPDATE: update(h, env->update); break;
	case RAKSHA_KIND_ACK: ack(h, env->ack); break;
	case RAKSHA_KIND_LINK: link_body(h, env->link); break;
	case RAKSHA_KIND_ESCALATION:
		desk_html_printf(h, _("level %d: %s"), (int)env->escalation->level, env->escalation->reason);
		if (*env->escalation->target)
			desk_html_printf(h, _("; asks %s"), env->escalation->target);
		break;
	default:
		break;
	}
}

static void origin(struct desk_html *h, const Raksha__V1__Origin *o)
{
	if (o == NULL)
		return;
	desk_html_printf(h, "<span class=\"by\">");
	desk_html_printf(h, _("by %s (%s/%s/%s)"), o->unit, o->state, o->region, o->agency);
	if (*o->officer_name || *o->officer_badge)
		desk_html_printf(h, _(", officer %s %s"), o->officer_name, o->officer_badge);
	desk_html_printf(h, "</span>");
}

static void entry(void *ctx, const struct desk_event *e)
{
	struct timeline *t = ctx;
	char when[DESK_WHEN_MAX];
	t->shown++;
	desk_page_when(e->at_ms, when, sizeof(when));
	desk_html_printf(t->h, "<li class=\"%s%s\"><b>%s</b> <span class=\"kind\">%s</span> ", e->kind,
			 e->refused ? " refused" : "", when, desk_page_word(e->kind));  /* i18n: markup */
	if (e->refused != NULL)
		desk_html_printf(t->h, "<b>%s</b> (%s) ", _("REFUSED"), e->refused);
	if (e->env == NULL) {
		desk_html_printf(t->h, "%s</li>\n", _("(stored, but it no longer reads as an envelope)"));
		return;
	}
	if (drill(e->env))
		desk_html_printf(t->h, "<span class=\"drill\">%s</span> ", _("DRILL"));
	body(t->h, e->env);
	desk_html_printf(t->h, " ");
	origin(t->h, e->env->origin);
	if (e->refused == NULL && raksha_envelope_kind(e->env) == RAKSHA_KIND_REPORT && e->env->report->revision > 1)
		desk_timeline_diff(t->h, t->db, t->id, e->seq, e->env->report);
	desk_html_printf(t->h, "</li>\n");
}

static void older(struct desk_html *h, int n)
{
	desk_html_printf(h, "<p class=\"more\">");
	desk_html_printf(h, i18n_plural("%d older entry not shown.", "%d older entries not shown.", (unsigned long)n), n);
	desk_html_printf(h, "</p>\n");
}

void desk_timeline(struct desk_html *h, sqlite3 *db, const uint8_t uuid[RAKSHA_UUID_LEN])
{
	struct timeline t = {h, db, uuid, 0};
	desk_html_printf(h, "<h2>%s</h2>\n<ol class=\"timeline\" reversed>\n", _("Timeline, newest first"));
	int total = desk_db_timeline(db, uuid, DESK_TIMELINE_MAX, entry, &t);
	desk_html_printf(h, "</ol>\n");
	if (total < 0)
		desk_html_printf(h, "<p class=\"error\">%s</p>\n", _("The case's timeline cannot be read now."));
	else if (total > t.shown)
		older(h, total - t.shown);
}
