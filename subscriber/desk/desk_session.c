#include <string.h>

#include <sodium.h>

#include "desk/desk_session.h"

void desk_token(char out[DESK_TOKEN_HEX + 1])
{
	unsigned char raw[DESK_TOKEN_HEX / 2];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, DESK_TOKEN_HEX + 1, raw, sizeof(raw));
}

bool desk_token_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) != DESK_TOKEN_HEX || strlen(b) != DESK_TOKEN_HEX)
		return false;
	return sodium_memcmp(a, b, DESK_TOKEN_HEX) == 0;
}

void desk_session_hash(const char *id, char out[DESK_TOKEN_HEX + 1])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)id, strlen(id));
	sodium_bin2hex(out, DESK_TOKEN_HEX + 1, digest, sizeof(digest));
}

struct desk_session *desk_session_new(struct desk_sessions *s, const char *user, int64_t now_ms,
				      char id[DESK_TOKEN_HEX + 1])
{
	struct desk_session *slot = &s->v[0];
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++) {
		if (s->v[i].id_hash[0] == '\0') {
			slot = &s->v[i];
			break;
		}
		if (s->v[i].last_ms < slot->last_ms)
			slot = &s->v[i];
	}
	desk_session_end(s, slot);
	desk_token(id);
	desk_session_hash(id, slot->id_hash);
	desk_token(slot->csrf);
	strncpy(slot->user, user, DESK_NAME_MAX);
	slot->user[DESK_NAME_MAX] = '\0';
	slot->last_ms = now_ms;
	s->dirty = true;
	return slot;
}

struct desk_session *desk_session_find(struct desk_sessions *s, const char *id, int64_t now_ms)
{
	char hash[DESK_TOKEN_HEX + 1];
	if (id == NULL || strlen(id) != DESK_TOKEN_HEX)
		return NULL;
	desk_session_hash(id, hash);
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++) {
		struct desk_session *x = &s->v[i];
		if (x->id_hash[0] == '\0' || !desk_token_equal(x->id_hash, hash))
			continue;
		if (now_ms - x->last_ms > DESK_IDLE_MS) {
			desk_session_end(s, x);
			return NULL;
		}
		x->last_ms = now_ms;
		s->touched = true;
		return x;
	}
	return NULL;
}

void desk_session_end(struct desk_sessions *s, struct desk_session *session)
{
	if (session->id_hash[0] != '\0')
		s->dirty = true;
	sodium_memzero(session, sizeof(*session));
}

void desk_session_end_user(struct desk_sessions *s, const char *user)
{
	for (size_t i = 0; i < DESK_SESSIONS_MAX; i++)
		if (s->v[i].id_hash[0] != '\0' && strcmp(s->v[i].user, user) == 0)
			desk_session_end(s, &s->v[i]);
}

bool desk_session_csrf_ok(const struct desk_session *session, const char *token)
{
	return desk_token_equal(session->csrf, token);
}
