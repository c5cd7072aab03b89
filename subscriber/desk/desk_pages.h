/* The desk's pages, each answering one route (desk_routes.c). */
#ifndef RAKSHA_DESK_PAGES_H
#define RAKSHA_DESK_PAGES_H

#include <stdbool.h>

#include <raksha/raksha.h>
#include <sqlite3.h>

#include "desk/desk.h"

/* GET /login, and the form again after a failure (@status, @why). */
enum MHD_Result desk_page_login(struct desk_request *r, unsigned status, const char *why);
/* POST /login: the login form's token, the guard, the password. */
enum MHD_Result desk_login(struct desk_request *r);
/* POST /logout (the route checked the session's CSRF token). */
enum MHD_Result desk_logout(struct desk_request *r);

/* GET /cases. */
enum MHD_Result desk_page_list(struct desk_request *r, sqlite3 *db);
/* GET /presence: the units' agents, online or offline since when. */
enum MHD_Result desk_page_presence(struct desk_request *r, sqlite3 *db);
/* GET /case/ID. */
enum MHD_Result desk_page_case(struct desk_request *r, sqlite3 *db, const char *id);
/* GET /case/ID/poster: the case's printable A4 poster (desk_poster.c). */
enum MHD_Result desk_page_poster(struct desk_request *r, sqlite3 *db, const char *id);
/* GET /case/ID/photo/N: the photo's bytes from the stored envelope; with
 * @thumb, GET /case/ID/thumb/N: its thumbnail. */
enum MHD_Result desk_page_photo(struct desk_request *r, sqlite3 *db, const char *id, const char *n, bool thumb);
/* The thumbnail of photo @index of case @id (desk_thumb.h), from the cache
 * or made now; a grey placeholder if the photo is refused (logged). */
enum MHD_Result desk_thumb_reply(struct desk_request *r, const char *id, size_t index,
				 const Raksha__V1__Photo *photo);


/* The report forms' part of the stylesheet (desk_style_forms.c). */
extern const char desk_style_forms[];

/* The header's language buttons' rules (desk_style_lang.c). */
extern const char desk_style_lang[];

/* GET /style.css: the desk's one stylesheet. */
enum MHD_Result desk_page_style(struct desk_request *r);
/* The poster's rules (desk_style_poster.c), print CSS included. */
extern const char desk_style_poster[];
/* The statistics page's rules (desk_style_stats.c). */
extern const char desk_style_stats[];

/* GET /events (desk_live.c): the live stream, for an officer logged in;
 * without a session, one "login" event that sends the page to the login. */
enum MHD_Result desk_page_events(struct desk_request *r);
enum MHD_Result desk_page_events_login(struct desk_request *r);
/* The #live banner: what the agent's presence says, at the top of a page. */
void desk_live_banner(const struct desk_request *r, struct desk_html *h);
/* GET /live.js and GET /alert.wav (desk_live_js.c, desk_live_sound.c). */
enum MHD_Result desk_page_live_js(struct desk_request *r);
enum MHD_Result desk_page_alert_wav(struct desk_request *r);

#endif
