/* Every field of the case's latest report (or of its found child's
 * sighting), and what the case view knows besides (status,
 * acknowledgements, escalation, sightings). */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "board/board_clock.h"
#include "board/board_describe.h"
#include "board/board_fields.h"
#include "board/board_theme.h"
#include "common/age_text.h"

/* "a, b, c" from a repeated string. */
static void joined(char *const *v, size_t n, char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		board_describe_put(out, size, &len, "%s%s", i ? ", " : "", v[i]);
}

static void child_fields(struct sheet *s, const Raksha__V1__Child *c)
{
	char buf[1024], age[24];
	joined(c->other_names, c->n_other_names, buf, sizeof(buf));
	board_sheet_field(s, _("Also called"), buf, A_NORMAL);
	board_describe_age(c, age, sizeof(age));
	snprintf(buf, sizeof(buf), "%s%s%s", age, *age && c->gender ? ", " : "",
		 board_describe_gender(c->gender));
	board_sheet_field(s, _("Age, sex"), buf, A_NORMAL);
	if (c->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM) {
		snprintf(buf, sizeof(buf), _("%u cm"), c->height_cm);
		board_sheet_field(s, _("Height"), buf, A_NORMAL);
	}
	char *const looks[] = {c->build, c->complexion, c->hair};
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		if (*looks[i])
			board_describe_put(buf, sizeof(buf), &n, "%s%s", n ? ", " : "", looks[i]);
	board_sheet_field(s, _("Looks"), buf, A_NORMAL);
	board_sheet_field(s, _("Clothing"), c->clothing, A_NORMAL);
	board_sheet_field(s, _("Marks"), c->identifying_marks, A_NORMAL);
	joined(c->languages, c->n_languages, buf, sizeof(buf));
	board_sheet_field(s, _("Speaks"), buf, A_NORMAL);
}

static void where_fields(struct sheet *s, const Raksha__V1__Report *r)
{
	char buf[1024];
	board_describe_place(r->last_seen, buf, sizeof(buf));
	board_sheet_field(s, _("Last seen"), buf, A_BOLD);
	if (r->last_seen && r->last_seen->location) {
		snprintf(buf, sizeof(buf), "%.5f, %.5f", r->last_seen->location->latitude,
			 r->last_seen->location->longitude);
		board_sheet_field(s, _("Location"), buf, A_NORMAL);
	}
}

static void people_fields(struct sheet *s, const Raksha__V1__Report *r)
{
	char buf[1024];
	const Raksha__V1__Guardian *g = r->guardian;
	if (g != NULL) {
		snprintf(buf, sizeof(buf), "%s%s%s%s%s%s", g->name, *g->relation ? " (" : "", g->relation,
			 *g->relation ? ")" : "", *g->phone ? " " : "", g->phone);
		board_sheet_field(s, _("Guardian"), buf, A_NORMAL);
	}
	board_sheet_field(s, _("Home"), r->home_address, A_NORMAL);
	const Raksha__V1__CaseReference *f = r->case_ref;
	if (f != NULL) {
		size_t n = 0;
		buf[0] = '\0';
		char *const parts[] = {f->fir_number, f->police_station, f->district};
		for (size_t i = 0; i < 3; i++)
			if (*parts[i])
				board_describe_put(buf, sizeof(buf), &n, "%s%s", n ? ", " : "", parts[i]);
		board_sheet_field(s, _("FIR"), buf, A_NORMAL);
	}
	for (size_t i = 0; i < r->n_companions; i++) {
		const Raksha__V1__Person *p = r->companions[i];
		bool suspect = p->role == RAKSHA__V1__PERSON_ROLE__PERSON_ROLE_SUSPECT;
		snprintf(buf, sizeof(buf), "%s%s%s%s%s", p->name, *p->description ? ", " : "",
			 p->description, *p->phone ? ", " : "", p->phone);
		board_sheet_field(s, suspect ? _("Suspect") : _("With"), buf,
				  suspect ? board_theme_attr(PAIR_URGENT) : A_NORMAL);
	}
	board_sheet_field(s, _("Notes"), r->notes, A_NORMAL);
}

