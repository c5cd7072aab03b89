/* The sessions file ([desk] sessions, default the accounts file's name
 * with ".sessions"), so that restarting the desk (an upgrade, a crash)
 * logs nobody out. One session a line, after a comment line saying so:
 *   SHA256-OF-ID TAB ACCOUNT TAB CSRF-TOKEN TAB EXPIRES-MS
 * The id itself is never written: the file stolen gives no cookie that
 * works (the CSRF token alone opens nothing). Mode 0600, replaced whole
 * (temporary file, fsync, rename, fsync of the folder) at every login and
 * logout and at most once a minute for the idle times. */
#ifndef RAKSHA_DESK_SESSION_STORE_H
#define RAKSHA_DESK_SESSION_STORE_H

#include <stdint.h>

#include "desk/desk_session.h"

#define DESK_SESSIONS_REFRESH_MS (60LL * 1000)  /* idle times written at most this often */

/* Reads @path into @s (emptied first), which then keeps writing there. A
 * missing file is no sessions; expired ones are dropped; every other line
 * not allowed (its fields, a session twice, too many) is refused and
 * logged with its number and why, and the rest is read. A file others may
 * write is refused whole. Returns the sessions read, or a negative errno
 * (-EACCES, -EIO, -EPERM for a file others may write), logged. */
int desk_sessions_load(struct desk_sessions *s, const char *path, int64_t now_ms);

/* Writes @s's live sessions to its file now. Returns 0 (also with no
 * file) or a negative errno, logged with what failed. */
int desk_sessions_save(struct desk_sessions *s, int64_t now_ms);

/* Writes the file if a session was made or ended since the last write, or
 * one was used and the last write is DESK_SESSIONS_REFRESH_MS old. */
void desk_sessions_sync(struct desk_sessions *s, int64_t now_ms);

#endif
