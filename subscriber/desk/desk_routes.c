/* Which page answers a request, and what it needs first: a session for
 * everything with child data, and for every POST but the login the
 * session's CSRF token. */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_lang.h"
#include "desk/desk_action.h"
#include "desk/desk_db.h"
#include "desk/desk_form.h"
#include "desk/desk_metrics.h"
#include "desk/desk_pages.h"
#include "desk/desk_report.h"
#include "desk/desk_session_store.h"
#include "desk/desk_stats.h"

#define CASE_PREFIX "/case/"
#define PHOTO_PART "/photo/"
#define THUMB_PART "/thumb/"
#define POSTER_PART "/poster"

static bool is_case_url(const char *url)
{
	return strncmp(url, CASE_PREFIX, strlen(CASE_PREFIX)) == 0;
}

/* POST /case/ID/VERB of an action (desk_action.h). */
static bool is_action(const char *url)
{
	const char *rest = url + strlen(CASE_PREFIX);
	return is_case_url(url) && strlen(rest) > RAKSHA_UUID_TEXT_LEN && rest[RAKSHA_UUID_TEXT_LEN] == '/' &&
	       desk_action_verb(rest + RAKSHA_UUID_TEXT_LEN + 1);
}

/* GET /stats and /stats.csv, for supervisors (desk_stats.h). */
static bool is_stats_url(const char *url)
{
	return strcmp(url, "/stats") == 0 || strcmp(url, "/stats.csv") == 0;
}

/* The pages that read the agent's database: /cases, /presence, /case/ID,
 * its photos, its poster. */
static enum MHD_Result with_db(struct desk_request *r)
{
	char err[512], id[RAKSHA_UUID_TEXT_LEN + 1] = "";
	sqlite3 *db;
	if (desk_db_open(r->desk->c->agent.database, &db, err, sizeof(err)) < 0) {
		log_line(LOG_WARNING, "raksha-desk: %s", err);
		return desk_refuse(r, 503, _("The agent's database cannot be read now. Is the agent running?"));
	}
	enum MHD_Result ok;
	const struct desk_rf_kind *form = desk_report_kind(r->url);
	const char *rest = r->url + strlen(CASE_PREFIX);
	const char *photo = strstr(r->url, PHOTO_PART);
	const char *thumb = strstr(r->url, THUMB_PART);
	if (strlen(rest) >= RAKSHA_UUID_TEXT_LEN)
		memcpy(id, rest, RAKSHA_UUID_TEXT_LEN);  /* the case's id, if any, ends there */
	if (strcmp(r->url, "/cases") == 0)
		ok = desk_page_list(r, db);
	else if (strcmp(r->url, "/presence") == 0)
		ok = desk_page_presence(r, db);
	else if (form != NULL)
		ok = desk_report_route(r, db, form, is_case_url(r->url) ? id : "");
	else if (is_stats_url(r->url))
		ok = strcmp(r->url, "/stats") == 0 ? desk_page_stats(r, db) : desk_page_stats_csv(r, db);
	else if (strcmp(r->method, "POST") == 0 && is_action(r->url))
		ok = desk_action_post(r, db, id, strrchr(r->url, '/') + 1);
	else if (strlen(rest) > RAKSHA_UUID_TEXT_LEN && strcmp(rest + RAKSHA_UUID_TEXT_LEN, POSTER_PART) == 0)
		ok = desk_page_poster(r, db, id);
	else if (thumb != NULL && thumb - rest == RAKSHA_UUID_TEXT_LEN)
		ok = desk_page_photo(r, db, id, thumb + strlen(THUMB_PART), true);
	else if (photo == NULL && thumb == NULL)
		ok = desk_page_case(r, db, rest);
	else if (photo != NULL && photo - rest == RAKSHA_UUID_TEXT_LEN)
		ok = desk_page_photo(r, db, id, photo + strlen(PHOTO_PART), false);
	else
		ok = desk_refuse(r, 404, _("There is no such page."));
	sqlite3_close(db);
	return ok;
}

static enum MHD_Result get(struct desk_request *r)
{
	if (strcmp(r->url, "/style.css") == 0)
		return desk_page_style(r);
	if (strcmp(r->url, "/live.js") == 0)
		return desk_page_live_js(r);
	if (strcmp(r->url, "/alert.wav") == 0)
		return desk_page_alert_wav(r);
	if (strcmp(r->url, "/forms.js") == 0)
		return desk_page_forms_js(r);
	if (strcmp(r->url, "/metrics") == 0)
		return desk_page_metrics(r);  /* its own token, never a session */
	if (strcmp(r->url, "/healthz") == 0)
		return desk_page_healthz(r);
	if (strcmp(r->url, "/events") == 0)
		return r->session ? desk_page_events(r) : desk_page_events_login(r);
	if (strcmp(r->url, "/login") == 0)
		return r->session ? desk_redirect(r, "/cases", NULL) : desk_page_login(r, 200, NULL);
	if (strcmp(r->url, "/") == 0)
		return desk_redirect(r, r->session ? "/cases" : "/login", NULL);
	if (strcmp(r->url, "/cases") != 0 && strcmp(r->url, "/presence") != 0 && !is_case_url(r->url) &&
	    desk_report_kind(r->url) == NULL && !is_stats_url(r->url))
		return desk_refuse(r, 404, _("There is no such page."));
	if (r->session == NULL && (strstr(r->url, PHOTO_PART) != NULL || strstr(r->url, THUMB_PART) != NULL))
		return desk_refuse(r, 403, _("Photos only to an officer logged in."));
	if (r->session == NULL)
		return desk_redirect(r, "/login", NULL);
	return with_db(r);
}

static enum MHD_Result post(struct desk_request *r)
{
	char token[DESK_TOKEN_HEX + 8];
	if (strcmp(r->url, "/login") == 0)
		return desk_login(r);
	bool has_token = desk_upload_field(r->upload, r->body, "csrf", token, sizeof(token));
	if (r->session == NULL || !has_token || !desk_session_csrf_ok(r->session, token)) {
		log_line(LOG_WARNING, "raksha-desk: POST %s from %s refused: %s", r->url, r->addr,
			 r->session ? "no valid CSRF token" : "no session");
		return desk_refuse(r, 403, _("Refused: this form has expired or came from elsewhere. "
				     "Open the page again."));
	}
	if (strcmp(r->url, "/logout") == 0)
		return desk_logout(r);
	if (strcmp(r->url, "/language") == 0)
		return desk_lang_post(r);
	if (is_action(r->url) || desk_report_kind(r->url) != NULL)
		return with_db(r);
	return desk_refuse(r, 404, _("There is no such action."));
}

static enum MHD_Result route(struct desk_request *r)
{
	struct desk *d = r->desk;
	desk_users_refresh(d);
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, DESK_SESSION_COOKIE);
	r->session = desk_session_find(&d->sessions, cookie, r->now_ms);
	desk_lang_request(r);
	if (r->too_big)
		return desk_refuse(r, 413, _("That form is too large."));
	if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)
		return get(r);
	if (strcmp(r->method, "POST") == 0)
		return post(r);
	return desk_refuse(r, 405, _("The desk answers GET and POST only."));
}

enum MHD_Result desk_route(struct desk_request *r)
{
	enum MHD_Result ok = route(r);
	desk_sessions_sync(&r->desk->sessions, r->now_ms);  /* a login, a logout, idle times */
	return ok;
}