/* Where a found child was found, and who holds it now. */
static void found_fields(struct sheet *s, const raksha_envelope *env, bool in_custody)
{
	char buf[1024], from[600];
	const Raksha__V1__Sighting *f = env->sighting;
	board_describe_place(f->place, buf, sizeof(buf));
	board_sheet_field(s, _("Found at"), buf, A_BOLD);
	board_describe_origin(env, from, sizeof(from));
	if (in_custody)
		snprintf(buf, sizeof(buf), _("IN CUSTODY of %s"), from);
	else
		snprintf(buf, sizeof(buf), _("not in custody: seen by %s"), from);
	board_sheet_field(s, _("Held"), buf, in_custody ? board_theme_attr(PAIR_ACKED) | A_BOLD : A_BOLD);
	board_sheet_field(s, _("Notes"), f->notes, A_NORMAL);
}

static void sender_fields(struct sheet *s, const raksha_envelope *env, bool found)
{
	char buf[1024];
	const Raksha__V1__Origin *o = env->origin;
	board_describe_origin(env, buf, sizeof(buf));
	board_sheet_field(s, found ? _("Found by") : _("Reported by"), buf, A_NORMAL);
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", o->officer_name, *o->officer_badge ? " " : "",
		 o->officer_badge, *o->officer_phone ? ", " : "", o->officer_phone);
	board_sheet_field(s, _("Officer"), buf, A_NORMAL);
	char when[BOARD_WHEN_MAX];
	board_clock_when(env->sent_at_ms, when, sizeof(when));
	board_sheet_field(s, _("Sent"), when, A_NORMAL);
}

/* Who linked, when, and why. */
static void linked_by(struct sheet *s, const struct board_link *k)
{
	char buf[1024], when[BOARD_WHEN_MAX];
	board_clock_when(k->at_ms, when, sizeof(when));
	snprintf(buf, sizeof(buf), _("linked by %s, %s%s%s"), k->by, when, *k->notes ? ": " : "", k->notes);
	board_sheet_field(s, " ", buf, A_NORMAL);
}

/* For a report, the found children said to be it: where each is held and
 * by whom; for a found child, the report it is. */
static void link_fields(struct sheet *s, const struct board_case *c)
{
	char buf[1024], id[RAKSHA_UUID_TEXT_LEN + 1];
	for (size_t i = 0; i < c->links.n; i++) {
		const struct board_link *k = &c->links.v[i];
		raksha_uuid_format(k->other_id, id);
		if (c->found)
			snprintf(buf, sizeof(buf), _("report %s%s%s"), id, *k->name ? ": " : "",
				 k->other_known ? k->name : _(" (not in this database)"));
		else if (!k->other_known)
			snprintf(buf, sizeof(buf), _("found child %s (not in this database)"), id);
		else
			snprintf(buf, sizeof(buf), _("%s at %s%s%s, %s %s"), *k->name ? k->name : _("name not known"),
				 k->place, *k->station ? " " : "", k->station,
				 k->in_custody ? _("IN CUSTODY of") : _("seen by"), k->holder);
		board_sheet_field(s, c->found ? _("Is") : _("Found"), buf, board_theme_attr(PAIR_ACKED) | A_BOLD);
		linked_by(s, k);
	}
}

/* What matching suggests, for a person to confirm or dismiss. */
static void match_fields(struct sheet *s, const struct board_case *c)
{
	char buf[1024], id[RAKSHA_UUID_TEXT_LEN + 1];
	for (size_t i = 0; i < c->matches.n; i++) {
		const struct board_match *m = &c->matches.v[i];
		raksha_uuid_format(m->other_id, id);
		snprintf(buf, sizeof(buf), _("match, score %d: %s %s%s%s"), m->score, c->found ? _("report") : _("found child"),
			 id, *m->name ? ", " : "", m->name);
		board_sheet_field(s, _("Possible"), buf, board_theme_attr(PAIR_HIGH) | A_BOLD);
		board_sheet_field(s, " ", m->why, A_NORMAL);
	}
}

