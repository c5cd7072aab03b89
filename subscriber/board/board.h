/* raksha-agent board: a live terminal board over the agent's database. */
#ifndef RAKSHA_BOARD_H
#define RAKSHA_BOARD_H

#include "agent/config.h"

/* Runs the board on this terminal until the officer quits (q) or a signal
 * (SIGINT, SIGTERM, SIGHUP) stops it. It reads @c's database, never
 * writing it, and publishes acks and status updates as @c's unit through
 * the outbox (docs/agent.md, "The board"). Returns a sysexits code:
 * EX_OK; EX_USAGE (stdin or stdout is not a terminal); EX_UNAVAILABLE (an
 * unknown terminal type, or paho would not start); EX_CANTCREAT (the outbox
 * cannot be opened); EX_CONFIG (the broker settings make no client);
 * EX_NOINPUT (the password file cannot be read); EX_OSERR (no memory). */
int board_run(const struct agent_config *c);

#endif
