/* The case page's fields: every field of the schema that the case's
 * latest report (or a found child's sighting) gives, in a <dl> per part,
 * and every photo full size. An empty field is left out, not shown empty. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "desk/desk_case.h"
#include "desk/desk_page.h"

void desk_case_word(const ProtobufCEnumDescriptor *d, int v, size_t skip, char *out, size_t size)
{
	const ProtobufCEnumValue *e = protobuf_c_enum_descriptor_get_value(d, v);
	if (e == NULL || strlen(e->name) <= skip) {
		snprintf(out, size, "?");
		return;
	}
	char word[64];
	snprintf(word, sizeof(word), "%s", e->name + skip);
	for (char *c = word; *c; c++)
		*c = *c == '_' ? ' ' : (char)tolower((unsigned char)*c);
	snprintf(out, size, "%s", desk_page_word(word));
}

/* One line of a field list; nothing for an empty value. */
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
	char age[24], height[48] = "";
	desk_page_age(c, age, sizeof(age));
	field(h, _("Name"), c->name);
	joined(h, _("Also called"), c->other_names, c->n_other_names);
	field(h, _("Age"), age);
	field(h, _("Gender"), desk_page_gender(c->gender));
	if (c->height_case == RAKSHA__V1__CHILD__HEIGHT_HEIGHT_CM)
		snprintf(height, sizeof(height), _("%u cm"), c->height_cm);
	field(h, _("Height"), height);
	field(h, _("Build"), c->build);
	field(h, _("Complexion"), c->complexion);
	field(h, _("Hair"), c->hair);
	field(h, _("Clothing"), c->clothing);
	field(h, _("Marks"), c->identifying_marks);
	joined(h, _("Speaks"), c->languages, c->n_languages);
}

/* @when_label: "Last seen at", "Found at". */
static void place_fields(struct desk_html *h, const char *when_label, const Raksha__V1__Place *p)
{
	char when[DESK_WHEN_MAX], geo[64] = "";
	if (p == NULL)
		return;
	desk_page_when(p->time_ms, when, sizeof(when));
	field(h, when_label, when);
	field(h, _("Station"), p->station_code);
	field(h, _("Train"), p->train_number);
	field(h, _("Coach"), p->coach);
	field(h, _("Where"), p->description);
	field(h, _("Police station"), p->police_station);
	field(h, _("District"), p->district);
	if (p->location != NULL)
		snprintf(geo, sizeof(geo), "%.5f, %.5f", p->location->latitude, p->location->longitude);
	field(h, _("Map point"), geo);
}

static void person(struct desk_html *h, const Raksha__V1__Person *p)
{
	char role[64];
	desk_case_word(&raksha__v1__person_role__descriptor, p->role, strlen("PERSON_ROLE_"), role, sizeof(role));
	desk_html_printf(h, "<dt>%s</dt><dd class=\"person\">%s: %s", _("Seen with"), role, p->name);
	if (*p->description)
		desk_html_printf(h, "; %s", p->description);
	if (*p->phone)
		desk_html_printf(h, _("; phone %s"), p->phone);
	desk_html_printf(h, "</dd>\n");
}

static void people_fields(struct desk_html *h, const Raksha__V1__Report *rep)
{
	if (rep->guardian != NULL) {
		field(h, _("Guardian"), rep->guardian->name);
		field(h, _("Relation"), rep->guardian->relation);
		field(h, _("Guardian's phone"), rep->guardian->phone);
	}
	field(h, _("Home"), rep->home_address);
	for (size_t i = 0; i < rep->n_companions; i++)
		person(h, rep->companions[i]);
	if (rep->case_ref != NULL) {
		field(h, _("FIR"), rep->case_ref->fir_number);
		field(h, _("FIR police station"), rep->case_ref->police_station);
		field(h, _("FIR district"), rep->case_ref->district);
	}
	field(h, _("Notes"), rep->notes);
}

