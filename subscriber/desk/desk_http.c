#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <sodium.h>

#include "common/i18n.h"
#include "common/clock.h"
#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk.h"
#include "desk/desk_session_store.h"

/* No script, style, image or frame from anywhere but the desk itself, and
 * no inline script or style at all (the CSS is /style.css). */
static const char CSP[] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

static void add_headers(struct MHD_Response *resp, const char *type, const char *cookie)
{
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", cookie);
}

void desk_headers(struct MHD_Response *resp, const char *type, const char *cookie)
{
	add_headers(resp, type, cookie);
}

enum MHD_Result desk_reply(struct desk_request *r, unsigned status, const char *type, const void *body,
			   size_t len, const char *cookie)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	add_headers(resp, type, cookie);
	char retry[16];
	snprintf(retry, sizeof(retry), "%u", r->retry_after);
	if (r->retry_after > 0)
		MHD_add_response_header(resp, "Retry-After", retry);
	enum MHD_Result ok = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return ok;
}

enum MHD_Result desk_reply_html(struct desk_request *r, unsigned status, struct desk_html *h,
				const char *cookie)
{
	enum MHD_Result ok;
	if (h->failed)
		ok = desk_reply(r, 500, "text/plain; charset=utf-8", "out of memory\n", 14, NULL);
	else
		ok = desk_reply(r, status, "text/html; charset=utf-8", h->buf, h->len, cookie);
	desk_html_free(h);
	return ok;
}

enum MHD_Result desk_redirect(struct desk_request *r, const char *location, const char *cookie)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	add_headers(resp, "text/plain; charset=utf-8", cookie);
	MHD_add_response_header(resp, "Location", location);
	enum MHD_Result ok = MHD_queue_response(r->conn, 303, resp);
	MHD_destroy_response(resp);
	return ok;
}

enum MHD_Result desk_refuse(struct desk_request *r, unsigned status, const char *why)
{
	struct desk_html h = {0};
	desk_html_printf(&h, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
			 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			 "<title>%d</title><link rel=\"stylesheet\" href=\"/style.css\"></head>"
			 "<body><main><h1>%d</h1><p>%s</p><p><a class=\"button\" href=\"/\">%s</a></p>"
			 "</main></body></html>\n", i18n_current(), (int)status, (int)status, why, _("Back"));
	return desk_reply_html(r, status, &h, NULL);
}

void desk_cookie(const struct desk *d, const char *name, const char *value, char *out, size_t size)
{
	snprintf(out, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value ? value : "",
		 value ? "" : "; Max-Age=0", d->https ? "; Secure" : "");
}

static void client_address(struct desk_request *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn,
								      MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->addr, sizeof(r->addr), "?");
	if (ci == NULL || ci->client_addr == NULL)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->addr,
			  sizeof(r->addr));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, r->addr,
			  sizeof(r->addr));
}

/* A report form's POST (multipart/form-data, photos in it) from a
 * session is read part by part (desk_upload.h); a body over its bound is
 * refused before it is read. Any other body is kept whole, up to
 * DESK_BODY_MAX. */
static enum MHD_Result begin_upload(struct desk_request *r)
{
	if (strcmp(r->method, "POST") != 0 || !desk_upload_is_multipart(r->conn))
		return MHD_YES;
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, DESK_SESSION_COOKIE);
	if (desk_session_find(&r->desk->sessions, cookie, clock_wall_ms()) == NULL)
		return MHD_YES;  /* refused by the route, its body never kept */
	if (desk_upload_length(r->conn) > DESK_UPLOAD_MAX) {
		log_line(LOG_WARNING, "raksha-desk: POST %s from %s refused: over %u MiB", r->url, r->addr,
			 DESK_UPLOAD_MAX >> 20);
		return desk_refuse(r, 413, _("Refused: the photos are too large together. Send at most "
					     "3 photos of at most 12 MiB each."));
	}
	if (r->desk->uploads >= DESK_UPLOADS_MAX) {
		log_line(LOG_WARNING, "raksha-desk: POST %s from %s refused: %u forms with photos being read",
			 r->url, r->addr, r->desk->uploads);
		r->retry_after = DESK_BUSY_RETRY_S;
		return desk_refuse(r, 503, _("The desk is busy receiving other photos. Send the form again "
					     "in a minute: what you typed is kept."));
	}
	r->upload = desk_upload_new(r->conn);
	if (r->upload == NULL)
		return MHD_NO;
	r->desk->uploads++;
	return MHD_YES;
}

