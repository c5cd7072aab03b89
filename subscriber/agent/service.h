/* The service: subscribe, log every envelope durably before the broker
 * hears it was delivered (journal.h), announce presence (presence.h), send
 * the local outbox, escalate, answer remote replay as an archive, reload on
 * SIGHUP (reload.h), and stop cleanly on SIGTERM. Its threads are listed in
 * docs/architecture.md. */
#ifndef RAKSHA_AGENT_SERVICE_H
#define RAKSHA_AGENT_SERVICE_H

#include <stdbool.h>

#include "agent/config.h"

/* Runs the service of @c until SIGTERM or SIGINT (SIGHUP reloads @c);
 * @foreground prints one line per event on stdout. Returns a sysexits
 * code: EX_OK; EX_CANTCREAT (the database, outbox or a thread cannot be
 * made); EX_TEMPFAIL (the disk is full); EX_DATAERR (a damaged database);
 * EX_NOINPUT (the password file cannot be read); EX_CONFIG (the broker
 * settings make no client); EX_IOERR (the journal cannot be written);
 * EX_UNAVAILABLE (paho would not start connecting); EX_SOFTWARE. */
int service_run(struct agent_config *c, bool foreground);

#endif
