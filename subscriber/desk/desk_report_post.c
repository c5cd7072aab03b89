/* The report forms' routes (desk_report.h): GET gives the form (a
 * revision's filled with the latest report), POST reads it, makes each
 * photo fit to send (raksha_photo_normalise(): the original is never kept
 * nor sent), runs the validator, and only when every field is good
 * publishes through the agent's outbox, naming the officer; the page then
 * says sent or queued, with each photo's size before and after. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_db.h"
#include "desk/desk_page.h"
#include "desk/desk_report.h"
#include "desk/desk_report_page.h"
#include "desk/desk_said.h"

#define STATIONS_MAX 500

struct shot {
	size_t before, after;
	int width, height;           /* as sent */
	int taken_width, taken_height;  /* as taken; 0 if the header did not say */
};

struct rq {
	struct desk_request *r;
	sqlite3 *db;
	const struct desk_rf_kind *k;
	const struct desk_user *u;
	char id[RAKSHA_UUID_TEXT_LEN + 1];  /* the case's; "" for a new one */
	uint8_t uuid[RAKSHA_UUID_LEN];
	bool is_case, open, found_child;
	int revision;
	char *latest;        /* the case's latest report as JSON (a revision's form) */
	size_t photos_kept;
	struct desk_rf f;
	struct shot shots[DESK_UPLOAD_FILES];
	size_t n_shots;
	char draft[16 + RAKSHA_UUID_TEXT_LEN];
	char action[32 + RAKSHA_UUID_TEXT_LEN];
};

static void look(void *ctx, const struct desk_case *c)
{
	struct rq *q = ctx;
	q->open = c->status != NULL && strcmp(c->status, "open") == 0;
	q->found_child = c->found;
	q->revision = c->revision;
	const raksha_envelope *e = c->report;
	if (e == NULL || e->body_case != RAKSHA__V1__ENVELOPE__BODY_REPORT || q->k != &desk_rf_revise)
		return;
	if (raksha_message_to_json(&e->report->base, RAKSHA_JSON_COMPACT, &q->latest) < 0)
		q->latest = NULL;
	q->photos_kept = e->report->child ? e->report->child->n_photos : 0;
	q->revision = (int)e->report->revision;
}

/* The station codes the agent has seen, for the form's suggestions. */
static size_t stations(sqlite3 *db, char **out)
{
	sqlite3_stmt *q;
	size_t n = 0;
	if (sqlite3_prepare_v2(db, "SELECT DISTINCT station FROM cases WHERE station IS NOT NULL AND "
			       "station <> '' ORDER BY station LIMIT 500", -1, &q, NULL) != SQLITE_OK)
		return 0;
	for (; n < STATIONS_MAX && sqlite3_step(q) == SQLITE_ROW; n++)
		out[n] = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return n;
}

static enum MHD_Result form_page(struct rq *q, unsigned status, int bad)
{
	struct desk_html h = {0};
	char *st[STATIONS_MAX];
	struct desk_rf_page p = {q->r, &q->f, q->action, q->draft, bad, q->photos_kept, st, 0};
	p.n_stations = stations(q->db, st);
	desk_page_start(&h, q->r, _(q->k->title));
	desk_report_form_html(&h, &p);
	if (q->is_case)
		desk_html_printf(&h, "<p><a class=\"button\" href=\"/case/%s\">%s</a></p>\n", q->id,
				 _("Back to the case"));
	desk_page_end(&h);
	for (size_t i = 0; i < p.n_stations; i++)
		free(st[i]);
	return desk_reply_html(q->r, status, &h, NULL);
}

/* A number or a code without the spaces a phone's keyboard adds; any
 * other text is kept byte for byte. */
static bool trimmed(enum desk_rf_input in)
{
	return in == RF_NUM || in == RF_DEC || in == RF_TEL || in == RF_STATION || in == RF_TRAIN ||
	       in == RF_COACH || in == RF_TIME;
}

