/* Password guessing held back: five wrong passwords in a row lock an
 * account for DESK_LOCK_MS (a right one while locked is refused too), and
 * an address that gets DESK_ADDR_FAILURES wrong within DESK_ADDR_WINDOW_MS
 * may not try again until that window ends. Kept in memory (a restart
 * forgets them), in bounded tables: when one is full, the entry seen
 * longest ago makes room. Only the HTTP thread touches them. */
#ifndef RAKSHA_DESK_GUARD_H
#define RAKSHA_DESK_GUARD_H

#include <stdint.h>

#define DESK_LOCK_FAILURES 5
#define DESK_LOCK_MS (15LL * 60 * 1000)
#define DESK_ADDR_FAILURES 20
#define DESK_ADDR_WINDOW_MS (10LL * 60 * 1000)
#define DESK_GUARD_SLOTS 512

struct desk_guard_entry {
	char key[64];          /* an account's name, or an address; "" for a free slot */
	int failures;
	int64_t since_ms;      /* first failure of the run (address: of the window) */
	int64_t until_ms;      /* locked until then; 0: not locked */
};

struct desk_guard {
	struct desk_guard_entry users[DESK_GUARD_SLOTS], addrs[DESK_GUARD_SLOTS];
};

enum desk_guard_verdict { GUARD_OK, GUARD_ACCOUNT_LOCKED, GUARD_ADDRESS_LIMITED };

/* Whether @user (NULL: a name no account can have) may try a password from @addr now. */
enum desk_guard_verdict desk_guard_check(struct desk_guard *g, const char *user, const char *addr,
					 int64_t now_ms);

/* A wrong password, or an unknown account (@user NULL for a name no
 * account can have: counted against @addr only). Returns 1 if this failure
 * locked the account, else 0. */
int desk_guard_failed(struct desk_guard *g, const char *user, const char *addr, int64_t now_ms);

/* A right password: the account's run of failures starts again. */
void desk_guard_succeeded(struct desk_guard *g, const char *user);

#endif