static void case_fields(struct sheet *s, const struct board_case *c, int64_t now)
{
	char buf[512], when[BOARD_WHEN_MAX], age[32], id[RAKSHA_UUID_TEXT_LEN + 1];
	unsigned revision = c->report && !c->found ? c->report->report->revision : 0;
	/* Who said found, closed, ...: a finder may be of another state. */
	char by[120] = "";
	if (c->status_by[0] != '\0')
		snprintf(by, sizeof(by), _(" (said by %s)"), c->status_by);
	if (c->found)
		snprintf(buf, sizeof(buf), _("found child, no report: %s%s%s"), board_describe_word(c->status), by,
			 c->exercise ? _(", DRILL") : "");
	else
		snprintf(buf, sizeof(buf), _("%s%s, revision %u%s"), board_describe_word(c->status), by, revision,
			 c->exercise ? _(", DRILL") : "");
	board_sheet_field(s, _("Case"), buf,
			  strcmp(c->status, "open") == 0 ? A_BOLD : board_theme_attr(PAIR_ACKED));
	board_clock_when(c->first_seen_ms, when, sizeof(when));
	age_text_format(c->first_seen_ms, now, AGE_TEXT_SHORT, age, sizeof(age));
	snprintf(buf, sizeof(buf), _("%s (%s ago)"), when, age);
	board_sheet_field(s, _("Received"), buf, A_NORMAL);
	if (c->escalation > 0) {
		snprintf(buf, sizeof(buf), _("level %d"), c->escalation);
		board_sheet_field(s, _("Escalated"), buf, board_theme_attr(PAIR_URGENT) | A_BOLD);
	}
	if (c->sightings > 0) {
		snprintf(buf, sizeof(buf), _("%d (in the timeline)"), c->sightings);
		board_sheet_field(s, _("Sightings"), buf, board_theme_attr(PAIR_HIGH));
	}
	if (c->n_acks == 0)
		board_sheet_field(s, _("Acked by"), _("nobody yet"), A_BOLD);
	for (size_t i = 0; i < c->n_acks; i++) {
		const struct board_ack *a = &c->acks[i];
		board_clock_when(a->at_ms, when, sizeof(when));
		snprintf(buf, sizeof(buf), "%s (%s) %s, %s", a->unit, a->from, board_describe_word(a->state), when);
		board_sheet_field(s, i == 0 ? _("Acked by") : " ", buf, board_theme_attr(PAIR_ACKED));
	}
	raksha_uuid_format(c->report_id, id);
	board_sheet_field(s, _("Case id"), id, A_DIM);
}

void board_fields_sheet(struct sheet *s, const struct board_case *c, int64_t now)
{
	const raksha_envelope *env = c->report;
	if (env == NULL) {
		board_sheet_text(s, _("The report of this case cannot be read from the database."), A_BOLD, 0);
		case_fields(s, c, now);
		return;
	}
	char title[600];
	snprintf(title, sizeof(title), "%s%s  %s", c->found ? _("FOUND CHILD: ") : "",
		 *c->child->name ? c->child->name : _("name not known"), board_describe_priority(c->priority));
	board_sheet_text(s, title, board_theme_priority(c->priority) | A_BOLD, 0);
	child_fields(s, c->child);
	if (c->found) {
		found_fields(s, env, c->in_custody);
	} else {
		where_fields(s, env->report);
		people_fields(s, env->report);
	}
	link_fields(s, c);
	match_fields(s, c);
	sender_fields(s, env, c->found);
	case_fields(s, c, now);
}
