/* raksha-desk's server: the state the pages share and the HTTP layer
 * (libmicrohttpd, one internal polling thread that runs every request in
 * turn, so the sessions, the guard and the accounts need no lock). */
#ifndef RAKSHA_DESK_H
#define RAKSHA_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <microhttpd.h>

#include "agent/unit_pub.h"
#include "desk/desk_config.h"
#include "desk/desk_guard.h"
#include "desk/desk_html.h"
#include "desk/desk_lang.h"
#include "desk/desk_live.h"
#include "desk/desk_photo_queue.h"
#include "desk/desk_session.h"
#include "desk/desk_thumb_cache.h"
#include "desk/desk_upload.h"
#include "desk/desk_users.h"
#include "metrics/metrics.h"

/* A form's bytes; more is refused (413). Room for every action field
 * full (desk_action_fields.h) in Devanagari, each byte sent as %XX. */
#define DESK_BODY_MAX 32768
#define DESK_SESSION_COOKIE "raksha_session"
#define DESK_LOGIN_COOKIE "raksha_login"   /* the login form's own CSRF token */

struct desk {
	const struct desk_config *c;
	bool https;
	struct desk_users users;
	ino_t users_ino;
	struct timespec users_mtime;
	struct desk_sessions sessions;
	struct desk_guard guard;
	struct MHD_Daemon *daemon;
	char *cert_pem, *key_pem;
	struct unit_pub *pub;     /* the officers' actions, through the agent's outbox */
	struct desk_thumb_cache *thumbs;  /* the list's thumbnails; NULL until the first */
	struct desk_live live;    /* the watch behind /events (desk_live.h) */
	unsigned uploads;         /* report forms' bodies being read (DESK_UPLOADS_MAX) */
	struct desk_photo_queue photos;  /* their photos' thread (desk_photo_queue.h) */
	struct desk_langs langs;  /* the catalogs read, the accounts' languages (desk_lang.h) */
	struct metrics_link metrics_link;  /* the agent's presence as /metrics last read it */
};

struct desk_request {
	struct desk *desk;
	struct MHD_Connection *conn;
	const char *method, *url;
	/* The form's body, NUL-terminated: `none` until a body comes, then a
	 * buffer of DESK_BODY_MAX + 1 bytes of its own, so that a GET, and an
	 * /events stream open for hours, holds no 32 KiB it never fills. */
	char *body;
	char none[1];
	size_t body_len;
	bool too_big;
	struct desk_upload *upload;    /* a multipart/form-data POST's parts; NULL for others */
	char addr[64];                 /* the client's address, as text */
	struct desk_session *session;  /* NULL: not logged in */
	int64_t now_ms;                /* wall clock, for ages and sessions */
	unsigned retry_after;          /* seconds, a 503's Retry-After; 0: none */
};

/* Opens the agent's outbox and the desk's own MQTT client (unit_pub.h),
 * and starts listening as @c says. Returns 0, or a negative errno with
 * @err (@errlen bytes) saying why (the address taken, a certificate
 * unreadable, the outbox not there). */
int desk_start(struct desk *d, const struct desk_config *c, char *err, size_t errlen);

void desk_stop(struct desk *d);

/* Re-reads the accounts file if it changed since the last look (an admin
 * ran raksha-desk user ...); the sessions of deleted accounts end. */
void desk_users_refresh(struct desk *d);

/* Sends @status with @body (@len bytes, copied) of @type, with the headers
 * every response gets (docs/desk.md): Content-Security-Policy, no framing,
 * no caching, no sniffing, no referrer; @cookie (NULL: none) as a
 * Set-Cookie header; Retry-After if @r's retry_after is set. */
enum MHD_Result desk_reply(struct desk_request *r, unsigned status, const char *type, const void *body,
			   size_t len, const char *cookie);

/* The headers of desk_reply() on @resp, for a response made otherwise. */
void desk_headers(struct MHD_Response *resp, const char *type, const char *cookie);

/* desk_reply() of @h's page as text/html (500 if @h failed). */
enum MHD_Result desk_reply_html(struct desk_request *r, unsigned status, struct desk_html *h,
				const char *cookie);

/* 303 See Other to @location (a path of the desk's own). */
enum MHD_Result desk_redirect(struct desk_request *r, const char *location, const char *cookie);

/* A short page saying @status and @why. */
enum MHD_Result desk_refuse(struct desk_request *r, unsigned status, const char *why);

/* A Set-Cookie value for @name = @value (NULL: the cookie removed) into
 * @out: HttpOnly, SameSite=Strict, Path=/, Secure under HTTPS. */
void desk_cookie(const struct desk *d, const char *name, const char *value, char *out, size_t size);

/* The request's routes (desk_routes.c). */
enum MHD_Result desk_route(struct desk_request *r);

#endif