static void read_values(struct rq *q)
{
	char *v;
	for (int i = 0; q->k->fields[i].label != NULL; i++) {
		const struct desk_rf_field *fl = &q->k->fields[i];
		if (fl->path == NULL || fl->in == RF_LEGEND)
			continue;
		desk_rf_set(&q->f, i, desk_upload_get(q->r->upload, fl->path));
		v = q->f.values[i];
		if (v == NULL || !trimmed(fl->in))
			continue;
		size_t n = strlen(v);
		for (; n > 0 && v[n - 1] == ' '; n--)
			v[n - 1] = '\0';
		memmove(v, v + strspn(v, " "), strlen(v + strspn(v, " ")) + 1);
	}
}

static int field_index(const struct desk_rf_kind *k, const char *path)
{
	for (int i = 0; k->fields[i].label != NULL; i++)
		if (k->fields[i].path != NULL && strcmp(k->fields[i].path, path) == 0)
			return i;
	return -1;
}

/* The ids and revision the form does not ask for. */
static int set_ids(struct rq *q, json_t *doc)
{
	uint8_t fresh[RAKSHA_UUID_LEN];
	char text[RAKSHA_UUID_TEXT_LEN + 1];
	if (raksha_uuid7(fresh) < 0)
		return -1;
	raksha_uuid_format(fresh, text);
	bool sighting = q->k->kind == RAKSHA_KIND_SIGHTING;
	if (sighting)
		json_object_set_new(doc, "sighting_id", json_string(text));
	if (q->is_case)
		json_object_set_new(doc, "report_id", json_string(q->id));
	if (q->k == &desk_rf_report) {
		json_object_set_new(doc, "report_id", json_string(text));
		snprintf(q->id, sizeof(q->id), "%s", text);
	}
	if (q->k == &desk_rf_found)
		snprintf(q->id, sizeof(q->id), "%s", text);  /* the found child's case is its sighting */
	if (q->k->kind == RAKSHA_KIND_REPORT)
		json_object_set_new(doc, "revision", json_integer(q->k == &desk_rf_report ? 1 : q->revision + 1));
	return 0;
}

static json_t *b64(const uint8_t *data, size_t len)
{
	size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *text = malloc(size);
	if (text == NULL)
		return NULL;
	sodium_bin2base64(text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
	json_t *j = json_string(text);
	free(text);
	return j;
}

static json_t *photo_json(const struct raksha_photo *p, const char *caption)
{
	uint8_t sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, p->data, p->len);
	json_t *j = json_pack("{s:s, s:o, s:o}", "media_type", "image/jpeg", "data", b64(p->data, p->len),
			      "sha256", b64(sum, sizeof(sum)));
	if (j != NULL && caption != NULL && caption[0] != '\0')
		json_object_set_new(j, "caption", json_string(caption));
	return j;
}

/* A revision keeps the report's companions beyond the form's two. */
static void keep_companions(const struct rq *q, json_t *doc)
{
	json_t *latest = q->latest ? json_loads(q->latest, 0, NULL) : NULL;
	json_t *old = json_object_get(latest, "companions"), *e;
	size_t i;
	if (json_array_size(old) > DESK_RF_COMPANIONS && json_object_get(doc, "companions") == NULL)
		json_object_set_new(doc, "companions", json_array());
	json_t *list = json_object_get(doc, "companions");
	json_array_foreach(old, i, e) {
		if (i >= DESK_RF_COMPANIONS)
			json_array_append(list, e);
	}
	json_decref(latest);
}

/* The report's photos kept, then each one chosen, as the photo thread
 * made it fit to send (desk_photo_queue.h). */