/* A piece of a form's body, into its buffer (made at the first piece). */
static enum MHD_Result keep_body(struct desk_request *r, const char *data, size_t *data_size)
{
	if (r->body_len + *data_size > DESK_BODY_MAX)
		r->too_big = true;
	if (!r->too_big && r->body == r->none) {
		r->body = malloc(DESK_BODY_MAX + 1);
		if (r->body == NULL) {
			r->body = r->none;
			return MHD_NO;
		}
	}
	if (!r->too_big) {
		memcpy(r->body + r->body_len, data, *data_size);
		r->body_len += *data_size;
	}
	*data_size = 0;
	return MHD_YES;
}

/* libmicrohttpd calls this first with no body (to make the request's
 * state), then with each piece of the body, then once more with none. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *data_size, void **state)
{
	(void)version;
	struct desk_request *r = *state;
	if (r == NULL) {
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return MHD_NO;
		r->desk = cls;
		r->conn = conn;
		r->url = url;
		r->method = method;
		r->body = r->none;
		client_address(r);
		*state = r;
		return begin_upload(r);
	}
	if (*data_size > 0 && r->upload != NULL) {
		if (desk_upload_feed(r->upload, data, *data_size) < 0)
			r->too_big = true;
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size > 0)
		return keep_body(r, data, data_size);
	r->body[r->body_len] = '\0';
	r->now_ms = clock_wall_ms();
	return desk_route(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **state,
			 enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)conn;
	(void)why;
	struct desk_request *r = *state;
	if (r != NULL && r->upload != NULL) {
		desk_photo_queue_done(&r->desk->photos, r->upload);  /* answered, or its connection lost */
		desk_upload_free(r->upload);
		r->desk->uploads--;
	}
	if (r != NULL && r->body != r->none)
		free(r->body);
	free(*state);
	*state = NULL;
}

__attribute__((format(printf, 2, 0)))
static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';  /* its messages end with a line break */
	log_line(LOG_WARNING, "raksha-desk: libmicrohttpd: %s", line);
}

/* The whole of @path, NUL-terminated, as GnuTLS takes PEM. */
static char *read_pem(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = calloc(1, 65537);
	size_t n = buf ? fread(buf, 1, 65536, f) : 0;
	bool whole = n < 65536 || getc(f) == EOF;
	bool failed = ferror(f) != 0;
	fclose(f);
	if (buf == NULL || n == 0 || !whole || failed) {
		snprintf(err, errlen, "%s: empty, unreadable or over 64 KiB", path);
		free(buf);
		return NULL;
	}
	return buf;
}

static int load_tls(struct desk *d, char *err, size_t errlen)
{
	if (d->c->tls_cert == NULL)
		return 0;
	d->cert_pem = read_pem(d->c->tls_cert, err, errlen);
	if (d->cert_pem == NULL)
		return -EIO;
	d->key_pem = read_pem(d->c->tls_key, err, errlen);
	if (d->key_pem == NULL)
		return -EIO;
	d->https = true;
	return 0;
}

/* The sessions of accounts not in @fresh (deleted, also while the desk
 * was down) or whose password changed since @d's accounts were read. */
static void end_stale_sessions(struct desk *d, const struct desk_users *fresh)
{
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++) {
		struct desk_session *x = &d->sessions.v[i];
		if (x->id_hash[0] == '\0')
			continue;
		const struct desk_user *now = desk_users_find(fresh, x->user);
		const struct desk_user *before = desk_users_find(&d->users, x->user);
		if (now == NULL || (before != NULL && strcmp(before->hash, now->hash) != 0))
			desk_session_end(&d->sessions, x);
	}
}

