/* The case page's fields: every field of the schema that the case's
 * latest report (or a found child's sighting) gives, in a <dl> per part,
 * and every photo full size. An empty field is left out, not shown empty. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "desk/desk_case.h"
#include "desk/desk_page.h"

void desk_case_word(const ProtobufCEnumDescriptor *d, int v, size_t skip, char *out, size_t size)
{
	const ProtobufCEnumValue *e = protobuf_c_enum_descriptor_get_value(d, v);
	if (e == NULL || strlen(e->name) <= skip) {
		snprintf(out, size, "?");
		return;
	}
	snprintf(out, size, "%s", e->name + skip);
	for (char *c = out; *c; c++)
		*c = *c == '_' ? ' ' : (char)tolower((unsigned char)*c);
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
	char age[24], height[16] = "";
	desk_page_age(c, age, sizeof(age));
	field(h, "Name", c->name);
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

/* @what: "Last seen", "Found". */
static void place_fields(struct desk_html *h, const char *what, const Raksha__V1__Place *p)
{
	char when[32], geo[64] = "", label[32];
	if (p == NULL)
		return;
	desk_page_when(p->time_ms, when, sizeof(when));
	snprintf(label, sizeof(label), "%s at", what);
	field(h, label, when);
	field(h, "Station", p->station_code);
	field(h, "Train", p->train_number);
	field(h, "Coach", p->coach);
	field(h, "Where", p->description);
	field(h, "Police station", p->police_station);
	field(h, "District", p->district);
	if (p->location != NULL)
		snprintf(geo, sizeof(geo), "%.5f, %.5f", p->location->latitude, p->location->longitude);
	field(h, "Map point", geo);
}

static void person(struct desk_html *h, const Raksha__V1__Person *p)
{
	char role[24];
	desk_case_word(&raksha__v1__person_role__descriptor, p->role, strlen("PERSON_ROLE_"), role, sizeof(role));
	desk_html_printf(h, "<dt>Seen with</dt><dd class=\"person\">%s: %s", role, p->name);
	if (*p->description)
		desk_html_printf(h, "; %s", p->description);
	if (*p->phone)
		desk_html_printf(h, "; phone %s", p->phone);
	desk_html_printf(h, "</dd>\n");
}

static void people_fields(struct desk_html *h, const Raksha__V1__Report *rep)
{
	if (rep->guardian != NULL) {
		field(h, "Guardian", rep->guardian->name);
		field(h, "Relation", rep->guardian->relation);
		field(h, "Guardian's phone", rep->guardian->phone);
	}
	field(h, "Home", rep->home_address);
	for (size_t i = 0; i < rep->n_companions; i++)
		person(h, rep->companions[i]);
	if (rep->case_ref != NULL) {
		field(h, "FIR", rep->case_ref->fir_number);
		field(h, "FIR police station", rep->case_ref->police_station);
		field(h, "FIR district", rep->case_ref->district);
	}
	field(h, "Notes", rep->notes);
}

static void origin_fields(struct desk_html *h, const char *what, const raksha_envelope *env)
{
	const Raksha__V1__Origin *o = env->origin;
	char from[200];
	if (o == NULL)
		return;
	snprintf(from, sizeof(from), "%s/%s/%s", o->state, o->region, o->agency);
	field(h, what, o->unit);
	field(h, "Its place", from);
	field(h, "Sent by", o->sender_id);
	field(h, "Officer", o->officer_name);
	field(h, "Badge", o->officer_badge);
	field(h, "Officer's phone", o->officer_phone);
}

static void report_fields(struct desk_html *h, const struct desk_case *c)
{
	const Raksha__V1__Report *rep = c->report->report;
	char status[24], revision[16];
	desk_case_word(&raksha__v1__case_status__descriptor, rep->status, strlen("CASE_STATUS_"), status,
		       sizeof(status));
	snprintf(revision, sizeof(revision), "%u", rep->revision);
	desk_html_printf(h, "<h2>The child</h2>\n<dl class=\"fields\">\n");
	child_fields(h, c->child);
	desk_html_printf(h, "</dl>\n<h2>Last seen</h2>\n<dl class=\"fields\">\n");
	place_fields(h, "Last seen", rep->last_seen);
	desk_html_printf(h, "</dl>\n<h2>Family, companions, FIR</h2>\n<dl class=\"fields\">\n");
	people_fields(h, rep);
	desk_html_printf(h, "</dl>\n<h2>The report</h2>\n<dl class=\"fields\">\n");
	field(h, "Revision", revision);
	field(h, "Its status", status);
	field(h, "Priority", desk_page_priority(rep->priority));
	field(h, "Drill", rep->exercise ? "yes: a drill, not a real child" : "");
	origin_fields(h, "Reported by", c->report);
	desk_html_printf(h, "</dl>\n");
}

static void found_fields(struct desk_html *h, const struct desk_case *c)
{
	const Raksha__V1__Sighting *s = c->report->sighting;
	desk_html_printf(h, "<h2>The child, as seen</h2>\n<dl class=\"fields\">\n");
	child_fields(h, c->child);
	desk_html_printf(h, "</dl>\n<h2>Where found</h2>\n<dl class=\"fields\">\n");
	place_fields(h, "Found", s->place);
	field(h, "In custody", s->in_custody ? "yes, of the finder" : "no: seen, not held");
	field(h, "Notes", s->notes);
	field(h, "Drill", s->exercise ? "yes: a drill, not a real child" : "");
	desk_html_printf(h, "</dl>\n<h2>The finder</h2>\n<dl class=\"fields\">\n");
	origin_fields(h, "Found by", c->report);
	desk_html_printf(h, "</dl>\n");
}

/* Full size: the photo's own bytes (desk_photo.c), scaled down only to fit
 * the screen (img.photo in the style). */
static void photos(struct desk_html *h, const Raksha__V1__Child *c, const char *id)
{
	for (size_t i = 0; i < c->n_photos; i++)
		desk_html_printf(h, "<figure class=\"photo\"><img class=\"photo\" src=\"/case/%s/photo/%zu\""
				 " alt=\"photo %zu of %s\"><figcaption>photo %zu of %zu%s%s</figcaption></figure>\n",
				 id, i, i + 1, c->name, i + 1, c->n_photos, *c->photos[i]->caption ? ": " : "",
				 c->photos[i]->caption);
}

void desk_case_fields(struct desk_html *h, const struct desk_case *c, const char *id)
{
	if (c->report == NULL) {
		desk_html_printf(h, "<p class=\"error\">Its %s no longer decodes.</p>\n",
				 c->found ? "sighting" : "report");
		return;
	}
	photos(h, c->child, id);
	if (c->found)
		found_fields(h, c);
	else
		report_fields(h, c);
}
