/* Whether the agent runs at all, for when its presence cannot say: an
 * agent killed (SIGKILL, a crash, the power) leaves "online" as the last
 * presence in its own database, and its Will reaches the broker, not the
 * database. The agent keeps its database open while it runs, and every
 * SQLite connection to a WAL database holds a shared lock on the
 * wal-index's dead-man-switch byte (DATABASE-shm, byte 128); no process
 * of the agent's name holding it means the agent is not running. Read from
 * /proc/locks, never by opening the -shm file: closing a descriptor of it
 * would drop this process's own SQLite locks on it (POSIX locks). */
#ifndef RAKSHA_DESK_AGENT_ALIVE_H
#define RAKSHA_DESK_AGENT_ALIVE_H

/* 1 if a process named raksha-agent (or one whose name cannot be read)
 * has @database open, 0 if none has (no -shm file, no lock on it, or only
 * readers': raksha-board, another desk, sqlite3), or a negative errno if
 * it cannot be known (no /proc/locks): then the presence alone decides. */
int desk_agent_alive(const char *database);

#endif