static int add_photos(struct rq *q, json_t *doc)
{
	int at = field_index(q->k, "child.photos"), bad = 0;
	const char *caption = desk_upload_get(q->r->upload, "photo_caption");
	json_t *latest = q->latest ? json_loads(q->latest, 0, NULL) : NULL;
	json_t *list = json_deep_copy(json_object_get(json_object_get(latest, "child"), "photos"));
	json_decref(latest);
	if (list == NULL)
		list = json_array();
	for (size_t i = 0; at >= 0 && i < q->r->upload->n_files; i++) {
		const struct desk_upload_made *m = &q->r->upload->made[i];
		char err[320];
		if (m->r < 0) {
			snprintf(err, sizeof(err), _("Photo %zu: %s"), i + 1, q->r->upload->files[i].too_big ?
				 _("larger than 12 MiB as taken: choose a smaller photo") : m->why);
			desk_rf_error(&q->f, at, err);
			bad++;
			continue;
		}
		q->shots[q->n_shots] = (struct shot){q->r->upload->files[i].len, m->photo.len, m->photo.width,
						     m->photo.height, m->taken_width, m->taken_height};
		q->n_shots++;
		json_array_append_new(list, photo_json(&m->photo, caption));
	}
	json_t *child = json_object_get(doc, "child");
	if (child == NULL && json_array_size(list) > 0) {
		child = json_object();
		json_object_set_new(doc, "child", child);
	}
	if (json_array_size(list) > 0)
		json_object_set_new(child, "photos", list);
	else
		json_decref(list);
	return bad;
}

static struct unit_officer officer_of(const struct desk_user *u)
{
	return (struct unit_officer){u->full_name[0] ? u->full_name : u->name, u->badge};
}

static int check(void *ctx, ProtobufCMessage *body, struct raksha_problem *pr)
{
	const struct rq *q = ctx;
	struct unit_officer o = officer_of(q->u);
	return unit_pub_check(q->r->desk->pub, q->k->kind, body, &o, pr);
}

static void size_text(size_t bytes, char *out, size_t size)
{
	snprintf(out, size, "%.1f MB", (double)bytes / 1e6);
	if (bytes < 1000000)
		snprintf(out, size, "%zu KB", (bytes + 500) / 1000);
}

static const char *sent_title(int sent)
{
	if (sent > 0)
		return _("Sent to every unit");
	if (sent == 0)
		return _("Queued: it goes when the link returns");
	return _("Not sent: the broker refused it");
}

/* Sent or queued, each photo's sizes, and the word that clears the draft
 * (not when the broker refused it: it was set aside, not sent). */
static enum MHD_Result sent_page(struct rq *q, int sent, const char *said)
{
	struct desk_html h = {0};
	char before[32], after[32];
	desk_page_start(&h, q->r, sent_title(sent));
	desk_html_printf(&h, "<h1>%s</h1>\n", sent_title(sent));
	if (sent >= 0)
		desk_html_printf(&h, "<p class=\"notice\" id=\"sent\" data-draft-sent=\"%s\">%s</p>\n", q->draft,
				 said);
	else
		desk_html_printf(&h, "<p class=\"error\" id=\"refused\">%s</p>\n", said);
	if (q->n_shots > 0)
		desk_html_printf(&h, "<ul id=\"photo-sent\">\n");
	for (size_t i = 0; i < q->n_shots; i++) {
		size_text(q->shots[i].before, before, sizeof(before));
		size_text(q->shots[i].after, after, sizeof(after));
		desk_html_printf(&h, "<li>");
		const struct shot *s = &q->shots[i];
		desk_html_printf(&h, _("Photo %zu: %s, %d x %d pixels as taken; sent as %s, %d x %d pixels, upright, "
				       "without EXIF."), i + 1, before, s->taken_width, s->taken_height, after, s->width,
				 s->height);
		desk_html_printf(&h, "</li>\n");
	}
	if (q->n_shots > 0)
		desk_html_printf(&h, "</ul>\n");
	desk_html_printf(&h, "<p><a class=\"button\" id=\"to-case\" href=\"/case/%s\">%s</a> "
			 "<a class=\"button\" href=\"/cases\">%s</a></p>\n<script src=\"/forms.js\"></script>\n",
			 q->id, _("Open the case"), _("All open cases"));
	desk_page_end(&h);
	return desk_reply_html(q->r, 200, &h, NULL);
}

