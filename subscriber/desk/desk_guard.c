#include <string.h>

#include "desk/desk_guard.h"

static struct desk_guard_entry *lookup(struct desk_guard_entry *t, const char *key)
{
	for (size_t i = 0; i < DESK_GUARD_SLOTS; i++)
		if (t[i].key[0] != '\0' && strcmp(t[i].key, key) == 0)
			return &t[i];
	return NULL;
}

/* @key's entry, made (in a free slot or the oldest one's) if need be. */
static struct desk_guard_entry *entry(struct desk_guard_entry *t, const char *key, int64_t now_ms)
{
	struct desk_guard_entry *e = lookup(t, key);
	if (e != NULL)
		return e;
	e = &t[0];
	for (size_t i = 0; i < DESK_GUARD_SLOTS; i++) {
		if (t[i].key[0] == '\0') {
			e = &t[i];
			break;
		}
		if (t[i].since_ms < e->since_ms)
			e = &t[i];
	}
	memset(e, 0, sizeof(*e));
	strncpy(e->key, key, sizeof(e->key) - 1);
	e->since_ms = now_ms;
	return e;
}

enum desk_guard_verdict desk_guard_check(struct desk_guard *g, const char *user, const char *addr,
					 int64_t now_ms)
{
	struct desk_guard_entry *a = lookup(g->addrs, addr);
	if (a != NULL && now_ms - a->since_ms >= DESK_ADDR_WINDOW_MS)
		memset(a, 0, sizeof(*a));
	else if (a != NULL && a->failures >= DESK_ADDR_FAILURES)
		return GUARD_ADDRESS_LIMITED;
	struct desk_guard_entry *u = user ? lookup(g->users, user) : NULL;
	if (u != NULL && u->until_ms != 0 && now_ms >= u->until_ms)
		memset(u, 0, sizeof(*u));
	else if (u != NULL && u->until_ms != 0)
		return GUARD_ACCOUNT_LOCKED;
	return GUARD_OK;
}

int desk_guard_failed(struct desk_guard *g, const char *user, const char *addr, int64_t now_ms)
{
	struct desk_guard_entry *a = entry(g->addrs, addr, now_ms);
	a->failures++;
	if (user == NULL)
		return 0;
	struct desk_guard_entry *u = entry(g->users, user, now_ms);
	u->failures++;
	if (u->failures < DESK_LOCK_FAILURES || u->until_ms != 0)
		return 0;
	u->until_ms = now_ms + DESK_LOCK_MS;
	return 1;
}

void desk_guard_succeeded(struct desk_guard *g, const char *user)
{
	struct desk_guard_entry *u = lookup(g->users, user);
	if (u != NULL)
		memset(u, 0, sizeof(*u));
}
