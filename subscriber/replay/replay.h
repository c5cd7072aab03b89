/* raksha-replay's commands; each returns a sysexits code. */
#ifndef RAKSHA_REPLAY_H
#define RAKSHA_REPLAY_H

#include <signal.h>

#include "replay/args.h"

/* Set by SIGINT and SIGTERM: --follow and --republish stop at the next row. */
extern volatile sig_atomic_t replay_stop;

/* Prints the selection from the database (and, with --follow, what comes). */
int replay_local(const struct args *a);

/* Publishes the selection again under the prefix. */
int replay_republish(const struct args *a);

/* Asks the archive for the selection and prints its answer. */
int replay_remote(const struct args *a);

/* The audit statistics of the selection. */
int replay_stats(const struct args *a);

/* Who is offline now, since when, and who is online (presence.c). */
int replay_presence(const struct args *a);

/* A client for a->urls and credentials, named USERNAME:replay-@role-PID
 * (raksha-replay-@role-PID without a username; clean session). Returns 0 or a sysexits code, said on stderr. */
int replay_client_new(const struct args *a, const char *role, struct raksha_client **out);

/* Connects, waiting at most a->timeout_s. Returns 0 or EX_UNAVAILABLE. */
int replay_client_connect(const struct args *a, struct raksha_client *c);

/* Opens a->db for reading; says why not. Returns 0 or a sysexits code. */
int replay_open_db(const struct args *a, sqlite3 **db);

#endif
