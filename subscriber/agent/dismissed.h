/* Possible matches a person dismissed on the board (docs/agent.md,
 * "Matching"). The board never writes the agent's database: it says so by
 * making an empty file FOUND+REPORT (the two ids as UUID text) in the folder
 * DATABASE.dismissed (mode 0700, the agent's user); the escalator takes
 * each, marks the pair dismissed in matches, and removes it. Local: nothing
 * of it goes on the bus. */
#ifndef RAKSHA_AGENT_DISMISSED_H
#define RAKSHA_AGENT_DISMISSED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <raksha/uuid.h>

#include "agent/store.h"

/* The folder beside @database into @out (@size bytes). */
void dismissed_dir(const char *database, char *out, size_t size);

/* Says that a person dismissed the pair: makes the folder if need be and
 * the pair's file in it. Returns 0, or a negative errno of mkdir() or
 * open(). */
int dismissed_put(const char *database, const uint8_t found_id[RAKSHA_UUID_LEN],
		  const uint8_t report_id[RAKSHA_UUID_LEN]);

/* Takes what the folder beside @database holds, at most 256 files a call
 * (*@more set when it took that many: there may be more): the pairs
 * marked dismissed in @s's matches in one transaction, then the files
 * removed (a file that is not a pair is removed too). Returns how many
 * pairs, or a negative errno (the files stay, for the next call). */
int dismissed_take(struct store *s, const char *database, bool *more);

/* Watches the folder beside @database (made if need be) for new files, so
 * that the escalator sleeps until one comes instead of looking each
 * second. Returns an inotify descriptor (non-blocking, close-on-exec) or
 * a negative errno of mkdir() or inotify. */
int dismissed_watch(const char *database);

/* Reads what @fd (a dismissed_watch()) has to say, *@news set if it told
 * of anything (a new file, or more than its queue held); false if the
 * watch ended (the folder was removed): open another. */
bool dismissed_watch_drain(int fd, bool *news);

#endif
