/* /metrics and /healthz (desk_metrics.h). */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "common/log.h"
#include "common/password_file.h"
#include "desk/desk_agent_alive.h"
#include "desk/desk_db.h"
#include "desk/desk_metrics.h"
#include "metrics/metrics.h"

#define BEARER "Bearer "
#define TEXT_TYPE "text/plain; charset=utf-8"
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* RFC 6750's b64token: what a bearer token may hold. */
static bool token68(const char *t)
{
	size_t len = strlen(t);
	size_t body = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");
	return body > 0 && strspn(t + body, "=") == len - body;
}

/* Why the token file at @file cannot be used, or NULL: it must be the
 * owner's alone, as a password file is. */
static const char *file_problem(const char *file)
{
	struct stat st;
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return strerror(errno);
	int r = fstat(fd, &st);
	close(fd);
	if (r < 0 || !S_ISREG(st.st_mode))
		return "not a regular file";
	if ((st.st_mode & 077) != 0)
		return "others may read it: chmod 0600 it (it authorises the metrics)";
	return NULL;
}

/* Why the token in @file cannot be used, or NULL with *@out the token. */
static const char *token_problem(const char *file, char **out)
{
	const char *problem = file_problem(file);
	if (problem != NULL)
		return problem;
	char *token = password_file_read(file);
	if (token == NULL)
		return strerror(errno);
	*out = token;
	size_t len = strlen(token);
	if (len < DESK_METRICS_TOKEN_MIN || len > DESK_METRICS_TOKEN_MAX)
		return "its first line is not 32 to 512 bytes long";
	if (!token68(token))
		return "its first line holds a byte a bearer token may not (A-Z a-z 0-9 - . _ ~ + /, = at the end)";
	return NULL;
}

static int take_token(struct desk_config *c, const char *path)
{
	char *token = NULL;
	const char *problem = token_problem(c->metrics_token, &token);
	if (problem == NULL) {
		crypto_generichash(c->metrics_hash, sizeof(c->metrics_hash), (const unsigned char *)token,
				   strlen(token), NULL, 0);
		c->metrics = true;
	} else {
		log_line(LOG_ERR, "%s: [desk] metrics_token: %s: %s", path, c->metrics_token, problem);
	}
	if (token != NULL)
		sodium_memzero(token, strlen(token));
	free(token);
	return problem != NULL;
}

int desk_metrics_config(struct desk_config *c, const char *path)
{
	if (c->metrics_token == NULL)
		return 0;
	return take_token(c, path);
}

/* The request's bearer token against the configured one: both hashed
 * first, so that the comparison takes the same time whatever the length
 * or the first differing byte (sodium_memcmp). 0 good, -EACCES none
 * given, -EPERM another. */
static int authorised(struct desk_request *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncmp(h, BEARER, strlen(BEARER)) != 0)
		return -EACCES;
	const char *given = h + strlen(BEARER);
	unsigned char hash[crypto_generichash_BYTES];
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)given, strlen(given), NULL, 0);
	return sodium_memcmp(hash, r->desk->c->metrics_hash, sizeof(hash)) == 0 ? 0 : -EPERM;
}

static enum MHD_Result plain(struct desk_request *r, unsigned status, const char *text)
{
	return desk_reply(r, status, TEXT_TYPE, text, strlen(text), NULL);
}

static enum MHD_Result unauthorised(struct desk_request *r)
{
	static const char text[] = "401: a bearer token is needed (docs/desk.md, \"Monitoring\")\n";
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(text), (void *)text,
								    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return MHD_NO;
	desk_headers(resp, TEXT_TYPE, NULL);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"raksha-desk metrics\"");
	enum MHD_Result ok = MHD_queue_response(r->conn, 401, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* The metrics as text, or NULL; *@status says why not. */
static char *exposition(struct desk_request *r, size_t *len, unsigned *status)
{
	const struct desk_config *c = r->desk->c;
	char err[512], *buf = NULL;
	sqlite3 *db;
	*status = 503;
	if (desk_db_open(c->agent.database, &db, err, sizeof(err)) < 0) {
		log_line(LOG_WARNING, "raksha-desk: /metrics: %s", err);
		return NULL;
	}
	struct metrics m;
	const char *unit[3] = {c->agent.state, c->agent.region, c->agent.agency};
	int rd = metrics_read(db, c->agent.outbox, unit, c->agent.id, &r->desk->metrics_link, &m, err,
			      sizeof(err));
	sqlite3_close(db);
	if (rd < 0) {
		log_line(LOG_WARNING, "raksha-desk: /metrics: %s", err);
		return NULL;
	}
	if (desk_agent_alive(c->agent.database) == 0)
		m.connected = 0;  /* killed: its last presence still says online */
	*status = 500;
	FILE *f = open_memstream(&buf, len);
	if (f == NULL)
		return NULL;
	int w = metrics_write(f, &m, r->now_ms);
	if (fclose(f) != 0 || w < 0) {
		free(buf);
		return NULL;
	}
	*status = 200;
	return buf;
}

enum MHD_Result desk_page_metrics(struct desk_request *r)
{
	if (!r->desk->c->metrics)
		return plain(r, 404, "404: the metrics are off ([desk] metrics_token)\n");
	int a = authorised(r);
	if (a < 0) {
		log_line(LOG_WARNING, "raksha-desk: GET /metrics from %s refused: %s", r->addr,
			 a == -EACCES ? "no bearer token" : "a wrong bearer token");
		return a == -EACCES ? unauthorised(r) : plain(r, 403, "403: not the metrics' token\n");
	}
	size_t len = 0;
	unsigned status;
	char *text = exposition(r, &len, &status);
	if (text == NULL)
		return plain(r, status, status == 503 ? "503: the agent's database cannot be read\n" : "500\n");
	enum MHD_Result ok = desk_reply(r, 200, METRICS_TYPE, text, len, NULL);
	free(text);
	return ok;
}

enum MHD_Result desk_page_healthz(struct desk_request *r)
{
	const char *database = r->desk->c->agent.database;
	char err[512];
	sqlite3 *db;
	if (desk_db_open(database, &db, err, sizeof(err)) < 0)
		return plain(r, 503, "the agent's database cannot be read\n");
	int64_t seq = desk_db_max_seq(db);
	sqlite3_close(db);
	if (seq < 0)
		return plain(r, 503, "the agent's database cannot be read\n");
	int alive = desk_agent_alive(database);
	if (alive == 0)
		return plain(r, 503, "the agent is not running: nothing holds its database\n");
	return plain(r, 200, alive > 0 ? "ok\n" : "ok (whether the agent runs cannot be told here: no /proc/locks)\n");
}
