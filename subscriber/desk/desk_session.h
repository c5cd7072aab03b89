/* Logged-in officers: sessions named by 256-bit random ids (the cookie),
 * each with its own CSRF token (256 bits) that every form carries back,
 * ended by logout or after DESK_IDLE_MS without a request. The desk keeps
 * only the SHA-256 of each id, so that its sessions file
 * (desk_session_store.h) gives no usable cookie. Only the HTTP thread
 * touches them. */
#ifndef RAKSHA_DESK_SESSION_H
#define RAKSHA_DESK_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "desk/desk_users.h"

#define DESK_SESSIONS_MAX 256
#define DESK_IDLE_MS (30LL * 60 * 1000)
#define DESK_TOKEN_HEX 64    /* 32 random bytes in hex */

struct desk_session {
	char id_hash[DESK_TOKEN_HEX + 1];  /* SHA-256 of the cookie's id in hex; "" for a free slot */
	char csrf[DESK_TOKEN_HEX + 1];
	char user[DESK_NAME_MAX + 1];
	int64_t last_ms;
	char notice[512];   /* what the last action did, shown once on the next page (translated: 3 bytes a letter) */
};

struct desk_sessions {
	struct desk_session v[DESK_SESSIONS_MAX];
	const char *path;   /* the sessions file (desk_session_store.h); NULL: kept in memory only */
	bool dirty;         /* a session made or ended since the file was written */
	bool touched;       /* a session used since then (its idle time moved on) */
	int64_t saved_ms;
};

/* 32 random bytes as 64 hex digits and a NUL into @out. */
void desk_token(char out[DESK_TOKEN_HEX + 1]);

/* The SHA-256 of cookie value @id as 64 hex digits into @out. */
void desk_session_hash(const char *id, char out[DESK_TOKEN_HEX + 1]);

/* A new session for @user, its cookie value into @id; when all slots are
 * taken the one idle longest makes room. Never fails. */
struct desk_session *desk_session_new(struct desk_sessions *s, const char *user, int64_t now_ms,
				      char id[DESK_TOKEN_HEX + 1]);

/* The live session of cookie value @id (NULL: none), touched at @now_ms;
 * NULL if there is none or it was idle too long (then it is ended). */
struct desk_session *desk_session_find(struct desk_sessions *s, const char *id, int64_t now_ms);

void desk_session_end(struct desk_sessions *s, struct desk_session *session);

/* Ends every session of @user (the account was deleted). */
void desk_session_end_user(struct desk_sessions *s, const char *user);

/* True if @token (NULL: none) is @session's CSRF token; compared in
 * constant time. */
bool desk_session_csrf_ok(const struct desk_session *session, const char *token);

/* Constant-time comparison of two tokens of DESK_TOKEN_HEX digits. */
bool desk_token_equal(const char *a, const char *b);

#endif