static void origin_fields(struct desk_html *h, const char *what, const raksha_envelope *env)
{
	const Raksha__V1__Origin *o = env->origin;
	char from[200];
	if (o == NULL)
		return;
	snprintf(from, sizeof(from), "%s/%s/%s", o->state, o->region, o->agency);
	field(h, what, o->unit);
	field(h, _("Its place"), from);
	field(h, _("Sent by"), o->sender_id);
	field(h, _("Officer"), o->officer_name);
	field(h, _("Badge"), o->officer_badge);
	field(h, _("Officer's phone"), o->officer_phone);
}

/* The end of the part before (unless @first), the heading and list of the next. */
static void part(struct desk_html *h, const char *heading, bool first)
{
	if (!first)
		desk_html_printf(h, "</dl>\n");
	desk_html_printf(h, "<h2>%s</h2>\n<dl class=\"fields\">\n", heading);
}

static void report_fields(struct desk_html *h, const struct desk_case *c)
{
	const Raksha__V1__Report *rep = c->report->report;
	char status[64], revision[16];
	desk_case_word(&raksha__v1__case_status__descriptor, rep->status, strlen("CASE_STATUS_"), status,
		       sizeof(status));
	snprintf(revision, sizeof(revision), "%u", rep->revision);
	part(h, _("The child"), true);
	child_fields(h, c->child);
	part(h, _("Last seen"), false);
	place_fields(h, _("Last seen at"), rep->last_seen);
	part(h, _("Family, companions, FIR"), false);
	people_fields(h, rep);
	part(h, _("The report"), false);
	field(h, _("Revision"), revision);
	field(h, _("Its status"), status);
	field(h, _("Priority"), desk_page_priority(rep->priority));
	field(h, _("Drill"), rep->exercise ? _("yes: a drill, not a real child") : "");
	origin_fields(h, _("Reported by"), c->report);
	desk_html_printf(h, "</dl>\n");
}

static void found_fields(struct desk_html *h, const struct desk_case *c)
{
	const Raksha__V1__Sighting *s = c->report->sighting;
	part(h, _("The child, as seen"), true);
	child_fields(h, c->child);
	part(h, _("Where found"), false);
	place_fields(h, _("Found at"), s->place);
	field(h, _("In custody"), s->in_custody ? _("yes, of the finder") : _("no: seen, not held"));
	field(h, _("Notes"), s->notes);
	field(h, _("Drill"), s->exercise ? _("yes: a drill, not a real child") : "");
	part(h, _("The finder"), false);
	origin_fields(h, _("Found by"), c->report);
	desk_html_printf(h, "</dl>\n");
}

static void photo(struct desk_html *h, const Raksha__V1__Child *c, const char *id, size_t i)
{
	desk_html_printf(h, "<figure class=\"photo\"><img class=\"photo\" src=\"/case/%s/photo/%zu\" alt=\"", id, i);
	desk_html_printf(h, _("photo %zu of %s"), i + 1, c->name);
	desk_html_printf(h, "\"><figcaption>");
	desk_html_printf(h, _("photo %zu of %zu"), i + 1, c->n_photos);
	desk_html_printf(h, "%s%s</figcaption></figure>\n", *c->photos[i]->caption ? ": " : "", c->photos[i]->caption);
}

/* Full size: the photo's own bytes (desk_photo.c), scaled down only to fit
 * the screen (img.photo in the style). */
static void photos(struct desk_html *h, const Raksha__V1__Child *c, const char *id)
{
	for (size_t i = 0; i < c->n_photos; i++)
		photo(h, c, id, i);
}

void desk_case_fields(struct desk_html *h, const struct desk_case *c, const char *id)
{
	if (c->report == NULL) {
		desk_html_printf(h, "<p class=\"error\">%s</p>\n",
				 c->found ? _("Its sighting no longer decodes.") : _("Its report no longer decodes."));
		return;
	}
	photos(h, c->child, id);
	if (c->found)
		found_fields(h, c);
	else
		report_fields(h, c);
}