static enum MHD_Result publish(struct rq *q, ProtobufCMessage *body)
{
	char said[640], shown[640];
	struct unit_said s;
	struct unit_officer o = officer_of(q->u);
	int sent = unit_pub_body(q->r->desk->pub, q->k->kind, body, &o, &s);
	unit_said_text(&s, said, sizeof(said));
	log_line(sent < 0 ? LOG_ERR : LOG_NOTICE, "raksha-desk: '%s' posted the %s form%s%s from %s: %s",
		 q->u->name, q->k->name, q->id[0] ? " of case " : "", q->id, q->r->addr, said);
	/* the page's words in the account's language; the log above keeps unit_pub's English */
	desk_said(&s, shown, sizeof(shown));
	if (sent < 0 && sent != -EACCES) {
		snprintf(q->f.top, sizeof(q->f.top), "%s", shown);  /* nothing queued */
		return form_page(q, 422, 1);
	}
	return sent_page(q, sent, shown);
}

/* The form again, what was typed kept, to be sent again later. */
static enum MHD_Result busy_page(struct rq *q)
{
	snprintf(q->f.top, sizeof(q->f.top), "%s", _("The desk is stopping or too busy to make the photos fit to "
						      "send: nothing was sent. Send the form again in a minute "
						      "(choose the photos again)."));
	q->r->retry_after = DESK_BUSY_RETRY_S;
	return form_page(q, 503, 1);
}

/* Whether the form's photos are made (desk_photo_queue.h): the first time
 * through, the form is queued and its connection suspended (*@ok set); its
 * route runs again when they are, or the desk stops (then *@ok is the form
 * again, 503). */
static bool photos_made(struct rq *q, enum MHD_Result *ok)
{
	struct desk_upload *u = q->r->upload;
	struct desk_photo_queue *pq = &q->r->desk->photos;
	if (!q->k->photos || u->n_files == 0)
		return true;
	*ok = MHD_YES;
	if (u->photos == DESK_PHOTOS_TAKEN && desk_photo_queue_submit(pq, u, q->r->conn) == 0)
		return false;
	if (u->photos != DESK_PHOTOS_TAKEN && desk_photo_queue_state(pq, u) == DESK_PHOTOS_MADE)
		return true;
	log_line(LOG_WARNING, "raksha-desk: '%s' posted the %s form from %s: its photos not made (the desk is "
		 "stopping or busy), nothing sent", q->u->name, q->k->name, q->r->addr);
	*ok = busy_page(q);
	return false;
}

static enum MHD_Result post_form(struct rq *q)
{
	void *doc = NULL;
	ProtobufCMessage *body = NULL;
	enum MHD_Result ok;
	if (q->r->upload == NULL)
		return desk_refuse(q->r, 400, _("Send this form from the desk's page."));
	read_values(q);
	if (!photos_made(q, &ok))
		return ok;
	if (q->r->upload->too_many)
		snprintf(q->f.top, sizeof(q->f.top), "%s", _("Too many fields or photos, or a field over 16 KiB: "
							      "some were not read."));
	int bad = desk_rf_to_json(&q->f, q->r->now_ms, &doc);
	if (bad >= 0 && set_ids(q, doc) < 0)
		bad = -ENOMEM;
	if (bad >= 0 && q->k->photos)
		add_photos(q, doc);  /* a photo refused is its field's error */
	if (bad >= 0 && q->k == &desk_rf_revise)
		keep_companions(q, doc);
	if (bad >= 0)
		bad = desk_rf_validate(&q->f, doc, check, q, &body);
	json_decref(doc);
	if (bad < 0)
		return desk_refuse(q->r, 500, _("Out of memory: nothing was sent."));
	if (bad > 0 || q->f.top[0] != '\0' || body == NULL) {
		protobuf_c_message_free_unpacked(body, NULL);
		log_line(LOG_INFO, "raksha-desk: '%s' posted the %s form from %s: %d field(s) refused, nothing sent",
			 q->u->name, q->k->name, q->r->addr, bad);
		return form_page(q, 422, bad > 0 ? bad : 1);
	}
	ok = publish(q, body);
	protobuf_c_message_free_unpacked(body, NULL);
	return ok;
}

