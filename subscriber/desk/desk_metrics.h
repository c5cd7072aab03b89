/* GET /metrics, the agent's metrics (subscriber/metrics/) for Prometheus,
 * and GET /healthz, for a load balancer or a watchdog (docs/desk.md,
 * "Monitoring"). /metrics is off unless [desk] metrics_token names a file
 * holding a bearer token; it is authorised by that token alone, never by
 * an officer's session (a scraper is no officer, and sends no CSRF
 * token). /healthz needs nothing and says nothing but whether the agent
 * runs and its database can be read. Neither carries a child's data. */
#ifndef RAKSHA_DESK_METRICS_H
#define RAKSHA_DESK_METRICS_H

#include "desk/desk.h"

/* Reads the token file [desk] metrics_token names into @c (its hash): a
 * regular file no one but its owner may read (0600 or 0400), whose first
 * line is the token, DESK_METRICS_TOKEN_MIN to DESK_METRICS_TOKEN_MAX
 * bytes of what a bearer token may hold (RFC 6750's token68). Logs each
 * problem as "FILE: [desk] metrics_token: ..." and returns how many (0 or
 * 1); nothing without the key. */
#define DESK_METRICS_TOKEN_MIN 32
#define DESK_METRICS_TOKEN_MAX 512
int desk_metrics_config(struct desk_config *c, const char *path);

/* The answers: /metrics 404 when off, 401 without a bearer token, 403 with
 * another, else 200 text/plain; version=0.0.4 (503 if the database cannot
 * be read); /healthz 200 "ok", or 503 with the reason. */
enum MHD_Result desk_page_metrics(struct desk_request *r);
enum MHD_Result desk_page_healthz(struct desk_request *r);

#endif