void desk_users_refresh(struct desk *d)
{
	struct stat st;
	char err[512];
	if (stat(d->c->users, &st) < 0)
		memset(&st, 0, sizeof(st));  /* no file: no accounts */
	if (st.st_ino == d->users_ino && st.st_mtim.tv_sec == d->users_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == d->users_mtime.tv_nsec && d->users.v != NULL)
		return;
	struct desk_users fresh;
	if (desk_users_load(d->c->users, &fresh, err, sizeof(err)) < 0) {
		log_line(LOG_ERR, "raksha-desk: %s; keeping the accounts read before", err);
		return;
	}
	end_stale_sessions(d, &fresh);
	desk_users_free(&d->users);
	d->users = fresh;
	d->users_ino = st.st_ino;
	d->users_mtime = st.st_mtim;
}

/* Each connection's memory pool (libmicrohttpd's default 32 KiB, zeroed
 * and held for the connection's life: an /events stream's for hours). It
 * holds the request's line and headers and the socket's buffers: a
 * browser's request to the desk is under 2 KiB (one session cookie), and
 * one with more than about 15 KiB of headers gets 431. A body streams
 * through in pieces, so uploads are not bounded by it. */
#define DESK_CONNECTION_MEMORY (16 * 1024)

static struct MHD_Daemon *start_daemon(struct desk *d)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (d->c->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (d->https)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, d->cert_pem},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, d->key_pem},
		{MHD_OPTION_END, 0, NULL},
	};
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, d,
				MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, d,
				MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&d->c->addr,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, d,
				MHD_OPTION_CONNECTION_TIMEOUT, 30u,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)DESK_CONNECTION_MEMORY,
				MHD_OPTION_CONNECTION_LIMIT, 128u,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, 32u,
				MHD_OPTION_ARRAY, d->https ? tls : &tls[2],
				MHD_OPTION_END);
}

int desk_start(struct desk *d, const struct desk_config *c, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->c = c;
	int r = load_tls(d, err, errlen);
	if (r < 0)
		goto fail;
	desk_lang_start(&d->langs, c->users);
	desk_sessions_load(&d->sessions, c->sessions, clock_wall_ms());
	desk_users_refresh(d);
	desk_sessions_sync(&d->sessions, clock_wall_ms());
	r = unit_pub_open(&c->agent, "desk", &d->pub, err, errlen);
	if (r < 0)
		goto fail;
	r = desk_live_start(&d->live, &c->agent);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the live watch: %s", strerror(-r));
		goto fail;
	}
	r = desk_photo_queue_start(&d->photos);
	if (r < 0) {
		snprintf(err, errlen, "cannot start the photo thread: %s", strerror(-r));
		goto fail;
	}
	errno = 0;
	d->daemon = start_daemon(d);
	if (d->daemon == NULL) {
		r = errno ? -errno : -EADDRINUSE;
		snprintf(err, errlen, "cannot listen on %s: %s", c->listen, strerror(-r));
		goto fail;
	}
	return 0;
fail:
	desk_stop(d);
	return r;
}

void desk_stop(struct desk *d)
{
	desk_live_stop(&d->live);  /* its streams end before the daemon does */
	desk_photo_queue_stop(&d->photos);  /* and the forms waiting for their photos */
	if (d->daemon != NULL)
		MHD_stop_daemon(d->daemon);
	d->daemon = NULL;
	unit_pub_close(d->pub);
	d->pub = NULL;
	if (d->sessions.dirty || d->sessions.touched)
		desk_sessions_save(&d->sessions, clock_wall_ms());  /* the idle times too */
	desk_users_free(&d->users);
	desk_lang_stop(&d->langs);
	if (d->thumbs != NULL)
		desk_thumb_cache_free(d->thumbs);
	free(d->thumbs);
	d->thumbs = NULL;
	free(d->cert_pem);
	free(d->key_pem);
	d->cert_pem = NULL;
	d->key_pem = NULL;
	sodium_memzero(&d->sessions, sizeof(d->sessions));
}