static const struct desk_rf_kind *const case_kinds[] = {&desk_rf_revise, &desk_rf_seen, &desk_rf_update};

const struct desk_rf_kind *desk_report_kind(const char *url)
{
	if (strcmp(url, "/report/new") == 0)
		return &desk_rf_report;
	if (strcmp(url, "/found/new") == 0)
		return &desk_rf_found;
	const char *rest = url + strlen("/case/");
	if (strncmp(url, "/case/", 6) != 0 || strlen(rest) <= RAKSHA_UUID_TEXT_LEN || rest[RAKSHA_UUID_TEXT_LEN] != '/')
		return NULL;
	for (size_t i = 0; i < sizeof(case_kinds) / sizeof(case_kinds[0]); i++)
		if (strcmp(rest + RAKSHA_UUID_TEXT_LEN + 1, case_kinds[i]->name) == 0)
			return case_kinds[i];
	return NULL;
}

static bool may_report(const struct desk_user *u)
{
	return u != NULL && (strcmp(u->role, "officer") == 0 || strcmp(u->role, "supervisor") == 0);
}

/* The case a form of a case is about: there, open (a sighting, a
 * revision), a report (a revision). Returns 0 if the form may be given,
 * else the status to refuse it with, and @why. */
static unsigned case_refusal(struct rq *q, const char **why)
{
	*why = _("There is no such case.");
	if (raksha_uuid_parse(q->id, q->uuid) < 0 || desk_db_case(q->db, q->uuid, look, q) != 1)
		return 404;
	*why = _("This case is no longer open: nothing was sent.");
	if (q->k != &desk_rf_update && !q->open)
		return 409;
	*why = _("A found child has no report to revise: send a sighting or link it to a report.");
	if (q->k == &desk_rf_revise && (q->found_child || q->latest == NULL))
		return 409;
	return 0;
}

static enum MHD_Result route(struct rq *q)
{
	if (!may_report(q->u))
		return desk_refuse(q->r, 403, _("Your account may not report: ask your administrator."));
	const char *why = NULL;
	unsigned status = q->is_case ? case_refusal(q, &why) : 0;
	if (status != 0)
		return desk_refuse(q->r, status, why);
	if (q->is_case)
		snprintf(q->action, sizeof(q->action), "/case/%s/%s", q->id, q->k->name);
	else
		snprintf(q->action, sizeof(q->action), "%s", q->k == &desk_rf_report ? "/report/new" : "/found/new");
	snprintf(q->draft, sizeof(q->draft), "%s%s%s", q->k->name, q->is_case ? ":" : "", q->is_case ? q->id : "");
	if (strcmp(q->r->method, "POST") == 0)
		return post_form(q);
	if (q->latest != NULL)
		desk_rf_fill(&q->f, q->latest);
	return form_page(q, 200, 0);
}

enum MHD_Result desk_report_route(struct desk_request *r, sqlite3 *db, const struct desk_rf_kind *k, const char *id)
{
	struct rq *q = calloc(1, sizeof(*q));
	if (q == NULL)
		return MHD_NO;
	*q = (struct rq){.r = r, .db = db, .k = k, .u = desk_page_user(r), .is_case = id != NULL && id[0] != '\0'};
	q->f.k = k;
	if (q->is_case)
		snprintf(q->id, sizeof(q->id), "%s", id);
	enum MHD_Result ok = route(q);
	desk_rf_free(&q->f);
	free(q->latest);
	free(q);
	return ok;
}
